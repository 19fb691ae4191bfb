/*
 * result: rows from producers through an optional SELECT plan into a sink.
 */
#include "result.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "select.h"

/* A held row: n cells, NULL cells as NULL pointers, one allocation. */
struct srow {
	int n;
	char *cell[];
};

void
rs_init(struct rs *rs, struct sel_plan *plan, struct rs_sink sink)
{
	memset(rs, 0, sizeof *rs);
	rs->plan = plan;
	rs->sink = sink;
	sb_init(&rs->buf);
}

static void
cols_free(struct rs_col *c, int n)
{
	for (int i = 0; i < n; i++)
		g_free(c[i].name);
	g_free(c);
}

void
rs_free(struct rs *rs)
{
	cols_free(rs->cols, rs->ncols);
	if (rs->ocols != rs->cols)
		cols_free(rs->ocols, rs->nocols);
	g_free(rs->map);
	g_free(rs->off);
	g_free(rs->len);
	g_free(rs->null);
	g_free(rs->need);
	sb_free(&rs->buf);
	if (rs->rows)
		g_ptr_array_free(rs->rows, TRUE);
	if (rs->seen)
		g_hash_table_destroy(rs->seen);
	memset(rs, 0, sizeof *rs);
}

void
rs_error(struct rs *rs, int code, const char *fmt, ...)
{
	va_list ap;

	if (rs->err)
		return;
	rs->err = code;
	va_start(ap, fmt);
	vsnprintf(rs->errmsg, sizeof rs->errmsg, fmt, ap);
	va_end(ap);
}

/* The columns a WHERE reads. */
static void
mark_needed(const struct sel_expr *e, bool *need)
{
	if (!e)
		return;
	if (e->col && e->ci >= 0)
		need[e->ci] = true;
	mark_needed(e->a, need);
	mark_needed(e->b, need);
}

bool
rs_begin(struct rs *rs, const char *const *titles, int n)
{
	if (rs->cols)
		return !rs->err;
	rs->ncols = n;
	rs->cols = g_new0(struct rs_col, n > 0 ? n : 1);
	for (int i = 0; i < n; i++) {
		rs->cols[i].name = g_strdup(titles[i]);
		rs->cols[i].type = CT_VARCHAR;
	}
	rs->off = g_new0(size_t, n + 1);
	rs->len = g_new0(size_t, n + 1);
	rs->null = g_new0(bool, n + 1);
	if (rs->plan) {
		char err[256];
		if (!sel_bind(rs->plan, rs->cols, n, &rs->map, &rs->ocols, &rs->nocols, err, sizeof err)) {
			rs_error(rs, 1064, "%s", err);
			return false;
		}
		rs->need = g_new0(bool, n + 1);
		for (int i = 0; i < rs->nocols; i++)
			if (rs->map[i] >= 0)
				rs->need[rs->map[i]] = true;
		mark_needed(rs->plan->where, rs->need);
		if (rs->plan->count_ci >= 0)
			rs->need[rs->plan->count_ci] = true;
		for (int i = 0; i < rs->plan->norder; i++)
			if (rs->plan->order[i].ci >= 0)
				rs->need[rs->plan->order[i].ci] = true;
		if (rs->plan->norder)
			rs->rows = g_ptr_array_new_with_free_func(g_free);
		if (rs->plan->distinct || rs->plan->count_ci >= 0)
			rs->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	} else {
		rs->ocols = rs->cols;
		rs->nocols = n;
	}
	return true;
}

void
rs_type(struct rs *rs, int col, int type)
{
	if (col < 0 || col >= rs->ncols)
		return;
	rs->cols[col].type = type;
	if (rs->ocols != rs->cols)
		for (int i = 0; i < rs->nocols; i++)
			if (rs->map[i] == col)
				rs->ocols[i].type = type;
}

bool
rs_stop(const struct rs *rs)
{
	if (rs->err || rs->dead || rs->done)
		return true;
	/* without ORDER BY or COUNT the LIMIT ends production early */
	return rs->plan && !rs->plan->norder && !rs->plan->has_count && rs->plan->limit >= 0 &&
	       rs->sent >= rs->plan->limit;
}

/* Whether the plan reads the next cell; an unread cell is stored empty, which
 * spares formatting millions of cells nobody reads (COUNT(*), a few columns
 * of be_tablets). */
