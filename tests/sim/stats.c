/*
 * stats: statement counters.
 */
#include "stats.h"

#include <glib.h>
#include <pthread.h>
#include <stdio.h>

#define KIND_NAME(x) #x,
static const char *const upper[] = { STMT_KINDS(KIND_NAME) };
#undef KIND_NAME

static char lower[STMT_NKINDS][32];
static atomic_llong resets;
static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

static void
make_lower(void)
{
	for (int i = 0; i < STMT_NKINDS; i++) {
		char *l = g_ascii_strdown(upper[i], -1);
		g_strlcpy(lower[i], l, sizeof lower[i]);
		g_free(l);
	}
}

void
stats_count(struct cluster *c, enum stmt_kind k)
{
	atomic_fetch_add(&c->st.kinds[k], 1);
}

const char *
stats_kind_name(enum stmt_kind k)
{
	pthread_once(&lower_once, make_lower);
	return lower[k];
}

bool
stats_write(const char *dir)
{
	char *path = g_build_filename(dir, "stats.env", NULL);
	char *tmp = g_strconcat(path, ".tmp", NULL);
	FILE *f = fopen(tmp, "w");
	bool ok = false;

	if (!f)
		goto out;
	for (int s = 0; s < 2; s++) {
		struct cluster *c = sim_cluster(s);
		fprintf(f, "%s_STATEMENTS=%lld\n", c->label, (long long)atomic_load(&c->st.statements));
		fprintf(f, "%s_RPCS=%lld\n", c->label, (long long)atomic_load(&c->st.rpcs));
		fprintf(f, "%s_CONNECTIONS=%lld\n", c->label, (long long)atomic_load(&c->st.connections));
		for (int k = 0; k < STMT_NKINDS; k++)
			fprintf(f, "%s_%s=%lld\n", c->label, upper[k], (long long)atomic_load(&c->st.kinds[k]));
	}
	fprintf(f, "STATS_RESETS=%lld\n", (long long)atomic_load(&resets));
	ok = fclose(f) == 0 && rename(tmp, path) == 0;
out:
	g_free(path);
	g_free(tmp);
	return ok;
}

void
stats_reset(void)
{
	for (int s = 0; s < 2; s++) {
		struct stats *st = &sim_cluster(s)->st;
		atomic_store(&st->statements, 0);
		atomic_store(&st->rpcs, 0);
		atomic_store(&st->connections, 0);
		for (int k = 0; k < STMT_NKINDS; k++)
			atomic_store(&st->kinds[k], 0);
	}
	atomic_fetch_add(&resets, 1);
}
