/* stooq.c - Stooq daily CSV: errors come as HTTP 200 plain text. */
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

static size_t
plan(struct fetch *f, int si, const int *todo, size_t n, struct req **out)
{
	struct req *r = ecalloc(n ? n : 1, sizeof(*r));

	for (size_t i = 0; i < n; i++) {
		struct ticker *t = &f->t[todo[i]];
		char *e = source_sym(t->sym, "stooq"), d1[11], d2[11];
		int y, m, d;
		tm_date_ymd(t->from, &y, &m, &d);
		snprintf(d1, sizeof(d1), "%04d%02d%02d", y, m, d);
		tm_date_ymd(t->to, &y, &m, &d);
		snprintf(d2, sizeof(d2), "%04d%02d%02d", y, m, d);
		req_initf(&r[i], todo[i], "%s/q/d/l/?s=%s&i=d&d1=%s&d2=%s%s%s",
		    f->base[si], e, d1, d2, f->stooqkey ? "&apikey=" : "",
		    f->stooqkey ? f->stooqkey : "");
		free(e);
	}
	*out = r;
	return n;
}

static int
starts(const char *body, const char *s)
{
	return strncmp(body, s, strlen(s)) == 0;
}

static enum verdict
parse(struct fetch *f, int si, struct req *r, char *msg, size_t msglen)
{
	const char *b = req_body(r);

	/* Test the header line, not the status: Stooq says no with 200. */
	if (starts(b, "No data") || starts(b, "Brak danych")) {
		snprintf(msg, msglen, "No data");
		return V_FAIL;
	}
	if (starts(b, "Exceeded the daily hits limit") ||
	    starts(b, "Access denied")) {
		snprintf(msg, msglen, "%.*s", (int)strcspn(b, "\r\n"), b);
		return V_DEAD;
	}
	if (looks_html(b, r->body.n) || r->status != 200) {
		snprintf(msg, msglen, "%s (HTTP %ld)",
		    looks_html(b, r->body.n) ? "HTML page instead of CSV" :
		    "unexpected reply", r->status);
		return V_BAD;
	}
	return csvbars_reply(f, si, b, r->body.n, r->tick, msg, msglen);
}

/* Undocumented limit: a daily IP quota; stay gentle. */
const struct source src_stooq = {
	"stooq", "TM_STOOQ_URL", "https://stooq.com", 2, 5, plan, parse,
};
