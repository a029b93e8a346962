/*
 * sentiment.c - the sentiment stream (CONVENTIONS.md: tm-fetch --news,
 * tm-synth --sentiment) as mlls reads it: loaded whole, but only ever
 * asked for the day being decided, so a value never reaches back.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

struct srow {
	const char *name;
	double v;
};

struct sframe {
	char date[11];
	int n;
	struct srow *row;	/* sorted by name */
	char **names;		/* owned */
};

static int
cmprow(const void *a, const void *b)
{
	return strcmp(((const struct srow *)a)->name,
	    ((const struct srow *)b)->name);
}

void
sent_load(struct senti *s, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct tm_reader *r;
	struct tm_frame f;
	int rc;

	memset(s, 0, sizeof(*s));
	if (fp == NULL)
		tm_die(EX_NOINPUT, "sentiment: %s:", path);
	r = tm_reader_new(fp, path);
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		const char *date = tm_frame_date(&f);
		int64_t col;
		if (f.ndim != 2 || f.labels[0] == NULL || f.labels[1] == NULL ||
		    (col = tm_frame_find_label(&f, 1, "sentiment")) < 0 ||
		    date == NULL || strlen(date) != 10)
			tm_die(EX_DATAERR, "sentiment: %s: frame %d: not a "
			    "sentiment stream (dated [ticker, field] with "
			    "sentiment)", path, s->nd + 1);
		if (s->nd > 0 && strcmp(date, s->fr[s->nd - 1].date) <= 0)
			tm_die(EX_DATAERR, "sentiment: %s: %s: dates not "
			    "ascending", path, date);
		s->fr = ereallocarray(s->fr, (size_t)s->nd + 1,
		    sizeof(*s->fr));
		struct sframe *q = &s->fr[s->nd++];
		memcpy(q->date, date, 11);
		q->n = (int)f.shape[0];
		q->row = emalloc((size_t)(q->n ? q->n : 1) * sizeof(*q->row));
		q->names = emalloc((size_t)(q->n ? q->n : 1) * sizeof(char *));
		for (int i = 0; i < q->n; i++) {
			q->names[i] = estrdup(f.labels[0][i]);
			q->row[i].name = q->names[i];
			q->row[i].v = tm_frame_get(&f, (size_t)i *
			    (size_t)f.shape[1] + (size_t)col);
		}
		qsort(q->row, (size_t)q->n, sizeof(*q->row), cmprow);
	}
	if (rc == -1)
		tm_exit(tm_reader_status(r));
	tm_reader_free(r);
	tm_frame_release(&f);
	fclose(fp);
	if (s->nd == 0)
		tm_die(EX_DATAERR, "sentiment: %s: no frames", path);
}

void
sent_free(struct senti *s)
{
	for (int i = 0; i < s->nd; i++) {
		for (int k = 0; k < s->fr[i].n; k++)
			free(s->fr[i].names[k]);
		free(s->fr[i].names);
		free(s->fr[i].row);
	}
	free(s->fr);
	for (int k = 0; k < s->K; k++)
		free(s->v[k]);
	free(s->v);
	free(s->len);
}

/* The frame dated date, or NULL. */
static const struct sframe *
frame_of(const struct senti *s, const char *date)
{
	int lo = 0, hi = s->nd - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(s->fr[mid].date, date);
		if (c == 0)
			return &s->fr[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

void
sent_day(struct senti *s, const struct hist *h, int t, const char *date)
{
	const struct sframe *q = date ? frame_of(s, date) : NULL;

	if (h->K > s->K) {
		s->v = ereallocarray(s->v, (size_t)h->K, sizeof(double *));
		s->len = ereallocarray(s->len, (size_t)h->K, sizeof(int));
		for (int k = s->K; k < h->K; k++) {
			s->v[k] = NULL;
			s->len[k] = 0;
		}
		s->K = h->K;
	}
	for (int k = 0; k < h->K; k++) {
		double v = 0;
		if (q) {
			struct srow key = { h->name[k], 0 }, *p;
			p = bsearch(&key, q->row, (size_t)q->n, sizeof(key),
			    cmprow);
			/* No news is neutral news. */
			if (p && isfinite(p->v))
				v = p->v;
		}
		if (s->len[k] <= t) {
			s->v[k] = ereallocarray(s->v[k], (size_t)t + 1,
			    sizeof(double));
			for (int j = s->len[k]; j <= t; j++)
				s->v[k][j] = 0;
			s->len[k] = t + 1;
		}
		s->v[k][t] = v;
	}
}

int
sent_features(const struct senti *s, int id, int t, double *x)
{
	static const int win[MLLS_NSENT] = { 1, 2, 4, 8, 16 };

	if (id >= s->K || t >= s->len[id])
		return -1;
	for (int k = 0; k < MLLS_NSENT; k++) {
		double a = 0;
		for (int j = 0; j < win[k]; j++)
			a += t - j >= 0 ? s->v[id][t - j] : 0;
		x[k] = a / win[k];
	}
	return 0;
}
