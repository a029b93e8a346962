/* main.c - tm-synth: write a seeded synthetic market as TMT streams. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "synth.h"

static const char *const price_fields[NFIELD + 1] = {
	"open", "high", "low", "close", "adjclose", "volume", "split",
	"dividend", "signal",
};
static const char *const fund_fields[8] = {
	"eps", "bvps", "sps", "dps", "roe", "de", "margin", "shares",
};

/* One output: a TMT writer (or a CSV stream) over stdout or an atomic
 * file in the output folder. */
struct out {
	char *path;
	struct tm_atomic *a;
	FILE *fp;
	struct tm_writer *w;
};

/* The atomic files being written, and those written whole but not yet
 * renamed into place: the set is committed together at the end
 * (commit_all), so a failure part way (a full disk) removes every
 * temporary file and leaves the folder as it was, never half a set. */
static struct out *open_outs[8];
static int nopen;
static struct tm_atomic *pending[8];
static int npending;

/* Exit after a failure the library has already reported on stderr. */
static void
fail(int status)
{
	for (int i = 0; i < nopen; i++)
		if (open_outs[i]->a) {
			tm_atomic_abort(open_outs[i]->a);
			open_outs[i]->a = NULL;
		}
	while (npending > 0)
		tm_atomic_abort(pending[--npending]);
	tm_exit(status);
}

/* Rename every finished file into place, once all are on disk. */
static void
commit_all(void)
{
	while (npending > 0)
		if (tm_atomic_commit(pending[--npending]) == -1)
			fail(EX_IOERR);
}

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: tm-synth [-z] [-n N] [-o DIR] [-y YEARS] "
	    "[--seed S] [--sentiment R]\n"
	    "                [--signal K] [--start DATE]\n");
	tm_usage_exit();
}

static void
out_open(struct out *o, const char *dir, const char *name, int tmt, int enc)
{
	memset(o, 0, sizeof(*o));
	if (dir == NULL) {
		o->path = estrdup("<stdout>");
		o->fp = stdout;
	} else {
		size_t n = strlen(dir) + strlen(name) + 2;
		o->path = emalloc(n);
		snprintf(o->path, n, "%s/%s", dir, name);
		if ((o->a = tm_atomic_open(o->path, 0644)) == NULL)
			fail(EX_CANTCREAT);
		o->fp = tm_atomic_fp(o->a);
		open_outs[nopen++] = o;
	}
	if (tmt)
		o->w = tm_writer_new(o->fp, o->path, enc);
}

static void
out_write(struct out *o, const struct tm_frame *f)
{
	if (tm_write(o->w, f) == -1)
		fail(EX_IOERR);
}

static void
out_close(struct out *o)
{
	if (o->w) {
		if (tm_writer_end(o->w) == -1)
			fail(EX_IOERR);
		tm_writer_free(o->w);
	}
	if (o->a) {
		/* On disk now (a full disk says so here), renamed into place
		 * with the rest of the set by commit_all. */
		struct tm_atomic *a = o->a;
		for (int i = 0; i < nopen; i++)
			if (open_outs[i] == o)
				open_outs[i] = open_outs[--nopen];
		pending[npending++] = a;
		if (fflush(o->fp) == EOF || fsync(fileno(o->fp)) == -1) {
			tm_warn("%s:", o->path);
			fail(EX_IOERR);
		}
	}
	free(o->path);
}

/* The Monday after the fourth Friday of June (the Russell calendar),
 * moved to the next trading day when the market is shut. */
static int32_t
recon_day(int y)
{
	int32_t d = tm_date_from_ymd(y, 6, 1);

	d += (5 - tm_date_weekday(d) + 7) % 7 + 21 + 3;
	return tm_trading_day(d) ? d : tm_trading_next(d);
}

/* The last calendar day of day's quarter. */
static int32_t
quarter_end(int32_t day)
{
	int y, m, d;

	tm_date_ymd(day, &y, &m, &d);
	m = (m - 1) / 3 * 3 + 4;
	if (m > 12) {
		m = 1;
		y++;
	}
	return tm_date_from_ymd(y, m, 1) - 1;
}

