/*
 * assign.c - the slot table: membership changes move stocks between the
 * active and archive regions, never between two active slots.
 *
 * Timing: an event dated D is applied by the first frame dated on or after
 * D, but its dates count from D itself, so tenure and the archive clock do
 * not depend on which days happen to have frames.  Events are applied date
 * by date: first the archive expiry at that date, then the removes, then the
 * adds, each in ticker order.  Months are whole calendar months (sm_months).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slotmap.h"

void
sm_table_init(struct sm_table *t, const struct sm_layout *l)
{
	memset(t, 0, sizeof(*t));
	t->lay = *l;
	t->nslots = sm_layout_total(l);
	t->s = ecalloc((size_t)t->nslots, sizeof(*t->s));
	t->last = -1;
}

void
sm_table_release(struct sm_table *t)
{
	for (int64_t i = 0; i < t->nslots; i++)
		free(t->s[i].ticker);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

int
sm_months(int32_t a, int32_t b)
{
	int ya, ma, da, yb, mb, db;

	tm_date_ymd(a, &ya, &ma, &da);
	tm_date_ymd(b, &yb, &mb, &db);
	/* A month is complete on the same day of the month; from the 31st
	 * it completes on the 1st after a shorter month. */
	return (yb - ya) * 12 + (mb - ma) - (db < da);
}

int
sm_slot_region(const struct sm_table *t, int64_t i)
{
	if (i < t->lay.active)
		return SM_ACTIVE;
	if (i < t->lay.active + t->lay.archive)
		return SM_ARCHIVE;
	return SM_PADDING;
}

void
sm_slot_temporal(const struct sm_table *t, int64_t i, int32_t d,
    double *isnew, double *tenure)
{
	const struct sm_slot *s = &t->s[i];

	if (s->ticker == NULL) {
		*isnew = *tenure = NAN;
		return;
	}
	if (s->archived == -1) {
		int m = sm_months(s->added, d);
		*isnew = !s->seeded && m < SM_NEW_MONTHS;
		*tenure = m;
	} else {
		/* -1 in the first month after the remove, down to -12:
		 * never 0, which would read as a fresh add. */
		*isnew = 0;
		*tenure = -1 - sm_months(s->archived, d);
	}
}

static int64_t
find_ticker(const struct sm_table *t, const char *tk)
{
	for (int64_t i = 0; i < t->lay.active + t->lay.archive; i++)
		if (t->s[i].ticker && strcmp(t->s[i].ticker, tk) == 0)
			return i;
	return -1;
}

static void
clear(struct sm_slot *s)
{
	free(s->ticker);
	memset(s, 0, sizeof(*s));
	s->archived = -1;
}

static int
expire(struct sm_table *t, int32_t d)
{
	int changed = 0;

	for (int64_t i = t->lay.active; i < t->lay.active + t->lay.archive; i++)
		if (t->s[i].ticker &&
		    sm_months(t->s[i].archived, d) >= SM_ARCHIVE_MONTHS) {
			clear(&t->s[i]);
			changed = 1;
		}
	return changed;
}

static void
do_remove(struct sm_table *t, const struct sm_event *e)
{
	char buf[11], buf2[11];
	int64_t i = find_ticker(t, e->ticker), j, lo = t->lay.active,
	    hi = t->lay.active + t->lay.archive;

	if (i == -1)
		tm_die(EX_DATAERR, "%s:%ld: remove of %s, not a member on %s",
		    e->file, e->line, e->ticker, tm_date_fmt(e->date, buf));
	if (t->s[i].archived != -1)
		tm_die(EX_DATAERR, "%s:%ld: remove of %s, already removed on %s",
		    e->file, e->line, e->ticker,
		    tm_date_fmt(t->s[i].archived, buf));
	if (lo == hi) {
		/* No archive region: the stock simply leaves. */
		clear(&t->s[i]);
		return;
	}
	for (j = lo; j < hi && t->s[j].ticker; j++)
		;
	if (j == hi) {
		/* Archive full: the policy is to evict the stock archived
		 * longest ago (lowest slot on a tie) before its 12 months
		 * are up, and to say so; dropping it is harmless, as it can
		 * only be sold, and the caller's policy sees it vanish. */
		j = lo;
		for (int64_t k = lo + 1; k < hi; k++)
			if (t->s[k].archived < t->s[j].archived)
				j = k;
		tm_warn("%s: archive full: %s (removed %s) leaves early to make "
		    "room for %s", tm_date_fmt(e->date, buf), t->s[j].ticker,
		    tm_date_fmt(t->s[j].archived, buf2), e->ticker);
		t->evicted++;
		clear(&t->s[j]);
	}
	t->s[j] = t->s[i];
	t->s[j].archived = e->date;
	memset(&t->s[i], 0, sizeof(t->s[i]));
	t->s[i].archived = -1;
}

static int64_t
free_active(const struct sm_table *t)
{
	for (int64_t i = 0; i < t->lay.active; i++)
		if (t->s[i].ticker == NULL)
			return i;
	return -1;
}

static void
add(struct sm_table *t, const char *tk, int32_t d, int seeded,
    const char *file, long line)
{
	char buf[11], loc[TM_MAX_LABEL + 64];
	int64_t i = find_ticker(t, tk), j;

	/* Snapshot members have no line of their own. */
	if (line > 0)
		snprintf(loc, sizeof(loc), "%s:%ld", file, line);
	else
		snprintf(loc, sizeof(loc), "%s", file);
	if (i != -1 && t->s[i].archived == -1)
		tm_die(EX_DATAERR, "%s: add of %s, already a member since %s",
		    loc, tk, tm_date_fmt(t->s[i].added, buf));
	if ((j = free_active(t)) == -1)
		tm_die(EX_DATAERR, "%s: layout %s overflows on %s: adding %s "
		    "needs an active slot and all %lld are taken", loc,
		    t->lay.name, tm_date_fmt(d, buf), tk,
		    (long long)t->lay.active);
	/* A stock re-added from the archive starts over as new. */
	if (i != -1)
		clear(&t->s[i]);
	t->s[j].ticker = estrdup(tk);
	t->s[j].added = d;
	t->s[j].archived = -1;
	t->s[j].seeded = seeded;
}

void
sm_table_seek(struct sm_table *t, const struct sm_members *m)
{
	t->next = 0;
	while (t->next < m->nev && m->ev[t->next].date <= t->last)
		t->next++;
}

int
sm_table_advance(struct sm_table *t, const struct sm_members *m, int32_t d)
{
	int changed = 0;

	if (t->last == -1) {
		sm_table_seek(t, m);
		if (m->nsnap > 0) {
			/* A snapshot is the membership as of the first frame,
			 * so the events up to that day are already in it. */
			for (size_t k = 0; k < m->nsnap; k++)
				add(t, m->snap[k], d, 1, m->snapfile, 0);
			while (t->next < m->nev && m->ev[t->next].date <= d)
				t->next++;
			changed = 1;
		}
	}
	while (t->next < m->nev && m->ev[t->next].date <= d) {
		int32_t g = m->ev[t->next].date;
		changed |= expire(t, g);
		for (; t->next < m->nev && m->ev[t->next].date == g; t->next++) {
			const struct sm_event *e = &m->ev[t->next];
			if (e->remove)
				do_remove(t, e);
			else
				add(t, e->ticker, e->date, 0, e->file, e->line);
			changed = 1;
		}
	}
	changed |= expire(t, d);
	t->last = d;
	return changed;
}
