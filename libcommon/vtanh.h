/* vtanh.h - tanh over arrays, vectorised: SSE2 on x86-64 (its baseline;
 * portable C elsewhere), four or eight lanes of the same operations where
 * the CPU has AVX2 or AVX-512F.  Every variant does the same IEEE operations in the same
 * order without FMA, so one build scores identically on every machine
 * whichever variant runs (the unit test compares them bit for bit). */
#ifndef TM_VTANH_H
#define TM_VTANH_H

#include <stddef.h>

/* a[i] = tanh(a[i]) for i < n, within about 2e-16 relative of the exact
 * value (Cephes' rational form below 0.625, E/(E + 2) above with
 * E = e^2x - 1);
 * +-0, +-inf and NaN map as tanh maps them.  The result of each element
 * depends only on its value, not on n or its position. */
void tm_tanhv(double *a, size_t n);

/* tm_tanhv without the AVX2 and AVX-512 lanes, on any CPU: the same bits (tests). */
void tm_tanhv_base(double *a, size_t n);

/* tanh of one value, the same bits as tm_tanhv gives it (the scalar
 * mirror of the vector code: tails, other architectures, tests). */
double tm_tanh1(double x);

/* The same for float (the float32 scorer's): within a few ulp of the
 * exact tanh (Cephes tanhf), +-0, +-inf and NaN as tanh maps them, each
 * result depending only on its value; one build's bits on every CPU,
 * whichever of its SSE, AVX2 or AVX-512F lanes runs. */
void tm_tanhvf(float *a, size_t n);
void tm_tanhvf_base(float *a, size_t n);
float tm_tanh1f(float x);

#endif
