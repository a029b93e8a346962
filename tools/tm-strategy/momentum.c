/* momentum.c - equal weight in the top_k tickers by the return from
 * `lookback` days ago to `skip` days ago (the last month skipped, as the
 * literature does, because short-term returns revert). */
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
	double *score;
	int *ord, cap;
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

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;
	int m = 0;

	if (d->n > s->cap) {
		s->cap = d->n;
		s->score = ereallocarray(s->score, d->n, sizeof(double));
		s->ord = ereallocarray(s->ord, d->n, sizeof(int));
	}
	for (int i = 0; i < d->n; i++) {
		double a = hist_close(d->h, d->id[i], d->t - s->lookback);
		double b = hist_close(d->h, d->id[i], d->t - s->skip);

		s->score[i] = b / a - 1;
		if (d->ok[i] && isfinite(s->score[i]) && a > 0)
			s->ord[m++] = i;
	}
	cmp_score = s->score;
	qsort(s->ord, m, sizeof(int), cmp);
	int k = m < s->top_k ? m : s->top_k;
	for (int j = 0; j < k; j++) {
		w[s->ord[j]] = 1.0 / k;
		/* Confidence: the rank among the ranked tickers, 1 for the
		 * best. */
		conf[s->ord[j]] = m > 1 ? 1 - (double)j / (m - 1) : 1;
	}
}

static void
fin(void *p)
{
	struct st *s = p;

	free(s->score);
	free(s->ord);
	free(s);
}

const struct strategy strat_momentum = {
	"momentum", "cross-sectional momentum, top k equal weight", param, 3,
	init, day, fin
};
