/* state.c - tm-diff's portfolio.json and journal.jsonl (tm-diff(1),
 * PORTFOLIO STATE): load, repair, replace atomically, append. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

void
state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
	s->index = s->peak = 1;
	s->cash = 1;
	s->m1 = 1;
	s->pend_cash = 1;
	s->bench_last = NAN;
}

void
state_free(struct state *s)
{
	for (int i = 0; i < s->npos; i++)
		free(s->pos[i].ticker);
	for (int i = 0; i < s->npend; i++)
		free(s->pend[i].ticker);
	free(s->pos);
	free(s->pend);
	if (s->journal)
		json_decref(s->journal);
	memset(s, 0, sizeof(*s));
}

static double
num(json_t *o, const char *k, const char *path)
{
	json_t *v = json_object_get(o, k);

	if (json_is_null(v))
		return NAN;
	if (!json_is_number(v))
		tm_die(EX_DATAERR, "%s: '%s' missing or not a number", path, k);
	return json_number_value(v);
}

static void
str(json_t *o, const char *k, char *buf, size_t len, const char *path)
{
	const char *v = json_string_value(json_object_get(o, k));

	if (!v)
		tm_die(EX_DATAERR, "%s: '%s' missing or not a string", path, k);
	snprintf(buf, len, "%s", v);
}

/* The date of the journal's last line, "" when none. */
static void
journal_last(const char *path, char *date)
{
	json_t *j = tm_jsonl_last(path);
	const char *d = json_string_value(json_object_get(j, "date"));

	*date = 0;
	if (d)
		snprintf(date, 11, "%s", d);
	json_decref(j);
}

int
state_load(struct state *s, const char *dir)
{
	char path[4096], jpath[4096], jd[11];
	json_error_t err;
	json_t *j, *a;
	size_t i;

	state_init(s);
	snprintf(path, sizeof(path), "%s/portfolio.json", dir);
	snprintf(jpath, sizeof(jpath), "%s/journal.jsonl", dir);
	if (!(j = json_load_file(path, 0, &err))) {
		FILE *fp = fopen(path, "r");

		if (!fp && errno == ENOENT)
			return 1;
		if (fp)
			fclose(fp);
		tm_die(EX_DATAERR, "%s:%d: %s", path, err.line, err.text);
	}
	s->exists = 1;
	str(j, "date", s->date, sizeof(s->date), path);
	str(j, "month", s->month, sizeof(s->month), path);
	str(j, "model", s->model, sizeof(s->model), path);
	str(j, "layout", s->layout, sizeof(s->layout), path);
	s->N = (int)num(j, "slots", path);
	s->capital = num(j, "capital", path);
	s->index = num(j, "index", path);
	s->peak = num(j, "hwm_index", path);
	s->month_start = num(j, "month_start", path);
	s->cash = num(j, "cash", path);
	s->m1 = num(j, "m1", path);
	s->cost = num(j, "cost", path);
	s->bench_last = num(j, "bench", path);
	s->losing = (int)num(j, "losing", path);
	/* Absent in a state written before the stop re-armed: not stopped. */
	json_t *sl = json_object_get(j, "stop_days_left");
	s->stopleft = 0;
	if (sl && (!json_is_integer(sl) || json_integer_value(sl) < 0 ||
	    json_integer_value(sl) > 100000))
		tm_die(EX_DATAERR, "%s: stop_days_left: not a day count", path);
	if (sl)
		s->stopleft = (int)json_integer_value(sl);
	a = json_object_get(j, "positions");
	if (!json_is_array(a))
		tm_die(EX_DATAERR, "%s: no positions array", path);
	s->npos = (int)json_array_size(a);
	s->pos = ecalloc(s->npos + 1, sizeof(*s->pos));
	for (i = 0; i < json_array_size(a); i++) {
		json_t *p = json_array_get(a, i);
		struct pos *q = &s->pos[i];
		char t[256];

		str(p, "ticker", t, sizeof(t), path);
		q->ticker = estrdup(t);
		q->slot = (int)num(p, "slot", path);
		q->w = num(p, "weight", path);
		q->shares = num(p, "shares", path);
		q->basis = num(p, "basis", path);
		q->price = num(p, "price", path);
		str(p, "entry", q->entry, sizeof(q->entry), path);
		q->days = (int)num(p, "days", path);
		q->nobar = (int)num(p, "nobar", path);
		if (q->slot < 0 || q->slot >= s->N)
			tm_die(EX_DATAERR, "%s: %s: slot out of range", path, t);
	}
	a = json_object_get(j, "pending");
	s->pend_cash = num(j, "pending_cash", path);
	if (!json_is_array(a))
		tm_die(EX_DATAERR, "%s: no pending array", path);
	s->npend = (int)json_array_size(a);
	s->pend = ecalloc(s->npend + 1, sizeof(*s->pend));
	for (i = 0; i < json_array_size(a); i++) {
		json_t *p = json_array_get(a, i);
		char t[256];

		str(p, "ticker", t, sizeof(t), path);
		s->pend[i].ticker = estrdup(t);
		s->pend[i].slot = (int)num(p, "slot", path);
		s->pend[i].target = num(p, "target", path);
		s->pend[i].hold = json_is_true(json_object_get(p, "hold"));
		if (s->pend[i].slot < 0 || s->pend[i].slot >= s->N)
			tm_die(EX_DATAERR, "%s: %s: slot out of range", path, t);
	}
	a = json_object_get(j, "history");
	json_t *hr = json_object_get(a, "ret"), *hb = json_object_get(a,
	    "bench");
	s->nh = (int)json_array_size(hr);
	if (s->nh > HIST || json_array_size(hb) != (size_t)s->nh)
		tm_die(EX_DATAERR, "%s: bad history", path);
	for (int k = 0; k < s->nh; k++) {
		s->hret[k] = json_number_value(json_array_get(hr, k));
		s->hbench[k] = json_number_value(json_array_get(hb, k));
	}
	s->journal = json_incref(json_object_get(j, "journal"));
	json_decref(j);

	/* portfolio.json is replaced before the journal is appended: a
	 * crash between the two leaves the journal one day short, and the
	 * state carries that day's line to finish the job. */
	journal_last(jpath, jd);
	if (s->journal && json_is_object(s->journal) && strcmp(jd,
	    s->date) < 0) {
		char *line = json_dumps(s->journal, JSON_COMPACT);

		if (!line || tm_append_line(jpath, line) == -1)
			tm_die(EX_CANTCREAT, "%s: cannot repair", jpath);
		tm_warn("%s: appended the line of %s a crash had left out",
		    jpath, s->date);
		free(line);
	}
	return 0;
}

