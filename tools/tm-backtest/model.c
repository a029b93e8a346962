/* model.c - targets decided in-process by a model through the core's
 * decision (tm_decide_day), the way tm-train's validation decides: from
 * all cash, each day's previous weights the previous day's targets, a
 * ticker that moved slot carrying its own, a new one starting from 0. */
#include <stdlib.h>
#include <string.h>

#include "bt.h"

struct msrc {
	struct tm_decide d;
	double *prev;
	int N;
};

struct msrc *
msrc_open(struct tm_model *m, int N)
{
	struct msrc *s = ecalloc(1, sizeof(*s));

	s->N = N;
	s->prev = ecalloc(N, sizeof(double));
	tm_decide_alloc(&s->d, &m->pol, N);
	return s;
}

void
msrc_close(struct msrc *s)
{
	tm_decide_free(&s->d);
	free(s->prev);
	free(s);
}

int
msrc_targets(void *ctx, struct bt *bt, int t, double *w, double *wc)
{
	struct msrc *s = ctx;
	const struct tm_env *e = &bt->env;
	size_t o = (size_t)t * s->N;

	double *tmp = emalloc(s->N * sizeof(double));

	/* The previous targets follow their tickers (carry.c). */
	tm_slot_carry(s->N, e->src + o, s->prev, tmp);
	free(tmp);
	tm_decide_day(&s->d, e->x + o * e->nf, e->kind + o, s->prev, w, wc,
	    NULL);
	memcpy(s->prev, w, s->N * sizeof(double));
	return 1;
}
