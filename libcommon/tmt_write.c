/* tmt_write.c - encoding frames into a TMT stream (see tm-tensor(5)).  A
 * header is written as text built by hand, the bytes jansson would dump;
 * the odd frames it does not do go through a jansson tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <isa-l/crc.h>

#include "tm.h"

struct tm_writer {
	FILE *fp;
	char *name;
	int enc;
	int64_t seq;
	unsigned char *zbuf;	/* deflate output, reused */
	size_t zcap;
	int failed;
	int jansson;		/* every header through a jansson tree */
	char *hb;		/* the header text being built, reused */
	size_t hlen, hcap;
	/* tm_writer_flush: frames of a mapped file not written yet, npend
	 * bytes from pend (contiguous in the mapping) */
	const unsigned char *pend;
	size_t npend;
};

static const unsigned char zeros[TM_ALIGN];

static int put_pending(struct tm_writer *w);

uint32_t
tm_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	/* ISA-L's folding CRC (PCLMUL where the CPU has it, chosen at run
	 * time, same value) is 4-5x zlib's here; it takes 64-bit lengths but
	 * large buffers go in pieces all the same. */
	while (len > 0) {
		uint64_t n = len > (1u << 30) ? (1u << 30) : len;
		crc = crc32_gzip_refl(crc, p, n);
		p += n;
		len -= n;
	}
	return crc;
}

struct tm_writer *
tm_writer_new(FILE *fp, const char *name, int enc)
{
	struct tm_writer *w = ecalloc(1, sizeof(*w));

	w->fp = fp;
	w->name = estrdup(name);
	w->enc = enc;
	/* TM_TMT_JANSSON=1: the tests compare the two header paths. */
	const char *j = getenv("TM_TMT_JANSSON");
	w->jansson = j && strcmp(j, "1") == 0;
	return w;
}

void
tm_writer_free(struct tm_writer *w)
{
	if (w == NULL)
		return;
	free(w->name);
	free(w->zbuf);
	free(w->hb);
	free(w);
}

int64_t
tm_writer_frames(const struct tm_writer *w)
{
	return w->seq;
}

static void
put_le16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static void
put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static int
wfail(struct tm_writer *w)
{
	w->failed = 1;
	return tm_fail(EX_IOERR, "%s: write error:", w->name);
}

/*
 * Write one frame: the header text js (jlen bytes, no NUL needed) padded
 * with spaces and a final newline so the payload starts 64-aligned, then
 * the stored payload bytes and their padding.
 */
static int
put_frame(struct tm_writer *w, const char *js, size_t jlen, const void *pay,
    size_t plen)
{
	unsigned char lead[TM_LEAD];
	size_t hlen, ppad;
	uint32_t hcrc, bcrc;

	hlen = jlen + 1;
	hlen += (TM_ALIGN - (TM_LEAD + hlen) % TM_ALIGN) % TM_ALIGN;
	if (hlen > TM_MAX_HLEN)
		return tm_fail(EX_SOFTWARE, "%s: header of %zu bytes exceeds "
		    "the cap", w->name, hlen);
	if (w->hcap < hlen) {
		w->hcap = hlen > 2 * w->hcap ? hlen : 2 * w->hcap;
		char *nb = emalloc(w->hcap);
		if (js == w->hb)
			js = memcpy(nb, w->hb, jlen);
		free(w->hb);
		w->hb = nb;
	}
	char *h = w->hb;
	if (js != h)
		memcpy(h, js, jlen);
	memset(h + jlen, ' ', hlen - jlen - 1);
	h[hlen - 1] = '\n';

	ppad = (TM_ALIGN - plen % TM_ALIGN) % TM_ALIGN;
	memcpy(lead, TM_MAGIC, 8);
	put_le16(lead + 8, TM_MAJOR | (TM_MINOR << 8));
	put_le16(lead + 10, 0);
	put_le32(lead + 12, (uint32_t)hlen);
	put_le64(lead + 16, plen);
	hcrc = tm_crc32(0, lead, 24);
	hcrc = tm_crc32(hcrc, h, hlen);
	bcrc = tm_crc32(0, pay, plen);
	bcrc = tm_crc32(bcrc, zeros, ppad);
	put_le32(lead + 24, hcrc);
	put_le32(lead + 28, bcrc);

	int bad = put_pending(w) == -1 ||
	    fwrite(lead, 1, TM_LEAD, w->fp) != TM_LEAD ||
	    fwrite(h, 1, hlen, w->fp) != hlen ||
	    (plen && fwrite(pay, 1, plen, w->fp) != plen) ||
	    (ppad && fwrite(zeros, 1, ppad, w->fp) != ppad);
	return bad ? wfail(w) : 0;
}

