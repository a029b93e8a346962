/* smtp.c - one message to an SMTP server through libcurl: STARTTLS
 * required on smtp:// unless the caller allows the clear, the outcome
 * sorted into delivered, try later, refused and misconfigured. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "mail.h"

void
smtp_url_check(const char *url)
{
	const char *h;

	if (strncasecmp(url, "smtp://", 7) == 0)
		h = url + 7;
	else if (strncasecmp(url, "smtps://", 8) == 0)
		h = url + 8;
	else
		tm_die(EX_USAGE, "--url %s: want smtp://host[:port] or "
		    "smtps://host[:port]", url);
	size_t auth = strcspn(h, "/?#");
	/* A password in the URL would sit in argv and in the run log. */
	if (memchr(h, '@', auth))
		tm_die(EX_USAGE, "--url: credentials in the URL are refused; "
		    "use TM_SMTP_USER and TM_SMTP_PASS or the secrets file");
	if (auth == 0)
		tm_die(EX_USAGE, "--url %s: no host", url);
}

struct rd {
	const char *p;
	size_t n, off;
};

static size_t
on_read(char *buf, size_t sz, size_t nm, void *arg)
{
	struct rd *r = arg;
	size_t n = sz * nm;

	if (n > r->n - r->off)
		n = r->n - r->off;
	memcpy(buf, r->p + r->off, n);
	r->off += n;
	return n;
}

/* --verbose: the dialogue, with whatever follows AUTH masked (the PLAIN
 * or LOGIN answers are the password in base64) and the message body
 * counted, not shown. */
static int
on_debug(CURL *h, curl_infotype t, char *p, size_t n, void *arg)
{
	int *in_auth = arg;

	(void)h;
	switch (t) {
	case CURLINFO_TEXT:
		fprintf(stderr, "* %.*s", (int)n, p);
		break;
	case CURLINFO_HEADER_IN:
		if (n >= 3 && (p[0] == '2' || p[0] == '4' || p[0] == '5'))
			*in_auth = 0;
		fprintf(stderr, "< %.*s", (int)n, p);
		break;
	case CURLINFO_HEADER_OUT:
		if (n >= 5 && strncasecmp(p, "AUTH ", 5) == 0) {
			*in_auth = 1;
			size_t k = 5;
			while (k < n && p[k] != ' ' && p[k] != '\r')
				k++;
			fprintf(stderr, "> %.*s ***\n", (int)k, p);
		} else if (*in_auth)
			fprintf(stderr, "> ***\n");
		else
			fprintf(stderr, "> %.*s", (int)n, p);
		break;
	case CURLINFO_DATA_OUT:
		fprintf(stderr, "> [%zu bytes of message]\n", n);
		break;
	default:
		break;
	}
	return 0;
}

int
smtp_send(const struct smtpcfg *c, const char *from, char *const *to,
    size_t nto, const char *msg, size_t len, char *err, size_t errn)
{
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	char ebuf[CURL_ERROR_SIZE] = "", env[1024];
	struct rd r = { msg, len, 0 };
	int in_auth = 0, ret;
	long code = 0;

	if (h == NULL)
		tm_die(EX_SOFTWARE, "curl_easy_init failed");
	for (size_t i = 0; i < nto; i++) {
		snprintf(env, sizeof(env), "<%s>", to[i]);
		rcpt = curl_slist_append(rcpt, env);
	}
	snprintf(env, sizeof(env), "<%s>", from);
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* TRY under --insecure-plain: encrypt when offered, never fail for
	 * the lack of it. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, c->insecure_plain ?
	    (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	if (c->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert);
	if (c->user)
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
	if (c->pass)
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->pass);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, env);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->timeout < 30 ?
	    c->timeout : 30L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	if (c->verbose) {
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(h, CURLOPT_DEBUGDATA, &in_auth);
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	}
	CURLcode rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);

	switch (rc) {
	case CURLE_OK:
		return SEND_OK;
	case CURLE_USE_SSL_FAILED:
		snprintf(err, errn, "%s: the server offers no STARTTLS; "
		    "refusing to send in the clear (smtps://, or "
		    "--insecure-plain)", c->url);
		return SEND_CONFIG;
	case CURLE_LOGIN_DENIED:
		ret = SEND_CONFIG;
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		ret = SEND_CONFIG;
		break;
	default:
		/* A 5xx to MAIL, RCPT, DATA or the message: refused for
		 * good.  Anything else (no connection, 4xx, a hang-up) may
		 * work later. */
		ret = code >= 500 && code < 600 ? SEND_PERM : SEND_TEMP;
		break;
	}
	snprintf(err, errn, "%s: %s", c->url, *ebuf ? ebuf :
	    curl_easy_strerror(rc));
	if (code)
		snprintf(err + strlen(err), errn - strlen(err),
		    " (server said %ld)", code);
	return ret;
}
