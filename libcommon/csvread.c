/*
 * csvread.c - one header/row CSV reader over libcsv, and the import rule
 * of the CSV importers (tm-cat --import, tm-fetch --csv).
 *
 * The input is a file, "-" (standard input) or a buffer, inflated on the
 * way by ISA-L's igzip (6-7x zlib's inflate on the real price CSV) when it
 * starts with the gzip magic, and read in chunks.  A UTF-8 byte order mark
 * at its start is dropped.  A line with no quote, space or tab is split at
 * its commas here, in place; any other line goes to libcsv, which alone
 * knows quoting and the trimming of blanks, until libcsv is back between
 * records.  Both give the same records, so what a caller sees does not
 * depend on which path a line took (TM_CSVIMP_LIBCSV=1 in the environment
 * sends every line to libcsv: the tests compare the two).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include <isa-l/igzip_lib.h>
#if defined(__SSE2__) && !defined(TM_CSV_SCALAR)
#include <emmintrin.h>
#endif

#include "tm.h"
#include "decimal.h"

#define CHUNK (1 << 20)	/* bytes read and parsed at a time */
#define SLACK 17	/* bytes after buf[cap]: the sentinel and a vector */

struct tm_csv {
	char *name;
	int quiet;
	char err[600];

	/* the source: fp, or mem[0..memlen) */
	FILE *fp;
	const unsigned char *mem;
	size_t memlen, mempos;
	int gz, zend, started, eof, bomseen;
	struct inflate_state *z;
	unsigned char *zin;

	/* bytes read, buf[pos..have) not parsed yet; SLACK more after
	 * buf[cap] */
	char *buf;
	size_t cap, have, pos;

	struct csv_parser p;
	int slow;		/* every line through libcsv */
	int in_csv;		/* libcsv is inside a record */
	int failed;

	/* the record being gathered */
	struct tm_csvfield *f;
	size_t *foff;		/* libcsv fields: offsets into store */
	int nf, capf, ready, from_csv;
	struct tm_buf store;

	long line;		/* line the next record starts on */
	long recline;		/* line the last record started on */
	long nl_in_rec;		/* newlines inside quoted fields */
	int prev_term;
};

static int
csv_failv(struct tm_csv *c, int status, long line, const char *fmt,
    va_list ap)
{
	char msg[512];

	if (c->failed)
		return -1;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(c->err, sizeof(c->err), "%s:%ld: %s", c->name, line,
		    msg);
	else
		snprintf(c->err, sizeof(c->err), "%s: %s", c->name, msg);
	if (!c->quiet)
		tm_warn("%s", c->err);
	c->failed = 1;
	return tm_fail_as(status);
}

