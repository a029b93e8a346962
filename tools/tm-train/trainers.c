/* trainers.c - the trainers of tm-train, one entry each: the usage's
 * --algo list and knobs, the errors naming the choices and the default
 * step all come from this table and the knobs each trainer's file
 * declares (t0442 keeps them, usage and tm-train(1) in step).  A trainer
 * is its own file defining a struct algo (with its knobs), plus its name
 * on the extern line and its entry here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "train.h"

/* Each defined in its own file (dpg.c, ...). */
extern const struct algo algo_dpg, algo_ppo, algo_a2c, algo_sac;

const struct trainer trainers[] = {
	{ &algo_dpg, 3e-3, "direct policy gradient through the return" },
	{ &algo_ppo, 3e-3, "PPO, paired one-day advantages" },
	{ &algo_a2c, 1e-3, "A2C, paired one-day advantages" },
	{ &algo_sac, 3e-3, "soft actor-critic, slot-wise critic" },
};
const size_t ntrainers = sizeof(trainers) / sizeof(trainers[0]);

const struct trainer *
trainer_find(const char *s)
{
	for (size_t i = 0; i < ntrainers; i++)
		if (!strcmp(s, trainers[i].al->name))
			return &trainers[i];
	return NULL;
}

const char *
trainer_names(const char *sep, const char *last)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ntrainers && n < sizeof(buf); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", i == 0 ? "" :
		    i + 1 == ntrainers ? last : sep, trainers[i].al->name);
	return buf;
}

/* The knobs of al into buf, "critic=0|1, ...", or "none". */
static void
knob_names(const struct algo *al, char *buf, size_t n)
{
	size_t at = 0;

	snprintf(buf, n, "none");
	for (int i = 0; i < al->nknob && at < n; i++)
		at += snprintf(buf + at, n - at, "%s%s=%s", i ? ", " : "",
		    al->knob[i].name, al->knob[i].arg);
}

const char *
trainer_knobs(void)
{
	static char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ntrainers; i++) {
		const struct algo *al = trainers[i].al;

		for (int k = 0; k < al->nknob && n < sizeof(buf); k++) {
			char one[128];

			snprintf(one, sizeof(one), "[-p %s=%s]",
			    al->knob[k].name, al->knob[k].arg);
			/* A knob two trainers share is shown once. */
			if (strstr(buf, one))
				continue;
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
			    n ? " " : "", one);
		}
	}
	return buf;
}

/* Knob i of al from the text val: the setting s's, or its default
 * when s is NULL (a default out of range is the table's bug, 70). */
static double
knob_value(const struct algo *al, int i, const char *val, const char *s)
{
	const struct knob *k = &al->knob[i];
	char *end;
	double x = strtod(val, &end);

	if (!*val || *end || !isfinite(x) || x < k->lo || x > k->hi ||
	    (k->integer && x != floor(x)))
		tm_die(s ? EX_USAGE : EX_SOFTWARE, "-p %s%s%s: %s's %s wants "
		    "%s, %s in [%g, %g]", s ? s : k->name, s ? "" : "=",
		    s ? "" : val, al->name, k->name, k->arg, k->integer ?
		    "an integer" : "a number", k->lo, k->hi);
	return x;
}

void
knob_parse(const struct algo *al, char **set, int nset, double *v)
{
	char buf[512];

	if (al->nknob > MAXKNOB)
		tm_die(EX_SOFTWARE, "%s: %d knobs, at most %d", al->name,
		    al->nknob, MAXKNOB);
	for (int i = 0; i < al->nknob; i++)
		v[i] = knob_value(al, i, al->knob[i].def, NULL);
	for (int j = 0; j < nset; j++) {
		const char *eq = strchr(set[j], '=');
		size_t len = eq ? (size_t)(eq - set[j]) : 0;
		int i;

		if (!eq)
			tm_die(EX_USAGE, "-p %s: want name=value", set[j]);
		for (i = 0; i < al->nknob; i++)
			if (strlen(al->knob[i].name) == len &&
			    !strncmp(al->knob[i].name, set[j], len))
				break;
		if (i == al->nknob) {
			knob_names(al, buf, sizeof(buf));
			tm_die(EX_USAGE, "-p %s: %s has no knob '%.*s' (its "
			    "knobs: %s)", set[j], al->name, (int)len, set[j],
			    buf);
		}
		v[i] = knob_value(al, i, eq + 1, set[j]);
	}
}
