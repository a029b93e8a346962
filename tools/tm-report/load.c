/* load.c - read the day's inputs; a missing one is "none yet", a malformed
 * one stops the report with file:line (exit 65). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static double
jnum(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static char *
jstrdup(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? estrdup(json_string_value(v)) : NULL;
}

/* action from a number (1, 0, -1) or a word (BUY, HOLD, SELL). */
static int
jaction(const json_t *o)
{
	json_t *v = json_object_get(o, "action");
	if (json_is_number(v))
		return json_number_value(v) > 0 ? 1 :
		    json_number_value(v) < 0 ? -1 : 0;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		return strcasecmp(s, "buy") == 0 ? 1 :
		    strcasecmp(s, "sell") == 0 ? -1 : 0;
	}
	return 0;
}

/* fopen for an input that may be absent: NULL when it does not exist,
 * exit 66 when it exists but cannot be opened. */
static FILE *
open_optional(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp && errno != ENOENT)
		tm_die(EX_NOINPUT, "%s:", path);
	return fp;
}

/* One JSON document per line; calls fn for each non-blank line. */
static void
each_jsonl(FILE *fp, const char *path, void (*fn)(struct report *,
    json_t *, const char *, long), struct report *r)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long ln = 0;

	while ((len = getline(&line, &cap, fp)) != -1) {
		json_error_t e;
		ln++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		json_t *j = json_loadb(line, (size_t)len, 0, &e);
		if (!j || !json_is_object(j))
			tm_die(EX_DATAERR, "%s:%ld: %s", path, ln,
			    j ? "not a JSON object" : e.text);
		fn(r, j, path, ln);
		json_decref(j);
	}
	if (ferror(fp))
		tm_die(EX_IOERR, "%s:", path);
	free(line);
}

static int32_t
jdate(const json_t *o, const char *k, const char *path, long ln)
{
	json_t *v = json_object_get(o, k);
	int32_t d;
	if (!json_is_string(v) || tm_date_parse(json_string_value(v), &d))
		tm_die(EX_DATAERR, "%s:%ld: no valid \"%s\" (YYYY-MM-DD)",
		    path, ln, k);
	return d;
}

static void
journal_line(struct report *r, json_t *j, const char *path, long ln)
{
	if (json_object_get(j, "reset")) {
		r->ndays = 0;	/* the equity history restarts */
		return;
	}
	int32_t d = jdate(j, "date", path, ln);
	double v = jnum(j, "value_after");
	if (!isfinite(v))
		tm_die(EX_DATAERR, "%s:%ld: no numeric \"value_after\"", path, ln);
	if (r->ndays && d <= r->days[r->ndays - 1].date) {
		/* A day applied twice changes nothing: keep the later line. */
		if (d == r->days[r->ndays - 1].date)
			r->ndays--;
		else
			tm_die(EX_DATAERR, "%s:%ld: date out of order", path, ln);
	}
	r->days = ereallocarray(r->days, r->ndays + 1, sizeof(*r->days));
	struct day *dy = &r->days[r->ndays++];
	dy->date = d;
	dy->value = v;
	dy->bench = jnum(j, "bench");
	dy->cash = jnum(j, "cash");
	json_t *tr = json_object_get(j, "trades"), *t;
	size_t i;
	dy->ntrades = json_is_array(tr) ? (int)json_array_size(tr) : 0;
	json_array_foreach(tr, i, t) {
		if (!json_is_object(t))
			tm_die(EX_DATAERR, "%s:%ld: trade %zu is not an object",
			    path, ln, i);
		r->trades = ereallocarray(r->trades, r->ntrades + 1,
		    sizeof(*r->trades));
		struct trade *x = &r->trades[r->ntrades++];
		x->date = d;
		x->ticker = jstrdup(t, "ticker");
		if (!x->ticker)
			x->ticker = estrdup("");
		x->action = jaction(t);
		x->shares = jnum(t, "shares");
		x->price = jnum(t, "price");
	}
}

