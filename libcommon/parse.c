/* parse.c - numbers and lists from the command line and from text. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include "tm.h"

long long
estrtonum(const char *s, long long lo, long long hi, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0')
		tm_die(EX_USAGE, "%s: '%s' is not a whole number", what, s);
	if (errno == ERANGE || v < lo || v > hi)
		tm_die(EX_USAGE, "%s: %s is out of range [%lld, %lld]", what, s,
		    lo, hi);
	return v;
}

double
estrtod(const char *s, double lo, double hi, const char *what)
{
	double v;

	if (tm_parse_double(s, 0, &v) == -1)
		tm_die(EX_USAGE, "%s: '%s' is not a number", what, s);
	if (!(v >= lo && v <= hi))
		tm_die(EX_USAGE, "%s: %s is out of range [%g, %g]", what, s,
		    lo, hi);
	return v;
}

int
tm_parse_double(const char *s, int allow_nan, double *v)
{
	char *end;

	if (allow_nan && (*s == '\0' || strcasecmp(s, "nan") == 0 ||
	    strcmp(s, "null") == 0)) {
		*v = NAN;
		return 0;
	}
	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(*v))
		return -1;
	return 0;
}

char **
tm_split(const char *s, char sep, size_t *n)
{
	size_t cnt = 1, i = 0;
	const char *p;

	for (p = s; *p; p++)
		if (*p == sep)
			cnt++;
	char **v = ecalloc(cnt + 1, sizeof(char *));
	for (p = s;; ) {
		const char *q = strchr(p, sep);
		size_t len = q ? (size_t)(q - p) : strlen(p);
		v[i] = emalloc(len + 1);
		memcpy(v[i], p, len);
		v[i][len] = '\0';
		i++;
		if (q == NULL)
			break;
		p = q + 1;
	}
	*n = i;
	return v;
}

void
tm_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}
