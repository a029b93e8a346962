/* policy_grad.c - gradient checks of every layer of the policy, the
 * execution step and the window reward against central finite
 * differences, and the environment's accounting on hand-computed cases.
 * Prints TAP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"

#include "tap.h"

/* Relative error of an analytic against a numeric derivative. */
static double
relerr(double a, double n)
{
	return fabs(a - n) / fmax(1e-6, fabs(a) + fabs(n));
}

/* ------------------------------------------------------------ the MLP */

static double
mlp_loss(const struct tm_mlp *m, const double *p, const double *X, int n,
    const double *dY)
{
	double *cache = emalloc((size_t)n * (m->h1 + m->h2) * sizeof(double));
	double *Y = emalloc((size_t)n * m->dout * sizeof(double)), L = 0;

	tm_mlp_forward(m, p, X, n, cache, Y);
	for (int i = 0; i < n * m->dout; i++)
		L += dY[i] * Y[i];
	free(cache);
	free(Y);
	return L;
}

static void
check_mlp(struct tm_rng *r)
{
	struct tm_mlp m;
	int n = 5, din = 4, dout = 2;
	double worst = 0, worstx = 0;

	tm_mlp_init(&m, din, 6, 3, dout, 2);
	double *p = ecalloc(m.off + m.n, sizeof(double));
	double *g = ecalloc(m.off + m.n, sizeof(double));
	double *X = emalloc(n * din * sizeof(double));
	double *dX = emalloc(n * din * sizeof(double));
	double *dY = emalloc(n * dout * sizeof(double));
	double *cache = emalloc(n * 9 * sizeof(double));
	double *work = emalloc(n * 9 * sizeof(double));
	double *Y = emalloc(n * dout * sizeof(double));

	tm_mlp_randinit(&m, p, r);
	for (size_t i = m.off; i < m.off + m.n; i++)
		p[i] += 0.3 * tm_rng_normal(r);	/* biases too, larger out */
	for (int i = 0; i < n * din; i++)
		X[i] = tm_rng_normal(r);
	for (int i = 0; i < n * dout; i++)
		dY[i] = tm_rng_normal(r);
	tm_mlp_forward(&m, p, X, n, cache, Y);
	tm_mlp_backward(&m, p, X, n, cache, dY, g, dX, work);
	for (size_t i = m.off; i < m.off + m.n; i++) {
		double h = 1e-5, s = p[i], lp, lm;

		p[i] = s + h;
		lp = mlp_loss(&m, p, X, n, dY);
		p[i] = s - h;
		lm = mlp_loss(&m, p, X, n, dY);
		p[i] = s;
		worst = fmax(worst, relerr(g[i], (lp - lm) / (2 * h)));
	}
	for (int i = 0; i < n * din; i++) {
		double h = 1e-5, s = X[i], lp, lm;

		X[i] = s + h;
		lp = mlp_loss(&m, p, X, n, dY);
		X[i] = s - h;
		lm = mlp_loss(&m, p, X, n, dY);
		X[i] = s;
		worstx = fmax(worstx, relerr(dX[i], (lp - lm) / (2 * h)));
	}
	ok(worst < 1e-6, "mlp parameter gradients (worst rel err %.2g)", worst);
	ok(worstx < 1e-6, "mlp input gradients (worst rel err %.2g)", worstx);
	ok(g[0] == 0 && g[1] == 0, "mlp leaves gradients before its offset "
	    "alone (%g)", g[0]);
	free(p), free(g), free(X), free(dX), free(dY), free(cache), free(work);
	free(Y);
}

/* ----------------------------------------------------------- the head */

#define HN 7
static const uint8_t hkind[HN] = { 1, 1, 2, 0, 1, 2, 1 };
/* Padding last, as tm-slotmap lays it out: the scorer reads X in place. */
static const uint8_t pkind[HN] = { 1, 2, 1, 1, 2, 0, 0 };

static double
head_loss(const double *s, double c, double lt, const double *prev,
    const double *a)
{
	double w[HN], wc, L;

	tm_policy_head(s, c, lt, hkind, prev, HN, w, &wc);
	L = a[HN] * wc;
	for (int i = 0; i < HN; i++)
		L += a[i] * w[i];
	return L;
}

