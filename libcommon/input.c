/* input.c - opening named input files, with the reason when one cannot
 * be opened, and a filter's loop over them. */
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

const char *
tm_input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

void
tm_close_read(FILE *fp)
{
	if (fp && fp != stdin)
		fclose(fp);
}

int
tm_each_input(int argc, char **argv,
    void (*fn)(void *arg, FILE *fp, const char *name), void *arg)
{
	if (argc == 0) {
		fn(arg, stdin, "<stdin>");
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		FILE *fp = tm_open_read(argv[i]);
		if (fp == NULL)
			return -1;
		fn(arg, fp, tm_input_name(argv[i]));
		tm_close_read(fp);
	}
	return 0;
}
