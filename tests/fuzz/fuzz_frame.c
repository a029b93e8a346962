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
#include <string.h>

#include "fuzz.h"

static void
setup(void)
{
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
		fuzz_fix_crcs(b, size - 1);
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
