/* run.c - the driver of tm-backtest: targets from a source, every day
 * through the core's accounting (tm_run_step), and what it records: the
 * equity stream, the trade list, the BUY/SELL calls, the metrics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"

/* Smallest weight change counted as a BUY or SELL call (0.1% of the
 * value): the daily drift back to the targets is not a call. */
#define CALL_MIN 1e-3

void
bt_bench(struct bt *bt)
{
	const struct tm_env *e = &bt->env;
	int seen = 0;

	bt->bench = ecalloc(e->T, sizeof(double));
	for (int t = 0; t < e->T; t++)
		for (int i = 0; i < e->N; i++)
			if (!strcmp(e->label[(size_t)t * e->N + i],
			    bt->bench_tk)) {
				float r = e->ret[(size_t)t * e->N + i];

				bt->bench[t] = isfinite(r) ? r : 0;
				seen = 1;
				break;
			}
	if (!seen)
		tm_die(EX_DATAERR, "--bench: %s: not in the slot stream",
		    bt->bench_tk);
}

void
bt_write_json(const char *path, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
	size_t n = strlen(s);

	s = ereallocarray(s, n + 2, 1);
	s[n] = '\n';
	s[n + 1] = 0;
	if (tm_atomic_write(path, s, n + 1, 0644) == -1)
		tm_exit(EX_CANTCREAT);
	free(s);
}

/* One open position of a slot. */
struct pos {
	int side;		/* 0 none, 1 long, -1 short */
	int entry;		/* day of the entry trade */
	double price, shares, pnl;
};

/* A mark of the chart's ticker when tk is it (ck NULL: no ticker chart). */
static void
mark(struct bt_tick *ck, const char *tk, int day, int kind, double price,
    const char *why)
{
	if (!ck || strcmp(tk, ck->tk))
		return;
	if (ck->nmark == ck->cap) {
		ck->cap = ck->cap ? 2 * ck->cap : 64;
		ck->mark = ereallocarray(ck->mark, ck->cap, sizeof(*ck->mark));
	}
	ck->mark[ck->nmark++] = (struct bt_mark){ day, kind, price, why };
}

/* A trade opens: slot position p goes side at the close of day with
 * executed weight x of the value v; the chart marks it. */
static void
trade_open(struct bt_tick *ck, struct pos *p, int side, int day,
    const char *tk, double price, double x, double v)
{
	p->side = side;
	p->entry = day;
	p->price = price;
	p->shares = x * v / price;
	p->pnl = 0;
	mark(ck, tk, day, side, price, NULL);
}

/* A trade closes: its row of the trade list, and the chart's mark. */
static void
trade_close(FILE *fp, struct bt_tick *ck, const struct tm_env *e,
    struct pos *p, int day, const char *tk, double price, const char *why)
{
	char d0[16], d1[16];

	if (fp)
		fprintf(fp, "%s,%s,%s,%.10g,%s,%.10g,%.10g,%.10g,%d,%s\n", tk,
		    p->side > 0 ? "long" : "short",
		    tm_date_fmt(e->date[p->entry], d0), p->price,
		    tm_date_fmt(e->date[day], d1), price, p->shares, p->pnl,
		    day - p->entry, why);
	mark(ck, tk, day, 0, price, why);
	p->side = 0;
}

/* The slot of ticker tk on day t, or -1. */
static int
slot_of(const struct tm_env *e, int t, const char *tk)
{
	for (int i = 0; i < e->N; i++)
		if (!strcmp(e->label[(size_t)t * e->N + i], tk))
			return i;
	return -1;
}

/* A call's outcome: the ticker's compounded return over days
 * t+1 .. t+h against the benchmark's; -1 when the horizon leaves the
 * data or the ticker leaves the slot stream. */
static int
call_won(const struct bt *bt, int t, int i, int h, int buy)
{
	const struct tm_env *e = &bt->env;
	double a = 1, b = 1;

	if (t + h >= e->T)
		return -1;
	for (int k = t + 1; k <= t + h; k++) {
		/* the ticker, wherever it moves (carry.c) */
		i = e->dst[(size_t)(k - 1) * e->N + i];
		if (i < 0)
			return -1;
		float r = e->ret[(size_t)k * e->N + i];

		a *= 1 + (isfinite(r) ? (double)r : 0);
		b *= 1 + (bt->bench ? bt->bench[k] : 0);
	}
	return buy ? a > b : a < b;
}

static json_t *
rate(long n, long won)
{
	return json_pack("{s:I, s:o}", "calls", (json_int_t)n, "success",
	    n ? json_real((double)won / n) : json_null());
}

