/* vtanh.c - tanh over arrays for the scorer's activations: glibc's scalar
 * tanh was most of a training epoch.  Two lanes of SSE2 on x86-64 (every
 * x86-64 CPU has it, so no run-time dispatch and no -march), and a scalar
 * mirror doing the same operations in the same order, which under
 * -std=c11 (no FMA contraction) rounds identically.  Where the CPU has
 * AVX2 or AVX-512F, four or eight lanes of the same operations: the width
 * is chosen at run time, the bits are not (IEEE rounds each operation
 * alone). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vtanh.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Cephes tanh.c: tanh x = x + x^3 P(x^2)/Q(x^2) for |x| < 0.625. */
#define TP0 -9.64399179425052238628E-1
#define TP1 -9.92877231001918586564E1
#define TP2 -1.61468768441708447952E3
#define TQ1 1.12811678491632931402E2
#define TQ2 2.23548839060100448583E3
#define TQ3 4.84406305325125486048E3
/* Cephes exp.c: e^r - 1 = 2 r P(r^2) / (Q(r^2) - r P(r^2)), |r| <= ln2/2;
 * then e^2x - 1 = 2^k (e^r - 1) + (2^k - 1), the last exact (k >= 2 here),
 * which keeps the accuracy just above 0.625 where 1 - 2/(e^2x + 1) would
 * cancel. */
#define EP0 1.26177193074810590878E-4
#define EP1 3.02994407707441961300E-2
#define EP2 9.99999999999999999910E-1
#define EQ0 3.00198505138664455042E-6
#define EQ1 2.52448340349684104192E-3
#define EQ2 2.27265548208155028766E-1
#define EQ3 2.00000000000000000009E0
#define LOG2E 1.4426950408889634073599
#define C1 6.93145751953125E-1
#define C2 1.42860682030941723212E-6
/* tanh 20 is 1 - 4e-18: 1.0 in double, and e^40 cannot overflow. */
#define BIG 20.0

double
tm_tanh1(double x)
{
	double ax = fabs(x), z, s, y, r, rr, pr, e;
	int k;
	uint64_t bits;

	if (isnan(x))
		return x;
	/* small branch */
	z = ax * ax;
	y = ax + ax * z * (((TP0 * z + TP1) * z + TP2) /
	    (((z + TQ1) * z + TQ2) * z + TQ3));
	if (!(ax < 0.625)) {
		s = 2.0 * (ax > BIG ? BIG : ax);
		k = (int)(s * LOG2E + 0.5);
		r = s - (double)k * C1 - (double)k * C2;
		rr = r * r;
		pr = r * ((EP0 * rr + EP1) * rr + EP2);
		e = pr / ((((EQ0 * rr + EQ1) * rr + EQ2) * rr + EQ3) - pr);
		e = 2.0 * e;
		bits = (uint64_t)(k + 1023) << 52;
		memcpy(&s, &bits, sizeof s);
		e = e * s + (s - 1.0);
		y = e / (e + 2.0);
	}
	return signbit(x) ? -y : y;
}

