/*
 * fuzz_frame.c - libFuzzer target: arbitrary bytes through tm_reader, and
 * every frame it accepts back out through tm_write_from.
 *
 * The first byte picks a mode.  Odd: the CRCs of every frame are fixed up
 * before reading, so mutations reach the header JSON and the payload
 * checks instead of stopping at the CRC; even: the bytes as they are.
 * Bit 1 also writes deflate, bit 2 reads the input twice over;
 * every input goes through a lazy read and a plain one, which must agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

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
	if (stderr == NULL)
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

static int pass2(const uint8_t *b, size_t n, int enc, int lazy, int how,
    char **out, size_t *outlen);

/* Read b (n bytes) lazily or not and write every frame accepted through
 * tm_write_from into a memory stream with encoding enc: its bytes in *out
 * (the caller frees them), the reader's status returned. */
static int
pass(const uint8_t *b, size_t n, int enc, int lazy, char **out,
    size_t *outlen)
{
	return pass2(b, n, enc, lazy, 0, out, outlen);
}

/* pass, or (how 1) as tm-cat --last writes: tm_write_copy for a frame
 * read lazily that tm_reader_canonical vouches for, tm_write for the
 * rest, which (how 2) is every frame of a plain read. */
static int
pass2(const uint8_t *b, size_t n, int enc, int lazy, int how, char **out,
    size_t *outlen)
{
	struct tm_frame f;
	FILE *fp = fmemopen((void *)b, n, "rb");
	FILE *o = open_memstream(out, outlen);
	int st;

	if (fp == NULL || o == NULL)
		abort();
	struct tm_reader *r = tm_reader_new(fp, "fuzz");
	struct tm_writer *w = tm_writer_new(o, "sink", enc);
	tm_reader_lazy(r, lazy);
	tm_frame_init(&f);
	while (tm_read(r, &f) == 1) {
		(void)tm_frame_date(&f);
		(void)tm_reader_header(r);
		size_t len;
		const uint8_t *raw = tm_reader_raw(r, &len);
		int rc;
		if (how == 1 && tm_reader_canonical(r) && raw[9] == TM_MINOR)
			rc = tm_write_copy(w, raw, len, f.seq);
		else if (how == 1)
			rc = tm_reader_decode(r, &f) == -1 ? -1 : tm_write(w, &f);
		else if (how == 2)
			rc = tm_write(w, &f);
		else
			rc = tm_write_from(w, r, &f);
		if (rc == -1)
			break;
	}
	tm_writer_end(w);
	st = tm_reader_status(r);
	tm_writer_free(w);
	tm_frame_release(&f);
	tm_reader_free(r);
	fclose(fp);
	fclose(o);
	return st;
}

/*
 * Each input is read twice into a raw writer, lazily (as tm-cat's
 * pass-through reads) and not: the two must accept the same frames, end
 * with the same status and write the same bytes (a renumbered frame
 * padded anew is the one tm_write would give), else abort() reports the
 * input.  Only raw: a lazy read copies a deflate frame to a deflate
 * writer without inflating it, so tm-cat -z reads in full.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = NULL, *z = NULL;
	size_t alen = 0, zlen = 0;

	if (size < 2)
		return 0;
	uint8_t *b = malloc(size - 1);
	memcpy(b, data + 1, size - 1);
	if (data[0] & 1)
		fix_crcs(b, size - 1);
	/* Bit 2 doubles the input: a second segment, renumbered. */
	size_t n = size - 1;
	if (data[0] & 4) {
		b = realloc(b, 2 * n);
		memcpy(b + n, b, n);
		n *= 2;
	}
	int sa = pass(b, n, TM_RAW, 1, &a, &alen);
	int sz = pass(b, n, TM_RAW, 0, &z, &zlen);
	if (sa != sz || alen != zlen || memcmp(a, z, alen) != 0)
		abort();
	free(a);
	free(z);
	/* The bytes tm_write_copy keeps are tm_write's. */
	sa = pass2(b, n, TM_RAW, 1, 1, &a, &alen);
	sz = pass2(b, n, TM_RAW, 0, 2, &z, &zlen);
	if (sa != sz || alen != zlen || memcmp(a, z, alen) != 0)
		abort();
	free(a);
	free(z);
	if (data[0] & 2) {
		(void)pass(b, n, TM_DEFLATE, 0, &z, &zlen);
		free(z);
	}
	free(b);
	return 0;
}
