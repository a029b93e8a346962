/*
 * tm-features - price stream in, feature stream out, one frame per day,
 * in one pass with constant state per ticker: a day's features use
 * nothing after that day.  See tm-features(1).
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "features.h"

#define MAXFEAT 128

enum { F_OPEN, F_HIGH, F_LOW, F_CLOSE, F_ADJ, F_VOL, F_SPLIT, NFIELD };
static const char *fieldname[NFIELD] = {
	"open", "high", "low", "close", "adjclose", "volume", "split",
};

unsigned char need[NIND];
static const struct feature *feat[MAXFEAT];
static int needta, needss;	/* any TA-Lib, any stockstats value */
static int nfeat;
static struct turb *turb;
static struct fundsrc *fund;
static struct tm_writer *wr;
static struct tm_frame in, out;
static int32_t lastday = INT32_MIN;
/* --from: days before it are computed (the warm-up) but not written. */
static int32_t fromday = INT32_MIN;
/* Rows of the last frame: a row whose label is the same as the day
 * before keeps its ticker without a hash lookup. */
static int64_t lastnr;
/* Kept in statics, not locals, so that they stay reachable when tm_die
 * exits from deep inside (LeakSanitizer counts lost locals as leaks). */
static struct tm_reader *rd;
static struct tk **tks;
static size_t tkcap;
static double *bsum;
static int *bcnt;
static int64_t rowsin, rowsout;
static int nbucket = 11;
/* -c: input fields copied through as extra features, and their columns
 * in the current input frame (looked up per frame: fields may vary). */
static char **carry;
static size_t ncarry;
static int64_t *carrycol;

static void
usage(void)
{
	fputs("usage: tm-features [-z] [-f fundamentals] [-k list] "
	    "[--buckets buckets] [--carry list]\n"
	    "                   [--from date] [--set set] [file ...]\n"
	    "       tm-features --list\n", tm_usage_out());
	tm_usage_exit();
}

static double
get(const struct tm_frame *f, int64_t r, int64_t col)
{
	size_t i;

	if (col < 0)
		return NAN;
	i = (size_t)(r * f->shape[1] + col);
	if (f->dtype == TM_F64)
		return ((const double *)f->data)[i];
	return tm_frame_get(f, i);
}

/*
 * Should a split of ratio k on this bar rescale the stored series?  Yes
 * for as-traded prices (tm-synth, Alpha Vantage); no when the source had
 * already split-adjusted them (Yahoo, Stooq, Polygon), which shows as
 * close/adjclose not moving by k.  Without adjclose both days, trust k.
 */
static int
needsplit(const struct tk *t, double k, double c, double a)
{
	double m;

	if (t->n == 0 || !(isfinite(a) && a > 0) || !(isfinite(c) && c > 0))
		return 1;
	m = (c / a) * t->adjratio;	/* (c/a) / (pc/pa): 1/k as traded */
	return fabs(log(m) + log(k)) < fabs(log(m));
}

