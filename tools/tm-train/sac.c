/* sac.c - soft actor-critic.  The actor is the Gaussian over the shared
 * scorer's logits (reparameterised); two critics decompose over slots:
 * Q = mean over held slots of q(features, previous weight, new weight)
 * plus a linear term in drawdown, rolling Sharpe, cash and 1.  Target
 * critics follow by Polyak averaging (0.005); replay of 4096 days,
 * minibatches of 16, one update per day after 64 days, entropy weight
 * 0.01 on the per-dimension log-density. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "train.h"

#define NG 4
#define CAP 4096
#define MB 16
#define WARM 64
#define ALPHA 0.01
#define POLYAK 0.005

struct tr_ {
	int t;
	double r, g[NG], gn[NG];
};

struct sac {
	int N, din;
	double logstd;
	struct tm_mlp q;		/* per slot: din + 1 inputs */
	size_t nq;			/* q.n + NG */
	double *qp[2], *qt[2], *gq[2], *ga;
	struct adam qopt[2], aopt, sopt;
	struct tr_ *buf;
	double *prev, *act;		/* CAP * N, CAP * (N+1) */
	int n, head;
	struct day d;
	double *Xq, *qc, *qw, *dXq, *v, *a, *w, *gw, *gs, *eps, *pw, *pv;
	double *pvn, *scratch;	/* scratch: critic grads thrown away */
};

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

/* Q of critic p at day t: X (from day_scores) with the new weights w. */
static double
qval(struct sac *s, const struct train *tr, const double *p, int t,
    const double *X, const double *w, double wc, const double *g)
{
	const uint8_t *kind = tr->env.kind + (size_t)t * s->N;
	int N = s->N, din = s->din, nact = 0, nk = 0;
	double v = 0;
	double gg[NG];

	for (int i = 0; i < N; i++)
		nact += kind[i] == TM_SLOT_ACTIVE;
	for (int i = 0; i < N; i++) {
		memcpy(s->Xq + (size_t)i * (din + 1), X + (size_t)i * din,
		    din * sizeof(double));
		s->Xq[(size_t)i * (din + 1) + din] = w[i] * (nact ? nact : 1);
	}
	tm_mlp_forward(&s->q, p, s->Xq, N, s->qc, s->v);
	for (int i = 0; i < N; i++)
		if (kind[i] != TM_SLOT_NONE) {
			v += s->v[i];
			nk++;
		}
	v = nk ? v / nk : 0;
	memcpy(gg, g, sizeof(gg));
	gg[2] = wc;	/* the cash after the trade, not before */
	for (int j = 0; j < NG; j++)
		v += p[s->q.n + j] * gg[j];
	return v;
}

/* After qval with p: add dv * dQ/dparams into gp; dQ/dw into gw (N)
 * when not NULL (and dQ/dwc into gw[N]). */
static void
qback(struct sac *s, const struct train *tr, const double *p, int t,
    double wc, const double *g, double dv, double *gp, double *gw)
{
	const uint8_t *kind = tr->env.kind + (size_t)t * s->N;
	int N = s->N, din = s->din, nact = 0, nk = 0;
	double gg[NG];

	for (int i = 0; i < N; i++) {
		nact += kind[i] == TM_SLOT_ACTIVE;
		nk += kind[i] != TM_SLOT_NONE;
	}
	for (int i = 0; i < N; i++)
		s->qw[i] = kind[i] != TM_SLOT_NONE && nk ? dv / nk : 0;
	tm_mlp_backward(&s->q, p, s->Xq, N, s->qc, s->qw, gp, gw ? s->dXq :
	    NULL, s->pw);
	memcpy(gg, g, sizeof(gg));
	gg[2] = wc;
	for (int j = 0; j < NG; j++)
		gp[s->q.n + j] += dv * gg[j];
	if (gw) {
		for (int i = 0; i < N; i++)
			gw[i] = s->dXq[(size_t)i * (din + 1) + din] *
			    (nact ? nact : 1);
		gw[N] = p[s->q.n + 2] * dv;
	}
}

/* Sample logits around the scores in s->d; weights into s->w; returns
 * the per-dimension log-density; eps kept for the reparameterisation. */
