/* mlp.c - the two-hidden-layer tanh MLP of the policy: layout, random
 * init, batched forward and backward through BLAS. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>

#include "tm.h"
#include "tmcore.h"
#include "vtanh.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void
tm_mlp_init(struct tm_mlp *m, int din, int h1, int h2, int dout, size_t off)
{
	m->din = din;
	m->h1 = h1;
	m->h2 = h2;
	m->dout = dout;
	m->off = off;
	m->f32 = 0;
	m->n = (size_t)h1 * din + h1 + (size_t)h2 * h1 + h2 +
	    (size_t)dout * h2 + dout;
}

/* Pointers to the six blocks: W1 b1 W2 b2 W3 b3. */
static void
blocks(const struct tm_mlp *m, const double *p, const double **b)
{
	const double *q = p + m->off;

	b[0] = q;
	q += (size_t)m->h1 * m->din;
	b[1] = q;
	q += m->h1;
	b[2] = q;
	q += (size_t)m->h2 * m->h1;
	b[3] = q;
	q += m->h2;
	b[4] = q;
	q += (size_t)m->dout * m->h2;
	b[5] = q;
}

void
tm_mlp_randinit(const struct tm_mlp *m, double *p, struct tm_rng *r)
{
	const double *b[6];
	int fan[3] = { m->din, m->h1, m->h2 };
	size_t len[3] = { (size_t)m->h1 * m->din, (size_t)m->h2 * m->h1,
	    (size_t)m->dout * m->h2 };

	blocks(m, p, b);
	for (int l = 0; l < 3; l++) {
		double *w = (double *)b[2 * l];
		/* Small output layer: scores start near equal. */
		double sc = (l == 2 ? 0.1 : 1.0) / sqrt((double)fan[l]);

		for (size_t i = 0; i < len[l]; i++)
			w[i] = sc * tm_rng_normal(r);
	}
}

/* Every row of A [n][d] starts as the bias b: the product is then added
 * with beta 1, which spares BLAS zeroing A first (beta 0 is a memset of
 * the whole block, a tenth of an epoch) and rounds as adding b after
 * it did: acc * 1 + b, the k dimension in one block at these widths. */
static void
setbias(double *A, int n, int d, const double *b)
{
	size_t have = 1, all = (size_t)n;

	if (n < 1)
		return;
	/* One row, then doubling what is there: a few long copies, not n
	 * short ones. */
	memcpy(A, b, d * sizeof(double));
	while (have < all) {
		size_t k = have < all - have ? have : all - have;

		memcpy(A + have * d, A, k * d * sizeof(double));
		have += k;
	}
}

static void forwardf(const struct tm_mlp *, const double *, const double *,
    int, float *, double *);

void
tm_mlp_forward(const struct tm_mlp *m, const double *p, const double *X,
    int n, double *cache, double *Y)
{
	const double *b[6];
	double *H1 = cache, *H2 = cache + (size_t)n * m->h1;

	if (m->f32) {
		forwardf(m, p, X, n, (float *)cache, Y);
		return;
	}
	blocks(m, p, b);
	setbias(H1, n, m->h1, b[1]);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m->h1, m->din,
	    1.0, X, m->din, b[0], m->din, 1.0, H1, m->h1);
	/* glibc's scalar tanh was most of an epoch: vectorised */
	tm_tanhv(H1, (size_t)n * m->h1);
	setbias(H2, n, m->h2, b[3]);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m->h2, m->h1,
	    1.0, H1, m->h1, b[2], m->h1, 1.0, H2, m->h2);
	tm_tanhv(H2, (size_t)n * m->h2);
	setbias(Y, n, m->dout, b[5]);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m->dout, m->h2,
	    1.0, H2, m->h2, b[4], m->h2, 1.0, Y, m->dout);
}

static void
colsum(const double *A, int n, int d, double *g)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < d; j++)
			g[j] += A[(size_t)i * d + j];
}

/* D[n][d] *= 1 - H^2 (tanh's derivative), and the result summed down
 * the columns into g: the bias gradient in the same pass.  Two lanes of
 * the same operations in the same order as the scalar tail, so the
 * bits do not depend on the width; g[j] still sums over i in order. */
