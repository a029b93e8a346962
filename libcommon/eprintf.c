/* eprintf.c - one-line messages, tm_die and the allocating e-wrappers. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

static const char *progname = "tm";

void
tm_setprogname(const char *argv0)
{
	const char *p = strrchr(argv0, '/');

	progname = p ? p + 1 : argv0;
}

const char *
tm_progname(void)
{
	return progname;
}

static void
vmsg(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void
tm_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* The reason of the last tm_fail, for tm_fail_status(). */
static int fail_status;

int
tm_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fail_status = status;
	return -1;
}

int
tm_fail_as(int status)
{
	fail_status = status;
	return -1;
}

int
tm_fail_status(void)
{
	return fail_status ? fail_status : EX_SOFTWARE;
}

void
tm_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	tm_exit(status);
}

void *
emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		tm_die(EX_OSERR, "malloc %zu bytes:", n);
	return p;
}

void *
ecalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		tm_die(EX_OSERR, "calloc:");
	return p;
}

void *
ereallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		tm_die(EX_OSERR, "reallocarray: overflow");
	p = realloc(p, (nmemb && size) ? nmemb * size : 1);
	if (p == NULL)
		tm_die(EX_OSERR, "realloc:");
	return p;
}

char *
estrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		tm_die(EX_OSERR, "strdup:");
	return p;
}

void
efshut(FILE *fp, const char *name)
{
	int bad = 0;

	if (fflush(fp) == EOF)
		bad = 1;
	if (ferror(fp))
		bad = 1;
	if (fclose(fp) == EOF)
		bad = 1;
	if (bad)
		tm_die(EX_IOERR, "%s: write error:", name);
}
