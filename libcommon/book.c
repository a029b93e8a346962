/* book.c - fills, costs and the value of a weight-based book: the one
 * implementation behind tm-train's environment and tm-diff's portfolio
 * (book.h).  The operations and their order are the environment's own, so
 * a caller that feeds the same weights gets the same bits. */
#include <math.h>

#include "tm.h"
#include "book.h"

void
tm_book_fill(int N, const double *held, const double *w, double wcash,
    uint8_t *frozen, const uint8_t *changed, double cost, double band,
    double *ex, struct tm_fill *fl)
{
	double fixed = 0, free_ = wcash, k, turn = 0;

	/* What cannot trade stays, a swapped ticker is sold; the targets
	 * that can trade fill the rest. */
	for (int i = 0; i < N; i++) {
		if (!frozen[i]) {
			free_ += w[i];
			continue;
		}
		ex[i] = changed[i] ? 0 : held[i];
		fixed += ex[i];
	}
	k = free_ > 0 ? (1 - fixed) / free_ : 0;
	if (band > 0) {
		/*
		 * The no-trade band: a slot the fill would move by less than
		 * band keeps its held weight, and the others are scaled again
		 * to fill the rest.  Judged once, at the first scale: one
		 * rule, no iteration whose outcome depends on order.
		 */
		int nb = 0;

		for (int i = 0; i < N; i++)
			if (!frozen[i] && fabs(k * w[i] - held[i]) < band) {
				frozen[i] = 1;
				free_ -= w[i];
				ex[i] = held[i];
				fixed += held[i];
				nb++;
			}
		if (nb)
			k = free_ > 0 ? (1 - fixed) / free_ : 0;
	}
	for (int i = 0; i < N; i++) {
		if (!frozen[i])
			ex[i] = k * w[i];
		turn += fabs(ex[i] - held[i]);
	}
	ex[N] = free_ > 0 ? k * wcash : 1 - fixed;
	fl->k = k;
	fl->free_ = free_;
	fl->fixed = fixed;
	fl->turn = turn;
	fl->m1 = 1 - cost * turn;
}

void
tm_book_carry(int N, const double *ex, const int32_t *dst, double *mv,
    double *sold)
{
	double c = 0;

	/* Slot order, both for the sum sold and for the places taken. */
	for (int k = 0; k < N; k++)
		mv[k] = 0;
	for (int i = 0; i < N; i++)
		if (dst[i] >= 0)
			mv[dst[i]] = ex[i];
		else
			c += ex[i];
	mv[N] = ex[N];
	*sold = c;
}

void
tm_book_earn(int N, const double *mv, const float *ret, double *rp)
{
	double p = 0;

	/* A missing return is a frozen price. */
	for (int i = 0; i < N; i++) {
		float r = ret[i];

		if (mv[i] != 0 && isfinite(r))
			p += mv[i] * r;
	}
	*rp = p;
}

double
tm_book_growth(double m1, double cost, double rp, double c2)
{
	/* Nothing sold at t+2 (nearly every day): m2 is exactly 1, and the
	 * division is skipped; 1 + rp == 0 still takes it, for its NaN. */
	double m2 = c2 == 0 && 1 + rp != 0 ? 1 : 1 - cost * c2 / (1 + rp);

	return m1 * (1 + rp) * m2;
}

void
tm_book_hold(struct tm_book *b, const double *mv, const float *ret,
    double sold, double rp, double growth)
{
	int N = b->N;

	for (int i = 0; i < N; i++) {
		float r = ret[i];

		b->w[i] = mv[i] == 0 ? 0 : mv[i] * (1 + (isfinite(r) ?
		    (double)r : 0)) / (1 + rp);
	}
	b->cash = (mv[N] + sold) / (1 + rp);
	b->value *= growth;
	if (b->value > b->peak)
		b->peak = b->value;
}
