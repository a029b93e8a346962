/* perf.c - performance figures from the equity history (the journal).
 * Returns are close to close of the journal's values; the benchmark is
 * its close as journalled the same day, so both use data up to that day. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

size_t
day_index(const struct report *r, int32_t d)
{
	size_t i = 0;
	while (i < r->ndays && r->days[i].date < d)
		i++;
	return i;
}

struct px {
	const char *t;
	double p;
	int32_t d;
};

static int
pxcmp(const void *a, const void *b)
{
	return strcmp(((const struct px *)a)->t, ((const struct px *)b)->t);
}

/* The latest price known per ticker: later journal trades, and the day's
 * recommendation price (the newest of all). Sorted by ticker. */
static struct px *
latest_prices(const struct report *r, size_t *n)
{
	struct px *v = ecalloc(r->ntrades + r->nrecs + 1, sizeof(*v));
	size_t k = 0;
	int32_t today = r->ndays ? r->days[r->ndays - 1].date : 0, d;

	if (r->date[0] && tm_date_parse(r->date, &d) == 0)
		today = d;
	for (size_t i = 0; i < r->nrecs; i++)
		if (isfinite(r->recs[i].price))
			v[k++] = (struct px){ r->recs[i].ticker,
			    r->recs[i].price, today };
	for (size_t i = r->ntrades; i-- > 0;)
		if (isfinite(r->trades[i].price))
			v[k++] = (struct px){ r->trades[i].ticker,
			    r->trades[i].price, r->trades[i].date };
	/* sort by ticker, then keep the newest date of each */
	struct px *w = ecalloc(k + 1, sizeof(*w));
	size_t m = 0;
	qsort(v, k, sizeof(*v), pxcmp);
	for (size_t i = 0; i < k; i++) {
		if (m && strcmp(w[m - 1].t, v[i].t) == 0) {
			if (v[i].d > w[m - 1].d)
				w[m - 1] = v[i];
			continue;
		}
		w[m++] = v[i];
	}
	free(v);
	*n = m;
	return w;
}

/* BUY succeeded when the ticker's latest price is above the trade's,
 * SELL when below; trades with no later price are not judged yet. */
static void
success(const struct report *r, const struct px *lp, size_t nlp,
    int32_t since, double *buy, int *nbuy, double *sell, int *nsell)
{
	int bw = 0, sw = 0;

	*nbuy = *nsell = 0;
	for (size_t i = 0; i < r->ntrades; i++) {
		const struct trade *t = &r->trades[i];
		if (t->date < since || !t->action || !isfinite(t->price))
			continue;
		struct px key = { t->ticker, 0, 0 }, *p;
		p = bsearch(&key, lp, nlp, sizeof(*lp), pxcmp);
		if (!p || p->d <= t->date)
			continue;
		if (t->action > 0) {
			(*nbuy)++;
			bw += p->p > t->price;
		} else {
			(*nsell)++;
			sw += p->p < t->price;
		}
	}
	*buy = *nbuy ? (double)bw / *nbuy : NAN;
	*sell = *nsell ? (double)sw / *nsell : NAN;
}

void
perf_compute(const struct report *r, size_t from, struct perf *p)
{
	const struct day *d = r->days;
	size_t n = r->ndays;
	double sr = 0, sr2 = 0, sdn = 0, sb = 0, sb2 = 0, srb = 0;
	int nr = 0, nb = 0, wins = 0;

	memset(p, 0, sizeof(*p));
	p->n = n > from ? n - from : 0;
	p->ret = p->bench_ret = p->mtd = p->sharpe = p->sortino = p->win =
	    p->alpha = p->beta = p->vol = NAN;
	p->buy30 = p->sell30 = p->buy90 = p->sell90 = NAN;
	if (p->n == 0)
		return;
	/* the base of a period is the day before it, when there is one */
	size_t b0 = from ? from - 1 : 0;
	p->ret = d[n - 1].value / d[b0].value - 1;
	p->bench_ret = d[n - 1].bench / d[b0].bench - 1;
	double hwm = d[b0].value;
	for (size_t i = b0; i < n; i++) {
		if (d[i].value > hwm)
			hwm = d[i].value;
		double dd = d[i].value / hwm - 1;
		if (dd < p->maxdd)
			p->maxdd = dd;
		p->dd = dd;
		if (i == b0)
			continue;
		double x = d[i].value / d[i - 1].value - 1;
		double y = d[i].bench / d[i - 1].bench - 1;
		if (!isfinite(x))
			continue;
		sr += x;
		sr2 += x * x;
		sdn += x < 0 ? x * x : 0;
		wins += x > 0;
		nr++;
		if (isfinite(y)) {
			sb += y;
			sb2 += y * y;
			srb += x * y;
			nb++;
		}
	}
	if (nr >= 2) {
		double m = sr / nr, var = (sr2 - nr * m * m) / (nr - 1);
		double dsd = sqrt(sdn / nr);
		p->vol = sqrt(var > 0 ? var : 0) * sqrt(252);
		p->sharpe = var > 0 ? m / sqrt(var) * sqrt(252) : NAN;
		p->sortino = dsd > 0 ? m / dsd * sqrt(252) : NAN;
		p->win = (double)wins / nr;
	}
	if (nb >= 2) {
		/* OLS of the day's return on the benchmark's: beta the slope,
		 * alpha the intercept, annualised (252 days). */
		double mb = sb / nb, mr = sr / nr;
		double vb = sb2 / nb - mb * mb, cov = srb / nb - mr * mb;
		if (vb > 0) {
			p->beta = cov / vb;
			p->alpha = (mr - p->beta * mb) * 252;
		}
	}
	/* month to date: from the last value of the month before */
	int y, mo, dd;
	tm_date_ymd(d[n - 1].date, &y, &mo, &dd);
	int32_t m1 = tm_date_from_ymd(y, mo, 1);
	size_t k = day_index(r, m1);
	p->mtd = d[n - 1].value / d[k ? k - 1 : 0].value - 1;

	size_t nlp;
	struct px *lp = latest_prices(r, &nlp);
	int32_t s30 = d[n > 30 ? n - 30 : 0].date;
	int32_t s90 = d[n > 90 ? n - 90 : 0].date;
	if (s30 < d[from].date)
		s30 = d[from].date;
	if (s90 < d[from].date)
		s90 = d[from].date;
	success(r, lp, nlp, s30, &p->buy30, &p->nbuy30, &p->sell30,
	    &p->nsell30);
	success(r, lp, nlp, s90, &p->buy90, &p->nbuy90, &p->sell90,
	    &p->nsell90);
	free(lp);
}

