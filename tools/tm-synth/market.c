/* market.c - the factor model: market + sector + idiosyncratic returns with
 * Student-t innovations, GARCH(1,1) variances, Poisson jumps, and the bars,
 * splits and dividends that follow from them. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

/* Market factor: about 16% a year, 7.5% drift, persistent GARCH. */
#define MKT_MU 0.0003
#define MKT_VAR 1.0e-4
#define MKT_A 0.09
#define MKT_B 0.89
/* Sector factors: about 12% a year. */
#define SEC_VAR 0.6e-4
#define SEC_A 0.05
#define SEC_B 0.93
/* Jumps: about one a year, mostly down. */
#define JUMP_P (1.0 / 250)
#define JUMP_MU (-0.01)
#define JUMP_SD 0.07
/* Listing: share of tickers that list mid-way, delisting hazard a year. */
#define IPO_P 0.08
#define DELIST_HAZARD 0.01
#define PENNY 1.0		/* below this close a stock is delisted */
#define PENNY_NOTICE 5		/* days of notice before it goes */

static double
cents(double x)
{
	x = round(x * 100) / 100;
	return x < 0.01 ? 0.01 : x;
}

static double
lognorm(struct rng *r, double median, double sd)
{
	return median * exp(sd * rng_norm(r));
}

/* Every stock draws its parameters from its own stream, seeded by its
 * index, so adding tickers does not change the ones already there. */
static void
stock_init(struct market *m, struct stock *s, int i, uint64_t seed)
{
	struct rng *r = &s->r;
	double price, vol;

	rng_seed(r, seed, 1000 + (uint64_t)i);
	s->ticker = m->tickers[i];
	s->sector = names_sector(r);
	s->mu = 0.0001 * rng_norm(r);
	s->beta = 1 + 0.3 * rng_norm(r);
	s->gamma = 1 + 0.25 * rng_norm(r);
	vol = lognorm(r, 0.28, 0.35);
	if (vol > 1.2)
		vol = 1.2;
	s->hbar = vol * vol / 252;
	s->a = 0.06;
	s->b = 0.92;
	s->w = s->hbar * (1 - s->a - s->b);
	s->h = s->hbar;
	s->z1 = rng_norm(r);
	s->z2 = 0;
	price = lognorm(r, 45, 0.8);
	s->thr = lognorm(r, 300, 0.35);
	{
		double u = rng_unif(r);
		s->ratio = u < 0.6 ? 2 : u < 0.85 ? 3 : 4;
	}
	s->shares = round(lognorm(r, 4e9, 1.3) / price);
	if (s->shares < 1e6)
		s->shares = 1e6;
	/* Listing dates: most are there from day 0. */
	s->ipo = rng_unif(r) < IPO_P ? 1 + (int)(rng_unif(r) * (m->ndays - 1)) : 0;
	{
		double years = -log(rng_unif(r)) / DELIST_HAZARD;
		double d = s->ipo + years * 252;
		s->delist = d < m->ndays ? (int)d : INT_MAX;
	}
	/* A few fixed roles, so even a tiny market shows every event. */
	if (i == 1 && m->ndays > 3)
		s->ipo = m->ndays / 3;
	if (i == 2 && m->ndays > 3)
		s->delist = m->ndays / 2;
	if (i == 3)
		price = s->thr * 1.3;
	if (s->delist < s->ipo + 1)
		s->delist = s->ipo + 1;
	s->close = cents(price);
	s->cap = s->shares * s->close;
	s->last_split = -1000;
	/* Dividends: most utilities, staples, energy, financials and real
	 * estate pay; under half of the rest do. */
	{
		int k = s->sector;
		double p = (k == 2 || k == 6 || k == 7 || k == 8 || k == 9) ?
		    0.8 : 0.4;
		s->payer = rng_unif(r) < p;
		s->yld = 0.005 + 0.035 * rng_unif(r);
		s->mphase = (int)(rng_unif(r) * 3);
		s->dom = 1 + (int)(rng_unif(r) * 25);
	}
	s->paidkey = s->setkey = -100;
	fund_init(s);
}

void
market_init(struct market *m, int n, uint64_t seed, int32_t *days,
    int ndays, double signal)
{
	memset(m, 0, sizeof(*m));
	m->n = n;
	m->days = days;
	m->ndays = ndays;
	m->signal = signal;
	m->tickers = names_tickers(n);
	rng_seed(&m->mr, seed, 1);
	for (int k = 0; k < NSECTOR; k++) {
		rng_seed(&m->sr[k], seed, 10 + (uint64_t)k);
		m->hs[k] = SEC_VAR;
	}
	m->hm = MKT_VAR;
	m->st = ecalloc((size_t)n, sizeof(*m->st));
	for (int i = 0; i < n; i++)
		stock_init(m, &m->st[i], i, seed);
}

void
market_free(struct market *m)
{
	free(m->st);
	tm_strv_free(m->tickers);
	m->st = NULL;
	m->tickers = NULL;
}

static double
garch(double *h, double e, double w, double a, double b, double cap)
{
	*h = w + a * e * e + b * *h;
	if (*h > cap)
		*h = cap;
	return *h;
}

/* The cash dividend going ex today, 0 on most days.  Payers go ex once in
 * every third month on the first trading day on or after their day of the
 * month; the amount is reset once a year from the price and the yield. */
