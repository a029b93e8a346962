/* spool.c - the maildir-style spool: a message the server could not take
 * is written to tmp/, fsynced and renamed into new/, so a crash leaves it
 * whole or absent; --flush sends new/ and removes a message only once the
 * server has taken it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "mail.h"

static const char *folders[] = { "tmp", "new", "failed", NULL };

static char *
path2(const char *a, const char *b)
{
	char *s;

	if (asprintf(&s, "%s/%s", a, b) == -1)
		tm_die(EX_OSERR, "asprintf:");
	return s;
}

static int
fsync_path(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
spool_init(const char *dir)
{
	struct stat st;

	if (tm_mkdirs(dir, 0700) == -1)
		return -1;
	for (int i = -1; i < 0 || folders[i]; i++) {
		char *p = i < 0 ? estrdup(dir) : path2(dir, folders[i]);
		if (i >= 0 && mkdir(p, 0700) == -1 && errno != EEXIST) {
			tm_warn("%s: mkdir:", p);
			free(p);
			return -1;
		}
		if (stat(p, &st) == -1 || !S_ISDIR(st.st_mode)) {
			tm_warn("%s: not a folder", p);
			free(p);
			return -1;
		}
		/* The messages are the user's mail: nobody else reads them. */
		if ((st.st_mode & 077) && chmod(p, 0700) == 0)
			tm_warn("%s: was mode %03o; now 0700", p,
			    (unsigned)(st.st_mode & 0777));
		free(p);
	}
	return 0;
}

/* A maildir unique name: seconds, microseconds, pid, randomness, host. */
static char *
unique(void)
{
	struct timeval tv;
	char host[256] = "localhost", *s;
	unsigned long long r = 0;

	gettimeofday(&tv, NULL);
	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	for (char *p = host; *p; p++)
		if (*p == '/' || *p == ':')
			*p = '_';
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		tm_die(EX_OSERR, "getrandom:");
	if (asprintf(&s, "%lld.M%06ldP%dR%016llx.%s", (long long)tv.tv_sec,
	    (long)tv.tv_usec, (int)getpid(), r, host) == -1)
		tm_die(EX_OSERR, "asprintf:");
	return s;
}

char *
spool_put(const char *dir, const char *folder, const char *from,
    char *const *to, size_t nto, long long queued, const char *msg,
    size_t len)
{
	struct tm_buf b = { 0 };
	char *name = unique(), *tdir = path2(dir, "tmp");
	char *tmp = path2(tdir, name), *fdir = path2(dir, folder);
	char *dst = path2(fdir, name);
	int fd, ok = 0;

	/* The envelope rides in front as headers, so the file is still a
	 * message a mail reader opens; X-TM-Queued is always its end. */
	tm_buf_addf(&b, "X-TM-Envelope-From: <%s>\r\n", from);
	for (size_t i = 0; i < nto; i++)
		tm_buf_addf(&b, "X-TM-Envelope-To: <%s>\r\n", to[i]);
	tm_buf_addf(&b, "X-TM-Queued: %lld\r\n", queued);
	tm_buf_add(&b, msg, len);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		tm_warn("%s:", tmp);
		goto out;
	}
	size_t off = 0;
	while (off < b.n) {
		ssize_t w = write(fd, b.p + off, b.n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			tm_warn("%s: write:", tmp);
			close(fd);
			unlink(tmp);
			goto out;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		tm_warn("%s: fsync:", tmp);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, dst) == -1) {
		tm_warn("%s: rename:", dst);
		unlink(tmp);
		goto out;
	}
	if (fsync_path(fdir) == -1) {
		tm_warn("%s: fsync of folder:", fdir);
		goto out;
	}
	ok = 1;
out:
	tm_buf_free(&b);
	free(name);
	free(tdir);
	free(tmp);
	free(fdir);
	if (!ok) {
		free(dst);
		return NULL;
	}
	return dst;
}

/* The value of "Name: <x>\r\n" at p (the prefix given), or NULL. */
static char *
env_line(const char *p, const char *end, const char *prefix, const char **next)
{
	size_t n = strlen(prefix);
	const char *e;

	if ((size_t)(end - p) < n || memcmp(p, prefix, n) != 0 ||
	    (e = memmem(p, (size_t)(end - p), "\r\n", 2)) == NULL)
		return NULL;
	const char *v = p + n, *w = e;
	if (w > v && *v == '<' && w[-1] == '>')
		v++, w--;
	char *s = emalloc((size_t)(w - v) + 1);
	memcpy(s, v, (size_t)(w - v));
	s[w - v] = '\0';
	*next = e + 2;
	return s;
}

