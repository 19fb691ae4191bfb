/*
 * srsim's MySQL protocol with libmariadb: handshake and version strings,
 * authentication errors, ping, init_db, field lists, errors, NULL cells,
 * big results, concurrency, privileges and the statement counters.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "simtest.h"

static const char scenario[] =
	"[source]\nversion = 3.3.5\nuser = admin\npassword = s3cr;et#pw\nbe = 3\n"
	"[target]\nversion = 3.5.2\nrun_mode = shared_data\npassword = tpw\ncn = 2\n"
	"[user source viewer]\npassword = v\n"
	"[table sales.orders]\npartition_by = range(dt)\npartitions = 40\nbuckets = 16\nrows = 50000\n";

SIMTEST_GROUP(scenario)

static MYSQL *
connect_as(int port, const char *user, const char *pw, const char *db)
{
	MYSQL *m = mysql_init(NULL);

	if (!mysql_real_connect(m, "127.0.0.1", user, pw, db, (unsigned)port, NULL, 0))
		return m;	/* the caller reads the error */
	return m;
}

static void
test_handshake_versions(void **state)
{
	(void)state;
	MYSQL *m = sim_connect(&sim, SIM_SOURCE);
	assert_non_null(m);
	/* Config.mysql_server_version: 5.1.0 up to 3.3, 8.0.33 from 3.4 */
	assert_string_equal(mysql_get_server_info(m), "5.1.0");
	mysql_close(m);
	m = sim_connect(&sim, SIM_TARGET);
	assert_non_null(m);
	assert_string_equal(mysql_get_server_info(m), "8.0.33");
	mysql_close(m);
}

static void
test_wrong_password(void **state)
{
	(void)state;
	MYSQL *m = connect_as(sim.ports[SIM_SOURCE_QUERY], "admin", "nope", NULL);
	assert_int_equal(mysql_errno(m), 1045);
	assert_string_equal(mysql_sqlstate(m), "28000");
	assert_string_equal(mysql_error(m), "Access denied for user 'admin' (using password: YES)");
	mysql_close(m);
	m = connect_as(sim.ports[SIM_SOURCE_QUERY], "admin", "", NULL);
	assert_string_equal(mysql_error(m), "Access denied for user 'admin' (using password: NO)");
	mysql_close(m);
	m = connect_as(sim.ports[SIM_SOURCE_QUERY], "ghost", "x", NULL);
	assert_int_equal(mysql_errno(m), 1045);
	mysql_close(m);
}

static void
test_ping_init_db_field_list(void **state)
{
	(void)state;
	MYSQL *m = sim_connect(&sim, SIM_SOURCE);
	assert_non_null(m);
	assert_int_equal(mysql_ping(m), 0);
	assert_int_equal(mysql_select_db(m, "sales"), 0);
	assert_int_equal(mysql_query(m, "SELECT database()"), 0);
	MYSQL_RES *r = mysql_store_result(m);
	assert_string_equal(mysql_fetch_row(r)[0], "sales");
	mysql_free_result(r);
	r = mysql_list_fields(m, "orders", NULL);
	assert_non_null(r);
	assert_int_equal(mysql_num_fields(r), 6);
	assert_string_equal(mysql_fetch_field_direct(r, 1)->name, "dt");
	mysql_free_result(r);
	assert_int_not_equal(mysql_select_db(m, "nope"), 0);
	assert_int_equal(mysql_errno(m), 1049);
	assert_string_equal(mysql_error(m), "Unknown database 'nope'");
	/* a database at connect time */
	mysql_close(m);
	m = connect_as(sim.ports[SIM_SOURCE_QUERY], "admin", "s3cr;et#pw", "sales");
	assert_int_equal(mysql_errno(m), 0);
	mysql_close(m);
}

