/* sac.c - soft actor-critic with a critic that decomposes over slots.
 * The day's portfolio return is a sum over slots of weight times the
 * slot's return, so the critic is exact in form for it:
 *	Q(s, w) = sum_i w_i u(x_i) - cost sum_i |w_i - prev_i|
 * where u, one network shared by every slot, predicts a slot's return
 * over the period its weight is held from the slot's row (features and
 * previous weight), and the cost is the environment's own.  Two such
 * critics are fitted by least squares to the realised slot returns of
 * days drawn from a replay of 4096 days; the actor, the Gaussian over
 * the scorer's logits, climbs the smaller of the two Q through the head
 * by the reparameterised gradient, plus an entropy bonus on the logit
 * noise.  The horizon is one day (gamma 0): there is no bootstrapped
 * target, so no target networks.  Minibatches of 8 days, one update per
 * training day once 64 are stored. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "train.h"

#define CAP 4096
#define MB 8
#define WARM 64
#define ALPHA 1e-4	/* entropy weight per logit, in daily-return units */
#define USCALE 100.0	/* u is fitted in percent: better conditioned */

struct sac {
	int N, din;
	double logstd;
	struct tm_mlp q;		/* u: din -> 1 per slot */
	double *qp[2], *gq[2], *ga;
	struct adam qopt[2], aopt, sopt;
	int *bt;			/* replay: day of each entry */
	double *bprev;			/* replay: CAP * N previous weights */
	int n, head;
	struct day d;
	double *u[2], *qc, *qw, *pw, *a, *w, *gw, *gs, *eps, *pv;
};

static void *
sac_init(struct train *tr)
{
	struct sac *s = ecalloc(1, sizeof(*s));
	int N = tr->env.N, din = tm_policy_din(tr->pol);
	size_t rows = (size_t)N * (tr->pol->net.h1 + tr->pol->net.h2);
	size_t pl = tm_policy_cachelen(tr->pol, N);

	s->N = N;
	s->din = din;
	s->logstd = log(0.05);
	tr->gamma = 0;
	hyper_set(tr, "gamma", 0);
	hyper_set(tr, "entropy", ALPHA);
	tm_mlp_init(&s->q, din, tr->pol->net.h1, tr->pol->net.h2, 1, 0);
	for (int k = 0; k < 2; k++) {
		s->qp[k] = ecalloc(s->q.n, sizeof(double));
		s->gq[k] = ecalloc(s->q.n, sizeof(double));
		s->u[k] = emalloc(N * sizeof(double));
		tm_mlp_randinit(&s->q, s->qp[k], &tr->rng);
		adam_init(&s->qopt[k], s->q.n);
	}
	adam_init(&s->aopt, tr->pol->nparam);
	adam_init(&s->sopt, 1);
	s->ga = ecalloc(tr->pol->nparam, sizeof(double));
	s->bt = ecalloc(CAP, sizeof(int));
	s->bprev = emalloc((size_t)CAP * N * sizeof(double));
	day_alloc(tr, &s->d);
	s->qc = emalloc(rows * sizeof(double));
	s->pw = emalloc((rows > pl ? rows : pl) * sizeof(double));
	s->qw = emalloc(N * sizeof(double));
	s->a = emalloc((N + 1) * sizeof(double));
	s->w = emalloc((N + 1) * sizeof(double));
	s->gw = emalloc((N + 1) * sizeof(double));
	s->gs = emalloc((N + 1) * sizeof(double));
	s->eps = emalloc((N + 1) * sizeof(double));
	s->pv = emalloc(N * sizeof(double));
	return s;
}

static void
sac_free(void *v)
{
	struct sac *s = v;

	for (int k = 0; k < 2; k++) {
		free(s->qp[k]), free(s->gq[k]), free(s->u[k]);
		adam_free(&s->qopt[k]);
	}
	adam_free(&s->aopt), adam_free(&s->sopt);
	free(s->ga), free(s->bt), free(s->bprev);
	day_free(&s->d);
	free(s->qc), free(s->pw), free(s->qw), free(s->a), free(s->w);
	free(s->gw), free(s->gs), free(s->eps), free(s->pv);
	free(s);
}

/* Draw logits around the scores in s->d; the weights into s->w (cash
 * at N); eps kept for the reparameterisation. */
static void
sample(struct sac *s, struct train *tr, int t)
{
	const uint8_t *kind = tr->env.kind + (size_t)t * s->N;
	double sd = exp(s->logstd), c = tr->pol->p[tr->pol->icash];

	for (int i = 0; i <= s->N; i++) {
		int on = i == s->N || kind[i] != TM_SLOT_NONE;

		s->eps[i] = on ? tm_rng_normal(&tr->rng) : 0;
		s->a[i] = (i < s->N ? s->d.s[i] : c) + sd * s->eps[i];
	}
	tm_policy_head(s->a, s->a[s->N], tr->pol->p[tr->pol->itau], kind,
	    s->d.prev, s->N, s->w, &s->w[s->N]);
}

/* The slot's realised return over the period a decision on t holds it,
 * or NaN when the period does not earn it whole (not active on t, not
 * tradable at t+1, swapped by t+2, no return). */
static double
slot_ret(const struct tm_env *e, int t, int i)
{
	size_t o0 = (size_t)t * e->N + i, o1 = o0 + e->N, o2 = o1 + e->N;

	if (e->kind[o0] != TM_SLOT_ACTIVE || e->kind[o1] == TM_SLOT_NONE ||
	    e->changed[o1] || e->changed[o2] || !isfinite(e->ret[o2]))
		return NAN;
	return e->ret[o2];
}

