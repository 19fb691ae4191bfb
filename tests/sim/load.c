/*
 * load: loads, their transactions, new partitions and lake compaction.
 */
#include "load.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "feconfig.h"
#include "simutil.h"
#include "txn.h"

struct due {
	int side;
	int64_t table_id;
	int64_t next_ms;
	int spec;
};

static GArray *specs;		/* struct load_spec */
static atomic_bool paused[2];	/* per side: scheduled loads held */
static GArray *schedule;	/* struct due */
static int64_t started_ms;

static bool
newest_first(const struct partition *a, const struct partition *b)
{
	/* range partitions: the highest lower bound is the newest data */
	if (a->lower && b->lower && a->lower[0] && b->lower[0]) {
		int64_t x, y;
		if (su_parse_i64(a->lower[0], &x) && su_parse_i64(b->lower[0], &y))
			return x > y;
		return strcmp(a->lower[0], b->lower[0]) > 0;
	}
	return a->id > b->id;
}

static struct partition *
pick_partition(struct table *t)
{
	struct partition *best = NULL;

	for (guint i = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		if (p->temp)
			continue;
		if (t->ptype == PT_LIST) {
			/* list partitions take turns */
			if (!best || (t->load_seq % (int64_t)t->parts->len) == (int64_t)i)
				best = p;
			continue;
		}
		if (!best || newest_first(p, best))
			best = p;
	}
	return best;
}

/* A time moved by n units of an expression's time unit. */
static GDateTime *
unit_add(GDateTime *d, const char *unit, int n)
{
	if (su_ieq(unit, "hour"))
		return g_date_time_add_hours(d, n);
	if (su_ieq(unit, "month"))
		return g_date_time_add_months(d, n);
	if (su_ieq(unit, "year"))
		return g_date_time_add_years(d, n);
	if (su_ieq(unit, "week"))
		return g_date_time_add_weeks(d, n);
	return g_date_time_add_days(d, n);
}

/* The start of the unit a time falls in (date_trunc). */
static GDateTime *
unit_floor(GDateTime *d, const char *unit)
{
	int y = g_date_time_get_year(d), m = g_date_time_get_month(d), dd = g_date_time_get_day_of_month(d);

	if (su_ieq(unit, "hour"))
		return g_date_time_new_utc(y, m, dd, g_date_time_get_hour(d), 0, 0);
	if (su_ieq(unit, "month"))
		return g_date_time_new_utc(y, m, 1, 0, 0, 0);
	if (su_ieq(unit, "year"))
		return g_date_time_new_utc(y, 1, 1, 0, 0, 0);
	return g_date_time_new_utc(y, m, dd, 0, 0, 0);
}

struct partition *
load_new_partition(struct cluster *c, struct table *t)
{
	struct partition *last = pick_partition(t);
	struct partition *p = g_new0(struct partition, 1);

	if (t->ptype == PT_LIST) {
		/* automatic list: one value per column, named p<v1>_<v2> as the FE names them */
		int nc = (int)g_strv_length(t->part_cols);
		struct sb nm;
		p->nlists = 1;
		p->lists = g_new0(char **, 1);
		p->lists[0] = g_new0(char *, (size_t)nc + 1);
		sb_init(&nm);
		sb_putc(&nm, 'p');
		for (int i = 0; i < nc; i++) {
			p->lists[0][i] = g_strdup_printf("v%lld", (long long)t->load_seq);
			sb_printf(&nm, "%s%s", i ? "_" : "", p->lists[0][i]);
		}
		p->name = sb_steal(&nm);
	} else {
		/* the unit after the newest partition, or the current one: date_trunc /
		 * time_slice partitions are named by their start, p20240101 for a day,
		 * p202401 for a month, p2024 for a year, p2024010100 for an hour */
		const char *unit = t->part_unit ? t->part_unit : "day";
		int step = t->part_step > 0 ? t->part_step : 1;
		GDateTime *d = NULL;
		int y, m, dd, hh = 0;
		if (last && last->upper && sscanf(last->upper[0], "%d-%d-%d %d", &y, &m, &dd, &hh) >= 3)
			d = g_date_time_new_utc(y, m, dd, hh, 0, 0);
		if (!d) {
			GDateTime *now = g_date_time_new_now_utc();
			d = unit_floor(now, unit);
			g_date_time_unref(now);
		}
		GDateTime *next = unit_add(d, unit, step);
		bool dt = t->part_cols && cat_col_index(t, t->part_cols[0]) >= 0 &&
			  g_str_has_prefix(t->cols[cat_col_index(t, t->part_cols[0])].type, "datetime");
		const char *kf = dt ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d";
		const char *nf = su_ieq(unit, "hour") ? "p%Y%m%d%H" : su_ieq(unit, "month") ? "p%Y%m"
			       : su_ieq(unit, "year") ? "p%Y" : "p%Y%m%d";
		p->lower = g_new0(char *, 2);
		p->upper = g_new0(char *, 2);
		p->lower[0] = g_date_time_format(d, kf);
		p->upper[0] = g_date_time_format(next, kf);
		p->name = g_date_time_format(d, nf);
		g_date_time_unref(d);
		g_date_time_unref(next);
	}
	if (cat_part(t, p->name, false)) {
		cat_part_free(p);
		return NULL;
	}
	cat_part_add(c, t, p);
	return p;
}

void
load_compact(struct cluster *c, struct table *t, struct partition *p)
{
	/* a lake compaction publishes a version of its own that carries no new data;
	 * lake_compaction_max_tasks = 0 turns it off, as the docs ask for a target */
	if (!t->cloud_native || !prof_has_data_version(&c->prof) || cfg_int(c, "lake_compaction_max_tasks", -1) == 0 ||
	    p->data_version % 4 != 0)
		return;
	p->visible_version = p->next_version;
	p->next_version++;
	p->compact_version = p->visible_version;
	p->visible_time = su_wall_ms();
}

