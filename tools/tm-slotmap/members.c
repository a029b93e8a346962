/*
 * members.c - the -m files: "date,ticker,action" change lists (action add
 * or remove) and snapshot lists (a ticker column and no action column).
 * Parsed with libcsv, fed one physical line at a time so messages can name
 * the line a record ends on.
 */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slotmap.h"

struct parse {
	struct sm_members *m;
	const char *file;
	long line;		/* physical line being fed */
	long nrec;		/* records seen, header included */
	char **fld;
	size_t nfld, capfld;
	int cdate, cticker, caction;	/* column indices or -1 */
	size_t ncols;
	size_t capev, capsnap;
	int failed;		/* a message was printed: ignore the rest */
};

static void
on_field(void *s, size_t len, void *data)
{
	struct parse *p = data;

	if (p->failed)
		return;
	if (p->nfld == p->capfld) {
		p->capfld = p->capfld ? 2 * p->capfld : 8;
		p->fld = ereallocarray(p->fld, p->capfld, sizeof(char *));
	}
	p->fld[p->nfld] = emalloc(len + 1);
	memcpy(p->fld[p->nfld], s ? s : "", len);
	p->fld[p->nfld][len] = '\0';
	p->nfld++;
}

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

/* The column indices from the header record; 0, or -1 with a message. */
static int
header(struct parse *p)
{
	p->cdate = p->cticker = p->caction = -1;
	p->ncols = p->nfld;
	for (size_t i = 0; i < p->nfld; i++) {
		char *h = trim(p->fld[i]);
		/* A UTF-8 byte order mark from spreadsheet exports. */
		if (i == 0 && strncmp(h, "\xef\xbb\xbf", 3) == 0)
			h += 3;
		if (strcasecmp(h, "date") == 0)
			p->cdate = (int)i;
		else if (strcasecmp(h, "ticker") == 0)
			p->cticker = (int)i;
		else if (strcasecmp(h, "action") == 0)
			p->caction = (int)i;
	}
	if (p->cticker == -1)
		return tm_fail(EX_DATAERR, "%s:%ld: no ticker column in the "
		    "header", p->file, p->line);
	if (p->caction != -1 && p->cdate == -1)
		return tm_fail(EX_DATAERR, "%s:%ld: an action column needs a "
		    "date column", p->file, p->line);
	return 0;
}

/* One change or snapshot member; 0, or -1 with a message. */
static int
record(struct parse *p)
{
	struct sm_members *m = p->m;
	char *tk;

	if ((size_t)p->cticker >= p->nfld ||
	    (p->caction != -1 && ((size_t)p->caction >= p->nfld ||
	    (size_t)p->cdate >= p->nfld)))
		return tm_fail(EX_DATAERR, "%s:%ld: %zu fields, the header "
		    "has %zu", p->file, p->line, p->nfld, p->ncols);
	tk = trim(p->fld[p->cticker]);
	if (*tk == '\0')
		return tm_fail(EX_DATAERR, "%s:%ld: empty ticker", p->file,
		    p->line);
	if (strlen(tk) >= TM_MAX_LABEL)
		return tm_fail(EX_DATAERR, "%s:%ld: ticker longer than %d "
		    "bytes", p->file, p->line, TM_MAX_LABEL - 1);
	/* A row label must be UTF-8 text; caught here, not at write (74). */
	int bad = !tm_utf8_valid(tk, strlen(tk));
	for (const char *c = tk; *c && !bad; c++)
		bad = (unsigned char)*c < 0x20 || *c == 0x7f;
	if (bad)
		return tm_fail(EX_DATAERR, "%s:%ld: ticker is not UTF-8 text "
		    "or has a control character", p->file, p->line);
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
	struct sm_event e = { .file = p->file, .line = p->line };
	char *d = trim(p->fld[p->cdate]), *a = trim(p->fld[p->caction]);
	if (tm_date_parse(d, &e.date) == -1)
		return tm_fail(EX_DATAERR, "%s:%ld: bad date '%s'", p->file,
		    p->line, d);
	if (strcasecmp(a, "add") == 0)
		e.remove = 0;
	else if (strcasecmp(a, "remove") == 0)
		e.remove = 1;
	else
		return tm_fail(EX_DATAERR, "%s:%ld: action '%s' is not add or "
		    "remove", p->file, p->line, a);
	e.ticker = estrdup(tk);
	if (m->nev == p->capev) {
		p->capev = p->capev ? 2 * p->capev : 256;
		m->ev = ereallocarray(m->ev, p->capev, sizeof(*m->ev));
	}
	m->ev[m->nev++] = e;
	return 0;
}

static void
on_record(int c, void *data)
{
	struct parse *p = data;

	(void)c;
	if (!p->failed && (p->nrec++ == 0 ? header(p) : record(p)) == -1)
		p->failed = 1;
	for (size_t i = 0; i < p->nfld; i++)
		free(p->fld[i]);
	p->nfld = 0;
}

void
sm_members_load(struct sm_members *m, const char *path)
{
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		tm_die(errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s:", path);
	if (sm_members_read(m, fp, path) == -1)
		tm_exit(tm_fail_status());
	fclose(fp);
}

int
sm_members_read(struct sm_members *m, FILE *fp, const char *path)
{
	struct csv_parser cp;
	struct parse p = { .m = m, .file = NULL };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = -1;

	m->files = ereallocarray(m->files, m->nfiles + 1, sizeof(char *));
	m->files[m->nfiles++] = estrdup(path);
	p.file = m->files[m->nfiles - 1];
	p.capev = m->nev;
	p.capsnap = m->nsnap;
	if (csv_init(&cp, CSV_STRICT | CSV_APPEND_NULL) != 0)
		tm_die(EX_OSERR, "csv_init failed");
	while (!p.failed && (len = getline(&line, &cap, fp)) != -1) {
		p.line++;
		if (csv_parse(&cp, line, (size_t)len, on_field, on_record,
		    &p) != (size_t)len) {
			tm_fail(EX_DATAERR, "%s:%ld: %s", path, p.line,
			    csv_strerror(csv_error(&cp)));
			goto out;
		}
	}
	if (p.failed)
		goto out;
	if (ferror(fp)) {
		tm_fail(EX_IOERR, "%s: read error:", path);
		goto out;
	}
	if (csv_fini(&cp, on_field, on_record, &p) != 0) {
		tm_fail(EX_DATAERR, "%s:%ld: %s", path, p.line,
		    csv_strerror(csv_error(&cp)));
		goto out;
	}
	if (p.failed)
		goto out;
	if (p.nrec == 0) {
		tm_fail(EX_DATAERR, "%s:1: empty file, no header", path);
		goto out;
	}
	rc = 0;
out:
	/* The fields of a record cut short by a failure. */
	for (size_t i = 0; i < p.nfld; i++)
		free(p.fld[i]);
	csv_free(&cp);
	free(p.fld);
	free(line);
	/* Later loads grow the arrays from their exact sizes. */
	m->ev = ereallocarray(m->ev, m->nev ? m->nev : 1, sizeof(*m->ev));
	m->snap = ereallocarray(m->snap, m->nsnap + 1, sizeof(char *));
	m->snap[m->nsnap] = NULL;
	return rc;
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
