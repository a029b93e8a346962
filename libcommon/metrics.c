/* metrics.c - evaluate a run of targets once: the steps through the
 * environment (tm_run_step over tm_env_step) and the metrics of the
 * returns, as empyrical (pyfolio's engine) defines them, so tm-train's
 * validation, tm-backtest and the monthly gate read the same numbers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"
#include "book.h"

#define ANN 252.0

void
tm_run_init(struct tm_run *ru, int N, int cap)
{
	memset(ru, 0, sizeof(*ru));
	ru->N = N;
	ru->cap = cap;
	ru->r = emalloc((cap + 1) * sizeof(double));
	ru->turn = emalloc((cap + 1) * sizeof(double));
	ru->gross = emalloc((cap + 1) * sizeof(double));
	ru->net = emalloc((cap + 1) * sizeof(double));
	ru->cash = emalloc((cap + 1) * sizeof(double));
	ru->value = emalloc((cap + 1) * sizeof(double));
	ru->exec = ecalloc(N + 1, sizeof(double));
	ru->held = ecalloc(N + 1, sizeof(double));
	tm_book_init(&ru->book, N);
}

void
tm_run_release(struct tm_run *ru)
{
	free(ru->r);
	free(ru->turn);
	free(ru->gross);
	free(ru->net);
	free(ru->cash);
	free(ru->value);
	free(ru->exec);
	free(ru->held);
	tm_book_release(&ru->book);
	memset(ru, 0, sizeof(*ru));
}

double
tm_run_step(struct tm_run *ru, const struct tm_env *e, int t, const double *w,
    double wcash, double cost)
{
	int N = ru->N, k = ru->n;
	double turn = 0, gross = 0, net = 0;

	if (k >= ru->cap)
		tm_die(EX_SOFTWARE, "tm_run_step: more than %d steps", ru->cap);
	memcpy(ru->held, ru->book.w, N * sizeof(double));
	ru->held[N] = ru->book.cash;
	double r = tm_env_step(e, t, w, wcash, cost, &ru->book, ru->exec, NULL);
	for (int i = 0; i < N; i++) {
		turn += fabs(ru->exec[i] - ru->held[i]);
		gross += fabs(ru->exec[i]);
		net += ru->exec[i];
	}
	ru->r[k] = r;
	ru->turn[k] = turn;
	ru->gross[k] = gross;
	ru->net[k] = net;
	ru->cash[k] = ru->exec[N];
	ru->value[k] = ru->book.value;
	ru->n++;
	return r;
}

double
tm_run_step1(struct tm_run *ru, const struct tm_env *e, int t, double w,
    double wcash, double cost)
{
	int k = ru->n;
	size_t o1 = (size_t)t + 1, o2 = (size_t)t + 2;

	if (e->N != 1 || ru->N != 1 || e->band > 0 || e->moves[t + 1])
		return tm_run_step(ru, e, t, &w, wcash, cost);
	if (k >= ru->cap)
		tm_die(EX_SOFTWARE, "tm_run_step: more than %d steps", ru->cap);
	struct tm_book *b = &ru->book;
	double held = b->w[0], ex = 0, fixed = 0, free_ = wcash, zero = 0;

	ru->held[0] = held;
	ru->held[1] = b->cash;
	/* tm_book_fill, N = 1, no band; each sum starts from 0 as there
	 * (0 + x is not always x: -0). */
	int frozen = e->src[o1] < 0 || e->kind[o1] == TM_SLOT_NONE;
	if (!frozen)
		free_ += w;
	else {
		ex = e->changed[o1] ? 0 : held;
		fixed += ex;
	}
	/* free_ is nearly always exactly 1 (w + 1 - w), and x / 1 is x. */
	double kk = free_ == 1 ? 1 - fixed : free_ > 0 ? (1 - fixed) / free_ :
	    0;
	if (!frozen)
		ex = kk * w;
	double turn = zero + fabs(ex - held);
	double exc = free_ > 0 ? kk * wcash : 1 - fixed;
	double m1 = 1 - cost * turn;
	/* tm_book_carry: the one slot stays or is sold. */
	double mv = 0, c2 = 0;
	if (e->dst[o1] >= 0)
		mv = ex;
	else
		c2 += ex;
	/* tm_book_earn */
	float r = e->ret[o2];
	double rp = 0;
	if (mv != 0 && isfinite(r))
		rp += mv * r;
	double growth = tm_book_growth(m1, cost, rp, c2);
	/* tm_book_hold */
	b->w[0] = mv == 0 ? 0 : mv * (1 + (isfinite(r) ? (double)r : 0)) /
	    (1 + rp);
	b->cash = (exc + c2) / (1 + rp);
	b->value *= growth;
	if (b->value > b->peak)
		b->peak = b->value;
	/* tm_run_step's record */
	ru->exec[0] = ex;
	ru->exec[1] = exc;
	ru->r[k] = growth - 1;
	ru->turn[k] = zero + fabs(ex - held);
	ru->gross[k] = zero + fabs(ex);
	ru->net[k] = zero + ex;
	ru->cash[k] = exc;
	ru->value[k] = b->value;
	ru->n++;
	return growth - 1;
}

