/*
 * registry.h - the model registry of tm-model: data/models/registry.json
 * (replaced atomically), journal.jsonl (one line per change) and the
 * model files, all in one folder (see man/tm-model.1).
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include "tm.h"
#include "tmcore.h"

struct reg {
	char *dir;
	json_t *root;		/* {seq, versions [...], live_history [...],
				 * last {...}} */
	json_t *versions;	/* borrowed from root */
	json_t *history;	/* borrowed: earlier live versions, oldest
				 * first */
	int lockfd;
};

/* Take the folder's lock (creating the folder), or die EX_TEMPFAIL when
 * another tm-model holds it. */
void reg_lock(struct reg *g, const char *dir);
/* Load and check registry.json (an empty registry when absent); dies
 * EX_DATAERR on a registry that is not valid. */
void reg_load(struct reg *g, const char *dir);
/* Under the lock: journal a change whose line a kill -9 lost, and remove
 * temporary and unregistered model files of interrupted runs. */
void reg_recover(struct reg *g);
/* The entry of version v, or NULL.  Borrowed. */
json_t *reg_find(const struct reg *g, const char *v);
/* The live entry, or NULL. */
json_t *reg_live(const struct reg *g);
const char *reg_str(const json_t *e, const char *key);
/* Commit one change: bump seq, record the journal object j (stolen) as
 * root.last, replace registry.json atomically, then append j to
 * journal.jsonl.  Dies EX_CANTCREAT / EX_IOERR on failure. */
void reg_commit(struct reg *g, json_t *j);
void reg_release(struct reg *g);
/* The current UTC time as ISO 8601, in a static buffer. */
const char *reg_now(void);
/* dir/name into a new string. */
char *reg_path(const char *dir, const char *name);

#endif
