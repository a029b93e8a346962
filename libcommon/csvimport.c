/*
 * csvimport.c - a long CSV (date,row,field...) turned into TMT frames.
 *
 * The input is read in chunks (gzip inflated on the way by ISA-L's igzip,
 * 6-7x zlib's inflate on the real price CSV, when it starts with the gzip
 * magic).  A line with no quote, space or tab is split
 * at its commas here; any other line goes to libcsv, which alone knows
 * quoting and the trimming of blanks, until libcsv is back between
 * records.  Both feed the same field and record handlers, so the frames do
 * not depend on which path a line took (TM_CSVIMP_LIBCSV=1 in the
 * environment sends every line to libcsv: the tests compare the two).
 *
 * Each record (row id, line number, values) is appended to its day's
 * bucket as it is parsed, so a frame's rows are contiguous in input order
 * and a long file sorted by ticker is never gathered across one big array;
 * frames come out in date order.  Row labels are interned once in a hash
 * table; dates go through a small direct-mapped cache, since long CSVs
 * repeat the same few thousand dates.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include <isa-l/igzip_lib.h>

#include "tm.h"

#define NDAYS 160000	/* days from 1800-01-01, tm_date_parse's floor, to 2200 */
#define DCACHE 4096	/* date cache entries, a power of two */
#define CHUNK (1 << 20)	/* bytes parsed at a time */

/* The records of one day, in input order. */
struct bucket {
	int32_t day;
	uint32_t n, cap;
	uint32_t *row;
	uint32_t *rline;
	double *val;		/* n * nfield */
};

struct dcache {
	char s[10];
	int32_t day;		/* valid when s[0] != 0 */
};

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
	struct dcache *dc;	/* DCACHE dates seen, by a hash of the text */
	uint32_t last_row;	/* cache of the last row label */
	double *cur;		/* values of the record being parsed */
	int slow;		/* every line through libcsv */
	int in_csv;		/* libcsv is inside a record */

	/* records, bucketed by day */
	size_t n;
	struct bucket *bk;
	uint32_t nbk, bkcap;
	uint32_t *bkof;		/* day - 1800-01-01 -> bucket + 1, or 0 */
	int32_t dmin;

	/* row labels: an arena of NUL-terminated strings and a hash table */
	char *arena;
	size_t alen, acap;
	size_t *roff;		/* row id -> arena offset */
	uint32_t nrow, rcap;
	uint32_t *htab;		/* row id + 1, or 0 for empty */
	uint32_t hcap;

	/* output */
	uint32_t *order;	/* bucket indices sorted by day */
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
	free(c->cur);
	c->cur = ecalloc(c->nfield ? (size_t)c->nfield : 1, sizeof(double));
	c->header_done = 1;
}

/* Append the record just parsed (c->cur) to the bucket of its day. */
static void
record_add(struct tm_csvimp *c)
{
	if (c->n >= UINT32_MAX - 1) {
		fail(c, c->line, "too many rows");
		return;
	}
	uint32_t *bi = &c->bkof[c->cur_day - c->dmin];
	if (*bi == 0) {
		if (c->nbk == c->bkcap) {
			c->bkcap = c->bkcap ? c->bkcap * 2 : 256;
			c->bk = ereallocarray(c->bk, c->bkcap, sizeof(*c->bk));
		}
		memset(&c->bk[c->nbk], 0, sizeof(*c->bk));
		c->bk[c->nbk].day = c->cur_day;
		*bi = ++c->nbk;
	}
	struct bucket *b = &c->bk[*bi - 1];
	size_t nf = (size_t)(c->nfield ? c->nfield : 1);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->row = ereallocarray(b->row, b->cap, sizeof(*b->row));
		b->rline = ereallocarray(b->rline, b->cap, sizeof(*b->rline));
		b->val = ereallocarray(b->val, b->cap, nf * sizeof(double));
	}
	b->row[b->n] = c->cur_row;
	b->rline[b->n] = c->line > UINT32_MAX ? UINT32_MAX : (uint32_t)c->line;
	memcpy(b->val + (size_t)b->n * nf, c->cur, (size_t)c->nfield *
	    sizeof(double));
	b->n++;
	c->n++;
}

