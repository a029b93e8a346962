/* sentiment.c - --sentiment R: a synthetic news-sentiment stream whose
 * day t leads the firm-specific part of day t+2's return (the day a
 * decision on t's frame earns), drawn from its own random stream so the
 * other outputs stay byte-identical. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

void
sent_init(struct sent *s, int n, uint64_t seed, double R)
{
	memset(s, 0, sizeof(*s));
	/* Streams 1..10+NSECTOR and 1000+i are the market's. */
	rng_seed(&s->r, seed, 777);
	s->R = R;
	s->n = n;
	for (int k = 0; k < 3; k++) {
		s->adj[k] = ecalloc((size_t)n, sizeof(double));
		s->row[k] = ecalloc((size_t)n, 1);
	}
}

void
sent_free(struct sent *s)
{
	for (int k = 0; k < 3; k++) {
		free(s->adj[k]);
		free(s->row[k]);
	}
}

void
sent_record(struct sent *s, struct market *m, int t)
{
	for (int i = 0; i < s->n; i++) {
		s->row[t % 3][i] = (char)m->st[i].row;
		s->adj[t % 3][i] = m->st[i].row ? m->st[i].v[F_ADJ] : NAN;
	}
}

/* The frame of day t (recorded), led by day lead's returns (recorded,
 * t + 2) or by nothing when lead < 0 (the last two days). */
void
sent_frame(struct sent *s, struct market *m, int t, int lead,
    struct tm_frame *f)
{
	int64_t n = 0, r = 0;
	double sum = 0, sq = 0, cnt = 0, mu = 0, sd = 1;
	double *z = ecalloc((size_t)s->n, sizeof(double));
	char iso[16];

	/* lead's returns, standardised across the tickers that day: the
	 * market's share is gone, what is left is news about the firm. */
	for (int i = 0; i < s->n && lead >= 0; i++) {
		double a = s->adj[lead % 3][i], b = s->adj[(lead - 1) % 3][i];
		z[i] = NAN;
		if (isfinite(a) && isfinite(b) && b > 0) {
			z[i] = log(a / b);
			sum += z[i];
			sq += z[i] * z[i];
			cnt++;
		}
	}
	if (cnt > 1) {
		mu = sum / cnt;
		sd = sqrt(fmax(sq / cnt - mu * mu, 1e-300));
	}
	for (int i = 0; i < s->n; i++)
		n += s->row[t % 3][i];
	tm_frame_shape2(f, TM_F64, "ticker", n, "field", 2);
	tm_frame_set_label(f, 1, 0, "sentiment");
	tm_frame_set_label(f, 1, 1, "articles");
	double *d = f->data;
	for (int i = 0; i < s->n; i++) {
		if (!s->row[t % 3][i])
			continue;
		double zi = lead >= 0 && isfinite(z[i]) ? (z[i] - mu) / sd : 0;
		/* Articles: none 30% of days, else 1 + geometric(1/2), at
		 * most 5; each a noisy reading of zi with a relevance. */
		int k = 0;
		if (rng_unif(&s->r) >= 0.3)
			for (k = 1; k < 5 && rng_unif(&s->r) < 0.5; k++)
				;
		double w = 0, ws = 0;
		for (int j = 0; j < k; j++) {
			double e = rng_norm(&s->r);
			double sc = 0.5 * (s->R * zi + sqrt(1 - s->R * s->R) * e);
			double rel = 0.1 + 0.9 * rng_unif(&s->r);
			sc = sc > 1 ? 1 : sc < -1 ? -1 : sc;
			w += rel;
			ws += rel * sc;
		}
		tm_frame_set_label(f, 0, r, m->st[i].ticker);
		d[r * 2] = k ? ws / w : NAN;
		d[r * 2 + 1] = k;
		r++;
	}
	tm_frame_set_date(f, tm_date_fmt(m->days[t], iso));
	tm_frame_set_meta(f, "source", "tm-synth");
	free(z);
}
