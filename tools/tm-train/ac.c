/* ac.c - what PPO and A2C share: a Gaussian over the shared scorer's
 * logits and the cash logit with one learned spread, and a paired
 * baseline, optionally plus a learned critic's multi-day term (below).  Each training day the
 * deterministic action (the mean) and K draws around it are all scored
 * on that same day's market from the same book: the advantage of a draw
 * is its one-day hybrid reward minus the mean action's.  The market's
 * common move, which no critic can predict, cancels; what is left is
 * what the deviation chose.  The horizon is one day (gamma 0): an
 * action's effect on the reward is the period it holds, and longer
 * returns only add variance.  The run itself follows the mean action,
 * as tm-infer will.
 *
 * With the critic (-p critic=1), a draw's advantage also gets
 * gamma (V(p_draw) - V(p_mean)), V a linear value of the book after the
 * decision fitted to TD(lambda) returns along the run: what the draw
 * leaves for the days after (its cash, drawdown, recent returns, which
 * the hybrid reward's Sharpe and drawdown read).  It measured worse on
 * the synthetic learn tests (t6003, t6005) in 3 of 4 runs, so the
 * trainers default to the paired one-day baseline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "train.h"
#include "ac.h"

#define PPO_CLIP 0.2

void *
ac_init(struct train *tr, int ppo, int nsteps, int kepochs, int mb, int K,
    int critic)
{
	struct ac *s = ecalloc(1, sizeof(*s));
	int N = tr->env.N, din = tm_policy_din(tr->pol);

	s->ppo = ppo;
	s->nsteps = nsteps;
	s->kepochs = kepochs;
	s->mb = mb;
	s->N = N;
	s->K = K;
	s->logstd = log(0.05);
	s->critic = critic;
	s->lambda = 0.95;
	if (!critic)
		tr->gamma = 0;
	/* critic itself is recorded as the trainers' knob (main.c). */
	hyper_set(tr, "gamma", tr->gamma);
	hyper_set(tr, "draws", K);
	if (critic)
		hyper_set(tr, "lambda", s->lambda);
	s->dphi = tr->env.nf + 5;
	int D = s->dphi;
	s->cw = ecalloc(D, sizeof(double));
	s->cA = ecalloc((size_t)D * D, sizeof(double));
	s->cb = ecalloc(D, sizeof(double));
	s->cM = emalloc((size_t)D * (D + 1) * sizeof(double));
	s->phi = emalloc((size_t)(nsteps + 1) * D * sizeof(double));
	s->R = emalloc(nsteps * sizeof(double));
	s->dv = ecalloc((size_t)nsteps * K, sizeof(double));
	s->pool = emalloc(D * sizeof(double));
	adam_init(&s->aopt, tr->pol->nparam);
	adam_init(&s->sopt, 1);
	s->ga = ecalloc(tr->pol->nparam, sizeof(double));
	s->X = emalloc((size_t)nsteps * N * din * sizeof(double));
	s->a = emalloc((size_t)nsteps * K * (N + 1) * sizeof(double));
	s->logp = emalloc((size_t)nsteps * K * sizeof(double));
	s->adv = emalloc((size_t)nsteps * K * sizeof(double));
	s->t = emalloc(nsteps * sizeof(int));
	s->order = emalloc(nsteps * sizeof(int));
	s->gs = emalloc(N * sizeof(double));
	s->pwork = emalloc(tm_policy_cachelen(tr->pol, N) * sizeof(double));
	s->prev = emalloc(N * sizeof(double));
	s->w = emalloc(N * sizeof(double));
	s->z = emalloc((N + 1) * sizeof(double));
	s->nz = emalloc((N + 1) * sizeof(double));
	s->hist = emalloc((tr->t1 - tr->t0 + 1) * sizeof(double));
	tm_book_init(&s->scratch, N);
	day_alloc(tr, &s->d);
	return s;
}

