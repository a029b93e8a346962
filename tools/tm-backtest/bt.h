/* bt.h - what the parts of tm-backtest share: the run's settings, the
 * sources of targets (a weight stream, a model, the sma strategy), the
 * driver over the core's accounting, and the outputs. */
#include "tm.h"
#include "tmcore.h"

struct bt {
	struct tm_env env;
	double cost;
	int long_only, quiet;
	const char *bench_tk;	/* NULL: no benchmark */
	double *bench;		/* T: the benchmark's ret of each day, or 0 */
	const char *model;	/* meta.model of the output */
	const char *chart_tk;	/* NULL: the equity chart; else the
				 * ticker chart of this ticker */
};

/*
 * A source of targets: fill w[N] and *wc with the targets decided on day
 * t and return 1, or return 0 to hold (the book's drifted weights are
 * traded to, which trades nothing).
 */
typedef int (*bt_targets)(void *ctx, struct bt *bt, int t, double *w,
    double *wc);

/* The weight stream source (weights.c). */
struct wsrc;
struct wsrc *wsrc_open(const char *path);
int wsrc_targets(void *ctx, struct bt *bt, int t, double *w, double *wc);
void wsrc_close(struct wsrc *s);

/* The model source (model.c): the env was loaded with the model's
 * features and normalised. */
struct msrc;
struct msrc *msrc_open(struct tm_model *m, int N);
int msrc_targets(void *ctx, struct bt *bt, int t, double *w, double *wc);
void msrc_close(struct msrc *s);

/* The sma crossover on one ticker (sma.c). */
struct sma { int fast, slow; double size; };
int sma_parse(const char *spec, struct sma *p);
struct ssrc;
struct ssrc *ssrc_open(struct bt *bt, const char *ticker, struct sma p);
int ssrc_targets(void *ctx, struct bt *bt, int t, double *w, double *wc);
void ssrc_close(struct ssrc *s);
/* The grid: for each of the ntk tickers tk[] in turn, one JSON line per
 * set of gridpath on stdout (ticker, parameters, metrics: what a single
 * --strategy run of that ticker and set gives); the best over all the
 * lines and its Deflated Sharpe Ratio into *summary (a new reference).
 * A bad grid line exits 65, a ticker given twice 64, one in no slot 65,
 * all before any output. */
int sma_grid(struct bt *bt, const char *const *tk, int ntk,
    const char *gridpath, json_t **summary);
/* The best of grid lines read from path, with its DSR. */
json_t *dsr_lines(const char *path);

/* The driver (run.c): every decision of the env through tm_run_step;
 * the equity stream to out (NULL: none), trades CSV to trades (NULL:
 * none), metrics into *mj. */
int bt_run(struct bt *bt, bt_targets fn, void *ctx, FILE *out,
    FILE *trades, const char *chart, json_t **mj);
/* The metrics of the value index in coords.index of the frames of path
 * ('-' stdin; e.g. tm-diff's recommendation stream) over the env's days:
 * return k is index(day k+2) / index(day k+1) - 1, as a run's; the
 * equity stream (value, return, drawdown, bench) to out, the metrics
 * (turnover null: an index does not say what was traded) into *mj.
 * Exits 65 when a day of the env from its second on has no index. */
int bt_index(struct bt *bt, const char *path, FILE *out, json_t **mj);
/* One frame of the equity stream to wr through f: axes series (one row,
 * portfolio) and field (fields[0..nfield), values row), coords.date
 * date, meta.model model when not NULL; exits 74 on a write error. */
void bt_equity_frame(struct tm_writer *wr, struct tm_frame *f,
    const char *const *fields, int nfield, const double *row, int32_t date,
    const char *model);
/* The metrics of m as tm_metrics_json writes them, with their dates
 * (from, to, the drawdown's peak, trough and recovery) taken from e for a
 * run of T env days; the caller owns the object. */
json_t *bt_metrics_json(const struct tm_metrics *m, const struct tm_env *e,
    int T);
/* The benchmark's returns, from the env (exits 65 when absent). */
void bt_bench(struct bt *bt);

/* The SVG chart (chart.c): value and benchmark, drawdown below. */
int bt_chart(const char *path, const struct bt *bt, const struct tm_run *ru,
    const double *bvalue);

/* An entry (kind 1 long, -1 short) or an exit (kind 0, why its reason)
 * of a trade, on env day day at price: what the trade list's row says. */
struct bt_mark {
	int day, kind;
	double price;
	const char *why;
};
/* The ticker chart's record, filled by bt_run: the ticker's as-traded
 * close and the weight held after the day's trade on each env day
 * (NaN where no slot holds it, and on day 0, before the run), and the
 * marks, made where the trade list's rows are made so the two agree. */
struct bt_tick {
	const char *tk;
	double *close, *pos;	/* T each */
	struct bt_mark *mark;
	int nmark, cap;
};
/* The ticker chart (chart.c): the close over days 1 .. T-1 with a marker
 * at each entry and exit, the weight held below. */
int bt_chart_ticker(const char *path, const struct bt *bt,
    const struct bt_tick *ck);

/* Write a JSON value atomically to path; exits 73 on failure. */
void bt_write_json(const char *path, json_t *j);
