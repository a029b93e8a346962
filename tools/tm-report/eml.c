/* eml.c - the daily (or monthly) mail as one complete RFC 5322 / MIME
 * message: multipart/alternative of a text part and a multipart/related
 * HTML part whose charts are PNG images referenced by Content-ID (mail
 * clients do not show SVG).  Lines end in CRLF; bodies are base64, so no
 * input byte can reach the message structure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

/* A header value: as is when it is plain printable ASCII, else RFC 2047
 * encoded words (UTF-8, base64) of at most 45 bytes each, never cutting a
 * UTF-8 sequence, folded onto continuation lines.  CR and LF from an input
 * can therefore never start a new header. */
static void
header(struct tm_buf *b, const char *name, const char *v)
{
	int plain = strstr(v, "=?") == NULL;

	for (const char *s = v; *s && plain; s++)
		plain = (unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f;
	tm_buf_addf(b, "%s: ", name);
	if (plain && strlen(v) < 900) {
		tm_buf_addf(b, "%s\r\n", v);
		return;
	}
	size_t n = strlen(v), i = 0;
	while (i < n) {
		size_t k = n - i < 45 ? n - i : 45;
		/* back off to a character boundary */
		while (k > 1 && i + k < n &&
		    ((unsigned char)v[i + k] & 0xc0) == 0x80)
			k--;
		struct tm_buf t = { 0 };
		tm_buf_base64(&t, v + i, k, 0);
		if (i)
			tm_buf_adds(b, "\r\n ");
		tm_buf_adds(b, "=?UTF-8?B?");
		tm_buf_add(b, t.p, t.n);
		tm_buf_adds(b, "?=");
		tm_buf_free(&t);
		i += k;
	}
	tm_buf_adds(b, "\r\n");
}

/* A text body with LF line ends as base64 of its canonical CRLF form. */
static void
text_body(struct tm_buf *b, const char *s, size_t n)
{
	struct tm_buf t = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			tm_buf_add(&t, "\r", 1);
		tm_buf_add(&t, s + i, 1);
	}
	tm_buf_base64(b, t.p, t.n, 1);
	tm_buf_free(&t);
}

struct img {
	const char *name;
	struct chart ch;
};

static void
img_tag(struct tm_buf *h, const struct img *im, const char *tag)
{
	tm_buf_addf(h, "<p><b>");
	bhtml(h, im->ch.title);
	tm_buf_addf(h, "</b><br><img src=\"cid:%s.%s\" width=\"600\" "
	    "height=\"180\" alt=\"", im->name, tag);
	bhtml(h, im->ch.title);
	tm_buf_adds(h, "\"></p>\n");
}

