/* vtanh.c - tm_tanhv against glibc's tanh: relative error over the range
 * the scorer sees and beyond, the special values, and the vector lanes
 * giving the same bits as the scalar mirror; then the same of the float
 * kernel, tm_tanhvf.  Prints TAP. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "vtanh.h"

#include "tap.h"

#define N 200001

int
main(void)
{
	static double x[N], v[N];
	double worst = 0, at = 0;
	int same = 1;
	struct tm_rng r;

	/* a grid through both branches and the saturation, then random
	 * values spread over magnitudes */
	tm_rng_seed(&r, 7);
	for (int i = 0; i < N; i++)
		x[i] = i < N / 2 ? -25.0 + 50.0 * i / (N / 2) :
		    tm_rng_normal(&r) * pow(10.0, tm_rng_normal(&r) * 3);
	memcpy(v, x, sizeof x);
	tm_tanhv(v, N);
	for (int i = 0; i < N; i++) {
		double t = tanh(x[i]);
		double e = t == 0 ? fabs(v[i]) : fabs(v[i] - t) / fabs(t);

		if (e > worst)
			worst = e, at = x[i];
		if (memcmp(&v[i], &(double){ tm_tanh1(x[i]) }, sizeof v[i]))
			same = 0;
	}
	/* the baseline lanes (SSE2), whatever this CPU would choose */
	static double vb[N];
	memcpy(vb, x, sizeof x);
	tm_tanhv_base(vb, N);
	ok(!memcmp(v, vb, sizeof v), "the run-time variant (AVX2, AVX-512 "
	    "where the CPU has them) gives the baseline's bits");
	double q[8] = { NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, 20.5,
	    -1e300 }, qb[8];
	memcpy(qb, q, sizeof q);
	tm_tanhv(q, 8);
	tm_tanhv_base(qb, 8);
	ok(!memcmp(q, qb, sizeof q), "and on NaN, infinities, zeros, "
	    "saturation");
	printf("# worst relative error %.3g at x = %.17g\n", worst, at);
	ok(worst < 4e-16, "within 4e-16 relative of glibc tanh");
	ok(same, "vector lanes give the scalar mirror's bits");

	double sp[6] = { 0.0, -0.0, INFINITY, -INFINITY, NAN, 0.625 };
	tm_tanhv(sp, 6);
	ok(sp[0] == 0 && !signbit(sp[0]) && sp[1] == 0 && signbit(sp[1]),
	    "tanh(+-0) is +-0");
	ok(sp[2] == 1 && sp[3] == -1, "tanh(+-inf) is +-1");
	ok(isnan(sp[4]), "tanh(NaN) is NaN");
	ok(fabs(sp[5] - tanh(0.625)) < 4e-16, "branch point 0.625");
	/* an odd count: the tail goes through the scalar mirror */
	double o[3] = { 0.3, -1.7, 4.0 }, p[3];
	for (int i = 0; i < 3; i++)
		p[i] = tm_tanh1(o[i]);
	tm_tanhv(o, 3);
	ok(!memcmp(o, p, sizeof o), "odd length: same bits as one by one");
	/* Every length up to two of tanhv8's chunks and a bit: its lanes
	 * sorted by branch and put back, at every cut, the scalar bits. */
	static double l[1100], lb[1100];
	int lsame = 1;
	for (int i = 0; i < 1100; i++)
		l[i] = x[N / 2 + i] * (i % 3 ? 0.5 : 3.0);
	for (size_t len = 0; len <= 1100 && lsame; len += len < 80 ? 1 : 37) {
		memcpy(lb, l, sizeof l);
		tm_tanhv(lb + 1, len > 1099 ? 1099 : len);
		for (size_t i = 0; i < 1100; i++) {
			double want = i >= 1 && i < 1 + (len > 1099 ? 1099 : len) ?
			    tm_tanh1(l[i]) : l[i];
			if (memcmp(&lb[i], &want, sizeof want))
				lsame = 0;
		}
	}
	ok(lsame, "every length, unaligned: the scalar bits, nothing beyond "
	    "the end touched");

	/* The float kernel (the float32 scorer's): the same checks. */
	static float xf[N], vf[N], bf[N];
	double fworst = 0, fat = 0;
	int fsame = 1;
	for (int i = 0; i < N; i++)
		xf[i] = (float)x[i];
	memcpy(vf, xf, sizeof xf);
	memcpy(bf, xf, sizeof xf);
	tm_tanhvf(vf, N);
	tm_tanhvf_base(bf, N);
	for (int i = 0; i < N; i++) {
		double t = tanh((double)xf[i]);
		double e = t == 0 ? fabs(vf[i]) : fabs(vf[i] - t) / fabs(t);
		float w = tm_tanh1f(xf[i]);

		if (e > fworst)
			fworst = e, fat = xf[i];
		if (memcmp(&vf[i], &w, sizeof w))
			fsame = 0;
	}
	ok(!memcmp(vf, bf, sizeof vf), "float: the run-time variant gives "
	    "the baseline's bits");
	ok(fsame, "float: vector lanes give the scalar mirror's bits");
	printf("# float: worst relative error %.3g at x = %.9g\n", fworst, fat);
	ok(fworst < 2e-7, "float: within 2e-7 relative (a few ulp) of tanh");
	float qf[8] = { NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 20.5f,
	    -1e30f }, qfb[8];
	memcpy(qfb, qf, sizeof qf);
	tm_tanhvf(qf, 8);
	tm_tanhvf_base(qfb, 8);
	ok(!memcmp(qf, qfb, sizeof qf) && isnan(qf[0]) && qf[2] == 1 &&
	    qf[3] == -1 && qf[4] == 0 && !signbit(qf[4]) && signbit(qf[5]) &&
	    qf[6] == 1 && qf[7] == -1, "float: NaN, infinities, zeros, "
	    "saturation");
	static float lf[1100], lfb[1100];
	lsame = 1;
	for (int i = 0; i < 1100; i++)
		lf[i] = (float)l[i];
	for (size_t len = 0; len <= 1099 && lsame; len += len < 80 ? 1 : 37) {
		memcpy(lfb, lf, sizeof lf);
		tm_tanhvf(lfb + 1, len);
		for (size_t i = 0; i < 1100; i++) {
			float want = i >= 1 && i < 1 + len ? tm_tanh1f(lf[i]) :
			    lf[i];
			if (memcmp(&lfb[i], &want, sizeof want))
				lsame = 0;
		}
	}
	ok(lsame, "float: every length, unaligned: the scalar bits, nothing "
	    "beyond the end touched");
	return tap_done();
}
