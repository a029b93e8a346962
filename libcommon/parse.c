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

int32_t
edate(const char *s, const char *what)
{
	int32_t day;

	if (tm_date_parse(s, &day) == -1)
		tm_die(EX_USAGE, "%s %s: not a date (YYYY-MM-DD)", what, s);
	return day;
}

void
edate_range(const char *from, const char *to, int32_t *dfrom, int32_t *dto)
{
	int32_t a = from ? edate(from, "--from") : 0;
	int32_t b = to ? edate(to, "--to") : 0;

	if (from && to && a > b)
		tm_die(EX_USAGE, "--from %s is after --to %s", from, to);
	if (from && dfrom)
		*dfrom = a;
	if (to && dto)
		*dto = b;
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

int
tm_utf8_valid(const char *s0, size_t n)
{
	const unsigned char *s = (const unsigned char *)s0;

	for (size_t i = 0; i < n; ) {
		unsigned c = s[i], len, cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates and values past U+10FFFF
		 * are not UTF-8 (jansson refuses them too). */
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += len;
	}
	return 1;
}