static void
load_state(struct report *r)
{
	char path[4096];
	FILE *fp;
	json_error_t e;

	snprintf(path, sizeof(path), "%s/portfolio.json", r->state_dir);
	if ((fp = open_optional(path))) {
		json_t *j = json_loadf(fp, 0, &e);
		if (!j || !json_is_object(j))
			tm_die(EX_DATAERR, "%s:%d: %s", path, j ? 1 : e.line,
			    j ? "not a JSON object" : e.text);
		fclose(fp);
		r->have_state = 1;
		r->st_value = jnum(j, "value");
		r->st_cash = jnum(j, "cash");
		r->st_hwm = jnum(j, "hwm");
		r->st_model = jstrdup(j, "model");
		r->st_date = jstrdup(j, "date");
		if (!r->st_date)
			r->st_date = jstrdup(j, "last_date");
		/* positions: [{ticker, shares, price, weight}] or
		 * {ticker: shares} or {ticker: {shares, price, weight}} */
		json_t *p = json_object_get(j, "positions");
		if (!p)
			p = json_object_get(j, "holdings");
		if (!p)
			p = json_object_get(j, "shares");
		size_t i;
		json_t *v;
		const char *k;
		if (json_is_array(p)) {
			json_array_foreach(p, i, v) {
				if (!json_is_object(v))
					tm_die(EX_DATAERR, "%s:1: position %zu "
					    "is not an object", path, i);
				r->holds = ereallocarray(r->holds, r->nholds + 1,
				    sizeof(*r->holds));
				struct hold *h = &r->holds[r->nholds++];
				h->ticker = jstrdup(v, "ticker");
				if (!h->ticker)
					h->ticker = estrdup("");
				h->shares = jnum(v, "shares");
				h->price = jnum(v, "price");
				h->weight = jnum(v, "weight");
			}
		} else if (json_is_object(p)) {
			json_object_foreach(p, k, v) {
				r->holds = ereallocarray(r->holds, r->nholds + 1,
				    sizeof(*r->holds));
				struct hold *h = &r->holds[r->nholds++];
				h->ticker = estrdup(k);
				h->shares = json_is_number(v) ?
				    json_number_value(v) : jnum(v, "shares");
				h->price = jnum(v, "price");
				h->weight = jnum(v, "weight");
			}
		}
		json_decref(j);
	}
	snprintf(path, sizeof(path), "%s/journal.jsonl", r->state_dir);
	if ((fp = open_optional(path))) {
		r->have_journal = 1;
		each_jsonl(fp, path, journal_line, r);
		fclose(fp);
	}
}

static void
log_line(struct report *r, json_t *j, const char *path, long ln)
{
	json_t *t = json_object_get(j, "tool"), *a = json_object_get(j, "args");
	if (!json_is_string(t) || !json_is_integer(json_object_get(j, "exit")))
		tm_die(EX_DATAERR, "%s:%ld: a run needs \"tool\" and \"exit\"",
		    path, ln);
	r->runs = ereallocarray(r->runs, r->nruns + 1, sizeof(*r->runs));
	struct run *x = &r->runs[r->nruns++];
	x->tool = estrdup(json_string_value(t));
	x->start = jstrdup(j, "start");
	if (!x->start)
		x->start = estrdup("");
	x->seconds = jnum(j, "seconds");
	x->exit = (int)json_integer_value(json_object_get(j, "exit"));
	struct tm_buf b = { 0 };
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		if (i)
			tm_buf_adds(&b, " ");
		tm_buf_adds(&b, json_is_string(v) ? json_string_value(v) : "?");
	}
	x->args = b.p ? b.p : estrdup("");
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .jsonl files of the log folder in name order (YYYY-MM.jsonl sorts by time). */
static void
load_log(struct report *r)
{
	DIR *d = opendir(r->log_dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		if (errno != ENOENT)
			tm_die(EX_NOINPUT, "%s:", r->log_dir);
		return;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 7 ||
		    strcmp(de->d_name + l - 6, ".jsonl"))
			continue;
		names = ereallocarray(names, n + 1, sizeof(*names));
		names[n++] = estrdup(de->d_name);
	}
	closedir(d);
	/* An empty folder leaves names NULL, which qsort may not take. */
	if (n)
		qsort(names, n, sizeof(*names), cmpstr);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", r->log_dir, names[i]);
		FILE *fp = open_optional(path);
		if (fp) {
			r->have_log = 1;
			each_jsonl(fp, path, log_line, r);
			fclose(fp);
		}
		free(names[i]);
	}
	free(names);
}

