/* ac.c - what PPO and A2C share: a Gaussian policy over the shared
 * scorer's logits (and the cash logit) with one learned spread, a critic
 * that is itself a shared-weight slot network (the value is the mean of
 * per-slot values over active slots plus a linear term in the portfolio's
 * drawdown, rolling Sharpe and cash), rollouts and GAE. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "train.h"
#include "ac.h"

#define NG 4		/* global critic inputs: drawdown, sharpe, cash, 1 */
#define LOGSTD_MIN -5.0
#define LOGSTD_MAX -2.3	/* sd 0.1: tau 0.1 makes that one nat */

static void
globals(const struct train *tr, const struct tm_book *b, const struct roll *ro,
    double *g)
{
	struct tm_reward sh = { 0, 1, 0, tr->rw.window };

	g[0] = 1 - b->value / b->peak;
	g[1] = ro->n ? tm_reward_day(&sh, ro->r, ro->n, 0) : 0;
	g[2] = b->cash;
	g[3] = 1;
}

/* Value of a state: critic rows X (N of them), kinds, globals. */
static double
value(struct ac *s, const double *X, const uint8_t *kind, const double *g)
{
	int N = s->N, nact = 0;
	double v = 0;

	tm_mlp_forward(&s->critic, s->cp, X, N, s->ccache, s->v);
	for (int i = 0; i < N; i++)
		if (kind[i] == TM_SLOT_ACTIVE) {
			v += s->v[i];
			nact++;
		}
	v = nact ? v / nact : 0;
	for (int j = 0; j < NG; j++)
		v += s->cp[s->critic.n + j] * g[j];
	return v;
}

/* Add d(0.5 (V - target)^2) into gc; value() must have run on X. */
static void
value_back(struct ac *s, const double *X, const uint8_t *kind,
    const double *g, double dv)
{
	int N = s->N, nact = 0;

	for (int i = 0; i < N; i++)
		nact += kind[i] == TM_SLOT_ACTIVE;
	for (int i = 0; i < N; i++)
		s->v[i] = kind[i] == TM_SLOT_ACTIVE ? dv / nact : 0;
	if (nact)
		tm_mlp_backward(&s->critic, s->cp, X, N, s->ccache, s->v,
		    s->gc, NULL, s->cwork);
	for (int j = 0; j < NG; j++)
		s->gc[s->critic.n + j] += dv * g[j];
}

void *
ac_init(struct train *tr, int ppo, int nsteps, int kepochs, int mb)
{
	struct ac *s = ecalloc(1, sizeof(*s));
	int N = tr->env.N, din = tm_policy_din(tr->pol);

	s->ppo = ppo;
	s->nsteps = nsteps;
	s->kepochs = kepochs;
	s->mb = mb;
	s->N = N;
	s->logstd = log(0.05);
	tm_mlp_init(&s->critic, din, tr->pol->net.h1, tr->pol->net.h2, 1, 0);
	s->ncp = s->critic.n + NG;
	s->cp = ecalloc(s->ncp, sizeof(double));
	s->gc = ecalloc(s->ncp, sizeof(double));
	tm_mlp_randinit(&s->critic, s->cp, &tr->rng);
	adam_init(&s->aopt, tr->pol->nparam);
	adam_init(&s->sopt, 1);
	adam_init(&s->copt, s->ncp);
	s->ga = ecalloc(tr->pol->nparam, sizeof(double));
	s->X = emalloc((size_t)nsteps * N * din * sizeof(double));
	s->a = emalloc((size_t)nsteps * (N + 1) * sizeof(double));
	s->g = emalloc((size_t)nsteps * NG * sizeof(double));
	s->t = emalloc(nsteps * sizeof(int));
	s->logp = emalloc(nsteps * sizeof(double));
	s->rew = emalloc(nsteps * sizeof(double));
	s->val = emalloc(nsteps * sizeof(double));
	s->adv = emalloc(nsteps * sizeof(double));
	s->ret = emalloc(nsteps * sizeof(double));
	s->order = emalloc(nsteps * sizeof(int));
	s->v = emalloc(N * sizeof(double));
	s->gs = emalloc(N * sizeof(double));
	s->ccache = emalloc((size_t)N * (s->critic.h1 + s->critic.h2) *
	    sizeof(double));
	s->cwork = emalloc((size_t)N * (s->critic.h1 + s->critic.h2) *
	    sizeof(double));
	s->pwork = emalloc(tm_policy_cachelen(tr->pol, N) * sizeof(double));
	s->prev = emalloc(N * sizeof(double));
	day_alloc(tr, &s->d);
	return s;
}

