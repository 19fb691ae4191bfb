/* pane_tables: one row per selected table, source against target. */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

enum { C_NAME, C_STATE, C_SRCV, C_TGTV, C_LAG, C_ROWS, C_REASON, C_N };

static const struct pane_col cols[C_N] = {
	[C_NAME] = { "table", 18, true, false, 0 },
	[C_STATE] = { "state", 10, false, false, 0 },
	[C_SRCV] = { "src v", 7, false, true, 3 },
	[C_TGTV] = { "tgt v", 7, false, true, 3 },
	[C_LAG] = { "lag", 8, false, true, 2 },
	[C_ROWS] = { "rows", 7, false, true, 1 },
	[C_REASON] = { "reason", 10, true, false, 4 },
};

/* Problems first, done last: what the operator must look at comes up. */
static int
state_rank(enum table_state s)
{
	static const int rank[] = {
		[TABLE_FAILED] = 0, [TABLE_BLOCKED] = 1, [TABLE_EXPIRED] = 2,
		[TABLE_SYNCING] = 3, [TABLE_DDL] = 4, [TABLE_UNFINISHED] = 5,
		[TABLE_UNKNOWN] = 6, [TABLE_FINISHED] = 7,
	};
	return (unsigned)s < ARRAY_LEN(rank) ? rank[s] : 8;
}

static enum uic
state_color(enum table_state s)
{
	switch (s) {
	case TABLE_FAILED: case TABLE_BLOCKED: return UIC_FAILED;
	case TABLE_SYNCING: return UIC_RUNNING;
	case TABLE_EXPIRED: return UIC_LAG;
	case TABLE_FINISHED: return UIC_DONE;
	case TABLE_UNKNOWN: return UIC_MUTED;
	default: return UIC_NORMAL;
	}
}

