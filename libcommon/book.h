/* book.h - the accounting of a weight-based book, shared by tm-train's
 * environment (env.c) and tm-diff: one fill rule, one cost model, one
 * value arithmetic.  Part of the core: tmcore.h holds struct tm_book. */
#ifndef TM_BOOK_H
#define TM_BOOK_H

#include <stdint.h>

#include "tmcore.h"

/* What a fill computed: the scale k of the tradable targets, their sum
 * with the cash target (free_), the weight kept by frozen slots (fixed),
 * the turnover sum|ex - held| and m1 = 1 - cost*turnover, the factor the
 * fill's cost leaves of the value. */
struct tm_fill { double k, free_, fixed, turn, m1; };

/*
 * Trade held weights held[N] to targets w[N] and wcash at a close.  A
 * slot with frozen[i] set cannot trade: it keeps held[i], or 0 when
 * changed[i] (sold at this close: tm-diff's delisting); the others get k*w[i], k chosen so
 * the executed weights ex[N+1] (cash last) sum to 1.  With band > 0, a
 * tradable slot with |k*w[i] - held[i]| < band at that first k keeps
 * held[i] instead (the no-trade band), is marked in frozen[], and k is
 * chosen again over the rest.  band 0 trades every slot (bit for bit the
 * rule without a band).  Fills *fl.
 */
void tm_book_fill(int N, const double *held, const double *w, double wcash,
    uint8_t *frozen, const uint8_t *changed, double cost, double band,
    double *ex, struct tm_fill *fl);
/* Carry the executed weights ex[N+1] of one day's slots through the
 * night into the next day's: slot i's weight moves to dst[i]
 * (tm_slot_dst; i itself while the ticker stays), a ticker that left
 * (dst[i] < 0) is sold at its last price and its weight summed, in slot
 * order, into *sold.  mv[N+1] gets the carried weights, cash last as
 * it was. */
void tm_book_carry(int N, const double *ex, const int32_t *dst, double *mv,
    double *sold);
/* The day's portfolio return rp = sum mv[i]*ret[i] over the slots held
 * with a finite return (slot order; a missing return is a frozen price). */
void tm_book_earn(int N, const double *mv, const float *ret, double *rp);
/* The growth of the value from a fill's m1 to the next close: m1 (1 + rp)
 * (1 - cost c2 / (1 + rp)). */
double tm_book_growth(double m1, double cost, double rp, double c2);
/* Hold the carried weights mv through the day: b->w becomes the
 * drifted weights, b->cash the cash with what was sold, b->value *=
 * growth, b->peak its high. */
void tm_book_hold(struct tm_book *b, const double *mv, const float *ret,
    double sold, double rp, double growth);

#endif
