/*
 * strategy.h - the parts of tm-strategy: the price history every strategy
 * reads, the parameter table, and the strategy table (the extension
 * point: a new strategy is one file and one line in table.c).
 */
#ifndef STRATEGY_H
#define STRATEGY_H

#include <stdint.h>

#include "tm.h"
#include "tmcore.h"

/* ------------------------------------------------------------ history */

/*
 * What the tool has seen so far, by ticker id (ids are given in order of
 * first appearance) and day index t (0 = the first input frame).  Prices
 * are split- and dividend-adjusted, so a split is not a crash: from a
 * price stream close = adjclose and high/low are scaled by
 * adjclose/close; from a slot stream close is an index cumulated from
 * `ret` (1 on a ticker's first day) and high = low = close.
 * Anything not seen is NaN.  Only days up to the current one exist,
 * which is what makes look-ahead impossible.
 */
struct hist {
	int T;			/* days seen, the current one included */
	int K;			/* ticker ids */
	char **name;		/* K names */
	int *len;		/* K: days stored for the ticker */
	int *cap;
	double **c, **h, **l, **r;	/* K arrays of len: close high low ret */
	double *last;		/* K: last finite close, for the slot index */
	struct tm_index *ix;	/* name -> id */
};
void hist_init(struct hist *h);
void hist_release(struct hist *h);
/* The id of a ticker, added when new. */
int hist_id(struct hist *h, const char *name);
/* Record day t's bar of ticker id (t = h->T - 1). */
void hist_set(struct hist *h, int id, int t, double c, double hi, double lo,
    double r);
/* Values of ticker id on day t, NaN when absent or t < 0. */
double hist_close(const struct hist *h, int id, int t);
double hist_high(const struct hist *h, int id, int t);
double hist_low(const struct hist *h, int id, int t);
double hist_ret(const struct hist *h, int id, int t);
/* The n returns of ticker id on days t-n+1 .. t into out; 0 when all are
 * finite, else -1. */
int hist_rets(const struct hist *h, int id, int t, int n, double *out);

/* --------------------------------------------------------- parameters */

enum pkind { P_INT, P_REAL, P_BOOL, P_STR };

/* One parameter of a strategy, as the table declares it; usage, --list,
 * the man page and the errors all come from these. */
struct sparam {
	const char *name;
	enum pkind kind;
	const char *def;	/* default, as text */
	double lo, hi;		/* bounds of a number */
	const char *help;
};

#define MAXPARAM 8
/* Parsed values, in the order of the table. */
struct svals {
	double num[MAXPARAM];
	const char *str[MAXPARAM];
};

/* ------------------------------------------------------------ one day */

/* One input day as a strategy sees it. */
struct sday {
	int t;			/* day index */
	const char *date;
	int n;			/* rows of the day's frame */
	const int *id;		/* n: ticker id, -1 for an empty slot */
	const uint8_t *ok;	/* n: tradable today (finite close/ret) */
	int nok;		/* how many are */
	const struct hist *h;
};

/*
 * A strategy: init reads the parameters (dies with EX_USAGE on a bad
 * combination) and returns its state; day fills w[n] (weights, negative
 * = short) and conf[n] (in [0, 1]) for the rows of the day from the
 * history up to d->t only; cash is what is left (1 - sum w).  fin frees
 * the state.
 */
struct strategy {
	const char *name;
	const char *summary;
	const struct sparam *param;
	int nparam;
	void *(*init)(const struct svals *v);
	void (*day)(void *st, const struct sday *d, double *w, double *conf);
	void (*fin)(void *st);
};

extern const struct strategy strat_sma, strat_breakout, strat_buyhold,
    strat_equal, strat_invvol, strat_minvar, strat_momentum, strat_meanrev,
    strat_blend, strat_mlls, strat_fit;

