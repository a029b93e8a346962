/* tm-train - train the portfolio policy on a slot stream (dpg, PPO, A2C,
 * SAC), validate on the held-out tail, stop early, write the model. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cblas.h>

#include "tm.h"
#include "tmcore.h"
#include "train.h"

static void
usage(void)
{
	fprintf(tm_usage_out(), "usage: tm-train [-q] [--adjust a] "
	    "[--arch shared|flat] [--band w]\n"
	    "\t[--batch days] [--cap w] [--cost rate] "
	    "[--epochs n | --steps n]\n"
	    "\t[--fixed-tau] [--from date] [--hidden h1,h2] [--init model]\n"
	    "\t[--init-noise s] [--lr rate] [--market] [--patience n] "
	    "[--reward a,b,d]\n"
	    "\t[--tau t] [--to date] [--valid days] [--window days] [--xsec]\n"
	    "\t--algo %s "
	    "%s%s--seed n -o model\n", trainer_names("|", "|"),
	    trainer_knobs(), *trainer_knobs() ? " " : "");
	tm_usage_exit();
}

static const struct trainer *
find_algo(const char *s)
{
	const struct trainer *tn = trainer_find(s);

	if (!tn)
		tm_die(EX_USAGE, "--algo: '%s': not %s", s,
		    trainer_names(", ", " or "));
	return tn;
}

static void
parse_reward(const char *s, struct tm_reward *rw)
{
	size_t n;
	char **v = tm_split(s, ',', &n);

	if (n != 3)
		tm_die(EX_USAGE, "--reward: '%s': want a,b,d", s);
	rw->a = estrtod(v[0], -100, 100, "--reward a");
	rw->b = estrtod(v[1], -100, 100, "--reward b");
	rw->d = estrtod(v[2], -100, 100, "--reward d");
	tm_strv_free(v);
}

static void
progress(const struct train *tr, int ep, int tty, const double *mt)
{
	if (tr->quiet)
		return;
	fprintf(stderr, "%s%s: epoch %d: train %.5f valid %.5f sharpe %.2f "
	    "return %+.2f%%%s", tty ? "\r" : "", tm_progname(), ep, mt[0],
	    mt[1], mt[2], 100 * mt[3], tty ? "\033[K" : "\n");
}

/* What the command line chose beyond the run's own settings (struct
 * train): the model's shape, its warm start and the input's cut. */
struct opts {
	const struct trainer *tn;
	const char *out, *initp, *from, *to;
	int flat, h1, h2, valid, fixtau, xsec, market;
	int haveseed, haveep, havest;
	double tau, lr, band, adjust, cap;
	double noise;		/* --init-noise: 0 is the exact warm start */
	uint64_t seed;
	char **knobset;		/* the -p settings, read once --algo is known */
	int nknobset;
};

/* --init-noise s: add s times a fresh draw of the MLP's weights (the
 * scale of tm_policy_randinit's; biases, cash and temperature none) to
 * the warm start's, drawn from the run's --seed.  Warm started from one
 * model, a deterministic trainer (dpg) gives the same model whatever the
 * seed, and the monthly job's "best of N seeds" would be one model N
 * times. */
static void
perturb(struct tm_policy *pol, struct tm_rng *r, double s)
{
	double *q = ecalloc(pol->nparam, sizeof(double));

	tm_mlp_randinit(&pol->net, q, r);
	for (size_t i = 0; i < pol->nparam; i++)
		pol->p[i] += s * q[i];
	free(q);
}

/* Options into o and tr (defaults first); a broken rule dies with the
 * rule named, then the synopsis. */
