/*
 * csvimport.c - a long CSV (date,row,field...) turned into TMT frames.
 *
 * The whole file is parsed with libcsv into flat arrays (one record per
 * data line: day, row id, line number, values), then the records are
 * bucketed by day with a stable counting sort, so frames come out in date
 * order and the rows of a frame keep their input order.  Row labels are
 * interned once in a hash table; dates go through a one-entry cache, since
 * long CSVs repeat the same date (or the same ticker) line after line.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>

#include "tm.h"

#define NDAYS 160000	/* days from 1800-01-01, tm_date_parse's floor, to 2200 */

struct tm_csvimp {
	char *name;
	int status;		/* 0, EX_DATAERR or EX_IOERR */
	enum tm_dtype dtype;
	char *rowname;		/* wanted row column, or NULL */

	/* header */
	int ncol, nfield;
	char **cols;		/* ncol names */
	int datecol, rowcol;
	int *fieldof;		/* column -> field index, or -1 */
	char **fields;		/* nfield names, borrowed from cols */

	/* parser state */
	int header_done;
	int col;		/* column of the next field */
	int seen_date, seen_row;
	uint64_t line;		/* line of the record being parsed */
	uint64_t nl_in_rec;	/* newlines inside quoted fields of it */
	int prev_term;		/* terminator of the previous record */
	int32_t cur_day;
	uint32_t cur_row;
	char last_date[16];
	int have_last_date;
	int32_t last_day;
	uint32_t last_row;	/* cache of the last row label */

	/* records */
	size_t n, cap;
	int32_t *day;
	uint32_t *row;
	uint32_t *rline;
	double *val;		/* n * nfield */

	/* row labels: an arena of NUL-terminated strings and a hash table */
	char *arena;
	size_t alen, acap;
	size_t *roff;		/* row id -> arena offset */
	uint32_t nrow, rcap;
	uint32_t *htab;		/* row id + 1, or 0 for empty */
	uint32_t hcap;

	/* output */
	uint32_t *order;	/* record indices sorted by day */
	size_t pos;
};

static void
fail(struct tm_csvimp *c, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct tm_csvimp *c, uint64_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (c->status)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tm_warn("%s:%llu: %s", c->name, (unsigned long long)line, msg);
	c->status = EX_DATAERR;
}

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static const char *
rowlabel(const struct tm_csvimp *c, uint32_t id)
{
	return c->arena + c->roff[id];
}

static void
rehash(struct tm_csvimp *c)
{
	uint32_t cap = c->hcap ? c->hcap * 2 : 1024;

	free(c->htab);
	c->htab = ecalloc(cap, sizeof(*c->htab));
	c->hcap = cap;
	for (uint32_t id = 0; id < c->nrow; id++) {
		const char *s = rowlabel(c, id);
		uint32_t h = hash(s, strlen(s)) & (cap - 1);
		while (c->htab[h])
			h = (h + 1) & (cap - 1);
		c->htab[h] = id + 1;
	}
}

/* The id of row label s (n bytes), adding it on first sight. */
static uint32_t
intern(struct tm_csvimp *c, const char *s, size_t n)
{
	if (c->nrow > 0) {
		const char *l = rowlabel(c, c->last_row);
		if (strncmp(l, s, n) == 0 && l[n] == '\0')
			return c->last_row;
	}
	if ((uint64_t)(c->nrow + 1) * 2 > c->hcap)
		rehash(c);
	uint32_t h = hash(s, n) & (c->hcap - 1);
	for (; c->htab[h]; h = (h + 1) & (c->hcap - 1)) {
		uint32_t id = c->htab[h] - 1;
		const char *l = rowlabel(c, id);
		if (strncmp(l, s, n) == 0 && l[n] == '\0')
			return c->last_row = id;
	}
	if (c->nrow == c->rcap) {
		c->rcap = c->rcap ? c->rcap * 2 : 256;
		c->roff = ereallocarray(c->roff, c->rcap, sizeof(*c->roff));
	}
	if (c->alen + n + 1 > c->acap) {
		c->acap = c->acap ? c->acap * 2 : 4096;
		while (c->alen + n + 1 > c->acap)
			c->acap *= 2;
		c->arena = ereallocarray(c->arena, c->acap, 1);
	}
	memcpy(c->arena + c->alen, s, n);
	c->arena[c->alen + n] = '\0';
	c->roff[c->nrow] = c->alen;
	c->alen += n + 1;
	c->htab[h] = c->nrow + 1;
	return c->last_row = c->nrow++;
}

static int
is_missing(const char *s, size_t n)
{
	return n == 0 || (n == 2 && strcmp(s, "NA") == 0) ||
	    (n == 3 && strcasecmp(s, "nan") == 0) ||
	    (n == 4 && strcmp(s, "null") == 0);
}

