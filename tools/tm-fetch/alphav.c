/* alphav.c - Alpha Vantage TIME_SERIES_DAILY_ADJUSTED: every error is an
 * HTTP 200 JSON body with one key. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch.h"

static size_t
plan(struct fetch *f, int si, const int *todo, size_t n, struct req **out)
{
	struct req *r = ecalloc(n ? n : 1, sizeof(*r));
	int32_t today = tm_date_from_epoch_ny((int64_t)time(NULL));

	for (size_t i = 0; i < n; i++) {
		struct ticker *t = &f->t[todo[i]];
		char *e = source_sym(t->sym, "alphavantage");
		/* compact is the last 100 bars: about 140 calendar days. */
		const char *size = today - t->from < 130 ? "compact" : "full";
		req_initf(&r[i], todo[i], "%s/query?"
		    "function=TIME_SERIES_DAILY_ADJUSTED"
		    "&symbol=%s&outputsize=%s&datatype=%s&apikey=%s",
		    f->base[si], e, size, f->avcsv ? "csv" : "json", f->avkey);
		free(e);
	}
	*out = r;
	return n;
}

static double
field(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v) && tm_parse_double(json_string_value(v), 1,
	    &d) == 0)
		return d;
	return NAN;
}

static enum verdict
parse_json(struct fetch *f, int si, struct req *r, char *msg, size_t msglen)
{
	json_error_t je;
	json_t *j = json_loadb(r->body.p, r->body.n, 0, &je), *m;
	const char *k;
	json_t *bar;
	long got = 0;

	if (j == NULL) {
		snprintf(msg, msglen, "malformed JSON: %s", je.text);
		return V_BAD;
	}
	if ((m = json_object_get(j, "Note")) != NULL) {
		/* The per-minute throttle: wait and ask again. */
		snprintf(msg, msglen, "rate limited (Note)");
		json_decref(j);
		return V_RETRY;
	}
	if ((m = json_object_get(j, "Information")) != NULL) {
		/* The daily cap or a premium endpoint: not today. */
		snprintf(msg, msglen, "%.120s", json_is_string(m) ?
		    json_string_value(m) : "Information");
		json_decref(j);
		return V_DEAD;
	}
	if ((m = json_object_get(j, "Error Message")) != NULL) {
		snprintf(msg, msglen, "%.120s", json_is_string(m) ?
		    json_string_value(m) : "Error Message");
		json_decref(j);
		/* A bad key fails every ticker alike. */
		return strstr(json_string_value(m) ? json_string_value(m) : "",
		    "apikey") ? V_DEAD : V_FAIL;
	}
	json_t *ts = json_object_get(j, "Time Series (Daily)");
	if (!json_is_object(ts)) {
		snprintf(msg, msglen, "no \"Time Series (Daily)\"");
		json_decref(j);
		return V_BAD;
	}
	json_object_foreach(ts, k, bar) {
		int32_t day;
		if (tm_date_parse(k, &day) == -1)
			continue;
		double c = field(bar, "4. close");
		struct bar *b;
		if (isnan(c) || (b = fetch_bar(f, r->tick, si, day)) == NULL)
			continue;
		b->v[F_OPEN] = field(bar, "1. open");
		b->v[F_HIGH] = field(bar, "2. high");
		b->v[F_LOW] = field(bar, "3. low");
		b->v[F_CLOSE] = c;
		/* The plain daily series has no adjusted close. */
		b->v[F_ADJ] = json_object_get(bar, "5. adjusted close") ?
		    field(bar, "5. adjusted close") : c;
		b->v[F_VOL] = json_object_get(bar, "6. volume") ?
		    field(bar, "6. volume") : field(bar, "5. volume");
		double d = field(bar, "7. dividend amount");
		double s = field(bar, "8. split coefficient");
		b->v[F_DIV] = isnan(d) ? 0 : d;
		b->v[F_SPLIT] = isnan(s) || s <= 0 ? 1 : s;
		got++;
	}
	json_decref(j);
	if (got == 0) {
		snprintf(msg, msglen, "no bars in range");
		return V_FAIL;
	}
	return V_OK;
}

json_t *
av_reply_json(const struct req *r, enum verdict *v, char *msg,
    size_t msglen)
{
	json_error_t je;
	json_t *j, *m;

	*v = V_BAD;
	if (r->status != 200 || looks_html(r->body.p, r->body.n)) {
		snprintf(msg, msglen, "HTTP %ld%s", r->status,
		    looks_html(r->body.p, r->body.n) ? ", HTML page" : "");
		return NULL;
	}
	if ((j = json_loadb(r->body.p, r->body.n, 0, &je)) == NULL ||
	    !json_is_object(j)) {
		if (j)
			snprintf(je.text, sizeof(je.text), "not an object");
		snprintf(msg, msglen, "malformed JSON: line %d column %d: %s",
		    je.line, je.column, je.text);
		json_decref(j);
		return NULL;
	}
	if (json_object_get(j, "Note")) {
		/* The per-minute throttle: wait and ask again. */
		snprintf(msg, msglen, "rate limited (Note)");
		*v = V_RETRY;
	} else if ((m = json_object_get(j, "Information")) != NULL ||
	    (m = json_object_get(j, "Error Message")) != NULL) {
		/* Information: the daily cap or a premium endpoint, not
		 * today; Error Message: not this ticker. */
		*v = json_object_get(j, "Information") ? V_DEAD : V_FAIL;
		snprintf(msg, msglen, "%.120s", json_is_string(m) ?
		    json_string_value(m) : "error");
	} else {
		*v = V_OK;
		return j;
	}
	json_decref(j);
	return NULL;
}

static enum verdict
parse(struct fetch *f, int si, struct req *r, char *msg, size_t msglen)
{
	size_t i = 0;

	if (r->status != 200) {
		snprintf(msg, msglen, "HTTP %ld", r->status);
		return V_BAD;
	}
	if (looks_html(r->body.p, r->body.n)) {
		snprintf(msg, msglen, "HTML page instead of data");
		return V_BAD;
	}
	while (i < r->body.n && (r->body.p[i] == ' ' || r->body.p[i] == '\n' ||
	    r->body.p[i] == '\r' || r->body.p[i] == '\t'))
		i++;
	/* Errors stay JSON even when csv was asked for. */
	if (i < r->body.n && r->body.p[i] == '{')
		return parse_json(f, si, r, msg, msglen);
	return csvbars_reply(f, si, req_body(r), r->body.n, r->tick,
	    msg, msglen);
}

/* The free tier today: 25 requests a day; the legacy throttle was 5 a
 * minute, which is the pace kept here (the daily cap ends the source). */
const struct source src_alphavantage = {
	"alphavantage", "TM_ALPHAVANTAGE_URL", "https://www.alphavantage.co",
	5.0 / 60, 5, plan, parse,
};