static double
sample(struct sac *s, struct train *tr, int t)
{
	const uint8_t *kind = tr->env.kind + (size_t)t * s->N;
	double sd = exp(s->logstd), lp = 0, c = tr->pol->p[tr->pol->icash];
	int K = 0;

	for (int i = 0; i <= s->N; i++) {
		int on = i == s->N || kind[i] != TM_SLOT_NONE;

		s->eps[i] = on ? tm_rng_normal(&tr->rng) : 0;
		s->a[i] = (i < s->N ? s->d.s[i] : c) + sd * s->eps[i];
		if (on) {
			lp += -0.5 * s->eps[i] * s->eps[i] - s->logstd;
			K++;
		}
	}
	tm_policy_head(s->a, s->a[s->N], tr->pol->p[tr->pol->itau], kind,
	    s->d.prev, s->N, s->w, &s->w[s->N]);
	return lp / K;
}

static void *
sac_init(struct train *tr)
{
	struct sac *s = ecalloc(1, sizeof(*s));
	int N = tr->env.N, din = tm_policy_din(tr->pol);
	size_t rows = (size_t)N * (tr->pol->net.h1 + tr->pol->net.h2);

	s->N = N;
	s->din = din;
	s->logstd = log(0.05);
	tm_mlp_init(&s->q, din + 1, tr->pol->net.h1, tr->pol->net.h2, 1, 0);
	s->nq = s->q.n + NG;
	for (int k = 0; k < 2; k++) {
		s->qp[k] = ecalloc(s->nq, sizeof(double));
		s->qt[k] = ecalloc(s->nq, sizeof(double));
		s->gq[k] = ecalloc(s->nq, sizeof(double));
		tm_mlp_randinit(&s->q, s->qp[k], &tr->rng);
		memcpy(s->qt[k], s->qp[k], s->nq * sizeof(double));
		adam_init(&s->qopt[k], s->nq);
	}
	adam_init(&s->aopt, tr->pol->nparam);
	adam_init(&s->sopt, 1);
	s->ga = ecalloc(tr->pol->nparam, sizeof(double));
	s->buf = ecalloc(CAP, sizeof(*s->buf));
	s->prev = emalloc((size_t)CAP * N * sizeof(double));
	s->act = emalloc((size_t)CAP * (N + 1) * sizeof(double));
	day_alloc(tr, &s->d);
	s->Xq = emalloc((size_t)N * (din + 1) * sizeof(double));
	s->dXq = emalloc((size_t)N * (din + 1) * sizeof(double));
	s->qc = emalloc(rows * sizeof(double));
	s->pw = emalloc((rows > tm_policy_cachelen(tr->pol, N) ? rows :
	    tm_policy_cachelen(tr->pol, N)) * sizeof(double));
	s->qw = emalloc(N * sizeof(double));
	s->v = emalloc(N * sizeof(double));
	s->a = emalloc((N + 1) * sizeof(double));
	s->w = emalloc((N + 1) * sizeof(double));
	s->gw = emalloc((N + 1) * sizeof(double));
	s->gs = emalloc((N + 1) * sizeof(double));
	s->eps = emalloc((N + 1) * sizeof(double));
	s->pv = emalloc(N * sizeof(double));
	s->pvn = emalloc(N * sizeof(double));
	s->scratch = emalloc(s->nq * sizeof(double));
	return s;
}

static void
sac_free(void *v)
{
	struct sac *s = v;

	for (int k = 0; k < 2; k++) {
		free(s->qp[k]), free(s->qt[k]), free(s->gq[k]);
		adam_free(&s->qopt[k]);
	}
	adam_free(&s->aopt), adam_free(&s->sopt);
	free(s->ga), free(s->buf), free(s->prev), free(s->act);
	day_free(&s->d);
	free(s->Xq), free(s->dXq), free(s->qc), free(s->pw), free(s->qw);
	free(s->v), free(s->a), free(s->w), free(s->gw), free(s->gs);
	free(s->eps), free(s->pv), free(s->pvn), free(s->scratch);
	free(s);
}

