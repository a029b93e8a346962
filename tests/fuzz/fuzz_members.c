/*
 * fuzz_members.c - libFuzzer target: arbitrary bytes as a tm-slotmap -m
 * file (change list or snapshot) through sm_members_mem and
 * sm_members_finish.
 *
 * A bad file must be -1 with 65 (one line said, naming file:line), and
 * what was read before it freed by sm_members_release.
 */
#include <string.h>

#include "slotmap.h"
#include "fuzz.h"

static void
setup(void)
{
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_members m;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = sm_members_mem(&m, data, size, "fuzz");
	if (rc == 0)
		rc = sm_members_finish(&m);
	if (rc == -1 && tm_fail_status() != EX_DATAERR)
		abort();
	for (size_t i = 0; rc == 0 && i < m.nev; i++)
		if (i > 0 && m.ev[i - 1].date > m.ev[i].date)
			abort();	/* finish sorts by date */
	sm_members_release(&m);
	return 0;
}
