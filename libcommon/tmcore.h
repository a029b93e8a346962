/*
 * tmcore.h - the RL and money core of libcommon: the random generator,
 * the MLP, the policy and its head, the model file, the environment and
 * its book, the reward, one day's decision (decide.c) and the evaluation
 * of a return series (metrics.c).  tm.h keeps frames, streams, CLI
 * helpers, files and dates, which every tool uses; this header is for
 * the tools that decide or account (tm-train, tm-infer, tm-backtest,
 * tm-synth's generator).  Same rules of ownership and errors as tm.h.
 */
#ifndef TMCORE_H
#define TMCORE_H

#include "tm.h"

/* ------------------------------------ policy, model file, environment */

/*
 * The portfolio policy shared by tm-train, tm-infer and tm-backtest
 * (policy.c, model.c, env.c; see tm-train(1)).  Doubles throughout, so
 * gradients check against finite differences; matrix work is CBLAS.
 */

/* A deterministic generator (splitmix64 seeding xoshiro256**). */
struct tm_rng { uint64_t s[4]; };
void tm_rng_seed(struct tm_rng *r, uint64_t seed);
/* Advance *x by one splitmix64 step and return its mix: a seeder, and a
 * good 64-bit hash of a counter. */
uint64_t tm_splitmix64(uint64_t *x);
uint64_t tm_rng_next(struct tm_rng *r);
double tm_rng_uniform(struct tm_rng *r);	/* [0, 1) */
double tm_rng_normal(struct tm_rng *r);	/* N(0, 1) */
/* n draws of N(0, 1) into z, a pair at a time (Marsaglia's polar method:
 * exact, one log and no cos per two; an odd last one's twin dropped).
 * Nothing is kept between calls.  A stream of its own: not the draws n
 * calls of tm_rng_normal give. */
void tm_rng_normals(struct tm_rng *r, double *z, size_t n);

/*
 * A small MLP din -> h1 -> h2 -> dout, tanh hidden layers, linear output,
 * whose parameters sit in a caller's flat array from offset off (n of
 * them).  Rows are batched: X is [n][din], Y [n][dout]; cache holds
 * n*(h1+h2) activations between forward and backward.  backward adds the
 * parameter gradient into g (same layout as p) and writes dX when not
 * NULL; work holds n*(h1+h2).  init only computes the layout (m->n);
 * randinit draws the weights from r, N(0, 1/fan_in) (the output layer a
 * tenth of that, so scores start near equal), and leaves the biases as
 * they are (zero in a fresh policy).
 *
 * With f32 set (init leaves it 0) forward and backward compute in float:
 * X and the parameters rounded to float once a call, sgemm, a float tanh,
 * the activations kept in float in the cache; Y, dX and g stay double
 * (g gets the float products added, the bias sums taken in double).
 * cache and work then hold tm_mlp_cachelen and tm_mlp_worklen doubles
 * (n*(h1+h2) each without f32).
 */
struct tm_mlp { int din, h1, h2, dout; size_t off, n; int f32; };
void tm_mlp_init(struct tm_mlp *m, int din, int h1, int h2, int dout,
    size_t off);
void tm_mlp_randinit(const struct tm_mlp *m, double *p, struct tm_rng *r);
void tm_mlp_forward(const struct tm_mlp *m, const double *p, const double *X,
    int n, double *cache, double *Y);
void tm_mlp_backward(const struct tm_mlp *m, const double *p, const double *X,
    int n, const double *cache, const double *dY, double *g, double *dX,
    double *work);
size_t tm_mlp_cachelen(const struct tm_mlp *m, int n);
size_t tm_mlp_worklen(const struct tm_mlp *m, int n);

/* Slot kinds for the policy head, from one frame. */
enum { TM_SLOT_NONE, TM_SLOT_ACTIVE, TM_SLOT_ARCHIVE };

enum tm_arch { TM_ARCH_SHARED, TM_ARCH_FLAT };

/*
 * The policy: a scorer (one MLP shared by every slot, or with --arch flat
 * one MLP over all slots at once) gives each slot a logit from its
 * normalised features and its previous weight; a learned cash logit joins
 * them; the head turns them into target weights: archived slots keep
 * prev*sigmoid(s/tau) (they only shrink), active slots and cash share the
 * rest through a softmax at temperature tau = exp(p[itau]); other slots
 * get 0.  Its parameters are p[0 .. nparam).  The decision (tm_decide_head)
 * then moves only the fraction adjust of the way from the previous
 * targets to the head's (partial adjustment; 1, the default, goes all the
 * way), after capping each slot at cap: fixed parts of the model, not
 * learned.
 */
