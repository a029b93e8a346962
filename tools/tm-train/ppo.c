/* ppo.c - PPO: rollouts of 64 days with 8 draws a day, 4 passes of
 * minibatches of 16 days over each, the clipped surrogate (0.2); paired
 * one-day advantages (ac.c). */
#include "tm.h"
#include "tmcore.h"
#include "train.h"
#include "ac.h"

static void *
ppo_init(struct train *tr)
{
	return ac_init(tr, 1, 64, 4, 16, 8, 0);
}

const struct algo algo_ppo = { "ppo", ppo_init, ac_epoch, ac_free };
