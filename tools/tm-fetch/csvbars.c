/* csvbars.c - bars from a CSV with a header: Stooq, Alpha Vantage csv,
 * Yahoo downloads and the long layout of tm-cat --import, read by
 * libcommon's CSV reader under the import rule tm-cat --import follows
 * too (tm_import_header, tm_price_column). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

struct cb {
	struct fetch *f;
	char lastsym[64];
	int lasttick;
};

static int
rowtick(struct cb *c, const char *sym)
{
	if (strcmp(sym, c->lastsym) == 0)
		return c->lasttick;
	char *k = ticker_canon(sym);
	int t = fetch_find(c->f, k);
	free(k);
	if (strlen(sym) < sizeof(c->lastsym)) {
		strcpy(c->lastsym, sym);
		c->lasttick = t;
	}
	return t;
}

long
csvbars_read(struct fetch *f, int si, struct tm_csv *csv, int tick)
{
	struct tm_csvfield *h, *v;
	struct tm_import im = { .known = tick >= 0 };
	struct cb c = { .f = f, .lasttick = -1 };
	int nh, n, rc, close = 0, hasadj = 0;
	long got = 0;

	if (tm_csv_header(csv, &h, &nh) == -1 ||
	    tm_import_header(csv, h, nh, &im) == -1)
		return -1;
	int *col = emalloc((size_t)nh * sizeof(int));
	char **name = emalloc((size_t)nh * sizeof(char *));
	for (int i = 0; i < nh; i++) {
		col[i] = tm_price_column(h[i].s);
		name[i] = estrdup(h[i].s);
		close |= col[i] == F_CLOSE;
		hasadj |= col[i] == F_ADJ;
	}
	rc = 0;
	if (!close)	/* bars without a close would be all-NaN, "served" */
		rc = tm_csv_fail(csv, "no 'close' column in the header");
	if (im.ticker) {
		char *k = ticker_canon(im.ticker);
		tick = fetch_find(f, k);
		free(k);
		free(im.ticker);
	}
	while (rc == 0 && (rc = tm_csv_next(csv, &v, &n)) == 1) {
		double x[NFIELD];
		int32_t day = 0;
		int t = tick;
		rc = tm_import_width(csv, n, nh);
		for (int i = 0; i < NFIELD; i++)
			x[i] = NAN;
		for (int i = 0; i < n && rc == 0; i++) {
			if (i == im.datecol) {
				if (tm_date_parse(v[i].s, &day) == -1)
					rc = tm_csv_fail(csv, "bad date '%.20s'",
					    v[i].s);
			} else if (i == im.rowcol) {
				t = rowtick(&c, v[i].s);
			} else if (col[i] >= 0 && (rc = tm_csv_number(v[i].s,
			    v[i].len, &x[col[i]])) < 0) {
				rc = tm_csv_fail(csv, "column '%s': '%.40s' is "
				    "%s", name[i], v[i].s, rc == -1 ?
				    "not a number" : "out of range");
			}
		}
		/* Rows of tickers outside the universe, or already served. */
		if (rc != 0 || t < 0 || f->t[t].src >= 0)
			continue;
		struct bar *b = fetch_bar(f, t, si, day);
		if (b == NULL || isnan(x[F_CLOSE]))
			continue;
		for (int i = 0; i < NFIELD; i++)
			if (!isnan(x[i]) || i < F_SPLIT)
				b->v[i] = x[i];
		/* No adjusted column: Stooq prices are adjusted already. */
		if (!hasadj)
			b->v[F_ADJ] = b->v[F_CLOSE];
		got++;
	}
	/* Two rows of one ticker and date: series_sort keeps the first,
	 * said as a finding, not silently. */
	for (size_t k = tick >= 0 ? (size_t)tick : 0; rc != -1 &&
	    k < (tick >= 0 ? (size_t)tick + 1 : f->nt); k++) {
		int32_t d = 0;
		long nd = series_dups(&f->t[k].s, f->gid[si], &d);

		if (nd > 0)
			finding(f, "duplicate", f->t[k].sym, d, f->src[si]->name,
			    "%s: %ld row%s repeat%s a date (the first is "
			    "kept)", tm_csv_name(csv), nd, nd > 1 ? "s" : "",
			    nd > 1 ? "" : "s");
	}
	for (int i = 0; i < nh; i++)
		free(name[i]);
	free(name);
	free(col);
	return rc == -1 ? -1 : got;
}

enum verdict
csvbars_reply(struct fetch *f, int si, const char *buf, size_t len,
    int tick, char *msg, size_t msglen)
{
	struct tm_csv *c = tm_csv_mem(buf, len, "reply");
	long got;

	tm_csv_quiet(c);
	got = csvbars_read(f, si, c, tick);
	if (got < 0)
		snprintf(msg, msglen, "%s", tm_csv_error(c));
	tm_csv_free(c);
	if (got < 0)
		return V_BAD;
	if (got == 0) {
		snprintf(msg, msglen, "no bars in range");
		return V_FAIL;
	}
	return V_OK;
}
