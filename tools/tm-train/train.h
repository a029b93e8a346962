/* train.h - what the trainers of tm-train share: the run, the day
 * buffers, the rollout and evaluation, Adam. */

/* A trainer's own setting (-p name=value), declared in the trainer's
 * file: usage, the errors and the model's hyper-parameters (under name,
 * so not one of the others' names) come from it, and t0442 holds
 * tm-train(1)'s -p list (default and help) to it, reading one row a
 * line.  The value is a number in [lo, hi], a whole one when integer is
 * set; arg is how usage shows the value. */
struct knob {
	const char *name;
	const char *arg;	/* "0|1", "n", ... */
	const char *def;	/* the default, as text */
	double lo, hi;
	int integer;
	const char *help;
};
#define MAXKNOB 8

struct train {
	struct tm_env env;
	struct tm_model *m;
	struct tm_policy *pol;
	int t0, t1;		/* training decisions t in [t0, t1) */
	int v0, v1;		/* validation decisions, [v0, v1) */
	double cost, lr, gamma, clip, ent;
	struct tm_reward rw;
	int epochs, batch, patience;
	long steps;
	struct tm_rng rng;
	int quiet;
	double knob[MAXKNOB];	/* the trainer's knobs, in its table's order */
};

/* One day's forward pass: inputs, activations, scores and weights. */
struct day {
	int t;
	struct tm_decide dec;	/* the shared decision; X, cache, s are its */
	double *X, *cache, *s, *w, wc, *prev, *gw;
};
void day_alloc(const struct train *tr, struct day *d);
void day_free(struct day *d);
/* Inputs of day t from prev (slots whose ticker changed on t reset to 0
 * in prev first), then scores; the head is the caller's (RL samples). */
void day_scores(const struct train *tr, struct day *d, int t, double *prev);
/* The deterministic head on the scores. */
void day_head(const struct train *tr, struct day *d);

/* A running rollout's returns for the hybrid reward. */
struct roll {
	double *r;
	int n;
};
double roll_push(const struct train *tr, struct roll *ro, double r,
    const struct tm_book *b);

/* Deterministic run over decisions [a, b) from all cash: mean daily
 * hybrid reward; annualised Sharpe and total return when not NULL. */
double evaluate(const struct train *tr, int a, int b, double *sharpe,
    double *ret);

struct adam {
	double *m, *v;
	size_t n;
	long t;
};
void adam_init(struct adam *a, size_t n);
void adam_free(struct adam *a);
/* Descend: p -= lr * adam(g); g clipped to global norm clip first. */
void adam_step(struct adam *a, double *p, double *g, double lr, double clip);

/* The exploration noise of ppo, a2c and sac: a learned log standard
 * deviation on the logits, kept between sd 0.01 and sd 0.1 (tau 0.1 makes
 * that one nat).  logstd_step takes one Adam step on it, then clamps. */
#define LOGSTD_MIN -4.6
#define LOGSTD_MAX -2.3
void logstd_step(struct adam *a, double *logstd, double g,
    const struct train *tr);

/* The trainers: one epoch, returning the mean training reward.  init
 * reads its knobs from tr->knob (set from knob[], nknob of them, at most
 * MAXKNOB, before init runs). */
struct algo {
	const char *name;
	void *(*init)(struct train *);
	double (*epoch)(struct train *, void *);
	void (*free)(void *);
	const struct knob *knob;
	int nknob;
};

/* The table of trainers (trainers.c): each with its default Adam step
 * and a one-line description, in the order usage and errors list them. */
struct trainer {
	const struct algo *al;
	double lr;
	const char *desc;
};
extern const struct trainer trainers[];
extern const size_t ntrainers;
/* The trainer named s, or NULL. */
const struct trainer *trainer_find(const char *s);
/* The trainers' names joined: sep between two, last before the final
 * one ("dpg|ppo" or "dpg, ppo or sac"); a static buffer. */
const char *trainer_names(const char *sep, const char *last);
/* Every trainer's knobs for the synopsis, each once in the table's
 * order: "[-p critic=0|1]"; "" when none has any.  A static buffer. */
const char *trainer_knobs(void);
/* The knob values of al into v: the defaults, then the nset "name=value"
 * settings of set in order (the last of a name wins).  A name al does not
 * have, a missing '=' or a value out of its range dies EX_USAGE naming
 * the trainer and its knobs. */
void knob_parse(const struct algo *al, char **set, int nset, double *v);

/* The reward day t would earn from book b with targets w, wc: b is
 * copied into sc (a book of the same size) and left alone; hist holds
 * ro->n + 1 doubles of scratch.  The same day's market, so two actions
 * compared this way differ only by what they chose. */
double peek_step(const struct train *tr, int t, const double *w, double wc,
    const struct tm_book *b, struct tm_book *sc, const struct roll *ro,
    double *hist);
/* Record a trainer's own setting in the model's hyper-parameters. */
void hyper_set(struct train *tr, const char *key, double v);
