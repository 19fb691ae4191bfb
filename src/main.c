/*
 * srmigrate: command line, modes, signals.
 *
 * Exit status: 0 done or clean, 1 checks or verification failed, 2 bad usage
 * or configuration, 3 stopped by a guard (disk), 4 lost a cluster for longer
 * than the retry budget.
 */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srmigrate/config.h"
#include "srmigrate/control.h"
#include "srmigrate/engine.h"
#include "srmigrate/headless.h"
#include "srmigrate/log.h"
#include "srmigrate/report.h"
#include "srmigrate/secret.h"
#include "srmigrate/settings.h"
#include "srmigrate/sql.h"
#include "srmigrate/ui.h"
#include "srmigrate/util.h"

#define EVENT_RING_SLOTS 4096
#define COMMAND_RING_SLOTS 256
#define CONTROL_RING_SLOTS 16

struct cli {
	const char *conf_dir, *log_dir;
	bool no_tui, once, readonly, force, json, count, fix;
	const char *command;
	char **args;		/* after the command */
	int n_args;
};

static const struct {
	const char *name, *summary;
} commands[] = {
	{ "run", "migrate (default): the TUI on a terminal, headless otherwise or with --no-tui" },
	{ "check", "run the pre-flight checklist, print it; exit 0 when nothing blocks, 1 otherwise" },
	{ "plan", "print the DDL and the replication jobs a run would issue now; change nothing" },
	{ "status", "one comparison of source and target per table (--json for scripts)" },
	{ "verify", "compare row counts, partition versions and sizes per table; write a report" },
	{ "encrypt-password", "read a password and a key (no echo); print the value for the file" },
	{ "ctl", "send a command to a running srmigrate: status, pause, resume, retry, approve, skip" },
};

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: srmigrate [-c CONF_DIR] [-l LOG_DIR] [--no-tui] [--once] [--readonly] [COMMAND]\n"
		"\nMigrate a StarRocks cluster into another with cross-cluster replication.\n\n"
		"commands:\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(out, "  %-17s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\noptions:\n"
		"  -c, --conf DIR     configuration directory (default ./conf)\n"
		"  -l, --log DIR      log directory (default ./log)\n"
		"      --no-tui       run headless even on a terminal\n"
		"      --once         stop when every table has been in sync once (one_time_run_mode)\n"
		"      --readonly     watch and report; never write to either cluster\n"
		"      --force        start although a check fails (run); the log says so\n"
		"      --json         status: machine-readable output\n"
		"      --fix          check: apply the fixes srmigrate can make (old values recorded)\n"
		"      --count        verify: exact SELECT COUNT(*) per table on both sides\n"
		"      --help-keys    list every sync.properties key with its default\n"
		"  -V, --version\n  -h, --help\n"
		"\nexit status: 0 done, 1 checks or verification failed, 2 bad usage or configuration,\n"
		"3 stopped by a guard (disk), 4 lost a cluster longer than the retry budget.\n"
		"See srmigrate(1) and srmigrate.conf(5).\n");
}

/* Index of the first word that is not an option (or its argument), or argc. */
static int
command_index(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (str_eq(a, "--"))
			return i + 1 < argc ? i + 1 : argc;
		if (a[0] != '-')
			return i;
		if (str_eq(a, "-c") || str_eq(a, "-l") || str_eq(a, "--conf") || str_eq(a, "--log"))
			i++;	/* skip the option's argument */
	}
	return argc;
}

