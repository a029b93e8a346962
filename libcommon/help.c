/* help.c - --help and --version, one mechanism for every tool. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "tm.h"

static int helping;	/* set while usage() runs for --help */

void
tm_std_options(int argc, char **argv, void (*usage)(void))
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--version")) {
			printf("%s %s\n", tm_progname(), TM_VERSION);
			tm_exit(0);
		}
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help")) {
			helping = 1;
			usage();
		}
}

FILE *
tm_usage_out(void)
{
	return helping ? stdout : stderr;
}

void
tm_usage_exit(void)
{
	if (helping && fflush(stdout) == EOF)
		tm_die(EX_IOERR, "standard output:");
	tm_exit(helping ? 0 : EX_USAGE);
}

void
estdout_tmt(void)
{
	if (isatty(STDOUT_FILENO))
		tm_die(EX_USAGE, "standard output is a terminal: the output is "
		    "a binary TMT stream (redirect it, or pipe it to tm-cat)");
}
