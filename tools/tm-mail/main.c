/* main.c - tm-mail: send a message over SMTP (libcurl), or spool it to a
 * maildir when the server cannot take it now, and flush that spool. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "mail.h"

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fputs("usage: tm-mail [-v] [-a file] [-H header] [--cacert file] "
	    "[--from from]\n"
	    "               [--html file] [--insecure-plain] [--print] "
	    "[--severity level]\n"
	    "               [--spool dir] [--spool-only] [--subject subject] "
	    "[--text file]\n"
	    "               [--timeout seconds] [--url url] [rcpt ...]\n"
	    "       tm-mail --flush [-v] [--backoff seconds] "
	    "[--cacert file] [--insecure-plain]\n"
	    "               [--lifetime time] [--retries n] "
	    "[--spool dir] [--timeout seconds] [--url url]\n",
	    tm_usage_out());
	tm_usage_exit();
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* "90", "90s", "30m", "72h", "3d": seconds. */
static double
duration(const char *s, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0 || v > 1e9)
		tm_die(EX_USAGE, "%s %s: not a duration", what, s);
	if (*end == '\0' || strcmp(end, "s") == 0)
		return v;
	if (strcmp(end, "m") == 0)
		return v * 60;
	if (strcmp(end, "h") == 0)
		return v * 3600;
	if (strcmp(end, "d") == 0)
		return v * 86400;
	tm_die(EX_USAGE, "%s %s: unit is s, m, h or d", what, s);
}

/* Add the comma list s (TM_MAIL_TO) to the recipients. */
static void
add_rcpts(struct msgopt *o, const char *s)
{
	size_t n;
	char **v = tm_split(s, ',', &n);

	for (size_t i = 0; i < n; i++) {
		char *a, *name;
		addr_parse("recipient", v[i], &a, &name);
		free(name);
		o->to = ereallocarray(o->to, o->nto + 1, sizeof(char *));
		o->to[o->nto++] = a;
	}
	tm_strv_free(v);
}

static char *
default_spool(void)
{
	const char *home = env("TM_HOME");
	char *s;

	if (asprintf(&s, "%s/data/spool", home ? home : ".") == -1)
		tm_die(EX_OSERR, "asprintf:");
	return s;
}

static void
secret_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