/* The cross-sectional ranking momentum and meanrev share (momentum.c):
 * each row's score is sign * (close(t - skip) / close(t - lookback) - 1);
 * the top_k tradable rows with a finite score hold 1/k each in w (k the
 * number ranked, at most top_k), their conf the rank (1 the best, 0 the
 * last ranked), other rows untouched.  Ties go to the earlier row.  r's
 * scratch grows as needed; free it with rank_free (r zeroed to start). */
struct rank {
	double *score;
	int *ord, cap;
};
void rank_hold(struct rank *r, const struct sday *d, int lookback, int skip,
    double sign, int top_k, double *w, double *conf);
void rank_free(struct rank *r);

/* ------------------------------------------------------------- input */

/* Columns of the input stream, found per frame. */
struct cols {
	int slot;		/* a slot stream (region and ret) */
	int64_t c, ac, hi, lo, ret, region;
};
/* Find the columns of f, or die EX_DATAERR naming the stream. */
void find_cols(const struct tm_frame *f, const char *name, struct cols *k);
/* Record frame f as day t of h; id[] and ok[] get each row's ticker id
 * and tradability.  Returns the tradable count. */
int take_day(struct hist *h, const struct cols *k, const struct tm_frame *f,
    int t, int *id, uint8_t *ok);

/* ------------------------------------------------------- mlls (mlls.c) */

#define MLLS_NFEAT 9
#define MLLS_NSENT 5		/* SMAs of sentiment over 1, 2, 4, 8, 16 days */
#define MLLS_MAXFEAT (MLLS_NFEAT + MLLS_NSENT)
/* The features of ticker id on day t (close-normalised SMAs over 2, 4,
 * 8 and 16 days, rates of change over 1, 2, 4, 8 and 16 days) into x:
 * 0, or -1 when a close they need is missing. */
int mlls_features(const struct hist *h, int id, int t, double *x);
/* tm-strategy fit: train the mlls MLP on the whole input, write out. */
void mlls_fit(const struct svals *v, struct tm_reader *r, const char *name,
    const char *out);

/* ---------------------------------------- sentiment (sentiment.c) */

/* A sentiment stream (CONVENTIONS.md), and each ticker id's value of
 * every day index seen so far (0 when there was no news). */
struct senti {
	int nd;
	struct sframe *fr;	/* by date, ascending */
	int K;
	int *len;
	double **v;
};
/* Load path whole; dies 66 / 65 naming it. */
void sent_load(struct senti *s, const char *path);
void sent_free(struct senti *s);
/* Record day t (dated date) for every ticker id of h: only that date's
 * frame is read, never a later one. */
void sent_day(struct senti *s, const struct hist *h, int t,
    const char *date);
/* The MLLS_NSENT SMAs of ticker id's sentiment ending on day t into x:
 * 0, or -1 when day t was not recorded. */
int sent_features(const struct senti *s, int id, int t, double *x);

/* table.c */
const struct strategy *strategy_find(const char *name);
/* Every strategy, NULL-terminated. */
extern const struct strategy *const strategies[];
/* Parse "name=value" settings over the defaults; dies EX_USAGE naming
 * the strategy and its parameters on an unknown name or a bad value.
 * model gets "NAME p1=v1 p2=v2 ..." (every parameter), for meta.model. */
void strategy_params(const struct strategy *s, char **set, int nset,
    struct svals *v, char **model);
/* Print the table (for --list). */
void strategy_list(FILE *fp);

/* Per-ticker state arrays that grow as ids appear. */
void *grow_ids(void *p, int *cap, int need, size_t size);
/* w and conf of a book that holds pos[id] (1 long, -1 short, 0 flat) of
 * each row's ticker: size shared equally by the day's d->nok tradable
 * tickers (a held one that cannot trade today keeps its weight).  conf
 * is prob[id] for a held ticker (1 when prob is NULL), 0 for a flat
 * one.  Rows without a ticker (id -1) are left as they are. */
void hold_weights(const struct sday *d, const signed char *pos,
    const double *prob, double size, double *w, double *conf);

#endif
