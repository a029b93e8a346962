/* tmt-split - write each frame of a stream on stdin to DIR/YYYY/MM/DD.tmt
 * by its coords.date, one frame per file, as the raw store lays days out
 * (a test and bench helper: it builds raw trees from tm-synth output). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tm.h"

static void
mkdirs(char *p)
{
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST)
			tm_die(EX_CANTCREAT, "%s:", p);
		*s = '/';
	}
}

int
main(int argc, char **argv)
{
	struct tm_reader *r;
	struct tm_frame f;
	int rc;

	tm_setprogname(argv[0]);
	if (argc != 2)
		tm_die(EX_USAGE, "usage: tmt-split DIR <stream");
	r = tm_reader_new(stdin, "<stdin>");
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		const char *d = tm_frame_date(&f);
		char path[4096];
		FILE *fp;

		if (d == NULL || strlen(d) != 10)
			tm_die(EX_DATAERR, "<stdin>: frame without a date");
		snprintf(path, sizeof path, "%s/%.4s/%.2s/%.2s.tmt", argv[1],
		    d, d + 5, d + 8);
		mkdirs(path);
		if ((fp = fopen(path, "wb")) == NULL)
			tm_die(EX_CANTCREAT, "%s:", path);
		struct tm_writer *w = tm_writer_new(fp, path, -1);
		if (tm_write(w, &f) == -1 || tm_writer_end(w) == -1)
			tm_die(EX_IOERR, "%s: write failed", path);
		tm_writer_free(w);
		if (fclose(fp) == EOF)
			tm_die(EX_IOERR, "%s:", path);
	}
	if (rc == -1)
		tm_die(tm_reader_status(r), "<stdin>: bad stream");
	tm_reader_free(r);
	tm_frame_release(&f);
	return 0;
}
