/*
 * state.c - the state file: the layout, the date of the last frame
 * applied, and every occupied slot, as JSON.  Saved with tm_atomic_*, so
 * after a crash (even kill -9) the file is the whole old state or the whole
 * new one.
 *
 *   {"version": 1, "layout": {"name": "r1000", "active": 1000,
 *    "archive": 100, "padding": 100}, "last": "2020-01-02",
 *    "slots": [{"slot": 0, "ticker": "AAPL", "added": "2019-06-24",
 *               "archived": null, "seeded": false}, ...]}
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slotmap.h"

/* The date at key into *d (-1 for null or absent when nullable); 0, or
 * -1 with a message. */
static int
get_date(const char *path, json_t *o, const char *key, int nullable,
    int32_t *d)
{
	json_t *v = json_object_get(o, key);

	if (nullable && (v == NULL || json_is_null(v))) {
		*d = -1;
		return 0;
	}
	if (!json_is_string(v) || tm_date_parse(json_string_value(v), d) == -1)
		return tm_fail(EX_DATAERR, "state %s: \"%s\" is not a date",
		    path, key);
	return 0;
}

/* The integer at key, in [lo, hi], into *n; 0, or -1 with a message. */
static int
get_int(const char *path, json_t *o, const char *key, json_int_t lo,
    json_int_t hi, json_int_t *n)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return tm_fail(EX_DATAERR, "state %s: \"%s\" is not a count "
		    "in [%lld, %lld]", path, key, (long long)lo, (long long)hi);
	*n = json_integer_value(v);
	return 0;
}

static int
strpcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 0, or -1 with a message when a ticker holds two slots.  Sorted, not
 * each slot against every other: a state may hold a million slots. */
static int
twice(const char *path, const struct sm_table *t)
{
	char **v = ereallocarray(NULL, (size_t)t->nslots, sizeof(char *));
	size_t n = 0;
	int rc = 0;

	for (int64_t i = 0; i < t->nslots; i++)
		if (t->s[i].ticker)
			v[n++] = t->s[i].ticker;
	if (n > 1)
		qsort(v, n, sizeof(char *), strpcmp);
	for (size_t i = 1; i < n && rc == 0; i++)
		if (strcmp(v[i - 1], v[i]) == 0)
			rc = tm_fail(EX_DATAERR, "state %s: %s in two slots",
			    path, v[i]);
	free(v);
	return rc;
}

/* The table a parsed state describes, into t (initialised here, released
 * on failure by the caller); 0, or -1 with a message. */
static int
from_json(const char *path, json_t *root, struct sm_table *t)
{
	json_t *lay, *name, *slots, *e;
	struct sm_layout l;
	json_int_t v, a, r, p;
	size_t k;

	if (!json_is_object(root) || get_int(path, root, "version", 1, 1,
	    &v) == -1)
		return tm_fail(EX_DATAERR, "state %s: not a tm-slotmap state",
		    path);
	lay = json_object_get(root, "layout");
	name = json_object_get(lay, "name");
	if (!json_is_object(lay) || !json_is_string(name))
		return tm_fail(EX_DATAERR, "state %s: no layout", path);
	/* Cut short, the name would be another (or half a character,
	 * which the save at the end of the run cannot write). */
	if (json_string_length(name) >= sizeof(l.name))
		return tm_fail(EX_DATAERR, "state %s: layout name longer than "
		    "%zu bytes", path, sizeof(l.name) - 1);
	memset(&l, 0, sizeof(l));
	snprintf(l.name, sizeof(l.name), "%s", json_string_value(name));
	if (get_int(path, lay, "active", 1, 1000000, &a) == -1 ||
	    get_int(path, lay, "archive", 0, 1000000, &r) == -1 ||
	    get_int(path, lay, "padding", 0, 1000000, &p) == -1)
		return -1;
	l.active = a;
	l.archive = r;
	l.padding = p;
	sm_table_init(t, &l);
	if (get_date(path, root, "last", 1, &t->last) == -1)
		return -1;
	slots = json_object_get(root, "slots");
	if (!json_is_array(slots))
		return tm_fail(EX_DATAERR, "state %s: no slots array", path);
	json_array_foreach(slots, k, e) {
		json_int_t i;
		struct sm_slot *s;
		json_t *tk = json_object_get(e, "ticker");

		if (!json_is_object(e))
			return tm_fail(EX_DATAERR, "state %s: slot entry %zu is "
			    "not an object", path, k);
		if (get_int(path, e, "slot", 0, l.active + l.archive - 1,
		    &i) == -1)
			return -1;
		s = &t->s[i];
		if (s->ticker)
			return tm_fail(EX_DATAERR, "state %s: slot %lld twice",
			    path, (long long)i);
		if (!json_is_string(tk) || json_string_length(tk) == 0 ||
		    json_string_length(tk) >= TM_MAX_LABEL)
			return tm_fail(EX_DATAERR, "state %s: slot %lld: bad "
			    "ticker", path, (long long)i);
		if (get_date(path, e, "added", 0, &s->added) == -1 ||
		    get_date(path, e, "archived", 1, &s->archived) == -1)
			return -1;
		s->seeded = json_is_true(json_object_get(e, "seeded"));
		/* Archived stocks live in the archive region and only there. */
		if ((s->archived != -1) != (sm_slot_region(t, i) == SM_ARCHIVE))
			return tm_fail(EX_DATAERR, "state %s: slot %lld: archive "
			    "date and region disagree", path, (long long)i);
		s->ticker = estrdup(json_string_value(tk));
	}
	return twice(path, t);
}

