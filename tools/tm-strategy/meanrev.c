/* meanrev.c - short-term reversal: equal weight in the top_k tickers
 * that fell the most over the last `lookback` days (the effect momentum.c
 * skips its last month for), long only.  The ranking is momentum's,
 * with the sign turned. */
#include <stdlib.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "lookback", P_INT, "5", 1, 10000,
	    "days back to the start of the measured return" },
	{ "top_k", P_INT, "10", 1, 1000000, "tickers held" },
};

struct st {
	int lookback, top_k;
	struct rank r;
};

static void *
init(const struct svals *v)
{
	struct st *s = ecalloc(1, sizeof(*s));

	s->lookback = (int)v->num[0];
	s->top_k = (int)v->num[1];
	return s;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;

	rank_hold(&s->r, d, s->lookback, 0, -1, s->top_k, w, conf);
}

static void
fin(void *p)
{
	struct st *s = p;

	rank_free(&s->r);
	free(s);
}

const struct strategy strat_meanrev = {
	"meanrev", "short-term reversal: the top k losers, equal weight",
	param, 2, init, day, fin
};
