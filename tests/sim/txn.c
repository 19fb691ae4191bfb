/*
 * txn: transactions.
 */
#include "txn.h"

#include <string.h>

#include "result.h"
#include "simutil.h"

#define MAX_SHOW_ENTRIES 2000

const char *
txn_status_name(enum txn_status s)
{
	static const char *const n[] = { "PREPARE", "COMMITTED", "VISIBLE", "ABORTED" };

	return n[s];
}

struct txn *
txn_begin(struct cluster *c, struct db *d, int64_t table_id, const char *label, const char *source_type,
	  const char *coordinator, int64_t timeout_ms)
{
	struct txn *t = g_new0(struct txn, 1);

	t->id = c->next_txn_id++;
	t->db_id = d->id;
	t->table_id = table_id;
	t->label = g_strdup(label);
	t->source_type = source_type;
	t->coordinator = g_strdup(coordinator);
	t->status = TXN_PREPARE;
	t->prepare_time = su_wall_ms();
	t->timeout_ms = timeout_ms;
	t->listener_id = -1;
	t->reason = g_strdup("");
	g_ptr_array_add(d->txn_running, t);
	return t;
}

void
txn_commit(struct txn *t)
{
	t->status = TXN_COMMITTED;
	t->commit_time = su_wall_ms();
}

static void
txn_free(void *p)
{
	struct txn *t = p;

	g_free(t->label);
	g_free(t->coordinator);
	g_free(t->reason);
	g_free(t);
}

void
txn_free_all(struct db *d)
{
	for (guint i = 0; i < d->txn_running->len; i++)
		txn_free(g_ptr_array_index(d->txn_running, i));
	g_ptr_array_free(d->txn_running, TRUE);
	g_queue_free_full(d->txn_finished, txn_free);
	d->txn_running = NULL;
	d->txn_finished = NULL;
}

static void
finish(struct db *d, struct txn *t)
{
	t->finish_time = su_wall_ms();
	g_ptr_array_remove(d->txn_running, t);
	g_queue_push_tail(d->txn_finished, t);
	while (g_queue_get_length(d->txn_finished) > TXN_KEEP)
		txn_free(g_queue_pop_head(d->txn_finished));
}

void
txn_visible(struct db *d, struct txn *t)
{
	if (t->status == TXN_PREPARE)
		txn_commit(t);
	t->status = TXN_VISIBLE;
	t->publish_time = su_wall_ms();
	finish(d, t);
}

void
txn_abort(struct db *d, struct txn *t, const char *reason)
{
	t->status = TXN_ABORTED;
	g_free(t->reason);
	t->reason = g_strdup(reason);
	finish(d, t);
}

struct txn *
txn_find(struct db *d, int64_t id)
{
	for (guint i = 0; i < d->txn_running->len; i++) {
		struct txn *t = g_ptr_array_index(d->txn_running, i);
		if (t->id == id)
			return t;
	}
	for (GList *l = d->txn_finished->tail; l; l = l->prev) {
		struct txn *t = l->data;
		if (t->id == id)
			return t;
	}
	return NULL;
}

bool
txn_label_taken(struct db *d, const char *label)
{
	for (guint i = 0; i < d->txn_running->len; i++)
		if (strcmp(((struct txn *)g_ptr_array_index(d->txn_running, i))->label, label) == 0)
			return true;
	for (GList *l = d->txn_finished->head; l; l = l->next) {
		struct txn *t = l->data;
		if (t->status != TXN_ABORTED && strcmp(t->label, label) == 0)
			return true;
	}
	return false;
}

static void
row(struct txn *t, struct rs *rs)
{
	char tb[32];

	rs_addi(rs, t->id);
	rs_add(rs, t->label);
	rs_add(rs, t->coordinator);
	rs_add(rs, txn_status_name(t->status));
	rs_add(rs, t->source_type);
	rs_add(rs, su_fmt_time(tb, sizeof tb, t->prepare_time));
	rs_add(rs, su_fmt_time(tb, sizeof tb, t->commit_time));
	rs_add(rs, su_fmt_time(tb, sizeof tb, t->publish_time));
	rs_add(rs, su_fmt_time(tb, sizeof tb, t->finish_time));
	rs_add(rs, t->reason);
	rs_addi(rs, 0);
	rs_addi(rs, t->listener_id);
	rs_addi(rs, t->timeout_ms);
	rs_add(rs, "");
	rs_end_row(rs);
}

static gint
by_id_desc(gconstpointer a, gconstpointer b)
{
	int64_t x = (*(struct txn *const *)a)->id, y = (*(struct txn *const *)b)->id;

	return x > y ? -1 : x < y;
}

void
txn_rows(struct db *d, bool running, struct rs *rs)
{
	static const char *const titles[] = { "TransactionId", "Label", "Coordinator", "TransactionStatus",
					      "LoadJobSourceType", "PrepareTime", "CommitTime", "PublishTime",
					      "FinishTime", "Reason", "ErrorReplicasCount", "ListenerId",
					      "TimeoutMs", "ErrMsg" };
	GPtrArray *all = g_ptr_array_new();

	if (!rs_begin(rs, titles, 14))
		goto out;
	if (running) {
		for (guint i = 0; i < d->txn_running->len; i++)
			g_ptr_array_add(all, g_ptr_array_index(d->txn_running, i));
	} else {
		for (GList *l = d->txn_finished->head; l; l = l->next)
			g_ptr_array_add(all, l->data);
	}
	g_ptr_array_sort(all, by_id_desc);
	for (guint i = 0; i < all->len && i < MAX_SHOW_ENTRIES && !rs_stop(rs); i++)
		row(g_ptr_array_index(all, i), rs);
out:
	g_ptr_array_free(all, TRUE);
}
