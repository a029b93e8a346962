/*
 * mlls.c - the machine-learning long/short strategy: an MLP on price
 * features gives two probabilities, of a profitable long and of a
 * profitable short; a position opens when one passes its threshold and
 * closes at the profit target or the stop.  `tm-strategy fit` trains the
 * MLP and stores it as a TMT file.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

static const char *const featname[MLLS_MAXFEAT] = {
	"sma2", "sma4", "sma8", "sma16", "roc1", "roc2", "roc4", "roc8", "roc16",
	"sent1", "sent2", "sent4", "sent8", "sent16"
};

int
mlls_features(const struct hist *h, int id, int t, double *x)
{
	static const int win[4] = { 2, 4, 8, 16 }, lag[5] = { 1, 2, 4, 8, 16 };
	double c = hist_close(h, id, t);

	if (!isfinite(c) || c <= 0)
		return -1;
	for (int k = 0; k < 4; k++) {
		double s = 0;
		for (int j = 0; j < win[k]; j++)
			s += hist_close(h, id, t - j);
		x[k] = s / win[k] / c - 1;
	}
	for (int k = 0; k < 5; k++)
		x[4 + k] = c / hist_close(h, id, t - lag[k]) - 1;
	for (int k = 0; k < MLLS_NFEAT; k++)
		if (!isfinite(x[k]))
			return -1;
	return 0;
}

/* --------------------------------------------------------- the model */

struct net {
	struct tm_mlp mlp;
	double *p;
	int nf;			/* MLLS_NFEAT, or MLLS_MAXFEAT with sentiment */
	double mean[MLLS_MAXFEAT], sd[MLLS_MAXFEAT];
};

/* The features of ticker id on day t into x (nf of them): the price
 * features, then with a sentiment stream its SMAs; 0 or -1. */
static int
features(int nf, const struct hist *h, const struct senti *S, int id, int t,
    double *x)
{
	if (mlls_features(h, id, t, x))
		return -1;
	return nf > MLLS_NFEAT ? sent_features(S, id, t, x + MLLS_NFEAT) : 0;
}

static double
sigmoid(double z)
{
	return 1 / (1 + exp(-z));
}

/* Write the net atomically: the parameters, then the normalisation. */
static void
net_write(const struct net *m, const char *path, const struct svals *v)
{
	struct tm_atomic *a = tm_atomic_open(path, 0644);
	struct tm_frame f;
	char buf[64];

	if (!a)
		tm_exit(EX_CANTCREAT);
	struct tm_writer *w = tm_writer_new(tm_atomic_fp(a), path, TM_RAW);
	tm_frame_init(&f);
	int64_t np = (int64_t)m->mlp.n;
	const char *ax = "param";
	if (tm_frame_shape(&f, TM_F64, 1, &np, &ax) == -1)
		tm_die(EX_SOFTWARE, "%s: model too large", path);
	memcpy(f.data, m->p, m->mlp.n * sizeof(double));
	tm_frame_set_meta(&f, "kind", "tm-mlls");
	snprintf(buf, sizeof(buf), "%d", m->mlp.h1);
	tm_frame_set_meta(&f, "hidden", buf);
	tm_frame_set_meta(&f, "horizon", v->str[0]);
	tm_frame_set_meta(&f, "profit_target_pct", v->str[1]);
	tm_frame_set_meta(&f, "stop_loss_pct", v->str[2]);
	/* Only a sentiment model says so: price-only files keep their bytes. */
	if (m->nf > MLLS_NFEAT)
		tm_frame_set_meta(&f, "sentiment", "sma1,2,4,8,16");
	int rc = tm_write(w, &f);
	if (tm_frame_shape2(&f, TM_F64, "feature", m->nf, "stat", 2))
		tm_die(EX_SOFTWARE, "%s: model too large", path);
	for (int j = 0; j < m->nf; j++) {
		tm_frame_set_label(&f, 0, j, featname[j]);
		tm_frame_set(&f, (size_t)j * 2, m->mean[j]);
		tm_frame_set(&f, (size_t)j * 2 + 1, m->sd[j]);
	}
	tm_frame_set_label(&f, 1, 0, "mean");
	tm_frame_set_label(&f, 1, 1, "sd");
	tm_frame_set_meta(&f, "kind", "tm-mlls-norm");
	rc |= tm_write(w, &f);
	rc |= tm_writer_end(w);
	tm_writer_free(w);
	tm_frame_release(&f);
	if (rc) {
		tm_atomic_abort(a);
		tm_exit(EX_IOERR);
	}
	if (tm_atomic_commit(a) == -1)
		tm_exit(EX_IOERR);
}

