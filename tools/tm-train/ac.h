/* ac.h - the actor-critic state PPO and A2C share (ac.c). */
struct ac {
	int ppo, nsteps, kepochs, mb, N;
	double logstd;			/* of the Gaussian over logits */
	struct tm_mlp critic;
	double *cp, *gc, *ga;		/* critic params and grads, actor grads */
	size_t ncp;
	struct adam aopt, sopt, copt;
	double *X, *a, *g, *logp, *rew, *val, *adv, *ret;	/* rollout */
	int *t, *order;
	double *v, *gs, *ccache, *cwork, *pwork, *prev;
	struct day d;
};
void *ac_init(struct train *tr, int ppo, int nsteps, int kepochs, int mb);
void ac_free(void *v);
double ac_epoch(struct train *tr, void *v);
