/* diff.h - tm-diff's portfolio state, its day and its rules. */
#ifndef DIFF_H
#define DIFF_H

#include "tm.h"
#include "tmcore.h"

#define HIST 60		/* days of returns kept for the warnings */

/* Reason codes: indexes into meta.reasons, 0 always policy. */
enum {
	R_POLICY, R_POSITION, R_SECTOR, R_CASH, R_TRADES, R_STOPLOSS,
	R_TIMESTOP, R_PORTSTOP, R_RISKOFF, R_RISKSTOP, R_ARCHIVE, R_NOPRICE,
	R_DELIST, R_RESLOT, R_REGIME, NREASON
};
extern const char *const reason_names[NREASON];

/* A position: the weight held after the last fill (the book's own
 * number), the slot it sits in, and the per-share view derived from it. */
struct pos {
	char *ticker;
	int slot;
	double w, shares, basis, price;
	char entry[11];
	int days, nobar;
};

/* A target left for the next close: per slot, with its ticker. */
struct pend { char *ticker; int slot; double target; int hold; };

struct state {
	int exists;
	char date[11], month[8], model[64], layout[32];
	int N;
	double capital, index, peak, month_start, cash, m1, cost;
	double bench_last;
	struct pos *pos; int npos;
	struct pend *pend; int npend;
	double pend_cash;
	double hret[HIST], hbench[HIST]; int nh;
	int losing;
	int stopleft;		/* applied days still in cash after the
				 * portfolio stop fired (0: not stopped) */
	json_t *journal;	/* the last journal line, for repair */
};

void state_init(struct state *s);
void state_free(struct state *s);
/* Load dir/portfolio.json (0, or 1 when absent); repair the journal when
 * a crash left it one line behind.  Dies EX_DATAERR on a bad file. */
int state_load(struct state *s, const char *dir);
/* Replace dir/portfolio.json atomically, then append s->journal to
 * dir/journal.jsonl. */
void state_save(const struct state *s, const char *dir);
/* Append a reset line. */
void state_journal_reset(const char *dir, const char *date,
    const char *reason);

/* Options. */
struct opts {
	double capital, cost, threshold, maxpos, maxsector, mincash;
	double stoploss, portstop, turb1, turb2, riskcut, kelly;
	double regime[3], hivol, sharpe_limit;
	int maxtrades, timestop, delist, window, sizing, use_regime;
	int stopdays;		/* --stop-days: cash after a portfolio stop */
	unsigned off;		/* bit r: rule r off */
	const char *sectors, *bench;
};
enum { SIZE_POLICY, SIZE_KELLY, SIZE_VOL };

/* One day's rows, slot-indexed over the day's slot frame. */
struct day {
	int N;
	const char **lab;	/* the slot frame's, "" for none */
	float *ret;
	double *close, *w0, *conf, *cur, *tgt, *delta, *shares, *hmu, *hvar;
	double *basis;
	int *reason, *region, *hold, *forced, *days, *action;
	uint8_t *kind;
	const char **sector;
	double turb, value, cash_in, bench_ret;
	int nhist;
};

/* Apply sizing, regime and the risk rules to d->tgt; count into fired. */
void rules_apply(const struct opts *o, const struct state *s, struct day *d,
    int *fired, char *warnings, size_t wlen, char *critical, size_t clen);

#endif