static double
dividend(struct stock *s, int32_t day, double price)
{
	int y, mo, d, key;

	if (!s->payer)
		return 0;
	tm_date_ymd(day, &y, &mo, &d);
	key = y * 12 + mo - 1;
	if ((mo - 1) % 3 != s->mphase || d < s->dom || key == s->paidkey)
		return 0;
	s->paidkey = key;
	if (key - s->setkey >= 12) {
		double target = cents(s->yld * price / 4);
		/* Boards rarely cut: keep the old amount unless the price
		 * has halved. */
		if (target > s->damt || target < 0.5 * s->damt)
			s->damt = target;
		s->setkey = key;
	}
	return s->damt;
}

static void
split_apply(struct stock *s, int ratio)
{
	s->shares *= ratio;
	s->damt /= ratio;
	s->bvps /= ratio;
	for (int q = 0; q < 4; q++) {
		s->qsps[q] /= ratio;
		s->qeps[q] /= ratio;
		s->qdiv[q] /= ratio;
	}
	s->divq /= ratio;
}

static void
stock_step(struct market *m, struct stock *s, int t)
{
	struct rng *r = &s->r;
	double K = m->signal, sd, idio, jump, lr, base, D, C, O, H, L, g, V;
	double e, z, uj, nj, ng, nh, nl, nv;
	int first = t == s->ipo, ratio = 1;

	s->row = t >= s->ipo && t <= s->delist;
	if (!s->row)
		return;
	/* Draws in a fixed order and number, whatever the options. */
	e = rng_t4(r);
	z = rng_norm(r);
	uj = rng_unif(r);
	nj = rng_norm(r);
	ng = rng_norm(r);
	nh = fabs(rng_norm(r));
	nl = fabs(rng_norm(r));
	nv = rng_norm(r);

	if (s->pending && !first) {
		ratio = s->pending;
		split_apply(s, ratio);
		s->last_split = t;
	}
	s->pending = 0;
	base = s->close / ratio;	/* yesterday's close in today's shares */
	D = first ? 0 : dividend(s, m->days[t], base);

	/* The planted signal: the z published two days ago carries a share
	 * K of today's idiosyncratic variance (the sqrt keeps that variance
	 * unchanged).  Two days, because a policy that reads day t's frame
	 * trades at t+1's close and earns t+2's return (CONVENTIONS.md): a
	 * signal for t+1 could only be used with look-ahead. */
	idio = sqrt(s->h) * (sqrt(1 - K * K) * e + K * s->z2);
	s->z2 = s->z1;
	s->z1 = z;
	jump = uj < JUMP_P ? JUMP_MU + JUMP_SD * nj : 0;
	lr = s->mu + s->beta * m->rm + s->gamma * m->rs[s->sector] + idio + jump;
	if (lr < -1.5)
		lr = -1.5;
	if (lr > 1.0)
		lr = 1.0;
	garch(&s->h, idio, s->w, s->a, s->b, 25 * s->hbar);
	s->cumidio += idio + jump;

	C = base * exp(lr) - D;
	if (C < 0.5 * base * exp(lr)) {	/* no dividend eats half a stock */
		C += D;
		D = 0;
	}
	sd = sqrt(s->hbar + s->beta * s->beta * MKT_VAR);
	/* The open gaps from yesterday's close by part of the day's move. */
	g = 0.35 * lr + 0.3 * sd * ng;
	O = (base - D) * exp(g);
	H = fmax(O, C) * exp(0.5 * sd * nh);
	L = fmin(O, C) * exp(-0.5 * sd * nl);
	O = cents(O);
	C = cents(C);
	H = fmax(cents(H), fmax(O, C));
	L = fmin(cents(L), fmin(O, C));
	/* Log volume: a persistent AR(1) level plus a rise with the size of
	 * the day's move, so |return| and volume correlate about 0.5. */
	s->lv = 0.7 * s->lv + 0.3 * nv;
	V = round(s->shares * 0.004 * exp(s->lv + 0.4 * fabs(lr - s->mu) / sd));

	if (first) {
		s->adj = C;
		s->gross = 1;
	} else {
		/* Hold one share over the day: ratio shares at the close plus
		 * their dividends, against yesterday's close. */
		s->gross = ratio * (C + D) / s->close;
		s->adj *= s->gross;
	}
	s->orel = ratio * O / s->close;
	s->hrel = ratio * H / s->close;
	s->lrel = ratio * L / s->close;
	s->divq += D;

	s->v[F_OPEN] = O;
	s->v[F_HIGH] = H;
	s->v[F_LOW] = L;
	s->v[F_CLOSE] = C;
	s->v[F_ADJ] = s->adj;
	s->v[F_VOL] = V;
	s->v[F_SPLIT] = ratio;
	s->v[F_DIV] = D;
	s->v[F_SIGNAL] = s->z1;
	s->close = C;
	s->capprev = first ? 0 : s->cap;
	s->cap = s->shares * C;

	/* A high price splits at the next open; a penny stock is delisted
	 * after a short notice. */
	if (C > s->thr && t - s->last_split > 40)
		s->pending = s->ratio;
	if (C < PENNY && s->delist > t + PENNY_NOTICE)
		s->delist = t + PENNY_NOTICE;
}

void
market_step(struct market *m, int t)
{
	double e = rng_t4(&m->mr);

	m->rm = MKT_MU + sqrt(m->hm) * e;
	garch(&m->hm, m->rm - MKT_MU, MKT_VAR * (1 - MKT_A - MKT_B), MKT_A,
	    MKT_B, 25 * MKT_VAR);
	for (int k = 0; k < NSECTOR; k++) {
		m->rs[k] = sqrt(m->hs[k]) * rng_t4(&m->sr[k]);
		garch(&m->hs[k], m->rs[k], SEC_VAR * (1 - SEC_A - SEC_B), SEC_A,
		    SEC_B, 25 * SEC_VAR);
	}
	for (int i = 0; i < m->n; i++)
		stock_step(m, &m->st[i], t);
}
