/*
 * tm-slotmap - map ticker frames onto the fixed slot layout, keeping each
 * stock in one slot while it stays in the index (see man/tm-slotmap.1).
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slotmap.h"

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: %s [-z] [-l layout] [--members file] [-s state] "
	    "[file ...]\n", tm_progname());
	tm_usage_exit();
}

/* The output columns: the input fields, then new, tenure and region where
 * the input lacks them. */
struct cols {
	int64_t nin, nout;
	char **in;		/* the first frame's field labels */
	char **out;
	int64_t cnew, ctenure, cregion;
};

static int64_t
find_or_add(struct cols *c, const char *name)
{
	for (int64_t j = 0; j < c->nin; j++)
		if (strcmp(c->in[j], name) == 0)
			return j;
	c->out[c->nout] = estrdup(name);
	return c->nout++;
}

static void
cols_init(struct cols *c, const struct tm_frame *f)
{
	c->nin = f->shape[1];
	c->in = ecalloc((size_t)c->nin + 1, sizeof(char *));
	c->out = ecalloc((size_t)c->nin + 4, sizeof(char *));
	for (int64_t j = 0; j < c->nin; j++) {
		c->in[j] = estrdup(f->labels[1][j]);
		c->out[j] = estrdup(f->labels[1][j]);
	}
	c->nout = c->nin;
	c->cnew = find_or_add(c, "new");
	c->ctenure = find_or_add(c, "tenure");
	c->cregion = find_or_add(c, "region");
}

static int
labcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
check_frame(const struct tm_frame *f, const char *name, uint64_t off)
{
	if (f->ndim != 2 || f->labels[0] == NULL || f->labels[1] == NULL)
		tm_die(EX_DATAERR, "%s: byte %llu: not a [ticker, field] frame "
		    "with row and field labels", name, (unsigned long long)off);
	if (tm_frame_date(f) == NULL)
		tm_die(EX_DATAERR, "%s: byte %llu: frame without coords.date",
		    name, (unsigned long long)off);
	/* One row per ticker, as tm-features asks: a second one would be
	 * dropped in silence (the first taken). */
	size_t n = (size_t)f->shape[0];
	char **v = emalloc((n ? n : 1) * sizeof(char *));
	memcpy(v, f->labels[0], n * sizeof(char *));
	qsort(v, n, sizeof(char *), labcmp);
	for (size_t i = 1; i < n; i++)
		if (*v[i] && strcmp(v[i - 1], v[i]) == 0)
			tm_die(EX_DATAERR, "%s: byte %llu: %s: row '%s' twice",
			    name, (unsigned long long)off, tm_frame_date(f),
			    v[i]);
	free(v);
}

struct run {
	struct sm_table t;
	struct sm_members m;
	struct cols c;
	struct tm_index ix;
	struct tm_frame out;
	struct tm_writer *w;
	const char *state;
	int32_t loaded_last;	/* the state's date when the run began */
	int32_t prev;		/* this run's last frame, or -1 */
	int64_t skipped, frames, rows_in, rows_out;
	int dirty;		/* applied frames not yet in the state file */
};

static void
snapshot_from_frame(struct run *r, const struct tm_frame *f, const char *name)
{
	struct sm_members *m = &r->m;

	m->snap = ecalloc((size_t)f->shape[0] + 1, sizeof(char *));
	for (int64_t i = 0; i < f->shape[0]; i++)
		if (f->labels[0][i][0] != '\0')
			m->snap[m->nsnap++] = estrdup(f->labels[0][i]);
	m->files = ereallocarray(m->files, m->nfiles + 1, sizeof(char *));
	m->files[m->nfiles++] = estrdup(name);
	m->snapfile = m->files[m->nfiles - 1];
	if (sm_members_finish(m) == -1)
		tm_exit(EX_DATAERR);
}

static void
build(struct run *r, const struct tm_frame *f, int32_t d)
{
	struct tm_frame *o = &r->out;
	struct cols *c = &r->c;
	float *od;

	if (tm_frame_shape2(o, TM_F32, "slot", r->t.nslots, "feature",
	    c->nout) == -1)
		tm_die(EX_SOFTWARE, "output frame");
	for (int64_t j = 0; j < c->nout; j++)
		tm_frame_set_label(o, 1, j, c->out[j]);
	o->coords = json_deep_copy(f->coords);
	o->meta = f->meta ? json_deep_copy(f->meta) : json_object();
	json_object_set_new(o->meta, "layout", json_string(r->t.lay.name));
	tm_index_build(&r->ix, (const char *const *)f->labels[0], f->shape[0]);
	od = o->data;
	for (int64_t i = 0; i < r->t.nslots; i++) {
		const struct sm_slot *s = &r->t.s[i];
		float *row = od + i * c->nout;
		int reg = sm_slot_region(&r->t, i);
		double isnew, tenure;

		tm_frame_set_label(o, 0, i, s->ticker ? s->ticker : "");
		row[c->cregion] = (float)reg;
		if (s->ticker == NULL)
			continue;
		/* A member without a row today is halted or missing: it
		 * keeps its slot with NaN features. */
		int64_t k = tm_index_find(&r->ix, s->ticker);
		if (k >= 0) {
			if (f->dtype == TM_F32)
				memcpy(row, (const float *)f->data + k * c->nin,
				    (size_t)c->nin * sizeof(float));
			else
				for (int64_t j = 0; j < c->nin; j++)
					row[j] = (float)tm_frame_get(f,
					    (size_t)(k * c->nin + j));
		}
		sm_slot_temporal(&r->t, i, d, &isnew, &tenure);
		row[c->cnew] = (float)isnew;
		row[c->ctenure] = (float)tenure;
		row[c->cregion] = (float)reg;
	}
}

