/*
 * fuzz_frame.c - libFuzzer target: arbitrary bytes through tm_reader, and
 * every frame it accepts back out through tm_write_from.
 *
 * The first byte picks a mode.  Odd: the CRCs of every frame are fixed up
 * before reading, so mutations reach the header JSON and the payload
 * checks instead of stopping at the CRC; even: the bytes as they are.
 */
#include <string.h>

#include "fuzz.h"

static FILE *sink;

static void
setup(void)
{
	sink = fuzz_null();	/* what tm_write makes of the input */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_frame f;

	if (size < 2)
		return 0;
	uint8_t *b = malloc(size - 1);
	memcpy(b, data + 1, size - 1);
	if (data[0] & 1)
		fuzz_fix_crcs(b, size - 1);
	FILE *fp = fmemopen(b, size - 1, "rb");
	if (fp == NULL) {
		free(b);
		return 0;
	}
	struct tm_reader *r = tm_reader_new(fp, "fuzz");
	struct tm_writer *w = tm_writer_new(sink, "sink",
	    (data[0] & 2) ? TM_DEFLATE : -1);
	tm_frame_init(&f);
	while (tm_read(r, &f) == 1) {
		(void)tm_frame_date(&f);
		(void)tm_reader_header(r);
		if (tm_write_from(w, r, &f) == -1)
			break;
	}
	tm_writer_end(w);
	tm_writer_free(w);
	tm_frame_release(&f);
	tm_reader_free(r);
	fclose(fp);
	free(b);
	return 0;
}