struct tm_policy {
	enum tm_arch arch;
	int nfeat;		/* features per slot, before the weight column */
	int nslots;		/* flat: the fixed slot count; shared: 0 */
	int learn_tau;		/* 0: tau stays as set */
	double adjust;		/* (0, 1]; 1 after tm_policy_init */
	double cap;		/* most weight in one slot, (0, 1]; 1 after
				 * tm_policy_init (no cap) */
	int xsec;		/* 1: inputs standardised across the day's
				 * active slots (tm_decide_scores) */
	int market;		/* 1: the cash logit also reads the day's
				 * market: p[icash] + sum_j p[imkt + j] *
				 * (mean of feature j over active slots) */
	size_t imkt;		/* nfeat weights after itau when market */
	struct tm_mlp net;
	size_t icash, itau, nparam;
	double *p;
};
/* Lay out pol's parameters (nparam and the blocks) without allocating
 * them, p NULL: 0, or -1 when the sizes make no policy (a scorer input
 * wider than an int, a hidden size below 1), so that a model file's
 * sizes are checked before they cost memory. */
int tm_policy_layout(struct tm_policy *pol, enum tm_arch arch, int nfeat,
    int nslots, int h1, int h2);
/* Lay out and allocate (zeroed) parameters; dies 70 on sizes
 * tm_policy_layout refuses (callers pass sizes they checked). */
void tm_policy_init(struct tm_policy *pol, enum tm_arch arch, int nfeat,
    int nslots, int h1, int h2);
/* Free pol's parameters and set p to NULL, so a released (or zeroed)
 * policy may be released again; the layout fields are left as they are. */
void tm_policy_release(struct tm_policy *pol);
/* Give an allocated policy the market inputs of its cash logit: nfeat
 * more parameters, zero (so it decides as before until trained), at
 * imkt = the old nparam.  Nothing when it has them already. */
void tm_policy_market(struct tm_policy *pol);
void tm_policy_randinit(struct tm_policy *pol, struct tm_rng *r, double tau);
/* Width of one scorer input row: nfeat + 1. */
int tm_policy_din(const struct tm_policy *pol);
/* Fill one input row from normalised features and the previous weight
 * (scaled by the active count, so equal weight reads 1). */
void tm_policy_row(const struct tm_policy *pol, double *row, const float *x,
    double prev, int nactive);
/* Scores of n slots from X [n][din]; cache: tm_policy_cachelen doubles.
 * The shared scorer skips the rows whose kind is TM_SLOT_NONE (their
 * score is 0: the head reads none of them); kind NULL scores all n.
 * The flat scorer reads all rows whatever kind says. */
size_t tm_policy_cachelen(const struct tm_policy *pol, int n);
void tm_policy_scores(const struct tm_policy *pol, const double *X, int n,
    const uint8_t *kind, double *cache, double *s);
/* Back from score gradients gs[n] into g, with the kind and cache of the
 * tm_policy_scores call (gs of skipped rows is not read); work as
 * cache. */
void tm_policy_scores_back(const struct tm_policy *pol, const double *X,
    int n, const uint8_t *kind, const double *cache, const double *gs,
    double *g, double *work);
/* The head: w[n] and *wcash from scores, kinds and previous weights. */
void tm_policy_head(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, double *w, double *wcash);
/* Its backward: from gw[n], gcash into gs[n], *gc, *gtau (d/d logtau). */
void tm_policy_head_back(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, const double *w,
    double wcash, const double *gw, double gcash, double *gs, double *gc,
    double *gtau);
/* Confidence of each slot in [0, 1]: sigmoid((s - cash)/tau), 0 unless
 * active or archived. */
void tm_policy_confidence(const double *s, double cash, double logtau,
    const uint8_t *kind, int n, double *conf);

/*
 * A model file (a TMT stream, tm-train(1)): the policy, the feature names
 * and their normalisation, the slot layout, training window, algorithm,
 * hyper-parameters (JSON text), per-epoch metrics and a version id (a hash
 * of the weight bytes).
 */
