/* buf.c - the byte buffer messages are built in. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 1024;
		while (c < b->n + n + 1)
			c *= 2;
		b->p = ereallocarray(b->p, c, 1);
		b->cap = c;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		tm_die(EX_OSERR, "vasprintf:");
	va_end(ap);
	buf_adds(b, s);
	free(s);
}

void
buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void
buf_slurp(struct buf *b, const char *path)
{
	FILE *fp = tm_open_read(path);
	char chunk[65536];
	size_t n;

	if (fp == NULL)
		tm_exit(tm_fail_status());
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp))
		tm_die(EX_IOERR, "%s: read error", tm_input_name(path));
	buf_add(b, "", 0);
	tm_close_read(fp);
}
