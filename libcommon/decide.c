/* decide.c - one day's decision, the one path tm-train's evaluation and
 * rollouts, tm-infer and tm-backtest share: normalised inputs and the
 * previous weights in, scores, target weights, cash and confidence out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"

void
tm_decide_alloc(struct tm_decide *d, const struct tm_policy *pol, int N)
{
	d->pol = pol;
	d->N = N;
	d->adjust = pol->adjust;
	d->cap = pol->cap;
	d->X = emalloc((size_t)N * tm_policy_din(pol) * sizeof(double));
	d->cache = emalloc(tm_policy_cachelen(pol, N) * sizeof(double));
	d->s = emalloc(N * sizeof(double));
	d->mbar = ecalloc(pol->nfeat > 0 ? pol->nfeat : 1, sizeof(double));
	d->cash = pol->p ? pol->p[pol->icash] : 0;
}

void
tm_decide_free(struct tm_decide *d)
{
	free(d->X);
	free(d->cache);
	free(d->s);
	free(d->mbar);
	d->X = d->cache = d->s = d->mbar = NULL;
}

void
tm_decide_input(const struct tm_model *m, const struct tm_frame *f,
    const int *col, float *x)
{
	int nf = m->pol.nfeat;
	int64_t W = f->shape[1];
	const float *src = f->data;

	for (int64_t i = 0; i < f->shape[0]; i++)
		for (int j = 0; j < nf; j++)
			x[i * nf + j] = tm_norm1(src[i * W + col[j]],
			    m->mean[j], m->sd[j]);
}

/* Standardise columns 0 .. nf-1 of the n rows X (stride din) across the
 * active rows; see tm_decide_scores. */
static void
xsec(double *X, const uint8_t *kind, int n, int din, int nf)
{
	for (int j = 0; j < nf; j++) {
		double s = 0, q = 0, m, sd;
		int k = 0;

		for (int i = 0; i < n; i++)
			if (kind[i] == TM_SLOT_ACTIVE) {
				double v = X[(size_t)i * din + j];

				s += v;
				q += v * v;
				k++;
			}
		if (!k)
			continue;
		m = s / k;
		sd = q / k - m * m;
		sd = sd > 1e-12 ? sqrt(sd) : 0;
		for (int i = 0; i < n; i++) {
			double *v = X + (size_t)i * din + j, z;

			if (kind[i] == TM_SLOT_NONE)
				continue;
			z = sd > 0 ? (*v - m) / sd : 0;
			*v = z > 5 ? 5 : z < -5 ? -5 : z;
		}
	}
}

void
tm_decide_scores(struct tm_decide *d, const float *x, const uint8_t *kind,
    const double *prev)
{
	const struct tm_policy *pol = d->pol;
	int N = d->N, din = tm_policy_din(pol), nact = 0;

	for (int i = 0; i < N; i++)
		nact += kind[i] == TM_SLOT_ACTIVE;
	for (int i = 0; i < N; i++)
		tm_policy_row(pol, d->X + (size_t)i * din,
		    x + (size_t)i * pol->nfeat, prev[i], nact);
	d->cash = pol->p[pol->icash];
	if (pol->market) {
		/* The market as the day's mean input, before any xsec
		 * takes the means out. */
		for (int j = 0; j < pol->nfeat; j++) {
			double s = 0;

			for (int i = 0; i < N; i++)
				if (kind[i] == TM_SLOT_ACTIVE)
					s += d->X[(size_t)i * din + j];
			d->mbar[j] = nact ? s / nact : 0;
			d->cash += pol->p[pol->imkt + j] * d->mbar[j];
		}
	}
	if (pol->xsec)
		xsec(d->X, kind, N, din, pol->nfeat);
	tm_policy_scores(pol, d->X, N, kind, d->cache, d->s);
}

/* Water-filling: see tm_decide_head.  Each round caps at least one more
 * slot, so n rounds end it. */
static void
cap_weights(double *w, double *wcash, const uint8_t *kind, int n, double cap)
{
	for (int round = 0; round < n; round++) {
		double ex = 0, below = 0;

		for (int i = 0; i < n; i++)
			if (w[i] > cap) {
				ex += w[i] - cap;
				w[i] = cap;
			}
		if (ex <= 0)
			return;
		for (int i = 0; i < n; i++)
			if (kind[i] == TM_SLOT_ACTIVE && w[i] < cap)
				below += w[i];
		if (below <= 0) {
			*wcash += ex;
			return;
		}
		for (int i = 0; i < n; i++)
			if (kind[i] == TM_SLOT_ACTIVE && w[i] < cap)
				w[i] += ex * w[i] / below;
	}
}

void
tm_decide_head(const struct tm_decide *d, const uint8_t *kind,
    const double *prev, double *w, double *wcash, double *conf)
{
	const struct tm_policy *p = d->pol;
	double cash = d->cash, lt = p->p[p->itau];

	tm_policy_head(d->s, cash, lt, kind, prev, d->N, w, wcash);
	if (d->cap < 1)
		cap_weights(w, wcash, kind, d->N, d->cap);
	if (d->adjust < 1) {
		/* Partial adjustment: cash takes what the slots leave, so the
		 * targets still sum to one whatever prev held. */
		double a = d->adjust, sum = 0;

		for (int i = 0; i < d->N; i++) {
			w[i] = prev[i] + a * (w[i] - prev[i]);
			sum += w[i];
		}
		*wcash = 1 - sum;
	}
	if (conf)
		tm_policy_confidence(d->s, cash, lt, kind, d->N, conf);
}

void
tm_decide_day(struct tm_decide *d, const float *x, const uint8_t *kind,
    const double *prev, double *w, double *wcash, double *conf)
{
	tm_decide_scores(d, x, kind, prev);
	tm_decide_head(d, kind, prev, w, wcash, conf);
}
