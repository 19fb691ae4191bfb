/*
 * Secrets and access, end to end: a whole migration against srsim with
 * distinctive passwords, a secret key and a token (the source password
 * encrypted, the target's plain, then from the environment), and every
 * output srmigrate makes grepped for them: its stdout and stderr, every
 * file under LOG_DIR (logs, state, verify reports, metrics), the control
 * socket's status answer, the other commands' output, and /proc/PID/cmdline
 * and /proc/PID/environ while it runs. While it runs it also writes no core
 * file (that it is not dumpable either, in release builds, is checked by
 * make memcheck); its control socket is 0600 and refuses a peer of another
 * uid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e/e2e.h"
#include "srmigrate/secret.h"

#define SPEED 50

/* Every 8 bytes of each is distinctive: no other text can hold them. */
#define SRC_PW "Src;Pw #Zq7v-41d9"
#define TGT_PW "Tgt pw;#Hb5u-90c2"
#define KEY "Key k3y;#Wx82-ee"
#define TOKEN "6f1c9a2e-7d44-4b1a-9e3f-c0ffee5ec2e7"

static const char scenario[] =
	"[source]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = " SRC_PW "\n"
	"token = " TOKEN "\n\n"
	"[target]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = " TGT_PW "\n\n"
	"[generate]\ndatabases = 1\ntables = 3\npartitions = 2\nrows = 500\n";

static char *encrypted;	/* SRC_PW encrypted with KEY, as the official tool writes it */

static const char *
secret_name(size_t i)
{
	static const char *const names[] = { "source password", "target password", "secret key", "token",
					     "encrypted source password" };
	return names[i];
}

static const char *
secret_text(size_t i)
{
	const char *const v[] = { SRC_PW, TGT_PW, KEY, TOKEN, encrypted };

	return v[i];
}

#define N_SECRETS 5

/* Fail when @len bytes of @what hold a secret, or any 8 bytes of one. */
static void
expect_clean(const char *what, const char *text, size_t len)
{
	for (size_t i = 0; i < N_SECRETS; i++) {
		const char *s = secret_text(i);

		for (size_t at = 0; at + 8 <= strlen(s); at++) {
			const char *hit = memmem(text, len, s + at, 8);

			if (hit)
				fail_msg("%s shows the %s ('%.8s' at byte %zu: \"%.60s\")", what, secret_name(i),
					 s + at, (size_t)(hit - text), hit > text + 20 ? hit - 20 : text);
		}
	}
}

/* A whole file (binary-safe); NULL when it cannot be read. */
static char *
read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *buf;
	ssize_t r;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf && (r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	*len = n;
	return buf;
}

static size_t files_scanned;

static int
scan_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	size_t len;
	char *text;

	(void)f;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	text = read_all(path, &len);
	assert_non_null(text);
	expect_clean(path, text, len);
	free(text);
	files_scanned++;
	return 0;
}

/* srmigrate's output (every command's) and every file under LOG_DIR. */
static void
scan_outputs(struct sim *s)
{
	char path[4200];
	size_t len;
	char *out;

	snprintf(path, sizeof(path), "%s/srmigrate.out", s->dir);
	out = read_all(path, &len);
	assert_non_null(out);
	expect_clean("srmigrate's stdout/stderr", out, len);
	free(out);
	files_scanned = 0;
	snprintf(path, sizeof(path), "%s/log", s->dir);
	assert_int_equal(nftw(path, scan_one, 16, FTW_PHYS), 0);
	assert_true(files_scanned >= 2);	/* at least sync.INFO.log and a state file */
}

static void
scan_proc(pid_t pid)
{
	char path[64], what[64];
	const char *const files[] = { "cmdline", "environ" };

	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *text;

		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, files[i]);
		snprintf(what, sizeof(what), "/proc/PID/%s", files[i]);
		text = read_all(path, &len);
		if (text == NULL)
			fail_msg("%s: %s", path, strerror(errno));
		assert_true(len > 0 || i == 1);
		expect_clean(what, text, len);
		free(text);
	}
}

