/*
 * fund.c - point-in-time fundamentals: the fundamentals stream is read
 * alongside the prices, one filing frame at a time, and a filing's values
 * reach a ticker's state only on or after its coords.date (the filing
 * date), so no day sees a number before it was public.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "features.h"

struct fundsrc {
	FILE *fp;
	char *path;
	struct tm_reader *r;
	struct tm_frame f;
	int have;		/* f holds a filing not yet applied */
	int32_t day, last;
};

static const char *fields[] = {
	"eps", "bvps", "sps", "dps", "roe", "de", "margin", "shares",
};

static void
next(struct fundsrc *s)
{
	int rc = tm_read(s->r, &s->f);
	const char *d;

	if (rc == -1)
		tm_die(tm_reader_status(s->r), "fundamentals: %s: bad stream",
		    s->path);
	s->have = rc == 1;
	if (!s->have)
		return;
	if ((d = tm_frame_date(&s->f)) == NULL || tm_date_parse(d, &s->day) == -1)
		tm_die(EX_DATAERR, "%s: frame %lld: no valid coords.date", s->path,
		    (long long)s->f.seq);
	if (s->day < s->last)
		tm_die(EX_DATAERR, "%s: %s: dates not in order", s->path, d);
	s->last = s->day;
	if (s->f.ndim != 2 || s->f.labels[0] == NULL || s->f.labels[1] == NULL)
		tm_die(EX_DATAERR, "%s: %s: want a labelled [ticker, field] frame",
		    s->path, d);
}

struct fundsrc *
fund_open(const char *path)
{
	struct fundsrc *s = ecalloc(1, sizeof(*s));

	if ((s->fp = fopen(path, "rb")) == NULL)
		tm_die(EX_NOINPUT, "%s:", path);
	s->path = estrdup(path);
	s->r = tm_reader_new(s->fp, path);
	tm_frame_init(&s->f);
	s->last = INT32_MIN;
	next(s);
	return s;
}

/* Copy one filing into the tickers' states; a field the filing lacks is
 * unknown from now on (NaN), not the previous filing's. */
static void
apply(struct fundsrc *s)
{
	int64_t col[8];
	struct tm_frame *f = &s->f;
	json_t *jp = f->coords ? json_object_get(f->coords, "period") : NULL;
	int32_t period = INT32_MAX;

	if (json_is_string(jp) &&
	    tm_date_parse(json_string_value(jp), &period) == -1)
		period = INT32_MAX;

	for (int k = 0; k < 8; k++)
		col[k] = tm_frame_find_label(f, 1, fields[k]);
	for (int64_t r = 0; r < f->shape[0]; r++) {
		struct tk *t = tk_get(f->labels[0][r]);
		double v[8];

		for (int k = 0; k < 8; k++)
			v[k] = col[k] < 0 ? NAN :
			    tm_frame_get(f, (size_t)(r * f->shape[1] + col[k]));
		/* Per-share numbers as of a quarter end that a split has
		 * since overtaken are in old shares: bring them to new. */
		for (int i = 0; i < NSPLIT && i < t->nsp; i++) {
			int j = (t->nsp - 1 - i) % NSPLIT;
			if (t->spday[j] > period) {
				for (int q = 0; q < 4; q++)
					v[q] /= t->spk[j];
				v[7] *= t->spk[j];
			}
		}
		t->f.eps = v[0];
		t->f.bvps = v[1];
		t->f.sps = v[2];
		t->f.dps = v[3];
		t->f.roe = v[4];
		t->f.de = v[5];
		t->f.margin = v[6];
		t->f.shares = v[7];
		memmove(t->f.pasteps + 1, t->f.pasteps,
		    (NEPS - 1) * sizeof(t->f.pasteps[0]));
		t->f.pasteps[0] = v[0];
		t->f.nfil++;
		t->filed = 1;
	}
}

void
fund_advance(struct fundsrc *s, int32_t day, int inclusive)
{
	while (s->have && (s->day < day || (inclusive && s->day == day))) {
		apply(s);
		next(s);
	}
}

void
fund_close(struct fundsrc *s)
{
	tm_frame_release(&s->f);
	tm_reader_free(s->r);
	fclose(s->fp);
	free(s->path);
	free(s);
}

/* Per-share numbers before a k-for-1 split are k times too large after. */
void
fund_split(struct fund *f, double k)
{
	f->eps /= k;
	f->bvps /= k;
	f->sps /= k;
	f->dps /= k;
	f->shares *= k;
	for (int i = 0; i < NEPS; i++)
		f->pasteps[i] /= k;
}

static double
ratio(double a, double b)
{
	return b != 0.0 ? a / b : NAN;
}

double
fund_value(const struct fund *f, int which, double close)
{
	double y;

	switch (which) {
	case 0: return ratio(close, f->eps);
	case 1: return ratio(close, f->bvps);
	case 2: return ratio(close, f->sps);
	case 3: return f->eps;
	case 4:
		/* against the filing four back: a year for quarterly filers */
		if (f->nfil < NEPS)
			return NAN;
		y = f->pasteps[NEPS - 1];
		return ratio(f->eps - y, fabs(y));
	case 5: return f->roe;
	case 6: return f->de;
	case 7: return ratio(f->dps, close);
	case 8: return f->margin;
	case 9:
		y = close * f->shares;
		return y > 0 ? log(y) : NAN;
	}
	return NAN;
}
