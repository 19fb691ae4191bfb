/* control: the control socket server and client (see control.h). */
#include "srmigrate/control.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "srmigrate/log.h"
#include "srmigrate/util.h"

#define MAX_CLIENTS 8
#define LINE_MAX_LEN 1024
#define REPLY_WAIT_MS 10000

struct client {
	int fd;
	char buf[LINE_MAX_LEN];
	size_t len;
};

struct control {
	char *path;
	int listen_fd;
	int wake[2];		/* a byte here ends the thread */
	pthread_t thread;
	struct ring *commands, *replies;
	uint32_t next_request;
	struct client clients[MAX_CLIENTS];
};

static const char help_text[] =
	"commands:\n"
	"  status            the engine state, both clusters, the progress counters\n"
	"  pause             no DDL and no new replication job until resume\n"
	"  resume\n"
	"  retry TABLE       retry a failed or blocked table now (db.table)\n"
	"  retry all         retry every failed or blocked table\n"
	"  approve ID        run a held DDL that drops data\n"
	"  skip ID           refuse a held DDL (its table stays blocked)\n"
	"  cutover start     open the cutover wizard (syncing goes on)\n"
	"  cutover next      confirm the current step when its gate is open\n"
	"  cutover abort     leave the cutover; syncing goes on\n"
	"  check             run the pre-flight checklist again\n"
	"  fix KEY           apply the fix of a checklist item (its old value is recorded)\n"
	"  help";

bool
control_parse(const char *line, struct command *cmd, char *msg, size_t msglen)
{
	char word[32] = "", arg[sizeof(cmd->arg)] = "";
	const char *p = line + strspn(line, " \t\r\n"), *rest;
	size_t wlen = strcspn(p, " \t\r\n"), alen;
	int64_t id;

	memset(cmd, 0, sizeof(*cmd));
	if (wlen == 0) {
		str_copy(msg, msglen, "empty command (try help)");
		return false;
	}
	/* Bounded copies: a line from the socket may be up to LINE_MAX_LEN long. */
	str_fmt(word, sizeof(word), "%.*s", (int)(wlen < sizeof(word) ? wlen : sizeof(word) - 1), p);
	if (wlen >= sizeof(word)) {
		str_fmt(msg, msglen, "unknown command '%.40s' (try help)", word);
		return false;
	}
	rest = p + wlen;
	rest += strspn(rest, " \t\r\n");
	alen = strlen(rest);
	while (alen > 0 && strchr(" \t\r\n", rest[alen - 1]))
		alen--;
	if (alen >= sizeof(arg)) {
		str_fmt(msg, msglen, "%s: argument too long (%zu bytes, at most %zu)", word, alen,
			sizeof(arg) - 1);
		return false;
	}
	memcpy(arg, rest, alen);
	arg[alen] = '\0';
	if (str_eq(word, "help")) {
		str_copy(msg, msglen, help_text);
		return false;
	}
	if (str_eq(word, "status") || str_eq(word, "pause") || str_eq(word, "resume")) {
		if (arg[0]) {
			str_fmt(msg, msglen, "%s takes no argument", word);
			return false;
		}
		cmd->type = str_eq(word, "status") ? CMD_STATUS : str_eq(word, "pause") ? CMD_PAUSE
											   : CMD_RESUME;
		return true;
	}
	if (str_eq(word, "retry")) {
		if (arg[0] == '\0') {
			str_copy(msg, msglen, "retry needs a table (db.table) or 'all'");
			return false;
		}
		cmd->type = str_eq(arg, "all") ? CMD_RETRY_ALL : CMD_RETRY_TABLE;
		str_copy(cmd->arg, sizeof(cmd->arg), arg);
		return true;
	}
	if (str_eq(word, "approve") || str_eq(word, "skip")) {
		if (!parse_i64(arg, 1, UINT32_MAX, &id)) {
			str_fmt(msg, msglen, "%s needs a DDL id (a number), got '%s'", word, arg);
			return false;
		}
		cmd->type = str_eq(word, "approve") ? CMD_APPROVE_DDL : CMD_SKIP_DDL;
		cmd->id = (uint32_t)id;
		return true;
	}
	if (str_eq(word, "cutover")) {
		if (str_eq(arg, "start"))
			cmd->type = CMD_CUTOVER_START;
		else if (str_eq(arg, "next"))
			cmd->type = CMD_CUTOVER_NEXT;
		else if (str_eq(arg, "abort"))
			cmd->type = CMD_CUTOVER_ABORT;
		else {
			str_copy(msg, msglen, "cutover start|next|abort");
			return false;
		}
		return true;
	}
	if (str_eq(word, "check") && arg[0] == '\0') {
		cmd->type = CMD_RECHECK;
		return true;
	}
	if (str_eq(word, "fix")) {
		if (arg[0] == '\0') {
			str_copy(msg, msglen, "fix needs a checklist item key (e.g. legacy_compat)");
			return false;
		}
		cmd->type = CMD_FIX_CHECK;
		str_copy(cmd->arg, sizeof(cmd->arg), arg);
		return true;
	}
	str_fmt(msg, msglen, "unknown command '%.40s' (try help)", word);
	return false;
}