static void
test_errors_and_nulls(void **state)
{
	(void)state;
	MYSQL *m = sim_connect(&sim, SIM_SOURCE);
	assert_non_null(m);
	assert_int_not_equal(mysql_query(m, "FROBNICATE ALL THE THINGS"), 0);
	assert_int_equal(mysql_errno(m), 1064);
	assert_non_null(strstr(mysql_error(m), "Getting syntax error"));
	/* the connection stays usable */
	assert_int_equal(mysql_query(m, "SELECT NULL, 1, 'x'"), 0);
	MYSQL_RES *r = mysql_store_result(m);
	MYSQL_ROW row = mysql_fetch_row(r);
	assert_null(row[0]);
	assert_string_equal(row[1], "1");
	mysql_free_result(r);
	assert_int_not_equal(mysql_query(m, "SELECT @@no_such_variable"), 0);
	assert_int_equal(mysql_errno(m), 1193);
	assert_int_not_equal(mysql_query(m, "SHOW CREATE TABLE sales.missing"), 0);
	assert_int_equal(mysql_errno(m), 1051);
	mysql_close(m);
}

static void
test_functions(void **state)
{
	(void)state;
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "select @@version_comment limit 1");
	assert_non_null(r);
	assert_string_equal(sim_title(r, 0), "@@version_comment");
	assert_string_equal(sim_cell(r, 0, "@@version_comment"), "3.3.5-6d81f75");
	sim_result_free(r);
	r = st_q(&sim, SIM_TARGET, "SELECT current_version() AS v, @@version");
	assert_string_equal(sim_cell(r, 0, "v"), "3.5.2-a1b2c3d");
	assert_string_equal(sim_cell(r, 0, "@@version"), "8.0.33");
	sim_result_free(r);
	/* the docs' password example, facts 7 */
	r = st_q(&sim, SIM_SOURCE, "SELECT TO_BASE64(AES_ENCRYPT('starrocks', 'F3229A0B371ED2D9441B830D21A390C3')) AS p, "
		 "AES_DECRYPT(FROM_BASE64('uv/Lhzm74syo8JlfWarwKA=='), 'F3229A0B371ED2D9441B830D21A390C3') AS d, "
		 "TO_BASE64('') AS e");
	assert_string_equal(sim_cell(r, 0, "p"), "uv/Lhzm74syo8JlfWarwKA==");
	assert_string_equal(sim_cell(r, 0, "d"), "starrocks");
	assert_null(sim_cell(r, 0, "e"));
	sim_result_free(r);
}

static void
test_big_result(void **state)
{
	(void)state;
	/* 40 partitions x 16 buckets x 3 replicas */
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW TABLET FROM sales.orders");
	assert_non_null(r);
	assert_int_equal(sim_rows(r), 1920);
	/* sorted by tablet id, then replica id */
	for (size_t i = 1; i < sim_rows(r); i++) {
		int64_t a = st_i64(sim_cell(r, i - 1, "TabletId")), b = st_i64(sim_cell(r, i, "TabletId"));
		assert_true(a < b || (a == b && st_i64(sim_cell(r, i - 1, "ReplicaId")) < st_i64(sim_cell(r, i, "ReplicaId"))));
	}
	sim_result_free(r);
}

static void *
hammer(void *arg)
{
	int *fails = arg;
	MYSQL *m = sim_connect(&sim, SIM_SOURCE);

	if (!m) {
		(*fails)++;
		return NULL;
	}
	for (int i = 0; i < 40; i++) {
		if (mysql_query(m, "SELECT COUNT(*) FROM sales.orders")) {
			(*fails)++;
			break;
		}
		MYSQL_RES *r = mysql_store_result(m);
		MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
		if (!row || strcmp(row[0], "50000") != 0)
			(*fails)++;
		mysql_free_result(r);
	}
	mysql_close(m);
	return NULL;
}

static void
test_concurrent_connections(void **state)
{
	pthread_t t[16];
	int fails[16] = { 0 };

	(void)state;
	mysql_thread_init();
	for (int i = 0; i < 16; i++)
		pthread_create(&t[i], NULL, hammer, &fails[i]);
	for (int i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(fails[i], 0);
	}
}

