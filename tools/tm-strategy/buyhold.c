/* buyhold.c - everything in one ticker (the benchmark, say) on every day
 * it is in the frame; all cash on days it is not. */
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "ticker", P_STR, "", 0, 0,
	    "the ticker to hold (empty: the first row of the first day)" },
};

struct st {
	char *ticker;
};

static void *
init(const struct svals *v)
{
	struct st *s = ecalloc(1, sizeof(*s));

	s->ticker = estrdup(v->str[0]);
	return s;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;

	if (!*s->ticker)
		for (int i = 0; i < d->n && !*s->ticker; i++)
			if (d->id[i] >= 0) {
				free(s->ticker);
				s->ticker = estrdup(d->h->name[d->id[i]]);
			}
	for (int i = 0; i < d->n; i++)
		if (d->id[i] >= 0 && !strcmp(d->h->name[d->id[i]], s->ticker)) {
			/* A day without its bar keeps the position: the bar is
			 * missing, not the holding. */
			w[i] = 1;
			conf[i] = 1;
			break;
		}
}

static void
fin(void *p)
{
	struct st *s = p;

	free(s->ticker);
	free(s);
}

const struct strategy strat_buyhold = {
	"buyhold", "buy and hold one ticker", param, 1, init, day, fin
};
