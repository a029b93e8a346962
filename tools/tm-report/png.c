/* png.c - a paletted raster and the smallest PNG writer that mail clients
 * accept: IHDR, PLTE, one IDAT (zlib), IEND; filter 0 on every row. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "report.h"

static const uint8_t palette[C_NCOLOR][3] = {
	[C_BG] = { 255, 255, 255 }, [C_GRID] = { 228, 228, 228 },
	[C_AXIS] = { 110, 110, 110 }, [C_VALUE] = { 31, 119, 180 },
	[C_BENCH] = { 255, 127, 14 }, [C_UP] = { 44, 160, 44 },
	[C_DOWN] = { 214, 39, 40 }, [C_DD] = { 240, 150, 150 },
};

void
canvas_init(struct canvas *c, int w, int h)
{
	c->w = w;
	c->h = h;
	c->px = ecalloc((size_t)w * (size_t)h, 1);	/* C_BG is 0 */
}

void
canvas_free(struct canvas *c)
{
	free(c->px);
	c->px = NULL;
}

static void
plot(struct canvas *c, int x, int y, int col)
{
	if (x >= 0 && y >= 0 && x < c->w && y < c->h)
		c->px[(size_t)y * (size_t)c->w + (size_t)x] = (uint8_t)col;
}

/* Fill the rectangle between two corners, both included, clipped. */
void
canvas_rect(struct canvas *c, int x0, int y0, int x1, int y1, int col)
{
	if (x0 > x1) { int t = x0; x0 = x1; x1 = t; }
	if (y0 > y1) { int t = y0; y0 = y1; y1 = t; }
	for (int y = y0; y <= y1; y++)
		for (int x = x0; x <= x1; x++)
			plot(c, x, y, col);
}

/* Bresenham, with a square pen of thick pixels. */
void
canvas_line(struct canvas *c, int x0, int y0, int x1, int y1, int col,
    int thick)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;

	for (;;) {
		canvas_rect(c, x0, y0, x0 + thick - 1, y0 + thick - 1, col);
		if (x0 == x1 && y0 == y1)
			break;
		int e2 = 2 * err;
		if (e2 >= dy) { err += dy; x0 += sx; }
		if (e2 <= dx) { err += dx; y0 += sy; }
	}
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One chunk: length, type, data, CRC over type and data. */
static void
chunk(struct tm_buf *b, const char *type, const uint8_t *data, size_t n)
{
	uint8_t hd[8], crc[4];
	uLong c = crc32(0, (const Bytef *)type, 4);

	put32(hd, (uint32_t)n);
	memcpy(hd + 4, type, 4);
	tm_buf_add(b, hd, 8);
	if (n)
		tm_buf_add(b, data, n);
	if (n)	/* crc32(c, NULL, 0) is not c but 0: zlib's init call */
		c = crc32(c, data, (uInt)n);
	put32(crc, (uint32_t)c);
	tm_buf_add(b, crc, 4);
}

void
png_encode(const struct canvas *c, struct tm_buf *b)
{
	uint8_t ihdr[13];
	size_t row = (size_t)c->w + 1, raw_n = row * (size_t)c->h;
	uint8_t *raw = emalloc(raw_n);

	tm_buf_add(b, "\x89PNG\r\n\x1a\n", 8);
	put32(ihdr, (uint32_t)c->w);
	put32(ihdr + 4, (uint32_t)c->h);
	ihdr[8] = 8;		/* bit depth */
	ihdr[9] = 3;		/* palette */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	chunk(b, "IHDR", ihdr, sizeof(ihdr));
	chunk(b, "PLTE", &palette[0][0], sizeof(palette));
	for (int y = 0; y < c->h; y++) {
		raw[(size_t)y * row] = 0;	/* filter: none */
		memcpy(raw + (size_t)y * row + 1, c->px + (size_t)y *
		    (size_t)c->w, (size_t)c->w);
	}
	uLongf zn = compressBound((uLong)raw_n);
	uint8_t *z = emalloc(zn);
	if (compress2(z, &zn, raw, (uLong)raw_n, 6) != Z_OK)
		tm_die(EX_SOFTWARE, "png: compress failed");
	chunk(b, "IDAT", z, zn);
	chunk(b, "IEND", NULL, 0);
	free(z);
	free(raw);
}