#define TM_MODEL_NMETRIC 4	/* train_reward valid_reward valid_sharpe valid_return */
struct tm_model {
	struct tm_policy pol;
	char **feat;		/* nfeat names (tm_strv) */
	double *mean, *sd;	/* nfeat each */
	char *layout, *algo, *from, *to, *hyper;
	int nslots;		/* slots of the training data */
	int nepoch;
	double *metrics;	/* nepoch * TM_MODEL_NMETRIC */
	char version[17];
};
/* Zero m so that tm_model_release is safe on it whatever happens next
 * (tm_model_read fills it; a trainer sets fields and the policy). */
void tm_model_init(struct tm_model *m);
/* Free everything m owns (policy, names, normalisation, text fields,
 * metrics) and zero it; safe after tm_model_init or a failed read. */
void tm_model_release(struct tm_model *m);
/* Set m->version from the weights. */
void tm_model_stamp(struct tm_model *m);
/* Write atomically to path; read back.  0 or -1 (message printed; read's
 * reason in tm_fail_status(): 66 missing, unreadable or a directory, 65
 * not a model file, 74 a read error). */
int tm_model_write(struct tm_model *m, const char *path);
int tm_model_read(struct tm_model *m, const char *path);
/* Column of each model feature in a frame's field axis: col[nfeat]; -1
 * with a message naming the first missing feature. */
int tm_model_columns(const struct tm_model *m, const struct tm_frame *f,
    int *col);
/* Slot kinds of one frame (region, ticker, close and ret checked). */
void tm_slot_kinds(const struct tm_frame *f, uint8_t *kind);

/*
 * The environment: a slot stream held in memory, features normalised,
 * stepped day by day with the execution timing of CONVENTIONS.md.
 */
struct tm_env {
	int T, N, nf;
	char **feat;		/* nf names */
	char *layout;
	int32_t *date;		/* T */
	float *x;		/* T*N*nf, normalised once norm is set */
	float *ret;		/* T*N, NaN kept */
	uint8_t *kind;		/* T*N */
	uint8_t *changed;	/* T*N: ticker differs from day t-1 */
	int32_t *src;		/* T*N: the slot day t-1 held this ticker
				 * in (tm_slot_moves; day 0: its own) */
	int32_t *dst;		/* T*N: the slot day t+1 holds this ticker
				 * in, -1 when it left (last day: its own) */
	int *moves;		/* T: tickers that moved slot on day t */
	char **label;		/* T*N tickers ("" empty); a day repeating
				 * day t-1's ticker shares its string */
	float *close;		/* T*N as-traded close (NaN when the
				 * stream has no close field) */
	double band;		/* the fill's no-trade band (book.h); 0
				 * after tm_env_load, set by the caller */
};
/* Read a whole slot stream (dates in [from, to] when set, 0 = open);
 * use the named features, or every field but close and region.  0 or -1
 * with a message; tm_fail_status() says 65 (bad stream) or 74 (I/O). */
int tm_env_load(struct tm_env *e, struct tm_reader *r, int32_t from,
    int32_t to, char **feat);
/* Free what tm_env_load allocated and zero e.  Call it after a failed
 * tm_env_load too: the load zeroes e first and leaves what it had
 * allocated for this to free. */
void tm_env_release(struct tm_env *e);
/* Mean and sd of each feature over active slots of days [t0, t1). */
void tm_env_stats(const struct tm_env *e, int t0, int t1, double *mean,
    double *sd);
/* Normalise x in place ((x-mean)/sd clipped to +-5, NaN to 0); tm_norm1
 * is the same for one value, for tm-infer. */
void tm_env_normalise(struct tm_env *e, const double *mean, const double *sd);
float tm_norm1(float x, double mean, double sd);

/*
 * Slot moves (carry.c).  A stock keeps its slot while it stays in the
 * index; on a reconstitution day a removed one moves to an archive slot
 * and a returning one back, and what was held or decided for it goes
 * along (DESIGN: archived slots are SELL or HOLD).  tm_slot_moves
 * fills src[N]: src[i] = i when slot i holds the ticker it held the day
 * before, the slot that held it then when it moved, -1 when it is new to
 * the stream (or the slot emptied).  Labels are tickers, NULL or "" for
 * none; a day's tickers are unique (tm-slotmap's rule).  Returns the
 * number of moved tickers.
 */
int tm_slot_moves(int N, const char *const *prev, const char *const *lab,
    int32_t *src);
/* The inverse map: dst[j] = the slot that took slot j's ticker, -1 when
 * it left. */
