/* main.c - tm-fetch: daily bars for a universe from the first source that
 * has them, checked, stored and written as a price stream. */
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: tm-fetch [-j jobs] [-u universe] [--av-csv] "
	    "[--csv file | dir]\n"
	    "                [--from date] [--fundamentals] [--news]\n"
	    "                [--polygon grouped | ticker | auto]"
	    " [--rate source=n/unit]\n"
	    "                [--retries n] [--source source,...] "
	    "[--store dir]\n"
	    "                [--timeout seconds] [--to date]\n"
	    "                [ticker ...]\n");
	tm_usage_exit();
}

/* ------------------------------------------------------------ universe */

/* Printable ASCII copy of s for a message: other bytes as \xNN, at most
 * 80 of them.  The caller frees it. */
static char *
printable(const char *s)
{
	size_t n = strlen(s) > 80 ? 80 : strlen(s);
	char *o = emalloc(n * 4 + 4), *p = o;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			*p++ = (char)ch;
		else
			p += sprintf(p, "\\x%02x", ch);
	}
	strcpy(p, strlen(s) > n ? "..." : "");
	return o;
}

/* Add ticker s (read at where: "argv" or FILE:LINE).  One that could
 * never be a row label (not UTF-8, a control character, longer than a
 * label) is skipped with a finding before any request is made, so the
 * rest of the day still lands. */
static void
add_ticker(struct fetch *f, const char *s, json_t *extra, const char *where)
{
	char *c = ticker_canon(s);
	size_t n = strlen(c);
	int bad = n > TM_MAX_LABEL || !tm_utf8_valid(c, n);

	for (size_t i = 0; i < n && !bad; i++)
		bad = (unsigned char)c[i] < 0x20 || c[i] == 0x7f;
	if (bad) {
		char *pr = printable(s);
		finding(f, "bad_ticker", pr, INT32_MIN, NULL, "%s: %s", where,
		    n > TM_MAX_LABEL ? "longer than a label (256 bytes)" :
		    "not UTF-8 text or a control character");
		free(pr);
		f->nbad++;
	}
	if (*c == '\0' || bad) {
		free(c);
		json_decref(extra);
		return;
	}
	for (size_t i = 0; i < f->nt; i++)	/* universes are small */
		if (strcmp(f->t[i].sym, c) == 0) {
			free(c);
			json_decref(extra);
			return;
		}
	f->t = ereallocarray(f->t, f->nt + 1, sizeof(*f->t));
	memset(&f->t[f->nt], 0, sizeof(f->t[0]));
	f->t[f->nt].sym = c;
	f->t[f->nt].extra = extra;
	f->t[f->nt].src = -1;
	f->nt++;
}

/* A CSV with a header; the ticker column is the import rule's (ticker or
 * symbol), else the first; the other columns ride along for the
 * summary. */
static void
load_universe(struct fetch *f, const char *path)
{
	struct tm_csv *c = tm_csv_open(path);
	struct tm_csvfield *v;
	char **hdr;
	int n, nh, tcol = 0, rc;
	long rows = 0;

	if (c == NULL || tm_csv_header(c, &v, &nh) == -1) {
		tm_csv_free(c);
		tm_exit(tm_fail_status());
	}
	hdr = emalloc((size_t)nh * sizeof(char *));
	for (int i = nh - 1; i >= 0; i--) {
		hdr[i] = estrdup(v[i].s);
		if (tm_price_column(hdr[i]) == TM_COL_TICKER)
			tcol = i;
	}
	while ((rc = tm_csv_next(c, &v, &n)) == 1) {
		rows++;
		if (tcol >= n)
			continue;
		json_t *x = json_object();
		for (int i = 0; i < n && i < nh; i++)
			if (i != tcol && *v[i].s)
				json_object_set_new(x, hdr[i],
				    json_string(v[i].s));
		if (json_object_size(x) == 0) {
			json_decref(x);
			x = NULL;
		}
		char where[4200];
		snprintf(where, sizeof(where), "%.4096s:%ld", tm_csv_name(c),
		    tm_csv_line(c));
		add_ticker(f, v[tcol].s, x, where);
	}
	tm_csv_free(c);
	for (int i = 0; i < nh; i++)
		free(hdr[i]);
	free(hdr);
	if (rc == -1)
		tm_exit(tm_fail_status());
	if (rows == 0)
		tm_die(EX_DATAERR, "%s: no tickers", path);
}

