/* request: catalogs + per-table detail -> startTableReplication request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/request.h"
#include "srmigrate/util.h"

struct fixture {
	struct catalog *src, *tgt;
	struct cat_table *st, *tt;
	struct meta_detail sd, td;
	struct hostmap hosts;
	size_t cap_t[2], cap_r[2];
};

static void
node(struct catalog *c, int64_t id, const char *host, bool alive)
{
	struct cat_node *n = catalog_add_node(c, NODE_BE);

	n->id = id;
	n->host = catalog_str(c, host);
	n->be_port = 9060;
	n->http_port = 8040;
	n->alive = alive;
}

static struct cat_table *
table(struct catalog *c, int64_t db_id, int64_t id, const char *const *parts, const int64_t *ids,
      size_t n, int64_t version)
{
	struct cat_table *t = catalog_add_table(c, "db", "t");

	t->db_id = db_id;
	t->id = id;
	t->kind = TK_OLAP;
	t->bytes = 4096;
	for (size_t i = 0; i < n; i++) {
		struct cat_part *p = catalog_part_add(c, t);

		p->name = catalog_str(c, parts[i]);
		p->id = ids[i];
		p->visible_version = version;
		p->version_epoch = 77;
		p->bytes = 1000;
	}
	catalog_parts_done(c);
	return catalog_table(c, "db", "t");
}

static void
detail_index(struct meta_detail *d, int64_t id, const char *name, int32_t hash)
{
	d->indexes = xrealloc(d->indexes, (d->n_indexes + 1) * sizeof(*d->indexes));
	d->indexes[d->n_indexes++] = (struct meta_index){ id, name, hash };
}

/* Tablets @first.. (ascending) of one partition/index, each on @reps backends. */
static void
detail_tablets(struct meta_detail *d, int64_t part, int64_t index, int64_t first, uint32_t n,
	       const int64_t *backends, uint16_t reps)
{
	d->pis = xrealloc(d->pis, (d->n_pis + 1) * sizeof(*d->pis));
	d->pis[d->n_pis++] = (struct meta_part_index){ part, index, (uint32_t)d->n_tablets, n };
	for (uint32_t i = 0; i < n; i++) {
		d->tablets = xrealloc(d->tablets, (d->n_tablets + 1) * sizeof(*d->tablets));
		d->tablets[d->n_tablets++] = (struct meta_tablet){ first + i, (uint32_t)d->n_replicas, reps };
		for (uint16_t r = 0; r < reps; r++) {
			d->replica_backend = xrealloc(d->replica_backend,
						      (d->n_replicas + 1) * sizeof(int64_t));
			d->replica_backend[d->n_replicas++] = backends[(i + r) % 3];
		}
	}
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *parts[] = { "p1", "p2" };
	char err[SRM_ERR_LEN];

	f->src = catalog_new(SIDE_SOURCE);
	f->tgt = catalog_new(SIDE_TARGET);
	node(f->src, 11, "be-0.source.invalid", true);
	node(f->src, 12, "be-1.source.invalid", true);
	node(f->src, 13, "be-2.source.invalid", true);
	f->st = table(f->src, 100, 200, parts, (int64_t[]){ 301, 302 }, 2, 9);
	f->tt = table(f->tgt, 900, 901, parts, (int64_t[]){ 951, 952 }, 2, 1);
	detail_index(&f->sd, 400, "t", 1234);
	detail_index(&f->td, 960, "t", 5678);
	assert_int_equal(hostmap_load_text(&f->hosts, "hosts", "SOURCE_be-0.source.invalid=127.0.0.1;9060:19060,8040:18040\n"
					   "SOURCE_be-1.source.invalid=127.0.0.2\n", err, sizeof(err)), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	catalog_unref(f->src);
	catalog_unref(f->tgt);
	meta_detail_free(&f->sd);
	meta_detail_free(&f->td);
	hostmap_free(&f->hosts);
	free(f);
	return 0;
}

static struct req_input
input(struct fixture *f, const char *const *parts, size_t n)
{
	return (struct req_input){
		.src = f->src, .tgt = f->tgt, .st = f->st, .tt = f->tt, .sd = &f->sd, .td = &f->td,
		.partitions = parts, .n_partitions = n, .hosts = &f->hosts, .token = "tok-en",
		.user = "root", .password = "pw", .job_id = "1-1", .send_epoch = true,
	};
}

static void
pairs_tablets_by_bucket_and_maps_backends(void **state)
{
	struct fixture *f = *state;
	const int64_t be[3] = { 11, 12, 13 };
	const char *parts[] = { "p2" };
	struct req_input in = input(f, parts, 1);
	struct req_built b;
	char err[SRM_ERR_LEN];
	const struct rpc_request *r = &b.req;

	detail_tablets(&f->sd, 302, 400, 7000, 4, be, 3);
	detail_tablets(&f->td, 952, 960, 9100, 4, be, 1);
	assert_int_equal(req_build(&in, &b, err, sizeof(err)), 0);

	assert_int_equal(r->database_id, 900);	/* target ids */
	assert_int_equal(r->table_id, 901);
	assert_string_equal(r->src_token, "tok-en");
	assert_string_equal(r->job_id, "1-1");
	assert_int_equal(r->src_table_data_size, 4096);
	assert_int_equal(r->n_partitions, 1);
	assert_int_equal(r->partitions[0].partition_id, 952);	/* target physical id */
	assert_int_equal(r->partitions[0].src_version, 9);
	assert_int_equal(r->partitions[0].src_version_epoch, 77);
	assert_int_equal(r->partitions[0].src_partition_id, -1);	/* not a lake job */
	assert_int_equal(r->n_indexes, 1);
	assert_int_equal(r->indexes[0].index_id, 960);
	assert_int_equal(r->indexes[0].src_schema_hash, 1234);	/* the source's hash */
	assert_int_equal(r->n_tablets, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(r->tablets[i].tablet_id, 9100 + (int64_t)i);
		assert_int_equal(r->tablets[i].src_tablet_id, 7000 + (int64_t)i);
		assert_int_equal(r->tablets[i].n_backends, 3);
	}
	assert_int_equal(b.replicas, 4);	/* one target replica per tablet */
	assert_int_equal(r->n_backends, 3);
	for (size_t i = 0; i < r->n_backends; i++) {
		const struct rpc_backend *x = &r->backends[i];

		if (str_eq(x->host, "127.0.0.1")) {
			assert_int_equal(x->be_port, 19060);	/* both ports remapped */
			assert_int_equal(x->http_port, 18040);
		} else if (str_eq(x->host, "127.0.0.2")) {
			assert_int_equal(x->be_port, 9060);	/* host mapped, ports kept */
		} else {
			assert_string_equal(x->host, "be-2.source.invalid");	/* no entry: as is */
		}
	}
	req_free(&b);
}

static void
different_bucket_counts_are_refused(void **state)
{
	struct fixture *f = *state;
	const int64_t be[3] = { 11, 12, 13 };
	const char *parts[] = { "p1" };
	struct req_input in = input(f, parts, 1);
	struct req_built b;
	char err[SRM_ERR_LEN];

	detail_tablets(&f->sd, 301, 400, 7000, 4, be, 1);
	detail_tablets(&f->td, 951, 960, 9100, 8, be, 1);
	assert_int_equal(req_build(&in, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "4 tablets on the source, 8 on the target"));
	assert_non_null(strstr(err, "p1"));
}

static void
no_live_replica_is_refused(void **state)
{
	struct fixture *f = *state;
	const int64_t dead[3] = { 99, 99, 99 };	/* not a source backend */
	const char *parts[] = { "p1" };
	struct req_input in = input(f, parts, 1);
	struct req_built b;
	char err[SRM_ERR_LEN];

	detail_tablets(&f->sd, 301, 400, 7000, 2, dead, 1);
	detail_tablets(&f->td, 951, 960, 9100, 2, dead, 1);
	assert_int_equal(req_build(&in, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no replica on a live backend"));
}

static void
index_only_on_target_is_refused(void **state)
{
	struct fixture *f = *state;
	const int64_t be[3] = { 11, 12, 13 };
	const char *parts[] = { "p1" };
	struct req_input in = input(f, parts, 1);
	struct req_built b;
	char err[SRM_ERR_LEN];

	detail_index(&f->td, 961, "rollup1", 1);
	detail_tablets(&f->sd, 301, 400, 7000, 2, be, 1);
	detail_tablets(&f->td, 951, 960, 9100, 2, be, 1);
	detail_tablets(&f->td, 951, 961, 9200, 2, be, 1);
	assert_int_equal(req_build(&in, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "rollup1"));
}

static void
lake_job_carries_no_backend_or_token(void **state)
{
	struct fixture *f = *state;
	const int64_t be[3] = { 11, 12, 13 };
	const char *parts[] = { "p1", "p2" };
	struct req_input in = input(f, parts, 2);
	struct req_built b;
	char err[SRM_ERR_LEN];

	in.lake = true;
	in.lake_volume = "src_builtin_storage_volume";
	in.service_id = "svc-1";
	detail_tablets(&f->sd, 301, 400, 7000, 2, be, 1);
	detail_tablets(&f->sd, 302, 400, 7100, 2, be, 1);
	detail_tablets(&f->td, 951, 960, 9100, 2, be, 1);
	detail_tablets(&f->td, 952, 960, 9200, 2, be, 1);
	assert_int_equal(req_build(&in, &b, err, sizeof(err)), 0);
	assert_true(b.req.lake);
	assert_null(b.req.src_token);
	assert_int_equal(b.req.n_backends, 0);
	assert_int_equal(b.req.src_database_id, 100);
	assert_int_equal(b.req.src_table_id, 200);
	assert_int_equal(b.req.partitions[0].src_partition_id, 301);
	assert_int_equal(b.req.partitions[1].src_partition_id, 302);
	assert_int_equal(b.bytes, 2000);
	req_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pairs_tablets_by_bucket_and_maps_backends, setup, teardown),
		cmocka_unit_test_setup_teardown(different_bucket_counts_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(no_live_replica_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(index_only_on_target_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(lake_job_carries_no_backend_or_token, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
