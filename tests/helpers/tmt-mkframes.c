/*
 * tmt-mkframes - write TMT frames from a small text description (a test
 * helper).  Reads stdin, writes a raw stream on stdout.  Lines:
 *
 *   # comment                 ignored, as are blank lines
 *   axes ticker feature       axis names (default: ticker field)
 *   fields close ret          column labels for the frames that follow
 *   date 2020-01-02           start a new frame with that coords.date
 *   coord turbulence 0.5      a number (or string if not one) in coords
 *   meta source test          a meta string
 *   AAPL 1.5 nan              one row: label, then one value per field
 *
 * Options: -t F32|F64 (default F32), -z deflate.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tm.h"

struct row {
	char *label;
	double *v;
};

static char *axes[2];
static char **fields;
static size_t nfields;
static struct row *rows;
static size_t nrows, caprows;
static char *date;
static json_t *coords, *meta;
static int dtype = TM_F32;
static struct tm_writer *w;

static void
usage(void)
{
	fprintf(stderr, "usage: tmt-mkframes [-z] [-t dtype]\n");
	exit(EX_USAGE);
}

static void
flush(void)
{
	struct tm_frame f;

	if (date == NULL)
		return;
	tm_frame_init(&f);
	if (tm_frame_shape2(&f, dtype, axes[0], (int64_t)nrows, axes[1],
	    (int64_t)nfields) == -1)
		tm_die(EX_SOFTWARE, "frame shape");
	for (size_t j = 0; j < nfields; j++)
		tm_frame_set_label(&f, 1, (int64_t)j, fields[j]);
	for (size_t i = 0; i < nrows; i++) {
		tm_frame_set_label(&f, 0, (int64_t)i, rows[i].label);
		for (size_t j = 0; j < nfields; j++)
			tm_frame_set(&f, i * nfields + j, rows[i].v[j]);
		free(rows[i].label);
		free(rows[i].v);
	}
	if (nrows == 0) {
		/* An empty axis still needs its (empty) label table. */
		f.labels[0] = ecalloc(1, sizeof(char *));
	}
	f.coords = coords ? coords : json_object();
	json_object_set_new(f.coords, "date", json_string(date));
	f.meta = meta;
	coords = meta = NULL;
	if (tm_write(w, &f) == -1)
		exit(EX_IOERR);
	tm_frame_release(&f);
	free(date);
	date = NULL;
	nrows = 0;
}

int
main(int argc, char *argv[])
{
	char *line = NULL, *save;
	size_t cap = 0;
	long lineno = 0;
	int c, enc = TM_RAW;

	tm_setprogname(argv[0]);
	while ((c = getopt(argc, argv, "t:z")) != -1) {
		switch (c) {
		case 't':
			if ((dtype = tm_dtype_parse(optarg)) == -1 ||
			    (dtype != TM_F32 && dtype != TM_F64))
				usage();
			break;
		case 'z':
			enc = TM_DEFLATE;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	axes[0] = estrdup("ticker");
	axes[1] = estrdup("field");
	w = tm_writer_new(stdout, "<stdout>", enc);
	while (getline(&line, &cap, stdin) != -1) {
		char *tok[4096];
		size_t n = 0;

		lineno++;
		for (char *t = strtok_r(line, " \t\r\n", &save); t;
		    t = strtok_r(NULL, " \t\r\n", &save)) {
			if (n == sizeof(tok) / sizeof(tok[0]))
				tm_die(EX_DATAERR, "<stdin>:%ld: too many words",
				    lineno);
			tok[n++] = t;
		}
		if (n == 0 || tok[0][0] == '#')
			continue;
		if (strcmp(tok[0], "axes") == 0 && n == 3) {
			free(axes[0]);
			free(axes[1]);
			axes[0] = estrdup(tok[1]);
			axes[1] = estrdup(tok[2]);
		} else if (strcmp(tok[0], "fields") == 0) {
			flush();
			tm_strv_free(fields);
			fields = ecalloc(n, sizeof(char *));
			for (size_t j = 1; j < n; j++)
				fields[j - 1] = estrdup(tok[j]);
			nfields = n - 1;
		} else if (strcmp(tok[0], "date") == 0 && n == 2) {
			flush();
			date = estrdup(tok[1]);
		} else if (strcmp(tok[0], "coord") == 0 && n == 3) {
			double v;
			if (coords == NULL)
				coords = json_object();
			json_object_set_new(coords, tok[1],
			    tm_parse_double(tok[2], 0, &v) == 0 ?
			    json_real(v) : json_string(tok[2]));
		} else if (strcmp(tok[0], "meta") == 0 && n == 3) {
			if (meta == NULL)
				meta = json_object();
			json_object_set_new(meta, tok[1], json_string(tok[2]));
		} else {
			if (date == NULL)
				tm_die(EX_DATAERR, "<stdin>:%ld: row before date",
				    lineno);
			if (n - 1 != nfields)
				tm_die(EX_DATAERR, "<stdin>:%ld: %zu values for "
				    "%zu fields", lineno, n - 1, nfields);
			if (nrows == caprows) {
				caprows = caprows ? 2 * caprows : 64;
				rows = ereallocarray(rows, caprows, sizeof(*rows));
			}
			rows[nrows].label = estrdup(tok[0]);
			rows[nrows].v = ecalloc(nfields ? nfields : 1,
			    sizeof(double));
			for (size_t j = 0; j < nfields; j++)
				if (tm_parse_double(tok[j + 1], 1,
				    &rows[nrows].v[j]) == -1)
					tm_die(EX_DATAERR, "<stdin>:%ld: bad "
					    "number '%s'", lineno, tok[j + 1]);
			nrows++;
		}
	}
	flush();
	if (tm_writer_end(w) == -1)
		exit(EX_IOERR);
	tm_writer_free(w);
	free(line);
	free(rows);
	tm_strv_free(fields);
	free(axes[0]);
	free(axes[1]);
	efshut(stdout, "<stdout>");
	return 0;
}
