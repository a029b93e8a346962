/* rules.c - tm-diff's sizing modes, regime scaling, risk rules, the
 * BUY/SELL/HOLD decision, the trade limit and the warnings (tm-diff(1),
 * RULES).  Each rule works on the day's targets, slot by slot, and names
 * itself in the reason of every row it changes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

const char *const reason_names[NREASON] = {
	"policy", "position", "sector", "cash", "trades", "stoploss",
	"timestop", "portstop", "riskoff", "riskstop", "archive", "noprice",
	"delist", "reslot", "regime"
};

static int
on(const struct opts *o, int r)
{
	return !(o->off & (1u << r));
}

/* Change slot i's target to v under rule r (a no-op when equal). */
static void
set(struct day *d, int i, double v, int r, int *fired)
{
	if (v == d->tgt[i])
		return;
	d->tgt[i] = v;
	d->reason[i] = r;
	fired[r]++;
}

static void
addlist(char *buf, size_t len, const char *name)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? "," : "", name);
}

static double
sum_targets(const struct day *d)
{
	double s = 0;

	for (int i = 0; i < d->N; i++)
		s += d->tgt[i];
	return s;
}

/* Kelly and inverse volatility replace the policy's sizes of its picks
 * (the slots it gives weight to); the policy still chooses the names. */
static void
sizing(const struct opts *o, struct day *d)
{
	double before = sum_targets(d), after = 0;

	if (o->sizing == SIZE_POLICY)
		return;
	for (int i = 0; i < d->N; i++) {
		if (!(d->tgt[i] > 0) || d->kind[i] != TM_SLOT_ACTIVE)
			continue;
		double mu = d->hmu[i], var = d->hvar[i], v = 0;

		if (o->sizing == SIZE_KELLY) {
			if (isfinite(mu) && var > 0 && mu > 0)
				v = o->kelly * mu / var;
			if (on(o, R_POSITION) && v > o->maxpos)
				v = o->maxpos;
			if (v > 1)
				v = 1;
		} else if (var > 0)
			v = d->tgt[i] / sqrt(var);
		d->tgt[i] = v;
		after += v;
	}
	if (o->sizing == SIZE_KELLY && after > 1)
		for (int i = 0; i < d->N; i++)
			d->tgt[i] /= after;
	if (o->sizing == SIZE_VOL && after > 0)
		for (int i = 0; i < d->N; i++)
			d->tgt[i] *= before / after;
}

/* The regime from the benchmark's trailing returns kept in the state:
 * high volatility when their annualised sd is above o->hivol, else bull
 * when their sum is positive, else bear. */
static double
regime_mult(const struct opts *o, const struct state *s)
{
	double mu = 0, var = 0;

	if (s->nh < 2)
		return 1;
	for (int k = 0; k < s->nh; k++)
		mu += s->hbench[k];
	for (int k = 0; k < s->nh; k++)
		var += (s->hbench[k] - mu / s->nh) * (s->hbench[k] - mu /
		    s->nh);
	var /= s->nh - 1;
	if (sqrt(252 * var) > o->hivol)
		return o->regime[2];
	return mu > 0 ? o->regime[0] : o->regime[1];
}

static double
corr(const double *a, const double *b, int n)
{
	double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

	for (int k = 0; k < n; k++) {
		ma += a[k] / n;
		mb += b[k] / n;
	}
	for (int k = 0; k < n; k++) {
		sab += (a[k] - ma) * (b[k] - mb);
		saa += (a[k] - ma) * (a[k] - ma);
		sbb += (b[k] - mb) * (b[k] - mb);
	}
	return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

struct cand { int i, forced; double mag; };

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->forced != y->forced)
		return y->forced - x->forced;
	if (x->mag != y->mag)
		return x->mag < y->mag ? 1 : -1;
	return x->i - y->i;
}

