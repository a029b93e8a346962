/* chart.c - the three charts (value against benchmark, daily P&L bars,
 * drawdown), from one geometry drawn either as PNG (mail) or SVG (the
 * dashboard). */
#include <math.h>
#include <stdlib.h>

#include "report.h"

#define PAD 6

void
chart_series(const struct report *r, size_t from, double **val,
    double **bench, double **pnl, double **dd, size_t *np)
{
	size_t n = r->ndays > from ? r->ndays - from : 0;
	size_t b0 = from ? from - 1 : 0;
	double *v = ecalloc(n + 1, sizeof(double)), *b = ecalloc(n + 1,
	    sizeof(double)), *p = ecalloc(n + 1, sizeof(double)),
	    *d = ecalloc(n + 1, sizeof(double));
	double hwm = n ? r->days[b0].value : 0;

	/* drawdown is from the high-water mark of the whole history */
	for (size_t i = 0; n && i < b0; i++)
		if (r->days[i].value > hwm)
			hwm = r->days[i].value;

	for (size_t i = 0; i < n; i++) {
		const struct day *x = &r->days[from + i];
		v[i] = 100 * x->value / r->days[b0].value;
		b[i] = 100 * x->bench / r->days[b0].bench;
		p[i] = from + i ? x->value - r->days[from + i - 1].value : 0;
		if (x->value > hwm)
			hwm = x->value;
		d[i] = 100 * (x->value / hwm - 1);
	}
	*val = v;
	*bench = b;
	*pnl = p;
	*dd = d;
	*np = n;
}

struct geom {
	int w, h;
	double lo, hi;
	size_t n;
};

static void
range(const struct chart *ch, struct geom *g, int w, int h)
{
	g->w = w;
	g->h = h;
	g->n = ch->n;
	g->lo = INFINITY;
	g->hi = -INFINITY;
	if (ch->kind != CH_LINES)
		g->lo = g->hi = 0;	/* bars and areas grow from zero */
	for (size_t i = 0; i < ch->n; i++) {
		double v[2] = { ch->a[i], ch->b ? ch->b[i] : NAN };
		for (int k = 0; k < 2; k++)
			if (isfinite(v[k])) {
				if (v[k] < g->lo) g->lo = v[k];
				if (v[k] > g->hi) g->hi = v[k];
			}
	}
	if (!isfinite(g->lo) || !isfinite(g->hi))
		g->lo = 0, g->hi = 1;
	if (g->hi - g->lo < 1e-12) {
		g->hi += 1;
		g->lo -= 1;
	}
}

static double
gx(const struct geom *g, size_t i)
{
	if (g->n <= 1)
		return g->w / 2.0;
	return PAD + (g->w - 2.0 * PAD) * (double)i / (double)(g->n - 1);
}

static double
gy(const struct geom *g, double v)
{
	return PAD + (g->h - 2.0 * PAD) * (g->hi - v) / (g->hi - g->lo);
}

/* width of one bar */
static double
gbw(const struct geom *g)
{
	double w = (g->w - 2.0 * PAD) / (double)(g->n ? g->n : 1);
	return w > 1 ? w : 1;
}

static double
bx(const struct geom *g, size_t i)
{
	return PAD + gbw(g) * (double)i;
}

