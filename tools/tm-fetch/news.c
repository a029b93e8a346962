/* news.c - --news: Alpha Vantage NEWS_SENTIMENT (from the API or local
 * JSON files) into the sentiment stream, one frame per session. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fetch.h"

/* One ticker's score in one article, dated by the session it counts for. */
struct mention {
	char *key;		/* url, time, ticker: the same article twice
				 * (two files, two queries) counts once */
	char *sym;
	int32_t day;
	double score, rel;
};

static struct mention *men;
static size_t nmen, capmen;
static int openset;		/* no universe: keep every ticker named */

/* The session an article published at "YYYYMMDDTHHMM[SS]" New York time
 * counts for: that day when it is a trading day and the time is before
 * the 16:00 close, else the next trading day; -1 when s is no such time.
 * A time at 16:00:00 or later is after the close: no look-ahead. */
static int
session_of(const char *s, int32_t *day)
{
	static const char digits[] = "0123456789";
	int y, mo, d, h = 0, mi = 0, se = 0;
	size_t len = strlen(s);

	/* Digits only: %d alone takes "-1", " 9" and "+1" as well. */
	if ((len != 13 && len != 15) || strspn(s, digits) != 8 ||
	    s[8] != 'T' || strspn(s + 9, digits) != len - 9)
		return -1;
	if (sscanf(s, "%4d%2d%2dT%2d%2d", &y, &mo, &d, &h, &mi) != 5 ||
	    (len == 15 && sscanf(s + 13, "%2d", &se) != 1))
		return -1;
	char iso[11];
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, mo, d);
	if (tm_date_parse(iso, day) == -1 || h > 23 || mi > 59 || se > 60)
		return -1;
	if (!tm_trading_day(*day) || h * 3600 + mi * 60 + se >= 16 * 3600)
		*day = tm_trading_next(*day);
	return 0;
}

/* A number as Alpha Vantage writes it (a string, sometimes a number). */
static int
num(json_t *v, double *d)
{
	if (json_is_number(v)) {
		*d = json_number_value(v);
		return 0;
	}
	return json_is_string(v) ? tm_parse_double(json_string_value(v), 0,
	    d) : -1;
}

/* Take the mentions of one reply or file; only is the ticker the reply
 * was asked for (its other tickers come from their own queries), or -1
 * for a file.  Returns 0, or -1 with msg naming the bad element. */
