/*
 * finrl.c - the --set finrl family: FinRL's eight indicators as its
 * stockstats computes them.  stockstats uses pandas windows with
 * min_periods=1 (partial windows from the first bar) and adjust=True
 * exponential means, y = sum w^j x_{t-j} / sum w^j, kept here as a
 * numerator and a denominator so one step per bar gives the same value.
 */
#include <math.h>

#include "features.h"

#define AT(r, j) ((r)[(j) & RMASK])

static double
div0(double a, double b)
{
	return b != 0.0 ? a / b : (a != 0.0 ? copysign(INFINITY, a) : NAN);
}

void
ss_update(struct tk *t, double *ind)
{
	int64_t i = t->n - 1;
	double c = AT(t->c, i), h = AT(t->h, i), l = AT(t->l, i);
	double w12 = 1.0 - 2.0 / 13.0, w26 = 1.0 - 2.0 / 27.0, w30 = 1.0 - 1.0 / 30.0;
	double d, up, dn, pc, tr, p, m, m20, sd, avg, mad;
	int64_t n20 = i + 1 < 20 ? i + 1 : 20, n30 = i + 1 < 30 ? i + 1 : 30;
	int64_t n60 = i + 1 < 60 ? i + 1 : 60, j;

	/*
	 * The windowed means from the running sums tk_push keeps (before
	 * bar 20, 30, 60 they hold every bar so far, the partial windows of
	 * min_periods=1).  They carry the rounding of every bar added and
	 * dropped (a few ulps of the largest sum so far), not an own sum's
	 * bits: the 1e-6 the checks allow is ten orders away, and summing
	 * 60 + 30 + 20 + 30 bars again a bar was this tool's largest cost.
	 * The deviations about the means cannot run: two passes, oldest bar
	 * first.
	 */
	m20 = t->s20 / (double)n20;
	avg = t->t30 / (double)n30;
	sd = mad = 0;
	for (j = i - n30 + 1; j <= i - n20; j++)
		mad += fabs(AT(t->tp, j) - avg);
	for (; j <= i; j++) {
		mad += fabs(AT(t->tp, j) - avg);
		sd += (AT(t->c, j) - m20) * (AT(t->c, j) - m20);
	}

	/* macd: ewm(span=12) - ewm(span=26) of close. */
	t->s_e12 = c + w12 * t->s_e12;
	t->s_d12 = 1.0 + w12 * t->s_d12;
	t->s_e26 = c + w26 * t->s_e26;
	t->s_d26 = 1.0 + w26 * t->s_d26;
	ind[I_FMACD] = t->s_e12 / t->s_d12 - t->s_e26 / t->s_d26;

	/* boll: 20-bar mean +- 2 sample deviations (NaN on the first bar). */
	if (n20 > 1) {
		sd = sqrt(sd / (double)(n20 - 1));
		ind[I_FBOLLUB] = m20 + 2.0 * sd;
		ind[I_FBOLLLB] = m20 - 2.0 * sd;
	}

	/* rsi_30: smma(alpha=1/30) of gains and losses; the first change
	 * counts as 0 (stockstats fills it). */
	d = i > 0 ? c - AT(t->c, i - 1) : 0.0;
	up = (d + fabs(d)) / 2.0;
	dn = (-d + fabs(d)) / 2.0;
	t->s_up = up + w30 * t->s_up;
	t->s_dn = dn + w30 * t->s_dn;
	t->s_rd = 1.0 + w30 * t->s_rd;
	p = t->s_up / t->s_rd;
	m = t->s_dn / t->s_rd;
	ind[I_FRSI30] = 100.0 - 100.0 / (1.0 + div0(p, m));

	/* cci_30: (tp - mean) / (0.015 mean absolute deviation). */
	mad /= (double)n30;
	ind[I_FCCI30] = mad != 0.0 ? (AT(t->tp, i) - avg) / (0.015 * mad) : NAN;

	/* dx_30: +DM and -DM start on the second bar (the first difference
	 * is NaN and skipped), TR on the first (previous close = close). */
	pc = i > 0 ? AT(t->c, i - 1) : c;
	tr = h - l;
	if (fabs(h - pc) > tr)
		tr = fabs(h - pc);
	if (fabs(l - pc) > tr)
		tr = fabs(l - pc);
	t->s_tr = tr + w30 * t->s_tr;
	t->s_trd = 1.0 + w30 * t->s_trd;
	if (i > 0) {
		double hd = h - AT(t->h, i - 1), ld = AT(t->l, i - 1) - l;
		double pdm = (hd > 0 && hd > ld) ? hd : 0.0;
		double mdm = (ld > 0 && ld > hd) ? ld : 0.0;
		double atr, pdi, mdi;

		t->s_pdm = pdm + w30 * t->s_pdm;
		t->s_mdm = mdm + w30 * t->s_mdm;
		t->s_dmd = 1.0 + w30 * t->s_dmd;
		atr = t->s_tr / t->s_trd;
		pdi = div0(t->s_pdm / t->s_dmd, atr) * 100.0;
		mdi = div0(t->s_mdm / t->s_dmd, atr) * 100.0;
		ind[I_FDX30] = div0(fabs(pdi - mdi), pdi + mdi) * 100.0;
	}

	ind[I_FSMA30] = t->s30 / (double)n30;
	ind[I_FSMA60] = t->s60 / (double)n60;
}
