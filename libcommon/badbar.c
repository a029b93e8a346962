/* badbar.c - the bad-bar rule (badbar.h), mirrored by tests/helpers/badbar.py:
 * change both together, t4500 checks they flag the same bars. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "badbar.h"

void
tm_badbar_init(struct tm_badbar *b)
{
	memset(b, 0, sizeof(*b));
	b->ref = NAN;
	b->susp = NAN;
}

int
tm_badbar_impossible(double o, double h, double l, double c)
{
	double x[4] = { o, h, l, c };

	for (int i = 0; i < 4; i++)
		if (isfinite(x[i]) && x[i] <= 0)
			return TM_BB_NONPOS;
	if (isfinite(h) && isfinite(l) && h < l * (1 - TM_BB_TOL))
		return TM_BB_HILO;
	if (isfinite(l) && c < l * (1 - TM_BB_TOL))
		return TM_BB_RANGE;
	if (isfinite(h) && c > h * (1 + TM_BB_TOL))
		return TM_BB_RANGE;
	return TM_BB_OK;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(const struct tm_badbar *b)
{
	double s[TM_BB_NVOL];
	int n = b->nvol;

	memcpy(s, b->vol, (size_t)n * sizeof(s[0]));
	qsort(s, (size_t)n, sizeof(s[0]), cmpd);
	return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

int
tm_badbar_push(struct tm_badbar *b, int32_t day, double o, double h,
    double l, double c, double v, double split, int *held, int32_t *heldday)
{
	int k;

	*held = TM_BB_NONE;
	*heldday = 0;
	if (!isfinite(c))
		return TM_BB_OK;
	if ((k = tm_badbar_impossible(o, h, l, c)) != TM_BB_OK)
		return k;
	if (isfinite(b->susp)) {
		*heldday = b->suspday;
		if (fabs(log(c / b->ref)) <= fabs(log(c / b->susp)))
			*held = TM_BB_REVERT;
		else {
			*held = TM_BB_KEPT;
			b->ref = b->susp;
		}
		b->susp = NAN;
	}
	int nosplit = !isfinite(split) || split == 1.0;
	if (isfinite(b->ref) && nosplit && fabs(c / b->ref - 1) > TM_BB_JUMP) {
		b->susp = c;
		b->suspday = day;
		return TM_BB_JUMPK;
	}
	if (isfinite(v) && isfinite(b->ref) && b->nvol >= TM_BB_MINVOL &&
	    fabs(c / b->ref - 1) < TM_BB_FLAT) {
		double m = median(b);
		if (m > 0 && v > TM_BB_VOLX * m)
			return TM_BB_VOLSPIKE;
	}
	b->ref = c;
	if (isfinite(v) && v > 0) {
		/* the ring in arrival order, so the oldest goes first, as
		 * badbar.py's list */
		b->vol[b->vpos] = v;
		b->vpos = (b->vpos + 1) % TM_BB_NVOL;
		if (b->nvol < TM_BB_NVOL)
			b->nvol++;
	}
	return TM_BB_OK;
}

const char *
tm_badbar_name(int kind)
{
	static const char *const n[] = {
		"ok", "nonpositive_price", "high_below_low",
		"close_outside_range", "volume_spike", "jump",
	};

	return kind >= 0 && kind <= TM_BB_JUMPK ? n[kind] : "?";
}

const char *
tm_badbar_heldname(int held)
{
	return held == TM_BB_REVERT ? "jump_revert" : held == TM_BB_KEPT ?
	    "jump_kept" : "none";
}