bool
load_apply(struct cluster *c, struct table *t, struct partition *p, int64_t rows, int64_t bytes,
	   const char *source_type, char *err, size_t n)
{
	struct db *d = t->db;
	char label[96], coord[128];

	if (t->kind != TK_OLAP || !t->parts->len) {
		snprintf(err, n, "table %s has no partition to load into", t->name);
		return false;
	}
	t->load_seq++;
	if (!p)
		p = pick_partition(t);
	if (!p) {
		snprintf(err, n, "table %s has no partition to load into", t->name);
		return false;
	}
	snprintf(label, sizeof label, "insert_%016llx", (unsigned long long)su_mix((uint64_t)su_wall_ms() ^
				(uint64_t)t->load_seq ^ (uint64_t)p->phys_id));
	snprintf(coord, sizeof coord, "BE: %s", c->nbe ? c->bes[0].host : sim_leader(c)->host);
	struct txn *x = txn_begin(c, d, t->id, label, source_type, coord,
				  cfg_int(c, "replication_transaction_timeout_sec", 3600) * 1000);
	txn_commit(x);
	p->visible_version = p->next_version;
	p->next_version++;
	p->data_version++;
	p->committed_data_version = p->data_version;
	p->visible_time = su_wall_ms();
	p->txn_replication = false;
	p->rows += rows;
	p->size += bytes;
	cat_part_record(p);
	txn_visible(d, x);
	t->update_time = su_wall_ms();
	c->journal_id++;
	load_compact(c, t, p);
	return true;
}

void
load_add_spec(const struct load_spec *s)
{
	if (!specs)
		specs = g_array_new(FALSE, TRUE, sizeof(struct load_spec));
	struct load_spec copy = *s;
	copy.tables = s->tables ? g_strdupv(s->tables) : NULL;
	g_array_append_val(specs, copy);
}

static bool
matches(char **pats, const struct db *d, const struct table *t)
{
	if (!pats)
		return !cat_is_system_db(d->name);
	for (char **p = pats; *p; p++) {
		char *dot = strchr(*p, '.');
		if (!strcmp(*p, "*") && !cat_is_system_db(d->name))
			return true;
		if (dot && (size_t)(dot - *p) == strlen(d->name) && !strncmp(*p, d->name, strlen(d->name)) &&
		    (!strcmp(dot + 1, "*") || !strcmp(dot + 1, t->name)))
			return true;
		if (!dot && !strcmp(*p, d->name))
			return true;
	}
	return false;
}

void
load_start(void)
{
	started_ms = su_now_ms();
	schedule = g_array_new(FALSE, TRUE, sizeof(struct due));
	for (guint si = 0; specs && si < specs->len; si++) {
		struct load_spec *s = &g_array_index(specs, struct load_spec, si);
		struct cluster *c = sim_cluster(s->side);
		for (guint di = 0; di < c->dbs->len; di++) {
			struct db *d = g_ptr_array_index(c->dbs, di);
			for (guint ti = 0; ti < d->tables->len; ti++) {
				struct table *t = g_ptr_array_index(d->tables, ti);
				if (t->kind != TK_OLAP || !matches(s->tables, d, t))
					continue;
				/* a stable choice of the fraction, so reruns load the same tables */
				uint64_t h = su_mix((uint64_t)t->id * 7919 + si);
				if ((double)(h % 10000) / 10000.0 >= s->fraction)
					continue;
				/* spread the first loads over one interval */
				double first = s->start + s->interval * (double)(su_mix(h) % 1000) / 1000.0;
				struct due e = { s->side, t->id, started_ms + sim_real_ms(first), (int)si };
				g_array_append_val(schedule, e);
			}
		}
	}
}

void
load_free(void)
{
	for (guint i = 0; specs && i < specs->len; i++)
		g_strfreev(g_array_index(specs, struct load_spec, i).tables);
	if (specs)
		g_array_free(specs, TRUE);
	if (schedule)
		g_array_free(schedule, TRUE);
	specs = schedule = NULL;
}

void
load_pause(int side, bool on)
{
	atomic_store(&paused[side], on);
}

void
load_tick(int64_t now_ms)
{
	char err[256];

	for (guint i = 0; schedule && i < schedule->len; i++) {
		struct due *e = &g_array_index(schedule, struct due, i);
		/* a held load stays due and runs as soon as loads resume */
		if (e->next_ms > now_ms || atomic_load(&paused[e->side]))
			continue;
		struct load_spec *s = &g_array_index(specs, struct load_spec, e->spec);
		if (s->stop > 0 && now_ms - started_ms > sim_real_ms(s->stop)) {
			e->next_ms = INT64_MAX;
			continue;
		}
		struct cluster *c = sim_cluster(e->side);
		struct table *t = cat_table_by_id(c, e->table_id);
		if (!t) {
			e->next_ms = INT64_MAX;	/* dropped */
			continue;
		}
		if (s->new_partition_every > 0 && (t->ptype == PT_EXPR_RANGE || t->auto_list) &&
		    t->load_seq % s->new_partition_every == s->new_partition_every - 1)
			load_new_partition(c, t);
		load_apply(c, t, NULL, s->rows, s->bytes, "BACKEND_STREAMING", err, sizeof err);
		/* +-20% so the tables do not load in lockstep */
		double jitter = 0.8 + 0.4 * (double)(su_mix((uint64_t)now_ms ^ (uint64_t)t->id) % 1000) / 1000.0;
		e->next_ms = now_ms + sim_real_ms(s->interval * jitter);
	}
}