/* No core file while secrets are in memory: RLIMIT_CORE 0, soft and hard. */
static void
expect_no_core(pid_t pid)
{
	char path[64], soft[32] = "", hard[32] = "", *limits, *line;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	limits = read_all(path, &len);
	assert_non_null(limits);
	limits[len - 1] = '\0';
	line = strstr(limits, "Max core file size");
	assert_non_null(line);
	assert_int_equal(sscanf(line + strlen("Max core file size"), "%31s %31s", soft, hard), 2);
	if (strcmp(soft, "0") != 0 || strcmp(hard, "0") != 0)
		fail_msg("core files are on while secrets are held: %.70s", line);
	free(limits);
}

static const char *
binary(void)
{
	const char *b = getenv("SRMIGRATE");

	return b && b[0] ? b : "./build/asan/srmigrate";
}

/* Wait until srmigrate's progress line says every job finished. */
static void
wait_synced(struct sim *s, pid_t pid)
{
	struct e2e_progress p;

	for (int i = 0; i < 480; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			fail_msg("srmigrate exited early:\n%s", e2e_read(s, "srmigrate.out"));
		if (e2e_progress(s, &p) == 0 && p.total > 0 && p.finished == p.total && p.tables_finished == 3)
			return;
		usleep(250 * 1000);
	}
	fail_msg("no full progress within 120 s:\n%s", e2e_read(s, "srmigrate.out"));
}

/* What the harness logs in with: the plain passwords. */
static void
plain_conf(struct sim *s)
{
	e2e_conf(s, "source_cluster_password=" SRC_PW "\nsource_cluster_password_secret_key=\n"
		    "target_cluster_password=" TGT_PW "\n");
}

static void
expect_equal(struct sim *s)
{
	char report[8192];
	int rc;

	plain_conf(s);
	rc = sim_compare(s, NULL, report, sizeof(report));
	if (rc != 0)
		fail_msg("differences:\n%s", report);
}

static void
stop(pid_t pid)
{
	kill(pid, SIGTERM);
	assert_int_equal(e2e_wait(pid, 60), 0);
}

/*
 * The source password encrypted, the target's plain: a run to convergence,
 * looked at while it runs, every other command run too, then everything
 * grepped.
 */
static void
secrets_in_the_file(void **state)
{
	struct sim s;
	char line[512];
	pid_t pid;

	(void)state;
	assert_int_equal(sim_start(&s, scenario, SPEED), 0);
	e2e_fast(&s);
	e2e_prepare(&s);
	snprintf(line, sizeof(line), "source_cluster_password=%s\nsource_cluster_password_secret_key=" KEY "\n",
		 encrypted);
	e2e_conf(&s, line);
	pid = e2e_start(&s, (char *)NULL);
	wait_synced(&s, pid);
	scan_proc(pid);
	expect_no_core(pid);
	/*
	 * PR_SET_DUMPABLE 0 is for release builds only (the sanitizers' leak
	 * checker must ptrace the process, secret.c), and the kernel shows it
	 * only for a process of another uid than root: make memcheck checks it.
	 */
	/* Every command that reads the configuration or talks to the running one. */
	assert_int_equal(e2e_run(&s, 60, "ctl", "status", (char *)NULL), 0);
	assert_int_equal(e2e_run(&s, 60, "status", "--json", (char *)NULL), 0);
	e2e_run(&s, 60, "plan", (char *)NULL);
	e2e_run(&s, 60, "check", (char *)NULL);
	e2e_run(&s, 120, "verify", (char *)NULL);
	stop(pid);
	scan_outputs(&s);
	{
		char *out = e2e_read(&s, "srmigrate.out");

		/* The commands did run: the status answer and a verify report are there. */
		assert_non_null(strstr(out, "\nstate: SYNCING\n"));
		assert_non_null(strstr(out, "report: "));
		free(out);
	}
	expect_equal(&s);
	sim_stop(&s);
}