/*
 * Emit one frame from a header object (consumed) and stored payload bytes.
 * The header is dumped canonically (compact, sorted keys).
 */
static int
emit(struct tm_writer *w, json_t *hdr, const void *pay, size_t plen)
{
	char *js = json_dumps(hdr, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(hdr);
	if (js == NULL)
		return tm_fail(EX_SOFTWARE, "%s: cannot encode header",
		    w->name);
	int rc = put_frame(w, js, strlen(js), pay, plen);
	free(js);
	return rc;
}

static json_t *
frame_header(const struct tm_frame *f, int enc, int64_t seq)
{
	json_t *h = json_object(), *shape = json_array(), *axes = json_array();
	json_t *labels = json_object();

	for (int d = 0; d < f->ndim; d++) {
		json_array_append_new(shape, json_integer(f->shape[d]));
		json_array_append_new(axes, json_string(f->axes[d] ? f->axes[d] : ""));
		if (f->labels[d]) {
			json_t *l = json_array();
			for (int64_t i = 0; i < f->shape[d]; i++) {
				const char *s = f->labels[d][i] ? f->labels[d][i] : "";
				json_t *js = strlen(s) <= TM_MAX_LABEL ?
				    json_string(s) : NULL;
				/* A label the reader would refuse is not written:
				 * too long, or not UTF-8 (json_string says NULL). */
				if (js == NULL) {
					tm_fail(EX_DATAERR, "label %lld of axis "
					    "'%s' is too long or not UTF-8",
					    (long long)i, f->axes[d]);
					json_decref(l);
					json_decref(labels);
					json_decref(shape);
					json_decref(axes);
					json_decref(h);
					return NULL;
				}
				json_array_append_new(l, js);
			}
			json_object_set_new(labels, f->axes[d], l);
		}
	}
	json_object_set_new(h, "dtype", json_string(tm_dtype_name(f->dtype)));
	json_object_set_new(h, "shape", shape);
	json_object_set_new(h, "axes", axes);
	json_object_set_new(h, "labels", labels);
	if (f->coords)
		json_object_set(h, "coords", f->coords);
	if (f->meta && json_object_size(f->meta) > 0)
		json_object_set(h, "meta", f->meta);
	json_object_set_new(h, "encoding",
	    json_string(enc == TM_DEFLATE ? "deflate" : "raw"));
	json_object_set_new(h, "nbytes", json_integer((json_int_t)f->nbytes));
	json_object_set_new(h, "seq", json_integer(seq));
	return h;
}

/* ---------------------------------------------- the header by hand */

/* Room for n more bytes of header text. */
static char *
hb_room(struct tm_writer *w, size_t n)
{
	if (w->hcap - w->hlen < n) {
		size_t cap = w->hcap ? w->hcap : 4096;
		while (cap - w->hlen < n)
			cap *= 2;
		w->hb = ereallocarray(w->hb, cap, 1);
		w->hcap = cap;
	}
	return w->hb + w->hlen;
}

static void
hb_put(struct tm_writer *w, const char *s, size_t n)
{
	memcpy(hb_room(w, n), s, n);
	w->hlen += n;
}

static void
hb_int(struct tm_writer *w, long long v)
{
	char num[24];

	hb_put(w, num, (size_t)snprintf(num, sizeof(num), "%lld", v));
}

/* A jansson value as json_dumps gives it inside a compact sorted dump. */
static int
hb_json(struct tm_writer *w, const json_t *v)
{
	char *t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENCODE_ANY);

	if (t == NULL)
		return -1;
	hb_put(w, t, strlen(t));
	free(t);
	return 0;
}

/*
 * A string as jansson dumps it: printable ASCII but for the quote and the
 * backslash goes out as it is, between quotes, and anything else (escapes,
 * UTF-8) through jansson itself.  -1 when jansson refuses it (not UTF-8)
 * or it is longer than max.
 */
