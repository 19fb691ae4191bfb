/*
 * srsim: a simulated StarRocks source and target cluster for srmigrate's
 * tests and demo.
 *
 *   srsim --scenario FILE --dir DIR [--speed FACTOR]
 *
 * Builds both clusters from the scenario, opens every listener on loopback,
 * writes DIR/ports.env, DIR/sync.properties and DIR/hosts.properties, prints
 * one "READY ..." line, and runs until SIGTERM or SIGINT. SIGUSR2 sets the
 * statement counters back to zero and writes them; SIGUSR1 writes
 * DIR/stats.env (also written at exit).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "files.h"
#include "node.h"
#include "scenario.h"
#include "sim.h"
#include "simutil.h"
#include "snapshot.h"
#include "stats.h"
#include "thriftsrv.h"
#include "load.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: srsim --scenario FILE --dir DIR [--speed FACTOR]\n");
}

int
main(int argc, char **argv)
{
	const char *scenario = NULL, *dir = NULL;
	char err[2048] = "";
	sigset_t sigs;
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--scenario") && i + 1 < argc) {
			scenario = argv[++i];
		} else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--speed") && i + 1 < argc) {
			char *end;
			world.speed = strtod(argv[++i], &end);
			if (*end || world.speed <= 0) {
				fprintf(stderr, "srsim: --speed wants a positive number\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!scenario || !dir) {
		usage(stderr);
		return 2;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "srsim: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	snprintf(world.dir, sizeof world.dir, "%s", dir);

	/* every thread inherits the blocked set; only this one waits for the signals */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	struct node_ports fixed[2] = { 0 };
	GPtrArray *sections = scn_read(scenario, err, sizeof err);
	if (!sections || !scn_build(sections, fixed, err, sizeof err)) {
		fprintf(stderr, "srsim: %s\n", err);
		scn_free(sections);
		scn_teardown();
		return 2;
	}
	tsrv_init();
	snap_init();
	if (!node_start_all(fixed, err, sizeof err) || !files_write(dir, sections, err, sizeof err)) {
		fprintf(stderr, "srsim: %s\n", err);
		atomic_store(&world.stopping, true);
		goto out;
	}
	sim_wrlock();
	load_start();
	sim_unlock();
	clock_start();
	char *ready = files_ready_line();
	printf("%s\n", ready);
	fflush(stdout);
	g_free(ready);

	for (;;) {
		int sig;
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGUSR2)
			stats_reset();
		if (sig == SIGUSR1 || sig == SIGUSR2) {
			stats_write(dir);
			continue;
		}
		break;
	}
	rc = 0;
	atomic_store(&world.stopping, true);
	clock_stop();
out:
	node_stop_all();
	snap_shutdown();
	stats_write(dir);
	scn_free(sections);
	scn_teardown();
	return rc;
}