/* ---------------------------------------------------------- rate option */

/* "yahoo=10/s", "polygon=5/min", "stooq=0" (no limit). */
static void
set_rate(struct fetch *f, const char *spec)
{
	char name[32], unit[8] = "s";
	double n;
	const char *eq = strchr(spec, '=');

	if (eq == NULL || (size_t)(eq - spec) >= sizeof(name))
		tm_die(EX_USAGE, "--rate %s: want SOURCE=N/UNIT", spec);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - spec), spec);
	int g = source_gid(name);
	if (g < 0)
		tm_die(EX_USAGE, "--rate %s: unknown source %s", spec, name);
	char *end;
	n = strtod(eq + 1, &end);
	if (end == eq + 1 || n < 0 || !isfinite(n))
		tm_die(EX_USAGE, "--rate %s: bad number", spec);
	if (*end == '/')
		snprintf(unit, sizeof(unit), "%s", end + 1);
	else if (*end)
		tm_die(EX_USAGE, "--rate %s: want SOURCE=N/UNIT", spec);
	double per = strcmp(unit, "s") == 0 ? 1 : strcmp(unit, "m") == 0 ||
	    strcmp(unit, "min") == 0 ? 60 : strcmp(unit, "h") == 0 ? 3600 :
	    strcmp(unit, "d") == 0 ? 86400 : -1;
	if (per < 0)
		tm_die(EX_USAGE, "--rate %s: unit is s, min, h or d", spec);
	f->bucket[g].rate = n / per;
	f->bucket[g].burst = n > 1 ? n : 1;
}

/* --------------------------------------------------------------- output */

static void
write_stream(struct fetch *f, int64_t *rows)
{
	struct tm_writer *w;
	size_t *cur = ecalloc(f->nt ? f->nt : 1, sizeof(size_t));
	struct tm_frame fr;
	char iso[11];
	size_t listcap = 256;
	char *list = emalloc(listcap);

	/* On a terminal only with --store (main refused it otherwise): the
	 * store has the bars, the terminal gets no binary. */
	if (isatty(STDOUT_FILENO)) {
		free(cur);
		free(list);
		return;
	}
	w = tm_writer_new(stdout, "<stdout>", TM_RAW);
	tm_frame_init(&fr);
	for (int32_t d = f->from; d <= f->to; d++) {
		int any = 0;
		size_t l = 0;
		if (!tm_trading_day(d))
			continue;
		for (size_t k = 0; k < f->nt && !any; k++) {
			struct series *s = &f->t[k].s;
			size_t i = cur[k];
			while (i < s->n && (s->b[i].day < d || s->b[i].bad))
				i++;
			any = i < s->n && s->b[i].day == d;
		}
		if (!any)
			continue;	/* a day nobody traded: no frame */
		tm_frame_shape2(&fr, TM_F64, "ticker", (int64_t)f->nt, "field",
		    NFIELD);
		for (int i = 0; i < NFIELD; i++)
			tm_frame_set_label(&fr, 1, i, fetch_fields[i]);
		list[0] = '\0';
		for (size_t k = 0; k < f->nt; k++) {
			struct series *s = &f->t[k].s;
			tm_frame_set_label(&fr, 0, (int64_t)k, f->t[k].sym);
			while (cur[k] < s->n && (s->b[cur[k]].day < d ||
			    (s->b[cur[k]].day == d && s->b[cur[k]].bad)))
				cur[k]++;
			if (cur[k] >= s->n || s->b[cur[k]].day != d)
				continue;
			const struct bar *b = &s->b[cur[k]];
			for (int i = 0; i < NFIELD; i++)
				tm_frame_set(&fr, k * NFIELD + (size_t)i,
				    b->v[i]);
			const char *sn = b->src >= 0 ?
			    source_all[(int)b->src]->name : "unknown";
			size_t need = l + strlen(f->t[k].sym) + strlen(sn) + 3;
			if (need > listcap) {
				listcap = need * 2;
				list = ereallocarray(list, listcap, 1);
			}
			l += (size_t)sprintf(list + l, "%s%s=%s", l ? "," : "",
			    f->t[k].sym, sn);
			(*rows)++;
		}
		tm_frame_set_date(&fr, tm_date_fmt(d, iso));
		tm_frame_set_meta(&fr, "source", list);
		if (tm_write(w, &fr) == -1)
			tm_die(EX_IOERR, "<stdout>: write failed");
	}
	if (tm_writer_end(w) == -1)
		tm_die(EX_IOERR, "<stdout>: write failed");
	tm_writer_free(w);
	tm_frame_release(&fr);
	free(list);
	free(cur);
}

