/* model.c - the model file: a TMT stream of three frames (policy weights
 * with the description in meta, normalisation, per-epoch metrics). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"
#include "tmcore.h"

static const char *metric_names[TM_MODEL_NMETRIC] = {
	"train_reward", "valid_reward", "valid_sharpe", "valid_return"
};

void
tm_model_init(struct tm_model *m)
{
	memset(m, 0, sizeof(*m));
}

void
tm_model_release(struct tm_model *m)
{
	tm_policy_release(&m->pol);
	tm_strv_free(m->feat);
	free(m->mean);
	free(m->sd);
	free(m->layout);
	free(m->algo);
	free(m->from);
	free(m->to);
	free(m->hyper);
	free(m->metrics);
	memset(m, 0, sizeof(*m));
}

/* FNV-1a 64 of n bytes at p, carrying on from h. */
static uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
tm_model_stamp(struct tm_model *m)
{
	/* FNV-1a 64 of the little-endian weight bytes: the version names
	 * exactly these weights. */
	uint64_t h = fnv1a(0xcbf29ce484222325ULL, m->pol.p,
	    m->pol.nparam * sizeof(double));

	/* adjust, cap and xsec decide too; hashed only when set, so a model
	 * without them keeps the version it always had. */
	if (m->pol.adjust != 1)
		h = fnv1a(h, &m->pol.adjust, sizeof(double));
	if (m->pol.cap != 1) {
		h = fnv1a(h, "c", 1);
		h = fnv1a(h, &m->pol.cap, sizeof(double));
	}
	if (m->pol.xsec)
		h = fnv1a(h, "x", 1);
	snprintf(m->version, sizeof(m->version), "%016llx",
	    (unsigned long long)h);
}

/* The policy frame's meta key (adjust, cap) into *a: 1 when absent, -1
 * unless a number in (0, 1]. */
static int
metafrac(const struct tm_frame *f, const char *key, double *a)
{
	const char *v = tm_frame_get_meta(f, key);
	char *end;

	*a = 1;
	if (!v)
		return 0;
	*a = strtod(v, &end);
	return *v && !*end && *a > 0 && *a <= 1 ? 0 : -1;
}

static void
meta_int(struct tm_frame *f, const char *k, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	tm_frame_set_meta(f, k, buf);
}

