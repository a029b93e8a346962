/* table.c - the strategy table and its parameters: usage, --list and
 * every parameter error are printed from here, so adding a strategy is
 * one file and one line below. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

const struct strategy *const strategies[] = {
	&strat_sma, &strat_breakout, &strat_buyhold, &strat_equal,
	&strat_invvol, &strat_minvar, &strat_momentum, &strat_meanrev,
	&strat_blend,
	&strat_mlls, NULL
};

const struct strategy *
strategy_find(const char *name)
{
	for (int i = 0; strategies[i]; i++)
		if (!strcmp(strategies[i]->name, name))
			return strategies[i];
	return NULL;
}

static const char *
kind_name(enum pkind k)
{
	return k == P_INT ? "integer" : k == P_REAL ? "number" :
	    k == P_BOOL ? "0 or 1" : "text";
}

/* The parameter names of s, "a, b, c", for messages. */
static void
names(const struct strategy *s, char *buf, size_t n)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < s->nparam && at < n; i++)
		at += snprintf(buf + at, n - at, "%s%s", i ? ", " : "",
		    s->param[i].name);
	if (!s->nparam)
		snprintf(buf, n, "none");
}

static void
set_one(const struct strategy *s, int i, const char *val, struct svals *v)
{
	const struct sparam *p = &s->param[i];
	char *end;

	v->str[i] = val;
	if (p->kind == P_STR) {
		v->num[i] = NAN;
		return;
	}
	double x = strtod(val, &end);
	if (!*val || *end || !isfinite(x) || x < p->lo || x > p->hi ||
	    (p->kind != P_REAL && x != floor(x)))
		tm_die(EX_USAGE, "%s: %s=%s: want %s in [%g, %g]", s->name,
		    p->name, val, kind_name(p->kind), p->lo, p->hi);
	v->num[i] = x;
}

void
strategy_params(const struct strategy *s, char **set, int nset,
    struct svals *v, char **model)
{
	char buf[512];
	size_t cap = 64, at;

	for (int i = 0; i < s->nparam; i++)
		set_one(s, i, s->param[i].def, v);
	for (int k = 0; k < nset; k++) {
		const char *eq = strchr(set[k], '=');
		int i;

		if (!eq)
			tm_die(EX_USAGE, "-p %s: want name=value", set[k]);
		for (i = 0; i < s->nparam; i++)
			if (strlen(s->param[i].name) == (size_t)(eq - set[k]) &&
			    !strncmp(s->param[i].name, set[k], eq - set[k]))
				break;
		if (i == s->nparam) {
			names(s, buf, sizeof(buf));
			tm_die(EX_USAGE, "%s: no parameter '%.*s' (%s)", s->name,
			    (int)(eq - set[k]), set[k], buf);
		}
		set_one(s, i, eq + 1, v);
	}
	for (int i = 0; i < s->nparam; i++)
		cap += strlen(s->param[i].name) + strlen(v->str[i]) + 2;
	*model = emalloc(cap);
	at = snprintf(*model, cap, "%s", s->name);
	for (int i = 0; i < s->nparam; i++)
		at += snprintf(*model + at, cap - at, " %s=%s",
		    s->param[i].name, v->str[i]);
}

void
strategy_list(FILE *fp)
{
	int n = 0;

	while (strategies[n])
		n++;
	for (int i = 0; i <= n; i++) {
		/* fit, the trainer of mlls, is listed last. */
		const struct strategy *s = i < n ? strategies[i] : &strat_fit;

		fprintf(fp, "%s\t%s\n", s->name, s->summary);
		for (int k = 0; k < s->nparam; k++)
			fprintf(fp, "\t%s=%s\t%s (%s)\n", s->param[k].name,
			    s->param[k].def, s->param[k].help,
			    kind_name(s->param[k].kind));
	}
}