static enum uic
cell(const struct ui *ui, const void *row, int col, char *buf, size_t n)
{
	const struct m_table *t = row;

	(void)ui;
	switch (col) {
	case C_NAME:
		str_copy(buf, n, t->name);
		return state_color(t->state) == UIC_FAILED ? UIC_FAILED : UIC_NORMAL;
	case C_STATE:
		str_copy(buf, n, table_state_name(t->state));
		return state_color(t->state);
	case C_SRCV:
		str_fmt(buf, n, "%lld", (long long)t->src_version);
		return UIC_NORMAL;
	case C_TGTV:
		if (t->tgt_version < 0)
			str_copy(buf, n, "-");
		else
			str_fmt(buf, n, "%lld", (long long)t->tgt_version);
		return t->tgt_version < t->src_version ? UIC_LAG : UIC_NORMAL;
	case C_LAG:
		if (t->lagging == 0)
			str_copy(buf, n, "-");
		else
			fmt_bytes(buf, n, t->lag_bytes);
		return t->lagging ? UIC_LAG : UIC_NORMAL;
	case C_ROWS:
		fmt_count(buf, n, t->src_rows);
		return UIC_NORMAL;
	case C_REASON:
		str_copy(buf, n, t->reason);
		return UIC_FAILED;
	default:
		buf[0] = '\0';
		return UIC_NORMAL;
	}
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

static int
cmp(const void *pa, const void *pb, int col)
{
	const struct m_table *a = pa, *b = pb;

	switch (col) {
	case C_NAME: return strcmp(a->name, b->name);
	case C_STATE: return CMP(state_rank(a->state), state_rank(b->state));
	case C_SRCV: return CMP(a->src_version, b->src_version);
	case C_TGTV: return CMP(a->tgt_version, b->tgt_version);
	case C_LAG: return CMP(a->lagging ? a->lag_bytes : -1, b->lagging ? b->lag_bytes : -1);
	case C_ROWS: return CMP(a->src_rows, b->src_rows);
	case C_REASON: return strcmp(a->reason, b->reason);
	default: return 0;
	}
}

static bool
match(const void *row, const char *needle)
{
	const struct m_table *t = row;

	return str_icontains(t->name, needle) || str_icontains(t->reason, needle) ||
	       str_icontains(table_state_name(t->state), needle);
}

static const char *
what(const void *row, char *buf, size_t n)
{
	return str_fmt(buf, n, "table %s", ((const struct m_table *)row)->name);
}

static void
details(const struct ui *ui, const void *row, int width, struct text *out)
{
	const struct m_table *t = row;
	const struct coll *jobs = &ui->model.c[MK_JOBS];
	char a[64], b[64], c[64];
	int njobs = 0;

	text_add(out, UIC_NORMAL, "  id          %u", t->id);
	text_add(out, state_color(t->state), "  state       %s", table_state_name(t->state));
	if (t->reason[0])
		text_wrap(out, UIC_FAILED, width, "  reason      ", t->reason);
	text_add(out, UIC_NORMAL, "  partitions  %u on the source, %u behind on the target",
		 t->partitions, t->lagging);
	text_add(out, UIC_NORMAL, "  version     source %lld, target %s", (long long)t->src_version,
		 t->tgt_version < 0 ? "- (the table is missing)" :
		 str_fmt(a, sizeof(a), "%lld", (long long)t->tgt_version));
	text_add(out, UIC_NORMAL, "  rows        source %s, target %s",
		 fmt_exact(b, sizeof(b), t->src_rows), fmt_exact(c, sizeof(c), t->tgt_rows));
	text_add(out, UIC_NORMAL, "  size        source %s, target %s",
		 fmt_bytes(b, sizeof(b), t->src_bytes), fmt_bytes(c, sizeof(c), t->tgt_bytes));
	text_add(out, t->lagging ? UIC_LAG : UIC_NORMAL, "  to copy     %s (%s bytes)",
		 fmt_bytes(b, sizeof(b), t->lag_bytes), fmt_exact(c, sizeof(c), t->lag_bytes));
	text_add(out, UIC_NORMAL, "  attempts    %u failed in a row", t->attempts);
	if (t->synced_ms > 0) {
		fmt_time(b, sizeof(b), t->synced_ms);
		text_add(out, UIC_NORMAL, "  in sync     at %s (%s ago)", b,
			 fmt_age(c, sizeof(c), t->synced_ms, ui_now(ui)));
	} else {
		text_add(out, UIC_NORMAL, "  in sync     never yet");
	}
	text_add(out, UIC_NORMAL, "%s", "");
	text_add(out, UIC_TITLE, "Jobs of this table");
	for (uint32_t s = 0; s < jobs->used; s++) {
		const struct m_job *j = coll_slot(jobs, s);

		if (j == NULL || j->table_id != t->id)
			continue;
		njobs++;
		text_add(out, j->state == JOB_FAILED ? UIC_FAILED : UIC_NORMAL,
			 "  job %u  %-8s  partitions %u  %s  attempts %u", j->id,
			 job_state_name(j->state), j->partitions, fmt_bytes(a, sizeof(a), j->bytes),
			 j->attempts);
		if (j->error[0])
			text_wrap(out, UIC_FAILED, width, "    error: ", j->error);
	}
	if (njobs == 0)
		text_add(out, UIC_MUTED, "  none at the moment");
}

static void
act(struct ui *ui, enum ui_action a, const void *row)
{
	const struct m_table *t = row;
	struct command cmd;

	if (a != ACT_RETRY) {
		ui_message(ui, UIC_WARN, "%s: select a held DDL in the DDL queue (3)",
			   ui_actions[a].name);
		return;
	}
	/* The engine retries a failed table, and checks a blocked one again. */
	if (t->state != TABLE_FAILED && t->state != TABLE_BLOCKED) {
		ui_message(ui, UIC_WARN, "retry: %s is %s, neither failed nor blocked", t->name,
			   table_state_name(t->state));
		return;
	}
	cmd = action_cmd(CMD_RETRY_TABLE, t->id, t->name);
	if (t->state == TABLE_BLOCKED)
		dialog_confirm(ui, "Retry table", &cmd, THEN_NOTHING,
			       "Check %s again now?\n\nIt is blocked: %s", t->name,
			       t->reason[0] ? t->reason : "(no reason given)");
	else
		dialog_confirm(ui, "Retry table", &cmd, THEN_NOTHING,
			       "Retry %s now?\n\nIt failed %u time%s in a row: %s", t->name,
			       t->attempts, t->attempts == 1 ? "" : "s",
			       t->reason[0] ? t->reason : "(no reason given)");
}

const struct pane_ops pane_tables_ops = {
	.title = "Tables",
	.kind = MK_TABLES,
	.cols = cols,
	.ncols = C_N,
	.sort_col = C_STATE,
	.tie_col = C_NAME,
	.cell = cell,
	.cmp = cmp,
	.match = match,
	.details = details,
	.what = what,
	.act = act,
};
