/*
 * tm-cat - print, slice, merge and import TMT streams.
 *
 * Inputs (files, folders, stdin) become one stream, narrowed by date,
 * row and field, and come out as a TMT stream (the default in a pipe),
 * aligned text (the default on a terminal), CSV, TSV or JSON lines.  A
 * frame nothing narrowed is copied byte for byte, so a pass-through costs
 * little more than cat(1).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cat.h"

#define OUTBUF (1 << 20)

static const char synopsis[] =
    "usage: tm-cat [-z] [-k fields] [-o format] [-r rows] [--dtype type]\n"
    "              [--from date] [--import] [--info] [--last n] [--row name]\n"
    "              [--to date] [file ...]\n";

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fputs(synopsis, tm_usage_out());
	tm_usage_exit();
}

enum { OPT_DTYPE = 256, OPT_FROM, OPT_IMPORT, OPT_INFO, OPT_LAST, OPT_ROW,
	OPT_TO };

static const struct option longopts[] = {
	{ "dtype", required_argument, NULL, OPT_DTYPE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "import", no_argument, NULL, OPT_IMPORT },
	{ "info", no_argument, NULL, OPT_INFO },
	{ "last", required_argument, NULL, OPT_LAST },
	{ "row", required_argument, NULL, OPT_ROW },
	{ "to", required_argument, NULL, OPT_TO },
	{ NULL, 0, NULL, 0 }
};

struct out {
	enum fmt fmt;
	struct tm_writer *w;
	struct printer *p;
	int64_t rows;
};

/* Write f; verbatim, its reader, copies its bytes where they will do
 * (and completes f where they will not: a lazy read). */
static void
emit(struct out *o, struct tm_frame *f, struct tm_reader *verbatim)
{
	if (o->fmt == FMT_TMT) {
		int rc = verbatim ? tm_write_from(o->w, verbatim, f) :
		    tm_write(o->w, f);
		/* A write error, or a lazy frame that did not decode. */
		if (rc == -1)
			tm_exit(tm_fail_status());
	} else {
		printer_frame(o->p, f);
	}
	if (f->ndim > 0)
		o->rows += f->shape[0];
}

/* One JSON line per frame: where it starts and its stored header. */
static void
info(struct source *s)
{
	json_t *o = json_object();
	const json_t *h = tm_reader_header(source_reader(s));

	json_object_set_new(o, "file", json_string(source_name(s)));
	json_object_set_new(o, "offset", json_integer((json_int_t)
	    tm_reader_offset(source_reader(s))));
	json_object_update(o, (json_t *)h);
	if (json_dumpf(o, stdout, JSON_COMPACT) == -1)
		tm_die(EX_IOERR, "<stdout>: write error:");
	putchar('\n');
	json_decref(o);
	if (ferror(stdout))
		tm_die(EX_IOERR, "<stdout>: write error:");
}

static enum fmt
parse_fmt(const char *s)
{
	static const char *names[] = { "tmt", "text", "csv", "tsv", "json" };

	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum fmt)i;
	tm_warn("-o: unknown format '%s' (tmt, text, csv, tsv or json)", s);
	usage();
}

/*
 * A --last slot: a frame, or in a pass-through the stored bytes of one
 * whose header is tm_write's own text (tm_reader_canonical), written at
 * the end as tm_write would write it, renumbered, without decoding it.
 */
struct kept {
	struct tm_frame f;
	struct tm_buf raw;	/* when israw: the frame's bytes */
	int64_t seq, rows;
	int israw;
};

/* Keep the frame r just read lazily in k: its bytes when they will do,
 * else f decoded (swapped in). */
static void
keep(struct kept *k, struct tm_reader *r, struct tm_frame *f)
{
	size_t len;
	const unsigned char *raw = tm_reader_raw(r, &len);

	/* the lead's minor version too: tm_write writes its own */
	if (raw && tm_reader_canonical(r) && raw[9] == TM_MINOR) {
		tm_buf_set(&k->raw, raw, len);
		k->seq = f->seq;
		k->rows = f->ndim > 0 ? f->shape[0] : 0;
		k->israw = 1;
		return;
	}
	if (tm_reader_decode(r, f) == -1)
		tm_exit(tm_reader_status(r));
	struct tm_frame t = k->f;
	k->f = *f;
	*f = t;
	k->israw = 0;
}

static void
swap(struct tm_frame *a, struct tm_frame *b)
{
	struct tm_frame t = *a;

	*a = *b;
	*b = t;
}

