/* tap.h - the unit tests' TAP printer, one copy for every file under
 * tests/unit/ (each is one program, so the counters are its own). */
#include <stdarg.h>
#include <stdio.h>

static int ntest, nfail;

/* One test line: "ok N - what" or "not ok N - what", what formatted as
 * printf's; flushed so a crash after it still shows the line. */
__attribute__((format(printf, 2, 3))) static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* The plan line; main's exit status: 0 when every test passed. */
static int
tap_done(void)
{
	printf("1..%d\n", ntest);
	return nfail != 0;
}