static void
check_head(struct tm_rng *r)
{
	double s[HN], prev[HN] = { .1, .05, .2, .1, 0, .15, .1 }, a[HN + 1];
	double w[HN], wc, gs[HN], gc, gt, c = 0.3, lt = log(0.7), worst = 0;
	double sum;

	for (int i = 0; i < HN; i++)
		s[i] = tm_rng_normal(r);
	for (int i = 0; i <= HN; i++)
		a[i] = tm_rng_normal(r);
	tm_policy_head(s, c, lt, hkind, prev, HN, w, &wc);
	sum = wc;
	for (int i = 0; i < HN; i++)
		sum += w[i];
	ok(fabs(sum - 1) < 1e-12, "head weights sum to 1 (off by %.2g)",
	    fabs(sum - 1));
	ok(w[3] == 0 && w[2] <= prev[2] && w[5] <= prev[5],
	    "padding gets nothing, archives only shrink (%g)", w[2]);
	tm_policy_head_back(s, c, lt, hkind, prev, HN, w, wc, a, a[HN], gs,
	    &gc, &gt);
	for (int i = 0; i < HN + 2; i++) {
		double h = 1e-6, *v = i < HN ? &s[i] : i == HN ? &c : &lt;
		double an = i < HN ? gs[i] : i == HN ? gc : gt, sv = *v, lp, lm;

		*v = sv + h;
		lp = head_loss(s, c, lt, prev, a);
		*v = sv - h;
		lm = head_loss(s, c, lt, prev, a);
		*v = sv;
		worst = fmax(worst, relerr(an, (lp - lm) / (2 * h)));
	}
	ok(worst < 1e-6, "head gradients: scores, cash, temperature (worst "
	    "rel err %.2g)", worst);
}

/* ------------------------------------------------ the whole policy */

static double
policy_loss(struct tm_policy *pol, const double *X, int n, const uint8_t *k,
    const double *prev, const double *a)
{
	double *cache = emalloc(tm_policy_cachelen(pol, n) * sizeof(double));
	double *s = emalloc(n * sizeof(double)), *w = emalloc(n * sizeof(double));
	double wc, L;

	tm_policy_scores(pol, X, n, k, cache, s);
	tm_policy_head(s, pol->p[pol->icash], pol->p[pol->itau], k, prev, n,
	    w, &wc);
	L = a[n] * wc;
	for (int i = 0; i < n; i++)
		L += a[i] * w[i];
	free(cache), free(s), free(w);
	return L;
}

static void
check_policy(struct tm_rng *r, enum tm_arch arch, const uint8_t *kind)
{
	struct tm_policy pol;
	int n = HN, nf = 3, din;
	double prev[HN] = { .1, .05, .2, .1, 0, .15, .1 }, a[HN + 1], worst = 0;

	tm_policy_init(&pol, arch, nf, n, 5, 4);
	/* The shared scorer runs in float32 (issue 12): finite differences
	 * over h = 1e-6 would measure its rounding (1e-7 of the loss), so
	 * these check the same code path in double; check_f32 holds the
	 * float one to it. */
	pol.net.f32 = 0;
	tm_policy_randinit(&pol, r, 0.8);
	for (size_t i = 0; i < pol.nparam; i++)
		pol.p[i] += 0.2 * tm_rng_normal(r);
	din = tm_policy_din(&pol);
	double *X = emalloc((size_t)n * din * sizeof(double));
	float x[3];
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < nf; j++)
			x[j] = (float)tm_rng_normal(r);
		tm_policy_row(&pol, X + (size_t)i * din, x, prev[i], 4);
	}
	for (int i = 0; i <= n; i++)
		a[i] = tm_rng_normal(r);

	size_t cl = tm_policy_cachelen(&pol, n);
	double *cache = emalloc(cl * sizeof(double)), *work = emalloc(cl *
	    sizeof(double)), *s = emalloc(n * sizeof(double)), *w = emalloc(n *
	    sizeof(double)), *gs = emalloc(n * sizeof(double)), wc, gc, gt;
	double *g = ecalloc(pol.nparam, sizeof(double));

	tm_policy_scores(&pol, X, n, kind, cache, s);
	tm_policy_head(s, pol.p[pol.icash], pol.p[pol.itau], kind, prev, n, w,
	    &wc);
	tm_policy_head_back(s, pol.p[pol.icash], pol.p[pol.itau], kind, prev,
	    n, w, wc, a, a[n], gs, &gc, &gt);
	tm_policy_scores_back(&pol, X, n, kind, cache, gs, g, work);
	g[pol.icash] += gc;
	g[pol.itau] += gt;
	for (size_t i = 0; i < pol.nparam; i++) {
		double h = 1e-6, sv = pol.p[i], lp, lm;

		pol.p[i] = sv + h;
		lp = policy_loss(&pol, X, n, kind, prev, a);
		pol.p[i] = sv - h;
		lm = policy_loss(&pol, X, n, kind, prev, a);
		pol.p[i] = sv;
		worst = fmax(worst, relerr(g[i], (lp - lm) / (2 * h)));
	}
	ok(worst < 1e-5, arch == TM_ARCH_FLAT ? "flat policy end to end "
	    "(worst rel err %.2g)" : kind == hkind ? "shared policy end to end, "
	    "an empty slot between others (worst rel err %.2g)" : "shared "
	    "policy end to end, empty slots last (worst rel err %.2g)", worst);
	free(X), free(cache), free(work), free(s), free(w), free(gs), free(g);
	tm_policy_release(&pol);
}

