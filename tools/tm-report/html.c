/* html.c - the HTML panels (shared by the mail's HTML part) and the
 * static dashboard: one file, inline CSS and SVG, no script, nothing
 * fetched.  Every string from an input goes through bhtml(). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:8px;"
    "background:#f6f6f6;color:#222}"
    "h1{font-size:20px;margin:4px 0 8px}h2{font-size:16px;margin:0 0 6px}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fit,"
    "minmax(min(100%,460px),1fr));gap:10px}"
    ".panel{background:#fff;border:1px solid #ddd;border-radius:6px;"
    "padding:10px;overflow-x:auto;min-width:0}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{padding:2px 6px;text-align:right;white-space:nowrap}"
    "th:first-child,td:first-child{text-align:left}"
    "tr:nth-child(even){background:#fafafa}"
    ".buy{color:#1a7f1a}.sell{color:#c21d1d}.crit{background:#fde2e2;"
    "border-color:#e99}.warn{background:#fff4d6;border-color:#e8c66a}"
    ".chart{width:100%;height:160px;display:block;background:#fff}"
    ".legend span{margin-right:10px}.kv td{text-align:left}"
    ".slots{width:100%;display:block}.muted{color:#777}";

void
html_head(struct tm_buf *b, const char *title)
{
	tm_buf_adds(b,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">"
	    /* an empty icon, so a browser asks the server for no favicon */
	    "<link rel=\"icon\" href=\"data:,\"><title>");
	bhtml(b, title);
	tm_buf_addf(b, "</title><style>%s</style></head><body>\n<h1>", css);
	bhtml(b, title);
	tm_buf_adds(b, "</h1>\n");
}

/* The end of a panel with nothing to show: what (a prefix, "" for
 * none) "none yet". */
static void
none_yet(struct tm_buf *b, const char *what)
{
	tm_buf_addf(b, "<p class=\"muted\">%snone yet</p></div>\n", what);
}

/* A panel's head and, when have is 0, its "none yet" end; returns have,
 * so that a caller writes the panel's body only then. */
static int
panel(struct tm_buf *b, const char *title, int have, const char *what)
{
	tm_buf_addf(b, "<div class=\"panel\"><h2>%s</h2>\n", title);
	if (!have)
		none_yet(b, what);
	return have;
}

static void
td(struct tm_buf *b, const char *s)
{
	tm_buf_adds(b, "<td>");
	bhtml(b, s);
	tm_buf_adds(b, "</td>");
}

static void
tdnum(struct tm_buf *b, double v, int dec)
{
	char t[32];
	td(b, fnum(t, v, dec));
}

static void
tdpct(struct tm_buf *b, double v)
{
	char t[32];
	td(b, fpct(t, v));
}

static void
list_items(struct tm_buf *b, const char *label, const char *list)
{
	size_t n;
	char **v = tm_split(list, ',', &n);

	tm_buf_adds(b, "<p><b>");
	bhtml(b, label);
	tm_buf_adds(b, "</b> ");
	for (size_t i = 0; i < n; i++) {
		bhtml(b, v[i]);
		if (i + 1 < n)
			tm_buf_adds(b, ", ");
	}
	tm_buf_adds(b, "</p>\n");
	tm_strv_free(v);
}

void
html_alerts(struct tm_buf *b, const struct report *r)
{
	if (!r->have_recs || (!*r->critical && !*r->warnings && !*r->fired))
		return;
	tm_buf_addf(b, "<div class=\"panel %s\"><h2>Alerts</h2>\n",
	    *r->critical ? "crit" : *r->warnings ? "warn" : "");
	if (*r->critical)
		list_items(b, "Critical:", r->critical);
	if (*r->warnings)
		list_items(b, "Warnings:", r->warnings);
	if (*r->fired)
		list_items(b, "Risk rules fired:", r->fired);
	tm_buf_adds(b, "</div>\n");
}

static void
recs_rows(struct tm_buf *b, const struct report *r, int action, size_t max)
{
	size_t *idx, n;

	recs_sorted(r, action, &idx, &n);
	for (size_t k = 0; k < n && k < max; k++) {
		const struct rec *x = &r->recs[idx[k]];
		tm_buf_addf(b, "<tr class=\"%s\">", action > 0 ? "buy" :
		    action < 0 ? "sell" : "");
		td(b, x->ticker);
		td(b, action > 0 ? "BUY" : action < 0 ? "SELL" : "HOLD");
		tdpct(b, x->target);
		tdpct(b, x->delta);
		tdnum(b, x->shares, 0);
		tdnum(b, x->price, 2);
		tdnum(b, x->conf, 2);
		td(b, reason_name(r, x->reason));
		tm_buf_adds(b, "</tr>\n");
	}
	if (n > max)
		tm_buf_addf(b,
		    "<tr><td colspan=\"8\" class=\"muted\">and %zu more "
		    "%s</td></tr>\n", n - max, action > 0 ? "BUY" : "SELL");
	free(idx);
}

