/*
 * TLS to the FEs, for real: a MariaDB server from Debian (mariadb-server),
 * started here as the current user on loopback ports, with a CA and a server
 * certificate (for 127.0.0.1 only) made by openssl in the test. Every case
 * reads its settings through cfg_load_text from sync.properties keys and
 * connects through srmigrate's sql module, then asks the server itself
 * whether the connection is encrypted (SHOW STATUS LIKE 'Ssl_cipher').
 *
 * The server listens on 127.0.0.1 and 127.0.0.2: the certificate names only
 * the first, so verify_identity to the second must fail where verify_ca
 * passes. Nothing is skipped: without mariadbd every case fails, naming
 * `make deps`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <mysql.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "srmigrate/config.h"
#include "srmigrate/secret.h"
#include "srmigrate/sql.h"

#define USER "srm_tls"
#define PASSWORD "tls pw;#1"

static struct {
	char dir[256];
	char why[1024];		/* why the server is not up, for every case */
	pid_t pid;
	int port;
} srv = { .pid = -1 };

/* A program on PATH, or in the sbin directories a non-root PATH lacks. */
static bool
find_program(const char *name, char *out, size_t n)
{
	const char *path = getenv("PATH");
	char dirs[8192];

	snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/usr/local/sbin:/sbin", path ? path : "/usr/bin:/bin");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, n, "%s/%s", d, name);
		if (access(out, X_OK) == 0)
			return true;
	}
	return false;
}

/* Run a shell command with its output in DIR/setup.log; its exit status. */
static int
run(const char *fmt, ...)
{
	char cmd[8192], full[8192 + 512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd '%s' && (%s) >>setup.log 2>&1", srv.dir, cmd);
	return system(full);
}

static int
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* The CA, another CA, and a server certificate for IP 127.0.0.1 signed by the first. */
static int
make_certificates(void)
{
	return run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=srmigrate test CA' "
		   "-keyout ca.key -out ca.pem && "
		   "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=another CA' "
		   "-keyout other.key -out other.pem && "
		   "openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr && "
		   "printf 'subjectAltName=IP:127.0.0.1\\n' >san.cnf && "
		   "openssl x509 -req -days 2 -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
		   "-extfile san.cnf -out server.pem");
}

static MYSQL *
admin_connect(void)
{
	char sock[4200];
	MYSQL *m = mysql_init(NULL);

	snprintf(sock, sizeof(sock), "%s/mysqld.sock", srv.dir);
	if (mysql_real_connect(m, "localhost", "root", "", NULL, 0, sock, 0) == NULL) {
		mysql_close(m);
		return NULL;
	}
	return m;
}

