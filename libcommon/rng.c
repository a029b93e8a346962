/* rng.c - the random numbers of training: splitmix64 seeding a
 * xoshiro256** stream, uniforms and normals. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>

#include "tm.h"
#include "tmcore.h"
#include "vtanh.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

uint64_t
tm_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
tm_rng_seed(struct tm_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = tm_splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
tm_rng_next(struct tm_rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double
tm_rng_uniform(struct tm_rng *r)
{
	return (double)(tm_rng_next(r) >> 11) * 0x1.0p-53;
}

double
tm_rng_normal(struct tm_rng *r)
{
	/* Box-Muller without the cached twin: one draw, no hidden state. */
	double u = 1.0 - tm_rng_uniform(r), v = tm_rng_uniform(r);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

void
tm_rng_normals(struct tm_rng *r, double *z, size_t n)
{
	size_t i = 0;

	while (i < n) {
		double u, v, q;

		/* a point uniform in the unit disc, its centre excluded */
		do {
			u = 2.0 * tm_rng_uniform(r) - 1.0;
			v = 2.0 * tm_rng_uniform(r) - 1.0;
			q = u * u + v * v;
		} while (q >= 1.0 || q == 0.0);
		double m = sqrt(-2.0 * log(q) / q);

		z[i++] = u * m;
		if (i < n)
			z[i++] = v * m;
	}
}
