/* compose.c - RFC 5322 / MIME messages: composed from parts, or a
 * caller's message checked and completed.  Header values from outside
 * are checked for CR and LF (header injection) and encoded (RFC 2047). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "mail.h"

#define MAXLINE 998	/* RFC 5322 2.1.1, without the CRLF */

void
hdr_check(const char *what, const char *v)
{
	if (strpbrk(v, "\r\n"))
		tm_die(EX_DATAERR, "%s: CR or LF in a header value "
		    "(header injection refused)", what);
	if (!tm_utf8_valid(v, strlen(v)))
		tm_die(EX_DATAERR, "%s: not UTF-8", what);
}

static int
addr_ok(const char *a)
{
	const char *at = strchr(a, '@');

	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>()[],;:\"\\", *p))
			return 0;
	return 1;
}

static char *
trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *r = emalloc(n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

void
addr_parse(const char *what, const char *s, char **addr, char **name)
{
	const char *lt = strchr(s, '<');

	hdr_check(what, s);
	*name = NULL;
	if (lt) {
		const char *gt = strchr(lt, '>');
		char *rest = gt ? trim(gt + 1, strlen(gt + 1)) : NULL;
		int bad = gt == NULL || *rest != '\0';
		free(rest);
		if (bad)
			tm_die(EX_USAGE, "%s %s: not an address", what, s);
		*addr = trim(lt + 1, (size_t)(gt - lt - 1));
		char *n = trim(s, (size_t)(lt - s));
		size_t l = strlen(n);
		if (l >= 2 && n[0] == '"' && n[l - 1] == '"') {
			memmove(n, n + 1, l - 2);
			n[l - 2] = '\0';
		}
		if (*n)
			*name = n;
		else
			free(n);
	} else
		*addr = trim(s, strlen(s));
	if (!addr_ok(*addr))
		tm_die(EX_USAGE, "%s %s: not an address", what, s);
}

static int
plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p >= 0x7f)
			return 0;
	return strstr(s, "=?") == NULL;
}

/* RFC 2047 B words of at most 75 characters, never splitting a UTF-8
 * sequence, folded onto continuation lines. */
static void
enc_words(struct tm_buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		size_t k = n - i > 45 ? 45 : n - i;
		while (i + k < n && k > 0 &&
		    ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		if (i)
			tm_buf_adds(out, "\r\n ");
		tm_buf_adds(out, "=?UTF-8?B?");
		tm_buf_base64(out, s + i, k, 0);
		tm_buf_adds(out, "?=");
		i += k;
	}
}

void
hdr_put(struct tm_buf *out, const char *name, const char *value)
{
	tm_buf_addf(out, "%s: ", name);
	if (plain_ascii(value) && strlen(name) + strlen(value) + 2 <= 78)
		tm_buf_adds(out, value);
	else
		enc_words(out, value);
	tm_buf_adds(out, "\r\n");
}

/* A display name and address: "Name" <addr>, the name encoded when it is
 * not ASCII. */
static void
put_mailbox(struct tm_buf *out, const char *name, const char *addr)
{
	if (name && plain_ascii(name)) {
		tm_buf_add(out, "\"", 1);
		for (const char *p = name; *p; p++) {
			if (*p == '"' || *p == '\\')
				tm_buf_add(out, "\\", 1);
			tm_buf_add(out, p, 1);
		}
		tm_buf_add(out, "\" ", 2);
	} else if (name) {
		enc_words(out, name);
		tm_buf_add(out, " ", 1);
	}
	tm_buf_addf(out, "<%s>", addr);
}

static unsigned long long
rnd64(void)
{
	unsigned long long r;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		tm_die(EX_OSERR, "getrandom:");
	return r;
}

char *
message_id(const char *domain)
{
	char *s;

	if (asprintf(&s, "<%lld.%d.%016llx@%s>", (long long)time(NULL),
	    (int)getpid(), rnd64(), domain && *domain ? domain :
	    "tmagikarp.invalid") == -1)
		tm_die(EX_OSERR, "asprintf:");
	return s;
}