/* The target password from the environment (the file's is wrong): gone from /proc/PID/environ. */
static void
secret_from_the_environment(void **state)
{
	struct sim s;
	pid_t pid;

	(void)state;
	assert_int_equal(sim_start(&s, scenario, SPEED), 0);
	e2e_fast(&s);
	e2e_prepare(&s);
	e2e_conf(&s, "target_cluster_password=not the password\n");
	setenv("SRMIGRATE_TARGET_PASSWORD", TGT_PW, 1);
	pid = e2e_start(&s, (char *)NULL);
	unsetenv("SRMIGRATE_TARGET_PASSWORD");
	wait_synced(&s, pid);
	scan_proc(pid);
	stop(pid);
	scan_outputs(&s);
	expect_equal(&s);
	sim_stop(&s);
}

/* Refused logins: the FE's errors and ours name no secret. */
static void
wrong_secrets_say_nothing(void **state)
{
	struct sim s;
	char line[512];

	(void)state;
	assert_int_equal(sim_start(&s, scenario, SPEED), 0);
	e2e_fast(&s);
	e2e_conf(&s, "target_cluster_password=" SRC_PW "\njdbc_connect_timeout_ms=1000\n"
		     "cluster_lost_timeout_seconds=10\n");
	assert_true(e2e_run(&s, 60, "--once", (char *)NULL) != 0);
	assert_true(e2e_run(&s, 60, "check", (char *)NULL) != 0);
	snprintf(line, sizeof(line), "source_cluster_password=%s\nsource_cluster_password_secret_key=" TGT_PW "\n",
		 encrypted);
	e2e_conf(&s, line);
	assert_int_equal(e2e_run(&s, 60, "--once", (char *)NULL), 2);
	plain_conf(&s);
	scan_outputs(&s);
	sim_stop(&s);
}

/* The control socket: 0600, ours, and a peer of another uid refused. */
static void
control_socket_access(void **state)
{
	struct sim s;
	struct stat st;
	char sock[4200], log[4200], out[4200], cmd[16384];
	pid_t pid;

	(void)state;
	assert_int_equal(sim_start(&s, scenario, SPEED), 0);
	e2e_fast(&s);
	e2e_prepare(&s);
	pid = e2e_start(&s, (char *)NULL);
	snprintf(sock, sizeof(sock), "%s/log/srmigrate.sock", s.dir);
	for (int i = 0; i < 200 && stat(sock, &st) != 0; i++)
		usleep(100 * 1000);
	assert_int_equal(stat(sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_uid, geteuid());
	assert_int_equal(e2e_run(&s, 30, "ctl", "status", (char *)NULL), 0);
	if (geteuid() != 0) {
		fprintf(stderr, "note: not root, so no peer of another uid can be made: checked the mode "
				"(0600), the owner and that our own uid is answered\n");
		stop(pid);
		sim_stop(&s);
		return;
	}
	/*
	 * nobody, through setpriv. The mode alone keeps it out; opened up to
	 * 0666 (and the directories to 0711), srmigrate itself refuses it.
	 */
	snprintf(log, sizeof(log), "%s/log", s.dir);
	snprintf(out, sizeof(out), "%s/nobody.out", s.dir);
	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups %s -c /nonexistent -l %s "
		 "ctl status >%s 2>&1", binary(), log, out);
	assert_int_equal(chmod(s.dir, 0711), 0);
	assert_int_equal(chmod(log, 0711), 0);
	assert_true(system(cmd) != 0);
	{
		char *text = e2e_read(&s, "nobody.out");

		if (strstr(text, "Permission denied") == NULL)
			fail_msg("a 0600 socket let nobody in: %s", text);
		free(text);
	}
	assert_int_equal(chmod(sock, 0666), 0);
	assert_true(system(cmd) != 0);
	{
		char *text = e2e_read(&s, "nobody.out");

		if (strstr(text, "permission denied: not the owner of this srmigrate") == NULL)
			fail_msg("another uid was not refused by srmigrate: %s", text);
		free(text);
	}
	assert_true(e2e_log_has(&s, "control socket: refused a client of uid 65534"));
	stop(pid);
	sim_stop(&s);
}

static int
group_setup(void **state)
{
	(void)state;
	encrypted = secret_encrypt(SRC_PW, KEY);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	free(encrypted);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secrets_in_the_file),
		cmocka_unit_test(secret_from_the_environment),
		cmocka_unit_test(wrong_secrets_say_nothing),
		cmocka_unit_test(control_socket_access),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
