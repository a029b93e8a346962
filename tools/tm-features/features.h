/*
 * features.h - what the files of tm-features share: the per-ticker state
 * (constant size: rings of the last RING bars and the smoothing sums), the
 * indicator values of one ticker-day, the feature catalogue and the
 * turbulence and fundamentals state.
 */
#ifndef FEATURES_H
#define FEATURES_H

#include <stdint.h>

#include "badbar.h"
#include "tm.h"

#define RING 64		/* bars kept; a power of two above the longest window (60) */
#define RMASK (RING - 1)
#define NEPS 5
#define NSPLIT 4	/* splits remembered, for filings that predate them */		/* eps of the last filings, for eps growth over 4 filings */

/* Point-in-time fundamentals of one ticker, per share values as of the
 * last split. */
struct fund {
	double eps, bvps, sps, dps, roe, de, margin, shares;
	double pasteps[NEPS];	/* pasteps[0] = eps of the latest filing */
	int nfil;		/* filings seen */
};

/* One ticker's streaming state.  Ring slot i % RING holds bar i (0-based
 * count of valid bars). */
struct tk {
	char *name;
	int64_t n;			/* valid bars so far */
	double c[RING], h[RING], l[RING], tp[RING], v[RING], a[RING], lr[RING];
	double adjratio;		/* last adjclose / close, for a missing adjclose */
	/* running window sums, kept by tk_push: close over 20, 30 and 60
	 * bars, close squared over 20, log return and volume (and squares)
	 * over 20, typical price over 30 */
	double s20, q20, s30, s60, slr, qlr, sv, qv, t30;

	/* TA-Lib state */
	double rsig[2], rsil[2];	/* Wilder average gain and loss, 14 and 30 */
	double ema12, ema26, macd, sig, sigsum, ema20;
	double atr, atrsum;
	double pdm[2], mdm[2], tr[2];	/* Wilder DM and TR sums, 14 and 30 */
	double dxl[2], dxsum, adx;	/* last DX of each window; ADX(14) */
	double fastk[3], slowk[3];
	double obv;

	/* stockstats (FinRL) state: adjust=True EWMs as numerator/denominator */
	double s_e12, s_e26, s_d12, s_d26;	/* span 12 and 26 of close */
	double s_up, s_dn, s_rd;		/* smma(30) of gains, losses; shared denominator */
	double s_pdm, s_mdm, s_dmd;		/* smma(30) of +DM, -DM from bar 1 */
	double s_tr, s_trd;			/* smma(30) of TR from bar 0 */

	struct fund f;
	int filed;			/* any fundamentals seen */
	int32_t spday[NSPLIT];		/* the last splits applied, a ring */
	double spk[NSPLIT];
	int nsp;
	struct tm_badbar bb;		/* the bad-bar rule's state (clean.c) */
	int64_t seen1;			/* 1 + the day of its last row, 0 never */
};

/* Every value the tool can emit for a ticker-day; features pick and scale. */
enum {
	/* TA-Lib */
	I_RSI14, I_RSI30, I_MACD, I_MACDS, I_MACDH, I_BBU, I_BBM, I_BBL,
	I_CCI14, I_CCI30, I_DX14, I_DX30, I_ADX14, I_ATR14, I_NATR14,
	I_SMA30, I_SMA60, I_EMA20, I_OBV, I_STOCHK, I_STOCHD, I_WILLR14,
	I_MFI14, I_ROC10, I_MOM10,
	/* stockstats */
	I_FMACD, I_FBOLLUB, I_FBOLLLB, I_FRSI30, I_FCCI30, I_FDX30,
	I_FSMA30, I_FSMA60,
	/* default-set extras */
	I_VOL20, I_RET5, I_RET20, I_VOLZ,
	/* carried */
	I_CLOSE, I_RET,
	NIND
};

/* need[i]: indicator i feeds a selected feature, so its family is computed
 * at all (a family never needed in a run is never updated). */
extern unsigned char need[NIND];

/* A feature: its name, the set it belongs to, how it is made, what it
 * needs computed.  The catalogue is the table in sets.c. */
struct feature {
	const char *name;
	const char *set;
	int kind;		/* FK_* */
	int ind;		/* indicator index for FK_IND, FK_PRICE, FK_ONE,
				 * FK_SMAR; the value's index for FK_FUND */
	uint64_t need;		/* bit i: indicator i must be computed */
	double (*fn)(const struct tk *t);	/* FK_FN: the value */
};
enum { FK_IND, FK_PRICE, FK_ONE, FK_PCTB, FK_WIDTH, FK_SMAR, FK_FUND, FK_ZERO,
	FK_FN };
_Static_assert(NIND <= 64, "a need mask has 64 bits");

/* state.c */
struct tk *tk_get(const char *name);		/* find or create */
void tk_split(struct tk *t, double k, int32_t day);	/* rescale for a k-for-1 split */
void tk_freeall(void);

/* talib.c, finrl.c, extra.c: push one valid bar into the state and fill
 * the indicator values of that day (NaN where not warmed up). */
void tk_push(struct tk *t, double h, double l, double c, double v, double a);
void ta_update(struct tk *t, double *ind);
void ss_update(struct tk *t, double *ind);
void ex_update(struct tk *t, double *ind);

/* sets.c */
const struct feature *feat_lookup(const char *name, const char *set);
int feat_set(const char *set, const struct feature **out, int max);
double feat_value(const struct feature *fe, const double *ind,
    const struct tk *t);
void feat_need(const struct feature *const *f, int n, unsigned char *need);
void feat_list(FILE *fp);
const char *feat_sets(void);

/* fund.c */
struct fundsrc;
struct fundsrc *fund_open(const char *path);
/* Apply the filings dated before day (or on it, when inclusive). */
void fund_advance(struct fundsrc *s, int32_t day, int inclusive);
void fund_close(struct fundsrc *s);
void fund_split(struct fund *f, double k);
double fund_value(const struct fund *f, int which, double close);

/* clean.c: judge ticker t's bar of day by the bad-bar rule (badbar.h);
 * 1 when it is bad: the caller pushes nothing and leaves the row NaN.
 * Each bad bar and each verdict on a held suspect is a JSON finding line
 * on stderr; the day's bad tickers are collected for meta.bad. */
int clean_bar(struct tk *t, int32_t day, double o, double h, double l,
    double c, double v, double split);
/* The comma list of the tickers found bad since the last call ("" when
 * none), then cleared. */
const char *clean_day(void);
void clean_free(void);

/* turb.c */
struct turb;
struct turb *turb_new(int k, int window);
int turb_bucket(const struct turb *tb, const char *ticker);
/* Feed one day's bucket sums and counts; returns that day's index. */
double turb_day(struct turb *tb, const double *sum, const int *cnt);
void turb_free(struct turb *tb);

#endif