void
write_eml(const struct report *r, struct tm_buf *b)
{
	struct tm_buf subj = { 0 }, text = { 0 }, html = { 0 };
	const char *sev = severity(r);
	char tag[64], when[64], mid[128];
	time_t now = time(NULL);
	struct tm tm;
	size_t *idx, nb = 0, ns = 0;

	/* boundaries: "=_" cannot occur in base64, so no body can hold one */
	snprintf(tag, sizeof(tag), "%lld.%d", (long long)now, (int)getpid());
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(mid, sizeof(mid), "<%s.report@tmagikarp.invalid>", tag);

	if (strcmp(sev, "info"))
		tm_buf_addf(&subj, "[%s] ", strcmp(sev,
		    "critical") ? "WARNING" : "CRITICAL");
	if (r->monthly)
		tm_buf_addf(&subj, "TMagikarp monthly report %.7s",
		    r->date[0] ? r->date : "(no date)");
	else {
		if (r->have_recs) {
			recs_sorted(r, 1, &idx, &nb);
			free(idx);
			recs_sorted(r, -1, &idx, &ns);
			free(idx);
		}
		tm_buf_addf(&subj, "TMagikarp %s: %zu BUY, %zu SELL",
		    r->date[0] ? r->date : "(no date)", nb, ns);
	}
	if (*r->critical) {
		tm_buf_adds(&subj, " - critical: ");
		tm_buf_adds(&subj, r->critical);
	}

	/* a subject is one line: an input's control characters become
	 * spaces (and the header is encoded anyway) */
	for (size_t i = 0; i < subj.n; i++)
		if ((unsigned char)subj.p[i] < 0x20 || subj.p[i] == 0x7f)
			subj.p[i] = ' ';
	write_text(r, &text);

	/* the charts */
	size_t from = r->monthly ? day_index(r, r->month_start) : 0;
	size_t mfrom = day_index(r, r->month_start);
	double *v, *bn, *p, *dd, *mv, *mb, *mp, *md;
	size_t n, mn;
	chart_series(r, from, &v, &bn, &p, &dd, &n);
	chart_series(r, mfrom, &mv, &mb, &mp, &md, &mn);
	size_t pn = n > 60 && !r->monthly ? 60 : n;
	struct img imgs[4] = {
		{ "month", { CH_LINES, "Value against benchmark, this month "
		    "(100 = last month's close; blue portfolio, orange "
		    "benchmark)", mn, mv, mb, NULL, NULL } },
		{ "start", { CH_LINES, "Value against benchmark since start "
		    "(100 = start)", n, v, bn, NULL, NULL } },
		{ "pnl", { CH_BARS, r->monthly ? "Daily P&L, this month" :
		    "Daily P&L, last 60 days", pn, p + (n - pn), NULL, NULL,
		    NULL } },
		{ "drawdown", { CH_AREA, r->monthly ? "Drawdown, this month, %" :
		    "Drawdown since start, %", n, dd, NULL, NULL, NULL } },
	};
	int nimg = r->ndays ? 4 : 0;
	/* the monthly mail's series are the month's: one value chart */
	int skip = r->monthly ? 1 : -1;

	html_head(&html, subj.p);
	html_alerts(&html, r);
	if (r->monthly) {
		tm_buf_adds(&html,
		    "<div class=\"panel\"><h2>This month</h2>\n");
		html_figures(&html, &r->month, "This month");
		html_figures(&html, &r->perf, "Since start");
		tm_buf_adds(&html, "</div>\n");
		html_models(&html, r, 1);
	} else {
		html_portfolio(&html, r);
		html_recs(&html, r);
	}
	tm_buf_adds(&html, "<div class=\"panel\"><h2>Charts</h2>\n");
	if (!nimg)
		tm_buf_adds(&html,
		    "<p class=\"muted\">none yet (no journal)</p>\n");
	for (int i = 0; i < nimg; i++)
		if (i != skip)
			img_tag(&html, &imgs[i], tag);
	tm_buf_adds(&html, "</div>\n");
	if (!r->monthly)
		html_models(&html, r, 0);
	else
		html_portfolio(&html, r);
	html_health(&html, r);
	tm_buf_adds(&html, "</body></html>\n");

	header(b, "From", r->from);
	header(b, "To", r->to);
	header(b, "Subject", subj.p);
	header(b, "Date", when);
	header(b, "Message-ID", mid);
	tm_buf_adds(b, "MIME-Version: 1.0\r\n");
	header(b, "X-TM-Severity", sev);
	tm_buf_addf(b, "Content-Type: multipart/alternative; "
	    "boundary=\"=_alt.%s\"\r\n\r\n", tag);
	tm_buf_adds(b,
	    "This is a MIME message: a text and an HTML version.\r\n");
	tm_buf_addf(b, "\r\n--=_alt.%s\r\n", tag);
	tm_buf_adds(b, "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	text_body(b, text.p, text.n);
	tm_buf_addf(b, "\r\n--=_alt.%s\r\n", tag);
	tm_buf_addf(b,
	    "Content-Type: multipart/related; boundary=\"=_rel.%s\"; "
	    "type=\"text/html\"\r\n\r\n", tag);
	tm_buf_addf(b, "--=_rel.%s\r\n", tag);
	tm_buf_adds(b, "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	text_body(b, html.p, html.n);
	for (int i = 0; i < nimg; i++) {
		struct tm_buf png = { 0 };
		if (i == skip)
			continue;
		chart_png(&imgs[i].ch, 600, 180, &png);
		tm_buf_addf(b, "\r\n--=_rel.%s\r\n", tag);
		tm_buf_addf(b, "Content-Type: image/png\r\n"
		    "Content-Transfer-Encoding: base64\r\n"
		    "Content-ID: <%s.%s>\r\n"
		    "Content-Disposition: inline; filename=\"%s.png\"\r\n\r\n",
		    imgs[i].name, tag, imgs[i].name);
		tm_buf_base64(b, png.p, png.n, 1);
		tm_buf_free(&png);
	}
	tm_buf_addf(b, "\r\n--=_rel.%s--\r\n", tag);
	tm_buf_addf(b, "\r\n--=_alt.%s--\r\n", tag);
	free(v);
	free(bn);
	free(p);
	free(dd);
	free(mv);
	free(mb);
	free(mp);
	free(md);
	tm_buf_free(&subj);
	tm_buf_free(&text);
	tm_buf_free(&html);
}