static int
fail_at(struct tm_csv *c, int status, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail_at(struct tm_csv *c, int status, long line, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = csv_failv(c, status, line, fmt, ap);
	va_end(ap);
	return rc;
}

int
tm_csv_fail(struct tm_csv *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = csv_failv(c, EX_DATAERR, c->recline, fmt, ap);
	va_end(ap);
	return rc;
}

static struct tm_csv *
csv_new(const char *name)
{
	struct tm_csv *c = ecalloc(1, sizeof(*c));
	const char *slow = getenv("TM_CSVIMP_LIBCSV");

	c->name = estrdup(name);
	c->slow = slow && strcmp(slow, "1") == 0;
	c->line = 1;
	c->recline = 1;
	c->prev_term = -2;
	c->cap = CHUNK;
	/* Zeroed, slack too: the scan loads bytes past the ones read. */
	c->buf = ecalloc(c->cap + SLACK, 1);
	if (csv_init(&c->p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		tm_die(EX_OSERR, "csv_init failed");
	return c;
}

struct tm_csv *
tm_csv_open(const char *path)
{
	FILE *fp = tm_open_read(path);

	if (fp == NULL)
		return NULL;
	struct tm_csv *c = csv_new(fp == stdin ? "<stdin>" : path);
	c->fp = fp;
	return c;
}

struct tm_csv *
tm_csv_mem(const void *buf, size_t len, const char *name)
{
	struct tm_csv *c = csv_new(name);

	c->mem = buf;
	c->memlen = len;
	return c;
}

void
tm_csv_quiet(struct tm_csv *c)
{
	c->quiet = 1;
}

const char *
tm_csv_error(const struct tm_csv *c)
{
	return c->err;
}

const char *
tm_csv_name(const struct tm_csv *c)
{
	return c->name;
}

long
tm_csv_line(const struct tm_csv *c)
{
	return c->recline;
}

void
tm_csv_free(struct tm_csv *c)
{
	if (c == NULL)
		return;
	csv_free(&c->p);
	tm_close_read(c->fp);
	free(c->z);
	free(c->zin);
	free(c->buf);
	free(c->f);
	free(c->foff);
	tm_buf_free(&c->store);
	free(c->name);
	free(c);
}

/* Up to n raw (maybe compressed) bytes into dst: the count, 0 at the end,
 * -1 on a read error. */
static long
raw_read(struct tm_csv *c, void *dst, size_t n)
{
	if (c->fp == NULL) {
		size_t k = c->memlen - c->mempos < n ? c->memlen - c->mempos : n;
		if (k)
			memcpy(dst, c->mem + c->mempos, k);
		c->mempos += k;
		return (long)k;
	}
	size_t got = fread(dst, 1, n, c->fp);
	if (got == 0 && ferror(c->fp))
		return -1;
	return (long)got;
}

/* Inflate into buf[0..cap): the bytes put there, 0 at the end, -1 after a
 * message.  Members one after another (gzip -c a b > c) read as one. */
static long
gz_read(struct tm_csv *c, char *buf, size_t cap)
{
	struct inflate_state *z = c->z;

	z->next_out = (uint8_t *)buf;
	z->avail_out = (uint32_t)cap;
	while (z->avail_out == cap) {
		if (z->avail_in == 0) {
			long got = raw_read(c, c->zin, CHUNK);
			if (got < 0)
				return fail_at(c, EX_IOERR, 0, "read error: %s",
				    strerror(errno));
			z->next_in = c->zin;
			z->avail_in = (uint32_t)got;
			if (got == 0) {
				if (c->zend)
					return 0;
				return fail_at(c, EX_DATAERR, c->line,
				    "truncated gzip data");
			}
		}
		if (c->zend) {
			/* another member after the end of one */
			uint8_t *in = z->next_in;
			uint32_t nin = z->avail_in;
			isal_inflate_reset(z);
			z->crc_flag = ISAL_GZIP;
			z->next_in = in;
			z->avail_in = nin;
			z->next_out = (uint8_t *)buf + (cap - z->avail_out);
			c->zend = 0;
		}
		int rc = isal_inflate(z);
		if (rc < 0)
			return fail_at(c, EX_DATAERR, c->line,
			    "bad gzip data (igzip error %d)", rc);
		if (z->block_state == ISAL_BLOCK_FINISH)
			c->zend = 1;
	}
	return (long)(cap - z->avail_out);
}

/* Read more bytes after buf[pos..have), moved to the front; sets eof at
 * the end.  0, or -1 after a message. */
static int
refill(struct tm_csv *c)
{
	long got;

	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, c->have - c->pos);
		c->have -= c->pos;
		c->pos = 0;
	}
	if (c->have == c->cap) {
		c->cap *= 2;	/* a line longer than the buffer */
		c->buf = ereallocarray(c->buf, c->cap + SLACK, 1);
		memset(c->buf + c->have, 0, c->cap + SLACK - c->have);
	}
	if (!c->started) {
		/* The first two bytes say whether it is gzip. */
		unsigned char m[2];
		long k = raw_read(c, m, 2);	/* fewer only at the end */
		if (k < 0)
			return fail_at(c, EX_IOERR, 0, "read error: %s",
			    strerror(errno));
		c->started = 1;
		if (k == 2 && m[0] == 0x1f && m[1] == 0x8b) {
			c->gz = 1;
			c->zin = emalloc(CHUNK);
			c->z = emalloc(sizeof(*c->z));
			isal_inflate_init(c->z);
			c->z->crc_flag = ISAL_GZIP;
			memcpy(c->zin, m, 2);
			c->z->next_in = c->zin;
			c->z->avail_in = 2;
		} else {
			memcpy(c->buf + c->have, m, (size_t)k);
			c->have += (size_t)k;
			if (k < 2) {
				c->eof = 1;
				c->bomseen = 1;	/* too short to hold one */
				return 0;
			}
		}
	}
	if (c->gz)
		got = gz_read(c, c->buf + c->have, c->cap - c->have);
	else if ((got = raw_read(c, c->buf + c->have, c->cap - c->have)) < 0)
		return fail_at(c, EX_IOERR, 0, "read error: %s",
		    strerror(errno));
	if (got < 0)
		return -1;
	if (got == 0)
		c->eof = 1;
	c->have += (size_t)got;
	/* A UTF-8 byte order mark from spreadsheet exports: looked for once,
	 * in the first three bytes, before anything is parsed. */
	if (!c->bomseen && (c->have >= 3 || c->eof)) {
		c->bomseen = 1;
		if (c->have >= 3 && memcmp(c->buf, "\xef\xbb\xbf", 3) == 0)
			c->pos = 3;
	}
	return 0;
}

static void __attribute__((noinline))
grow_fields(struct tm_csv *c)
{
	c->capf = c->capf ? c->capf * 2 : 16;
	c->f = ereallocarray(c->f, (size_t)c->capf, sizeof(*c->f));
	c->foff = ereallocarray(c->foff, (size_t)c->capf, sizeof(*c->foff));
}

static inline void
add_field(struct tm_csv *c, char *s, size_t n)
{
	if (c->nf == c->capf)
		grow_fields(c);
	c->f[c->nf].s = s;
	c->f[c->nf].len = n;
	c->nf++;
}

/* libcsv's field callback: a copy into the record's store (libcsv reuses
 * its buffer), pointers fixed when the record is complete. */
static void
on_field(void *s0, size_t n, void *arg)
{
	struct tm_csv *c = arg;
	const char *s = s0 ? s0 : "";
	size_t off = tm_buf_addz(&c->store, s, n);

	/* A quoted field may span lines; count them for the next record. */
	for (const char *p = s, *nl; (nl = memchr(p, '\n',
	    n - (size_t)(p - s))) != NULL; p = nl + 1)
		c->nl_in_rec++;
	add_field(c, NULL, n);
	c->foff[c->nf - 1] = off;
	c->from_csv = 1;
}

/* A record ends (term is its terminator, -1 at the end).  An empty line
 * (or the LF of a CRLF pair) ends none, and counts as a line unless it is
 * that LF; a line of one empty field is a blank line too. */
static void
on_record(int term, void *arg)
{
	struct tm_csv *c = arg;

	if (c->nf == 0 || (c->nf == 1 && c->f[0].len == 0)) {
		if (c->nf || !(term == '\n' && c->prev_term == '\r'))
			c->line++;
		c->nf = 0;
		c->store.n = 0;
		c->from_csv = 0;
		c->prev_term = term;
		return;
	}
	if (c->from_csv)
		for (int i = 0; i < c->nf; i++)
			c->f[i].s = c->store.p + c->foff[i];
	c->recline = c->line;
	c->line += 1 + c->nl_in_rec;
	c->nl_in_rec = 0;
	c->prev_term = term;
	c->ready = 1;
}

/* Byte classes of the unquoted fast path. */
enum { B_PLAIN, B_COMMA, B_EOL, B_CSV };

static const unsigned char bclass[256] = {
	[','] = B_COMMA, ['\r'] = B_EOL, ['\n'] = B_EOL,
	['"'] = B_CSV, [' '] = B_CSV, ['\t'] = B_CSV,
};

/*
 * The fast path's scan from *q: a field noted (from *f) at each comma, up
 * to the first byte of another class, which *q and *kind say.  The
 * sentinel after the bytes read stops it.  With SSE2 (every x86-64), 16
 * bytes are classed at a time, the special ones found as bits of a mask;
 * the bytes loaded past the sentinel (SLACK) are never looked at.  Built
 * with -DTM_CSV_SCALAR, the byte loop alone (both give t1005 and t1008).
 */
static inline void
scan_plain(struct tm_csv *c, char **qp, char **fp, int *kindp)
{
	char *q = *qp, *f = *fp;
	int kind;

#if defined(__SSE2__) && !defined(TM_CSV_SCALAR)
	const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'),
	    cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"'),
	    blank = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
	for (;; q += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, comma),
		    _mm_cmpeq_epi8(x, lf)), _mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, quote)),
		    _mm_or_si128(_mm_cmpeq_epi8(x, blank),
		    _mm_cmpeq_epi8(x, tab))));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);
		for (; mask; mask &= mask - 1) {
			char *p = q + __builtin_ctz(mask);
			if ((kind = bclass[(unsigned char)*p]) != B_COMMA) {
				*qp = p;
				*fp = f;
				*kindp = kind;
				return;
			}
			add_field(c, f, (size_t)(p - f));
			f = p + 1;
		}
	}
