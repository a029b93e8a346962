/* weights.c - targets from a weight stream (CONVENTIONS.md "Weight
 * stream": tm-infer's or tm-strategy's output), matched to the slots of
 * the day by ticker. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"

struct wsrc {
	FILE *fp;
	const char *path;
	struct tm_reader *r;
	struct tm_frame f;
	int have;		/* f holds the next unused frame */
	int32_t day;		/* its date */
	int *ord;		/* slots sorted by ticker, for the match */
	const char **lab;	/* ticker of each slot that day */
	int N;
	int model_set;		/* meta.model taken from the first frame */
};

static void
advance(struct wsrc *s)
{
	int rc = tm_read(s->r, &s->f);
	const char *ds;

	if (rc == -1)
		tm_die(tm_reader_status(s->r), "%s: cannot read the weights",
		    s->path);
	s->have = rc == 1;
	if (!s->have)
		return;
	if (s->f.ndim != 2 || !s->f.labels[0] || !s->f.labels[1] ||
	    tm_frame_find_label(&s->f, 1, "weight") < 0)
		tm_die(EX_DATAERR, "%s: frame %lld: not a [row, field] frame "
		    "with tickers and a 'weight' field", s->path,
		    (long long)s->f.seq);
	if (!(ds = tm_frame_date(&s->f)) || tm_date_parse(ds, &s->day) == -1)
		tm_die(EX_DATAERR, "%s: frame %lld: no coords.date", s->path,
		    (long long)s->f.seq);
}

struct wsrc *
wsrc_open(const char *path)
{
	FILE *fp = tm_open_read(path);
	struct wsrc *s;

	if (!fp)
		tm_exit(tm_fail_status());
	s = ecalloc(1, sizeof(*s));
	s->path = path;
	s->fp = fp;
	s->r = tm_reader_new(s->fp, path);
	tm_frame_init(&s->f);
	advance(s);
	return s;
}

void
wsrc_close(struct wsrc *s)
{
	tm_reader_free(s->r);
	tm_frame_release(&s->f);
	tm_close_read(s->fp);
	free(s->ord);
	free(s->lab);
	free(s);
}

static const char **cmp_lab;

static int
cmp_slot(const void *a, const void *b)
{
	return strcmp(cmp_lab[*(const int *)a], cmp_lab[*(const int *)b]);
}

/* The slot holding ticker tk on the day sorted in s, or -1. */
static int
find_slot(const struct wsrc *s, const char *tk)
{
	int lo = 0, hi = s->N - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(tk, s->lab[s->ord[mid]]);

		if (!c)
			return s->ord[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

int
wsrc_targets(void *ctx, struct bt *bt, int t, double *w, double *wc)
{
	struct wsrc *s = ctx;
	const struct tm_env *e = &bt->env;
	int N = e->N;
	char d[16];

	/* Weights of days the slot stream lacks decide nothing. */
	while (s->have && s->day < e->date[t])
		advance(s);
	if (!s->have || s->day != e->date[t])
		return 0;
	const struct tm_frame *f = &s->f;
	int64_t cw = tm_frame_find_label(f, 1, "weight"), W = f->shape[1];
	char **lab = e->label + (size_t)t * N;
	int direct = f->shape[0] == N;

	if (!s->model_set && (s->model_set = 1, tm_frame_get_meta(f, "model")))
		bt->model = estrdup(tm_frame_get_meta(f, "model"));
	for (int i = 0; direct && i < N; i++)
		direct = !strcmp(f->labels[0][i], lab[i]);
	if (!direct && !s->ord) {
		s->N = N;
		s->ord = emalloc(N * sizeof(int));
		s->lab = emalloc(N * sizeof(char *));
	}
	if (!direct) {
		for (int i = 0; i < N; i++) {
			s->ord[i] = i;
			s->lab[i] = lab[i];
		}
		cmp_lab = s->lab;
		qsort(s->ord, N, sizeof(int), cmp_slot);
	}
	double sum = 0;
	for (int i = 0; i < N; i++)
		w[i] = 0;
	for (int64_t j = 0; j < f->shape[0]; j++) {
		double v = tm_frame_get(f, j * W + cw);
		const char *tk = f->labels[0][j];
		int i = direct ? (int)j : -1;

		if (!isfinite(v))
			tm_die(EX_DATAERR, "%s: %s: weight of '%s' is not a "
			    "number", s->path, tm_date_fmt(s->day, d), tk);
		if (v == 0)
			continue;
		if (!direct && (!*tk || (i = find_slot(s, tk)) < 0))
			tm_die(EX_DATAERR, "%s: %s: '%s' has weight %g and is "
			    "not in the slot stream that day", s->path,
			    tm_date_fmt(s->day, d), tk, v);
		w[i] += v;
		sum += v;
	}
	json_t *c = f->coords ? json_object_get(f->coords, "cash") : NULL;
	*wc = json_is_number(c) ? json_number_value(c) : 1 - sum;
	advance(s);
	return 1;
}