static int
hb_str(struct tm_writer *w, const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++) {
		unsigned char ch = (unsigned char)s[n];
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
			break;
	}
	if (s[n] == '\0') {
		if (n > max)
			return -1;
		char *p = hb_room(w, n + 2);
		p[0] = '"';
		memcpy(p + 1, s, n);
		p[n + 1] = '"';
		w->hlen += n + 2;
		return 0;
	}
	if (strlen(s) > max)
		return -1;
	json_t *js = json_string(s);
	if (js == NULL)
		return -1;
	int rc = hb_json(w, js);
	json_decref(js);
	return rc;
}

/*
 * frame_header's text, dumped compact with sorted keys, built straight
 * into w->hb without a jansson tree (a day of 1,400 row labels was most
 * of an import's time as a tree).  The keys in sorted order: axes, coords,
 * dtype, encoding, labels (by axis name), meta, nbytes, seq, shape.
 * Returns 0, or 1 when the frame is one this does not do (an axis without
 * a name, one that is not plain ASCII, two labelled axes of one name, a
 * label jansson would refuse): then frame_header does it, bytes and
 * message alike.
 */
static int
hdr_text(struct tm_writer *w, const struct tm_frame *f, int enc, int64_t seq)
{
	int ord[TM_MAXDIM], nl = 0;

	w->hlen = 0;
	for (int d = 0; d < f->ndim; d++) {
		const char *a = f->axes[d];
		if (a == NULL)
			return 1;
		for (const char *p = a; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ||
			    *p == '"' || *p == '\\')
				return 1;
		if (f->labels[d] == NULL)
			continue;
		/* insertion by name; a name twice is jansson's to settle */
		int k = nl++;
		for (; k > 0; k--) {
			int c = strcmp(f->axes[ord[k - 1]], a);
			if (c == 0)
				return 1;
			if (c < 0)
				break;
			ord[k] = ord[k - 1];
		}
		ord[k] = d;
	}
	hb_put(w, "{\"axes\":[", 9);
	for (int d = 0; d < f->ndim; d++) {
		if (d)
			hb_put(w, ",", 1);
		hb_str(w, f->axes[d], SIZE_MAX);
	}
	hb_put(w, "]", 1);
	if (f->coords) {
		hb_put(w, ",\"coords\":", 10);
		if (hb_json(w, f->coords) == -1)
			return 1;
	}
	hb_put(w, ",\"dtype\":", 9);
	hb_str(w, tm_dtype_name(f->dtype), SIZE_MAX);
	hb_put(w, ",\"encoding\":", 12);
	hb_str(w, enc == TM_DEFLATE ? "deflate" : "raw", SIZE_MAX);
	hb_put(w, ",\"labels\":{", 11);
	for (int k = 0; k < nl; k++) {
		int d = ord[k];
		if (k)
			hb_put(w, ",", 1);
		hb_str(w, f->axes[d], SIZE_MAX);
		hb_put(w, ":[", 2);
		for (int64_t i = 0; i < f->shape[d]; i++) {
			const char *s = f->labels[d][i] ? f->labels[d][i] : "";
			if (i)
				hb_put(w, ",", 1);
			if (hb_str(w, s, TM_MAX_LABEL) == -1)
				return 1;
		}
		hb_put(w, "]", 1);
	}
	hb_put(w, "}", 1);
	if (f->meta && json_object_size(f->meta) > 0) {
		hb_put(w, ",\"meta\":", 8);
		if (hb_json(w, f->meta) == -1)
			return 1;
	}
	hb_put(w, ",\"nbytes\":", 10);
	hb_int(w, (long long)f->nbytes);
	hb_put(w, ",\"seq\":", 7);
	hb_int(w, (long long)seq);
	hb_put(w, ",\"shape\":[", 10);
	for (int d = 0; d < f->ndim; d++) {
		if (d)
			hb_put(w, ",", 1);
		hb_int(w, (long long)f->shape[d]);
	}
	hb_put(w, "]}", 2);
	return 0;
}

