#include "tm.h"
#include "train.h"
static void *ni(struct train *tr) { (void)tr; tm_die(EX_SOFTWARE, "not yet"); }
static double ne(struct train *tr, void *v) { (void)tr; (void)v; return 0; }
static void nf(void *v) { (void)v; }
const struct algo algo_sac = { "sac", ni, ne, nf };
