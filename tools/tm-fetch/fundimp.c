/*
 * fundimp.c - --fundamentals --csv: the fundamentals stream from local
 * files, point in time.  A quarterly file of trailing-twelve-month items
 * in USD millions (SimFin layout: "...,Revenues,...,copany,date") gives
 * the numbers; an annual file (Kaggle NYSE layout: "Ticker Symbol",
 * "Period Ending", "Estimated Shares Outstanding") gives the share count
 * the quarterly one lacks.  A quarter's numbers are dated its period end
 * plus FUNDIMP_LAG days (a 10-Q is due 40-45 days after the quarter); a
 * share count counts only from its own period end plus FUNDIMP_ALAG days
 * (a 10-K is due 60-90 days after the year), so no frame holds a number
 * before it was public.
 */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fetch.h"

#define FUNDIMP_LAG 45
#define FUNDIMP_ALAG 90

/* A CSV read whole: the header and the rows, as strings. */
struct tab {
	char **hdr;
	int nh;
	char ***row;
	int *nf;
	size_t n, cap;
};

static char **
strings(const struct tm_csvfield *v, int n)
{
	char **s = emalloc((size_t)(n ? n : 1) * sizeof(char *));

	for (int i = 0; i < n; i++)
		s[i] = estrdup(v[i].s);
	return s;
}

static void
tab_free(struct tab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (int j = 0; j < t->nf[i]; j++)
			free(t->row[i][j]);
		free(t->row[i]);
	}
	for (int j = 0; j < t->nh; j++)
		free(t->hdr[j]);
	free(t->hdr);
	free(t->row);
	free(t->nf);
}

static void
tab_read(struct tab *t, const char *path)
{
	struct tm_csv *c = tm_csv_open(path);
	struct tm_csvfield *v;
	int n, rc;

	memset(t, 0, sizeof(*t));
	if (c == NULL || tm_csv_header(c, &v, &n) == -1) {
		tm_csv_free(c);
		tm_exit(tm_fail_status());
	}
	t->hdr = strings(v, n);
	t->nh = n;
	while ((rc = tm_csv_next(c, &v, &n)) == 1) {
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 1024;
			t->row = ereallocarray(t->row, t->cap, sizeof(*t->row));
			t->nf = ereallocarray(t->nf, t->cap, sizeof(*t->nf));
		}
		t->row[t->n] = strings(v, n);
		t->nf[t->n++] = n;
	}
	tm_csv_free(c);
	if (rc == -1) {
		tab_free(t);
		tm_exit(tm_fail_status());
	}
}

static int
col(const struct tab *t, const char *name)
{
	for (int j = 0; j < t->nh; j++)
		if (strcmp(t->hdr[j], name) == 0)
			return j;
	return -1;
}

/* The number in cell (r, c); NaN when empty, absent or not a number. */
static double
num(const struct tab *t, size_t r, int c)
{
	double v;

	if (c < 0 || c >= t->nf[r] || t->row[r][c][0] == '\0' ||
	    tm_parse_double(t->row[r][c], 0, &v) == -1)
		return NAN;
	return v;
}

/* One annual share count of a ticker: public from day pub. */
struct ashare {
	int tick;
	int32_t period, pub;
	double shares;
};

/* One quarter of one ticker, ready to write. */
struct qrow {
	int tick;
	int32_t period, filed;
	double v[8];
};

static int
cmp_ashare(const void *a, const void *b)
{
	const struct ashare *x = a, *y = b;

	if (x->tick != y->tick)
		return x->tick < y->tick ? -1 : 1;
	return (x->pub > y->pub) - (x->pub < y->pub);
}

static int
cmp_qrow(const void *a, const void *b)
{
	const struct qrow *x = a, *y = b;

	if (x->filed != y->filed)
		return x->filed < y->filed ? -1 : 1;
	return (x->tick > y->tick) - (x->tick < y->tick);
}

/* The ticker index of a file's spelling, or -1 outside the universe. */
static int
find_tick(struct fetch *f, const char *s)
{
	char *c = ticker_canon(s);
	int k = fetch_find(f, c);

	free(c);
	return k;
}

static struct ashare *as;
static size_t nas, capas;