int
spool_parse(struct spooled *s)
{
	const char *p = s->file.p, *end = p + s->file.n, *next;
	char *v;

	if (p == NULL || (s->from = env_line(p, end, "X-TM-Envelope-From: ",
	    &next)) == NULL)
		return -1;
	p = next;
	while ((v = env_line(p, end, "X-TM-Envelope-To: ", &next)) != NULL) {
		s->to = ereallocarray(s->to, s->nto + 1, sizeof(char *));
		s->to[s->nto++] = v;
		p = next;
	}
	if (s->nto == 0 || (v = env_line(p, end, "X-TM-Queued: ", &next)) ==
	    NULL)
		return -1;
	char *e;
	s->queued = strtoll(v, &e, 10);
	int bad = *v == '\0' || *e != '\0';
	free(v);
	if (bad)
		return -1;
	s->msg = next;
	s->len = (size_t)(end - next);
	return 0;
}

void
spooled_free(struct spooled *s)
{
	free(s->from);
	for (size_t i = 0; i < s->nto; i++)
		free(s->to[i]);
	free(s->to);
	tm_buf_free(&s->file);
	memset(s, 0, sizeof(*s));
}

/* ---------------------------------------------------------------- flush */

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir/new, oldest first (maildir names start with the
 * time). */
static char **
list_new(const char *dir, size_t *n)
{
	char *nd = path2(dir, "new");
	DIR *d = opendir(nd);
	struct dirent *e;
	char **v = NULL;

	*n = 0;
	if (d == NULL) {
		tm_warn("%s:", nd);
		free(nd);
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		v = ereallocarray(v, *n + 1, sizeof(char *));
		v[(*n)++] = estrdup(e->d_name);
	}
	closedir(d);
	free(nd);
	if (*n)
		qsort(v, *n, sizeof(char *), cmp);
	return v;
}

/* Move new/name into failed/, and unless the message is itself an alert
 * (no alert about an alert, or a dead server would breed them), queue a
 * critical alert saying so into new/. */
static void
fail_one(const char *dir, const char *name, struct spooled *s,
    const char *why)
{
	char *nd = path2(dir, "new"), *fd = path2(dir, "failed");
	char *src = path2(nd, name), *dst = path2(fd, name);

	if (rename(src, dst) == -1 || fsync_path(fd) == -1 ||
	    fsync_path(nd) == -1)
		tm_warn("%s: cannot move to failed/:", src);
	else
		tm_warn("%s: not delivered (%s): moved to %s", src, why, dst);
	char *alert = s->msg ? msg_header(s->msg, s->len, "X-TM-Alert") : NULL;
	if (s->msg && s->from && alert == NULL) {
		char *subj = msg_header(s->msg, s->len, "Subject");
		char *mid = msg_header(s->msg, s->len, "Message-ID");
		char date[40], tmpl[] = "/tmp/tm-mail-alert.XXXXXX";
		struct tm_buf text = { 0 }, out = { 0 };
		tm_buf_addf(&text, "tm-mail could not deliver a message.\n\n"
		    "Subject:    %s\nMessage-ID: %s\nQueued:     %s\n"
		    "Reason:     %s\nKept in:    %s\nRecipients:",
		    subj ? subj : "(none)", mid ? mid : "(none)",
		    rfc5322_date(s->queued, date), why, dst);
		for (size_t i = 0; i < s->nto; i++)
			tm_buf_addf(&text, " %s", s->to[i]);
		tm_buf_adds(&text, "\n");
		int tfd = mkstemp(tmpl);
		if (tfd == -1 || write(tfd, text.p, text.n) !=
		    (ssize_t)text.n || close(tfd) == -1) {
			tm_warn("%s: cannot write the alert:", tmpl);
		} else {
			struct msgopt o;
			memset(&o, 0, sizeof(o));
			o.from = s->from;
			o.to = s->to;
			o.nto = s->nto;
			o.subject = "tm-mail: a message was not delivered";
			o.text = tmpl;
			o.severity = "critical";
			o.alert = "undelivered";
			compose(&o, &out);
			char *p = spool_put(dir, "new", s->from, s->to,
			    s->nto, (long long)time(NULL), out.p, out.n);
			if (p)
				tm_warn("%s: alert queued", p);
			free(p);
		}
		if (tfd != -1)
			unlink(tmpl);
		tm_buf_free(&text);
		tm_buf_free(&out);
		free(subj);
		free(mid);
	}
	free(alert);
	free(nd);
	free(fd);
	free(src);
	free(dst);
}

