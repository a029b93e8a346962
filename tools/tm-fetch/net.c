/* net.c - many transfers at once through curl multi, within a per-source
 * rate limit, with retries, backoff and a circuit breaker. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"

#define MAXBODY (256u << 20)	/* a day of grouped bars is ~1 MB */

double
net_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
net_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		tm_die(EX_SOFTWARE, "curl_global_init failed");
}

void
net_cleanup(void)
{
	curl_global_cleanup();
}

void
req_free(struct req *r)
{
	free(r->url);
	r->url = NULL;
	tm_buf_free(&r->body);
}

char *
mask_url(const char *url)
{
	static const char *keys[] = { "apikey=", "apiKey=", "token=", NULL };
	/* Each masked value becomes "***": at most 3 bytes more per '='. */
	char *s = emalloc(strlen(url) * 4 + 1), *o = s;
	const char *p = url;

	while (*p) {
		int k;
		for (k = 0; keys[k]; k++)
			if (strncmp(p, keys[k], strlen(keys[k])) == 0 &&
			    (p == url || p[-1] == '?' || p[-1] == '&'))
				break;
		if (keys[k] == NULL) {
			*o++ = *p++;
			continue;
		}
		size_t n = strlen(keys[k]);
		memcpy(o, p, n);
		o += n;
		p += n;
		p += strcspn(p, "&#");
		memcpy(o, "***", 3);
		o += 3;
	}
	*o = '\0';
	return s;
}

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct req *r = arg;
	size_t n = sz * nm;

	if (r->body.n + n + 1 > MAXBODY)
		return 0;	/* curl reports a write error: a runaway body */
	tm_buf_add(&r->body, p, n);
	return n;
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *arg)
{
	struct req *r = arg;
	size_t n = sz * nm;
	static const char name[] = "retry-after:";

	if (n > sizeof(name) && strncasecmp(p, name, sizeof(name) - 1) == 0) {
		char v[128];
		size_t l = n - (sizeof(name) - 1);
		if (l >= sizeof(v))
			l = sizeof(v) - 1;
		memcpy(v, p + sizeof(name) - 1, l);
		v[l] = '\0';
		char *end;
		double s = strtod(v, &end);
		if (end != v && s >= 0) {
			r->retry_after = s;
		} else {
			/* The HTTP-date form. */
			time_t t = curl_getdate(v, NULL);
			if (t > 0)
				r->retry_after = difftime(t, time(NULL));
		}
		if (r->retry_after > 3600)
			r->retry_after = 3600;
	}
	return n;
}

static double
bucket_wait(struct bucket *b, double now)
{
	if (b->rate <= 0)
		return 0;
	b->tokens += (now - b->last) * b->rate;
	if (b->tokens > b->burst)
		b->tokens = b->burst;
	b->last = now;
	if (b->tokens >= 1)
		return 0;
	return (1 - b->tokens) / b->rate;
}

static CURL *
start(struct fetch *f, int si, struct req *r, CURLM *m)
{
	CURL *h = curl_easy_init();

	if (h == NULL)
		tm_die(EX_SOFTWARE, "curl_easy_init failed");
	r->body.n = 0;
	r->status = 0;
	r->retry_after = 0;
	r->err[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, r->url);
	curl_easy_setopt(h, CURLOPT_PRIVATE, r);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->err);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(f->timeout * 1000));
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(fmin(f->timeout, 10) * 1000));
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	/* Yahoo turns away clients that do not look like a browser. */
	curl_easy_setopt(h, CURLOPT_USERAGENT,
	    "Mozilla/5.0 (X11; Linux x86_64) tm-fetch/1");
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (f->hdr[si])
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, f->hdr[si]);
	curl_multi_add_handle(m, h);
	f->nreq[si]++;
	return h;
}

/* Transport failures worth another attempt. */
static int
transient(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return 1;
	default:
		return 0;
	}
}

static void
ticker_fail(struct fetch *f, struct req *r, const char *why)
{
	if (r->tick < 0)
		return;
	free(f->t[r->tick].why);
	f->t[r->tick].why = estrdup(why);
}