/* ---------------------------------------------------------------- main */

static double
envnum(const char *name, double def, double lo, double hi)
{
	const char *s = getenv(name);

	return s && *s ? estrtod(s, lo, hi, name) : def;
}

/* One source's turn: the tickers nobody has served yet. */
static void
stage(struct fetch *f, int si)
{
	const struct source *s = f->src[si];
	int *todo = emalloc((f->nt ? f->nt : 1) * sizeof(int));
	size_t n = 0;

	for (size_t k = 0; k < f->nt; k++)
		if (f->t[k].src < 0 && f->t[k].from <= f->t[k].to)
			todo[n++] = (int)k;
	if (n == 0 || f->dead[si]) {
		free(todo);
		return;
	}
	if ((strcmp(s->name, "alphavantage") == 0 && f->avkey == NULL) ||
	    (strcmp(s->name, "polygon") == 0 && f->polykey == NULL)) {
		tm_warn("%s: no API key (%s): source skipped", s->name,
		    strcmp(s->name, "polygon") == 0 ? "TM_POLYGON_KEY" :
		    "TM_ALPHAVANTAGE_KEY");
		f->dead[si] = 1;
		free(todo);
		return;
	}
	for (size_t i = 0; i < n; i++)
		f->t[todo[i]].tried = 1;
	if (s->plan == NULL) {
		csv_serve(f, si, todo, n);
	} else {
		struct req *r;
		size_t nr = s->plan(f, si, todo, n, &r);
		net_run(f, si, r, nr);
		for (size_t i = 0; i < nr; i++)
			req_free(&r[i]);
		free(r);
	}
	/* Served: some bar from this source arrived. */
	for (size_t i = 0; i < n; i++) {
		struct ticker *t = &f->t[todo[i]];
		for (size_t j = 0; j < t->s.n; j++)
			if (t->s.b[j].fresh && t->s.b[j].src == f->gid[si]) {
				t->src = si;
				break;
			}
		if (t->src < 0 && t->why == NULL)
			t->why = estrdup("no bars");
		if (t->src < 0) {
			char *w;
			if (asprintf(&w, "%s: %s", s->name, t->why) == -1)
				tm_die(EX_OSERR, "asprintf:");
			free(t->why);
			t->why = w;
		}
	}
	free(todo);
}

static void
summary(struct fetch *f, long files, double secs, long missing)
{
	json_t *j = json_object(), *served = json_object();
	json_t *reqs = json_object(), *fail = json_object();
	json_t *ftry = json_object();
	json_t *srcmap = json_object(), *miss = json_array();

	for (int i = 0; i < f->nsrc; i++) {
		json_object_set_new(served, f->src[i]->name, json_integer(0));
		if (f->src[i]->plan) {
			json_object_set_new(reqs, f->src[i]->name,
			    json_integer(f->nreq[i]));
			json_object_set_new(fail, f->src[i]->name,
			    json_integer(f->nfail[i]));
			json_object_set_new(ftry, f->src[i]->name,
			    json_integer(f->nfailtry[i]));
		}
	}
	for (size_t k = 0; k < f->nt; k++) {
		struct ticker *t = &f->t[k];
		if (t->src >= 0) {
			const char *n = f->src[t->src]->name;
			json_object_set_new(served, n, json_integer(
			    json_integer_value(json_object_get(served, n)) + 1));
			json_object_set_new(srcmap, t->sym, json_string(n));
		} else if (t->from <= t->to) {
			json_t *m = json_pack("{s:s,s:s}", "ticker", t->sym,
			    "why", t->why ? t->why : "not fetched");
			if (t->extra)
				json_object_update(m, t->extra);
			json_array_append_new(miss, m);
		}
	}
	json_object_set_new(j, "tickers", json_integer((json_int_t)f->nt));
	json_object_set_new(j, "served", served);
	json_object_set_new(j, "missing", json_integer(missing));
	json_object_set_new(j, "findings", json_integer(f->findings));
	json_object_set_new(j, "requests", reqs);
	json_object_set_new(j, "failed", fail);
	json_object_set_new(j, "failed_attempts", ftry);
	json_object_set_new(j, "files_written", json_integer(files));
	json_object_set_new(j, "seconds", json_real(round(secs * 1000) /
	    1000));
	json_object_set_new(j, "source", srcmap);
	json_object_set_new(j, "missing_tickers", miss);
	json_t *w = json_pack("{s:o}", "summary", j);
	char *s = json_dumps(w, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6));
	fprintf(stderr, "%s\n", s);
	free(s);
	json_decref(w);
}

