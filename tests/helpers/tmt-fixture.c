/*
 * tmt-fixture - the interoperability fixture of tm-tensor(5).
 *
 * Without options, writes a small stream that uses every dtype, both
 * encodings, labels with a NaN row and a non-ASCII ticker, coords and meta,
 * so another implementation (tests/helpers/tmt_np.py) can be checked against it.
 * With -r, reads a stream from stdin and re-encodes every frame with
 * tm_write (encoding as read), so a foreign writer's bytes can be compared
 * with libcommon's; a bad stream exits with the reader's status (65).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tm.h"

static void
usage(void)
{
	fputs("usage: tmt-fixture [-r]\n", stderr);
	exit(EX_USAGE);
}

static void
put(struct tm_writer *w, struct tm_frame *f)
{
	if (tm_write(w, f) == -1)
		tm_exit(EX_IOERR);
}

static void
labels(struct tm_frame *f, int d, const char *const *v)
{
	for (int64_t i = 0; i < f->shape[d]; i++)
		tm_frame_set_label(f, d, i, v[i]);
}

static int
write_fixture(void)
{
	static const char *const tickers[] = { "AAPL", "BRK-B", "ZÜRICH" };
	static const char *const fields[] = { "close", "volume" };
	static const char *const fields3[] = { "open", "close", "split" };
	static const float f32[] = { 189.5f, 5.25e7f, NAN, NAN, -0.125f,
	    3.4028235e38f };
	static const double f64[] = { 0.1, -0.0, NAN, 1e300, 5e-324,
	    -2.5, INFINITY, 4, 1 };
	static const int32_t i32[] = { 0, -1, INT32_MAX, INT32_MIN };
	static const uint8_t u8[] = { 0, 1, 2, 255 };
	static const int64_t i64[] = { INT64_MIN, -1, 9007199254740993LL,
	    INT64_MAX };
	struct tm_writer *w = tm_writer_new(stdout, "<stdout>", -1);
	struct tm_frame f;

	tm_frame_init(&f);

	/* 0: raw F32 with a missing row, a non-ASCII ticker, meta. */
	if (tm_frame_shape2(&f, TM_F32, "ticker", 3, "field", 2) == -1)
		tm_die(EX_SOFTWARE, "fixture: frame 0");
	labels(&f, 0, tickers);
	labels(&f, 1, fields);
	memcpy(f.data, f32, sizeof(f32));
	tm_frame_set_date(&f, "2024-06-03");
	tm_frame_set_meta(&f, "producer", "tmt-fixture");
	tm_frame_set_meta(&f, "note", "tab\there \"quoted\" back\\slash /é€ \037");
	f.encoding = TM_RAW;
	put(w, &f);

	/* 1: deflate F64, edge values, an integer coord besides the date. */
	if (tm_frame_shape2(&f, TM_F64, "ticker", 3, "field", 3) == -1)
		tm_die(EX_SOFTWARE, "fixture: frame 1");
	labels(&f, 0, tickers);
	labels(&f, 1, fields3);
	memcpy(f.data, f64, sizeof(f64));
	tm_frame_set_date(&f, "2024-06-04");
	/* A real and an integer coord: reals are where JSON writers differ. */
	json_object_set_new(f.coords, "day", json_integer(19878));
	json_object_set_new(f.coords, "turbulence", json_real(0.1));
	f.encoding = TM_DEFLATE;
	put(w, &f);

	/* 2: raw I32 [2,2], labels on the first axis only. */
	if (tm_frame_shape2(&f, TM_I32, "slot", 2, "field", 2) == -1)
		tm_die(EX_SOFTWARE, "fixture: frame 2");
	tm_frame_set_label(&f, 0, 0, "");
	tm_frame_set_label(&f, 0, 1, "MSFT");
	memcpy(f.data, i32, sizeof(i32));
	tm_frame_set_date(&f, "2024-06-05");
	f.encoding = TM_RAW;
	put(w, &f);

	/* 3: raw U8, rank 1, no labels, no coords. */
	int64_t n = 4;
	const char *ax = "region";
	if (tm_frame_shape(&f, TM_U8, 1, &n, &ax) == -1)
		tm_die(EX_SOFTWARE, "fixture: frame 3");
	memcpy(f.data, u8, sizeof(u8));
	put(w, &f);

	/* 4: deflate I64, rank 3. */
	int64_t sh[3] = { 2, 1, 2 };
	const char *axes[3] = { "a", "b", "c" };
	if (tm_frame_shape(&f, TM_I64, 3, sh, axes) == -1)
		tm_die(EX_SOFTWARE, "fixture: frame 4");
	memcpy(f.data, i64, sizeof(i64));
	tm_frame_set_date(&f, "2024-06-06");
	f.encoding = TM_DEFLATE;
	put(w, &f);

	if (tm_writer_end(w) == -1)
		tm_exit(EX_IOERR);
	tm_writer_free(w);
	tm_frame_release(&f);
	return 0;
}

static int
reencode(void)
{
	struct tm_reader *r = tm_reader_new(stdin, "<stdin>");
	struct tm_writer *w = tm_writer_new(stdout, "<stdout>", -1);
	struct tm_frame f;
	int rc, status = 0;

	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1)
		put(w, &f);
	if (rc == -1)
		status = tm_reader_status(r);
	else if (tm_writer_end(w) == -1)
		status = EX_IOERR;
	tm_frame_release(&f);
	tm_writer_free(w);
	tm_reader_free(r);
	return status;
}

int
main(int argc, char **argv)
{
	int c, rflag = 0, status;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	while ((c = getopt(argc, argv, "r")) != -1) {
		switch (c) {
		case 'r':
			rflag = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	status = rflag ? reencode() : write_fixture();
	efshut(stdout, "<stdout>");
	tm_exit(status);
}
