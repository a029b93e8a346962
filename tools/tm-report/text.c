/* text.c - the terminal report: every line within 100 columns. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define NBUY 25
#define NSELL 15
#define TW 12			/* ticker column */

static void
recs_table(const struct report *r, struct tm_buf *b, int action, size_t max)
{
	size_t *idx, n;
	char t1[32], t2[32], t3[32], t4[32];

	recs_sorted(r, action, &idx, &n);
	tm_buf_addf(b, "\n%s: %zu", action > 0 ? "BUY" : "SELL", n);
	if (n > max)
		tm_buf_addf(b, " (top %zu shown)", max);
	tm_buf_adds(b, "\n");
	if (n) {
		tm_buf_addf(b, "  %-*s %8s %8s %12s %12s %5s  %s\n", TW,
		    "TICKER", "TARGET", "CHANGE", "SHARES", "PRICE", "CONF",
		    "REASON");
	}
	for (size_t k = 0; k < n && k < max; k++) {
		const struct rec *x = &r->recs[idx[k]];
		tm_buf_adds(b, "  ");
		btext(b, x->ticker, TW);
		fpct(t1, x->target);
		fpct(t2, x->delta);
		tm_buf_addf(b, " %8s %8s %12s %12s %5.2f  ",
		    t1[0] == '+' ? t1 + 1 : t1, t2, fnum(t3, x->shares, 0),
		    fnum(t4, x->price, 2), isfinite(x->conf) ? x->conf : 0);
		btext(b, reason_name(r, x->reason), 30);
		while (b->n && b->p[b->n - 1] == ' ')
			b->p[--b->n] = '\0';
		tm_buf_adds(b, "\n");
	}
	free(idx);
}

/* A comma list broken into lines that fit, indented. */
static void
wrapped(struct tm_buf *b, const char *label, const char *list)
{
	size_t n;
	char **v = tm_split(list, ',', &n);
	int col = (int)strlen(label);

	tm_buf_adds(b, label);

	for (size_t i = 0; i < n; i++) {
		int w = (int)strlen(v[i]) + 2;
		if (col + w > 98) {
			tm_buf_adds(b, "\n   ");
			col = 3;
		}
		tm_buf_adds(b, " ");
		btext(b, v[i], 1000);
		if (i + 1 < n)
			tm_buf_adds(b, ",");
		col += w;
	}
	tm_buf_adds(b, "\n");
	tm_strv_free(v);
}