static void
process(const char *name)
{
	int64_t col[NFIELD], nr;
	const char *d = tm_frame_date(&in);
	int32_t day;
	float *o;
	int nc = (int)ncarry, nf = nfeat + nc + 2, put;

	if (d == NULL || tm_date_parse(d, &day) == -1)
		tm_die(EX_DATAERR, "%s: frame %lld: no valid coords.date", name,
		    (long long)in.seq);
	if (day <= lastday)
		tm_die(EX_DATAERR, "%s: %s: dates not ascending", name, d);
	lastday = day;
	put = day >= fromday;
	if (in.ndim != 2 || tm_frame_axis(&in, "field") != 1 ||
	    in.labels[0] == NULL || in.labels[1] == NULL)
		tm_die(EX_DATAERR, "%s: %s: want a labelled [ticker, field] frame",
		    name, d);
	for (int j = 0; j < NFIELD; j++)
		col[j] = tm_frame_find_label(&in, 1, fieldname[j]);
	if (col[F_CLOSE] < 0)
		tm_die(EX_DATAERR, "%s: %s: no close field", name, d);
	for (int j = 0; j < nc; j++)
		carrycol[j] = tm_frame_find_label(&in, 1, carry[j]);
	nr = in.shape[0];
	rowsin += nr;

	if (fund)
		fund_advance(fund, day, 0);
	if ((size_t)nr > tkcap) {
		tkcap = (size_t)nr;
		tks = ereallocarray(tks, tkcap, sizeof(*tks));
	}
	for (int64_t r = 0; r < nr; r++) {
		double sp = get(&in, r, col[F_SPLIT]);
		double c = get(&in, r, col[F_CLOSE]), a = get(&in, r, col[F_ADJ]);

		/* Most days list the same tickers in the same order. */
		if (r >= lastnr || strcmp(tks[r]->name, in.labels[0][r]))
			tks[r] = tk_get(in.labels[0][r]);
		/* One row per ticker and day: a second would be taken as
		 * the next bar (its ret 0), so it is an error, named. */
		if (tks[r]->seen1 == (int64_t)day + 1)
			tm_die(EX_DATAERR, "%s: %s: row '%s' twice", name, d,
			    in.labels[0][r]);
		tks[r]->seen1 = (int64_t)day + 1;
		if (isfinite(sp) && sp > 0 && sp != 1 && isfinite(c) &&
		    needsplit(tks[r], sp, c, col[F_ADJ] < 0 ? NAN : a))
			tk_split(tks[r], sp, day);
	}
	lastnr = nr;
	if (fund)
		fund_advance(fund, day, 1);

	memset(bsum, 0, (size_t)nbucket * sizeof(*bsum));
	memset(bcnt, 0, (size_t)nbucket * sizeof(*bcnt));

	o = NULL;
	if (put) {
		if (tm_frame_shape2(&out, TM_F32, "ticker", nr, "feature",
		    nf) == -1)
			tm_die(EX_SOFTWARE, "%s: %s: output frame too large",
			    name, d);
		/* The rows are the input's: borrow its label table until the
		 * write, neither a copy nor taken (taking it made the reader
		 * decode every day's labels again). */
		out.labels[0] = in.labels[0];
		for (int j = 0; j < nfeat; j++)
			tm_frame_set_label(&out, 1, j, feat[j]->name);
		for (int j = 0; j < nc; j++)
			tm_frame_set_label(&out, 1, nfeat + j, carry[j]);
		tm_frame_set_label(&out, 1, nfeat + nc, "close");
		tm_frame_set_label(&out, 1, nfeat + nc + 1, "ret");
		tm_frame_set_date(&out, d);
		o = out.data;
	}

	for (int64_t r = 0; r < nr; r++) {
		struct tk *t = tks[r];
		double ind[NIND];
		double c = get(&in, r, col[F_CLOSE]), h, l, v, a;

		for (int j = 0; j < NIND; j++)
			ind[j] = NAN;
		h = get(&in, r, col[F_HIGH]);
		l = get(&in, r, col[F_LOW]);
		v = get(&in, r, col[F_VOL]);
		/* A bad bar (clean.c) is no bar: NaN row, state untouched. */
		if (isfinite(c) && !clean_bar(t, day, get(&in, r, col[F_OPEN]),
		    h, l, c, v, get(&in, r, col[F_SPLIT]))) {
			a = col[F_ADJ] < 0 ? c : get(&in, r, col[F_ADJ]);
			if (!isfinite(h))
				h = c;
			if (!isfinite(l))
				l = c;
			if (!isfinite(v))
				v = 0;
			if (!(isfinite(a) && a > 0))
				a = c * t->adjratio;
			tk_push(t, h, l, c, v, a);
			t->adjratio = a / c;
			if (needta)
				ta_update(t, ind);
			if (needss)
				ss_update(t, ind);
			ex_update(t, ind);
			if (isfinite(ind[I_RET])) {
				int b = turb_bucket(turb, t->name);
				bsum[b] += ind[I_RET];
				bcnt[b]++;
			}
		}
		if (!put)
			continue;
		for (int j = 0; j < nfeat; j++) {
			if (isnan(ind[I_CLOSE]) && feat[j]->kind != FK_ZERO)
				o[r * nf + j] = NAN;
			else
				o[r * nf + j] = (float)feat_value(feat[j], ind, t);
		}
		/* As the input has it that day, bar or no bar: no state. */
		for (int j = 0; j < nc; j++)
			o[r * nf + nfeat + j] = (float)get(&in, r, carrycol[j]);
		o[r * nf + nfeat + nc] = (float)ind[I_CLOSE];
		o[r * nf + nfeat + nc + 1] = (float)ind[I_RET];
	}
	double tu = turb_day(turb, bsum, bcnt);
	const char *bad = clean_day();	/* the day's findings, even unwritten */
	if (!put)
		return;
	json_object_set_new(out.coords, "turbulence", json_real(tu));
	tm_frame_set_meta(&out, "bad", bad);
	if (tm_write(wr, &out) == -1)
		tm_die(EX_IOERR, "<stdout>: write failed");
	out.labels[0] = NULL;	/* the input's, not out's to free */
	rowsout += nr;
}

/* One input, for tm_each_input: the state is this file's globals. */
static void
readall(void *arg, FILE *fp, const char *name)
{
	int rc;

	(void)arg;
	rd = tm_reader_new(fp, name);
	while ((rc = tm_read(rd, &in)) == 1)
		process(name);
	if (rc == -1)
		tm_die(tm_reader_status(rd), "%s: bad stream", name);
	tm_reader_free(rd);
	rd = NULL;
}

