/*
 * input.c - the inputs of tm-cat as one source of frames.
 *
 * Arguments are files, folders or "-" (stdin; also what no argument
 * means).  A folder is walked to the bottom and its *.tmt files are taken
 * in path order, which for a data/raw/YYYY/MM/DD.tmt tree is date order;
 * dot files and dot folders are skipped.  Every argument is checked before
 * the first frame is read, so a missing file fails before any output.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cat.h"
#include "csvimport.h"

/* The smallest file a pass-through maps (source_lazy). */
#define MAPMIN (1u << 20)

struct source {
	char **paths;
	unsigned char *walked;	/* found in a folder, not named */
	size_t n, cap, next;
	FILE *fp;
	struct tm_reader *r;	/* kept across files: its label cache */
	int open;		/* r is reading fp */
	const char *from, *to;	/* --from/--to, for files named by date */
	const char *cur;
	/* --import */
	int import;
	const char *rowcol;
	enum tm_dtype dt;
	struct csvimp *csv;
	char lastdate[16];	/* of the last imported frame, "" none yet */
	int headers_only;	/* --info: payloads are never read */
	long long lastn;	/* --last: at most this many day files */
	size_t skipped;		/* day files left unopened for it */
	int lazy;		/* a pass-through: frames copied, not decoded */
	struct tm_writer *w;	/* source_writer: flushed before r unmaps */
	uint64_t mapmin;	/* files of this many bytes are mapped */
};

static void
add(struct source *s, const char *path, int walked)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->paths = ereallocarray(s->paths, s->cap, sizeof(char *));
		s->walked = ereallocarray(s->walked, s->cap, 1);
	}
	s->walked[s->n] = (unsigned char)walked;
	s->paths[s->n++] = estrdup(path);
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_tmt(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".tmt") == 0;
}

