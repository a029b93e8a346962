/*
 * tm-strategy - rule-based strategies that write the weight stream of
 * tm-infer (see man/tm-strategy.1).
 *
 * One frame in, one frame out: the history holds only the days read so
 * far, so the weights of day t cannot depend on anything after t.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>

#include "strategy.h"

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fputs("usage: tm-strategy [-z] [--last] [-p name=value] strategy "
	    "[file]\n"
	    "       tm-strategy fit [-p name=value] -o model [file]\n"
	    "       tm-strategy --list\n", tm_usage_out());
	tm_usage_exit();
}

void
find_cols(const struct tm_frame *f, const char *name, struct cols *k)
{
	if (f->ndim != 2 || !f->labels[0] || !f->labels[1])
		tm_die(EX_DATAERR, "%s: not a [ticker, field] or [slot, "
		    "feature] frame with labels", name);
	k->c = tm_frame_find_label(f, 1, "close");
	k->ac = tm_frame_find_label(f, 1, "adjclose");
	k->hi = tm_frame_find_label(f, 1, "high");
	k->lo = tm_frame_find_label(f, 1, "low");
	k->ret = tm_frame_find_label(f, 1, "ret");
	k->region = tm_frame_find_label(f, 1, "region");
	k->slot = k->ret >= 0 && k->region >= 0;
	if (!k->slot && k->c < 0 && k->ac < 0)
		tm_die(EX_DATAERR, "%s: neither a price stream (close, "
		    "adjclose) nor a slot stream (ret, region)", name);
}

static double
at(const struct tm_frame *f, int64_t i, int64_t j)
{
	return j < 0 ? NAN : tm_frame_get(f, (size_t)(i * f->shape[1] + j));
}

int
take_day(struct hist *h, const struct cols *k, const struct tm_frame *f,
    int t, int *id, uint8_t *ok)
{
	int nok = 0;

	h->T = t + 1;
	for (int64_t i = 0; i < f->shape[0]; i++) {
		const char *lab = f->labels[0][i];
		double c, hi, lo, r;

		ok[i] = 0;
		if (!*lab) {
			id[i] = -1;
			continue;
		}
		int d = id[i] = hist_id(h, lab);
		if (k->slot) {
			r = at(f, i, k->ret);
			double base = h->last[d];
			c = !isfinite(base) ? 1 : isfinite(r) ? base * (1 + r) :
			    NAN;
			hi = lo = c;
			ok[i] = at(f, i, k->region) == TM_REGION_ACTIVE &&
			    isfinite(r) &&
			    (k->c < 0 || isfinite(at(f, i, k->c)));
		} else {
			double raw = at(f, i, k->c);
			c = k->ac >= 0 ? at(f, i, k->ac) : raw;
			double fac = isfinite(raw) && raw > 0 && isfinite(c) ?
			    c / raw : 1;
			hi = at(f, i, k->hi) * fac;
			lo = at(f, i, k->lo) * fac;
			if (!isfinite(hi))
				hi = c;
			if (!isfinite(lo))
				lo = c;
			double pc = hist_close(h, d, t - 1);
			r = isfinite(pc) && pc > 0 ? c / pc - 1 : NAN;
			ok[i] = isfinite(c) && c > 0;
		}
		if (isfinite(c))
			h->last[d] = c;
		hist_set(h, d, t, c, hi, lo, r);
		nok += ok[i];
	}
	return nok;
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "last", no_argument, NULL, 'l' },
		{ "list", no_argument, NULL, 'L' },
		{ "param", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	char **set = NULL, *model;
	int nset = 0, last = 0, list = 0, enc = TM_RAW, c, rc, t = 0;
	const char *name = "<stdin>", *opath = NULL;
	FILE *fp = stdin;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	while ((c = getopt_long(argc, argv, "o:p:z", lopts, NULL)) != -1)
		switch (c) {
		case 'l': last = 1; break;
		case 'L': list = 1; break;
		case 'p':
			set = ereallocarray(set, nset + 1, sizeof(char *));
			set[nset++] = optarg;
			break;
		case 'o': opath = optarg; break;
		case 'z': enc = TM_DEFLATE; break;
		default: usage();
		}
	if (list) {
		if (optind != argc)
			usage();
		strategy_list(stdout);
		efshut(stdout, "<stdout>");
		tm_exit(0);
	}
	if (optind == argc || argc - optind > 2)
		usage();
	int fit = !strcmp(argv[optind], "fit");
	const struct strategy *s = fit ? &strat_fit :
	    strategy_find(argv[optind]);
	if (fit != (opath != NULL))
		usage();
	if (!s) {
		char buf[256];
		size_t n = 0;
		for (int i = 0; strategies[i]; i++)
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
			    i ? ", " : "", strategies[i]->name);
		tm_die(EX_USAGE, "%s: no such strategy (%s)", argv[optind],
		    buf);
	}
	struct svals v;
	strategy_params(s, set, nset, &v, &model);
	if (argc - optind == 2) {
		if (!(fp = tm_open_read(argv[optind + 1])))
			tm_exit(tm_fail_status());
		name = tm_input_name(argv[optind + 1]);
	}
	openblas_set_num_threads(1);
	if (fit) {
		struct tm_reader *fr = tm_reader_new(fp, name);
		mlls_fit(&v, fr, name, opath);
		tm_reader_free(fr);
		free(set), free(model);
		tm_close_read(fp);
		tm_exit(0);
	}
	void *st = s->init(&v);

	struct hist h;
	struct cols k;
	estdout_tmt();
	struct tm_reader *r = tm_reader_new(fp, name);
	struct tm_writer *wr = tm_writer_new(stdout, "<stdout>", enc);
	struct tm_frame in, out;
	int *id = NULL, cap = 0;
	uint8_t *ok = NULL;
	double *w = NULL, *conf = NULL;

	hist_init(&h);
	tm_frame_init(&in);
	tm_frame_init(&out);
	while ((rc = tm_read(r, &in)) == 1) {
		/* Per frame: the field order may differ between days. */
		find_cols(&in, name, &k);
		int n = (int)in.shape[0];
		if (n > cap) {
			cap = n;
			id = ereallocarray(id, n, sizeof(int));
			ok = ereallocarray(ok, n, 1);
			w = ereallocarray(w, n, sizeof(double));
			conf = ereallocarray(conf, n, sizeof(double));
		}
		struct sday d = { t, tm_frame_date(&in), n, id, ok, 0, &h };
		d.nok = take_day(&h, &k, &in, t, id, ok);
		for (int i = 0; i < n; i++)
			w[i] = conf[i] = 0;
		s->day(st, &d, w, conf);

		double sum = 0;
		if (tm_frame_shape2(&out, TM_F32, "ticker", n, "field", 2))
			tm_die(EX_SOFTWARE, "output frame too large");
		tm_frame_set_label(&out, 1, 0, "weight");
		tm_frame_set_label(&out, 1, 1, "confidence");
		for (int i = 0; i < n; i++) {
			if (!isfinite(w[i]))
				w[i] = 0;
			sum += w[i];
			tm_frame_set_label(&out, 0, i, in.labels[0][i]);
			tm_frame_set(&out, (size_t)i * 2, w[i]);
			tm_frame_set(&out, (size_t)i * 2 + 1,
			    isfinite(conf[i]) ? conf[i] : 0);
		}
		out.coords = json_object();
		if (in.coords)
			json_object_update(out.coords, in.coords);
		json_object_set_new(out.coords, "cash", json_real(1 - sum));
		tm_frame_set_meta(&out, "model", model);
		if (!last && tm_write(wr, &out) == -1)
			tm_exit(EX_IOERR);
		t++;
	}
	if (rc == -1)
		tm_exit(tm_reader_status(r));
	if (last && t && tm_write(wr, &out) == -1)
		tm_exit(EX_IOERR);
	if (tm_writer_end(wr) == -1)
		tm_exit(EX_IOERR);
	tm_runlog_rows(t, last ? t > 0 : t);
	s->fin(st);
	hist_release(&h);
	tm_frame_release(&in);
	tm_frame_release(&out);
	tm_reader_free(r);
	tm_writer_free(wr);
	free(id), free(ok), free(w), free(conf), free(set), free(model);
	tm_close_read(fp);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
