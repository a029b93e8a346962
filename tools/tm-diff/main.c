/* tm-diff - the day's recommendations against a paper portfolio, and the
 * portfolio's state (tm-diff(1)).
 *
 * The run for day D earns D's returns on what the fill at the previous
 * applied day's close left, fills at D's close the targets that day
 * decided (the user is assumed to follow them), then decides from D's
 * weights: decide t, trade at the close of t+1, earn t+2, as tm-train's
 * environment does, and with its very arithmetic (libcommon/book.c), so
 * the state's index is the evaluation's value to the last bit. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diff.h"
#include "book.h"

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: tm-diff [--reset reason] [--capital value] "
	    "[--cost rate] [--threshold t]\n"
	    "               [--sizing policy|kelly|volatility] [--kelly f] "
	    "[--window days]\n"
	    "               [--regime bull,bear,hivol] [--hivol sd] "
	    "[--sectors file] [--bench file]\n"
	    "               [--off rules] [--max-position f] "
	    "[--max-sector f] [--min-cash f]\n"
	    "               [--max-trades n] [--stop-loss f] "
	    "[--time-stop days]\n"
	    "               [--portfolio-stop f] [--stop-days n] "
	    "[--risk-off t1,t2]\n"
	    "               [--risk-cut f] [--delist days] [--sharpe-limit s] "
	    "-s statedir\n"
	    "               --slots slotfile [weights]\n");
	tm_usage_exit();
}

/* ----------------------------------------------------------- inputs */

