/*
 * test_control: the control socket. Command parsing, then a live socket
 * with a small fake engine on the other end of the two rings: answers are
 * the engine's, matched by request number; a bad command never reaches the
 * engine; several clients; the socket file's mode, staleness and ownership.
 */
#include "unit.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "srmigrate/control.h"
#include "srmigrate/event.h"
#include "srmigrate/ring.h"
#include "srmigrate/util.h"

/* --- parsing ------------------------------------------------------------------ */

static void
parse_ok(const char *line, enum cmd_type type, uint32_t id, const char *arg)
{
	struct command c;
	char msg[2048] = "";

	memset(&c, 0x5a, sizeof(c));
	if (!control_parse(line, &c, msg, sizeof(msg)))
		print_error("'%s': %s\n", line, msg);
	assert_true(control_parse(line, &c, msg, sizeof(msg)));
	assert_int_equal(c.type, type);
	assert_int_equal(c.id, id);
	assert_int_equal(c.request, 0);
	assert_string_equal(c.arg, arg);
}

static void
parse_bad(const char *line, const char *why)
{
	struct command c;
	char msg[2048] = "";

	if (control_parse(line, &c, msg, sizeof(msg)))
		print_error("'%.60s' was accepted\n", line);
	assert_false(control_parse(line, &c, msg, sizeof(msg)));
	assert_contains(msg, why);
}

static void
test_parse(void **state)
{
	(void)state;
	parse_ok("status", CMD_STATUS, 0, "");
	parse_ok("  status  ", CMD_STATUS, 0, "");
	parse_ok("pause", CMD_PAUSE, 0, "");
	parse_ok("resume\n", CMD_RESUME, 0, "");
	parse_ok("retry sales.orders", CMD_RETRY_TABLE, 0, "sales.orders");
	parse_ok("retry   sales.orders  ", CMD_RETRY_TABLE, 0, "sales.orders");
	parse_ok("retry all", CMD_RETRY_ALL, 0, "all");
	parse_ok("approve 7", CMD_APPROVE_DDL, 7, "");
	parse_ok("skip 7", CMD_SKIP_DDL, 7, "");
	parse_ok("approve 4294967295", CMD_APPROVE_DDL, 4294967295u, "");
	parse_ok("\tskip\t12", CMD_SKIP_DDL, 12, "");
}

static void
test_parse_bad(void **state)
{
	(void)state;
	parse_bad("", "empty command");
	parse_bad("   \t ", "empty command");
	parse_bad("frobnicate", "unknown command 'frobnicate'");
	parse_bad("stop", "unknown command 'stop'");
	parse_bad("status now", "status takes no argument");
	parse_bad("pause 1", "pause takes no argument");
	parse_bad("resume all", "resume takes no argument");
	parse_bad("retry", "retry needs a table");
	parse_bad("retry   ", "retry needs a table");
	parse_bad("approve", "approve needs a DDL id");
	parse_bad("approve x", "approve needs a DDL id (a number), got 'x'");
	parse_bad("approve 0", "approve needs a DDL id");
	parse_bad("approve -1", "approve needs a DDL id");
	parse_bad("approve 4294967296", "approve needs a DDL id");
	parse_bad("approve 7 8", "approve needs a DDL id");
	parse_bad("skip 7x", "skip needs a DDL id");
	parse_bad("skip", "skip needs a DDL id");
	/* help is not a command for the engine: false, with the help text. */
	parse_bad("help", "retry TABLE");
	parse_bad("help", "approve ID");
}

