/* csvread.c - unit tests of libcommon's CSV reader and the import rule:
 * records and the lines they start on (quoted newlines, CRLF, CR, blank
 * lines, a BOM, no final newline, gzip), the same records with every line
 * through libcsv, failures, and the names of the rule.  Prints TAP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tm.h"
#include "decimal.h"

#include "tap.h"

static uint64_t rng = 88172645463325252u;

static uint64_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* tm_csv_decimal of the digits of m with a point k from the right (none
 * at k 0; a leading point or a trailing one at random), signed at random,
 * against strtod (strtof with f32): 1 when they agree bit for bit or the
 * fast path declined, and *took counts the ones it took. */
static int
decimal_agrees(uint64_t m, int k, int f32, long *took)
{
	char digs[32], buf[48];
	int nd = snprintf(digs, sizeof(digs), "%llu", (unsigned long long)m);
	size_t o = 0;
	uint64_t r = xorshift();

	if (r & 1)
		buf[o++] = r & 2 ? '-' : '+';
	if (k >= nd) {
		buf[o++] = '.';
		for (int i = nd; i < k; i++)
			buf[o++] = '0';
		memcpy(buf + o, digs, (size_t)nd);
		o += (size_t)nd;
	} else {
		memcpy(buf + o, digs, (size_t)(nd - k));
		o += (size_t)(nd - k);
		if (k > 0 || (r & 4))
			buf[o++] = '.';
		memcpy(buf + o, digs + nd - k, (size_t)k);
		o += (size_t)k;
	}
	buf[o] = '\0';
	double v, w;
	if (tm_csv_decimal(buf, o, f32, &v) == -1)
		return 1;
	(*took)++;
	w = f32 ? (double)strtof(buf, NULL) : strtod(buf, NULL);
	if (memcmp(&v, &w, sizeof(v)) != 0) {
		printf("# %s: %.17g, strtod %.17g\n", buf, v, w);
		return 0;
	}
	return 1;
}

/* The records of buf as "line:f|f|f;" into out[size]; -1 when the reader
 * failed (its message in out), else the record count. */
static int
records(const void *buf, size_t len, char *out, size_t size)
{
	struct tm_csv *c = tm_csv_mem(buf, len, "t");
	struct tm_csvfield *v;
	int n, rc, k = 0;
	size_t o = 0;

	tm_csv_quiet(c);
	out[0] = '\0';
	while ((rc = tm_csv_next(c, &v, &n)) == 1) {
		o += (size_t)snprintf(out + o, size - o, "%ld:", tm_csv_line(c));
		for (int i = 0; i < n && o < size; i++)
			o += (size_t)snprintf(out + o, size - o, "%s%s",
			    i ? "|" : "", v[i].s);
		if (o < size)
			o += (size_t)snprintf(out + o, size - o, ";");
		k++;
	}
	if (rc == -1)
		snprintf(out, size, "%s", tm_csv_error(c));
	tm_csv_free(c);
	return rc == -1 ? -1 : k;
}

static void
same(const char *in, const char *want, const char *what)
{
	char got[1024], slow[1024];

	records(in, strlen(in), got, sizeof(got));
	setenv("TM_CSVIMP_LIBCSV", "1", 1);
	records(in, strlen(in), slow, sizeof(slow));
	unsetenv("TM_CSVIMP_LIBCSV");
	ok(strcmp(got, want) == 0 && strcmp(slow, want) == 0, "%s", what);
	if (strcmp(got, want) != 0 || strcmp(slow, want) != 0)
		printf("# want %s\n# got  %s\n# slow %s\n", want, got, slow);
}

