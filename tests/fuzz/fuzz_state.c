/*
 * fuzz_state.c - libFuzzer target: arbitrary bytes as tm-slotmap's state
 * file through sm_state_load, and a state it accepts saved and loaded
 * again, which must give the same table.
 *
 * A bad state must be -1 with 65 (one line said), nothing else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "slotmap.h"

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
	/* The reader takes a path: an in-memory file named by /proc. */
	if (stderr == NULL || (fd = memfd_create("state", 0)) == -1)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(again, sizeof(again), "/dev/shm/fuzz_state.%ld",
	    (long)getpid());
	return 0;
}

/* The same slots, tickers and dates. */
static int
same(const struct sm_table *a, const struct sm_table *b)
{
	if (a->nslots != b->nslots || a->last != b->last ||
	    strcmp(a->lay.name, b->lay.name) != 0)
		return 0;
	for (int64_t i = 0; i < a->nslots; i++) {
		const struct sm_slot *x = &a->s[i], *y = &b->s[i];
		if ((x->ticker == NULL) != (y->ticker == NULL))
			return 0;
		if (x->ticker && (strcmp(x->ticker, y->ticker) != 0 ||
		    x->added != y->added || x->archived != y->archived ||
		    x->seeded != y->seeded))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_table t, u;

	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	if (sm_state_load(path, &t) != 1) {
		if (tm_fail_status() != EX_DATAERR)
			abort();
		return 0;
	}
	sm_state_save(again, &t);
	if (sm_state_load(again, &u) != 1 || !same(&t, &u))
		abort();	/* what it saved it cannot read back */
	unlink(again);
	sm_table_release(&t);
	sm_table_release(&u);
	return 0;
}