int
tm_write(struct tm_writer *w, const struct tm_frame *f)
{
	int enc = w->enc >= 0 ? w->enc : (int)f->encoding;
	const void *pay = f->data;
	size_t plen = f->nbytes;

	if (w->failed)
		return -1;
	if (f->nbytes != tm_frame_count(f) * tm_dtype_size(f->dtype))
		return tm_fail(EX_SOFTWARE, "%s: frame size mismatch",
		    w->name);
	if (enc == TM_DEFLATE) {
		uLongf zlen = compressBound(f->nbytes);
		if (w->zcap < zlen) {
			free(w->zbuf);
			w->zbuf = emalloc(zlen);
			w->zcap = zlen;
		}
		if (compress2(w->zbuf, &zlen, f->data, f->nbytes,
		    TM_DEFLATE_LEVEL) != Z_OK)
			return tm_fail(EX_SOFTWARE, "%s: deflate failed",
			    w->name);
		pay = w->zbuf;
		plen = zlen;
	}
	if (!w->jansson && hdr_text(w, f, enc, w->seq) == 0) {
		if (put_frame(w, w->hb, w->hlen, pay, plen) == -1)
			return -1;
		w->seq++;
		return 0;
	}
	json_t *h = frame_header(f, enc, w->seq);
	if (h == NULL)
		return -1;
	if (emit(w, h, pay, plen) == -1)
		return -1;
	w->seq++;
	return 0;
}

/* Write a verbatim frame: past stdio with write(2) when w->fp is a file
 * descriptor (what is buffered goes first), so the bytes are not copied
 * into stdio's buffer on the way.  0, or -1 with errno. */