static void
send_answer(int fd, bool ok, const char *text)
{
	char *out = xasprintf("%s\n%s%s\n", ok ? "OK" : "ERR", text, text[0] ? "\n" : "");
	size_t len = strlen(out), off = 0;

	while (off < len) {
		ssize_t n = send(fd, out + off, len - off, MSG_NOSIGNAL);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(out);
}

/* Round trip to the engine; replies for other (timed-out) requests are dropped. */
static void
ask_engine(struct control *c, struct command *cmd, int fd)
{
	struct reply r;
	int64_t until = now_ms() + REPLY_WAIT_MS;

	cmd->request = ++c->next_request;
	if (!ring_push(c->commands, cmd)) {
		send_answer(fd, false, "the engine is busy; try again");
		return;
	}
	while (now_ms() < until) {
		if (ring_pop(c->replies, &r)) {
			if (r.request == cmd->request) {
				send_answer(fd, r.ok, r.text);
				return;
			}
			continue;
		}
		sleep_ms(5);
	}
	send_answer(fd, false, "no answer from the engine within 10 s (it is busy); "
			       "the command is queued");
}

static void
serve_line(struct control *c, struct client *cl, char *line)
{
	struct command cmd;
	char msg[2048];

	str_trim(line);
	if (line[0] == '\0')
		return;
	if (!control_parse(line, &cmd, msg, sizeof(msg))) {
		/* "help" is the one refusal that is an answer ("helpme" is not help). */
		send_answer(cl->fd, str_eq(msg, help_text), msg);
		return;
	}
	log_info("control socket: %s", line);
	ask_engine(c, &cmd, cl->fd);
}

static void
drop_client(struct client *cl)
{
	close(cl->fd);
	cl->fd = -1;
	cl->len = 0;
}

static void
accept_client(struct control *c)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
	    (cred.uid != geteuid() && cred.uid != 0)) {
		send_answer(fd, false, "permission denied: not the owner of this srmigrate");
		log_warn("control socket: refused a client of uid %d", (int)cred.uid);
		close(fd);
		return;
	}
	for (int i = 0; i < MAX_CLIENTS; i++) {
		if (c->clients[i].fd < 0) {
			c->clients[i].fd = fd;
			c->clients[i].len = 0;
			return;
		}
	}
	send_answer(fd, false, "too many clients");
	close(fd);
}

static void
read_client(struct control *c, struct client *cl)
{
	ssize_t n = recv(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - 1 - cl->len, 0);
	char *nl;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			drop_client(cl);
		return;
	}
	cl->len += (size_t)n;
	cl->buf[cl->len] = '\0';
	while ((nl = strchr(cl->buf, '\n')) != NULL) {
		size_t used = (size_t)(nl - cl->buf) + 1;

		*nl = '\0';
		serve_line(c, cl, cl->buf);
		memmove(cl->buf, cl->buf + used, cl->len - used + 1);
		cl->len -= used;
	}
	if (cl->len == sizeof(cl->buf) - 1) {
		send_answer(cl->fd, false, "line too long");
		drop_client(cl);
	}
}