void
ac_free(void *v)
{
	struct ac *s = v;

	adam_free(&s->aopt), adam_free(&s->sopt), adam_free(&s->copt);
	free(s->cp), free(s->gc), free(s->ga), free(s->X), free(s->a);
	free(s->g), free(s->t), free(s->logp), free(s->rew), free(s->val);
	free(s->adv), free(s->ret), free(s->order), free(s->v), free(s->gs);
	free(s->ccache), free(s->cwork), free(s->pwork), free(s->prev);
	day_free(&s->d);
	free(s);
}

/* Log-density of the stored logits a given scores s and cash c, up to a
 * constant; when ds is not NULL its gradient in s (ds), c and log std. */
static double
logp(const struct ac *s, const double *sc, double c, const double *a,
    const uint8_t *kind, double *ds, double *dc, double *dls)
{
	double sd = exp(s->logstd), lp = 0, dl = 0;
	int K = 1;

	for (int i = 0; i < s->N; i++) {
		double z = kind[i] == TM_SLOT_NONE ? 0 : (a[i] - sc[i]) / sd;

		if (kind[i] != TM_SLOT_NONE) {
			lp += -0.5 * z * z - s->logstd;
			dl += z * z - 1;
			K++;
		}
		if (ds)
			ds[i] = z / sd;
	}
	double zc = (a[s->N] - c) / sd;
	lp += -0.5 * zc * zc - s->logstd;
	dl += zc * zc - 1;
	if (ds) {
		*dc = zc / sd;
		*dls = dl;
	}
	(void)K;
	return lp;
}

static void
update(struct train *tr, struct ac *s, const int *idx, int n)
{
	struct tm_policy *pol = tr->pol;
	int N = s->N, din = tm_policy_din(pol);
	double gls = 0, c = pol->p[pol->icash];

	memset(s->ga, 0, pol->nparam * sizeof(double));
	memset(s->gc, 0, s->ncp * sizeof(double));
	for (int q = 0; q < n; q++) {
		int k = idx[q];
		const double *X = s->X + (size_t)k * N * din;
		const double *a = s->a + (size_t)k * (N + 1);
		const uint8_t *kind = tr->env.kind + (size_t)s->t[k] * N;
		double dc, dls, A = s->adv[k], dlp;

		tm_policy_scores(pol, X, N, s->d.cache, s->d.s);
		double lp = logp(s, s->d.s, c, a, kind, s->gs, &dc, &dls);
		if (s->ppo) {
			double ratio = exp(lp - s->logp[k]);

			/* The clipped surrogate has no gradient once the
			 * ratio left the trust region in A's favour. */
			if ((A > 0 && ratio > 1 + 0.2) || (A < 0 && ratio < 1 - 0.2))
				dlp = 0;
			else
				dlp = -A * ratio;
		} else
			dlp = -A;
		dlp /= n;
		for (int i = 0; i < N; i++)
			s->gs[i] *= dlp;
		tm_policy_scores_back(pol, X, N, s->d.cache, s->gs, s->ga,
		    s->pwork);
		s->ga[pol->icash] += dlp * dc;
		gls += dlp * dls - tr->ent / n;

		double v = value(s, X, kind, s->g + (size_t)k * NG);
		value_back(s, X, kind, s->g + (size_t)k * NG,
		    (v - s->ret[k]) / n);
	}
	adam_step(&s->aopt, pol->p, s->ga, tr->lr, tr->clip);
	adam_step(&s->sopt, &s->logstd, &gls, tr->lr, tr->clip);
	if (s->logstd < LOGSTD_MIN)
		s->logstd = LOGSTD_MIN;
	if (s->logstd > LOGSTD_MAX)
		s->logstd = LOGSTD_MAX;
	adam_step(&s->copt, s->cp, s->gc, tr->lr, tr->clip);
}