#if defined(__SSE2__) && defined(__GNUC__) && defined(__x86_64__)
#define TM_MLP_AVX512 1
#include <immintrin.h>

/* dtanh_colsum's first columns eight at a time where the CPU has
 * AVX-512F: the same operations on each element (no FMA), g[j] still
 * summed over i in order; returns how many columns it did. */
__attribute__((target("avx512f"))) static int
dtanh_colsum8(double *D, const double *H, int n, int d, double *g)
{
	int w = d / 8 * 8;

	for (int i = 0; i < n; i++) {
		double *r = D + (size_t)i * d;
		const double *h = H + (size_t)i * d;

		for (int j = 0; j < w; j += 8) {
			__m512d hv = _mm512_loadu_pd(h + j), v;

			v = _mm512_mul_pd(_mm512_loadu_pd(r + j), _mm512_sub_pd(
			    _mm512_set1_pd(1.0), _mm512_mul_pd(hv, hv)));
			_mm512_storeu_pd(r + j, v);
			_mm512_storeu_pd(g + j, _mm512_add_pd(
			    _mm512_loadu_pd(g + j), v));
		}
	}
	return w;
}
#endif

static void
dtanh_colsum(double *D, const double *H, int n, int d, double *g)
{
	int j0 = 0;

#ifdef TM_MLP_AVX512
	if (d >= 8 && __builtin_cpu_supports("avx512f"))
		j0 = dtanh_colsum8(D, H, n, d, g);
	if (j0 == d)
		return;
#endif
	for (int i = 0; i < n; i++) {
		double *r = D + (size_t)i * d;
		const double *h = H + (size_t)i * d;
		int j = j0;

#if defined(__SSE2__)
		for (; j + 2 <= d; j += 2) {
			__m128d hv = _mm_loadu_pd(h + j), v;

			v = _mm_mul_pd(_mm_loadu_pd(r + j), _mm_sub_pd(
			    _mm_set1_pd(1.0), _mm_mul_pd(hv, hv)));
			_mm_storeu_pd(r + j, v);
			_mm_storeu_pd(g + j, _mm_add_pd(_mm_loadu_pd(g + j),
			    v));
		}
#endif
		for (; j < d; j++) {
			r[j] *= 1.0 - h[j] * h[j];
			g[j] += r[j];
		}
	}
}

/* ------------------------------------------------------- float32 path */

/* Float blocks start on 64-byte lines (malloc gives 16; sgemm's loads
 * are the faster aligned, the results the same). */
static size_t
rnd16(size_t k)
{
	return (k + 15) / 16 * 16;
}

/* The float layouts: the cache the parameters, X, H1, H2 and Y; the
 * work D1, D2, dY, one layer's weight gradient at a time, dX. */
static size_t
cachefloats(const struct tm_mlp *m, int n)
{
	return rnd16(m->n) + rnd16((size_t)n * m->din) +
	    rnd16((size_t)n * m->h1) + rnd16((size_t)n * m->h2) +
	    rnd16((size_t)n * m->dout);
}

static size_t
workfloats(const struct tm_mlp *m, int n)
{
	size_t w = (size_t)m->h1 * m->din;

	if ((size_t)m->h2 * m->h1 > w)
		w = (size_t)m->h2 * m->h1;
	if ((size_t)m->dout * m->h2 > w)
		w = (size_t)m->dout * m->h2;
	return rnd16((size_t)n * m->h1) + rnd16((size_t)n * m->h2) +
	    rnd16((size_t)n * m->dout) + rnd16(w) + rnd16((size_t)n * m->din);
}

size_t
tm_mlp_cachelen(const struct tm_mlp *m, int n)
{
	if (!m->f32)
		return (size_t)n * (m->h1 + m->h2);
	return (cachefloats(m, n) + 1) / 2 + 8;
}

