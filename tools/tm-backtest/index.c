/* index.c - the metrics of a value index another tool computed (tm-diff's
 * paper portfolio: coords.index of its recommendation stream), on the
 * days of the slot stream, through the same metrics code as a run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"

/* Day t of the env holding date d, or -1. */
static int
day_of(const struct tm_env *e, int32_t d)
{
	int lo = 0, hi = e->T - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (e->date[mid] == d)
			return mid;
		if (e->date[mid] < d)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* ix[t] for the env's days from the frames of path: NaN where none. */
static void
read_index(const struct tm_env *e, const char *path, double *ix)
{
	FILE *fp = strcmp(path, "-") ? tm_open_read(path) : stdin;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	struct tm_reader *r;
	struct tm_frame f;
	int rc;

	if (fp == NULL)
		tm_exit(tm_fail_status());
	for (int t = 0; t < e->T; t++)
		ix[t] = NAN;
	r = tm_reader_new(fp, name);
	/* Only the headers are read: the index is a coordinate. */
	tm_reader_headers_only(r, 1);
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		const char *ds = tm_frame_date(&f);
		json_t *v = f.coords ? json_object_get(f.coords, "index") : NULL;
		int32_t d;
		int t;

		if (!ds || tm_date_parse(ds, &d) == -1 || !json_is_number(v) ||
		    !(json_number_value(v) > 0))
			tm_die(EX_DATAERR, "%s: frame %lld: no coords.date and "
			    "positive coords.index", name, (long long)f.seq);
		if ((t = day_of(e, d)) < 0)
			continue;
		if (!isnan(ix[t]))
			tm_die(EX_DATAERR, "%s: %s: a second index", name, ds);
		ix[t] = json_number_value(v);
	}
	if (rc == -1)
		tm_exit(tm_reader_status(r));
	tm_frame_release(&f);
	tm_reader_free(r);
	if (fp != stdin)
		tm_close_read(fp);
}

int
bt_index(struct bt *bt, const char *path, FILE *out, json_t **mj)
{
	const struct tm_env *e = &bt->env;
	int T = e->T, n = T - 2;
	double *ix = emalloc(T * sizeof(double));
	static const char *fields[] = { "value", "return", "drawdown",
	    "bench" };
	int nfield = bt->bench ? 4 : 3;
	struct tm_writer *wr = NULL;
	struct tm_frame f;
	char d[16];

	if (n < 1)
		tm_die(EX_DATAERR, "slot stream: %d days: a backtest needs 3",
		    T);
	read_index(e, path, ix);
	/* Return k is day k+2's, as in a run: the value of day 1 is V_0. */
	for (int t = 1; t < T; t++)
		if (isnan(ix[t]))
			tm_die(EX_DATAERR, "%s: no index for %s, a day of the "
			    "slot stream", path, tm_date_fmt(e->date[t], d));
	double *r = emalloc(n * sizeof(double));
	double *v = emalloc(n * sizeof(double));
	double *br = bt->bench ? emalloc(n * sizeof(double)) : NULL;
	double peak = 1, bval = 1;

	if (out)
		wr = tm_writer_new(out, "<stdout>", TM_RAW);
	tm_frame_init(&f);
	for (int k = 0; k < n; k++) {
		r[k] = ix[k + 2] / ix[k + 1] - 1;
		v[k] = ix[k + 2] / ix[1];
		if (v[k] > peak)
			peak = v[k];
		if (br) {
			br[k] = bt->bench[k + 2];
			bval *= 1 + br[k];
		}
		if (!wr)
			continue;
		double row[4] = { v[k], r[k], v[k] / peak - 1, bval };
		bt_equity_frame(wr, &f, fields, nfield, row, e->date[k + 2],
		    NULL);
	}
	if (wr && tm_writer_end(wr) == -1)
		tm_exit(EX_IOERR);

	struct tm_metrics m;
	/* No turnover: the index does not say what was traded. */
	tm_metrics_compute(r, v, br, NULL, n, &m);
	json_t *j = bt_metrics_json(&m, e, T);
	json_object_set_new(j, "final_value", json_real(v[n - 1]));
	json_object_set_new(j, "index", json_string(path));
	if (bt->bench_tk)
		json_object_set_new(j, "bench", json_string(bt->bench_tk));
	*mj = j;
	tm_runlog_rows(T, n);
	tm_frame_release(&f);
	if (wr)
		tm_writer_free(wr);
	free(ix), free(r), free(v), free(br);
	return 0;
}