static int
put_now(struct tm_writer *w, const void *raw, size_t len)
{
	const char *p = raw;
	int fd = fileno(w->fp);

	if (fd < 0)
		return fwrite(raw, 1, len, w->fp) == len ? 0 : -1;
	if (fflush(w->fp) == EOF)
		return -1;
	while (len > 0) {
		ssize_t k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* The frames held back, written.  0, or -1 with errno. */
static int
put_pending(struct tm_writer *w)
{
	size_t n = w->npend;

	w->npend = 0;
	return n ? put_now(w, w->pend, n) : 0;
}

static int
put_raw(struct tm_writer *w, const void *raw, size_t len)
{
	if (put_pending(w) == -1)
		return -1;
	return put_now(w, raw, len);
}

/* A frame from a mapping: held back, or added to the ones held back when
 * it follows them there. */
static int
put_mapped(struct tm_writer *w, const unsigned char *raw, size_t len)
{
	if (w->npend && (uintptr_t)w->pend + w->npend == (uintptr_t)raw &&
	    w->npend + len <= TM_WRITE_BATCH) {
		w->npend += len;
		return 0;
	}
	if (put_pending(w) == -1)
		return -1;
	w->pend = raw;
	w->npend = len;
	return 0;
}

int
tm_writer_flush(struct tm_writer *w)
{
	if (w->failed)
		return -1;
	return put_pending(w) == -1 ? wfail(w) : 0;
}

/*
 * Write the stored frame raw (len bytes) with its top-level "seq" set to
 * w->seq: the digits are replaced in the header text, the header CRC
 * recomputed, the payload and its CRC kept.  Returns 1 when done, 0 when
 * the frame does not lend itself (then nothing was written: the caller
 * re-encodes), -1 on a write error.  The result is the bytes tm_write
 * gives a canonical header: the keys are sorted, so the last "seq": is the
 * top-level one (only "shape", an array, follows it; a string cannot hold
 * an unescaped quote), its value must read as the frame's seq (was; else
 * it is some nested key of a header that is not canonical), and the padded
 * length must come out as the writer's padding of the new text would,
 * unless canon says the header is tm_write's text for the frame (read
 * lazily, tm_reader_canonical) and the lead's minor version the writer's:
 * then the new text is padded anew, as tm_write would pad it.
 */
static int
patch_seq(struct tm_writer *w, const unsigned char *raw, size_t len,
    int64_t was, int64_t seq, int canon)
{
	uint32_t hlen, hcrc;
	char *h, *p = NULL, num[24];
	size_t jlen, at, old, nlen, want;

	if (len < TM_LEAD)
		return 0;
	hlen = (uint32_t)raw[12] | (uint32_t)raw[13] << 8 |
	    (uint32_t)raw[14] << 16 | (uint32_t)raw[15] << 24;
	if (hlen < 2 || TM_LEAD + (size_t)hlen > len || hlen > TM_MAX_HLEN)
		return 0;
	h = (char *)raw + TM_LEAD;
	for (jlen = hlen - 1; jlen > 0 && h[jlen - 1] == ' '; jlen--)
		;
	if (h[hlen - 1] != '\n' || jlen == 0 || h[jlen - 1] != '}')
		return 0;
	/* From the end: in a canonical header the key is near it. */
	for (size_t i = jlen >= 6 ? jlen - 5 : 0; i-- > 0;)
		if (memcmp(h + i, "\"seq\":", 6) == 0) {
			p = h + i + 6;
			break;
		}
	if (p == NULL)
		return 0;
	at = (size_t)(p - h);
	for (old = 0; at + old < jlen && p[old] >= '0' && p[old] <= '9'; old++)
		;
	if (old == 0 || old > 19 || (p[old] != ',' && p[old] != '}') ||
	    strtoll(p, NULL, 10) != was)
		return 0;
	nlen = (size_t)snprintf(num, sizeof num, "%lld", (long long)seq);
	want = jlen - old + nlen + 1;
	want += (TM_ALIGN - (TM_LEAD + want) % TM_ALIGN) % TM_ALIGN;
	if (want != hlen && (!canon || raw[9] != TM_MINOR))
		return 0;

	unsigned char lead[TM_LEAD];
	char *nh = emalloc(want);
	size_t body = len - TM_LEAD - hlen;
	memcpy(lead, raw, TM_LEAD);
	put_le32(lead + 12, (uint32_t)want);
	memcpy(nh, h, at);
	memcpy(nh + at, num, nlen);
	memcpy(nh + at + nlen, p + old, jlen - at - old);
	memset(nh + jlen - old + nlen, ' ', want - (jlen - old + nlen) - 1);
	nh[want - 1] = '\n';
	hcrc = tm_crc32(tm_crc32(0, lead, 24), nh, want);
	put_le32(lead + 24, hcrc);
	/* The header through stdio, the payload past it as put_raw does. */
	int bad = put_pending(w) == -1 ||
	    fwrite(lead, 1, TM_LEAD, w->fp) != TM_LEAD ||
	    fwrite(nh, 1, want, w->fp) != want ||
	    put_raw(w, raw + TM_LEAD + hlen, body) == -1;
	free(nh);
	return bad ? -1 : 1;
}

/* tm_write of a frame tm_write_from cannot copy: decoded first when its
 * reader left it lazy. */
static int
reencode(struct tm_writer *w, struct tm_reader *r, struct tm_frame *f)
{
	/* The frames held back go first, as if written when copied: a frame
	 * that does not decode stops the stream after them. */
	if (put_pending(w) == -1)
		return wfail(w);
	if (tm_reader_decode(r, f) == -1)
		return tm_fail_as(tm_reader_status(r));
	return tm_write(w, f);
}

int
tm_write_from(struct tm_writer *w, struct tm_reader *r, struct tm_frame *f)
{
	size_t len;
	const void *raw = tm_reader_raw(r, &len);

	if (w->failed)
		return -1;
	if (raw == NULL)
		return tm_write(w, f);
	if (w->enc >= 0 && w->enc != (int)f->encoding)
		return reencode(w, r, f);
	if (f->seq != w->seq) {
		/* A later file of a tree, or frames skipped: renumber in
		 * place rather than re-encode the header and payload. */
		int rc = patch_seq(w, raw, len, f->seq, w->seq,
		    tm_reader_canonical(r));
		if (rc == -1)
			return wfail(w);
		if (rc == 0)
			return reencode(w, r, f);
		w->seq++;
		return 0;
	}
	if ((tm_reader_mapped(r) ? put_mapped(w, raw, len) :
	    put_raw(w, raw, len)) == -1)
		return wfail(w);
	w->seq++;
	return 0;
}

int
tm_write_copy(struct tm_writer *w, const void *raw, size_t len, int64_t seq)
{
	if (w->failed)
		return -1;
	if (seq == w->seq) {
		if (put_raw(w, raw, len) == -1)
			return wfail(w);
	} else {
		int rc = patch_seq(w, raw, len, seq, w->seq, 1);
		if (rc == -1)
			return wfail(w);
		if (rc == 0)
			return tm_fail(EX_SOFTWARE, "%s: frame %lld cannot be "
			    "renumbered", w->name, (long long)seq);
	}
	w->seq++;
	return 0;
}

int
tm_writer_end(struct tm_writer *w)
{
	json_t *h;

	if (w->failed)
		return -1;	/* said at the failure */
	h = json_object();
	json_object_set_new(h, "end", json_true());
	json_object_set_new(h, "frames", json_integer(w->seq));
	if (emit(w, h, NULL, 0) == -1)
		return -1;
	if (fflush(w->fp) == EOF)
		return wfail(w);
	return 0;
}