/* Read a model written by net_write; dies 65 / 66 (after freeing what
 * it holds, so a refusal leaks nothing). */
static void
net_read(struct net *m, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct tm_reader *r;
	struct tm_frame f;
	int rc, have = 0, status = 0;

	m->p = NULL;
	if (!fp)
		tm_die(EX_NOINPUT, "mlls: %s:", path);
	r = tm_reader_new(fp, path);
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		const char *k = tm_frame_get_meta(&f, "kind");
		const char *hs = tm_frame_get_meta(&f, "hidden");
		if (k && !strcmp(k, "tm-mlls") && hs && f.ndim == 1 &&
		    f.dtype == TM_F64 && !m->p) {
			int h = atoi(hs);
			if (h < 1 || h > 4096)
				break;
			m->nf = tm_frame_get_meta(&f, "sentiment") ?
			    MLLS_MAXFEAT : MLLS_NFEAT;
			tm_mlp_init(&m->mlp, m->nf, h, h, 2, 0);
			if ((int64_t)m->mlp.n != f.shape[0])
				break;
			m->p = emalloc(m->mlp.n * sizeof(double));
			memcpy(m->p, f.data, m->mlp.n * sizeof(double));
			have |= 1;
		} else if (k && !strcmp(k, "tm-mlls-norm") && f.ndim == 2 &&
		    m->p && f.shape[0] == m->nf && f.shape[1] == 2) {
			for (int j = 0; j < m->nf; j++) {
				m->mean[j] = tm_frame_get(&f, (size_t)j * 2);
				m->sd[j] = tm_frame_get(&f, (size_t)j * 2 + 1);
				if (!(m->sd[j] > 0))
					have |= 4;
			}
			have |= 2;
		}
	}
	if (rc == -1)
		status = tm_reader_status(r);
	else if (have != 3)
		status = EX_DATAERR;
	tm_reader_free(r);
	tm_frame_release(&f);
	fclose(fp);
	if (status) {
		free(m->p);
		m->p = NULL;
		tm_die(status, "mlls: %s: not an mlls model (tm-strategy fit)",
		    path);
	}
}

/* Normalise n rows of features in place. */
static void
normalise(const struct net *m, double *X, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < m->nf; j++) {
			double z = (X[i * m->nf + j] - m->mean[j]) / m->sd[j];
			X[i * m->nf + j] = fmax(-5, fmin(5, z));
		}
}

/* ---------------------------------------------------------------- fit */

static const struct sparam fit_param[] = {
	{ "horizon", P_INT, "10", 1, 1000,
	    "days a trade may take to reach its target" },
	{ "profit_target_pct", P_REAL, "5", 0.01, 1000,
	    "the gain, in percent, that makes a trade profitable" },
	{ "stop_loss_pct", P_REAL, "3", 0.01, 100,
	    "the loss, in percent, that ends it first" },
	{ "hidden", P_INT, "16", 1, 1024, "units of each hidden layer" },
	{ "epochs", P_INT, "50", 1, 100000, "passes over the data" },
	{ "lr", P_REAL, "0.01", 1e-6, 1, "Adam step size" },
	{ "seed", P_INT, "1", 0, 1e15, "seed of the weights and the order" },
	{ "sentiment", P_STR, "", 0, 0,
	    "a sentiment stream: add its SMAs over 1-16 days as features" },
};

