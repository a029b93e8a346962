/* momentum.c - equal weight in the top_k tickers by the return from
 * `lookback` days ago to `skip` days ago (the last month skipped, as the
 * literature does, because short-term returns revert), and the ranking
 * by past return that meanrev.c shares. */
#include <math.h>
#include <stdlib.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "lookback", P_INT, "252", 1, 10000,
	    "days back to the start of the measured return" },
	{ "skip", P_INT, "21", 0, 10000,
	    "most recent days left out of it" },
	{ "top_k", P_INT, "10", 1, 1000000, "tickers held" },
};

struct st {
	int lookback, skip, top_k;
	struct rank r;
};

static void *
init(const struct svals *v)
{
	struct st *s;

	if (v->num[1] >= v->num[0])
		tm_die(EX_USAGE, "momentum: skip=%s must be below lookback=%s",
		    v->str[1], v->str[0]);
	s = ecalloc(1, sizeof(*s));
	s->lookback = (int)v->num[0];
	s->skip = (int)v->num[1];
	s->top_k = (int)v->num[2];
	return s;
}

static const double *cmp_score;

/* Highest score first; ties by row, so the choice is reproducible. */
static int
cmp(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b;

	if (cmp_score[i] != cmp_score[j])
		return cmp_score[i] < cmp_score[j] ? 1 : -1;
	return i - j;
}

void
rank_hold(struct rank *r, const struct sday *d, int lookback, int skip,
    double sign, int top_k, double *w, double *conf)
{
	int m = 0;

	if (d->n > r->cap) {
		r->cap = d->n;
		r->score = ereallocarray(r->score, d->n, sizeof(double));
		r->ord = ereallocarray(r->ord, d->n, sizeof(int));
	}
	for (int i = 0; i < d->n; i++) {
		double a = hist_close(d->h, d->id[i], d->t - lookback);
		double b = hist_close(d->h, d->id[i], d->t - skip);

		r->score[i] = sign * (b / a - 1);
		if (d->ok[i] && isfinite(r->score[i]) && a > 0)
			r->ord[m++] = i;
	}
	cmp_score = r->score;
	qsort(r->ord, m, sizeof(int), cmp);
	int k = m < top_k ? m : top_k;
	for (int j = 0; j < k; j++) {
		w[r->ord[j]] = 1.0 / k;
		/* Confidence: the rank among the ranked tickers, 1 for the
		 * best. */
		conf[r->ord[j]] = m > 1 ? 1 - (double)j / (m - 1) : 1;
	}
}

void
rank_free(struct rank *r)
{
	free(r->score);
	free(r->ord);
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;

	rank_hold(&s->r, d, s->lookback, s->skip, 1, s->top_k, w, conf);
}

static void
fin(void *p)
{
	struct st *s = p;

	rank_free(&s->r);
	free(s);
}

const struct strategy strat_momentum = {
	"momentum", "cross-sectional momentum, top k equal weight", param, 3,
	init, day, fin
};