size_t
net_run(struct fetch *f, int si, struct req *r, size_t n)
{
	const char *name = f->src[si]->name;
	struct bucket *b = &f->bucket[si];
	CURLM *m = curl_multi_init();
	size_t ndone = 0, nok = 0, running = 0, shown = 0;
	int inrow = 0;
	double lastprog = 0;
	char lastwhy[300] = "";	/* the cause of the last failed attempt */

	if (m == NULL)
		tm_die(EX_SOFTWARE, "curl_multi_init failed");
	b->tokens = b->burst;
	b->last = net_now();
	while (ndone < n) {
		double now = net_now(), wait = 0.2;

		/* Open circuit: what has not started fails at once. */
		for (size_t i = 0; f->dead[si] && i < n; i++)
			if (!r[i].done && r[i].h == NULL) {
				r[i].done = 1;
				ndone++;
				f->nfail[si]++;
				ticker_fail(f, &r[i], "circuit open");
			}
		for (size_t i = 0; !f->dead[si] && i < n &&
		    running < (size_t)f->jobs; i++) {
			if (r[i].done || r[i].h)
				continue;
			if (r[i].not_before > now) {
				wait = fmin(wait, r[i].not_before - now);
				continue;
			}
			double w = bucket_wait(b, now);
			if (w > 0) {
				wait = fmin(wait, w);
				break;
			}
			b->tokens -= 1;
			r[i].h = start(f, si, &r[i], m);
			running++;
		}
		int still;
		curl_multi_perform(m, &still);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			CURL *h = msg->easy_handle;
			struct req *q;
			char why[300] = "";
			enum verdict v;
			curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&q);
			q->curlcode = msg->data.result;
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &q->status);
			curl_multi_remove_handle(m, h);
			curl_easy_cleanup(h);
			q->h = NULL;
			running--;
			if (q->curlcode != CURLE_OK) {
				v = transient(q->curlcode) ? V_RETRY : V_BAD;
				snprintf(why, sizeof(why), "%s",
				    q->err[0] ? q->err :
				    curl_easy_strerror(q->curlcode));
			} else if (q->status == 429 || q->status >= 500) {
				v = V_RETRY;
				snprintf(why, sizeof(why), "HTTP %ld",
				    q->status);
			} else
				v = f->src[si]->parse(f, si, q, why,
				    sizeof(why));
			if (v != V_OK) {
				f->nfailtry[si]++;
				snprintf(lastwhy, sizeof(lastwhy), "%s", why);
			}
			if (v == V_RETRY && q->attempt < f->retries) {
				/* Exponential backoff with full jitter over
				 * its upper half, and never before the
				 * server's Retry-After. */
				double d = f->backoff * ldexp(1, q->attempt);
				d = d / 2 + d / 2 * drand48();
				if (d > 60)
					d = 60;
				q->not_before = net_now() +
				    fmax(d, q->retry_after);
				q->attempt++;
				inrow++;
			} else {
				q->done = 1;
				ndone++;
				if (v == V_OK || v == V_FAIL)
					f->nanswer[si]++;
				if (v == V_OK) {
					nok++;
					inrow = 0;
				} else {
					char *u = mask_url(q->url);
					f->nfail[si]++;
					if (v == V_FAIL)
						inrow = 0;
					else
						inrow++;
					if (v == V_DEAD)
						f->dead[si] = 1;
					if (v == V_RETRY) {
						size_t l = strlen(why);
						snprintf(why + l, sizeof(why) - l,
						    " after %d attempts",
						    q->attempt + 1);
					}
					if (v != V_FAIL && shown++ < 3)
						tm_warn("%s: %s: %s", name, u,
						    why);
					free(u);
					ticker_fail(f, q, why);
				}
			}
			if (inrow >= f->circuit && !f->dead[si]) {
				f->dead[si] = 1;
				tm_warn("%s: %d failures in a row: source "
				    "skipped for the rest of the run (last: "
				    "%s)", name, inrow, lastwhy);
			}
		}
		if (f->progress && now - lastprog > 0.2) {
			fprintf(stderr, "\r%s: %s %zu/%zu requests done ",
			    tm_progname(), name, ndone, n);
			lastprog = now;
		}
		if (ndone < n && running > 0)
			curl_multi_poll(m, NULL, 0,
			    (int)(fmax(wait, 0.001) * 1000), NULL);
		else if (ndone < n && wait > 0)
			usleep((useconds_t)(fmax(wait, 0.001) * 1e6));
	}
	if (f->progress)
		fprintf(stderr, "\r%s: %s %zu/%zu requests done\n",
		    tm_progname(), name, ndone, n);
	if (shown > 3)
		tm_warn("%s: %zu more failed requests", name, shown - 3);
	curl_multi_cleanup(m);
	return nok;
}
