/*
 * fuzz_csv.c - libFuzzer target: arbitrary bytes through the CSV importer
 * of tm-cat --import (tools/tm-cat/csvimport.c over libcommon's CSV
 * reader), and every frame it makes through tm_write.
 *
 * The first byte picks the dtype (bit 0) and the row column (bit 1:
 * "slot" by name, else the default lookup).
 */
#include "fuzz.h"
#include "csvimport.h"

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

	if (size < 1)
		return 0;
	struct csvimp *c = csvimp_parse(data + 1, size - 1, "fuzz",
	    (data[0] & 2) ? "slot" : NULL, (data[0] & 1) ? TM_F32 : TM_F64);
	if (c == NULL) {
		if (tm_fail_status() != EX_DATAERR)
			abort();
		return 0;
	}
	struct tm_writer *w = tm_writer_new(sink, "sink", TM_RAW);
	tm_frame_init(&f);
	while (csvimp_next(c, &f) == 1)
		if (tm_write(w, &f) == -1)
			abort();
	tm_writer_end(w);
	tm_writer_free(w);
	tm_frame_release(&f);
	csvimp_free(c);
	return 0;
}