/* The day of a 10-byte date s (NUL-terminated at s[10] or not: n says),
 * through the cache, which holds only dates tm_date_parse accepted. */
static int
parse_day(struct tm_csvimp *c, const char *s, size_t n, int32_t *day)
{
	if (n != 10)
		return -1;
	uint32_t h = hash(s, 10) & (DCACHE - 1);
	struct dcache *e = &c->dc[h];
	if (e->s[0] && memcmp(e->s, s, 10) == 0) {
		*day = e->day;
		return 0;
	}
	if (tm_date_parse(s, day) == -1)
		return -1;
	memcpy(e->s, s, 10);
	e->day = *day;
	return 0;
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
	double *v = c->cur;
	if (c->col == 0)
		for (int i = 0; i < c->nfield; i++)
			v[i] = NAN;
	if (c->col == c->datecol) {
		if (parse_day(c, s, n, &c->cur_day) == -1) {
			fail(c, c->line, "bad date '%.20s'", s);
			return;
		}
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
		record_add(c);
		if (c->status)
			return;
	}
	c->line += 1 + c->nl_in_rec;
	c->nl_in_rec = 0;
	c->col = 0;
	c->prev_term = term;
}

static int
cmp_bucket_day(const void *a, const void *b, void *arg)
{
	const struct tm_csvimp *c = arg;
	int32_t x = c->bk[*(const uint32_t *)a].day;
	int32_t y = c->bk[*(const uint32_t *)b].day;

	return (x > y) - (x < y);
}

/* Order the buckets by day, then refuse a row twice on one day (the first
 * in date order, then input order, is the one reported). */