void
html_recs(struct tm_buf *b, const struct report *r)
{
	if (!panel(b, "Today's recommendations", r->have_recs, ""))
		return;
	tm_buf_adds(b,
	    "<table><tr><th>Ticker</th><th>Action</th><th>Target</th>"
	    "<th>Change</th><th>Shares</th><th>Price</th><th>Conf.</th>"
	    "<th>Reason</th></tr>\n");
	recs_rows(b, r, 1, 25);
	recs_rows(b, r, -1, 15);
	tm_buf_adds(b, "</table></div>\n");
}

void
html_portfolio(struct tm_buf *b, const struct report *r)
{
	const struct perf *p = &r->perf;
	double pnl = r->pnl;

	if (!isfinite(pnl) && r->ndays >= 2)
		pnl = r->days[r->ndays - 1].value - r->days[r->ndays - 2].value;
	tm_buf_adds(b,
	    "<div class=\"panel\"><h2>Portfolio</h2>\n<table class=\"kv\">"
	    "<tr><td>Value</td>");
	tdnum(b, r->value, 2);
	tm_buf_adds(b, "</tr><tr><td>Cash</td>");
	if (isfinite(r->cash))
		tdpct(b, r->cash);
	else
		tdnum(b, r->st_cash, 2);
	tm_buf_adds(b, "</tr><tr><td>Daily P&amp;L</td>");
	tdnum(b, pnl, 2);
	tm_buf_adds(b, "</tr><tr><td>Month to date</td>");
	tdpct(b, p->mtd);
	tm_buf_adds(b, "</tr><tr><td>Drawdown</td>");
	tdpct(b, p->dd);
	tm_buf_adds(b, "</tr></table>\n");
	if (!r->have_state) {
		none_yet(b, "holdings: ");
		return;
	}
	tm_buf_adds(b,
	    "<table><tr><th>Holding</th><th>Shares</th><th>Price</th>"
	    "<th>Weight</th></tr>\n");
	for (size_t i = 0; i < r->nholds; i++) {
		tm_buf_adds(b, "<tr>");
		td(b, r->holds[i].ticker);
		tdnum(b, r->holds[i].shares, 0);
		tdnum(b, r->holds[i].price, 2);
		tdpct(b, r->holds[i].weight);
		tm_buf_adds(b, "</tr>\n");
	}
	tm_buf_adds(b, "</table></div>\n");
}

void
html_figures(struct tm_buf *b, const struct perf *p, const char *title)
{
	char t[32];

	tm_buf_adds(b, "<table class=\"kv\">");
	tm_buf_addf(b, "<tr><th colspan=\"2\">");
	bhtml(b, title);
	tm_buf_addf(b, " (%zu days)</th></tr>", p->n);
	tm_buf_addf(b, "<tr><td>Return</td><td>%s</td></tr>", fpct(t, p->ret));
	tm_buf_addf(b, "<tr><td>Benchmark</td><td>%s</td></tr>",
	    fpct(t, p->bench_ret));
	tm_buf_addf(b, "<tr><td>Sharpe</td><td>%s</td></tr>",
	    fnum(t, p->sharpe, 2));
	tm_buf_addf(b, "<tr><td>Sortino</td><td>%s</td></tr>",
	    fnum(t, p->sortino, 2));
	tm_buf_addf(b, "<tr><td>Win rate</td><td>%s</td></tr>",
	    fnum(t, p->win * 100, 0));
	tm_buf_addf(b, "<tr><td>Alpha (annual)</td><td>%s</td></tr>",
	    fpct(t, p->alpha));
	tm_buf_addf(b, "<tr><td>Beta</td><td>%s</td></tr>",
	    fnum(t, p->beta, 2));
	tm_buf_addf(b, "<tr><td>Max drawdown</td><td>%s</td></tr>",
	    fpct(t, p->maxdd));
	tm_buf_addf(b, "<tr><td>BUY success 30 / 90 d</td><td>%s%% of %d / ",
	    fnum(t, p->buy30 * 100, 0), p->nbuy30);
	tm_buf_addf(b, "%s%% of %d</td></tr>", fnum(t, p->buy90 * 100, 0),
	    p->nbuy90);
	tm_buf_addf(b, "<tr><td>SELL success 30 / 90 d</td><td>%s%% of %d / ",
	    fnum(t, p->sell30 * 100, 0), p->nsell30);
	tm_buf_addf(b, "%s%% of %d</td></tr>", fnum(t, p->sell90 * 100, 0),
	    p->nsell90);
	tm_buf_adds(b, "</table>\n");
}