#else
	for (;;) {
		while ((kind = bclass[(unsigned char)*q]) == B_PLAIN)
			q++;
		if (kind != B_COMMA)
			break;
		add_field(c, f, (size_t)(q - f));
		f = ++q;
	}
	*qp = q;
	*fp = f;
	*kindp = kind;
#endif
}

/* Parse one line of buf[pos..have) (with its terminator), or the rest at
 * the end of the input.  1 when a whole line was there, 0 when more bytes
 * are needed first, -1 after a message. */
static int
parse_line(struct tm_csv *c)
{
	char *s = c->buf + c->pos, *e = c->buf + c->have, *q = s, *f = s;
	int kind = B_PLAIN;

	/* A sentinel ends every scan (the buffer has SLACK bytes after
	 * cap): q == e then says the line has no end in the buffer yet. */
	*e = '\n';
	if (!c->in_csv && !c->slow) {
		/* The fields are noted at the commas in one pass, and cut in
		 * place (the comma or line end becomes a NUL, as libcsv's
		 * CSV_APPEND_NULL gives them) once the whole line is known to
		 * be plain. */
		scan_plain(c, &q, &f, &kind);
		if (kind == B_EOL && (q < e || c->eof)) {
			int term = q < e ? (unsigned char)*q : -1;
			if (q > s) {
				add_field(c, f, (size_t)(q - f));
				for (int i = 0; i < c->nf; i++)
					c->f[i].s[c->f[i].len] = '\0';
			}
			c->pos += (size_t)(q - s) + (q < e);
			on_record(term, c);
			return 1;
		}
		c->nf = 0;
		if (kind == B_EOL)
			return 0;	/* more bytes first */
	}
	while (bclass[(unsigned char)*q] != B_EOL)
		q++;
	if (q == e && !c->eof)
		return 0;
	size_t n = (size_t)(q - s) + (q < e);
	c->pos += n;
	if (csv_parse(&c->p, s, n, on_field, on_record, c) != n)
		return fail_at(c, EX_DATAERR, c->line, "%s",
		    csv_strerror(csv_error(&c->p)));
	c->in_csv = c->p.pstate != 0;
	return 1;
}