#if defined(__SSE2__)
static __m128d
tanh2(__m128d x)
{
	const __m128d sign = _mm_set1_pd(-0.0);
	__m128d ax = _mm_andnot_pd(sign, x), z, y, s, r, rr, pr, e, small;
	__m128i k;

	z = _mm_mul_pd(ax, ax);
	y = _mm_add_pd(_mm_mul_pd(_mm_set1_pd(TP0), z), _mm_set1_pd(TP1));
	y = _mm_add_pd(_mm_mul_pd(y, z), _mm_set1_pd(TP2));
	s = _mm_add_pd(z, _mm_set1_pd(TQ1));
	s = _mm_add_pd(_mm_mul_pd(s, z), _mm_set1_pd(TQ2));
	s = _mm_add_pd(_mm_mul_pd(s, z), _mm_set1_pd(TQ3));
	y = _mm_add_pd(ax, _mm_mul_pd(_mm_mul_pd(ax, z), _mm_div_pd(y, s)));

	/* minpd returns its second operand when either is NaN: NaN stays */
	s = _mm_mul_pd(_mm_set1_pd(2.0), _mm_min_pd(_mm_set1_pd(BIG), ax));
	k = _mm_cvttpd_epi32(_mm_add_pd(_mm_mul_pd(s, _mm_set1_pd(LOG2E)),
	    _mm_set1_pd(0.5)));
	r = _mm_cvtepi32_pd(k);
	r = _mm_sub_pd(_mm_sub_pd(s, _mm_mul_pd(r, _mm_set1_pd(C1))),
	    _mm_mul_pd(r, _mm_set1_pd(C2)));
	rr = _mm_mul_pd(r, r);
	pr = _mm_add_pd(_mm_mul_pd(_mm_set1_pd(EP0), rr), _mm_set1_pd(EP1));
	pr = _mm_mul_pd(r, _mm_add_pd(_mm_mul_pd(pr, rr), _mm_set1_pd(EP2)));
	e = _mm_add_pd(_mm_mul_pd(_mm_set1_pd(EQ0), rr), _mm_set1_pd(EQ1));
	e = _mm_add_pd(_mm_mul_pd(e, rr), _mm_set1_pd(EQ2));
	e = _mm_add_pd(_mm_mul_pd(e, rr), _mm_set1_pd(EQ3));
	e = _mm_div_pd(pr, _mm_sub_pd(e, pr));
	e = _mm_mul_pd(_mm_set1_pd(2.0), e);
	/* 2^k: k + 1023 into the exponent field of each 64-bit lane */
	k = _mm_add_epi32(k, _mm_set1_epi32(1023));
	k = _mm_slli_epi64(_mm_unpacklo_epi32(k, _mm_setzero_si128()), 52);
	s = _mm_castsi128_pd(k);
	e = _mm_add_pd(_mm_mul_pd(e, s), _mm_sub_pd(s, _mm_set1_pd(1.0)));
	e = _mm_div_pd(e, _mm_add_pd(e, _mm_set1_pd(2.0)));

	small = _mm_cmplt_pd(ax, _mm_set1_pd(0.625));
	y = _mm_or_pd(_mm_and_pd(small, y), _mm_andnot_pd(small, e));
	return _mm_or_pd(y, _mm_and_pd(sign, x));
}
#endif

#if defined(__SSE2__) && defined(__GNUC__) && defined(__x86_64__)
#define TM_VTANH_AVX2 1
#include <immintrin.h>

/* tanh2 on four lanes: the same operations in the same order (AVX2 has
 * no FMA, nothing is contracted), so each lane rounds as tanh2's and
 * tm_tanh1 do; only the width differs.  Chosen when the CPU has AVX2:
 * twice the values a division. */
__attribute__((target("avx2"))) static __m256d
tanh4(__m256d x)
{
	const __m256d sign = _mm256_set1_pd(-0.0);
	__m256d ax = _mm256_andnot_pd(sign, x), z, y, s, r, rr, pr, e, small;
	__m128i k;
	__m256i k64;

	z = _mm256_mul_pd(ax, ax);
	y = _mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(TP0), z),
	    _mm256_set1_pd(TP1));
	y = _mm256_add_pd(_mm256_mul_pd(y, z), _mm256_set1_pd(TP2));
	s = _mm256_add_pd(z, _mm256_set1_pd(TQ1));
	s = _mm256_add_pd(_mm256_mul_pd(s, z), _mm256_set1_pd(TQ2));
	s = _mm256_add_pd(_mm256_mul_pd(s, z), _mm256_set1_pd(TQ3));
	y = _mm256_add_pd(ax, _mm256_mul_pd(_mm256_mul_pd(ax, z),
	    _mm256_div_pd(y, s)));

	s = _mm256_mul_pd(_mm256_set1_pd(2.0),
	    _mm256_min_pd(_mm256_set1_pd(BIG), ax));
	k = _mm256_cvttpd_epi32(_mm256_add_pd(_mm256_mul_pd(s,
	    _mm256_set1_pd(LOG2E)), _mm256_set1_pd(0.5)));
	r = _mm256_cvtepi32_pd(k);
	r = _mm256_sub_pd(_mm256_sub_pd(s, _mm256_mul_pd(r,
	    _mm256_set1_pd(C1))), _mm256_mul_pd(r, _mm256_set1_pd(C2)));
	rr = _mm256_mul_pd(r, r);
	pr = _mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(EP0), rr),
	    _mm256_set1_pd(EP1));
	pr = _mm256_mul_pd(r, _mm256_add_pd(_mm256_mul_pd(pr, rr),
	    _mm256_set1_pd(EP2)));
	e = _mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(EQ0), rr),
	    _mm256_set1_pd(EQ1));
	e = _mm256_add_pd(_mm256_mul_pd(e, rr), _mm256_set1_pd(EQ2));
	e = _mm256_add_pd(_mm256_mul_pd(e, rr), _mm256_set1_pd(EQ3));
	e = _mm256_div_pd(pr, _mm256_sub_pd(e, pr));
	e = _mm256_mul_pd(_mm256_set1_pd(2.0), e);
	/* 2^k, zero-extended into each 64-bit lane as tanh2's unpack does */
	k = _mm_add_epi32(k, _mm_set1_epi32(1023));
	k64 = _mm256_slli_epi64(_mm256_cvtepu32_epi64(k), 52);
	s = _mm256_castsi256_pd(k64);
	e = _mm256_add_pd(_mm256_mul_pd(e, s), _mm256_sub_pd(s,
	    _mm256_set1_pd(1.0)));
	e = _mm256_div_pd(e, _mm256_add_pd(e, _mm256_set1_pd(2.0)));

	small = _mm256_cmp_pd(ax, _mm256_set1_pd(0.625), _CMP_LT_OS);
	y = _mm256_or_pd(_mm256_and_pd(small, y), _mm256_andnot_pd(small, e));
	return _mm256_or_pd(y, _mm256_and_pd(sign, x));
}