/* An argument longer than a command can carry is refused, not overflowed or cut. */
static void
test_parse_long(void **state)
{
	char line[1100], msg[2048];
	struct command c;

	(void)state;
	memcpy(line, "retry ", 6);
	memset(line + 6, 'x', sizeof(line) - 7);
	line[sizeof(line) - 1] = '\0';
	assert_false(control_parse(line, &c, msg, sizeof(msg)));
	assert_contains(msg, "too long");
	/* The longest that fits is taken whole. */
	memset(line + 6, 'y', sizeof(c.arg) - 1);
	line[6 + sizeof(c.arg) - 1] = '\0';
	assert_true(control_parse(line, &c, msg, sizeof(msg)));
	assert_int_equal(strlen(c.arg), sizeof(c.arg) - 1);
	/* A very long first word is an unknown command, quoted short. */
	memset(line, 'z', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_false(control_parse(line, &c, msg, sizeof(msg)));
	assert_contains(msg, "unknown command");
	assert_true(strlen(msg) < 100);
}

/* --- a live socket --------------------------------------------------------------- */

struct fake_engine {
	struct ring cmds, replies;
	pthread_t thread;
	atomic_bool stop;
	atomic_int received;
	atomic_bool stale_first;	/* push a reply for another request before the real one */
	char last_arg[EV_NAME_LEN + 64];	/* read by the test after a round trip */
	atomic_int last_type;
};

struct fx {
	char *dir, *path;
	struct fake_engine e;
	struct control *ctl;
	char err[SRM_ERR_LEN];
};

static const char *
type_word(enum cmd_type t)
{
	switch (t) {
	case CMD_STATUS: return "status";
	case CMD_PAUSE: return "pause";
	case CMD_RESUME: return "resume";
	case CMD_RETRY_TABLE: return "retry-table";
	case CMD_RETRY_ALL: return "retry-all";
	case CMD_APPROVE_DDL: return "approve";
	case CMD_SKIP_DDL: return "skip";
	default: return "other";
	}
}

static void *
engine_main(void *arg)
{
	struct fake_engine *e = arg;
	struct command c;
	struct reply r;

	while (!atomic_load(&e->stop)) {
		if (!ring_pop(&e->cmds, &c)) {
			sleep_ms(1);
			continue;
		}
		str_copy(e->last_arg, sizeof(e->last_arg), c.arg);
		atomic_store(&e->last_type, (int)c.type);
		atomic_fetch_add(&e->received, 1);
		if (atomic_exchange(&e->stale_first, false)) {
			memset(&r, 0, sizeof(r));
			r.request = c.request + 1000;
			r.ok = true;
			str_copy(r.text, sizeof(r.text), "a stale answer");
			while (!ring_push(&e->replies, &r))
				sleep_ms(1);
		}
		memset(&r, 0, sizeof(r));
		r.request = c.request;
		if (c.type == CMD_STATUS) {
			r.ok = true;
			str_copy(r.text, sizeof(r.text), "state: SYNCING\njobs: 3 running");
		} else if (c.type == CMD_SKIP_DDL && c.id == 99) {
			r.ok = false;
			str_copy(r.text, sizeof(r.text), "no held DDL 99");
		} else if (c.type == CMD_PAUSE) {
			r.ok = true;	/* an answer without text */
		} else {
			r.ok = true;
			snprintf(r.text, sizeof(r.text), "%s %u %s", type_word(c.type), c.id, c.arg);
		}
		while (!ring_push(&e->replies, &r))
			sleep_ms(1);
	}
	return NULL;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = ut_tmpdir("control");
	f->path = ut_path(f->dir, "srm.sock");
	if (ring_init(&f->e.cmds, sizeof(struct command), 16) != 0 ||
	    ring_init(&f->e.replies, sizeof(struct reply), 16) != 0)
		return -1;
	if (pthread_create(&f->e.thread, NULL, engine_main, &f->e) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	control_stop(f->ctl);
	atomic_store(&f->e.stop, true);
	pthread_join(f->e.thread, NULL);
	ring_fini(&f->e.cmds);
	ring_fini(&f->e.replies);
	free(f->path);
	ut_rmtree(f->dir);
	free(f);
	return 0;
}

static void
start(struct fx *f)
{
	f->ctl = control_start(f->path, &f->e.cmds, &f->e.replies, f->err, sizeof(f->err));
	if (f->ctl == NULL)
		print_error("%s\n", f->err);
	assert_non_null(f->ctl);
}

static int
dial(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	str_copy(sa.sun_path, sizeof(sa.sun_path), path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void
say(int fd, const char *text)
{
	assert_int_equal(send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t)strlen(text));
}

/*
 * Read one answer: "OK" or "ERR", the text, an empty line. Returns it whole
 * (a new string), or what came before EOF or a 5 s silence.
 */
static char *
hear(int fd)
{
	size_t cap = 8192, len = 0;
	char *buf = calloc(1, cap);

	while (len + 1 < cap) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 5000) != 1)
			break;
		/* One byte at a time: never read into the next answer. */
		n = recv(fd, buf + len, 1, 0);
		if (n <= 0)
			break;
		len++;
		/* The text never holds an empty line: the first one ends the answer. */
		if (len >= 2 && buf[len - 1] == '\n' && buf[len - 2] == '\n')
			break;
	}
	buf[len] = '\0';
	return buf;
}

static void
round_trip(int fd, const char *line, const char *want)
{
	char *got;

	say(fd, line);
	got = hear(fd);
	assert_string_equal(got, want);
	free(got);
}