int
tm_model_write(struct tm_model *m, const char *path)
{
	struct tm_atomic *a;
	struct tm_writer *w;
	struct tm_frame f;
	const struct tm_policy *p = &m->pol;
	int nf = p->nfeat, rc = 0;
	char buf[64];

	tm_model_stamp(m);
	if (!(a = tm_atomic_open(path, 0644)))
		return -1;
	w = tm_writer_new(tm_atomic_fp(a), path, TM_RAW);
	tm_frame_init(&f);

	int64_t shape = (int64_t)p->nparam;
	const char *ax = "param";
	if (tm_frame_shape(&f, TM_F64, 1, &shape, &ax) == -1)
		goto fail;
	memcpy(f.data, p->p, p->nparam * sizeof(double));
	if (m->to && *m->to)
		tm_frame_set_date(&f, m->to);
	tm_frame_set_meta(&f, "kind", "tm-model");
	tm_frame_set_meta(&f, "version", m->version);
	tm_frame_set_meta(&f, "algo", m->algo ? m->algo : "");
	tm_frame_set_meta(&f, "arch", p->arch == TM_ARCH_FLAT ? "flat" : "shared");
	snprintf(buf, sizeof(buf), "%d,%d", p->net.h1, p->net.h2);
	tm_frame_set_meta(&f, "hidden", buf);
	meta_int(&f, "nfeat", nf);
	meta_int(&f, "flat_slots", p->nslots);
	meta_int(&f, "learn_tau", p->learn_tau);
	meta_int(&f, "slots", m->nslots);
	tm_frame_set_meta(&f, "layout", m->layout ? m->layout : "");
	tm_frame_set_meta(&f, "from", m->from ? m->from : "");
	tm_frame_set_meta(&f, "to", m->to ? m->to : "");
	tm_frame_set_meta(&f, "hyper", m->hyper ? m->hyper : "{}");
	if (p->adjust != 1) {
		snprintf(buf, sizeof(buf), "%.17g", p->adjust);
		tm_frame_set_meta(&f, "adjust", buf);
	}
	if (p->cap != 1) {
		snprintf(buf, sizeof(buf), "%.17g", p->cap);
		tm_frame_set_meta(&f, "cap", buf);
	}
	if (p->xsec)
		meta_int(&f, "xsec", 1);
	if (p->market)
		meta_int(&f, "market", 1);
	rc |= tm_write(w, &f);

	if (tm_frame_shape2(&f, TM_F64, "feature", nf, "stat", 2) == -1)
		goto fail;
	for (int j = 0; j < nf; j++) {
		tm_frame_set_label(&f, 0, j, m->feat[j]);
		tm_frame_set(&f, (size_t)j * 2, m->mean[j]);
		tm_frame_set(&f, (size_t)j * 2 + 1, m->sd[j]);
	}
	tm_frame_set_label(&f, 1, 0, "mean");
	tm_frame_set_label(&f, 1, 1, "sd");
	tm_frame_set_meta(&f, "kind", "tm-model-norm");
	rc |= tm_write(w, &f);

	if (m->nepoch > 0) {
		if (tm_frame_shape2(&f, TM_F64, "epoch", m->nepoch, "metric",
		    TM_MODEL_NMETRIC) == -1)
			goto fail;
		for (int e = 0; e < m->nepoch; e++) {
			snprintf(buf, sizeof(buf), "%d", e + 1);
			tm_frame_set_label(&f, 0, e, buf);
		}
		for (int k = 0; k < TM_MODEL_NMETRIC; k++)
			tm_frame_set_label(&f, 1, k, metric_names[k]);
		memcpy(f.data, m->metrics,
		    (size_t)m->nepoch * TM_MODEL_NMETRIC * sizeof(double));
		tm_frame_set_meta(&f, "kind", "tm-model-metrics");
		rc |= tm_write(w, &f);
	}
	rc |= tm_writer_end(w);
	if (rc)
		goto fail;
	tm_writer_free(w);
	tm_frame_release(&f);
	return tm_atomic_commit(a);
fail:
	tm_writer_free(w);
	tm_frame_release(&f);
	tm_atomic_abort(a);
	return -1;
}

static char *
dupmeta(const struct tm_frame *f, const char *k)
{
	const char *v = tm_frame_get_meta(f, k);

	return estrdup(v ? v : "");
}

static int
metaint(const struct tm_frame *f, const char *k, long long lo, long long hi,
    int *v)
{
	const char *s = tm_frame_get_meta(f, k);
	char *end;
	long long x;

	if (!s)
		return -1;
	x = strtoll(s, &end, 10);
	if (*s == '\0' || *end || x < lo || x > hi)
		return -1;
	*v = (int)x;
	return 0;
}