void
ac_free(void *v)
{
	struct ac *s = v;

	adam_free(&s->aopt), adam_free(&s->sopt);
	free(s->ga), free(s->X), free(s->a), free(s->logp), free(s->adv);
	free(s->t), free(s->order), free(s->gs), free(s->pwork);
	free(s->prev), free(s->w), free(s->z), free(s->hist), free(s->nz);
	free(s->cw), free(s->cA), free(s->cb), free(s->cM), free(s->phi);
	free(s->R), free(s->dv), free(s->pool);
	tm_book_release(&s->scratch);
	day_free(&s->d);
	free(s);
}

/* Log-density of the logits a given scores sc and cash c, up to a
 * constant; when ds is not NULL, add its gradient in s times f into ds,
 * in c and log std times f into *dc and *dls. */
static double
logp(const struct ac *s, const double *sc, double c, const double *a,
    const uint8_t *kind, double f, double *ds, double *dc, double *dls)
{
	double sd = exp(s->logstd), lp = 0, dl = 0;

	for (int i = 0; i < s->N; i++) {
		if (kind[i] == TM_SLOT_NONE)
			continue;
		double z = (a[i] - sc[i]) / sd;

		lp += -0.5 * z * z - s->logstd;
		dl += z * z - 1;
		if (ds)
			ds[i] += f * z / sd;
	}
	double zc = (a[s->N] - c) / sd;
	lp += -0.5 * zc * zc - s->logstd;
	dl += zc * zc - 1;
	if (ds) {
		*dc += f * zc / sd;
		*dls += f * dl;
	}
	return lp;
}

/* logp's gradient from the standardised draws z (N + 1, cash last) and
 * the sum dl of z^2 - 1 that logp_z left: the same terms logp adds. */
static void
logp_back(const struct ac *s, const double *z, double dl, const uint8_t *kind,
    double f, double *ds, double *dc, double *dls)
{
	double sd = exp(s->logstd);

	for (int i = 0; i < s->N; i++)
		if (kind[i] != TM_SLOT_NONE)
			ds[i] += f * z[i] / sd;
	*dc += f * z[s->N] / sd;
	*dls += f * dl;
}

/* logp without the gradient, keeping z for logp_back and the sum of
 * z^2 - 1 in *dl: the same values in the same order as logp. */
static double
logp_z(const struct ac *s, const double *sc, double c, const double *a,
    const uint8_t *kind, double *z, double *dl)
{
	double sd = exp(s->logstd), lp = 0, d = 0;

	for (int i = 0; i < s->N; i++) {
		if (kind[i] == TM_SLOT_NONE)
			continue;
		z[i] = (a[i] - sc[i]) / sd;
		lp += -0.5 * z[i] * z[i] - s->logstd;
		d += z[i] * z[i] - 1;
	}
	z[s->N] = (a[s->N] - c) / sd;
	lp += -0.5 * z[s->N] * z[s->N] - s->logstd;
	d += z[s->N] * z[s->N] - 1;
	*dl = d;
	return lp;
}

/*
 * The critic's state after a decision: a bias, the book's cash weight
 * and drawdown, the day's return r[n-1] and the mean of the last five
 * (the hybrid reward's Sharpe and drawdown terms are made of these, so
 * they are what a draw changes about the future), then pool[nf], the
 * day's features averaged over its active slots (the market's state:
 * the same for every draw of a day, so it cancels in a draw's advantage
 * and only sharpens the fit).  O(nf) given pool; pool costs O(N nf)
 * once a day.
 */
static void
state(const struct ac *s, const struct tm_book *b, const double *r, int n,
    const double *pool, int nf, double *phi)
{
	double m = 0;
	int k = n < 5 ? n : 5;

	phi[0] = 1;
	phi[1] = b->cash;
	phi[2] = 1 - b->value / b->peak;
	phi[3] = n > 0 ? r[n - 1] : 0;
	for (int i = n - k; i < n; i++)
		m += r[i];
	phi[4] = k > 0 ? m / k : 0;
	memcpy(phi + 5, pool, nf * sizeof(double));
	(void)s;
}

static double
value(const struct ac *s, const double *phi)
{
	double v = 0;

	for (int i = 0; i < s->dphi; i++)
		v += s->cw[i] * phi[i];
	return v;
}