int
tm_csv_next(struct tm_csv *c, struct tm_csvfield **fields, int *n)
{
	if (c->failed)
		return -1;
	c->ready = 0;
	c->nf = 0;
	c->store.n = 0;
	c->from_csv = 0;
	for (;;) {
		if (!c->bomseen || (c->pos == c->have && !c->eof)) {
			if (refill(c) == -1)
				return -1;
			continue;
		}
		if (c->pos == c->have) {
			/* The end: a record libcsv still holds. */
			if (c->in_csv) {
				c->in_csv = 0;
				/* A quoted field still open is a cut file:
				 * libcsv says so only in strict mode. */
				csv_set_opts(&c->p, (unsigned char)(
				    csv_get_opts(&c->p) | CSV_STRICT |
				    CSV_STRICT_FINI));
				if (csv_fini(&c->p, on_field, on_record, c) != 0)
					return fail_at(c, EX_DATAERR, c->line,
					    "a quoted field is not closed");
			}
			if (!c->ready) {
				c->recline = c->line;	/* for "no data" */
				return 0;
			}
		} else {
			int rc = parse_line(c);
			if (rc == -1)
				return -1;
			if (rc == 0) {
				if (refill(c) == -1)
					return -1;
				continue;
			}
		}
		if (c->ready) {
			*fields = c->f;
			*n = c->nf;
			return 1;
		}
	}
}

