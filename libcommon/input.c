/* input.c - opening a named input file, with the reason when it cannot. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "tm.h"

FILE *
tm_open_read(const char *path)
{
	struct stat st;
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return stdin;
	if ((fp = fopen(path, "rb")) == NULL) {
		tm_fail(EX_NOINPUT, "%s:", path);
		return NULL;
	}
	/* fopen(3) opens a folder for reading; the first read would then
	 * fail with a bare "read error". */
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		errno = EISDIR;
		tm_fail(EX_NOINPUT, "%s:", path);
		return NULL;
	}
	return fp;
}

void
tm_close_read(FILE *fp)
{
	if (fp && fp != stdin)
		fclose(fp);
}
