/*
 * fuzz_model.c - libFuzzer target: arbitrary bytes as a model file
 * through tm_model_read, and a model it accepts written and read again.
 *
 * The first byte picks a mode, as in fuzz_frame.c: odd, the CRCs of
 * every frame are fixed up first so mutations reach the frames' checks.
 * A bad file must be -1 with 65 (not a model file, or a bad stream).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tm.h"
#include "tmcore.h"
#include "fuzz_crc.h"

static int fd = -1;
static char path[64], again[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	stderr = fopen("/dev/null", "w");
	/* tm_model_read takes a path: an in-memory file named by /proc. */
	if (stderr == NULL || (fd = memfd_create("model", 0)) == -1)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(again, sizeof(again), "/dev/shm/fuzz_model.%ld",
	    (long)getpid());
	return 0;
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
		fix_crcs(b, size - 1);
	if (ftruncate(fd, 0) == -1 || pwrite(fd, b, size - 1, 0) !=
	    (ssize_t)(size - 1))
		abort();
	free(b);
	if (tm_model_read(&m, path) == -1) {
		if (tm_fail_status() != EX_DATAERR)
			abort();
		return 0;
	}
	if (tm_model_write(&m, again) == -1 ||
	    tm_model_read(&m2, again) == -1 ||
	    strcmp(m.version, m2.version) != 0 ||
	    m.pol.nparam != m2.pol.nparam)
		abort();	/* what it wrote it cannot read back */
	unlink(again);
	tm_model_release(&m);
	tm_model_release(&m2);
	return 0;
}
