/* invvol.c - weights proportional to 1/volatility of the last `lookback`
 * daily returns, over the tradable tickers with that much history. */
#include <math.h>
#include <stdlib.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "lookback", P_INT, "20", 2, 10000,
	    "daily returns in the volatility estimate" },
};

struct st {
	int lookback;
	double *r;
};

static void *
init(const struct svals *v)
{
	struct st *s = ecalloc(1, sizeof(*s));

	s->lookback = (int)v->num[0];
	s->r = emalloc(s->lookback * sizeof(double));
	return s;
}

/* Sample standard deviation (n - 1) of n values. */
static double
sdev(const double *x, int n)
{
	double m = 0, ss = 0;

	for (int k = 0; k < n; k++)
		m += x[k];
	m /= n;
	for (int k = 0; k < n; k++)
		ss += (x[k] - m) * (x[k] - m);
	return sqrt(ss / (n - 1));
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;
	double sum = 0;

	for (int i = 0; i < d->n; i++) {
		if (!d->ok[i] || hist_rets(d->h, d->id[i], d->t, s->lookback,
		    s->r))
			continue;
		double sd = sdev(s->r, s->lookback);
		/* A constant price has no risk to scale by: left out. */
		if (sd > 0) {
			w[i] = 1 / sd;
			sum += w[i];
			conf[i] = 1;
		}
	}
	for (int i = 0; i < d->n && sum > 0; i++)
		w[i] /= sum;
}

static void
fin(void *p)
{
	struct st *s = p;

	free(s->r);
	free(s);
}

const struct strategy strat_invvol = {
	"invvol", "inverse-volatility weights", param, 1, init, day, fin
};