/* ------------------------------------------------- the environment */

/* A hand-made environment of T days and N slots, no features. */
static void
mkenv(struct tm_env *e, int T, int N)
{
	memset(e, 0, sizeof(*e));
	e->T = T;
	e->N = N;
	e->ret = ecalloc((size_t)T * N, sizeof(float));
	e->kind = emalloc((size_t)T * N);
	memset(e->kind, TM_SLOT_ACTIVE, (size_t)T * N);
	e->changed = ecalloc((size_t)T * N, 1);
	e->src = emalloc((size_t)T * N * sizeof(int32_t));
	e->dst = emalloc((size_t)T * N * sizeof(int32_t));
	e->moves = ecalloc(T, sizeof(int));
	for (size_t k = 0; k < (size_t)T * N; k++)
		e->src[k] = -3;		/* unset: see env_done */
	e->date = ecalloc(T, sizeof(int32_t));
}

/* On day t the ticker of slot from (day t-1) moves to slot to. */
static void
env_move(struct tm_env *e, int t, int from, int to)
{
	e->src[(size_t)t * e->N + to] = from;
	e->changed[(size_t)t * e->N + to] = 1;
	e->moves[t]++;
}

/* The maps tm_env_load derives: a changed slot not moved into is a new
 * ticker, every other slot its own; dst the inverse of the next day's. */
static void
env_done(struct tm_env *e)
{
	int N = e->N;

	for (int t = 0; t < e->T; t++)
		for (int i = 0; i < N; i++) {
			int32_t *s = e->src + (size_t)t * N + i;

			if (*s == -3)
				*s = t > 0 && e->changed[(size_t)t * N + i] ?
				    -1 : i;
		}
	for (int t = 0; t + 1 < e->T; t++)
		tm_slot_dst(N, e->src + (size_t)(t + 1) * N,
		    e->dst + (size_t)t * N);
	for (int i = 0; i < N; i++)
		e->dst[(size_t)(e->T - 1) * N + i] = i;
}

