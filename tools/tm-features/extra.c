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
	if (i >= 5)
		ind[I_RET5] = a / AT(t->a, i - 5) - 1.0;
	if (i >= 20) {
		ind[I_RET20] = a / AT(t->a, i - 20) - 1.0;
		m = 0;
		for (int64_t j = i - 19; j <= i; j++)
			m += AT(t->lr, j);
		m /= 20.0;
		s = 0;
		for (int64_t j = i - 19; j <= i; j++)
			s += (AT(t->lr, j) - m) * (AT(t->lr, j) - m);
		ind[I_VOL20] = sqrt(s / 19.0);
	}
	if (i >= 19) {
		m = 0;
		for (int64_t j = i - 19; j <= i; j++)
			m += AT(t->v, j);
		m /= 20.0;
		s = 0;
		for (int64_t j = i - 19; j <= i; j++)
			s += (AT(t->v, j) - m) * (AT(t->v, j) - m);
		s = sqrt(s / 20.0);
		/* a constant volume leaves rounding noise in s, not a spread */
		ind[I_VOLZ] = s > 1e-9 * fabs(m) ? (AT(t->v, i) - m) / s : 0.0;
	}
}