int
main(void)
{
	char out[1024];

	same("a,b\n1,2\n", "1:a|b;2:1|2;", "plain lines");
	same("\xef\xbb\xbf" "a,b\r\n1,2\r\n", "1:a|b;2:1|2;",
	    "a BOM dropped, CRLF counted once");
	same("a\r1\r2", "1:a;2:1;3:2;", "CR line ends, no final newline");
	same("a,b\n\n1,\"x\ny\"\n\n2, z \n", "1:a|b;3:1|x\ny;6:2|z;",
	    "blank lines and a quoted newline counted, blanks trimmed");
	same("a\n  \n1\n", "1:a;3:1;", "a line of blanks is a blank line");
	same("\xef\xbb", "1:\xef\xbb;", "two bytes of a BOM are data");
	same("", "", "an empty input has no records");
	ok(records("a\n1,\"x\n", 8, out, sizeof(out)) == -1 &&
	    strcmp(out, "t:2: a quoted field is not closed") == 0,
	    "a quoted field left open is refused at its line");

	/* gzip, two members, by the magic */
	unsigned char gz[256];
	size_t n1;
	z_stream z = { 0 };
	const char *text = "d,v\n2024-06-03,1\n";
	deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	deflate(&z, Z_FINISH);
	n1 = sizeof(gz) - z.avail_out;
	deflateEnd(&z);
	memcpy(gz + n1, gz, n1);
	ok(records(gz, 2 * n1, out, sizeof(out)) == 4 &&
	    strcmp(out, "1:d|v;2:2024-06-03|1;3:d|v;4:2024-06-03|1;") == 0,
	    "gzip, two members, read as one");
	ok(records(gz, n1 - 4, out, sizeof(out)) == -1 &&
	    strstr(out, "truncated gzip data") != NULL, "a cut gzip is refused");

	/* the import rule */
	ok(tm_price_column("Adj Close") == 4 &&
	    tm_price_column("adjusted_close") == 4 &&
	    tm_price_column(" DATE ") == TM_COL_DATE &&
	    tm_price_column("timestamp") == TM_COL_DATE &&
	    tm_price_column("Symbol") == TM_COL_TICKER &&
	    tm_price_column("Zamkniecie") == 3 &&
	    tm_price_column("dividend_amount") == 7 &&
	    tm_price_column("day") == TM_COL_OTHER &&
	    tm_price_column("vol") == TM_COL_OTHER,
	    "price column names, any case and spacing");
	char *t1 = tm_csv_file_ticker("d/SPY.csv.gz"), *t2 =
	    tm_csv_file_ticker("brk.b.csv"), *t3 = tm_csv_file_ticker("-");
	ok(strcmp(t1, "SPY") == 0 && strcmp(t2, "brk.b") == 0 && t3 == NULL,
	    "the ticker of a file name");
	free(t1);
	free(t2);
	double v;
	ok(tm_csv_number("NA", 2, &v) == 0 && isnan(v) &&
	    tm_csv_number("1.5x", 4, &v) == -1 &&
	    tm_csv_number("1e999", 5, &v) == -2 &&
	    tm_csv_number("-2.5", 4, &v) == 0 && v == -2.5,
	    "values: missing, not a number, out of range");


	/* The decimal fast path, bit for bit strtod's: random mantissas of
	 * 1-19 digits at every point position, the ties of 2^53..2^64 (an
	 * integer halfway between two doubles) and their neighbours, and
	 * the texts it must decline. */
	long took = 0, took32 = 0;
	int agree = 1;
	for (int i = 0; i < 3000000; i++) {
		int nd = 1 + (int)(xorshift() % 19);
		uint64_t m = xorshift();
		uint64_t lim = 1;
		for (int j = 0; j < nd; j++)
			lim *= 10;
		m %= lim;
		agree &= decimal_agrees(m, (int)(xorshift() % 23), 0, &took);
		if (i % 4 == 0)
			agree &= decimal_agrees(m % 100000000, (int)(xorshift() %
			    12), 1, &took32);
	}
	for (int i = 0; i < 200000; i++) {
		int sh = 1 + (int)(xorshift() % 11);	/* ulp 2^sh */
		uint64_t d = (xorshift() >> sh | UINT64_C(1) << 52) << sh;
		uint64_t mid = d + (UINT64_C(1) << (sh - 1));
		for (int dm = -1; dm <= 1; dm++)
			agree &= decimal_agrees(mid + (uint64_t)dm, 0, 0, &took);
		/* the same tie over a power of ten: mid * 10 / 10 */
		if (mid < UINT64_MAX / 10)
			agree &= decimal_agrees(mid * 10, 1, 0, &took);
	}
	ok(agree && took > 2500000 && took32 > 300000,
	    "the decimal fast path gives strtod's and strtof's bits");
	printf("# fast path took %ld of the F64 cases, %ld F32\n", took,
	    took32);
	ok(tm_csv_decimal("1e5", 3, 0, &v) == -1 &&
	    tm_csv_decimal("", 0, 0, &v) == -1 &&
	    tm_csv_decimal(".", 1, 0, &v) == -1 &&
	    tm_csv_decimal("-", 1, 0, &v) == -1 &&
	    tm_csv_decimal("1.2.3", 5, 0, &v) == -1 &&
	    tm_csv_decimal("12345678901234567890", 20, 0, &v) == -1 &&
	    tm_csv_decimal("1\0" "2", 3, 0, &v) == -1 &&
	    tm_csv_decimal("16777216", 8, 1, &v) == -1 &&
	    tm_csv_decimal("5.", 2, 0, &v) == 0 && v == 5 &&
	    tm_csv_decimal(".5", 2, 0, &v) == 0 && v == 0.5 &&
	    tm_csv_decimal("-0", 2, 0, &v) == 0 && v == 0 && signbit(v),
	    "the decimal fast path declines what is not [-+]ddd[.ddd]");

	return tap_done();
}
