/* tmt-slots - write a synthetic slot stream for the tm-train/tm-infer tests.
 *
 * usage: tmt-slots [-a archive] [-d days] [-f features] [-k signal]
 *            [-m] [-n slots] [-p padding] [-r every] [-s seed] [-x day]
 *
 * n active slots, then a archive and p padding slots; features f0..f{F-1}
 * are N(0,1) noise, except that f0 at day t predicts ret at day t+2:
 * ret[t+2] = 0.0003 + 0.008 m + 0.01 (k f0[t] + sqrt(1-k^2) e), with m
 * a market factor common to all slots that day, so equal weight has a
 * plausible Sharpe (about 0.6) and not that of 100 independent bets; the execution
 * timing of tm-train (decide on t, trade at the close of t+1, earn t+2).
 * -k 0 is pure noise.  With -r every, one active slot changes its ticker
 * every so many days (reconstitution); archive slots hold old tickers.
 * With -m too, the replaced ticker moves to the next archive slot in
 * turn, its price series going on there, and that slot's ticker leaves
 * (as tm-slotmap archives a removed stock).
 * With -x day, the generator is reseeded on that day: the same stream up
 * to the day before, another future (for look-ahead tests).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tm.h"
#include "tmcore.h"

int
main(int argc, char **argv)
{
	int nact = 100, narch = 0, npad = 0, days = 300, nf = 4, every = 0, c;
	int alter = -1, move = 0, nmoved = 0;
	double k = 0.3;
	uint64_t seed = 1;
	struct tm_rng r;

	tm_setprogname(argv[0]);
	while ((c = getopt(argc, argv, "a:d:f:k:mn:p:r:s:x:")) != -1)
		switch (c) {
		case 'a': narch = estrtonum(optarg, 0, 100000, "archive"); break;
		case 'd': days = estrtonum(optarg, 3, 100000, "days"); break;
		case 'f': nf = estrtonum(optarg, 1, 1000, "features"); break;
		case 'k': k = estrtod(optarg, 0, 1, "signal"); break;
		case 'n': nact = estrtonum(optarg, 1, 100000, "slots"); break;
		case 'p': npad = estrtonum(optarg, 0, 100000, "padding"); break;
		case 'm': move = 1; break;
		case 'r': every = estrtonum(optarg, 0, 100000, "every"); break;
		case 's': seed = estrtonum(optarg, 0, 1LL << 62, "seed"); break;
		case 'x': alter = estrtonum(optarg, 0, 100000, "day"); break;
		default:
			fprintf(stderr, "usage: tmt-slots [-a archive] [-d days] "
			    "[-f features] [-k signal] [-m] [-n slots] [-p padding] "
			    "[-r every] [-s seed] [-x day]\n");
			exit(EX_USAGE);
		}
	int N = nact + narch + npad, W = nf + 5;
	tm_rng_seed(&r, seed);
	double *f0 = ecalloc((size_t)days * N, sizeof(double));
	double *close = emalloc(N * sizeof(double));
	int *tick = emalloc(N * sizeof(int)), next = N;
	struct tm_writer *w = tm_writer_new(stdout, "<stdout>", TM_RAW);
	struct tm_frame f;
	int32_t day = tm_date_from_ymd(2020, 1, 2);
	char buf[32];

	for (int i = 0; i < N; i++) {
		close[i] = 100;
		tick[i] = i;
	}
	tm_frame_init(&f);
	for (int t = 0; t < days; t++) {
		if (tm_frame_shape2(&f, TM_F32, "slot", N, "feature", W) == -1)
			tm_die(EX_SOFTWARE, "frame too large");
		for (int j = 0; j < nf; j++) {
			snprintf(buf, sizeof(buf), "f%d", j);
			tm_frame_set_label(&f, 1, j, buf);
		}
		tm_frame_set_label(&f, 1, nf, "close");
		tm_frame_set_label(&f, 1, nf + 1, "ret");
		tm_frame_set_label(&f, 1, nf + 2, "new");
		tm_frame_set_label(&f, 1, nf + 3, "tenure");
		tm_frame_set_label(&f, 1, nf + 4, "region");
		if (t == alter)
			tm_rng_seed(&r, seed ^ 0x5eed5eedULL);
		double mkt = tm_rng_normal(&r);
		if (every && t > 0 && t % every == 0) {
			int i = (t / every * 7) % nact;

			if (move && narch) {
				int a = nact + nmoved++ % narch;

				tick[a] = tick[i];
				close[a] = close[i];
				close[i] = 100;
			}
			tick[i] = next++;
		}
		for (int i = 0; i < N; i++) {
			size_t o = (size_t)i * W;
			int reg = i < nact ? 0 : i < nact + narch ? 1 : 2;

			if (reg == 2) {
				tm_frame_set_label(&f, 0, i, "");
				tm_frame_set(&f, o + nf + 4, 2);
				continue;
			}
			snprintf(buf, sizeof(buf), "S%05d", tick[i]);
			tm_frame_set_label(&f, 0, i, buf);
			double x0 = tm_rng_normal(&r);
			f0[(size_t)t * N + i] = x0;
			tm_frame_set(&f, o, x0);
			for (int j = 1; j < nf; j++)
				tm_frame_set(&f, o + j, tm_rng_normal(&r));
			double e = tm_rng_normal(&r), ret = 0.0003 + 0.008 * mkt +
			    0.01 *
			    (t >= 2 ? k * f0[(size_t)(t - 2) * N + i] +
			    sqrt(1 - k * k) * e : e);
			close[i] *= 1 + ret;
			tm_frame_set(&f, o + nf, close[i]);
			tm_frame_set(&f, o + nf + 1, ret);
			tm_frame_set(&f, o + nf + 2, 0);
			tm_frame_set(&f, o + nf + 3, reg ? -1 : 12);
			tm_frame_set(&f, o + nf + 4, reg);
		}
		tm_frame_set_date(&f, tm_date_fmt(day, buf));
		tm_frame_set_meta(&f, "layout", "synth");
		if (tm_write(w, &f) == -1)
			exit(EX_IOERR);
		day = tm_trading_next(day);
	}
	if (tm_writer_end(w) == -1)
		exit(EX_IOERR);
	tm_writer_free(w);
	tm_frame_release(&f);
	free(f0);
	free(close);
	free(tick);
	efshut(stdout, "<stdout>");
	return 0;
}
