/* policy.c - the portfolio policy: a shared-weight slot scorer (or a flat
 * MLP) and a cash logit, with exact gradients; its random numbers are
 * rng.c's, its network mlp.c's and its softmax head head.c's. */
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
	/* The shared scorer in float32 (issue 12): sgemm is twice dgemm
	 * at these shapes and scores need no more.  The flat one stays
	 * double: one row, where rounding its wide W1 to float each call
	 * would cost as much as the product. */
	pol->net.f32 = arch == TM_ARCH_SHARED;
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
	size_t c, w;

	/* The shared scorer's cache: the non-empty rows gathered (din
	 * each), then the MLP's cache; as work, the MLP's work and the
	 * gathered score gradients (1 a row). */
	c = (size_t)n * pol->net.din + tm_mlp_cachelen(&pol->net, n);
	w = tm_mlp_worklen(&pol->net, n) + n;
	return c > w ? c : w;
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
	gc = work + tm_mlp_worklen(&pol->net, m);
	if (!pre)
		for (int i = 0, k = 0; i < n; i++)
			if (kind[i] != TM_SLOT_NONE)
				gc[k++] = gs[i];
	tm_mlp_backward(&pol->net, pol->p, Xr, m, cache + (size_t)n *
	    pol->net.din, pre ? gs : gc, g, NULL, work);
}