__attribute__((target("avx2"))) static size_t
tanhv4(double *a, size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		_mm256_storeu_pd(a + i, tanh4(_mm256_loadu_pd(a + i)));
	return i;
}

/* Eight lanes, AVX-512F: the same again (2^k zero-extended), each branch
 * on its own: small8 for lanes with |x| < 0.625, large8 for the others
 * (and NaN), the sign put back by both.  Three divisions a lane were most
 * of tanh's time; tanhv8 gathers the small values and the others apart
 * and runs each branch only on its own, one division a value or two. */
#define M(a, b) _mm512_mul_pd(a, b)
#define A(a, b) _mm512_add_pd(a, b)
#define K(c) _mm512_set1_pd(c)
__attribute__((target("avx512f"))) static __m512d
signed8(__m512d y, __m512d x)
{
	const __m512i sign = _mm512_set1_epi64(INT64_MIN);

	return _mm512_castsi512_pd(_mm512_or_si512(_mm512_castpd_si512(y),
	    _mm512_and_si512(sign, _mm512_castpd_si512(x))));
}

__attribute__((target("avx512f"))) static __m512d
abs8(__m512d x)
{
	const __m512i sign = _mm512_set1_epi64(INT64_MIN);

	return _mm512_castsi512_pd(_mm512_andnot_si512(sign,
	    _mm512_castpd_si512(x)));
}

__attribute__((target("avx512f"))) static __m512d
small8(__m512d x)
{
	__m512d ax = abs8(x), z, y, s;

	z = M(ax, ax);
	y = A(M(K(TP0), z), K(TP1));
	y = A(M(y, z), K(TP2));
	s = A(z, K(TQ1));
	s = A(M(s, z), K(TQ2));
	s = A(M(s, z), K(TQ3));
	y = A(ax, M(M(ax, z), _mm512_div_pd(y, s)));
	return signed8(y, x);
}

__attribute__((target("avx512f"))) static __m512d
large8(__m512d x)
{
	__m512d ax = abs8(x), s, r, rr, pr, e;
	__m256i k;

	s = M(K(2.0), _mm512_min_pd(K(BIG), ax));
	k = _mm512_cvttpd_epi32(A(M(s, K(LOG2E)), K(0.5)));
	r = _mm512_cvtepi32_pd(k);
	r = _mm512_sub_pd(_mm512_sub_pd(s, M(r, K(C1))), M(r, K(C2)));
	rr = M(r, r);
	pr = A(M(K(EP0), rr), K(EP1));
	pr = M(r, A(M(pr, rr), K(EP2)));
	e = A(M(K(EQ0), rr), K(EQ1));
	e = A(M(e, rr), K(EQ2));
	e = A(M(e, rr), K(EQ3));
	e = _mm512_div_pd(pr, _mm512_sub_pd(e, pr));
	e = M(K(2.0), e);
	k = _mm256_add_epi32(k, _mm256_set1_epi32(1023));
	s = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_cvtepu32_epi64(k),
	    52));
	e = A(M(e, s), _mm512_sub_pd(s, K(1.0)));
	e = _mm512_div_pd(e, A(e, K(2.0)));
	return signed8(e, x);
}

