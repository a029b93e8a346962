/* rng.c - tm-synth's streams: libcommon's xoshiro256** with per-stream
 * splitmix64 seeding, uniforms on (0, 1), normals and Student-t. */
#include <math.h>

#include "synth.h"

void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	/* Mix the stream first so neighbouring seeds and streams do not
	 * start from related states. */
	uint64_t st = stream * 0xd1b54a32d192ed03ULL;
	uint64_t x = tm_splitmix64(&st) ^ seed;

	for (int i = 0; i < 4; i++)
		r->x.s[i] = tm_splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0;
}

uint64_t
rng_next(struct rng *r)
{
	return tm_rng_next(&r->x);
}

double
rng_unif(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

double
rng_norm(struct rng *r)
{
	double u, v, q;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	/* Marsaglia's polar method: exact, and two normals per log. */
	do {
		u = 2 * rng_unif(r) - 1;
		v = 2 * rng_unif(r) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	q = sqrt(-2 * log(q) / q);
	r->spare = v * q;
	r->has_spare = 1;
	return u * q;
}

double
rng_t4(struct rng *r)
{
	/* t_4 = Z / sqrt(chi2_4 / 4), chi2_4 = -2 log(U1 U2); its variance
	 * is nu / (nu - 2) = 2, hence the sqrt(1/2). */
	double z = rng_norm(r);
	double chi = -2 * log(rng_unif(r) * rng_unif(r));

	return z / sqrt(chi / 4) * M_SQRT1_2;
}
