/* buf.c - the growable byte buffer tools build messages, pages and
 * replies in. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

/* Room for more bytes and the NUL after them.  Doubling keeps n appends
 * O(n) in all; the first block is small because most buffers are. */
static void
grow(struct tm_buf *b, size_t more)
{
	if (b->n + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < b->n + more + 1)
		cap *= 2;
	b->p = ereallocarray(b->p, cap, 1);
	b->cap = cap;
}

void
tm_buf_add(struct tm_buf *b, const void *p, size_t n)
{
	grow(b, n);
	if (n)		/* p may be NULL for no bytes */
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
tm_buf_set(struct tm_buf *b, const void *p, size_t n)
{
	b->n = 0;
	tm_buf_add(b, p, n);
}

size_t
tm_buf_addz(struct tm_buf *b, const void *p, size_t n)
{
	size_t off = b->n;

	tm_buf_add(b, p, n);
	b->n++;		/* the NUL stays: the next string follows it */
	return off;
}

void
tm_buf_adds(struct tm_buf *b, const char *s)
{
	tm_buf_add(b, s, strlen(s));
}

void
tm_buf_addf(struct tm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	/* Measured first, then written in place: no temporary string. */
	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0)
		tm_die(EX_SOFTWARE, "tm_buf_addf: bad format");
	grow(b, (size_t)k);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

void
tm_buf_base64(struct tm_buf *b, const void *src, size_t n, int lines)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = src;
	int col = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char q[4] = { tab[v >> 18 & 63], tab[v >> 12 & 63],
		    i + 1 < n ? tab[v >> 6 & 63] : '=',
		    i + 2 < n ? tab[v & 63] : '=' };
		tm_buf_add(b, q, 4);
		if (lines && (col += 4) == 76) {
			tm_buf_add(b, "\r\n", 2);
			col = 0;
		}
	}
	if (col)
		tm_buf_add(b, "\r\n", 2);
}

void
tm_buf_free(struct tm_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
