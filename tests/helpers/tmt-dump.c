/*
 * tmt-dump - print a 2-D TMT stream as tab-separated text, one line per
 * row, each line starting with the frame's date so tests can filter frames
 * with awk (a test helper; tm-cat is the real viewer).  Per frame:
 *
 *   DATE  @axes   AXIS0 AXIS1 DTYPE
 *   DATE  @coords {json}            (keys sorted; meta likewise)
 *   DATE  @meta   {json}
 *   DATE  #       FIELD...
 *   DATE  LABEL   VALUE...          ("-" for an empty label, %.9g values)
 */
#include <stdlib.h>
#include <string.h>

#include "tm.h"

static void
pjson(const char *date, const char *what, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT) : NULL;

	printf("%s\t%s\t%s\n", date, what, s ? s : "null");
	free(s);
}

int
main(int argc, char *argv[])
{
	struct tm_reader *r;
	struct tm_frame f;
	int rc;

	tm_setprogname(argv[0]);
	if (argc > 1) {
		fprintf(stderr, "usage: tmt-dump <stream\n");
		return EX_USAGE;
	}
	r = tm_reader_new(stdin, "<stdin>");
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		const char *d = tm_frame_date(&f);
		if (d == NULL)
			d = "-";
		if (f.ndim != 2)
			tm_die(EX_DATAERR, "frame %s: rank %d, not 2", d, f.ndim);
		printf("%s\t@axes\t%s %s %s\n", d, f.axes[0], f.axes[1],
		    tm_dtype_name(f.dtype));
		pjson(d, "@coords", f.coords);
		pjson(d, "@meta", f.meta);
		printf("%s\t#", d);
		for (int64_t j = 0; j < f.shape[1]; j++)
			printf("\t%s", f.labels[1] ? f.labels[1][j] : "?");
		putchar('\n');
		for (int64_t i = 0; i < f.shape[0]; i++) {
			const char *l = f.labels[0] ? f.labels[0][i] : "?";
			printf("%s\t%s", d, *l ? l : "-");
			for (int64_t j = 0; j < f.shape[1]; j++)
				printf("\t%.9g", tm_frame_get(&f,
				    (size_t)(i * f.shape[1] + j)));
			putchar('\n');
		}
	}
	if (rc == -1)
		exit(tm_reader_status(r));
	tm_frame_release(&f);
	tm_reader_free(r);
	efshut(stdout, "<stdout>");
	return 0;
}
