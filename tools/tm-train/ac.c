/* ac.c - what PPO and A2C share: a Gaussian over the shared scorer's
 * logits and the cash logit with one learned spread, and a paired
 * baseline in place of a learned critic.  Each training day the
 * deterministic action (the mean) and K draws around it are all scored
 * on that same day's market from the same book: the advantage of a draw
 * is its one-day hybrid reward minus the mean action's.  The market's
 * common move, which no critic can predict, cancels; what is left is
 * what the deviation chose.  The horizon is one day (gamma 0): an
 * action's effect on the reward is the period it holds, and longer
 * returns only add variance.  The run itself follows the mean action,
 * as tm-infer will. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "train.h"
#include "ac.h"

#define PPO_CLIP 0.2

void *
ac_init(struct train *tr, int ppo, int nsteps, int kepochs, int mb, int K)
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
	tr->gamma = 0;
	hyper_set(tr, "gamma", 0);
	hyper_set(tr, "draws", K);
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
	free(s->prev), free(s->w), free(s->z), free(s->hist);
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

	for (n = 0; n < s->nsteps && t < tr->t1; n++, t++) {
		const uint8_t *kind = e->kind + (size_t)t * N;
		double wc;

		day_scores(tr, &s->d, t, s->prev);
		day_head(tr, &s->d);
		memcpy(s->X + (size_t)n * N * din, s->d.X,
		    (size_t)N * din * sizeof(double));
		s->t[n] = t;
		double r0 = peek_step(tr, t, s->d.w, s->d.wc, bk, &s->scratch,
		    ro, s->hist);
		for (int j = 0; j < K; j++) {
			size_t o = (size_t)n * K + j;
			double *a = s->a + o * (N + 1);

			for (int i = 0; i < N; i++)
				a[i] = s->d.s[i] + (kind[i] == TM_SLOT_NONE ?
				    0 : sd * tm_rng_normal(&tr->rng));
			a[N] = c + sd * tm_rng_normal(&tr->rng);
			s->logp[o] = logp(s, s->d.s, c, a, kind, 0, NULL,
			    NULL, NULL);
			tm_policy_head(a, a[N], pol->p[pol->itau], kind,
			    s->d.prev, N, s->w, &wc);
			s->adv[o] = peek_step(tr, t, s->w, wc, bk, &s->scratch,
			    ro, s->hist) - r0;
		}
		double r = tm_env_step(e, t, s->d.w, s->d.wc, tr->cost, bk,
		    NULL, NULL);
		*sum += roll_push(tr, ro, r, bk);
		memcpy(s->prev, s->d.w, N * sizeof(double));
	}
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
	free(ro.r);
	tm_book_release(&bk);
	return tr->t1 > tr->t0 ? sum / (tr->t1 - tr->t0) : 0;
}
