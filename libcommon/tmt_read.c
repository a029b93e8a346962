/* tmt_read.c - decoding and checking a TMT stream in constant memory. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tm.h"

struct tm_reader {
	FILE *fp;
	char *name;
	uint64_t off;		/* bytes consumed so far */
	uint64_t start;		/* offset of the current frame */
	unsigned char *buf;	/* lead + header + body of the last frame */
	size_t cap, len;
	json_t *hdr;		/* parsed header of the last frame */
	int64_t seq;		/* expected seq in this segment */
	int status;		/* 0, or the sysexits code of the error */
	int have_raw;
	int hdr_cut;		/* hdr was parsed without its labels */
	/*
	 * Label cache.  A day's frame usually has the same labels as the day
	 * before, and decoding 1,000 label strings costs more than checking
	 * the CRCs.  When the "labels" value of a header is byte-identical to
	 * the last one read into the same frame, and that frame's tables are
	 * still the ones this reader made, the tables are kept.
	 */
	char *lab;		/* bytes of the last "labels" value */
	size_t lablen, labcap;
	struct tm_frame *labf;	/* frame that holds the tables */
	int labnd;
	char **labarr[TM_MAXDIM];
	int64_t labn[TM_MAXDIM];
	char *labaxis[TM_MAXDIM];
	uint64_t labhash;
	char *hbuf;		/* header text with the labels cut out */
	size_t hcap;
	int headers_only;	/* tm_reader_headers_only: payloads unread */
};

struct tm_reader *
tm_reader_new(FILE *fp, const char *name)
{
	struct tm_reader *r = ecalloc(1, sizeof(*r));

	r->fp = fp;
	r->name = estrdup(name);
	return r;
}

void
tm_reader_reopen(struct tm_reader *r, FILE *fp, const char *name)
{
	free(r->name);
	r->name = estrdup(name);
	r->fp = fp;
	r->off = r->start = 0;
	r->len = 0;
	r->have_raw = 0;
	r->status = 0;
	r->seq = 0;
	if (r->hdr)
		json_decref(r->hdr);
	r->hdr = NULL;
	r->hdr_cut = 0;
}

void
tm_reader_free(struct tm_reader *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->buf);
	free(r->lab);
	free(r->hbuf);
	for (int k = 0; k < TM_MAXDIM; k++)
		free(r->labaxis[k]);
	if (r->hdr)
		json_decref(r->hdr);
	free(r);
}

int
tm_reader_status(const struct tm_reader *r)
{
	return r->status;
}

uint64_t
tm_reader_offset(const struct tm_reader *r)
{
	return r->start;
}

const void *
tm_reader_raw(const struct tm_reader *r, size_t *len)
{
	*len = r->len;
	return r->have_raw ? r->buf : NULL;
}

void
tm_reader_headers_only(struct tm_reader *r, int on)
{
	r->headers_only = on != 0;
}

const json_t *
tm_reader_header(const struct tm_reader *r)
{
	struct tm_reader *w = (struct tm_reader *)r;
	uint32_t hlen;

	/* A header parsed without its labels is parsed again, whole, for
	 * the few callers (tm-cat --info) who want to see it. */
	if (r->hdr_cut && r->have_raw && r->len >= TM_LEAD) {
		hlen = (uint32_t)r->buf[12] | (uint32_t)r->buf[13] << 8 |
		    (uint32_t)r->buf[14] << 16 | (uint32_t)r->buf[15] << 24;
		json_t *full = json_loadb((char *)r->buf + TM_LEAD, hlen,
		    JSON_DISABLE_EOF_CHECK, NULL);
		if (full) {
			json_decref(w->hdr);
			w->hdr = full;
			w->hdr_cut = 0;
		}
	}
	return r->hdr;
}

/*
 * Find the value of the top-level key "labels" in header text h: sets
 * [*vs, *ve) to the bytes of its object.  Returns 0, or -1 when absent or
 * not an object (the JSON parser then reports whatever is wrong).
 */