static double
mean(const double *x, int n)
{
	double s = 0;

	for (int i = 0; i < n; i++)
		s += x[i];
	return n ? s / n : NAN;
}

/* Sample standard deviation (ddof 1), two passes. */
static double
sd1(const double *x, int n, double mu)
{
	double v = 0;

	if (n < 2)
		return NAN;
	for (int i = 0; i < n; i++)
		v += (x[i] - mu) * (x[i] - mu);
	return sqrt(v / (n - 1));
}

void
tm_metrics_compute(const double *r, const double *value, const double *bench,
    const double *turn, int n, struct tm_metrics *m)
{
	double mu = mean(r, n), sd = sd1(r, n, mu), V = 1, peak = 1;
	double dd2 = 0, m2 = 0, m3 = 0, m4 = 0;
	int ipeak = 0, win = 0;

	memset(m, 0, sizeof(*m));
	m->n = n;
	m->mdd_recover = -1;
	if (n < 1) {
		m->total_return = m->cagr = m->volatility = m->sharpe = NAN;
		m->sortino = m->calmar = m->win_rate = m->turnover = NAN;
		m->skew = m->kurtosis = NAN;
		m->bench_return = m->alpha = m->beta = NAN;
		m->information_ratio = NAN;
		m->has_bench = bench != NULL;
		return;
	}
	/* Drawdown over V_0 = 1, V_1 .. V_n (empyrical inserts the start).
	 * In locals: stores through m may alias r, so the compiler would
	 * reload every day (a grid computes this for every set). */
	double mdd = 0;
	int mpeak = 0, mtrough = 0;
	for (int i = 0; i < n; i++) {
		V = value ? value[i] : V * (1 + r[i]);
		if (V > peak) {
			peak = V;
			ipeak = i + 1;
		}
		double dd = V / peak - 1;
		if (dd < mdd) {
			mdd = dd;
			mpeak = ipeak;
			mtrough = i + 1;
		}
		win += r[i] > 0;
		dd2 += r[i] < 0 ? r[i] * r[i] : 0;
		m2 += (r[i] - mu) * (r[i] - mu);
		m3 += (r[i] - mu) * (r[i] - mu) * (r[i] - mu);
		m4 += (r[i] - mu) * (r[i] - mu) * (r[i] - mu) * (r[i] - mu);
	}
	m->max_drawdown = mdd;
	m->mdd_peak = mpeak;
	m->mdd_trough = mtrough;
	if (m->max_drawdown < 0) {
		double W = 1, top = 1;

		/* Recovered: the first day after the trough back at the
		 * peak's value. */
		for (int i = 0; i < n; i++) {
			W = value ? value[i] : W * (1 + r[i]);
			if (i + 1 == m->mdd_peak)
				top = W;
			if (i + 1 > m->mdd_trough && W >= top) {
				m->mdd_recover = i + 1;
				break;
			}
		}
	}
	m->total_return = V - 1;
	m->cagr = pow(V, 1.0 / (n / ANN)) - 1;
	m->volatility = sd * sqrt(ANN);
	/* tm_sharpe's, which reads 0 where the sd is 0 or n < 2: its mean
	 * and its sqrt of the same variance are mu and sd, to the bit. */
	m->sharpe = n < 2 ? 0 : sd > 0 ? sqrt(252.0) * mu / sd : 0;
	double down = sqrt(dd2 / n) * sqrt(ANN);
	m->sortino = down > 0 ? mu * ANN / down : mu > 0 ? INFINITY : NAN;
	m->calmar = m->max_drawdown < 0 ? m->cagr / fabs(m->max_drawdown) : NAN;
	m->win_rate = (double)win / n;
	m->turnover = turn ? mean(turn, n) : NAN;
	m2 /= n;
	m->skew = m2 > 0 ? m3 / n / pow(m2, 1.5) : NAN;
	m->kurtosis = m2 > 0 ? m4 / n / (m2 * m2) : NAN;
	m->has_bench = bench != NULL;
	if (!bench) {
		m->bench_return = m->alpha = m->beta = NAN;
		m->information_ratio = NAN;
		return;
	}
	double mb = mean(bench, n), cov = 0, var = 0, B = 1;
	double *act = emalloc(n * sizeof(double));

	for (int i = 0; i < n; i++) {
		cov += (bench[i] - mb) * r[i];
		var += (bench[i] - mb) * (bench[i] - mb);
		B *= 1 + bench[i];
		act[i] = r[i] - bench[i];
	}
	m->bench_return = B - 1;
	m->beta = var > 0 ? (cov / n) / (var / n) : NAN;
	double ares = 0;
	for (int i = 0; i < n; i++)
		ares += r[i] - m->beta * bench[i];
	m->alpha = pow(1 + ares / n, ANN) - 1;
	double ma = mean(act, n), te = sd1(act, n, ma);
	m->information_ratio = te > 0 ? ma / te : NAN;
	free(act);
}

