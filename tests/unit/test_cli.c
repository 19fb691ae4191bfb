/*
 * test_cli: the built binary ($SRMIGRATE, else ./build/asan/srmigrate) run as
 * a DBA runs it: exit codes, what goes to stdout and stderr, and that no
 * password shows. Nothing here needs a cluster: the clusters named are
 * closed ports on 127.0.0.1.
 */
#include "unit.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "srmigrate/control.h"
#include "srmigrate/event.h"
#include "srmigrate/ring.h"
#include "srmigrate/util.h"

struct result {
	int status;	/* exit status, or 128 + signal */
	char *out, *err;
};

static const char *
binary(void)
{
	const char *b = getenv("SRMIGRATE");

	return b && b[0] ? b : "./build/asan/srmigrate";
}

static void
result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* Run the binary with @args (NULL-terminated) and @input on stdin (NULL: /dev/null). */
static struct result
run(const char *input, const char *const *args)
{
	char *dir = ut_tmpdir("cli"), *po = ut_path(dir, "out"), *pe = ut_path(dir, "err");
	const char *argv[32];
	struct result r = { .status = -1 };
	int in[2], n = 0, st;
	pid_t pid;

	argv[n++] = binary();
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(access(argv[0], X_OK), 0);
	assert_int_equal(pipe(in), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600), fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(in[0], STDIN_FILENO);
		dup2(fo, STDOUT_FILENO);
		dup2(fe, STDERR_FILENO);
		close(in[0]);
		close(in[1]);
		unsetenv("SRMIGRATE_SOURCE_PASSWORD");
		unsetenv("SRMIGRATE_TARGET_PASSWORD");
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	if (input)
		assert_int_equal(write(in[1], input, strlen(input)), (ssize_t)strlen(input));
	close(in[1]);
	for (int waited = 0;; waited += 10) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (waited > 60000) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			print_error("%s did not finish within 60 s\n", argv[1] ? argv[1] : argv[0]);
			break;
		}
		sleep_ms(10);
	}
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.out = ut_read(po);
	r.err = ut_read(pe);
	assert_non_null(r.out);
	assert_non_null(r.err);
	free(po);
	free(pe);
	ut_rmtree(dir);
	return r;
}

#define RUN(input, ...) run((input), (const char *const[]){ __VA_ARGS__, NULL })

static void
expect_status(const struct result *r, int want)
{
	if (r->status != want)
		print_error("exit %d, want %d\nstdout:\n%s\nstderr:\n%s\n", r->status, want, r->out, r->err);
	assert_int_equal(r->status, want);
}

/* A configuration directory with sync.properties holding @text (mode 0600). */
struct conf {
	char *top, *conf, *log, *sync;
};

static struct conf
conf_new(const char *text)
{
	struct conf c;

	c.top = ut_tmpdir("cliconf");
	c.conf = ut_path(c.top, "conf");
	c.log = ut_path(c.top, "log");
	c.sync = ut_path(c.conf, "sync.properties");
	assert_int_equal(mkdir(c.conf, 0700), 0);
	if (text)
		ut_write(c.sync, text, 0600);
	return c;
}

static void
conf_free(struct conf *c)
{
	free(c->conf);
	free(c->log);
	free(c->sync);
	ut_rmtree(c->top);
}

/* Two closed ports: nothing answers, nothing hangs. */
#define UNREACHABLE                                                                    \
	"source_fe_host=127.0.0.1\nsource_fe_query_port=1\n"                           \
	"target_fe_host=127.0.0.1\ntarget_fe_query_port=2\n"                           \
	"jdbc_connect_timeout_ms=2000\njdbc_socket_timeout_ms=2000\n"

/* --- the tests ----------------------------------------------------------------- */

static void
test_version(void **state)
{
	struct result r;

	(void)state;
	r = RUN(NULL, "--version");
	expect_status(&r, 0);
	assert_string_equal(r.out, "srmigrate " SRM_VERSION "\n");
	assert_string_equal(r.err, "");
	result_free(&r);
	r = RUN(NULL, "-V");
	expect_status(&r, 0);
	assert_string_equal(r.out, "srmigrate " SRM_VERSION "\n");
	result_free(&r);
}

static void
test_help(void **state)
{
	static const char *const cmds[] = { "run", "check", "plan", "status", "verify", "encrypt-password", "ctl" };
	static const char *const opts[] = { "-c, --conf", "-l, --log", "--no-tui", "--once", "--readonly", "--version", "--help" };
	struct result r;
	char line[64];

	(void)state;
	for (int form = 0; form < 2; form++) {
		r = form ? RUN(NULL, "-h") : RUN(NULL, "--help");
		expect_status(&r, 0);
		assert_prefix(r.out, "usage: srmigrate ");
		for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
			snprintf(line, sizeof(line), "\n  %s ", cmds[i]);
			assert_contains(r.out, line);
		}
		for (size_t i = 0; i < ARRAY_LEN(opts); i++)
			assert_contains(r.out, opts[i]);
		assert_contains(r.out, "exit status");
		assert_string_equal(r.err, "");
		result_free(&r);
	}
	r = RUN(NULL, "--help-keys");
	expect_status(&r, 0);
	assert_contains(r.out, "meta_job_interval_seconds");
	assert_contains(r.out, "target_cluster_max_disk_used_percent");
	assert_contains(r.out, "control_socket");
	result_free(&r);
}

