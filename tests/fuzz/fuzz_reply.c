/*
 * fuzz_reply.c - libFuzzer target: arbitrary bytes as the body of an HTTP
 * reply, through the parse function of one tm-fetch source (the very
 * function net_run calls, reached through the source tables of fetch.h).
 *
 * The first byte picks what asked: bits 0-2 the parser (Yahoo, Stooq,
 * Alpha Vantage, Polygon per ticker, Polygon grouped daily, news, overview,
 * Alpha Vantage again), bits 3-4 the HTTP status, bits 5-7 the ticker
 * the request was for (an index into syms, sorted as fetch_index keeps
 * them; tests/fuzz.sh writes the seeds with these bytes).  The rest,
 * NUL-terminated as net.c keeps it, is the body.
 */
#include <string.h>

#include "fetch.h"
#include "fuzz.h"

static const char *const syms[] = {
	"BRK-B", "FIXA", "FIXB", "FIXC", "FIXO", "FIXP", "FIXS", "FIXY",
};
#define NSYM (sizeof(syms) / sizeof(syms[0]))
static const long statuses[4] = { 200, 404, 429, 401 };
static struct fetch f;

static void
setup(void)
{
	f.nt = NSYM;
	f.t = ecalloc(NSYM, sizeof(*f.t));
	for (size_t i = 0; i < NSYM; i++)
		f.t[i].sym = estrdup(syms[i]);
	fetch_index(&f);
	tm_date_parse("1990-01-01", &f.from);
	tm_date_parse("2030-12-31", &f.to);
	f.nsrc = 1;
	f.base[0] = "http://127.0.0.1:1";
	f.grouped = -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct source *const by[8] = {
		&src_yahoo, &src_stooq, &src_alphavantage, &src_polygon,
		&src_polygon, &src_news, &src_overview, &src_alphavantage,
	};
	struct req r;
	char msg[256];

	if (size < 1)
		return 0;
	int p = data[0] & 7;
	for (size_t i = 0; i < NSYM; i++) {
		struct ticker *t = &f.t[i];
		t->from = f.from;
		t->to = f.to;
		t->src = -1;
		t->hasfund = 0;
	}
	f.src[0] = by[p];
	f.gid[0] = source_gid(by[p]->name);
	memset(&r, 0, sizeof(r));
	r.tick = p == 4 ? -1 : (int)(data[0] >> 5) % (int)NSYM;
	r.status = statuses[(data[0] >> 3) & 3];
	tm_buf_add(&r.body, data + 1, size - 1);	/* NUL-terminated */
	msg[0] = '\0';
	enum verdict v = by[p]->parse(&f, 0, &r, msg, sizeof(msg));
	if (v < V_OK || v > V_DEAD || (v != V_OK && msg[0] == '\0'))
		abort();	/* every failure says why */
	tm_buf_free(&r.body);
	for (size_t i = 0; i < NSYM; i++)
		series_free(&f.t[i].s);
	news_release();
	return 0;
}
