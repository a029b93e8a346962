/* atomic.c - replace a file so a crash leaves the old one or the new one. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tm.h"

struct tm_atomic {
	char *path;
	char *tmp;
	FILE *fp;
};

static int
fsync_dir(const char *path)
{
	char *copy = estrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);

	free(copy);
	if (fd == -1)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

struct tm_atomic *
tm_atomic_open(const char *path, int mode)
{
	struct tm_atomic *a = ecalloc(1, sizeof(*a));
	size_t n = strlen(path) + 16;
	int fd;

	a->path = estrdup(path);
	a->tmp = emalloc(n);
	/* The temporary name is in the same folder, so rename(2) is atomic,
	 * and starts with '.' so directory walkers skip it. */
	char *copy = estrdup(path), *slash = strrchr(copy, '/');
	if (slash) {
		*slash = '\0';
		snprintf(a->tmp, n, "%s/.%s.XXXXXX", copy, slash + 1);
	} else
		snprintf(a->tmp, n, ".%s.XXXXXX", copy);
	free(copy);
	if ((fd = mkstemp(a->tmp)) == -1) {
		tm_fail(EX_CANTCREAT, "%s: cannot create temporary file:",
		    path);
		free(a->tmp);
		free(a->path);
		free(a);
		return NULL;
	}
	fchmod(fd, mode ? (mode_t)mode : 0644);
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		tm_fail(EX_CANTCREAT, "%s: fdopen:", path);
		close(fd);
		unlink(a->tmp);
		free(a->tmp);
		free(a->path);
		free(a);
		return NULL;
	}
	return a;
}

FILE *
tm_atomic_fp(struct tm_atomic *a)
{
	return a->fp;
}

static void
atomic_free(struct tm_atomic *a)
{
	free(a->path);
	free(a->tmp);
	free(a);
}

void
tm_atomic_abort(struct tm_atomic *a)
{
	if (a == NULL)
		return;
	if (a->fp)
		fclose(a->fp);
	unlink(a->tmp);
	atomic_free(a);
}

int
tm_atomic_commit(struct tm_atomic *a)
{
	int bad = fflush(a->fp) == EOF || ferror(a->fp) ||
	    fsync(fileno(a->fp)) == -1;

	if (fclose(a->fp) == EOF)
		bad = 1;
	a->fp = NULL;
	if (bad) {
		tm_fail(EX_IOERR, "%s: write error:", a->path);
		tm_atomic_abort(a);
		return -1;
	}
	if (rename(a->tmp, a->path) == -1) {
		tm_fail(EX_CANTCREAT, "%s: rename:", a->path);
		tm_atomic_abort(a);
		return -1;
	}
	if (fsync_dir(a->path) == -1) {
		tm_fail(EX_IOERR, "%s: fsync of folder:", a->path);
		atomic_free(a);
		return -1;
	}
	atomic_free(a);
	return 0;
}

int
tm_atomic_write(const char *path, const void *buf, size_t len, int mode)
{
	struct tm_atomic *a = tm_atomic_open(path, mode);

	if (a == NULL)
		return -1;
	if (fwrite(buf, 1, len, a->fp) != len) {
		tm_fail(EX_IOERR, "%s: write error:", path);
		tm_atomic_abort(a);
		return -1;
	}
	return tm_atomic_commit(a);
}

int
tm_mkdirs(const char *path, int mode)
{
	char *p = estrdup(path);

	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			struct stat st;
			/* An existing non-folder inside the path makes the next
			 * mkdir fail with ENOTDIR, naming the whole path; only
			 * the last component needs checking here. */
			if (mkdir(p, (mode_t)mode) == -1 && (errno != EEXIST ||
			    (c == '\0' && (stat(p, &st) == -1 ||
			    !S_ISDIR(st.st_mode))))) {
				if (errno == EEXIST)
					errno = ENOTDIR;
				tm_fail(EX_CANTCREAT, "%s: mkdir:", p);
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return 0;
}

int
tm_append_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	size_t n = strlen(line);
	char *buf;

	if (fd == -1) {
		tm_fail(EX_CANTCREAT, "%s: open:", path);
		return -1;
	}
	/* One write(2) of the whole line: O_APPEND makes it land whole even
	 * with concurrent writers. */
	buf = emalloc(n + 1);
	memcpy(buf, line, n);
	buf[n] = '\n';
	ssize_t w = write(fd, buf, n + 1);
	free(buf);
	if (w != (ssize_t)(n + 1) || fsync(fd) == -1) {
		tm_fail(EX_IOERR, "%s: append:", path);
		close(fd);
		return -1;
	}
	return close(fd);
}

json_t *
tm_jsonl_last(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *last = NULL;
	size_t cap = 0;
	json_t *j;

	if (fp == NULL)
		return NULL;
	/* Kept line by line: a journal is short and read once per run. */
	while (getline(&line, &cap, fp) != -1) {
		free(last);
		last = estrdup(line);
	}
	free(line);
	fclose(fp);
	if (last == NULL)
		return NULL;
	j = json_loads(last, 0, NULL);
	free(last);
	return j;
}

int
tm_lock_run(const char *path, const char *busy, ...)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd == -1)
		tm_die(EX_CANTCREAT, "%s:", path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK) {
			va_list ap;
			char *msg;
			int rc;

			va_start(ap, busy);
			rc = vasprintf(&msg, busy, ap);
			va_end(ap);
			if (rc == -1)
				tm_die(EX_OSERR, "vasprintf:");
			tm_die(EX_TEMPFAIL, "%s", msg);
		}
		tm_die(EX_IOERR, "%s: flock:", path);
	}
	return fd;
}