static void
sort_records(struct tm_csvimp *c)
{
	c->order = emalloc((c->nbk ? c->nbk : 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < c->nbk; i++)
		c->order[i] = i;
	qsort_r(c->order, c->nbk, sizeof(uint32_t), cmp_bucket_day, c);

	uint32_t *seen = ecalloc(c->nrow ? c->nrow : 1, sizeof(uint32_t));
	uint32_t *first = ecalloc(c->nrow ? c->nrow : 1, sizeof(uint32_t));
	for (uint32_t k = 0; k < c->nbk && !c->status; k++) {
		const struct bucket *b = &c->bk[c->order[k]];
		for (uint32_t i = 0; i < b->n && !c->status; i++) {
			uint32_t r = b->row[i];
			if (seen[r] == k + 1) {
				char buf[16];
				fail(c, b->rline[i], "duplicate row '%s' on %s "
				    "(first at line %u)", rowlabel(c, r),
				    tm_date_fmt(b->day, buf), first[r]);
			}
			seen[r] = k + 1;
			first[r] = b->rline[i];
		}
	}
	free(seen);
	free(first);
}

static struct tm_csvimp *
imp_new(const char *name, const char *rowcol, enum tm_dtype dt)
{
	struct tm_csvimp *c = ecalloc(1, sizeof(*c));
	const char *slow = getenv("TM_CSVIMP_LIBCSV");

	c->name = estrdup(name);
	c->rowname = rowcol ? estrdup(rowcol) : NULL;
	c->dtype = dt == TM_F32 ? TM_F32 : TM_F64;
	c->line = 1;
	c->prev_term = -2;
	c->slow = slow && strcmp(slow, "1") == 0;
	c->dc = ecalloc(DCACHE, sizeof(*c->dc));
	c->bkof = ecalloc(NDAYS + 1, sizeof(*c->bkof));
	c->dmin = tm_date_from_ymd(1800, 1, 1);
	c->cur = ecalloc(1, sizeof(double));
	return c;
}

/* Byte classes of the unquoted fast path. */
enum { B_PLAIN, B_COMMA, B_EOL, B_CSV };

static unsigned char bclass[256] = {
	[','] = B_COMMA, ['\r'] = B_EOL, ['\n'] = B_EOL,
	['"'] = B_CSV, [' '] = B_CSV, ['\t'] = B_CSV,
};

/*
 * Parse the complete lines of buf[0..len) (buf[len] must be writable); at
 * the end of the input (final) the last line too, terminated or not.
 * Returns the bytes consumed: the rest, a partial line, is to come again
 * with more after it.  Fields of a fast-path line are cut in place (the
 * comma or line end becomes a NUL), as libcsv's CSV_APPEND_NULL gives them.
 */
static size_t
feed(struct tm_csvimp *c, struct csv_parser *p, char *buf, size_t len,
    int final)
{
	char *s = buf, *e = buf + len;

	while (s < e && !c->status) {
		char *q = s;
		int kind = B_PLAIN;
		while (q < e && (kind = bclass[(unsigned char)*q]) != B_EOL &&
		    kind != B_CSV)
			q++;
		if (q < e && kind == B_CSV)
			while (q < e && bclass[(unsigned char)*q] != B_EOL)
				q++;
		if (q == e && !final)
			break;
		size_t n = (size_t)(q - s) + (q < e);
		if (c->in_csv || c->slow || kind == B_CSV) {
			if (csv_parse(p, s, n, on_field, on_record, c) != n &&
			    !c->status)
				fail(c, c->line, "%s", csv_strerror(csv_error(p)));
			c->in_csv = p->pstate != 0;
			s += n;
			continue;
		}
		int term = q < e ? (unsigned char)*q : -1;
		if (q > s) {
			char *f = s;
			for (char *r = s; r < q; r++)
				if (*r == ',') {
					*r = '\0';
					on_field(f, (size_t)(r - f), c);
					f = r + 1;
				}
			*q = '\0';
			on_field(f, (size_t)(q - f), c);
			if (!c->status)
				on_record(term, c);
		} else {
			on_record(term, c);
		}
		s += n;
	}
	return (size_t)(s - buf);
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

/*
 * A source of CSV bytes: fp as it is, or inflated when it starts with the
 * gzip magic (members one after another, as gzip -c a b > c makes, are
 * read as one).  get() returns the bytes put in buf (0 at the end) or -1
 * after a message.
 */
struct src {
	FILE *fp;
	struct tm_csvimp *c;
	int gz, zend;
	struct inflate_state *z;
	unsigned char *zin;
	size_t head;		/* bytes of the first read not yet handed */
};

static long
src_get(struct src *r, char *buf, size_t cap)
{
	if (!r->gz) {
		if (r->head) {
			size_t n = r->head < cap ? r->head : cap;
			memcpy(buf, r->zin, n);
			memmove(r->zin, r->zin + n, r->head - n);
			r->head -= n;
			return (long)n;
		}
		size_t got = fread(buf, 1, cap, r->fp);
		if (got == 0 && ferror(r->fp))
			return -1;
		return (long)got;
	}
	struct inflate_state *z = r->z;
	z->next_out = (uint8_t *)buf;
	z->avail_out = (uint32_t)cap;
	while (z->avail_out == cap) {
		if (z->avail_in == 0) {
			size_t got = fread(r->zin, 1, CHUNK, r->fp);
			if (got == 0 && ferror(r->fp))
				return -1;
			z->next_in = r->zin;
			z->avail_in = (uint32_t)got;
			if (got == 0) {
				if (r->zend)
					return 0;
				fail(r->c, r->c->line, "truncated gzip data");
				return -2;
			}
		}
		if (r->zend) {
			/* another member after the end of one */
			uint8_t *in = z->next_in;
			uint32_t nin = z->avail_in;
			isal_inflate_reset(z);
			z->crc_flag = ISAL_GZIP;
			z->next_in = in;
			z->avail_in = nin;
			z->next_out = (uint8_t *)buf + (cap - z->avail_out);
			r->zend = 0;
		}
		int rc = isal_inflate(z);
		if (rc < 0) {
			fail(r->c, r->c->line, "bad gzip data (igzip error %d)",
			    rc);
			return -2;
		}
		if (z->block_state == ISAL_BLOCK_FINISH)
			r->zend = 1;
	}
	return (long)(cap - z->avail_out);
}

struct tm_csvimp *
tm_csvimp_read(FILE *fp, const char *name, const char *rowcol,
    enum tm_dtype dt, int *status)
{
	struct tm_csvimp *c = imp_new(name, rowcol, dt);
	struct csv_parser p;
	struct src r = { .fp = fp, .c = c };
	size_t cap = CHUNK, have = 0;
	char *buf = emalloc(cap + 1);
	long got;

	*status = 0;
	if (csv_init(&p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		tm_die(EX_OSERR, "csv_init failed");
	r.zin = emalloc(CHUNK);
	r.head = fread(r.zin, 1, 2, fp);
	if (r.head == 2 && r.zin[0] == 0x1f && r.zin[1] == 0x8b) {
		r.gz = 1;
		r.z = emalloc(sizeof(*r.z));
		isal_inflate_init(r.z);
		r.z->crc_flag = ISAL_GZIP;
		r.z->next_in = r.zin;
		r.z->avail_in = 2;
		r.head = 0;
	}
	for (;;) {
		if (have == cap) {
			cap *= 2;	/* a line longer than the buffer */
			buf = ereallocarray(buf, cap + 1, 1);
		}
		if ((got = src_get(&r, buf + have, cap - have)) <= 0)
			break;
		have += (size_t)got;
		size_t used = feed(c, &p, buf, have, 0);
		if (c->status)
			break;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	if (got == -1 && !c->status) {
		tm_warn("%s: read error:", name);
		c->status = EX_IOERR;
	}
	if (!c->status && got == 0)
		feed(c, &p, buf, have, 1);
	free(r.z);
	free(r.zin);
	free(buf);
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
	char *copy = emalloc(len + 1);

	*status = 0;
	if (csv_init(&p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		tm_die(EX_OSERR, "csv_init failed");
	if (len)
		memcpy(copy, buf, len);
	feed(c, &p, copy, len, 1);
	free(copy);
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
	char date[16];

	if (c->pos >= c->nbk)
		return 0;
	const struct bucket *b = &c->bk[c->order[c->pos]];
	size_t nf = (size_t)c->nfield;
	if (tm_frame_shape2(f, c->dtype, c->cols[c->rowcol], (int64_t)b->n,
	    "field", c->nfield) == -1)
		tm_die(EX_SOFTWARE, "%s: frame too large", c->name);
	for (int j = 0; j < c->nfield; j++)
		tm_frame_set_label(f, 1, j, c->fields[j]);
	for (uint32_t r = 0; r < b->n; r++)
		tm_frame_set_label(f, 0, (int64_t)r, rowlabel(c, b->row[r]));
	if (c->dtype == TM_F32) {
		float *out = (float *)f->data;
		for (size_t k = 0; k < (size_t)b->n * nf; k++)
			out[k] = (float)b->val[k];
	} else if (b->n && nf) {
		memcpy(f->data, b->val, (size_t)b->n * nf * sizeof(double));
	}
	tm_frame_set_date(f, tm_date_fmt(b->day, date));
	f->encoding = TM_RAW;
	c->pos++;
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
	for (uint32_t i = 0; i < c->nbk; i++) {
		free(c->bk[i].row);
		free(c->bk[i].rline);
		free(c->bk[i].val);
	}
	free(c->bk);
	free(c->bkof);
	free(c->dc);
	free(c->cur);
	free(c->arena);
	free(c->roff);
	free(c->htab);
	free(c->order);
	free(c->name);
	free(c->rowname);
	free(c);
}
