/* labindex.c - an open-addressing hash from strings (row labels, tickers)
 * to their index in a caller's array, so matching 3,600 tickers costs one
 * probe each instead of a scan.  One mechanism for every tool that maps
 * names: tm-slotmap (a frame's rows), tm-infer (the weights file), tm-
 * strategy (its history's tickers), tm-features (its tickers' state). */
#include <stdlib.h>
#include <string.h>

#include "tm.h"

/* FNV-1a, 64 bits: tickers are short and this spreads them well. */
static uint64_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Place key i; the first of equal keys stays. */
static void
put(struct tm_index *x, int64_t i)
{
	const char *k = x->keys[i];
	size_t h;

	for (h = hash(k) & (x->cap - 1); x->slot[h] != -1;
	    h = (h + 1) & (x->cap - 1))
		if (strcmp(x->keys[x->slot[h]], k) == 0)
			return;
	x->slot[h] = i;
}

static void
rehash(struct tm_index *x, size_t cap)
{
	if (cap > x->cap || !x->slot) {
		free(x->slot);
		x->slot = ereallocarray(NULL, cap, sizeof(*x->slot));
	}
	x->cap = cap;
	for (size_t i = 0; i < cap; i++)
		x->slot[i] = -1;
	for (int64_t i = 0; i < x->n; i++)
		if (x->keys[i])
			put(x, i);
}

void
tm_index_build(struct tm_index *x, const char *const *keys, int64_t n)
{
	size_t cap = 16;

	while (cap < (size_t)n * 2)
		cap *= 2;
	x->keys = keys;
	x->n = n;
	rehash(x, cap > x->cap ? cap : x->cap);
}

int64_t
tm_index_find(const struct tm_index *x, const char *key)
{
	size_t h;

	if (x->cap == 0)
		return -1;
	for (h = hash(key) & (x->cap - 1); x->slot[h] != -1;
	    h = (h + 1) & (x->cap - 1))
		if (strcmp(x->keys[x->slot[h]], key) == 0)
			return x->slot[h];
	return -1;
}

void
tm_index_add(struct tm_index *x, const char *const *keys, int64_t i)
{
	x->keys = keys;
	if (i >= x->n)
		x->n = i + 1;
	if (x->cap < 16 || (size_t)x->n * 2 > x->cap) {
		size_t cap = x->cap < 16 ? 16 : x->cap;

		while (cap < (size_t)x->n * 2)
			cap *= 2;
		rehash(x, cap);
	} else if (keys[i])
		put(x, i);
}

void
tm_index_release(struct tm_index *x)
{
	free(x->slot);
	memset(x, 0, sizeof(*x));
}