void tm_slot_dst(int N, const int32_t *src, int32_t *dst);
/* Carry per-slot values v[N] of the day before into today's slots by src:
 * a moved ticker takes its value along, a new one gets 0; tmp: N. */
void tm_slot_carry(int N, const int32_t *src, double *v, double *tmp);

/* The book: the weights held (N slots and cash) and the value. */
struct tm_book { double *w, cash, value, peak; int N; };
void tm_book_init(struct tm_book *b, int N);
void tm_book_release(struct tm_book *b);
/*
 * Trade to targets decided from day t at the close of day t+1 and hold
 * through day t+2 (t+2 < T).  Targets follow their tickers into day
 * t+1's slots (e->src) and holdings into day t+2's (e->dst): a stock that
 * moves slot is carried, one that leaves the stream is sold at its last
 * price.  Slots not tradable at t+1 keep their weight, a ticker new at
 * t+1 holds nothing; the other targets are scaled to fill the rest.  The cost is cost*sum|w_new - w_held|.
 * The executed weights go to exec (N+1, cash last) when not NULL;
 * returns the net return of the day, and when gw (N+1, cash last) is not
 * NULL, the derivative of the day's growth 1+r with respect to the
 * policy's targets w and wcash (the held weights taken as given).
 */
double tm_env_step(const struct tm_env *e, int t, const double *w,
    double wcash, double cost, struct tm_book *b, double *exec,
    double *gw);

/* Reward weights: 0.6 daily_return + 0.3 sharpe - 0.1 drawdown. */
struct tm_reward { double a, b, d; int window; };
/* Per-day reward from the day's return and the returns so far (hist of
 * n, the last being today's) and drawdown 1 - value/peak. */
double tm_reward_day(const struct tm_reward *rw, const double *hist, int n,
    double drawdown);
/* Window objective over L returns: a*mean + b*mean/sd - d*mean(dd) and
 * its gradient g[L] (when not NULL). */
double tm_reward_window(const struct tm_reward *rw, const double *r, int L,
    double *g);
/* Annualised Sharpe of n daily returns (sqrt(252) mean / sd, 0 if n<2). */
double tm_sharpe(const double *r, int n);


/* ------------------------------------------------------ one day's decision */

/*
 * Decide one day (decide.c): the policy's scores of every slot from its
 * normalised features x [N][nfeat] and the previous weights prev[N] (a
 * slot whose ticker changed must read 0 there: the caller resets it),
 * then the deterministic head: target weights w[N], the cash weight and,
 * when conf is not NULL, the confidence of each slot.  tm-train's
 * evaluation and rollouts, tm-infer and tm-backtest all go through it, so
 * a model decides a day the same way, bit for bit, in each of them.  The
 * buffers X, cache and s are the decider's (tm_decide_alloc, freed by
 * tm_decide_free); the trainers read them for the backward pass.
 */
struct tm_decide {
	const struct tm_policy *pol;	/* borrowed */
	int N;
	double adjust;		/* pol->adjust after tm_decide_alloc; a
				 * trainer's rollouts set 1 (the raw head) */
	double cap;		/* pol->cap, likewise */
	double cash;		/* the day's cash logit (tm_decide_scores) */
	double *mbar;		/* nfeat: the day's mean inputs over the
				 * active slots, with pol->market */
	double *X, *cache, *s;
};
void tm_decide_alloc(struct tm_decide *d, const struct tm_policy *pol, int N);
void tm_decide_free(struct tm_decide *d);
/* Normalised inputs x [rows][nfeat] of a slot frame f whose model
 * features sit in columns col (tm_model_columns). */
void tm_decide_input(const struct tm_model *m, const struct tm_frame *f,
    const int *col, float *x);
/* Scores into d->s (inputs in d->X, activations in d->cache).  With
 * pol->xsec each feature column of d->X is standardised across the day:
 * minus the mean and over the population sd of the active slots' values,
 * clipped to [-5, 5], 0 when they do not vary; archived slots take the
 * same transform, empty slots keep their inputs.  The weight column is
 * left alone.  Every path that decides goes through here, the trainers'
 * rollouts included, so they all see the same inputs. */
void tm_decide_scores(struct tm_decide *d, const float *x,
    const uint8_t *kind, const double *prev);