static int
start_server(void)
{
	char mariadbd[4096], install[4096], path[4200];
	struct passwd *pw = getpwuid(geteuid());
	const char *user = pw ? pw->pw_name : "root";
	MYSQL *m = NULL;

	if (!find_program("mariadbd", mariadbd, sizeof(mariadbd)) ||
	    !find_program("mariadb-install-db", install, sizeof(install))) {
		snprintf(srv.why, sizeof(srv.why), "mariadbd or mariadb-install-db not found: run `make deps` "
			 "(it installs mariadb-server)");
		return -1;
	}
	if (make_certificates() != 0) {
		snprintf(srv.why, sizeof(srv.why), "openssl failed (see %s/setup.log); run `make deps`", srv.dir);
		return -1;
	}
	if (run("'%s' --no-defaults --datadir='%s/data' --user=%s --auth-root-authentication-method=normal "
		"--skip-test-db", install, srv.dir, user) != 0) {
		snprintf(srv.why, sizeof(srv.why), "mariadb-install-db failed (see %s/setup.log)", srv.dir);
		return -1;
	}
	srv.port = free_port();
	srv.pid = fork();
	if (srv.pid == 0) {
		char a[16][4400];
		int fd;

		snprintf(path, sizeof(path), "%s/mariadbd.log", srv.dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		snprintf(a[0], sizeof(a[0]), "--datadir=%s/data", srv.dir);
		snprintf(a[1], sizeof(a[1]), "--socket=%s/mysqld.sock", srv.dir);
		snprintf(a[2], sizeof(a[2]), "--pid-file=%s/mysqld.pid", srv.dir);
		snprintf(a[3], sizeof(a[3]), "--port=%d", srv.port);
		snprintf(a[4], sizeof(a[4]), "--ssl-ca=%s/ca.pem", srv.dir);
		snprintf(a[5], sizeof(a[5]), "--ssl-cert=%s/server.pem", srv.dir);
		snprintf(a[6], sizeof(a[6]), "--ssl-key=%s/server.key", srv.dir);
		snprintf(a[7], sizeof(a[7]), "--user=%s", user);
		execl(mariadbd, mariadbd, "--no-defaults", a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
		      "--bind-address=127.0.0.1,127.0.0.2", "--skip-log-bin", "--innodb-buffer-pool-size=16M",
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 300 && m == NULL; i++) {
		int status;

		if (waitpid(srv.pid, &status, WNOHANG) == srv.pid) {
			srv.pid = -1;
			snprintf(srv.why, sizeof(srv.why), "mariadbd exited at start (see %s/mariadbd.log)", srv.dir);
			return -1;
		}
		m = admin_connect();
		if (m == NULL)
			usleep(100 * 1000);
	}
	if (m == NULL) {
		snprintf(srv.why, sizeof(srv.why), "mariadbd did not answer within 30 s (see %s/mariadbd.log)",
			 srv.dir);
		return -1;
	}
	if (mysql_query(m, "CREATE USER '" USER "'@'%' IDENTIFIED BY '" PASSWORD "'") != 0) {
		snprintf(srv.why, sizeof(srv.why), "CREATE USER: %s", mysql_error(m));
		mysql_close(m);
		return -1;
	}
	mysql_close(m);
	return 0;
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static int
group_setup(void **state)
{
	const char *base = getenv("SRM_TMP") && *getenv("SRM_TMP") ? getenv("SRM_TMP") : "/tmp";

	(void)state;
	sql_library_init();
	snprintf(srv.dir, sizeof(srv.dir), "%s/tls-XXXXXX", base);
	if (mkdtemp(srv.dir) == NULL) {
		snprintf(srv.why, sizeof(srv.why), "mkdtemp %s: %s", srv.dir, strerror(errno));
		return 0;
	}
	if (start_server() != 0)
		fprintf(stderr, "tls: %s\n", srv.why);
	return 0;	/* every case reports srv.why itself */
}

static int
group_teardown(void **state)
{
	(void)state;
	if (srv.pid > 0) {
		kill(srv.pid, SIGTERM);
		for (int i = 0; i < 100 && waitpid(srv.pid, NULL, WNOHANG) == 0; i++)
			usleep(100 * 1000);
		if (kill(srv.pid, 0) == 0) {
			kill(srv.pid, SIGKILL);
			waitpid(srv.pid, NULL, 0);
		}
	}
	if (srv.dir[0] && !getenv("SRM_KEEP"))
		nftw(srv.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	sql_library_end();
	return 0;
}

/*
 * Connect as sync.properties @keys say (after the address, user and
 * password) to @host and read Ssl_cipher into @cipher. 0, or -1 with err:
 * a configuration error or the pool's connect error.
 */
static int
connect_as(const char *host, const char *keys, char *cipher, size_t n, char *err, size_t errlen)
{
	struct srm_config cfg;
	struct sql_pool pool;
	struct sql_res *r;
	char text[4096];
	int rc = -1;

	if (srv.pid <= 0)
		fail_msg("no MariaDB server: %s", srv.why);
	snprintf(text, sizeof(text), "source_fe_host=%s\nsource_fe_query_port=%d\nsource_cluster_user=" USER
		 "\nsource_cluster_password=" PASSWORD "\n%s", host, srv.port, keys);
	cfg_defaults(&cfg, srv.dir, srv.dir);
	if (cfg_load_text(&cfg, "sync.properties", text, err, errlen) != 0) {
		cfg_free(&cfg);
		return -1;
	}
	sql_pool_init(&pool, SIDE_SOURCE, &cfg.source, &cfg.hosts, 5000, 5000);
	r = sql_pool_query(&pool, "SHOW STATUS LIKE 'Ssl_cipher'", err, errlen);
	if (r) {
		const char *v = sql_rows(r) == 1 ? sql_cell(r, 0, sql_col(r, "Value")) : NULL;

		assert_non_null(v);
		snprintf(cipher, n, "%s", v);
		sql_res_free(r);
		rc = 0;
	}
	sql_pool_fini(&pool);
	cfg_free(&cfg);
	secret_forget_all();
	return rc;
}

static void
expect_encrypted(const char *host, const char *keys)
{
	char cipher[128] = "", err[1024] = "";

	if (connect_as(host, keys, cipher, sizeof(cipher), err, sizeof(err)) != 0)
		fail_msg("%s with [%s]: %s", host, keys, err);
	if (cipher[0] == '\0')
		fail_msg("%s with [%s]: connected in clear (Ssl_cipher is empty)", host, keys);
}

/* Refused, with an error naming the FE and saying it is about TLS. */
static void
expect_refused(const char *host, const char *keys, const char *why)
{
	char cipher[128] = "", err[1024] = "", at[64];

	if (connect_as(host, keys, cipher, sizeof(cipher), err, sizeof(err)) == 0)
		fail_msg("%s with [%s]: connected (cipher '%s') where it must be refused", host, keys, cipher);
	snprintf(at, sizeof(at), "%s:%d", host, srv.port);
	if (strstr(err, at) == NULL || strstr(err, "TLS/SSL") == NULL || strstr(err, why) == NULL)
		fail_msg("%s with [%s]: unclear error '%s' (want '%s', 'TLS/SSL' and '%s')", host, keys, err,
			 at, why);
	if (strstr(err, PASSWORD) != NULL)
		fail_msg("the error shows the password: %s", err);
}

static void
required_is_encrypted(void **state)
{
	(void)state;
	expect_encrypted("127.0.0.1", "source_cluster_ssl_mode=required\n");
	/* required checks no certificate: another name than the certificate's is fine. */
	expect_encrypted("127.0.0.2", "source_cluster_ssl_mode=required\n");
}

static void
preferred_uses_what_the_server_offers(void **state)
{
	(void)state;
	expect_encrypted("127.0.0.1", "");	/* the default */
	expect_encrypted("127.0.0.1", "source_cluster_ssl_mode=preferred\n");
}

static void
disabled_is_in_clear(void **state)
{
	char cipher[128] = "x", err[1024] = "";

	(void)state;
	if (connect_as("127.0.0.1", "source_cluster_ssl_mode=disabled\n", cipher, sizeof(cipher), err,
		       sizeof(err)) != 0)
		fail_msg("disabled: %s", err);
	assert_string_equal(cipher, "");
}

static void
verify_ca_with_the_right_ca(void **state)
{
	char keys[4400];

	(void)state;
	snprintf(keys, sizeof(keys), "source_cluster_ssl_mode=verify_ca\nsource_cluster_ssl_ca=%s/ca.pem\n",
		 srv.dir);
	expect_encrypted("127.0.0.1", keys);
	/* The chain only: an address the certificate does not name is accepted. */
	expect_encrypted("127.0.0.2", keys);
}

static void
verify_ca_with_a_wrong_ca_is_refused(void **state)
{
	char keys[4400];

	(void)state;
	snprintf(keys, sizeof(keys), "source_cluster_ssl_mode=verify_ca\nsource_cluster_ssl_ca=%s/other.pem\n",
		 srv.dir);
	expect_refused("127.0.0.1", keys, "certificate");
	/* A CA file that is not there is no reason to connect unverified. */
	snprintf(keys, sizeof(keys), "source_cluster_ssl_mode=verify_ca\nsource_cluster_ssl_ca=%s/missing.pem\n",
		 srv.dir);
	expect_refused("127.0.0.1", keys, "No such file");
}

static void
verify_identity_checks_the_name(void **state)
{
	char keys[4400];

	(void)state;
	snprintf(keys, sizeof(keys), "source_cluster_ssl_mode=verify_identity\nsource_cluster_ssl_ca=%s/ca.pem\n",
		 srv.dir);
	expect_encrypted("127.0.0.1", keys);
	expect_refused("127.0.0.2", keys, "Validation of SSL server certificate failed");
	snprintf(keys, sizeof(keys), "source_cluster_ssl_mode=verify_identity\nsource_cluster_ssl_ca=%s/other.pem\n",
		 srv.dir);
	expect_refused("127.0.0.1", keys, "certificate");
}

/* verify_ca without a CA is a configuration error, before any connection. */
static void
verify_without_a_ca_is_a_config_error(void **state)
{
	struct srm_config cfg;
	char err[1024] = "";

	(void)state;
	cfg_defaults(&cfg, "conf", "log");
	assert_int_equal(cfg_load_text(&cfg, "sync.properties", "source_fe_host=127.0.0.1\n"
				       "source_cluster_ssl_mode=verify_ca\n", err, sizeof(err)), -1);
	assert_string_equal(err, "sync.properties:2: source_cluster_ssl_mode: verify_ca needs "
				 "source_cluster_ssl_ca");
	cfg_free(&cfg);
	secret_forget_all();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(required_is_encrypted),
		cmocka_unit_test(preferred_uses_what_the_server_offers),
		cmocka_unit_test(disabled_is_in_clear),
		cmocka_unit_test(verify_ca_with_the_right_ca),
		cmocka_unit_test(verify_ca_with_a_wrong_ca_is_refused),
		cmocka_unit_test(verify_identity_checks_the_name),
		cmocka_unit_test(verify_without_a_ca_is_a_config_error),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
