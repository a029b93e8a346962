/* csvread.c - unit tests of libcommon's CSV reader and the import rule:
 * records and the lines they start on (quoted newlines, CRLF, CR, blank
 * lines, a BOM, no final newline, gzip), the same records with every line
 * through libcsv, failures, and the names of the rule.  Prints TAP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tm.h"

static int ntest, nfail;

static void
ok(int cond, const char *what)
{
	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - %s\n", cond ? "" : "not ", ntest, what);
	fflush(stdout);
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
	ok(strcmp(got, want) == 0 && strcmp(slow, want) == 0, what);
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

	printf("1..%d\n", ntest);
	return nfail != 0;
}
