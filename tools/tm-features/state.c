/*
 * state.c - the ticker -> state map (libcommon's tm_index), the rings
 * every indicator reads, and the split rescaling that keeps the stored
 * series split-adjusted without looking ahead.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "features.h"

/* Every ticker seen, in the order first seen; names[i] is all[i]->name,
 * and libcommon's label index over names finds them. */
static struct tk **all;
static char **names;
static int64_t ntk, ncap;
static struct tm_index ix;

struct tk *
tk_get(const char *name)
{
	int64_t i = tm_index_find(&ix, name);
	struct tk *t;

	if (i >= 0)
		return all[i];
	if (ntk == ncap) {
		ncap = ncap ? 2 * ncap : 1024;
		all = ereallocarray(all, (size_t)ncap, sizeof(*all));
		names = ereallocarray(names, (size_t)ncap, sizeof(*names));
	}
	t = ecalloc(1, sizeof(*t));
	t->name = estrdup(name);
	t->adjratio = 1;
	tm_badbar_init(&t->bb);
	for (int k = 0; k < NEPS; k++)
		t->f.pasteps[k] = NAN;
	t->f.eps = t->f.bvps = t->f.sps = t->f.dps = NAN;
	t->f.roe = t->f.de = t->f.margin = NAN;
	t->f.shares = NAN;
	all[ntk] = t;
	names[ntk] = t->name;
	tm_index_add(&ix, (const char *const *)names, ntk);
	ntk++;
	return t;
}

void
tk_freeall(void)
{
	for (int64_t i = 0; i < ntk; i++) {
		free(all[i]->name);
		free(all[i]);
	}
	free(all);
	free(names);
	tm_index_release(&ix);
	all = NULL;
	names = NULL;
	ntk = ncap = 0;
}

/*
 * Store bar n in the rings and slide the window sums; the log return
 * (lr) and the volume sums only when a chosen feature needs them (lr is
 * NaN otherwise).  The typical price is computed as TA-Lib does,
 * (h + l + c) / 3, so CCI and MFI match it to the last bit where they can.
 */
void
tk_push(struct tk *t, double h, double l, double c, double v, double a)
{
	int64_t i = t->n;
	int s = (int)(i & RMASK);
	/* The log return and the volume sums feed only vol20 and vol_z:
	 * without them (--set finrl, ta) the log a bar is saved. */
	int lrs = need[I_VOL20], vs = need[I_VOLZ];
	double lr = i > 0 && lrs ? log(a / t->a[(i - 1) & RMASK]) : NAN;

	/* Slide the window sums before the ring slot is overwritten. */
	if (i >= 20) {
		double o = t->c[(i - 20) & RMASK];
		t->s20 -= o;
		t->q20 -= o * o;
		if (vs) {
			double ov = t->v[(i - 20) & RMASK];
			t->sv -= ov;
			t->qv -= ov * ov;
		}
	}
	if (i >= 21 && lrs) {
		double o = t->lr[(i - 20) & RMASK];
		t->slr -= o;
		t->qlr -= o * o;
	}
	if (i >= 30) {
		t->s30 -= t->c[(i - 30) & RMASK];
		t->t30 -= t->tp[(i - 30) & RMASK];
	}
	if (i >= 60)
		t->s60 -= t->c[(i - 60) & RMASK];
	t->s20 += c;
	t->q20 += c * c;
	t->s30 += c;
	t->s60 += c;
	if (vs) {
		t->sv += v;
		t->qv += v * v;
	}
	if (i > 0 && lrs) {
		t->slr += lr;
		t->qlr += lr * lr;
	}
	t->h[s] = h;
	t->l[s] = l;
	t->c[s] = c;
	t->v[s] = v;
	t->a[s] = a;
	t->tp[s] = (h + l + c) / 3.0;
	t->t30 += t->tp[s];
	t->lr[s] = lr;
	t->n++;
}

static void
scale(double *p, int n, double m)
{
	for (int i = 0; i < n; i++)
		p[i] *= m;
}

/*
 * A k-for-1 split on this bar: divide every stored price (and every sum
 * of price differences) by k and multiply stored volume by k before the
 * bar is added, so the indicators see the series as if adjusted back to
 * here.  Ratios (%K, DX, ADX) and adjclose need nothing.
 */
void
tk_split(struct tk *t, double k, int32_t day)
{
	double m = 1.0 / k;

	scale(t->c, RING, m);
	scale(t->h, RING, m);
	scale(t->l, RING, m);
	scale(t->tp, RING, m);
	scale(t->v, RING, k);
	t->s20 *= m;
	t->q20 *= m * m;
	t->s30 *= m;
	t->s60 *= m;
	t->t30 *= m;
	t->sv *= k;
	t->qv *= k * k;
	scale(t->rsig, 2, m);
	scale(t->rsil, 2, m);
	t->ema12 *= m;
	t->ema26 *= m;
	t->macd *= m;
	t->sig *= m;
	t->sigsum *= m;
	t->ema20 *= m;
	t->atr *= m;
	t->atrsum *= m;
	scale(t->pdm, 2, m);
	scale(t->mdm, 2, m);
	scale(t->tr, 2, m);
	t->obv *= k;
	t->s_e12 *= m;
	t->s_e26 *= m;
	t->s_up *= m;
	t->s_dn *= m;
	t->s_pdm *= m;
	t->s_mdm *= m;
	t->s_tr *= m;
	t->adjratio *= k;
	fund_split(&t->f, k);
	t->spday[t->nsp % NSPLIT] = day;
	t->spk[t->nsp % NSPLIT] = k;
	t->nsp++;
}