static int
find_labels(const char *h, size_t n, size_t *vs, size_t *ve)
{
	int depth = 0, instr = 0, esc = 0, key = 0;
	size_t ks = 0;

	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (instr) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				instr = 0;
				if (depth == 1 && key && i - ks == 7 &&
				    memcmp(h + ks, "\"labels", 7) == 0)
					goto found;
			}
			continue;
		}
		if (c == '"') {
			instr = 1;
			ks = i;
		} else if (c == '{' || c == '[') {
			depth++;
			key = c == '{';
		} else if (c == '}' || c == ']')
			depth--;
		else if (c == ',' && depth == 1)
			key = 1;
		else if (c == ':')
			key = 0;
		continue;
found:;
		size_t j = i + 1;
		while (j < n && (h[j] == ' ' || h[j] == '\n'))
			j++;
		if (j >= n || h[j] != ':')
			return -1;
		j++;
		while (j < n && (h[j] == ' ' || h[j] == '\n'))
			j++;
		if (j >= n || h[j] != '{')
			return -1;
		*vs = j;
		depth = 0;
		for (; j < n; j++) {
			c = h[j];
			if (instr) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"')
					instr = 0;
			} else if (c == '"')
				instr = 1;
			else if (c == '{' || c == '[')
				depth++;
			else if ((c == '}' || c == ']') && --depth == 0) {
				*ve = j + 1;
				return 0;
			}
		}
		return -1;
	}
	return -1;
}

static uint64_t
labels_hash(const struct tm_frame *f)
{
	uint64_t h = 1469598103934665603ull;

	for (int d = 0; d < f->ndim; d++) {
		if (f->labels[d] == NULL)
			continue;
		for (int64_t i = 0; i < f->shape[d]; i++) {
			const unsigned char *p = (const unsigned char *)
			    (f->labels[d][i] ? f->labels[d][i] : "");
			for (; *p; p++)
				h = (h ^ *p) * 1099511628211ull;
			h = (h ^ 0xff) * 1099511628211ull;
		}
	}
	return h;
}

static void
cache_forget(struct tm_reader *r)
{
	r->labf = NULL;
	r->lablen = 0;
	r->labnd = 0;
}

/* Remember the label tables just decoded into f, keyed by their bytes. */
static void
cache_store(struct tm_reader *r, struct tm_frame *f, const char *v, size_t n)
{
	cache_forget(r);
	if (r->labcap < n) {
		free(r->lab);
		r->lab = emalloc(n);
		r->labcap = n;
	}
	memcpy(r->lab, v, n);
	r->lablen = n;
	for (int d = 0; d < f->ndim; d++) {
		if (f->labels[d] == NULL)
			continue;
		free(r->labaxis[r->labnd]);
		r->labaxis[r->labnd] = estrdup(f->axes[d]);
		r->labarr[r->labnd] = f->labels[d];
		r->labn[r->labnd] = f->shape[d];
		r->labnd++;
	}
	r->labhash = labels_hash(f);
	r->labf = f;
}

/* Are f's tables still the ones cache_store saw, untouched? */
static int
cache_intact(const struct tm_reader *r, const struct tm_frame *f)
{
	int have = 0;

	if (r->labf != f || r->lablen == 0)
		return 0;
	for (int d = 0; d < f->ndim; d++)
		if (f->labels[d])
			have++;
	if (have != r->labnd)
		return 0;
	for (int k = 0; k < r->labnd; k++) {
		int d = tm_frame_axis(f, r->labaxis[k]);
		if (d < 0 || f->labels[d] != r->labarr[k] ||
		    f->shape[d] != r->labn[k])
			return 0;
	}
	return labels_hash(f) == r->labhash;
}

