/* fundamentals.c - --fundamentals: Alpha Vantage OVERVIEW per ticker,
 * cached by quarter, written as the fundamentals stream. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

static const char *const fund_fields[8] = {
	"eps", "bvps", "sps", "dps", "roe", "de", "margin", "shares",
};
/* OVERVIEW has no debt/equity: de stays NaN. */
static const char *const ov_keys[8] = {
	"EPS", "BookValue", "RevenuePerShareTTM", "DividendPerShare",
	"ReturnOnEquityTTM", NULL, "ProfitMargin", "SharesOutstanding",
};

static size_t
plan(struct fetch *f, int si, const int *todo, size_t n, struct req **out)
{
	struct req *r = ecalloc(n ? n : 1, sizeof(*r));

	for (size_t i = 0; i < n; i++) {
		char *e = source_sym(f->t[todo[i]].sym, "alphavantage");
		req_initf(&r[i], todo[i], "%s/query?function=OVERVIEW"
		    "&symbol=%s&apikey=%s", f->base[si], e, f->avkey);
		free(e);
	}
	*out = r;
	return n;
}

static enum verdict
parse(struct fetch *f, int si, struct req *r, char *msg, size_t msglen)
{
	struct ticker *t = &f->t[r->tick];
	enum verdict v;
	json_t *j, *m;

	(void)si;
	if ((j = av_reply_json(r, &v, msg, msglen)) == NULL)
		return v;
	if (json_object_size(j) == 0 || !json_object_get(j, "Symbol")) {
		/* An unknown symbol: reportedly an empty object. */
		snprintf(msg, msglen, "no overview");
		json_decref(j);
		return V_FAIL;
	}
	for (int i = 0; i < 8; i++) {
		json_t *v = ov_keys[i] ? json_object_get(j, ov_keys[i]) : NULL;
		double d = NAN;
		/* "None" and "-" stand for missing. */
		if (json_is_string(v) && tm_parse_double(json_string_value(v),
		    1, &d) == -1)
			d = NAN;
		t->fund[i] = d;
	}
	m = json_object_get(j, "LatestQuarter");
	snprintf(t->period, sizeof(t->period), "%s", json_is_string(m) ?
	    json_string_value(m) : "");
	t->hasfund = 1;
	json_decref(j);
	return V_OK;
}

const struct source src_overview = {
	"alphavantage", "TM_ALPHAVANTAGE_URL", "https://www.alphavantage.co",
	5.0 / 60, 5, plan, parse,
};

/* The cache file of the quarter of day. */
static void
qpath(const char *dir, int32_t day, char *buf, size_t n, int folder)
{
	int y, m, d;

	tm_date_ymd(day, &y, &m, &d);
	if (folder)
		snprintf(buf, n, "%s/fundamentals", dir);
	else
		snprintf(buf, n, "%s/fundamentals/%04d-Q%d.tmt", dir, y,
		    (m - 1) / 3 + 1);
}