static void
update(struct sac *s, struct train *tr)
{
	struct tm_policy *pol = tr->pol;
	int N = s->N;
	double gls = 0;

	memset(s->gq[0], 0, s->nq * sizeof(double));
	memset(s->gq[1], 0, s->nq * sizeof(double));
	memset(s->ga, 0, pol->nparam * sizeof(double));
	for (int b = 0; b < MB; b++) {
		int j = (int)(tm_rng_next(&tr->rng) % (uint64_t)s->n);
		struct tr_ *x = &s->buf[j];
		const double *act = s->act + (size_t)j * (N + 1);
		double y = x->r;

		/* The target: the next day from the weights chosen. */
		if (x->t + 1 < tr->t1) {
			memcpy(s->pvn, act, N * sizeof(double));
			day_scores(tr, &s->d, x->t + 1, s->pvn);
			double lp = sample(s, tr, x->t + 1);
			double q0 = qval(s, tr, s->qt[0], x->t + 1, s->d.X,
			    s->w, s->w[N], x->gn);
			double q1 = qval(s, tr, s->qt[1], x->t + 1, s->d.X,
			    s->w, s->w[N], x->gn);
			y += tr->gamma * ((q0 < q1 ? q0 : q1) - ALPHA * lp);
		}
		/* The critics on the stored transition. */
		memcpy(s->pv, s->prev + (size_t)j * N, N * sizeof(double));
		day_scores(tr, &s->d, x->t, s->pv);
		for (int k = 0; k < 2; k++) {
			double q = qval(s, tr, s->qp[k], x->t, s->d.X, act,
			    act[N], x->g);

			qback(s, tr, s->qp[k], x->t, act[N], x->g,
			    (q - y) / MB, s->gq[k], NULL);
		}
		/* The actor: minimise alpha log pi - Q through the head. */
		double lp = sample(s, tr, x->t);
		qval(s, tr, s->qp[0], x->t, s->d.X, s->w, s->w[N], x->g);
		qback(s, tr, s->qp[0], x->t, s->w[N], x->g, -1.0 / MB,
		    s->scratch, s->gw);
		(void)lp;	/* its gradient in log std is -ALPHA, below */
		double gc, gt;
		tm_policy_head_back(s->a, s->a[N], pol->p[pol->itau],
		    tr->env.kind + (size_t)x->t * N, s->d.prev, N, s->w,
		    s->w[N], s->gw, s->gw[N], s->gs, &gc, &gt);
		double sd = exp(s->logstd);
		for (int i = 0; i < N; i++)
			gls += s->gs[i] * s->eps[i] * sd;
		gls += gc * s->eps[N] * sd - ALPHA / MB;
		tm_policy_scores_back(pol, s->d.X, N, s->d.cache, s->gs,
		    s->ga, s->pw);
		s->ga[pol->icash] += gc;
	}
	for (int k = 0; k < 2; k++) {
		adam_step(&s->qopt[k], s->qp[k], s->gq[k], tr->lr, tr->clip);
		for (size_t i = 0; i < s->nq; i++)
			s->qt[k][i] += POLYAK * (s->qp[k][i] - s->qt[k][i]);
	}
	adam_step(&s->aopt, pol->p, s->ga, tr->lr, tr->clip);
	adam_step(&s->sopt, &s->logstd, &gls, tr->lr, tr->clip);
	if (s->logstd < -5)
		s->logstd = -5;
	if (s->logstd > 0)
		s->logstd = 0;
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
		struct tr_ *x = &s->buf[s->head];

		day_scores(tr, &s->d, t, prev);
		globals(tr, &bk, &ro, x->g);
		sample(s, tr, t);
		x->t = t;
		memcpy(s->prev + (size_t)s->head * N, s->d.prev,
		    N * sizeof(double));
		memcpy(s->act + (size_t)s->head * (N + 1), s->w,
		    (N + 1) * sizeof(double));
		double r = tm_env_step(e, t, s->w, s->w[N], tr->cost, &bk,
		    NULL, NULL);
		x->r = roll_push(tr, &ro, r, &bk);
		sum += x->r;
		globals(tr, &bk, &ro, x->gn);
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

const struct algo algo_sac = { "sac", sac_init, sac_epoch, sac_free };
