/* minvar.c - long-only minimum variance: the covariance of the last
 * `lookback` daily returns, shrunk towards a multiple of the identity
 * (Ledoit and Wolf's 2004 intensity unless `shrink` sets it), solved by
 * Cholesky (LAPACKE_dposv); tickers the solution shorts are dropped and
 * the rest solved again until every weight is >= 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <lapacke.h>

#include "strategy.h"

static const struct sparam param[] = {
	{ "lookback", P_INT, "60", 2, 10000,
	    "daily returns in the covariance" },
	{ "shrink", P_REAL, "-1", -1, 1,
	    "shrinkage intensity in [0, 1]; -1: Ledoit-Wolf's estimate" },
};

struct st {
	int lookback;
	double shrink;
	double *X, *S, *A, *x, *r;
	int *row, cap;
};

static void *
init(const struct svals *v)
{
	struct st *s = ecalloc(1, sizeof(*s));

	s->lookback = (int)v->num[0];
	s->shrink = v->num[1];
	s->r = emalloc(s->lookback * sizeof(double));
	return s;
}

/*
 * The shrunk covariance of the L x p centred returns X (row-major) into
 * S (p x p, full): (1-k) C + k mu I with C = X'X/L, mu = tr(C)/p and k
 * the Ledoit-Wolf intensity (sklearn's ledoit_wolf_shrinkage) unless
 * fixed >= 0.
 */
static void
shrunk_cov(const double *X, int L, int p, double fixed, double *S)
{
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, p, L, 1.0 / L, X,
	    p, 0, S, p);
	for (int i = 0; i < p; i++)
		for (int j = 0; j < i; j++)
			S[i * p + j] = S[j * p + i];
	double mu = 0, d2 = 0, b2 = 0, k = fixed;
	for (int i = 0; i < p; i++)
		mu += S[i * p + i];
	mu /= p;
	if (k < 0) {
		for (size_t i = 0; i < (size_t)p * p; i++)
			d2 += S[i] * S[i];
		for (int t = 0; t < L; t++) {
			double rs = 0;
			for (int i = 0; i < p; i++)
				rs += X[t * p + i] * X[t * p + i];
			b2 += rs * rs;
		}
		double beta = (b2 / L - d2) / ((double)p * L);
		double delta = (d2 - p * mu * mu) / p;
		beta = fmin(beta, delta);
		k = beta <= 0 || delta <= 0 ? 0 : beta / delta;
	}
	for (size_t i = 0; i < (size_t)p * p; i++)
		S[i] *= 1 - k;
	for (int i = 0; i < p; i++)
		S[i * p + i] += k * mu;
}

/* Minimum-variance weights of the p assets listed in keep[] (1 = in):
 * solve S_kk x = 1, x / sum x.  0, or -1 when S_kk is not positive
 * definite. */
static int
solve(struct st *s, int p, const uint8_t *keep, double *x)
{
	int m = 0;
	int *ix = s->row + p;	/* scratch after the rows */

	for (int i = 0; i < p; i++)
		if (keep[i])
			ix[m++] = i;
	for (int a = 0; a < m; a++) {
		for (int b = 0; b < m; b++)
			s->A[a * m + b] = s->S[ix[a] * p + ix[b]];
		s->x[a] = 1;
	}
	/* A is exactly symmetric, so read column-major it is the same
	 * matrix: the row-major call would only copy it into that layout
	 * first (LAPACKE's transpose, a tenth of the run) and solve the
	 * same bits. */
	if (LAPACKE_dposv(LAPACK_COL_MAJOR, 'U', m, 1, s->A, m, s->x, m))
		return -1;
	memset(x, 0, p * sizeof(double));
	double sum = 0;
	for (int a = 0; a < m; a++)
		sum += s->x[a];
	for (int a = 0; a < m; a++)
		x[ix[a]] = s->x[a] / sum;
	return 0;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;
	int L = s->lookback, n = 0;

	if (d->n > s->cap) {
		s->cap = d->n;
		s->row = ereallocarray(s->row, 2 * (size_t)d->n, sizeof(int));
		s->X = ereallocarray(s->X, (size_t)L * d->n, sizeof(double));
		s->S = ereallocarray(s->S, (size_t)d->n * d->n, sizeof(double));
		s->A = ereallocarray(s->A, (size_t)d->n * d->n, sizeof(double));
		s->x = ereallocarray(s->x, d->n, sizeof(double));
	}
	/* The tickers with a full window, their returns as columns. */
	for (int i = 0; i < d->n; i++) {
		if (!d->ok[i] || hist_rets(d->h, d->id[i], d->t, L, s->r))
			continue;
		s->row[n++] = i;
	}
	if (n == 0)
		return;
	for (int j = 0; j < n; j++) {
		hist_rets(d->h, d->id[s->row[j]], d->t, L, s->r);
		double m = 0;
		for (int t = 0; t < L; t++)
			m += s->r[t];
		m /= L;
		for (int t = 0; t < L; t++)
			s->X[t * n + j] = s->r[t] - m;
	}
	shrunk_cov(s->X, L, n, s->shrink, s->S);
	/* A flat price gives a zero variance; a ridge the size of the
	 * smallest useful variance keeps the matrix positive definite. */
	double tr = 0;
	for (int i = 0; i < n; i++)
		tr += s->S[i * n + i];
	for (int i = 0; i < n; i++)
		s->S[i * n + i] += 1e-10 * (tr / n) + 1e-16;

	uint8_t *keep = emalloc(n);
	double *x = emalloc(n * sizeof(double));
	for (int i = 0; i < n; i++)
		keep[i] = 1;
	for (;;) {
		int neg = 0;
		if (solve(s, n, keep, x) == -1)
			tm_die(EX_SOFTWARE, "minvar: %s: covariance not positive "
			    "definite", d->date ? d->date : "?");
		for (int i = 0; i < n; i++)
			if (keep[i] && x[i] < 0)
				keep[i] = 0, neg = 1;
		if (!neg)
			break;
	}
	for (int j = 0; j < n; j++) {
		w[s->row[j]] = x[j];
		conf[s->row[j]] = x[j] > 0;
	}
	free(keep);
	free(x);
}

static void
fin(void *p)
{
	struct st *s = p;

	free(s->X), free(s->S), free(s->A), free(s->x), free(s->r);
	free(s->row);
	free(s);
}

const struct strategy strat_minvar = {
	"minvar", "long-only minimum variance, shrunk covariance", param, 2,
	init, day, fin
};