/* The sources of -s/--source in the order asked (--csv alone means the
 * local files), each with its rate bucket (the defaults, then
 * TM_FETCH_RATE, then --rate), base URL and place; gb gets every
 * source's bucket by id, for the single-source modes.  Dies 64 on an
 * unknown, repeated or incomplete source. */
static void
setup_sources(struct fetch *f, const char *sources, char **rates,
    size_t nrates, struct bucket *gb)
{
	if (sources == NULL)
		sources = f->csvpath ? "csv" : "yahoo,stooq,alphavantage,polygon";
	size_t ns;
	char **sv = tm_split(sources, ',', &ns);
	if (ns > 8)
		tm_die(EX_USAGE, "--source %s: too many sources", sources);
	for (size_t i = 0; i < NSOURCE; i++) {
		f->bucket[i].rate = source_all[i]->rate;
		f->bucket[i].burst = source_all[i]->burst;
	}
	const char *er = getenv("TM_FETCH_RATE");
	if (er && *er) {
		size_t ne;
		char **ev = tm_split(er, ',', &ne);
		for (size_t i = 0; i < ne; i++)
			set_rate(f, ev[i]);
		tm_strv_free(ev);
	}
	for (size_t i = 0; i < nrates; i++)
		set_rate(f, rates[i]);
	memcpy(gb, f->bucket, NSOURCE * sizeof(*gb));
	for (size_t i = 0; i < ns; i++) {
		int g = source_gid(sv[i]);
		if (g < 0)
			tm_die(EX_USAGE, "--source: unknown source %s (yahoo, stooq, "
			    "alphavantage, polygon, csv)", sv[i]);
		for (int k = 0; k < f->nsrc; k++)
			if (f->gid[k] == g)
				tm_die(EX_USAGE, "--source: %s twice", sv[i]);
		f->src[f->nsrc] = source_all[g];
		f->gid[f->nsrc] = g;
		f->bucket[f->nsrc] = gb[g];
		if (source_all[g]->url_env) {
			const char *u = getenv(source_all[g]->url_env);
			f->base[f->nsrc] = estrdup(u && *u ? u :
			    source_all[g]->url_default);
			size_t l = strlen(f->base[f->nsrc]);
			while (l > 0 && f->base[f->nsrc][l - 1] == '/')
				f->base[f->nsrc][--l] = '\0';
		}
		if (g == source_gid("csv") && f->csvpath == NULL)
			tm_die(EX_USAGE, "--source csv needs --csv file|dir");
		f->nsrc++;
	}
	tm_strv_free(sv);
}

/* The retry and progress settings from the environment, and the keys
 * from the environment or the secrets file only (Polygon's as a header,
 * so it is never part of a URL). */
static void
setup_keys(struct fetch *f)
{
	f->backoff = envnum("TM_FETCH_BACKOFF_MS", 1000, 0, 600000) / 1000;
	f->circuit = (int)envnum("TM_FETCH_CIRCUIT", 10, 1, 1e6);
	f->progress = isatty(2);
	/* Keys come from the environment or the secrets file only. */
	f->avkey = esecret("TM_ALPHAVANTAGE_KEY", "alphavantage");
	f->polykey = esecret("TM_POLYGON_KEY", "polygon");
	f->stooqkey = esecret("TM_STOOQ_KEY", "stooq");
	int pi = -1;
	for (int i = 0; i < f->nsrc; i++)
		if (strcmp(f->src[i]->name, "polygon") == 0)
			pi = i;
	if (pi >= 0 && f->polykey) {
		/* A header, so the key is never part of a URL. */
		char *h;
		if (asprintf(&h, "Authorization: Bearer %s", f->polykey) == -1)
			tm_die(EX_OSERR, "asprintf:");
		f->hdr[pi] = curl_slist_append(NULL, h);
		free(h);
	}
}

