/*
 * fuzz_model.c - libFuzzer target: arbitrary bytes as a model file
 * through tm_model_read, and a model it accepts written and read again.
 *
 * The first byte picks a mode, as in fuzz_frame.c: odd, the CRCs of
 * every frame are fixed up first so mutations reach the frames' checks.
 * A bad file must be -1 with 65 (not a model file, or a bad stream).
 */
#include <string.h>

#include "tmcore.h"
#include "fuzz.h"

static struct fuzz_file ff;

static void
setup(void)
{
	fuzz_file_open(&ff, "fuzz_model");	/* tm_model_read takes a path */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_model m, m2;

	if (size < 1)
		return 0;
	uint8_t *b = malloc(size);
	memcpy(b, data + 1, size - 1);
	if (data[0] & 1)
		fuzz_fix_crcs(b, size - 1);
	fuzz_file_fill(&ff, b, size - 1);
	free(b);
	if (tm_model_read(&m, ff.path) == -1) {
		if (tm_fail_status() != EX_DATAERR)
			abort();
		return 0;
	}
	if (tm_model_write(&m, ff.scratch) == -1 ||
	    tm_model_read(&m2, ff.scratch) == -1 ||
	    strcmp(m.version, m2.version) != 0 ||
	    m.pol.nparam != m2.pol.nparam)
		abort();	/* what it wrote it cannot read back */
	unlink(ff.scratch);
	tm_model_release(&m);
	tm_model_release(&m2);
	return 0;
}
