/*
 * sets.c - the feature catalogue: every name tm-features knows, the set
 * it belongs to and how it is made from the indicator values.  The man
 * page documents each entry; keep them in step.
 */
#include <math.h>
#include <string.h>

#include "features.h"

static const struct feature cat[] = {
	/* default: 15 technical, scale-free */
	{ "rsi", "default", FK_ONE, I_RSI14 },
	{ "macd", "default", FK_PRICE, I_MACD },
	{ "macd_signal", "default", FK_PRICE, I_MACDS },
	{ "macd_hist", "default", FK_PRICE, I_MACDH },
	{ "bb_pctb", "default", FK_PCTB, 0 },
	{ "bb_width", "default", FK_WIDTH, 0 },
	{ "cci", "default", FK_ONE, I_CCI14 },
	{ "dx", "default", FK_ONE, I_DX14 },
	{ "close_sma30", "default", FK_SMAR, I_SMA30 },
	{ "close_sma60", "default", FK_SMAR, I_SMA60 },
	{ "natr", "default", FK_ONE, I_NATR14 },
	{ "vol20", "default", FK_IND, I_VOL20 },
	{ "ret_5", "default", FK_IND, I_RET5 },
	{ "ret_20", "default", FK_IND, I_RET20 },
	{ "vol_z", "default", FK_IND, I_VOLZ },
	/* default: 10 fundamental, point-in-time */
	{ "pe", "default", FK_FUND, 0 },
	{ "pb", "default", FK_FUND, 1 },
	{ "ps", "default", FK_FUND, 2 },
	{ "eps", "default", FK_FUND, 3 },
	{ "eps_growth", "default", FK_FUND, 4 },
	{ "roe", "default", FK_FUND, 5 },
	{ "de", "default", FK_FUND, 6 },
	{ "div_yield", "default", FK_FUND, 7 },
	{ "margin", "default", FK_FUND, 8 },
	{ "log_mcap", "default", FK_FUND, 9 },
	/* default: temporal (filled by tm-slotmap) and padding */
	{ "new", "default", FK_ZERO, 0 },
	{ "tenure", "default", FK_ZERO, 0 },
	{ "pad0", "default", FK_ZERO, 0 },
	{ "pad1", "default", FK_ZERO, 0 },
	{ "pad2", "default", FK_ZERO, 0 },
	{ "pad3", "default", FK_ZERO, 0 },
	{ "pad4", "default", FK_ZERO, 0 },
	/* finrl: stockstats values */
	{ "macd", "finrl", FK_IND, I_FMACD },
	{ "boll_ub", "finrl", FK_IND, I_FBOLLUB },
	{ "boll_lb", "finrl", FK_IND, I_FBOLLLB },
	{ "rsi_30", "finrl", FK_IND, I_FRSI30 },
	{ "cci_30", "finrl", FK_IND, I_FCCI30 },
	{ "dx_30", "finrl", FK_IND, I_FDX30 },
	{ "close_30_sma", "finrl", FK_IND, I_FSMA30 },
	{ "close_60_sma", "finrl", FK_IND, I_FSMA60 },
	/* ta: raw TA-Lib values */
	{ "rsi_14", "ta", FK_IND, I_RSI14 },
	{ "rsi_30", "ta", FK_IND, I_RSI30 },
	{ "macd", "ta", FK_IND, I_MACD },
	{ "macd_signal", "ta", FK_IND, I_MACDS },
	{ "macd_hist", "ta", FK_IND, I_MACDH },
	{ "bb_upper", "ta", FK_IND, I_BBU },
	{ "bb_middle", "ta", FK_IND, I_BBM },
	{ "bb_lower", "ta", FK_IND, I_BBL },
	{ "cci_14", "ta", FK_IND, I_CCI14 },
	{ "cci_30", "ta", FK_IND, I_CCI30 },
	{ "dx_14", "ta", FK_IND, I_DX14 },
	{ "dx_30", "ta", FK_IND, I_DX30 },
	{ "adx_14", "ta", FK_IND, I_ADX14 },
	{ "atr_14", "ta", FK_IND, I_ATR14 },
	{ "natr_14", "ta", FK_IND, I_NATR14 },
	{ "sma_30", "ta", FK_IND, I_SMA30 },
	{ "sma_60", "ta", FK_IND, I_SMA60 },
	{ "ema_20", "ta", FK_IND, I_EMA20 },
	{ "obv", "ta", FK_IND, I_OBV },
	{ "stoch_k", "ta", FK_IND, I_STOCHK },
	{ "stoch_d", "ta", FK_IND, I_STOCHD },
	{ "willr_14", "ta", FK_IND, I_WILLR14 },
	{ "mfi_14", "ta", FK_IND, I_MFI14 },
	{ "roc_10", "ta", FK_IND, I_ROC10 },
	{ "mom_10", "ta", FK_IND, I_MOM10 },
};
#define NCAT (sizeof(cat) / sizeof(cat[0]))

/* The name in the given set first, then in any set, in catalogue order. */
const struct feature *
feat_lookup(const char *name, const char *set)
{
	for (size_t i = 0; i < NCAT; i++)
		if (strcmp(cat[i].set, set) == 0 && strcmp(cat[i].name, name) == 0)
			return &cat[i];
	for (size_t i = 0; i < NCAT; i++)
		if (strcmp(cat[i].name, name) == 0)
			return &cat[i];
	return NULL;
}

/* The features of a set in order; returns their count, -1 for no such set. */
int
feat_set(const char *set, const struct feature **out, int max)
{
	int n = 0;

	for (size_t i = 0; i < NCAT; i++)
		if (strcmp(cat[i].set, set) == 0 && n < max)
			out[n++] = &cat[i];
	return n ? n : -1;
}

static double
ratio(double a, double b)
{
	return b != 0.0 ? a / b : NAN;
}

double
feat_value(const struct feature *fe, const double *ind, const struct tk *t)
{
	double c = ind[I_CLOSE], u, l;

	switch (fe->kind) {
	case FK_IND:
		return ind[fe->ind];
	case FK_PRICE:
		return ratio(ind[fe->ind], c);
	case FK_ONE:
		return ind[fe->ind] / 100.0;
	case FK_PCTB:
		u = ind[I_BBU];
		l = ind[I_BBL];
		if (u == l)	/* no spread: the close sits on the middle */
			return isnan(u) ? NAN : 0.5;
		return (c - l) / (u - l);
	case FK_WIDTH:
		return ratio(ind[I_BBU] - ind[I_BBL], ind[I_BBM]);
	case FK_SMAR:
		return ratio(c, ind[fe->ind]) - 1.0;
	case FK_FUND:
		return fund_value(&t->f, fe->ind, c);
	default:
		return 0.0;
	}
}
