/* trainers.c - the trainers of tm-train, one entry each: the usage's
 * --algo list, the error naming the choices and the default step all
 * come from this table (t0442 keeps it, usage and tm-train(1) in step).
 * A trainer is its own file defining a struct algo plus one line here. */
#include "tm.h"
#include "tmcore.h"
#include "train.h"

const struct trainer trainers[] = {
	{ &algo_dpg, 3e-3, "direct policy gradient through the return" },
	{ &algo_ppo, 3e-3, "PPO, paired one-day advantages" },
	{ &algo_a2c, 1e-3, "A2C, paired one-day advantages" },
	{ &algo_sac, 3e-3, "soft actor-critic, slot-wise critic" },
};
const size_t ntrainers = sizeof(trainers) / sizeof(trainers[0]);
