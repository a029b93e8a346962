/* dpg.c - the direct policy gradient (EIIE style): the portfolio return
 * is differentiable in the weights, so the window reward is climbed by
 * its exact gradient; no critic, no noise.  The previous weights the
 * scorer reads are taken as given (Jiang et al.'s portfolio memory). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "train.h"

struct dpg {
	struct day *days;	/* batch of them */
	int n;
	struct adam opt;
	double *g, *gs, *r, *gr, *prev;
};

static void *
dpg_init(struct train *tr)
{
	struct dpg *s = ecalloc(1, sizeof(*s));
	int N = tr->env.N;

	s->n = tr->batch;
	s->days = ecalloc(tr->batch, sizeof(struct day));
	for (int i = 0; i < tr->batch; i++)
		day_alloc(tr, &s->days[i]);
	adam_init(&s->opt, tr->pol->nparam);
	s->g = emalloc(tr->pol->nparam * sizeof(double));
	s->gs = emalloc(N * sizeof(double));
	s->r = emalloc(tr->batch * sizeof(double));
	s->gr = emalloc(tr->batch * sizeof(double));
	s->prev = emalloc(N * sizeof(double));
	return s;
}

static void
dpg_free(void *v)
{
	struct dpg *s = v;

	for (int i = 0; i < s->n; i++)
		day_free(&s->days[i]);
	free(s->days);
	adam_free(&s->opt);
	free(s->g), free(s->gs), free(s->r), free(s->gr), free(s->prev);
	free(s);
}

static double
dpg_epoch(struct train *tr, void *v)
{
	struct dpg *s = v;
	struct tm_policy *pol = tr->pol;
	const struct tm_env *e = &tr->env;
	struct tm_book bk;
	struct roll ro;
	int N = e->N, L = tr->batch;
	double sum = 0, *work = emalloc(tm_policy_cachelen(pol, N) *
	    sizeof(double));

	tm_book_init(&bk, N);
	memset(s->prev, 0, N * sizeof(double));
	ro.r = emalloc((tr->t1 - tr->t0) * sizeof(double));
	ro.n = 0;
	for (int a = tr->t0; a < tr->t1; a += L) {
		int n = a + L <= tr->t1 ? L : tr->t1 - a;

		/* Roll forward through the window, keeping each day. */
		for (int k = 0; k < n; k++) {
			struct day *d = &s->days[k];

			day_scores(tr, d, a + k, s->prev);
			day_head(tr, d);
			s->r[k] = tm_env_step(e, a + k, d->w, d->wc, tr->cost,
			    &bk, NULL, d->gw);
			sum += roll_push(tr, &ro, s->r[k], &bk);
			memcpy(s->prev, d->w, N * sizeof(double));
		}
		if (n < 2)
			continue;
		tm_reward_window(&tr->rw, s->r, n, s->gr);
		memset(s->g, 0, pol->nparam * sizeof(double));
		for (int k = 0; k < n; k++) {
			struct day *d = &s->days[k];
			double gc, gt;

			/* Ascend: the loss is minus the reward. */
			for (int i = 0; i <= N; i++)
				d->gw[i] *= -s->gr[k];
			tm_policy_head_back(d->s, d->dec.cash,
			    pol->p[pol->itau], e->kind + (size_t)d->t * N,
			    d->prev, N, d->w, d->wc, d->gw, d->gw[N], s->gs,
			    &gc, &gt);
			tm_policy_scores_back(pol, d->X, N, e->kind +
			    (size_t)d->t * N, d->cache, s->gs, s->g, work);
			s->g[pol->icash] += gc;
			/* The cash logit's market weights: d cash / d u_j is
			 * the day's mean input j. */
			if (pol->market)
				for (int j = 0; j < pol->nfeat; j++)
					s->g[pol->imkt + j] += gc *
					    d->dec.mbar[j];
			if (pol->learn_tau)
				s->g[pol->itau] += gt;
		}
		adam_step(&s->opt, pol->p, s->g, tr->lr, tr->clip);
	}
	free(ro.r);
	free(work);
	tm_book_release(&bk);
	return tr->t1 > tr->t0 ? sum / (tr->t1 - tr->t0) : 0;
}

const struct algo algo_dpg = { "dpg", dpg_init, dpg_epoch, dpg_free, NULL,
    0 };