static void
test_operate_privilege(void **state)
{
	(void)state;
	MYSQL *m = connect_as(sim.ports[SIM_SOURCE_QUERY], "viewer", "v", NULL);
	assert_int_equal(mysql_errno(m), 0);
	assert_int_not_equal(mysql_query(m, "SHOW PROC '/dbs'"), 0);
	assert_int_equal(mysql_errno(m), 5203);
	assert_true(g_str_has_prefix(mysql_error(m), "Access denied; you need (at least one of) the OPERATE "
				     "privilege(s) on SYSTEM for this operation."));
	assert_int_not_equal(mysql_query(m, "ADMIN SHOW FRONTEND CONFIG"), 0);
	assert_int_equal(mysql_errno(m), 5203);
	/* reading metadata without OPERATE still works */
	assert_int_equal(mysql_query(m, "SHOW DATABASES"), 0);
	mysql_free_result(mysql_store_result(m));
	mysql_close(m);
}

static void
test_counters(void **state)
{
	char err[256];

	(void)state;
	long stmts = sim_stat(&sim, SIM_SOURCE, "STATEMENTS");
	long procs = sim_stat(&sim, SIM_SOURCE, "SHOW_PROC");
	long sel = sim_stat(&sim, SIM_SOURCE, "SELECT");
	long tstmts = sim_stat(&sim, SIM_TARGET, "STATEMENTS");
	assert_true(stmts > 0 && procs >= 0 && sel > 0);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "SHOW PROC '/dbs'", err, sizeof err), 0);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "SHOW PROC '/dbs/sales'", err, sizeof err), 0);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "SELECT 1", err, sizeof err), 0);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "STATEMENTS"), stmts + 3);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "SHOW_PROC"), procs + 2);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "SELECT"), sel + 1);
	assert_int_equal(sim_stat(&sim, SIM_TARGET, "STATEMENTS"), tstmts);
	assert_true(sim_stat(&sim, SIM_TARGET, "RPCS") >= 0);
}

/* A window of exactly counted statements: reset (SIGUSR2 or ADMIN SET), send, read. */
static void
test_counter_reset(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(sim_stats_reset(&sim), 0);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "STATEMENTS"), 0);
	assert_int_equal(sim_stat(&sim, SIM_TARGET, "STATEMENTS"), 0);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "CONNECTIONS"), 0);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "SHOW PROC '/dbs'", err, sizeof err), 0);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "SELECT 1", err, sizeof err), 0);
	assert_int_not_equal(sim_exec(&sim, SIM_SOURCE, "NOT SQL", err, sizeof err), 0);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "STATEMENTS"), 3);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "SHOW_PROC"), 1);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "ERROR"), 1);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "CONNECTIONS"), 3);
	/* the statement that resets is not left counted, and resets both clusters */
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"sim_stats_reset\" = \"true\")", err,
				  sizeof err), 0);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "STATEMENTS"), 0);
	assert_int_equal(sim_stat(&sim, SIM_TARGET, "STATEMENTS"), 0);
	assert_int_equal(sim_stat(&sim, SIM_TARGET, "ADMIN"), 0);
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "SHOW DATABASES", err, sizeof err), 0);
	assert_int_equal(sim_stat(&sim, SIM_TARGET, "STATEMENTS"), 1);
	assert_int_equal(sim_stat(&sim, SIM_TARGET, "SHOW_DATABASES"), 1);
	assert_int_equal(sim_stat(&sim, SIM_SOURCE, "STATEMENTS"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_versions),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_ping_init_db_field_list),
		cmocka_unit_test(test_errors_and_nulls),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_big_result),
		cmocka_unit_test(test_concurrent_connections),
		cmocka_unit_test(test_operate_privilege),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_counter_reset),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
