/* tmt_write.c - encoding frames into a TMT stream (see tm-tensor(5)). */
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
	/*
	 * Label cache.  A day's frame usually has the labels of the day
	 * before, and building and dumping 1,000 JSON strings a frame was a
	 * third of tm-features' instructions.  lab holds the compact "labels"
	 * text last written, key what it was made from (each labelled axis:
	 * its name, its length in decimal, then its labels, each string
	 * NUL-terminated),
	 * so an equal key gives the same text, byte for byte.
	 */
	char *lab, *key;
	size_t lablen, keylen, keycap;
};


static const unsigned char zeros[TM_ALIGN];

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
	return w;
}

void
tm_writer_free(struct tm_writer *w)
{
	if (w == NULL)
		return;
	free(w->name);
	free(w->zbuf);
	free(w->lab);
	free(w->key);
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

static int emit_text(struct tm_writer *w, char *js, size_t jlen,
    const void *pay, size_t plen);

/*
 * Emit one frame from a header object (consumed) and stored payload bytes.
 * The header is dumped canonically (compact, sorted keys) and padded with
 * spaces and a final newline so the payload starts 64-aligned.
 */
static int
emit(struct tm_writer *w, json_t *hdr, const void *pay, size_t plen)
{
	char *js = json_dumps(hdr, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(hdr);
	if (js == NULL)
		return tm_fail(EX_SOFTWARE, "%s: cannot encode header",
		    w->name);
	return emit_text(w, js, strlen(js), pay, plen);
}

/*
 * Emit one frame whose header is split at its "labels" key: lo holds
 * the keys that sort before it, hi those after (both consumed, neither
 * empty), lab the labels value's compact text.  The text is the one
 * emit would dump for the whole object: compact, keys sorted, so
 * lo's members, "labels", hi's members.
 */
static int
emit_split(struct tm_writer *w, json_t *lo, const char *lab, size_t lablen,
    json_t *hi, const void *pay, size_t plen)
{
	char *a = json_dumps(lo, JSON_COMPACT | JSON_SORT_KEYS);
	char *b = json_dumps(hi, JSON_COMPACT | JSON_SORT_KEYS);
	size_t alen, blen;

	json_decref(lo);
	json_decref(hi);
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return tm_fail(EX_SOFTWARE, "%s: cannot encode header",
		    w->name);
	}
	alen = strlen(a);
	blen = strlen(b);
	/* a is {...}, b is {...}: drop a's '}' and b's '{' */
	char *js = emalloc(alen + blen + lablen + 12);
	size_t n = alen - 1;
	memcpy(js, a, n);
	memcpy(js + n, ",\"labels\":", 10);
	n += 10;
	memcpy(js + n, lab, lablen);
	n += lablen;
	js[n++] = ',';
	memcpy(js + n, b + 1, blen);	/* with its NUL */
	n += blen - 1;
	free(a);
	free(b);
	return emit_text(w, js, n, pay, plen);
}

/* Emit one frame from its header text js (jlen bytes, malloc'd,
 * consumed). */
static int
emit_text(struct tm_writer *w, char *js, size_t jlen, const void *pay,
    size_t plen)
{
	unsigned char lead[TM_LEAD];
	size_t hlen, ppad;
	uint32_t hcrc, bcrc;

	hlen = jlen + 1;
	hlen += (TM_ALIGN - (TM_LEAD + hlen) % TM_ALIGN) % TM_ALIGN;
	if (hlen > TM_MAX_HLEN) {
		free(js);
		return tm_fail(EX_SOFTWARE, "%s: header of %zu bytes exceeds "
		    "the cap", w->name, hlen);
	}
	char *h = emalloc(hlen);
	memcpy(h, js, jlen);
	memset(h + jlen, ' ', hlen - jlen - 1);
	h[hlen - 1] = '\n';
	free(js);

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

	int bad = fwrite(lead, 1, TM_LEAD, w->fp) != TM_LEAD ||
	    fwrite(h, 1, hlen, w->fp) != hlen ||
	    (plen && fwrite(pay, 1, plen, w->fp) != plen) ||
	    (ppad && fwrite(zeros, 1, ppad, w->fp) != ppad);
	free(h);
	return bad ? wfail(w) : 0;
}

/* Is the key of f's labels the one w->lab was made from? */
static int
labels_same(const struct tm_writer *w, const struct tm_frame *f)
{
	size_t pos = 0, n;

	if (w->lab == NULL)
		return 0;
	for (int d = 0; d < f->ndim; d++) {
		if (f->labels[d] == NULL)
			continue;
		const char *ax = f->axes[d] ? f->axes[d] : "";
		char num[24];
		n = strlen(ax) + 1;
		if (pos + n > w->keylen || memcmp(w->key + pos, ax, n))
			return 0;
		pos += n;
		/* the count, so the labels of one axis cannot pass for
		 * those of another split differently */
		n = (size_t)snprintf(num, sizeof(num), "%lld",
		    (long long)f->shape[d]) + 1;
		if (pos + n > w->keylen || memcmp(w->key + pos, num, n))
			return 0;
		pos += n;
		for (int64_t i = 0; i < f->shape[d]; i++) {
			const char *s = f->labels[d][i] ? f->labels[d][i] : "";
			n = strlen(s) + 1;
			if (pos + n > w->keylen || memcmp(w->key + pos, s, n))
				return 0;
			pos += n;
		}
	}
	return pos == w->keylen;
}

static void
key_add(struct tm_writer *w, const char *s)
{
	size_t n = strlen(s) + 1;

	if (w->keylen + n > w->keycap) {
		w->keycap = (w->keylen + n) * 2;
		w->key = ereallocarray(w->key, w->keycap, 1);
	}
	memcpy(w->key + w->keylen, s, n);
	w->keylen += n;
}

/* Printable ASCII but '"' and '\\': jansson writes it as it is. */
static int
plain(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
			return 0;
	*len = (size_t)(p - (const unsigned char *)s);
	return *len <= TM_MAX_LABEL;
}

/*
 * The labels text without jansson when every axis name and label is
 * plain(): the same bytes json_dumps gives (compact, keys sorted by
 * strcmp as JSON_SORT_KEYS sorts them, such strings unescaped), without
 * a JSON string made, kept and freed per label.  0 with w->lab set, or
 * -1 (nothing set) for jansson to do it, and to name a bad label.
 */
static int
plain_text(struct tm_writer *w, const struct tm_frame *f)
{
	int ord[TM_MAXDIM], n = 0;
	size_t len, cap = 3;

	for (int d = 0; d < f->ndim; d++) {
		if (f->labels[d] == NULL)
			continue;
		if (f->axes[d] == NULL || !plain(f->axes[d], &len))
			return -1;
		cap += len + 6;
		for (int64_t i = 0; i < f->shape[d]; i++) {
			if (f->labels[d][i] == NULL ||
			    !plain(f->labels[d][i], &len))
				return -1;
			cap += len + 3;
		}
		/* insertion by name; a repeated name is jansson's case */
		int k = n++;
		for (; k > 0; k--) {
			int c = strcmp(f->axes[ord[k - 1]], f->axes[d]);
			if (c == 0)
				return -1;
			if (c < 0)
				break;
			ord[k] = ord[k - 1];
		}
		ord[k] = d;
	}
	char *t = emalloc(cap), *p = t;
	*p++ = '{';
	for (int k = 0; k < n; k++) {
		int d = ord[k];
		if (k)
			*p++ = ',';
		len = strlen(f->axes[d]);
		*p++ = '"';
		memcpy(p, f->axes[d], len);
		p += len;
		memcpy(p, "\":[", 3);
		p += 3;
		for (int64_t i = 0; i < f->shape[d]; i++) {
			if (i)
				*p++ = ',';
			len = strlen(f->labels[d][i]);
			*p++ = '"';
			memcpy(p, f->labels[d][i], len);
			p += len;
			*p++ = '"';
		}
		*p++ = ']';
	}
	*p++ = '}';
	*p = '\0';
	w->lab = t;
	w->lablen = (size_t)(p - t);
	return 0;
}

/*
 * Make w->lab the compact text of f's "labels" value ({} when no axis is
 * labelled), from the cache when f's labels are the last ones written.
 * 0, or -1 after tm_fail when a label is one the reader would refuse.
 */
static int
labels_text(struct tm_writer *w, const struct tm_frame *f)
{
	json_t *labels;

	if (labels_same(w, f))
		return 0;
	free(w->lab);
	w->lab = NULL;
	w->keylen = 0;
	if (plain_text(w, f) == 0)
		goto key;
	labels = json_object();
	for (int d = 0; d < f->ndim; d++) {
		if (f->labels[d] == NULL)
			continue;
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
				return -1;
			}
			json_array_append_new(l, js);
		}
		json_object_set_new(labels, f->axes[d], l);
	}
	w->lab = json_dumps(labels, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(labels);
	if (w->lab == NULL)
		return tm_fail(EX_SOFTWARE, "%s: cannot encode header",
		    w->name);
	w->lablen = strlen(w->lab);
key:
	for (int d = 0; d < f->ndim; d++) {
		if (f->labels[d] == NULL)
			continue;
		char num[24];
		snprintf(num, sizeof(num), "%lld", (long long)f->shape[d]);
		key_add(w, f->axes[d] ? f->axes[d] : "");
		key_add(w, num);
		for (int64_t i = 0; i < f->shape[d]; i++)
			key_add(w, f->labels[d][i] ? f->labels[d][i] : "");
	}
	return 0;
}