void
bt_equity_frame(struct tm_writer *wr, struct tm_frame *f,
    const char *const *fields, int nfield, const double *row, int32_t date,
    const char *model)
{
	if (tm_frame_shape2(f, TM_F64, "series", 1, "field", nfield) == -1)
		tm_die(EX_SOFTWARE, "equity frame");
	tm_frame_set_label(f, 0, 0, "portfolio");
	for (int j = 0; j < nfield; j++) {
		tm_frame_set_label(f, 1, j, fields[j]);
		tm_frame_set(f, j, row[j]);
	}
	tm_frame_set_date(f, tm_date_fmt(date, (char[16]){0}));
	if (model)
		tm_frame_set_meta(f, "model", model);
	if (tm_write(wr, f) == -1)
		tm_exit(EX_IOERR);
}

/* key: the date of env day day into o, null when day < 0. */
static void
put_date(json_t *o, const char *key, const struct tm_env *e, int day)
{
	char d[16];

	json_object_set_new(o, key, day < 0 ? json_null() :
	    json_string(tm_date_fmt(e->date[day], d)));
}

json_t *
bt_metrics_json(const struct tm_metrics *m, const struct tm_env *e, int T)
{
	json_t *j = tm_metrics_json(m);

	/* Value index k is the close of day k+1 of the env (V_0 = the
	 * close of day 1, before the first return). */
	put_date(j, "from", e, 1);
	put_date(j, "to", e, T - 1);
	put_date(j, "mdd_peak", e, m->max_drawdown < 0 ? m->mdd_peak + 1 :
	    -1);
	put_date(j, "mdd_trough", e, m->max_drawdown < 0 ?
	    m->mdd_trough + 1 : -1);
	put_date(j, "mdd_recovery", e, m->mdd_recover < 0 ? -1 :
	    m->mdd_recover + 1);
	return j;
}

