/* tm-backtest - simulate a weight stream (or a model, or the sma
 * crossover) over a slot stream with the core's fills and costs: the
 * equity stream, the trade list, the metrics; and grids of strategy
 * parameters with the Deflated Sharpe Ratio of their best. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cblas.h>

#include "bt.h"

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: tm-backtest [-q] [--long-only] [-b ticker] "
	    "[-c rate] [--band w] [--from date]\n"
	    "                   [--to date]"
	    " [--trades file] [--metrics file] "
	    "[--chart file]\n"
	    "                   -w weights [-t ticker] | -m model [-t ticker] |\n"
	    "                   --strategy spec -t ticker | --grid file -t ticker ... |\n"
	    "                   --grid file --tickers file |\n"
	    "                   --index file "
	    "[slots]\n"
	    "       tm-backtest --dsr file\n");
	tm_usage_exit();
}

static struct bt bt;

enum { O_LONG = 256, O_BAND, O_INDEX, O_FROM, O_TO, O_TRADES, O_METRICS, O_CHART, O_STRAT,
    O_GRID, O_DSR, O_TICKERS, O_HELP, O_VERSION };

/* The tickers of -t (each use adds one) and of --tickers. */
static const char **tks;
static int ntk, tkcap;

static void
add_ticker(const char *tk)
{
	if (!*tk)
		tm_die(EX_USAGE, "-t: an empty ticker");
	if (ntk == tkcap) {
		tkcap = tkcap ? 2 * tkcap : 16;
		tks = ereallocarray(tks, tkcap, sizeof(*tks));
	}
	tks[ntk++] = tk;
}

/* --tickers FILE: one ticker a line, blank lines and # comments
 * skipped; the names are kept for the run. */