void
state_save(const struct state *s, const char *dir)
{
	char path[4096], jpath[4096];
	json_t *j = json_object(), *a = json_array(), *p, *h;

	snprintf(path, sizeof(path), "%s/portfolio.json", dir);
	snprintf(jpath, sizeof(jpath), "%s/journal.jsonl", dir);
	json_object_set_new(j, "format", json_integer(1));
	json_object_set_new(j, "date", json_string(s->date));
	json_object_set_new(j, "month", json_string(s->month));
	json_object_set_new(j, "model", json_string(s->model));
	json_object_set_new(j, "layout", json_string(s->layout));
	json_object_set_new(j, "slots", json_integer(s->N));
	json_object_set_new(j, "capital", json_real(s->capital));
	json_object_set_new(j, "value", json_real(s->capital * s->index));
	json_object_set_new(j, "hwm", json_real(s->capital * s->peak));
	json_object_set_new(j, "index", json_real(s->index));
	json_object_set_new(j, "hwm_index", json_real(s->peak));
	json_object_set_new(j, "month_start", json_real(s->month_start));
	json_object_set_new(j, "cash", json_real(s->cash));
	json_object_set_new(j, "m1", json_real(s->m1));
	json_object_set_new(j, "cost", json_real(s->cost));
	json_object_set_new(j, "bench", isfinite(s->bench_last) ?
	    json_real(s->bench_last) : json_null());
	json_object_set_new(j, "losing", json_integer(s->losing));
	json_object_set_new(j, "stop_days_left", json_integer(s->stopleft));
	for (int i = 0; i < s->npos; i++) {
		const struct pos *q = &s->pos[i];

		p = json_pack("{s:s, s:i, s:f, s:f, s:f, s:f, s:s, s:i, s:i}",
		    "ticker", q->ticker, "slot", q->slot, "weight", q->w,
		    "shares", q->shares, "basis", q->basis, "price", q->price,
		    "entry", q->entry, "days", q->days, "nobar", q->nobar);
		json_array_append_new(a, p);
	}
	json_object_set_new(j, "positions", a);
	a = json_array();
	for (int i = 0; i < s->npend; i++) {
		p = json_pack("{s:s, s:i, s:f, s:b}", "ticker",
		    s->pend[i].ticker, "slot", s->pend[i].slot, "target",
		    s->pend[i].target, "hold", s->pend[i].hold);
		json_array_append_new(a, p);
	}
	json_object_set_new(j, "pending", a);
	json_object_set_new(j, "pending_cash", json_real(s->pend_cash));
	h = json_object();
	a = json_array();
	json_t *b = json_array();
	for (int k = 0; k < s->nh; k++) {
		json_array_append_new(a, json_real(s->hret[k]));
		json_array_append_new(b, json_real(s->hbench[k]));
	}
	json_object_set_new(h, "ret", a);
	json_object_set_new(h, "bench", b);
	json_object_set_new(j, "history", h);
	if (s->journal)
		json_object_set(j, "journal", s->journal);
	char *text = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
	if (!text || tm_atomic_write(path, text, strlen(text), 0644) == -1)
		tm_die(EX_CANTCREAT, "%s: cannot write the state", path);
	free(text);
	json_decref(j);
	if (s->journal) {
		char *line = json_dumps(s->journal, JSON_COMPACT |
		    JSON_REAL_PRECISION(17));

		if (!line || tm_append_line(jpath, line) == -1)
			tm_die(EX_CANTCREAT, "%s: cannot append", jpath);
		free(line);
	}
}

void
state_journal_reset(const char *dir, const char *date, const char *reason)
{
	char jpath[4096];
	json_t *j = json_pack("{s:s, s:s}", "date", date, "reset", reason);
	char *line = json_dumps(j, JSON_COMPACT);

	snprintf(jpath, sizeof(jpath), "%s/journal.jsonl", dir);
	if (!line || tm_append_line(jpath, line) == -1)
		tm_die(EX_CANTCREAT, "%s: cannot append", jpath);
	free(line);
	json_decref(j);
}
