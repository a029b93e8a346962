/*
 * num.c - numbers as the shortest text that reads back bit for bit.
 *
 * Prices and volumes are mostly short decimals, so first try m / 10^k for
 * small k: when (double)m / 10^k == v the decimal "m with k places" is the
 * text strtod rounds back to v (both are the correctly rounded value of the
 * same rational).  Otherwise fall back to %.15g, %.16g, %.17g, keeping the
 * first that parses back equal.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat.h"

static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 };
#define MAXK 8

/* Write m (>= 0) with k decimal places after sign; returns the length. */
static int
put_fixed(char *buf, int neg, unsigned long long m, int k)
{
	char tmp[32];
	int n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m > 0);
	while (n <= k)
		tmp[n++] = '0';
	if (neg)
		buf[len++] = '-';
	for (int i = n - 1; i >= 0; i--) {
		buf[len++] = tmp[i];
		if (i == k && k > 0)
			buf[len++] = '.';
	}
	buf[len] = '\0';
	return len;
}

/* The smallest k with v == m / 10^k exactly, or -1; *m gets |m|. */
static int
short_decimal(double v, unsigned long long *m)
{
	double a = fabs(v);

	if (!(a < 1e15))
		return -1;
	for (int k = 0; k <= MAXK; k++) {
		double s = a * p10[k];
		if (s >= 9007199254740992.0)	/* 2^53: no longer exact */
			return -1;
		double r = nearbyint(s);
		if (r / p10[k] == a) {
			*m = (unsigned long long)r;
			return k;
		}
	}
	return -1;
}

static int
special(char *buf, double v)
{
	if (isnan(v))
		return snprintf(buf, 32, "nan");
	if (isinf(v))
		return snprintf(buf, 32, v < 0 ? "-inf" : "inf");
	if (v == 0)
		return snprintf(buf, 32, signbit(v) ? "-0" : "0");
	return -1;
}

/* 1 when the text in buf reads back as v: as a double, or as a float
 * (v then holds one exactly) when f32. */
static int
reads_back(const char *buf, double v, int f32)
{
	return f32 ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v;
}

/* The shortest text of v that reads back, for fmt_f64 and fmt_f32. */
static int
fmt_real(char *buf, double v, int f32)
{
	unsigned long long m;
	int k, n, lo = f32 ? 6 : 15, hi = f32 ? 9 : 17;

	if ((n = special(buf, v)) >= 0)
		return n;
	/* Exact for a double; a float's is rounded twice, so checked. */
	if ((k = short_decimal(v, &m)) >= 0) {
		n = put_fixed(buf, v < 0, m, k);
		if (!f32 || reads_back(buf, v, f32))
			return n;
	}
	for (int prec = lo; prec < hi; prec++) {
		n = snprintf(buf, 32, "%.*g", prec, v);
		if (reads_back(buf, v, f32))
			return n;
	}
	return snprintf(buf, 32, "%.*g", hi, v);
}

int
fmt_f64(char *buf, double v)
{
	return fmt_real(buf, v, 0);
}

int
fmt_f32(char *buf, float v)
{
	return fmt_real(buf, v, 1);
}

int
fmt_elem(char *buf, const struct tm_frame *f, size_t i, const char *nan)
{
	double v;

	switch (f->dtype) {
	case TM_F32:
		v = ((const float *)f->data)[i];
		if (isnan(v))
			break;
		return fmt_f32(buf, (float)v);
	case TM_F64:
		v = ((const double *)f->data)[i];
		if (isnan(v))
			break;
		return fmt_f64(buf, v);
	case TM_I32:
		return snprintf(buf, 32, "%ld",
		    (long)((const int32_t *)f->data)[i]);
	case TM_I64:
		return snprintf(buf, 32, "%lld",
		    (long long)((const int64_t *)f->data)[i]);
	case TM_U8:
		return snprintf(buf, 32, "%u",
		    (unsigned)((const uint8_t *)f->data)[i]);
	default:
		break;
	}
	size_t n = strlen(nan);
	memcpy(buf, nan, n + 1);
	return (int)n;
}