/* The values of a go through tanhv8 this many at a time. */
#define CHUNK 512

/* a[0..n), n a multiple of 8 up to CHUNK: the small values packed into
 * sb and the others into lb (in order, each vector's lanes compressed
 * after the last), each packed run through its own branch, then
 * expanded back into the lanes they came from. */
__attribute__((target("avx512f"))) static void
chunk8(double *a, size_t n)
{
	double sb[CHUNK + 8], lb[CHUNK + 8];
	__mmask8 small[CHUNK / 8];
	size_t ns = 0, nl = 0, j;

	for (j = 0; j < n; j += 8) {
		__m512d x = _mm512_loadu_pd(a + j);
		__mmask8 m = _mm512_cmp_pd_mask(abs8(x), K(0.625),
		    _CMP_LT_OS);

		small[j / 8] = m;
		_mm512_storeu_pd(sb + ns, _mm512_maskz_compress_pd(m, x));
		_mm512_storeu_pd(lb + nl, _mm512_maskz_compress_pd(
		    (__mmask8)~m, x));
		ns += (size_t)__builtin_popcount(m);
		nl += 8 - (size_t)__builtin_popcount(m);
	}
	/* the last vector of each run padded with values of its branch */
	_mm512_storeu_pd(sb + ns, K(0.0));
	_mm512_storeu_pd(lb + nl, K(1.0));
	for (j = 0; j < ns; j += 8)
		_mm512_storeu_pd(sb + j, small8(_mm512_loadu_pd(sb + j)));
	for (j = 0; j < nl; j += 8)
		_mm512_storeu_pd(lb + j, large8(_mm512_loadu_pd(lb + j)));
	ns = nl = 0;
	for (j = 0; j < n; j += 8) {
		__mmask8 m = small[j / 8];
		__m512d y = _mm512_maskz_expand_pd(m, _mm512_loadu_pd(sb + ns));

		y = _mm512_mask_expand_pd(y, (__mmask8)~m,
		    _mm512_loadu_pd(lb + nl));
		_mm512_storeu_pd(a + j, y);
		ns += (size_t)__builtin_popcount(m);
		nl += 8 - (size_t)__builtin_popcount(m);
	}
}
#undef M
#undef A
#undef K

__attribute__((target("avx512f"))) static size_t
tanhv8(double *a, size_t n)
{
	size_t i = 0, m = n / 8 * 8;

	for (; i < m; i += CHUNK)
		chunk8(a + i, m - i < CHUNK ? m - i : CHUNK);
	return m;
}
#endif

void
tm_tanhv_base(double *a, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	for (; i + 2 <= n; i += 2)
		_mm_storeu_pd(a + i, tanh2(_mm_loadu_pd(a + i)));
#endif
	for (; i < n; i++)
		a[i] = tm_tanh1(a[i]);
}

void
tm_tanhv(double *a, size_t n)
{
	size_t i = 0;

#ifdef TM_VTANH_AVX2
	if (__builtin_cpu_supports("avx512f"))
		i = tanhv8(a, n);
	if (__builtin_cpu_supports("avx2"))
		i += tanhv4(a + i, n - i);
#endif
	tm_tanhv_base(a + i, n - i);
}

/*
 * The float kernel of the float32 scorer (mlp.c): Cephes tanhf, its
 * polynomial below 0.625 and 1 - 2/(e^2x + 1) above with Cephes expf's
 * e^r.  Both branches run on every lane and the mask picks (one division
 * a lane: cheaper in float than tanhv8's sorting); four lanes of SSE,
 * eight of AVX2, sixteen of AVX-512F, and the scalar mirror tm_tanh1f,
 * every one the same operations in the same order without FMA.
 */
