/* env.c - the trading environment over a slot stream held in memory: the
 * execution timing, transaction costs and reconstitution; the rewards are
 * reward.c's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "book.h"

static int
isfinitef(float v)
{
	return isfinite(v);
}

void
tm_slot_kinds(const struct tm_frame *f, uint8_t *kind)
{
	int64_t n = f->shape[0], nf = f->shape[1];
	int64_t creg = tm_frame_find_label(f, 1, "region");
	int64_t cret = tm_frame_find_label(f, 1, "ret");
	int64_t ccl = tm_frame_find_label(f, 1, "close");

	for (int64_t i = 0; i < n; i++) {
		double reg = creg < 0 ? 0 : tm_frame_get(f, i * nf + creg);
		const char *lab = f->labels[0] ? f->labels[0][i] : "x";

		kind[i] = TM_SLOT_NONE;
		if (!lab || !*lab)
			continue;
		if (cret < 0 || !isfinite(tm_frame_get(f, i * nf + cret)))
			continue;
		if (ccl >= 0 && !isfinite(tm_frame_get(f, i * nf + ccl)))
			continue;
		if (reg == TM_REGION_ACTIVE)
			kind[i] = TM_SLOT_ACTIVE;
		else if (reg == TM_REGION_ARCHIVE)
			kind[i] = TM_SLOT_ARCHIVE;
	}
}

static void *
grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 64;
	return ereallocarray(p, *cap, elem);
}

int
tm_env_load(struct tm_env *e, struct tm_reader *r, int32_t from, int32_t to,
    char **feat)
{
	struct tm_frame f;
	int *col = NULL, cret = -1, rc, ret = -1;
	char **prev = NULL;
	size_t capx = 0, capr = 0, capk = 0, capc = 0, capd = 0, capl = 0;
	size_t capcl = 0, caps = 0, capm = 0;
	char **cur = NULL;

	memset(e, 0, sizeof(*e));
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		const char *ds = tm_frame_date(&f);
		int32_t day;
		int64_t N = f.shape[0];

		if (f.ndim != 2 || f.dtype != TM_F32 || !f.labels[1]) {
			tm_fail(EX_DATAERR, "slot stream: frame %lld: not an F32 "
			    "[slot, field] frame with field labels",
			    (long long)f.seq);
			goto bad;
		}
		if (!ds || tm_date_parse(ds, &day) == -1) {
			tm_fail(EX_DATAERR, "slot stream: frame %lld: no "
			    "coords.date", (long long)f.seq);
			goto bad;
		}
		if ((from && day < from) || (to && day > to))
			continue;
		if (!col) {
			size_t nfl = 0;

			e->N = (int)N;
			if (!feat) {
				char **v = ecalloc(f.shape[1] + 1, sizeof(*v));

				for (int64_t j = 0; j < f.shape[1]; j++) {
					const char *l = f.labels[1][j];

					if (strcmp(l, "close") && strcmp(l, "region"))
						v[nfl++] = estrdup(l);
				}
				e->feat = v;
			} else {
				while (feat[nfl])
					nfl++;
				e->feat = ecalloc(nfl + 1, sizeof(char *));
				for (size_t j = 0; j < nfl; j++)
					e->feat[j] = estrdup(feat[j]);
			}
			e->nf = (int)nfl;
			col = ecalloc(nfl + 1, sizeof(int));
			const char *lay = tm_frame_get_meta(&f, "layout");
			e->layout = estrdup(lay ? lay : "");
			prev = ecalloc(N, sizeof(char *));
			cur = ecalloc(N, sizeof(char *));
		}
		if (N != e->N) {
			tm_fail(EX_DATAERR, "slot stream: %s: %lld slots, the "
			    "first frame had %d", ds, (long long)N, e->N);
			goto bad;
		}
		for (int j = 0; j < e->nf; j++)
			if ((col[j] = (int)tm_frame_find_label(&f, 1,
			    e->feat[j])) < 0) {
				tm_fail(EX_DATAERR, "slot stream: %s: no field "
				    "'%s'", ds, e->feat[j]);
				goto bad;
			}
		if ((cret = (int)tm_frame_find_label(&f, 1, "ret")) < 0) {
			tm_fail(EX_DATAERR, "slot stream: %s: no field 'ret'", ds);
			goto bad;
		}
		if (e->T && day <= e->date[e->T - 1]) {
			tm_fail(EX_DATAERR, "slot stream: %s: dates not "
			    "ascending", ds);
			goto bad;
		}
		size_t t = e->T, nf = e->nf;
		e->x = grow(e->x, &capx, (t + 1) * N * nf, sizeof(float));
		e->ret = grow(e->ret, &capr, (t + 1) * N, sizeof(float));
		e->kind = grow(e->kind, &capk, (t + 1) * N, 1);
		e->changed = grow(e->changed, &capc, (t + 1) * N, 1);
		e->date = grow(e->date, &capd, t + 1, sizeof(int32_t));
		e->label = grow(e->label, &capl, (t + 1) * N, sizeof(char *));
		e->close = grow(e->close, &capcl, (t + 1) * N, sizeof(float));
		e->src = grow(e->src, &caps, (t + 1) * N, sizeof(int32_t));
		e->moves = grow(e->moves, &capm, t + 1, sizeof(int));
		int64_t ccl = tm_frame_find_label(&f, 1, "close");
		e->date[t] = day;
		const float *src = f.data;
		int64_t w = f.shape[1];
		for (int64_t i = 0; i < N; i++) {
			float *dst = e->x + (t * N + i) * nf;
			const char *lab = f.labels[0] ? f.labels[0][i] : "";

			for (size_t j = 0; j < nf; j++)
				dst[j] = src[i * w + col[j]];
			e->ret[t * N + i] = src[i * w + cret];
			e->changed[t * N + i] = t > 0 && strcmp(prev[i], lab);
			/* Tickers for trade lists: one string per stay. */
			e->label[t * N + i] = t > 0 && !e->changed[t * N + i] ?
			    e->label[(t - 1) * N + i] : estrdup(lab);
			e->close[t * N + i] = ccl >= 0 ? src[i * w + ccl] : NAN;
			cur[i] = (char *)lab;
		}
		e->moves[t] = t > 0 ? tm_slot_moves((int)N,
		    (const char *const *)prev, (const char *const *)cur,
		    e->src + t * N) : 0;
		if (t == 0)
			for (int64_t i = 0; i < N; i++)
				e->src[i] = (int32_t)i;
		for (int64_t i = 0; i < N; i++) {
			free(prev[i]);
			prev[i] = estrdup(cur[i]);
		}
		tm_slot_kinds(&f, e->kind + t * N);
		e->T++;
	}
	if (rc == -1) {
		/* the reader said where and what; its reason is ours */
		tm_fail_as(tm_reader_status(r));
		goto bad;
	}
	if (!e->T) {
		tm_fail(EX_DATAERR, "slot stream: no frames in the window");
		goto bad;
	}
	/* Where each day's tickers are the next day: the inverse of the
	 * next day's src, the last day its own. */
	e->dst = ereallocarray(NULL, (size_t)e->T * e->N, sizeof(int32_t));
	for (int t = 0; t + 1 < e->T; t++)
		tm_slot_dst(e->N, e->src + (size_t)(t + 1) * e->N,
		    e->dst + (size_t)t * e->N);
	for (int i = 0; i < e->N; i++)
		e->dst[(size_t)(e->T - 1) * e->N + i] = i;
	ret = 0;