/*
 * Clinger's fast path: a decimal [-]ddd[.ddd] of at most 15 digits is an
 * exact integer m over an exact power of ten, and one IEEE division rounds
 * m / 10^k correctly, as strtod would.  For F32 the same holds in float
 * arithmetic with m < 2^24 and k <= 10 (5^10 < 2^24).  Anything else goes
 * to strtod/strtof.  Returns 0 with *v set, or -1 to fall back.
 */
static int
fast_decimal(const char *s, size_t n, int f32, double *v)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	static const float p10f[] = { 1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f,
	    1e7f, 1e8f, 1e9f, 1e10f };
	const char *p = s, *e = s + n;
	uint64_t m = 0;
	int digits = 0, k = -1, neg = 0;

	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < e; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			if (++digits > 15)
				return -1;
			if (k >= 0)
				k++;
		} else if (*p == '.' && k < 0) {
			k = 0;
		} else {
			return -1;
		}
	}
	if (digits == 0)
		return -1;
	if (k < 0)
		k = 0;
	if (f32) {
		if (m >= (1u << 24) || k > 10)
			return -1;
		float x = (float)m / p10f[k];
		*v = neg ? -x : x;
	} else {
		double x = (double)m / p10[k];
		*v = neg ? -x : x;
	}
	return 0;
}

/* Parse a value; strtof for F32 so a printed float comes back bit-exact. */
static int
parse_value(const struct tm_csvimp *c, const char *s, size_t n, double *v)
{
	char *end;

	if (fast_decimal(s, n, c->dtype == TM_F32, v) == 0)
		return 0;
	if (is_missing(s, n)) {
		*v = NAN;
		return 0;
	}
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')
		return -1;
	if (c->dtype == TM_F32)
		*v = strtof(s, &end);
	else
		*v = strtod(s, &end);
	/* Underflow to a subnormal is a value we print ourselves: keep it. */
	if (end != s + n)
		return -1;
	return isfinite(*v) ? 0 : -2;
}

static void
header_field(struct tm_csvimp *c, const char *s, size_t n)
{
	if (memchr(s, '\0', n) != NULL || n > TM_MAX_LABEL ||
	    !tm_utf8_valid(s, n)) {
		fail(c, c->line, "bad column name %d (too long, or not UTF-8)",
		    c->ncol + 1);
		return;
	}
	c->cols = ereallocarray(c->cols, (size_t)c->ncol + 1, sizeof(char *));
	c->cols[c->ncol++] = estrdup(s);
}

/* The header is complete: find the date and row columns, number fields. */
static void
header_done(struct tm_csvimp *c)
{
	c->datecol = c->rowcol = -1;
	for (int i = 0; i < c->ncol; i++) {
		for (int j = 0; j < i; j++)
			if (strcmp(c->cols[i], c->cols[j]) == 0) {
				fail(c, c->line, "duplicate column '%s'", c->cols[i]);
				return;
			}
		if (strcmp(c->cols[i], "date") == 0)
			c->datecol = i;
	}
	if (c->rowname) {
		for (int i = 0; i < c->ncol; i++)
			if (strcmp(c->cols[i], c->rowname) == 0)
				c->rowcol = i;
	} else {
		for (int i = 0; i < c->ncol && c->rowcol < 0; i++)
			if (strcmp(c->cols[i], "ticker") == 0)
				c->rowcol = i;
		for (int i = 0; i < c->ncol && c->rowcol < 0; i++)
			if (strcmp(c->cols[i], "slot") == 0)
				c->rowcol = i;
	}
	if (c->datecol < 0) {
		fail(c, c->line, "no 'date' column in the header");
		return;
	}
	if (c->rowcol >= 0 && strcmp(c->cols[c->rowcol], "field") == 0) {
		fail(c, c->line, "the row column cannot be named 'field'");
		return;
	}
	if (c->rowcol < 0 || c->rowcol == c->datecol) {
		fail(c, c->line, "no row column '%s' in the header",
		    c->rowname ? c->rowname : "ticker");
		return;
	}
	c->fieldof = emalloc((size_t)c->ncol * sizeof(int));
	c->fields = ecalloc((size_t)c->ncol, sizeof(char *));
	for (int i = 0; i < c->ncol; i++) {
		if (i == c->datecol || i == c->rowcol) {
			c->fieldof[i] = -1;
			continue;
		}
		c->fields[c->nfield] = c->cols[i];
		c->fieldof[i] = c->nfield++;
	}
	c->header_done = 1;
}

