/* common.c - day buffers, rollouts, evaluation and Adam for tm-train. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "train.h"

void
day_alloc(const struct train *tr, struct day *d)
{
	int N = tr->env.N;

	tm_decide_alloc(&d->dec, tr->pol, N);
	/* Rollouts learn the raw head; evaluate() decides as the model
	 * will, with its adjust. */
	d->dec.adjust = 1;
	d->dec.cap = 1;
	d->X = d->dec.X;
	d->cache = d->dec.cache;
	d->s = d->dec.s;
	d->w = emalloc(N * sizeof(double));
	d->prev = emalloc(N * sizeof(double));
	d->gw = emalloc((N + 1) * sizeof(double));
}

void
day_free(struct day *d)
{
	tm_decide_free(&d->dec);
	free(d->w);
	free(d->prev);
	free(d->gw);
}

void
day_scores(const struct train *tr, struct day *d, int t, double *prev)
{
	const struct tm_env *e = &tr->env;
	int N = e->N;
	const int32_t *src = e->src + (size_t)t * N;

	d->t = t;
	/* The previous targets follow their tickers (carry.c). */
	if (e->moves[t]) {
		double *tmp = emalloc(N * sizeof(double));

		tm_slot_carry(N, src, prev, tmp);
		free(tmp);
	} else
		for (int i = 0; i < N; i++)
			if (src[i] < 0)
				prev[i] = 0;
	memcpy(d->prev, prev, N * sizeof(double));
	tm_decide_scores(&d->dec, e->x + (size_t)t * N * e->nf,
	    e->kind + (size_t)t * N, prev);
}

void
day_head(const struct train *tr, struct day *d)
{
	tm_decide_head(&d->dec, tr->env.kind + (size_t)d->t * tr->env.N,
	    d->prev, d->w, &d->wc, NULL);
}

double
roll_push(const struct train *tr, struct roll *ro, double r,
    const struct tm_book *b)
{
	ro->r[ro->n++] = r;
	return tm_reward_day(&tr->rw, ro->r, ro->n, 1 - b->value / b->peak);
}

double
evaluate(const struct train *tr, int a, int b, double *sharpe, double *ret)
{
	struct day d;
	struct tm_run ru;
	struct tm_metrics mt;
	double *prev = ecalloc(tr->env.N, sizeof(double)), J;

	if (b <= a) {
		free(prev);
		if (sharpe)
			*sharpe = 0;
		if (ret)
			*ret = 0;
		return 0;
	}
	day_alloc(tr, &d);
	d.dec.adjust = tr->pol->adjust;
	d.dec.cap = tr->pol->cap;
	tm_run_init(&ru, tr->env.N, b - a);
	for (int t = a; t < b; t++) {
		day_scores(tr, &d, t, prev);
		day_head(tr, &d);
		tm_run_step(&ru, &tr->env, t, d.w, d.wc, tr->cost);
		memcpy(prev, d.w, tr->env.N * sizeof(double));
	}
	/* The metrics tm-backtest reports, from the same function. */
	tm_metrics_compute(ru.r, ru.value, NULL, ru.turn, ru.n, &mt);
	if (sharpe)
		*sharpe = mt.sharpe;
	if (ret)
		*ret = mt.total_return;
	/*
	 * The validation reward is the hybrid objective over the whole
	 * held-out period (its mean return, its Sharpe, its drawdown), not
	 * the mean of the daily rewards: those carry a 20-day rolling Sharpe
	 * that is huge and noisy over a validation run's first days, and it
	 * chose epochs by luck (seen on the real-data walk-forward).
	 */
	J = tm_reward_window(&tr->rw, ru.r, ru.n, NULL);
	tm_run_release(&ru);
	free(prev);
	day_free(&d);
	return J;
}

void
adam_init(struct adam *a, size_t n)
{
	a->m = ecalloc(n, sizeof(double));
	a->v = ecalloc(n, sizeof(double));
	a->n = n;
	a->t = 0;
}

void
adam_free(struct adam *a)
{
	free(a->m);
	free(a->v);
}

void
adam_step(struct adam *a, double *p, double *g, double lr, double clip)
{
	double nrm = 0, b1 = 0.9, b2 = 0.999, sc = 1;

	for (size_t i = 0; i < a->n; i++)
		nrm += g[i] * g[i];
	nrm = sqrt(nrm);
	if (clip > 0 && nrm > clip)
		sc = clip / nrm;
	if (!isfinite(nrm))
		return;		/* a poisoned step is skipped, not applied */
	a->t++;
	double c1 = 1 - pow(b1, (double)a->t), c2 = 1 - pow(b2, (double)a->t);
	for (size_t i = 0; i < a->n; i++) {
		double gi = g[i] * sc;

		a->m[i] = b1 * a->m[i] + (1 - b1) * gi;
		a->v[i] = b2 * a->v[i] + (1 - b2) * gi * gi;
		p[i] -= lr * (a->m[i] / c1) / (sqrt(a->v[i] / c2) + 1e-8);
	}
}

double
peek_step(const struct train *tr, int t, const double *w, double wc,
    const struct tm_book *b, struct tm_book *sc, const struct roll *ro,
    double *hist)
{
	memcpy(sc->w, b->w, b->N * sizeof(double));
	sc->cash = b->cash;
	sc->value = b->value;
	sc->peak = b->peak;
	double r = tm_env_step(&tr->env, t, w, wc, tr->cost, sc, NULL, NULL);
	/* The day's reward as if r had been earned: the history so far,
	 * then r, in the caller's scratch copy. */
	memcpy(hist, ro->r, ro->n * sizeof(double));
	hist[ro->n] = r;
	return tm_reward_day(&tr->rw, hist, ro->n + 1, 1 - sc->value /
	    sc->peak);
}

void
hyper_set(struct train *tr, const char *key, double v)
{
	json_t *h = json_loads(tr->m->hyper, 0, NULL);

	if (!h)
		tm_die(EX_SOFTWARE, "hyper: '%s': not JSON", tr->m->hyper);
	json_object_set_new(h, key, json_real(v));
	free(tr->m->hyper);
	tr->m->hyper = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(h);
}

void
logstd_step(struct adam *a, double *logstd, double g, const struct train *tr)
{
	adam_step(a, logstd, &g, tr->lr, tr->clip);
	if (*logstd < LOGSTD_MIN)
		*logstd = LOGSTD_MIN;
	if (*logstd > LOGSTD_MAX)
		*logstd = LOGSTD_MAX;
}
