/* pane_ddl: the DDL queue; drops that wait for the operator are marked. */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

enum { C_ID, C_STATEMENT, C_STATE, C_ATT, C_ERROR, C_N };

static const struct pane_col cols[C_N] = {
	[C_ID] = { "#", 5, false, true, 3 },
	[C_STATEMENT] = { "statement", 20, true, false, 0 },
	[C_STATE] = { "state", 9, false, false, 0 },
	[C_ATT] = { "att", 3, false, true, 4 },
	[C_ERROR] = { "error", 10, true, false, 2 },
};

/* Held first: they wait for the operator. */
static int
state_rank(enum ddl_state s)
{
	static const int rank[] = {
		[DDL_HELD] = 0, [DDL_FAILED] = 1, [DDL_RUNNING] = 2,
		[DDL_QUEUED] = 3, [DDL_DONE] = 4, [DDL_SKIPPED] = 5,
	};
	return (unsigned)s < ARRAY_LEN(rank) ? rank[s] : 6;
}

static enum uic
state_color(enum ddl_state s)
{
	switch (s) {
	case DDL_HELD: return UIC_HELD;
	case DDL_FAILED: return UIC_FAILED;
	case DDL_RUNNING: return UIC_RUNNING;
	case DDL_DONE: return UIC_DONE;
	case DDL_SKIPPED: return UIC_MUTED;
	default: return UIC_NORMAL;
	}
}

static enum uic
cell(const struct ui *ui, const void *row, int col, char *buf, size_t n)
{
	const struct m_ddl *d = row;

	(void)ui;
	switch (col) {
	case C_ID:
		str_fmt(buf, n, "%u", d->id);
		return UIC_NORMAL;
	case C_STATEMENT:
		str_copy(buf, n, d->statement);
		return d->state == DDL_HELD ? UIC_HELD : UIC_NORMAL;
	case C_STATE:
		if (d->state == DDL_HELD && d->drops_data)
			str_copy(buf, n, "held drop");
		else
			str_copy(buf, n, ddl_state_name(d->state));
		return state_color(d->state);
	case C_ATT:
		str_fmt(buf, n, "%u", d->attempts);
		return d->attempts > 1 ? UIC_WARN : UIC_NORMAL;
	case C_ERROR:
		str_copy(buf, n, d->error);
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
	const struct m_ddl *a = pa, *b = pb;

	switch (col) {
	case C_ID: return CMP(a->id, b->id);
	case C_STATEMENT: return strcmp(a->statement, b->statement);
	case C_STATE: return CMP(state_rank(a->state), state_rank(b->state));
	case C_ATT: return CMP(a->attempts, b->attempts);
	case C_ERROR: return strcmp(a->error, b->error);
	default: return 0;
	}
}

static bool
match(const void *row, const char *needle)
{
	const struct m_ddl *d = row;

	return str_icontains(d->statement, needle) || str_icontains(d->target, needle) ||
	       str_icontains(d->error, needle) || str_icontains(ddl_state_name(d->state), needle);
}

static const char *
what(const void *row, char *buf, size_t n)
{
	const struct m_ddl *d = row;

	return str_fmt(buf, n, "DDL %u on %s", d->id, d->target);
}

static void
details(const struct ui *ui, const void *row, int width, struct text *out)
{
	const struct m_ddl *d = row;
	char t[32], age[32];

	text_add(out, UIC_NORMAL, "  target      %s", d->target[0] ? d->target : "-");
	text_add(out, state_color(d->state), "  state       %s", ddl_state_name(d->state));
	if (d->drops_data)
		text_add(out, UIC_HELD, "  drops data  yes: it removes data from the target");
	text_add(out, UIC_NORMAL, "  attempts    %u", d->attempts);
	if (d->queued_ms > 0)
		text_add(out, UIC_NORMAL, "  queued      %s (%s ago)", fmt_time(t, sizeof(t), d->queued_ms),
			 fmt_age(age, sizeof(age), d->queued_ms, ui_now(ui)));
	if (d->done_ms > 0)
		text_add(out, UIC_NORMAL, "  done        %s", fmt_time(t, sizeof(t), d->done_ms));
	text_wrap(out, UIC_NORMAL, width, "  statement   ", d->statement);
	if (d->error[0])
		text_wrap(out, UIC_FAILED, width, "  error       ", d->error);
	if (d->state == DDL_HELD)
		text_add(out, UIC_HELD, "  waits for you: a approves it, x skips it");
}

static void
act(struct ui *ui, enum ui_action a, const void *row)
{
	const struct m_ddl *d = row;
	struct command cmd;

	if (a == ACT_RETRY) {
		ui_message(ui, UIC_WARN, "retry: select a failed job (1) or table (2)");
		return;
	}
	if (d->state != DDL_HELD) {
		ui_message(ui, UIC_WARN, "%s: DDL %u is %s; only a held DDL waits for a decision",
			   ui_actions[a].name, d->id, ddl_state_name(d->state));
		return;
	}
	if (a == ACT_APPROVE) {
		cmd = action_cmd(CMD_APPROVE_DDL, d->id, d->target);
		dialog_confirm(ui, "Approve a drop", &cmd, THEN_NOTHING,
			       "Run this on the target?\n\n%s\n\n%s%s%s", d->statement,
			       d->drops_data ? "It DROPS DATA of " : "It changes ", d->target,
			       d->drops_data ? " on the target: those rows are gone there "
					       "until they are copied again." : ".");
	} else {
		cmd = action_cmd(CMD_SKIP_DDL, d->id, d->target);
		dialog_confirm(ui, "Skip a drop", &cmd, THEN_NOTHING,
			       "Skip this DDL for good?\n\n%s\n\nIt never runs: %s stays as it is "
			       "on the target and does not follow the source.",
			       d->statement, d->target);
	}
}

static void
note(const struct ui *ui, char *buf, size_t n)
{
	if (ui->model.ddl_held > 0)
		str_fmt(buf, n, "%u held", ui->model.ddl_held);
}

const struct pane_ops pane_ddl_ops = {
	.title = "DDL queue",
	.kind = MK_DDL,
	.cols = cols,
	.ncols = C_N,
	.sort_col = C_STATE,
	.tie_col = C_ID,
	.cell = cell,
	.cmp = cmp,
	.match = match,
	.details = details,
	.what = what,
	.act = act,
	.note = note,
};