/* Room for one more record; its values start as NaN. */
static double *
record_slot(struct tm_csvimp *c)
{
	if (c->n == c->cap) {
		if (c->n >= UINT32_MAX - 1) {
			fail(c, c->line, "too many rows");
			return NULL;
		}
		c->cap = c->cap ? c->cap * 2 : 4096;
		c->day = ereallocarray(c->day, c->cap, sizeof(*c->day));
		c->row = ereallocarray(c->row, c->cap, sizeof(*c->row));
		c->rline = ereallocarray(c->rline, c->cap, sizeof(*c->rline));
		c->val = ereallocarray(c->val, c->cap,
		    (size_t)(c->nfield ? c->nfield : 1) * sizeof(double));
	}
	return c->val + c->n * (size_t)c->nfield;
}

static void
on_field(void *s0, size_t n, void *arg)
{
	struct tm_csvimp *c = arg;
	const char *s = s0 ? s0 : "";
	const char *nl;

	if (c->status)
		return;
	/* A quoted field may span lines; count them for later messages.  A
	 * number or a date holding a newline is refused anyway, so only
	 * labels need the scan. */
	if (!c->header_done || c->col == c->rowcol || c->col >= c->ncol)
		for (const char *p = s; n && (nl = memchr(p, '\n',
		    n - (size_t)(p - s))); p = nl + 1)
			c->nl_in_rec++;
	if (!c->header_done) {
		header_field(c, s, n);
		c->col++;
		return;
	}
	if (c->col >= c->ncol) {
		if (c->col == c->ncol)
			fail(c, c->line, "too many columns (header has %d)",
			    c->ncol);
		c->col++;
		return;
	}
	double *v = record_slot(c);
	if (v == NULL)
		return;
	if (c->col == 0)
		for (int i = 0; i < c->nfield; i++)
			v[i] = NAN;
	if (c->col == c->datecol) {
		if (!c->have_last_date || n != 10 ||
		    memcmp(s, c->last_date, 10) != 0) {
			int32_t d;
			if (n != 10 || tm_date_parse(s, &d) == -1) {
				fail(c, c->line, "bad date '%.20s'", s);
				return;
			}
			memcpy(c->last_date, s, 10);
			c->have_last_date = 1;
			c->last_day = d;
		}
		c->cur_day = c->last_day;
		c->seen_date = 1;
	} else if (c->col == c->rowcol) {
		if (n > TM_MAX_LABEL || memchr(s, '\0', n) != NULL ||
		    !tm_utf8_valid(s, n)) {
			fail(c, c->line, "bad row label (too long, or not UTF-8)");
			return;
		}
		c->cur_row = intern(c, s, n);
		c->seen_row = 1;
	} else {
		int rc = parse_value(c, s, n, &v[c->fieldof[c->col]]);
		if (rc < 0) {
			fail(c, c->line, "column '%s': '%.40s' is %s",
			    c->cols[c->col], s, rc == -1 ? "not a number" :
			    c->dtype == TM_F32 ? "out of range for F32" :
			    "out of range");
			return;
		}
	}
	c->col++;
}

static void
on_record(int term, void *arg)
{
	struct tm_csvimp *c = arg;

	if (c->status)
		return;
	if (c->col == 0) {
		/* An empty line, or the LF of a CRLF pair. */
		if (!(term == '\n' && c->prev_term == '\r'))
			c->line++;
		c->prev_term = term;
		return;
	}
	if (!c->header_done) {
		header_done(c);
	} else if (c->col != c->ncol) {
		fail(c, c->line, "%d columns, header has %d", c->col, c->ncol);
		return;
	} else {
		c->day[c->n] = c->cur_day;
		c->row[c->n] = c->cur_row;
		c->rline[c->n] = c->line > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)c->line;
		c->n++;
	}
	c->line += 1 + c->nl_in_rec;
	c->nl_in_rec = 0;
	c->col = 0;
	c->prev_term = term;
}

