/*
 * sim: the world and its lock, node lookups.
 */
#include "sim.h"

#include <string.h>

#include "net.h"
#include "simutil.h"

struct world world = {
	.lock = PTHREAD_RWLOCK_INITIALIZER,
	.speed = 1.0,
};

int64_t
sim_real_ms(double sim_seconds)
{
	double ms = sim_seconds * 1000.0 / (world.speed > 0 ? world.speed : 1.0);

	return ms < 0 ? 0 : (int64_t)ms;
}

void
sim_rdlock(void)
{
	pthread_rwlock_rdlock(&world.lock);
}

void
sim_wrlock(void)
{
	pthread_rwlock_wrlock(&world.lock);
}

void
sim_unlock(void)
{
	pthread_rwlock_unlock(&world.lock);
}

struct node *
sim_leader(struct cluster *c)
{
	int i = atomic_load(&c->leader);

	return &c->fes[i >= 0 && i < c->nfe ? i : 0];
}

static struct node *
find_in(struct node *nodes, int n, const char *host)
{
	for (int i = 0; i < n; i++)
		if (strcmp(nodes[i].host, host) == 0)
			return &nodes[i];
	return NULL;
}

struct node *
sim_node_by_host(const char *host)
{
	for (int s = 0; s < 2; s++) {
		struct cluster *c = &world.cl[s];
		struct node *n = find_in(c->fes, c->nfe, host);
		if (!n)
			n = find_in(c->bes, c->nbe, host);
		if (!n)
			n = find_in(c->cns, c->ncn, host);
		if (n)
			return n;
	}
	return NULL;
}

struct node *
sim_node_by_port(int port, int *which)
{
	for (int s = 0; s < 2; s++) {
		struct cluster *c = &world.cl[s];
		for (int k = 0; k < 2; k++) {
			struct node *nodes = k ? c->cns : c->bes;
			int n = k ? c->ncn : c->nbe;
			for (int i = 0; i < n; i++) {
				if (net_port(nodes[i].be) == port) {
					*which = 0;
					return &nodes[i];
				}
				if (net_port(nodes[i].http) == port) {
					*which = 1;
					return &nodes[i];
				}
			}
		}
	}
	return NULL;
}

bool
sim_wait_stall(struct node *n)
{
	for (;;) {
		if (atomic_load(&world.stopping))
			return false;
		int64_t until = atomic_load(&n->stall_until);
		int64_t now = su_now_ms();
		if (until <= now)
			return true;
		su_sleep_ms(until - now < 100 ? until - now : 100);
	}
}

int
sim_workers(const struct cluster *c)
{
	return c->ncn + c->nbe;
}

struct node *
sim_worker(struct cluster *c, int i)
{
	return i < c->ncn ? &c->cns[i] : &c->bes[i - c->ncn];
}

int
sim_data_nodes(const struct cluster *c)
{
	return c->prof.shared_data ? sim_workers(c) : c->nbe;
}

struct node *
sim_data_node(struct cluster *c, int i)
{
	return c->prof.shared_data ? sim_worker(c, i) : &c->bes[i];
}

struct user *
sim_user(struct cluster *c, const char *name)
{
	for (guint i = 0; c->users && i < c->users->len; i++) {
		struct user *u = g_ptr_array_index(c->users, i);
		if (strcmp(u->name, name) == 0)
			return u;
	}
	return NULL;
}
