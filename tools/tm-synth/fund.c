/* fund.c - quarterly fundamentals: sales follow the stock's own
 * idiosyncratic returns loosely, margins and leverage mean-revert, book
 * value retains earnings less dividends. */
#include <math.h>

#include "synth.h"

void
fund_init(struct stock *s)
{
	struct rng *r = &s->r;
	double ps = 2 * exp(0.6 * rng_norm(r));	/* price to sales */
	double pb = 2.5 * exp(0.5 * rng_norm(r));	/* price to book */

	s->mbar = 0.08 + 0.05 * rng_norm(r);
	s->margin = s->mbar;
	s->debar = exp(0.7 * rng_norm(r));
	s->de = s->debar;
	s->lag = 30 + (int)(rng_unif(r) * 13);
	for (int q = 0; q < 4; q++) {
		s->qsps[q] = s->close / ps / 4;
		s->qeps[q] = s->qsps[q] * s->margin;
		s->qdiv[q] = s->payer ? s->yld * s->close / 4 : 0;
	}
	s->bvps = s->close / pb;
	s->fil.day = -1;
}

/* Index of the first trading day on or after day, or ndays. */
static int
day_index(const struct market *m, int32_t day)
{
	int lo = 0, hi = m->ndays;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (m->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
fund_quarter(struct market *m, struct stock *s, int32_t period)
{
	struct rng *r = &s->r;
	double g = 0.012 + 0.5 * s->cumidio + 0.04 * rng_norm(r);
	double nm = rng_norm(r), nd = rng_norm(r), u = rng_unif(r);
	int prev = s->qi;
	double eps = 0, sps = 0, dps = 0;

	s->qi = (s->qi + 1) % 4;
	s->qsps[s->qi] = s->qsps[prev] * exp(g);
	s->margin = s->mbar + 0.7 * (s->margin - s->mbar) + 0.015 * nm;
	s->qeps[s->qi] = s->qsps[s->qi] * s->margin;
	s->qdiv[s->qi] = s->divq;
	s->bvps += s->qeps[s->qi] - s->divq;
	/* Keep book value positive so roe stays a number. */
	if (s->bvps < 0.05 * s->qsps[s->qi])
		s->bvps = 0.05 * s->qsps[s->qi];
	s->de = exp(log(s->debar) + 0.8 * (log(s->de) - log(s->debar)) +
	    0.1 * nd);
	s->cumidio = 0;
	s->divq = 0;
	for (int q = 0; q < 4; q++) {
		eps += s->qeps[q];
		sps += s->qsps[q];
		dps += s->qdiv[q];
	}
	s->fil.period = period;
	s->fil.day = day_index(m, period + s->lag + (int)(u * 4));
	if (s->fil.day >= m->ndays)
		s->fil.day = -1;
	s->fil.v[0] = eps;
	s->fil.v[1] = s->bvps;
	s->fil.v[2] = sps;
	s->fil.v[3] = dps;
	s->fil.v[4] = eps / s->bvps;
	s->fil.v[5] = s->de;
	s->fil.v[6] = eps / sps;
	s->fil.v[7] = s->shares;
}
