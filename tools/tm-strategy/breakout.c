/* breakout.c - channel breakout: long when the close rises above the
 * highest high of the previous `period` days, short when it falls below
 * their lowest low; a long exits when the close falls back below the
 * level it broke (the previous period's high at entry), a short when it
 * rises back above its level; an opposite breakout reverses. */
#include <math.h>
#include <stdlib.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "period", P_INT, "20", 1, 10000, "days of the channel" },
	{ "go_long", P_BOOL, "1", 0, 1, "take long breakouts" },
	{ "go_short", P_BOOL, "1", 0, 1, "take short breakouts" },
	{ "size", P_REAL, "1", 0, 10,
	    "gross weight, shared equally by the tradable tickers" },
};

struct st {
	int period, go_long, go_short, cap;
	double size;
	signed char *pos;	/* by ticker id */
	double *level;		/* by ticker id: the level broken at entry */
};

static void *
init(const struct svals *v)
{
	struct st *s = ecalloc(1, sizeof(*s));

	s->period = (int)v->num[0];
	s->go_long = (int)v->num[1];
	s->go_short = (int)v->num[2];
	s->size = v->num[3];
	return s;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;
	int cap = s->cap;

	s->pos = grow_ids(s->pos, &s->cap, d->h->K, 1);
	s->level = grow_ids(s->level, &cap, d->h->K, sizeof(double));
	for (int i = 0; i < d->n; i++) {
		int id = d->id[i], t = d->t;

		if (id >= 0 && d->ok[i]) {
			double hh = -INFINITY, ll = INFINITY;
			double c = hist_close(d->h, id, t);
			/* The channel of the days before t: NaN anywhere in it
			 * (warm-up, a missing bar) makes both NaN. */
			for (int k = t - s->period; k < t; k++) {
				double hi = hist_high(d->h, id, k);
				double lo = hist_low(d->h, id, k);
				if (!isfinite(hi) || !isfinite(lo)) {
					hh = ll = NAN;
					break;
				}
				hh = fmax(hh, hi);
				ll = fmin(ll, lo);
			}
			if (s->pos[id] == 1 && c < s->level[id])
				s->pos[id] = 0;
			else if (s->pos[id] == -1 && c > s->level[id])
				s->pos[id] = 0;
			if (s->go_long && c > hh && s->pos[id] != 1) {
				s->pos[id] = 1;
				s->level[id] = hh;
			} else if (s->go_short && c < ll && s->pos[id] != -1) {
				s->pos[id] = -1;
				s->level[id] = ll;
			}
		}
	}
	hold_weights(d, s->pos, NULL, s->size, w, conf);
}

static void
fin(void *p)
{
	struct st *s = p;

	free(s->pos);
	free(s->level);
	free(s);
}

const struct strategy strat_breakout = {
	"breakout", "channel breakout, long or short", param, 4,
	init, day, fin
};
