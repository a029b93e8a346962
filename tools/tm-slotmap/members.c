/*
 * members.c - the -m files: "date,ticker,action" change lists (action add
 * or remove) and snapshot lists (a ticker column and no action column),
 * read by libcommon's CSV reader (a file or -, gzip, a BOM, quoting, CRLF;
 * messages name the line a record starts on).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slotmap.h"

struct parse {
	struct sm_members *m;
	struct tm_csv *c;
	const char *file;
	int cdate, cticker, caction;	/* column indices or -1 */
	int ncols;
	size_t capev, capsnap;
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The columns, by their keys (tm_csv_key): case and blanks do not
 * count.  0, or -1 after the reader's message. */
static int
header(struct parse *p, struct tm_csvfield *v, int n)
{
	p->cdate = p->cticker = p->caction = -1;
	p->ncols = n;
	for (int i = 0; i < n; i++) {
		char k[16];
		tm_csv_key(v[i].s, k, sizeof(k));
		if (strcmp(k, "date") == 0)
			p->cdate = i;
		else if (strcmp(k, "ticker") == 0)
			p->cticker = i;
		else if (strcmp(k, "action") == 0)
			p->caction = i;
	}
	if (p->cticker == -1)
		return tm_csv_fail(p->c, "no ticker column in the header");
	if (p->caction != -1 && p->cdate == -1)
		return tm_csv_fail(p->c, "an action column needs a date column");
	return 0;
}

/* One record: a snapshot member, or a change.  0, or -1 after the
 * reader's message. */
static int
record(struct parse *p, struct tm_csvfield *v, int n)
{
	struct sm_members *m = p->m;
	long line = tm_csv_line(p->c);
	char *tk;

	if (p->cticker >= n || (p->caction != -1 && (p->caction >= n ||
	    p->cdate >= n)))
		return tm_csv_fail(p->c, "%d fields, the header has %d", n,
		    p->ncols);
	/* A NUL inside would cut the ticker short without a word. */
	int bad = memchr(v[p->cticker].s, '\0', v[p->cticker].len) != NULL;
	tk = trim(v[p->cticker].s);
	if (*tk == '\0')
		return tm_csv_fail(p->c, "empty ticker");
	if (strlen(tk) >= TM_MAX_LABEL)
		return tm_csv_fail(p->c, "ticker longer than %d bytes",
		    TM_MAX_LABEL - 1);
	/* A row label must be UTF-8 text; caught here, not at write (74). */
	bad = bad || !tm_utf8_valid(tk, strlen(tk));
	for (const char *c = tk; *c && !bad; c++)
		bad = (unsigned char)*c < 0x20 || *c == 0x7f;
	if (bad)
		return tm_csv_fail(p->c, "ticker is not UTF-8 text or has a "
		    "control character");
	if (p->caction == -1) {
		if (m->nsnap == p->capsnap) {
			p->capsnap = p->capsnap ? 2 * p->capsnap : 256;
			m->snap = ereallocarray(m->snap, p->capsnap + 1,
			    sizeof(char *));
		}
		m->snap[m->nsnap++] = estrdup(tk);
		m->snap[m->nsnap] = NULL;
		m->snapfile = p->file;
		return 0;
	}
	struct sm_event e = { .file = p->file, .line = line };
	char *d = trim(v[p->cdate].s), *a = trim(v[p->caction].s);
	if (tm_date_parse(d, &e.date) == -1)
		return tm_csv_fail(p->c, "bad date '%s'", d);
	if (strcasecmp(a, "add") == 0)
		e.remove = 0;
	else if (strcasecmp(a, "remove") == 0)
		e.remove = 1;
	else
		return tm_csv_fail(p->c, "action '%s' is not add or remove",
		    a);
	e.ticker = estrdup(tk);
	if (m->nev == p->capev) {
		p->capev = p->capev ? 2 * p->capev : 256;
		m->ev = ereallocarray(m->ev, p->capev, sizeof(*m->ev));
	}
	m->ev[m->nev++] = e;
	return 0;
}

/* Read the records of c (freed here) into m: 0, or -1 after the
 * reader's message; what was read before a bad record stays in m. */
static int
members_read(struct sm_members *m, struct tm_csv *c)
{
	struct parse p = { .m = m, .c = c };
	struct tm_csvfield *v;
	int n, rc;

	m->files = ereallocarray(m->files, m->nfiles + 1, sizeof(char *));
	m->files[m->nfiles++] = estrdup(tm_csv_name(p.c));
	p.file = m->files[m->nfiles - 1];
	p.capev = m->nev;
	p.capsnap = m->nsnap;
	if ((rc = tm_csv_next(p.c, &v, &n)) == 0)
		rc = tm_csv_fail(p.c, "empty file, no header");
	if (rc == 1)
		rc = header(&p, v, n);
	while (rc == 0 && (rc = tm_csv_next(p.c, &v, &n)) == 1)
		rc = record(&p, v, n);
	tm_csv_free(p.c);
	/* Later loads grow the arrays from their exact sizes. */
	m->ev = ereallocarray(m->ev, m->nev ? m->nev : 1, sizeof(*m->ev));
	m->snap = ereallocarray(m->snap, m->nsnap + 1, sizeof(char *));
	m->snap[m->nsnap] = NULL;
	return rc == -1 ? -1 : 0;
}

void
sm_members_load(struct sm_members *m, const char *path)
{
	struct tm_csv *c;

	if ((c = tm_csv_open(path)) == NULL || members_read(m, c) == -1)
		tm_exit(tm_fail_status());
}

int
sm_members_mem(struct sm_members *m, const void *buf, size_t len,
    const char *name)
{
	struct tm_csv *c;

	if ((c = tm_csv_mem(buf, len, name)) == NULL)
		return -1;
	return members_read(m, c);
}

static int
evcmp(const void *a, const void *b)
{
	const struct sm_event *x = a, *y = b;
	int c;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	/* Removes first, so an add on a full index can take the slot a
	 * same-day remove freed. */
	if (x->remove != y->remove)
		return y->remove - x->remove;
	if ((c = strcmp(x->ticker, y->ticker)) != 0)
		return c;
	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
strpcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
sm_members_finish(struct sm_members *m)
{
	if (m->nev > 1)
		qsort(m->ev, m->nev, sizeof(*m->ev), evcmp);
	for (size_t i = 1; i < m->nev; i++) {
		struct sm_event *a = &m->ev[i - 1], *b = &m->ev[i];
		if (a->date == b->date && a->remove == b->remove &&
		    strcmp(a->ticker, b->ticker) == 0)
			return tm_fail(EX_DATAERR, "%s:%ld: %s of %s repeats "
			    "%s:%ld", b->file, b->line, b->remove ? "remove" :
			    "add", b->ticker, a->file, a->line);
	}
	if (m->nsnap > 1)
		qsort(m->snap, m->nsnap, sizeof(char *), strpcmp);
	size_t k = 0;
	for (size_t i = 0; i < m->nsnap; i++) {
		/* The same ticker twice in a snapshot is one member. */
		if (k > 0 && strcmp(m->snap[k - 1], m->snap[i]) == 0) {
			free(m->snap[i]);
			continue;
		}
		m->snap[k++] = m->snap[i];
	}
	m->nsnap = k;
	if (m->snap)
		m->snap[k] = NULL;
	return 0;
}

void
sm_members_release(struct sm_members *m)
{
	for (size_t i = 0; i < m->nev; i++)
		free(m->ev[i].ticker);
	free(m->ev);
	tm_strv_free(m->snap);
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	memset(m, 0, sizeof(*m));
}
