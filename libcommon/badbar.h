/*
 * badbar.h - the bad-bar rule shared by tm-features, tm-fetch and (as
 * tests/helpers/badbar.py) the scorers: bars no market can print, and one-day
 * jumps held as suspect until the next bar says whether they reverted.
 * Never reads the future: a bar is judged with the bars before it; the
 * verdict on a suspect comes with the next bar, and the suspect day stays
 * bad whatever the verdict (its features were due on its own day).
 */
#ifndef BADBAR_H
#define BADBAR_H

#include <stdint.h>

#define TM_BB_JUMP 0.5		/* |close/ref - 1| above this, no split: suspect */
#define TM_BB_VOLX 10.0		/* volume above VOLX x median of the last ... */
#define TM_BB_NVOL 20		/* ... NVOL accepted volumes (at least MINVOL) */
#define TM_BB_MINVOL 10
#define TM_BB_FLAT 1e-4		/* ... with |close/ref - 1| below FLAT */
#define TM_BB_TOL 1e-6		/* relative slack of the range tests */

/* What a bar is; TM_BB_OK is a good bar (or no bar). */
enum tm_bb_kind {
	TM_BB_OK, TM_BB_NONPOS, TM_BB_HILO, TM_BB_RANGE, TM_BB_VOLSPIKE,
	TM_BB_JUMPK
};
/* The verdict on a suspect held from an earlier bar. */
enum tm_bb_held { TM_BB_NONE, TM_BB_REVERT, TM_BB_KEPT };

/* One ticker's state: constant size, zero it with tm_badbar_init. */
struct tm_badbar {
	double ref;			/* last accepted close, NaN before any */
	double susp;			/* close of the held suspect, NaN none */
	int32_t suspday;
	double vol[TM_BB_NVOL];		/* last accepted volumes > 0, a ring */
	int nvol, vpos;
};

/* A fresh state for one ticker: no close seen, no suspect held, no
 * volumes; a tm_badbar holds no memory to free. */
void tm_badbar_init(struct tm_badbar *b);

/*
 * The stateless checks: a positive open/high/low/close (NaN o/h/l are
 * not judged), high >= low, low <= close <= high, each with TM_BB_TOL of
 * slack for rounding.  Returns TM_BB_OK or the kind of the first failure.
 */
int tm_badbar_impossible(double o, double h, double l, double c);

/*
 * Feed the next bar of a ticker (day ascending; a NaN close is no bar and
 * changes nothing).  Returns the kind of this bar: TM_BB_OK when it is
 * good (it becomes the reference), else why it is bad (bad bars never
 * become the reference).  *held gets the verdict on the suspect this bar
 * settled (TM_BB_NONE when none), *heldday that suspect's day.
 * The rule: impossible bars are bad; a good bar settles a held suspect
 * (reverted when its close is nearer in log to the reference than to the
 * suspect, else kept and the suspect's close becomes the reference);
 * then a close more than TM_BB_JUMP from the reference on a day with no
 * split (split 1 or NaN) is a new suspect (TM_BB_JUMPK, bad); a close
 * within TM_BB_FLAT of the reference on a volume over TM_BB_VOLX times
 * the median of the last accepted volumes is TM_BB_VOLSPIKE (bad).
 */
int tm_badbar_push(struct tm_badbar *b, int32_t day, double o, double h,
    double l, double c, double v, double split, int *held, int32_t *heldday);

/* The finding name of a kind ("jump", "close_outside_range", ...) or of a
 * verdict (tm_badbar_heldname: "jump_revert", "jump_kept"). */
const char *tm_badbar_name(int kind);
const char *tm_badbar_heldname(int held);

#endif