/* Day t's features averaged over its active slots into pool[nf]. */
static void
pool_day(const struct tm_env *e, int t, double *pool)
{
	int c = 0;

	memset(pool, 0, e->nf * sizeof(double));
	for (int i = 0; i < e->N; i++) {
		const float *x = e->x + ((size_t)t * e->N + i) * e->nf;

		if (e->kind[(size_t)t * e->N + i] == TM_SLOT_NONE)
			continue;
		c++;
		for (int j = 0; j < e->nf; j++)
			pool[j] += isfinite(x[j]) ? x[j] : 0;
	}
	for (int j = 0; j < e->nf && c > 0; j++)
		pool[j] /= c;
}

/*
 * Refit the critic on the rollout's n post-decision states: TD(lambda)
 * targets y_k = R_{k+1} + gamma ((1 - lambda) V(p_{k+1}) + lambda
 * y_{k+1}), the last state only bootstrapping (y_{n-1} = V(p_{n-1}), not
 * fitted).  The normal equations decay by 0.998 a day, so the fit
 * follows the policy as it changes; a ridge of 1e-6 of their trace keeps
 * them solvable.  Before the refit, the targets' squared errors under the
 * old weights go to the explained-variance tally: a prediction made
 * before the days it predicts.
 */
static void
critic_fit(struct train *tr, struct ac *s, int n)
{
	int D = s->dphi;
	double y = 0, dec = pow(0.998, n), tr_ = 0;

	if (n < 2)
		return;
	for (int i = 0; i < D * D; i++)
		s->cA[i] *= dec;
	for (int i = 0; i < D; i++)
		s->cb[i] *= dec;
	y = value(s, s->phi + (size_t)(n - 1) * D);
	for (int k = n - 2; k >= 0; k--) {
		const double *p = s->phi + (size_t)k * D;
		double vn = value(s, s->phi + (size_t)(k + 1) * D), v;

		y = s->R[k + 1] + tr->gamma * ((1 - s->lambda) * vn +
		    s->lambda * y);
		v = value(s, p);
		s->ev_se += (y - v) * (y - v);
		s->ev_s += y, s->ev_ss += y * y, s->ev_n++;
		for (int i = 0; i < D; i++) {
			for (int j = 0; j < D; j++)
				s->cA[i * D + j] += p[i] * p[j];
			s->cb[i] += p[i] * y;
		}
	}
	/* Gaussian elimination with partial pivoting on [A + ridge | b]. */
	for (int i = 0; i < D; i++)
		tr_ += s->cA[i * D + i];
	double *M = s->cM;
	for (int i = 0; i < D; i++) {
		for (int j = 0; j < D; j++)
			M[i * (D + 1) + j] = s->cA[i * D + j] +
			    (i == j ? 1e-6 * tr_ / D + 1e-12 : 0);
		M[i * (D + 1) + D] = s->cb[i];
	}
	for (int c = 0; c < D; c++) {
		int piv = c;

		for (int r = c + 1; r < D; r++)
			if (fabs(M[r * (D + 1) + c]) > fabs(M[piv * (D + 1) + c]))
				piv = r;
		if (piv != c)
			for (int j = 0; j <= D; j++) {
				double x = M[c * (D + 1) + j];

				M[c * (D + 1) + j] = M[piv * (D + 1) + j];
				M[piv * (D + 1) + j] = x;
			}
		if (M[c * (D + 1) + c] == 0)
			return;		/* singular: keep the old weights */
		for (int r = c + 1; r < D; r++) {
			double f = M[r * (D + 1) + c] / M[c * (D + 1) + c];

			for (int j = c; j <= D; j++)
				M[r * (D + 1) + j] -= f * M[c * (D + 1) + j];
		}
	}
	for (int c = D - 1; c >= 0; c--) {
		double x = M[c * (D + 1) + D];

		for (int j = c + 1; j < D; j++)
			x -= M[c * (D + 1) + j] * s->pool[j];
		s->pool[c] = x / M[c * (D + 1) + c];
	}
	for (int i = 0; i < D; i++)
		if (!isfinite(s->pool[i]))
			return;
	memcpy(s->cw, s->pool, D * sizeof(double));
}