size_t
tm_mlp_worklen(const struct tm_mlp *m, int n)
{
	if (!m->f32)
		return (size_t)n * (m->h1 + m->h2);
	return (workfloats(m, n) + 1) / 2 + 8;
}

/* A cache or work of doubles as floats, moved up to a 64-byte line (the
 * 8 doubles of slack the lengths above add). */
static float *
line(void *a)
{
	uintptr_t u = (uintptr_t)a;

	return (float *)(a) + (64 - u % 64) % 64 / sizeof(float);
}

/* d[i] = (float)s[i]: rounding is one correctly rounded operation, the
 * same bits however many go at once; X's conversion was a tenth of dpg's
 * epoch one at a time. */
#ifdef TM_MLP_AVX512
__attribute__((target("avx512f"))) static size_t
tofloat8(float *d, const double *s, size_t k)
{
	size_t i = 0;

	for (; i + 8 <= k; i += 8)
		_mm256_storeu_ps(d + i, _mm512_cvtpd_ps(_mm512_loadu_pd(s + i)));
	return i;
}
#endif

static void
tofloat(float *d, const double *s, size_t k)
{
	size_t i = 0;

#ifdef TM_MLP_AVX512
	if (__builtin_cpu_supports("avx512f"))
		i = tofloat8(d, s, k);
#endif
#if defined(__SSE2__)
	for (; i + 4 <= k; i += 4)
		_mm_storeu_ps(d + i, _mm_movelh_ps(_mm_cvtpd_ps(_mm_loadu_pd(s +
		    i)), _mm_cvtpd_ps(_mm_loadu_pd(s + i + 2))));
#endif
	for (; i < k; i++)
		d[i] = (float)s[i];
}

static void
todouble(double *d, const float *s, size_t k)
{
	for (size_t i = 0; i < k; i++)
		d[i] = s[i];
}

/* g[i] += s[i]: a float gradient into the double one. */
static void
addto(double *g, const float *s, size_t k)
{
	for (size_t i = 0; i < k; i++)
		g[i] += s[i];
}

/* setbias for float. */
static void
setbiasf(float *A, int n, int d, const float *b)
{
	size_t have = 1, all = (size_t)n;

	if (n < 1)
		return;
	memcpy(A, b, d * sizeof(float));
	while (have < all) {
		size_t k = have < all - have ? have : all - have;

		memcpy(A + have * d, A, k * d * sizeof(float));
		have += k;
	}
}

/* Pointers to the float blocks W1 b1 W2 b2 W3 b3 in P. */
static void
blocksf(const struct tm_mlp *m, const float *P, const float **b)
{
	b[0] = P;
	b[1] = b[0] + (size_t)m->h1 * m->din;
	b[2] = b[1] + m->h1;
	b[3] = b[2] + (size_t)m->h2 * m->h1;
	b[4] = b[3] + m->h2;
	b[5] = b[4] + (size_t)m->dout * m->h2;
}

/* The cache's float blocks: P, X, H1, H2, Y. */
static void
cachef(const struct tm_mlp *m, int n, float *c, float **f)
{
	f[0] = line(c);
	f[1] = f[0] + rnd16(m->n);
	f[2] = f[1] + rnd16((size_t)n * m->din);
	f[3] = f[2] + rnd16((size_t)n * m->h1);
	f[4] = f[3] + rnd16((size_t)n * m->h2);
}

static void
forwardf(const struct tm_mlp *m, const double *p, const double *X, int n,
    float *cache, double *Y)
{
	const float *b[6];
	float *f[5], *Xf, *H1, *H2, *Yf;

	cachef(m, n, cache, f);
	Xf = f[1], H1 = f[2], H2 = f[3], Yf = f[4];
	/* Rounded once a call: the parameters stay double for Adam. */
	tofloat(f[0], p + m->off, m->n);
	tofloat(Xf, X, (size_t)n * m->din);
	blocksf(m, f[0], b);
	setbiasf(H1, n, m->h1, b[1]);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m->h1, m->din,
	    1.0f, Xf, m->din, b[0], m->din, 1.0f, H1, m->h1);
	tm_tanhvf(H1, (size_t)n * m->h1);
	setbiasf(H2, n, m->h2, b[3]);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m->h2, m->h1,
	    1.0f, H1, m->h1, b[2], m->h1, 1.0f, H2, m->h2);
	tm_tanhvf(H2, (size_t)n * m->h2);
	setbiasf(Yf, n, m->dout, b[5]);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m->dout,
	    m->h2, 1.0f, H2, m->h2, b[4], m->h2, 1.0f, Yf, m->dout);
	todouble(Y, Yf, (size_t)n * m->dout);
}

