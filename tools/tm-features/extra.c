/*
 * extra.c - the scale-free values only the default set uses (20-day
 * volatility, 5- and 20-day returns, volume z-score) and the carried
 * close and ret.  Returns come from adjclose, so splits and dividends do
 * not show up as crashes.
 */
#include <math.h>

#include "features.h"

#define AT(r, j) ((r)[(j) & RMASK])

void
ex_update(struct tk *t, double *ind)
{
	int64_t i = t->n - 1;
	double a = AT(t->a, i), m, s;

	ind[I_CLOSE] = AT(t->c, i);
	if (i >= 1)
		ind[I_RET] = a / AT(t->a, i - 1) - 1.0;
	if (i >= 5 && need[I_RET5])
		ind[I_RET5] = a / AT(t->a, i - 5) - 1.0;
	if (i >= 20 && need[I_RET20])
		ind[I_RET20] = a / AT(t->a, i - 20) - 1.0;
	/* From the window sums tk_push keeps; a variance that rounding made
	 * a hair negative is 0. */
	if (i >= 20 && need[I_VOL20]) {
		s = (t->qlr - t->slr * t->slr / 20.0) / 19.0;
		ind[I_VOL20] = s > 0 ? sqrt(s) : 0.0;
	}
	if (i >= 19 && need[I_VOLZ]) {
		m = t->sv / 20.0;
		s = t->qv / 20.0 - m * m;
		s = s > 0 ? sqrt(s) : 0.0;
		/* a constant volume leaves rounding noise in s, not a spread */
		ind[I_VOLZ] = s > 1e-9 * fabs(m) ? (AT(t->v, i) - m) / s : 0.0;
	}
}
