/* synth.h - the pieces of tm-synth, a seeded synthetic stock market. */
#ifndef SYNTH_H
#define SYNTH_H

#include <stdint.h>
#include <stdio.h>

#include "tm.h"
#include "tmcore.h"

/* ------------------------------------------------------------------ rng */

/* xoshiro256** seeded through splitmix64: small, fast, and the same bits
 * on every machine, so a seed names one market. */
struct rng {
	struct tm_rng x;	/* libcommon's xoshiro256** state */
	double spare;
	int has_spare;
};

/* Seed r from (seed, stream): distinct streams give independent draws. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
double rng_unif(struct rng *r);		/* in (0, 1) */
double rng_norm(struct rng *r);		/* standard normal */
double rng_t4(struct rng *r);		/* Student-t, nu = 4, unit variance */

/* ---------------------------------------------------------------- names */

#define NSECTOR 11
extern const char *const sector_names[NSECTOR];

/* Unique ticker names for indices 0..n-1 (2-5 letters, index 0 a class
 * share with a dash), independent of the seed.  Free with tm_strv_free. */
char **names_tickers(int n);
/* A company name for ticker index i, written into buf. */
void names_company(int i, const char *ticker, char *buf, size_t len);
/* A sector drawn with GICS-like weights. */
int names_sector(struct rng *r);

/* --------------------------------------------------------------- market */

#define NFIELD 8		/* open high low close adjclose volume split dividend */
enum { F_OPEN, F_HIGH, F_LOW, F_CLOSE, F_ADJ, F_VOL, F_SPLIT, F_DIV, F_SIGNAL };

/* A quarter's fundamentals waiting for their filing date. */
struct filing {
	int day;		/* trading day index, -1 when none */
	int32_t period;		/* quarter end */
	double v[8];		/* eps bvps sps dps roe de margin shares */
};

struct stock {
	const char *ticker;
	int sector;
	struct rng r;
	int ipo, delist;	/* first and last day index with a row */
	/* return model */
	double mu, beta, gamma, h, hbar, w, a, b;
	double z1, z2;		/* signal published yesterday, and the day before:
			 * z2 moves today's return */
	/* state */
	double close, adj, shares, cap;	/* after the last row */
	double capprev;		/* cap at the close before that */
	double lv;		/* log volume level */
	double thr;		/* split when close exceeds this */
	int ratio, pending, last_split;
	/* dividends */
	int payer, mphase, dom, paidkey, setkey;
	double yld, damt;
	/* fundamentals */
	double qsps[4], qeps[4], qdiv[4];
	int qi;
	double bvps, margin, mbar, de, debar, cumidio, divq;
	int lag;
	struct filing fil;
	/* today */
	int row;		/* has a row today */
	double v[NFIELD + 1];
	double gross, orel, hrel, lrel;	/* against yesterday's close */
	int member, bench;
};

struct market {
	int n, ndays;
	int32_t *days;		/* trading days */
	double signal;		/* K */
	struct stock *st;
	char **tickers;
	struct rng mr, sr[NSECTOR];
	double hm, hs[NSECTOR];
	double rm, rs[NSECTOR];	/* today's factor returns */
};

void market_init(struct market *m, int n, uint64_t seed, int32_t *days,
    int ndays, double signal);
void market_free(struct market *m);
/* Draw day t's factor returns, then step every stock. */
void market_step(struct market *m, int t);

/* ------------------------------------------------------------ sentiment */

/* --sentiment R: the last three days' adjusted closes and rows, enough to
 * write day t's frame once day t+2's return is known. */
struct sent {
	struct rng r;		/* its own stream: other outputs unchanged */
	double R;		/* each article's correlation with the lead */
	int n;
	double *adj[3];		/* ring by day index % 3; NaN without a row */
	char *row[3];
};

void sent_init(struct sent *s, int n, uint64_t seed, double R);
void sent_free(struct sent *s);
/* Keep day t's closes and rows (after market_step). */
void sent_record(struct sent *s, struct market *m, int t);
/* The sentiment frame of day t (rows = day t's tickers), its articles
 * reading day lead's (= t + 2, recorded) firm-specific return, or pure
 * noise when lead < 0. */
void sent_frame(struct sent *s, struct market *m, int t, int lead,
    struct tm_frame *f);

/* ---------------------------------------------------------- fundamentals */

void fund_init(struct stock *s);
/* Close the quarter ending at period and queue its filing. */
void fund_quarter(struct market *m, struct stock *s, int32_t period);

/* ------------------------------------------------------------ the index */

struct index {
	int k, kb;		/* index size, benchmark size */
	FILE *csv;		/* membership.csv, or NULL */
	double level;
};

/* Reconstitute index and benchmark on day t from yesterday's caps. */
void index_reconstitute(struct index *ix, struct market *m, int t);
/* Remove members whose last row is day t. */
void index_delistings(struct index *ix, struct market *m, int t);
/* The benchmark's bar of day t into v[NFIELD]. */
void index_benchmark(struct index *ix, struct market *m, int t, double *v);

#endif
