/* tm-report - the day's report: a terminal text, a complete MIME mail
 * with PNG charts, or a static HTML dashboard, from the recommendation
 * stream, the portfolio state and journal, the run log, the model
 * registry and the slot stream.  Inputs that do not exist yet show as
 * "none yet"; a malformed one stops it with file:line and exit 65. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: tm-report [-o format] [-L logdir] [-M modeldir] "
	    "[-S slots] [-s statedir]\n"
	    "                 [--from from] [--monthly] [--recs recs] "
	    "[--to to] [dir]\n");
	tm_usage_exit();
}

/* An address list for a header: printable ASCII only, so it can neither
 * break the header nor need encoding. */
static const char *
address(const char *s, const char *what)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			tm_die(EX_USAGE, "%s: only printable ASCII, no CR or LF",
			    what);
	if (!*s || !strchr(s, '@'))
		tm_die(EX_USAGE, "%s: not an address: %s", what, s);
	return s;
}

static char *
home_path(const char *sub)
{
	const char *h = getenv("TM_HOME");
	size_t n = strlen(h && *h ? h : ".") + strlen(sub) + 2;
	char *p = emalloc(n);
	snprintf(p, n, "%s/%s", h && *h ? h : ".", sub);
	return p;
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "log", required_argument, NULL, 'L' },
		{ "models", required_argument, NULL, 'M' },
		{ "monthly", no_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "recs", required_argument, NULL, 'r' },
		{ "slots", required_argument, NULL, 'S' },
		{ "state", required_argument, NULL, 's' },
		{ "to", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct report r = { 0 };
	const char *fmt = "text";
	char *dstate = home_path("data/state"), *dlog = home_path("data/log"),
	    *dmodels = home_path("data/models");
	int c;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	r.state_dir = dstate;
	r.log_dir = dlog;
	r.models_dir = dmodels;
	r.from = "tmagikarp@localhost";
	r.to = "root@localhost";
	while ((c = getopt_long(argc, argv, "L:M:o:S:s:", lopts,
	    NULL)) != -1) {
		switch (c) {
		case 'f': r.from = address(optarg, "--from"); break;
		case 'L': r.log_dir = optarg; break;
		case 'M': r.models_dir = optarg; break;
		case 'm': r.monthly = 1; break;
		case 'o': fmt = optarg; break;
		case 'r': r.recs_path = optarg; break;
		case 'S': r.slots_path = optarg; break;
		case 's': r.state_dir = optarg; break;
		case 't': r.to = address(optarg, "--to"); break;
		case 'V':
			printf("tm-report 1.0\n");
			tm_exit(0);
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	int html = strcmp(fmt, "html") == 0;
	if (!html && strcmp(fmt, "text") && strcmp(fmt, "eml"))
		tm_die(EX_USAGE, "-o: text, eml or html, not %s", fmt);
	if (html != (argc == 1) || argc > 1)
		usage();

	r.value = r.cash = r.hwm = r.pnl = NAN;
	r.st_value = r.st_cash = r.st_hwm = NAN;
	load_all(&r);
	perf_compute(&r, 0, &r.perf);
	perf_compute(&r, day_index(&r, r.month_start), &r.month);

	struct tm_buf out = { 0 };
	if (html) {
		char path[4096];
		write_html(&r, &out);
		if (tm_mkdirs(argv[0], 0755))
			tm_die(EX_CANTCREAT, "%s: cannot create the folder",
			    argv[0]);
		snprintf(path, sizeof(path), "%s/index.html", argv[0]);
		if (tm_atomic_write(path, out.p, out.n, 0644))
			tm_die(EX_CANTCREAT, "%s: cannot write", path);
	} else {
		if (fmt[0] == 't')
			write_text(&r, &out);
		else
			write_eml(&r, &out);
		if (fwrite(out.p, 1, out.n, stdout) != out.n)
			tm_die(EX_IOERR, "<stdout>:");
	}
	tm_runlog_rows(0, 1);
	tm_buf_free(&out);
	report_free(&r);
	free(dstate);
	free(dlog);
	free(dmodels);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
