/* buf.c - the output buffer and the escapes every writer needs. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Every character that can end a text run or an attribute is escaped, so
 * the same call is safe in both places. */
void
bhtml(struct tm_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': tm_buf_adds(b, "&amp;"); break;
		case '<': tm_buf_adds(b, "&lt;"); break;
		case '>': tm_buf_adds(b, "&gt;"); break;
		case '"': tm_buf_adds(b, "&quot;"); break;
		case '\'': tm_buf_adds(b, "&#39;"); break;
		default:
			/* a control character becomes U+FFFD */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				tm_buf_adds(b, "\xef\xbf\xbd");
			else
				tm_buf_add(b, s, 1);
		}
	}
}

/* Control bytes could drive the terminal (escape sequences), so they are
 * shown as '?'; a label is cut at w bytes on a character boundary. */
void
btext(struct tm_buf *b, const char *s, int w)
{
	int k = 0;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		int len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 :
		    c >= 0xc0 ? 2 : 1;
		if (k + 1 > w)
			break;
		if (c < 0x20 || c == 0x7f) {
			tm_buf_add(b, "?", 1);
		} else {
			int m = 1;
			while (m < len && s[m])
				m++;
			tm_buf_add(b, s, (size_t)m);
			s += m - 1;
		}
		k++;
	}
	for (; k < w && w < 1000; k++)
		tm_buf_add(b, " ", 1);
}

char *
fnum(char *buf, double v, int dec)
{
	char t[64];
	if (!isfinite(v))
		return strcpy(buf, "-");
	snprintf(t, sizeof(t), "%.*f", dec, fabs(v));
	if (fabs(v) >= 1e15) {
		snprintf(buf, 32, "%.3g", v);
		return buf;
	}
	char *dot = strchr(t, '.'), *o = buf;
	size_t ni = dot ? (size_t)(dot - t) : strlen(t);
	/* -0.00 prints as 0.00 */
	if (v < 0 && strspn(t, "0.") != strlen(t))
		*o++ = '-';
	for (size_t i = 0; i < ni; i++) {
		if (i && (ni - i) % 3 == 0)
			*o++ = ',';
		*o++ = t[i];
	}
	strcpy(o, t + ni);
	return buf;
}

char *
fpct(char *buf, double v)
{
	if (!isfinite(v))
		return strcpy(buf, "-");
	snprintf(buf, 32, "%+.2f%%", v * 100);
	return buf;
}