int
main(int argc, char **argv)
{
	struct slice sl = { 0 };
	struct out o = { 0 };
	const char *from = NULL, *to = NULL, *rowcol = NULL;
	int c, zflag = 0, import = 0, infoflag = 0, have_fmt = 0;
	int dt = -1;
	long long last = 0;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	while ((c = getopt_long(argc, argv, "k:o:r:z", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			tm_strv_free(sl.fields);
			sl.fields = tm_split(optarg, ',', &sl.nfields);
			break;
		case 'o':
			o.fmt = parse_fmt(optarg);
			have_fmt = 1;
			break;
		case 'r':
			tm_strv_free(sl.rows);
			sl.rows = tm_split(optarg, ',', &sl.nrows);
			break;
		case 'z':
			zflag = 1;
			break;
		case OPT_DTYPE:
			dt = tm_dtype_parse(optarg);
			if (dt != TM_F32 && dt != TM_F64) {
				tm_warn("--dtype: '%s' is not F32 or F64", optarg);
				usage();
			}
			break;
		case OPT_FROM:
			/* Kept as text, once checked: ISO dates compare as
			 * strings. */
			from = optarg;
			edate(from, "--from");
			break;
		case OPT_IMPORT:
			import = 1;
			break;
		case OPT_INFO:
			infoflag = 1;
			break;
		case OPT_LAST:
			last = estrtonum(optarg, 1, 1000000, "--last");
			break;
		case OPT_ROW:
			rowcol = optarg;
			break;
		case OPT_TO:
			to = optarg;
			edate(to, "--to");
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (!have_fmt)
		o.fmt = isatty(STDOUT_FILENO) ? FMT_TEXT : FMT_TMT;
	if ((!import && (rowcol || dt >= 0)) || (import && infoflag) ||
	    (zflag && o.fmt != FMT_TMT)) {
		tm_warn("--row and --dtype need --import, --info cannot take "
		    "it, -z needs TMT output");
		usage();
	}

	edate_range(from, to, NULL, NULL);

	static char obuf[OUTBUF];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	struct source *src = import ? source_import(argv, argc, rowcol,
	    dt < 0 ? TM_F64 : (enum tm_dtype)dt) : source_new(argv, argc);
	source_dates(src, from, to);
	if (last && !infoflag)
		source_last(src, last);
	if (infoflag)
		source_headers_only(src);
	/* Nothing to change in a frame but its seq: copy, do not decode
	 * (--last keeps the bytes of the frames it holds). */
	int lazy = o.fmt == FMT_TMT && !zflag && !import && !infoflag &&
	    sl.nrows == 0 && sl.nfields == 0;
	if (lazy)
		source_lazy(src);
	if (o.fmt == FMT_TMT && !infoflag)
		o.w = tm_writer_new(stdout, "<stdout>",
		    zflag ? TM_DEFLATE : TM_RAW);
	else
		o.p = printer_new(stdout, o.fmt);
	source_writer(src, o.w);

	/* --last keeps a ring of frames: constant memory, any length. */
	struct tm_frame f, cut;
	struct kept *ring = NULL;
	size_t nring = 0, head = 0;
	if (last)
		ring = ecalloc((size_t)last, sizeof(*ring));
	tm_frame_init(&f);
	tm_frame_init(&cut);
again:
	while (source_next(src, &f) == 1) {
		const char *d = tm_frame_date(&f);
		if ((from || to) && (d == NULL || (from && strcmp(d, from) < 0) ||
		    (to && strcmp(d, to) > 0)))
			continue;
		if (infoflag) {
			info(src);
			continue;
		}
		struct tm_frame *g = &f;
		if (slice_apply(&sl, &f, &cut))
			g = &cut;
		if (ring) {
			if (lazy)
				keep(&ring[head], source_reader(src), g);
			else {
				swap(&ring[head].f, g);
				ring[head].israw = 0;
			}
			head = (head + 1) % (size_t)last;
			if (nring < (size_t)last)
				nring++;
			continue;
		}
		emit(&o, g, g == &f ? source_reader(src) : NULL);
	}
	/* The last n day files held fewer than n frames of the window: the
	 * whole tree, then (the ring is written only now). */
	if (ring && nring < (size_t)last && source_rewind_all(src)) {
		nring = head = 0;
		goto again;
	}
	for (size_t i = 0; i < nring; i++) {
		size_t k = (head + (size_t)last - nring + i) % (size_t)last;
		if (!ring[k].israw) {
			emit(&o, &ring[k].f, NULL);
			continue;
		}
		if (tm_write_copy(o.w, ring[k].raw.p, ring[k].raw.n,
		    ring[k].seq) == -1)
			tm_exit(tm_fail_status());
		o.rows += ring[k].rows;
	}
	if (o.w && tm_writer_end(o.w) == -1)
		tm_exit(EX_IOERR);
	tm_runlog_rows(0, o.rows);
	efshut(stdout, "<stdout>");

	for (size_t i = 0; i < (size_t)last; i++) {
		tm_frame_release(&ring[i].f);
		tm_buf_free(&ring[i].raw);
	}
	free(ring);
	tm_frame_release(&f);
	tm_frame_release(&cut);
	source_free(src);	/* first: it flushes o.w (empty by now) */
	tm_writer_free(o.w);
	printer_free(o.p);
	slice_free(&sl);
	tm_exit(0);
}
