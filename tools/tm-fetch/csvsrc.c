/* csvsrc.c - the local source: --csv FILE (long layout with a ticker
 * column, or one ticker's download named after it), --csv - (the same
 * from standard input) or --csv DIR (one TICKER.csv or TICKER.csv.gz per
 * ticker); the reader inflates gzip itself. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fetch.h"

static void
fail(struct fetch *f, int tick, const char *why)
{
	free(f->t[tick].why);
	f->t[tick].why = estrdup(why);
}

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

void
csv_serve(struct fetch *f, int si, const int *todo, size_t n)
{
	struct stat st;
	struct tm_csv *c;

	if (strcmp(f->csvpath, "-") != 0 && stat(f->csvpath, &st) == -1)
		tm_die(EX_NOINPUT, "%s:", f->csvpath);
	if (strcmp(f->csvpath, "-") == 0 || !S_ISDIR(st.st_mode)) {
		if ((c = tm_csv_open(f->csvpath)) == NULL)
			tm_exit(tm_fail_status());
		long got = csvbars_read(f, si, c, -1);
		tm_csv_free(c);
		if (got < 0)
			tm_exit(tm_fail_status());
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *sym = f->t[todo[i]].sym;
		char path[4096], low[64];
		size_t j;
		for (j = 0; sym[j] && j + 1 < sizeof(low); j++)
			low[j] = (char)tolower((unsigned char)sym[j]);
		low[j] = '\0';
		const char *try[] = { "%s/%s.csv", "%s/%s.csv.gz", NULL };
		int found = 0;
		for (int k = 0; try[k] && !found; k++) {
			snprintf(path, sizeof(path), try[k], f->csvpath, sym);
			if (!(found = is_file(path))) {
				snprintf(path, sizeof(path), try[k],
				    f->csvpath, low);
				found = is_file(path);
			}
		}
		if (!found || (c = tm_csv_open(path)) == NULL) {
			fail(f, todo[i], "no CSV file");
			continue;
		}
		long got = csvbars_read(f, si, c, todo[i]);
		if (got < 0)
			fail(f, todo[i], tm_csv_error(c));
		else if (got == 0)
			fail(f, todo[i], "no bars in range");
		tm_csv_free(c);
	}
}

const struct source src_csv = {
	"csv", NULL, NULL, 0, 0, NULL, NULL,
};