void
rules_apply(const struct opts *o, const struct state *s, struct day *d,
    int *fired, char *warnings, size_t wlen, char *critical, size_t clen)
{
	int N = d->N;

	sizing(o, d);
	if (o->use_regime) {
		double m = regime_mult(o, s);

		for (int i = 0; i < N; i++)
			set(d, i, d->tgt[i] * m, R_REGIME, fired);
	}
	for (int i = 0; i < N; i++) {
		if (on(o, R_ARCHIVE) && d->region[i] == TM_REGION_ARCHIVE && d->tgt[i] >
		    d->cur[i])
			set(d, i, d->cur[i], R_ARCHIVE, fired);
		if (on(o, R_POSITION) && d->tgt[i] > o->maxpos)
			set(d, i, o->maxpos, R_POSITION, fired);
	}
	if (on(o, R_SECTOR) && d->sector) {
		/* Sectors in first-seen order; a small universe of names. */
		for (int i = 0; i < N; i++) {
			const char *sec = d->sector[i];
			double tot = 0;
			int first = 1;

			if (!sec)
				continue;
			for (int j = 0; j < N; j++)
				if (d->sector[j] && !strcmp(d->sector[j], sec)) {
					if (j < i)
						first = 0;
					tot += d->tgt[j];
				}
			if (!first || tot <= o->maxsector)
				continue;
			for (int j = 0; j < N; j++)
				if (d->sector[j] && !strcmp(d->sector[j], sec))
					set(d, j, d->tgt[j] * (o->maxsector /
					    tot), R_SECTOR, fired);
		}
	}
	if (on(o, R_RISKOFF) && d->turb > o->turb1)
		for (int i = 0; i < N; i++)
			set(d, i, d->tgt[i] * (1 - o->riskcut), R_RISKOFF,
			    fired);
	if (on(o, R_CASH)) {
		double tot = sum_targets(d);

		if (tot > 1 - o->mincash)
			for (int i = 0; i < N; i++)
				set(d, i, d->tgt[i] * ((1 - o->mincash) / tot),
				    R_CASH, fired);
	}
	for (int i = 0; i < N; i++) {
		if (!(d->cur[i] > 0) || !isfinite(d->close[i]))
			continue;
		double gain = d->close[i] / d->basis[i] - 1;

		if (on(o, R_STOPLOSS) && gain <= -o->stoploss) {
			set(d, i, 0, R_STOPLOSS, fired);
			d->forced[i] = 1;
		} else if (on(o, R_TIMESTOP) && d->days[i] >= o->timestop &&
		    gain <= 0) {
			set(d, i, 0, R_TIMESTOP, fired);
			d->forced[i] = 1;
		}
	}
	if (on(o, R_RISKSTOP) && d->turb > o->turb2) {
		for (int i = 0; i < N; i++) {
			set(d, i, 0, R_RISKSTOP, fired);
			d->forced[i] = 1;
		}
		addlist(critical, clen, "riskstop");
	}
	if (on(o, R_PORTSTOP) && (s->stopleft > 0 ||
	    s->index <= s->peak * (1 - o->portstop))) {
		for (int i = 0; i < N; i++) {
			set(d, i, 0, R_PORTSTOP, fired);
			d->forced[i] = 1;
		}
		addlist(critical, clen, "portstop");
	}
	/* No trade without a price: the row holds whatever came before. */
	for (int i = 0; i < N; i++)
		if (on(o, R_NOPRICE) && d->kind[i] == TM_SLOT_NONE &&
		    d->tgt[i] != d->cur[i]) {
			set(d, i, d->cur[i], R_NOPRICE, fired);
			d->hold[i] = 1;
			d->forced[i] = 0;
		}

	/* The decision, then the day's trade limit. */
	struct cand *c = emalloc((N + 1) * sizeof(*c));
	int nc = 0;
	for (int i = 0; i < N; i++) {
		double dl = d->tgt[i] - d->cur[i];

		d->action[i] = 0;
		if (d->hold[i])
			continue;
		if (d->forced[i] ? dl < 0 : dl < -o->threshold)
			d->action[i] = -1;
		else if (!d->forced[i] && dl > o->threshold)
			d->action[i] = 1;
		else {
			/*
			 * A HOLD keeps the position as it drifts.  With no
			 * threshold a target equal to the current weight
			 * still stands: the fill trades the drift back to it,
			 * as the environment's does, so --threshold 0 keeps
			 * the index equal to the training evaluation's.
			 */
			if (o->threshold > 0 || d->forced[i]) {
				d->tgt[i] = d->cur[i];
				d->hold[i] = 1;
			}
			continue;
		}
		c[nc].i = i;
		c[nc].forced = d->forced[i];
		c[nc].mag = fabs(dl);
		nc++;
	}
	if (on(o, R_TRADES) && nc > o->maxtrades) {
		qsort(c, nc, sizeof(*c), cand_cmp);
		for (int k = o->maxtrades; k < nc; k++) {
			int i = c[k].i;

			d->tgt[i] = d->cur[i];
			d->action[i] = 0;
			d->hold[i] = 1;
			d->reason[i] = R_TRADES;
			fired[R_TRADES]++;
		}
	}
	free(c);
	for (int i = 0; i < N; i++)
		d->delta[i] = d->tgt[i] - d->cur[i];

	/* Warnings: shown, not acted on. */
	if (o->capital > 0 && s->index < 0.8 && !(o->off & (1u << NREASON)))
		addlist(warnings, wlen, "equity");
	if (s->losing > 5 && !(o->off & (1u << (NREASON + 1))))
		addlist(warnings, wlen, "losing");
	if (s->nh >= 20 && tm_sharpe(s->hret, s->nh) < o->sharpe_limit &&
	    !(o->off & (1u << (NREASON + 2))))
		addlist(warnings, wlen, "sharpe");
	if (s->nh >= 20 && corr(s->hret, s->hbench, s->nh) > 0.8 &&
	    !(o->off & (1u << (NREASON + 3))))
		addlist(warnings, wlen, "correlation");
}
