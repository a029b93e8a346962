/* series.c - a ticker's bars, and the spellings of its symbol. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

const char *const fetch_fields[NFIELD] = {
	"open", "high", "low", "close", "adjclose", "volume", "split",
	"dividend",
};

struct bar *
series_add(struct series *s, int32_t day)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->b = ereallocarray(s->b, s->cap, sizeof(*s->b));
	}
	struct bar *b = &s->b[s->n++];
	memset(b, 0, sizeof(*b));
	b->day = day;
	b->src = -1;
	for (int i = 0; i < NFIELD; i++)
		b->v[i] = NAN;
	b->v[F_SPLIT] = 1;
	b->v[F_DIV] = 0;
	return b;
}

static int
byday(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	/* Stable for equal days: keep the one added first (store bars are
	 * loaded before fetched ones, so the store wins). */
	return x < y ? -1 : x > y;
}

void
series_sort(struct series *s)
{
	size_t k = 0;

	if (s->n == 0)
		return;
	qsort(s->b, s->n, sizeof(*s->b), byday);
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->b[i].day != s->b[k - 1].day)
			s->b[k++] = s->b[i];
	s->n = k;
}

static int
cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

long
series_dups(const struct series *s, int gid, int32_t *first)
{
	int32_t *d = emalloc((s->n ? s->n : 1) * sizeof(int32_t));
	size_t n = 0;
	long dups = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->b[i].fresh && s->b[i].src == gid)
			d[n++] = s->b[i].day;
	qsort(d, n, sizeof(*d), cmp_day);
	for (size_t i = 1; i < n; i++)
		if (d[i] == d[i - 1] && dups++ == 0)
			*first = d[i];
	free(d);
	return dups;
}

void
series_clip(struct series *s, int32_t from, int32_t to)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->b[i].day >= from && s->b[i].day <= to)
			s->b[k++] = s->b[i];
	s->n = k;
}

void
series_free(struct series *s)
{
	free(s->b);
	memset(s, 0, sizeof(*s));
}

char *
ticker_canon(const char *s)
{
	size_t n = strlen(s);
	char *c = emalloc(n + 1), *p = c;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	/* Stooq's market suffix is not part of the symbol. */
	if (n > 3 && strncasecmp(s + n - 3, ".us", 3) == 0)
		n -= 3;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		*p++ = (ch == '.' || ch == '/') ? '-' : (char)toupper(ch);
	}
	*p = '\0';
	return c;
}

void
ticker_for(const char *canon, const char *source, char *buf, size_t n)
{
	size_t i;

	for (i = 0; canon[i] && i + 4 < n; i++) {
		char ch = canon[i];
		if (strcmp(source, "stooq") == 0)
			ch = (char)tolower((unsigned char)ch);
		else if (ch == '-' && (strcmp(source, "polygon") == 0 ||
		    strcmp(source, "alphavantage") == 0))
			ch = '.';
		buf[i] = ch;
	}
	buf[i] = '\0';
	if (strcmp(source, "stooq") == 0)
		strcat(buf, ".us");
}

/* Sorted index of ticker numbers by symbol, for fetch_find. */
static int *order;
static struct ticker *order_t;

static int
bysym(const void *a, const void *b)
{
	return strcmp(order_t[*(const int *)a].sym,
	    order_t[*(const int *)b].sym);
}

void
fetch_index(struct fetch *f)
{
	free(order);
	order = ereallocarray(NULL, f->nt ? f->nt : 1, sizeof(int));
	order_t = f->t;
	for (size_t i = 0; i < f->nt; i++)
		order[i] = (int)i;
	qsort(order, f->nt, sizeof(int), bysym);
}

int
fetch_find(struct fetch *f, const char *sym)
{
	size_t lo = 0, hi = f->nt;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(f->t[order[mid]].sym, sym);
		if (c == 0)
			return order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const struct source *const source_all[NSOURCE] = {
	&src_yahoo, &src_stooq, &src_alphavantage, &src_polygon, &src_csv,
};

int
source_gid(const char *name)
{
	for (int i = 0; i < NSOURCE; i++)
		if (strcmp(source_all[i]->name, name) == 0)
			return i;
	return -1;
}

struct bar *
fetch_bar(struct fetch *f, int tick, int si, int32_t day)
{
	struct ticker *t = &f->t[tick];

	if (day < t->from || day > t->to)
		return NULL;	/* Yahoo appends today's bar past period2 */
	struct bar *b = series_add(&t->s, day);
	b->src = (signed char)f->gid[si];
	b->fresh = 1;
	return b;
}

void
req_initf(struct req *r, int tick, const char *fmt, ...)
{
	va_list ap;
	int rc;

	memset(r, 0, sizeof(*r));
	r->tick = tick;
	va_start(ap, fmt);
	rc = vasprintf(&r->url, fmt, ap);
	va_end(ap);
	if (rc == -1)
		tm_die(EX_OSERR, "asprintf:");
}

const char *
req_body(const struct req *r)
{
	return r->body.p ? r->body.p : "";
}

char *
source_sym(const char *canon, const char *source)
{
	char sym[64];

	ticker_for(canon, source, sym, sizeof(sym));
	return url_escape(sym);
}

char *
url_escape(const char *s)
{
	static const char ok[] = "-._~";
	char *e = emalloc(strlen(s) * 3 + 1), *p = e;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr(ok, c))
			*p++ = (char)c;
		else
			p += sprintf(p, "%%%02X", c);
	}
	*p = '\0';
	return e;
}

int
looks_html(const char *body, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)body[i]))
		i++;
	return len - i >= 5 && (strncasecmp(body + i, "<html", 5) == 0 ||
	    strncasecmp(body + i, "<!doc", 5) == 0);
}

int
epoch_day(double t, int32_t *day)
{
	/* 1900-01-01 to 2100-01-01: wider than any bar, and far inside
	 * int64 and the int32 day, so the casts below are defined. */
	if (!(t >= -2208988800.0 && t < 4102444800.0))
		return -1;
	*day = tm_date_from_epoch_ny((int64_t)floor(t));
	return 0;
}