int
tm_csv_header(struct tm_csv *c, struct tm_csvfield **fields, int *n)
{
	int rc = tm_csv_next(c, fields, n);

	if (rc == 0)
		return fail_at(c, EX_DATAERR, c->line, "empty input");
	return rc;
}

/* ------------------------------------------------------- the import rule */

const char *const tm_price_fields[TM_NPRICE] = {
	"open", "high", "low", "close", "adjclose", "volume", "split",
	"dividend",
};

void
tm_csv_key(const char *name, char *key, size_t size)
{
	size_t j = 0;

	for (const char *p = name; *p && j + 1 < size; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 'A' && ch <= 'Z')
			key[j++] = (char)(ch - 'A' + 'a');
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			key[j++] = (char)ch;
	}
	key[j] = '\0';
}

int
tm_price_column(const char *name)
{
	/* Yahoo and Stooq downloads (Stooq's Polish header too), Alpha
	 * Vantage's CSV and the long layout of tm-cat -o csv. */
	static const struct { const char *key; int col; } map[] = {
		{ "date", TM_COL_DATE }, { "timestamp", TM_COL_DATE },
		{ "data", TM_COL_DATE },
		{ "ticker", TM_COL_TICKER }, { "symbol", TM_COL_TICKER },
		{ "open", 0 }, { "otwarcie", 0 },
		{ "high", 1 }, { "najwyzszy", 1 },
		{ "low", 2 }, { "najnizszy", 2 },
		{ "close", 3 }, { "zamkniecie", 3 },
		{ "adjclose", 4 }, { "adjustedclose", 4 },
		{ "volume", 5 }, { "wolumen", 5 },
		{ "split", 6 }, { "splitcoefficient", 6 },
		{ "dividend", 7 }, { "dividends", 7 }, { "dividendamount", 7 },
	};
	char key[32];	/* longer names are cut: none of these */

	tm_csv_key(name, key, sizeof(key));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(key, map[i].key) == 0)
			return map[i].col;
	return TM_COL_OTHER;
}

char *
tm_csv_file_ticker(const char *path)
{
	const char *b = strrchr(path, '/');
	static const char *const ext[] = { ".csv.gz", ".csv", ".gz" };

	b = b ? b + 1 : path;
	size_t n = strlen(b);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t k = strlen(ext[i]);
		if (n > k && strcmp(b + n - k, ext[i]) == 0) {
			n -= k;
			break;
		}
	}
	if (n == 0 || strcmp(path, "-") == 0)
		return NULL;
	char *t = emalloc(n + 1);
	memcpy(t, b, n);
	t[n] = '\0';
	return t;
}

int
tm_csv_missing(const char *s, size_t n)
{
	return n == 0 || (n == 2 && strcmp(s, "NA") == 0) ||
	    (n == 3 && strcasecmp(s, "nan") == 0) ||
	    (n == 4 && strcmp(s, "null") == 0);
}

int
tm_csv_number(const char *s, size_t n, double *v)
{
	char *end;

	if (tm_csv_missing(s, n)) {
		*v = NAN;
		return 0;
	}
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')
		return -1;
	*v = strtod(s, &end);
	/* Underflow to a subnormal is a value we print ourselves: keep it. */
	if (end != s + n)
		return -1;
	return isfinite(*v) ? 0 : -2;
}