/* Q of the weights w under critic u (N values) from previous weights
 * prev, and dQ/dw into gw (cash last, 0) when not NULL. */
static double
qval(const struct train *tr, const double *u, const double *w,
    const double *prev, int N, const uint8_t *kind, double *gw)
{
	double q = 0;

	for (int i = 0; i < N; i++) {
		double d = w[i] - prev[i], g = 0;

		if (kind[i] == TM_SLOT_ACTIVE)
			g = u[i] / USCALE;
		q += w[i] * g - tr->cost * fabs(d);
		if (gw)
			gw[i] = g - tr->cost * (d > 0 ? 1 : d < 0 ? -1 : 0);
	}
	if (gw)
		gw[N] = 0;
	return q;
}

static void
update(struct sac *s, struct train *tr)
{
	struct tm_policy *pol = tr->pol;
	const struct tm_env *e = &tr->env;
	int N = s->N;
	double gls = 0, sd = exp(s->logstd);

	memset(s->gq[0], 0, s->q.n * sizeof(double));
	memset(s->gq[1], 0, s->q.n * sizeof(double));
	memset(s->ga, 0, pol->nparam * sizeof(double));
	for (int b = 0; b < MB; b++) {
		int j = (int)(tm_rng_next(&tr->rng) % (uint64_t)s->n);
		int t = s->bt[j];
		const uint8_t *kind = e->kind + (size_t)t * N;

		memcpy(s->pv, s->bprev + (size_t)j * N, N * sizeof(double));
		day_scores(tr, &s->d, t, s->pv);
		/* The critics: least squares on the slots' returns. */
		for (int k = 0; k < 2; k++) {
			int m = 0;

			tm_mlp_forward(&s->q, s->qp[k], s->d.X, N, s->qc,
			    s->u[k]);
			for (int i = 0; i < N; i++) {
				double r = slot_ret(e, t, i);

				s->qw[i] = isnan(r) ? 0 : s->u[k][i] -
				    USCALE * r;
				m += !isnan(r);
			}
			if (!m)
				continue;
			for (int i = 0; i < N; i++)
				s->qw[i] /= (double)m * MB;
			tm_mlp_backward(&s->q, s->qp[k], s->d.X, N, s->qc,
			    s->qw, s->gq[k], NULL, s->pw);
		}
		/* The actor: minimise -min(Q1, Q2) - alpha H through the
		 * head, from a fresh draw. */
		sample(s, tr, t);
		double q0 = qval(tr, s->u[0], s->w, s->d.prev, N, kind, NULL);
		double q1 = qval(tr, s->u[1], s->w, s->d.prev, N, kind, NULL);
		qval(tr, s->u[q0 <= q1 ? 0 : 1], s->w, s->d.prev, N, kind,
		    s->gw);
		for (int i = 0; i <= N; i++)
			s->gw[i] *= -1.0 / MB;
		double gc, gt;
		tm_policy_head_back(s->a, s->a[N], pol->p[pol->itau], kind,
		    s->d.prev, N, s->w, s->w[N], s->gw, s->gw[N], s->gs, &gc,
		    &gt);
		for (int i = 0; i < N; i++)
			gls += s->gs[i] * s->eps[i] * sd;
		gls += gc * s->eps[N] * sd;
		tm_policy_scores_back(pol, s->d.X, N, kind, s->d.cache, s->gs,
		    s->ga, s->pw);
		s->ga[pol->icash] += gc;
		if (pol->learn_tau)
			s->ga[pol->itau] += gt;
	}
	gls -= ALPHA;
	for (int k = 0; k < 2; k++)
		adam_step(&s->qopt[k], s->qp[k], s->gq[k], tr->lr, tr->clip);
	adam_step(&s->aopt, pol->p, s->ga, tr->lr, tr->clip);
	logstd_step(&s->sopt, &s->logstd, gls, tr);
}

static double
sac_epoch(struct train *tr, void *v)
{
	struct sac *s = v;
	const struct tm_env *e = &tr->env;
	int N = e->N;
	struct tm_book bk;
	struct roll ro;
	double sum = 0;
	double *prev = ecalloc(N, sizeof(double));

	tm_book_init(&bk, N);
	ro.r = emalloc((tr->t1 - tr->t0) * sizeof(double));
	ro.n = 0;
	for (int t = tr->t0; t < tr->t1; t++) {
		day_scores(tr, &s->d, t, prev);
		sample(s, tr, t);
		s->bt[s->head] = t;
		memcpy(s->bprev + (size_t)s->head * N, s->d.prev,
		    N * sizeof(double));
		double r = tm_env_step(e, t, s->w, s->w[N], tr->cost, &bk,
		    NULL, NULL);
		sum += roll_push(tr, &ro, r, &bk);
		memcpy(prev, s->w, N * sizeof(double));
		s->head = (s->head + 1) % CAP;
		if (s->n < CAP)
			s->n++;
		if (s->n >= WARM)
			update(s, tr);
	}
	free(prev);
	free(ro.r);
	tm_book_release(&bk);
	return tr->t1 > tr->t0 ? sum / (tr->t1 - tr->t0) : 0;
}

const struct algo algo_sac = { "sac", sac_init, sac_epoch, sac_free, NULL,
    0 };