static void
parse_options(int argc, char **argv, struct opts *o, struct train *tr)
{
	enum { O_ADJUST = 256, O_ARCH, O_BAND, O_CAP, O_BATCH, O_COST, O_EPOCHS, O_STEPS, O_FIXTAU,
	    O_XSEC, O_MARKET, O_FROM, O_HIDDEN, O_INIT, O_NOISE, O_LR, O_PATIENCE, O_REWARD, O_TAU, O_TO,
	    O_VALID, O_WINDOW, O_ALGO, O_SEED };
	static const struct option lopts[] = {
		{ "algo", required_argument, NULL, O_ALGO },
		{ "arch", required_argument, NULL, O_ARCH },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "adjust", required_argument, NULL, O_ADJUST },
		{ "band", required_argument, NULL, O_BAND },
		{ "cap", required_argument, NULL, O_CAP },
		{ "xsec", no_argument, NULL, O_XSEC },
		{ "market", no_argument, NULL, O_MARKET },
		{ "cost", required_argument, NULL, O_COST },
		{ "epochs", required_argument, NULL, O_EPOCHS },
		{ "fixed-tau", no_argument, NULL, O_FIXTAU },
		{ "from", required_argument, NULL, O_FROM },
		{ "hidden", required_argument, NULL, O_HIDDEN },
		{ "init", required_argument, NULL, O_INIT },
		{ "init-noise", required_argument, NULL, O_NOISE },
		{ "lr", required_argument, NULL, O_LR },
		{ "param", required_argument, NULL, 'p' },
		{ "patience", required_argument, NULL, O_PATIENCE },
		{ "reward", required_argument, NULL, O_REWARD },
		{ "seed", required_argument, NULL, O_SEED },
		{ "steps", required_argument, NULL, O_STEPS },
		{ "tau", required_argument, NULL, O_TAU },
		{ "to", required_argument, NULL, O_TO },
		{ "valid", required_argument, NULL, O_VALID },
		{ "window", required_argument, NULL, O_WINDOW },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->h1 = 32;
	o->h2 = 16;
	o->valid = 63;
	o->tau = 0.1;
	o->lr = -1;
	o->adjust = 1;
	o->cap = 1;
	memset(tr, 0, sizeof(*tr));
	tr->cost = 0.001;
	tr->rw = (struct tm_reward){ 0.6, 0.3, 0.1, 20 };
	tr->epochs = 30;
	tr->batch = 32;
	tr->patience = 5;
	tr->gamma = 0.99;
	tr->clip = 1.0;
	tr->ent = 0.01;
	while ((c = getopt_long(argc, argv, "o:p:q", lopts, NULL)) != -1)
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'p':
			o->knobset = ereallocarray(o->knobset, o->nknobset + 1,
			    sizeof(char *));
			o->knobset[o->nknobset++] = optarg;
			break;
		case 'q': tr->quiet = 1; break;
		case O_ALGO: o->tn = find_algo(optarg); break;
		case O_ARCH:
			if (!strcmp(optarg, "flat"))
				o->flat = 1;
			else if (strcmp(optarg, "shared"))
				tm_die(EX_USAGE, "--arch: '%s': not shared or "
				    "flat", optarg);
			break;
		case O_BATCH:
			tr->batch = estrtonum(optarg, 2, 10000, "--batch");
			break;
		case O_ADJUST:
			o->adjust = estrtod(optarg, 1e-6, 1, "--adjust");
			break;
		case O_CAP: o->cap = estrtod(optarg, 1e-6, 1, "--cap"); break;
		case O_BAND: o->band = estrtod(optarg, 0, 1, "--band"); break;
		case O_COST: tr->cost = estrtod(optarg, 0, 0.5, "--cost"); break;
		case O_EPOCHS:
			tr->epochs = estrtonum(optarg, 1, 1000000, "--epochs");
			o->haveep = 1;
			break;
		case O_FIXTAU: o->fixtau = 1; break;
		case O_XSEC: o->xsec = 1; break;
		case O_MARKET: o->market = 1; break;
		case O_FROM: o->from = optarg; break;
		case O_HIDDEN: {
			size_t n;
			char **v = tm_split(optarg, ',', &n);

			if (n != 2)
				tm_die(EX_USAGE, "--hidden: '%s': want h1,h2",
				    optarg);
			o->h1 = estrtonum(v[0], 1, 4096, "--hidden h1");
			o->h2 = estrtonum(v[1], 1, 4096, "--hidden h2");
			tm_strv_free(v);
			break;
		}
		case O_INIT: o->initp = optarg; break;
		case O_NOISE:
			o->noise = estrtod(optarg, 0, 10, "--init-noise");
			break;
		case O_LR: o->lr = estrtod(optarg, 1e-9, 10, "--lr"); break;
		case O_PATIENCE:
			tr->patience = estrtonum(optarg, 0, 1000000, "--patience");
			break;
		case O_REWARD: parse_reward(optarg, &tr->rw); break;
		case O_SEED:
			o->seed = estrtonum(optarg, 0, INT64_MAX, "--seed");
			o->haveseed = 1;
			break;
		case O_STEPS:
			tr->steps = estrtonum(optarg, 1, INT64_MAX, "--steps");
			o->havest = 1;
			break;
		case O_TAU: o->tau = estrtod(optarg, 1e-4, 100, "--tau"); break;
		case O_TO: o->to = optarg; break;
		case O_VALID:
			o->valid = estrtonum(optarg, 0, 1000000, "--valid");
			break;
		case O_WINDOW:
			tr->rw.window = estrtonum(optarg, 2, 100000, "--window");
			break;
		default: usage();
		}
	/* Say which rule was broken, then the synopsis. */
	if (!o->tn || !o->haveseed || !o->out || optind != argc ||
	    (o->haveep && o->havest)) {
		tm_warn("%s", !o->tn ? "--algo is required" : !o->haveseed ?
		    "--seed is required (runs are reproducible)" : !o->out ?
		    "-o model is required" : optind != argc ?
		    "no operands: the slot stream is read on stdin" :
		    "--epochs and --steps exclude each other");
		usage();
	}
	if (o->noise > 0 && !o->initp)
		tm_die(EX_USAGE, "--init-noise: no --init model to perturb");
	if (o->from && o->to)	/* a lone date is checked when it is used */
		edate_range(o->from, o->to, NULL, NULL);
	/* The variable the critic knob replaced: refused, not ignored, so
	 * a crontab that still sets it does not train without it unawares. */
	if (getenv("TM_TRAIN_CRITIC"))
		tm_die(EX_USAGE, "TM_TRAIN_CRITIC is gone: use -p critic=0|1");
	knob_parse(o->tn->al, o->knobset, o->nknobset, tr->knob);
	free(o->knobset);
	o->knobset = NULL;
}

