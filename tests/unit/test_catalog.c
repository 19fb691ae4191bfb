/* catalog: partitions grouped and sorted per table, volumes, service ids, refs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "srmigrate/catalog.h"
#include "srmigrate/util.h"

static void
partitions_group_per_table_in_name_order(void **state)
{
	struct catalog *c = catalog_new(SIDE_SOURCE);
	const char *names[] = { "p3", "q1", "p1", "q0", "p2" };
	int owner[] = { 0, 1, 0, 1, 0 };
	size_t n;
	const struct cat_part *p;

	(void)state;
	catalog_add_table(c, "db", "a");
	catalog_add_table(c, "db", "b");
	/* Arrival order mixes the tables, as one bulk query does. */
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		struct cat_part *x = catalog_part_add(c, &c->tables[owner[i]]);

		x->name = catalog_str(c, names[i]);
		x->id = (int64_t)i + 1;
	}
	catalog_parts_done(c);
	p = catalog_parts(c, catalog_table(c, "db", "a"), &n);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].name, "p1");
	assert_string_equal(p[1].name, "p2");
	assert_string_equal(p[2].name, "p3");
	p = catalog_parts(c, catalog_table(c, "db", "b"), &n);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "q0");
	assert_int_equal(catalog_part(c, catalog_table(c, "db", "b"), "q1")->id, 2);
	assert_null(catalog_part(c, catalog_table(c, "db", "b"), "p1"));
	assert_null(catalog_table(c, "db", "c"));
	catalog_unref(c);
}

static void
service_id_from_storage_path(void **state)
{
	char id[128];

	(void)state;
	assert_true(catalog_service_id("s3://bucket/data/6a44c9fd-1c2b-4e1f-9b3a-2f0c8f1e7d21/db10001/10037",
				       10001, 10037, id, sizeof(id)));
	assert_string_equal(id, "6a44c9fd-1c2b-4e1f-9b3a-2f0c8f1e7d21");
	/* A partition path below the table path works too. */
	assert_true(catalog_service_id("s3://b/svc-9/db1/2/3", 1, 2, id, sizeof(id)));
	assert_string_equal(id, "svc-9");
	/* Other ids, no service segment, or db10 vs db1: refused. */
	assert_false(catalog_service_id("s3://b/svc/db1/2", 1, 3, id, sizeof(id)));
	assert_false(catalog_service_id("/db1/2", 1, 2, id, sizeof(id)));
	assert_false(catalog_service_id("s3://b/svc/db1/23", 1, 2, id, sizeof(id)));
	assert_false(catalog_service_id(NULL, 1, 2, id, sizeof(id)));
}

static void
volume_of_a_path_is_the_longest_location(void **state)
{
	struct catalog *c = catalog_new(SIDE_SOURCE);
	struct cat_volume *a = catalog_add_volume(c), *b;

	(void)state;
	a->name = "builtin";
	a->location = "s3://bucket";
	b = catalog_add_volume(c);
	b->name = "hot";
	b->location = "s3://bucket/hot";
	assert_string_equal(catalog_volume_of(c, "s3://bucket/hot/svc/db1/2")->name, "hot");
	assert_string_equal(catalog_volume_of(c, "s3://bucket/cold/svc/db1/2")->name, "builtin");
	/* "s3://bucket2" is not inside "s3://bucket". */
	assert_null(catalog_volume_of(c, "s3://bucket2/svc/db1/2"));
	assert_null(catalog_volume_of(c, NULL));
	catalog_unref(c);
}

static void
configs_and_references(void **state)
{
	struct catalog *c = catalog_new(SIDE_TARGET);

	(void)state;
	catalog_set_config(c, "replication_max_parallel_table_count", "7");
	catalog_set_config(c, "run_mode", "shared_data");
	assert_int_equal(catalog_config_i64(c, "replication_max_parallel_table_count", 100), 7);
	assert_int_equal(catalog_config_i64(c, "run_mode", 100), 100);	/* not a number */
	assert_int_equal(catalog_config_i64(c, "absent", 42), 42);
	catalog_ref(c);
	catalog_unref(c);	/* still one reference: still usable */
	assert_string_equal(catalog_config(c, "run_mode"), "shared_data");
	catalog_unref(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partitions_group_per_table_in_name_order),
		cmocka_unit_test(service_id_from_storage_path),
		cmocka_unit_test(volume_of_a_path_is_the_longest_location),
		cmocka_unit_test(configs_and_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