static void
json_cell(struct tm_buf *b, const json_t *o)
{
	const char *k;
	json_t *v;
	int first = 1;

	tm_buf_adds(b, "<td>");
	json_object_foreach((json_t *)o, k, v) {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(6));
		if (!first)
			tm_buf_adds(b, ", ");
		bhtml(b, k);
		tm_buf_adds(b, "=");
		bhtml(b, s);
		free(s);
		first = 0;
	}
	tm_buf_adds(b, "</td>");
}

static const char *
jstr(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* live, shadow, candidates (and retired when all is set), with their
 * gate results. */
void
html_models(struct tm_buf *b, const struct report *r, int all)
{
	static const char *order[] = { "live", "shadow", "candidate",
	    "retired" };
	if (!panel(b, "Models", r->models && json_array_size(r->models), ""))
		return;
	tm_buf_adds(b, "<table><tr><th>Version</th><th>Status</th><th>Algo</th>"
	    "<th>Window</th><th>Added</th><th>Metrics</th><th>Gate</th>"
	    "</tr>\n");
	for (int o = 0; o < (all ? 4 : 3); o++) {
		size_t i;
		json_t *m;
		json_array_foreach(r->models, i, m) {
			if (strcmp(jstr(m, "status"), order[o]))
				continue;
			tm_buf_adds(b, "<tr>");
			td(b, jstr(m, "version"));
			td(b, jstr(m, "status"));
			td(b, jstr(m, "algo"));
			tm_buf_adds(b, "<td>");
			bhtml(b, jstr(m, "from"));
			tm_buf_adds(b, " &ndash; ");
			bhtml(b, jstr(m, "to"));
			tm_buf_adds(b, "</td>");
			td(b, jstr(m, "added"));
			json_cell(b, json_object_get(m, "metrics"));
			json_cell(b, json_object_get(m, "gate"));
			tm_buf_adds(b, "</tr>\n");
		}
	}
	tm_buf_adds(b, "</table></div>\n");
}

void
html_health(struct tm_buf *b, const struct report *r)
{
	if (!panel(b, "System health", r->have_log, "run log: "))
		return;
	int ok, all;
	fetch_rate(r, 30, &ok, &all);
	tm_buf_addf(b, "<p>Data fetch success, 30 days: %d of %d", ok, all);
	if (all)
		tm_buf_addf(b, " (%.0f%%)", 100.0 * ok / all);
	tm_buf_adds(b,
	    "</p>\n<table><tr><th>Tool</th><th>Last run</th><th>Exit</th>"
	    "<th>Seconds</th></tr>\n");
	size_t *idx, n = last_runs(r, &idx);
	for (size_t k = 0; k < n; k++) {
		const struct run *x = &r->runs[idx[k]];
		tm_buf_addf(b, "<tr class=\"%s\">", x->exit ? "sell" : "");
		td(b, x->tool);
		td(b, x->start);
		tm_buf_addf(b, "<td>%d</td>", x->exit);
		tdnum(b, x->seconds, 2);
		tm_buf_adds(b, "</tr>\n");
	}
	tm_buf_adds(b, "</table>\n");
	free(idx);
	n = recent_errors(r, 7, &idx);
	tm_buf_addf(b, "<h2>Errors, last 7 days: %zu</h2>\n", n);
	if (n) {
		tm_buf_adds(b,
		    "<table><tr><th>Start</th><th>Tool</th><th>Exit</th>"
		    "<th>Arguments</th></tr>\n");
		for (size_t k = 0; k < n && k < 30; k++) {
			const struct run *x = &r->runs[idx[k]];
			tm_buf_adds(b, "<tr>");
			td(b, x->start);
			td(b, x->tool);
			tm_buf_addf(b, "<td>%d</td>", x->exit);
			td(b, x->args);
			tm_buf_adds(b, "</tr>\n");
		}
		tm_buf_adds(b, "</table>\n");
	}
	free(idx);
	tm_buf_adds(b, "</div>\n");
}

static void
history(struct tm_buf *b, const struct report *r)
{
	if (!panel(b, "Last 30 days", r->ndays > 0, ""))
		return;
	tm_buf_adds(b, "<table><tr><th>Date</th><th>Value</th><th>P&amp;L</th>"
	    "<th>Benchmark</th><th>Trades</th></tr>\n");
	for (size_t i = r->ndays; i-- > 0 && i + 30 >= r->ndays;) {
		char d[11];
		tm_buf_adds(b, "<tr>");
		td(b, tm_date_fmt(r->days[i].date, d));
		tdnum(b, r->days[i].value, 2);
		tdnum(b, i ? r->days[i].value - r->days[i - 1].value : NAN, 2);
		tdnum(b, r->days[i].bench, 2);
		tm_buf_addf(b, "<td>%d</td></tr>\n", r->days[i].ntrades);
	}
	tm_buf_adds(b, "</table></div>\n");
}

static void
perf_panel(struct tm_buf *b, const struct report *r)
{
	if (!panel(b, "Performance", r->ndays > 0, ""))
		return;
	double *v, *bn, *p, *dd;
	size_t n;
	chart_series(r, 0, &v, &bn, &p, &dd, &n);
	struct chart c1 = { CH_LINES, "Value against benchmark (100 = start)",
	    n, v, bn, "portfolio", "benchmark" };
	struct chart c2 = { CH_BARS, "Daily P&L", n, p, NULL, NULL, NULL };
	struct chart c3 = { CH_AREA, "Drawdown, %", n, dd, NULL, NULL, NULL };
	tm_buf_adds(b,
	    "<p class=\"legend\"><span style=\"color:#1f77b4\">&#9632; "
	    "portfolio</span><span style=\"color:#ff7f0e\">&#9632; "
	    "benchmark</span></p>\n");
	chart_svg(&c1, 600, 160, b);
	tm_buf_adds(b, "\n<p>Daily P&amp;L</p>\n");
	chart_svg(&c2, 600, 160, b);
	tm_buf_adds(b, "\n<p>Drawdown</p>\n");
	chart_svg(&c3, 600, 160, b);
	tm_buf_adds(b, "\n");
	html_figures(b, &r->perf, "Since start");
	free(v);
	free(bn);
	free(p);
	free(dd);
	tm_buf_adds(b, "</div>\n");
}

/* One square per slot: colour by region, lighter as data gets stale;
 * the ticker and its freshness in a tooltip (<title>). */
static void
heatmap(struct tm_buf *b, const struct report *r)
{
	if (!panel(b, "Universe slots", r->have_slots, ""))
		return;
	int cols = 60, cell = 10;
	size_t rows = (r->nslots + (size_t)cols - 1) / (size_t)cols;
	size_t cnt[3] = { 0 }, stale = 0;
	for (size_t i = 0; i < r->nslots; i++) {
		int g = r->slots[i].region;
		cnt[g >= 0 && g <= 2 ? g : 2]++;
		stale += r->slots[i].label[0] && r->slots[i].age != 0;
	}
	tm_buf_addf(b, "<p>%zu active, %zu archive, %zu padding; %zu with no "
	    "close on ", cnt[0], cnt[1], cnt[2], stale);
	bhtml(b, r->slots_date);
	tm_buf_adds(b, "</p><p class=\"legend\"><span style=\"color:#2b7bba\">"
	    "&#9632; active</span><span style=\"color:#e0a030\">&#9632; "
	    "archive</span><span style=\"color:#cccccc\">&#9632; padding"
	    "</span><span style=\"color:#d62728\">&#9632; stale</span></p>\n");
	tm_buf_addf(b, "<svg class=\"slots\" viewBox=\"0 0 %d %zu\">",
	    cols * cell, rows * (size_t)cell);
	for (size_t i = 0; i < r->nslots; i++) {
		const struct slot *s = &r->slots[i];
		const char *col;
		if (!s->label[0] || s->region == TM_REGION_PADDING)
			col = s->region == TM_REGION_PADDING ? "#cccccc" :
			    "#eeeeee";
		else if (s->age != 0)
			col = s->age < 0 || s->age > 5 ? "#d62728" : "#f08080";
		else
			col = s->region == TM_REGION_ACTIVE ? "#2b7bba" :
			    "#e0a030";
		tm_buf_addf(b,
		    "<rect x=\"%zu\" y=\"%zu\" width=\"%d\" height=\"%d\" "
		    "fill=\"%s\"><title>%zu ", i % (size_t)cols * (size_t)cell,
		    i / (size_t)cols * (size_t)cell, cell - 1, cell - 1, col, i);
		bhtml(b, s->label[0] ? s->label : "(empty)");
		if (s->label[0])
			tm_buf_addf(b, s->age < 0 ? ": no close seen" :
			    ": last close %d days ago", s->age);
		tm_buf_adds(b, "</title></rect>");
	}
	tm_buf_adds(b, "</svg></div>\n");
}

void
write_html(const struct report *r, struct tm_buf *b)
{
	struct tm_buf t = { 0 };
	tm_buf_adds(&t, "TMagikarp dashboard ");
	tm_buf_adds(&t, r->date[0] ? r->date : "(no date yet)");
	html_head(b, t.p);
	tm_buf_free(&t);
	html_alerts(b, r);
	tm_buf_adds(b, "<div class=\"grid\">\n");
	html_health(b, r);
	html_recs(b, r);
	history(b, r);
	html_portfolio(b, r);
	perf_panel(b, r);
	html_models(b, r, 0);
	heatmap(b, r);
	tm_buf_adds(b, "</div>\n<p class=\"muted\">Written by tm-report; opens "
	    "from disk, fetches nothing.</p>\n</body></html>\n");
}
