/* state: atomic, checked files under LOG_DIR/state (see state.h). */
#include "srmigrate/state.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "srmigrate/util.h"

int
state_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path), *dircopy = xstrdup(path);
	const char *p = data;
	size_t left = len;
	int fd = mkstemp(tmp), dfd, rc = -1;

	if (fd < 0) {
		str_fmt(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fchmod(fd, 0600);
	while (left > 0) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			str_fmt(err, errlen, "%s: %s", tmp, strerror(errno));
			goto fail;
		}
		p += n;
		left -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		str_fmt(err, errlen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		str_fmt(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	/* The rename itself must reach the disk too. */
	dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dircopy);
	return rc;
}

/* Hex SHA-256 of @len bytes into @hex (65 bytes). */
static void
digest(const char *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1)
		srm_die("SHA-256 failed");
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
}

int
state_save(const char *path, const char *kind, const char *body, char *err, size_t errlen)
{
	size_t len = strlen(body);
	char sum[65], *text;

	digest(body, len, sum);
	text = xasprintf("srmigrate-state %s v1 %s %zu\n%s", kind, sum, len, body);
	int rc = state_write_file(path, text, strlen(text), err, errlen);

	free(text);
	return rc;
}

int
state_load(const char *path, const char *kind, char **body, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char head[256], want_kind[64], want_sum[65], sum[65];
	size_t len;
	char *buf;

	*body = NULL;
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		str_fmt(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fgets(head, sizeof(head), f) == NULL ||
	    sscanf(head, "srmigrate-state %63s v1 %64s %zu\n", want_kind, want_sum, &len) != 3) {
		str_fmt(err, errlen, "%s: not a srmigrate state file (bad header)", path);
		fclose(f);
		return -1;
	}
	if (!str_eq(want_kind, kind)) {
		str_fmt(err, errlen, "%s: holds '%s' state, expected '%s'", path, want_kind, kind);
		fclose(f);
		return -1;
	}
	if (len > (64u << 20)) {
		str_fmt(err, errlen, "%s: body length %zu is not believable", path, len);
		fclose(f);
		return -1;
	}
	buf = xmalloc(len + 1);
	if (fread(buf, 1, len, f) != len || fgetc(f) != EOF) {
		str_fmt(err, errlen, "%s: torn or padded (length does not match its header)", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[len] = '\0';
	digest(buf, len, sum);
	if (!str_eq(sum, want_sum)) {
		str_fmt(err, errlen, "%s: damaged (checksum does not match)", path);
		free(buf);
		return -1;
	}
	*body = buf;
	return 0;
}

char *
state_dir(const char *log_dir, char *err, size_t errlen)
{
	char *dir = xasprintf("%s/state", log_dir);

	if (mkdir(log_dir, 0750) != 0 && errno != EEXIST) {
		str_fmt(err, errlen, "%s: %s", log_dir, strerror(errno));
		free(dir);
		return NULL;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		str_fmt(err, errlen, "%s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}