void
write_text(const struct report *r, struct tm_buf *b)
{
	char t1[32], t2[32], t3[32], t4[32];
	const struct perf *p = &r->perf;

	tm_buf_adds(b, "TMagikarp ");
	tm_buf_adds(b, r->monthly ? "monthly report " : "daily report ");
	btext(b, r->date[0] ? r->date : "(no date yet)", 1000);
	if (r->model && *r->model) {
		tm_buf_adds(b, "  model ");
		btext(b, r->model, 40);
		while (b->p[b->n - 1] == ' ')
			b->p[--b->n] = '\0';
	}
	tm_buf_adds(b, "\n");

	/* alerts first: they are what a reader must act on */
	if (r->have_recs && (*r->critical || *r->warnings || *r->fired)) {
		tm_buf_adds(b, "\nALERTS\n");
		if (*r->critical)
			wrapped(b, "  CRITICAL:", r->critical);
		if (*r->warnings)
			wrapped(b, "  warnings:", r->warnings);
		if (*r->fired)
			wrapped(b, "  rules fired:", r->fired);
	}

	tm_buf_adds(b, "\nPORTFOLIO\n");
	double pnl = r->pnl;
	if (!isfinite(pnl) && r->ndays >= 2)
		pnl = r->days[r->ndays - 1].value - r->days[r->ndays - 2].value;
	double cash = r->cash;
	tm_buf_addf(b, "  value %s  cash %s  daily P&L %s\n",
	    fnum(t1, r->value, 2), isfinite(cash) ? fpct(t2, cash) + 1 :
	    fnum(t2, r->st_cash, 2), fnum(t3, pnl, 2));
	tm_buf_addf(b, "  month to date %s  drawdown %s  since start %s"
	    "  benchmark %s\n", fpct(t1, p->mtd), fpct(t2, p->dd),
	    fpct(t3, p->ret), fpct(t4, p->bench_ret));
	if (r->nholds) {
		tm_buf_addf(b, "  %-*s %12s %12s %8s\n", TW, "HOLDING",
		    "SHARES", "PRICE", "WEIGHT");
		for (size_t i = 0; i < r->nholds; i++) {
			const struct hold *h = &r->holds[i];
			tm_buf_adds(b, "  ");
			btext(b, h->ticker, TW);
			fpct(t3, h->weight);
			tm_buf_addf(b, " %12s %12s %8s\n", fnum(t1, h->shares,
			    0), fnum(t2, h->price, 2),
			    t3[0] == '+' ? t3 + 1 : t3);
		}
	} else if (!r->have_state)
		tm_buf_adds(b, "  holdings: none yet (no portfolio state)\n");
	else
		tm_buf_adds(b, "  holdings: none (all cash)\n");

	if (!r->have_recs)
		tm_buf_adds(b, "\nRECOMMENDATIONS: none yet\n");
	else {
		recs_table(r, b, 1, NBUY);
		recs_table(r, b, -1, NSELL);
	}

	tm_buf_adds(b, "\nPERFORMANCE");
	if (!p->n)
		tm_buf_adds(b, ": none yet (no journal)\n");
	else {
		tm_buf_addf(b,
		    " (%zu days)\n  Sharpe %.2f  Sortino %.2f  win rate "
		    "%.0f%%  alpha %s  beta %.2f  max drawdown %s\n", p->n,
		    p->sharpe, p->sortino, p->win * 100, fpct(t1, p->alpha),
		    p->beta, fpct(t2, p->maxdd));
		tm_buf_addf(b,
		    "  BUY success 30d %.0f%% of %d, 90d %.0f%% of %d;"
		    "  SELL success 30d %.0f%% of %d, 90d %.0f%% of %d\n",
		    p->buy30 * 100, p->nbuy30, p->buy90 * 100, p->nbuy90,
		    p->sell30 * 100, p->nsell30, p->sell90 * 100, p->nsell90);
	}
	if (r->monthly && r->month.n) {
		const struct perf *m = &r->month;
		tm_buf_addf(b,
		    "  this month: return %s  benchmark %s  Sharpe %.2f"
		    "  max drawdown %s\n", fpct(t1, m->ret),
		    fpct(t2, m->bench_ret), m->sharpe, fpct(t3, m->maxdd));
	}

	tm_buf_adds(b, "\nMODELS");
	if (!r->models || !json_array_size(r->models))
		tm_buf_adds(b, ": none yet (no registry)\n");
	else {
		tm_buf_adds(b, "\n");
		size_t i;
		json_t *m;
		json_array_foreach(r->models, i, m) {
			json_t *st = json_object_get(m, "status");
			const char *s = json_is_string(st) ?
			    json_string_value(st) : "?";
			if (!r->monthly && strcmp(s, "live") &&
			    strcmp(s, "shadow"))
				continue;
			tm_buf_adds(b, "  ");
			btext(b, s, 10);
			tm_buf_adds(b, " ");
			btext(b, json_string_value(json_object_get(m,
			    "version")), 20);
			json_t *a = json_object_get(m, "algo");
			tm_buf_adds(b, " ");
			btext(b, json_is_string(a) ? json_string_value(a) : "",
			    8);
			json_t *g = json_object_get(m, "gate");
			const char *k;
			json_t *v;
			int col = 44;
			json_object_foreach(g, k, v) {
				char *s2 = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6) |
				    JSON_COMPACT);
				int w = (int)(strlen(k) + strlen(s2)) + 2;
				if (col + w > 98) {
					tm_buf_adds(b, "\n            ");
					col = 12;
				}
				tm_buf_adds(b, " ");
				btext(b, k, 1000);
				tm_buf_adds(b, "=");
				btext(b, s2, 1000);
				col += w;
				free(s2);
			}
			tm_buf_adds(b, "\n");
		}
	}

	tm_buf_adds(b, "\nHEALTH");
	if (!r->have_log)
		tm_buf_adds(b, ": none yet (no run log)\n");
	else {
		size_t *idx, n = last_runs(r, &idx);
		int ok, all;
		fetch_rate(r, 30, &ok, &all);
		tm_buf_addf(b, "  (fetch success, 30 days: %d of %d)\n", ok,
		    all);
		for (size_t k = 0; k < n; k++) {
			const struct run *x = &r->runs[idx[k]];
			tm_buf_adds(b, "  ");
			btext(b, x->tool, 14);
			tm_buf_adds(b, " ");
			btext(b, x->start, 20);
			tm_buf_addf(b, " exit %-3d %8.2f s\n", x->exit,
			    x->seconds);
		}
		free(idx);
		n = recent_errors(r, 7, &idx);
		if (n)
			tm_buf_addf(b, "  errors in the last 7 days: %zu\n", n);
		for (size_t k = 0; k < n && k < 10; k++) {
			const struct run *x = &r->runs[idx[k]];
			tm_buf_adds(b, "  ");
			btext(b, x->start, 20);
			tm_buf_adds(b, " ");
			btext(b, x->tool, 14);
			tm_buf_addf(b, " exit %-3d ", x->exit);
			btext(b, x->args, 48);
			while (b->p[b->n - 1] == ' ')
				b->p[--b->n] = '\0';
			tm_buf_adds(b, "\n");
		}
		free(idx);
	}
}