static void *
control_main(void *arg)
{
	struct control *c = arg;

	for (;;) {
		struct pollfd p[MAX_CLIENTS + 2];
		int n = 0, map[MAX_CLIENTS];

		p[n++] = (struct pollfd){ .fd = c->wake[0], .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = c->listen_fd, .events = POLLIN };
		for (int i = 0; i < MAX_CLIENTS; i++) {
			if (c->clients[i].fd >= 0) {
				map[n - 2] = i;
				p[n++] = (struct pollfd){ .fd = c->clients[i].fd, .events = POLLIN };
			}
		}
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			break;
		if (p[1].revents & POLLIN)
			accept_client(c);
		for (int k = 2; k < n; k++)
			if (p[k].revents)
				read_client(c, &c->clients[map[k - 2]]);
	}
	return NULL;
}

static bool
someone_listens(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return false;
	live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return live;
}

struct control *
control_start(const char *path, struct ring *commands, struct ring *replies, char *err,
	      size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control *c;
	struct stat st;
	mode_t old;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		str_fmt(err, errlen, "%s: path too long for a socket", path);
		return NULL;
	}
	str_copy(sa.sun_path, sizeof(sa.sun_path), path);
	if (someone_listens(&sa)) {
		str_fmt(err, errlen, "%s: another srmigrate is running with this control socket", path);
		return NULL;
	}
	/* Only a socket is ours to replace: a mistyped path must not delete a file. */
	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		str_fmt(err, errlen, "%s: exists and is not a socket (check control_socket)", path);
		return NULL;
	}
	unlink(path);	/* a stale socket from a previous run */
	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	c->commands = commands;
	c->replies = replies;
	for (int i = 0; i < MAX_CLIENTS; i++)
		c->clients[i].fd = -1;
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	old = umask(0177);	/* the socket is born 0600 */
	if (c->listen_fd < 0 || bind(c->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(c->listen_fd, 8) != 0) {
		umask(old);
		str_fmt(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	umask(old);
	chmod(path, 0600);
	if (pipe2(c->wake, O_CLOEXEC) != 0 || pthread_create(&c->thread, NULL, control_main, c) != 0) {
		str_fmt(err, errlen, "control socket thread: %s", strerror(errno));
		unlink(path);
		goto fail;
	}
	return c;
fail:
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	free(c->path);
	free(c);
	return NULL;
}

void
control_stop(struct control *c)
{
	if (c == NULL)
		return;
	if (write(c->wake[1], "x", 1) != 1)
		log_warn("control socket: cannot wake its thread");
	pthread_join(c->thread, NULL);
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (c->clients[i].fd >= 0)
			close(c->clients[i].fd);
	close(c->listen_fd);
	close(c->wake[0]);
	close(c->wake[1]);
	unlink(c->path);
	free(c->path);
	free(c);
}

int
control_client(const char *path, const char *line)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	int fd, send_errno = 0;
	ssize_t sent;
	bool ok = false, first = true;
	FILE *in;
	char *text = xasprintf("%s\n", line);

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "srmigrate: %s: path too long for a socket\n", path);
		free(text);
		return 2;
	}
	str_copy(sa.sun_path, sizeof(sa.sun_path), path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		fprintf(stderr, "srmigrate: cannot reach a running srmigrate at %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		free(text);
		return 1;
	}
	/*
	 * A refused peer gets its answer before the server hangs up, so a
	 * failed send still reads what is there: the reason beats EPIPE.
	 */
	sent = send(fd, text, strlen(text), MSG_NOSIGNAL);
	if (sent != (ssize_t)strlen(text)) {
		send_errno = sent < 0 ? errno : EIO;
		shutdown(fd, SHUT_WR);
	}
	free(text);
	in = fdopen(fd, "r");
	while (in && fgets(buf, sizeof(buf), in)) {
		if (first) {
			ok = str_starts(buf, "OK");
			first = false;
			continue;
		}
		if (buf[0] == '\n')
			break;
		fputs(buf, ok ? stdout : stderr);
	}
	if (in)
		fclose(in);
	else
		close(fd);
	if (first) {
		fprintf(stderr, "srmigrate: %s: %s\n", path, send_errno ? strerror(send_errno) : "no answer");
		return 1;
	}
	return ok ? 0 : 1;
}
