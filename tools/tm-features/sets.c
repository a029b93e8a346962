/*
 * sets.c - the feature catalogue: every name tm-features knows, the set
 * it belongs to, how it is made from the indicator values and which
 * indicators it needs computed.  tm-features --list prints it and the
 * man page documents each entry: tests/t0440-house-features.sh keeps the
 * three in step.
 *
 * A new feature is one entry here plus, when no existing indicator makes
 * it, one file: FK_FN with that file's function of the ticker's state
 * (the last RING bars, t->n of them valid), declared above the table,
 * e.g.
 *	double hl_range(const struct tk *t);	(in range.c)
 *	{ "hl_range", "ta", FK_FN, 0, 0, hl_range },
 * main.c has nothing per feature: the need masks say what to compute.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "features.h"

#define N(i) (UINT64_C(1) << (i))

static const struct feature cat[] = {
	/* default: 15 technical, scale-free */
	{ "rsi", "default", FK_ONE, I_RSI14, N(I_RSI14), NULL },
	{ "macd", "default", FK_PRICE, I_MACD, N(I_MACD), NULL },
	{ "macd_signal", "default", FK_PRICE, I_MACDS, N(I_MACDS), NULL },
	{ "macd_hist", "default", FK_PRICE, I_MACDH, N(I_MACDH), NULL },
	{ "bb_pctb", "default", FK_PCTB, 0, N(I_BBU) | N(I_BBM) | N(I_BBL), NULL },
	{ "bb_width", "default", FK_WIDTH, 0, N(I_BBU) | N(I_BBM) | N(I_BBL), NULL },
	{ "cci", "default", FK_ONE, I_CCI14, N(I_CCI14), NULL },
	{ "dx", "default", FK_ONE, I_DX14, N(I_DX14), NULL },
	{ "close_sma30", "default", FK_SMAR, I_SMA30, N(I_SMA30), NULL },
	{ "close_sma60", "default", FK_SMAR, I_SMA60, N(I_SMA60), NULL },
	{ "natr", "default", FK_ONE, I_NATR14, N(I_NATR14), NULL },
	{ "vol20", "default", FK_IND, I_VOL20, N(I_VOL20), NULL },
	{ "ret_5", "default", FK_IND, I_RET5, N(I_RET5), NULL },
	{ "ret_20", "default", FK_IND, I_RET20, N(I_RET20), NULL },
	{ "vol_z", "default", FK_IND, I_VOLZ, N(I_VOLZ), NULL },
	/* default: 10 fundamental, point-in-time */
	{ "pe", "default", FK_FUND, 0, 0, NULL },
	{ "pb", "default", FK_FUND, 1, 0, NULL },
	{ "ps", "default", FK_FUND, 2, 0, NULL },
	{ "eps", "default", FK_FUND, 3, 0, NULL },
	{ "eps_growth", "default", FK_FUND, 4, 0, NULL },
	{ "roe", "default", FK_FUND, 5, 0, NULL },
	{ "de", "default", FK_FUND, 6, 0, NULL },
	{ "div_yield", "default", FK_FUND, 7, 0, NULL },
	{ "margin", "default", FK_FUND, 8, 0, NULL },
	{ "log_mcap", "default", FK_FUND, 9, 0, NULL },
	/* default: temporal (filled by tm-slotmap) and padding */
	{ "new", "default", FK_ZERO, 0, 0, NULL },
	{ "tenure", "default", FK_ZERO, 0, 0, NULL },
	{ "pad0", "default", FK_ZERO, 0, 0, NULL },
	{ "pad1", "default", FK_ZERO, 0, 0, NULL },
	{ "pad2", "default", FK_ZERO, 0, 0, NULL },
	{ "pad3", "default", FK_ZERO, 0, 0, NULL },
	{ "pad4", "default", FK_ZERO, 0, 0, NULL },
	/* finrl: stockstats values */
	{ "macd", "finrl", FK_IND, I_FMACD, N(I_FMACD), NULL },
	{ "boll_ub", "finrl", FK_IND, I_FBOLLUB, N(I_FBOLLUB), NULL },
	{ "boll_lb", "finrl", FK_IND, I_FBOLLLB, N(I_FBOLLLB), NULL },
	{ "rsi_30", "finrl", FK_IND, I_FRSI30, N(I_FRSI30), NULL },
	{ "cci_30", "finrl", FK_IND, I_FCCI30, N(I_FCCI30), NULL },
	{ "dx_30", "finrl", FK_IND, I_FDX30, N(I_FDX30), NULL },
	{ "close_30_sma", "finrl", FK_IND, I_FSMA30, N(I_FSMA30), NULL },
	{ "close_60_sma", "finrl", FK_IND, I_FSMA60, N(I_FSMA60), NULL },
	/* ta: raw TA-Lib values */
	{ "rsi_14", "ta", FK_IND, I_RSI14, N(I_RSI14), NULL },
	{ "rsi_30", "ta", FK_IND, I_RSI30, N(I_RSI30), NULL },
	{ "macd", "ta", FK_IND, I_MACD, N(I_MACD), NULL },
	{ "macd_signal", "ta", FK_IND, I_MACDS, N(I_MACDS), NULL },
	{ "macd_hist", "ta", FK_IND, I_MACDH, N(I_MACDH), NULL },
	{ "bb_upper", "ta", FK_IND, I_BBU, N(I_BBU), NULL },
	{ "bb_middle", "ta", FK_IND, I_BBM, N(I_BBM), NULL },
	{ "bb_lower", "ta", FK_IND, I_BBL, N(I_BBL), NULL },
	{ "cci_14", "ta", FK_IND, I_CCI14, N(I_CCI14), NULL },
	{ "cci_30", "ta", FK_IND, I_CCI30, N(I_CCI30), NULL },
	{ "dx_14", "ta", FK_IND, I_DX14, N(I_DX14), NULL },
	{ "dx_30", "ta", FK_IND, I_DX30, N(I_DX30), NULL },
	{ "adx_14", "ta", FK_IND, I_ADX14, N(I_ADX14), NULL },
	{ "atr_14", "ta", FK_IND, I_ATR14, N(I_ATR14), NULL },
	{ "natr_14", "ta", FK_IND, I_NATR14, N(I_NATR14), NULL },
	{ "sma_30", "ta", FK_IND, I_SMA30, N(I_SMA30), NULL },
	{ "sma_60", "ta", FK_IND, I_SMA60, N(I_SMA60), NULL },
	{ "ema_20", "ta", FK_IND, I_EMA20, N(I_EMA20), NULL },
	{ "obv", "ta", FK_IND, I_OBV, N(I_OBV), NULL },
	{ "stoch_k", "ta", FK_IND, I_STOCHK, N(I_STOCHK), NULL },
	{ "stoch_d", "ta", FK_IND, I_STOCHD, N(I_STOCHD), NULL },
	{ "willr_14", "ta", FK_IND, I_WILLR14, N(I_WILLR14), NULL },
	{ "mfi_14", "ta", FK_IND, I_MFI14, N(I_MFI14), NULL },
	{ "roc_10", "ta", FK_IND, I_ROC10, N(I_ROC10), NULL },
	{ "mom_10", "ta", FK_IND, I_MOM10, N(I_MOM10), NULL },
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

/* Each entry as "SET NAME", one a line, in catalogue order. */
void
feat_list(FILE *fp)
{
	for (size_t i = 0; i < NCAT; i++)
		fprintf(fp, "%s %s\n", cat[i].set, cat[i].name);
}

/* The set names in catalogue order, comma-separated ("default, finrl,
 * ta"), for messages; a static buffer. */
const char *
feat_sets(void)
{
	static char buf[256];
	size_t n = 0;

	if (buf[0])
		return buf;
	for (size_t i = 0; i < NCAT; i++) {
		size_t k = 0;
		while (k < i && strcmp(cat[k].set, cat[i].set) != 0)
			k++;
		if (k < i)
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? ", " : "", cat[i].set);
		if (n >= sizeof(buf))
			break;
	}
	return buf;
}

/* OR each feature's need mask into need[]. */
void
feat_need(const struct feature *const *f, int n, unsigned char *need)
{
	for (int j = 0; j < n; j++)
		for (int i = 0; i < NIND; i++)
			if (f[j]->need & N(i))
				need[i] = 1;
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
	case FK_FN:
		return fe->fn(t);
	default:
		return 0.0;
	}
}
