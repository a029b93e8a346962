/* train.h - what the trainers of tm-train share: the run, the day
 * buffers, the rollout and evaluation, Adam. */

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

/* The trainers: one epoch, returning the mean training reward. */
struct algo {
	const char *name;
	void *(*init)(struct train *);
	double (*epoch)(struct train *, void *);
	void (*free)(void *);
};
extern const struct algo algo_dpg, algo_ppo, algo_a2c, algo_sac;

/* The table of trainers (trainers.c): each with its default Adam step
 * and a one-line description, in the order usage and errors list them. */
struct trainer {
	const struct algo *al;
	double lr;
	const char *desc;
};
extern const struct trainer trainers[];
extern const size_t ntrainers;

/* The reward day t would earn from book b with targets w, wc: b is
 * copied into sc (a book of the same size) and left alone; hist holds
 * ro->n + 1 doubles of scratch.  The same day's market, so two actions
 * compared this way differ only by what they chose. */
double peek_step(const struct train *tr, int t, const double *w, double wc,
    const struct tm_book *b, struct tm_book *sc, const struct roll *ro,
    double *hist);
/* Record a trainer's own setting in the model's hyper-parameters. */
void hyper_set(struct train *tr, const char *key, double v);
