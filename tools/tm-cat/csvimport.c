/*
 * csvimport.c - tm-cat --import: a long CSV (date,row,field...) turned
 * into TMT frames.  The bytes, quoting, gzip and line numbers are
 * libcommon's CSV reader's (csvread.c); the columns follow its import
 * rule, shared with tm-fetch --csv; what is here is the mapping of the
 * columns to frames.
 *
 * Each record (row id, line number, values) is appended to its day's
 * bucket as it is parsed, so a frame's rows are contiguous in input order
 * and a long file sorted by ticker is never gathered across one big array;
 * frames come out in date order.  Row labels are interned once in a hash
 * table, the last row's checked first (a file sorted by ticker); dates go
 * through a two-way cache, since long CSVs repeat the same few thousand
 * dates; a frame's row label table is moved over from the last frame's.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvimport.h"
#include "decimal.h"

#define NDAYS 160000	/* days from 1800-01-01, tm_date_parse's floor, to 2200 */
#define DCBITS 14	/* date cache: 2^DCBITS sets of two entries */

/* The records of one day, in input order. */
struct bucket {
	int32_t day;
	uint32_t n, cap;
	uint32_t *row;
	uint32_t *rline;
	double *val;		/* n * nfield */
};

struct dcache {
	uint64_t a;		/* the date's bytes 0-7 */
	uint16_t b;		/* and 8-9; 0 (never digits): empty */
	int32_t day;
};

struct csvimp {
	struct tm_csv *csv;
	char *name;
	int status;		/* 0, or the EX_ code of the failure */
	enum tm_dtype dtype;

	/* header */
	int ncol, nfield;
	char *axis;		/* name of the row axis */
	char **fields;		/* nfield labels */
	int datecol, rowcol;	/* rowcol -1: every row is ticker's */
	char *ticker;
	int *fieldof;		/* column -> field index, or -1 */
	char **cols;		/* ncol header names */

	/* parser state */
	int32_t cur_day;
	uint32_t cur_row;
	uint32_t line;		/* of the record being parsed */
	struct dcache *dc;	/* dates seen, by a hash of the text */
	uint32_t last_row;	/* cache of the last row label */
	size_t last_len;	/* its length */
	double *cur;		/* values of the record being parsed */

	/* records, bucketed by day */
	size_t n;
	struct bucket *bk;
	uint32_t nbk, bkcap;
	uint32_t *bkof;		/* day - 1800-01-01 -> bucket + 1, or 0 */
	int32_t dmin;

	/* row labels: an arena of NUL-terminated strings and a hash table */
	struct tm_buf arena;
	size_t *roff;		/* row id -> arena offset */
	uint32_t nrow, rcap;
	uint32_t *htab;		/* row id + 1, or 0 for empty */
	uint32_t hcap;

	/* output */
	uint32_t *order;	/* bucket indices sorted by day */
	size_t pos;
	char **lastlab;		/* the row label table of the last frame */
	int64_t lastn;
	const uint32_t *lastid;	/* its row ids */
	char **byid;		/* row id -> a label string to reuse */
};

