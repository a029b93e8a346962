/* sma.c - the sma crossover on one ticker (fast_period, slow_period,
 * size: long size when the fast SMA is above the slow one, short size
 * when below, reversing on the opposite signal), as a single run over the
 * whole slot stream and as a grid of parameter sets over the ticker
 * alone, and the Deflated Sharpe Ratio of a grid's best set.
 *
 * The SMAs come from cumulative sums of the ticker's total-return price
 * (the compounded ret, so splits do not cross the averages), so a set
 * costs O(days) however long its windows; the grid's days go through
 * tm_env_step on a one-slot environment, the same accounting as a single
 * run, whose other slots only add exact zeros. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"

/* The ticker's slot on each day (-1 absent) and C, the cumulative sums
 * of its price: SMA_n(t) = (C[t+1] - C[t+1-n]) / n. */
struct series {
	int T;
	int *slot;
	double *C;
	double **avg;	/* the grid's: SMA_n of each day, or NULL */
	int navg;
};

/* The series of a ticker whose slot on each day is slot[0 .. T) (-1
 * where it has none): its slots and the running sums of its compounded
 * returns. */
static void
series_from(struct series *s, const struct tm_env *e, const int *slot)
{
	double P = 1;

	s->T = e->T;
	s->slot = emalloc(e->T * sizeof(int));
	s->C = emalloc((e->T + 1) * sizeof(double));
	s->C[0] = 0;
	s->avg = NULL;
	s->navg = 0;
	for (int t = 0; t < e->T; t++) {
		s->slot[t] = slot[t];
		if (slot[t] >= 0) {
			float r = e->ret[(size_t)t * e->N + slot[t]];

			if (t > 0 && isfinite(r))
				P *= 1 + r;
		}
		s->C[t + 1] = s->C[t] + P;
	}
}

/* The series of ticker tk, found by its label day by day. */
static void
series_load(struct series *s, const struct tm_env *e, const char *tk)
{
	int *slot = emalloc(e->T * sizeof(int)), seen = 0;

	for (int t = 0; t < e->T; t++) {
		slot[t] = -1;
		for (int i = 0; i < e->N; i++)
			if (!strcmp(e->label[(size_t)t * e->N + i], tk)) {
				slot[t] = i;
				seen = 1;
				break;
			}
	}
	if (!seen)
		tm_die(EX_DATAERR, "--ticker: %s: not in the slot stream", tk);
	series_from(s, e, slot);
	free(slot);
}

static void
series_free(struct series *s)
{
	free(s->slot);
	free(s->C);
	for (int n = 0; n < s->navg; n++)
		free(s->avg[n]);
	free(s->avg);
}

/* The position decided on day t given yesterday's. */
static double
sma_pos(const struct series *s, const struct sma *p, int t, double prev)
{
	if (t + 1 < p->slow)
		return 0;
	double f = (s->C[t + 1] - s->C[t + 1 - p->fast]) / p->fast;
	double sl = (s->C[t + 1] - s->C[t + 1 - p->slow]) / p->slow;

	return f > sl ? p->size : f < sl ? -p->size : prev;
}

int
sma_parse(const char *spec, struct sma *p)
{
	char *s = estrdup(spec), *tok, *save = NULL;
	int ok = 1;

	p->fast = 10, p->slow = 30, p->size = 1;
	for (tok = strtok_r(s, ", \t", &save); tok; tok = strtok_r(NULL,
	    ", \t", &save)) {
		char *eq = strchr(tok, '='), *end;

		if (!eq) {
			ok = 0;
			break;
		}
		*eq++ = 0;
		errno = 0;
		double v = strtod(eq, &end);
		if (*end || errno || !*eq || !isfinite(v)) {
			ok = 0;
			break;
		}
		if (!strcmp(tok, "fast") || !strcmp(tok, "fast_period"))
			p->fast = (int)v;
		else if (!strcmp(tok, "slow") || !strcmp(tok, "slow_period"))
			p->slow = (int)v;
		else if (!strcmp(tok, "size"))
			p->size = v;
		else {
			ok = 0;
			break;
		}
	}
	free(s);
	if (p->fast < 1 || p->slow <= p->fast || p->slow > 100000)
		ok = 0;
	return ok ? 0 : -1;
}

struct ssrc {
	struct series s;
	struct sma p;
	double pos;
};

struct ssrc *
ssrc_open(struct bt *bt, const char *ticker, struct sma p)
{
	struct ssrc *c = ecalloc(1, sizeof(*c));

	series_load(&c->s, &bt->env, ticker);
	c->p = p;
	return c;
}

void
ssrc_close(struct ssrc *c)
{
	series_free(&c->s);
	free(c);
}