int
main(int argc, char *argv[])
{
	enum { O_BACKOFF = 256, O_CACERT, O_FLUSH, O_HTML, O_PLAIN,
	    O_LIFETIME, O_RETRIES, O_SEVERITY, O_SPOOL, O_SPOOLONLY, O_TEXT,
	    O_TIMEOUT, O_URL };
	static const struct option longs[] = {
		{ "attach", required_argument, NULL, 'a' },
		{ "backoff", required_argument, NULL, O_BACKOFF },
		{ "cacert", required_argument, NULL, O_CACERT },
		{ "flush", no_argument, NULL, O_FLUSH },
		{ "from", required_argument, NULL, 'f' },
		{ "header", required_argument, NULL, 'H' },
		{ "html", required_argument, NULL, O_HTML },
		{ "insecure-plain", no_argument, NULL, O_PLAIN },
		{ "lifetime", required_argument, NULL, O_LIFETIME },
		{ "print", no_argument, NULL, 'n' },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "severity", required_argument, NULL, O_SEVERITY },
		{ "spool", required_argument, NULL, O_SPOOL },
		{ "spool-only", no_argument, NULL, O_SPOOLONLY },
		{ "subject", required_argument, NULL, 's' },
		{ "text", required_argument, NULL, O_TEXT },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "url", required_argument, NULL, O_URL },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct msgopt o;
	struct smtpcfg sc;
	struct flushopt fo = { 3 * 86400.0, 3, 2.0 };
	int c, flush = 0, print = 0, spool_only = 0;
	char *spool = NULL;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	memset(&o, 0, sizeof(o));
	memset(&sc, 0, sizeof(sc));
	sc.timeout = 60;
	while ((c = getopt_long(argc, argv, "a:H:v", longs, NULL)) != -1) {
		switch (c) {
		case 'a':
			o.attach = ereallocarray(o.attach, o.nattach + 1,
			    sizeof(char *));
			o.attach[o.nattach++] = optarg;
			break;
		case 'f':
			o.from = optarg;
			break;
		case 'H':
			o.hdr = ereallocarray(o.hdr, o.nhdr + 1, sizeof(char *));
			o.hdr[o.nhdr++] = optarg;
			break;
		case 'n':
			print = 1;
			break;
		case 's':
			o.subject = optarg;
			break;
		case 'v':
			sc.verbose = 1;
			break;
		case O_BACKOFF:
			fo.backoff = estrtod(optarg, 0, 3600, "--backoff");
			break;
		case O_CACERT:
			sc.cacert = optarg;
			break;
		case O_FLUSH:
			flush = 1;
			break;
		case O_HTML:
			o.html = optarg;
			break;
		case O_PLAIN:
			sc.insecure_plain = 1;
			break;
		case O_LIFETIME:
			fo.lifetime = duration(optarg, "--lifetime");
			break;
		case O_RETRIES:
			fo.retries = (int)estrtonum(optarg, 0, 20, "--retries");
			break;
		case O_SEVERITY:
			if (strcmp(optarg, "critical") && strcmp(optarg,
			    "warning") && strcmp(optarg, "info"))
				tm_die(EX_USAGE, "--severity %s: want critical, "
				    "warning or info", optarg);
			o.severity = optarg;
			break;
		case O_SPOOL:
			spool = estrdup(optarg);
			break;
		case O_SPOOLONLY:
			spool_only = 1;
			break;
		case O_TEXT:
			o.text = optarg;
			break;
		case O_TIMEOUT:
			sc.timeout = (long)estrtonum(optarg, 1, 3600,
			    "--timeout");
			break;
		case O_URL:
			sc.url = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (spool == NULL)
		spool = env("TM_MAIL_SPOOL") ? estrdup(env("TM_MAIL_SPOOL")) :
		    default_spool();
	if (sc.url == NULL)
		sc.url = env("TM_SMTP_URL");
	if (sc.cacert == NULL)
		sc.cacert = env("TM_SMTP_CACERT");
	if (flush && (argc > 0 || print || spool_only || o.subject ||
	    o.text || o.html || o.nattach || o.nhdr || o.from || o.severity))
		usage();
	if (print && spool_only)
		tm_die(EX_USAGE, "-n and --spool-only: choose one");
	if (sc.url)
		smtp_url_check(sc.url);
	else if (!print && !spool_only)
		tm_die(EX_CONFIG, "no SMTP server: give --url or TM_SMTP_URL");

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		tm_die(EX_SOFTWARE, "curl_global_init failed");
	if (!print && !spool_only) {
		sc.user = esecret("TM_SMTP_USER", "smtp_user");
		sc.pass = esecret("TM_SMTP_PASS", "smtp_pass");
	}
	if (flush) {
		if (spool_init(spool) == -1)
			tm_die(EX_CANTCREAT, "%s: cannot make the spool", spool);
		int st = spool_flush(spool, &sc, &fo);
		secret_free(sc.user);
		secret_free(sc.pass);
		free(spool);
		curl_global_cleanup();
		tm_exit(st);
	}

	if (o.from == NULL)
		o.from = env("TM_MAIL_FROM");
	if (o.subject)
		hdr_check("--subject", o.subject);
	for (int i = 0; i < argc; i++)
		add_rcpts(&o, argv[i]);
	if (o.nto == 0 && env("TM_MAIL_TO"))
		add_rcpts(&o, env("TM_MAIL_TO"));
	if (o.nto == 0)
		tm_die(EX_USAGE, "no recipient: give rcpt or TM_MAIL_TO");

	struct tm_buf msg = { 0 };
	int composed = o.subject || o.text || o.html || o.nattach;
	if (composed) {
		if (o.from == NULL)
			tm_die(EX_USAGE, "no sender: give -f or TM_MAIL_FROM");
		if (!o.text && !o.html)
			o.text = "-";
		compose(&o, &msg);
	} else {
		struct tm_buf in = { 0 };
		buf_slurp(&in, "-");
		fix_raw(&o, &in, &msg);
		tm_buf_free(&in);
	}
	char *from, *fname;
	addr_parse("--from", o.from, &from, &fname);
	free(fname);

	int st = 0;
	if (print) {
		if (fwrite(msg.p, 1, msg.n, stdout) != msg.n)
			tm_die(EX_IOERR, "<stdout>: write error:");
	} else if (spool_only) {
		if (spool_init(spool) == -1)
			tm_die(EX_CANTCREAT, "%s: cannot make the spool", spool);
		char *p = spool_put(spool, "new", from, o.to, o.nto,
		    (long long)time(NULL), msg.p, msg.n);
		if (p == NULL)
			tm_die(EX_CANTCREAT, "%s: message not spooled", spool);
		printf("%s\n", p);
		free(p);
	} else {
		char err[1024];
		int rc = smtp_send(&sc, from, o.to, o.nto, msg.p, msg.n, err,
		    sizeof(err));
		if (rc != SEND_OK) {
			/* Never lost: what cannot go now waits in new/ (or,
			 * refused for good, in failed/ for a human). */
			const char *dir = rc == SEND_PERM ? "failed" : "new";
			char *p = spool_init(spool) == -1 ? NULL :
			    spool_put(spool, dir, from, o.to, o.nto,
			    (long long)time(NULL), msg.p, msg.n);
			if (p == NULL)
				tm_die(EX_CANTCREAT, "%s; and the message "
				    "could not be spooled in %s", err, spool);
			tm_warn("%s: %s %s", err, rc == SEND_PERM ?
			    "refused; kept in" : "spooled as", p);
			free(p);
			st = rc == SEND_PERM ? EX_UNAVAILABLE : rc ==
			    SEND_CONFIG ? EX_CONFIG : EX_TEMPFAIL;
		}
	}
	tm_buf_free(&msg);
	free(from);
	free(spool);
	for (size_t i = 0; i < o.nto; i++)
		free(o.to[i]);
	free(o.to);
	secret_free(sc.user);
	secret_free(sc.pass);
	curl_global_cleanup();
	efshut(stdout, "<stdout>");
	tm_exit(st);
}