/* A failure found after the reading, at a line of its own. */
static void
fail_line(struct csvimp *c, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail_line(struct csvimp *c, uint32_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (c->status)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->status = EX_DATAERR;
	tm_fail(EX_DATAERR, "%s:%u: %s", c->name, line, msg);
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
rowlabel(const struct csvimp *c, uint32_t id)
{
	return c->arena.p + c->roff[id];
}

/* 1 when s (n bytes) is the last row's label: a byte loop, as a label is
 * a few bytes (libc's memcmp showed as a tenth of an import's time). */
static int
is_last_row(const struct csvimp *c, const char *s, size_t n)
{
	if (c->nrow == 0 || n != c->last_len)
		return 0;
	const char *l = rowlabel(c, c->last_row);
	for (size_t i = 0; i < n; i++)
		if (l[i] != s[i])
			return 0;
	return 1;
}

static void
rehash(struct csvimp *c)
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

/* The id of row label s (n bytes, no NUL among them), adding it on first
 * sight; it becomes the last row (last_row, last_len). */
static uint32_t
intern(struct csvimp *c, const char *s, size_t n)
{
	if (is_last_row(c, s, n))
		return c->last_row;
	c->last_len = n;
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
	c->roff[c->nrow] = tm_buf_addz(&c->arena, s, n);
	c->htab[h] = c->nrow + 1;
	return c->last_row = c->nrow++;
}

/* Parse a value; strtof for F32 so a printed float comes back bit-exact. */
static int
parse_value(const struct csvimp *c, const char *s, size_t n, double *v)
{
	char *end;

	if (tm_csv_decimal(s, n, c->dtype == TM_F32, v) == 0)
		return 0;
	if (c->dtype != TM_F32 || tm_csv_missing(s, n))
		return tm_csv_number(s, n, v);
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')
		return -1;
	*v = strtof(s, &end);
	/* Underflow to a subnormal is a value we print ourselves: keep it. */
	if (end != s + n)
		return -1;
	return isfinite(*v) ? 0 : -2;
}

/* The header: the date and row columns by the import rule (tm.h), the
 * others fields, a price column under its name in the price stream. */
static int
header(struct csvimp *c, struct tm_csvfield *h, int nh, const char *rowname)
{
	struct tm_import im = { .rowname = rowname };

	for (int i = 0; i < nh; i++)
		if (memchr(h[i].s, '\0', h[i].len) != NULL ||
		    h[i].len > TM_MAX_LABEL || !tm_utf8_valid(h[i].s, h[i].len))
			return tm_csv_fail(c->csv, "bad column name %d (too "
			    "long, or not UTF-8)", i + 1);
	/* Slot streams export a slot column; there is no ticker in them. */
	if (rowname == NULL) {
		int tick = 0, slot = -1;
		for (int i = 0; i < nh; i++) {
			char k[8];
			tm_csv_key(h[i].s, k, sizeof(k));
			tick |= tm_price_column(h[i].s) == TM_COL_TICKER;
			if (slot < 0 && strcmp(k, "slot") == 0)
				slot = i;
		}
		if (!tick && slot >= 0)
			im.rowname = h[slot].s;
	}
	if (tm_import_header(c->csv, h, nh, &im) == -1)
		return -1;
	c->ncol = nh;
	c->datecol = im.datecol;
	c->rowcol = im.rowcol;
	c->ticker = im.ticker;
	c->axis = estrdup(rowname ? h[c->rowcol].s : im.rowname ? "slot" :
	    "ticker");
	if (strcmp(c->axis, "field") == 0)
		return tm_csv_fail(c->csv, "the row column cannot be named "
		    "'field'");
	c->cols = ecalloc((size_t)nh, sizeof(char *));
	c->fieldof = emalloc((size_t)nh * sizeof(int));
	c->fields = ecalloc((size_t)nh, sizeof(char *));
	for (int i = 0; i < nh; i++) {
		int k = tm_price_column(h[i].s);
		c->cols[i] = estrdup(h[i].s);
		c->fieldof[i] = -1;
		if (i == c->datecol || i == c->rowcol)
			continue;
		c->fields[c->nfield] = k >= 0 ? (char *)tm_price_fields[k] :
		    c->cols[i];
		c->fieldof[i] = c->nfield++;
	}
	free(c->cur);
	c->cur = ecalloc(c->nfield ? (size_t)c->nfield : 1, sizeof(double));
	if (c->ticker)
		c->cur_row = intern(c, c->ticker, strlen(c->ticker));
	return 0;
}

/* Append the record just parsed (c->cur) to the bucket of its day. */
static int
record_add(struct csvimp *c)
{
	if (c->n >= UINT32_MAX - 1)
		return tm_csv_fail(c->csv, "too many rows");
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
	b->rline[b->n] = c->line;
	memcpy(b->val + (size_t)b->n * nf, c->cur, (size_t)c->nfield *
	    sizeof(double));
	b->n++;
	c->n++;
	return 0;
}

/* The day of a 10-byte date s (NUL-terminated at s[10] or not: n says),
 * through the cache, which holds only dates tm_date_parse accepted.  The
 * set is the date's own number, (year mod 100, month, day) counted in
 * 31-day months, so a ticker's dates one after another fall in neighbour
 * sets: the 100 KB that eight years of dates use stay in cache (a hash of
 * the bytes spread them over 1 MB, a cache miss a record).  Any bytes
 * give some set and the cache compares all ten; dates 44 years apart
 * share a set, and its two entries keep a pair from taking turns. */
static int
parse_day(struct csvimp *c, const char *s, size_t n, int32_t *day)
{
	uint64_t a;
	uint16_t b;

	if (n != 10)
		return -1;
	memcpy(&a, s, 8);
	memcpy(&b, s + 8, 2);
	unsigned yy = (unsigned)(s[2] & 15) * 10 + (unsigned)(s[3] & 15);
	unsigned mm = (unsigned)(s[5] & 15) * 10 + (unsigned)(s[6] & 15);
	unsigned dd = (unsigned)(s[8] & 15) * 10 + (unsigned)(s[9] & 15);
	unsigned set = ((yy * 12 + mm) * 31 + dd) & ((1u << DCBITS) - 1);
	struct dcache *e = &c->dc[(size_t)set * 2];
	for (int k = 0; k < 2; k++)
		if (e[k].a == a && e[k].b == b) {
			*day = e[k].day;
			return 0;
		}
	if (tm_date_parse(s, day) == -1)
		return -1;
	/* The newest first; two dates of one set both stay. */
	e[1] = e[0];
	e[0].a = a;
	e[0].b = b;
	e[0].day = *day;
	return 0;
}

/* One data record: its day, row and values into the day's bucket. */
static int
record(struct csvimp *c, struct tm_csvfield *v, int n)
{
	double *val = c->cur;

	if (tm_import_width(c->csv, n, c->ncol) == -1)
		return -1;
	long line = tm_csv_line(c->csv);
	c->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	for (int i = 0; i < c->nfield; i++)
		val[i] = NAN;
	for (int i = 0; i < n; i++) {
		const char *s = v[i].s;
		size_t len = v[i].len;
		if (i == c->datecol) {
			if (parse_day(c, s, len, &c->cur_day) == -1)
				return tm_csv_fail(c->csv, "bad date '%.20s'", s);
		} else if (i == c->rowcol) {
			/* The last row's label again (a file sorted by
			 * ticker) was checked when it was interned. */
			if (is_last_row(c, s, len)) {
				c->cur_row = c->last_row;
				continue;
			}
			if (len > TM_MAX_LABEL || memchr(s, '\0', len) != NULL ||
			    !tm_utf8_valid(s, len))
				return tm_csv_fail(c->csv, "bad row label (too "
				    "long, or not UTF-8)");
			c->cur_row = intern(c, s, len);
		} else {
			int rc = parse_value(c, s, len, &val[c->fieldof[i]]);
			if (rc < 0)
				return tm_csv_fail(c->csv, "column '%s': '%.40s' "
				    "is %s", c->cols[i], s, rc == -1 ?
				    "not a number" : c->dtype == TM_F32 ?
				    "out of range for F32" : "out of range");
		}
	}
	return record_add(c);
}

static int
cmp_bucket_day(const void *a, const void *b, void *arg)
{
	const struct csvimp *c = arg;
	int32_t x = c->bk[*(const uint32_t *)a].day;
	int32_t y = c->bk[*(const uint32_t *)b].day;

	return (x > y) - (x < y);
}

/* Order the buckets by day, then refuse a row twice on one day (the first
 * in date order, then input order, is the one reported). */
static void
sort_records(struct csvimp *c)
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
				fail_line(c, b->rline[i], "duplicate row '%s' on %s "
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

static struct csvimp *
imp_read(struct tm_csv *csv, const char *rowcol, enum tm_dtype dt)
{
	struct csvimp *c = ecalloc(1, sizeof(*c));
	struct tm_csvfield *v;
	int n, rc;

	c->csv = csv;
	c->name = estrdup(tm_csv_name(csv));
	c->dtype = dt == TM_F32 ? TM_F32 : TM_F64;
	c->dc = ecalloc((size_t)2 << DCBITS, sizeof(*c->dc));
	c->bkof = ecalloc(NDAYS + 1, sizeof(*c->bkof));
	c->dmin = tm_date_from_ymd(1800, 1, 1);
	c->cur = ecalloc(1, sizeof(double));
	rc = tm_csv_header(csv, &v, &n);
	if (rc == 1)
		rc = header(c, v, n, rowcol);
	while (rc != -1 && (rc = tm_csv_next(csv, &v, &n)) == 1)
		rc = record(c, v, n);
	if (rc == 0 && c->n == 0)
		rc = tm_csv_fail(csv, "no data lines");
	if (rc == 0)
		sort_records(c);
	tm_csv_free(csv);
	c->csv = NULL;
	if (rc == -1 || c->status) {
		csvimp_free(c);
		return NULL;
	}
	return c;
}

struct csvimp *
csvimp_open(const char *path, const char *rowcol, enum tm_dtype dt)
{
	struct tm_csv *csv = tm_csv_open(path);

	return csv ? imp_read(csv, rowcol, dt) : NULL;
}

struct csvimp *
csvimp_parse(const void *buf, size_t len, const char *name,
    const char *rowcol, enum tm_dtype dt)
{
	return imp_read(tm_csv_mem(buf, len, name), rowcol, dt);
}

/*
 * The row label table of bucket b for frame f.  A frame is most often the
 * one the last call filled, its table this importer's (the pointer and the
 * length say so): then the strings of the rows it shares with this day are
 * moved over, each checked against its label, and only new rows are
 * copied; a caller that changed the table loses nothing but the time.
 */
static char **
row_table(struct csvimp *c, const struct bucket *b, char **old, int64_t nold)
{
	char **tab = emalloc((b->n ? b->n : 1) * sizeof(char *));

	if (old && c->byid == NULL)
		c->byid = ecalloc(c->nrow ? c->nrow : 1, sizeof(char *));
	for (int64_t i = 0; i < nold; i++)
		c->byid[c->lastid[i]] = old[i];
	for (uint32_t r = 0; r < b->n; r++) {
		uint32_t id = b->row[r];
		const char *l = rowlabel(c, id);
		char *s = old ? c->byid[id] : NULL;
		if (s && strcmp(s, l) == 0) {
			tab[r] = s;
			c->byid[id] = NULL;
		} else
			tab[r] = estrdup(l);
	}
	for (int64_t i = 0; i < nold; i++) {
		uint32_t id = c->lastid[i];
		if (c->byid[id] == old[i]) {
			free(old[i]);
			c->byid[id] = NULL;
		}
	}
	free(old);
	return tab;
}

int
csvimp_next(struct csvimp *c, struct tm_frame *f)
{
	char date[16];
	char **old = NULL;
	int64_t nold = 0;

	if (c->pos >= c->nbk)
		return 0;
	const struct bucket *b = &c->bk[c->order[c->pos]];
	size_t nf = (size_t)c->nfield;
	if (c->lastlab && f->ndim == 2 && f->labels[0] == c->lastlab &&
	    f->shape[0] == c->lastn) {
		/* Out of f, so that reshaping it keeps the table. */
		old = f->labels[0];
		nold = c->lastn;
		f->labels[0] = NULL;
	}
	/* Unset: every value is written below. */
	if (tm_frame_shape_unset(f, c->dtype, 2, (int64_t[]){ (int64_t)b->n,
	    c->nfield }, (const char *[]){ c->axis, "field" }) == -1)
		tm_die(EX_SOFTWARE, "%s: frame too large", c->name);
	for (int j = 0; j < c->nfield; j++)
		tm_frame_set_label(f, 1, j, c->fields[j]);
	f->labels[0] = row_table(c, b, old, nold);
	c->lastlab = f->labels[0];
	c->lastn = (int64_t)b->n;
	c->lastid = b->row;
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
csvimp_rows(const struct csvimp *c)
{
	return (int64_t)c->n;
}

void
csvimp_free(struct csvimp *c)
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
	tm_buf_free(&c->arena);
	free(c->roff);
	free(c->htab);
	free(c->order);
	free(c->byid);
	free(c->name);
	free(c->axis);
	free(c->ticker);
	free(c);
}
