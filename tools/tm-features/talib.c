/*
 * talib.c - the --set ta family: TA-Lib's definitions with its default
 * parameters and unstable period 0, written as one streaming step per bar.
 * The order of floating-point operations follows TA-Lib's C code where
 * that is cheap, so values agree with it to a few ulps, not just 1e-6.
 */
#include <math.h>

#include "features.h"

#define AT(r, j) ((r)[(j) & RMASK])

/* TA-Lib's TA_IS_ZERO and TA_IS_ZERO_OR_NEG: an absolute 1e-8. */
static int
ta_iszero(double v)
{
	return -0.00000001 < v && v < 0.00000001;
}

static double
sma(const double *r, int64_t i, int n)
{
	double s = 0;

	for (int64_t j = i - n + 1; j <= i; j++)
		s += AT(r, j);
	return s / n;
}

static double
hmax(const struct tk *t, int64_t i, int n)
{
	double m = AT(t->h, i);

	for (int64_t j = i - n + 1; j < i; j++)
		if (AT(t->h, j) > m)
			m = AT(t->h, j);
	return m;
}

static double
lmin(const struct tk *t, int64_t i, int n)
{
	double m = AT(t->l, i);

	for (int64_t j = i - n + 1; j < i; j++)
		if (AT(t->l, j) < m)
			m = AT(t->l, j);
	return m;
}

static double
truerange(const struct tk *t, int64_t i)
{
	double h = AT(t->h, i), l = AT(t->l, i), yc = AT(t->c, i - 1);
	double tr = h - l, x;

	if ((x = fabs(h - yc)) > tr)
		tr = x;
	if ((x = fabs(l - yc)) > tr)
		tr = x;
	return tr;
}

/* Wilder's RSI seeded with the mean gain and loss of the first n changes. */
static double
rsi(struct tk *t, int64_t i, int w, int n)
{
	double d, s;

	if (i == 0)
		return NAN;
	d = AT(t->c, i) - AT(t->c, i - 1);
	if (i <= n) {
		if (d < 0)
			t->rsil[w] -= d;
		else
			t->rsig[w] += d;
		if (i < n)
			return NAN;
		t->rsil[w] /= n;
		t->rsig[w] /= n;
	} else {
		t->rsil[w] *= n - 1;
		t->rsig[w] *= n - 1;
		if (d < 0)
			t->rsil[w] -= d;
		else
			t->rsig[w] += d;
		t->rsil[w] /= n;
		t->rsig[w] /= n;
	}
	s = t->rsig[w] + t->rsil[w];
	return ta_iszero(s) ? 0.0 : 100.0 * (t->rsig[w] / s);
}

/*
 * MACD(12, 26, 9).  TA-Lib starts both EMAs at bar 25 (the slow one's
 * lookback): the slow one seeded with the mean of bars 0..25, the fast one
 * with the mean of bars 14..25.  The signal is a 9-EMA of the line seeded
 * with the mean of its first 9 values, so it starts at bar 33.
 */
static void
macd(struct tk *t, int64_t i, double *ind)
{
	const double k12 = 2.0 / 13.0, k26 = 2.0 / 27.0, k9 = 2.0 / 10.0;
	double x = AT(t->c, i);

	if (i < 25)
		return;
	if (i == 25) {
		t->ema26 = sma(t->c, i, 26);
		t->ema12 = sma(t->c, i, 12);
	} else {
		t->ema12 = ((x - t->ema12) * k12) + t->ema12;
		t->ema26 = ((x - t->ema26) * k26) + t->ema26;
	}
	t->macd = t->ema12 - t->ema26;
	ind[I_MACD] = t->macd;
	if (i <= 33) {
		t->sigsum += t->macd;
		if (i < 33)
			return;
		t->sig = t->sigsum / 9.0;
	} else
		t->sig = ((t->macd - t->sig) * k9) + t->sig;
	ind[I_MACDS] = t->sig;
	ind[I_MACDH] = t->macd - t->sig;
}