/* The labels of a trade entered at day t+1's close: 1 when the target is
 * reached before the stop within the horizon (lab[0] long, lab[1]
 * short); -1 when the future is not all known. */
static int
labels(const struct hist *h, int id, int t, int H, double pt, double sl,
    double *lab)
{
	double e = hist_close(h, id, t + 1);
	int done[2] = { 0, 0 };

	if (!isfinite(e) || e <= 0 || t + 1 + H >= h->T)
		return -1;
	lab[0] = lab[1] = 0;
	for (int s = t + 2; s <= t + 1 + H; s++) {
		double r = hist_close(h, id, s) / e - 1;
		if (!isfinite(r))
			return -1;
		if (!done[0] && (r >= pt || r <= -sl))
			lab[0] = r >= pt, done[0] = 1;
		if (!done[1] && (r <= -pt || r >= sl))
			lab[1] = r <= -pt, done[1] = 1;
	}
	return 0;
}

void
mlls_fit(const struct svals *v, struct tm_reader *r, const char *name,
    const char *out)
{
	struct hist h;
	struct cols k;
	struct tm_frame f;
	int rc, t = 0, *id = NULL, cap = 0;
	uint8_t *ok = NULL;
	int H = (int)v->num[0], hid = (int)v->num[3], epochs = (int)v->num[4];
	double pt = v->num[1] / 100, sl = v->num[2] / 100, lr = v->num[5];
	int nf = v->str[7] && *v->str[7] ? MLLS_MAXFEAT : MLLS_NFEAT;
	struct senti S;

	memset(&S, 0, sizeof(S));
	if (nf > MLLS_NFEAT)
		sent_load(&S, v->str[7]);
	hist_init(&h);
	tm_frame_init(&f);
	while ((rc = tm_read(r, &f)) == 1) {
		find_cols(&f, name, &k);
		if (f.shape[0] > cap) {
			cap = (int)f.shape[0];
			id = ereallocarray(id, cap, sizeof(int));
			ok = ereallocarray(ok, cap, 1);
		}
		take_day(&h, &k, &f, t, id, ok);
		if (nf > MLLS_NFEAT)
			sent_day(&S, &h, t, tm_frame_date(&f));
		t++;
	}
	if (rc == -1)
		tm_exit(tm_reader_status(r));
	tm_frame_release(&f);

	/* Every ticker-day with features and a known outcome. */
	size_t n = 0, ncap = 1024;
	double *X = emalloc(ncap * (size_t)nf * sizeof(double));
	double *Y = emalloc(ncap * 2 * sizeof(double));
	for (int d = 0; d < h.K; d++)
		for (int s = 0; s < h.T; s++) {
			double x[MLLS_MAXFEAT], y[2];
			if (features(nf, &h, &S, d, s, x) || labels(&h, d, s, H,
			    pt, sl, y))
				continue;
			if (n == ncap) {
				ncap *= 2;
				X = ereallocarray(X, ncap * (size_t)nf,
				    sizeof(double));
				Y = ereallocarray(Y, ncap * 2, sizeof(double));
			}
			memcpy(X + n * (size_t)nf, x, (size_t)nf * sizeof(double));
			memcpy(Y + n * 2, y, sizeof(y));
			n++;
		}
	if (n < 10)
		tm_die(EX_DATAERR, "%s: %zu labelled days: too few to fit "
		    "(16 days of history and the horizon are needed)", name, n);

	struct net m;
	struct tm_rng rng;
	m.nf = nf;
	tm_mlp_init(&m.mlp, nf, hid, hid, 2, 0);
	/* Zeroed: tm_mlp_randinit draws the weights only, the biases
	 * start at 0 (uninitialised, the fit was not reproducible). */
	m.p = ecalloc(m.mlp.n, sizeof(double));
	tm_rng_seed(&rng, (uint64_t)v->num[6]);
	tm_mlp_randinit(&m.mlp, m.p, &rng);
	for (int j = 0; j < nf; j++) {
		double s = 0, ss = 0;
		for (size_t i = 0; i < n; i++)
			s += X[i * nf + j];
		s /= n;
		for (size_t i = 0; i < n; i++)
			ss += pow(X[i * nf + j] - s, 2);
		m.mean[j] = s;
		m.sd[j] = sqrt(ss / n) > 1e-12 ? sqrt(ss / n) : 1;
	}
	normalise(&m, X, (int)n);

	/* Adam over shuffled minibatches, binary cross-entropy on the two
	 * sigmoid outputs. */
	enum { B = 256 };
	size_t np = m.mlp.n, *ord = emalloc(n * sizeof(size_t));
	double *g = emalloc(np * sizeof(double)), *m1 = ecalloc(np, 8);
	double *m2 = ecalloc(np, 8), *xb = emalloc(B * (size_t)nf * 8);
	double *yb = emalloc(B * 2 * 8), *dy = emalloc(B * 2 * 8);
	double *cache = emalloc((size_t)B * 2 * hid * 8);
	double *work = emalloc((size_t)B * 2 * hid * 8);
	long step = 0;
	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	for (int ep = 0; ep < epochs; ep++) {
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = tm_rng_next(&rng) % (i + 1), tmp = ord[i];
			ord[i] = ord[j], ord[j] = tmp;
		}
		for (size_t b0 = 0; b0 < n; b0 += B) {
			int nb = n - b0 < B ? (int)(n - b0) : B;
			for (int i = 0; i < nb; i++)
				memcpy(xb + i * nf, X + ord[b0 + i] * nf,
				    (size_t)nf * sizeof(double));
			tm_mlp_forward(&m.mlp, m.p, xb, nb, cache, yb);
			for (int i = 0; i < 2 * nb; i++)
				dy[i] = (sigmoid(yb[i]) - Y[ord[b0 + i / 2] * 2 +
				    i % 2]) / nb;
			memset(g, 0, np * sizeof(double));
			tm_mlp_backward(&m.mlp, m.p, xb, nb, cache, dy, g, NULL,
			    work);
			step++;
			double c1 = 1 - pow(0.9, step), c2 = 1 - pow(0.999, step);
			for (size_t q = 0; q < np; q++) {
				m1[q] = 0.9 * m1[q] + 0.1 * g[q];
				m2[q] = 0.999 * m2[q] + 0.001 * g[q] * g[q];
				m.p[q] -= lr * (m1[q] / c1) /
				    (sqrt(m2[q] / c2) + 1e-8);
			}
		}
	}
	net_write(&m, out, v);
	free(ord), free(g), free(m1), free(m2), free(xb), free(yb), free(dy);
	free(cache), free(work), free(X), free(Y), free(m.p);
	free(id), free(ok);
	hist_release(&h);
	sent_free(&S);
}