static void
read_tickers(const char *path)
{
	FILE *fp = tm_open_read(path);
	char *line = NULL;
	size_t cap = 0;

	if (!fp)
		tm_exit(tm_fail_status());
	while (getline(&line, &cap, fp) > 0) {
		line[strcspn(line, "#\r\n")] = 0;
		char *b = line + strspn(line, " \t"), *e = b + strcspn(b, " \t");
		if (*(e + strspn(e, " \t")))
			tm_die(EX_DATAERR, "%s: '%s': one ticker a line", path, b);
		*e = 0;
		if (*b)
			add_ticker(estrdup(b));
	}
	if (ferror(fp))
		tm_die(EX_IOERR, "%s:", path);
	free(line);
	tm_close_read(fp);
	if (!ntk)
		tm_die(EX_DATAERR, "%s: no ticker", path);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "band", required_argument, NULL, O_BAND },
		{ "bench", required_argument, NULL, 'b' },
		{ "chart", required_argument, NULL, O_CHART },
		{ "cost", required_argument, NULL, 'c' },
		{ "dsr", required_argument, NULL, O_DSR },
		{ "from", required_argument, NULL, O_FROM },
		{ "grid", required_argument, NULL, O_GRID },
		{ "help", no_argument, NULL, O_HELP },
		{ "index", required_argument, NULL, O_INDEX },
		{ "long-only", no_argument, NULL, O_LONG },
		{ "metrics", required_argument, NULL, O_METRICS },
		{ "model", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "strategy", required_argument, NULL, O_STRAT },
		{ "ticker", required_argument, NULL, 't' },
		{ "tickers", required_argument, NULL, O_TICKERS },
		{ "to", required_argument, NULL, O_TO },
		{ "trades", required_argument, NULL, O_TRADES },
		{ "version", no_argument, NULL, O_VERSION },
		{ "weights", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	const char *wpath = NULL, *mpath = NULL, *strat = NULL, *grid = NULL;
	const char *dsr = NULL, *ticker = NULL, *from = NULL, *to = NULL;
	const char *trades = NULL, *metrics = NULL, *chart = NULL;
	const char *ipath = NULL, *tkfile = NULL;
	double band = 0;
	int c, nmode;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	bt.cost = 0.001;
	while ((c = getopt_long(argc, argv, "b:c:m:qt:w:", lopts, NULL)) != -1)
		switch (c) {
		case 'b': bt.bench_tk = optarg; break;
		case 'c': bt.cost = estrtod(optarg, 0, 0.5, "--cost"); break;
		case 'm': mpath = optarg; break;
		case 'q': bt.quiet = 1; break;
		case 't': add_ticker(optarg); break;
		case 'w': wpath = optarg; break;
		case O_BAND: band = estrtod(optarg, 0, 1, "--band"); break;
		case O_CHART: chart = optarg; break;
		case O_DSR: dsr = optarg; break;
		case O_FROM: from = optarg; break;
		case O_GRID: grid = optarg; break;
		case O_INDEX: ipath = optarg; break;
		case O_LONG: bt.long_only = 1; break;
		case O_METRICS: metrics = optarg; break;
		case O_STRAT: strat = optarg; break;
		case O_TICKERS: tkfile = optarg; break;
		case O_TO: to = optarg; break;
		case O_TRADES: trades = optarg; break;
		case O_HELP:
			usage();
			break;
		case O_VERSION:
			printf("tm-backtest 1\n");
			efshut(stdout, "<stdout>");
			tm_exit(0);
		default: usage();
		}
	if (dsr) {
		if (optind != argc || wpath || mpath || strat || grid || ipath)
			tm_die(EX_USAGE, "--dsr: takes no other input");
		json_t *s = dsr_lines(dsr);
		char *txt = json_dumps(s, JSON_COMPACT | JSON_REAL_PRECISION(17));
		puts(txt);
		free(txt);
		json_decref(s);
		efshut(stdout, "<stdout>");
		tm_exit(0);
	}
	if (tkfile && (!grid || ntk))
		tm_die(EX_USAGE, "--tickers: for --grid, instead of -t");
	if (ntk > 1 && !grid)
		tm_die(EX_USAGE, "-t: given %d times; more than one ticker is "
		    "for --grid", ntk);
	if (tkfile)
		read_tickers(tkfile);
	ticker = ntk ? tks[0] : NULL;
	nmode = !!wpath + !!mpath + !!strat + !!grid + !!ipath;
	if (nmode != 1)
		tm_die(EX_USAGE, "give one of -w, -m, --strategy, --grid and "
		    "--index");
	if ((strat || grid) && !ticker)
		tm_die(EX_USAGE, "%s needs -t ticker", strat ? "--strategy" :
		    "--grid");
	if (grid && (trades || chart))
		tm_die(EX_USAGE, "--grid: --trades and --chart are for one run");
	if (ipath && (trades || chart || band > 0 || bt.long_only || ticker))
		tm_die(EX_USAGE, "--index: the index is a value series: no "
		    "--trades, --chart, --band, --long-only or -t");
	if (ticker && !chart && (wpath || mpath))
		tm_die(EX_USAGE, "-t: with %s, the ticker of --chart: give "
		    "--chart", wpath ? "-w" : "-m");
	if (optind + 1 < argc)
		usage();
	if (!grid && isatty(1))
		tm_die(EX_USAGE, "<stdout>: a terminal; the equity stream is "
		    "TMT (pipe it to tm-cat)");
	openblas_set_num_threads(1);

	const char *in = optind < argc ? argv[optind] : "-";
	FILE *fp = tm_open_read(in);
	if (!fp)
		tm_exit(tm_fail_status());
	struct tm_model m;
	char *onlyret[] = { "ret", NULL };
	tm_model_init(&m);
	if (mpath && tm_model_read(&m, mpath) == -1)
		tm_exit(tm_fail_status());
	struct tm_reader *r = tm_reader_new(fp, tm_input_name(in));
	int rc = tm_env_load(&bt.env, r, from ? edate(from, "--from") : 0,
	    to ? edate(to, "--to") : 0, mpath ? m.feat : onlyret);
	/* The reader is freed on failure too: the leak checker of the
	 * SAN build need not find its pointer still in a register. */
	tm_reader_free(r);
	tm_close_read(fp);
	if (rc == -1)
		tm_exit(tm_fail_status());
	bt.env.band = band;
	if (bt.bench_tk)
		bt_bench(&bt);
	if (chart && ticker && !grid) {
		/* Before any output: a misspelt ticker leaves no file.  An
		 * empty slot's label is "", which names no ticker. */
		size_t k = 0, nl = (size_t)bt.env.T * bt.env.N;

		while (*ticker && k < nl && strcmp(bt.env.label[k], ticker))
			k++;
		if (!*ticker || k == nl)
			tm_die(EX_DATAERR, "--ticker: %s: not in the slot stream",
			    ticker);
		bt.chart_tk = ticker;
	}

	json_t *mj = NULL;
	FILE *tf = NULL;
	struct tm_atomic *ta = NULL;
	if (trades) {
		if (!(ta = tm_atomic_open(trades, 0644)))
			tm_exit(EX_CANTCREAT);
		tf = tm_atomic_fp(ta);
	}
	if (grid) {
		sma_grid(&bt, tks, ntk, grid, &mj);
		if (!bt.quiet) {
			char *txt = json_dumps(mj, JSON_COMPACT |
			    JSON_REAL_PRECISION(6));
			fprintf(stderr, "%s: %s\n", tm_progname(), txt);
			free(txt);
		}
	} else if (ipath) {
		bt_index(&bt, ipath, stdout, &mj);
	} else if (wpath) {
		struct wsrc *s = wsrc_open(wpath);
		bt_run(&bt, wsrc_targets, s, stdout, tf, chart, &mj);
		wsrc_close(s);
	} else if (mpath) {
		if (m.layout && *m.layout && *bt.env.layout &&
		    strcmp(m.layout, bt.env.layout))
			tm_die(EX_DATAERR, "%s: layout '%s', the input is '%s'",
			    mpath, m.layout, bt.env.layout);
		if (m.pol.arch == TM_ARCH_FLAT && m.pol.nslots != bt.env.N)
			tm_die(EX_DATAERR, "%s: flat model of %d slots, the "
			    "input has %d", mpath, m.pol.nslots, bt.env.N);
		tm_env_normalise(&bt.env, m.mean, m.sd);
		bt.model = m.version;
		struct msrc *s = msrc_open(&m, bt.env.N);
		bt_run(&bt, msrc_targets, s, stdout, tf, chart, &mj);
		msrc_close(s);
	} else {
		struct sma p;
		if (sma_parse(strncmp(strat, "sma:", 4) ? strat : strat + 4,
		    &p) == -1 || (strncmp(strat, "sma:", 4) && strcmp(strat,
		    "sma")))
			tm_die(EX_USAGE, "--strategy: '%s': want sma:fast=N,"
			    "slow=M[,size=X] with fast < slow", strat);
		char name[96];
		snprintf(name, sizeof(name), "sma:fast=%d,slow=%d,size=%g",
		    p.fast, p.slow, p.size);
		bt.model = name;
		struct ssrc *s = ssrc_open(&bt, ticker, p);
		bt_run(&bt, ssrc_targets, s, stdout, tf, chart, &mj);
		ssrc_close(s);
		bt.model = NULL;
	}
	if (ta) {
		if (ferror(tf)) {
			tm_atomic_abort(ta);
			tm_die(EX_IOERR, "%s: write error", trades);
		}
		if (tm_atomic_commit(ta) == -1)
			tm_exit(EX_CANTCREAT);
	}
	if (metrics)
		bt_write_json(metrics, mj);
	if (!grid && !bt.quiet) {
		json_t *s = json_object_get(mj, "sharpe");
		json_t *v = json_object_get(mj, "final_value");
		fprintf(stderr, "%s: %d days, final value %.6g, Sharpe %.4g\n",
		    tm_progname(), (int)json_integer_value(json_object_get(mj,
		    "days")), json_number_value(v), json_number_value(s));
	}
	json_decref(mj);
	if (tkfile)
		for (int k = 0; k < ntk; k++)
			free((char *)tks[k]);
	free(tks);
	free(bt.bench);
	tm_env_release(&bt.env);
	tm_model_release(&m);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
