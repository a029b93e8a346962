/* tmt_read.c - decoding and checking a TMT stream in constant memory. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
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
	size_t hlen;		/* header bytes of the frame being read */
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
	struct tm_buf lab;	/* bytes of the last "labels" value */
	struct tm_frame *labf;	/* frame that holds the tables */
	int labnd;
	char **labarr[TM_MAXDIM];
	int64_t labn[TM_MAXDIM];
	char *labaxis[TM_MAXDIM];
	uint64_t labhash;
	char *hbuf;		/* header text with the labels cut out */
	size_t hcap;
	char *pbuf;		/* plain_header's strings */
	size_t pcap;
	int headers_only;	/* tm_reader_headers_only: payloads unread */
	/*
	 * Lazy reads (tm_reader_lazy): no label tables are made, so the cache
	 * above cannot serve.  Instead the "labels" bytes last checked are
	 * kept with the axes and shape they were checked against: the same
	 * bytes over the same axes and shape pass the same checks again.
	 */
	int lazy;
	int canon;		/* tm_reader_canonical of the last frame */
	int vcanon;		/* vlab is sorted, its keys all name axes */
	struct tm_buf vlab;
	int vnd;
	int64_t vshape[TM_MAXDIM];
	char *vaxes[TM_MAXDIM];
	/* tm_reader_decode: the frame's bytes read again from memory. */
	const unsigned char *mem;
	size_t memlen, mempos;
	/*
	 * tm_reader_map: the whole file mapped (map, maplen bytes).  Then buf
	 * is a view of the frame being read, map + start, cap the bytes from
	 * there to the end, and fill only moves len and off: a frame is
	 * checked where the file's pages lie and tm_reader_raw hands out the
	 * mapping.  own and owncap keep the reader's own buffer meanwhile.
	 */
	unsigned char *map;
	size_t maplen;
	unsigned char *own;
	size_t owncap;
};

struct tm_reader *
tm_reader_new(FILE *fp, const char *name)
{
	struct tm_reader *r = ecalloc(1, sizeof(*r));

	r->fp = fp;
	r->name = estrdup(name);
	return r;
}

/* The mapping dropped, the reader's own buffer back (empty). */
static void
unmap(struct tm_reader *r)
{
	if (r->map == NULL)
		return;
	munmap(r->map, r->maplen);
	r->map = NULL;
	r->maplen = 0;
	r->buf = r->own;
	r->cap = r->owncap;
	r->own = NULL;
	r->owncap = 0;
	r->len = 0;
	r->have_raw = 0;
}

int
tm_reader_map(struct tm_reader *r, uint64_t min)
{
	struct stat st;
	int fd = fileno(r->fp);

	/* Only from the start of a regular file nothing was read from yet
	 * (lseek: a stream handed over part read starts elsewhere). */
	if (r->map || r->mem || r->off != 0 || r->status || fd < 0 ||
	    fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size < min || (uint64_t)st.st_size > SIZE_MAX / 2 ||
	    lseek(fd, 0, SEEK_CUR) != 0)
		return 0;
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return 0;
	/* Read once, front to back: read ahead, drop behind. */
	(void)madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	r->own = r->buf;
	r->owncap = r->cap;
	r->map = m;
	r->maplen = (size_t)st.st_size;
	r->buf = r->map;
	r->cap = r->maplen;
	r->len = 0;
	r->have_raw = 0;
	return 1;
}

int
tm_reader_mapped(const struct tm_reader *r)
{
	return r->map != NULL && r->have_raw;
}

