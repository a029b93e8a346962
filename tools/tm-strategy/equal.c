/* equal.c - equal weight over the tradable tickers (active slots) of the
 * day. */
#include <stdlib.h>

#include "strategy.h"

static void *
init(const struct svals *v)
{
	(void)v;
	return NULL;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	(void)p;
	for (int i = 0; i < d->n; i++)
		if (d->ok[i]) {
			w[i] = 1.0 / d->nok;
			conf[i] = 1;
		}
}

static void
fin(void *p)
{
	(void)p;
}

const struct strategy strat_equal = {
	"equal", "equal weight over the tradable tickers", NULL, 0,
	init, day, fin
};