static int
bad(struct tm_reader *r, uint64_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(struct tm_reader *r, uint64_t at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tm_warn("%s: byte %llu: %s", r->name, (unsigned long long)at, msg);
	r->status = EX_DATAERR;
	r->have_raw = 0;
	return -1;
}

/* Read exactly n bytes to the end of buf; returns bytes read (< n at EOF). */
static size_t
fill(struct tm_reader *r, size_t n)
{
	size_t got = 0;

	/* Grow with the bytes that arrive, not with the length a lead claims:
	 * a short stream cannot make us allocate gigabytes. */
	while (got < n) {
		if (r->len == r->cap) {
			size_t c = r->cap ? r->cap * 2 : 4096;
			r->buf = ereallocarray(r->buf, c, 1);
			r->cap = c;
		}
		size_t want = n - got < r->cap - r->len ? n - got :
		    r->cap - r->len;
		size_t k = fread(r->buf + r->len, 1, want, r->fp);
		r->len += k;
		r->off += k;
		got += k;
		if (k < want)
			break;
	}
	return got;
}

static uint64_t
le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int
ioerr(struct tm_reader *r)
{
	tm_warn("%s: byte %llu: read error:", r->name,
	    (unsigned long long)r->off);
	r->status = EX_IOERR;
	return -1;
}

/* Check shape/axes/labels/dtype of a data header and fill f's description. */
static int
decode_header(struct tm_reader *r, json_t *h, struct tm_frame *f,
    int *enc, uint64_t *nbytes, uint64_t plen, uint64_t ppad)
{
	json_t *jshape = json_object_get(h, "shape");
	json_t *jaxes = json_object_get(h, "axes");
	json_t *jlabels = json_object_get(h, "labels");
	json_t *jenc = json_object_get(h, "encoding");
	json_t *jnb = json_object_get(h, "nbytes");
	json_t *jseq = json_object_get(h, "seq");
	const char *dts = json_string_value(json_object_get(h, "dtype"));
	int64_t shape[TM_MAXDIM];
	const char *axes[TM_MAXDIM];
	int dt, ndim;
	uint64_t n = 1;

	if (dts == NULL || (dt = tm_dtype_parse(dts)) < 0)
		return bad(r, r->start + TM_LEAD, "unknown or missing dtype");
	if (!json_is_array(jshape) || !json_is_array(jaxes) ||
	    (ndim = (int)json_array_size(jshape)) > TM_MAXDIM ||
	    json_array_size(jaxes) != (size_t)ndim)
		return bad(r, r->start + TM_LEAD, "bad shape or axes");
	for (int d = 0; d < ndim; d++) {
		json_t *v = json_array_get(jshape, d);
		json_t *a = json_array_get(jaxes, d);
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    !json_is_string(a))
			return bad(r, r->start + TM_LEAD, "bad shape or axes");
		shape[d] = json_integer_value(v);
		axes[d] = json_string_value(a);
		for (int e = 0; e < d; e++)
			if (strcmp(axes[e], axes[d]) == 0)
				return bad(r, r->start + TM_LEAD,
				    "duplicate axis '%s'", axes[d]);
		if (shape[d] > 0 && n > TM_MAX_NBYTES / (uint64_t)shape[d])
			return bad(r, r->start + TM_LEAD, "absurd shape");
		n *= (uint64_t)shape[d];
	}
	n *= tm_dtype_size(dt);
	if (n > TM_MAX_NBYTES)
		return bad(r, r->start + TM_LEAD, "absurd size %llu bytes",
		    (unsigned long long)n);
	if (!json_is_integer(jnb) || (uint64_t)json_integer_value(jnb) != n)
		return bad(r, r->start + TM_LEAD, "nbytes does not match shape");
	if (!json_is_string(jenc))
		return bad(r, r->start + TM_LEAD, "missing encoding");
	if (strcmp(json_string_value(jenc), "raw") == 0)
		*enc = TM_RAW;
	else if (strcmp(json_string_value(jenc), "deflate") == 0)
		*enc = TM_DEFLATE;
	else
		return bad(r, r->start + TM_LEAD, "unknown encoding '%s'",
		    json_string_value(jenc));
	if (!json_is_integer(jseq) || json_integer_value(jseq) != r->seq)
		return bad(r, r->start + TM_LEAD, "frame out of sequence "
		    "(expected seq %lld)", (long long)r->seq);
	if (jlabels && !json_is_object(jlabels))
		return bad(r, r->start + TM_LEAD, "labels is not an object");
	/* Check the payload length against nbytes and read the payload
	 * before allocating nbytes: deflate cannot shrink data more than
	 * 1032 to 1, so neither encoding lets a small input claim a huge
	 * frame. */
	if ((*enc == TM_RAW && plen != n) ||
	    (*enc == TM_DEFLATE && (plen > compressBound(n) ||
	    n > plen * 1032 + 1024)))
		return bad(r, r->start + 16, "payload length %llu does "
		    "not fit nbytes %llu", (unsigned long long)plen,
		    (unsigned long long)n);
	if (fill(r, plen + ppad) < plen + ppad)
		return ferror(r->fp) ? ioerr(r) :
		    bad(r, r->off, "truncated payload");
	/* The payload overwrites all of the data: no fill first. */
	if (tm_frame_shape_unset(f, dt, ndim, shape, axes) == -1)
		return bad(r, r->start + TM_LEAD, "frame too large");
	for (int d = 0; d < ndim && jlabels; d++) {
		json_t *l = json_object_get(jlabels, axes[d]);
		if (l == NULL)
			continue;
		if (!json_is_array(l) || json_array_size(l) != (size_t)shape[d])
			return bad(r, r->start + TM_LEAD,
			    "labels of axis '%s' do not match its length", axes[d]);
		f->labels[d] = ecalloc((size_t)(shape[d] ? shape[d] : 1),
		    sizeof(char *));
		for (int64_t i = 0; i < shape[d]; i++) {
			json_t *s = json_array_get(l, (size_t)i);
			if (!json_is_string(s) ||
			    json_string_length(s) > TM_MAX_LABEL)
				return bad(r, r->start + TM_LEAD,
				    "bad label %lld of axis '%s'", (long long)i,
				    axes[d]);
			f->labels[d][i] = estrdup(json_string_value(s));
		}
	}
	json_t *c = json_object_get(h, "coords"), *m = json_object_get(h, "meta");
	if (c && !json_is_object(c))
		return bad(r, r->start + TM_LEAD, "coords is not an object");
	if (m && !json_is_object(m))
		return bad(r, r->start + TM_LEAD, "meta is not an object");
	f->coords = c ? json_incref(c) : NULL;
	f->meta = m ? json_incref(m) : NULL;
	f->seq = r->seq;
	f->encoding = *enc;
	*nbytes = n;
	return 0;
}