/* Load the slot stream on stdin, cut training from validation, and
 * build the model m to train (fresh, or from the warm start init) with
 * its features, normalisation and hyper-parameters. */
static void
setup_model(struct opts *o, struct train *tr, struct tm_model *m,
    struct tm_model *init)
{
	const struct algo *al = o->tn->al;

	/* One BLAS thread: the sums then run in one order, bit for bit. */
	openblas_set_num_threads(1);
	tm_rng_seed(&tr->rng, o->seed);
	if (o->lr < 0)
		o->lr = o->tn->lr;
	tr->lr = o->lr;

	char **feat = NULL;
	if (o->initp) {
		if (tm_model_read(init, o->initp) == -1)
			tm_exit(tm_fail_status());
		feat = init->feat;
	}
	struct tm_reader *r = tm_reader_new(stdin, "<stdin>");
	int32_t d0 = 0, d1 = 0;
	edate_range(o->from, o->to, &d0, &d1);
	if (tm_env_load(&tr->env, r, d0, d1, feat) == -1) {
		/* The reader goes first: a leak report under the sanitizers
		 * would turn the 65 into 99. */
		int st = tm_fail_status();
		tm_reader_free(r);
		tm_exit(st);
	}
	tr->env.band = o->band;
	tm_reader_free(r);
	struct tm_env *e = &tr->env;
	if (o->initp && init->layout && *init->layout && *e->layout &&
	    strcmp(init->layout, e->layout))
		tm_die(EX_DATAERR, "%s: layout '%s', the input is '%s'", o->initp,
		    init->layout, e->layout);

	/* Decisions on t earn ret[t+2]: training decisions earn returns of
	 * days before the validation tail only. */
	int Ttr = e->T - o->valid;
	if (Ttr < 10 || e->T < 12)
		tm_die(EX_DATAERR, "<stdin>: %d days, %d for training: too few",
		    e->T, Ttr);
	tr->t0 = 0;
	tr->t1 = Ttr - 2;
	tr->v0 = Ttr - 2;
	tr->v1 = e->T - 2;
	if (o->havest) {
		long per = tr->t1 - tr->t0;
		tr->epochs = (int)((tr->steps + per - 1) / per);
	}

	tm_model_init(m);
	if (o->initp) {
		m->pol = init->pol;
		init->pol.p = NULL;
		if (m->pol.arch == TM_ARCH_FLAT && m->pol.nslots != e->N)
			tm_die(EX_DATAERR, "%s: flat model of %d slots, the "
			    "input has %d", o->initp, m->pol.nslots, e->N);
		m->mean = init->mean;
		m->sd = init->sd;
		init->mean = init->sd = NULL;
		if (o->fixtau)
			m->pol.learn_tau = 0;
		if (o->noise > 0)
			perturb(&m->pol, &tr->rng, o->noise);
	} else {
		m->mean = emalloc(e->nf * sizeof(double));
		m->sd = emalloc(e->nf * sizeof(double));
		tm_env_stats(e, 0, Ttr, m->mean, m->sd);
		tm_policy_init(&m->pol, o->flat ? TM_ARCH_FLAT : TM_ARCH_SHARED,
		    e->nf, e->N, o->h1, o->h2);
		tm_policy_randinit(&m->pol, &tr->rng, o->tau);
		m->pol.learn_tau = !o->fixtau;
	}
	m->feat = ecalloc(e->nf + 1, sizeof(char *));
	for (int j = 0; j < e->nf; j++)
		m->feat[j] = estrdup(e->feat[j]);
	tm_env_normalise(e, m->mean, m->sd);
	m->nslots = e->N;
	m->layout = estrdup(e->layout);
	m->algo = estrdup(al->name);
	char buf[16];
	m->from = estrdup(tm_date_fmt(e->date[0], buf));
	m->to = estrdup(tm_date_fmt(e->date[Ttr - 1], buf));
	tr->m = m;
	m->pol.adjust = o->adjust;	/* this run's, never the warm start's */
	m->pol.xsec = o->xsec;
	m->pol.cap = o->cap;
	if (o->market) {
		/* The samplers of ppo, a2c and sac read the cash logit as
		 * one parameter: only dpg's gradient knows the market's. */
		if (strcmp(al->name, "dpg"))
			tm_die(EX_USAGE, "--market: dpg only, not %s",
			    al->name);
		tm_policy_market(&m->pol);
	} else if (m->pol.market && strcmp(al->name, "dpg"))
		tm_die(EX_USAGE, "--init: a model with --market: dpg only, "
		    "not %s", al->name);
	tr->pol = &m->pol;