int
ssrc_targets(void *ctx, struct bt *bt, int t, double *w, double *wc)
{
	struct ssrc *c = ctx;

	for (int i = 0; i < bt->env.N; i++)
		w[i] = 0;
	c->pos = sma_pos(&c->s, &c->p, t, c->pos);
	if (c->s.slot[t] < 0) {
		*wc = 1;
		return 1;
	}
	w[c->s.slot[t]] = c->pos;
	*wc = 1 - c->pos;
	return 1;
}

/* ------------------------------------------------------------- the grid */

/* One grid line "fast=2:100 slow=2:100 size=1" into ranges. */
struct range { long lo, hi, step; };

static int
parse_range(const char *v, struct range *r)
{
	char *end;

	r->step = 1;
	errno = 0;
	r->lo = strtol(v, &end, 10);
	r->hi = r->lo;
	if (*end == ':') {
		r->hi = strtol(end + 1, &end, 10);
		if (*end == ':')
			r->step = strtol(end + 1, &end, 10);
	}
	return *end || errno || end == v || r->step < 1 || r->hi < r->lo ||
	    r->lo < 1 || r->hi > 100000 ? -1 : 0;
}

/* SMA_n of each day from day n-1 on, made once per ticker and window by
 * the division sma_pos makes, so the grid's sets only compare: a window
 * serves every set that uses it (99 windows, 4,851 sets). */
static const double *
series_avg(struct series *s, int n)
{
	if (n >= s->navg) {
		s->avg = ereallocarray(s->avg, n + 1, sizeof(double *));
		for (int k = s->navg; k <= n; k++)
			s->avg[k] = NULL;
		s->navg = n + 1;
	}
	if (!s->avg[n]) {
		double *a = emalloc(s->T * sizeof(double));

		for (int t = n - 1; t < s->T; t++)
			a[t] = (s->C[t + 1] - s->C[t + 1 - n]) / n;
		s->avg[n] = a;
	}
	return s->avg[n];
}

/* The day's accounting of a set over the one-slot environment; the
 * positions are sma_pos's, from the averages of series_avg. */