static void
load_registry(struct report *r)
{
	char path[4096];
	json_error_t e;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/registry.json", r->models_dir);
	if (!(fp = open_optional(path)))
		return;
	json_t *j = json_loadf(fp, 0, &e);
	fclose(fp);
	if (!j)
		tm_die(EX_DATAERR, "%s:%d: %s", path, e.line, e.text);
	json_t *v = json_is_array(j) ? j : json_object_get(j, "versions");
	if (!json_is_array(v))
		tm_die(EX_DATAERR, "%s:1: no \"versions\" array", path);
	size_t i;
	json_t *m;
	json_array_foreach(v, i, m)
		if (!json_is_object(m) || !json_is_string(json_object_get(m,
		    "version")))
			tm_die(EX_DATAERR, "%s:1: version %zu has no "
			    "\"version\" string", path, i);
	r->models = json_incref(v);
	json_decref(j);
}

/* A TMT input: the file, or stdin for "-"; missing or a folder is 66. */
static FILE *
open_stream(const char *path)
{
	FILE *fp = tm_open_read(path);

	if (!fp)
		tm_exit(tm_fail_status());
	return fp;
}

static void
load_recs(struct report *r)
{
	static const char *need[] = { "action", "target", "current", "delta",
	    "shares", "price", "confidence", "reason" };
	const char *name = tm_input_name(r->recs_path);
	FILE *fp = open_stream(r->recs_path);
	struct tm_reader *rd = tm_reader_new(fp, name);
	struct tm_frame f;
	int rc, got = 0;
	int64_t col[8];

	tm_frame_init(&f);
	/* The day's stream has one frame; with more, the last one is the day. */
	while ((rc = tm_read(rd, &f)) == 1)
		got++;
	if (rc == -1)	/* the reader said what and where */
		tm_exit(tm_reader_status(rd));
	if (!got) {
		/* an empty stream: no recommendations yet */
		goto out;
	}
	if (f.ndim != 2 || !f.labels[1])
		tm_die(EX_DATAERR, "%s: not a [ticker, field] frame", name);
	for (int i = 0; i < 8; i++)
		if ((col[i] = tm_frame_find_label(&f, 1, need[i])) < 0)
			tm_die(EX_DATAERR, "%s: no field \"%s\"", name, need[i]);
	r->have_recs = 1;
	const char *d = tm_frame_date(&f);
	if (d)
		snprintf(r->date, sizeof(r->date), "%s", d);
	json_t *c = f.coords;
	r->value = jnum(c, "value");
	r->cash = jnum(c, "cash");
	r->hwm = jnum(c, "hwm");
	r->pnl = jnum(c, "pnl");
	const char *m;
	r->model = estrdup((m = tm_frame_get_meta(&f, "model")) ? m : "");
	r->fired = estrdup((m = tm_frame_get_meta(&f, "fired")) ? m : "");
	r->warnings = estrdup((m = tm_frame_get_meta(&f, "warnings")) ? m : "");
	r->critical = estrdup((m = tm_frame_get_meta(&f, "critical")) ? m : "");
	r->reasons = tm_split((m = tm_frame_get_meta(&f, "reasons")) ? m :
	    "policy", ',', &r->nreasons);
	r->nrecs = (size_t)f.shape[0];
	r->recs = ecalloc(r->nrecs ? r->nrecs : 1, sizeof(*r->recs));
	for (size_t i = 0; i < r->nrecs; i++) {
		struct rec *x = &r->recs[i];
		size_t o = i * (size_t)f.shape[1];
		double v[8];
		for (int k = 0; k < 8; k++)
			v[k] = tm_frame_get(&f, o + (size_t)col[k]);
		x->ticker = estrdup(f.labels[0] ? f.labels[0][i] : "");
		x->action = v[0] > 0.5 ? 1 : v[0] < -0.5 ? -1 : 0;
		x->target = v[1];
		x->current = v[2];
		x->delta = v[3];
		x->shares = v[4];
		x->price = v[5];
		x->conf = v[6];
		x->reason = isfinite(v[7]) ? (int)v[7] : 0;
	}
	tm_runlog_rows((int64_t)r->nrecs, 0);
out:
	tm_reader_free(rd);
	tm_frame_release(&f);
	tm_close_read(fp);
}

