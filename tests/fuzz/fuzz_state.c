/*
 * fuzz_state.c - libFuzzer target: arbitrary bytes as tm-slotmap's state
 * file through sm_state_load, and a state it accepts saved and loaded
 * again, which must give the same table.
 *
 * A bad state must be -1 with 65 (one line said), nothing else.
 */
#include <string.h>

#include "slotmap.h"
#include "fuzz.h"

static struct fuzz_file ff;

static void
setup(void)
{
	fuzz_file_open(&ff, "fuzz_state");	/* sm_state_load takes a path */
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

	fuzz_file_fill(&ff, data, size);
	if (sm_state_load(ff.path, &t) != 1) {
		if (tm_fail_status() != EX_DATAERR)
			abort();
		return 0;
	}
	sm_state_save(ff.scratch, &t);
	if (sm_state_load(ff.scratch, &u) != 1 || !same(&t, &u))
		abort();	/* what it saved it cannot read back */
	unlink(ff.scratch);
	sm_table_release(&t);
	sm_table_release(&u);
	return 0;
}