struct sectors { char **t, **s; size_t n; };

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A ticker,sector CSV with a header line (no quoted commas). */
static void
sectors_load(struct sectors *m, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, **pairs = NULL;
	size_t cap = 0, n = 0, pc = 0;
	long ln = 0;

	if (!fp)
		tm_die(EX_NOINPUT, "%s:", path);
	while (getline(&line, &cap, fp) != -1) {
		char *c;

		ln++;
		line[strcspn(line, "\r\n")] = 0;
		if (ln == 1 || !*line)
			continue;
		if (!(c = strchr(line, ',')))
			tm_die(EX_DATAERR, "%s:%ld: not ticker,sector", path,
			    ln);
		if (n == pc) {
			pc = pc ? pc * 2 : 256;
			pairs = ereallocarray(pairs, pc, sizeof(char *));
		}
		pairs[n++] = estrdup(line);
	}
	free(line);
	fclose(fp);
	qsort(pairs, n, sizeof(char *), cmpstr);
	m->n = n;
	m->t = pairs;
	m->s = emalloc((n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		char *c = strchr(pairs[i], ',');

		*c = 0;
		m->s[i] = c + 1;
	}
	/* Sorted by "ticker,..." is sorted by ticker once cut at ','
	 * only if no ticker is a prefix of another: sort again. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(m->t[j - 1], m->t[j]) > 0;
		    j--) {
			char *a = m->t[j], *b = m->s[j];

			m->t[j] = m->t[j - 1], m->s[j] = m->s[j - 1];
			m->t[j - 1] = a, m->s[j - 1] = b;
		}
}

static const char *
sector_of(const struct sectors *m, const char *t)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->t[mid], t);

		if (!c)
			return m->s[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The benchmark's close by date, from a price stream (first row). */
struct bench { int32_t *day; double *close; int n; };

static void
bench_load(struct bench *b, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct tm_reader *r;
	struct tm_frame f;
	int rc, cap = 0;

	memset(b, 0, sizeof(*b));
	if (!fp)
		tm_die(EX_NOINPUT, "%s:", path);
	r = tm_reader_new(fp, path);
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		int64_t cc = f.ndim == 2 ? tm_frame_find_label(&f, 1, "close") :
		    -1;
		int32_t day;

		if (cc < 0 || !tm_frame_date(&f) ||
		    tm_date_parse(tm_frame_date(&f), &day) == -1)
			tm_die(EX_DATAERR, "%s: frame %lld: no close or date",
			    path, (long long)f.seq);
		if (b->n == cap) {
			cap = cap ? cap * 2 : 1024;
			b->day = ereallocarray(b->day, cap, sizeof(int32_t));
			b->close = ereallocarray(b->close, cap, sizeof(double));
		}
		b->day[b->n] = day;
		b->close[b->n++] = tm_frame_get(&f, cc);
	}
	if (rc == -1)
		tm_die(tm_reader_status(r), "%s: cannot read", path);
	tm_frame_release(&f);
	tm_reader_free(r);
	fclose(fp);
}

static double
bench_at(const struct bench *b, int32_t day)
{
	for (int i = b->n - 1; i >= 0; i--)
		if (b->day[i] == day)
			return b->close[i];
	return NAN;
}

/* The trailing slot frames: labels and returns, newest last. */
struct ring { int cap, n, N; char ***lab; float **ret; };

static void
ring_push(struct ring *g, const struct tm_frame *f, int64_t cret)
{
	int N = (int)f->shape[0], W = (int)f->shape[1];

	if (g->cap == 0)
		return;
	if (g->n == g->cap) {
		for (int i = 0; i < g->N; i++)
			free(g->lab[0][i]);
		free(g->lab[0]);
		free(g->ret[0]);
		memmove(g->lab, g->lab + 1, (g->n - 1) * sizeof(*g->lab));
		memmove(g->ret, g->ret + 1, (g->n - 1) * sizeof(*g->ret));
		g->n--;
	}
	g->N = N;
	g->lab[g->n] = emalloc(N * sizeof(char *));
	g->ret[g->n] = emalloc(N * sizeof(float));
	for (int i = 0; i < N; i++) {
		g->lab[g->n][i] = estrdup(f->labels[0] ? f->labels[0][i] : "");
		g->ret[g->n][i] = cret < 0 ? NAN :
		    (float)tm_frame_get(f, (size_t)i * W + cret);
	}
	g->n++;
}

static void
ring_free(struct ring *g)
{
	for (int k = 0; k < g->n; k++) {
		for (int i = 0; i < g->N; i++)
			free(g->lab[k][i]);
		free(g->lab[k]);
		free(g->ret[k]);
	}
	free(g->lab);
	free(g->ret);
}

/* Mean and variance of slot i's trailing returns while it held its
 * ticker lab (NaN when fewer than 2). */
static void
ring_stats(const struct ring *g, int i, const char *lab, double *mu,
    double *var)
{
	double s = 0, ss = 0;
	int n = 0;

	for (int k = g->n - 1; k >= 0; k--) {
		if (i >= g->N || strcmp(g->lab[k][i], lab))
			break;
		if (isfinite(g->ret[k][i])) {
			s += g->ret[k][i];
			n++;
		}
	}
	*mu = *var = NAN;
	if (n < 2)
		return;
	*mu = s / n;
	for (int k = g->n - 1; k >= 0; k--) {
		if (strcmp(g->lab[k][i], lab))
			break;
		if (isfinite(g->ret[k][i]))
			ss += (g->ret[k][i] - *mu) * (g->ret[k][i] - *mu);
	}
	*var = ss / (n - 1);
}

/* ----------------------------------------------------------- the day */

struct ctx {
	const struct opts *o;
	const char *dir;
	struct sectors sec;
	int have_sec;
	struct bench bench;
	int have_bench;
	struct ring ring;
	char *reset;
	int64_t nout;
};

static int64_t
col(const struct tm_frame *f, const char *name)
{
	return tm_frame_find_label(f, 1, name);
}

/* Percentile rank among the day's active slots: the share of the other
 * active slots with a smaller target, ties counted half; 0 elsewhere. */
struct rk { double v; int i; };

static int
rk_cmp(const void *a, const void *b)
{
	const struct rk *x = a, *y = b;

	return x->v < y->v ? -1 : x->v > y->v ? 1 : x->i - y->i;
}

static void
confidence(int N, const double *w, const char *const *lab, double *conf)
{
	struct rk *r = emalloc((N + 1) * sizeof(*r));
	int n = 0;

	for (int i = 0; i < N; i++) {
		conf[i] = 0;
		/* Every slot with a ticker: a stock carried into the
		 * archive has a target (SELL or HOLD), one without a price
		 * today a target of 0, ranked with the rest. */
		if (*lab[i]) {
			r[n].v = w[i];
			r[n++].i = i;
		}
	}
	qsort(r, n, sizeof(*r), rk_cmp);
	for (int a = 0; a < n;) {
		int b = a;

		while (b < n && r[b].v == r[a].v)
			b++;
		/* below: a, equal others: b - a - 1 */
		double c = n > 1 ? (a + 0.5 * (b - a - 1)) / (n - 1) : 1;
		for (int k = a; k < b; k++)
			conf[r[k].i] = c;
		a = b;
	}
	free(r);
}

static void
digest(char *buf, const void *p, size_t len)
{
	snprintf(buf, 32, "crc32:%08x:%zu", tm_crc32(0, p, len), len);
}

static void
write_frame_file(const char *path, const struct tm_frame *f)
{
	struct tm_atomic *a = tm_atomic_open(path, 0644);
	struct tm_writer *w;

	if (!a)
		tm_exit(EX_CANTCREAT);
	w = tm_writer_new(tm_atomic_fp(a), path, TM_RAW);
	if (tm_write(w, f) == -1 || tm_writer_end(w) == -1) {
		tm_atomic_abort(a);
		tm_exit(EX_IOERR);
	}
	tm_writer_free(w);
	if (tm_atomic_commit(a) == -1)
		tm_exit(EX_CANTCREAT);
}

/* Re-emit the recommendations of the day already applied. */
static void
replay(const char *dir, struct tm_writer *out)
{
	char path[4096];
	FILE *fp;
	struct tm_reader *r;
	struct tm_frame f;

	snprintf(path, sizeof(path), "%s/last.tmt", dir);
	if (!(fp = fopen(path, "rb")))
		return;
	r = tm_reader_new(fp, path);
	tm_frame_init(&f);
	while (tm_read(r, &f) == 1)
		if (tm_write(out, &f) == -1)
			tm_exit(EX_IOERR);
	tm_frame_release(&f);
	tm_reader_free(r);
	fclose(fp);
}

/* Where ticker tk, in slot was the day before, is in d's slots: there
 * still, the slot it moved to (carry.c's rule: tickers are unique in a
 * day), or -1 when it left the stream. */
static int
slot_now(const struct day *d, int was, const char *tk)
{
	if (was >= 0 && was < d->N && !strcmp(d->lab[was], tk))
		return was;
	for (int i = 0; i < d->N; i++)
		if (!strcmp(d->lab[i], tk))
			return i;
	return -1;
}

static void
run_day(struct ctx *cx, struct state *s, const struct tm_frame *W,
    const char *wdig, const struct tm_frame *S, const char *sdig,
    struct tm_writer *out)
{
	const struct opts *o = cx->o;
	const char *D = tm_frame_date(S), *lay = tm_frame_get_meta(S, "layout");
	int N = (int)S->shape[0], NW = (int)S->shape[1];
	int64_t cc = col(S, "close"), cr = col(S, "ret"), cg = col(S, "region");
	int64_t cw = col(W, "weight");
	json_t *tu = json_object_get(S->coords, "vix");

	/* A volatility index, where the stream gives one, else turbulence. */
	if (!json_is_number(tu))
		tu = json_object_get(S->coords, "turbulence");
	struct day d;
	struct tm_book b;
	struct tm_fill fl;
	int fired[NREASON] = { 0 };
	char warn[256] = "", crit[256] = "";
	int32_t day;

	if (cc < 0 || cr < 0)
		tm_die(EX_DATAERR, "slots: %s: no close or ret field", D);
	if (cw < 0 || !W->labels[0])
		tm_die(EX_DATAERR, "weights: %s: no weight field", D);
	if (s->exists && s->N != N)
		tm_die(EX_DATAERR, "slots: %s: %d slots, the state has %d", D,
		    N, s->N);
	tm_date_parse(D, &day);
	if (!s->exists) {
		s->N = N;
		s->capital = o->capital;
		s->cost = o->cost;
		s->month_start = o->capital;
		snprintf(s->month, sizeof(s->month), "%.7s", D);
		snprintf(s->layout, sizeof(s->layout), "%s", lay ? lay : "");
	}

	memset(&d, 0, sizeof(d));
	d.N = N;
	d.lab = emalloc((N + 1) * sizeof(char *));
	d.ret = emalloc(N * sizeof(float));
	d.close = emalloc(N * sizeof(double));
	d.w0 = ecalloc(N, sizeof(double));
	d.conf = ecalloc(N, sizeof(double));
	d.cur = ecalloc(N + 1, sizeof(double));
	d.tgt = ecalloc(N, sizeof(double));
	d.delta = ecalloc(N, sizeof(double));
	d.shares = ecalloc(N, sizeof(double));
	d.hmu = ecalloc(N, sizeof(double));
	d.hvar = ecalloc(N, sizeof(double));
	d.basis = ecalloc(N, sizeof(double));
	d.reason = ecalloc(N, sizeof(int));
	d.region = ecalloc(N, sizeof(int));
	d.hold = ecalloc(N, sizeof(int));
	d.forced = ecalloc(N, sizeof(int));
	d.days = ecalloc(N, sizeof(int));
	d.action = ecalloc(N, sizeof(int));
	d.kind = emalloc(N);
	d.turb = json_is_number(tu) ? json_number_value(tu) : 0;
	tm_slot_kinds(S, d.kind);
	for (int i = 0; i < N; i++) {
		d.ret[i] = ((const float *)S->data)[(size_t)i * NW + cr];
		d.close[i] = tm_frame_get(S, (size_t)i * NW + cc);
		d.region[i] = cg < 0 ? TM_REGION_ACTIVE : (int)tm_frame_get(S,
		    (size_t)i * NW + cg);
		d.lab[i] = S->labels[0] && S->labels[0][i] ? S->labels[0][i] :
		    "";
	}

	/* 1. Earn D on what the last fill left (book.c).  Positions and
	 * targets follow their tickers into D's slots (carry.c: a stock
	 * that moved to the archive keeps its weight); a held ticker gone
	 * from the stream was sold at its last price, reason reslot. */
	double *ex = ecalloc(N + 1, sizeof(double)), *wt = ecalloc(N,
	    sizeof(double)), *ex2 = ecalloc(N + 1, sizeof(double));
	double *mv = ecalloc(N + 1, sizeof(double));
	double *gsh = ecalloc(N, sizeof(double)), *gpx = ecalloc(N,
	    sizeof(double));
	char **gname = ecalloc(N, sizeof(char *));
	uint8_t *chg = ecalloc(N, 1), *frz = ecalloc(N, 1);
	int *posat = emalloc(N * sizeof(int)), *closed = ecalloc(N,
	    sizeof(int)), *gone = ecalloc(N, sizeof(int));
	int32_t *dst = emalloc(N * sizeof(int32_t));
	double rp, c2, vb = s->capital * s->index;

	for (int i = 0; i < N; i++) {
		posat[i] = -1;
		dst[i] = -1;
	}
	ex[N] = s->cash;
	for (int k = 0; k < s->npend; k++)
		s->pend[k].slot = slot_now(&d, s->pend[k].slot,
		    s->pend[k].ticker);
	for (int k = 0; k < s->npos; k++) {
		struct pos *q = &s->pos[k];
		int j = slot_now(&d, q->slot, q->ticker);

		ex[q->slot] = q->w;
		if (j < 0) {
			gone[q->slot] = 1;
			gname[q->slot] = q->ticker;
			gsh[q->slot] = q->shares;
			gpx[q->slot] = q->price;
			fired[R_RESLOT]++;
		} else {
			dst[q->slot] = j;
			posat[j] = k;
		}
		q->slot = j;
	}
	tm_book_carry(N, ex, dst, mv, &c2);
	tm_book_earn(N, mv, d.ret, &rp);
	double growth = tm_book_growth(s->m1, s->cost, rp, c2);
	b.N = N;
	b.w = ecalloc(N, sizeof(double));
	b.value = s->index;
	b.peak = s->peak;
	tm_book_hold(&b, mv, d.ret, c2, rp, growth);
	s->index = b.value;
	s->peak = b.peak;

	/* The day's benchmark and the histories of the warnings. */
	double bret = NAN, bclose = NAN;
	if (cx->have_bench) {
		bclose = bench_at(&cx->bench, day);
		bret = bclose / s->bench_last - 1;
	} else {
		double sum = 0;
		int n = 0;

		for (int i = 0; i < N; i++)
			if (d.kind[i] == TM_SLOT_ACTIVE) {
				sum += d.ret[i];
				n++;
			}
		bret = n ? sum / n : 0;
		bclose = (isfinite(s->bench_last) ? s->bench_last : 1) *
		    (s->exists ? 1 + bret : 1);
	}
	if (s->exists) {
		if (s->nh == HIST) {
			memmove(s->hret, s->hret + 1, (HIST - 1) * sizeof(double));
			memmove(s->hbench, s->hbench + 1, (HIST - 1) *
			    sizeof(double));
			s->nh--;
		}
		s->hret[s->nh] = growth - 1;
		s->hbench[s->nh++] = isfinite(bret) ? bret : 0;
		s->losing = growth < 1 ? s->losing + 1 : 0;
	}
	if (isfinite(bclose))
		s->bench_last = bclose;
	if (strncmp(s->month, D, 7)) {
		s->month_start = vb;
		snprintf(s->month, sizeof(s->month), "%.7s", D);
	}

	/* 2. A held stock without a bar for o->delist days is closed at
	 * its last price, in the fill below. */
	for (int k = 0; k < s->npos; k++) {
		struct pos *q = &s->pos[k];

		if (q->slot < 0 || chg[q->slot])
			continue;
		q->nobar = isfinite(d.ret[q->slot]) &&
		    isfinite(d.close[q->slot]) ? 0 : q->nobar + 1;
		if (!(o->off & (1u << R_DELIST)) && q->nobar >= o->delist) {
			chg[q->slot] = 1;
			closed[q->slot] = R_DELIST;
			fired[R_DELIST]++;
		}
	}

	/* 3. Fill the last decision at D's close (book.c). */
	for (int k = 0; k < s->npend; k++) {
		if (s->pend[k].slot < 0)
			continue;	/* its ticker left the stream */
		wt[s->pend[k].slot] = s->pend[k].target;
		if (s->pend[k].hold)
			frz[s->pend[k].slot] = 1;
	}
	for (int i = 0; i < N; i++)
		if (chg[i] || d.kind[i] == TM_SLOT_NONE)
			frz[i] = 1;
	tm_book_fill(N, b.w, wt, s->pend_cash, frz, chg, o->cost, 0, ex2,
	    &fl);
	s->m1 = fl.m1;
	s->cost = o->cost;
	s->cash = ex2[N];

	/* The positions after the fill, their shares at D's close. */
	double V = s->capital * s->index;
	struct pos *np = ecalloc(N + 1, sizeof(*np));
	int nnp = 0;
	for (int i = 0; i < N; i++) {
		struct pos *q = posat[i] >= 0 ? &s->pos[posat[i]] : NULL;

		if (q && chg[i])
			q = NULL;
		if (ex2[i] == 0)
			continue;
		struct pos *p = &np[nnp++];
		double px = isfinite(d.close[i]) ? d.close[i] : q ? q->price :
		    NAN;

		p->ticker = estrdup(d.lab[i]);
		p->slot = i;
		p->w = ex2[i];
		p->price = px;
		p->shares = ex2[i] * V * fl.m1 / px;
		if (q) {
			double f = d.close[i] / q->price / (1 + d.ret[i]);
			double b0 = q->basis, sh0 = q->shares;

			/* A split or a dividend moves the as-traded price
			 * the adjusted return does not see: rescale. */
			if (isfinite(f) && fabs(f - 1) > 0.01) {
				b0 *= f;
				sh0 /= f;
			}
			p->basis = p->shares > sh0 * (1 + 1e-6) ?
			    (sh0 * b0 + (p->shares - sh0) * px) / p->shares :
			    b0;
			memcpy(p->entry, q->entry, sizeof(p->entry));
			p->days = q->days + 1;
			p->nobar = q->nobar;
		} else {
			p->basis = px;
			snprintf(p->entry, sizeof(p->entry), "%s", D);
		}
		d.cur[i] = ex2[i];
		d.basis[i] = p->basis;
		d.days[i] = p->days;
	}
	d.cur[N] = ex2[N];

	/* 4. Decide from D's weights. */
	int NWr = (int)W->shape[0], WW = (int)W->shape[1];
	double wcash = 0, wsum = 0;
	json_t *jc = json_object_get(W->coords, "cash");
	for (int i = 0; i < N; i++) {
		int64_t j = i < NWr && W->labels[0][i] &&
		    !strcmp(W->labels[0][i], d.lab[i]) ? i : -1;

		if (!*d.lab[i])
			continue;
		if (j < 0)
			j = tm_frame_find_label(W, 0, d.lab[i]);
		if (j < 0)
			continue;
		double v = tm_frame_get(W, (size_t)j * WW + cw);
		if (isfinite(v) && v > 0)
			d.w0[i] = v;
	}
	for (int j = 0; j < NWr; j++) {
		double v = tm_frame_get(W, (size_t)j * WW + cw);

		if (isfinite(v) && v > 0)
			wsum += v;
	}
	wcash = json_is_number(jc) ? json_number_value(jc) : 1 - wsum;
	/* Weight on tickers with no slot today goes to cash. */
	double placed = 0;
	for (int i = 0; i < N; i++)
		placed += d.w0[i];
	if (placed < wsum && wsum - placed > 1e-12)
		wcash += wsum - placed;
	confidence(N, d.w0, d.lab, d.conf);
	for (int i = 0; i < N; i++) {
		d.tgt[i] = d.w0[i];
		if (o->sizing != SIZE_POLICY && *d.lab[i])
			ring_stats(&cx->ring, i, d.lab[i], &d.hmu[i],
			    &d.hvar[i]);
		if (cx->have_sec && *d.lab[i])
			d.sector = d.sector ? d.sector : ecalloc(N,
			    sizeof(char *));
		if (cx->have_sec && *d.lab[i])
			d.sector[i] = sector_of(&cx->sec, d.lab[i]);
	}
	rules_apply(o, s, &d, fired, warn, sizeof(warn), crit, sizeof(crit));
	if (!(o->off & (1u << R_PORTSTOP))) {
		/*
		 * The portfolio stop re-arms: the book stays in cash for
		 * --stop-days applied days after the day it fired, then the
		 * high-water mark restarts at the value of that day, so the
		 * stop is a pause, not a door that never opens again (a
		 * book in cash never climbs back to the old mark).
		 */
		if (s->stopleft > 0) {
			if (--s->stopleft == 0)
				s->peak = s->index;
		} else if (s->index <= s->peak * (1 - o->portstop)) {
			s->stopleft = o->stopdays;
			if (s->stopleft == 0)
				s->peak = s->index;
		}
	}

	/* 5. The decision left for the next close. */
	double pc = wcash;
	for (int k = 0; k < s->npend; k++)
		free(s->pend[k].ticker);
	free(s->pend);
	s->pend = ecalloc(N + 1, sizeof(*s->pend));
	s->npend = 0;
	for (int i = 0; i < N; i++) {
		if (d.tgt[i] != d.w0[i])
			pc += d.w0[i] - d.tgt[i];
		if (d.tgt[i] == 0 && !(d.hold[i] && d.cur[i] != 0))
			continue;
		struct pend *p = &s->pend[s->npend++];

		p->ticker = estrdup(d.lab[i]);
		p->slot = i;
		p->target = d.tgt[i];
		p->hold = d.hold[i];
	}
	s->pend_cash = pc;
	double *csh = ecalloc(N, sizeof(double)), *cpx = ecalloc(N,
	    sizeof(double));
	char **cname = ecalloc(N, sizeof(char *));
	for (int k = 0; k < s->npos; k++) {
		if (s->pos[k].slot < 0)
			continue;	/* sold: in gname */
		csh[s->pos[k].slot] = s->pos[k].shares;
		cpx[s->pos[k].slot] = s->pos[k].price;
		cname[s->pos[k].slot] = s->pos[k].ticker;
	}
	free(s->pos);
	s->pos = np;
	s->npos = nnp;

	/* 6. The recommendation frame and the journal line. */
	/* Rows: the sales of the fill (a ticker that left its slot under
	 * its own name, then a delisted one in its slot's place), then every
	 * slot held, with a target, or changed by a rule. */
	int nrow = 0, *ri = emalloc((2 * N + 1) * sizeof(int));
	for (int i = 0; i < N; i++)
		if (gone[i])
			ri[nrow++] = -1 - i;
	for (int i = 0; i < N; i++)
		if (closed[i] == R_DELIST || d.cur[i] != 0 || d.tgt[i] != 0 ||
		    d.action[i] || d.reason[i])
			ri[nrow++] = i;
	struct tm_frame f;
	tm_frame_init(&f);
	if (tm_frame_shape2(&f, TM_F64, "ticker", nrow, "field", 8) == -1)
		tm_die(EX_SOFTWARE, "output frame too large");
	static const char *const fields[8] = { "action", "target", "current",
	    "delta", "shares", "price", "confidence", "reason" };
	for (int j = 0; j < 8; j++)
		tm_frame_set_label(&f, 1, j, fields[j]);
	json_t *trades = json_array();
	for (int r = 0; r < nrow; r++) {
		double row[8];
		int i = ri[r] < 0 ? -1 - ri[r] : ri[r];
		int rs = d.reason[i], sale = ri[r] < 0 || closed[i] == R_DELIST;
		const char *lab = ri[r] < 0 ? gname[i] : d.lab[i];

		if (sale) {
			/* Closed at this close by the delisting rule, or at
			 * the last by leaving the stream (then slot i is
			 * yesterday's): report the sale that happened. */
			double h = ri[r] < 0 ? ex[i] : mv[i];

			rs = ri[r] < 0 ? R_RESLOT : closed[i];
			row[0] = -1, row[1] = 0, row[2] = h;
			row[3] = -h;
			row[4] = ri[r] < 0 ? -gsh[i] : -csh[i];
			row[5] = ri[r] < 0 ? gpx[i] : cpx[i];
			row[6] = 0;
		} else {
			row[0] = d.action[i], row[1] = d.tgt[i];
			row[2] = d.cur[i], row[3] = d.delta[i];
			row[5] = d.close[i];
			row[4] = d.delta[i] * V / d.close[i];
			row[6] = d.conf[i];
		}
		row[7] = rs;
		tm_frame_set_label(&f, 0, r, lab);
		for (int j = 0; j < 8; j++)
			tm_frame_set(&f, (size_t)r * 8 + j, row[j]);
		if (row[0] != 0)
			json_array_append_new(trades, json_pack("{s:s, s:i, "
			    "s:o, s:o, s:f, s:f, s:s, s:f}", "ticker", lab,
			    "action", (int)row[0], "shares", isfinite(row[4]) ?
			    json_real(row[4]) : json_null(), "price",
			    isfinite(row[5]) ? json_real(row[5]) : json_null(),
			    "target", row[1], "current", row[2], "reason",
			    reason_names[rs], "confidence", row[6]));
	}
	char fl_s[512] = "", rs_s[256] = "";
	for (int k = 0; k < NREASON; k++) {
		size_t n = strlen(rs_s);

		snprintf(rs_s + n, sizeof(rs_s) - n, "%s%s", k ? "," : "",
		    reason_names[k]);
		if (fired[k]) {
			n = strlen(fl_s);
			snprintf(fl_s + n, sizeof(fl_s) - n, "%s%s:%d",
			    n ? "," : "", reason_names[k], fired[k]);
		}
	}
	const char *model = tm_frame_get_meta(W, "model");
	if (s->exists && model && strcmp(model, s->model))
		tm_warn("%s: model %s follows %s; the portfolio carries on", D,
		    model, s->model);
	snprintf(s->model, sizeof(s->model), "%s", model ? model : "");
	snprintf(s->date, sizeof(s->date), "%s", D);
	double va = s->capital * s->index;
	f.coords = json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f}", "date", D,
	    "value", va, "cash", ex2[N], "hwm", s->capital * s->peak, "pnl",
	    va - vb, "index", s->index, "turbulence", d.turb);
	tm_frame_set_meta(&f, "model", s->model);
	tm_frame_set_meta(&f, "reasons", rs_s);
	tm_frame_set_meta(&f, "fired", fl_s);
	tm_frame_set_meta(&f, "warnings", warn);
	tm_frame_set_meta(&f, "critical", crit);
	if (s->journal)
		json_decref(s->journal);
	s->journal = json_pack("{s:s, s:s, s:{s:s, s:s}, s:f, s:f, s:f, s:f, "
	    "s:o, s:o, s:s, s:s, s:s}", "date", D, "model", s->model, "inputs",
	    "weights", wdig, "slots", sdig, "value_before", vb,
	    "value_after", va, "index", s->index, "cash", ex2[N], "bench",
	    isfinite(bclose) ? json_real(bclose) : json_null(), "trades",
	    trades, "fired", fl_s, "warnings", warn, "critical", crit);

	/* 7. Commit: the day's frame, the state, the journal; then out. */
	char path[4096];
	snprintf(path, sizeof(path), "%s/last.tmt", cx->dir);
	write_frame_file(path, &f);
	state_save(s, cx->dir);
	s->exists = 1;
	if (tm_write(out, &f) == -1)
		tm_exit(EX_IOERR);
	cx->nout++;
	tm_frame_release(&f);
	free(ex), free(ex2), free(wt), free(chg), free(frz), free(posat);
	free(mv), free(gsh), free(gpx), free(gone), free(dst);
	for (int i = 0; i < N; i++)
		free(gname[i]);
	free(gname);
	free(closed), free(b.w), free(csh), free(cpx), free(d.lab), free(ri);
	for (int i = 0; i < N; i++)
		free(cname[i]);
	free(cname);
	free(d.ret), free(d.close), free(d.w0), free(d.conf), free(d.cur);
	free(d.tgt), free(d.delta), free(d.shares), free(d.hmu), free(d.hvar);
	free(d.basis), free(d.reason), free(d.region), free(d.hold);
	free(d.forced), free(d.days), free(d.action), free(d.kind);
	free(d.sector);
}

