/* ppo.c - PPO: rollouts of 64 days with 8 draws a day, 4 passes of
 * minibatches of 16 days over each, the clipped surrogate (0.2); paired
 * one-day advantages, with -p critic=1 plus the critic's multi-day term
 * (ac.c). */
#include "tm.h"
#include "tmcore.h"
#include "train.h"
#include "ac.h"

/* Off by default: it measured worse on the synthetic learn tests
 * (tm-train(1) BUGS), and is kept to be measured. */
static const struct knob knobs[] = {
	{ "critic", "0|1", "0", 0, 1, 1, "1 adds the multi-day critic" },
};

static void *
ppo_init(struct train *tr)
{
	return ac_init(tr, 1, 64, 4, 16, 8, tr->knob[0] != 0);
}

const struct algo algo_ppo = { "ppo", ppo_init, ac_epoch, ac_free, knobs,
    sizeof(knobs) / sizeof(knobs[0]) };