int
sm_state_load(const char *path, struct sm_table *t)
{
	json_error_t err;
	json_t *root;
	struct stat st;

	memset(t, 0, sizeof(*t));
	if (access(path, F_OK) == -1 && errno == ENOENT)
		return 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return tm_fail(EX_NOINPUT, "state %s: is a directory, not a "
		    "state file", path);
	if ((root = json_load_file(path, 0, &err)) == NULL)
		return tm_fail(EX_DATAERR, "state %s:%d: %s", path, err.line,
		    err.text);
	if (from_json(path, root, t) == -1) {
		json_decref(root);
		sm_table_release(t);
		return -1;
	}
	json_decref(root);
	return 1;
}

void
sm_state_save(const char *path, const struct sm_table *t)
{
	char b1[11], b2[11];
	json_t *root, *slots;
	struct tm_atomic *a;

	slots = json_array();
	for (int64_t i = 0; i < t->nslots; i++) {
		const struct sm_slot *s = &t->s[i];
		if (s->ticker == NULL)
			continue;
		json_array_append_new(slots, json_pack("{sI ss ss so sb}",
		    "slot", (json_int_t)i, "ticker", s->ticker,
		    "added", tm_date_fmt(s->added, b1),
		    "archived", s->archived == -1 ? json_null() :
		    json_string(tm_date_fmt(s->archived, b2)),
		    "seeded", s->seeded));
	}
	root = json_pack("{si s{ss sI sI sI} so so}", "version", 1,
	    "layout", "name", t->lay.name, "active", (json_int_t)t->lay.active,
	    "archive", (json_int_t)t->lay.archive,
	    "padding", (json_int_t)t->lay.padding,
	    "last", t->last == -1 ? json_null() :
	    json_string(tm_date_fmt(t->last, b1)), "slots", slots);
	if (root == NULL)
		tm_die(EX_SOFTWARE, "state %s: cannot build the JSON", path);
	if ((a = tm_atomic_open(path, 0644)) == NULL)
		tm_die(EX_CANTCREAT, "state %s: cannot write", path);
	/* Indented, so two states diff line by line. */
	if (json_dumpf(root, tm_atomic_fp(a), JSON_INDENT(1) |
	    JSON_PRESERVE_ORDER) == -1 || fputc('\n', tm_atomic_fp(a)) == EOF) {
		tm_atomic_abort(a);
		tm_die(EX_IOERR, "state %s: write error", path);
	}
	if (tm_atomic_commit(a) == -1)
		tm_die(EX_IOERR, "state %s: not replaced", path);
	json_decref(root);
}

void
sm_state_lock(const char *path)
{
	char *copy = estrdup(path), *slash = strrchr(copy, '/');
	const char *dir = slash ? (*slash = '\0', *copy ? copy : "/") : ".";
	const char *base = slash ? slash + 1 : copy;
	char lock[4200];
	int swept = 0;
	DIR *d;
	struct dirent *de;
	size_t bl = strlen(base);

	/* Two runs on one state would each save their own: the second
	 * goes away to be retried (75), never blocks. */
	snprintf(lock, sizeof(lock), "%s/.%s.lock", dir, base);
	tm_lock_run(lock, "state %s: another tm-slotmap is using it", path);
	/* fd stays open, the lock held, until exit.  No other run writes
	 * now, so a temporary ".BASE.XXXXXX" (tm_atomic_open's name) is
	 * the orphan of a killed run. */
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			const char *n = de->d_name;
			if (n[0] == '.' && strncmp(n + 1, base, bl) == 0 &&
			    n[1 + bl] == '.' && strlen(n + 2 + bl) == 6 &&
			    strcmp(n + 2 + bl, "lock") != 0) {
				char p[4200];
				snprintf(p, sizeof(p), "%s/%s", dir, n);
				swept += unlink(p) == 0;
			}
		}
		closedir(d);
	}
	if (swept)
		tm_warn("state %s: removed %d temporary files of an "
		    "interrupted run", path, swept);
	free(copy);
}
