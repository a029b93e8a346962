/* vtanh.h - tanh over arrays, vectorised with a variant fixed at build
 * time (SSE2 on x86-64, its baseline; portable C elsewhere), never chosen
 * by the running CPU, so one build scores identically on every machine. */
#ifndef TM_VTANH_H
#define TM_VTANH_H

#include <stddef.h>

/* a[i] = tanh(a[i]) for i < n, within about 2e-16 relative of the exact
 * value (Cephes' rational form below 0.625, E/(E + 2) above with
 * E = e^2x - 1);
 * +-0, +-inf and NaN map as tanh maps them.  The result of each element
 * depends only on its value, not on n or its position. */
void tm_tanhv(double *a, size_t n);

/* tanh of one value, the same bits as tm_tanhv gives it (the scalar
 * mirror of the vector code: tails, other architectures, tests). */
double tm_tanh1(double x);

#endif
