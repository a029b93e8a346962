/* fetch.h - what the files of tm-fetch share: bars, tickers, sources. */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "tm.h"

/* The price-stream fields, in stream order (CONVENTIONS.md). */
enum { F_OPEN, F_HIGH, F_LOW, F_CLOSE, F_ADJ, F_VOL, F_SPLIT, F_DIV, NFIELD };
extern const char *const fetch_fields[NFIELD];

struct bar {
	int32_t day;
	double v[NFIELD];
	signed char src;	/* index into the source table, -1 unknown */
	unsigned char fresh;	/* fetched in this run, not read from the store */
	unsigned char bad;	/* flagged hard by validation: not written */
};

struct series {
	struct bar *b;
	size_t n, cap;
};

/* A new bar with split 1, dividend 0 and NaN elsewhere. */
struct bar *series_add(struct series *s, int32_t day);
/* Sort by day and drop later duplicates of a day (the first one kept). */
void series_sort(struct series *s);
void series_free(struct series *s);
/* Keep only bars with from <= day <= to. */
void series_clip(struct series *s, int32_t from, int32_t to);
/* The New York day of a UTC epoch second given as a JSON number: 0, or
 * -1 when it is not finite or outside 1900-2100 (a malformed reply; the
 * cast alone would be undefined for 1e300). */
int epoch_day(double t, int32_t *day);

struct ticker {
	char *sym;		/* canonical spelling: upper case, class after '-' */
	json_t *extra;		/* other universe columns (name, sector), or NULL */
	struct series s;	/* store bars and fetched bars */
	int32_t from, to;	/* what still has to be fetched; from > to: nothing */
	int src;		/* source that served it, -1 none yet */
	int tried;		/* some source was asked */
	char *why;		/* last failure, for the summary */
	double fund[8];		/* --fundamentals: the FUND_ fields */
	int hasfund;
	char period[11];	/* quarter end the numbers are for */
};

/* Canonical spelling of a ticker as any source writes it ("brk-b.us",
 * "BRK.B", "BRK/B" all give "BRK-B"); the caller frees it. */
char *ticker_canon(const char *s);
/* The spelling a source wants, into buf: "yahoo" BRK-B, "stooq" brk-b.us,
 * "polygon" and "alphavantage" BRK.B. */
void ticker_for(const char *canon, const char *source, char *buf, size_t n);

/* How a response ended, as the retry logic needs it. */
enum verdict {
	V_OK,		/* bars parsed (maybe none in range) */
	V_RETRY,	/* try again later: 429, 5xx, throttle body, cut short */
	V_FAIL,		/* this ticker cannot come from this source */
	V_BAD,		/* the source answered nonsense (HTML, broken JSON) */
	V_DEAD,		/* the source is out for the run (daily cap, bad key) */
};

/* One request: a ticker's range or, for a bulk source, one day. */
struct req {
	int tick;		/* ticker index, -1 for a bulk day */
	int32_t day;		/* the day of a bulk request */
	int attempt;
	double not_before;	/* monotonic seconds */
	char *url;
	void *h;		/* CURL easy handle while running */
	struct tm_buf body;	/* the reply; p NULL before a byte */
	long status;
	double retry_after;	/* seconds from Retry-After, or 0 */
	char err[256];		/* curl's message */
	int curlcode;
	int done;
};

struct fetch;

/* One source: builds requests and turns response bodies into bars. */
struct source {
	const char *name;
	const char *url_env;
	const char *url_default;
	double rate, burst;	/* default token bucket: per second, size */
	/* Fill the requests for the tickers in todo (indexes, n of them);
	 * returns how many it made into *out (the caller frees them). */
	size_t (*plan)(struct fetch *f, int si, const int *todo, size_t n,
	    struct req **out);
	/* Judge a finished request; on V_OK add bars to the ticker(s). msg
	 * gets a short reason otherwise. */
	enum verdict (*parse)(struct fetch *f, int si, struct req *r,
	    char *msg, size_t msglen);
};

extern const struct source src_yahoo, src_stooq, src_alphavantage,
    src_polygon, src_csv;
/* The Alpha Vantage NEWS_SENTIMENT and OVERVIEW requests of --news and
 * --fundamentals (news.c, fundamentals.c): not price sources, so not in
 * source_all; named here for the reply fuzzer (tests/fuzz). */
extern const struct source src_news, src_overview;

struct bucket {
	double rate, burst, tokens, last;
};

struct fetch {
	struct ticker *t;
	size_t nt;
	int32_t from, to;
	const struct source *src[8];
	char *base[8];		/* base URL of each source */
	struct bucket bucket[8];
	int dead[8];		/* circuit opened */
	long nreq[8];		/* HTTP requests made, per source */
	long nfail[8];		/* requests that ended failed, per source */
	long nfailtry[8];	/* attempts that failed, retried ones too */
	long nanswer[8];	/* requests the source answered for sure: bars,
				 * or "no such ticker" (V_OK or V_FAIL) */
	void *hdr[8];		/* extra request headers (curl_slist) */
	int gid[8];		/* each source's number in source_all */
	int nsrc;
	int jobs;		/* concurrent transfers */
	int retries;
	double timeout;		/* seconds per transfer */
	double backoff;		/* base seconds */
	int circuit;		/* failed attempts in a row that open it */
	int progress;		/* stderr is a TTY */
	int grouped;		/* polygon: 1 grouped daily, 0 per ticker, -1 auto */
	int avcsv;		/* alphavantage: ask for datatype=csv */
	char *avkey, *polykey, *stooqkey;
	const char *csvpath;
	long findings;
	long nbad;		/* tickers skipped as unusable, up front */
};