/* One Adam step on the days idx[0..n) of the rollout (m draws in all). */
static void
update(struct train *tr, struct ac *s, const int *idx, int n)
{
	struct tm_policy *pol = tr->pol;
	int N = s->N, K = s->K, din = tm_policy_din(pol);
	double gls = 0, c = pol->p[pol->icash];

	memset(s->ga, 0, pol->nparam * sizeof(double));
	for (int q = 0; q < n; q++) {
		int k = idx[q];
		const double *X = s->X + (size_t)k * N * din;
		const uint8_t *kind = tr->env.kind + (size_t)s->t[k] * N;
		double gc = 0;

		tm_policy_scores(pol, X, N, kind, s->d.cache, s->d.s);
		memset(s->gs, 0, N * sizeof(double));
		for (int j = 0; j < K; j++) {
			size_t o = (size_t)k * K + j;
			const double *a = s->a + o * (N + 1);
			double A = s->adv[o], f, dl;
			/* One pass for the density, the gradient from its
			 * z: logp twice read the draw twice. */
			double lp = logp_z(s, s->d.s, c, a, kind, s->z, &dl);

			if (s->ppo) {
				double ratio = exp(lp - s->logp[o]);

				/* The clipped surrogate has no gradient once
				 * the ratio left the trust region in A's
				 * favour. */
				if ((A > 0 && ratio > 1 + PPO_CLIP) ||
				    (A < 0 && ratio < 1 - PPO_CLIP))
					continue;
				f = -A * ratio;
			} else
				f = -A;
			f /= (double)n * K;
			logp_back(s, s->z, dl, kind, f, s->gs, &gc, &gls);
		}
		tm_policy_scores_back(pol, X, N, kind, s->d.cache, s->gs,
		    s->ga, s->pwork);
		s->ga[pol->icash] += gc;
	}
	gls -= tr->ent;		/* the entropy bonus, per dimension */
	adam_step(&s->aopt, pol->p, s->ga, tr->lr, tr->clip);
	logstd_step(&s->sopt, &s->logstd, gls, tr);
}

/* Days of one rollout from t: draws, their paired advantages; the run
 * moves on by the mean action.  Returns the number of days. */
static int
rollout(struct train *tr, struct ac *s, int t, struct tm_book *bk,
    struct roll *ro, double *sum)
{
	const struct tm_env *e = &tr->env;
	struct tm_policy *pol = tr->pol;
	int N = s->N, K = s->K, din = tm_policy_din(pol), n;
	double sd = exp(s->logstd), c = pol->p[pol->icash];
	double *own = s->d.dec.X;

