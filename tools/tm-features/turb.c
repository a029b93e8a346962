/*
 * turb.c - market turbulence as FinRL defines it, d_t = (y_t - mu)
 * pinv(S) (y_t - mu)' with mu and S (sample covariance) over the window
 * of days strictly before t, 0 until the window is full and for the first
 * two positive values.  y_t is not every ticker's return (with more
 * tickers than days S is singular and d_t meaningless) but K equal-weight
 * bucket returns: ticker -> bucket by FNV-1a of its name mod K, a bucket's
 * return is the mean ret of its tickers that day (0 when it has none).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "features.h"

struct turb {
	int k, w;
	double *hist;		/* w rows of k, a ring */
	int64_t nday;
	int npos;
	double *x, *s, *ev, *y;
};

struct turb *
turb_new(int k, int window)
{
	struct turb *tb = ecalloc(1, sizeof(*tb));

	tb->k = k;
	tb->w = window;
	tb->hist = ecalloc((size_t)k * (size_t)window, sizeof(double));
	tb->x = ecalloc((size_t)k * (size_t)window, sizeof(double));
	tb->s = ecalloc((size_t)k * (size_t)k, sizeof(double));
	tb->ev = ecalloc((size_t)k, sizeof(double));
	tb->y = ecalloc((size_t)k, sizeof(double));
	return tb;
}

void
turb_free(struct turb *tb)
{
	free(tb->hist);
	free(tb->x);
	free(tb->s);
	free(tb->ev);
	free(tb->y);
	free(tb);
}

int
turb_bucket(const struct turb *tb, const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (int)(h % (uint32_t)tb->k);
}

/* Mahalanobis distance of y from the window, through the eigenvectors of
 * S: eigenvalues at or below 1e-15 of the largest count as zero, as
 * numpy.linalg.pinv's default rcond does with singular values. */
static double
distance(struct turb *tb)
{
	int k = tb->k, w = tb->w;
	double *mu = tb->ev, d = 0, lmax = 0;
	double *dev = emalloc((size_t)k * sizeof(double));

	for (int j = 0; j < k; j++) {
		double m = 0;
		for (int i = 0; i < w; i++)
			m += tb->hist[i * k + j];
		mu[j] = m / w;
	}
	for (int i = 0; i < w; i++)
		for (int j = 0; j < k; j++)
			tb->x[i * k + j] = tb->hist[i * k + j] - mu[j];
	for (int j = 0; j < k; j++)
		dev[j] = tb->y[j] - mu[j];
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, k, w,
	    1.0 / (w - 1), tb->x, k, 0.0, tb->s, k);
	if (LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'U', k, tb->s, k, tb->ev) != 0)
		tm_die(EX_SOFTWARE, "turbulence: dsyevd did not converge");
	for (int j = 0; j < k; j++)
		if (fabs(tb->ev[j]) > lmax)
			lmax = fabs(tb->ev[j]);
	for (int j = 0; j < k; j++) {
		double p = 0;
		if (fabs(tb->ev[j]) <= 1e-15 * lmax)
			continue;
		for (int i = 0; i < k; i++)	/* column j: eigenvector j */
			p += tb->s[i * k + j] * dev[i];
		d += p * p / tb->ev[j];
	}
	free(dev);
	return d;
}

double
turb_day(struct turb *tb, const double *sum, const int *cnt)
{
	double d = 0;

	for (int j = 0; j < tb->k; j++)
		tb->y[j] = cnt[j] ? sum[j] / cnt[j] : 0.0;
	if (tb->nday >= tb->w) {
		double t = distance(tb);
		if (t > 0 && ++tb->npos > 2)
			d = t;
	}
	memcpy(tb->hist + (tb->nday % tb->w) * tb->k, tb->y,
	    (size_t)tb->k * sizeof(double));
	tb->nday++;
	return d;
}
