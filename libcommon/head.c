/* head.c - the policy's head: the masked softmax over slots and cash at
 * the learned temperature, its exact gradient and its confidence. */
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

static double
sigm(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* Softmax over active slots and cash at temperature tau; q[n] and *qc. */
static void
softmax(const double *s, double cash, double tau, const uint8_t *kind,
    int n, double *q, double *qc)
{
	double mx = cash / tau, sum;

	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ACTIVE && s[i] / tau > mx)
			mx = s[i] / tau;
	*qc = exp(cash / tau - mx);
	sum = *qc;
	for (int i = 0; i < n; i++) {
		q[i] = kind[i] == TM_SLOT_ACTIVE ? exp(s[i] / tau - mx) : 0.0;
		sum += q[i];
	}
	for (int i = 0; i < n; i++)
		q[i] /= sum;
	*qc /= sum;
}

void
tm_policy_head(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, double *w, double *wcash)
{
	double tau = exp(logtau), rest = 1.0, qc;

	softmax(s, cash, tau, kind, n, w, &qc);
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ARCHIVE)
			rest -= prev[i] * sigm(s[i] / tau);
	if (rest < 0)
		rest = 0;
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ARCHIVE)
			w[i] = prev[i] * sigm(s[i] / tau);
		else
			w[i] *= rest;
	*wcash = qc * rest;
}

void
tm_policy_head_back(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, const double *w,
    double wcash, const double *gw, double gcash, double *gs, double *gc,
    double *gtau)
{
	double tau = exp(logtau), rest = 1.0, qc, gr, dzc, gt = 0;

	/* Recompute q: w/rest is undefined when archives hold everything. */
	softmax(s, cash, tau, kind, n, gs, &qc);
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ARCHIVE)
			rest -= w[i];
	(void)wcash;
	gr = qc * gcash;
	for (int i = 0; i < n; i++)
		if (kind[i] == TM_SLOT_ACTIVE)
			gr += gs[i] * gw[i];
	for (int i = 0; i < n; i++) {
		double z = s[i] / tau, d = 0;

		if (kind[i] == TM_SLOT_ACTIVE)
			d = rest * gs[i] * (gw[i] - gr);
		else if (kind[i] == TM_SLOT_ARCHIVE) {
			double sg = sigm(z);

			d = (gw[i] - gr) * prev[i] * sg * (1 - sg);
		}
		gt -= d * z;
		gs[i] = d / tau;
	}
	dzc = rest * qc * (gcash - gr);
	gt -= dzc * cash / tau;
	*gc = dzc / tau;
	*gtau = gt;
}

void
tm_policy_confidence(const double *s, double cash, double logtau,
    const uint8_t *kind, int n, double *conf)
{
	double tau = exp(logtau);

	for (int i = 0; i < n; i++)
		conf[i] = kind[i] == TM_SLOT_NONE ? 0.0 :
		    sigm((s[i] - cash) / tau);
}
