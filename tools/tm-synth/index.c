/* index.c - the yearly reconstitution of the cap-weighted index, its
 * membership log, and the QQQ-like benchmark of its largest members. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

static const struct stock *sort_st;

/* Largest cap first; ties by index, so the order never depends on qsort. */
static int
by_cap(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b;
	double ci = sort_st[i].cap, cj = sort_st[j].cap;

	if (ci != cj)
		return ci > cj ? -1 : 1;
	return (i > j) - (i < j);
}

static int
by_name(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b;

	return strcmp(sort_st[i].ticker, sort_st[j].ticker);
}

static void
logrow(struct index *ix, int32_t day, const char *ticker, const char *act)
{
	char iso[16];

	if (ix->csv)
		fprintf(ix->csv, "%s,%s,%s\n", tm_date_fmt(day, iso), ticker, act);
}

/* Log the changes from the current to the new membership, removes then
 * adds, each in ticker order. */
static void
log_changes(struct index *ix, struct market *m, int t, const char *newset)
{
	int *v = emalloc((size_t)m->n * sizeof(int)), nv;

	sort_st = m->st;
	for (int pass = 0; pass < 2; pass++) {
		nv = 0;
		for (int i = 0; i < m->n; i++)
			if (m->st[i].member != newset[i] &&
			    newset[i] == (pass == 1))
				v[nv++] = i;
		qsort(v, (size_t)nv, sizeof(int), by_name);
		for (int j = 0; j < nv; j++)
			logrow(ix, m->days[t], m->st[v[j]].ticker,
			    pass ? "add" : "remove");
	}
	free(v);
}

void
index_reconstitute(struct index *ix, struct market *m, int t)
{
	int *v = emalloc((size_t)m->n * sizeof(int)), nv = 0;
	char *newset = ecalloc((size_t)m->n, 1);

	/* Eligible: traded yesterday (on day 0: listed from the start) and
	 * still trading after today, ranked by yesterday's cap. */
	for (int i = 0; i < m->n; i++) {
		struct stock *s = &m->st[i];
		if ((t == 0 ? s->ipo == 0 : s->ipo < t) && s->delist > t)
			v[nv++] = i;
	}
	sort_st = m->st;
	qsort(v, (size_t)nv, sizeof(int), by_cap);
	for (int j = 0; j < nv && j < ix->k; j++)
		newset[v[j]] = 1;
	log_changes(ix, m, t, newset);
	for (int i = 0; i < m->n; i++) {
		m->st[i].member = newset[i];
		m->st[i].bench = 0;
	}
	for (int j = 0; j < nv && j < ix->kb; j++)
		m->st[v[j]].bench = 1;
	free(newset);
	free(v);
}

void
index_delistings(struct index *ix, struct market *m, int t)
{
	for (int i = 0; i < m->n; i++) {
		struct stock *s = &m->st[i];
		if (s->delist != t)
			continue;
		if (s->member)
			logrow(ix, m->days[t], s->ticker, "remove");
		s->member = 0;
		s->bench = 0;
	}
}

/*
 * The benchmark is a total-return index of its members weighted by
 * yesterday's cap: its close is the weighted mean of their gross returns,
 * its open, high and low the weighted means of theirs against yesterday's
 * close (then kept around open and close).  Volume is the members' total
 * over 100.  It starts at 100 and pays no dividends: its returns include
 * them already.  Call before today's caps overwrite yesterday's.
 */
void
index_benchmark(struct index *ix, struct market *m, int t, double *v)
{
	double sw = 0, c = 0, o = 0, h = 0, l = 0, vol = 0;
	double prev = ix->level;

	for (int i = 0; i < m->n; i++) {
		struct stock *s = &m->st[i];
		if (!s->bench || !s->row)
			continue;
		vol += s->v[F_VOL];
		if (t == 0 || s->ipo == t)
			continue;
		double w = s->capprev;
		sw += w;
		c += w * s->gross;
		o += w * s->orel;
		h += w * s->hrel;
		l += w * s->lrel;
	}
	if (sw > 0) {
		ix->level = prev * c / sw;
		o = prev * o / sw;
		h = prev * h / sw;
		l = prev * l / sw;
	} else
		o = h = l = ix->level;
	v[F_OPEN] = o;
	v[F_HIGH] = fmax(h, fmax(o, ix->level));
	v[F_LOW] = fmin(l, fmin(o, ix->level));
	v[F_CLOSE] = ix->level;
	v[F_ADJ] = ix->level;
	v[F_VOL] = round(vol / 100);
	v[F_SPLIT] = 1;
	v[F_DIV] = 0;
}
