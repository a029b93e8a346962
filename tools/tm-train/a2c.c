/* a2c.c - A2C: one gradient step on each rollout of 5 days (SB3's
 * n_steps) with 8 draws a day; paired one-day advantages, with -p
 * critic=1 plus the critic's multi-day term (ac.c). */
#include "tm.h"
#include "tmcore.h"
#include "train.h"
#include "ac.h"

/* Off by default, as ppo's (ppo.c). */
static const struct knob knobs[] = {
	{ "critic", "0|1", "0", 0, 1, 1, "1 adds the multi-day critic" },
};

static void *
a2c_init(struct train *tr)
{
	return ac_init(tr, 0, 5, 1, 5, 8, tr->knob[0] != 0);
}

const struct algo algo_a2c = { "a2c", a2c_init, ac_epoch, ac_free, knobs,
    sizeof(knobs) / sizeof(knobs[0]) };
