/*
 * slotmap.h - the parts of tm-slotmap: the layout, the membership events,
 * the slot table that applies them and its state file.
 */
#ifndef SLOTMAP_H
#define SLOTMAP_H

#include <stdint.h>

#include "tm.h"

#define SM_NEW_MONTHS 3		/* new = 1 for this many months after an add */
#define SM_ARCHIVE_MONTHS 12	/* an archived stock frees its slot after */

/* Slot regions, in slot order: active, then archive, then padding
 * (tm.h's enum tm_region, the stream's values). */
enum {
	SM_ACTIVE = TM_REGION_ACTIVE,
	SM_ARCHIVE = TM_REGION_ARCHIVE,
	SM_PADDING = TM_REGION_PADDING
};

struct sm_layout {
	char name[64];		/* "r1000", "r3000" or "A,R,P" */
	int64_t active, archive, padding;
};

/* Parse "r1000", "r3000" or "A,R,P"; returns 0 or -1 (message printed). */
int sm_layout_parse(const char *s, struct sm_layout *l);
int64_t sm_layout_total(const struct sm_layout *l);

/* One membership change, from file:line. */
struct sm_event {
	int32_t date;
	int remove;		/* 1 remove, 0 add */
	char *ticker;
	const char *file;	/* borrowed from the member list */
	long line;
};

/*
 * Everything the -m files say: change events sorted by (date, removes
 * before adds, ticker), and the snapshot members (sorted, unique) from
 * files without an action column.
 */
struct sm_members {
	struct sm_event *ev;
	size_t nev;
	char **snap;
	size_t nsnap;
	const char *snapfile;	/* a file that gave snapshot members */
	char **files;		/* names, owned, for the events' messages */
	size_t nfiles;
};

/* Load one -m file into m; dies 66 when it cannot be read, 65 naming
 * file:line on bad content. */
void sm_members_load(struct sm_members *m, const char *path);
/* The same from len bytes at buf, named name in messages: 0, or -1 with
 * a message, the reason in tm_fail_status() (65 naming file:line); what
 * was read before the bad line stays in m for sm_members_release. */
int sm_members_mem(struct sm_members *m, const void *buf, size_t len,
    const char *name);
/* Sort and check after the last load: 0, or -1 and a message naming
 * both lines of a repeated event (65). */
int sm_members_finish(struct sm_members *m);
void sm_members_release(struct sm_members *m);

struct sm_slot {
	char *ticker;		/* NULL when empty */
	int32_t added;		/* effective date of the add */
	int32_t archived;	/* date of the remove, or -1 while active */
	int seeded;		/* from a snapshot: add date unknown, never new */
};

struct sm_table {
	struct sm_layout lay;
	int64_t nslots;
	struct sm_slot *s;
	int32_t last;		/* date of the last frame applied, or -1 */
	size_t next;		/* first event not applied yet */
	int64_t evicted;	/* archived stocks evicted early (archive full) */
};

void sm_table_init(struct sm_table *t, const struct sm_layout *l);
void sm_table_release(struct sm_table *t);
/*
 * Bring the table to frame date d: apply the pending events dated on or
 * before d, then the archive expiry at d.  Returns 1 when an assignment
 * changed, 0 when not.  Dies 65 on overflow or an inconsistent event.
 */
int sm_table_advance(struct sm_table *t, const struct sm_members *m,
    int32_t d);
/* Skip the events a loaded state has already applied. */
void sm_table_seek(struct sm_table *t, const struct sm_members *m);
int sm_slot_region(const struct sm_table *t, int64_t i);
/* The temporal features of slot i at date d (NaN for an empty slot). */
void sm_slot_temporal(const struct sm_table *t, int64_t i, int32_t d,
    double *isnew, double *tenure);
/* Whole calendar months from a to b (b >= a). */
int sm_months(int32_t a, int32_t b);

/* Hold PATH's lock (.BASE.lock beside it) for the run, or exit 75 when
 * another run holds it; then remove the temporary state files a killed
 * run left. */
void sm_state_lock(const char *path);
/* State file: load (returns 0 when absent, 1 when loaded, -1 with a
 * message and t empty on a bad file: the reason in tm_fail_status(), 66
 * for a directory, 65 for bad content) and save atomically (dies 73/74
 * on failure). */
int sm_state_load(const char *path, struct sm_table *t);
void sm_state_save(const char *path, const struct sm_table *t);


#endif