/* A number, or null for NaN and the infinities JSON cannot hold. */
static json_t *
num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *
tm_metrics_json(const struct tm_metrics *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "days", json_integer(m->n));
	json_object_set_new(o, "total_return", num(m->total_return));
	json_object_set_new(o, "cagr", num(m->cagr));
	json_object_set_new(o, "volatility", num(m->volatility));
	json_object_set_new(o, "sharpe", num(m->sharpe));
	json_object_set_new(o, "sortino", num(m->sortino));
	json_object_set_new(o, "max_drawdown", num(m->max_drawdown));
	json_object_set_new(o, "calmar", num(m->calmar));
	json_object_set_new(o, "win_rate", num(m->win_rate));
	json_object_set_new(o, "turnover", num(m->turnover));
	json_object_set_new(o, "skew", num(m->skew));
	json_object_set_new(o, "kurtosis", num(m->kurtosis));
	if (m->has_bench) {
		json_object_set_new(o, "bench_return", num(m->bench_return));
		json_object_set_new(o, "alpha", num(m->alpha));
		json_object_set_new(o, "beta", num(m->beta));
		json_object_set_new(o, "information_ratio",
		    num(m->information_ratio));
	}
	return o;
}

double
tm_norm_cdf(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

/* Acklam's rational approximation, then one Halley step on the CDF
 * (erfc is exact to the last bits, so the result is too). */
double
tm_norm_ppf(double p)
{
	static const double a[] = { -3.969683028665376e+01,
	    2.209460984245205e+02, -2.759285104469687e+02,
	    1.383577518672690e+02, -3.066479806614716e+01,
	    2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01,
	    1.615858368580409e+02, -1.556989798598866e+02,
	    6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03,
	    -3.223964580411365e-01, -2.400758277161838e+00,
	    -2.549732539343734e+00, 4.374664141464968e+00,
	    2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03,
	    3.224671290700398e-01, 2.445134137142996e+00,
	    3.754408661907416e+00 };
	double q, x, rr;

	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) *
		    q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) *
		    q + 1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) *
		    q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) *
		    q + 1);
	} else {
		q = p - 0.5;
		rr = q * q;
		x = (((((a[0] * rr + a[1]) * rr + a[2]) * rr + a[3]) * rr +
		    a[4]) * rr + a[5]) * q / (((((b[0] * rr + b[1]) * rr +
		    b[2]) * rr + b[3]) * rr + b[4]) * rr + 1);
	}
	double e = tm_norm_cdf(x) - p, u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

double
tm_dsr(double sr_best, double var_sr, int ntrial, int T, double skew,
    double kurt, double *sr0)
{
	const double g = 0.5772156649015329;	/* Euler-Mascheroni */
	double s0 = 0;

	/* The expected maximum of ntrial Sharpes with no skill (the false
	 * strategy theorem); one trial deflates nothing. */
	if (ntrial > 1)
		s0 = sqrt(var_sr) * ((1 - g) * tm_norm_ppf(1 - 1.0 / ntrial) +
		    g * tm_norm_ppf(1 - 1.0 / (ntrial * M_E)));
	if (sr0)
		*sr0 = s0;
	double den = 1 - skew * sr_best + (kurt - 1) / 4 * sr_best * sr_best;
	if (T < 2 || !(den > 0))
		return NAN;
	return tm_norm_cdf((sr_best - s0) * sqrt(T - 1.0) / sqrt(den));
}