static const struct report *sort_r;
static int sort_dir;

static int
reccmp(const void *a, const void *b)
{
	const struct rec *x = &sort_r->recs[*(const size_t *)a];
	const struct rec *y = &sort_r->recs[*(const size_t *)b];
	double dx = isfinite(x->delta) ? x->delta : 0;
	double dy = isfinite(y->delta) ? y->delta : 0;
	if (dx != dy)
		return (dx < dy) == (sort_dir > 0) ? 1 : -1;
	return strcmp(x->ticker, y->ticker);
}

/* BUY by the largest increase first, SELL by the largest cut, HOLD by
 * target weight; ties by ticker, so the order is stable across runs. */
void
recs_sorted(const struct report *r, int action, size_t **idx, size_t *n)
{
	size_t *v = ecalloc(r->nrecs + 1, sizeof(*v)), k = 0;

	for (size_t i = 0; i < r->nrecs; i++)
		if (r->recs[i].action == action)
			v[k++] = i;
	sort_r = r;
	sort_dir = action >= 0 ? 1 : -1;
	qsort(v, k, sizeof(*v), reccmp);
	*idx = v;
	*n = k;
}

static const struct run *sort_runs;

static int
runcmp(const void *a, const void *b)
{
	return strcmp(sort_runs[*(const size_t *)a].tool,
	    sort_runs[*(const size_t *)b].tool);
}

size_t
last_runs(const struct report *r, size_t **idx)
{
	size_t *v = ecalloc(r->nruns + 1, sizeof(*v)), k = 0;

	/* the log is in time order: the last line of a tool is its last run */
	for (size_t i = r->nruns; i-- > 0;) {
		size_t j;
		for (j = 0; j < k; j++)
			if (strcmp(r->runs[v[j]].tool, r->runs[i].tool) == 0)
				break;
		if (j == k)
			v[k++] = i;
	}
	sort_runs = r->runs;
	qsort(v, k, sizeof(*v), runcmp);
	*idx = v;
	return k;
}

/* "YYYY-MM-DD" of the report's date minus days, for comparing with the
 * run log's ISO start times (text order is time order). */
static void
cutoff(const struct report *r, int days, char *buf)
{
	int32_t d;
	if (!r->date[0] || tm_date_parse(r->date, &d)) {
		strcpy(buf, "0000-00-00");
		return;
	}
	tm_date_fmt(d - days, buf);
}

void
fetch_rate(const struct report *r, int days, int *ok, int *all)
{
	char c[11];

	cutoff(r, days, c);
	*ok = *all = 0;
	for (size_t i = 0; i < r->nruns; i++) {
		if (strcmp(r->runs[i].tool, "tm-fetch") ||
		    strcmp(r->runs[i].start, c) < 0)
			continue;
		(*all)++;
		*ok += r->runs[i].exit == 0;
	}
}

size_t
recent_errors(const struct report *r, int days, size_t **idx)
{
	size_t *v = ecalloc(r->nruns + 1, sizeof(*v)), k = 0;
	char c[11];

	cutoff(r, days, c);
	for (size_t i = r->nruns; i-- > 0;)
		if (r->runs[i].exit != 0 && strcmp(r->runs[i].start, c) >= 0)
			v[k++] = i;	/* newest first */
	*idx = v;
	return k;
}

const char *
severity(const struct report *r)
{
	if (r->critical && *r->critical)
		return "critical";
	if (r->warnings && *r->warnings)
		return "warning";
	return "info";
}