double
ac_epoch(struct train *tr, void *v)
{
	struct ac *s = v;
	struct tm_policy *pol = tr->pol;
	const struct tm_env *e = &tr->env;
	int N = e->N, din = tm_policy_din(pol);
	struct tm_book bk;
	struct roll ro;
	double sum = 0, lam = 0.95;

	tm_book_init(&bk, N);
	memset(s->prev, 0, N * sizeof(double));
	ro.r = emalloc((tr->t1 - tr->t0) * sizeof(double));
	ro.n = 0;
	for (int t = tr->t0; t < tr->t1;) {
		int n = 0;
		double sd = exp(s->logstd), c = pol->p[pol->icash];

		for (; n < s->nsteps && t < tr->t1; n++, t++) {
			const uint8_t *kind = e->kind + (size_t)t * N;
			double *a = s->a + (size_t)n * (N + 1);
			double *g = s->g + (size_t)n * NG;

			day_scores(tr, &s->d, t, s->prev);
			for (int i = 0; i < N; i++)
				a[i] = s->d.s[i] + (kind[i] == TM_SLOT_NONE ? 0 :
				    sd * tm_rng_normal(&tr->rng));
			a[N] = c + sd * tm_rng_normal(&tr->rng);
			s->logp[n] = logp(s, s->d.s, c, a, kind, NULL, NULL,
			    NULL);
			memcpy(s->X + (size_t)n * N * din, s->d.X,
			    (size_t)N * din * sizeof(double));
			globals(tr, &bk, &ro, g);
			s->val[n] = value(s, s->d.X, kind, g);
			s->t[n] = t;
			tm_policy_head(a, a[N], pol->p[pol->itau], kind,
			    s->d.prev, N, s->d.w, &s->d.wc);
			double r = tm_env_step(e, t, s->d.w, s->d.wc, tr->cost,
			    &bk, NULL, NULL);
			s->rew[n] = roll_push(tr, &ro, r, &bk);
			sum += s->rew[n];
			memcpy(s->prev, s->d.w, N * sizeof(double));
		}
		/* Bootstrap from the next state's value. */
		double next = 0, gn[NG];
		if (t < e->T - 2) {
			double *pv = emalloc(N * sizeof(double));

			memcpy(pv, s->prev, N * sizeof(double));
			day_scores(tr, &s->d, t, pv);
			globals(tr, &bk, &ro, gn);
			next = value(s, s->d.X, e->kind + (size_t)t * N, gn);
			free(pv);
		}
		double gae = 0, mu = 0, var = 0;
		for (int k = n - 1; k >= 0; k--) {
			double vn = k + 1 < n ? s->val[k + 1] : next;
			double delta = s->rew[k] + tr->gamma * vn - s->val[k];

			gae = delta + tr->gamma * lam * gae;
			s->adv[k] = gae;
			s->ret[k] = gae + s->val[k];
		}
		for (int k = 0; k < n; k++)
			mu += s->adv[k];
		mu /= n;
		for (int k = 0; k < n; k++)
			var += (s->adv[k] - mu) * (s->adv[k] - mu);
		var = n > 1 ? var / (n - 1) : 0;
		if (n > 1)
			for (int k = 0; k < n; k++)
				s->adv[k] = (s->adv[k] - mu) / (sqrt(var) + 1e-8);
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
	free(ro.r);
	tm_book_release(&bk);
	return tr->t1 > tr->t0 ? sum / (tr->t1 - tr->t0) : 0;
}