void
chart_png(const struct chart *ch, int w, int h, struct tm_buf *out)
{
	struct canvas c;
	struct geom g;

	range(ch, &g, w, h);
	canvas_init(&c, w, h);
	for (int k = 0; k <= 4; k++) {
		int y = PAD + (h - 2 * PAD) * k / 4;
		canvas_rect(&c, PAD, y, w - PAD, y, C_GRID);
	}
	int y0 = (int)lround(gy(&g, 0));
	if (ch->kind == CH_BARS) {
		double bw = gbw(&g);
		for (size_t i = 0; i < ch->n; i++) {
			if (!isfinite(ch->a[i]))
				continue;
			int x0 = (int)bx(&g, i), x1 = (int)(bx(&g, i) + bw) - 1;
			if (bw > 3)
				x1--;
			if (x1 < x0)
				x1 = x0;
			canvas_rect(&c, x0, y0, x1, (int)lround(gy(&g,
			    ch->a[i])), ch->a[i] >= 0 ? C_UP : C_DOWN);
		}
	} else if (ch->kind == CH_AREA) {
		for (size_t i = 0; i < ch->n; i++) {
			if (!isfinite(ch->a[i]))
				continue;
			int xa = (int)lround(gx(&g, i));
			int xb = i + 1 < ch->n ? (int)lround(gx(&g, i + 1)) : xa;
			canvas_rect(&c, xa, y0, xb, (int)lround(gy(&g,
			    ch->a[i])), C_DD);
		}
	} else {
		for (int s = 1; s >= 0; s--) {
			const double *v = s ? ch->b : ch->a;
			if (!v)
				continue;
			for (size_t i = 0; i < ch->n; i++) {
				if (!isfinite(v[i]))
					continue;
				size_t j = i + 1 < ch->n && isfinite(v[i + 1]) ?
				    i + 1 : i;
				canvas_line(&c, (int)lround(gx(&g, i)),
				    (int)lround(gy(&g, v[i])),
				    (int)lround(gx(&g, j)),
				    (int)lround(gy(&g, v[j])),
				    s ? C_BENCH : C_VALUE, 2);
			}
		}
	}
	if (g.lo <= 0 && g.hi >= 0)
		canvas_rect(&c, PAD, y0, w - PAD, y0, C_AXIS);
	png_encode(&c, out);
	canvas_free(&c);
}

static void
svg_poly(struct tm_buf *b, const struct geom *g, const double *v, size_t n,
    const char *colour)
{
	tm_buf_addf(b,
	    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
	    "points=\"", colour);
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			tm_buf_addf(b, "%.1f,%.1f ", gx(g, i), gy(g, v[i]));
	tm_buf_adds(b, "\"/>");
}

/* Inline SVG: scales with its container (viewBox, width 100%). */
void
chart_svg(const struct chart *ch, int w, int h, struct tm_buf *b)
{
	struct geom g;

	range(ch, &g, w, h);
	tm_buf_addf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
	    "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"", w, h);
	bhtml(b, ch->title);
	tm_buf_adds(b, "\"><title>");
	bhtml(b, ch->title);
	tm_buf_adds(b, "</title>");
	for (int k = 0; k <= 4; k++)
		tm_buf_addf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"#e4e4e4\"/>", PAD, w - PAD,
		    PAD + (h - 2 * PAD) * k / 4, PAD + (h - 2 * PAD) * k / 4);
	double y0 = gy(&g, 0);
	if (ch->kind == CH_BARS) {
		double bw = gbw(&g);
		for (size_t i = 0; i < ch->n; i++) {
			if (!isfinite(ch->a[i]))
				continue;
			double y = gy(&g, ch->a[i]);
			tm_buf_addf(b,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"/>", bx(&g, i),
			    y < y0 ? y : y0, bw > 3 ? bw - 1 : bw,
			    fabs(y - y0) < 0.5 ? 0.5 : fabs(y - y0),
			    ch->a[i] >= 0 ? "#2ca02c" : "#d62728");
		}
	} else if (ch->kind == CH_AREA) {
		tm_buf_addf(b, "<polygon fill=\"#f09696\" points=\"%.1f,%.1f ",
		    gx(&g, 0), y0);
		for (size_t i = 0; i < ch->n; i++)
			if (isfinite(ch->a[i]))
				tm_buf_addf(b, "%.1f,%.1f ", gx(&g, i),
				    gy(&g, ch->a[i]));
		tm_buf_addf(b, "%.1f,%.1f\"/>",
		    gx(&g, ch->n ? ch->n - 1 : 0), y0);
	} else {
		if (ch->b)
			svg_poly(b, &g, ch->b, ch->n, "#ff7f0e");
		svg_poly(b, &g, ch->a, ch->n, "#1f77b4");
	}
	if (g.lo <= 0 && g.hi >= 0)
		tm_buf_addf(b,
		    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#6e6e6e\"/>", PAD, w - PAD, y0, y0);
	tm_buf_adds(b, "</svg>");
}
