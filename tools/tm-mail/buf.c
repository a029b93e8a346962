/* buf.c - a whole file into a message buffer. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"

void
buf_slurp(struct tm_buf *b, const char *path)
{
	FILE *fp = tm_open_read(path);
	char chunk[65536];
	size_t n;

	if (fp == NULL)
		tm_exit(tm_fail_status());
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		tm_buf_add(b, chunk, n);
	if (ferror(fp))
		tm_die(EX_IOERR, "%s: read error", tm_input_name(path));
	tm_buf_add(b, "", 0);
	tm_close_read(fp);
}
