/* carry.c - a ticker's place from one day's slots to the next: the one
 * rule by which the environment, tm-infer, tm-backtest and tm-diff carry
 * a stock's weight when it moves slot (its index membership ended and it
 * went to the archive, or it came back). */
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"

static const char *
lab_of(const char *const *v, int i)
{
	return v && v[i] ? v[i] : "";
}

int
tm_slot_moves(int N, const char *const *prev, const char *const *lab,
    int32_t *src)
{
	int nch = 0, moved = 0, *ch;

	/* A ticker that moved left a slot whose label changed, so only the
	 * changed slots are searched: a reconstitution day costs the
	 * square of its changes, any other day one pass. */
	for (int i = 0; i < N; i++)
		if (!strcmp(lab_of(prev, i), lab_of(lab, i)))
			src[i] = i;
		else {
			src[i] = -1;
			nch++;
		}
	if (!nch)
		return 0;
	ch = emalloc(nch * sizeof(int));
	nch = 0;
	for (int i = 0; i < N; i++)
		if (src[i] == -1)
			ch[nch++] = i;
	for (int a = 0; a < nch; a++) {
		const char *l = lab_of(lab, ch[a]);

		for (int b = 0; *l && b < nch; b++)
			if (b != a && !strcmp(lab_of(prev, ch[b]), l)) {
				src[ch[a]] = ch[b];
				moved++;
				break;
			}
	}
	free(ch);
	return moved;
}

void
tm_slot_dst(int N, const int32_t *src, int32_t *dst)
{
	for (int j = 0; j < N; j++)
		dst[j] = -1;
	for (int i = 0; i < N; i++)
		if (src[i] >= 0)
			dst[src[i]] = i;
}

void
tm_slot_carry(int N, const int32_t *src, double *v, double *tmp)
{
	for (int i = 0; i < N; i++)
		tmp[i] = src[i] >= 0 ? v[src[i]] : 0;
	memcpy(v, tmp, N * sizeof(double));
}
