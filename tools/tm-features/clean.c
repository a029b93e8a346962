/*
 * clean.c - bad bars out of the features: the shared rule of
 * libcommon/badbar.c judges each bar as it arrives (never a later one), a
 * bad bar is reported on stderr and never reaches the indicator state, so
 * its day's row is NaN (untradable for tm-slotmap and tm-infer) and the
 * next good bar's ret is taken from the last good close.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features.h"

static char *badlist;
static size_t badlen, badcap;

static void
report(const char *kind, const char *sym, int32_t day, const char *fmt,
    double x, double y)
{
	char iso[11], detail[128];

	snprintf(detail, sizeof(detail), fmt, x, y);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "finding", kind, "ticker",
	    sym, "date", tm_date_fmt(day, iso), "detail", detail);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fprintf(stderr, "%s\n", s);
	free(s);
	json_decref(j);
}

static void
addbad(const char *sym)
{
	size_t n = strlen(sym) + 2;

	if (badlen + n > badcap)
		badlist = ereallocarray(badlist, badcap = 2 * (badlen + n), 1);
	badlen += (size_t)sprintf(badlist + badlen, "%s%s", badlen ? "," : "",
	    sym);
}

int
clean_bar(struct tk *t, int32_t day, double o, double h, double l, double c,
    double v, double split)
{
	int held;
	int32_t hday;
	double ref = t->bb.ref, susp = t->bb.susp;
	int k = tm_badbar_push(&t->bb, day, o, h, l, c, v, split, &held,
	    &hday);

	if (held != TM_BB_NONE)
		report(tm_badbar_heldname(held), t->name, hday,
		    held == TM_BB_REVERT ? "close %.10g came back to %.10g" :
		    "close %.10g held at %.10g: a real move, that day stays out",
		    susp, c);
	switch (k) {
	case TM_BB_OK:
		return 0;
	case TM_BB_JUMPK:
		report("jump", t->name, day,
		    "close %.10g after %.10g without a split: suspect", c, ref);
		break;
	case TM_BB_VOLSPIKE:
		report("volume_spike", t->name, day,
		    "volume %.10g, close %.10g unchanged", v, c);
		break;
	case TM_BB_HILO:
		report("high_below_low", t->name, day, "high %.10g low %.10g",
		    h, l);
		break;
	case TM_BB_RANGE:
		report("close_outside_range", t->name, day,
		    "close %.10g outside low %.10g / high", c, l);
		break;
	default:
		report(tm_badbar_name(k), t->name, day, "close %.10g low %.10g",
		    c, l);
	}
	addbad(t->name);
	return 1;
}

const char *
clean_day(void)
{
	static char empty[1];

	if (badlen == 0)
		return empty;
	badlen = 0;
	return badlist;
}

void
clean_free(void)
{
	free(badlist);
	badlist = NULL;
	badlen = badcap = 0;
}