static void
walk(struct source *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		tm_die(EX_NOINPUT, "%s:", dir);
	while ((errno = 0, e = readdir(d)) != NULL) {
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *p = emalloc(len);
		snprintf(p, len, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		/* The type readdir gives saves a stat a file (a raw store
		 * holds thousands); a link or an unknown type is stat'ed,
		 * followed as before. */
		int isdir = e->d_type == DT_DIR, isreg = e->d_type == DT_REG;
		if (e->d_type != DT_DIR && e->d_type != DT_REG) {
			if (stat(p, &st) == -1)
				tm_die(EX_NOINPUT, "%s:", p);
			isdir = S_ISDIR(st.st_mode);
			isreg = S_ISREG(st.st_mode);
		}
		if (isdir)
			walk(s, p);
		else if (isreg && is_tmt(e->d_name))
			add(s, p, 1);
		free(p);
	}
	if (errno)
		tm_die(EX_IOERR, "%s:", dir);
	closedir(d);
}

static struct source *
expand(char **args, int nargs)
{
	struct source *s = ecalloc(1, sizeof(*s));
	struct stat st;

	if (nargs == 0)
		add(s, "-", 0);
	for (int i = 0; i < nargs; i++) {
		if (strcmp(args[i], "-") == 0) {
			add(s, "-", 0);
			continue;
		}
		if (stat(args[i], &st) == -1)
			tm_die(EX_NOINPUT, "%s:", args[i]);
		if (S_ISDIR(st.st_mode)) {
			size_t first = s->n;
			walk(s, args[i]);
			if (s->n > first)
				qsort(s->paths + first, s->n - first, sizeof(char *),
				    cmp_path);
		} else {
			add(s, args[i], 0);
		}
	}
	return s;
}

struct source *
source_new(char **args, int nargs)
{
	return expand(args, nargs);
}

struct source *
source_import(char **args, int nargs, const char *rowcol, enum tm_dtype dt)
{
	struct source *s = expand(args, nargs);

	s->import = 1;
	s->rowcol = rowcol;
	s->dt = dt;
	return s;
}

void
source_dates(struct source *s, const char *from, const char *to)
{
	s->from = from;
	s->to = to;
}

/* The date YYYY-MM-DD of a path ending in YYYY/MM/DD.tmt, into d[11];
 * 0, or -1 when the name is not one. */
static int
name_date(const char *p, char d[11])
{
	static const char pat[] = "dddd/dd/dd.tmt";
	size_t n = strlen(p), k = sizeof pat - 1;

	if (n < k || (n > k && p[n - k - 1] != '/'))
		return -1;
	p += n - k;
	for (size_t i = 0; i < k; i++)
		if (pat[i] == 'd' ? !(p[i] >= '0' && p[i] <= '9') :
		    p[i] != pat[i])
			return -1;
	snprintf(d, 11, "%.4s-%.2s-%.2s", p, p + 5, p + 8);
	return 0;
}

/* A file a folder holds as data/raw/YYYY/MM/DD.tmt holds that day only
 * (tm-cat(1)): outside --from/--to it is not even opened. */
static int
excluded(const struct source *s, size_t i)
{
	char d[11];

	if (!s->walked[i] || (!s->from && !s->to) ||
	    name_date(s->paths[i], d) == -1)
		return 0;
	return (s->from && strcmp(d, s->from) < 0) ||
	    (s->to && strcmp(d, s->to) > 0);
}

/* What the writer holds back from r's mapping goes out before the
 * mapping does (tm_writer_flush). */
static void
flush_writer(struct source *s)
{
	if (s->w && tm_writer_flush(s->w) == -1)
		tm_exit(tm_fail_status());
}

static void
close_cur(struct source *s)
{
	flush_writer(s);
	s->open = 0;
	csvimp_free(s->csv);
	s->csv = NULL;
	if (s->fp && s->fp != stdin)
		fclose(s->fp);
	s->fp = NULL;
}

void
source_last(struct source *s, long long n)
{
	char d[11];
	size_t keep = 0;

	s->lastn = n;
	if (n <= 0 || s->import)
		return;
	/* Only a tree of day files, each holding its own day: then the last
	 * n frames of the window lie in its last n files. */
	for (size_t i = 0; i < s->n; i++)
		if (!s->walked[i] || name_date(s->paths[i], d) == -1)
			return;
	for (size_t i = s->n; i-- > 0;)
		if (!excluded(s, i) && ++keep > (size_t)n) {
			/* the first one to skip: it and every one before */
			for (size_t j = 0; j <= i; j++)
				s->skipped += !excluded(s, j);
			s->next = i + 1;
			return;
		}
}

int
source_rewind_all(struct source *s)
{
	if (!s->skipped)
		return 0;
	close_cur(s);
	s->skipped = 0;
	s->lastn = 0;
	s->next = 0;
	return 1;
}

/* Open the next input; 0 when there is none left. */
static int
open_next(struct source *s)
{
	while (s->next < s->n && excluded(s, s->next))
		s->next++;
	if (s->next >= s->n)
		return 0;
	const char *p = s->paths[s->next++];
	s->cur = tm_input_name(p);
	if (s->import) {
		/* The CSV reader opens it: "-", gzip, its own chunks. */
		if ((s->csv = csvimp_open(p, s->rowcol, s->dt)) == NULL)
			tm_exit(tm_fail_status());
		tm_runlog_rows(csvimp_rows(s->csv), 0);
		return 1;
	}
	if (strcmp(p, "-") == 0)
		s->fp = stdin;
	else if ((s->fp = fopen(p, "rb")) == NULL)
		tm_die(EX_NOINPUT, "%s:", p);
	/* A TMT stream is read a frame at a time into the reader's frame
	 * buffer: unbuffered, each fread is one read(2) straight into it, not
	 * a copy through stdio's buffer. */
	setvbuf(s->fp, NULL, _IONBF, 0);
	if (s->r) {
		tm_reader_reopen(s->r, s->fp, s->cur);
		s->open = 1;
	} else {
		s->r = tm_reader_new(s->fp, s->cur);
		tm_reader_headers_only(s->r, s->headers_only);
		tm_reader_lazy(s->r, s->lazy);
		s->open = 1;
	}
	/* A pass-through of a file (not stdin, which may be a pipe): its
	 * frames checked and written where its pages lie, no read(2) copy. */
	if (s->lazy && s->fp != stdin)
		tm_reader_map(s->r, s->mapmin);
	return 1;
}

int
source_next(struct source *s, struct tm_frame *f)
{
	for (;;) {
		int rc;
		if (!s->open && s->csv == NULL && !open_next(s))
			return 0;
		if (s->csv) {
			rc = csvimp_next(s->csv, f);
			/* Several CSVs (one per ticker, say) would come out
			 * one after the other, dates going back: a stream
			 * no tool reads.  One file sorts itself by date. */
			const char *d = rc == 1 ? tm_frame_date(f) : NULL;
			if (d && *s->lastdate && strcmp(d, s->lastdate) <= 0)
				tm_die(EX_DATAERR, "%s: %s: not after %s of an "
				    "earlier file: import one long CSV of all "
				    "the rows", s->cur, d, s->lastdate);
			if (d)
				snprintf(s->lastdate, sizeof(s->lastdate),
				    "%s", d);
		} else {
			rc = tm_read(s->r, f);
			if (rc == -1) {
				/* the good frames before it out first, as
				 * they were before the error */
				flush_writer(s);
				tm_exit(tm_reader_status(s->r));
			}
			if (rc == 1 && f->ndim > 0)
				tm_runlog_rows(f->shape[0], 0);
		}
		if (rc == 1)
			return 1;
		close_cur(s);
	}
}

void
source_headers_only(struct source *s)
{
	s->headers_only = 1;
	if (s->r)
		tm_reader_headers_only(s->r, 1);
}

void
source_lazy(struct source *s)
{
	const char *e = getenv("TM_CAT_MMAP");

	s->lazy = 1;
	if (s->r)
		tm_reader_lazy(s->r, 1);
	/* Small files (a raw tree's day files) cost less read than mapped.
	 * TM_CAT_MMAP=0: never mapped, 1: any size (the tests compare). */
	s->mapmin = e && strcmp(e, "0") == 0 ? UINT64_MAX :
	    e && strcmp(e, "1") == 0 ? 0 : MAPMIN;
}

void
source_writer(struct source *s, struct tm_writer *w)
{
	s->w = w;
}

struct tm_reader *
source_reader(struct source *s)
{
	return s->r;
}

const char *
source_name(struct source *s)
{
	return s->cur ? s->cur : "<stdin>";
}

void
source_free(struct source *s)
{
	close_cur(s);
	tm_reader_free(s->r);
	free(s->walked);
	for (size_t i = 0; i < s->n; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s);
}
