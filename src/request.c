/* request: catalogs + detail -> rpc_request (see request.h). */
#include "srmigrate/request.h"

#include <stdlib.h>
#include <string.h>

#include "srmigrate/util.h"

struct builder {
	struct rpc_request *r;
	size_t cap_p, cap_i, cap_t, cap_bo, cap_b;
	int64_t *backend_ids;		/* parallel to r->backends: source node id */
};

#define GROW(arr, n, cap)                                                        \
	do {                                                                     \
		if ((n) == (cap)) {                                              \
			(cap) = (cap) ? (cap) * 2 : 16;                          \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));         \
		}                                                                \
	} while (0)

static const struct meta_index *
index_named(const struct meta_detail *d, const char *name)
{
	for (size_t i = 0; i < d->n_indexes; i++)
		if (str_eq(d->indexes[i].name, name))
			return &d->indexes[i];
	return NULL;
}

/* Position of source backend @id in r->backends, added (mapped) if new; -1 if unusable. */
static long
backend(struct builder *b, const struct req_input *in, int64_t id)
{
	struct rpc_request *r = b->r;
	const struct cat_node *n;
	const char *host;
	int be, http;

	for (size_t i = 0; i < r->n_backends; i++)
		if (b->backend_ids[i] == id)
			return (long)i;
	n = catalog_backend(in->src, id);
	if (n == NULL || !n->alive || n->be_port <= 0 || n->http_port <= 0)
		return -1;
	/* Both ports through the map: the target BE connects to each of them. */
	hostmap_resolve(in->hosts, SIDE_SOURCE, n->host, n->be_port, &host, &be);
	hostmap_resolve(in->hosts, SIDE_SOURCE, n->host, n->http_port, &host, &http);
	if (r->n_backends == b->cap_b) {
		b->cap_b = b->cap_b ? b->cap_b * 2 : 8;
		r->backends = xrealloc(r->backends, b->cap_b * sizeof(*r->backends));
		b->backend_ids = xrealloc(b->backend_ids, b->cap_b * sizeof(*b->backend_ids));
	}
	r->backends[r->n_backends] = (struct rpc_backend){ xstrdup(host), be, http };
	b->backend_ids[r->n_backends] = id;
	return (long)r->n_backends++;
}

static int
add_tablets(struct builder *b, const struct req_input *in, const struct meta_part_index *spi,
	    const struct meta_part_index *tpi, const char *pname, const char *iname,
	    struct req_built *out, char *err, size_t errlen)
{
	struct rpc_request *r = b->r;

	if (spi->n_tablets != tpi->n_tablets) {
		str_fmt(err, errlen, "partition %s index %s: %u tablets on the source, %u on the target "
			"(bucket numbers differ)", pname, iname, spi->n_tablets, tpi->n_tablets);
		return -1;
	}
	for (uint32_t k = 0; k < spi->n_tablets; k++) {
		const struct meta_tablet *s = &in->sd->tablets[spi->first_tablet + k];
		const struct meta_tablet *t = &in->td->tablets[tpi->first_tablet + k];
		struct rpc_tablet *rt;

		GROW(r->tablets, r->n_tablets, b->cap_t);
		rt = &r->tablets[r->n_tablets++];
		rt->tablet_id = t->id;
		rt->src_tablet_id = s->id;
		rt->first_backend = (uint32_t)r->n_backend_of;
		rt->n_backends = 0;
		out->replicas += t->n_replicas ? t->n_replicas : 1;
		if (in->lake)
			continue;	/* CNs read the source bucket: no source backend */
		for (uint16_t q = 0; q < s->n_replicas; q++) {
			long pos = backend(b, in, in->sd->replica_backend[s->first_replica + q]);

			if (pos < 0)
				continue;
			GROW(r->backend_of, r->n_backend_of, b->cap_bo);
			r->backend_of[r->n_backend_of++] = (uint32_t)pos;
			rt->n_backends++;
		}
		if (rt->n_backends == 0) {
			str_fmt(err, errlen, "partition %s: source tablet %lld has no replica on a live "
				"backend", pname, (long long)s->id);
			return -1;
		}
	}
	return 0;
}

