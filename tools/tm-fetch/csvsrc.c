/* csvsrc.c - the local source: --csv FILE (long layout with a ticker
 * column) or --csv DIR (one TICKER.csv per ticker); gzip is read too. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "fetch.h"

/* The whole (maybe gzipped) file, or NULL when it cannot be opened. */
static char *
slurp(const char *path, size_t *len)
{
	gzFile z = gzopen(path, "rb");
	size_t n = 0, cap = 1 << 16;
	char *buf;
	int k;

	if (z == NULL)
		return NULL;
	buf = emalloc(cap);
	while ((k = gzread(z, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)k;
		if (n == cap)
			buf = ereallocarray(buf, cap *= 2, 1);
	}
	if (k < 0) {
		int e;
		tm_warn("%s: %s", path, gzerror(z, &e));
		gzclose(z);
		free(buf);
		return NULL;
	}
	gzclose(z);
	*len = n;
	return buf;
}

static void
fail(struct fetch *f, int tick, const char *why)
{
	free(f->t[tick].why);
	f->t[tick].why = estrdup(why);
}

void
csv_serve(struct fetch *f, int si, const int *todo, size_t n)
{
	struct stat st;
	char msg[300];
	size_t len;
	char *buf;

	if (stat(f->csvpath, &st) == -1)
		tm_die(EX_NOINPUT, "%s:", f->csvpath);
	if (!S_ISDIR(st.st_mode)) {
		if ((buf = slurp(f->csvpath, &len)) == NULL)
			tm_die(EX_NOINPUT, "%s:", f->csvpath);
		if (csvbars_parse(f, si, buf, len, -1, msg, sizeof(msg)) < 0)
			tm_die(EX_DATAERR, "%s: %s", f->csvpath, msg);
		free(buf);
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
		buf = NULL;
		for (int k = 0; try[k] && buf == NULL; k++) {
			snprintf(path, sizeof(path), try[k], f->csvpath, sym);
			if ((buf = slurp(path, &len)) == NULL) {
				snprintf(path, sizeof(path), try[k],
				    f->csvpath, low);
				buf = slurp(path, &len);
			}
		}
		if (buf == NULL) {
			fail(f, todo[i], "no CSV file");
			continue;
		}
		long got = csvbars_parse(f, si, buf, len, todo[i], msg,
		    sizeof(msg));
		free(buf);
		if (got < 0) {
			tm_warn("%s: %s", path, msg);
			fail(f, todo[i], msg);
		} else if (got == 0)
			fail(f, todo[i], "no bars in range");
	}
}

const struct source src_csv = {
	"csv", NULL, NULL, 0, 0, NULL, NULL,
};