static void
price_frame(struct tm_frame *f, struct market *m, int t, int nf)
{
	int64_t n = 0, r = 0;
	char iso[16];

	for (int i = 0; i < m->n; i++)
		n += m->st[i].row;
	tm_frame_shape2(f, TM_F64, "ticker", n, "field", nf);
	for (int j = 0; j < nf; j++)
		tm_frame_set_label(f, 1, j, price_fields[j]);
	double *d = f->data;
	for (int i = 0; i < m->n; i++) {
		struct stock *s = &m->st[i];
		if (!s->row)
			continue;
		tm_frame_set_label(f, 0, r, s->ticker);
		memcpy(d + r * nf, s->v, (size_t)nf * sizeof(double));
		r++;
	}
	tm_frame_set_date(f, tm_date_fmt(m->days[t], iso));
	tm_frame_set_meta(f, "source", "tm-synth");
}

/* The frame of the quarter reports that become public on day t; returns
 * the number of filers. */
static int64_t
fund_frame(struct tm_frame *f, struct market *m, int t)
{
	int64_t n = 0, r = 0;
	int32_t period = 0;
	char iso[16];

	for (int i = 0; i < m->n; i++) {
		struct stock *s = &m->st[i];
		if (s->fil.day == t && s->row) {
			n++;
			period = s->fil.period;
		}
	}
	if (n == 0)
		return 0;
	tm_frame_shape2(f, TM_F64, "ticker", n, "field", 8);
	for (int j = 0; j < 8; j++)
		tm_frame_set_label(f, 1, j, fund_fields[j]);
	double *d = f->data;
	for (int i = 0; i < m->n; i++) {
		struct stock *s = &m->st[i];
		if (s->fil.day != t || !s->row)
			continue;
		tm_frame_set_label(f, 0, r, s->ticker);
		memcpy(d + r * 8, s->fil.v, sizeof(s->fil.v));
		r++;
	}
	tm_frame_set_date(f, tm_date_fmt(m->days[t], iso));
	/* Lags are 30 to 45 days, so one day's filers share a quarter. */
	json_object_set_new(f->coords, "period",
	    json_string(tm_date_fmt(period, iso)));
	tm_frame_set_meta(f, "source", "tm-synth");
	return n;
}

static void
write_universe(struct market *m, const char *dir)
{
	struct out o;
	char name[64];

	out_open(&o, dir, "universe.csv", 0, 0);
	fprintf(o.fp, "ticker,name,sector\n");
	for (int i = 0; i < m->n; i++) {
		names_company(i, m->st[i].ticker, name, sizeof(name));
		fprintf(o.fp, "%s,%s,%s\n", m->st[i].ticker, name,
		    sector_names[m->st[i].sector]);
	}
	out_close(&o);
}