/* Bucket records by day (stable), then refuse a row twice on one day. */
static void
sort_records(struct tm_csvimp *c)
{
	uint32_t *count = ecalloc(NDAYS + 1, sizeof(uint32_t));
	int32_t dmin = tm_date_from_ymd(1800, 1, 1);

	c->order = emalloc((c->n ? c->n : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < c->n; i++)
		count[c->day[i] - dmin + 1]++;
	for (size_t d = 1; d <= NDAYS; d++)
		count[d] += count[d - 1];
	for (size_t i = 0; i < c->n; i++)
		c->order[count[c->day[i] - dmin]++] = (uint32_t)i;
	free(count);

	uint32_t *seen = ecalloc(c->nrow ? c->nrow : 1, sizeof(uint32_t));
	uint32_t *first = ecalloc(c->nrow ? c->nrow : 1, sizeof(uint32_t));
	uint32_t frame = 0;
	for (size_t k = 0; k < c->n && !c->status; k++) {
		uint32_t i = c->order[k];
		if (k == 0 || c->day[i] != c->day[c->order[k - 1]])
			frame++;
		if (seen[c->row[i]] == frame) {
			char buf[16];
			fail(c, c->rline[i], "duplicate row '%s' on %s (first "
			    "at line %u)", rowlabel(c, c->row[i]),
			    tm_date_fmt(c->day[i], buf), first[c->row[i]]);
		}
		seen[c->row[i]] = frame;
		first[c->row[i]] = c->rline[i];
	}
	free(seen);
	free(first);
}

static struct tm_csvimp *
imp_new(const char *name, const char *rowcol, enum tm_dtype dt)
{
	struct tm_csvimp *c = ecalloc(1, sizeof(*c));

	c->name = estrdup(name);
	c->rowname = rowcol ? estrdup(rowcol) : NULL;
	c->dtype = dt == TM_F32 ? TM_F32 : TM_F64;
	c->line = 1;
	c->prev_term = -2;
	return c;
}

static int
imp_finish(struct tm_csvimp *c, struct csv_parser *p)
{
	if (!c->status)
		csv_fini(p, on_field, on_record, c);
	csv_free(p);
	if (c->status)
		return -1;
	if (c->ncol == 0) {
		fail(c, c->line, "empty input");
		return -1;
	}
	if (!c->header_done)
		header_done(c);
	if (!c->status && c->n == 0)
		fail(c, c->line, "no data lines");
	if (!c->status)
		sort_records(c);
	return c->status ? -1 : 0;
}

struct tm_csvimp *
tm_csvimp_read(FILE *fp, const char *name, const char *rowcol,
    enum tm_dtype dt, int *status)
{
	struct tm_csvimp *c = imp_new(name, rowcol, dt);
	struct csv_parser p;
	static char buf[1 << 16];
	size_t got;

	*status = 0;
	if (csv_init(&p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		tm_die(EX_OSERR, "csv_init failed");
	while (!c->status && (got = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (csv_parse(&p, buf, got, on_field, on_record, c) != got &&
		    !c->status)
			fail(c, c->line, "%s", csv_strerror(csv_error(&p)));
	if (!c->status && ferror(fp)) {
		tm_warn("%s: read error:", name);
		c->status = EX_IOERR;
	}
	if (imp_finish(c, &p) == -1) {
		*status = c->status;
		tm_csvimp_free(c);
		return NULL;
	}
	return c;
}

struct tm_csvimp *
tm_csvimp_parse(const void *buf, size_t len, const char *name,
    const char *rowcol, enum tm_dtype dt, int *status)
{
	struct tm_csvimp *c = imp_new(name, rowcol, dt);
	struct csv_parser p;

	*status = 0;
	if (csv_init(&p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		tm_die(EX_OSERR, "csv_init failed");
	if (csv_parse(&p, buf, len, on_field, on_record, c) != len &&
	    !c->status)
		fail(c, c->line, "%s", csv_strerror(csv_error(&p)));
	if (imp_finish(c, &p) == -1) {
		*status = c->status;
		tm_csvimp_free(c);
		return NULL;
	}
	return c;
}

int
tm_csvimp_next(struct tm_csvimp *c, struct tm_frame *f)
{
	size_t a = c->pos, b = a;
	char date[16];

	if (a >= c->n)
		return 0;
	int32_t day = c->day[c->order[a]];
	while (b < c->n && c->day[c->order[b]] == day)
		b++;
	if (tm_frame_shape2(f, c->dtype, c->cols[c->rowcol], (int64_t)(b - a),
	    "field", c->nfield) == -1)
		tm_die(EX_SOFTWARE, "%s: frame too large", c->name);
	for (int j = 0; j < c->nfield; j++)
		tm_frame_set_label(f, 1, j, c->fields[j]);
	for (size_t k = a; k < b; k++) {
		uint32_t i = c->order[k];
		const double *v = c->val + (size_t)i * (size_t)c->nfield;
		size_t r = k - a;
		tm_frame_set_label(f, 0, (int64_t)r, rowlabel(c, c->row[i]));
		if (c->dtype == TM_F32) {
			float *out = (float *)f->data + r * (size_t)c->nfield;
			for (int j = 0; j < c->nfield; j++)
				out[j] = (float)v[j];
		} else {
			memcpy((double *)f->data + r * (size_t)c->nfield, v,
			    (size_t)c->nfield * sizeof(double));
		}
	}
	tm_frame_set_date(f, tm_date_fmt(day, date));
	f->encoding = TM_RAW;
	c->pos = b;
	return 1;
}

int64_t
tm_csvimp_rows(const struct tm_csvimp *c)
{
	return (int64_t)c->n;
}

void
tm_csvimp_free(struct tm_csvimp *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->ncol; i++)
		free(c->cols[i]);
	free(c->cols);
	free(c->fieldof);
	free(c->fields);
	free(c->day);
	free(c->row);
	free(c->rline);
	free(c->val);
	free(c->arena);
	free(c->roff);
	free(c->htab);
	free(c->order);
	free(c->name);
	free(c->rowname);
	free(c);
}
