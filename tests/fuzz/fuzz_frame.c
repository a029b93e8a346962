/*
 * fuzz_frame.c - libFuzzer target: arbitrary bytes through tm_reader, and
 * every frame it accepts back out through tm_write_from.
 *
 * The first byte picks a mode.  Odd: the CRCs of every frame are fixed up
 * before reading, so mutations reach the header JSON and the payload
 * checks instead of stopping at the CRC; even: the bytes as they are.
 * Bit 2 reads lazily (tm_reader_lazy), as tm-cat's pass-through does, and
 * bit 1 writes deflate, so tm_write_from decodes the lazy frames.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The reader explains every rejection on stderr: keep it quiet.
	 * Sanitizer reports write to fd 2 directly and still show. */
	stderr = fopen("/dev/null", "w");
	sink = fopen("/dev/null", "w");
	if (stderr == NULL || sink == NULL)
		abort();
	return 0;
}

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_frame f;

	if (size < 2)
		return 0;
	uint8_t *b = malloc(size - 1);
	memcpy(b, data + 1, size - 1);
	if (data[0] & 1)
		fix_crcs(b, size - 1);
	FILE *fp = fmemopen(b, size - 1, "rb");
	if (fp == NULL) {
		free(b);
		return 0;
	}
	struct tm_reader *r = tm_reader_new(fp, "fuzz");
	tm_reader_lazy(r, data[0] & 4);	/* tm-cat's pass-through */
	struct tm_writer *w = tm_writer_new(sink, "sink",
	    (data[0] & 2) ? TM_DEFLATE : -1);
	tm_frame_init(&f);
	while (tm_read(r, &f) == 1) {
		(void)tm_frame_date(&f);
		(void)tm_reader_header(r);
		if (tm_write_from(w, r, &f) == -1)
			break;
	}
	tm_writer_end(w);
	tm_writer_free(w);
	tm_frame_release(&f);
	tm_reader_free(r);
	fclose(fp);
	free(b);
	return 0;
}