/* -------------------------------------------------------------- main */

enum {
	O_RESET = 256, O_CAPITAL, O_COST, O_THRESHOLD, O_SIZING, O_KELLY,
	O_WINDOW, O_REGIME, O_HIVOL, O_SECTORS, O_BENCH, O_OFF, O_MAXPOS,
	O_MAXSECTOR, O_MINCASH, O_MAXTRADES, O_STOPLOSS, O_TIMESTOP,
	O_PORTSTOP, O_STOPDAYS, O_RISKOFF, O_RISKCUT, O_DELIST, O_SHARPE, O_SLOTS
};

static const char *const warn_names[4] = { "equity", "losing", "sharpe",
    "correlation" };

static unsigned
parse_off(const char *arg)
{
	size_t n;
	char **v = tm_split(arg, ',', &n);
	unsigned m = 0;

	for (size_t k = 0; k < n; k++) {
		int hit = 0;

		if (!strcmp(v[k], "all")) {
			m = ~0u;
			continue;
		}
		for (int r = 1; r < NREASON; r++)
			if (!strcmp(v[k], reason_names[r]))
				m |= 1u << r, hit = 1;
		for (int w = 0; w < 4; w++)
			if (!strcmp(v[k], warn_names[w]))
				m |= 1u << (NREASON + w), hit = 1;
		if (!hit)
			tm_die(EX_USAGE, "--off: unknown rule '%s'", v[k]);
	}
	tm_strv_free(v);
	return m;
}

