/* tmt-envval - the training evaluation's value for given weights: run
 * tm_env_step (libcommon/env.c, as tm-train's evaluate() does) over a
 * slot stream with the weights of a weight stream, day by day.
 *
 * usage: tmt-envval [-c cost] slots.tmt weights.tmt
 *
 * Weight frame t (matched to slot frame t by date, rows by slot) is the
 * decision of day t; after the step of t the book's value is that of the
 * close of t+2, printed as "DATE(t+2) VALUE" with %.17g, one line a step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tm.h"
#include "tmcore.h"

int
main(int argc, char **argv)
{
	double cost = 0.001;
	int c;
	struct tm_env e;
	struct tm_book b;

	tm_setprogname(argv[0]);
	while ((c = getopt(argc, argv, "c:")) != -1)
		switch (c) {
		case 'c': cost = estrtod(optarg, 0, 0.5, "cost"); break;
		default:
			fprintf(stderr, "usage: tmt-envval [-c cost] slots.tmt "
			    "weights.tmt\n");
			exit(EX_USAGE);
		}
	if (argc - optind != 2)
		tm_die(EX_USAGE, "want slots.tmt weights.tmt");
	FILE *sf = fopen(argv[optind], "rb"), *wf = fopen(argv[optind + 1],
	    "rb");
	if (!sf || !wf)
		tm_die(EX_NOINPUT, "cannot open the inputs:");
	struct tm_reader *sr = tm_reader_new(sf, argv[optind]);
	if (tm_env_load(&e, sr, 0, 0, NULL) == -1)
		tm_exit(EX_DATAERR);
	struct tm_reader *wr = tm_reader_new(wf, argv[optind + 1]);
	struct tm_frame f;
	double *w = emalloc(e.N * sizeof(double));
	char iso[11];
	int t = 0, rc;

	tm_book_init(&b, e.N);
	tm_frame_init(&f);
	while ((rc = tm_read(wr, &f)) == 1) {
		int32_t day;
		int64_t cw = tm_frame_find_label(&f, 1, "weight");

		if (!tm_frame_date(&f) || tm_date_parse(tm_frame_date(&f),
		    &day) == -1 || cw < 0 || f.shape[0] != e.N)
			tm_die(EX_DATAERR, "weights: frame %lld: not a weight "
			    "frame of %d slots", (long long)f.seq, e.N);
		while (t < e.T && e.date[t] < day)
			t++;
		if (t >= e.T || e.date[t] != day)
			tm_die(EX_DATAERR, "weights: %s: no slot frame",
			    tm_frame_date(&f));
		if (t + 2 >= e.T)
			break;
		for (int i = 0; i < e.N; i++) {
			double v = tm_frame_get(&f, (size_t)i * f.shape[1] + cw);

			w[i] = v > 0 ? v : 0;
		}
		double wc = json_number_value(json_object_get(f.coords,
		    "cash"));
		tm_env_step(&e, t, w, wc, cost, &b, NULL, NULL);
		printf("%s %.17g\n", tm_date_fmt(e.date[t + 2], iso), b.value);
	}
	if (rc == -1)
		tm_exit(tm_reader_status(wr));
	free(w);
	tm_book_release(&b);
	tm_frame_release(&f);
	tm_reader_free(wr);
	tm_reader_free(sr);
	tm_env_release(&e);
	fclose(sf);
	fclose(wf);
	efshut(stdout, "<stdout>");
	return 0;
}