static void
check_accounting(void)
{
	struct tm_env e;
	struct tm_book b;
	double w[2] = { .5, .5 }, ex[3], r;

	/* From all cash into 50/50 at 0.1%: cost 0.001 on a turnover of 1;
	 * then day t+2 returns +10% and -10%: flat before costs. */
	mkenv(&e, 5, 2);
	env_done(&e);
	e.ret[2 * 2 + 0] = 0.10f;
	e.ret[2 * 2 + 1] = -0.10f;
	tm_book_init(&b, 2);
	r = tm_env_step(&e, 0, w, 0, 0.001, &b, ex, NULL);
	ok(fabs(r - (0.999 * 1.0 - 1)) < 1e-12, "buying in costs 0.1%% of "
	    "the value traded (r = %.6f)", r);
	ok(fabs(b.w[0] - 0.55) < 1e-7 && fabs(b.w[1] - 0.45) < 1e-7 &&
	    fabs(b.cash) < 1e-12, "holdings drift with the day's returns "
	    "(%.6f)", b.w[0]);
	ok(fabs(b.value - 0.999) < 1e-12, "value after day one %.6f", b.value);

	/* Rebalance 0.55/0.45 back to 0.5/0.5: turnover 0.1, cost 1e-4;
	 * day 3 returns 0 and +20%: growth (1-1e-4)(1.1). */
	e.ret[3 * 2 + 1] = 0.20f;
	r = tm_env_step(&e, 1, w, 0, 0.001, &b, ex, NULL);
	ok(fabs(r - ((1 - 1e-4) * 1.1 - 1)) < 1e-7, "rebalancing pays on "
	    "the difference only (r = %.6f)", r);
	double held = b.w[0] + b.w[1] + b.cash;
	ok(fabs(held - 1) < 1e-12, "weights held still sum to 1 (%.3g off)",
	    fabs(held - 1));
	ok(fabs(b.value - 0.999 * (1 - 1e-4) * 1.1) < 1e-7,
	    "value = start x (1 - costs) x (1 + returns): %.7f", b.value);

	/* Day 4: slot 1's ticker changes at t+1 = 3... use step t=2: the
	 * trade is at the close of day 3 where slot 0 is swapped. */
	tm_book_release(&b);
	tm_book_init(&b, 2);
	b.w[0] = 0.4, b.w[1] = 0.4, b.cash = 0.2;
	e.changed[3 * 2 + 0] = 1;
	e.src[3 * 2 + 0] = -3;
	env_done(&e);
	e.kind[3 * 2 + 1] = TM_SLOT_NONE;	/* slot 1 untradable */
	e.ret[4 * 2 + 0] = 0.5f;
	e.ret[4 * 2 + 1] = 0.1f;
	r = tm_env_step(&e, 2, w, 0, 0.001, &b, ex, NULL);
	/* slot 0 sold (0.4 traded, cost 4e-4); slot 1 frozen at 0.4, earns
	 * 10%; cash 0.6 earns nothing. */
	ok(fabs(ex[0]) < 1e-12 && fabs(ex[1] - 0.4) < 1e-12 &&
	    fabs(ex[2] - 0.6) < 1e-12, "swapped ticker sold, untradable "
	    "slot kept (cash %.3f)", ex[2]);
	ok(fabs(r - ((1 - 4e-4) * 1.04 - 1)) < 1e-7, "and the day's return "
	    "follows (r = %.6f)", r);
	tm_book_release(&b);
	tm_env_release(&e);

	/* A stock that moves slot is carried, not sold: slot 0's ticker
	 * goes to slot 2 at the trade (day 1), slot 1's to slot 3 the day
	 * after; the targets follow at the fill and the holdings through
	 * the night, so the value is as if nothing moved. */
	double w4[4] = { .25, .5, 0, 0 }, ex0[5], ex4[5], r2;
	struct tm_env e2;
	struct tm_book b2;

	mkenv(&e, 4, 4);
	env_done(&e);
	e.ret[2 * 4 + 0] = 0.10f, e.ret[2 * 4 + 1] = -0.05f;
	mkenv(&e2, 4, 4);
	env_move(&e2, 1, 0, 2);
	e2.changed[1 * 4 + 0] = 1;	/* slot 0: a new ticker */
	env_move(&e2, 2, 1, 3);
	e2.changed[2 * 4 + 1] = 1;	/* slot 1: emptied */
	env_done(&e2);
	e2.ret[2 * 4 + 2] = 0.10f, e2.ret[2 * 4 + 3] = -0.05f;
	e2.ret[2 * 4 + 0] = 0.7f;	/* the new tickers' returns */
	e2.ret[2 * 4 + 1] = -0.3f;
	tm_book_init(&b, 4);
	tm_book_init(&b2, 4);
	r = tm_env_step(&e, 0, w4, .25, 0.001, &b, ex0, NULL);
	r2 = tm_env_step(&e2, 0, w4, .25, 0.001, &b2, ex4, NULL);
	ok(r == r2 && ex4[2] == ex0[0] && ex4[1] == ex0[1] && ex4[0] == 0 &&
	    b2.w[2] == b.w[0] && b2.w[3] == b.w[1] && b2.w[0] == 0 &&
	    b2.w[1] == 0 && b2.cash == b.cash, "a moved ticker carries its "
	    "target and its holding, the same bits (r %.9f)", r2);
	tm_book_release(&b);
	tm_book_release(&b2);
	tm_env_release(&e);
	tm_env_release(&e2);
}

