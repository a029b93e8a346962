/*
 * fuzz_crc.h - for targets that read TMT streams: recompute the CRCs of
 * each frame, so mutations reach the header JSON and the payload checks
 * instead of stopping at the CRC.
 */
#ifndef FUZZ_CRC_H
#define FUZZ_CRC_H

#include <stddef.h>
#include <stdint.h>

#include "tm.h"

static uint64_t
le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute both CRCs of each frame whose bytes are all there. */
static void
fix_crcs(uint8_t *b, size_t n)
{
	size_t off = 0;

	while (off + TM_LEAD <= n) {
		uint8_t *p = b + off;
		uint64_t hlen = le(p + 12, 4), plen = le(p + 16, 8);
		uint64_t ppad = (TM_ALIGN - plen % TM_ALIGN) % TM_ALIGN;
		if (hlen > n - off - TM_LEAD)
			return;
		put32(p + 24, tm_crc32(tm_crc32(0, p, 24), p + TM_LEAD, hlen));
		if (plen > n || plen + ppad > n - off - TM_LEAD - hlen)
			return;
		put32(p + 28, tm_crc32(0, p + TM_LEAD + hlen, plen + ppad));
		off += TM_LEAD + hlen + plen + ppad;
	}
}

#endif
