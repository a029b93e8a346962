/* runlog.c - one JSON line per tool run: what ran, how long, how it ended. */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tm.h"

static struct {
	int on;
	int status;
	int64_t in, out;
	double start;
	json_t *args;
} rl;

static double
now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void
iso(double t, char *buf, size_t n)
{
	time_t s = (time_t)t;
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The long options whose value is a secret, in every tool: their values
 * are logged as "***".  Secrets do not belong in argv (tm_secret reads
 * them from the environment or the 0600 secrets file), so this is the
 * second fence, and it is a declared list rather than a guess from the
 * name: "--keys rsi,macd" is a feature list, not a key.  A tool that adds
 * a secret option adds its name here.
 */
static const char *const secret_names[] = {
	"api-key", "key", "pass", "passphrase", "password", "secret",
	"smtp-password", "token", NULL
};

/*
 * The long options of the tools that are also abbreviations of a secret
 * name: getopt_long takes the exact name first, so these are never the
 * secret.  "--to DATE" (tm-cat, tm-fetch, tm-train, tm-backtest...) read
 * as "--token" hid the date of every such run.  A tool that adds an
 * option spelled as the start of a secret name adds it here.
 */
static const char *const public_names[] = { "to", NULL };

/* 1 when argument a is a long option naming a secret: the name before
 * any '=' equals a declared name, or is an abbreviation of one that
 * getopt_long would accept (a prefix of two or more letters) and not an
 * option of its own (public_names). */
static int
secret_opt(const char *a)
{
	size_t n;

	if (a[0] != '-' || a[1] != '-' || a[2] == '\0')
		return 0;
	a += 2;
	n = strcspn(a, "=");
	if (n < 2)
		return 0;
	for (int i = 0; public_names[i]; i++)
		if (strlen(public_names[i]) == n &&
		    strncmp(public_names[i], a, n) == 0)
			return 0;
	for (int i = 0; secret_names[i]; i++)
		if (strlen(secret_names[i]) >= n &&
		    strncmp(secret_names[i], a, n) == 0)
			return 1;
	return 0;
}

/* on_exit(3) hook: status is what exit() was given or main returned, so
 * the log holds the real status whatever path the tool took out. */
static void
runlog_write(int status, void *arg)
{
	const char *path = getenv("TM_LOG"), *home = getenv("TM_HOME");
	char file[4096], t0[32], t1[32];
	double end = now();

	(void)arg;
	if (!rl.on)
		return;
	rl.on = 0;
	rl.status = status;
	if (path && strcmp(path, "off") == 0)
		goto out;
	if (path == NULL || *path == '\0') {
		char dir[4000];
		time_t s = (time_t)rl.start;
		struct tm tm;
		gmtime_r(&s, &tm);
		snprintf(dir, sizeof(dir), "%s/data/log", home ? home : ".");
		if (access(dir, W_OK) != 0)
			goto out;	/* no log folder here: not an error */
		snprintf(file, sizeof(file), "%s/%04d-%02d.jsonl", dir,
		    tm.tm_year + 1900, tm.tm_mon + 1);
		path = file;
	}
	iso(rl.start, t0, sizeof(t0));
	iso(end, t1, sizeof(t1));
	json_t *j = json_pack("{s:s,s:O,s:s,s:s,s:f,s:i,s:I,s:I,s:i}",
	    "tool", tm_progname(), "args", rl.args, "start", t0, "end", t1,
	    "seconds", end - rl.start, "exit", rl.status,
	    "rows_in", (json_int_t)rl.in, "rows_out", (json_int_t)rl.out,
	    "pid", (int)getpid());
	char *line = json_dumps(j, JSON_COMPACT);
	/* A run log that cannot be written must not change the tool's result. */
	if (line)
		(void)tm_append_line(path, line);
	free(line);
	json_decref(j);
out:
	json_decref(rl.args);
	rl.args = NULL;
}

void
tm_runlog_start(int argc, char **argv)
{
	rl.on = 1;
	rl.start = now();
	rl.args = json_array();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			/* operands from here on: nothing is an option */
			for (; i < argc; i++)
				json_array_append_new(rl.args,
				    json_string(argv[i]));
			break;
		}
		const char *eq = strchr(argv[i], '=');
		if (secret_opt(argv[i]) && eq) {
			char *m = emalloc((size_t)(eq - argv[i]) + 5);
			memcpy(m, argv[i], (size_t)(eq - argv[i]) + 1);
			strcpy(m + (eq - argv[i]) + 1, "***");
			json_array_append_new(rl.args, json_string(m));
			free(m);
			continue;
		}
		json_array_append_new(rl.args, json_string(argv[i]));
		if (secret_opt(argv[i]) && i + 1 < argc) {
			json_array_append_new(rl.args, json_string("***"));
			i++;
		}
	}
	on_exit(runlog_write, NULL);
}

void
tm_runlog_rows(int64_t in, int64_t out)
{
	rl.in += in;
	rl.out += out;
}

void
tm_runlog_status(int status)
{
	rl.status = status;
}

void
tm_exit(int status)
{
	rl.status = status;
	exit(status);
}
