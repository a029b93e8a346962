/* mlp.c - the two-hidden-layer tanh MLP of the policy: layout, random
 * init, batched forward and backward through BLAS. */
#include <limits.h>
#include <math.h>
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

void
tm_mlp_forward(const struct tm_mlp *m, const double *p, const double *X,
    int n, double *cache, double *Y)
{
	const double *b[6];
	double *H1 = cache, *H2 = cache + (size_t)n * m->h1;

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

void
tm_mlp_backward(const struct tm_mlp *m, const double *p, const double *X,
    int n, const double *cache, const double *dY, double *g, double *dX,
    double *work)
{
	const double *b[6], *gb[6];
	const double *H1 = cache, *H2 = cache + (size_t)n * m->h1;
	double *D1 = work, *D2 = work + (size_t)n * m->h1;

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
