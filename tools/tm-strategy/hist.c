/* hist.c - the prices seen so far, by ticker and day (see strategy.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

void
hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->ix = ecalloc(1, sizeof(struct tm_index));
}

void
hist_release(struct hist *h)
{
	struct tm_index *ix = h->ix;

	for (int k = 0; k < h->K; k++) {
		free(h->name[k]);
		free(h->c[k]), free(h->h[k]), free(h->l[k]), free(h->r[k]);
	}
	free(h->name), free(h->len), free(h->cap), free(h->last);
	free(h->c), free(h->h), free(h->l), free(h->r);
	if (ix)
		tm_index_release(ix);
	free(ix);
	memset(h, 0, sizeof(*h));
}

int
hist_id(struct hist *h, const char *name)
{
	struct tm_index *ix = h->ix;
	int64_t found = tm_index_find(ix, name);

	if (found >= 0)
		return (int)found;
	int id = h->K++;
	size_t K = h->K;
	h->name = ereallocarray(h->name, K, sizeof(char *));
	h->len = ereallocarray(h->len, K, sizeof(int));
	h->cap = ereallocarray(h->cap, K, sizeof(int));
	h->last = ereallocarray(h->last, K, sizeof(double));
	h->c = ereallocarray(h->c, K, sizeof(double *));
	h->h = ereallocarray(h->h, K, sizeof(double *));
	h->l = ereallocarray(h->l, K, sizeof(double *));
	h->r = ereallocarray(h->r, K, sizeof(double *));
	h->name[id] = estrdup(name);
	h->len[id] = h->cap[id] = 0;
	h->last[id] = NAN;
	h->c[id] = h->h[id] = h->l[id] = h->r[id] = NULL;
	tm_index_add(ix, (const char *const *)h->name, id);
	return id;
}

void
hist_set(struct hist *h, int id, int t, double c, double hi, double lo,
    double r)
{
	if (t >= h->cap[id]) {
		int n = h->cap[id] ? h->cap[id] : 16;
		while (n <= t)
			n *= 2;
		h->c[id] = ereallocarray(h->c[id], n, sizeof(double));
		h->h[id] = ereallocarray(h->h[id], n, sizeof(double));
		h->l[id] = ereallocarray(h->l[id], n, sizeof(double));
		h->r[id] = ereallocarray(h->r[id], n, sizeof(double));
		h->cap[id] = n;
	}
	/* Days the ticker missed read as NaN. */
	for (int k = h->len[id]; k < t; k++)
		h->c[id][k] = h->h[id][k] = h->l[id][k] = h->r[id][k] = NAN;
	h->c[id][t] = c;
	h->h[id][t] = hi;
	h->l[id][t] = lo;
	h->r[id][t] = r;
	if (t + 1 > h->len[id])
		h->len[id] = t + 1;
}

static double
get(const struct hist *h, double *const *a, int id, int t)
{
	if (id < 0 || id >= h->K || t < 0 || t >= h->len[id])
		return NAN;
	return a[id][t];
}

double hist_close(const struct hist *h, int id, int t)
{ return get(h, h->c, id, t); }
double hist_high(const struct hist *h, int id, int t)
{ return get(h, h->h, id, t); }
double hist_low(const struct hist *h, int id, int t)
{ return get(h, h->l, id, t); }
double hist_ret(const struct hist *h, int id, int t)
{ return get(h, h->r, id, t); }

int
hist_rets(const struct hist *h, int id, int t, int n, double *out)
{
	for (int k = 0; k < n; k++) {
		double v = hist_ret(h, id, t - n + 1 + k);
		if (!isfinite(v))
			return -1;
		out[k] = v;
	}
	return 0;
}

void *
grow_ids(void *p, int *cap, int need, size_t size)
{
	if (need <= *cap)
		return p;
	int n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	p = ereallocarray(p, n, size);
	memset((char *)p + (size_t)*cap * size, 0, (size_t)(n - *cap) * size);
	*cap = n;
	return p;
}

void
hold_weights(const struct sday *d, const signed char *pos,
    const double *prob, double size, double *w, double *conf)
{
	double each = size / (d->nok ? d->nok : 1);

	for (int i = 0; i < d->n; i++) {
		int id = d->id[i];
		if (id < 0)
			continue;
		w[i] = pos[id] * each;
		conf[i] = pos[id] ? prob ? prob[id] : 1 : 0;
	}
}