static void
test_round_trips(void **state)
{
	struct fx *f = *state;
	int fd;

	start(f);
	fd = dial(f->path);
	round_trip(fd, "status\n", "OK\nstate: SYNCING\njobs: 3 running\n\n");
	round_trip(fd, "retry sales.orders\n", "OK\nretry-table 0 sales.orders\n\n");
	assert_string_equal(f->e.last_arg, "sales.orders");
	round_trip(fd, "retry all\n", "OK\nretry-all 0 all\n\n");
	round_trip(fd, "approve 7\n", "OK\napprove 7 \n\n");
	round_trip(fd, "skip 8\n", "OK\nskip 8 \n\n");
	round_trip(fd, "resume\n", "OK\nresume 0 \n\n");
	/* The engine's refusal is an ERR with its reason. */
	round_trip(fd, "skip 99\n", "ERR\nno held DDL 99\n\n");
	/* An answer without text. */
	round_trip(fd, "pause\n", "OK\n\n");
	/* CRLF from a hand-typed client. */
	round_trip(fd, "status\r\n", "OK\nstate: SYNCING\njobs: 3 running\n\n");
	assert_int_equal(atomic_load(&f->e.received), 9);
	close(fd);
}

/* A bad command is answered by the socket thread: the engine never sees it. */
static void
test_bad_command_stays_here(void **state)
{
	struct fx *f = *state;
	int fd;

	start(f);
	fd = dial(f->path);
	round_trip(fd, "frobnicate\n", "ERR\nunknown command 'frobnicate' (try help)\n\n");
	round_trip(fd, "approve x\n", "ERR\napprove needs a DDL id (a number), got 'x'\n\n");
	round_trip(fd, "status please\n", "ERR\nstatus takes no argument\n\n");
	/* help is answered OK with the list; a word that starts like it is not help. */
	{
		char *got;

		say(fd, "help\n");
		got = hear(fd);
		assert_prefix(got, "OK\ncommands:\n");
		assert_contains(got, "retry TABLE");
		free(got);
	}
	round_trip(fd, "helpme\n", "ERR\nunknown command 'helpme' (try help)\n\n");
	/* Blank lines are ignored, without an answer. */
	round_trip(fd, "\n  \n\nstatus\n", "OK\nstate: SYNCING\njobs: 3 running\n\n");
	assert_int_equal(atomic_load(&f->e.received), 1);
	close(fd);
}

/* A reply left over for another request is dropped; the client gets its own. */
static void
test_stale_reply_dropped(void **state)
{
	struct fx *f = *state;
	int fd;

	start(f);
	atomic_store(&f->e.stale_first, true);
	fd = dial(f->path);
	round_trip(fd, "approve 3\n", "OK\napprove 3 \n\n");
	round_trip(fd, "approve 4\n", "OK\napprove 4 \n\n");
	close(fd);
}

/* Several lines in one write are answered in order. */
static void
test_pipelined(void **state)
{
	struct fx *f = *state;
	int fd;
	char *a, *b, *c;

	start(f);
	fd = dial(f->path);
	say(fd, "approve 1\nskip 2\nbogus\n");
	a = hear(fd);
	b = hear(fd);
	c = hear(fd);
	assert_string_equal(a, "OK\napprove 1 \n\n");
	assert_string_equal(b, "OK\nskip 2 \n\n");
	assert_string_equal(c, "ERR\nunknown command 'bogus' (try help)\n\n");
	free(a);
	free(b);
	free(c);
	close(fd);
}

static void
test_two_clients(void **state)
{
	struct fx *f = *state;
	int a, b;

	start(f);
	a = dial(f->path);
	b = dial(f->path);
	round_trip(b, "approve 21\n", "OK\napprove 21 \n\n");
	round_trip(a, "skip 11\n", "OK\nskip 11 \n\n");
	/* Both send before either reads. */
	say(a, "approve 12\n");
	say(b, "skip 22\n");
	{
		char *ga = hear(a), *gb = hear(b);

		assert_string_equal(ga, "OK\napprove 12 \n\n");
		assert_string_equal(gb, "OK\nskip 22 \n\n");
		free(ga);
		free(gb);
	}
	/* One leaving does not disturb the other. */
	close(a);
	round_trip(b, "status\n", "OK\nstate: SYNCING\njobs: 3 running\n\n");
	close(b);
}

static void
test_line_too_long(void **state)
{
	struct fx *f = *state;
	char big[3000], *got, probe;
	int fd;

	start(f);
	fd = dial(f->path);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	say(fd, big);
	got = hear(fd);
	assert_string_equal(got, "ERR\nline too long\n\n");
	free(got);
	/* And the connection is closed. */
	{
		struct pollfd p = { .fd = fd, .events = POLLIN };

		assert_int_equal(poll(&p, 1, 5000), 1);
		assert_true(recv(fd, &probe, 1, 0) <= 0);
	}
	close(fd);
	assert_int_equal(atomic_load(&f->e.received), 0);
	/* The server is still there for others. */
	fd = dial(f->path);
	round_trip(fd, "status\n", "OK\nstate: SYNCING\njobs: 3 running\n\n");
	close(fd);
}

