/* buf.c - the output buffer and the escapes every writer needs. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void
grow(struct buf *b, size_t more)
{
	if (b->n + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->n + more + 1)
		cap *= 2;
	b->p = ereallocarray(b->p, cap, 1);
	b->cap = cap;
}

/* Append n bytes; the buffer stays NUL-terminated. */
void
bput(struct buf *b, const void *s, size_t n)
{
	grow(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
bputs(struct buf *b, const char *s)
{
	bput(b, s, strlen(s));
}

void
bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0)
		tm_die(EX_SOFTWARE, "bprintf: bad format");
	grow(b, (size_t)k);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

/* Every character that can end a text run or an attribute is escaped, so
 * the same call is safe in both places. */
void
bhtml(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': bputs(b, "&amp;"); break;
		case '<': bputs(b, "&lt;"); break;
		case '>': bputs(b, "&gt;"); break;
		case '"': bputs(b, "&quot;"); break;
		case '\'': bputs(b, "&#39;"); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				bputs(b, "\xef\xbf\xbd");	/* U+FFFD */
			else
				bput(b, s, 1);
		}
	}
}

/* Control bytes could drive the terminal (escape sequences), so they are
 * shown as '?'; a label is cut at w bytes on a character boundary. */
void
btext(struct buf *b, const char *s, int w)
{
	int k = 0;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		int len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 :
		    c >= 0xc0 ? 2 : 1;
		if (k + 1 > w)
			break;
		if (c < 0x20 || c == 0x7f) {
			bput(b, "?", 1);
		} else {
			int m = 1;
			while (m < len && s[m])
				m++;
			bput(b, s, (size_t)m);
			s += m - 1;
		}
		k++;
	}
	for (; k < w && w < 1000; k++)
		bput(b, " ", 1);
}

void
bbase64(struct buf *b, const void *src, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = src;
	int col = 0;

	grow(b, n / 3 * 4 + n / 57 * 2 + 8);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char q[4] = { tab[v >> 18 & 63], tab[v >> 12 & 63],
		    i + 1 < n ? tab[v >> 6 & 63] : '=',
		    i + 2 < n ? tab[v & 63] : '=' };
		bput(b, q, 4);
		if ((col += 4) == 76) {
			bput(b, "\r\n", 2);
			col = 0;
		}
	}
	if (col)
		bput(b, "\r\n", 2);
}

void
bfree(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
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
