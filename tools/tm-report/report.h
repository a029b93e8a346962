/* report.h - what tm-report reads, what it computes, and its writers. */
#ifndef REPORT_H
#define REPORT_H

#include <stdint.h>
#include "tm.h"

/* Every writer builds its output in a struct tm_buf (libcommon) first,
 * so a failure never leaves half a report behind. */
/* s escaped for HTML text and attribute values (& < > " '). */
void bhtml(struct tm_buf *b, const char *s);
/* s for a terminal: bytes below 0x20 and DEL become '?', at most w
 * bytes (UTF-8 sequences kept whole). */
void btext(struct tm_buf *b, const char *s, int w);
/* Numbers for people, into a 32-byte buffer: 1,234,567.89 with dec
 * decimals; a signed percentage +1.23% of a fraction; "-" for NaN. */
char *fnum(char *buf, double v, int dec);
char *fpct(char *buf, double v);

/* One row of the recommendation stream. */
struct rec {
	char *ticker;
	int action;		/* 1 BUY, 0 HOLD, -1 SELL */
	double target, current, delta, shares, price, conf;
	int reason;
};

/* One journal line that applied a day (resets are not days). */
struct day {
	int32_t date;
	double value, bench, cash;
	int ntrades;
};

/* One trade of the journal. */
struct trade {
	int32_t date;
	char *ticker;
	int action;
	double shares, price;
};

/* One line of the run log. */
struct run {
	char *tool, *start, *args;
	double seconds;
	int exit;
};

/* A holding of the portfolio state. */
struct hold {
	char *ticker;
	double shares, price, weight;
};

/* One slot of the slot stream's last frame. */
struct slot {
	char *label;
	int region;
	int age;		/* trading days since the last finite close;
				 * -1 when never seen in the stream */
};

/* The performance figures of an equity history (perf.c). */
struct perf {
	size_t n;		/* days used */
	double ret, bench_ret;	/* total, as fractions */
	double mtd, dd, maxdd;	/* month to date, today's and worst drawdown */
	double sharpe, sortino, win, alpha, beta, vol;
	double buy30, sell30, buy90, sell90; /* success rates, NaN when none */
	int nbuy30, nsell30, nbuy90, nsell90;
};

struct report {
	/* inputs, as named */
	const char *recs_path, *state_dir, *log_dir, *models_dir, *slots_path;
	const char *from, *to;
	int monthly;

	/* the recommendation stream */
	int have_recs;
	char date[11];		/* the day reported: recs' date or journal's last */
	double value, cash, hwm, pnl;
	char *model, *fired, *warnings, *critical;
	char **reasons;
	size_t nreasons;
	struct rec *recs;
	size_t nrecs;

	/* the state */
	int have_state;
	double st_value, st_cash, st_hwm;
	char *st_model, *st_date;
	struct hold *holds;
	size_t nholds;
	int have_journal;
	struct day *days;	/* since the last reset */
	size_t ndays;
	struct trade *trades;
	size_t ntrades;

	/* the run log, in file order */
	int have_log;
	struct run *runs;
	size_t nruns;

	/* the registry: an array of version objects, or NULL */
	json_t *models;

	/* the slots */
	int have_slots;
	char slots_date[11];
	struct slot *slots;
	size_t nslots;

	struct perf perf, month;	/* all history; this month (--monthly) */
	int32_t month_start;		/* first day of the reported month */
};

/* load.c: fill r from the paths it names; exits on malformed input. */
void load_all(struct report *r);
void report_free(struct report *r);
/* The name of a reason index ("policy" when out of range). */
const char *reason_name(const struct report *r, int i);

/* perf.c: figures of r->days[from .. n), trades from day `since`. */
void perf_compute(const struct report *r, size_t from, struct perf *p);
/* Index of the first day of r->days on or after day d. */
size_t day_index(const struct report *r, int32_t d);
/* Ordering of recommendations for the lists: BUY by target desc, etc. */
void recs_sorted(const struct report *r, int action, size_t **idx,
    size_t *n);

/* The last run of each tool, indices into r->runs sorted by tool. */
size_t last_runs(const struct report *r, size_t **idx);
/* tm-fetch runs in the last days before the report date, and how many
 * exited 0. */
void fetch_rate(const struct report *r, int days, int *ok, int *all);
/* Runs that exited non-zero in the last days, newest first. */
size_t recent_errors(const struct report *r, int days, size_t **idx);
/* "critical", "warning" or "info" from the day's alerts. */
const char *severity(const struct report *r);

/* text.c, eml.c, html.c: the three outputs. */
void write_text(const struct report *r, struct tm_buf *b);
void write_eml(const struct report *r, struct tm_buf *b);
void write_html(const struct report *r, struct tm_buf *b);

/* html.c: the panels the mail's HTML part shares with the dashboard. */
void html_head(struct tm_buf *b, const char *title);
void html_alerts(struct tm_buf *b, const struct report *r);
void html_recs(struct tm_buf *b, const struct report *r);
void html_portfolio(struct tm_buf *b, const struct report *r);
void html_figures(struct tm_buf *b, const struct perf *p, const char *title);
void html_models(struct tm_buf *b, const struct report *r, int all);
void html_health(struct tm_buf *b, const struct report *r);

/* png.c: a paletted canvas and its PNG encoding. */
struct canvas {
	int w, h;
	uint8_t *px;		/* w*h palette indices */
};
enum { C_BG, C_GRID, C_AXIS, C_VALUE, C_BENCH, C_UP, C_DOWN, C_DD, C_NCOLOR };
void canvas_init(struct canvas *c, int w, int h);
void canvas_free(struct canvas *c);
void canvas_rect(struct canvas *c, int x0, int y0, int x1, int y1, int col);
void canvas_line(struct canvas *c, int x0, int y0, int x1, int y1, int col,
    int thick);
/* The PNG file of c (8-bit palette, zlib-compressed) into b. */
void png_encode(const struct canvas *c, struct tm_buf *b);

/* chart.c: the charts as series, drawn to PNG or SVG. */
enum chart_kind { CH_LINES, CH_BARS, CH_AREA };
struct chart {
	enum chart_kind kind;
	const char *title;
	size_t n;
	const double *a, *b;	/* series; b may be NULL */
	const char *alabel, *blabel;
};
void chart_png(const struct chart *ch, int w, int h, struct tm_buf *out);
void chart_svg(const struct chart *ch, int w, int h, struct tm_buf *out);
/* Chart series for days[from .. n): value and bench rebased to 100,
 * daily P&L, drawdown in percent.  Arrays are the caller's (free). */
void chart_series(const struct report *r, size_t from, double **val,
    double **bench, double **pnl, double **dd, size_t *n);

#endif
