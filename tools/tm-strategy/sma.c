/* sma.c - moving-average crossover: long when the fast SMA crosses above
 * the slow one, short when it crosses below, each signal reversing the
 * other; flat until the first crossover. */
#include <math.h>
#include <stdlib.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "fast_period", P_INT, "10", 1, 10000, "days of the fast SMA" },
	{ "slow_period", P_INT, "30", 2, 10000, "days of the slow SMA" },
	{ "size", P_REAL, "1", 0, 10,
	    "gross weight, shared equally by the tradable tickers" },
};

struct st {
	int fast, slow, cap;
	double size;
	signed char *pos;	/* by ticker id: -1, 0, 1 */
};

/* Mean of the n closes ending at day t, NaN unless all are known. */
static double
sma(const struct hist *h, int id, int t, int n)
{
	double s = 0;

	for (int k = t - n + 1; k <= t; k++)
		s += hist_close(h, id, k);
	return s / n;
}

static void *
init(const struct svals *v)
{
	struct st *s;

	if (v->num[0] >= v->num[1])
		tm_die(EX_USAGE, "sma: fast_period=%s must be below "
		    "slow_period=%s", v->str[0], v->str[1]);
	s = ecalloc(1, sizeof(*s));
	s->fast = (int)v->num[0];
	s->slow = (int)v->num[1];
	s->size = v->num[2];
	return s;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;

	s->pos = grow_ids(s->pos, &s->cap, d->h->K, 1);
	for (int i = 0; i < d->n; i++) {
		int id = d->id[i];

		if (id >= 0 && d->ok[i]) {
			double now = sma(d->h, id, d->t, s->fast) -
			    sma(d->h, id, d->t, s->slow);
			double was = sma(d->h, id, d->t - 1, s->fast) -
			    sma(d->h, id, d->t - 1, s->slow);
			/* NaN compares false: no signal during warm-up. */
			if (now > 0 && was <= 0)
				s->pos[id] = 1;
			else if (now < 0 && was >= 0)
				s->pos[id] = -1;
		}
	}
	hold_weights(d, s->pos, NULL, s->size, w, conf);
}

static void
fin(void *p)
{
	struct st *s = p;

	free(s->pos);
	free(s);
}

const struct strategy strat_sma = {
	"sma", "moving-average crossover, long or short", param, 3,
	init, day, fin
};
