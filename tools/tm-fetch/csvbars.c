/* csvbars.c - bars from a CSV with a header: Stooq, Alpha Vantage csv,
 * Yahoo downloads and the long layout of tm-cat --import (libcsv). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "fetch.h"

enum { C_DATE = NFIELD, C_TICK, C_SKIP };

struct cb {
	struct fetch *f;
	int si, tick;
	int ncol, col[64];
	int row, field, bad;
	long got, line;
	char *cell[64];
	char *msg;
	size_t msglen;
	int32_t lastday;
	char lastsym[64];
	int lasttick;
};

/* Column kind from a header name: spaces, '_' and case do not count. */
static int
colkind(const char *name, int pos)
{
	static const struct { const char *n; int k; } map[] = {
		{ "date", C_DATE }, { "timestamp", C_DATE }, { "data", C_DATE },
		{ "day", C_DATE },
		{ "ticker", C_TICK }, { "symbol", C_TICK },
		{ "open", F_OPEN }, { "otwarcie", F_OPEN },
		{ "high", F_HIGH }, { "najwyzszy", F_HIGH },
		{ "low", F_LOW }, { "najnizszy", F_LOW },
		{ "close", F_CLOSE }, { "zamkniecie", F_CLOSE },
		{ "adjclose", F_ADJ }, { "adjustedclose", F_ADJ },
		{ "volume", F_VOL }, { "wolumen", F_VOL }, { "vol", F_VOL },
		{ "split", F_SPLIT }, { "splitcoefficient", F_SPLIT },
		{ "dividend", F_DIV }, { "dividendamount", F_DIV },
		{ "dividends", F_DIV },
	};
	char k[64];
	size_t j = 0;

	for (const char *p = name; *p && j + 1 < sizeof(k); p++)
		if (isalnum((unsigned char)*p))
			k[j++] = (char)tolower((unsigned char)*p);
	k[j] = '\0';
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(k, map[i].n) == 0)
			return map[i].k;
	(void)pos;
	return C_SKIP;
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct cb *c = arg;

	if (c->field < 64) {
		free(c->cell[c->field]);
		c->cell[c->field] = emalloc(len + 1);
		memcpy(c->cell[c->field], s, len);
		c->cell[c->field][len] = '\0';
	}
	c->field++;
}

static void
header(struct cb *c)
{
	int date = 0, close = 0;

	c->ncol = c->field < 64 ? c->field : 64;
	for (int i = 0; i < c->ncol; i++) {
		c->col[i] = colkind(c->cell[i], i);
		date |= c->col[i] == C_DATE;
		close |= c->col[i] == F_CLOSE;
	}
	if (c->field > 64) {
		snprintf(c->msg, c->msglen, "CSV header of %d columns, more "
		    "than 64", c->field);
		c->bad = 1;
	} else if (!date) {
		snprintf(c->msg, c->msglen, "CSV header without a date column");
		c->bad = 1;
	} else if (!close) {
		/* Bars without a close would be all-NaN rows, "served". */
		snprintf(c->msg, c->msglen, "CSV header without a close column");
		c->bad = 1;
	}
	if (c->tick < 0) {
		int tk = 0;
		for (int i = 0; i < c->ncol; i++)
			tk |= c->col[i] == C_TICK;
		if (!tk && !c->bad) {
			snprintf(c->msg, c->msglen,
			    "CSV header without a ticker column");
			c->bad = 1;
		}
	}
}

static int
rowtick(struct cb *c, const char *sym)
{
	if (strcmp(sym, c->lastsym) == 0)
		return c->lasttick;
	char *k = ticker_canon(sym);
	int t = fetch_find(c->f, k);
	free(k);
	snprintf(c->lastsym, sizeof(c->lastsym), "%s", sym);
	c->lasttick = t;
	return t;
}

static void
on_row(int ch, void *arg)
{
	struct cb *c = arg;
	double v[NFIELD];
	int32_t day = 0;
	int tick = c->tick, hasday = 0, hasadj = 0;

	(void)ch;
	c->line++;
	if (c->bad)
		return;
	if (c->row++ == 0) {
		header(c);
		c->field = 0;
		return;
	}
	if (c->field == 1 && c->cell[0][0] == '\0') {
		c->field = 0;
		return;	/* a blank line */
	}
	if (c->field != c->ncol) {
		snprintf(c->msg, c->msglen, "line %ld: %d fields, header has %d",
		    c->line, c->field, c->ncol);
		c->bad = 1;
		return;
	}
	for (int i = 0; i < NFIELD; i++)
		v[i] = NAN;
	for (int i = 0; i < c->ncol; i++) {
		const char *s = c->cell[i];
		switch (c->col[i]) {
		case C_SKIP:
			break;
		case C_DATE:
			if (tm_date_parse(s, &day) == -1) {
				snprintf(c->msg, c->msglen,
				    "line %ld: bad date \"%.20s\"", c->line, s);
				c->bad = 1;
				return;
			}
			hasday = 1;
			break;
		case C_TICK:
			tick = rowtick(c, s);
			break;
		default:
			if (tm_parse_double(s, 1, &v[c->col[i]]) == -1 &&
			    strcmp(s, "NA") != 0) {
				snprintf(c->msg, c->msglen,
				    "line %ld: bad number \"%.20s\"", c->line,
				    s);
				c->bad = 1;
				return;
			}
			hasadj |= c->col[i] == F_ADJ;
		}
	}
	c->field = 0;
	/* Rows of tickers outside the universe, or already served. */
	if (!hasday || tick < 0 || c->f->t[tick].src >= 0)
		return;
	struct bar *b = fetch_bar(c->f, tick, c->si, day);
	if (b == NULL || isnan(v[F_CLOSE]))
		return;
	for (int i = 0; i < NFIELD; i++)
		if (!isnan(v[i]) || i < F_SPLIT)
			b->v[i] = v[i];
	/* No adjusted column: Stooq prices are adjusted already. */
	if (!hasadj)
		b->v[F_ADJ] = b->v[F_CLOSE];
	c->got++;
}

long
csvbars_parse(struct fetch *f, int si, const char *buf, size_t len,
    int tick, char *msg, size_t msglen)
{
	struct csv_parser p;
	struct cb c;

	memset(&c, 0, sizeof(c));
	c.f = f;
	c.si = si;
	c.tick = tick;
	c.msg = msg;
	c.msglen = msglen;
	c.lasttick = -1;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		tm_die(EX_SOFTWARE, "csv_init failed");
	if (csv_parse(&p, buf, len, on_field, on_row, &c) != len ||
	    csv_fini(&p, on_field, on_row, &c) != 0) {
		snprintf(msg, msglen, "CSV: %s", csv_strerror(csv_error(&p)));
		c.bad = 1;
	}
	csv_free(&p);
	for (int i = 0; i < 64; i++)
		free(c.cell[i]);
	if (!c.bad && c.row == 0) {
		snprintf(msg, msglen, "empty CSV");
		c.bad = 1;
	}
	return c.bad ? -1 : c.got;
}

enum verdict
csvbars_reply(struct fetch *f, int si, const char *buf, size_t len,
    int tick, char *msg, size_t msglen)
{
	long got = csvbars_parse(f, si, buf, len, tick, msg, msglen);

	if (got < 0)
		return V_BAD;
	if (got == 0) {
		snprintf(msg, msglen, "no bars in range");
		return V_FAIL;
	}
	return V_OK;
}