static void check_step_grad1(struct tm_rng *r, int moved);

static void
check_step_grad(struct tm_rng *r)
{
	check_step_grad1(r, 0);
	check_step_grad1(r, 1);
}

static void
check_step_grad1(struct tm_rng *r, int moved)
{
	struct tm_env e;
	struct tm_book b, b2;
	int N = 6;
	double w[7], g[7], worst = 0, sum = 0;

	mkenv(&e, 4, N);
	for (int i = 0; i < N; i++) {
		e.ret[2 * N + i] = (float)(0.05 * tm_rng_normal(r));
		e.ret[3 * N + i] = (float)(0.05 * tm_rng_normal(r));
	}
	e.ret[2 * N + 5] = NAN;
	e.kind[1 * N + 2] = TM_SLOT_NONE;	/* frozen */
	e.changed[1 * N + 3] = 1;		/* swapped at the trade */
	e.changed[2 * N + 4] = 1;		/* swapped the day after */
	if (moved) {
		env_move(&e, 1, 0, 1);		/* moves at the trade */
		e.changed[1 * N + 0] = 1;
		env_move(&e, 2, 1, 0);		/* and back the day after */
		e.changed[2 * N + 1] = 1;
	}
	env_done(&e);
	for (int i = 0; i <= N; i++)
		sum += (w[i] = 0.1 + tm_rng_uniform(r));
	for (int i = 0; i <= N; i++)
		w[i] /= sum;
	tm_book_init(&b, N);
	for (int i = 0; i < N; i++)
		b.w[i] = 0.1;
	b.cash = 1 - 0.1 * N;
	tm_book_init(&b2, N);
	memcpy(b2.w, b.w, N * sizeof(double));
	tm_env_step(&e, 0, w, w[N], 0.01, &b2, NULL, g);
	for (int i = 0; i <= N; i++) {
		double h = 1e-7, sv = w[i], lp, lm;

		w[i] = sv + h;
		memcpy(b2.w, b.w, N * sizeof(double));
		b2.cash = b.cash;
		lp = tm_env_step(&e, 0, w, w[N], 0.01, &b2, NULL, NULL);
		w[i] = sv - h;
		memcpy(b2.w, b.w, N * sizeof(double));
		b2.cash = b.cash;
		lm = tm_env_step(&e, 0, w, w[N], 0.01, &b2, NULL, NULL);
		w[i] = sv;
		worst = fmax(worst, relerr(g[i], (lp - lm) / (2 * h)));
	}
	ok(worst < 1e-5, moved ? "execution step gradient, tickers moving "
	    "slot (worst rel err %.2g)" : "execution step gradient (worst "
	    "rel err %.2g)", worst);
	tm_book_release(&b);
	tm_book_release(&b2);
	tm_env_release(&e);
}

static void
check_reward(struct tm_rng *r)
{
	struct tm_reward rw = { 0.6, 0.3, 0.1, 20 };
	double x[12], g[12], worst = 0;

	for (int i = 0; i < 12; i++)
		x[i] = 0.03 * tm_rng_normal(r);
	tm_reward_window(&rw, x, 12, g);
	for (int i = 0; i < 12; i++) {
		double h = 1e-7, sv = x[i], lp, lm;

		x[i] = sv + h;
		lp = tm_reward_window(&rw, x, 12, NULL);
		x[i] = sv - h;
		lm = tm_reward_window(&rw, x, 12, NULL);
		x[i] = sv;
		worst = fmax(worst, relerr(g[i], (lp - lm) / (2 * h)));
	}
	ok(worst < 1e-5, "window reward gradient (worst rel err %.2g)", worst);

	/* Hand case: returns +10%, -10%: mean 0, drawdown after day 2 is
	 * 1 - 0.99/1.1 = 0.1; reward = -0.1 * (0 + 0.1)/2. */
	double y[2] = { 0.1, -0.1 };
	double J = tm_reward_window(&rw, y, 2, NULL);
	ok(fabs(J - (-0.1 * 0.1 / 2)) < 1e-9, "window reward by hand (%.6f)", J);
	double d = tm_reward_day(&rw, y, 2, 0.1);
	ok(fabs(d - (0.6 * -0.1 + 0 - 0.01)) < 1e-9, "day reward by hand "
	    "(%.6f)", d);
}