#ifdef __SIZEOF_INT128__
/*
 * m / 10^k rounded to the nearest double, ties to even, for m >= 2^53 and
 * k <= 19, in integers: the quotient m * 2^s / 10^k to 55-57 bits, the
 * remainder as the sticky bit, then rounded to 53 bits and scaled by
 * 2^-s (exact: the result is a normal double).
 */
double
tm_div_round(uint64_t m, int k)
{
	static const uint64_t p10[20] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000, 10000000000u,
	    100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
	    1000000000000000u, 10000000000000000u, 100000000000000000u,
	    1000000000000000000u, 10000000000000000000u };
	uint64_t p = p10[k];
	int mb = 64 - __builtin_clzll(m), pb = 64 - __builtin_clzll(p);
	int s = 56 - mb + pb;
	if (s < 0)
		s = 0;
	unsigned __int128 num = (unsigned __int128)m << s;
	uint64_t q = (uint64_t)(num / p);
	int sticky = num % p != 0;
	int drop = 64 - __builtin_clzll(q) - 53;
	uint64_t mant = q >> drop, rest = q & ((UINT64_C(1) << drop) - 1);
	uint64_t half = UINT64_C(1) << (drop - 1);
	if (rest > half || (rest == half && (sticky || (mant & 1))))
		mant++;
	return ldexp((double)mant, drop - s);
}
#endif

/* The name a column stands for under the rule: "date", "ticker", a price
 * field, or its own. */
static const char *
rule_name(const char *name)
{
	int k = tm_price_column(name);

	return k == TM_COL_DATE ? "date" : k == TM_COL_TICKER ? "ticker" :
	    k >= 0 ? tm_price_fields[k] : name;
}

int
tm_import_header(struct tm_csv *c, const struct tm_csvfield *h, int nh,
    struct tm_import *im)
{
	const char *rowname = im->rowname;
	int prices = 1;

	im->datecol = im->rowcol = -1;
	im->ticker = NULL;
	for (int i = 0; i < nh; i++) {
		for (int j = 0; j < i; j++)
			if (strcmp(rule_name(h[i].s), rule_name(h[j].s)) == 0)
				return tm_csv_fail(c, "duplicate column '%s'",
				    h[i].s);
		int k = tm_price_column(h[i].s);
		if (k == TM_COL_DATE)
			im->datecol = i;
		else if (rowname == NULL && k == TM_COL_TICKER)
			im->rowcol = i;
		else if (k == TM_COL_OTHER)
			prices = 0;
	}
	if (rowname)
		for (int i = 0; i < nh && im->rowcol < 0; i++)
			if (strcmp(h[i].s, rowname) == 0)
				im->rowcol = i;
	if (rowname)
		for (int i = 0; i < nh && im->rowcol < 0; i++) {
			char a[TM_MAX_LABEL + 1], b[TM_MAX_LABEL + 1];
			tm_csv_key(h[i].s, a, sizeof(a));
			tm_csv_key(rowname, b, sizeof(b));
			if (strcmp(a, b) == 0)
				im->rowcol = i;
		}
	if (im->datecol < 0)
		return tm_csv_fail(c, "no 'date' column in the header");
	if (im->rowcol == im->datecol)
		im->rowcol = -1;
	/* A Yahoo or Stooq download of one ticker, saved as SPY.csv. */
	if (im->rowcol < 0 && rowname == NULL && prices && !im->known &&
	    c->fp && c->fp != stdin)
		im->ticker = tm_csv_file_ticker(c->name);
	if (im->rowcol < 0 && im->ticker == NULL && !im->known)
		return tm_csv_fail(c, "no row column '%s' in the header",
		    rowname ? rowname : "ticker");
	return 0;
}

int
tm_import_width(struct tm_csv *c, int n, int nh)
{
	if (n > nh)
		return tm_csv_fail(c, "too many columns (header has %d)", nh);
	if (n < nh)
		return tm_csv_fail(c, "%d columns, header has %d", n, nh);
	return 0;
}
