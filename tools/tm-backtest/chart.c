/* chart.c - the backtest chart as SVG: the value against the benchmark
 * (both from 1) above, the drawdown below, dates along the bottom. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bt.h"

#define W 900
#define H1 320		/* value panel */
#define H2 140		/* drawdown panel */
#define M 50		/* margin */

static void
line(FILE *fp, const double *v, int n, double lo, double hi, int y0, int h,
    const char *colour)
{
	fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width="
	    "\"1.2\" points=\"", colour);
	for (int k = 0; k < n; k++) {
		double x = M + (W - 2.0 * M) * (n > 1 ? (double)k / (n - 1) : 0);
		double y = y0 + h - h * (hi > lo ? (v[k] - lo) / (hi - lo) : 0.5);

		fprintf(fp, "%.1f,%.1f ", x, y);
	}
	fprintf(fp, "\"/>\n");
}

int
bt_chart(const char *path, const struct bt *bt, const struct tm_run *ru,
    const double *bvalue)
{
	struct tm_atomic *a = tm_atomic_open(path, 0644);
	int n = ru->n;
	double lo = 1, hi = 1, dmin = 0, peak = 1;
	double *dd = emalloc((n + 1) * sizeof(double));
	char d0[16], d1[16];

	if (!a)
		return -1;
	FILE *fp = tm_atomic_fp(a);
	for (int k = 0; k < n; k++) {
		double v = ru->value[k];

		lo = fmin(lo, v), hi = fmax(hi, v);
		if (bvalue)
			lo = fmin(lo, bvalue[k]), hi = fmax(hi, bvalue[k]);
		peak = fmax(peak, v);
		dd[k] = v / peak - 1;
		dmin = fmin(dmin, dd[k]);
	}
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
	    W, H1 + H2 + 3 * M);
	fprintf(fp, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(fp, "<text x=\"%d\" y=\"20\">value (blue)%s, from 1: "
	    "%.3f to %.3f</text>\n", M, bvalue ? " and benchmark (grey)" : "",
	    lo, hi);
	if (bvalue)
		line(fp, bvalue, n, lo, hi, M, H1, "#999999");
	line(fp, ru->value, n, lo, hi, M, H1, "#1f5fbf");
	fprintf(fp, "<text x=\"%d\" y=\"%d\">drawdown, to %.1f%%</text>\n", M,
	    H1 + M + 35, 100 * dmin);
	line(fp, dd, n, dmin, 0, H1 + 2 * M, H2, "#bf1f1f");
	fprintf(fp, "<text x=\"%d\" y=\"%d\">%s</text>\n", M,
	    H1 + H2 + 2 * M + 20, tm_date_fmt(bt->env.date[2], d0));
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
	    W - M, H1 + H2 + 2 * M + 20,
	    tm_date_fmt(bt->env.date[bt->env.T - 1], d1));
	fprintf(fp, "</svg>\n");
	free(dd);
	if (ferror(fp)) {
		tm_warn("%s: write error", path);
		tm_atomic_abort(a);
		return -1;
	}
	return tm_atomic_commit(a);
}
