/* libcommon_misc.c - unit tests of atomic files, config and secrets, the
 * run log, list and number parsing, the input loop.  Prints TAP. */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tm.h"
#include "tmcore.h"

#include "tap.h"

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	static char buf[8192];
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* tm_each_input's callback: appends name and the file's first byte to
 * arg, a buffer of SEENSZ bytes. */
#define SEENSZ 1400
static void
seen(void *arg, FILE *fp, const char *name)
{
	char *log = arg;
	int c = fgetc(fp);
	size_t n = strlen(log);

	snprintf(log + n, SEENSZ - n, "%s=%c;", name, c == EOF ? '!' : c);
}

static int
count_entries(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

int
main(void)
{
	char dir[] = "/tmp/tm-unit.XXXXXX", path[512], *s;

	tm_setprogname("libcommon_misc");
	if (mkdtemp(dir) == NULL)
		return 1;

	/* Atomic replace: old content until commit, new after, no temp left. */
	snprintf(path, sizeof(path), "%s/state.json", dir);
	ok(tm_atomic_write(path, "old\n", 4, 0) == 0, "atomic write");
	struct tm_atomic *a = tm_atomic_open(path, 0600);
	fputs("new\n", tm_atomic_fp(a));
	fflush(tm_atomic_fp(a));
	ok(strcmp(slurp(path), "old\n") == 0, "old content visible before commit");
	ok(count_entries(dir) == 2, "temporary file beside the target");
	ok(tm_atomic_commit(a) == 0, "commit");
	ok(strcmp(slurp(path), "new\n") == 0, "new content after commit");
	ok(count_entries(dir) == 1, "no temporary file left after commit");
	struct stat st;
	stat(path, &st);
	ok((st.st_mode & 0777) == 0600, "mode as asked");
	a = tm_atomic_open(path, 0);
	fputs("half", tm_atomic_fp(a));
	tm_atomic_abort(a);
	ok(strcmp(slurp(path), "new\n") == 0 && count_entries(dir) == 1,
	    "abort leaves the old file and no temporary");
	char deep[600];
	snprintf(deep, sizeof(deep), "%s/a/b/c", dir);
	ok(tm_mkdirs(deep, 0755) == 0 && access(deep, W_OK) == 0, "mkdirs");
	FILE *olderr = stderr;
	snprintf(deep, sizeof(deep), "%s/state.json", dir);
	stderr = fopen("/dev/null", "w");
	ok(tm_mkdirs(deep, 0755) == -1, "mkdirs onto an existing file fails");
	snprintf(deep, sizeof(deep), "%s/state.json/sub", dir);
	ok(tm_mkdirs(deep, 0755) == -1, "mkdirs through an existing file fails");
	fclose(stderr);
	stderr = olderr;
	ok(tm_utf8_valid("Z\xc3\x9cRICH", 7) && !tm_utf8_valid("h\x9b", 2) &&
	    !tm_utf8_valid("\xed\xa0\x80", 3) && !tm_utf8_valid("\xc0\xaf", 2) &&
	    !tm_utf8_valid("\xe2\x82", 2), "UTF-8 check");
	snprintf(path, sizeof(path), "%s/nodir/x", dir);
	stderr = fopen("/dev/null", "w");
	ok(tm_atomic_open(path, 0) == NULL, "atomic open in a missing folder fails");
	fclose(stderr);
	stderr = olderr;

	/* Config: a secrets file must be 0600. */
	snprintf(path, sizeof(path), "%s/secrets.json", dir);
	tm_atomic_write(path, "{\"smtp_password\": \"hunter2\"}", 28, 0644);
	stderr = fopen("/dev/null", "w");
	ok(tm_config_load(path, 1) == NULL, "secrets file 0644 refused");
	fclose(stderr);
	stderr = olderr;
	chmod(path, 0600);
	json_t *j = tm_config_load(path, 1);
	ok(j && strcmp(json_string_value(json_object_get(j, "smtp_password")),
	    "hunter2") == 0, "secrets file 0600 loaded");
	json_decref(j);
	setenv("TM_SECRETS", path, 1);
	unsetenv("TM_UNIT_PW");
	s = esecret("TM_UNIT_PW", "smtp_password");
	ok(s && strcmp(s, "hunter2") == 0, "secret from the file");
	free(s);
	setenv("TM_UNIT_PW", "fromenv", 1);
	s = esecret("TM_UNIT_PW", "smtp_password");
	ok(s && strcmp(s, "fromenv") == 0, "environment wins over the file");
	free(s);
	/* A loose secrets file: tm_secret returns the reason, not exits. */
	chmod(getenv("TM_SECRETS"), 0644);
	unsetenv("TM_UNIT_PW");
	stderr = fopen("/dev/null", "w");
	s = (char *)"unset";
	ok(tm_secret("TM_UNIT_PW", "smtp_password", &s) == -1 && s == NULL &&
	    tm_fail_status() == EX_CONFIG,
	    "tm_secret: a loose secrets file is -1, EX_CONFIG, no exit");
	fclose(stderr);
	stderr = olderr;
	chmod(getenv("TM_SECRETS"), 0600);
	ok(tm_secret("TM_UNIT_PW", "nokey", &s) == 0 && s == NULL,
	    "tm_secret: a key the file lacks is 0 and NULL");
	/* tm_write returns on a bad frame (it used to exit). */
	{
		struct tm_frame bf;
		FILE *nul = fopen("/dev/null", "wb");
		struct tm_writer *bw = tm_writer_new(nul, "<null>", TM_RAW);
		tm_frame_init(&bf);
		tm_frame_shape2(&bf, TM_F32, "row", 2, "field", 2);
		bf.nbytes = 3;		/* does not match the shape */
		stderr = fopen("/dev/null", "w");
		ok(tm_write(bw, &bf) == -1 && tm_fail_status() == EX_SOFTWARE,
		    "tm_write: a size mismatch is -1, EX_SOFTWARE, no exit");
		fclose(stderr);
		stderr = olderr;
		bf.nbytes = 16;
		tm_frame_release(&bf);
		tm_writer_free(bw);
		fclose(nul);
	}
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	tm_atomic_write(path, "{\"a\": 1,}", 9, 0600);
	stderr = fopen("/dev/null", "w");
	ok(tm_config_load(path, 0) == NULL, "malformed config refused");
	fclose(stderr);
	stderr = olderr;

	/* Run log: a child process logs one line, with the secret masked. */
	snprintf(path, sizeof(path), "%s/run.jsonl", dir);
	setenv("TM_LOG", path, 1);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "tm-x", "-n", "5", "--api-key", "s3cr3t",
		    "--password=pw", NULL };
		tm_setprogname("tm-x");
		tm_runlog_start(6, argv);
		tm_runlog_rows(10, 7);
		tm_exit(3);
	}
	int wst;
	waitpid(pid, &wst, 0);
	s = slurp(path);
	ok(WIFEXITED(wst) && WEXITSTATUS(wst) == 3, "tm_exit status");
	j = s ? json_loads(s, 0, NULL) : NULL;
	ok(j && strcmp(json_string_value(json_object_get(j, "tool")), "tm-x") == 0 &&
	    json_integer_value(json_object_get(j, "exit")) == 3 &&
	    json_integer_value(json_object_get(j, "rows_in")) == 10 &&
	    json_integer_value(json_object_get(j, "rows_out")) == 7,
	    "run log line: tool, exit, rows");
	ok(s && strstr(s, "s3cr3t") == NULL && strstr(s, "pw\"") == NULL,
	    "secrets masked in the run log");
	json_decref(j);

	/* Lists and numbers. */
	size_t n;
	char **v = tm_split("a,,b", ',', &n);
	ok(n == 3 && strcmp(v[0], "a") == 0 && v[1][0] == '\0' &&
	    strcmp(v[2], "b") == 0 && v[3] == NULL, "split keeps empty items");
	tm_strv_free(v);
	double d;
	ok(tm_parse_double("1e-3", 0, &d) == 0 && d == 1e-3, "parse double");
	ok(tm_parse_double("12abc", 0, &d) == -1, "trailing junk refused");
	ok(tm_parse_double("", 1, &d) == 0 && isnan(d), "empty is NaN when allowed");
	ok(tm_parse_double("inf", 0, &d) == -1, "infinity refused");

	/* The label index: first of equal keys, NULL left out, growth. */
	const char *keys[] = { "AAPL", "MSFT", NULL, "AAPL", "" };
	struct tm_index x = { 0 };
	tm_index_build(&x, keys, 5);
	ok(tm_index_find(&x, "AAPL") == 0 && tm_index_find(&x, "MSFT") == 1 &&
	    tm_index_find(&x, "") == 4 && tm_index_find(&x, "IBM") == -1,
	    "index: found, first of equal keys, absent");
	char **many = NULL;
	int bad = 0;
	tm_index_release(&x);
	for (int i = 0; i < 1000; i++) {
		char b[16];
		snprintf(b, sizeof(b), "T%d", i);
		many = ereallocarray(many, i + 1, sizeof(char *));
		many[i] = estrdup(b);
		tm_index_add(&x, (const char *const *)many, i);
	}
	for (int i = 0; i < 1000; i++)
		bad += tm_index_find(&x, many[i]) != i;
	ok(bad == 0 && x.cap >= 2000 && tm_index_find(&x, "T1000") == -1,
	    "index: 1,000 keys added one by one, each found after growth");
	for (int i = 0; i < 1000; i++)
		free(many[i]);
	free(many);
	tm_index_release(&x);

	/* The input loop: files in turn, "-" as stdin, a missing one stops
	 * it with EX_NOINPUT after the ones before it. */
	char in1[600], in2[600], nope[600], log[SEENSZ] = "", exp[SEENSZ];
	snprintf(in1, sizeof(in1), "%s/in1", dir);
	snprintf(in2, sizeof(in2), "%s/in2", dir);
	snprintf(nope, sizeof(nope), "%s/nope", dir);
	tm_atomic_write(in1, "a", 1, 0);
	tm_atomic_write(in2, "b", 1, 0);
	ok(strcmp(tm_input_name("-"), "<stdin>") == 0 &&
	    strcmp(tm_input_name(in1), in1) == 0, "input name: - is <stdin>");
	char *two[] = { in1, in2 };
	ok(tm_each_input(2, two, seen, log) == 0, "each input: two files");
	snprintf(exp, sizeof(exp), "%s=a;%s=b;", in1, in2);
	ok(strcmp(log, exp) == 0, "each input: in order, named by path");
	char *three[] = { in1, nope, in2 };
	log[0] = '\0';
	stderr = fopen("/dev/null", "w");
	ok(tm_each_input(3, three, seen, log) == -1 &&
	    tm_fail_status() == EX_NOINPUT, "each input: a missing file is -1, "
	    "EX_NOINPUT");
	fclose(stderr);
	stderr = olderr;
	snprintf(exp, sizeof(exp), "%s=a;", in1);
	ok(strcmp(log, exp) == 0, "each input: the files before it read, none "
	    "after");
	char *none[] = { NULL };
	FILE *oldin = stdin;
	log[0] = '\0';
	stdin = fopen(in2, "r");
	ok(tm_each_input(0, none, seen, log) == 0 &&
	    strcmp(log, "<stdin>=b;") == 0, "each input: none is stdin");
	char *dash[] = { "-" };
	rewind(stdin);
	log[0] = '\0';
	ok(tm_each_input(1, dash, seen, log) == 0 &&
	    strcmp(log, "<stdin>=b;") == 0 && ftell(stdin) == 1,
	    "each input: - is stdin, left open");
	fclose(stdin);
	stdin = oldin;

	/* tm_buf: NUL after every add, NUL bytes kept, arena offsets, base64
	 * as RFC 4648's test vectors give it, wrapped at 76 with CRLF. */
	struct tm_buf b = { 0 };
	tm_buf_add(&b, NULL, 0);
	ok(b.n == 0 && b.p && b.p[0] == '\0', "buf: an empty add gives \"\"");
	tm_buf_add(&b, "a\0b", 3);
	tm_buf_addf(&b, "%d-%s", 42, "x");
	ok(b.n == 7 && memcmp(b.p, "a\0b42-x", 8) == 0, "buf: bytes, NULs "
	    "and printf appended, NUL-terminated");
	tm_buf_free(&b);
	ok(b.p == NULL && b.n == 0 && b.cap == 0, "buf: free zeroes it");
	size_t o1 = tm_buf_addz(&b, "AAPL", 4), o2 = tm_buf_addz(&b, "", 0);
	size_t o3 = tm_buf_addz(&b, "MSFTX", 4);
	for (int k = 0; k < 2000; k++)
		tm_buf_addz(&b, "grow", 4);	/* moves p: offsets hold */
	ok(o1 == 0 && o2 == 5 && o3 == 6 && strcmp(b.p + o1, "AAPL") == 0 &&
	    strcmp(b.p + o2, "") == 0 && strcmp(b.p + o3, "MSFT") == 0,
	    "buf: arena offsets survive growth");
	tm_buf_free(&b);
	static const char *const b64[][2] = { { "", "" }, { "f", "Zg==" },
	    { "fo", "Zm8=" }, { "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
	    { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
	int good = 1;
	for (size_t k = 0; k < sizeof(b64) / sizeof(b64[0]); k++) {
		tm_buf_base64(&b, b64[k][0], strlen(b64[k][0]), 0);
		good &= b.n == strlen(b64[k][1]) &&
		    (b.n == 0 || strcmp(b.p, b64[k][1]) == 0);
		tm_buf_free(&b);
	}
	ok(good, "buf: base64 of the RFC 4648 vectors");
	unsigned char z[58] = { 0 };
	tm_buf_base64(&b, z, 57, 1);
	ok(b.n == 78 && memcmp(b.p + 76, "\r\n", 2) == 0, "buf: 57 bytes are "
	    "one full line of 76 and CRLF");
	tm_buf_free(&b);
	tm_buf_base64(&b, z, 58, 1);
	ok(b.n == 84 && memcmp(b.p + 76, "\r\nAA==\r\n", 8) == 0,
	    "buf: a 58th byte starts a second line, ended with CRLF too");
	tm_buf_free(&b);

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		ok(0, "cleanup");
	/* tm_rng_normals: N(0, 1) (the moments of 10^6 draws within 5
	 * standard errors), the same draws for the same seed however the
	 * batch is cut at even lengths, an odd batch one draw of a pair. */
	{
		struct tm_rng r1, r2;
		size_t nn = 1000000;
		double *z = malloc(nn * sizeof(double)), m1 = 0, m2 = 0, m4 = 0;
		double y[7], w[8];

		tm_rng_seed(&r1, 42);
		tm_rng_normals(&r1, z, nn);
		for (size_t i = 0; i < nn; i++) {
			m1 += z[i];
			m2 += z[i] * z[i];
			m4 += z[i] * z[i] * z[i] * z[i];
		}
		m1 /= nn, m2 /= nn, m4 /= nn;
		ok(fabs(m1) < 5 / sqrt(nn) && fabs(m2 - 1) < 5 * sqrt(2.0 / nn) &&
		    fabs(m4 - 3) < 5 * sqrt(96.0 / nn),
		    "normals: mean %g, variance %g, fourth moment %g", m1, m2, m4);
		tm_rng_seed(&r1, 7);
		tm_rng_seed(&r2, 7);
		tm_rng_normals(&r1, w, 8);
		tm_rng_normals(&r2, y, 2);
		tm_rng_normals(&r2, y + 2, 4);
		tm_rng_normals(&r2, y + 6, 1);
		ok(memcmp(w, y, 7 * sizeof(double)) == 0 && isfinite(w[7]),
		    "normals: the same pairs however an even batch is cut");
		free(z);
	}
	return tap_done();
}