static void
test_socket_file(void **state)
{
	struct fx *f = *state;
	struct stat st;
	mode_t old = umask(0);

	start(f);
	umask(old);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	control_stop(f->ctl);
	f->ctl = NULL;
	/* Stopped: the file is gone. */
	assert_int_equal(lstat(f->path, &st), -1);
}

/* A socket file left by a crashed run is replaced. */
static void
test_stale_socket(void **state)
{
	struct fx *f = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), c;

	str_copy(sa.sun_path, sizeof(sa.sun_path), f->path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);	/* the file stays, nobody listens */
	start(f);
	c = dial(f->path);
	round_trip(c, "status\n", "OK\nstate: SYNCING\njobs: 3 running\n\n");
	close(c);
}

static void
test_second_instance(void **state)
{
	struct fx *f = *state;
	struct ring c2, r2;
	struct control *other;
	int fd;

	start(f);
	assert_int_equal(ring_init(&c2, sizeof(struct command), 4), 0);
	assert_int_equal(ring_init(&r2, sizeof(struct reply), 4), 0);
	other = control_start(f->path, &c2, &r2, f->err, sizeof(f->err));
	assert_null(other);
	assert_prefix(f->err, f->path);
	assert_contains(f->err, "another srmigrate is running");
	/* The first one is untouched. */
	fd = dial(f->path);
	round_trip(fd, "status\n", "OK\nstate: SYNCING\njobs: 3 running\n\n");
	close(fd);
	ring_fini(&c2);
	ring_fini(&r2);
}

/* A path that holds something other than a socket is never deleted. */
static void
test_not_a_socket(void **state)
{
	struct fx *f = *state;
	char *text;

	ut_write(f->path, "source_fe_host=fe-a\n", 0600);
	f->ctl = control_start(f->path, &f->e.cmds, &f->e.replies, f->err, sizeof(f->err));
	assert_null(f->ctl);
	assert_prefix(f->err, f->path);
	assert_contains(f->err, "not a socket");
	text = ut_read(f->path);
	assert_string_equal(text, "source_fe_host=fe-a\n");
	free(text);
}

static void
test_path_too_long(void **state)
{
	struct fx *f = *state;
	char path[200];

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_null(control_start(path, &f->e.cmds, &f->e.replies, f->err, sizeof(f->err)));
	assert_contains(f->err, "too long");
}

/* Run control_client with stdout and stderr in files; returns its status. */
static int
client(const char *path, const char *line, char **out, char **err)
{
	char *dir = ut_tmpdir("ctlout"), *po = ut_path(dir, "out"), *pe = ut_path(dir, "err");
	int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600), fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int so, se, rc;

	fflush(stdout);
	fflush(stderr);
	so = dup(STDOUT_FILENO);
	se = dup(STDERR_FILENO);
	dup2(fo, STDOUT_FILENO);
	dup2(fe, STDERR_FILENO);
	rc = control_client(path, line);
	fflush(stdout);
	fflush(stderr);
	dup2(so, STDOUT_FILENO);
	dup2(se, STDERR_FILENO);
	close(so);
	close(se);
	close(fo);
	close(fe);
	*out = ut_read(po);
	*err = ut_read(pe);
	free(po);
	free(pe);
	ut_rmtree(dir);
	return rc;
}

static void
test_client(void **state)
{
	struct fx *f = *state;
	char *out, *err;

	/* Nobody there: status 1, and a message that names the path. */
	assert_int_equal(client(f->path, "status", &out, &err), 1);
	assert_string_equal(out, "");
	assert_contains(err, f->path);
	free(out);
	free(err);

	start(f);
	assert_int_equal(client(f->path, "status", &out, &err), 0);
	assert_string_equal(out, "state: SYNCING\njobs: 3 running\n");
	assert_string_equal(err, "");
	free(out);
	free(err);
	/* ERR: status 1, the text on stderr. */
	assert_int_equal(client(f->path, "skip 99", &out, &err), 1);
	assert_string_equal(out, "");
	assert_string_equal(err, "no held DDL 99\n");
	free(out);
	free(err);
	assert_int_equal(client(f->path, "nonsense", &out, &err), 1);
	assert_contains(err, "unknown command 'nonsense'");
	free(out);
	free(err);
	assert_int_equal(client(f->path, "help", &out, &err), 0);
	assert_contains(out, "approve ID");
	free(out);
	free(err);
	/* A path no socket can have: status 2 (usage). */
	{
		char path[200];

		memset(path, 'p', sizeof(path) - 1);
		path[0] = '/';
		path[sizeof(path) - 1] = '\0';
		assert_int_equal(client(path, "status", &out, &err), 2);
		assert_contains(err, "too long");
		free(out);
		free(err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test_setup_teardown(test_round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_command_stays_here, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_reply_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_instance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client, setup, teardown),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