int
spool_flush(const char *dir, const struct smtpcfg *c,
    const struct flushopt *fo)
{
	char *lock = path2(dir, ".lock"), err[1024];
	int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int failed = 0, config = 0;
	size_t sent = 0, left = 0;

	if (lfd == -1)
		tm_die(EX_CANTCREAT, "%s:", lock);
	/* Two flushes at once would send a message twice. */
	if (flock(lfd, LOCK_EX | LOCK_NB) == -1) {
		tm_warn("%s: another flush is running: try later", dir);
		free(lock);
		close(lfd);
		return EX_TEMPFAIL;
	}
	for (int round = 0;; round++) {
		size_t n;
		char **names = list_new(dir, &n);
		int down = 0;

		left = 0;
		for (size_t i = 0; i < n; i++) {
			struct spooled s;
			char *nd = path2(dir, "new"), *p = path2(nd, names[i]);
			int rc;

			memset(&s, 0, sizeof(s));
			if (access(p, F_OK) != 0)
				goto next;	/* gone since the listing */
			buf_slurp(&s.file, p);
			if (spool_parse(&s) == -1) {
				s.msg = NULL;
				fail_one(dir, names[i], &s, "not a spool file");
				failed++;
				goto next;
			}
			double age = difftime(time(NULL), (time_t)s.queued);
			if (age >= fo->lifetime) {
				char why[128];
				snprintf(why, sizeof(why), "queued %.0f h ago, "
				    "longer than the queue lifetime of %.0f h",
				    age / 3600, fo->lifetime / 3600);
				fail_one(dir, names[i], &s, why);
				failed++;
				goto next;
			}
			if (down || config) {
				left++;	/* expiry checked, sending is not */
				goto next;
			}
			rc = smtp_send(c, s.from, s.to, s.nto, s.msg, s.len,
			    err, sizeof(err));
			if (rc == SEND_OK) {
				/* Accepted: only now may the copy go. */
				if (unlink(p) == -1)
					tm_warn("%s: delivered, but cannot "
					    "remove it:", p);
				fsync_path(nd);
				sent++;
			} else if (rc == SEND_PERM) {
				fail_one(dir, names[i], &s, err);
				failed++;
			} else {
				tm_warn("%s: %s", names[i], err);
				left++;
				if (rc == SEND_CONFIG)
					config = 1;
				/* A server that does not answer will not
				 * answer for the next message either. */
				if (strstr(err, "(server said") == NULL)
					down = 1;
			}
next:
			spooled_free(&s);
			free(nd);
			free(p);
			free(names[i]);
		}
		free(names);
		if (left == 0 || config || round >= fo->retries) {
			/* A new alert may have been queued this round. */
			if (left == 0 && round < fo->retries) {
				size_t m;
				char **again = list_new(dir, &m);
				for (size_t i = 0; i < m; i++)
					free(again[i]);
				free(again);
				if (m > 0)
					continue;
			}
			break;
		}
		double wait = fo->backoff * pow(2, round);
		if (wait > 300)
			wait = 300;
		struct timespec ts = { (time_t)wait,
		    (long)((wait - floor(wait)) * 1e9) };
		nanosleep(&ts, NULL);
	}
	/* What is left is what new/ holds now, alerts queued included. */
	char **rest = list_new(dir, &left);
	for (size_t i = 0; i < left; i++)
		free(rest[i]);
	free(rest);
	if (sent || left || failed)
		tm_warn("flush: %zu delivered, %zu still queued, %d moved to "
		    "failed/", sent, left, failed);
	close(lfd);
	free(lock);
	if (config)
		return EX_CONFIG;
	if (left)
		return EX_TEMPFAIL;
	return failed ? EX_UNAVAILABLE : 0;
}