static void
pickset(const char *set, const char *keys)
{
	if (keys == NULL) {
		if ((nfeat = feat_set(set, feat, MAXFEAT)) == -1)
			tm_die(EX_USAGE, "--set %s: no such set (%s)", set,
			    feat_sets());
		return;
	}
	if (feat_set(set, feat, MAXFEAT) == -1)
		tm_die(EX_USAGE, "--set %s: no such set (%s)", set, feat_sets());
	size_t n;
	char **v = tm_split(keys, ',', &n);
	nfeat = 0;
	for (size_t i = 0; i < n; i++) {
		const struct feature *fe = feat_lookup(v[i], set);
		if (v[i][0] == '\0')
			tm_die(EX_USAGE, "-k '%s': empty name", keys);
		if (strcmp(v[i], "close") == 0 || strcmp(v[i], "ret") == 0)
			tm_die(EX_USAGE, "-k %s: always carried, not a choice", v[i]);
		if (fe == NULL)
			tm_die(EX_USAGE, "-k %s: no such feature", v[i]);
		for (int j = 0; j < nfeat; j++)
			if (strcmp(feat[j]->name, v[i]) == 0)
				tm_die(EX_USAGE, "-k %s: given twice", v[i]);
		if (nfeat == MAXFEAT)
			tm_die(EX_USAGE, "-k: more than %d features", MAXFEAT);
		feat[nfeat++] = fe;
	}
	tm_strv_free(v);	/* n >= 1 and no empty name: nfeat >= 1 */
}

/* The carried names must not repeat an output column's name. */
static void
pickcarry(const char *list)
{
	/* tm_split gives at least one item: "" is one empty name. */
	carry = tm_split(list, ',', &ncarry);
	for (size_t i = 0; i < ncarry; i++) {
		if (carry[i][0] == '\0')
			tm_die(EX_USAGE, "-c %s: empty name", list);
		if (strcmp(carry[i], "close") == 0 ||
		    strcmp(carry[i], "ret") == 0)
			tm_die(EX_USAGE, "-c %s: always carried", carry[i]);
		for (int j = 0; j < nfeat; j++)
			if (strcmp(feat[j]->name, carry[i]) == 0)
				tm_die(EX_USAGE, "-c %s: a feature of the set",
				    carry[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(carry[j], carry[i]) == 0)
				tm_die(EX_USAGE, "-c %s: given twice", carry[i]);
	}
	carrycol = ecalloc(ncarry, sizeof(*carrycol));
}

int
main(int argc, char *argv[])
{
	static const struct option lopts[] = {
		{ "buckets", required_argument, NULL, 'b' },
		{ "carry", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'F' },
		{ "fundamentals", required_argument, NULL, 'f' },
		{ "keys", required_argument, NULL, 'k' },
		{ "list", no_argument, NULL, 'L' },
		{ "set", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *set = "default", *keys = NULL, *fpath = NULL, *clist = NULL;
	int c, enc = TM_RAW, list = 0;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	while ((c = getopt_long(argc, argv, "f:k:z", lopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			nbucket = (int)estrtonum(optarg, 1, 64, "-b buckets");
			break;
		case 'c':
			clist = optarg;
			break;
		case 'f':
			fpath = optarg;
			break;
		case 'F':
			fromday = edate(optarg, "--from");
			break;
		case 'k':
			keys = optarg;
			break;
		case 'L':
			list = 1;
			break;
		case 's':
			set = optarg;
			break;
		case 'z':
			enc = TM_DEFLATE;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (list) {
		if (argc > 0)
			usage();
		feat_list(stdout);
		efshut(stdout, "<stdout>");
		tm_exit(0);
	}
	pickset(set, keys);
	if (clist)
		pickcarry(clist);
	feat_need(feat, nfeat, need);
	for (int j = I_RSI14; j <= I_MOM10; j++)
		needta |= need[j];
	for (int j = I_FMACD; j <= I_FSMA60; j++)
		needss |= need[j];
	/* One thread: the covariance sums must not depend on the machine. */
	openblas_set_num_threads(1);

	turb = turb_new(nbucket, 252);
	bsum = ecalloc((size_t)nbucket, sizeof(*bsum));
	bcnt = ecalloc((size_t)nbucket, sizeof(*bcnt));
	if (fpath)
		fund = fund_open(fpath);
	tm_frame_init(&in);
	tm_frame_init(&out);
	estdout_tmt();
	wr = tm_writer_new(stdout, "<stdout>", enc);
	if (tm_each_input(argc, argv, readall, NULL) == -1)
		tm_exit(tm_fail_status());
	if (tm_writer_end(wr) == -1)
		tm_die(EX_IOERR, "<stdout>: write failed");
	tm_writer_free(wr);
	tm_frame_release(&in);
	tm_frame_release(&out);
	if (fund)
		fund_close(fund);
	turb_free(turb);
	free(bsum);
	free(bcnt);
	free(tks);
	free(carrycol);
	if (carry)
		tm_strv_free(carry);
	tk_freeall();
	clean_free();
	tm_runlog_rows(rowsin, rowsout);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