bad:
	if (prev)
		for (int i = 0; i < e->N; i++)
			free(prev[i]);
	free(prev);
	free(cur);
	free(col);
	tm_frame_release(&f);
	return ret;
}

void
tm_env_release(struct tm_env *e)
{
	tm_strv_free(e->feat);
	free(e->layout);
	free(e->date);
	free(e->x);
	free(e->ret);
	free(e->kind);
	if (e->label)
		for (size_t k = 0; k < (size_t)e->T * e->N; k++)
			if (k < (size_t)e->N || e->changed[k])
				free(e->label[k]);
	free(e->changed);
	free(e->src);
	free(e->dst);
	free(e->moves);
	free(e->label);
	free(e->close);
	memset(e, 0, sizeof(*e));
}

/* One pass over the active rows of days [t0, t1), finite values only:
 * with mean NULL, each feature's sum into acc[j] and its count into
 * n[j]; else the sum of its squared deviations from mean[j] into acc[j]. */
static void
active_sums(const struct tm_env *e, int t0, int t1, const double *mean,
    double *acc, double *n)
{
	int nf = e->nf;

	for (int t = t0; t < t1; t++)
		for (int i = 0; i < e->N; i++) {
			const float *x = e->x + ((size_t)t * e->N + i) * nf;

			if (e->kind[(size_t)t * e->N + i] != TM_SLOT_ACTIVE)
				continue;
			for (int j = 0; j < nf; j++) {
				if (!isfinitef(x[j]))
					continue;
				if (mean)
					acc[j] += (x[j] - mean[j]) *
					    (x[j] - mean[j]);
				else {
					acc[j] += x[j];
					n[j]++;
				}
			}
		}
}

void
tm_env_stats(const struct tm_env *e, int t0, int t1, double *mean, double *sd)
{
	int nf = e->nf;
	double *n = ecalloc(nf, sizeof(double));

	/* Two passes: the sums of squares of a shifted mean lose digits. */
	for (int j = 0; j < nf; j++)
		mean[j] = sd[j] = 0;
	active_sums(e, t0, t1, NULL, mean, n);
	for (int j = 0; j < nf; j++)
		mean[j] = n[j] > 0 ? mean[j] / n[j] : 0;
	active_sums(e, t0, t1, mean, sd, n);
	for (int j = 0; j < nf; j++) {
		sd[j] = n[j] > 1 ? sqrt(sd[j] / (n[j] - 1)) : 1;
		if (!(sd[j] > 1e-12))
			sd[j] = 1;
	}
	free(n);
}