/*
 * f's header without its labels, split where "labels" sorts: *lo the
 * keys before it (axes, coords, dtype, encoding), *hi those after (meta,
 * nbytes, seq, shape).
 */
static void
frame_header(const struct tm_frame *f, int enc, int64_t seq, json_t **lo,
    json_t **hi)
{
	json_t *h = json_object(), *g = json_object();
	json_t *shape = json_array(), *axes = json_array();

	for (int d = 0; d < f->ndim; d++) {
		json_array_append_new(shape, json_integer(f->shape[d]));
		json_array_append_new(axes, json_string(f->axes[d] ? f->axes[d] : ""));
	}
	json_object_set_new(h, "dtype", json_string(tm_dtype_name(f->dtype)));
	json_object_set_new(g, "shape", shape);
	json_object_set_new(h, "axes", axes);
	if (f->coords)
		json_object_set(h, "coords", f->coords);
	if (f->meta && json_object_size(f->meta) > 0)
		json_object_set(g, "meta", f->meta);
	json_object_set_new(h, "encoding",
	    json_string(enc == TM_DEFLATE ? "deflate" : "raw"));
	json_object_set_new(g, "nbytes", json_integer((json_int_t)f->nbytes));
	json_object_set_new(g, "seq", json_integer(seq));
	*lo = h;
	*hi = g;
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
	json_t *lo, *hi;
	if (labels_text(w, f) == -1)
		return -1;
	frame_header(f, enc, w->seq, &lo, &hi);
	if (emit_split(w, lo, w->lab, w->lablen, hi, pay, plen) == -1)
		return -1;
	w->seq++;
	return 0;
}

/* Write a verbatim frame: past stdio with write(2) when w->fp is a file
 * descriptor (what is buffered goes first), so the bytes are not copied
 * into stdio's buffer on the way.  0, or -1 with errno. */
static int
put_raw(struct tm_writer *w, const void *raw, size_t len)
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
	int bad = fwrite(lead, 1, TM_LEAD, w->fp) != TM_LEAD ||
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
	if (put_raw(w, raw, len) == -1)
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
