/* tmt-caldays - print the NYSE trading days from FROM to TO, one a line, as
 * libcommon's calendar sees them; the suite compares it with real data. */
#include <stdlib.h>

#include "tm.h"

int
main(int argc, char **argv)
{
	int32_t a, b;
	char buf[11];

	tm_setprogname(argv[0]);
	if (argc != 3 || tm_date_parse(argv[1], &a) || tm_date_parse(argv[2], &b))
		tm_die(EX_USAGE, "usage: tmt-caldays FROM TO");
	for (int32_t d = a; d <= b; d++)
		if (tm_trading_day(d))
			puts(tm_date_fmt(d, buf));
	efshut(stdout, "<stdout>");
	return 0;
}
