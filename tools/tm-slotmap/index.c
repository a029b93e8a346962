/* index.c - open-addressing hash of a frame's row labels, so mapping 3,600
 * slots onto a frame costs one probe each instead of a scan. */
#include <string.h>
#include <stdlib.h>

#include "slotmap.h"

static uint64_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void
sm_index_build(struct sm_index *x, const char *const *keys, int64_t n)
{
	size_t cap = 16;

	while (cap < (size_t)n * 2)
		cap *= 2;
	if (cap > x->cap) {
		free(x->slot);
		x->slot = ereallocarray(NULL, cap, sizeof(*x->slot));
	}
	x->cap = cap;
	x->keys = keys;
	for (size_t i = 0; i < cap; i++)
		x->slot[i] = -1;
	for (int64_t i = 0; i < n; i++) {
		size_t h = hash(keys[i]) & (cap - 1);
		/* First row wins when a label repeats. */
		while (x->slot[h] != -1) {
			if (strcmp(keys[x->slot[h]], keys[i]) == 0)
				goto next;
			h = (h + 1) & (cap - 1);
		}
		x->slot[h] = i;
next:		;
	}
}

int64_t
sm_index_find(const struct sm_index *x, const char *key)
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
sm_index_release(struct sm_index *x)
{
	free(x->slot);
	memset(x, 0, sizeof(*x));
}