static void
test_usage_errors(void **state)
{
	struct result r;

	(void)state;
	r = RUN(NULL, "frobnicate");
	expect_status(&r, 2);
	assert_contains(r.err, "unknown command 'frobnicate'");
	assert_string_equal(r.out, "");
	result_free(&r);

	r = RUN(NULL, "--bogus");
	expect_status(&r, 2);
	assert_contains(r.err, "bogus");
	assert_contains(r.err, "usage: srmigrate");
	assert_string_equal(r.out, "");
	result_free(&r);

	r = RUN(NULL, "-c");
	expect_status(&r, 2);
	result_free(&r);

	r = RUN(NULL, "-q", "check");
	expect_status(&r, 2);
	result_free(&r);
}

/* A bad value: exit 2, "PATH:LINE: key: why" on stderr, for every command that reads the file. */
static void
test_bad_config(void **state)
{
	struct conf c = conf_new("# c\nmeta_job_threads=0\nsource_fe_host=a\ntarget_fe_host=b\n");
	static const char *const cmds[] = { "run", "check", "plan", "status", "verify" };
	char *want;

	(void)state;
	if (asprintf(&want, "%s:2: meta_job_threads: 0 is out of range (1 to 64)", c.sync) < 0)
		abort();
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		struct result r = RUN(NULL, "-c", c.conf, "-l", c.log, "--no-tui", cmds[i]);

		expect_status(&r, 2);
		assert_contains(r.err, want);
		result_free(&r);
	}
	free(want);
	/* Without a command: run. */
	{
		struct result r = RUN(NULL, "--conf", c.conf, "--log", c.log, "--no-tui");

		expect_status(&r, 2);
		assert_contains(r.err, "meta_job_threads");
		result_free(&r);
	}
	conf_free(&c);
}

static void
test_missing_config(void **state)
{
	struct conf c = conf_new(NULL);
	struct result r;

	(void)state;
	r = RUN(NULL, "-c", c.conf, "-l", c.log, "check");
	expect_status(&r, 2);
	assert_contains(r.err, c.sync);
	assert_contains(r.err, "no such file");
	result_free(&r);
	/* No clusters named: said so, exit 2. */
	ut_write(c.sync, "# nothing yet\n", 0600);
	r = RUN(NULL, "-c", c.conf, "-l", c.log, "plan");
	expect_status(&r, 2);
	assert_contains(r.err, "source_fe_host: required");
	result_free(&r);
	conf_free(&c);
}

/* Warnings go to stderr with file and line; a secret never shows anywhere. */
static void
test_warnings_and_secrets(void **state)
{
	struct conf c = conf_new(UNREACHABLE "source_cluster_password=Sup3r-Secret!\n"
					     "target_cluster_password=An0ther-Secret?\n"
					     "source_cluster_token=tok-0123-4567\n"
					     "no_such_key=1\n");
	struct result r;
	char *want;

	(void)state;
	chmod(c.sync, 0644);
	r = RUN(NULL, "-c", c.conf, "-l", c.log, "check");
	expect_status(&r, 1);
	if (asprintf(&want, "warning: %s:10: unknown key 'no_such_key'", c.sync) < 0)
		abort();
	assert_contains(r.err, want);
	free(want);
	assert_contains(r.err, "readable by others");
	assert_not_contains(r.out, "Sup3r-Secret!");
	assert_not_contains(r.err, "Sup3r-Secret!");
	assert_not_contains(r.out, "An0ther-Secret?");
	assert_not_contains(r.err, "An0ther-Secret?");
	assert_not_contains(r.out, "tok-0123-4567");
	assert_not_contains(r.err, "tok-0123-4567");
	result_free(&r);
	conf_free(&c);
}

/* check against clusters that do not answer: the list, FAIL on the logins, exit 1. */
static void
test_check_unreachable(void **state)
{
	struct conf c = conf_new(UNREACHABLE);
	struct result r;

	(void)state;
	r = RUN(NULL, "-c", c.conf, "-l", c.log, "check");
	expect_status(&r, 1);
	assert_contains(r.out, "FAIL  source_login");
	assert_contains(r.out, "FAIL  target_login");
	assert_contains(r.out, "127.0.0.1:1");
	result_free(&r);
	conf_free(&c);
}

/* verify cannot start without the clusters: it says which, and exits 4 (a cluster lost). */
static void
test_verify_unreachable(void **state)
{
	struct conf c = conf_new(UNREACHABLE);
	struct result r;

	(void)state;
	r = RUN(NULL, "-c", c.conf, "-l", c.log, "verify");
	expect_status(&r, 4);
	assert_contains(r.err, "source cluster");
	result_free(&r);
	conf_free(&c);
}