/* "A=2024-03-31,B=..." lookup, into out (11 bytes). */
static void
metaperiod(const char *list, const char *sym, char *out)
{
	size_t n = strlen(sym);

	out[0] = '\0';
	for (const char *p = list; p && *p; ) {
		if (strncmp(p, sym, n) == 0 && p[n] == '=') {
			snprintf(out, 11, "%.*s", (int)strcspn(p + n + 1, ","),
			    p + n + 1);
			return;
		}
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
}

/* The quarter's cache as read: its rows of tickers outside today's
 * universe are written back as they were. */
static struct tm_frame old;

static void
load_cache(struct fetch *f, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct tm_frame fr;

	tm_frame_init(&old);
	if (fp == NULL)
		return;
	tm_frame_init(&fr);
	struct tm_reader *r = tm_reader_new(fp, path);
	if (tm_read(r, &fr) == 1 && fr.ndim == 2 && fr.labels[0] &&
	    fr.labels[1]) {
		const char *per = tm_frame_get_meta(&fr, "period");
		for (int64_t k = 0; k < fr.shape[0]; k++) {
			int tick = fetch_find(f, fr.labels[0][k]);
			if (tick < 0)
				continue;
			struct ticker *t = &f->t[tick];
			for (int i = 0; i < 8; i++) {
				int64_t c = tm_frame_find_label(&fr, 1,
				    fund_fields[i]);
				t->fund[i] = c < 0 ? NAN : tm_frame_get(&fr,
				    (size_t)(k * fr.shape[1] + c));
			}
			metaperiod(per, t->sym, t->period);
			t->hasfund = 2;	/* from the cache */
		}
		tm_frame_copy(&old, &fr);
	} else
		tm_warn("%s: unreadable cache, fetching again", path);
	tm_reader_free(r);
	fclose(fp);
	tm_frame_release(&fr);
}

/* fr plus the rows of old whose tickers fr lacks. */
static void
add_old(struct tm_frame *fr)
{
	struct tm_frame m;
	int64_t n = fr->shape[0], extra = 0;
	char per[1 << 16];

	if (old.ndim != 2 || old.labels[0] == NULL)
		return;
	for (int64_t k = 0; k < old.shape[0]; k++)
		extra += tm_frame_find_label(fr, 0, old.labels[0][k]) < 0;
	if (extra == 0)
		return;
	tm_frame_init(&m);
	tm_frame_shape2(&m, TM_F64, "ticker", n + extra, "field", 8);
	for (int i = 0; i < 8; i++)
		tm_frame_set_label(&m, 1, i, fund_fields[i]);
	for (int64_t k = 0; k < n; k++) {
		tm_frame_set_label(&m, 0, k, fr->labels[0][k]);
		for (int i = 0; i < 8; i++)
			tm_frame_set(&m, (size_t)(k * 8 + i),
			    tm_frame_get(fr, (size_t)(k * 8 + i)));
	}
	snprintf(per, sizeof(per), "%s", tm_frame_get_meta(fr, "period") ?
	    tm_frame_get_meta(fr, "period") : "");
	for (int64_t k = 0, j = n; k < old.shape[0]; k++) {
		const char *sym = old.labels[0][k];
		char p[11];
		if (tm_frame_find_label(fr, 0, sym) >= 0)
			continue;
		tm_frame_set_label(&m, 0, j, sym);
		for (int i = 0; i < 8; i++) {
			int64_t c = tm_frame_find_label(&old, 1, fund_fields[i]);
			tm_frame_set(&m, (size_t)(j * 8 + i), c < 0 ? NAN :
			    tm_frame_get(&old, (size_t)(k * old.shape[1] + c)));
		}
		metaperiod(tm_frame_get_meta(&old, "period"), sym, p);
		size_t l = strlen(per);
		snprintf(per + l, sizeof(per) - l, "%s%s=%s", l ? "," : "",
		    sym, p);
		j++;
	}
	tm_frame_set_date(&m, tm_frame_date(fr));
	tm_frame_set_meta(&m, "period", per);
	tm_frame_set_meta(&m, "source", "alphavantage OVERVIEW");
	tm_frame_copy(fr, &m);
	tm_frame_release(&m);
}

/* One frame: rows = the tickers with numbers (all of them for the
 * cache, the universe for stdout). */
static void
make_frame(struct fetch *f, struct tm_frame *fr, int32_t day)
{
	size_t n = 0, l = 0, cap = 64;
	char iso[11], *per = emalloc(cap);

	for (size_t k = 0; k < f->nt; k++)
		n += f->t[k].hasfund != 0;
	tm_frame_shape2(fr, TM_F64, "ticker", (int64_t)n, "field", 8);
	for (int i = 0; i < 8; i++)
		tm_frame_set_label(fr, 1, i, fund_fields[i]);
	per[0] = '\0';
	n = 0;
	for (size_t k = 0; k < f->nt; k++) {
		struct ticker *t = &f->t[k];
		if (!t->hasfund)
			continue;
		tm_frame_set_label(fr, 0, (int64_t)n, t->sym);
		for (int i = 0; i < 8; i++)
			tm_frame_set(fr, n * 8 + (size_t)i, t->fund[i]);
		n++;
		size_t need = l + strlen(t->sym) + strlen(t->period) + 3;
		if (need > cap)
			per = ereallocarray(per, cap = need * 2, 1);
		l += (size_t)sprintf(per + l, "%s%s=%s", l ? "," : "", t->sym,
		    t->period);
	}
	/* Public by the day it was seen: dated then, never earlier. */
	tm_frame_set_date(fr, tm_date_fmt(day, iso));
	tm_frame_set_meta(fr, "period", per);
	tm_frame_set_meta(fr, "source", "alphavantage OVERVIEW");
	free(per);
}

static void
put(FILE *fp, const char *name, struct tm_frame *fr)
{
	struct tm_writer *w = tm_writer_new(fp, name, -1);

	if (tm_write(w, fr) == -1 || tm_writer_end(w) == -1)
		tm_die(EX_IOERR, "%s: write failed", name);
	tm_writer_free(w);
}

int
fund_run(struct fetch *f, const char *store)
{
	char path[4096];
	int *todo = emalloc((f->nt ? f->nt : 1) * sizeof(int));
	size_t n = 0, got = 0;
	struct tm_frame fr;

	tm_frame_init(&old);
	if (store) {
		qpath(store, f->to, path, sizeof(path), 0);
		load_cache(f, path);
	}
	for (size_t k = 0; k < f->nt; k++)
		if (!f->t[k].hasfund)
			todo[n++] = (int)k;
	f->nsrc = 1;
	f->src[0] = &src_overview;
	f->gid[0] = source_gid("alphavantage");
	if (n > 0 && f->avkey == NULL) {
		tm_warn("alphavantage: no API key (TM_ALPHAVANTAGE_KEY)");
	} else if (n > 0) {
		struct req *r;
		size_t nr = plan(f, 0, todo, n, &r);
		net_run(f, 0, r, nr);
		for (size_t i = 0; i < nr; i++)
			req_free(&r[i]);
		free(r);
	}
	for (size_t i = 0; i < n; i++) {
		struct ticker *t = &f->t[todo[i]];
		if (t->hasfund) {
			got++;
			t->src = 0;
		} else
			finding(f, "missing", t->sym, INT32_MIN, "alphavantage",
			    "%s", t->why ? t->why : "no API key");
	}
	tm_frame_init(&fr);
	if (store && got > 0) {
		/* The quarter's cache grows by the new tickers; rows already
		 * there are what the quarter first saw. */
		qpath(store, f->to, path, sizeof(path), 1);
		if (tm_mkdirs(path, 0755) == -1)
			tm_die(EX_CANTCREAT, "%s: cannot create folder", path);
		qpath(store, f->to, path, sizeof(path), 0);
		make_frame(f, &fr, f->to);
		add_old(&fr);
		fr.encoding = TM_DEFLATE;
		struct tm_atomic *a = tm_atomic_open(path, 0644);
		if (a == NULL)
			tm_die(EX_CANTCREAT, "%s: cannot write", path);
		put(tm_atomic_fp(a), path, &fr);
		if (tm_atomic_commit(a) == -1)
			tm_die(EX_IOERR, "%s: commit failed", path);
	}
	make_frame(f, &fr, f->to);
	fr.encoding = TM_RAW;
	put(stdout, "<stdout>", &fr);
	tm_runlog_rows(0, fr.shape[0]);
	tm_frame_release(&fr);
	json_t *s = json_pack("{s:{s:I,s:I,s:I,s:I,s:I}}", "summary",
	    "tickers", (json_int_t)f->nt, "cached", (json_int_t)(f->nt - n),
	    "fetched", (json_int_t)got, "missing", (json_int_t)(n - got),
	    "requests", (json_int_t)f->nreq[0]);
	char *js = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fprintf(stderr, "%s\n", js);
	free(js);
	json_decref(s);
	free(todo);
	tm_frame_release(&old);
	return n > 0 && got == 0 ? EX_UNAVAILABLE : n > got ? 1 : 0;
}