void
tm_reader_reopen(struct tm_reader *r, FILE *fp, const char *name)
{
	unmap(r);
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
	unmap(r);
	free(r->name);
	free(r->buf);
	tm_buf_free(&r->lab);
	free(r->hbuf);
	free(r->pbuf);
	tm_buf_free(&r->vlab);
	for (int k = 0; k < TM_MAXDIM; k++) {
		free(r->labaxis[k]);
		free(r->vaxes[k]);
	}
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

int
tm_reader_canonical(const struct tm_reader *r)
{
	return r->have_raw && r->lazy && r->canon;
}

void
tm_reader_lazy(struct tm_reader *r, int on)
{
	r->lazy = on != 0;
}

int
tm_reader_decode(struct tm_reader *r, struct tm_frame *f)
{
	uint64_t off = r->off;
	int64_t seq = r->seq;
	int rc;

	if (!r->have_raw || r->status)
		return -1;
	if (!r->lazy)
		return 0;
	/*
	 * Read the frame's bytes again, from a copy (fill writes into buf),
	 * through the whole of tm_read: one decoder, the same checks and
	 * messages, at the same offsets.  A mapped file's frame is read from
	 * the mapping into the reader's own buffer, and the view put back.
	 */
	unsigned char *map = r->map, *copy = NULL;
	size_t cap = r->cap;
	if (map) {
		r->mem = r->buf;
		r->map = NULL;
		r->buf = r->own;
		r->cap = r->owncap;
	} else {
		copy = emalloc(r->len);
		memcpy(copy, r->buf, r->len);
		r->mem = copy;
	}
	r->memlen = r->len;
	r->mempos = 0;
	r->off = r->start;
	r->seq = f->seq;
	r->lazy = 0;
	rc = tm_read(r, f);
	r->lazy = 1;
	if (map) {
		r->own = r->buf;
		r->owncap = r->cap;
		r->map = map;
		r->buf = (unsigned char *)r->mem;
		r->cap = cap;
		r->len = r->memlen;
	}
	r->mem = NULL;
	free(copy);
	if (rc != 1)
		return -1;
	r->off = off;
	r->seq = seq;
	return 0;
}

const json_t *
tm_reader_header(const struct tm_reader *r)
{
	struct tm_reader *w = (struct tm_reader *)r;
	uint32_t hlen;

	/* A header parsed without its labels is parsed again, whole, for
	 * the few callers (tm-cat --info) who want to see it. */
	if ((r->hdr_cut || r->hdr == NULL) && r->have_raw && r->len >= TM_LEAD) {
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
 * [*vs, *ve) to the bytes of its object.  Returns 1 when they are the
 * bytes of prev, else 0, or -1 when absent or not an object (the JSON
 * parser then reports whatever is wrong).  prev
 * (prevlen bytes, or NULL) is a labels object found before: when the
 * value starts with those bytes it ends where they do, since the scan
 * below would read the same bytes the same way, so the day's 10 kB of
 * tickers are compared, not scanned a byte at a time.  Without scan, 2
 * says the value starts at *vs and leaves *ve to the caller (a lazy read
 * tries plain_labels, which finds the end as it checks).
 */
static int
find_labels(const char *h, size_t n, const char *prev, size_t prevlen,
    size_t *vs, size_t *ve, int scan)
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
		if (prev && prevlen > 0 && prevlen <= n - j &&
		    memcmp(h + j, prev, prevlen) == 0) {
			*ve = j + prevlen;
			return 1;
		}
		if (!scan)
			return 2;
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
	r->lab.n = 0;
	r->labnd = 0;
}

/* Remember the label tables just decoded into f, keyed by their bytes. */
static void
cache_store(struct tm_reader *r, struct tm_frame *f, const char *v, size_t n)
{
	cache_forget(r);
	tm_buf_set(&r->lab, v, n);
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

	if (r->labf != f || r->lab.n == 0)
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

/* The keys of a labels object scanned by plain_labels, and how many
 * strings each holds. */
struct plain {
	int sorted;		/* keys in strictly ascending byte order */
	int nkeys;
	const char *key[TM_MAXDIM];
	size_t keylen[TM_MAXDIM];
	int64_t count[TM_MAXDIM];
};

/* Length of the plain JSON string at v (n bytes): a quote, printable
 * ASCII other than quote and backslash, a quote; 0 when it is not one. */
static size_t
plain_string(const char *v, size_t n)
{
	size_t i = 1;

	if (n < 2 || v[0] != '"')
		return 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20 || c > 0x7e || c == '\\')
			return 0;
	}
	return 0;
}

/*
 * Is the labels object at v (at most n bytes, its length set in *len) of
 * the plain form writers emit,
 * {"axis":["label",...],...} with no blank, escape or byte outside
 * printable ASCII, distinct keys, at most TM_MAXDIM of them, and labels
 * of at most TM_MAX_LABEL bytes?  Then JSON has nothing else to say about
 * it, and its checks are the counts (in p) against the axes: a lazy read
 * makes no strings of the day's tickers.  0 sends anything else to
 * jansson.
 */
static int
plain_labels(const char *v, size_t n, struct plain *p, size_t *len)
{
	size_t i = 1, k;

	p->nkeys = 0;
	p->sorted = 1;
	if (n < 2 || v[0] != '{')
		return 0;
	if (v[1] == '}') {
		*len = 2;
		return 1;
	}
	for (;;) {
		if (p->nkeys == TM_MAXDIM || (k = plain_string(v + i, n - i)) == 0)
			return 0;
		for (int j = 0; j < p->nkeys; j++)
			if (p->keylen[j] == k - 2 &&
			    memcmp(p->key[j], v + i + 1, k - 2) == 0)
				return 0;
		if (p->nkeys > 0) {
			size_t a = p->keylen[p->nkeys - 1], m = a < k - 2 ? a :
			    k - 2;
			int c = memcmp(p->key[p->nkeys - 1], v + i + 1, m);
			if (c > 0 || (c == 0 && a >= k - 2))
				p->sorted = 0;
		}
		p->key[p->nkeys] = v + i + 1;
		p->keylen[p->nkeys] = k - 2;
		p->count[p->nkeys] = 0;
		i += k;
		if (i + 2 > n || v[i] != ':' || v[i + 1] != '[')
			return 0;
		i += 2;
		if (i < n && v[i] != ']') {
			for (;;) {
				if ((k = plain_string(v + i, n - i)) == 0 ||
				    k - 2 > TM_MAX_LABEL)
					return 0;
				p->count[p->nkeys]++;
				i += k;
				if (i < n && v[i] == ',') {
					i++;
					continue;
				}
				break;
			}
		}
		if (i >= n || v[i] != ']')
			return 0;
		i++;
		p->nkeys++;
		if (i < n && v[i] == '}') {
			*len = i + 1;
			return 1;
		}
		if (i >= n || v[i] != ',')
			return 0;
		i++;
	}
}

/* Lazy reads: remember the labels bytes v (n bytes; NULL: none) just
 * checked against f's axes and shape. */
static void
lazy_store(struct tm_reader *r, const struct tm_frame *f, const char *v,
    size_t n, int canon)
{
	r->vlab.n = 0;
	r->vcanon = canon;
	if (v == NULL)
		return;
	tm_buf_set(&r->vlab, v, n);
	r->vnd = f->ndim;
	for (int d = 0; d < f->ndim; d++) {
		free(r->vaxes[d]);
		r->vaxes[d] = estrdup(f->axes[d]);
		r->vshape[d] = f->shape[d];
	}
}

/* Does header h name f's axes, in f's order?  Else the labels kept in f
 * might name an axis h lacks (a key a fresh read ignores) or h an axis
 * the tables lack. */
static int
same_axes(const json_t *h, const struct tm_frame *f)
{
	json_t *axes = json_object_get(h, "axes");

	if (!json_is_array(axes) || json_array_size(axes) != (size_t)f->ndim)
		return 0;
	for (int d = 0; d < f->ndim; d++) {
		const char *a = json_string_value(json_array_get(axes,
		    (size_t)d));
		if (a == NULL || f->axes[d] == NULL || strcmp(a, f->axes[d]) != 0)
			return 0;
	}
	return 1;
}

/*
 * What decode_header checks of a header, taken from its JSON (desc_json)
 * or straight from its text (plain_header): the values, or the marks of
 * values missing or of the wrong type, so both give the same verdicts.
 */
struct hdesc {
	const char *dtype;		/* NULL: missing or not a string */
	int ndim;			/* -1: shape, axes not arrays alike */
	int64_t shape[TM_MAXDIM];	/* -1: not an integer >= 0 */
	const char *axes[TM_MAXDIM];	/* NULL: not a string */
	int has_nbytes, has_seq;	/* integers present */
	int64_t nbytes, seq;
	const char *enc;		/* NULL: missing or not a string */
	int bad_labels, bad_coords, bad_meta;	/* present, not objects */
	json_t *labels, *coords, *meta;	/* borrowed, or NULL */
	/* plain_header: the keys in tm_write's order and set, coords and
	 * meta sorted, meta not empty, labels present (its own keys are
	 * plain_labels' business), and the object ends at byte end. */
	int canon;
	size_t end;
	/* A non-lazy read of changed labels of the plain form: the tables
	 * come from the text (pl's keys at koff from the header's start),
	 * not from JSON strings; NULL otherwise. */
	const struct plain *pl;
	size_t koff[TM_MAXDIM];
};

static void
desc_json(json_t *h, struct hdesc *d)
{
	json_t *jshape = json_object_get(h, "shape");
	json_t *jaxes = json_object_get(h, "axes");
	json_t *jnb = json_object_get(h, "nbytes");
	json_t *jseq = json_object_get(h, "seq");

	d->dtype = json_string_value(json_object_get(h, "dtype"));
	d->ndim = -1;
	if (json_is_array(jshape) && json_is_array(jaxes) &&
	    json_array_size(jshape) <= TM_MAXDIM &&
	    json_array_size(jaxes) == json_array_size(jshape)) {
		d->ndim = (int)json_array_size(jshape);
		for (int k = 0; k < d->ndim; k++) {
			json_t *v = json_array_get(jshape, (size_t)k);
			d->shape[k] = json_is_integer(v) &&
			    json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
			d->axes[k] = json_string_value(json_array_get(jaxes,
			    (size_t)k));
		}
	}
	d->has_nbytes = json_is_integer(jnb);
	d->nbytes = json_integer_value(jnb);
	d->has_seq = json_is_integer(jseq);
	d->seq = json_integer_value(jseq);
	d->enc = json_string_value(json_object_get(h, "encoding"));
	d->labels = json_object_get(h, "labels");
	d->coords = json_object_get(h, "coords");
	d->meta = json_object_get(h, "meta");
	d->bad_labels = d->labels && !json_is_object(d->labels);
	d->bad_coords = d->coords && !json_is_object(d->coords);
	d->bad_meta = d->meta && !json_is_object(d->meta);
}

/* Does header d have the axes and shape lazy_store saw with its labels? */
static int
checked_before(const struct tm_reader *r, const struct hdesc *d)
{
	if (d->ndim != r->vnd)
		return 0;
	for (int k = 0; k < d->ndim; k++)
		if (d->shape[k] != r->vshape[k] || d->axes[k] == NULL ||
		    strcmp(d->axes[k], r->vaxes[k]) != 0)
			return 0;
	return 1;
}

/* Do the counts of p fit header d, each key that names an axis holding
 * as many labels as the axis is long (other keys are ignored, as
 * decode_header ignores them)?  0 also when d's shape or axes are bad:
 * decode_header then says so. */
static int
plain_fits(const struct plain *p, const struct hdesc *d)
{
	if (d->ndim < 0)
		return 0;
	for (int k = 0; k < p->nkeys; k++)
		for (int a = 0; a < d->ndim; a++) {
			if (d->axes[a] == NULL || d->shape[a] < 0)
				return 0;
			/* strlen: decode_header looks the key up by the
			 * axis name as a C string. */
			if (strlen(d->axes[a]) == p->keylen[k] &&
			    memcmp(d->axes[a], p->key[k], p->keylen[k]) == 0 &&
			    d->shape[a] != p->count[k])
				return 0;
		}
	return 1;
}

/* Does each key of p name an axis of d (so tm_write keeps it)? */
static int
plain_named(const struct plain *p, const struct hdesc *d)
{
	for (int k = 0; k < p->nkeys; k++) {
		int a = 0;
		while (a < d->ndim && (strlen(d->axes[a]) != p->keylen[k] ||
		    memcmp(d->axes[a], p->key[k], p->keylen[k]) != 0))
			a++;
		if (a == d->ndim)
			return 0;
	}
	return 1;
}

/* The padding writers put after a header's JSON: blanks, then a newline
 * (the bytes of it at the end of h, n bytes; 0 when h does not end so). */
static size_t
trailing_blanks(const char *h, size_t n)
{
	size_t k = 1;

	if (n == 0 || h[n - 1] != '\n')
		return 0;
	while (k < n && h[n - 1 - k] == ' ')
		k++;
	return k;
}

/* A cursor over header text, copying its strings NUL-terminated to out. */
struct cur {
	const char *s;
	size_t i, n;
	char *out;
	size_t o;
};

static int
cur_ch(struct cur *c, char ch)
{
	if (c->i < c->n && c->s[c->i] == ch) {
		c->i++;
		return 1;
	}
	return 0;
}

/* A plain string (plain_string), copied: its copy, or NULL. */
static const char *
cur_str(struct cur *c)
{
	size_t k = plain_string(c->s + c->i, c->n - c->i);
	char *p = c->out + c->o;

	if (k == 0)
		return NULL;
	memcpy(p, c->s + c->i + 1, k - 2);
	p[k - 2] = '\0';
	c->o += k - 1;
	c->i += k;
	return p;
}

/* An integer of 1 to 18 digits, no sign, no leading zero, no fraction or
 * exponent: what JSON reads as that integer and nothing else. */
static int
cur_int(struct cur *c, int64_t *v)
{
	size_t j = c->i;
	int64_t x = 0;

	while (j < c->n && c->s[j] >= '0' && c->s[j] <= '9' && j - c->i < 18)
		x = x * 10 + (c->s[j++] - '0');
	if (j == c->i || (c->s[c->i] == '0' && j - c->i > 1))
		return 0;
	if (j < c->n && ((c->s[j] >= '0' && c->s[j] <= '9') || c->s[j] == '.' ||
	    c->s[j] == 'e' || c->s[j] == 'E'))
		return 0;
	c->i = j;
	*v = x;
	return 1;
}

/* An object of plain strings and integers (coords, meta), as jansson
 * would build it (a repeated key: the last value); NULL otherwise.
 * *sorted: its keys come in strictly ascending order. */
static json_t *
cur_scalars(struct cur *c, int *sorted)
{
	const char *last = NULL;
	json_t *o;

	*sorted = 1;
	if (!cur_ch(c, '{'))
		return NULL;
	o = json_object();
	if (cur_ch(c, '}'))
		return o;
	for (;;) {
		const char *k = cur_str(c), *sv;
		if (k && last && strcmp(last, k) >= 0)
			*sorted = 0;
		last = k;
		json_t *v = NULL;
		int64_t x;
		if (k == NULL || !cur_ch(c, ':'))
			break;
		if (c->i < c->n && c->s[c->i] == '"') {
			if ((sv = cur_str(c)) != NULL)
				v = json_string_nocheck(sv);
		} else if (cur_int(c, &x))
			v = json_integer(x);
		if (v == NULL || json_object_set_new_nocheck(o, k, v) == -1)
			break;
		if (cur_ch(c, ','))
			continue;
		if (cur_ch(c, '}'))
			return o;
		break;
	}
	json_decref(o);
	return NULL;
}

/*
 * Read header text h (n bytes) of the plain form writers emit straight
 * into d: the known keys once each, no blanks, plain strings and
 * integers, coords and meta of those; the labels value, already checked
 * (reused or plain_labels), is [vs, ve) and skipped (ve == vs: none).
 * Anything else is 0, for jansson.  On 1, d->coords and d->meta are new
 * references the caller drops; d's strings live in r->pbuf.  A lazy
 * read of a day's frame then makes two small objects instead of parsing
 * a dozen values and their hash tables.
 */
static int
plain_header(struct tm_reader *r, const char *h, size_t n, size_t vs,
    size_t ve, struct hdesc *d)
{
	static const char *keys[] = { "axes", "coords", "dtype", "encoding",
	    "labels", "meta", "nbytes", "seq", "shape" };
	unsigned seen = 0;
	int naxes = -1, nshape = -1, m, sorted, canon = 1;
	size_t prevkey = 0;
	struct cur c;

	if (r->pcap < n + 1) {
		free(r->pbuf);
		r->pbuf = emalloc(n + 1);
		r->pcap = n + 1;
	}
	c = (struct cur){ h, 0, n, r->pbuf, 0 };
	memset(d, 0, sizeof(*d));
	if (!cur_ch(&c, '{') || cur_ch(&c, '}'))
		goto fail;
	do {
		const char *k = cur_str(&c);
		int64_t x;
		size_t key = 0;
		if (k == NULL || !cur_ch(&c, ':'))
			goto fail;
		while (key < sizeof(keys) / sizeof(keys[0]) &&
		    strcmp(k, keys[key]) != 0)
			key++;
		if (key == sizeof(keys) / sizeof(keys[0]) || (seen & 1u << key))
			goto fail;
		if (seen && key < prevkey)
			canon = 0;
		prevkey = key;
		seen |= 1u << key;
		switch (key) {
		case 0:		/* axes */
		case 8:		/* shape */
			if (!cur_ch(&c, '['))
				goto fail;
			m = 0;
			if (!cur_ch(&c, ']')) {
				do {
					if (m == TM_MAXDIM)
						goto fail;
					if (key == 0 && (d->axes[m] =
					    cur_str(&c)) == NULL)
						goto fail;
					if (key == 8 && !cur_int(&c,
					    &d->shape[m]))
						goto fail;
					m++;
				} while (cur_ch(&c, ','));
				if (!cur_ch(&c, ']'))
					goto fail;
			}
			*(key == 0 ? &naxes : &nshape) = m;
			break;
		case 1:
		case 5:
			if ((*(key == 1 ? &d->coords : &d->meta) =
			    cur_scalars(&c, &sorted)) == NULL)
				goto fail;
			/* tm_write leaves an empty meta out */
			if (!sorted || (key == 5 && json_object_size(d->meta) == 0))
				canon = 0;
			break;
		case 2:
			if ((d->dtype = cur_str(&c)) == NULL)
				goto fail;
			break;
		case 3:
			if ((d->enc = cur_str(&c)) == NULL)
				goto fail;
			break;
		case 4:		/* labels: where find_labels saw them */
			if (ve == vs || c.i != vs)
				goto fail;
			c.i = ve;
			break;
		case 6:
		case 7:
			if (!cur_int(&c, &x))
				goto fail;
			if (key == 6) {
				d->has_nbytes = 1;
				d->nbytes = x;
			} else {
				d->has_seq = 1;
				d->seq = x;
			}
			break;
		}
	} while (cur_ch(&c, ','));
	if (!cur_ch(&c, '}'))
		goto fail;
	d->ndim = naxes >= 0 && naxes == nshape ? naxes : -1;
	/* every key but coords and meta, which tm_write may leave out */
	d->canon = canon && (seen | 1u << 1 | 1u << 5) == (1u << 9) - 1;
	d->end = c.i;
	return 1;
fail:
	json_decref(d->coords);
	json_decref(d->meta);
	return 0;
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

	if (r->map) {
		/* buf + len is map + off: the bytes are there already */
		got = n < r->maplen - r->off ? n : r->maplen - r->off;
		r->len += got;
		r->off += got;
		return got;
	}
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
		size_t k;
		if (r->mem) {
			k = r->memlen - r->mempos < want ? r->memlen - r->mempos :
			    want;
			memcpy(r->buf + r->len, r->mem + r->mempos, k);
			r->mempos += k;
		} else
			k = fread(r->buf + r->len, 1, want, r->fp);
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

/* Check shape/axes/labels/dtype of a data header and fill f's description;
 * the label tables too unless tables is 0 (lazy reads: checked only). */
static int
decode_header(struct tm_reader *r, const struct hdesc *h, struct tm_frame *f,
    int *enc, uint64_t *nbytes, uint64_t plen, uint64_t ppad, int tables)
{
	json_t *jlabels = h->labels;
	int64_t shape[TM_MAXDIM];
	const char *axes[TM_MAXDIM];
	int dt, ndim;
	uint64_t n = 1;

	if (h->dtype == NULL || (dt = tm_dtype_parse(h->dtype)) < 0)
		return bad(r, r->start + TM_LEAD, "unknown or missing dtype");
	if ((ndim = h->ndim) < 0)
		return bad(r, r->start + TM_LEAD, "bad shape or axes");
	for (int d = 0; d < ndim; d++) {
		if (h->shape[d] < 0 || h->axes[d] == NULL)
			return bad(r, r->start + TM_LEAD, "bad shape or axes");
		shape[d] = h->shape[d];
		axes[d] = h->axes[d];
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
	if (!h->has_nbytes || (uint64_t)h->nbytes != n)
		return bad(r, r->start + TM_LEAD, "nbytes does not match shape");
	if (h->enc == NULL)
		return bad(r, r->start + TM_LEAD, "missing encoding");
	if (strcmp(h->enc, "raw") == 0)
		*enc = TM_RAW;
	else if (strcmp(h->enc, "deflate") == 0)
		*enc = TM_DEFLATE;
	else
		return bad(r, r->start + TM_LEAD, "unknown encoding '%s'",
		    h->enc);
	if (!h->has_seq || h->seq != r->seq)
		return bad(r, r->start + TM_LEAD, "frame out of sequence "
		    "(expected seq %lld)", (long long)r->seq);
	if (h->bad_labels)
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
	/* tm_read may have read it with the header already. */
	size_t have = r->len - TM_LEAD - r->hlen;
	if (have < plen + ppad && fill(r, plen + ppad - have) < plen + ppad - have)
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
		if (tables)
			f->labels[d] = ecalloc((size_t)(shape[d] ? shape[d] : 1),
			    sizeof(char *));
		for (int64_t i = 0; i < shape[d]; i++) {
			json_t *s = json_array_get(l, (size_t)i);
			if (!json_is_string(s) ||
			    json_string_length(s) > TM_MAX_LABEL)
				return bad(r, r->start + TM_LEAD,
				    "bad label %lld of axis '%s'", (long long)i,
				    axes[d]);
			if (tables)
				f->labels[d][i] = estrdup(json_string_value(s));
		}
	}
	for (int k = 0; h->pl && k < h->pl->nkeys; k++) {
		/* After fill: the header is where buf is now. */
		const char *v = (const char *)r->buf + TM_LEAD + h->koff[k];
		size_t kl = h->pl->keylen[k];
		int d = 0;
		while (d < ndim && !(strlen(axes[d]) == kl &&
		    memcmp(axes[d], v, kl) == 0))
			d++;
		if (d == ndim)
			continue;	/* as JSON: a key naming no axis */
		if (h->pl->count[k] != shape[d])
			return bad(r, r->start + TM_LEAD,
			    "labels of axis '%s' do not match its length", axes[d]);
		if (!tables)
			continue;
		f->labels[d] = ecalloc((size_t)(shape[d] ? shape[d] : 1),
		    sizeof(char *));
		v += kl + 3;		/* past the key's quote, ':' and '[' */
		for (int64_t i = 0; i < shape[d]; i++) {
			/* plain_labels saw a plain string of at most
			 * TM_MAX_LABEL bytes here */
			const char *e = memchr(v + 1, '"', TM_MAX_LABEL + 1);
			size_t len = (size_t)(e - v - 1);
			char *l = emalloc(len + 1);
			memcpy(l, v + 1, len);
			l[len] = '\0';
			f->labels[d][i] = l;
			v = e + 2;	/* past '"' and ',' */
		}
	}
	if (h->bad_coords)
		return bad(r, r->start + TM_LEAD, "coords is not an object");
	if (h->bad_meta)
		return bad(r, r->start + TM_LEAD, "meta is not an object");
	f->coords = h->coords ? json_incref(h->coords) : NULL;
	f->meta = h->meta ? json_incref(h->meta) : NULL;
	f->seq = r->seq;
	f->encoding = *enc;
	*nbytes = n;
	return 0;
}

/* One frame's lead, as read: the lengths and the two CRCs. */
struct lead {
	uint64_t hlen, plen, ppad;
	uint32_t hcrc, bcrc;
};

/*
 * The first step of tm_read: the 32-byte lead at r->off and the header
 * after it, into r->buf (with the payload too when the buffer holds it
 * already), the lead's fields and the header CRC checked.  1 with *ld
 * filled, 0 at a clean end of the stream (after an end frame), -1 with
 * the reader's status and message set.
 */
static int
read_lead(struct tm_reader *r, struct lead *ld)
{
	unsigned char *p;

	r->have_raw = 0;
	r->len = 0;
	r->start = r->off;
	if (r->map) {
		r->buf = r->map + r->off;
		r->cap = r->maplen - r->off;
	}
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
	ld->hlen = le(p + 12, 4);
	ld->plen = le(p + 16, 8);
	ld->ppad = (TM_ALIGN - ld->plen % TM_ALIGN) % TM_ALIGN;
	ld->hcrc = (uint32_t)le(p + 24, 4);
	ld->bcrc = (uint32_t)le(p + 28, 4);
	if (ld->hlen == 0 || ld->hlen > TM_MAX_HLEN ||
	    (TM_LEAD + ld->hlen) % TM_ALIGN)
		return bad(r, r->start + 12, "bad header length %llu",
		    (unsigned long long)ld->hlen);
	if (ld->plen > compressBound(TM_MAX_NBYTES))
		return bad(r, r->start + 16, "absurd payload length %llu",
		    (unsigned long long)ld->plen);
	/* Header and payload in one read(2) when the buffer holds them
	 * already: no allocation on the lead's word, and the checks below
	 * still come before the payload is used. */
	size_t more = TM_LEAD + ld->hlen + ld->plen + ld->ppad <= r->cap ?
	    ld->hlen + ld->plen + ld->ppad : ld->hlen;
	if (fill(r, more) < ld->hlen)
		return ferror(r->fp) ? ioerr(r) :
		    bad(r, r->off, "truncated frame header");
	r->hlen = ld->hlen;
	if (tm_crc32(tm_crc32(0, r->buf, 24), r->buf + TM_LEAD, ld->hlen) !=
	    ld->hcrc)
		return bad(r, r->start + 24, "header CRC mismatch");
	return 1;
}

/* What the header step found: the label value's place [vs, ve) in the
 * header text, whether it has one, whether the cached tables are reused,
 * whether a lazy read described it without JSON (pd) and whether its
 * label text is tm_write's own (labcanon); hd describes the header. */
struct hstep {
	size_t vs, ve;
	int haslab, reuse, pd, labcanon;
	struct hdesc hd;
	struct plain pl;	/* hd.pl's, when it has one */
};

/*
 * The second step: the header text at r->buf + TM_LEAD described into
 * hs->hd, by the cheapest means that is exact: the label cache (the
 * labels equal the last frame's), the plain-label scan, a JSON-free
 * plain header for lazy reads, or jansson on the header with its labels
 * cut out, or whole.  r->hdr holds the parsed JSON unless hs->pd; sets
 * r->canon.  0, or -1 on bad JSON (status and message set).
 */
static int
read_header(struct tm_reader *r, struct tm_frame *f, uint64_t hlen,
    struct hstep *hs)
{
	json_error_t je;
	const char *ht = (char *)r->buf + TM_LEAD;
	const char *prev = r->lazy ? r->vlab.p : r->lab.p;
	size_t prevlen = r->lazy ? r->vlab.n : r->lab.n;
	struct plain pl;
	struct hdesc *hd = &hs->hd;
	int plain = 0, nplain;
	size_t plen2;

	hs->vs = hs->ve = 0;
	int fl = find_labels(ht, hlen, prev, prevlen, &hs->vs, &hs->ve,
	    !r->lazy);
	if (fl == 2) {
		size_t len;
		if ((plain = plain_labels(ht + hs->vs, hlen - hs->vs, &pl,
		    &len)))
			hs->ve = hs->vs + len;
		fl = plain ? 0 :
		    find_labels(ht, hlen, NULL, 0, &hs->vs, &hs->ve, 1);
	}
	hs->haslab = fl >= 0;
	hs->reuse = fl == 1 && (r->lazy || cache_intact(r, f));
	/* New labels, read into tables: of the plain form, the tables are
	 * made from the text and jansson parses the rest. */
	nplain = !r->lazy && (fl == 0 || fl == 1) && !hs->reuse &&
	    plain_labels(ht + hs->vs, hs->ve - hs->vs, &hs->pl, &plen2) &&
	    plen2 == hs->ve - hs->vs;
	if (r->hdr)
		json_decref(r->hdr);
	r->hdr = NULL;
	r->hdr_cut = 0;
	/* A lazy read of a plain header needs no JSON parser. */
	hs->pd = r->lazy && (hs->reuse || plain || !hs->haslab) &&
	    plain_header(r, ht, hlen, hs->vs, hs->ve, hd);
	if (hs->pd && (hs->reuse ? !checked_before(r, hd) :
	    plain && !plain_fits(&pl, hd))) {
		json_decref(hd->coords);
		json_decref(hd->meta);
		hs->pd = 0;
	}
	/* Would tm_write give these very bytes, seq aside?  Then
	 * tm_write_from may pad a renumbered header anew (raw only:
	 * tm_write deflates a payload afresh). */
	hs->labcanon = hs->pd && (hs->reuse ? r->vcanon :
	    plain && pl.sorted && plain_named(&pl, hd));
	r->canon = hs->pd && hd->canon && hs->labcanon && hd->enc &&
	    strcmp(hd->enc, "raw") == 0 &&
	    trailing_blanks(ht, hlen) > 0 &&
	    hd->end == hlen - trailing_blanks(ht, hlen);
	if (hs->pd) {
		hd->pl = NULL;
		return 0;
	}
	if (hs->reuse || plain || nplain) {
		size_t vs = hs->vs, ve = hs->ve, n = vs + 2 + (hlen - ve);
		if (r->hcap < n) {
			free(r->hbuf);
			r->hbuf = emalloc(n);
			r->hcap = n;
		}
		memcpy(r->hbuf, ht, vs);
		memcpy(r->hbuf + vs, "{}", 2);
		memcpy(r->hbuf + vs + 2, ht + ve, hlen - ve);
		r->hdr = json_loadb(r->hbuf, n, JSON_DISABLE_EOF_CHECK, &je);
		r->hdr_cut = 1;
		if (r->hdr)
			desc_json(r->hdr, hd);
	} else
		r->hdr = json_loadb(ht, hlen, JSON_DISABLE_EOF_CHECK, &je);
	if (r->hdr_cut && (r->hdr == NULL || (r->lazy ? !(hs->reuse ?
	    checked_before(r, hd) : plain_fits(&pl, hd)) :
	    !nplain && !same_axes(r->hdr, f)))) {
		/* Other axes or shape than the labels were checked against,
		 * or a count that does not fit, or bad JSON: the whole
		 * header again, for a fresh read's verdict and message. */
		json_decref(r->hdr);
		r->hdr = json_loadb(ht, hlen, JSON_DISABLE_EOF_CHECK, &je);
		hs->reuse = nplain = r->hdr_cut = 0;
	}
	if (r->hdr == NULL || !json_is_object(r->hdr))
		return bad(r, r->start + TM_LEAD, "bad header JSON: %s",
		    r->hdr ? "not an object" : je.text);
	desc_json(r->hdr, hd);
	hd->pl = NULL;
	if (nplain) {
		hd->pl = &hs->pl;
		for (int k = 0; k < hs->pl.nkeys; k++)
			hd->koff[k] = (size_t)(hs->pl.key[k] - ht);
	}
	return 0;
}

/* An end frame (its header's "end" true): no payload, a zero body CRC
 * and the count of the frames before it.  1 when the frame is one (the
 * segment ends: seq -1), 0 when it is not, -1 when it is a bad one. */
static int
end_frame(struct tm_reader *r, const struct hstep *hs, const struct lead *ld)
{
	json_t *end = hs->pd ? NULL : json_object_get(r->hdr, "end");

	if (!json_is_true(end))
		return 0;
	json_t *nf = json_object_get(r->hdr, "frames");
	if (ld->plen != 0)
		return bad(r, r->start + 16, "end frame with a payload");
	if (!json_is_integer(nf) || json_integer_value(nf) != r->seq)
		return bad(r, r->start + TM_LEAD, "end frame counts %lld "
		    "frames, stream has %lld",
		    (long long)json_integer_value(nf), (long long)r->seq);
	if (ld->bcrc != 0)
		return bad(r, r->start + 28, "body CRC mismatch");
	r->seq = -1;
	return 1;
}

/*
 * The third step: f shaped from the header (decode_header), the cached
 * label tables kept when reused, the cache refreshed.  *enc and *nbytes
 * get the payload's encoding and decoded size.  0, or -1 (status and
 * message set).
 */
static int
shape_frame(struct tm_reader *r, struct tm_frame *f, struct hstep *hs,
    const struct lead *ld, int *enc, uint64_t *nbytes)
{
	char **kept[TM_MAXDIM];
	int nkept = hs->reuse && !r->lazy ? r->labnd : 0;

	if (nkept) {
		/* Take the tables out of f so tm_frame_shape keeps them. */
		for (int k = 0; k < nkept; k++) {
			kept[k] = r->labarr[k];
			f->labels[tm_frame_axis(f, r->labaxis[k])] = NULL;
		}
	}
	cache_forget(r);
	int rc = decode_header(r, &hs->hd, f, enc, nbytes, ld->plen, ld->ppad,
	    !r->lazy);
	if (hs->pd) {
		/* f took its references */
		json_decref(hs->hd.coords);
		json_decref(hs->hd.meta);
	}
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
	if (r->lazy) {
		if (!hs->reuse)
			lazy_store(r, f, hs->haslab ? (char *)r->buf +
			    TM_LEAD + hs->vs : NULL, hs->ve - hs->vs,
			    hs->labcanon);
	} else if (hs->reuse) {
		r->labf = f;
		r->lab.n = hs->ve - hs->vs;
		/* The tables, and so labhash, labnd, labarr, labn and
		 * labaxis, are unchanged: cache_intact just checked. */
		r->labnd = nkept;
	} else if (hs->haslab)
		/* Not the header text of read_header: reading the payload
		 * may have moved buf. */
		cache_store(r, f, (char *)r->buf + TM_LEAD + hs->vs,
		    hs->ve - hs->vs);
	return 0;
}

/* The last step: the payload's CRC and zero padding checked, and its
 * bytes copied or inflated into f->data (not for headers-only or lazy
 * reads).  0, or -1 (status and message set). */
static int
read_payload(struct tm_reader *r, struct tm_frame *f, const struct lead *ld,
    int enc, uint64_t nbytes)
{
	const unsigned char *body = r->buf + TM_LEAD + ld->hlen;
	uint64_t plen = ld->plen;

	if (tm_crc32(0, body, plen + ld->ppad) != ld->bcrc)
		return bad(r, r->start + 28, "body CRC mismatch");
	for (uint64_t i = 0; i < ld->ppad; i++)
		if (body[plen + i] != 0)
			return bad(r, r->start + TM_LEAD + ld->hlen + plen + i,
			    "non-zero padding");
	if (r->headers_only || r->lazy) {
		/* shape checked by decode_header; data left as is */
	} else if (enc == TM_RAW) {
		memcpy(f->data, body, plen);
	} else {
		uLongf dlen = nbytes;
		if (uncompress(f->data, &dlen, body, plen) != Z_OK ||
		    dlen != nbytes)
			return bad(r, r->start + TM_LEAD + ld->hlen,
			    "deflate payload does not inflate to %llu bytes",
			    (unsigned long long)nbytes);
	}
	return 0;
}

int
tm_read(struct tm_reader *r, struct tm_frame *f)
{
	if (r->status)
		return -1;
	for (;;) {
		struct lead ld = { 0 };
		struct hstep hs;
		int rc, enc = TM_RAW;
		uint64_t nbytes = 0;

		if ((rc = read_lead(r, &ld)) <= 0)
			return rc;
		if (read_header(r, f, ld.hlen, &hs) == -1)
			return -1;
		/* The payload length is bounded by the header's nbytes
		 * before it is read, so a lying lead cannot make us
		 * allocate. */
		if ((rc = end_frame(r, &hs, &ld)) == -1)
			return -1;
		if (rc == 1)
			continue;
		if (shape_frame(r, f, &hs, &ld, &enc, &nbytes) == -1 ||
		    read_payload(r, f, &ld, enc, nbytes) == -1)
			return -1;
		r->seq++;
		r->have_raw = 1;
		return 1;
	}
}