static void
test_encrypt_password(void **state)
{
	struct result r;

	(void)state;
	r = RUN("key\nkey\n", "encrypt-password");
	expect_status(&r, 0);
	assert_string_equal(r.out, "zvW+ckt7mLYyFslae9aByQ==\n");
	/* The prompts go to stderr, so stdout is only the value. */
	assert_contains(r.err, "password: ");
	assert_contains(r.err, "secret key: ");
	result_free(&r);

	r = RUN("kewfewy\r\ndoris342422131ey\r\n", "encrypt-password");
	expect_status(&r, 0);
	assert_string_equal(r.out, "QktOmwQvxSdKd6grtLuYJg==\n");
	result_free(&r);

	/* Nothing, or only a password: exit 2, no value. */
	r = RUN("", "encrypt-password");
	expect_status(&r, 2);
	assert_string_equal(r.out, "");
	assert_contains(r.err, "no password or key given");
	result_free(&r);
	r = RUN("only-a-password\n", "encrypt-password");
	expect_status(&r, 2);
	assert_string_equal(r.out, "");
	result_free(&r);
}

static void
test_ctl_no_server(void **state)
{
	struct conf c = conf_new(NULL);
	char *nodir = ut_path(c.top, "no-conf"), *sock = ut_path(c.log, "srmigrate.sock");
	struct result r;

	(void)state;
	r = RUN(NULL, "-c", nodir, "-l", c.log, "ctl", "status");
	expect_status(&r, 1);
	assert_contains(r.err, "cannot reach a running srmigrate at");
	assert_contains(r.err, sock);
	assert_string_equal(r.out, "");
	result_free(&r);
	r = RUN(NULL, "-c", nodir, "-l", c.log, "ctl");
	expect_status(&r, 2);
	assert_contains(r.err, "usage: srmigrate ctl");
	result_free(&r);
	/* Disabled in the configuration: exit 2, said so. */
	ut_write(c.sync, "control_socket=\n", 0600);
	r = RUN(NULL, "-c", c.conf, "-l", c.log, "ctl", "status");
	expect_status(&r, 2);
	assert_contains(r.err, "control_socket is disabled");
	result_free(&r);
	free(nodir);
	free(sock);
	conf_free(&c);
}

/* ctl against a live socket served here, with a stand-in engine behind it. */
struct engine {
	struct ring cmds, replies;
	atomic_bool stop;
};

static void *
engine_main(void *arg)
{
	struct engine *e = arg;
	struct command c;
	struct reply r;

	while (!atomic_load(&e->stop)) {
		if (!ring_pop(&e->cmds, &c)) {
			sleep_ms(1);
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.request = c.request;
		r.ok = c.type != CMD_SKIP_DDL;
		snprintf(r.text, sizeof(r.text), "%s [%s] %u", r.ok ? "done" : "refused", c.arg, c.id);
		while (!ring_push(&e->replies, &r))
			sleep_ms(1);
	}
	return NULL;
}

static void
test_ctl_live(void **state)
{
	struct conf c = conf_new(NULL);
	char *nodir = ut_path(c.top, "no-conf"), *sock = ut_path(c.log, "srmigrate.sock"), err[SRM_ERR_LEN];
	struct engine e = { .stop = false };
	struct control *ctl;
	struct result r;
	pthread_t t;

	(void)state;
	assert_int_equal(mkdir(c.log, 0700), 0);
	assert_int_equal(ring_init(&e.cmds, sizeof(struct command), 8), 0);
	assert_int_equal(ring_init(&e.replies, sizeof(struct reply), 8), 0);
	assert_int_equal(pthread_create(&t, NULL, engine_main, &e), 0);
	ctl = control_start(sock, &e.cmds, &e.replies, err, sizeof(err));
	assert_non_null(ctl);

	/* The words after ctl are one command line, even ones that look like options. */
	r = RUN(NULL, "-c", nodir, "-l", c.log, "ctl", "retry", "sales.orders");
	expect_status(&r, 0);
	assert_string_equal(r.out, "done [sales.orders] 0\n");
	result_free(&r);
	r = RUN(NULL, "-c", nodir, "-l", c.log, "ctl", "skip", "7");
	expect_status(&r, 1);
	assert_string_equal(r.err, "refused [] 7\n");
	result_free(&r);
	r = RUN(NULL, "-c", nodir, "-l", c.log, "ctl", "approve", "-3");
	expect_status(&r, 1);
	assert_contains(r.err, "approve needs a DDL id");
	result_free(&r);

	control_stop(ctl);
	atomic_store(&e.stop, true);
	pthread_join(t, NULL);
	ring_fini(&e.cmds);
	ring_fini(&e.replies);
	free(nodir);
	free(sock);
	conf_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_missing_config),
		cmocka_unit_test(test_warnings_and_secrets),
		cmocka_unit_test(test_check_unreachable),
		cmocka_unit_test(test_verify_unreachable),
		cmocka_unit_test(test_encrypt_password),
		cmocka_unit_test(test_ctl_no_server),
		cmocka_unit_test(test_ctl_live),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
