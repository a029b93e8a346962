/* chart.c - the backtest charts as SVG: the value against the benchmark
 * (both from 1) above, the drawdown below; or one ticker's close with its
 * trades' entries and exits, the weight held below.  Dates along the
 * bottom. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bt.h"

#define W 900
#define H1 320		/* value panel */
#define H2 140		/* drawdown panel */
#define M 50		/* margin */
#define HP 100		/* the ticker chart's position panel */

static double
xat(int k, int n)
{
	return M + (W - 2.0 * M) * (n > 1 ? (double)k / (n - 1) : 0);
}

static double
yat(double v, double lo, double hi, int y0, int h)
{
	return y0 + h - h * (hi > lo ? (v - lo) / (hi - lo) : 0.5);
}

/* The points of v[n] as polylines, a new one after each run of NaN (a
 * ticker out of every slot has no close to join across); cls, when not
 * NULL, names them for readers of the SVG. */
static void
line(FILE *fp, const double *v, int n, double lo, double hi, int y0, int h,
    const char *colour, const char *cls)
{
	int open = 0;

	for (int k = 0; k < n; k++) {
		if (!isfinite(v[k])) {
			if (open)
				fprintf(fp, "\"/>\n");
			open = 0;
			continue;
		}
		if (!open) {
			fprintf(fp, "<polyline ");
			if (cls)
				fprintf(fp, "class=\"%s\" ", cls);
			fprintf(fp, "fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"1.2\" points=\"", colour);
			open = 1;
		}
		fprintf(fp, "%.1f,%.1f ", xat(k, n), yat(v[k], lo, hi, y0, h));
	}
	if (open)
		fprintf(fp, "\"/>\n");
}

/* s as XML character data: a ticker is the data's, not markup. */
static void
xml_text(FILE *fp, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: putc(*s, fp);
		}
}

/* Finish the file at path: commit, or remove it on a write error. */
static int
finish(struct tm_atomic *a, FILE *fp, const char *path)
{
	if (ferror(fp)) {
		tm_warn("%s: write error", path);
		tm_atomic_abort(a);
		return -1;
	}
	return tm_atomic_commit(a);
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
		line(fp, bvalue, n, lo, hi, M, H1, "#999999", NULL);
	line(fp, ru->value, n, lo, hi, M, H1, "#1f5fbf", NULL);
	fprintf(fp, "<text x=\"%d\" y=\"%d\">drawdown, to %.1f%%</text>\n", M,
	    H1 + M + 35, 100 * dmin);
	line(fp, dd, n, dmin, 0, H1 + 2 * M, H2, "#bf1f1f", NULL);
	fprintf(fp, "<text x=\"%d\" y=\"%d\">%s</text>\n", M,
	    H1 + H2 + 2 * M + 20, tm_date_fmt(bt->env.date[2], d0));
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
	    W - M, H1 + H2 + 2 * M + 20,
	    tm_date_fmt(bt->env.date[bt->env.T - 1], d1));
	fprintf(fp, "</svg>\n");
	free(dd);
	return finish(a, fp, path);
}

/* The marks' shapes, centred on the price: a long entry points up, a
 * short one down, an exit is a cross. */
static const char *const shape[3] = {
	"d=\"M0,6L5,-3L-5,-3Z\" fill=\"#bf1f1f\"",
	"d=\"M-4,-4L4,4M-4,4L4,-4\" fill=\"none\" stroke=\"black\" "
	    "stroke-width=\"1.5\"",
	"d=\"M0,-6L5,3L-5,3Z\" fill=\"#1a9641\"",
};
static const char *const kindname[3] = { "entry short", "exit",
    "entry long" };

int
bt_chart_ticker(const char *path, const struct bt *bt,
    const struct bt_tick *ck)
{
	const struct tm_env *e = &bt->env;
	/* The run's days 1 .. T-1: the trades' days (the first trades at
	 * the close of day 1, the last closes at day T-1). */
	int n = e->T - 1;
	const double *close = ck->close + 1, *pos = ck->pos + 1;
	double lo = INFINITY, hi = -INFINITY, plo = 0, phi = 0;
	int y2 = H1 + 2 * M;
	char d0[16], d1[16];
	struct tm_atomic *a = tm_atomic_open(path, 0644);

	if (!a)
		return -1;
	FILE *fp = tm_atomic_fp(a);
	for (int k = 0; k < n; k++) {
		if (isfinite(close[k]))
			lo = fmin(lo, close[k]), hi = fmax(hi, close[k]);
		if (isfinite(pos[k]))
			plo = fmin(plo, pos[k]), phi = fmax(phi, pos[k]);
	}
	if (lo > hi)
		lo = hi = 0;	/* no close at all: the marks sit mid-panel */
	if (plo == phi)
		phi = 1;	/* never held: the zero line low in the panel */
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
	    W, H1 + HP + 3 * M);
	fprintf(fp, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(fp, "<text x=\"%d\" y=\"20\">", M);
	xml_text(fp, ck->tk);
	fprintf(fp, " as-traded close, %.6g to %.6g; entries long (green "
	    "up) and short (red down), exits (crosses): %d marks</text>\n",
	    lo, hi, ck->nmark);
	line(fp, close, n, lo, hi, M, H1, "#1f5fbf", "close");
	for (int j = 0; j < ck->nmark; j++) {
		const struct bt_mark *mk = ck->mark + j;
		double y = isfinite(mk->price) ? yat(mk->price, lo, hi, M, H1) :
		    M + H1 / 2.0;

		fprintf(fp, "<path class=\"%s\" transform=\"translate(%.1f,"
		    "%.1f)\" %s><title>%s %s", kindname[mk->kind + 1],
		    xat(mk->day - 1, n), y, shape[mk->kind + 1],
		    kindname[mk->kind + 1], tm_date_fmt(e->date[mk->day], d0));
		if (mk->why)
			fprintf(fp, " (%s)", mk->why);
		fprintf(fp, " at %.10g</title></path>\n", mk->price);
	}
	fprintf(fp, "<text x=\"%d\" y=\"%d\">weight held, %.3g to "
	    "%.3g</text>\n", M, y2 - 15, plo, phi);
	fprintf(fp, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#999999\"/>\n", M, W - M, yat(0, plo, phi, y2, HP),
	    yat(0, plo, phi, y2, HP));
	line(fp, pos, n, plo, phi, y2, HP, "#7f3fbf", "position");
	fprintf(fp, "<text x=\"%d\" y=\"%d\">%s</text>\n", M,
	    H1 + HP + 2 * M + 20, tm_date_fmt(e->date[1], d0));
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
	    W - M, H1 + HP + 2 * M + 20, tm_date_fmt(e->date[e->T - 1], d1));
	fprintf(fp, "</svg>\n");
	return finish(a, fp, path);
}
