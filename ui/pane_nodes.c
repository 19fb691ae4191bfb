/* pane_nodes: every FE, BE and CN of both clusters, and how this host reaches them. */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

enum { C_SIDE, C_KIND, C_NAME, C_MAPPED, C_REACH, C_ALIVE, C_DISK, C_ERROR, C_N };

static const struct pane_col cols[C_N] = {
	[C_SIDE] = { "side", 6, false, false, 0 },
	[C_KIND] = { "kind", 4, false, false, 0 },
	[C_NAME] = { "name", 14, true, false, 0 },
	[C_MAPPED] = { "mapped to", 14, true, false, 2 },
	[C_REACH] = { "reach", 5, false, false, 0 },
	[C_ALIVE] = { "alive", 5, false, false, 3 },
	[C_DISK] = { "disk", 5, false, true, 1 },
	[C_ERROR] = { "error", 8, true, false, 4 },
};

#define DISK_WARN_PCT 90.0

static const char *
reach_text(int8_t r)
{
	return r > 0 ? "yes" : r == 0 ? "NO" : "?";
}

static enum uic
cell(const struct ui *ui, const void *row, int col, char *buf, size_t n)
{
	const struct ev_node *nd = row;

	(void)ui;
	switch (col) {
	case C_SIDE:
		str_copy(buf, n, nd->side == SIDE_SOURCE ? "source" : "target");
		return UIC_NORMAL;
	case C_KIND:
		str_fmt(buf, n, "%s%s", node_kind_name(nd->kind), nd->is_leader ? "*" : "");
		return UIC_NORMAL;
	case C_NAME:
		str_copy(buf, n, nd->name);
		return UIC_NORMAL;
	case C_MAPPED:
		str_copy(buf, n, nd->mapped[0] ? nd->mapped : "-");
		return UIC_NORMAL;
	case C_REACH:
		str_copy(buf, n, reach_text(nd->reachable));
		return nd->reachable == 0 ? UIC_FAILED : nd->reachable > 0 ? UIC_DONE : UIC_MUTED;
	case C_ALIVE:
		str_copy(buf, n, nd->alive ? "yes" : "NO");
		return nd->alive ? UIC_NORMAL : UIC_FAILED;
	case C_DISK:
		if (nd->disk_pct < 0)
			str_copy(buf, n, "?");
		else
			str_fmt(buf, n, "%.0f%%", nd->disk_pct);
		return nd->disk_pct >= DISK_WARN_PCT ? UIC_WARN : UIC_NORMAL;
	case C_ERROR:
		str_copy(buf, n, nd->error);
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
	const struct ev_node *a = pa, *b = pb;
	int r;

	switch (col) {
	case C_SIDE:
		/* Source before target, FEs before BEs before CNs. */
		r = CMP(a->side, b->side);
		return r ? r : CMP(a->kind, b->kind);
	case C_KIND: return CMP(a->kind, b->kind);
	case C_NAME: return strcmp(a->name, b->name);
	case C_MAPPED: return strcmp(a->mapped, b->mapped);
	case C_REACH: return CMP(a->reachable, b->reachable);
	case C_ALIVE: return CMP(a->alive, b->alive);
	case C_DISK: return CMP(a->disk_pct, b->disk_pct);
	case C_ERROR: return strcmp(a->error, b->error);
	default: return 0;
	}
}

static bool
match(const void *row, const char *needle)
{
	const struct ev_node *nd = row;

	return str_icontains(nd->name, needle) || str_icontains(nd->mapped, needle) ||
	       str_icontains(nd->error, needle) || str_icontains(side_name(nd->side), needle) ||
	       str_icontains(node_kind_name(nd->kind), needle);
}

static const char *
what(const void *row, char *buf, size_t n)
{
	const struct ev_node *nd = row;

	return str_fmt(buf, n, "%s %s %s", side_name(nd->side), node_kind_name(nd->kind), nd->name);
}

static void
details(const struct ui *ui, const void *row, int width, struct text *out)
{
	const struct ev_node *nd = row;

	(void)ui;
	text_add(out, UIC_NORMAL, "  name        %s (as the cluster reports it)", nd->name);
	if (nd->is_leader)
		text_add(out, UIC_NORMAL, "  leader      yes");
	text_add(out, UIC_NORMAL, "  id          %u", nd->id);
	text_add(out, UIC_NORMAL, "  ports       %s", nd->ports[0] ? nd->ports : "-");
	text_add(out, UIC_NORMAL, "  mapped to   %s", nd->mapped[0] ? nd->mapped : "- (not mapped)");
	text_add(out, nd->reachable == 0 ? UIC_FAILED : UIC_NORMAL, "  reachable   %s",
		 nd->reachable > 0 ? "yes, from this host" :
		 nd->reachable == 0 ? "NO, not from this host" : "not checked");
	text_add(out, nd->alive ? UIC_NORMAL : UIC_FAILED, "  alive       %s",
		 nd->alive ? "yes, as the cluster reports it" : "NO, as the cluster reports it");
	if (nd->disk_pct < 0)
		text_add(out, UIC_NORMAL, "  disk used   unknown");
	else
		text_add(out, nd->disk_pct >= DISK_WARN_PCT ? UIC_WARN : UIC_NORMAL,
			 "  disk used   %.1f%%", nd->disk_pct);
	if (nd->error[0])
		text_wrap(out, UIC_FAILED, width, "  error       ", nd->error);
}

static void
act(struct ui *ui, enum ui_action a, const void *row)
{
	(void)row;
	ui_message(ui, UIC_WARN, "%s: nothing to do on a node; %s", ui_actions[a].name,
		   a == ACT_RETRY ? "select a failed job (1) or table (2)" :
				    "select a held DDL in the DDL queue (3)");
}

const struct pane_ops pane_nodes_ops = {
	.title = "Nodes",
	.kind = MK_NODES,
	.cols = cols,
	.ncols = C_N,
	.sort_col = C_SIDE,
	.tie_col = C_NAME,
	.cell = cell,
	.cmp = cmp,
	.match = match,
	.details = details,
	.what = what,
	.act = act,
};