	for (n = 0; n < s->nsteps && t < tr->t1; n++, t++) {
		const uint8_t *kind = e->kind + (size_t)t * N;
		double wc;

		/* The day's inputs built where the update reads them, not
		 * copied there (tm_decide_scores writes every row). */
		s->d.dec.X = s->d.X = s->X + (size_t)n * N * din;
		day_scores(tr, &s->d, t, s->prev);
		day_head(tr, &s->d);
		s->t[n] = t;
		double r0 = peek_step(tr, t, s->d.w, s->d.wc, bk, &s->scratch,
		    ro, s->hist), v0 = 0;
		double *phi = s->phi + (size_t)n * s->dphi;

		if (s->critic) {
			pool_day(e, t, s->pool);
			state(s, &s->scratch, s->hist, ro->n + 1, s->pool,
			    e->nf, phi);
			v0 = value(s, phi);
		}
		int na = 0;

		for (int i = 0; i < N; i++)
			na += kind[i] != TM_SLOT_NONE;
		for (int j = 0; j < K; j++) {
			size_t o = (size_t)n * K + j;
			double *a = s->a + o * (N + 1);
			const double *g = s->nz;

			/* A draw for each slot that has one, in slot order,
			 * and the cash logit's last: a pair of normals at a
			 * time (tm_rng_normals), not one cos and log each. */
			tm_rng_normals(&tr->rng, s->nz, (size_t)na + 1);
			for (int i = 0; i < N; i++)
				a[i] = s->d.s[i] + (kind[i] == TM_SLOT_NONE ?
				    0 : sd * *g++);
			a[N] = c + sd * *g;
			s->logp[o] = logp(s, s->d.s, c, a, kind, 0, NULL,
			    NULL, NULL);
			tm_policy_head(a, a[N], pol->p[pol->itau], kind,
			    s->d.prev, N, s->w, &wc);
			s->adv[o] = peek_step(tr, t, s->w, wc, bk, &s->scratch,
			    ro, s->hist) - r0;
			/* The multi-day part: what the draw left the book
			 * (its cash, drawdown, recent returns) as valued
			 * by the critic, against the mean action's. */
			if (s->critic) {
				/* Row n + 1 is scratch until day n + 1. */
				double *q = s->phi + (size_t)(n + 1) *
				    s->dphi;

				state(s, &s->scratch, s->hist, ro->n + 1,
				    s->pool, e->nf, q);
				s->adv[o] += tr->gamma * (value(s, q) - v0);
			}
		}
		double r = tm_env_step(e, t, s->d.w, s->d.wc, tr->cost, bk,
		    NULL, NULL);
		s->R[n] = roll_push(tr, ro, r, bk);
		*sum += s->R[n];
		memcpy(s->prev, s->d.w, N * sizeof(double));
	}
	s->d.dec.X = s->d.X = own;
	return n;
}

double
ac_epoch(struct train *tr, void *v)
{
	struct ac *s = v;
	struct tm_book bk;
	struct roll ro;
	double sum = 0;

	tm_book_init(&bk, s->N);
	memset(s->prev, 0, s->N * sizeof(double));
	ro.r = emalloc((tr->t1 - tr->t0) * sizeof(double));
	ro.n = 0;
	for (int t = tr->t0; t < tr->t1;) {
		int n = rollout(tr, s, t, &bk, &ro, &sum), m = n * s->K;
		double mu = 0, var = 0;

		t += n;
		if (s->critic)
			critic_fit(tr, s, n);
		/* Scale-free advantages: the step size then does not depend
		 * on how volatile the market was in this rollout. */
		for (int k = 0; k < m; k++)
			mu += s->adv[k];
		mu /= m;
		for (int k = 0; k < m; k++)
			var += (s->adv[k] - mu) * (s->adv[k] - mu);
		var = m > 1 ? var / (m - 1) : 0;
		for (int k = 0; k < m; k++)
			s->adv[k] = (s->adv[k] - mu) / (sqrt(var) + 1e-12);
		for (int k = 0; k < n; k++)
			s->order[k] = k;
		for (int ep = 0; ep < s->kepochs; ep++) {
			/* Fisher-Yates from the run's generator. */
			for (int k = n - 1; k > 0; k--) {
				int j = (int)(tm_rng_next(&tr->rng) % (k + 1));
				int x = s->order[k];

				s->order[k] = s->order[j];
				s->order[j] = x;
			}
			for (int b = 0; b < n; b += s->mb)
				update(tr, s, s->order + b, b + s->mb <= n ?
				    s->mb : n - b);
		}
	}
	/* The critic's explained variance this epoch, each target
	 * predicted before its days were fitted: above 0, it knows
	 * something the mean does not.  Recorded for tests and readers. */
	if (s->critic && s->ev_n > 1) {
		double mu = s->ev_s / s->ev_n, var = s->ev_ss / s->ev_n -
		    mu * mu;

		hyper_set(tr, "critic_ev", var > 0 ? 1 - s->ev_se / s->ev_n /
		    var : 0);
	}
	s->ev_se = s->ev_s = s->ev_ss = s->ev_n = 0;
	free(ro.r);
	tm_book_release(&bk);
	return tr->t1 > tr->t0 ? sum / (tr->t1 - tr->t0) : 0;
}