static bool
skip_next(struct rs *rs)
{
	if (rs->ncur >= rs->ncols || !rs->need || rs->need[rs->ncur])
		return false;
	rs->off[rs->ncur] = rs->buf.len;
	rs->len[rs->ncur] = 0;
	rs->null[rs->ncur] = false;
	sb_putc(&rs->buf, '\0');
	rs->ncur++;
	return true;
}

static void
cell(struct rs *rs, const char *s, size_t n)
{
	if (rs->ncur >= rs->ncols || skip_next(rs))
		return;
	rs->off[rs->ncur] = rs->buf.len;
	rs->len[rs->ncur] = s ? n : 0;
	rs->null[rs->ncur] = s == NULL;
	if (s)
		sb_put(&rs->buf, s, n);
	sb_putc(&rs->buf, '\0');
	rs->ncur++;
}

void
rs_add(struct rs *rs, const char *s)
{
	cell(rs, s, s ? strlen(s) : 0);
}

void
rs_addn(struct rs *rs, const char *s, size_t n)
{
	cell(rs, s, n);
}

void
rs_addf(struct rs *rs, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	if (skip_next(rs))
		return;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof tmp) {
		cell(rs, tmp, (size_t)n);
		return;
	}
	struct sb b;
	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	cell(rs, b.p, b.len);
	sb_free(&b);
}

/* Hand-rolled: bulk answers (be_tablets has millions of numeric cells) spend
 * most of their time here, and vsnprintf is several times slower. */
void
rs_addi(struct rs *rs, int64_t v)
{
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (skip_next(rs))
		return;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	cell(rs, p, (size_t)(e - p));
}

