/* tm-infer - target weights and confidence per slot from a trained model.
 *
 * Streams: one input frame in, one output frame out, so nothing after day
 * t can reach the decision of day t.  The previous weights the scorer
 * reads are the tool's own output of the day before (all cash at the
 * start), or --weights for the first day. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cblas.h>

#include "tm.h"
#include "tmcore.h"

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: tm-infer [--adjust a] [--cap w] [--last] "
	    "[-w weights] -m model\n");
	tm_usage_exit();
}

/* Weights by ticker from the last frame of a TMT file with a "weight"
 * field, placed into the slots of frame f.  The tickers are hashed: a
 * search per slot was quadratic, a third of a one-day run at 3,600. */
static void
load_weights(const char *path, const struct tm_frame *f, double *prev)
{
	FILE *fp = fopen(path, "rb");
	struct tm_reader *r;
	struct tm_frame w, last;
	int rc, got = 0;

	if (!fp)
		tm_die(EX_NOINPUT, "%s:", path);
	r = tm_reader_new(fp, path);
	tm_frame_init(&w);
	tm_frame_init(&last);
	while ((rc = tm_read(r, &w)) == 1) {
		tm_frame_copy(&last, &w);
		got = 1;
	}
	if (rc == -1)
		tm_die(tm_reader_status(r), "%s: cannot read the weights", path);
	if (!got)
		tm_die(EX_DATAERR, "%s: no frame", path);
	int64_t cw = last.ndim == 2 ? tm_frame_find_label(&last, 1, "weight") : -1;
	if (cw < 0 || !last.labels[0])
		tm_die(EX_DATAERR, "%s: not a [ticker, field] frame with a "
		    "'weight' field", path);
	struct tm_index ix = { 0 };
	tm_index_build(&ix, (const char *const *)last.labels[0], last.shape[0]);
	for (int64_t i = 0; i < f->shape[0]; i++) {
		const char *lab = f->labels[0] ? f->labels[0][i] : "";
		int64_t j;

		prev[i] = 0;
		if (!lab || !*lab ||
		    (j = tm_index_find(&ix, lab)) < 0)
			continue;
		double v = tm_frame_get(&last, j * last.shape[1] + cw);
		if (isfinite(v) && v > 0)
			prev[i] = v;
	}
	tm_index_release(&ix);
	tm_reader_free(r);
	tm_frame_release(&w);
	tm_frame_release(&last);
	fclose(fp);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "adjust", required_argument, NULL, 'A' },
		{ "cap", required_argument, NULL, 'C' },
		{ "last", no_argument, NULL, 'l' },
		{ "model", required_argument, NULL, 'm' },
		{ "weights", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	const char *mpath = NULL, *wpath = NULL;
	int last = 0, c, rc, N = -1;
	double adjust = 0, cap = 0;	/* 0: the model's */
	struct tm_model m;
	struct tm_reader *r;
	struct tm_writer *wr;
	struct tm_frame in, out;
	/* static: reachable when tm_die exits (LeakSanitizer) */
	static int *col;
	struct tm_decide dec;
	double *w = NULL, *prev = NULL, wc;
	double *conf = NULL, *tmp = NULL;
	int32_t *src = NULL;
	float *xr = NULL;
	uint8_t *kind = NULL;
	char **labs = NULL;
	int64_t nin = 0;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	while ((c = getopt_long(argc, argv, "m:w:", lopts, NULL)) != -1)
		switch (c) {
		case 'A':
			adjust = estrtod(optarg, 1e-6, 1, "--adjust");
			break;
		case 'C': cap = estrtod(optarg, 1e-6, 1, "--cap"); break;
		case 'l': last = 1; break;
		case 'm': mpath = optarg; break;
		case 'w': wpath = optarg; break;
		default: usage();
		}
	if (!mpath || optind != argc) {
		tm_warn("%s", !mpath ? "-m model is required" :
		    "no operands: the slot stream is read on stdin");
		usage();
	}
	openblas_set_num_threads(1);
	if (tm_model_read(&m, mpath) == -1)
		tm_exit(tm_fail_status());
	if ((adjust > 0 && adjust != m.pol.adjust) ||
	    (cap > 0 && cap != m.pol.cap)) {
		/* Another decision than the file's: the version names it. */
		if (adjust > 0)
			m.pol.adjust = adjust;
		if (cap > 0)
			m.pol.cap = cap;
		tm_model_stamp(&m);
	}

	const struct tm_policy *pol = &m.pol;
	int nf = pol->nfeat;
	col = emalloc(nf * sizeof(int));
	r = tm_reader_new(stdin, "<stdin>");
	estdout_tmt();
	wr = tm_writer_new(stdout, "<stdout>", TM_RAW);
	tm_frame_init(&in);
	tm_frame_init(&out);
	while ((rc = tm_read(r, &in)) == 1) {
		const char *ds = tm_frame_date(&in), *lay;

		if (in.ndim != 2 || in.dtype != TM_F32 || !in.labels[1])
			tm_die(EX_DATAERR, "<stdin>: frame %lld: not an F32 "
			    "[slot, field] frame", (long long)in.seq);
		if ((lay = tm_frame_get_meta(&in, "layout")) && *lay &&
		    m.layout && *m.layout && strcmp(lay, m.layout))
			tm_die(EX_DATAERR, "<stdin>: %s: layout '%s', the model "
			    "%s was trained on '%s'", ds ? ds : "?", lay, mpath,
			    m.layout);
		if (tm_model_columns(&m, &in, col) == -1)
			tm_die(EX_DATAERR, "<stdin>: %s: does not match the "
			    "features of %s", ds ? ds : "?", mpath);
		if (N == -1) {
			N = (int)in.shape[0];
			if (pol->arch == TM_ARCH_FLAT && N != pol->nslots)
				tm_die(EX_DATAERR, "<stdin>: %d slots, the flat "
				    "model %s takes %d", N, mpath, pol->nslots);
			tm_decide_alloc(&dec, pol, N);
			w = emalloc(N * sizeof(double));
			prev = ecalloc(N, sizeof(double));
			conf = emalloc(N * sizeof(double));
			xr = emalloc((size_t)N * nf * sizeof(float));
			kind = emalloc(N);
			labs = ecalloc(N, sizeof(char *));
			src = emalloc(N * sizeof(int32_t));
			tmp = emalloc(N * sizeof(double));
			if (wpath)
				load_weights(wpath, &in, prev);
		} else if (in.shape[0] != N)
			tm_die(EX_DATAERR, "<stdin>: %s: %lld slots, the first "
			    "frame had %d", ds ? ds : "?",
			    (long long)in.shape[0], N);
		nin++;
		tm_slot_kinds(&in, kind);
		/* The previous weights follow their tickers into today's
		 * slots; a new ticker holds nothing yet (carry.c). */
		if (nin > 1) {
			tm_slot_moves(N, (const char *const *)labs,
			    (const char *const *)in.labels[0], src);
			tm_slot_carry(N, src, prev, tmp);
		}
		for (int i = 0; i < N; i++) {
			const char *lab = in.labels[0] && in.labels[0][i] ?
			    in.labels[0][i] : "";

			free(labs[i]);
			labs[i] = estrdup(lab);
		}
		tm_decide_input(&m, &in, col, xr);
		tm_decide_day(&dec, xr, kind, prev, w, &wc, conf);
		memcpy(prev, w, N * sizeof(double));

		if (tm_frame_shape2(&out, TM_F32, "slot", N, "field", 2) == -1)
			tm_die(EX_SOFTWARE, "output frame too large");
		tm_frame_set_label(&out, 1, 0, "weight");
		tm_frame_set_label(&out, 1, 1, "confidence");
		for (int i = 0; i < N; i++) {
			tm_frame_set_label(&out, 0, i, labs[i]);
			tm_frame_set(&out, (size_t)i * 2, w[i]);
			tm_frame_set(&out, (size_t)i * 2 + 1, conf[i]);
		}
		if (!out.coords)
			out.coords = json_object();
		if (in.coords) {
			json_object_update(out.coords, in.coords);
		}
		json_object_set_new(out.coords, "cash", json_real(wc));
		tm_frame_set_meta(&out, "model", m.version);
		tm_frame_set_meta(&out, "algo", m.algo);
		if (m.layout && *m.layout)
			tm_frame_set_meta(&out, "layout", m.layout);
		if (!last && tm_write(wr, &out) == -1)
			tm_exit(EX_IOERR);
	}
	if (rc == -1)
		tm_exit(tm_reader_status(r));
	if (last && nin && tm_write(wr, &out) == -1)
		tm_exit(EX_IOERR);
	if (tm_writer_end(wr) == -1)
		tm_exit(EX_IOERR);
	tm_runlog_rows(nin, last ? (nin > 0) : nin);
	for (int i = 0; i < N; i++)
		free(labs[i]);
	free(labs), free(w), free(prev), free(src), free(tmp);
	if (N != -1)
		tm_decide_free(&dec);
	free(conf), free(xr), free(kind), free(col);
	tm_frame_release(&in);
	tm_frame_release(&out);
	tm_reader_free(r);
	tm_writer_free(wr);
	tm_model_release(&m);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
