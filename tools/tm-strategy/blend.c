/* blend.c - fixed weights over other weight streams (files written by
 * tm-strategy or tm-infer): each day's weight of a ticker is
 * sum_k b_k w_k, using stream k's latest frame dated on or before the
 * day, so a stream that is ahead is never read ahead. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "streams", P_STR, "", 0, 0,
	    "comma list of weight stream files to blend" },
	{ "weights", P_STR, "", 0, 0,
	    "comma list of their weights (empty: equal)" },
};

struct src {
	char *path;
	FILE *fp;
	struct tm_reader *r;
	struct tm_frame cur, next;
	int have_cur, have_next;
	int64_t cw, cc;		/* weight and confidence columns of cur */
	double b;
};

struct st {
	int n;
	struct src *s;
};

static void
advance(struct src *s)
{
	int rc = tm_read(s->r, &s->next);

	if (rc == -1)
		tm_die(tm_reader_status(s->r), "blend: %s: cannot read", s->path);
	s->have_next = rc == 1;
}

/* Free a state, whole or half-built (so a refusal leaves no leak
 * behind), and the option lists init split, when given. */
static void
drop(struct st *st, char **files, char **wv)
{
	for (int k = 0; k < st->n; k++) {
		struct src *s = &st->s[k];
		if (s->r)
			tm_reader_free(s->r);
		if (s->fp)
			fclose(s->fp);
		tm_frame_release(&s->cur);
		tm_frame_release(&s->next);
		free(s->path);
	}
	free(st->s);
	free(st);
	tm_strv_free(files);
	if (wv)
		tm_strv_free(wv);
}

static void *
init(const struct svals *v)
{
	struct st *st;
	size_t ns, nw = 0;
	char **files, **wv = NULL, msg[512];
	int status = 0;

	if (!*v->str[0])
		tm_die(EX_USAGE, "blend: streams= names no file");
	files = tm_split(v->str[0], ',', &ns);
	if (*v->str[1]) {
		wv = tm_split(v->str[1], ',', &nw);
		if (nw != ns) {
			snprintf(msg, sizeof(msg), "blend: %zu streams but %zu "
			    "weights", ns, nw);
			status = EX_USAGE;
		}
	}
	st = ecalloc(1, sizeof(*st));
	st->s = ecalloc(ns, sizeof(struct src));
	for (size_t k = 0; k < ns && !status; k++) {
		struct src *s = &st->s[k];

		st->n = (int)k + 1;
		s->path = estrdup(files[k]);
		tm_frame_init(&s->cur);
		tm_frame_init(&s->next);
		s->b = 1.0 / ns;
		if (wv && (tm_parse_double(wv[k], 0, &s->b) == -1 ||
		    !isfinite(s->b))) {
			snprintf(msg, sizeof(msg), "blend: weight '%s': not a "
			    "number", wv[k]);
			status = EX_USAGE;
		} else if (!(s->fp = fopen(s->path, "rb"))) {
			snprintf(msg, sizeof(msg), "blend: %s: %s", s->path,
			    strerror(errno));
			status = EX_NOINPUT;
		} else {
			s->r = tm_reader_new(s->fp, s->path);
			advance(s);
		}
	}
	if (status) {
		drop(st, files, wv);
		tm_die(status, "%s", msg);
	}
	tm_strv_free(files);
	if (wv)
		tm_strv_free(wv);
	return st;
}

/* Weight and confidence of ticker name in stream s (row hint i first). */
static void
lookup(const struct src *s, const char *name, int i, double *w, double *c)
{
	const struct tm_frame *f = &s->cur;
	int64_t j = i < f->shape[0] && !strcmp(f->labels[0][i], name) ? i :
	    tm_frame_find_label(f, 0, name);

	*w = *c = 0;
	if (j < 0)
		return;
	*w = tm_frame_get(f, (size_t)(j * f->shape[1] + s->cw));
	if (s->cc >= 0)
		*c = tm_frame_get(f, (size_t)(j * f->shape[1] + s->cc));
	if (!isfinite(*w))
		*w = 0;
	if (!isfinite(*c))
		*c = 0;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *st = p;

	for (int k = 0; k < st->n; k++) {
		struct src *s = &st->s[k];
		const char *nd;

		while (s->have_next && d->date &&
		    (nd = tm_frame_date(&s->next)) && strcmp(nd, d->date) <= 0) {
			tm_frame_copy(&s->cur, &s->next);
			s->have_cur = 1;
			if (s->cur.ndim != 2 || !s->cur.labels[0] ||
			    (s->cw = tm_frame_find_label(&s->cur, 1,
			    "weight")) < 0)
				tm_die(EX_DATAERR, "blend: %s: %s: not a weight "
				    "frame", s->path, nd);
			s->cc = tm_frame_find_label(&s->cur, 1, "confidence");
			advance(s);
		}
		if (!s->have_cur)
			continue;
		for (int i = 0; i < d->n; i++) {
			double wk, ck;

			if (d->id[i] < 0)
				continue;
			lookup(s, d->h->name[d->id[i]], i, &wk, &ck);
			w[i] += s->b * wk;
			conf[i] += s->b * ck;
		}
	}
}

static void
fin(void *p)
{
	drop(p, NULL, NULL);
}

const struct strategy strat_blend = {
	"blend", "fixed weights over other weight streams", param, 2,
	init, day, fin
};