/* BBANDS(20, 2, 2, SMA): population deviation, as E[x^2] - mean^2. */
static void
bbands(const struct tk *t, int64_t i, double *ind)
{
	double m, s2, var, sd;

	if (i < 19)
		return;
	/* TA-Lib keeps running sums too: mean of squares less squared mean */
	m = t->s20 / 20.0;
	s2 = t->q20;
	var = s2 / 20.0 - m * m;
	sd = var < 0.00000001 ? 0.0 : sqrt(var);
	ind[I_BBM] = m;
	ind[I_BBU] = m + 2.0 * sd;
	ind[I_BBL] = m - 2.0 * sd;
}

/* CCI(n) with the mean absolute deviation; 0 when either part is 0. */
static double
cci(const struct tk *t, int64_t i, int n)
{
	double avg, md = 0, d;

	if (i < n - 1)
		return NAN;
	avg = sma(t->tp, i, n);
	for (int64_t j = i - n + 1; j <= i; j++)
		md += fabs(AT(t->tp, j) - avg);
	d = AT(t->tp, i) - avg;
	if (d != 0.0 && md != 0.0)
		return d / (0.015 * (md / n));
	return 0.0;
}

/*
 * Wilder's DM and TR: the first n-1 values summed, then x - x/n + new.
 * DX starts at bar n; when the sums are zero TA-Lib gives 0 on the first
 * output and repeats the previous one later.  Returns whether the DIs
 * were defined (ADX skips a day when not).
 */
static int
dx(struct tk *t, int64_t i, int w, int n, double *out)
{
	double dp, dm, p = 0, m = 0, tr, mdi, pdi, s;

	*out = NAN;
	if (i == 0)
		return 0;
	dp = AT(t->h, i) - AT(t->h, i - 1);
	dm = AT(t->l, i - 1) - AT(t->l, i);
	if (dm > 0 && dp < dm)
		m = dm;
	else if (dp > 0 && dp > dm)
		p = dp;
	tr = truerange(t, i);
	if (i < n) {
		t->pdm[w] += p;
		t->mdm[w] += m;
		t->tr[w] += tr;
		return 0;
	}
	t->mdm[w] -= t->mdm[w] / n;
	t->pdm[w] -= t->pdm[w] / n;
	t->mdm[w] += m;
	t->pdm[w] += p;
	t->tr[w] = t->tr[w] - (t->tr[w] / n) + tr;
	if (!ta_iszero(t->tr[w])) {
		mdi = 100.0 * (t->mdm[w] / t->tr[w]);
		pdi = 100.0 * (t->pdm[w] / t->tr[w]);
		s = mdi + pdi;
		if (!ta_iszero(s)) {
			*out = 100.0 * (fabs(mdi - pdi) / s);
			t->dxl[w] = *out;
			return 1;
		}
	}
	*out = i == n ? 0.0 : t->dxl[w];
	t->dxl[w] = *out;
	return 0;
}

