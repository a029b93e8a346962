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
tm_buf_free(struct tm_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