static int
parse_cli(int argc, char **argv, struct cli *cli)
{
	enum { O_NO_TUI = 256, O_ONCE, O_READONLY, O_FORCE, O_JSON, O_COUNT, O_FIX, O_KEYS };
	static const struct option longopts[] = {
		{ "conf", required_argument, NULL, 'c' }, { "log", required_argument, NULL, 'l' },
		{ "no-tui", no_argument, NULL, O_NO_TUI }, { "once", no_argument, NULL, O_ONCE },
		{ "readonly", no_argument, NULL, O_READONLY }, { "force", no_argument, NULL, O_FORCE },
		{ "json", no_argument, NULL, O_JSON }, { "count", no_argument, NULL, O_COUNT },
		{ "fix", no_argument, NULL, O_FIX }, { "help-keys", no_argument, NULL, O_KEYS },
		{ "version", no_argument, NULL, 'V' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ci = command_index(argc, argv), end = argc, c;

	*cli = (struct cli){ .conf_dir = "conf", .log_dir = "log", .command = "run" };
	/* The words after "ctl" are its command, even when they start with '-'. */
	if (ci < argc && str_eq(argv[ci], "ctl"))
		end = ci + 1;
	while ((c = getopt_long(end, argv, "c:l:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': cli->conf_dir = optarg; break;
		case 'l': cli->log_dir = optarg; break;
		case O_NO_TUI: cli->no_tui = true; break;
		case O_ONCE: cli->once = true; break;
		case O_READONLY: cli->readonly = true; break;
		case O_FORCE: cli->force = true; break;
		case O_JSON: cli->json = true; break;
		case O_COUNT: cli->count = true; break;
		case O_FIX: cli->fix = true; break;
		case O_KEYS:
			cfg_print_keys(stdout);
			exit(0);
		case 'V':
			printf("srmigrate %s\n", SRM_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	/* getopt moved the words to the end of [0, end): the command, then its arguments. */
	if (optind < end)
		cli->command = argv[optind++];
	cli->args = argv + optind;
	cli->n_args = (end == argc ? argc : end) - optind;
	if (end != argc) {
		cli->args = argv + end;
		cli->n_args = argc - end;
	}
	return 0;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		atomic_store(&srm_hup_signal, 1);
	else
		atomic_fetch_add(&srm_stop_signal, 1);
}

static void
install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Load and check the configuration; prints what is wrong. 0, or the exit status. */
static int
load_config(struct srm_config *cfg, const struct cli *cli, bool need_clusters)
{
	char err[SRM_ERR_LEN];

	if (cfg_load(cfg, cli->conf_dir, cli->log_dir, err, sizeof(err)) != 0 ||
	    (need_clusters && cfg_require_clusters(cfg, err, sizeof(err)) != 0)) {
		fprintf(stderr, "srmigrate: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < cfg->n_warnings; i++)
		fprintf(stderr, "srmigrate: warning: %s\n", cfg->warnings[i]);
	if (cli->once)
		cfg->one_time_run_mode = true;
	return 0;
}

static int
cmd_run(const struct cli *cli, struct srm_config *cfg)
{
	struct ring events, cmds, ctl_cmds, ctl_replies;
	struct engine_opts o = { .readonly = cli->readonly, .once = cfg->one_time_run_mode,
				 .force = cli->force };
	const char *script = getenv("SRMIGRATE_SCRIPT");
	struct control *ctl = NULL;
	struct settings settings;
	struct engine *e;
	char err[SRM_ERR_LEN];
	int status;

	o.tui = !cli->no_tui && (script || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)));
	o.confirm_drops = cfg->ddl_job_confirm_drops < 0 ? o.tui : cfg->ddl_job_confirm_drops == 1;
	if (log_open(cfg->log_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "srmigrate: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < cfg->n_warnings; i++)
		log_warn("%s", cfg->warnings[i]);
	if (!o.tui)
		log_echo(stderr, LOG_INFO);
	/* What earlier runs changed on the clusters: never start without knowing it. */
	if (settings_open(&settings, cfg->log_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "srmigrate: %s\n", err);
		log_error("%s", err);
		return 2;
	}
	if (cli->force)
		log_warn("--force: the migration starts even if a check fails");
	if (ring_init(&events, sizeof(struct event), EVENT_RING_SLOTS) != 0 ||
	    ring_init(&cmds, sizeof(struct command), COMMAND_RING_SLOTS) != 0 ||
	    ring_init(&ctl_cmds, sizeof(struct command), CONTROL_RING_SLOTS) != 0 ||
	    ring_init(&ctl_replies, sizeof(struct reply), CONTROL_RING_SLOTS) != 0)
		srm_die("out of memory (rings)");
	e = engine_new(cfg, &settings, &o, &events, &cmds);
	if (cfg->control_socket[0]) {
		ctl = control_start(cfg->control_socket, &ctl_cmds, &ctl_replies, err, sizeof(err));
		if (ctl == NULL) {
			fprintf(stderr, "srmigrate: %s\n", err);
			log_error("%s", err);
			engine_free(e);
			settings_close(&settings);
			return 2;
		}
		engine_attach_control(e, &ctl_cmds, &ctl_replies);
	}
	if (engine_start(e) != 0)
		srm_die("cannot start the engine thread");
	if (o.tui) {
		struct ui_opts uo = {
			.readonly = cli->readonly, .confirm_drops = o.confirm_drops,
			.log_dir = cfg->log_dir, .conf_dir = cfg->conf_dir, .script = script,
			.no_display = getenv("SRMIGRATE_NO_DISPLAY") != NULL,
		};

		status = ui_run(&uo, &events, &cmds);
	} else {
		status = headless_run(&events);
	}
	/* The engine has sent EV_QUIT (or the UI asked it to stop): wait for it. */
	srm_stop_signal = srm_stop_signal ? srm_stop_signal : 1;
	{
		int engine_status = engine_join(e);

		if (status == 0)
			status = engine_status;
	}
	control_stop(ctl);
	engine_free(e);
	settings_close(&settings);
	ring_fini(&events);
	ring_fini(&cmds);
	ring_fini(&ctl_cmds);
	ring_fini(&ctl_replies);
	log_info("exit %d", status);
	log_close();
	return status;
}

static int
cmd_encrypt(void)
{
	char *pw = secret_read_line("password: ");
	char *key = pw ? secret_read_line("secret key: ") : NULL;
	char *value, *back = NULL, err[SRM_ERR_LEN];
	int rc = 0;

	if (pw == NULL || key == NULL) {
		fprintf(stderr, "srmigrate: no password or key given\n");
		secret_free(pw);
		secret_free(key);
		return 2;
	}
	value = secret_encrypt(pw, key);
	/* Prove the value decrypts back before handing it out. */
	if (secret_decrypt(value, key, &back, err, sizeof(err)) != 0 || !str_eq(back, pw)) {
		fprintf(stderr, "srmigrate: the value does not decrypt back: %s\n", err);
		rc = 2;
	} else {
		printf("%s\n", value);
	}
	secret_free(back);
	secret_free(pw);
	secret_free(key);
	free(value);
	return rc;
}

static int
cmd_ctl(const struct cli *cli)
{
	struct srm_config cfg;
	char err[SRM_ERR_LEN], *line;
	size_t len = 0;
	int rc;

	if (cli->n_args == 0) {
		fprintf(stderr, "usage: srmigrate ctl status|pause|resume|retry TABLE|retry all|"
				"approve ID|skip ID|cutover start|next|abort|check|fix KEY|help\n");
		return 2;
	}
	/* The socket path may be set in the configuration; without one, the default. */
	if (access(cli->conf_dir, F_OK) == 0 && cfg_load(&cfg, cli->conf_dir, cli->log_dir, err,
							  sizeof(err)) != 0) {
		fprintf(stderr, "srmigrate: %s\n", err);
		cfg_free(&cfg);
		return 2;
	} else if (access(cli->conf_dir, F_OK) != 0) {
		cfg_defaults(&cfg, cli->conf_dir, cli->log_dir);
	}
	if (cfg.control_socket[0] == '\0') {
		fprintf(stderr, "srmigrate: control_socket is disabled in %s\n", cfg.sync_path);
		cfg_free(&cfg);
		return 2;
	}
	for (int i = 0; i < cli->n_args; i++)
		len += strlen(cli->args[i]) + 1;
	line = xcalloc(len + 1, 1);
	for (int i = 0; i < cli->n_args; i++) {
		strcat(line, cli->args[i]);
		if (i + 1 < cli->n_args)
			strcat(line, " ");
	}
	rc = control_client(cfg.control_socket, line);
	free(line);
	cfg_free(&cfg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct srm_config cfg;
	int rc;

	setlocale(LC_ALL, "");
	/* Numbers in SQL, logs and files are C-formatted whatever the user's locale. */
	setlocale(LC_NUMERIC, "C");
	if (parse_cli(argc, argv, &cli) != 0)
		return 2;
	if (str_eq(cli.command, "encrypt-password"))
		return cmd_encrypt();
	if (str_eq(cli.command, "ctl"))
		return cmd_ctl(&cli);
	if (!str_eq(cli.command, "run") && !str_eq(cli.command, "plan") &&
	    !str_eq(cli.command, "status") && !str_eq(cli.command, "check") &&
	    !str_eq(cli.command, "verify")) {
		for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
			if (str_eq(cli.command, commands[i].name)) {
				fprintf(stderr, "srmigrate: '%s' is not available in this build\n", cli.command);
				return 2;
			}
		}
		fprintf(stderr, "srmigrate: unknown command '%s' (see --help)\n", cli.command);
		return 2;
	}
	if ((rc = load_config(&cfg, &cli, true)) != 0) {
		cfg_free(&cfg);
		return rc;
	}
	secret_protect_process();
	sql_library_init();
	install_signals();
	if (str_eq(cli.command, "plan"))
		rc = report_plan(&cfg, cfg.ddl_job_confirm_drops != 0, stdout);
	else if (str_eq(cli.command, "status"))
		rc = report_status(&cfg, cli.json, stdout);
	else if (str_eq(cli.command, "check"))
		rc = report_check(&cfg, cli.fix, stdout);
	else if (str_eq(cli.command, "verify"))
		rc = report_verify(&cfg, cli.count, stdout);
	else
		rc = cmd_run(&cli, &cfg);
	cfg_free(&cfg);
	sql_library_end();
	return rc;
}
