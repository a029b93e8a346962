/* a2c.c - A2C: one gradient step on each rollout of 5 days (SB3's
 * n_steps) with 8 draws a day; paired one-day advantages (ac.c). */
#include "tm.h"
#include "tmcore.h"
#include "train.h"
#include "ac.h"

static void *
a2c_init(struct train *tr)
{
	return ac_init(tr, 0, 5, 1, 5, 8, 0);
}

const struct algo algo_a2c = { "a2c", a2c_init, ac_epoch, ac_free };