int
tm_model_read(struct tm_model *m, const char *path)
{
	FILE *fp;
	struct tm_reader *r;
	struct tm_frame f;
	int rc, have = 0, nf = 0, flat = 0, lt = 1, mk = 0, h1, h2;
	const char *what = NULL;

	tm_model_init(m);
	if (!(fp = tm_open_read(path)))
		return -1;	/* EX_NOINPUT, said */
	r = tm_reader_new(fp, path);
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		const char *kind = tm_frame_get_meta(&f, "kind");

		if (!kind)
			continue;
		if (!strcmp(kind, "tm-model")) {
			const char *arch = tm_frame_get_meta(&f, "arch");
			const char *hid = tm_frame_get_meta(&f, "hidden");

			if (have & 1) {
				what = "a second policy frame";
				goto bad;
			}
			if (f.ndim != 1 || f.dtype != TM_F64 || !arch || !hid ||
			    sscanf(hid, "%d,%d", &h1, &h2) != 2 || h1 < 1 ||
			    h2 < 1 || h1 > 4096 || h2 > 4096 ||
			    metaint(&f, "nfeat", 1, 100000, &nf) ||
			    metaint(&f, "flat_slots", 0, 1000000, &flat) ||
			    metaint(&f, "learn_tau", 0, 1, &lt) ||
			    metaint(&f, "slots", 0, 10000000, &m->nslots)) {
				what = "policy frame";
				goto bad;
			}
			enum tm_arch ar = strcmp(arch, "flat") ?
			    TM_ARCH_SHARED : TM_ARCH_FLAT;
			mk = 0;
			if (tm_frame_get_meta(&f, "market") &&
			    metaint(&f, "market", 0, 1, &mk)) {
				what = "policy market";
				goto bad;
			}
			/* The sizes against the payload before any memory
			 * is spent on them: a few bytes of header can ask
			 * for terabytes, or overflow the widths. */
			if (tm_policy_layout(&m->pol, ar, nf, flat, h1,
			    h2) == -1 || (int64_t)m->pol.nparam +
			    (mk ? nf : 0) != f.shape[0]) {
				what = "policy frame size";
				goto bad;
			}
			tm_policy_init(&m->pol, ar, nf, flat, h1, h2);
			if (mk)
				tm_policy_market(&m->pol);
			m->pol.learn_tau = lt;
			if (metafrac(&f, "adjust", &m->pol.adjust) == -1 ||
			    metafrac(&f, "cap", &m->pol.cap) == -1) {
				what = "policy adjust or cap";
				goto bad;
			}
			if (tm_frame_get_meta(&f, "xsec") &&
			    metaint(&f, "xsec", 0, 1, &m->pol.xsec)) {
				what = "policy xsec";
				goto bad;
			}
			memcpy(m->pol.p, f.data, m->pol.nparam * sizeof(double));
			m->algo = dupmeta(&f, "algo");
			m->layout = dupmeta(&f, "layout");
			m->from = dupmeta(&f, "from");
			m->to = dupmeta(&f, "to");
			m->hyper = dupmeta(&f, "hyper");
			have |= 1;
		} else if (!strcmp(kind, "tm-model-norm") && (have & 1)) {
			if (have & 2) {
				what = "a second norm frame";
				goto bad;
			}
			if (f.ndim != 2 || f.shape[0] != nf || f.shape[1] != 2 ||
			    !f.labels[0]) {
				what = "norm frame";
				goto bad;
			}
			m->feat = ecalloc(nf + 1, sizeof(char *));
			m->mean = emalloc(nf * sizeof(double));
			m->sd = emalloc(nf * sizeof(double));
			for (int j = 0; j < nf; j++) {
				m->feat[j] = estrdup(f.labels[0][j]);
				m->mean[j] = tm_frame_get(&f, (size_t)j * 2);
				m->sd[j] = tm_frame_get(&f, (size_t)j * 2 + 1);
				if (!isfinite(m->mean[j]) || !(m->sd[j] > 0)) {
					what = "norm frame values";
					goto bad;
				}
			}
			have |= 2;
		} else if (!strcmp(kind, "tm-model-metrics")) {
			if (f.ndim != 2 || f.shape[1] != TM_MODEL_NMETRIC ||
			    f.dtype != TM_F64) {
				what = "metrics frame";
				goto bad;
			}
			free(m->metrics);
			m->nepoch = (int)f.shape[0];
			m->metrics = emalloc(f.nbytes ? f.nbytes : 1);
			memcpy(m->metrics, f.data, f.nbytes);
		}
	}
	if (rc == -1) {
		/* the reader said where and what; its reason is ours */
		tm_fail_as(tm_reader_status(r));
		goto err;
	}
	if (have != 3) {
		what = "policy or norm frame missing";
		goto bad;
	}
	tm_reader_free(r);
	tm_frame_release(&f);
	tm_close_read(fp);
	tm_model_stamp(m);
	return 0;
bad:
	tm_fail(EX_DATAERR, "%s: not a model file: %s", path, what);
err:
	tm_reader_free(r);
	tm_frame_release(&f);
	tm_close_read(fp);
	tm_model_release(m);
	return -1;
}

int
tm_model_columns(const struct tm_model *m, const struct tm_frame *f, int *col)
{
	for (int j = 0; j < m->pol.nfeat; j++)
		if ((col[j] = (int)tm_frame_find_label(f, 1, m->feat[j])) < 0) {
			tm_warn("input has no feature '%s' the model was "
			    "trained on", m->feat[j]);
			return -1;
		}
	return 0;
}