static void
load_slots(struct report *r)
{
	const char *name = tm_input_name(r->slots_path);
	FILE *fp = open_stream(r->slots_path);
	struct tm_reader *rd = tm_reader_new(fp, name);
	struct tm_frame f;
	int rc, nf = 0;
	int *last = NULL;

	tm_frame_init(&f);
	while ((rc = tm_read(rd, &f)) == 1) {
		int64_t creg, cclose;
		if (f.ndim != 2 || !f.labels[1] ||
		    (creg = tm_frame_find_label(&f, 1, "region")) < 0)
			tm_die(EX_DATAERR, "%s: frame %d: not a slot frame with "
			    "a \"region\" field", name, nf);
		cclose = tm_frame_find_label(&f, 1, "close");
		size_t n = (size_t)f.shape[0], w = (size_t)f.shape[1];
		if (nf && n != r->nslots)
			tm_die(EX_DATAERR, "%s: frame %d: %zu slots, not %zu",
			    name, nf, n, r->nslots);
		if (!nf) {
			r->nslots = n;
			r->slots = ecalloc(n ? n : 1, sizeof(*r->slots));
			last = ecalloc(n ? n : 1, sizeof(*last));
			for (size_t i = 0; i < n; i++)
				last[i] = -1;
		}
		for (size_t i = 0; i < n; i++) {
			struct slot *s = &r->slots[i];
			const char *lab = f.labels[0] ? f.labels[0][i] : "";
			if (!s->label || strcmp(s->label, lab)) {
				/* a new ticker in the slot: its own history */
				free(s->label);
				s->label = estrdup(lab);
				last[i] = -1;
			}
			double reg = tm_frame_get(&f, i * w + (size_t)creg);
			s->region = isfinite(reg) ? (int)reg : TM_REGION_PADDING;
			double cl = cclose >= 0 ?
			    tm_frame_get(&f, i * w + (size_t)cclose) : 0;
			if (*lab && isfinite(cl))
				last[i] = nf;
		}
		const char *d = tm_frame_date(&f);
		snprintf(r->slots_date, sizeof(r->slots_date), "%s", d ? d : "");
		nf++;
	}
	if (rc == -1)
		tm_exit(tm_reader_status(rd));
	for (size_t i = 0; i < r->nslots; i++)
		r->slots[i].age = last[i] < 0 ? -1 : nf - 1 - last[i];
	r->have_slots = nf > 0;
	free(last);
	tm_reader_free(rd);
	tm_frame_release(&f);
	tm_close_read(fp);
}

void
load_all(struct report *r)
{
	if (r->recs_path)
		load_recs(r);
	load_state(r);
	load_log(r);
	load_registry(r);
	if (r->slots_path)
		load_slots(r);
	if (!r->date[0] && r->ndays)
		tm_date_fmt(r->days[r->ndays - 1].date, r->date);
	if (!r->date[0] && r->st_date)
		snprintf(r->date, sizeof(r->date), "%s", r->st_date);
	int32_t d;
	if (r->date[0] && tm_date_parse(r->date, &d) == 0) {
		int y, m, dd;
		tm_date_ymd(d, &y, &m, &dd);
		r->month_start = tm_date_from_ymd(y, m, 1);
	}
	/* The recommendation frame's figures win; the state fills gaps. */
	if (!isfinite(r->value))
		r->value = r->have_state ? r->st_value : r->ndays ?
		    r->days[r->ndays - 1].value : NAN;
	if (!isfinite(r->hwm))
		r->hwm = r->st_hwm;
}

const char *
reason_name(const struct report *r, int i)
{
	if (i >= 0 && (size_t)i < r->nreasons)
		return r->reasons[i];
	return "policy";
}

void
report_free(struct report *r)
{
	for (size_t i = 0; i < r->nrecs; i++)
		free(r->recs[i].ticker);
	free(r->recs);
	free(r->model);
	free(r->fired);
	free(r->warnings);
	free(r->critical);
	if (r->reasons)
		tm_strv_free(r->reasons);
	free(r->st_model);
	free(r->st_date);
	for (size_t i = 0; i < r->nholds; i++)
		free(r->holds[i].ticker);
	free(r->holds);
	free(r->days);
	for (size_t i = 0; i < r->ntrades; i++)
		free(r->trades[i].ticker);
	free(r->trades);
	for (size_t i = 0; i < r->nruns; i++) {
		free(r->runs[i].tool);
		free(r->runs[i].start);
		free(r->runs[i].args);
	}
	free(r->runs);
	json_decref(r->models);
	for (size_t i = 0; i < r->nslots; i++)
		free(r->slots[i].label);
	free(r->slots);
}