static void
load_annual(struct fetch *f, const struct tab *t, const char *path)
{
	int ct = col(t, "Ticker Symbol"), cp = col(t, "Period Ending");
	int cs = col(t, "Estimated Shares Outstanding");

	if (ct < 0 || cp < 0 || cs < 0)
		tm_die(EX_DATAERR, "%s: want Ticker Symbol, Period Ending and "
		    "Estimated Shares Outstanding columns", path);
	for (size_t r = 0; r < t->n; r++) {
		int32_t p;
		double sh = num(t, r, cs);
		int k;
		if (ct >= t->nf[r] || cp >= t->nf[r] ||
		    tm_date_parse(t->row[r][cp], &p) == -1 ||
		    !(sh > 0) || (k = find_tick(f, t->row[r][ct])) < 0)
			continue;
		if (nas == capas)
			as = ereallocarray(as, capas = capas ? 2 * capas : 256,
			    sizeof(*as));
		as[nas++] = (struct ashare){ k, p, p + FUNDIMP_ALAG, sh };
	}
}

/* The latest annual share count of tick public by day, or NaN. */
static double
shares_at(int tick, int32_t day)
{
	double sh = NAN;
	size_t lo = 0, hi = nas;

	while (lo < hi) {	/* first entry of tick */
		size_t m = (lo + hi) / 2;
		if (as[m].tick < tick)
			lo = m + 1;
		else
			hi = m;
	}
	for (size_t i = lo; i < nas && as[i].tick == tick; i++)
		if (as[i].pub <= day)
			sh = as[i].shares;
	return sh;
}

static double
ratio(double a, double b)
{
	return isfinite(a) && isfinite(b) && b != 0 ? a / b : NAN;
}

static struct qrow *qs;
static size_t nqs, capqs;

static void
load_quarterly(struct fetch *f, const struct tab *t, const char *path)
{
	int ct = col(t, "copany"), cd = col(t, "date");
	int crev = col(t, "Revenues"), cnp = col(t, "Net Profit");
	int cdiv = col(t, "Dividends"), ceq = col(t, "Total Equity");
	int cstd = col(t, "Short term debt"), cltd = col(t, "Long Term Debt");

	if (ct < 0 || cd < 0 || crev < 0 || cnp < 0 || ceq < 0)
		tm_die(EX_DATAERR, "%s: want copany, date, Revenues, Net Profit "
		    "and Total Equity columns", path);
	for (size_t r = 0; r < t->n; r++) {
		int32_t p;
		int k;
		double rev = num(t, r, crev), np = num(t, r, cnp);
		double eq = num(t, r, ceq), dv = num(t, r, cdiv);
		double debt = num(t, r, cstd) + num(t, r, cltd);
		if (ct >= t->nf[r] || cd >= t->nf[r] ||
		    tm_date_parse(t->row[r][cd], &p) == -1 ||
		    (k = find_tick(f, t->row[r][ct])) < 0)
			continue;
		if (!isfinite(rev) && !isfinite(np) && !isfinite(eq))
			continue;	/* a filler month: no quarter ends here */
		struct qrow q = { k, p, p + FUNDIMP_LAG, { 0 } };
		double sh = shares_at(k, q.filed);
		/* USD millions; Dividends is a cash outflow (negative) */
		q.v[0] = ratio(np * 1e6, sh);
		q.v[1] = ratio(eq * 1e6, sh);
		q.v[2] = ratio(rev * 1e6, sh);
		q.v[3] = ratio(fabs(dv) * 1e6, sh);
		q.v[4] = ratio(np, eq);
		q.v[5] = ratio(debt, eq);
		q.v[6] = ratio(np, rev);
		q.v[7] = sh;
		if (nqs == capqs)
			qs = ereallocarray(qs, capqs = capqs ? 2 * capqs : 1024,
			    sizeof(*qs));
		qs[nqs++] = q;
	}
}