const struct strategy strat_fit = {
	"fit", "train the MLP of mlls (tm-strategy fit -o model)", fit_param,
	8, NULL, NULL, NULL
};

/* --------------------------------------------------------- strategy */

static const struct sparam param[] = {
	{ "model", P_STR, "mlls.tmt", 0, 0,
	    "the model file written by tm-strategy fit" },
	{ "long_threshold", P_REAL, "0.6", 0, 1,
	    "probability of a profitable long that opens one" },
	{ "short_threshold", P_REAL, "0.6", 0, 1,
	    "probability of a profitable short that opens one" },
	{ "profit_target_pct", P_REAL, "5", 0.01, 1000,
	    "gain, in percent of the entry close, that closes a trade" },
	{ "stop_loss_pct", P_REAL, "3", 0.01, 100,
	    "loss, in percent of the entry close, that closes a trade" },
	{ "size", P_REAL, "1", 0, 10,
	    "gross weight, shared equally by the tradable tickers" },
	{ "sentiment", P_STR, "", 0, 0,
	    "the sentiment stream, for a model fit with one" },
};

struct st {
	struct net m;
	double lt, st, pt, sl, size;
	signed char *pos;
	double *entry, *prob;
	int cap, rcap;
	double *X, *Y, *cache;
	int *row;
	struct senti S;
};

