/* reward.c - the hybrid reward the environment pays: a day's from the
 * return history and drawdown, a window's, and the Sharpe ratio. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "book.h"

#define SD_EPS 1e-8

double
tm_reward_day(const struct tm_reward *rw, const double *hist, int n,
    double drawdown)
{
	int m = n < rw->window ? n : rw->window;
	double mu = 0, var = 0, sh = 0;

	if (m >= 2) {
		const double *h = hist + n - m;

		for (int i = 0; i < m; i++)
			mu += h[i];
		mu /= m;
		for (int i = 0; i < m; i++)
			var += (h[i] - mu) * (h[i] - mu);
		var /= m - 1;
		sh = mu / sqrt(var + SD_EPS);
	}
	return rw->a * (n ? hist[n - 1] : 0) + rw->b * sh - rw->d * drawdown;
}

double
tm_reward_window(const struct tm_reward *rw, const double *r, int L,
    double *g)
{
	double mu = 0, var = 0, sd, v = 1, peak = 1, ddsum = 0, J;
	double *cov = ecalloc(L + 2, sizeof(double));
	int m = 0;	/* index of the peak, 0 = the start */

	for (int t = 0; t < L; t++)
		mu += r[t];
	mu /= L;
	for (int t = 0; t < L; t++)
		var += (r[t] - mu) * (r[t] - mu);
	var = L > 1 ? var / (L - 1) : 0;
	sd = sqrt(var + SD_EPS);
	/* dd_t = 1 - V_t / V_m(t); it depends on r_s for m(t) < s <= t,
	 * each with d/dr_s = -(V_t/V_m)/(1 + r_s): a range sum. */
	for (int t = 1; t <= L; t++) {
		v *= 1 + r[t - 1];
		if (v > peak) {
			peak = v;
			m = t;
		}
		ddsum += 1 - v / peak;
		if (m < t) {
			cov[m + 1] += v / peak;
			cov[t + 1] -= v / peak;
		}
	}
	J = rw->a * mu + rw->b * mu / sd - rw->d * ddsum / L;
	if (g) {
		double run = 0;

		for (int s = 1; s <= L; s++) {
			double dsd = L > 1 ? (r[s - 1] - mu) / ((L - 1) * sd) : 0;

			run += cov[s];
			g[s - 1] = rw->a / L + rw->b * (1.0 / (L * sd) -
			    mu / (sd * sd) * dsd) + rw->d / L * run /
			    (1 + r[s - 1]);
		}
	}
	free(cov);
	return J;
}

double
tm_sharpe(const double *r, int n)
{
	double mu = 0, var = 0;

	if (n < 2)
		return 0;
	for (int i = 0; i < n; i++)
		mu += r[i];
	mu /= n;
	for (int i = 0; i < n; i++)
		var += (r[i] - mu) * (r[i] - mu);
	var /= n - 1;
	return var > 0 ? sqrt(252.0) * mu / sqrt(var) : 0;
}