/* The head on d->s: w, *wcash, and conf when not NULL.  With d->cap < 1
 * no slot's target exceeds cap: the excess goes to the active slots below
 * cap in proportion to their targets, again until none is above, and to
 * cash when every one is at cap.  Then, with d->adjust
 * < 1 the targets are prev + adjust (head - prev), the cash 1 - sum w:
 * a day moves only that fraction of the way (the previous targets carry
 * across a retrain when the caller passes them, e.g. tm-infer -w). */
void tm_decide_head(const struct tm_decide *d, const uint8_t *kind,
    const double *prev, double *w, double *wcash, double *conf);
/* Both: scores then head. */
void tm_decide_day(struct tm_decide *d, const float *x, const uint8_t *kind,
    const double *prev, double *w, double *wcash, double *conf);


/* ------------------------------------------- evaluating a weight stream */

/*
 * A run of targets through the environment (metrics.c): tm_run_step
 * trades the targets of decision t with tm_env_step (the one accounting
 * path) and records the day's net return (earned on day t+2), its
 * turnover sum|executed - held| (at the close of t+1), the book after
 * the trade: gross sum|w|, net sum w and cash, and the value after day
 * t+2 (the book's, starting at 1).  exec (N+1, cash
 * last) and held (N) are the last step's executed and previously held
 * weights, for trade lists.  cap is the most steps the run will take.
 */
struct tm_run {
	int n, cap, N;
	double *r, *turn, *gross, *net, *cash, *value;	/* cap each */
	double *exec, *held;
	struct tm_book book;
};
/* Allocate ru for N slots and at most cap steps, its book all cash at
 * value 1 (tm_book_init); dies 70 when out of memory (the e-wrappers of
 * tm.h).  Free with tm_run_release, which zeroes ru, so a second
 * release is harmless. */
void tm_run_init(struct tm_run *ru, int N, int cap);
void tm_run_release(struct tm_run *ru);
/* One decision: returns the day's net return. */
double tm_run_step(struct tm_run *ru, const struct tm_env *e, int t,
    const double *w, double wcash, double cost);
/* tm_run_step of the one slot of e (e->N == 1: a grid's ticker alone)
 * with target w: the same operations in the same order, so the same
 * digits, without the loops and scratch of N slots (a grid takes
 * millions of these steps).  With a band or a slot move it is
 * tm_run_step itself. */
double tm_run_step1(struct tm_run *ru, const struct tm_env *e, int t,
    double w, double wcash, double cost);

/*
 * Metrics of n daily returns r (empyrical's definitions, written out in
 * tm-backtest(1)): annualised with 252 days, risk-free rate 0.  value
 * (n, or NULL: the product of 1 + r) is the value after each day, from 1;
 * the total return, CAGR and drawdown read it.  bench
 * (n returns, or NULL) adds alpha, beta, information ratio and the
 * benchmark's own return; turn (n, or NULL) the mean daily turnover.
 * The drawdown dates are indices into the value series V_0 = 1 (before
 * the first return), V_1 .. V_n: mdd_peak, mdd_trough, and mdd_recover
 * (-1 when never recovered).
 */
struct tm_metrics {
	int n;
	double total_return, cagr, volatility, sharpe, sortino;
	double max_drawdown, calmar, win_rate, turnover;
	int mdd_peak, mdd_trough, mdd_recover;
	int has_bench;
	double bench_return, alpha, beta, information_ratio;
	double skew, kurtosis;	/* of r, for the Deflated Sharpe Ratio */
};
void tm_metrics_compute(const double *r, const double *value,
    const double *bench, const double *turn, int n, struct tm_metrics *m);
/* The metrics as a new JSON object (dates left to the caller). */
json_t *tm_metrics_json(const struct tm_metrics *m);

/*
 * The Deflated Sharpe Ratio (Bailey and Lopez de Prado, 2014) of the best
 * of ntrial strategies: sr_best its daily (not annualised) Sharpe, var_sr
 * the variance of the trials' daily Sharpes, T its number of returns,
 * skew and kurt (not excess) of its returns.  *sr0 gets the expected
 * maximum Sharpe of ntrial skill-less trials when not NULL.  Returns the
 * probability that the true Sharpe exceeds sr0.
 */
double tm_dsr(double sr_best, double var_sr, int ntrial, int T, double skew,
    double kurt, double *sr0);
/* Standard normal CDF and its inverse (p in (0, 1)). */
double tm_norm_cdf(double x);
double tm_norm_ppf(double p);
#endif