/* ------------------------------------------- float32 against double */

/* The shared scorer's float32 path against the same policy in double
 * (whose gradients check_policy holds to finite differences): scores
 * and the parameter gradient, at the trainer's widths (32,16 hidden, 30
 * inputs: the sixteen-lane tails too) on 301 rows with empty slots
 * among them. */
static void
check_f32(struct tm_rng *r)
{
	struct tm_policy pol;
	int n = 301, nf = 29, din;
	double ws = 0, wg = 0, gmax = 0, smax = 0;

	tm_policy_init(&pol, TM_ARCH_SHARED, nf, 0, 32, 16);
	tm_policy_randinit(&pol, r, 0.8);
	for (size_t i = 0; i < pol.nparam; i++)
		pol.p[i] += 0.1 * tm_rng_normal(r);
	din = tm_policy_din(&pol);
	double *X = emalloc((size_t)n * din * sizeof(double));
	double *gs = emalloc(n * sizeof(double));
	double *s[2], *g[2];
	uint8_t *kind = emalloc(n);
	float x[29];

	for (int i = 0; i < n; i++) {
		for (int j = 0; j < nf; j++)
			x[j] = (float)tm_rng_normal(r);
		tm_policy_row(&pol, X + (size_t)i * din, x, 1.0 / n, n);
		kind[i] = i % 7 == 3 ? TM_SLOT_NONE : TM_SLOT_ACTIVE;
		gs[i] = tm_rng_normal(r);
	}
	for (int k = 0; k < 2; k++) {
		pol.net.f32 = k == 0;
		size_t cl = tm_policy_cachelen(&pol, n);
		double *cache = emalloc(cl * sizeof(double));
		double *work = emalloc(cl * sizeof(double));

		s[k] = emalloc(n * sizeof(double));
		g[k] = ecalloc(pol.nparam, sizeof(double));
		tm_policy_scores(&pol, X, n, kind, cache, s[k]);
		tm_policy_scores_back(&pol, X, n, kind, cache, gs, g[k], work);
		free(cache), free(work);
	}
	for (int i = 0; i < n; i++) {
		ws = fmax(ws, fabs(s[0][i] - s[1][i]));
		smax = fmax(smax, fabs(s[1][i]));
	}
	for (size_t i = 0; i < pol.nparam; i++) {
		wg = fmax(wg, fabs(g[0][i] - g[1][i]));
		gmax = fmax(gmax, fabs(g[1][i]));
	}
	ok(ws < 1e-5 * smax, "float32 scores within 1e-5 of the largest "
	    "double one (%.2g of %.2g)", ws, smax);
	ok(wg < 1e-5 * gmax, "float32 gradient within 1e-5 of the largest "
	    "double one (%.2g of %.2g)", wg, gmax);
	free(X), free(gs), free(kind);
	for (int k = 0; k < 2; k++)
		free(s[k]), free(g[k]);
	tm_policy_release(&pol);
}

int
main(void)
{
	struct tm_rng r;

	tm_setprogname("policy_grad");
	tm_rng_seed(&r, 42);
	check_mlp(&r);
	check_head(&r);
	check_policy(&r, TM_ARCH_SHARED, hkind);
	check_policy(&r, TM_ARCH_FLAT, hkind);
	check_policy(&r, TM_ARCH_SHARED, pkind);
	check_accounting();
	check_step_grad(&r);
	check_reward(&r);
	check_f32(&r);
	return tap_done();
}
