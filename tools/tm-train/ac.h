/* ac.h - what PPO and A2C share (ac.c): a Gaussian over the scorer's
 * logits, K draws a day scored against the deterministic action on the
 * same day (paired baseline), and the policy-gradient update. */
struct ac {
	int ppo, nsteps, kepochs, mb, N, K;
	double logstd;			/* of the Gaussian over logits */
	struct adam aopt, sopt;
	double *ga;			/* actor grads */
	double *X, *a, *logp, *adv;	/* rollout: days, days*K draws */
	int *t, *order;
	double *gs, *pwork, *prev, *w, *z, *hist;
	double *nz;			/* a draw's normals, N + 1 */
	struct tm_book scratch;
	struct day d;
	/* The critic (ac.c): a linear value of the post-decision state,
	 * refit by decayed ridge regression on TD(lambda) returns. */
	int critic, dphi;
	double lambda, ev_se, ev_ss, ev_s, ev_n;
	double *cw, *cA, *cb, *cM;	/* weights, normal equations, scratch */
	double *phi, *R, *dv, *pool;	/* rollout: (nsteps+1)*dphi, nsteps,
					 * nsteps*K, dphi */
};
void *ac_init(struct train *tr, int ppo, int nsteps, int kepochs, int mb,
    int K, int critic);
void ac_free(void *v);
double ac_epoch(struct train *tr, void *v);
