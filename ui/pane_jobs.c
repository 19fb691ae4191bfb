/* pane_jobs: replication jobs, one per table and attempt series. */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

enum { C_TABLE, C_PARTS, C_SIZE, C_STATE, C_ATT, C_AGE, C_ERROR, C_N };

static const struct pane_col cols[C_N] = {
	[C_TABLE] = { "table", 16, true, false, 0 },
	[C_PARTS] = { "parts", 5, false, true, 3 },
	[C_SIZE] = { "size", 8, false, true, 2 },
	[C_STATE] = { "state", 11, false, false, 0 },
	[C_ATT] = { "att", 3, false, true, 4 },
	[C_AGE] = { "age", 6, false, true, 1 },
	[C_ERROR] = { "last error", 10, true, false, 5 },
};

static int
state_rank(enum job_state s)
{
	static const int rank[] = {
		[JOB_FAILED] = 0, [JOB_UNKNOWN] = 1, [JOB_RUNNING] = 2,
		[JOB_SENT] = 3, [JOB_PENDING] = 4, [JOB_FINISHED] = 5,
	};
	return (unsigned)s < ARRAY_LEN(rank) ? rank[s] : 6;
}

static enum uic
state_color(enum job_state s)
{
	switch (s) {
	case JOB_FAILED: return UIC_FAILED;
	case JOB_UNKNOWN: return UIC_WARN;
	case JOB_RUNNING: case JOB_SENT: return UIC_RUNNING;
	case JOB_FINISHED: return UIC_DONE;
	default: return UIC_NORMAL;
	}
}

static enum uic
cell(const struct ui *ui, const void *row, int col, char *buf, size_t n)
{
	const struct m_job *j = row;

	switch (col) {
	case C_TABLE:
		str_copy(buf, n, j->table);
		return j->state == JOB_FAILED ? UIC_FAILED : UIC_NORMAL;
	case C_PARTS:
		str_fmt(buf, n, "%u", j->partitions);
		return UIC_NORMAL;
	case C_SIZE:
		fmt_bytes(buf, n, j->bytes);
		return UIC_NORMAL;
	case C_STATE:
		if (j->state == JOB_RUNNING && j->fe_progress[0])
			str_fmt(buf, n, "running %s", j->fe_progress);
		else
			str_copy(buf, n, job_state_name(j->state));
		return state_color(j->state);
	case C_ATT:
		str_fmt(buf, n, "%u", j->attempts);
		return j->attempts > 1 ? UIC_WARN : UIC_NORMAL;
	case C_AGE:
		fmt_age(buf, n, j->created_ms, ui_now(ui));
		return UIC_NORMAL;
	case C_ERROR:
		str_copy(buf, n, j->error);
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
	const struct m_job *a = pa, *b = pb;

	switch (col) {
	case C_TABLE: return strcmp(a->table, b->table);
	case C_PARTS: return CMP(a->partitions, b->partitions);
	case C_SIZE: return CMP(a->bytes, b->bytes);
	case C_STATE: return CMP(state_rank(a->state), state_rank(b->state));
	case C_ATT: return CMP(a->attempts, b->attempts);
	/* Oldest first: the longer a job lives, the more it is worth a look. */
	case C_AGE: return CMP(a->created_ms, b->created_ms);
	case C_ERROR: return strcmp(a->error, b->error);
	default: return 0;
	}
}

static bool
match(const void *row, const char *needle)
{
	const struct m_job *j = row;

	return str_icontains(j->table, needle) || str_icontains(j->error, needle) ||
	       str_icontains(job_state_name(j->state), needle) ||
	       str_icontains(j->job_id, needle) || str_icontains(j->fe_state, needle);
}

static const char *
what(const void *row, char *buf, size_t n)
{
	const struct m_job *j = row;

	return str_fmt(buf, n, "job %u (%s)", j->id, j->table);
}

static void
time_line(const struct ui *ui, struct text *out, const char *label, int64_t ms)
{
	char t[32], age[32];

	if (ms <= 0) {
		text_add(out, UIC_NORMAL, "  %-10s  -", label);
		return;
	}
	text_add(out, UIC_NORMAL, "  %-10s  %s (%s ago)", label, fmt_time(t, sizeof(t), ms),
		 fmt_age(age, sizeof(age), ms, ui_now(ui)));
}

static void
details(const struct ui *ui, const void *row, int width, struct text *out)
{
	const struct m_job *j = row;
	char a[64], b[64];

	text_add(out, UIC_NORMAL, "  table       %s (id %u)", j->table, j->table_id);
	text_add(out, state_color(j->state), "  state       %s%s%s%s", job_state_name(j->state),
		 j->fe_state[0] ? " (FE: " : "", j->fe_state, j->fe_state[0] ? ")" : "");
	if (j->fe_progress[0])
		text_add(out, UIC_NORMAL, "  progress    %s", j->fe_progress);
	text_add(out, UIC_NORMAL, "  FE job id   %s", j->job_id[0] ? j->job_id : "-");
	text_add(out, UIC_NORMAL, "  partitions  %u", j->partitions);
	text_add(out, UIC_NORMAL, "  size        %s (%s bytes)", fmt_bytes(a, sizeof(a), j->bytes),
		 fmt_exact(b, sizeof(b), j->bytes));
	text_add(out, UIC_NORMAL, "  attempts    %u", j->attempts);
	time_line(ui, out, "created", j->created_ms);
	time_line(ui, out, "sent", j->sent_ms);
	time_line(ui, out, "ended", j->ended_ms);
	if (j->sent_ms > 0 && j->ended_ms >= j->sent_ms)
		text_add(out, UIC_NORMAL, "  took        %s",
			 fmt_duration(a, sizeof(a), (j->ended_ms - j->sent_ms) / 1000));
	if (j->error[0])
		text_wrap(out, UIC_FAILED, width, "  last error  ", j->error);
}

static void
act(struct ui *ui, enum ui_action a, const void *row)
{
	const struct m_job *j = row;
	struct command cmd;

	if (a != ACT_RETRY) {
		ui_message(ui, UIC_WARN, "%s: select a held DDL in the DDL queue (3)",
			   ui_actions[a].name);
		return;
	}
	if (j->state != JOB_FAILED) {
		ui_message(ui, UIC_WARN, "retry: job %u of %s is %s, not failed", j->id, j->table,
			   job_state_name(j->state));
		return;
	}
	cmd = action_cmd(CMD_RETRY_TABLE, j->table_id, j->table);
	dialog_confirm(ui, "Retry table", &cmd, THEN_NOTHING,
		       "Retry %s now?\n\nJob %u failed after %u attempt%s: %s", j->table, j->id,
		       j->attempts, j->attempts == 1 ? "" : "s",
		       j->error[0] ? j->error : "(no error given)");
}

const struct pane_ops pane_jobs_ops = {
	.title = "Jobs",
	.kind = MK_JOBS,
	.cols = cols,
	.ncols = C_N,
	.sort_col = C_STATE,
	.tie_col = C_AGE,
	.cell = cell,
	.cmp = cmp,
	.match = match,
	.details = details,
	.what = what,
	.act = act,
};