/* The sector map tm-diff(1) reads for its sector limit: ticker,sector. */
static void
write_sectors(struct market *m, const char *dir)
{
	struct out o;

	out_open(&o, dir, "sectors.csv", 0, 0);
	fprintf(o.fp, "ticker,sector\n");
	for (int i = 0; i < m->n; i++)
		fprintf(o.fp, "%s,%s\n", m->st[i].ticker,
		    sector_names[m->st[i].sector]);
	out_close(&o);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 'S' },
		{ "sentiment", required_argument, NULL, 'R' },
		{ "signal", required_argument, NULL, 'K' },
		{ "start", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL;
	int n = 1100, enc = TM_RAW, c, nf = NFIELD;
	double years = 10, signal = 0, sentr = -1;
	uint64_t seed = 42;
	int32_t start = tm_date_from_ymd(2015, 1, 2), end;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	while ((c = getopt_long(argc, argv, "n:o:y:z", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			n = (int)estrtonum(optarg, 1, 100000, "ticker count");
			break;
		case 'o':
			dir = optarg;
			break;
		case 'y':
			years = estrtod(optarg, 0.01, 100, "years");
			break;
		case 'z':
			enc = TM_DEFLATE;
			break;
		case 'D':
			start = edate(optarg, "--start");
			break;
		case 'K':
			signal = estrtod(optarg, 0, 1, "signal");
			nf = NFIELD + 1;
			break;
		case 'R':
			sentr = estrtod(optarg, 0, 1, "sentiment");
			break;
		case 'S':
			seed = (uint64_t)estrtonum(optarg, 0, INT64_MAX, "seed");
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (sentr >= 0 && dir == NULL)
		tm_die(EX_USAGE, "--sentiment: needs -o DIR");
	if (dir && tm_mkdirs(dir, 0755) == -1)
		fail(EX_CANTCREAT);

	/* The trading days from start (or the next one) for the span. */
	end = start + (int32_t)lround(years * 365.2425);
	if (!tm_trading_day(start))
		start = tm_trading_next(start);
	int cap = (int)(end - start) + 2, ndays = 0;
	int32_t *days = emalloc((size_t)cap * sizeof(int32_t));
	for (int32_t d = start; d < end; d = tm_trading_next(d))
		days[ndays++] = d;
	if (ndays < 2)
		tm_die(EX_USAGE, "years: %g: fewer than two trading days", years);

	struct market m;
	struct index ix = { 0 };
	struct out prices, bench, fund, memb, sento;
	struct sent sn;
	struct tm_frame f, bf;
	int64_t rows = 0;

	market_init(&m, n, seed, days, ndays, signal);
	ix.k = (int)lround(0.9 * n);
	if (ix.k > 1000)
		ix.k = 1000;
	if (ix.k < 1)
		ix.k = 1;
	ix.kb = ix.k < 100 ? ix.k : 100;
	ix.level = 100;
	out_open(&prices, dir, "prices.tmt", 1, enc);
	if (dir) {
		write_universe(&m, dir);
		write_sectors(&m, dir);
		out_open(&bench, dir, "benchmark.tmt", 1, enc);
		out_open(&fund, dir, "fundamentals.tmt", 1, enc);
		out_open(&memb, dir, "membership.csv", 0, 0);
		fprintf(memb.fp, "date,ticker,action\n");
		ix.csv = memb.fp;
	}
	if (sentr >= 0) {
		sent_init(&sn, n, seed, sentr);
		out_open(&sento, dir, "sentiment.tmt", 1, enc);
	}
	tm_frame_init(&f);
	tm_frame_init(&bf);

	for (int t = 0; t < ndays; t++) {
		int y, mo, d;
		char iso[16];

		tm_date_ymd(days[t], &y, &mo, &d);
		if (t == 0 || days[t] == recon_day(y))
			index_reconstitute(&ix, &m, t);
		market_step(&m, t);
		price_frame(&f, &m, t, nf);
		rows += f.shape[0];
		out_write(&prices, &f);
		if (dir) {
			tm_frame_shape2(&bf, TM_F64, "ticker", 1, "field", NFIELD);
			for (int j = 0; j < NFIELD; j++)
				tm_frame_set_label(&bf, 1, j, price_fields[j]);
			tm_frame_set_label(&bf, 0, 0, "QQQ");
			index_benchmark(&ix, &m, t, bf.data);
			tm_frame_set_date(&bf, tm_date_fmt(days[t], iso));
			tm_frame_set_meta(&bf, "source", "tm-synth");
			out_write(&bench, &bf);
		}
		if (sentr >= 0) {
			/* Day t-2's news reads day t's return. */
			sent_record(&sn, &m, t);
			if (t >= 2) {
				sent_frame(&sn, &m, t - 2, t, &bf);
				out_write(&sento, &bf);
			}
		}
		index_delistings(&ix, &m, t);
		if (dir && fund_frame(&bf, &m, t) > 0)
			out_write(&fund, &bf);
		/* Quarter ends are the last trading day of a quarter. */
		if (t + 1 < ndays && quarter_end(days[t]) < days[t + 1])
			for (int i = 0; i < n; i++)
				if (m.st[i].row)
					fund_quarter(&m, &m.st[i],
					    quarter_end(days[t]));
	}
	if (sentr >= 0) {
		for (int t = ndays > 2 ? ndays - 2 : 0; t < ndays; t++) {
			sent_frame(&sn, &m, t, -1, &bf);
			out_write(&sento, &bf);
		}
		out_close(&sento);
		sent_free(&sn);
	}
	tm_runlog_rows(0, rows);
	out_close(&prices);
	if (dir) {
		out_close(&bench);
		out_close(&fund);
		out_close(&memb);
	}
	commit_all();
	tm_frame_release(&f);
	tm_frame_release(&bf);
	market_free(&m);
	free(days);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