void
ta_update(struct tk *t, double *ind)
{
	int64_t i = t->n - 1;
	double c = AT(t->c, i), x;
	int ok;

	if (need[I_RSI14])
		ind[I_RSI14] = rsi(t, i, 0, 14);
	if (need[I_RSI30])
		ind[I_RSI30] = rsi(t, i, 1, 30);
	if (need[I_MACD] || need[I_MACDS] || need[I_MACDH])
		macd(t, i, ind);
	if (need[I_BBU] || need[I_BBM] || need[I_BBL])
		bbands(t, i, ind);
	if (need[I_CCI14])
		ind[I_CCI14] = cci(t, i, 14);
	if (need[I_CCI30])
		ind[I_CCI30] = cci(t, i, 30);

	ok = 0;
	if (need[I_DX14] || need[I_ADX14])
		ok = dx(t, i, 0, 14, &ind[I_DX14]);
	if (!need[I_ADX14])
		;
	else if (i >= 14 && i <= 27) {
		if (ok)
			t->dxsum += ind[I_DX14];
		if (i == 27)
			t->adx = t->dxsum / 14.0;
	} else if (i > 27 && ok)
		t->adx = ((t->adx * 13.0) + ind[I_DX14]) / 14.0;
	if (i >= 27)
		ind[I_ADX14] = t->adx;
	if (need[I_DX30])
		(void)dx(t, i, 1, 30, &ind[I_DX30]);

	if (!need[I_ATR14] && !need[I_NATR14])
		;
	else if (i >= 1 && i <= 14) {
		t->atrsum += truerange(t, i);
		if (i == 14)
			t->atr = t->atrsum / 14.0;
	} else if (i > 14) {
		t->atr *= 13.0;
		t->atr += truerange(t, i);
		t->atr /= 14.0;
	}
	if (i >= 14 && (need[I_ATR14] || need[I_NATR14])) {
		ind[I_ATR14] = t->atr;
		ind[I_NATR14] = c != 0.0 ? (t->atr / c) * 100.0 : 0.0;
	}

	if (i >= 29 && need[I_SMA30])
		ind[I_SMA30] = t->s30 / 30.0;
	if (i >= 59 && need[I_SMA60])
		ind[I_SMA60] = t->s60 / 60.0;
	if (!need[I_EMA20])
		;
	else if (i == 19)
		t->ema20 = sma(t->c, i, 20);
	else if (i > 19)
		t->ema20 = ((c - t->ema20) * (2.0 / 21.0)) + t->ema20;
	if (i >= 19)
		ind[I_EMA20] = t->ema20;

	if (!need[I_OBV])
		;
	else if (i == 0)
		t->obv = AT(t->v, i);
	else if (c > AT(t->c, i - 1))
		t->obv += AT(t->v, i);
	else if (c < AT(t->c, i - 1))
		t->obv -= AT(t->v, i);
	if (need[I_OBV])
		ind[I_OBV] = t->obv;

	/* STOCH(14, 3 SMA, 3 SMA) and WILLR(14) share the 14-bar range. */
	if (i >= 13 && (need[I_STOCHK] || need[I_STOCHD] || need[I_WILLR14])) {
		double hh = hmax(t, i, 14), ll = lmin(t, i, 14), d;

		d = (hh - ll) / 100.0;
		t->fastk[i % 3] = d != 0.0 ? (c - ll) / d : 0.0;
		if (i >= 15) {
			x = (t->fastk[(i - 2) % 3] + t->fastk[(i - 1) % 3] +
			    t->fastk[i % 3]) / 3.0;
			t->slowk[i % 3] = x;
			ind[I_STOCHK] = x;
		}
		if (i >= 17)
			ind[I_STOCHD] = (t->slowk[(i - 2) % 3] +
			    t->slowk[(i - 1) % 3] + t->slowk[i % 3]) / 3.0;
		d = (hh - ll) / -100.0;
		ind[I_WILLR14] = d != 0.0 ? (hh - c) / d : 0.0;
	}

	/* MFI(14): flows of the last 14 bars, each signed by its TP change. */
	if (i >= 14 && need[I_MFI14]) {
		double pos = 0, neg = 0, mf, s;

		for (int64_t j = i - 13; j <= i; j++) {
			x = AT(t->tp, j) - AT(t->tp, j - 1);
			mf = AT(t->tp, j) * AT(t->v, j);
			if (x < 0)
				neg += mf;
			else if (x > 0)
				pos += mf;
		}
		s = pos + neg;
		ind[I_MFI14] = s < 1.0 ? 0.0 : 100.0 * (pos / s);
	}

	if (i >= 10 && (need[I_ROC10] || need[I_MOM10])) {
		x = AT(t->c, i - 10);
		ind[I_ROC10] = x != 0.0 ? ((c / x) - 1.0) * 100.0 : 0.0;
		ind[I_MOM10] = c - x;
	}
}