static void
grid_run(const struct tm_env *e1, struct series *s, const struct sma *p,
    double cost, struct tm_run *ru)
{
	const double *fa = series_avg(s, p->fast), *sa = series_avg(s,
	    p->slow);
	double pos = 0, w;

	ru->n = 0;
	ru->book.w[0] = 0;
	ru->book.cash = ru->book.value = ru->book.peak = 1;
	for (int t = 0; t + 2 < e1->T; t++) {
		if (t + 1 < p->slow)
			pos = 0;
		else if (fa[t] > sa[t])
			pos = p->size;
		else if (fa[t] < sa[t])
			pos = -p->size;
		w = s->slot[t] < 0 ? 0 : pos;
		tm_run_step1(ru, e1, t, w, 1 - w, cost);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Equal Sharpes: the line whose text sorts first wins, whatever the
 * order the lines came in. */
static int
tie_first(const json_t *a, const json_t *b)
{
	char *x = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
	char *y = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	int r = strcmp(x, y) < 0;

	free(x);
	free(y);
	return r;
}

/* The summary as lines go by: every daily Sharpe and the best line only,
 * so a grid of a hundred thousand lines does not keep them all. */
struct gsum {
	double *sr, best;
	size_t n, nf, cap;
	json_t *b;		/* the best line, a reference */
};

static void
gsum_add(struct gsum *g, json_t *l)
{
	json_t *v = json_object_get(l, "sharpe");
	double x = json_is_number(v) ? json_number_value(v) / sqrt(252) : NAN;

	if (!g->b) {
		/* The first line stands until one beats it, NaN or not. */
		g->b = json_incref(l);
		g->best = x > -INFINITY ? x : -INFINITY;
	} else if (x > g->best || (x == g->best && tie_first(l, g->b))) {
		json_decref(g->b);
		g->b = json_incref(l);
		g->best = x;
	}
	if (isfinite(x)) {
		if (g->nf == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 1024;
			g->sr = ereallocarray(g->sr, g->cap, sizeof(double));
		}
		g->sr[g->nf++] = x;
	}
	g->n++;
}

/* The summary of the lines added (consumes g): the trials, the best
 * line, the expected best Sharpe of that many trials and the DSR. */
static json_t *
gsum_end(struct gsum *g)
{
	size_t n = g->n, nf = g->nf;
	double sum = 0, ss = 0, best = g->best;

	/* Sorted first, so the sums (and the DSR) do not depend on the
	 * order of the lines: a merged sweep gives the same digits. */
	if (nf)
		qsort(g->sr, nf, sizeof(double), cmp_double);
	for (size_t i = 0; i < nf; i++)
		sum += g->sr[i];
	double mu = n ? sum / n : 0;
	for (size_t i = 0; i < nf; i++)
		ss += (g->sr[i] - mu) * (g->sr[i] - mu);
	free(g->sr);
	if (!n)
		return json_pack("{s:i, s:n, s:n}", "trials", 0, "best", "dsr");
	json_t *b = g->b;
	double sk = json_number_value(json_object_get(b, "skew"));
	double ku = json_number_value(json_object_get(b, "kurtosis"));
	int T = (int)json_integer_value(json_object_get(b, "days"));
	double sr0, var = n > 1 ? ss / (n - 1) : 0;
	double d = tm_dsr(best, var, (int)n, T, json_is_number(json_object_get(
	    b, "skew")) ? sk : 0, json_is_number(json_object_get(b,
	    "kurtosis")) ? ku : 3, &sr0);
	return json_pack("{s:I, s:o, s:f, s:f, s:o}", "trials", (json_int_t)n,
	    "best", b, "sr0", sr0 * sqrt(252), "var_sr", var,
	    "dsr", isfinite(d) ? json_real(d) : json_null());
}

/* The parameter sets of the grid file, in file order, with fast < slow;
 * a bad line exits 65 naming it, before any output. */
static struct sma *
grid_sets(const char *gridpath, size_t *nset)
{
	FILE *fp = tm_open_read(gridpath);
	char *line = NULL;
	size_t cap = 0, n = 0, ncap = 0;
	long lno = 0;
	struct sma *set = NULL;

	if (!fp)
		tm_exit(tm_fail_status());
	while (getline(&line, &cap, fp) > 0) {
		struct range rf = { 10, 10, 1 }, rs = { 30, 30, 1 };
		double size = 1;
		char *save = NULL, *tok;
		int ntok = 0;

		lno++;
		line[strcspn(line, "#\n")] = 0;
		for (tok = strtok_r(line, " \t,", &save); tok;
		    tok = strtok_r(NULL, " \t,", &save)) {
			char *v = strchr(tok, '=');
			int bad = !v;

			ntok++;
			if (v)
				*v++ = 0;
			if (bad)
				;
			else if (!strcmp(tok, "fast") ||
			    !strcmp(tok, "fast_period"))
				bad = parse_range(v, &rf);
			else if (!strcmp(tok, "slow") ||
			    !strcmp(tok, "slow_period"))
				bad = parse_range(v, &rs);
			else if (!strcmp(tok, "size"))
				bad = tm_parse_double(v, 0, &size) ||
				    !isfinite(size);
			else
				bad = 1;
			if (bad)
				tm_die(EX_DATAERR, "%s:%ld: '%s': not a "
				    "parameter of sma (fast=A[:B[:STEP]] "
				    "slow=... size=X)", gridpath, lno, tok);
		}
		if (!ntok)
			continue;	/* blank or comment */
		for (long f = rf.lo; f <= rf.hi; f += rf.step)
			for (long sl = rs.lo; sl <= rs.hi; sl += rs.step) {
				if (sl <= f)
					continue;
				if (n == ncap) {
					ncap = ncap ? 2 * ncap : 256;
					set = ereallocarray(set, ncap,
					    sizeof(*set));
				}
				set[n++] = (struct sma){ (int)f, (int)sl,
				    size };
			}
	}
	if (ferror(fp))
		tm_die(EX_IOERR, "%s:", gridpath);
	free(line);
	tm_close_read(fp);
	*nset = n;
	return set;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The slot of each of the ntk tickers on each day, slot[k * T + t] (-1
 * absent), in one pass over the labels: a sorted copy of the names is
 * searched, so 1,200 tickers cost what one does.  A ticker given twice
 * exits 64, one in no slot 65. */
static int *
ticker_slots(const struct tm_env *e, const char *const *tk, int ntk)
{
	const char **srt = emalloc(ntk * sizeof(char *));
	int *slot = emalloc((size_t)ntk * e->T * sizeof(int));
	int *seen = ecalloc(ntk, sizeof(int));

	memcpy(srt, tk, ntk * sizeof(char *));
	qsort(srt, ntk, sizeof(char *), cmp_str);
	for (int k = 1; k < ntk; k++)
		if (!strcmp(srt[k - 1], srt[k]))
			tm_die(EX_USAGE, "--ticker: %s: given twice", srt[k]);
	for (size_t k = 0; k < (size_t)ntk * e->T; k++)
		slot[k] = -1;
	for (int t = 0; t < e->T; t++)
		for (int i = 0; i < e->N; i++) {
			const char *l = e->label[(size_t)t * e->N + i];
			const char **hit;

			if (!*l || !(hit = bsearch(&l, srt, ntk, sizeof(char *),
			    cmp_str)))
				continue;
			int k = (int)(hit - srt);
			/* srt[k] is the name; find its place in tk. */
			seen[k] = 1;
			slot[(size_t)k * e->T + t] = i;
		}
	/* From sorted order to the order given. */
	int *out = emalloc((size_t)ntk * e->T * sizeof(int));
	for (int j = 0; j < ntk; j++) {
		const char **hit = bsearch(&tk[j], srt, ntk, sizeof(char *),
		    cmp_str);
		int k = (int)(hit - srt);

		if (!seen[k])
			tm_die(EX_DATAERR, "--ticker: %s: not in the slot "
			    "stream", tk[j]);
		memcpy(out + (size_t)j * e->T, slot + (size_t)k * e->T,
		    e->T * sizeof(int));
	}
	free(slot);
	free(seen);
	free(srt);
	return out;
}

int
sma_grid(struct bt *bt, const char *const *tk, int ntk, const char *gridpath,
    json_t **sum)
{
	const struct tm_env *e = &bt->env;
	struct tm_env e1;
	struct tm_run ru;
	struct gsum g = { 0 };
	size_t nset;
	struct sma *set = grid_sets(gridpath, &nset);
	int *slots = ticker_slots(e, tk, ntk);

	/* One ticker alone, as the whole env sees it. */
	memset(&e1, 0, sizeof(e1));
	e1.T = e->T;
	e1.N = 1;
	e1.date = e->date;
	e1.ret = emalloc(e->T * sizeof(float));
	e1.kind = emalloc(e->T);
	e1.changed = emalloc(e->T);
	e1.src = emalloc(e->T * sizeof(int32_t));
	e1.dst = emalloc(e->T * sizeof(int32_t));
	e1.moves = ecalloc(e->T, sizeof(int));
	tm_run_init(&ru, 1, e->T);
	for (int k = 0; k < ntk; k++) {
		struct series s;

		series_from(&s, e, slots + (size_t)k * e->T);
		for (int t = 0; t < e->T; t++) {
			int i = s.slot[t];
			size_t o = (size_t)t * e->N + i;

			e1.ret[t] = i < 0 ? NAN : e->ret[o];
			e1.kind[t] = i < 0 ? TM_SLOT_NONE : e->kind[o];
			/* One ticker: a slot move carries it (carry.c),
			 * only entering or leaving the stream changes the
			 * slot. */
			e1.changed[t] = t > 0 && (i < 0) != (s.slot[t - 1] < 0);
			e1.src[t] = e1.changed[t] ? -1 : 0;
			if (t > 0)
				e1.dst[t - 1] = e1.src[t];
		}
		e1.dst[e->T - 1] = 0;
		for (size_t j = 0; j < nset; j++) {
			struct tm_metrics m;

			grid_run(&e1, &s, &set[j], bt->cost, &ru);
			tm_metrics_compute(ru.r, ru.value, NULL, ru.turn, ru.n,
			    &m);
			json_t *o = json_pack("{s:s, s:i, s:i, s:f}", "ticker",
			    tk[k], "fast", set[j].fast, "slow", set[j].slow,
			    "size", set[j].size);
			json_object_update_new(o, tm_metrics_json(&m));
			char *txt = json_dumps(o, JSON_COMPACT |
			    JSON_REAL_PRECISION(17));
			puts(txt);
			free(txt);
			gsum_add(&g, o);
			json_decref(o);
		}
		series_free(&s);
	}
	*sum = gsum_end(&g);
	tm_run_release(&ru);
	free(e1.ret), free(e1.kind), free(e1.changed);
	free(e1.src), free(e1.dst), free(e1.moves);
	free(slots);
	free(set);
	return 0;
}

json_t *
dsr_lines(const char *path)
{
	FILE *fp = tm_open_read(path);
	char *line = NULL;
	size_t cap = 0;
	long lno = 0;
	struct gsum g = { 0 };

	if (!fp)
		tm_exit(tm_fail_status());
	while (getline(&line, &cap, fp) > 0) {
		json_error_t err;
		json_t *o;

		lno++;
		if (line[strspn(line, " \t\r\n")] == 0)
			continue;
		if (!(o = json_loads(line, 0, &err)) || !json_is_object(o) ||
		    !json_object_get(o, "sharpe"))
			tm_die(EX_DATAERR, "%s:%ld: not a grid line", path,
			    lno);
		gsum_add(&g, o);
		json_decref(o);
	}
	if (ferror(fp))
		tm_die(EX_IOERR, "%s:", path);
	free(line);
	tm_close_read(fp);
	return gsum_end(&g);
}