static int
take(struct fetch *f, json_t *j, int only, char *msg, size_t msglen)
{
	json_t *feed = json_object_get(j, "feed"), *a;
	size_t i;

	if (!json_is_array(feed)) {
		snprintf(msg, msglen, "no feed array");
		return -1;
	}
	json_array_foreach(feed, i, a) {
		json_t *tp = json_object_get(a, "time_published");
		json_t *ts = json_object_get(a, "ticker_sentiment"), *e;
		json_t *url = json_object_get(a, "url");
		int32_t day;
		size_t k;
		if (!json_is_string(tp) || session_of(json_string_value(tp),
		    &day) == -1) {
			snprintf(msg, msglen, "feed[%zu].time_published: "
			    "not YYYYMMDDTHHMMSS", i);
			return -1;
		}
		if (ts != NULL && !json_is_array(ts)) {
			snprintf(msg, msglen, "feed[%zu].ticker_sentiment: "
			    "not an array", i);
			return -1;
		}
		json_array_foreach(ts, k, e) {
			json_t *tk = json_object_get(e, "ticker");
			double sc, rel;
			if (!json_is_string(tk) || num(json_object_get(e,
			    "ticker_sentiment_score"), &sc) == -1 ||
			    num(json_object_get(e, "relevance_score"),
			    &rel) == -1 || !isfinite(sc) || !isfinite(rel) ||
			    rel < 0) {
				snprintf(msg, msglen, "feed[%zu]."
				    "ticker_sentiment[%zu]: want ticker, "
				    "ticker_sentiment_score, relevance_score",
				    i, k);
				return -1;
			}
			const char *raw = json_string_value(tk);
			if (strchr(raw, ':'))
				continue;	/* CRYPTO:BTC, FOREX:USD */
			char *c = ticker_canon(raw);
			int t = fetch_find(f, c);
			if (*c == '\0' || (only >= 0 && t != only) ||
			    (!openset && t < 0)) {
				free(c);
				continue;
			}
			if (nmen == capmen)
				men = ereallocarray(men, capmen = capmen ?
				    capmen * 2 : 256, sizeof(*men));
			struct mention *m = &men[nmen++];
			if (asprintf(&m->key, "%s\t%s\t%s", json_is_string(url)
			    ? json_string_value(url) : "",
			    json_string_value(tp), c) == -1)
				tm_die(EX_OSERR, "asprintf:");
			m->sym = c;
			m->day = day;
			m->score = sc;
			m->rel = rel;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ API */

static size_t
plan(struct fetch *f, int si, const int *todo, size_t n, struct req **out)
{
	struct req *r = ecalloc(n ? n : 1, sizeof(*r));
	int y, m, d, y2, m2, d2;

	/* From the close before the first session to the last close. */
	tm_date_ymd(tm_trading_prev(f->from), &y, &m, &d);
	tm_date_ymd(f->to, &y2, &m2, &d2);
	for (size_t i = 0; i < n; i++) {
		char *e = source_sym(f->t[todo[i]].sym, "alphavantage");
		req_initf(&r[i], todo[i], "%s/query?function=NEWS_SENTIMENT"
		    "&tickers=%s"
		    "&time_from=%04d%02d%02dT1600&time_to=%04d%02d%02dT1559"
		    "&sort=EARLIEST&limit=1000&apikey=%s", f->base[si], e, y,
		    m, d, y2, m2, d2, f->avkey);
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
	json_t *j;
	char why[200];

	(void)si;
	if ((j = av_reply_json(r, &v, msg, msglen)) == NULL)
		return v;
	if (take(f, j, r->tick, why, sizeof(why)) == -1) {
		snprintf(msg, msglen, "malformed JSON: %s", why);
		json_decref(j);
		return V_BAD;
	}
	if (json_array_size(json_object_get(j, "feed")) >= 1000)
		tm_warn("%s: 1000 articles, the most one reply holds: the "
		    "earliest ones only", t->sym);
	t->hasfund = 1;		/* answered */
	json_decref(j);
	return V_OK;
}

const struct source src_news = {
	"alphavantage", "TM_ALPHAVANTAGE_URL", "https://www.alphavantage.co",
	5.0 / 60, 5, plan, parse,
};

/* ---------------------------------------------------------- local files */

static void
load_file(struct fetch *f, const char *path)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	char why[200];

	if (j == NULL)
		tm_die(EX_DATAERR, "%s: line %d column %d: %s", path, je.line,
		    je.column, je.text);
	if (json_object_get(j, "Information") ||
	    json_object_get(j, "Error Message") || json_object_get(j, "Note"))
		tm_die(EX_DATAERR, "%s: an Alpha Vantage error reply, not "
		    "news", path);
	if (take(f, j, -1, why, sizeof(why)) == -1)
		tm_die(EX_DATAERR, "%s: %s", path, why);
	json_decref(j);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --csv FILE, or every *.json (and *.json.gz) of --csv DIR, by name. */
static void
load_local(struct fetch *f)
{
	struct stat st;

	if (stat(f->csvpath, &st) == -1)
		tm_die(EX_NOINPUT, "%s:", f->csvpath);
	if (!S_ISDIR(st.st_mode)) {
		load_file(f, f->csvpath);
		return;
	}
	DIR *d = opendir(f->csvpath);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	if (d == NULL)
		tm_die(EX_NOINPUT, "%s:", f->csvpath);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if ((l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) ||
		    (l > 8 && strcmp(e->d_name + l - 8, ".json.gz") == 0)) {
			names = ereallocarray(names, n + 1, sizeof(char *));
			if (asprintf(&names[n++], "%s/%s", f->csvpath,
			    e->d_name) == -1)
				tm_die(EX_OSERR, "asprintf:");
		}
	}
	closedir(d);
	if (n == 0)
		tm_die(EX_NOINPUT, "%s: no .json files", f->csvpath);
	qsort(names, n, sizeof(char *), cmpstr);
	for (size_t i = 0; i < n; i++) {
		load_file(f, names[i]);
		free(names[i]);
	}
	free(names);
}

/* --------------------------------------------------------------- output */

static int
cmpmen(const void *a, const void *b)
{
	const struct mention *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c;
}

static int
cmpsym(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Index of sym in the sorted list, or -1. */
static long
findsym(char **list, size_t n, const char *sym)
{
	char **p = bsearch(&sym, list, n, sizeof(char *), cmpsym);

	return p ? p - list : -1;
}

void
news_release(void)
{
	for (size_t i = 0; i < nmen; i++) {
		free(men[i].key);
		free(men[i].sym);
	}
	free(men);
	men = NULL;
	nmen = capmen = 0;
}

int
news_run(struct fetch *f, int hasfrom, int hasto)
{
	int answered = 0;

	openset = f->nt == 0;
	if (f->csvpath) {
		load_local(f);
	} else {
		int *todo = emalloc((f->nt ? f->nt : 1) * sizeof(int));
		for (size_t k = 0; k < f->nt; k++)
			todo[k] = (int)k;
		f->nsrc = 1;
		f->src[0] = &src_news;
		f->gid[0] = source_gid("alphavantage");
		if (f->avkey == NULL)
			tm_die(EX_UNAVAILABLE, "alphavantage: no API key "
			    "(TM_ALPHAVANTAGE_KEY)");
		struct req *r;
		size_t nr = plan(f, 0, todo, f->nt, &r);
		net_run(f, 0, r, nr);
		for (size_t i = 0; i < nr; i++)
			req_free(&r[i]);
		free(r);
		free(todo);
		for (size_t k = 0; k < f->nt; k++) {
			struct ticker *t = &f->t[k];
			if (t->hasfund) {
				answered++;
				continue;
			}
			if (t->why && strncmp(t->why, "malformed JSON", 14) == 0)
				tm_die(EX_DATAERR, "alphavantage "
				    "NEWS_SENTIMENT %s: %s", t->sym, t->why);
			finding(f, "missing", t->sym, INT32_MIN, "alphavantage",
			    "%s", t->why ? t->why : "no reply");
		}
	}

	/* Drop the second copy of an article. */
	if (nmen > 1)
		qsort(men, nmen, sizeof(*men), cmpmen);
	size_t w = 0;
	for (size_t i = 0; i < nmen; i++) {
		if (w > 0 && strcmp(men[w - 1].key, men[i].key) == 0) {
			free(men[i].key);
			free(men[i].sym);
			continue;
		}
		men[w++] = men[i];
	}
	nmen = w;

	/* Rows: the universe in its order, or every ticker named, sorted. */
	size_t nr = 0;
	char **rows;
	if (openset) {
		rows = emalloc((nmen ? nmen : 1) * sizeof(char *));
		for (size_t i = 0; i < nmen; i++)
			rows[nr++] = men[i].sym;
		qsort(rows, nr, sizeof(char *), cmpsym);
		size_t u = 0;
		for (size_t i = 0; i < nr; i++)
			if (u == 0 || strcmp(rows[u - 1], rows[i]) != 0)
				rows[u++] = rows[i];
		nr = u;
	} else {
		rows = emalloc((f->nt ? f->nt : 1) * sizeof(char *));
		for (size_t k = 0; k < f->nt; k++)
			rows[nr++] = f->t[k].sym;
	}
	char **sorted = emalloc((nr ? nr : 1) * sizeof(char *));
	memcpy(sorted, rows, nr * sizeof(char *));
	qsort(sorted, nr, sizeof(char *), cmpsym);
	long *pos = emalloc((nr ? nr : 1) * sizeof(long));
	for (size_t k = 0; k < nr; k++)
		for (size_t i = 0; i < nr; i++)
			if (rows[i] == sorted[k] || strcmp(rows[i],
			    sorted[k]) == 0) {
				pos[k] = (long)i;
				break;
			}

	/* Local files without dates: the sessions the files cover. */
	int32_t from = f->from, to = f->to;
	if (f->csvpath && nmen > 0) {
		int32_t lo = INT32_MAX, hi = INT32_MIN;
		for (size_t i = 0; i < nmen; i++) {
			lo = men[i].day < lo ? men[i].day : lo;
			hi = men[i].day > hi ? men[i].day : hi;
		}
		if (!hasfrom)
			from = lo;
		if (!hasto && hi < to)
			to = hi;
	}
	if (!tm_trading_day(from))
		from = tm_trading_next(from);

	/* Sums per session and row. */
	int32_t ndays = to >= from ? to - from + 1 : 0;
	double *sw = ecalloc((size_t)ndays * (nr ? nr : 1) + 1, sizeof(double));
	double *sws = ecalloc((size_t)ndays * (nr ? nr : 1) + 1,
	    sizeof(double));
	double *ss = ecalloc((size_t)ndays * (nr ? nr : 1) + 1, sizeof(double));
	double *cnt = ecalloc((size_t)ndays * (nr ? nr : 1) + 1,
	    sizeof(double));
	for (size_t i = 0; i < nmen; i++) {
		long s = findsym(sorted, nr, men[i].sym);
		if (s < 0 || men[i].day < from || men[i].day > to)
			continue;
		size_t c = (size_t)(men[i].day - from) * nr + (size_t)pos[s];
		sw[c] += men[i].rel;
		sws[c] += men[i].rel * men[i].score;
		ss[c] += men[i].score;
		cnt[c] += 1;
	}

	struct tm_writer *wr = tm_writer_new(stdout, "<stdout>", TM_RAW);
	struct tm_frame fr;
	char iso[11];
	int64_t nrows = 0;
	tm_frame_init(&fr);
	for (int32_t d = from; d <= to; d++) {
		if (!tm_trading_day(d))
			continue;
		tm_frame_shape2(&fr, TM_F64, "ticker", (int64_t)nr, "field", 2);
		tm_frame_set_label(&fr, 1, 0, "sentiment");
		tm_frame_set_label(&fr, 1, 1, "articles");
		for (size_t k = 0; k < nr; k++) {
			size_t c = (size_t)(d - from) * nr + k;
			/* All relevance 0: the plain mean. */
			double s = cnt[c] == 0 ? NAN : sw[c] > 0 ?
			    sws[c] / sw[c] : ss[c] / cnt[c];
			tm_frame_set_label(&fr, 0, (int64_t)k, rows[k]);
			tm_frame_set(&fr, k * 2, s);
			tm_frame_set(&fr, k * 2 + 1, cnt[c]);
		}
		tm_frame_set_date(&fr, tm_date_fmt(d, iso));
		tm_frame_set_meta(&fr, "source", f->csvpath ?
		    "file NEWS_SENTIMENT" : "alphavantage NEWS_SENTIMENT");
		if (tm_write(wr, &fr) == -1)
			tm_die(EX_IOERR, "<stdout>: write failed");
		nrows += (int64_t)nr;
	}
	if (tm_writer_end(wr) == -1)
		tm_die(EX_IOERR, "<stdout>: write failed");
	tm_writer_free(wr);
	tm_frame_release(&fr);
	tm_runlog_rows(0, nrows);

	long kept = 0;
	for (size_t i = 0; i < nr * (size_t)ndays; i++)
		kept += (long)cnt[i];
	json_t *s = json_pack("{s:{s:I,s:I,s:I,s:I}}", "summary",
	    "tickers", (json_int_t)nr, "mentions", (json_int_t)kept,
	    "answered", (json_int_t)answered, "requests",
	    (json_int_t)f->nreq[0]);
	char *js = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fprintf(stderr, "%s\n", js);
	free(js);
	json_decref(s);
	news_release();
	free(rows);
	free(sorted);
	free(pos);
	free(sw);
	free(sws);
	free(ss);
	free(cnt);
	if (f->csvpath)
		return 0;
	return answered == 0 ? EX_UNAVAILABLE : (size_t)answered < f->nt ?
	    TM_EXIT_PROBLEM : 0;
}
