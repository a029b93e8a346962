/* decimal.h - the fast path of the CSV readers' numbers, inline: it runs
 * once a value, 14 M times in a 2.8 M-row import. */
#ifndef TM_DECIMAL_H
#define TM_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __SIZEOF_INT128__
/* m / 10^k rounded to the nearest double, ties to even, for m >= 2^53 and
 * k <= 19 (csvread.c). */
double tm_div_round(uint64_t m, int k);
#endif

/*
 * The fast path of a plain decimal [-+]ddd[.ddd] in s[0..n) (s[n] a NUL,
 * as a tm_csvfield's): 0 with *v the value strtod gives, bit for bit (with
 * f32, strtof's, in *v as a double), or -1 for any other text or a value
 * it cannot round exactly: the caller then asks strtod or strtof.
 */
static inline int
tm_csv_decimal(const char *s, size_t n, int f32, double *v)
{
	/* Clinger's fast path: m < 2^53 and 10^k (k <= 22) are exact
	 * doubles, and one IEEE division rounds m / 10^k as strtod does;
	 * in float, m < 2^24 and k <= 10 (5^10 < 2^24). */
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
	    1e19, 1e20, 1e21, 1e22 };
	static const float p10f[] = { 1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f,
	    1e7f, 1e8f, 1e9f, 1e10f };
	const unsigned char *p = (const unsigned char *)s, *e = p + n, *d;
	uint64_t m = 0;
	size_t k = 0, digits;
	int neg = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	/* The integer digits, then those after a point, up to the NUL at
	 * s[n] (or one inside: then p stops short of e); m wraps only past
	 * 19 digits, refused below all the same. */
	for (d = p; (unsigned)(*p - '0') < 10; p++)
		m = m * 10 + (uint64_t)(*p - '0');
	digits = (size_t)(p - d);
	if (*p == '.') {
		for (d = ++p; (unsigned)(*p - '0') < 10; p++)
			m = m * 10 + (uint64_t)(*p - '0');
		k = (size_t)(p - d);
		digits += k;
	}
	if (p != e || digits == 0 || digits > 19)
		return -1;
	if (f32) {
		if (m >= (1u << 24) || k > 10)
			return -1;
		float x = (float)m / p10f[k];
		*v = neg ? -x : x;
		return 0;
	}
	double x;
	if (m <= (UINT64_C(1) << 53) && k <= 22)
		x = (double)m / p10[k];
#ifdef __SIZEOF_INT128__
	else if (k <= 19)
		x = tm_div_round(m, (int)k);	/* 16-19 digits */
#endif
	else
		return -1;
	*v = neg ? -x : x;
	return 0;
}

#endif
