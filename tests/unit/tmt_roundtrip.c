/* tmt_roundtrip.c - unit tests of frame write/read over every dtype and
 * encoding, segments, and the reader's refusals.  Prints TAP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

#include "tap.h"

static void
fill(struct tm_frame *f, enum tm_dtype dt, int seed)
{
	if (tm_frame_shape2(f, dt, "ticker", 3, "field", 2) == -1)
		abort();
	tm_frame_set_label(f, 0, 0, "AAPL");
	tm_frame_set_label(f, 0, 1, "BRK-B");
	tm_frame_set_label(f, 0, 2, "Zürich\"AG");
	tm_frame_set_label(f, 1, 0, "close");
	tm_frame_set_label(f, 1, 1, "volume");
	tm_frame_set_date(f, "2024-06-03");
	tm_frame_set_meta(f, "producer", "unit");
	for (size_t i = 0; i < 6; i++)
		tm_frame_set(f, i, (double)(seed * 10 + (int)i) + (dt <= TM_F64 ? 0.25 : 0));
	if (dt <= TM_F64)
		tm_frame_set(f, 4, NAN);
}

static int
same(const struct tm_frame *a, const struct tm_frame *b)
{
	if (a->dtype != b->dtype || a->ndim != b->ndim || a->nbytes != b->nbytes)
		return 0;
	for (int d = 0; d < a->ndim; d++) {
		if (a->shape[d] != b->shape[d] || strcmp(a->axes[d], b->axes[d]))
			return 0;
		for (int64_t i = 0; i < a->shape[d]; i++)
			if (strcmp(a->labels[d][i], b->labels[d][i]))
				return 0;
	}
	if (strcmp(tm_frame_date(a), tm_frame_date(b)))
		return 0;
	return memcmp(a->data, b->data, a->nbytes) == 0;
}

int
main(void)
{
	tm_setprogname("tmt_roundtrip");
	setenv("TM_LOG", "off", 1);
	for (int dt = 0; dt < TM_NDTYPE; dt++) {
		for (int enc = 0; enc < 2; enc++) {
			char *buf = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&buf, &len);
			struct tm_writer *w = tm_writer_new(mem, "mem", enc);
			struct tm_frame in[3], out;
			for (int k = 0; k < 3; k++) {
				tm_frame_init(&in[k]);
				fill(&in[k], dt, k);
				tm_write(w, &in[k]);
			}
			tm_writer_end(w);
			tm_writer_free(w);
			fclose(mem);

			FILE *rf = fmemopen(buf, len, "r");
			struct tm_reader *r = tm_reader_new(rf, "mem");
			tm_frame_init(&out);
			int good = 1, k = 0, rc;
			while ((rc = tm_read(r, &out)) == 1) {
				good &= k < 3 && same(&in[k], &out) &&
				    out.seq == k && (int)out.encoding == enc;
				k++;
			}
			char what[64];
			snprintf(what, sizeof(what), "round trip %s %s",
			    tm_dtype_name(dt), enc ? "deflate" : "raw");
			ok(good && rc == 0 && k == 3, "%s", what);
			ok(len % 64 == 0, "stream is 64-aligned");
			tm_reader_free(r);
			fclose(rf);

			/* Lazily: the stored bytes, shape and date, no labels,
			 * and tm_reader_decode gives what a plain read does. */
			rf = fmemopen(buf, len, "r");
			r = tm_reader_new(rf, "mem");
			tm_reader_lazy(r, 1);
			good = 1;
			k = 0;
			size_t at = 0;
			while ((rc = tm_read(r, &out)) == 1) {
				size_t rawlen;
				const unsigned char *raw = tm_reader_raw(r, &rawlen);
				good &= k < 3 && raw && at + rawlen <= len &&
				    memcmp(raw, buf + at, rawlen) == 0 &&
				    out.labels[0] == NULL && out.shape[0] == 3 &&
				    out.seq == k &&
				    strcmp(tm_frame_date(&out), "2024-06-03") == 0;
				at += rawlen;
				good &= tm_reader_decode(r, &out) == 0 &&
				    same(&in[k], &out) && tm_reader_raw(r, &rawlen) &&
				    rawlen > 0;
				k++;
			}
			snprintf(what, sizeof(what), "lazy read %s %s",
			    tm_dtype_name(dt), enc ? "deflate" : "raw");
			ok(good && rc == 0 && k == 3, "%s", what);
			tm_reader_free(r);
			fclose(rf);

			/* Two segments concatenated read as one stream. */
			char *two = malloc(2 * len);
			memcpy(two, buf, len);
			memcpy(two + len, buf, len);
			rf = fmemopen(two, 2 * len, "r");
			r = tm_reader_new(rf, "mem");
			k = 0;
			while ((rc = tm_read(r, &out)) == 1)
				k++;
			ok(rc == 0 && k == 6, "concatenated segments");
			tm_reader_free(r);
			fclose(rf);

			/* Truncation at every offset is an error, never a crash. */
			int allbad = 1;
			for (size_t cut = 0; cut < 2 * len; cut++) {
				/* the second pass reads lazily */
				size_t c = cut % len;
				rf = fmemopen(buf, c ? c : 1, "r");
				if (c == 0) { fgetc(rf); }
				r = tm_reader_new(rf, "mem");
				tm_reader_lazy(r, cut >= len);
				FILE *olderr = stderr;
				stderr = fopen("/dev/null", "w");
				while ((rc = tm_read(r, &out)) == 1)
					;
				fclose(stderr);
				stderr = olderr;
				allbad &= rc == -1 && tm_reader_status(r) == EX_DATAERR;
				tm_reader_free(r);
				fclose(rf);
			}
			ok(allbad, "every truncation is EX_DATAERR, read lazily too");
			free(two);
			for (int j = 0; j < 3; j++)
				tm_frame_release(&in[j]);
			tm_frame_release(&out);
			free(buf);
		}
	}
	/* The reader's label cache: same labels reused, changed labels and a
	 * caller's edits never served stale. */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		struct tm_writer *w = tm_writer_new(mem, "mem", TM_RAW);
		struct tm_frame a, b;
		tm_frame_init(&a);
		tm_frame_init(&b);
		fill(&a, TM_F32, 1);
		tm_write(w, &a);
		tm_write(w, &a);		/* same labels: cache hit */
		tm_frame_set_label(&a, 0, 1, "MSFT");
		tm_write(w, &a);		/* changed labels */
		tm_write(w, &a);
		tm_write(w, &a);
		tm_writer_end(w);
		tm_writer_free(w);
		fclose(mem);
		FILE *rf = fmemopen(buf, len, "r");
		struct tm_reader *r = tm_reader_new(rf, "mem");
		int good = 1;
		good &= tm_read(r, &b) == 1 && strcmp(b.labels[0][1], "BRK-B") == 0;
		good &= tm_read(r, &b) == 1 && strcmp(b.labels[0][1], "BRK-B") == 0;
		good &= tm_read(r, &b) == 1 && strcmp(b.labels[0][1], "MSFT") == 0;
		good &= tm_read(r, &b) == 1 && strcmp(b.labels[0][1], "MSFT") == 0;
		tm_frame_set_label(&b, 0, 1, "EDITED");	/* caller's edit */
		good &= tm_read(r, &b) == 1 && strcmp(b.labels[0][1], "MSFT") == 0;
		good &= strcmp(b.labels[0][2], "Zürich\"AG") == 0 &&
		    strcmp(b.labels[1][1], "volume") == 0;
		const json_t *h = tm_reader_header(r);
		json_t *lab = json_object_get(h, "labels");
		good &= json_array_size(json_object_get(lab, "ticker")) == 3;
		good &= tm_read(r, &b) == 0;
		ok(good, "label cache: reused, refreshed, never stale");
		tm_reader_free(r);
		fclose(rf);
		tm_frame_release(&a);
		tm_frame_release(&b);
		free(buf);
	}

	/* Dates and the calendar. */
	int32_t d;
	char b[11];
	ok(tm_date_parse("2024-02-29", &d) == 0 &&
	    strcmp(tm_date_fmt(d, b), "2024-02-29") == 0, "date round trip");
	ok(tm_date_parse("2023-02-29", &d) == -1, "bad date refused");
	tm_date_parse("2024-11-28", &d);
	ok(!tm_trading_day(d), "Thanksgiving 2024 closed");
	tm_date_parse("2024-03-29", &d);
	ok(!tm_trading_day(d), "Good Friday 2024 closed");
	tm_date_parse("2022-06-20", &d);
	ok(!tm_trading_day(d), "Juneteenth 2022 observed Monday");
	tm_date_parse("2021-12-31", &d);
	ok(tm_trading_day(d), "Friday 2021-12-31 open (New Year on Saturday)");
	tm_date_parse("2020-11-02", &d);
	ok(tm_date_from_epoch_ny(1604327400) == d, "NY date of a Yahoo timestamp");
	return tap_done();
}