/* 1 quarterly, 2 annual, 0 neither, by the header. */
static int
kind(const struct tab *t)
{
	if (col(t, "copany") >= 0 && col(t, "date") >= 0)
		return 1;
	if (col(t, "Ticker Symbol") >= 0 && col(t, "Period Ending") >= 0)
		return 2;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The CSV files to read: path itself, or the *.csv files of a folder in
 * name order. */
static char **
inputs(const char *path, size_t *n)
{
	struct stat st;
	char **v = NULL;

	*n = 0;
	if (stat(path, &st) == -1)
		tm_die(EX_NOINPUT, "%s:", path);
	if (!S_ISDIR(st.st_mode)) {
		v = emalloc(sizeof(*v));
		v[(*n)++] = estrdup(path);
		return v;
	}
	DIR *d = opendir(path);
	struct dirent *e;
	if (d == NULL)
		tm_die(EX_NOINPUT, "%s:", path);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		char *p;
		if (e->d_name[0] == '.' || l < 5 ||
		    strcmp(e->d_name + l - 4, ".csv") != 0)
			continue;
		if (asprintf(&p, "%s/%s", path, e->d_name) == -1)
			tm_die(EX_OSERR, "asprintf:");
		v = ereallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = p;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static const char *const fund_fields[8] = {
	"eps", "bvps", "sps", "dps", "roe", "de", "margin", "shares",
};

static void
put_frame(struct tm_writer *w, struct fetch *f, size_t a, size_t b)
{
	struct tm_frame fr;
	char iso[11];

	tm_frame_init(&fr);
	tm_frame_shape2(&fr, TM_F64, "ticker", (int64_t)(b - a), "field", 8);
	for (int i = 0; i < 8; i++)
		tm_frame_set_label(&fr, 1, i, fund_fields[i]);
	for (size_t r = a; r < b; r++) {
		tm_frame_set_label(&fr, 0, (int64_t)(r - a), f->t[qs[r].tick].sym);
		for (int i = 0; i < 8; i++)
			tm_frame_set(&fr, (r - a) * 8 + (size_t)i, qs[r].v[i]);
	}
	tm_frame_set_date(&fr, tm_date_fmt(qs[a].filed, iso));
	json_object_set_new(fr.coords, "period",
	    json_string(tm_date_fmt(qs[a].period, iso)));
	tm_frame_set_meta(&fr, "source", "csv: quarterly TTM + annual shares");
	if (tm_write(w, &fr) == -1)
		tm_die(EX_IOERR, "<stdout>: write failed");
	tm_frame_release(&fr);
}

int
fundimp_run(struct fetch *f, int32_t from, int32_t to)
{
	size_t nin, nq = 0, na = 0;
	char **in = inputs(f->csvpath, &nin);
	struct tab *tabs = ecalloc(nin ? nin : 1, sizeof(*tabs));
	int *kinds = ecalloc(nin ? nin : 1, sizeof(*kinds));

	/* Annual share counts first: the quarters look them up. */
	for (size_t i = 0; i < nin; i++) {
		tab_read(&tabs[i], in[i]);
		kinds[i] = kind(&tabs[i]);
		if (kinds[i] == 2) {
			load_annual(f, &tabs[i], in[i]);
			na++;
		} else if (kinds[i] == 0)
			tm_warn("%s: neither a quarterly nor an annual "
			    "fundamentals file, skipped", in[i]);
	}
	if (nas > 0)	/* qsort of NULL is undefined, even for 0 */
		qsort(as, nas, sizeof(*as), cmp_ashare);
	for (size_t i = 0; i < nin; i++)
		if (kinds[i] == 1) {
			load_quarterly(f, &tabs[i], in[i]);
			nq++;
		}
	if (nq == 0)
		tm_die(EX_DATAERR, "%s: no quarterly fundamentals file",
		    f->csvpath);
	if (nqs > 0)
		qsort(qs, nqs, sizeof(*qs), cmp_qrow);

	struct tm_writer *w = tm_writer_new(stdout, "<stdout>", TM_RAW);
	size_t rows = 0, frames = 0, withshares = 0;
	unsigned char *seen = ecalloc(f->nt ? f->nt : 1, 1);
	for (size_t a = 0, b; a < nqs; a = b) {
		/* A ticker twice in a filing (two files): the first kept. */
		for (b = a + 1; b < nqs && qs[b].filed == qs[a].filed; b++)
			;
		if (qs[a].filed < from || qs[a].filed > to)
			continue;
		size_t o = a;
		for (size_t r = a; r < b; r++)
			if (r == a || qs[r].tick != qs[o - 1].tick)
				qs[o++] = qs[r];
		put_frame(w, f, a, o);
		frames++;
		rows += o - a;
		for (size_t r = a; r < o; r++) {
			seen[qs[r].tick] = 1;
			withshares += isfinite(qs[r].v[7]);
		}
	}
	if (tm_writer_end(w) == -1)
		tm_die(EX_IOERR, "<stdout>: write failed");
	tm_writer_free(w);
	tm_runlog_rows((int64_t)nqs, (int64_t)rows);

	size_t tickers = 0;
	for (size_t k = 0; k < f->nt; k++)
		tickers += seen[k];
	json_t *s = json_pack("{s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I}}", "summary",
	    "universe", (json_int_t)f->nt, "tickers", (json_int_t)tickers,
	    "filings", (json_int_t)rows, "with_shares", (json_int_t)withshares,
	    "frames", (json_int_t)frames, "quarterly_files", (json_int_t)nq,
	    "annual_files", (json_int_t)na);
	char *js = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fprintf(stderr, "%s\n", js);
	free(js);
	json_decref(s);

	for (size_t i = 0; i < nin; i++) {
		tab_free(&tabs[i]);
		free(in[i]);
	}
	free(in);
	free(tabs);
	free(kinds);
	free(seen);
	free(as);
	free(qs);
	return 0;
}