int
tm_read(struct tm_reader *r, struct tm_frame *f)
{
	if (r->status)
		return -1;
	for (;;) {
		unsigned char *p;
		uint64_t hlen, plen, ppad;
		uint32_t hcrc, bcrc;

		r->have_raw = 0;
		r->len = 0;
		r->start = r->off;
		size_t got = fill(r, TM_LEAD);
		if (got == 0 && !ferror(r->fp)) {
			if (r->start > 0 && r->seq == -1)
				return 0;	/* clean end after an end frame */
			return bad(r, r->off, r->start == 0 ? "empty stream" :
			    "truncated stream: no end frame");
		}
		if (ferror(r->fp))
			return ioerr(r);
		if (r->seq == -1)
			r->seq = 0;	/* a new segment after an end frame */
		if (got < TM_LEAD)
			return bad(r, r->off, "truncated frame lead");
		p = r->buf;
		if (memcmp(p, TM_MAGIC, 8) != 0)
			return bad(r, r->start, "bad magic (not a TMT stream)");
		if (p[8] != TM_MAJOR)
			return bad(r, r->start + 8, "unsupported major version %d",
			    p[8]);
		if (le(p + 10, 2) != 0)
			return bad(r, r->start + 10, "reserved flags set");
		hlen = le(p + 12, 4);
		plen = le(p + 16, 8);
		hcrc = (uint32_t)le(p + 24, 4);
		bcrc = (uint32_t)le(p + 28, 4);
		if (hlen == 0 || hlen > TM_MAX_HLEN || (TM_LEAD + hlen) % TM_ALIGN)
			return bad(r, r->start + 12, "bad header length %llu",
			    (unsigned long long)hlen);
		if (plen > compressBound(TM_MAX_NBYTES))
			return bad(r, r->start + 16, "absurd payload length %llu",
			    (unsigned long long)plen);
		if (fill(r, hlen) < hlen)
			return ferror(r->fp) ? ioerr(r) :
			    bad(r, r->off, "truncated frame header");
		if (tm_crc32(tm_crc32(0, r->buf, 24), r->buf + TM_LEAD, hlen) != hcrc)
			return bad(r, r->start + 24, "header CRC mismatch");

		json_error_t je;
		const char *ht = (char *)r->buf + TM_LEAD;
		size_t vs = 0, ve = 0;
		int haslab = find_labels(ht, hlen, &vs, &ve) == 0;
		int reuse = haslab && r->lablen == ve - vs &&
		    memcmp(r->lab, ht + vs, r->lablen) == 0 && cache_intact(r, f);
		if (r->hdr)
			json_decref(r->hdr);
		r->hdr_cut = reuse;
		if (reuse) {
			size_t n = vs + 2 + (hlen - ve);
			if (r->hcap < n) {
				free(r->hbuf);
				r->hbuf = emalloc(n);
				r->hcap = n;
			}
			memcpy(r->hbuf, ht, vs);
			memcpy(r->hbuf + vs, "{}", 2);
			memcpy(r->hbuf + vs + 2, ht + ve, hlen - ve);
			r->hdr = json_loadb(r->hbuf, n, JSON_DISABLE_EOF_CHECK, &je);
		} else
			r->hdr = json_loadb(ht, hlen, JSON_DISABLE_EOF_CHECK, &je);
		if (r->hdr == NULL || !json_is_object(r->hdr))
			return bad(r, r->start + TM_LEAD, "bad header JSON: %s",
			    r->hdr ? "not an object" : je.text);

		/* The payload length is bounded by the header's nbytes before we
		 * read it, so a lying lead cannot make us allocate. */
		json_t *end = json_object_get(r->hdr, "end");
		ppad = (TM_ALIGN - plen % TM_ALIGN) % TM_ALIGN;
		if (json_is_true(end)) {
			json_t *nf = json_object_get(r->hdr, "frames");
			if (plen != 0)
				return bad(r, r->start + 16,
				    "end frame with a payload");
			if (!json_is_integer(nf) ||
			    json_integer_value(nf) != r->seq)
				return bad(r, r->start + TM_LEAD, "end frame "
				    "counts %lld frames, stream has %lld",
				    (long long)json_integer_value(nf),
				    (long long)r->seq);
			if (bcrc != 0)
				return bad(r, r->start + 28, "body CRC mismatch");
			r->seq = -1;
			continue;
		}
		int enc = TM_RAW;
		uint64_t nbytes = 0;
		char **kept[TM_MAXDIM];
		int nkept = reuse ? r->labnd : 0;
		if (reuse) {
			/* Take the tables out of f so tm_frame_shape keeps them. */
			for (int k = 0; k < nkept; k++) {
				kept[k] = r->labarr[k];
				f->labels[tm_frame_axis(f, r->labaxis[k])] = NULL;
			}
		}
		cache_forget(r);
		int rc = decode_header(r, r->hdr, f, &enc, &nbytes, plen, ppad);
		for (int k = 0; k < nkept; k++) {
			int d = rc == 0 ? tm_frame_axis(f, r->labaxis[k]) : -1;
			if (d >= 0 && f->shape[d] == r->labn[k] &&
			    f->labels[d] == NULL) {
				f->labels[d] = kept[k];
				continue;
			}
			for (int64_t i = 0; i < r->labn[k]; i++)
				free(kept[k][i]);
			free(kept[k]);
			if (rc == 0)
				rc = bad(r, r->start + TM_LEAD, "labels of axis "
				    "'%s' do not match its length", r->labaxis[k]);
		}
		if (rc == -1)
			return -1;
		if (reuse) {
			r->labf = f;
			r->lablen = ve - vs;
			/* The tables, and so labhash, labnd, labarr, labn and
			 * labaxis, are unchanged: cache_intact just checked. */
			r->labnd = nkept;
		} else if (haslab)
			/* Not ht: reading the payload may have moved buf. */
			cache_store(r, f, (char *)r->buf + TM_LEAD + vs,
			    ve - vs);
		const unsigned char *body = r->buf + TM_LEAD + hlen;
		if (tm_crc32(0, body, plen + ppad) != bcrc)
			return bad(r, r->start + 28, "body CRC mismatch");
		for (uint64_t i = 0; i < ppad; i++)
			if (body[plen + i] != 0)
				return bad(r, r->start + TM_LEAD + hlen + plen + i,
				    "non-zero padding");
		if (r->headers_only) {
			/* shape checked by decode_header; data left as is */
		} else if (enc == TM_RAW) {
			memcpy(f->data, body, plen);
		} else {
			uLongf dlen = nbytes;
			if (uncompress(f->data, &dlen, body, plen) != Z_OK ||
			    dlen != nbytes)
				return bad(r, r->start + TM_LEAD + hlen,
				    "deflate payload does not inflate to "
				    "%llu bytes", (unsigned long long)nbytes);
		}
		r->seq++;
		r->have_raw = 1;
		return 1;
	}
}