/* The single-source modes (--news, --fundamentals) ask Alpha Vantage
 * alone, at its own rate. */
static void
only_alphavantage(struct fetch *f, const struct bucket *gb)
{
	const char *u = getenv("TM_ALPHAVANTAGE_URL");
	int g = source_gid("alphavantage");

	for (int i = 0; i < f->nsrc; i++)
		free(f->base[i]);
	f->base[0] = estrdup(u && *u ? u : src_alphavantage.url_default);
	f->bucket[0] = gb[g];
	f->nsrc = 1;
}

static int run_bars(struct fetch *f, const char *store, double t0);

int
main(int argc, char *argv[])
{
	enum { O_AVCSV = 256, O_CSV, O_FROM, O_FUND, O_NEWS, O_POLY, O_RATE,
	    O_RETRIES, O_STORE, O_TIMEOUT, O_TO };
	static const struct option longs[] = {
		{ "av-csv", no_argument, NULL, O_AVCSV },
		{ "csv", required_argument, NULL, O_CSV },
		{ "from", required_argument, NULL, O_FROM },
		{ "fundamentals", no_argument, NULL, O_FUND },
		{ "news", no_argument, NULL, O_NEWS },
		{ "source", required_argument, NULL, 's' },
		{ "polygon", required_argument, NULL, O_POLY },
		{ "rate", required_argument, NULL, O_RATE },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "store", required_argument, NULL, O_STORE },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "to", required_argument, NULL, O_TO },
		{ NULL, 0, NULL, 0 },
	};
	static struct fetch F;
	struct fetch *f = &F;
	const char *sources = NULL, *ufile = NULL, *store = NULL;
	const char *from = NULL, *to = NULL;
	char **rates = NULL;
	size_t nrates = 0;
	int c, fund = 0, news = 0;
	double t0 = net_now();

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	f->jobs = 8;
	f->retries = 4;
	f->timeout = 30;
	f->grouped = -1;
	while ((c = getopt_long(argc, argv, "j:u:", longs, NULL)) != -1) {
		switch (c) {
		case 'j':
			f->jobs = (int)estrtonum(optarg, 1, 256, "-j");
			break;
		case 's':
			sources = optarg;
			break;
		case 'u':
			ufile = optarg;
			break;
		case O_AVCSV:
			f->avcsv = 1;
			break;
		case O_CSV:
			f->csvpath = optarg;
			break;
		case O_FROM:
			from = optarg;
			break;
		case O_FUND:
			fund = 1;
			break;
		case O_NEWS:
			news = 1;
			break;
		case O_POLY:
			f->grouped = strcmp(optarg, "grouped") == 0 ? 1 :
			    strcmp(optarg, "ticker") == 0 ? 0 :
			    strcmp(optarg, "auto") == 0 ? -1 : -2;
			if (f->grouped == -2)
				usage();
			break;
		case O_RATE:
			rates = ereallocarray(rates, nrates + 1, sizeof(char *));
			rates[nrates++] = optarg;
			break;
		case O_RETRIES:
			f->retries = (int)estrtonum(optarg, 0, 20, "--retries");
			break;
		case O_STORE:
			store = optarg;
			break;
		case O_TIMEOUT:
			f->timeout = estrtod(optarg, 0.01, 3600, "--timeout");
			break;
		case O_TO:
			to = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (ufile)
		load_universe(f, ufile);
	for (int i = 0; i < argc; i++)
		add_ticker(f, argv[i], NULL, "argv");
	if (f->nt == 0 && f->nbad > 0)
		tm_die(EX_DATAERR, "no valid ticker left");
	/* Local news files without tickers: every ticker they name. */
	if (f->nt == 0 && !(news && f->csvpath)) {
		tm_warn("no ticker: name some, or a universe with -u");
		usage();
	}
	if (news && fund)
		tm_die(EX_USAGE, "--news and --fundamentals: one at a time");
	/* Before any request: a terminal gets a reason, not binary.  With
	 * --store the bars land in the store and the stream copy on a
	 * terminal is left out (write_stream). */
	if (!store || news || fund)
		estdout_tmt();

	/* Dates: "to" defaults to the last session that has closed, and is
	 * never later: a bar of a session still trading would be stored for
	 * good.  16:30 New York leaves the close time to settle. */
	int32_t closed = tm_date_from_epoch_ny((int64_t)time(NULL) -
	    16 * 3600 - 1800);
	if (to)
		f->to = edate(to, "--to");
	if (!to || f->to > closed)
		f->to = closed;
	f->from = from ? edate(from, "--from") : f->to;
	edate_range(from, to, NULL, NULL);

	struct bucket gb[NSOURCE];
	setup_sources(f, sources, rates, nrates, gb);
	free(rates);
	setup_keys(f);

	fetch_index(f);
	if (store)
		store_lock(store);
	srand48((long)time(NULL) ^ (long)getpid());
	if (news) {
		/* News comes from Alpha Vantage NEWS_SENTIMENT alone. */
		only_alphavantage(f, gb);
		net_init();
		int st = news_run(f, from != NULL, to != NULL);
		net_cleanup();
		free(f->base[0]);
		efshut(stdout, "<stdout>");
		tm_exit(st);
	}
	if (fund && f->csvpath) {
		/* Local files: every filing up to --to, from --from if given. */
		int st = fundimp_run(f, from ? f->from : INT32_MIN, f->to);
		efshut(stdout, "<stdout>");
		tm_exit(st);
	}
	if (fund) {
		/* Fundamentals come from Alpha Vantage OVERVIEW alone. */
		only_alphavantage(f, gb);
		net_init();
		int st = fund_run(f, store);
		net_cleanup();
		free(f->base[0]);
		efshut(stdout, "<stdout>");
		tm_exit(st);
	}
	tm_exit(run_bars(f, store, t0));
}

/* The daily run: every ticker's missing days from the sources in turn,
 * validated, into the store and the stream; the exit status. */
static int
run_bars(struct fetch *f, const char *store, double t0)
{
	for (size_t k = 0; k < f->nt; k++) {
		f->t[k].from = f->from;
		f->t[k].to = f->to;
	}
	if (store)
		store_load(f, store);

	net_init();
	size_t need = 0, served = 0;
	for (size_t k = 0; k < f->nt; k++)
		need += f->t[k].from <= f->t[k].to;
	for (int si = 0; si < f->nsrc; si++)
		stage(f, si);
	for (size_t k = 0; k < f->nt; k++)
		served += f->t[k].src >= 0;

	validate_all(f);
	long missing = 0;
	for (size_t k = 0; k < f->nt; k++) {
		struct ticker *t = &f->t[k];
		if (t->src < 0 && t->from <= t->to) {
			finding(f, "missing", t->sym, INT32_MIN, NULL, "%s",
			    t->why ? t->why : "not fetched");
			missing++;
		}
	}
	long files = 0;
	if (store)
		store_write(f, store, &files);
	int64_t rows = 0;
	write_stream(f, &rows);
	tm_runlog_rows(0, rows);
	summary(f, files, net_now() - t0, missing);

	for (size_t k = 0; k < f->nt; k++) {
		free(f->t[k].sym);
		free(f->t[k].why);
		json_decref(f->t[k].extra);
		series_free(&f->t[k].s);
	}
	free(f->t);
	for (int i = 0; i < f->nsrc; i++) {
		free(f->base[i]);
		curl_slist_free_all(f->hdr[i]);
	}
	free(f->avkey);
	free(f->polykey);
	free(f->stooqkey);
	net_cleanup();
	efshut(stdout, "<stdout>");
	/* 69 is an outage: nothing served and no source answered for sure.
	 * A source that said "no such ticker" answered: unknown tickers are
	 * a data problem, 1 with their "missing" findings, so a same-day
	 * re-run where only they remain is not an outage to cron. */
	long answered = 0;
	for (int si = 0; si < f->nsrc; si++)
		answered += f->nanswer[si] + (f->src[si]->plan == NULL &&
		    !f->dead[si]);	/* local CSV files always answer */
	return need > 0 && served == 0 && answered == 0 ? EX_UNAVAILABLE :
	    f->findings > 0 ? TM_EXIT_PROBLEM : 0;
}
