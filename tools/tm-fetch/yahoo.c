/* yahoo.c - Yahoo Finance chart v8: the primary source, no key. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

static size_t
plan(struct fetch *f, int si, const int *todo, size_t n, struct req **out)
{
	struct req *r = ecalloc(n ? n : 1, sizeof(*r));

	for (size_t i = 0; i < n; i++) {
		struct ticker *t = &f->t[todo[i]];
		char *e = source_sym(t->sym, "yahoo");
		/* period2 is the midnight after "to" (UTC): the session of
		 * "to" opens at 13:30Z or 14:30Z, well before. */
		req_initf(&r[i], todo[i], "%s/v8/finance/chart/%s?period1=%lld"
		    "&period2=%lld&interval=1d&events=div%%2Csplits",
		    f->base[si], e, (long long)t->from * 86400,
		    (long long)(t->to + 1) * 86400);
		free(e);
	}
	*out = r;
	return n;
}

static double
num(json_t *a, size_t i)
{
	json_t *v = json_array_get(a, i);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Put one kind of event on the bar of its day. */
static void
events(struct fetch *f, int tick, json_t *ev, const char *kind, size_t first)
{
	const char *k;
	json_t *e;
	struct series *s = &f->t[tick].s;

	json_object_foreach(json_object_get(ev, kind), k, e) {
		json_t *d = json_object_get(e, "date");
		int32_t day;
		if (epoch_day(json_is_number(d) ? json_number_value(d) :
		    strtod(k, NULL), &day) == -1)
			continue;	/* no day of ours: not a bar's event */
		for (size_t i = first; i < s->n; i++) {
			if (s->b[i].day != day)
				continue;
			if (strcmp(kind, "dividends") == 0) {
				s->b[i].v[F_DIV] = json_number_value(
				    json_object_get(e, "amount"));
			} else {
				double nu = json_number_value(
				    json_object_get(e, "numerator"));
				double de = json_number_value(
				    json_object_get(e, "denominator"));
				if (nu > 0 && de > 0)
					s->b[i].v[F_SPLIT] = nu / de;
			}
		}
	}
}

static enum verdict
parse(struct fetch *f, int si, struct req *r, char *msg, size_t msglen)
{
	json_error_t je;
	json_t *j, *res, *err;

	if (looks_html(r->body.p, r->body.n)) {
		snprintf(msg, msglen, "HTML page instead of JSON (HTTP %ld)",
		    r->status);
		return V_BAD;
	}
	if (r->body.n && r->body.p[0] != '{' &&
	    strstr(r->body.p, "Too Many Requests")) {
		snprintf(msg, msglen, "Too Many Requests");
		return V_RETRY;
	}
	if ((j = json_loadb(req_body(r), r->body.n, 0, &je)) == NULL) {
		snprintf(msg, msglen, "malformed JSON (HTTP %ld): %s",
		    r->status, je.text);
		return V_BAD;
	}
	/* chart.error first: an unknown symbol is a 404 with a reason. */
	err = json_object_get(json_object_get(j, "chart"), "error");
	if (err && !json_is_null(err)) {
		json_t *d = json_object_get(err, "description");
		snprintf(msg, msglen, "%s", json_is_string(d) ?
		    json_string_value(d) : "chart.error");
		json_decref(j);
		return V_FAIL;
	}
	res = json_array_get(json_object_get(json_object_get(j, "chart"),
	    "result"), 0);
	if (r->status != 200 || !json_is_object(res)) {
		snprintf(msg, msglen, "HTTP %ld without chart.result",
		    r->status);
		json_decref(j);
		return r->status == 200 ? V_BAD : V_FAIL;
	}
	json_t *ts = json_object_get(res, "timestamp");
	json_t *ind = json_object_get(res, "indicators");
	json_t *q = json_array_get(json_object_get(ind, "quote"), 0);
	json_t *adj = json_object_get(json_array_get(
	    json_object_get(ind, "adjclose"), 0), "adjclose");
	json_t *o = json_object_get(q, "open"), *h = json_object_get(q, "high");
	json_t *l = json_object_get(q, "low"), *c = json_object_get(q, "close");
	json_t *v = json_object_get(q, "volume");
	struct series *s = &f->t[r->tick].s;
	size_t first = s->n, got = 0;
	int32_t day;

	/* Judge the timestamps before any bar is taken. */
	for (size_t i = 0; i < json_array_size(ts); i++) {
		json_t *t = json_array_get(ts, i);
		if (json_is_number(t) &&
		    epoch_day(json_number_value(t), &day) == -1) {
			snprintf(msg, msglen, "timestamp %g out of range",
			    json_number_value(t));
			json_decref(j);
			return V_BAD;
		}
	}
	for (size_t i = 0; i < json_array_size(ts); i++) {
		json_t *t = json_array_get(ts, i);
		double cl = num(c, i);
		if (!json_is_number(t) || isnan(cl))
			continue;	/* a null bar: no trade that day */
		epoch_day(json_number_value(t), &day);
		struct bar *b = fetch_bar(f, r->tick, si, day);
		if (b == NULL)
			continue;
		b->v[F_OPEN] = num(o, i);
		b->v[F_HIGH] = num(h, i);
		b->v[F_LOW] = num(l, i);
		b->v[F_CLOSE] = cl;
		b->v[F_ADJ] = adj ? num(adj, i) : cl;
		b->v[F_VOL] = num(v, i);
		got++;
	}
	json_t *ev = json_object_get(res, "events");
	events(f, r->tick, ev, "dividends", first);
	events(f, r->tick, ev, "splits", first);
	json_decref(j);
	if (got == 0) {
		snprintf(msg, msglen, "no bars in range");
		return V_FAIL;
	}
	return V_OK;
}

const struct source src_yahoo = {
	"yahoo", "TM_YAHOO_URL", "https://query2.finance.yahoo.com",
	5, 10, plan, parse,
};
