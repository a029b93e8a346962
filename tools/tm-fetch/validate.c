/* validate.c - sanity checks on fetched bars, one JSON line per finding. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "badbar.h"
#include "fetch.h"

void
finding(struct fetch *f, const char *kind, const char *sym, int32_t day,
    const char *src, const char *fmt, ...)
{
	char detail[256], iso[11];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	json_t *j = json_pack("{s:s,s:s}", "finding", kind, "ticker", sym);
	if (day != INT32_MIN)
		json_object_set_new(j, "date", json_string(tm_date_fmt(day,
		    iso)));
	if (src)
		json_object_set_new(j, "source", json_string(src));
	if (*detail)
		json_object_set_new(j, "detail", json_string(detail));
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fprintf(stderr, "%s\n", s);
	free(s);
	json_decref(j);
	f->findings++;
}

static int
same(const struct bar *a, const struct bar *b)
{
	for (int i = F_OPEN; i <= F_VOL; i++)
		if (i != F_ADJ && a->v[i] != b->v[i])
			return 0;
	return 1;
}

/* Hard problems: the bar cannot be right, so it is not written. */
static int
hard(struct fetch *f, const char *sym, const struct bar *b, const char *src)
{
	const double *v = b->v;

	if (!tm_trading_day(b->day)) {
		finding(f, "not_trading_day", sym, b->day, src, "%s",
		    "bar on a day the NYSE was closed");
		return 1;
	}
	/* The impossible bars of the shared rule (libcommon/badbar.c). */
	switch (tm_badbar_impossible(v[F_OPEN], v[F_HIGH], v[F_LOW],
	    v[F_CLOSE])) {
	case TM_BB_NONPOS:
		for (int i = F_OPEN; i <= F_CLOSE; i++)
			if (v[i] <= 0) {
				finding(f, "nonpositive_price", sym, b->day,
				    src, "%s %.10g", fetch_fields[i], v[i]);
				break;
			}
		return 1;
	case TM_BB_HILO:
		finding(f, "high_below_low", sym, b->day, src,
		    "high %.10g low %.10g", v[F_HIGH], v[F_LOW]);
		return 1;
	case TM_BB_RANGE:
		finding(f, "close_outside_range", sym, b->day, src,
		    "close %.10g not in [%.10g, %.10g]", v[F_CLOSE], v[F_LOW],
		    v[F_HIGH]);
		return 1;
	}
	if (v[F_VOL] < 0) {
		finding(f, "negative_volume", sym, b->day, src, "volume %.10g",
		    v[F_VOL]);
		return 1;
	}
	return 0;
}

/*
 * Every ticker's bars in date order through the shared bad-bar rule
 * (store bars too, so the state is the one tm-features builds; findings
 * only for fresh bars).  Hard findings drop the bar; a jump, a volume
 * spike, a jump that the next bar reverts ("jump_revert": that day was a
 * glitch) and a stale bar are written and reported.  (No gap check: a
 * Yahoo null bar is a day without trade, not a missing bar, and nothing
 * here tells the two apart.)
 */
long
validate_all(struct fetch *f)
{
	long before = f->findings;

	for (size_t k = 0; k < f->nt; k++) {
		struct ticker *t = &f->t[k];
		const struct bar *prev = NULL;
		struct tm_badbar bb;
		tm_badbar_init(&bb);
		series_sort(&t->s);
		for (size_t i = 0; i < t->s.n; i++) {
			struct bar *b = &t->s.b[i];
			const double *v = b->v;
			const char *src = b->src >= 0 ?
			    source_all[(int)b->src]->name : NULL;
			int held;
			int32_t hday;
			if (b->fresh && hard(f, t->sym, b, src)) {
				b->bad = 1;
				continue;
			}
			int kind = tm_badbar_push(&bb, b->day, v[F_OPEN],
			    v[F_HIGH], v[F_LOW], v[F_CLOSE], v[F_VOL],
			    v[F_SPLIT], &held, &hday);
			if (!b->fresh) {
				prev = b;
				continue;
			}
			if (held == TM_BB_REVERT)
				finding(f, "jump_revert", t->sym, hday, src,
				    "close back to %.10g the next day: that "
				    "bar was a glitch", v[F_CLOSE]);
			/* Soft: written, but someone should look. */
			if (kind == TM_BB_JUMPK && prev && prev->v[F_CLOSE] > 0)
				finding(f, "jump", t->sym, b->day, src,
				    "close moved %+.1f%% without a split",
				    (v[F_CLOSE] / prev->v[F_CLOSE] - 1) * 100);
			else if (kind == TM_BB_JUMPK)
				finding(f, "jump", t->sym, b->day, src,
				    "close %.10g: more than %.0f%% from the "
				    "last good close without a split",
				    v[F_CLOSE], TM_BB_JUMP * 100);
			if (kind == TM_BB_VOLSPIKE)
				finding(f, "volume_spike", t->sym, b->day, src,
				    "volume %.10g over %.0fx its median, close "
				    "unchanged", v[F_VOL], TM_BB_VOLX);
			if (prev && prev->v[F_CLOSE] > 0 && same(b, prev))
				finding(f, "stale", t->sym, b->day, src,
				    "%s", "same OHLCV as the bar before");
			prev = b;
		}
	}
	return f->findings - before;
}
