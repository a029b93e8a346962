/* policy.c - the portfolio policy: a shared-weight slot scorer (or a flat
 * MLP), a cash logit and a masked softmax head, with exact gradients. */
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

/* ------------------------------------------------------------- random */

uint64_t
tm_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
tm_rng_seed(struct tm_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = tm_splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
tm_rng_next(struct tm_rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double
tm_rng_uniform(struct tm_rng *r)
{
	return (double)(tm_rng_next(r) >> 11) * 0x1.0p-53;
}

double
tm_rng_normal(struct tm_rng *r)
{
	/* Box-Muller without the cached twin: one draw, no hidden state. */
	double u = 1.0 - tm_rng_uniform(r), v = tm_rng_uniform(r);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* ---------------------------------------------------------------- MLP */

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
static void
dtanh_colsum(double *D, const double *H, int n, int d, double *g)
{
	for (int i = 0; i < n; i++) {
		double *r = D + (size_t)i * d;
		const double *h = H + (size_t)i * d;
		int j = 0;

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

/* ------------------------------------------------------------- policy */

int
tm_policy_layout(struct tm_policy *pol, enum tm_arch arch, int nfeat,
    int nslots, int h1, int h2)
{
	int64_t din = (int64_t)nfeat + 1;

	memset(pol, 0, sizeof(*pol));
	if (arch == TM_ARCH_FLAT)
		din *= nslots;
	/* The MLP's widths are ints: a model file can ask for any. */
	if (nfeat < 0 || nslots < 0 || h1 < 1 || h2 < 1 || din > INT_MAX)
		return -1;
	pol->arch = arch;
	pol->nfeat = nfeat;
	pol->nslots = arch == TM_ARCH_FLAT ? nslots : 0;
	pol->learn_tau = 1;
	pol->adjust = 1;
	pol->cap = 1;
	tm_mlp_init(&pol->net, (int)din, h1, h2, arch == TM_ARCH_FLAT ?
	    nslots : 1, 0);
	pol->icash = pol->net.n;
	pol->itau = pol->icash + 1;
	pol->nparam = pol->itau + 1;
	return 0;
}

void
tm_policy_init(struct tm_policy *pol, enum tm_arch arch, int nfeat,
    int nslots, int h1, int h2)
{
	if (tm_policy_layout(pol, arch, nfeat, nslots, h1, h2) == -1)
		tm_die(EX_SOFTWARE, "policy of %d features, %d slots, %d,%d "
		    "hidden: too wide", nfeat, nslots, h1, h2);
	pol->p = ecalloc(pol->nparam, sizeof(double));
}

void
tm_policy_market(struct tm_policy *pol)
{
	if (pol->market)
		return;
	pol->market = 1;
	pol->imkt = pol->nparam;
	pol->nparam += pol->nfeat;
	pol->p = ereallocarray(pol->p, pol->nparam, sizeof(double));
	memset(pol->p + pol->imkt, 0, pol->nfeat * sizeof(double));
}

void
tm_policy_release(struct tm_policy *pol)
{
	free(pol->p);
	pol->p = NULL;
}

void
tm_policy_randinit(struct tm_policy *pol, struct tm_rng *r, double tau)
{
	memset(pol->p, 0, pol->nparam * sizeof(double));
	tm_mlp_randinit(&pol->net, pol->p, r);
	pol->p[pol->icash] = 0.0;
	pol->p[pol->itau] = log(tau);
}

int
tm_policy_din(const struct tm_policy *pol)
{
	return pol->nfeat + 1;
}

void
tm_policy_row(const struct tm_policy *pol, double *row, const float *x,
    double prev, int nactive)
{
	int j = 0;

	/* float to double is exact: two at a time gives the same values */
#if defined(__SSE2__)
	for (; j + 4 <= pol->nfeat; j += 4) {
		__m128 v = _mm_loadu_ps(x + j);

		_mm_storeu_pd(row + j, _mm_cvtps_pd(v));
		_mm_storeu_pd(row + j + 2, _mm_cvtps_pd(_mm_movehl_ps(v, v)));
	}
#endif
	for (; j < pol->nfeat; j++)
		row[j] = x[j];
	row[pol->nfeat] = prev * (nactive > 0 ? nactive : 1);
}

size_t
tm_policy_cachelen(const struct tm_policy *pol, int n)
{
	if (pol->arch == TM_ARCH_FLAT)
		return (size_t)pol->net.h1 + pol->net.h2;
	/* The shared scorer's cache: the non-empty rows gathered (din
	 * each), then their activations; as work, the deltas and the
	 * gathered score gradients (1 a row). */
	return (size_t)n * (pol->net.din + pol->net.h1 + pol->net.h2 + 1);
}

/* The rows of X the shared scorer reads: those whose kind is not
 * TM_SLOT_NONE (all n when kind is NULL).  Returns their count m; *pre
 * is 1 when they are rows 0 .. m-1 (padding last, as tm-slotmap lays
 * slots out): X is then read in place. */
static int
rows_read(const uint8_t *kind, int n, int *pre)
{
	int m = 0, last = -1;

	*pre = 1;
	if (!kind)
		return n;
	for (int i = 0; i < n; i++)
		if (kind[i] != TM_SLOT_NONE) {
			if (last != i - 1)
				*pre = 0;
			last = i;
			m++;
		}
	return m;
}

/* Those rows of X into Xc, each run of them in one copy, unless they
 * are a prefix; *Xr is where they are. */
static int
gather(const struct tm_policy *pol, const double *X, int n,
    const uint8_t *kind, double *Xc, const double **Xr)
{
	int din = pol->net.din, pre, m = rows_read(kind, n, &pre), k = 0;

	*Xr = X;
	if (pre)
		return m;
	for (int i = 0; i < n;) {
		int j = i;

		if (kind[i] == TM_SLOT_NONE) {
			i++;
			continue;
		}
		while (j < n && kind[j] != TM_SLOT_NONE)
			j++;
		memcpy(Xc + (size_t)k * din, X + (size_t)i * din,
		    (size_t)(j - i) * din * sizeof(double));
		k += j - i;
		i = j;
	}
	*Xr = Xc;
	return m;
}

void
tm_policy_scores(const struct tm_policy *pol, const double *X, int n,
    const uint8_t *kind, double *cache, double *s)
{
	const double *Xr;
	int m;

	/* Flat: the n rows are one input vector of the fixed slot count. */
	if (pol->arch == TM_ARCH_FLAT) {
		tm_mlp_forward(&pol->net, pol->p, X, 1, cache, s);
		return;
	}
	/* Padding and empty slots (a sixth of a Russell 1000 stream) score
	 * nothing the head reads: they are not scored at all, and get 0. */
	m = gather(pol, X, n, kind, cache, &Xr);
	if (m > 0)
		tm_mlp_forward(&pol->net, pol->p, Xr, m, cache +
		    (size_t)n * pol->net.din, s);
	/* Read in place: the rest score 0.  Gathered: spread the m scores
	 * back to their rows from the end, row i's being at or before i. */
	if (Xr == X)
		for (int i = m; i < n; i++)
			s[i] = 0;
	else
		for (int i = n - 1; i >= 0; i--)
			s[i] = kind[i] != TM_SLOT_NONE ? s[--m] : 0;
}

void
tm_policy_scores_back(const struct tm_policy *pol, const double *X, int n,
    const uint8_t *kind, const double *cache, const double *gs, double *g,
    double *work)
{
	const double *Xr;
	double *gc;
	int m, pre;

	if (pol->arch == TM_ARCH_FLAT) {
		tm_mlp_backward(&pol->net, pol->p, X, 1, cache, gs, g, NULL,
		    work);
		return;
	}
	/* The rows tm_policy_scores scored, in the same order. */
	m = rows_read(kind, n, &pre);
	Xr = pre ? X : cache;
	if (!m)
		return;
	gc = work + (size_t)n * (pol->net.h1 + pol->net.h2);
	if (!pre)
		for (int i = 0, k = 0; i < n; i++)
			if (kind[i] != TM_SLOT_NONE)
				gc[k++] = gs[i];
	tm_mlp_backward(&pol->net, pol->p, Xr, m, cache + (size_t)n *
	    pol->net.din, pre ? gs : gc, g, NULL, work);
}

static double
sigm(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* Softmax over active slots and cash at temperature tau; q[n] and *qc. */
static void
softmax(const double *s, double cash, double tau, const uint8_t *kind,
    int n, double *q, double *qc)
{
	double mx = cash / tau, sum;

	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ACTIVE && s[i] / tau > mx)
			mx = s[i] / tau;
	*qc = exp(cash / tau - mx);
	sum = *qc;
	for (int i = 0; i < n; i++) {
		q[i] = kind[i] == TM_SLOT_ACTIVE ? exp(s[i] / tau - mx) : 0.0;
		sum += q[i];
	}
	for (int i = 0; i < n; i++)
		q[i] /= sum;
	*qc /= sum;
}

void
tm_policy_head(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, double *w, double *wcash)
{
	double tau = exp(logtau), rest = 1.0, qc;

	softmax(s, cash, tau, kind, n, w, &qc);
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ARCHIVE)
			rest -= prev[i] * sigm(s[i] / tau);
	if (rest < 0)
		rest = 0;
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ARCHIVE)
			w[i] = prev[i] * sigm(s[i] / tau);
		else
			w[i] *= rest;
	*wcash = qc * rest;
}

void
tm_policy_head_back(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, const double *w,
    double wcash, const double *gw, double gcash, double *gs, double *gc,
    double *gtau)
{
	double tau = exp(logtau), rest = 1.0, qc, gr, dzc, gt = 0;

	/* Recompute q: w/rest is undefined when archives hold everything. */
	softmax(s, cash, tau, kind, n, gs, &qc);
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ARCHIVE)
			rest -= w[i];
	(void)wcash;
	gr = qc * gcash;
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ACTIVE)
			gr += gs[i] * gw[i];
	for (int i = 0; i < n; i++) {
		double z = s[i] / tau, d = 0;

		if (kind[i] == TM_SLOT_ACTIVE)
			d = rest * gs[i] * (gw[i] - gr);
		else if (kind[i] == TM_SLOT_ARCHIVE) {
			double sg = sigm(z);

			d = (gw[i] - gr) * prev[i] * sg * (1 - sg);
		}
		gt -= d * z;
		gs[i] = d / tau;
	}
	dzc = rest * qc * (gcash - gr);
	gt -= dzc * cash / tau;
	*gc = dzc / tau;
	*gtau = gt;
}

void
tm_policy_confidence(const double *s, double cash, double logtau,
    const uint8_t *kind, int n, double *conf)
{
	double tau = exp(logtau);

	for (int i = 0; i < n; i++)
		conf[i] = kind[i] == TM_SLOT_NONE ? 0.0 :
		    sigm((s[i] - cash) / tau);
}