void
rs_add_joined(struct rs *rs, char **names)
{
	struct sb b;

	sb_init(&b);
	sb_put(&b, "", 0);
	for (int i = 0; names && names[i]; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", names[i]);
	rs_add(rs, b.p);
	sb_free(&b);
}

void
rs_addb(struct rs *rs, bool v)
{
	rs_add(rs, v ? "true" : "false");
}

static bool
send_header(struct rs *rs)
{
	if (rs->header_sent)
		return true;
	rs->header_sent = true;
	if (rs->sink.header && !rs->sink.header(rs->sink.ctx, rs->ocols, rs->nocols)) {
		rs->dead = true;
		return false;
	}
	return true;
}

static void
emit(struct rs *rs, const char *const *cells, int n)
{
	size_t lens[n > 0 ? n : 1];

	if (rs->dead)
		return;
	for (int i = 0; i < n; i++)
		lens[i] = cells[i] ? strlen(cells[i]) : 0;
	if (!send_header(rs))
		return;
	if (!rs->sink.row(rs->sink.ctx, cells, lens, n))
		rs->dead = true;
	rs->sent++;
}

/* A produced row through WHERE, DISTINCT, ORDER BY and LIMIT. */
static void
plan_row(struct rs *rs, const char *const *cells, int n)
{
	struct sel_plan *p = rs->plan;
	const char *ocells[rs->nocols > 0 ? rs->nocols : 1];

	if (p->where && !sel_match(p->where, cells))
		return;
	if (p->has_count) {
		if (p->count_ci < 0) {
			rs->matched++;
		} else if (cells[p->count_ci] && !g_hash_table_contains(rs->seen, cells[p->count_ci])) {
			g_hash_table_add(rs->seen, g_strdup(cells[p->count_ci]));
			rs->matched++;
		}
		return;
	}
	rs->matched++;
	for (int i = 0; i < rs->nocols; i++)
		ocells[i] = cells[rs->map[i]];
	if (rs->seen) {
		struct sb key;
		sb_init(&key);
		for (int i = 0; i < rs->nocols; i++) {
			sb_puts(&key, ocells[i] ? ocells[i] : "\x01NULL");
			sb_putc(&key, '\x02');
		}
		if (g_hash_table_contains(rs->seen, key.p)) {
			sb_free(&key);
			return;
		}
		g_hash_table_add(rs->seen, sb_steal(&key));
	}
	if (rs->rows) {
		/* keep the order-by columns too: store every produced cell */
		size_t sz = sizeof(struct srow) + sizeof(char *) * (size_t)n;
		for (int i = 0; i < n; i++)
			sz += cells[i] ? strlen(cells[i]) + 1 : 0;
		struct srow *r = g_malloc(sz);
		char *data = (char *)&r->cell[n];
		r->n = n;
		for (int i = 0; i < n; i++) {
			if (!cells[i]) {
				r->cell[i] = NULL;
				continue;
			}
			size_t l = strlen(cells[i]) + 1;
			memcpy(data, cells[i], l);
			r->cell[i] = data;
			data += l;
		}
		g_ptr_array_add(rs->rows, r);
		return;
	}
	if (rs->skipped < p->offset) {
		rs->skipped++;
		return;
	}
	if (p->limit >= 0 && rs->sent >= p->limit) {
		rs->done = true;
		return;
	}
	emit(rs, ocells, rs->nocols);
}

void
rs_end_row(struct rs *rs)
{
	int n = rs->ncols;
	const char *cells[n > 0 ? n : 1];

	if (rs->err || rs->dead || rs->done || rs->ncur == 0) {
		rs->ncur = 0;
		sb_reset(&rs->buf);
		return;
	}
	while (rs->ncur < n)
		cell(rs, NULL, 0);
	for (int i = 0; i < n; i++)
		cells[i] = rs->null[i] ? NULL : rs->buf.p + rs->off[i];
	rs->ncur = 0;
	if (!rs->plan) {
		/* the common fast path: straight out */
		if (send_header(rs)) {
			if (!rs->sink.row(rs->sink.ctx, cells, rs->len, n))
				rs->dead = true;
			rs->sent++;
		}
		sb_reset(&rs->buf);
		return;
	}
	plan_row(rs, cells, n);
	sb_reset(&rs->buf);
}

static gint
row_cmp(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const struct srow *a = *(struct srow *const *)pa, *b = *(struct srow *const *)pb;
	const struct sel_plan *sort_plan = data;

	for (int i = 0; i < sort_plan->norder; i++) {
		const struct sel_order *o = &sort_plan->order[i];
		int r = sel_cmp_values(a->cell[o->ci], b->cell[o->ci]);
		if (r)
			return o->desc ? -r : r;
	}
	return 0;
}

void
rs_finish(struct rs *rs)
{
	if (rs->err || rs->dead)
		return;
	if (!rs->cols) {
		/* a producer that never declared columns: an empty result */
		rs_begin(rs, NULL, 0);
	}
	struct sel_plan *p = rs->plan;
	if (p && p->has_count) {
		char num[32];
		const char *cells[rs->nocols > 0 ? rs->nocols : 1];
		snprintf(num, sizeof num, "%lld", (long long)rs->matched);
		for (int i = 0; i < rs->nocols; i++)
			cells[i] = rs->map[i] < 0 ? num : NULL;
		if (p->offset == 0 && p->limit != 0)
			emit(rs, cells, rs->nocols);
	} else if (rs->rows) {
		GPtrArray *rows = rs->rows;
		g_ptr_array_sort_with_data(rows, row_cmp, p);
		for (guint i = (guint)p->offset; i < rows->len && !rs->dead; i++) {
			if (p->limit >= 0 && rs->sent >= p->limit)
				break;
			struct srow *r = g_ptr_array_index(rows, i);
			const char *cells[rs->nocols > 0 ? rs->nocols : 1];
			for (int k = 0; k < rs->nocols; k++)
				cells[k] = r->cell[rs->map[k]];
			emit(rs, cells, rs->nocols);
		}
	}
	send_header(rs);
}

/* --- in-memory tables ----------------------------------------------------------- */

static bool
table_header(void *ctx, const struct rs_col *cols, int n)
{
	struct rs_table *t = ctx;

	t->ncols = n;
	t->cols = g_new0(struct rs_col, n > 0 ? n : 1);
	for (int i = 0; i < n; i++) {
		t->cols[i].name = g_strdup(cols[i].name);
		t->cols[i].type = cols[i].type;
	}
	return true;
}

static bool
table_row(void *ctx, const char *const *cells, const size_t *lens, int n)
{
	struct rs_table *t = ctx;
	char **row = g_new0(char *, n > 0 ? n : 1);

	for (int i = 0; i < n; i++)
		row[i] = cells[i] ? g_strndup(cells[i], lens[i]) : NULL;
	t->rows = g_renew(char **, t->rows, t->nrows + 1);
	t->rows[t->nrows++] = row;
	return true;
}

struct rs_sink
rs_table_sink(struct rs_table *t)
{
	memset(t, 0, sizeof *t);
	return (struct rs_sink){ .header = table_header, .row = table_row, .ctx = t };
}

void
rs_table_free(struct rs_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (int i = 0; i < t->ncols; i++)
			g_free(t->rows[r][i]);
		g_free(t->rows[r]);
	}
	g_free(t->rows);
	cols_free(t->cols, t->ncols);
	memset(t, 0, sizeof *t);
}
