/* names.c - tickers, company names and sectors of the synthetic market. */
#include <stdlib.h>
#include <string.h>

#include "synth.h"

const char *const sector_names[NSECTOR] = {
	"Information Technology", "Health Care", "Financials",
	"Consumer Discretionary", "Communication Services", "Industrials",
	"Consumer Staples", "Energy", "Utilities", "Real Estate", "Materials",
};

/* Roughly the Russell 1000's sector mix, in percent. */
static const int sector_weight[NSECTOR] = {
	14, 13, 14, 11, 5, 14, 5, 5, 4, 7, 5,
};

/* The class share every market has, to exercise ticker normalisation. */
#define CLASS_SHARE "MGK-B"

/* A name of up to 5 letters as a base-27 number, for the clash table. */
static uint64_t
encode(const char *s)
{
	uint64_t v = 0;

	for (; *s; s++)
		v = v * 27 + (uint64_t)(*s - 'A' + 1);
	return v;
}

/* Open addressing over encoded names; 0 marks an empty slot. */
static int
claim(uint64_t *tab, size_t cap, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (cap - 1);

	for (; tab[i] != 0; i = (i + 1) & (cap - 1))
		if (tab[i] == key)
			return 0;
	tab[i] = key;
	return 1;
}

char **
names_tickers(int n)
{
	char **v = ecalloc((size_t)n + 1, sizeof(char *));
	size_t cap = 64;
	uint64_t *tab;

	while (cap < 4 * (size_t)n)
		cap <<= 1;
	tab = ecalloc(cap, sizeof(*tab));
	claim(tab, cap, encode("QQQ"));	/* the benchmark's name */
	for (int i = 0; i < n; i++) {
		char buf[8];
		if (i == 0) {
			v[i] = estrdup(CLASS_SHARE);
			continue;
		}
		/* Each index has its own hash sequence, and clashes are settled
		 * in index order, so ticker i is the same for every n > i. */
		uint64_t st = (uint64_t)i * 0x2545f4914f6cdd1dULL;
		do {
			uint64_t h = tm_splitmix64(&st);
			int p = (int)(h % 100), len;
			h /= 100;
			len = p < 10 ? 2 : p < 50 ? 3 : p < 88 ? 4 : 5;
			for (int j = 0; j < len; j++, h /= 26)
				buf[j] = (char)('A' + h % 26);
			buf[len] = '\0';
		} while (!claim(tab, cap, encode(buf)));
		v[i] = estrdup(buf);
	}
	free(tab);
	return v;
}

void
names_company(int i, const char *ticker, char *buf, size_t len)
{
	static const char *const syl[] = {
		"al", "ber", "cor", "dan", "el", "fin", "gar", "hol", "ix",
		"jun", "kar", "lum", "mag", "nor", "or", "pel", "quin", "ros",
		"sar", "tek", "ul", "ver", "wen", "xan", "yor", "zen",
	};
	static const char *const suffix[] = {
		"Corp", "Inc", "Holdings", "Group", "Systems", "Industries",
		"Partners", "Labs", "Technologies", "Brands",
	};
	uint64_t st = (uint64_t)i ^ 0x6a09e667f3bcc908ULL;
	uint64_t h = tm_splitmix64(&st);
	char word[32];
	int ns = 2 + (int)(h % 2);

	if (strchr(ticker, '-')) {
		snprintf(buf, len, "Magikarp Holdings Class B");
		return;
	}
	h /= 2;
	word[0] = '\0';
	for (int j = 0; j < ns; j++, h /= 26)
		strcat(word, syl[h % 26]);
	word[0] = (char)(word[0] - 'a' + 'A');
	snprintf(buf, len, "%s %s", word, suffix[h % 10]);
}

int
names_sector(struct rng *r)
{
	int total = 0, u;

	for (int k = 0; k < NSECTOR; k++)
		total += sector_weight[k];
	u = (int)(rng_unif(r) * total);
	for (int k = 0; k < NSECTOR; k++) {
		if (u < sector_weight[k])
			return k;
		u -= sector_weight[k];
	}
	return NSECTOR - 1;
}