/* dtanh_colsum for float: D *= 1 - H^2 in float, the column sums taken
 * in double (each float exact in double, then added in order of i);
 * sixteen, four or one at a time, the same operations on each. */
#ifdef TM_MLP_AVX512
__attribute__((target("avx512f"))) static int
dtanh_colsumf16(float *D, const float *H, int n, int d, double *g)
{
	int w = d / 16 * 16;

	for (int i = 0; i < n; i++) {
		float *r = D + (size_t)i * d;
		const float *h = H + (size_t)i * d;

		for (int j = 0; j < w; j += 16) {
			__m512 hv = _mm512_loadu_ps(h + j), v;

			v = _mm512_mul_ps(_mm512_loadu_ps(r + j), _mm512_sub_ps(
			    _mm512_set1_ps(1.0f), _mm512_mul_ps(hv, hv)));
			_mm512_storeu_ps(r + j, v);
			_mm512_storeu_pd(g + j, _mm512_add_pd(
			    _mm512_loadu_pd(g + j), _mm512_cvtps_pd(
			    _mm512_castps512_ps256(v))));
			_mm512_storeu_pd(g + j + 8, _mm512_add_pd(
			    _mm512_loadu_pd(g + j + 8), _mm512_cvtps_pd(
			    _mm256_castpd_ps(_mm512_extractf64x4_pd(
			    _mm512_castps_pd(v), 1)))));
		}
	}
	return w;
}
#endif

static void
dtanh_colsumf(float *D, const float *H, int n, int d, double *g)
{
	int j0 = 0;

#ifdef TM_MLP_AVX512
	if (d >= 16 && __builtin_cpu_supports("avx512f"))
		j0 = dtanh_colsumf16(D, H, n, d, g);
	if (j0 == d)
		return;
#endif
	for (int i = 0; i < n; i++) {
		float *r = D + (size_t)i * d;
		const float *h = H + (size_t)i * d;
		int j = j0;

#if defined(__SSE2__)
		for (; j + 4 <= d; j += 4) {
			__m128 hv = _mm_loadu_ps(h + j), v;

			v = _mm_mul_ps(_mm_loadu_ps(r + j), _mm_sub_ps(
			    _mm_set1_ps(1.0f), _mm_mul_ps(hv, hv)));
			_mm_storeu_ps(r + j, v);
			_mm_storeu_pd(g + j, _mm_add_pd(_mm_loadu_pd(g + j),
			    _mm_cvtps_pd(v)));
			_mm_storeu_pd(g + j + 2, _mm_add_pd(_mm_loadu_pd(g + j +
			    2), _mm_cvtps_pd(_mm_movehl_ps(v, v))));
		}
#endif
		for (; j < d; j++) {
			r[j] *= 1.0f - h[j] * h[j];
			g[j] += r[j];
		}
	}
}

