/* store.c - DIR/raw/YYYY/MM/DD.tmt: one frame a day, each file replaced
 * atomically, only what is missing fetched. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"

static void
daypath(const char *dir, int32_t day, char *buf, size_t n, int folder)
{
	int y, m, d;

	tm_date_ymd(day, &y, &m, &d);
	if (folder)
		snprintf(buf, n, "%s/raw/%04d/%02d", dir, y, m);
	else
		snprintf(buf, n, "%s/raw/%04d/%02d/%02d.tmt", dir, y, m, d);
}

/* Read the day file into fr; 1 read, 0 absent, -1 unreadable. */
static int
readday(const char *dir, int32_t day, struct tm_frame *fr)
{
	char path[4096];
	FILE *fp;

	daypath(dir, day, path, sizeof(path), 0);
	if ((fp = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT)
			return 0;
		tm_warn("%s:", path);
		return -1;
	}
	struct tm_reader *r = tm_reader_new(fp, path);
	int rc = tm_read(r, fr);
	tm_reader_free(r);
	fclose(fp);
	if (rc != 1 || fr->ndim != 2 || fr->labels[0] == NULL ||
	    fr->labels[1] == NULL) {
		if (rc == 1)
			tm_warn("%s: not a price frame", path);
		return -1;
	}
	return 1;
}