static void *
init(const struct svals *v)
{
	struct net m;
	struct st *s;

	net_read(&m, v->str[0]);
	s = ecalloc(1, sizeof(*s));
	s->m = m;
	s->lt = v->num[1];
	s->st = v->num[2];
	s->pt = v->num[3] / 100;
	s->sl = v->num[4] / 100;
	s->size = v->num[5];
	int want = v->str[6] && *v->str[6];
	if (want != (m.nf > MLLS_NFEAT)) {
		free(m.p);
		free(s);
		tm_die(EX_USAGE, "mlls: %s: %s", v->str[0], want ?
		    "fit without sentiment: drop sentiment=" :
		    "fit with sentiment: give sentiment=FILE");
	}
	if (want)
		sent_load(&s->S, v->str[6]);
	return s;
}

static void
day(void *p, const struct sday *d, double *w, double *conf)
{
	struct st *s = p;
	int c1 = s->cap, c2 = s->cap, nr = 0;

	s->pos = grow_ids(s->pos, &s->cap, d->h->K, 1);
	s->entry = grow_ids(s->entry, &c1, d->h->K, sizeof(double));
	s->prob = grow_ids(s->prob, &c2, d->h->K, sizeof(double));
	if (s->m.nf > MLLS_NFEAT)
		sent_day(&s->S, d->h, d->t, d->date);
	if (d->n > s->rcap) {
		int h = s->m.mlp.h1;
		s->rcap = d->n;
		s->X = ereallocarray(s->X, d->n, (size_t)s->m.nf *
		    sizeof(double));
		s->Y = ereallocarray(s->Y, d->n, 2 * sizeof(double));
		s->cache = ereallocarray(s->cache, d->n, 2 * h * sizeof(double));
		s->row = ereallocarray(s->row, d->n, sizeof(int));
	}
	/* Exits first, on today's close against the entry close. */
	for (int i = 0; i < d->n; i++) {
		int id = d->id[i];
		if (id < 0 || !d->ok[i])
			continue;
		double c = hist_close(d->h, id, d->t), e = s->entry[id];
		if ((s->pos[id] == 1 && (c >= e * (1 + s->pt) ||
		    c <= e * (1 - s->sl))) || (s->pos[id] == -1 &&
		    (c <= e * (1 - s->pt) || c >= e * (1 + s->sl)))) {
			/* Closed today: a new trade waits for tomorrow. */
			s->pos[id] = 0;
			continue;
		}
		if (s->pos[id] == 0 && !features(s->m.nf, d->h, &s->S, id,
		    d->t, s->X + nr * s->m.nf))
			s->row[nr++] = i;
	}
	if (nr) {
		normalise(&s->m, s->X, nr);
		tm_mlp_forward(&s->m.mlp, s->m.p, s->X, nr, s->cache, s->Y);
	}
	for (int k = 0; k < nr; k++) {
		int i = s->row[k], id = d->id[i];
		double pl = sigmoid(s->Y[2 * k]), ps = sigmoid(s->Y[2 * k + 1]);
		/* When both pass their thresholds the likelier side wins. */
		if (pl > s->lt && (ps <= s->st || pl >= ps))
			s->pos[id] = 1, s->prob[id] = pl;
		else if (ps > s->st)
			s->pos[id] = -1, s->prob[id] = ps;
		else
			continue;
		s->entry[id] = hist_close(d->h, id, d->t);
	}
	hold_weights(d, s->pos, s->prob, s->size, w, conf);
}

static void
fin(void *p)
{
	struct st *s = p;

	free(s->m.p), free(s->pos), free(s->entry), free(s->prob);
	free(s->X), free(s->Y), free(s->cache), free(s->row);
	sent_free(&s->S);
	free(s);
}

const struct strategy strat_mlls = {
	"mlls", "MLP long/short with profit target and stop", param, 7,
	init, day, fin
};