static void
backwardf(const struct tm_mlp *m, const double *p, const double *X, int n,
    const float *cache, const double *dY, double *g, double *dX, float *work)
{
	const double *gb[6];
	const float *b[6];
	float *f[5], *H1, *H2, *Xf, *D1, *D2, *dYf, *G, *dXf;
	size_t nw = (size_t)m->h1 * m->din;

	/* p and X are read as forward rounded them into the cache: the
	 * gradient of what it computed, and no second rounding. */
	(void)p;
	(void)X;
	cachef(m, n, (float *)cache, f);
	Xf = f[1], H1 = f[2], H2 = f[3];
	blocksf(m, f[0], b);
	blocks(m, g, gb);
	if ((size_t)m->h2 * m->h1 > nw)
		nw = (size_t)m->h2 * m->h1;
	if ((size_t)m->dout * m->h2 > nw)
		nw = (size_t)m->dout * m->h2;
	D1 = line(work);
	D2 = D1 + rnd16((size_t)n * m->h1);
	dYf = D2 + rnd16((size_t)n * m->h2);
	G = dYf + rnd16((size_t)n * m->dout);
	dXf = G + rnd16(nw);

	tofloat(dYf, dY, (size_t)n * m->dout);
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->dout, m->h2, n,
	    1.0f, dYf, m->dout, H2, m->h2, 0.0f, G, m->h2);
	addto((double *)gb[4], G, (size_t)m->dout * m->h2);
	colsum(dY, n, m->dout, (double *)gb[5]);
	if (m->dout == 1)
		for (int i = 0; i < n; i++)
			for (int j = 0; j < m->h2; j++)
				D2[(size_t)i * m->h2 + j] = dYf[i] * b[4][j];
	else
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n,
		    m->h2, m->dout, 1.0f, dYf, m->dout, b[4], m->h2, 0.0f, D2,
		    m->h2);
	dtanh_colsumf(D2, H2, n, m->h2, (double *)gb[3]);
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->h2, m->h1, n,
	    1.0f, D2, m->h2, H1, m->h1, 0.0f, G, m->h1);
	addto((double *)gb[2], G, (size_t)m->h2 * m->h1);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m->h1, m->h2,
	    1.0f, D2, m->h2, b[2], m->h1, 0.0f, D1, m->h1);
	dtanh_colsumf(D1, H1, n, m->h1, (double *)gb[1]);
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->h1, m->din, n,
	    1.0f, D1, m->h1, Xf, m->din, 0.0f, G, m->din);
	addto((double *)gb[0], G, (size_t)m->h1 * m->din);
	if (dX) {
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n,
		    m->din, m->h1, 1.0f, D1, m->h1, b[0], m->din, 0.0f, dXf,
		    m->din);
		todouble(dX, dXf, (size_t)n * m->din);
	}
}

void
tm_mlp_backward(const struct tm_mlp *m, const double *p, const double *X,
    int n, const double *cache, const double *dY, double *g, double *dX,
    double *work)
{
	const double *b[6], *gb[6];
	const double *H1 = cache, *H2 = cache + (size_t)n * m->h1;
	double *D1 = work, *D2 = work + (size_t)n * m->h1;

	if (m->f32) {
		backwardf(m, p, X, n, (const float *)cache, dY, g, dX,
		    (float *)work);
		return;
	}
	blocks(m, p, b);
	blocks(m, g, gb);
	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->dout, m->h2, n,
	    1.0, dY, m->dout, H2, m->h2, 1.0, (double *)gb[4], m->h2);
	colsum(dY, n, m->dout, (double *)gb[5]);
	if (m->dout == 1)
		/* An outer product: what dgemm's one-term sum gives, without
		 * its zeroing of D2 first. */
		for (int i = 0; i < n; i++)
			for (int j = 0; j < m->h2; j++)
				D2[(size_t)i * m->h2 + j] = dY[i] * b[4][j];
	else
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n,
		    m->h2, m->dout, 1.0, dY, m->dout, b[4], m->h2, 0.0, D2,
		    m->h2);
	dtanh_colsum(D2, H2, n, m->h2, (double *)gb[3]);
	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->h2, m->h1, n,
	    1.0, D2, m->h2, H1, m->h1, 1.0, (double *)gb[2], m->h1);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m->h1, m->h2,
	    1.0, D2, m->h2, b[2], m->h1, 0.0, D1, m->h1);
	dtanh_colsum(D1, H1, n, m->h1, (double *)gb[1]);
	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->h1, m->din, n,
	    1.0, D1, m->h1, X, m->din, 1.0, (double *)gb[0], m->din);
	if (dX)
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n,
		    m->din, m->h1, 1.0, D1, m->h1, b[0], m->din, 0.0, dX,
		    m->din);
}
