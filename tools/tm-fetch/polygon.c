/* polygon.c - Polygon (Massive) aggregates, per ticker or one grouped-daily
 * request per day for the whole market. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

static size_t
plan(struct fetch *f, int si, const int *todo, size_t n, struct req **out)
{
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	size_t ndays = 0, k = 0;
	struct req *r;

	for (size_t i = 0; i < n; i++) {
		if (f->t[todo[i]].from < lo)
			lo = f->t[todo[i]].from;
		if (f->t[todo[i]].to > hi)
			hi = f->t[todo[i]].to;
	}
	for (int32_t d = lo; n && d <= hi; d++)
		ndays += tm_trading_day(d);
	/* One request a day beats one a ticker when days are fewer:
	 * the daily incremental run is a single request. */
	int grouped = f->grouped >= 0 ? f->grouped : ndays < n;
	if (grouped) {
		r = ecalloc(ndays ? ndays : 1, sizeof(*r));
		for (int32_t d = lo; n && d <= hi; d++) {
			char iso[11];
			if (!tm_trading_day(d))
				continue;
			req_initf(&r[k], -1, "%s/v2/aggs/grouped/locale/us/"
			    "market/stocks/%s?adjusted=true&include_otc=false",
			    f->base[si], tm_date_fmt(d, iso));
			r[k++].day = d;
		}
		*out = r;
		return k;
	}
	r = ecalloc(n ? n : 1, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		struct ticker *t = &f->t[todo[i]];
		char a[11], b[11], *e = source_sym(t->sym, "polygon");
		req_initf(&r[i], todo[i], "%s/v2/aggs/ticker/%s/range/1/day/"
		    "%s/%s?adjusted=true&sort=asc&limit=50000", f->base[si], e,
		    tm_date_fmt(t->from, a), tm_date_fmt(t->to, b));
		free(e);
	}
	*out = r;
	return n;
}

static double
num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static enum verdict
parse(struct fetch *f, int si, struct req *r, char *msg, size_t msglen)
{
	json_error_t je;
	json_t *j, *res, *st, *e;
	long got = 0;

	if (looks_html(r->body.p, r->body.n)) {
		snprintf(msg, msglen, "HTML page instead of JSON (HTTP %ld)",
		    r->status);
		return V_BAD;
	}
	if ((j = json_loadb(req_body(r), r->body.n, 0, &je)) == NULL) {
		snprintf(msg, msglen, "malformed JSON (HTTP %ld): %s",
		    r->status, je.text);
		return V_BAD;
	}
	st = json_object_get(j, "status");
	e = json_object_get(j, "error");
	if (!json_is_string(e))
		e = json_object_get(j, "message");
	if (r->status != 200 || (json_is_string(st) &&
	    strcmp(json_string_value(st), "OK") != 0 &&
	    strcmp(json_string_value(st), "DELAYED") != 0)) {
		snprintf(msg, msglen, "HTTP %ld: %.120s", r->status,
		    json_is_string(e) ? json_string_value(e) : "error");
		json_decref(j);
		/* A bad key is the same for every ticker. */
		return r->status == 401 ? V_DEAD : V_FAIL;
	}
	res = json_object_get(j, "results");
	/* Judge the timestamps (milliseconds) before any bar is taken. */
	for (size_t i = 0; i < json_array_size(res); i++) {
		double t = num(json_array_get(res, i), "t");
		int32_t day;
		if (!isnan(t) && epoch_day(t / 1000, &day) == -1) {
			snprintf(msg, msglen, "timestamp %g out of range", t);
			json_decref(j);
			return V_BAD;
		}
	}
	for (size_t i = 0; i < json_array_size(res); i++) {
		json_t *x = json_array_get(res, i);
		int tick = r->tick;
		double c = num(x, "c"), t = num(x, "t");
		if (tick < 0) {
			json_t *T = json_object_get(x, "T");
			if (!json_is_string(T))
				continue;
			char *k = ticker_canon(json_string_value(T));
			tick = fetch_find(f, k);
			free(k);
			if (tick < 0 || f->t[tick].src >= 0 ||
			    f->t[tick].from > f->t[tick].to)
				continue;
		}
		struct bar *b;
		int32_t day;
		if (isnan(c) || isnan(t) || epoch_day(t / 1000, &day) == -1 ||
		    (b = fetch_bar(f, tick, si, day)) == NULL)
			continue;
		b->v[F_OPEN] = num(x, "o");
		b->v[F_HIGH] = num(x, "h");
		b->v[F_LOW] = num(x, "l");
		b->v[F_CLOSE] = c;
		/* Split-adjusted only: the best adjusted close on offer. */
		b->v[F_ADJ] = c;
		b->v[F_VOL] = num(x, "v");
		got++;
	}
	json_decref(j);
	if (got == 0 && r->tick >= 0) {
		snprintf(msg, msglen, "no bars in range");
		return V_FAIL;
	}
	return V_OK;
}

/* Free tier: 5 requests a minute. */
const struct source src_polygon = {
	"polygon", "TM_POLYGON_URL", "https://api.polygon.io",
	5.0 / 60, 5, plan, parse,
};