char *
rfc5322_date(long long t, char *buf)
{
	static const char *dn[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *mn[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t s = (time_t)t;
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(buf, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    dn[tm.tm_wday], tm.tm_mday, mn[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

static const char *
sev_prefix(const char *sev)
{
	if (sev == NULL)
		return "";
	return strcmp(sev, "critical") == 0 ? "[CRITICAL] " :
	    strcmp(sev, "warning") == 0 ? "[WARNING] " : "[INFO] ";
}

/* Line ends made CRLF (a lone LF or CR becomes CRLF). */
static void
crlf(struct tm_buf *out, const char *p, size_t n)
{
	size_t s = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\r' && p[i] != '\n')
			continue;
		tm_buf_add(out, p + s, i - s);
		tm_buf_add(out, "\r\n", 2);
		if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
			i++;
		s = i + 1;
	}
	tm_buf_add(out, p + s, n - s);
}

/* The first line longer than RFC 5322 allows (1-based), or 0. */
static size_t
long_line(const char *p, size_t n)
{
	size_t line = 1, len = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			line++;
			len = 0;
		} else if (p[i] != '\r' && ++len > MAXLINE)
			return line;
	}
	return 0;
}

/* Headers the tool writes itself, which --header may not set. */
static int
reserved(const char *name, size_t n)
{
	static const char *r[] = { "from", "to", "subject", "date",
	    "message-id", "mime-version", "content-type",
	    "content-transfer-encoding", "x-tm-severity", NULL };

	for (int i = 0; r[i]; i++)
		if (strlen(r[i]) == n && strncasecmp(name, r[i], n) == 0)
			return 1;
	return 0;
}

/* Check a --header "Name: value"; returns the length of the name. */
static size_t
hdr_split(const char *h)
{
	size_t n = 0;

	hdr_check("--header", h);
	while (h[n] && h[n] != ':' && h[n] > 0x20 && h[n] < 0x7f)
		n++;
	if (n == 0 || h[n] != ':')
		tm_die(EX_USAGE, "--header %s: want Name: value", h);
	if (reserved(h, n))
		tm_die(EX_USAGE, "--header %s: tm-mail sets %.*s itself", h,
		    (int)n, h);
	return n;
}

static void
put_extra(struct tm_buf *out, const struct msgopt *o)
{
	for (size_t i = 0; i < o->nhdr; i++) {
		size_t n = hdr_split(o->hdr[i]);
		const char *v = o->hdr[i] + n + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		char *name = emalloc(n + 1);
		memcpy(name, o->hdr[i], n);
		name[n] = '\0';
		hdr_put(out, name, v);
		free(name);
	}
	if (o->severity) {
		tm_buf_addf(out, "X-TM-Severity: %s\r\n", o->severity);
		if (strcmp(o->severity, "critical") == 0)
			tm_buf_adds(out,
			    "Importance: high\r\nX-Priority: 1\r\n");
	}
	if (o->alert)
		tm_buf_addf(out, "X-TM-Alert: %s\r\n", o->alert);
}

/* --------------------------------------------------------- composing */

struct part {
	struct tm_buf head, body;	/* MIME headers; encoded content */
};

static const char *
guess_type(const char *name)
{
	static const char *map[] = { ".png", "image/png", ".jpg", "image/jpeg",
	    ".jpeg", "image/jpeg", ".gif", "image/gif", ".svg",
	    "image/svg+xml", ".pdf", "application/pdf", ".csv",
	    "text/csv", ".txt", "text/plain", ".html", "text/html",
	    ".json", "application/json", ".jsonl", "application/x-ndjson",
	    ".eml", "message/rfc822", ".gz", "application/gzip", NULL };
	size_t n = strlen(name);

	for (int i = 0; map[i]; i += 2) {
		size_t l = strlen(map[i]);
		if (n > l && strcasecmp(name + n - l, map[i]) == 0)
			return map[i + 1];
	}
	return "application/octet-stream";
}

/* A text part from a file: UTF-8 checked, CRLF line ends, 7bit when it
 * is ASCII with short lines, else base64. */
static void
text_part(struct part *pt, const char *path, const char *subtype)
{
	struct tm_buf raw = { 0 }, c = { 0 };
	int ascii = 1;

	buf_slurp(&raw, path);
	if (!tm_utf8_valid(raw.p, raw.n) || memchr(raw.p, '\0', raw.n))
		tm_die(EX_DATAERR, "%s: not UTF-8 text", tm_input_name(path));
	crlf(&c, raw.p, raw.n);
	for (size_t i = 0; i < c.n && ascii; i++)
		ascii = (unsigned char)c.p[i] < 0x80;
	if (ascii && !long_line(c.p, c.n)) {
		tm_buf_addf(&pt->head,
		    "Content-Type: text/%s; charset=us-ascii\r\n"
		    "Content-Transfer-Encoding: 7bit\r\n", subtype);
		tm_buf_add(&pt->body, c.p, c.n);
		if (c.n < 2 || memcmp(c.p + c.n - 2, "\r\n", 2) != 0)
			tm_buf_adds(&pt->body, "\r\n");
	} else {
		tm_buf_addf(&pt->head,
		    "Content-Type: text/%s; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: base64\r\n", subtype);
		tm_buf_base64(&pt->body, c.p, c.n, 1);
	}
	tm_buf_free(&raw);
	tm_buf_free(&c);
}

/* A filename parameter: quoted when ASCII, else RFC 2231 UTF-8. */
static void
put_param(struct tm_buf *out, const char *key, const char *v)
{
	int ascii = plain_ascii(v) && !strpbrk(v, "\"\\");

	if (ascii) {
		tm_buf_addf(out, "%s=\"%s\"", key, v);
		return;
	}
	tm_buf_addf(out, "%s*=UTF-8''", key);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (isalnum(*p) || strchr("-._~", *p))
			tm_buf_add(out, p, 1);
		else
			tm_buf_addf(out, "%%%02X", *p);
}

static void
attach_part(struct part *pt, const char *path)
{
	struct tm_buf raw = { 0 };
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	hdr_check("--attach", base);
	if (*base == '\0' || strcmp(path, "-") == 0)
		tm_die(EX_USAGE, "--attach %s: want a file name", path);
	buf_slurp(&raw, path);
	tm_buf_addf(&pt->head, "Content-Type: %s;\r\n ", guess_type(base));
	put_param(&pt->head, "name", base);
	tm_buf_adds(&pt->head, "\r\nContent-Disposition: attachment;\r\n ");
	put_param(&pt->head, "filename", base);
	tm_buf_adds(&pt->head, "\r\nContent-Transfer-Encoding: base64\r\n");
	tm_buf_base64(&pt->body, raw.p, raw.n, 1);
	tm_buf_free(&raw);
}

/* A boundary that occurs in none of the parts. */
static char *
boundary(struct part *pts, size_t n)
{
	for (;;) {
		char b[40];
		int clash = 0;
		snprintf(b, sizeof(b), "=_tm_%016llx", rnd64());
		for (size_t i = 0; i < n && !clash; i++)
			clash = (pts[i].body.n && memmem(pts[i].body.p,
			    pts[i].body.n, b, strlen(b))) || (pts[i].head.n &&
			    strstr(pts[i].head.p, b));
		if (!clash)
			return estrdup(b);
	}
}

/* Join parts into one multipart part of the given subtype. */
static void
multipart(struct part *out, const char *subtype, struct part *pts, size_t n)
{
	char *b = boundary(pts, n);

	tm_buf_addf(&out->head, "Content-Type: multipart/%s;\r\n"
	    " boundary=\"%s\"\r\n", subtype, b);
	tm_buf_adds(&out->body,
	    "This is a multi-part message in MIME format.\r\n");
	for (size_t i = 0; i < n; i++) {
		tm_buf_addf(&out->body, "\r\n--%s\r\n", b);
		tm_buf_add(&out->body, pts[i].head.p, pts[i].head.n);
		tm_buf_adds(&out->body, "\r\n");
		tm_buf_add(&out->body, pts[i].body.p, pts[i].body.n);
		tm_buf_free(&pts[i].head);
		tm_buf_free(&pts[i].body);
	}
	tm_buf_addf(&out->body, "\r\n--%s--\r\n", b);
	free(b);
}

static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at ? at + 1 : NULL;
}

void
compose(const struct msgopt *o, struct tm_buf *out)
{
	struct part body = { { 0 }, { 0 } }, alt[2];
	struct part *pts = ecalloc(o->nattach + 1, sizeof(*pts));
	char *addr, *name, date[40];
	size_t na = 0;

	memset(alt, 0, sizeof(alt));
	if (o->text)
		text_part(&alt[na++], o->text, "plain");
	if (o->html)
		text_part(&alt[na++], o->html, "html");
	if (na == 2)
		multipart(&pts[0], "alternative", alt, 2);
	else if (na == 1)
		pts[0] = alt[0];
	for (size_t i = 0; i < o->nattach; i++)
		attach_part(&pts[na ? i + 1 : i], o->attach[i]);
	size_t np = (na ? 1 : 0) + o->nattach;
	if (np == 1)
		body = pts[0];
	else if (np > 1)
		multipart(&body, "mixed", pts, np);
	else {
		tm_buf_adds(&body.head, "Content-Type: text/plain; "
		    "charset=us-ascii\r\n");
		tm_buf_add(&body.body, "", 0);
	}
	free(pts);

	addr_parse("--from", o->from, &addr, &name);
	char *mid = message_id(domain_of(addr));
	tm_buf_adds(out, "From: ");
	put_mailbox(out, name, addr);
	tm_buf_adds(out, "\r\nTo: ");
	size_t col = 4;
	for (size_t i = 0; i < o->nto; i++) {
		size_t l = strlen(o->to[i]) + 2;
		if (i && col + l > 76) {
			tm_buf_adds(out, ",\r\n ");
			col = 1;
		} else if (i) {
			tm_buf_adds(out, ", ");
			col += 2;
		}
		tm_buf_adds(out, o->to[i]);
		col += l;
	}
	tm_buf_adds(out, "\r\n");
	if (o->subject || o->severity) {
		char *s;
		if (asprintf(&s, "%s%s", sev_prefix(o->severity),
		    o->subject ? o->subject : "") == -1)
			tm_die(EX_OSERR, "asprintf:");
		hdr_put(out, "Subject", s);
		free(s);
	}
	tm_buf_addf(out, "Date: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n",
	    rfc5322_date((long long)time(NULL), date), mid);
	put_extra(out, o);
	tm_buf_add(out, body.head.p, body.head.n);
	tm_buf_adds(out, "\r\n");
	tm_buf_add(out, body.body.p, body.body.n);
	tm_buf_free(&body.head);
	tm_buf_free(&body.body);
	free(mid);
	free(addr);
	free(name);
}

/* ------------------------------------------------- a caller's message */

/* The header section's end: offset of the empty line's CRLF (or n when
 * the message is all headers).  Exits 65 on a line that is no header. */
static size_t
header_end(const char *p, size_t n)
{
	size_t i = 0, line = 1;

	while (i < n) {
		const char *e = memmem(p + i, n - i, "\r\n", 2);
		size_t l = e ? (size_t)(e - (p + i)) : n - i;
		if (l == 0)
			return i;
		if (p[i] == ' ' || p[i] == '\t') {
			if (line == 1)
				tm_die(EX_DATAERR, "<stdin>: line 1: a "
				    "continuation line before any header");
		} else {
			size_t k = 0;
			while (k < l && p[i + k] != ':' && p[i + k] > 0x20 &&
			    p[i + k] < 0x7f)
				k++;
			if (k == 0 || k == l || p[i + k] != ':')
				tm_die(EX_DATAERR, "<stdin>: line %zu: not a "
				    "header (an RFC 5322 message starts with "
				    "Name: value lines)", line);
		}
		i += l + (e ? 2 : 0);
		line++;
	}
	return n;
}

/* Offset of header name's line in the section [0, end), or -1. */
static long
find_header(const char *p, size_t end, const char *name, size_t from)
{
	size_t nl = strlen(name), i = from;

	while (i < end) {
		const char *e = memmem(p + i, end - i, "\r\n", 2);
		size_t l = e ? (size_t)(e - (p + i)) : end - i;
		if (l > nl && p[i + nl] == ':' && strncasecmp(p + i, name,
		    nl) == 0)
			return (long)i;
		i += l + 2;
	}
	return -1;
}

/* End of the header (line plus continuation lines) starting at i. */
static size_t
header_span(const char *p, size_t end, size_t i)
{
	for (;;) {
		const char *e = memmem(p + i, end - i, "\r\n", 2);
		if (e == NULL)
			return end;
		i = (size_t)(e - p) + 2;
		if (i >= end || (p[i] != ' ' && p[i] != '\t'))
			return i;
	}
}

char *
msg_header(const char *msg, size_t len, const char *name)
{
	const char *e = memmem(msg, len, "\r\n\r\n", 4);
	size_t end = e ? (size_t)(e - msg) + 2 : len;
	long i = find_header(msg, end, name, 0);
	struct tm_buf v = { 0 };

	if (i < 0)
		return NULL;
	size_t s = (size_t)i + strlen(name) + 1, t = header_span(msg, end,
	    (size_t)i);
	for (size_t k = s; k < t; k++)
		if (msg[k] != '\r' && msg[k] != '\n')
			tm_buf_add(&v, &msg[k], 1);
	tm_buf_add(&v, "", 0);
	char *r = trim(v.p, v.n);
	tm_buf_free(&v);
	return r;
}

void
fix_raw(struct msgopt *o, const struct tm_buf *in, struct tm_buf *out)
{
	struct tm_buf m = { 0 };
	char date[40];
	size_t bad;

	crlf(&m, in->p ? in->p : "", in->n);
	if (m.n == 0)
		tm_die(EX_DATAERR, "<stdin>: empty message");
	if (m.n < 2 || memcmp(m.p + m.n - 2, "\r\n", 2) != 0)
		tm_buf_adds(&m, "\r\n");
	if ((bad = long_line(m.p, m.n)) != 0)
		tm_die(EX_DATAERR, "<stdin>: line %zu: longer than %d bytes",
		    bad, MAXLINE);
	size_t end = header_end(m.p, m.n);

	if (o->from == NULL) {
		char *f = msg_header(m.p, m.n, "From");
		if (f == NULL)
			tm_die(EX_USAGE, "no sender: give -f, TM_MAIL_FROM "
			    "or a From: header");
		o->from = f;	/* the caller's now; lives as long as o */
	}
	/* The section as find_header sees it: every line with its CRLF. */
	size_t hend = end;

	if (find_header(m.p, hend, "Message-ID", 0) < 0) {
		char *addr, *name, *mid;
		addr_parse("--from", o->from, &addr, &name);
		mid = message_id(domain_of(addr));
		tm_buf_addf(out, "Message-ID: %s\r\n", mid);
		free(mid);
		free(addr);
		free(name);
	}
	if (find_header(m.p, hend, "Date", 0) < 0)
		tm_buf_addf(out, "Date: %s\r\n",
		    rfc5322_date((long long)time(NULL), date));
	if (find_header(m.p, hend, "From", 0) < 0) {
		char *addr, *name;
		addr_parse("--from", o->from, &addr, &name);
		tm_buf_adds(out, "From: ");
		put_mailbox(out, name, addr);
		tm_buf_adds(out, "\r\n");
		free(addr);
		free(name);
	}
	if (o->severity && find_header(m.p, hend, "Subject", 0) < 0)
		hdr_put(out, "Subject", sev_prefix(o->severity));
	put_extra(out, o);

	/* The caller's headers, less an X-TM-Severity when one is set here,
	 * with the severity's prefix on the first Subject. */
	size_t i = 0;
	int subj = 0;
	while (i < hend) {
		size_t t = header_span(m.p, hend, i);
		if (o->severity && find_header(m.p, t, "X-TM-Severity", i) ==
		    (long)i) {
			i = t;
			continue;
		}
		if (o->severity && !subj && find_header(m.p, t, "Subject", i) ==
		    (long)i) {
			const char *pre = sev_prefix(o->severity);
			size_t v = i + 8;
			while (v < t && (m.p[v] == ' ' || m.p[v] == '\t'))
				v++;
			tm_buf_adds(out, "Subject: ");
			if (strncmp(m.p + v, pre, strlen(pre)) != 0)
				tm_buf_adds(out, pre);
			tm_buf_add(out, m.p + v, t - v);
			subj = 1;
			i = t;
			continue;
		}
		tm_buf_add(out, m.p + i, t - i);
		i = t;
	}
	tm_buf_add(out, m.p + hend, m.n - hend);
	tm_buf_free(&m);
}