/* The source named for sym in a "A=yahoo,B=stooq" list, or -1. */
static int
metasrc(const char *list, const char *sym)
{
	size_t n = strlen(sym);

	for (const char *p = list; p && *p; ) {
		if (strncmp(p, sym, n) == 0 && p[n] == '=') {
			char name[32];
			size_t k = strcspn(p + n + 1, ",");
			snprintf(name, sizeof(name), "%.*s", (int)k, p + n + 1);
			return source_gid(name);
		}
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return -1;
}

void
store_load(struct fetch *f, const char *dir)
{
	struct tm_frame fr;
	int fidx[NFIELD];

	tm_frame_init(&fr);
	for (int32_t d = f->from; d <= f->to; d++) {
		if (!tm_trading_day(d) || readday(dir, d, &fr) != 1)
			continue;
		for (int i = 0; i < NFIELD; i++)
			fidx[i] = (int)tm_frame_find_label(&fr, 1,
			    fetch_fields[i]);
		const char *src = tm_frame_get_meta(&fr, "source");
		for (int64_t r = 0; r < fr.shape[0]; r++) {
			char *k = ticker_canon(fr.labels[0][r]);
			int tick = fetch_find(f, k);
			free(k);
			if (tick < 0)
				continue;
			struct bar *b = series_add(&f->t[tick].s, d);
			for (int i = 0; i < NFIELD; i++)
				if (fidx[i] >= 0)
					b->v[i] = tm_frame_get(&fr, (size_t)(r *
					    fr.shape[1] + fidx[i]));
			b->src = (signed char)metasrc(src,
			    fr.labels[0][r]);
			if (isnan(b->v[F_CLOSE]))
				f->t[tick].s.n--;	/* not a bar */
		}
	}
	tm_frame_release(&fr);
	/* What each ticker still lacks: from its first missing trading day
	 * to its last. */
	for (size_t k = 0; k < f->nt; k++) {
		struct ticker *t = &f->t[k];
		size_t i = 0;
		series_sort(&t->s);
		t->from = INT32_MAX;
		t->to = INT32_MIN;
		for (int32_t d = f->from; d <= f->to; d++) {
			if (!tm_trading_day(d))
				continue;
			while (i < t->s.n && t->s.b[i].day < d)
				i++;
			if (i < t->s.n && t->s.b[i].day == d)
				continue;
			if (d < t->from)
				t->from = d;
			t->to = d;
		}
	}
}

static int
writeday(struct fetch *f, const char *dir, int32_t day, size_t *cur)
{
	struct tm_frame old, fr;
	char path[4096], iso[11];
	int have;

	tm_frame_init(&old);
	tm_frame_init(&fr);
	have = readday(dir, day, &old) == 1;
	int64_t nold = have ? old.shape[0] : 0, nnew = 0;
	int *add = emalloc((f->nt ? f->nt : 1) * sizeof(int));
	for (size_t k = 0; k < f->nt; k++) {
		struct series *s = &f->t[k].s;
		while (cur[k] < s->n && s->b[cur[k]].day < day)
			cur[k]++;
		if (cur[k] < s->n && s->b[cur[k]].day == day &&
		    s->b[cur[k]].fresh && !s->b[cur[k]].bad && (!have ||
		    tm_frame_find_label(&old, 0, f->t[k].sym) < 0))
			add[nnew++] = (int)k;
	}
	if (nnew == 0) {
		free(add);
		tm_frame_release(&old);
		return 0;	/* nothing new: the file stays as it is */
	}
	if (tm_frame_shape2(&fr, TM_F64, "ticker", nold + nnew, "field",
	    NFIELD) == -1)
		tm_die(EX_SOFTWARE, "frame too large");
	fr.encoding = TM_DEFLATE;	/* deflate at rest */
	for (int i = 0; i < NFIELD; i++)
		tm_frame_set_label(&fr, 1, i, fetch_fields[i]);
	/* Old rows first, as they were (tickers outside today's universe
	 * too), then the new ones. */
	char *list = estrdup(have && tm_frame_get_meta(&old, "source") ?
	    tm_frame_get_meta(&old, "source") : "");
	for (int64_t r = 0; r < nold; r++) {
		tm_frame_set_label(&fr, 0, r, old.labels[0][r]);
		for (int i = 0; i < NFIELD; i++) {
			int64_t c = tm_frame_find_label(&old, 1,
			    fetch_fields[i]);
			if (c >= 0)
				tm_frame_set(&fr, (size_t)(r * NFIELD + i),
				    tm_frame_get(&old, (size_t)(r *
				    old.shape[1] + c)));
		}
	}
	for (int64_t j = 0; j < nnew; j++) {
		struct ticker *t = &f->t[add[j]];
		const struct bar *b = &t->s.b[cur[add[j]]];
		tm_frame_set_label(&fr, 0, nold + j, t->sym);
		for (int i = 0; i < NFIELD; i++)
			tm_frame_set(&fr, (size_t)((nold + j) * NFIELD + i),
			    b->v[i]);
		const char *sn = b->src >= 0 ? source_all[(int)b->src]->name :
		    "unknown";
		size_t l = strlen(list);
		list = ereallocarray(list, l + strlen(t->sym) + strlen(sn) + 3,
		    1);
		sprintf(list + l, "%s%s=%s", l ? "," : "", t->sym, sn);
	}
	tm_frame_set_date(&fr, tm_date_fmt(day, iso));
	tm_frame_set_meta(&fr, "source", list);
	tm_frame_set_meta(&fr, "producer", "tm-fetch");
	free(list);
	free(add);
	tm_frame_release(&old);

	daypath(dir, day, path, sizeof(path), 1);
	if (tm_mkdirs(path, 0755) == -1)
		tm_die(EX_CANTCREAT, "%s: cannot create folder", path);
	daypath(dir, day, path, sizeof(path), 0);
	struct tm_atomic *a = tm_atomic_open(path, 0644);
	if (a == NULL)
		tm_die(EX_CANTCREAT, "%s: cannot write", path);
	struct tm_writer *w = tm_writer_new(tm_atomic_fp(a), path, -1);
	if (tm_write(w, &fr) == -1 || tm_writer_end(w) == -1) {
		tm_writer_free(w);
		tm_atomic_abort(a);
		tm_die(EX_IOERR, "%s: write failed", path);
	}
	tm_writer_free(w);
	if (tm_atomic_commit(a) == -1)
		tm_die(EX_IOERR, "%s: commit failed", path);
	tm_frame_release(&fr);
	return 1;
}

int
store_write(struct fetch *f, const char *dir, long *files)
{
	size_t *cur = ecalloc(f->nt ? f->nt : 1, sizeof(size_t));
	int32_t lo = INT32_MAX, hi = INT32_MIN;

	for (size_t k = 0; k < f->nt; k++)
		for (size_t i = 0; i < f->t[k].s.n; i++) {
			const struct bar *b = &f->t[k].s.b[i];
			if (b->fresh && !b->bad) {
				if (b->day < lo)
					lo = b->day;
				if (b->day > hi)
					hi = b->day;
			}
		}
	*files = 0;
	for (int32_t d = lo; lo <= hi && d <= hi; d++)
		if (tm_trading_day(d))
			*files += writeday(f, dir, d, cur);
	free(cur);
	return 0;
}

static int swept;

/* A temporary day file (".DD.tmt.XXXXXX") left by a killed run. */
static int
sweep(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if (type == FTW_F && base[0] == '.' && strstr(base, ".tmt.") &&
	    unlink(path) == 0)
		swept++;
	return 0;
}

void
store_lock(const char *dir)
{
	char path[4096];

	/* Two runs merging into the same day files would lose rows: the
	 * second waits for another day (cron retries), never blocks. */
	if (tm_mkdirs(dir, 0755) == -1)
		tm_die(EX_CANTCREAT, "%s: cannot create store", dir);
	snprintf(path, sizeof(path), "%s/.tm-fetch.lock", dir);
	tm_lock_run(path, "%s: another tm-fetch is writing this store", dir);
	/* fd stays open, and the lock held, until exit.  With the lock no
	 * other run is writing, so any temporary file is an orphan. */
	snprintf(path, sizeof(path), "%s/raw", dir);
	nftw(path, sweep, 16, FTW_PHYS);
	if (swept)
		tm_warn("%s: removed %d temporary files of an interrupted run",
		    dir, swept);
}