static void
parse_list(const char *arg, double *v, size_t want, const char *what)
{
	size_t n;
	char **s = tm_split(arg, ',', &n);

	if (n != want)
		tm_die(EX_USAGE, "%s: want %zu comma-separated numbers", what,
		    want);
	for (size_t k = 0; k < n; k++)
		v[k] = estrtod(s[k], 0, 1e300, what);
	tm_strv_free(s);
}

static int
read_slot_until(struct tm_reader *r, struct tm_frame *S, struct ring *g,
    int32_t want, int *have, char *sdig)
{
	int rc;

	/* A frame read before and not yet used may be the one. */
	for (;;) {
		if (*have) {
			int32_t day = 0;
			const char *ds = tm_frame_date(S);

			if (!ds || tm_date_parse(ds, &day) == -1)
				tm_die(EX_DATAERR, "slots: frame %lld: no "
				    "coords.date", (long long)S->seq);
			if (day == want)
				return 1;
			if (day > want)
				return 0;
			*have = 0;
		}
		if ((rc = tm_read(r, S)) != 1) {
			if (rc == -1)
				tm_exit(tm_reader_status(r));
			return 0;
		}
		if (S->ndim != 2 || S->dtype != TM_F32 || !S->labels[1])
			tm_die(EX_DATAERR, "slots: frame %lld: not an F32 "
			    "[slot, field] frame", (long long)S->seq);
		size_t len;
		const void *raw = tm_reader_raw(r, &len);
		digest(sdig, raw, len);
		ring_push(g, S, tm_frame_find_label(S, 1, "ret"));
		*have = 1;
	}
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "slots", required_argument, NULL, O_SLOTS },
		{ "reset", required_argument, NULL, O_RESET },
		{ "capital", required_argument, NULL, O_CAPITAL },
		{ "cost", required_argument, NULL, O_COST },
		{ "threshold", required_argument, NULL, O_THRESHOLD },
		{ "sizing", required_argument, NULL, O_SIZING },
		{ "kelly", required_argument, NULL, O_KELLY },
		{ "window", required_argument, NULL, O_WINDOW },
		{ "regime", required_argument, NULL, O_REGIME },
		{ "hivol", required_argument, NULL, O_HIVOL },
		{ "sectors", required_argument, NULL, O_SECTORS },
		{ "bench", required_argument, NULL, O_BENCH },
		{ "off", required_argument, NULL, O_OFF },
		{ "max-position", required_argument, NULL, O_MAXPOS },
		{ "max-sector", required_argument, NULL, O_MAXSECTOR },
		{ "min-cash", required_argument, NULL, O_MINCASH },
		{ "max-trades", required_argument, NULL, O_MAXTRADES },
		{ "stop-loss", required_argument, NULL, O_STOPLOSS },
		{ "time-stop", required_argument, NULL, O_TIMESTOP },
		{ "portfolio-stop", required_argument, NULL, O_PORTSTOP },
		{ "stop-days", required_argument, NULL, O_STOPDAYS },
		{ "risk-off", required_argument, NULL, O_RISKOFF },
		{ "risk-cut", required_argument, NULL, O_RISKCUT },
		{ "delist", required_argument, NULL, O_DELIST },
		{ "sharpe-limit", required_argument, NULL, O_SHARPE },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.capital = 1e6, .cost = 0.001, .threshold = 0.02,
		.maxpos = 0.10, .maxsector = 0.30, .mincash = 0.10,
		.stoploss = 0.10, .portstop = 0.15, .turb1 = INFINITY,
		.turb2 = INFINITY, .riskcut = 0.5, .kelly = 0.25,
		.regime = { 1, 0.5, 0.5 }, .hivol = 0.30, .sharpe_limit = 0,
		.maxtrades = 20, .timestop = 30, .delist = 5, .window = 60,
		.stopdays = 20,
	};
	const char *dir = NULL, *slots = NULL, *wpath = "-";
	struct ctx cx;
	struct state s;
	int c, rc, have = 0;
	double rl[2];

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	memset(&cx, 0, sizeof(cx));
	while ((c = getopt_long(argc, argv, "s:", lopts, NULL)) != -1)
		switch (c) {
		case 's': dir = optarg; break;
		case O_SLOTS: slots = optarg; break;
		case O_RESET: cx.reset = optarg; break;
		case O_CAPITAL: o.capital = estrtod(optarg, 1e-9, 1e15,
		    "--capital"); break;
		case O_COST: o.cost = estrtod(optarg, 0, 0.5, "--cost"); break;
		case O_THRESHOLD: o.threshold = estrtod(optarg, 0, 1,
		    "--threshold"); break;
		case O_SIZING:
			if (!strcmp(optarg, "policy"))
				o.sizing = SIZE_POLICY;
			else if (!strcmp(optarg, "kelly"))
				o.sizing = SIZE_KELLY;
			else if (!strcmp(optarg, "volatility"))
				o.sizing = SIZE_VOL;
			else
				tm_die(EX_USAGE, "--sizing: '%s': policy, "
				    "kelly or volatility", optarg);
			break;
		case O_KELLY: o.kelly = estrtod(optarg, 0, 1, "--kelly");
		    break;
		case O_WINDOW: o.window = (int)estrtonum(optarg, 2, 10000,
		    "--window"); break;
		case O_REGIME: parse_list(optarg, o.regime, 3, "--regime");
		    o.use_regime = 1; break;
		case O_HIVOL: o.hivol = estrtod(optarg, 0, 100, "--hivol");
		    break;
		case O_SECTORS: o.sectors = optarg; break;
		case O_BENCH: o.bench = optarg; break;
		case O_OFF: o.off |= parse_off(optarg); break;
		case O_MAXPOS: o.maxpos = estrtod(optarg, 0, 1,
		    "--max-position"); break;
		case O_MAXSECTOR: o.maxsector = estrtod(optarg, 0, 1,
		    "--max-sector"); break;
		case O_MINCASH: o.mincash = estrtod(optarg, 0, 1,
		    "--min-cash"); break;
		case O_MAXTRADES: o.maxtrades = (int)estrtonum(optarg, 0,
		    1000000, "--max-trades"); break;
		case O_STOPLOSS: o.stoploss = estrtod(optarg, 0, 1,
		    "--stop-loss"); break;
		case O_TIMESTOP: o.timestop = (int)estrtonum(optarg, 1,
		    100000, "--time-stop"); break;
		case O_STOPDAYS: o.stopdays = (int)estrtonum(optarg, 0,
		    100000, "--stop-days"); break;
		case O_PORTSTOP: o.portstop = estrtod(optarg, 0, 1,
		    "--portfolio-stop"); break;
		case O_RISKOFF: parse_list(optarg, rl, 2, "--risk-off");
		    o.turb1 = rl[0], o.turb2 = rl[1]; break;
		case O_RISKCUT: o.riskcut = estrtod(optarg, 0, 1,
		    "--risk-cut"); break;
		case O_DELIST: o.delist = (int)estrtonum(optarg, 1, 100000,
		    "--delist"); break;
		case O_SHARPE: o.sharpe_limit = estrtod(optarg, -100, 100,
		    "--sharpe-limit"); break;
		default: usage();
		}
	if (!dir || !slots || argc - optind > 1)
		usage();
	if (optind < argc)
		wpath = argv[optind];
	if (!strcmp(wpath, "-") && !strcmp(slots, "-"))
		tm_die(EX_USAGE, "the weights and the slots cannot both be "
		    "standard input");
	cx.o = &o;
	cx.dir = dir;
	if (o.sectors) {
		sectors_load(&cx.sec, o.sectors);
		cx.have_sec = 1;
	}
	if (o.bench) {
		bench_load(&cx.bench, o.bench);
		cx.have_bench = 1;
	}
	if (o.sizing != SIZE_POLICY) {
		cx.ring.cap = o.window;
		cx.ring.lab = ecalloc(o.window, sizeof(char **));
		cx.ring.ret = ecalloc(o.window, sizeof(float *));
	}
	/* Before the state folder is made: a refused run leaves nothing. */
	estdout_tmt();
	if (tm_mkdirs(dir, 0755) == -1)
		tm_exit(EX_CANTCREAT);

	/* A missing file or a directory: 66, named, before any state is read. */
	FILE *wf = tm_open_read(wpath);
	if (!wf)
		tm_exit(tm_fail_status());
	FILE *sf = tm_open_read(slots);
	if (!sf)
		tm_exit(tm_fail_status());
	struct tm_reader *wr = tm_reader_new(wf, tm_input_name(wpath));
	struct tm_reader *sr = tm_reader_new(sf, tm_input_name(slots));
	struct tm_writer *out = tm_writer_new(stdout, "<stdout>", TM_RAW);
	struct tm_frame W, S;
	char wdig[32], sdig[32];
	int64_t nin = 0;

	if (cx.reset)
		state_init(&s);
	else
		state_load(&s, dir);
	tm_frame_init(&W);
	tm_frame_init(&S);
	while ((rc = tm_read(wr, &W)) == 1) {
		const char *ds = tm_frame_date(&W);
		int32_t day;
		size_t len;
		const void *raw = tm_reader_raw(wr, &len);

		nin++;
		digest(wdig, raw, len);
		if (W.ndim != 2 || !W.labels[0] || !W.labels[1])
			tm_die(EX_DATAERR, "weights: frame %lld: not a [row, "
			    "field] frame with labels", (long long)W.seq);
		if (!ds || tm_date_parse(ds, &day) == -1)
			tm_die(EX_DATAERR, "weights: frame %lld: no coords.date",
			    (long long)W.seq);
		if (s.exists) {
			int cmp = strcmp(ds, s.date);

			if (cmp < 0)
				tm_die(EX_DATAERR, "weights: %s: older than "
				    "%s, the last day applied in %s", ds,
				    s.date, dir);
			if (cmp == 0) {
				tm_warn("%s: already applied; the state is "
				    "unchanged", ds);
				replay(dir, out);
				continue;
			}
		}
		if (!read_slot_until(sr, &S, &cx.ring, day, &have, sdig))
			tm_die(EX_DATAERR, "slots: no frame dated %s", ds);
		if (cx.reset) {
			state_journal_reset(dir, ds, cx.reset);
			cx.reset = NULL;
		}
		run_day(&cx, &s, &W, wdig, &S, sdig, out);
	}
	if (rc == -1)
		tm_exit(tm_reader_status(wr));
	if (tm_writer_end(out) == -1)
		tm_exit(EX_IOERR);
	tm_runlog_rows(nin, cx.nout);
	tm_frame_release(&W);
	tm_frame_release(&S);
	tm_reader_free(wr);
	tm_reader_free(sr);
	tm_writer_free(out);
	ring_free(&cx.ring);
	state_free(&s);
	tm_close_read(wf);
	tm_close_read(sf);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