int
req_build(const struct req_input *in, struct req_built *out, char *err, size_t errlen)
{
	struct builder b = { .r = &out->req };
	struct rpc_request *r = &out->req;

	memset(out, 0, sizeof(*out));
	r->username = in->user;
	r->password = in->password;
	r->database_id = in->tt->db_id;
	r->table_id = in->tt->id;
	r->src_token = in->lake ? NULL : in->token;
	r->src_table_data_size = in->st->bytes > 0 ? in->st->bytes : 0;
	r->job_id = in->job_id;
	r->lake = in->lake;
	r->src_storage_volume_name = in->lake_volume;
	r->src_service_id = in->service_id;
	r->src_database_id = in->st->db_id;
	r->src_table_id = in->st->id;

	for (size_t p = 0; p < in->n_partitions; p++) {
		const char *pname = in->partitions[p];
		const struct cat_part *sp = catalog_part(in->src, in->st, pname);
		const struct cat_part *tp = catalog_part(in->tgt, in->tt, pname);
		struct rpc_partition *rp;

		if (sp == NULL || tp == NULL) {
			str_fmt(err, errlen, "partition %s is missing on the %s", pname,
				sp == NULL ? "source" : "target");
			goto fail;
		}
		GROW(r->partitions, r->n_partitions, b.cap_p);
		rp = &r->partitions[r->n_partitions++];
		rp->partition_id = tp->id;
		rp->src_version = cat_source_version(sp);
		rp->src_version_epoch = in->send_epoch ? sp->version_epoch : -1;
		rp->src_partition_id = in->lake ? sp->id : -1;
		rp->first_index = (uint32_t)r->n_indexes;
		rp->n_indexes = 0;
		out->bytes += sp->bytes > 0 ? sp->bytes : 0;
		for (size_t i = 0; i < in->td->n_indexes; i++) {
			const struct meta_index *ti = &in->td->indexes[i];
			const struct meta_index *si = index_named(in->sd, ti->name);
			const struct meta_part_index *spi, *tpi;
			struct rpc_index *ri;

			if (si == NULL) {
				str_fmt(err, errlen, "index %s is on the target only", ti->name);
				goto fail;
			}
			spi = meta_detail_find(in->sd, sp->id, si->id);
			tpi = meta_detail_find(in->td, tp->id, ti->id);
			if (spi == NULL || tpi == NULL) {
				str_fmt(err, errlen, "partition %s index %s: no tablet list on the %s", pname,
					ti->name, spi == NULL ? "source" : "target");
				goto fail;
			}
			GROW(r->indexes, r->n_indexes, b.cap_i);
			ri = &r->indexes[r->n_indexes++];
			ri->index_id = ti->id;
			ri->src_schema_hash = si->schema_hash;
			ri->first_tablet = (uint32_t)r->n_tablets;
			ri->n_tablets = spi->n_tablets;
			rp->n_indexes++;
			if (add_tablets(&b, in, spi, tpi, pname, ti->name, out, err, errlen) != 0)
				goto fail;
		}
		if (in->sd->n_indexes != in->td->n_indexes) {
			str_fmt(err, errlen, "the source has %zu indexes, the target %zu", in->sd->n_indexes,
				in->td->n_indexes);
			goto fail;
		}
	}
	free(b.backend_ids);
	return 0;
fail:
	free(b.backend_ids);
	req_free(out);
	return -1;
}

void
req_free(struct req_built *b)
{
	struct rpc_request *r = &b->req;

	for (size_t i = 0; i < r->n_backends; i++)
		free((char *)r->backends[i].host);
	free(r->backends);
	free(r->partitions);
	free(r->indexes);
	free(r->tablets);
	free(r->backend_of);
	memset(b, 0, sizeof(*b));
}
