/*
 * fuzz.h - what the libFuzzer targets share: a quiet stderr, an
 * in-memory file for readers that take a path, and CRC repair for inputs
 * that are TMT streams.  A target defines setup() (its one-time state,
 * run by LLVMFuzzerInitialize) and LLVMFuzzerTestOneInput.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void setup(void);

/* A stream to /dev/null, for stderr and for output nobody reads. */
static inline FILE *
fuzz_null(void)
{
	FILE *fp = fopen("/dev/null", "w");

	if (fp == NULL)
		abort();
	return fp;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The code under test explains every rejection on stderr: keep it
	 * quiet.  Sanitizer reports write to fd 2 directly and still show. */
	stderr = fuzz_null();
	setup();
	return 0;
}

/* An in-memory file, named by path, for a reader that takes a path; and
 * a scratch path in /dev/shm for what the target writes back. */
struct fuzz_file {
	int fd;
	char path[64], scratch[64];
};

static inline void
fuzz_file_open(struct fuzz_file *ff, const char *name)
{
	if ((ff->fd = memfd_create(name, 0)) == -1)
		abort();
	snprintf(ff->path, sizeof(ff->path), "/proc/self/fd/%d", ff->fd);
	snprintf(ff->scratch, sizeof(ff->scratch), "/dev/shm/%s.%ld", name,
	    (long)getpid());
}

/* The n bytes at data as the whole file. */
static inline void
fuzz_file_fill(struct fuzz_file *ff, const void *data, size_t n)
{
	if (ftruncate(ff->fd, 0) == -1 || pwrite(ff->fd, data, n, 0) !=
	    (ssize_t)n)
		abort();
}

/* A little-endian number of n bytes at p. */
static inline uint64_t
fuzz_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline void
fuzz_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute both CRCs of each frame of a TMT stream whose bytes are all
 * there, so mutations reach the header JSON and the payload checks
 * instead of stopping at the CRC. */
static inline void
fuzz_fix_crcs(uint8_t *b, size_t n)
{
	size_t off = 0;

	while (off + TM_LEAD <= n) {
		uint8_t *p = b + off;
		uint64_t hlen = fuzz_le(p + 12, 4), plen = fuzz_le(p + 16, 8);
		uint64_t ppad = (TM_ALIGN - plen % TM_ALIGN) % TM_ALIGN;
		if (hlen > n - off - TM_LEAD)
			return;
		fuzz_put32(p + 24, tm_crc32(tm_crc32(0, p, 24), p + TM_LEAD,
		    hlen));
		if (plen > n || plen + ppad > n - off - TM_LEAD - hlen)
			return;
		fuzz_put32(p + 28, tm_crc32(0, p + TM_LEAD + hlen,
		    plen + ppad));
		off += TM_LEAD + hlen + plen + ppad;
	}
}

#endif