static void
save(struct run *r)
{
	/* Frames reach stdout before the state that counts them as done, so
	 * a crash repeats a frame rather than losing one. */
	if (fflush(stdout) == EOF)
		tm_die(EX_IOERR, "<stdout>: write error:");
	sm_state_save(r->state, &r->t);
	r->dirty = 0;
}

static void
frame(struct run *r, const struct tm_frame *f, const char *name, uint64_t off)
{
	char b1[11], b2[11];
	const char *ds;
	int32_t d;

	check_frame(f, name, off);
	ds = tm_frame_date(f);
	if (tm_date_parse(ds, &d) == -1)
		tm_die(EX_DATAERR, "%s: byte %llu: bad date '%s'", name,
		    (unsigned long long)off, ds);
	if (r->prev == -1 && r->loaded_last != -1 && d <= r->loaded_last) {
		/* Already applied by an earlier run: a no-op. */
		r->skipped++;
		return;
	}
	if (r->prev != -1 && d <= r->prev)
		tm_die(EX_DATAERR, "%s: byte %llu: frame %s is not after %s",
		    name, (unsigned long long)off, ds, tm_date_fmt(r->prev, b1));
	if (r->c.in == NULL)
		cols_init(&r->c, f);
	if (f->shape[1] != r->c.nin)
		goto fields;
	for (int64_t j = 0; j < r->c.nin; j++)
		if (strcmp(f->labels[1][j], r->c.in[j]) != 0)
			goto fields;
	if (r->t.last == -1 && r->m.nfiles == 0)
		snapshot_from_frame(r, f, name);
	if (sm_table_advance(&r->t, &r->m, d) && r->state) {
		build(r, f, d);
		if (tm_write(r->w, &r->out) == -1)
			tm_exit(EX_IOERR);
		save(r);
	} else {
		build(r, f, d);
		if (tm_write(r->w, &r->out) == -1)
			tm_exit(EX_IOERR);
		r->dirty = 1;
	}
	r->prev = d;
	r->frames++;
	r->rows_in += f->shape[0];
	r->rows_out += r->t.nslots;
	return;
fields:
	tm_die(EX_DATAERR, "%s: byte %llu: frame %s: fields differ from those "
	    "of the first frame (%s)", name, (unsigned long long)off, ds,
	    tm_date_fmt(r->prev == -1 ? d : r->prev, b2));
}

/* One input, for tm_each_input; arg is the run. */
static void
input(void *arg, FILE *fp, const char *name)
{
	struct run *r = arg;
	struct tm_reader *rd = tm_reader_new(fp, name);
	struct tm_frame f;
	int rc;

	tm_frame_init(&f);
	while ((rc = tm_read(rd, &f)) == 1)
		frame(r, &f, name, tm_reader_offset(rd));
	if (rc == -1)
		tm_exit(tm_reader_status(rd));
	tm_frame_release(&f);
	tm_reader_free(rd);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "layout", required_argument, NULL, 'l' },
		{ "members", required_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct run r;
	struct sm_layout lay;
	const char *layname = NULL;
	int c, enc = TM_RAW;
	char b1[11];

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	memset(&r, 0, sizeof(r));
	r.loaded_last = r.prev = -1;
	while ((c = getopt_long(argc, argv, "l:s:z", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			layname = optarg;
			break;
		case 'm':
			sm_members_load(&r.m, optarg);
			break;
		case 's':
			r.state = optarg;
			break;
		case 'z':
			enc = TM_DEFLATE;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (sm_layout_parse(layname ? layname : "r1000", &lay) == -1)
		tm_exit(EX_USAGE);
	if (sm_members_finish(&r.m) == -1)
		tm_exit(EX_DATAERR);
	if (r.state)
		sm_state_lock(r.state);
	int loaded = r.state ? sm_state_load(r.state, &r.t) : 0;
	if (loaded == -1)
		tm_exit(tm_fail_status());
	if (loaded) {
		if (layname && (lay.active != r.t.lay.active ||
		    lay.archive != r.t.lay.archive ||
		    lay.padding != r.t.lay.padding))
			tm_die(EX_USAGE, "state %s: layout %s, not the %s asked "
			    "for", r.state, r.t.lay.name, lay.name);
		r.loaded_last = r.t.last;
		sm_table_seek(&r.t, &r.m);
	} else
		sm_table_init(&r.t, &lay);
	estdout_tmt();
	r.w = tm_writer_new(stdout, "<stdout>", enc);
	/* A file that cannot be read stops the run (tm_each_input) before
	 * its days are missed for good in the state. */
	if (tm_each_input(argc, argv, input, &r) == -1)
		tm_exit(tm_fail_status());
	if (tm_writer_end(r.w) == -1)
		tm_exit(EX_IOERR);
	if (r.state && r.dirty)
		save(&r);
	if (r.skipped)
		tm_warn("skipped %lld frames dated on or before %s, already "
		    "applied in state %s", (long long)r.skipped,
		    tm_date_fmt(r.loaded_last, b1), r.state);
	if (r.t.evicted)
		tm_warn("%lld archived stocks left the archive early (archive "
		    "full)", (long long)r.t.evicted);
	tm_runlog_rows(r.rows_in, r.rows_out);
	tm_writer_free(r.w);
	tm_frame_release(&r.out);
	tm_index_release(&r.ix);
	sm_table_release(&r.t);
	sm_members_release(&r.m);
	tm_strv_free(r.c.in);
	tm_strv_free(r.c.out);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