#define FP0 -5.70498872745E-3f
#define FP1 2.06390887954E-2f
#define FP2 -5.37397155531E-2f
#define FP3 1.33314422036E-1f
#define FP4 -3.33332819422E-1f
#define FE0 1.9875691500E-4f
#define FE1 1.3981999507E-3f
#define FE2 8.3334519073E-3f
#define FE3 4.1665795894E-2f
#define FE4 1.6666665459E-1f
#define FE5 5.0000001201E-1f
#define FLOG2E 1.44269504088896341f
#define FC1 0.693359375f
#define FC2 -2.12194440E-4f
/* tanh 10 is 1 - 4e-9: 1.0f (from 9.01 on), and e^20 is far from
 * float's range. */
#define FBIG 10.0f

float
tm_tanh1f(float x)
{
	float ax = fabsf(x), z, y, s, r, rr, e;
	int k;
	uint32_t bits;

	if (isnan(x))
		return x;
	z = ax * ax;
	y = (((FP0 * z + FP1) * z + FP2) * z + FP3) * z + FP4;
	y = y * z * ax + ax;
	if (!(ax < 0.625f)) {
		s = 2.0f * (ax > FBIG ? FBIG : ax);
		k = (int)(s * FLOG2E + 0.5f);
		r = s - (float)k * FC1 - (float)k * FC2;
		rr = r * r;
		e = ((((FE0 * r + FE1) * r + FE2) * r + FE3) * r + FE4) * r +
		    FE5;
		e = e * rr + r + 1.0f;
		bits = (uint32_t)(k + 127) << 23;
		memcpy(&s, &bits, sizeof s);
		e = e * s;
		y = 1.0f - 2.0f / (e + 1.0f);
	}
	return signbit(x) ? -y : y;
}

#if defined(__SSE2__)
#define M(a, b) _mm_mul_ps(a, b)
#define A(a, b) _mm_add_ps(a, b)
#define K(c) _mm_set1_ps(c)
static __m128
tanhf4(__m128 x)
{
	const __m128 sign = K(-0.0f);
	__m128 ax = _mm_andnot_ps(sign, x), z, y, s, r, rr, e, small;
	__m128i k;

	z = M(ax, ax);
	y = A(M(A(M(A(M(A(M(K(FP0), z), K(FP1)), z), K(FP2)), z), K(FP3)),
	    z), K(FP4));
	y = A(M(M(y, z), ax), ax);
	/* minps returns its second operand when either is NaN: NaN stays */
	s = M(K(2.0f), _mm_min_ps(K(FBIG), ax));
	k = _mm_cvttps_epi32(A(M(s, K(FLOG2E)), K(0.5f)));
	r = _mm_cvtepi32_ps(k);
	r = _mm_sub_ps(_mm_sub_ps(s, M(r, K(FC1))), M(r, K(FC2)));
	rr = M(r, r);
	e = A(M(A(M(A(M(A(M(A(M(K(FE0), r), K(FE1)), r), K(FE2)), r),
	    K(FE3)), r), K(FE4)), r), K(FE5));
	e = A(A(M(e, rr), r), K(1.0f));
	s = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(k,
	    _mm_set1_epi32(127)), 23));
	e = M(e, s);
	e = _mm_sub_ps(K(1.0f), _mm_div_ps(K(2.0f), A(e, K(1.0f))));
	small = _mm_cmplt_ps(ax, K(0.625f));
	y = _mm_or_ps(_mm_and_ps(small, y), _mm_andnot_ps(small, e));
	return _mm_or_ps(y, _mm_and_ps(sign, x));
}
#undef M
#undef A
#undef K
#endif