float
tm_norm1(float x, double mean, double sd)
{
	double v = (x - mean) / sd;

	/* Clipped: one bad print must not dominate a shared scorer. */
	return !isfinite(v) ? 0.0f : v > 5 ? 5.0f : v < -5 ? -5.0f : (float)v;
}

void
tm_env_normalise(struct tm_env *e, const double *mean, const double *sd)
{
	size_t n = (size_t)e->T * e->N;

	for (size_t k = 0; k < n; k++) {
		float *x = e->x + k * e->nf;

		for (int j = 0; j < e->nf; j++)
			x[j] = tm_norm1(x[j], mean[j], sd[j]);
	}
}

void
tm_book_init(struct tm_book *b, int N)
{
	b->N = N;
	b->w = ecalloc(N, sizeof(double));
	b->cash = 1.0;
	b->value = b->peak = 1.0;
}

void
tm_book_release(struct tm_book *b)
{
	free(b->w);
	b->w = NULL;
}

static double
sgn(double x)
{
	return x > 0 ? 1 : x < 0 ? -1 : 0;
}

double
tm_env_step(const struct tm_env *e, int t, const double *w, double wcash,
    double cost, struct tm_book *b, double *exec, double *gw)
{
	int N = e->N;
	size_t o1 = (size_t)(t + 1) * N, o2 = (size_t)(t + 2) * N;
	const int32_t *src = e->src + o1, *dst = e->dst + o1;
	double rp, c2;
	/* A small book's scratch on the stack: a grid steps a one-slot
	 * book millions of times, and the mallocs were a fifth of it. */
	enum { SMALL = 16 };
	double mvs[SMALL + 1];
	uint8_t frs[SMALL];
	int small = N <= SMALL;
	double *ex = exec ? exec : emalloc((N + 1) * sizeof(double));
	double *mv = small ? mvs : emalloc((N + 1) * sizeof(double));
	double *wt = NULL;
	uint8_t *frozen = small ? frs : emalloc(N);
	struct tm_fill fl;

	/* At the close of t+1 (book.c): the targets follow their tickers
	 * into t+1's slots; what cannot trade stays, a ticker new at t+1
	 * holds nothing (no decision named it); the targets that can trade
	 * fill the rest. */
	if (e->moves[t + 1]) {
		wt = emalloc(N * sizeof(double));
		for (int i = 0; i < N; i++)
			wt[i] = src[i] >= 0 ? w[src[i]] : 0;
		w = wt;
	}
	for (int i = 0; i < N; i++)
		frozen[i] = src[i] < 0 || e->kind[o1 + i] == TM_SLOT_NONE;
	tm_book_fill(N, b->w, w, wcash, frozen, e->changed + o1, cost,
	    e->band, ex, &fl);
	double m1 = fl.m1, k = fl.k, free_ = fl.free_;

	/* Through day t+2: holdings follow their tickers into its slots, one
	 * that left is sold at its last price. */
	tm_book_carry(N, ex, dst, mv, &c2);
	tm_book_earn(N, mv, e->ret + o2, &rp);
	double growth = tm_book_growth(m1, cost, rp, c2);

	if (gw) {
		/* growth = m1 (1 + rp - cost c2): d/d ex, then through the
		 * scaling by k: ex_j = k w_j, dk/dw_j = -k/free; then back
		 * from t+1's slots to the decision's. */
		double dot = 0, *g = wt ? emalloc((N + 1) * sizeof(double)) :
		    gw;

		for (int i = 0; i < N; i++) {
			float r = dst[i] >= 0 ? e->ret[o2 + dst[i]] : NAN;
			double rho = isfinite(r) ? r : 0;

			g[i] = frozen[i] ? 0 : m1 * (rho - cost *
			    (dst[i] < 0)) - cost * sgn(ex[i] - b->w[i]) *
			    (1 + rp - cost * c2);
			dot += g[i] * ex[i];
		}
		g[N] = 0;	/* cash: no return, no cost */
		dot += g[N] * ex[N];
		for (int i = 0; i <= N; i++)
			g[i] = i < N && frozen[i] ? 0 :
			    free_ > 0 ? k * g[i] - dot / free_ : 0;
		if (wt) {
			for (int i = 0; i < N; i++)
				gw[i] = 0;
			for (int i = 0; i < N; i++)
				if (src[i] >= 0)
					gw[src[i]] = g[i];
			gw[N] = g[N];
			free(g);
		}
	}
	tm_book_hold(b, mv, e->ret + o2, c2, rp, growth);
	if (!exec)
		free(ex);
	if (!small) {
		free(mv);
		free(frozen);
	}
	free(wt);
	return growth - 1;
}