int
bt_run(struct bt *bt, bt_targets fn, void *ctx, FILE *out, FILE *trades,
    const char *chart, json_t **mj)
{
	const struct tm_env *e = &bt->env;
	int N = e->N, T = e->T, nd = T - 2 > 0 ? T - 2 : 0;
	struct tm_run ru;
	struct tm_writer *wr = NULL;
	struct tm_frame f;
	struct pos *ps = ecalloc(N, sizeof(*ps));
	struct pos *ps2 = ecalloc(N, sizeof(*ps));
	double *w = emalloc((N + 1) * sizeof(double)), wc;
	double *br = bt->bench ? emalloc((nd + 1) * sizeof(double)) : NULL;
	double *bv = bt->bench ? emalloc((nd + 1) * sizeof(double)) : NULL;
	long calls[2][2] = { { 0 } }, won[2][2] = { { 0 } };
	static const int hz[2] = { 30, 90 };
	static const char *fields[] = { "value", "return", "drawdown",
	    "turnover", "cash", "gross", "net", "bench" };
	int nfield = bt->bench ? 8 : 7;
	struct bt_tick tick = { 0 }, *ck = NULL;

	if (nd < 1)
		tm_die(EX_DATAERR, "slot stream: %d days: a backtest needs 3",
		    T);
	tm_run_init(&ru, N, nd);
	if (chart && bt->chart_tk) {
		ck = &tick;
		ck->tk = bt->chart_tk;
		ck->close = emalloc(T * sizeof(double));
		ck->pos = emalloc(T * sizeof(double));
		for (int d = 0; d < T; d++)
			ck->close[d] = ck->pos[d] = NAN;
	}
	tm_frame_init(&f);
	if (out)
		wr = tm_writer_new(out, "<stdout>", TM_RAW);
	if (trades)
		fprintf(trades, "ticker,side,entry_date,entry_price,exit_date,"
		    "exit_price,shares,pnl,days,reason\n");
	double bval = 1;
	for (int t = 0; t + 2 < T; t++) {
		size_t o1 = (size_t)(t + 1) * N, o2 = (size_t)(t + 2) * N;
		double v0 = ru.book.value;

		if (!fn(ctx, bt, t, w, &wc)) {
			/* Hold: the book's weights (in t+1's slots) as
			 * targets named by day t's slots. */
			for (int j = 0; j < N; j++) {
				int k = e->dst[(size_t)t * N + j];

				w[j] = k >= 0 ? ru.book.w[k] : 0;
			}
			wc = ru.book.cash;
		}
		if (bt->long_only)
			for (int i = 0; i < N; i++)
				if (w[i] < 0)
					tm_die(EX_DATAERR, "--long-only: %s: a "
					    "short weight on %s",
					    tm_date_fmt(e->date[t], (char[16]){0}),
					    e->label[(size_t)t * N + i]);
		double r = tm_run_step(&ru, e, t, w, wc, bt->cost);
		double v1 = v0 * (1 - bt->cost * ru.turn[ru.n - 1]);

		/* A position whose ticker left the stream at t+1 was sold at
		 * t's close; the others follow their tickers into t+1's
		 * slots. */
		for (int j = 0; j < N; j++)
			if (ps[j].side && e->dst[(size_t)t * N + j] < 0)
				trade_close(trades, ck, e, ps + j, t,
				    e->label[(size_t)t * N + j],
				    e->close[(size_t)t * N + j], "swapped");
		if (e->moves[t + 1]) {
			for (int k = 0; k < N; k++) {
				int j = e->src[o1 + k];

				ps2[k] = j >= 0 ? ps[j] : (struct pos){ 0 };
			}
			memcpy(ps, ps2, N * sizeof(*ps));
		}

		/* Trades: entries and exits at the close of t+1; a position
		 * earns day t+2 (the cost-free P&L in units of the start). */
		for (int i = 0; i < N; i++) {
			double x = ru.exec[i], h = ru.held[i];
			int side = x > 0 ? 1 : x < 0 ? -1 : 0;
			struct pos *p = ps + i;
			const char *tk = e->label[o1 + i];

			if (p->side && side != p->side)
				trade_close(trades, ck, e, p, t + 1, tk,
				    e->close[o1 + i], side ? "reverse" : "exit");
			if (side && !p->side)
				trade_open(ck, p, side, t + 1, tk,
				    e->close[o1 + i], x, v1);
			if (p->side) {
				int j = e->dst[o1 + i];
				float rr = j >= 0 ? e->ret[o2 + j] : NAN;

				if (isfinite(rr))
					p->pnl += x * v1 * rr;
			}
			if (fabs(x - h) > CALL_MIN)
				for (int k = 0; k < 2; k++) {
					int buy = x > h;
					int c = call_won(bt, t + 1, i, hz[k], buy);

					if (c < 0)
						continue;
					calls[k][!buy]++;
					won[k][!buy] += c;
				}
		}
		if (ck) {
			int i = slot_of(e, t + 1, ck->tk);

			if (i >= 0) {
				ck->close[t + 1] = e->close[o1 + i];
				ck->pos[t + 1] = ru.exec[i];
			}
		}
		if (br) {
			br[ru.n - 1] = bt->bench[t + 2];
			bval *= 1 + br[ru.n - 1];
			bv[ru.n - 1] = bval;
		}
		if (wr) {
			double row[8] = { ru.book.value, r,
			    ru.book.value / ru.book.peak - 1, ru.turn[ru.n - 1],
			    ru.cash[ru.n - 1], ru.gross[ru.n - 1],
			    ru.net[ru.n - 1], br ? bval : 0 };
			bt_equity_frame(wr, &f, fields, nfield, row,
			    e->date[t + 2], bt->model);
		}
	}
	/* The last day trades nothing: the book's weight drifted through it. */
	if (ck) {
		int i = slot_of(e, T - 1, ck->tk);

		if (i >= 0) {
			ck->close[T - 1] = e->close[(size_t)(T - 1) * N + i];
			ck->pos[T - 1] = ru.book.w[i];
		}
	}
	/* Positions still open at the end close at the last close. */
	for (int i = 0; i < N; i++)
		if (ps[i].side)
			trade_close(trades, ck, e, ps + i, T - 1,
			    e->label[(size_t)(T - 1) * N + i],
			    e->close[(size_t)(T - 1) * N + i], "end");
	if (wr && tm_writer_end(wr) == -1)
		tm_exit(EX_IOERR);

	struct tm_metrics m;
	tm_metrics_compute(ru.r, ru.value, br, ru.turn, ru.n, &m);
	json_t *j = bt_metrics_json(&m, e, T);
	json_object_set_new(j, "final_value", json_real(ru.book.value));
	double g = 0;
	for (int k = 0; k < ru.n; k++)
		g += ru.gross[k];
	json_object_set_new(j, "mean_gross", json_real(g / ru.n));
	json_object_set_new(j, "cost", json_real(bt->cost));
	json_object_set_new(j, "band", json_real(bt->env.band));
	if (bt->bench_tk)
		json_object_set_new(j, "bench", json_string(bt->bench_tk));
	json_object_set_new(j, "buy_30", rate(calls[0][0], won[0][0]));
	json_object_set_new(j, "sell_30", rate(calls[0][1], won[0][1]));
	json_object_set_new(j, "buy_90", rate(calls[1][0], won[1][0]));
	json_object_set_new(j, "sell_90", rate(calls[1][1], won[1][1]));
	*mj = j;
	if (chart && (ck ? bt_chart_ticker(chart, bt, ck) : bt_chart(chart, bt,
	    &ru, bv)) == -1)
		tm_exit(EX_CANTCREAT);
	tm_runlog_rows(T, ru.n);
	tm_run_release(&ru);
	tm_frame_release(&f);
	if (wr)
		tm_writer_free(wr);
	free(ps), free(ps2), free(w), free(br), free(bv);
	free(tick.close), free(tick.pos), free(tick.mark);
	return 0;
}