/* The ticker with canonical spelling sym, or -1 (binary search on the
 * sorted index built by fetch_index). */
void fetch_index(struct fetch *f);
int fetch_find(struct fetch *f, const char *sym);

/* Run the requests of source si through curl multi with rate limit,
 * retries and the circuit breaker; tickers that end failed get why set.
 * Returns the number of requests that ended V_OK. */
size_t net_run(struct fetch *f, int si, struct req *r, size_t n);
void net_init(void);
void net_cleanup(void);
double net_now(void);
void req_free(struct req *r);

/* Copy of url with the value of any apikey/apiKey/token parameter masked,
 * for messages; the caller frees it. */
char *mask_url(const char *url);

/* The bars of a CSV with a header (Yahoo/Stooq/Alpha Vantage/long
 * layouts) under the import rule (tm_import_header): rows go to the
 * ticker of the ticker column; without one, to tick (>= 0: the file was
 * found by it, or the reply asked for it) or to the file's ticker.
 * Returns the bars taken, or -1 after the reader's message. */
long csvbars_read(struct fetch *f, int si, struct tm_csv *c, int tick);
/* The verdict on a source's CSV reply for one ticker: V_BAD when it does
 * not parse, V_FAIL when it holds no bar in range, else V_OK. */
enum verdict csvbars_reply(struct fetch *f, int si, const char *buf,
    size_t len, int tick, char *msg, size_t msglen);

/* The JSON object of an Alpha Vantage reply to --news or --fundamentals
 * (every error is a 200 with one key), the caller json_decref's it; or
 * NULL with the verdict in *v and the reason in msg: V_BAD for another
 * status, an HTML page, broken JSON or no object ("malformed JSON: line L
 * column C: why"), V_RETRY for the per-minute "Note", V_DEAD for the
 * daily cap's "Information", V_FAIL for an "Error Message" (alphav.c). */
json_t *av_reply_json(const struct req *r, enum verdict *v, char *msg,
    size_t msglen);

/* One JSON line per finding on stderr; returns 1 for a hard finding
 * (the bar is not written), 0 otherwise. */
void finding(struct fetch *f, const char *kind, const char *sym,
    int32_t day, const char *src, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Check fresh bars of every ticker; returns the number of findings. */
long validate_all(struct fetch *f);

/* Store: read what DIR/raw holds for the range into the tickers and set
 * each ticker's still-missing range; write the new bars back. */
void store_load(struct fetch *f, const char *dir);
/* Hold DIR/.tm-fetch.lock for the run, or exit 75 when another run does. */
void store_lock(const char *dir);
int store_write(struct fetch *f, const char *dir, long *files);

/* A fresh bar of ticker tick from source si on day, or NULL when the
 * day is outside what the ticker still needs. */
/* The fresh bars of source gid in s that repeat a day already there:
 * how many, and the earliest such day in *first (untouched when none). */
long series_dups(const struct series *s, int gid, int32_t *first);
struct bar *fetch_bar(struct fetch *f, int tick, int si, int32_t day);
/* A fresh request for ticker tick (-1 for a bulk day) at the URL
 * printf(3) makes of fmt; dies EX_OSERR when it cannot be made. */
void req_initf(struct req *r, int tick, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The reply body as a string: "" when nothing came. */
const char *req_body(const struct req *r);
/* url-escaped copy of s; the caller frees it. */
char *url_escape(const char *s);
/* The symbol of canonical ticker canon as source spells it (ticker_for),
 * url-escaped for a path or query; the caller frees it. */
char *source_sym(const char *canon, const char *source);
/* Body starts like an HTML page (after blanks). */
int looks_html(const char *body, size_t len);
/* Serve tickers from local CSV files (--csv), no network. */
void csv_serve(struct fetch *f, int si, const int *todo, size_t n);

/* --fundamentals: Alpha Vantage OVERVIEW, cached per quarter in
 * DIR/fundamentals/YYYY-Qn.tmt; writes the fundamentals stream and
 * returns the exit status. */
int fund_run(struct fetch *f, const char *store);
/* --fundamentals --csv: the fundamentals stream from local files (a
 * quarterly TTM file, an annual file for the share counts), one frame per
 * filing date (period end + 45 days) in [from, to]; returns the exit
 * status (fundimp.c). */
int fundimp_run(struct fetch *f, int32_t from, int32_t to);

/* --news: Alpha Vantage NEWS_SENTIMENT from the API, or from local JSON
 * files (--csv FILE | DIR), as the sentiment stream (CONVENTIONS.md) on
 * stdout: one frame per session in [from, to] (for files, the sessions
 * they cover unless hasfrom / hasto); returns the exit status (news.c). */
int news_run(struct fetch *f, int hasfrom, int hasto);
/* Forget the mentions the news replies and files gave so far (news_run
 * does at its end; the fuzzer after each reply). */
void news_release(void);

/* Every source tm-fetch knows, by global number (bar.src). */
extern const struct source *const source_all[];
#define NSOURCE 5
/* Global number of a source name, or -1. */
int source_gid(const char *name);

#endif