#ifdef TM_VTANH_AVX2
#define M(a, b) _mm256_mul_ps(a, b)
#define A(a, b) _mm256_add_ps(a, b)
#define K(c) _mm256_set1_ps(c)
/* tanhf4 on eight lanes. */
__attribute__((target("avx2"))) static __m256
tanhf8(__m256 x)
{
	const __m256 sign = K(-0.0f);
	__m256 ax = _mm256_andnot_ps(sign, x), z, y, s, r, rr, e, small;
	__m256i k;

	z = M(ax, ax);
	y = A(M(A(M(A(M(A(M(K(FP0), z), K(FP1)), z), K(FP2)), z), K(FP3)),
	    z), K(FP4));
	y = A(M(M(y, z), ax), ax);
	s = M(K(2.0f), _mm256_min_ps(K(FBIG), ax));
	k = _mm256_cvttps_epi32(A(M(s, K(FLOG2E)), K(0.5f)));
	r = _mm256_cvtepi32_ps(k);
	r = _mm256_sub_ps(_mm256_sub_ps(s, M(r, K(FC1))), M(r, K(FC2)));
	rr = M(r, r);
	e = A(M(A(M(A(M(A(M(A(M(K(FE0), r), K(FE1)), r), K(FE2)), r),
	    K(FE3)), r), K(FE4)), r), K(FE5));
	e = A(A(M(e, rr), r), K(1.0f));
	s = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k,
	    _mm256_set1_epi32(127)), 23));
	e = M(e, s);
	e = _mm256_sub_ps(K(1.0f), _mm256_div_ps(K(2.0f), A(e, K(1.0f))));
	small = _mm256_cmp_ps(ax, K(0.625f), _CMP_LT_OS);
	y = _mm256_or_ps(_mm256_and_ps(small, y), _mm256_andnot_ps(small, e));
	return _mm256_or_ps(y, _mm256_and_ps(sign, x));
}
#undef M
#undef A
#undef K

__attribute__((target("avx2"))) static size_t
tanhvf8(float *a, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		_mm256_storeu_ps(a + i, tanhf8(_mm256_loadu_ps(a + i)));
	return i;
}

#define M(a, b) _mm512_mul_ps(a, b)
#define A(a, b) _mm512_add_ps(a, b)
#define K(c) _mm512_set1_ps(c)
/* tanhf4 on sixteen lanes; the sign by integer operations (the float
 * ones on 512 bits are AVX512DQ's). */
__attribute__((target("avx512f"))) static __m512
tanhf16(__m512 x)
{
	const __m512i sign = _mm512_set1_epi32(INT32_MIN);
	__m512 ax, z, y, s, r, rr, e;
	__m512i k;
	__mmask16 small;

	ax = _mm512_castsi512_ps(_mm512_andnot_si512(sign,
	    _mm512_castps_si512(x)));
	z = M(ax, ax);
	y = A(M(A(M(A(M(A(M(K(FP0), z), K(FP1)), z), K(FP2)), z), K(FP3)),
	    z), K(FP4));
	y = A(M(M(y, z), ax), ax);
	s = M(K(2.0f), _mm512_min_ps(K(FBIG), ax));
	k = _mm512_cvttps_epi32(A(M(s, K(FLOG2E)), K(0.5f)));
	r = _mm512_cvtepi32_ps(k);
	r = _mm512_sub_ps(_mm512_sub_ps(s, M(r, K(FC1))), M(r, K(FC2)));
	rr = M(r, r);
	e = A(M(A(M(A(M(A(M(A(M(K(FE0), r), K(FE1)), r), K(FE2)), r),
	    K(FE3)), r), K(FE4)), r), K(FE5));
	e = A(A(M(e, rr), r), K(1.0f));
	s = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(k,
	    _mm512_set1_epi32(127)), 23));
	e = M(e, s);
	e = _mm512_sub_ps(K(1.0f), _mm512_div_ps(K(2.0f), A(e, K(1.0f))));
	small = _mm512_cmp_ps_mask(ax, K(0.625f), _CMP_LT_OS);
	y = _mm512_mask_blend_ps(small, e, y);
	return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(y),
	    _mm512_and_si512(sign, _mm512_castps_si512(x))));
}
#undef M
#undef A
#undef K

__attribute__((target("avx512f"))) static size_t
tanhvf16(float *a, size_t n)
{
	size_t i = 0;

	for (; i + 16 <= n; i += 16)
		_mm512_storeu_ps(a + i, tanhf16(_mm512_loadu_ps(a + i)));
	return i;
}
#endif

void
tm_tanhvf_base(float *a, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	for (; i + 4 <= n; i += 4)
		_mm_storeu_ps(a + i, tanhf4(_mm_loadu_ps(a + i)));
#endif
	for (; i < n; i++)
		a[i] = tm_tanh1f(a[i]);
}

void
tm_tanhvf(float *a, size_t n)
{
	size_t i = 0;

#ifdef TM_VTANH_AVX2
	if (__builtin_cpu_supports("avx512f"))
		i = tanhvf16(a, n);
	if (__builtin_cpu_supports("avx2"))
		i += tanhvf8(a + i, n - i);
#endif
	tm_tanhvf_base(a + i, n - i);
}