	json_t *hy = json_pack("{s:s, s:s, s:I, s:i, s:f, s:f, s:[f,f,f], "
	    "s:i, s:i, s:i, s:[i,i], s:i, s:b, s:f, s:f, s:f, s:f, s:f, s:b, s:f, s:b}",
	    "algo", al->name, "arch", m->pol.arch == TM_ARCH_FLAT ? "flat" :
	    "shared", "seed", (json_int_t)o->seed, "epochs", tr->epochs, "lr", o->lr,
	    "cost", tr->cost, "reward", tr->rw.a, tr->rw.b, tr->rw.d, "window",
	    tr->rw.window, "batch", tr->batch, "valid", o->valid, "hidden",
	    m->pol.net.h1, m->pol.net.h2, "patience", tr->patience, "warm",
	    o->initp != NULL, "gamma", tr->gamma, "entropy", tr->ent, "clip",
	    tr->clip, "band", o->band, "adjust", o->adjust, "xsec", o->xsec,
	    "cap", o->cap, "market", m->pol.market);
	m->hyper = json_dumps(hy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(hy);
	for (int i = 0; i < al->nknob; i++)
		hyper_set(tr, al->knob[i].name, tr->knob[i]);
	if (o->noise > 0)	/* only then, so other models keep their bytes */
		hyper_set(tr, "init_noise", o->noise);
}

/* Epochs of al on tr until done or validation stops improving; m keeps
 * the best validated weights and the epochs' metrics. */
static void
train_loop(struct train *tr, const struct algo *al, struct tm_model *m)
{
	int tty = isatty(2), bad = 0, ep;
	double best = -INFINITY, *bestp = emalloc(m->pol.nparam * sizeof(double));
	void *st = al->init(tr);
	m->metrics = emalloc((size_t)tr->epochs * TM_MODEL_NMETRIC *
	    sizeof(double));
	memcpy(bestp, m->pol.p, m->pol.nparam * sizeof(double));
	for (ep = 0; ep < tr->epochs; ep++) {
		double *mt = m->metrics + (size_t)ep * TM_MODEL_NMETRIC;

		mt[0] = al->epoch(tr, st);
		mt[1] = evaluate(tr, tr->v0, tr->v1, &mt[2], &mt[3]);
		m->nepoch = ep + 1;
		progress(tr, ep + 1, tty, mt);
		if (!isfinite(mt[0]))
			tm_die(EX_SOFTWARE, "epoch %d: the training reward "
			    "is not finite", ep + 1);
		/* Without a validation tail the last epoch is kept. */
		if (tr->v1 <= tr->v0 || mt[1] > best) {
			best = mt[1];
			bad = 0;
			memcpy(bestp, m->pol.p, m->pol.nparam * sizeof(double));
		} else if (tr->patience && ++bad >= tr->patience) {
			if (!tr->quiet)
				fprintf(stderr, "%s%s: stopped early at epoch "
				    "%d: validation reward %.5f at best\n",
				    tty ? "\n" : "", tm_progname(), ep + 1,
				    best);
			tty = 0;
			break;
		}
	}
	if (tty && !tr->quiet)
		fputc('\n', stderr);
	memcpy(m->pol.p, bestp, m->pol.nparam * sizeof(double));
	al->free(st);
	free(bestp);
}

int
main(int argc, char **argv)
{
	struct train tr;
	struct opts o;
	struct tm_model m, init;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	parse_options(argc, argv, &o, &tr);
	setup_model(&o, &tr, &m, &init);
	train_loop(&tr, o.tn->al, &m);
	if (tm_model_write(&m, o.out) == -1)
		tm_exit(tm_fail_status());	/* 73 cannot create, 74 write */
	if (!tr.quiet)
		fprintf(stderr, "%s: %s: version %s, %zu parameters\n",
		    tm_progname(), o.out, m.version, m.pol.nparam);
	tm_runlog_rows(tr.env.T, 1);
	if (o.initp)
		tm_model_release(&init);
	tm_model_release(&m);
	tm_env_release(&tr.env);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
