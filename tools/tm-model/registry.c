/* registry.c - load, check, recover and commit the model registry. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "registry.h"

static const char *const statuses[] = {
	"live", "shadow", "candidate", "retired", NULL
};

char *
reg_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = emalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

const char *
reg_now(void)
{
	static char buf[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

void
reg_lock(struct reg *g, const char *dir)
{
	char *path;

	/* Two runs changing the registry at once would lose one change: the
	 * second gives up (75, try later) rather than wait. */
	if (tm_mkdirs(dir, 0755) == -1)
		tm_die(EX_CANTCREAT, "%s: cannot create the registry", dir);
	path = reg_path(dir, ".tm-model.lock");
	g->lockfd = tm_lock_run(path, "%s: another tm-model is changing this "
	    "registry", dir);
	free(path);
}

const char *
reg_str(const json_t *e, const char *key)
{
	const char *s = json_string_value(json_object_get(e, key));

	return s ? s : "";
}

/* Whether a registry root has the documented shape; why in *why. */
static int
valid(json_t *root, const char **why)
{
	json_t *vs = json_object_get(root, "versions"), *e, *h;
	size_t i, j;
	int live = 0;

	*why = NULL;
	if (!json_is_object(root))
		*why = "not a JSON object";
	else if (!json_is_integer(json_object_get(root, "seq")))
		*why = "no integer seq";
	else if (!json_is_array(vs))
		*why = "no versions array";
	else if (!json_is_array(h = json_object_get(root, "live_history")))
		*why = "no live_history array";
	if (*why)
		return 0;
	json_array_foreach(vs, i, e) {
		const char *st = reg_str(e, "status");
		int ok = 0;

		for (int k = 0; statuses[k]; k++)
			ok |= !strcmp(st, statuses[k]);
		if (!json_is_object(e) || !*reg_str(e, "version") ||
		    !*reg_str(e, "file") || !ok) {
			*why = "a version without version, file or status";
			return 0;
		}
		live += !strcmp(st, "live");
		for (j = 0; j < i; j++)
			if (!strcmp(reg_str(json_array_get(vs, j), "version"),
			    reg_str(e, "version"))) {
				*why = "a version listed twice";
				return 0;
			}
	}
	if (live > 1)
		*why = "more than one live version";
	json_array_foreach(h, i, e)
		if (!json_is_string(e))
			*why = "live_history holds a non-string";
	return *why == NULL;
}

void
reg_load(struct reg *g, const char *dir)
{
	char *path = reg_path(dir, "registry.json");
	json_error_t err;
	const char *why;

	g->dir = estrdup(dir);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		g->root = json_pack("{s:I, s:[], s:[]}", "seq", (json_int_t)0,
		    "versions", "live_history");
	} else if (!(g->root = json_load_file(path, 0, &err)))
		tm_die(EX_DATAERR, "%s:%d: %s", path, err.line, err.text);
	if (!valid(g->root, &why))
		tm_die(EX_DATAERR, "%s: not a registry: %s", path, why);
	g->versions = json_object_get(g->root, "versions");
	g->history = json_object_get(g->root, "live_history");
	free(path);
}

json_t *
reg_find(const struct reg *g, const char *v)
{
	size_t i;
	json_t *e;

	json_array_foreach(g->versions, i, e)
		if (!strcmp(reg_str(e, "version"), v))
			return e;
	return NULL;
}

json_t *
reg_live(const struct reg *g)
{
	size_t i;
	json_t *e;

	json_array_foreach(g->versions, i, e)
		if (!strcmp(reg_str(e, "status"), "live"))
			return e;
	return NULL;
}

/* The seq of the journal's last line, 0 when there is none. */
static json_int_t
journal_seq(const char *path)
{
	json_t *j = tm_jsonl_last(path);
	json_int_t seq = json_integer_value(json_object_get(j, "seq"));

	json_decref(j);
	return seq;
}

/* A model file name this tool writes: 16 hex digits and ".tmt". */
static int
model_name(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == 16 && !strcmp(s + n, ".tmt");
}

void
reg_recover(struct reg *g)
{
	char *jpath = reg_path(g->dir, "journal.jsonl");
	json_int_t seq = json_integer_value(json_object_get(g->root, "seq"));
	json_t *last = json_object_get(g->root, "last");
	DIR *d;
	struct dirent *de;

	/* The registry is committed before its journal line is written:
	 * a kill between the two loses the line, so it is written now. */
	if (last && journal_seq(jpath) < seq) {
		char *s = json_dumps(last, JSON_COMPACT);
		if (tm_append_line(jpath, s) == -1)
			tm_die(EX_IOERR, "%s: cannot append", jpath);
		free(s);
	}
	free(jpath);
	/* With the lock held nobody else is writing: temporary files and
	 * model files no version names are left by interrupted runs. */
	if (!(d = opendir(g->dir)))
		tm_die(EX_NOINPUT, "%s:", g->dir);
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		int orphan = 0;

		if (!strncmp(n, ".registry.json.", 15) ||
		    (n[0] == '.' && strspn(n + 1, "0123456789abcdef") == 16 &&
		    !strncmp(n + 17, ".tmt.", 5)))
			orphan = 1;
		else if (model_name(n)) {
			char v[17];
			memcpy(v, n, 16);
			v[16] = '\0';
			orphan = reg_find(g, v) == NULL;
		}
		if (orphan) {
			char *p = reg_path(g->dir, n);
			unlink(p);
			free(p);
		}
	}
	closedir(d);
}

void
reg_commit(struct reg *g, json_t *j)
{
	char *path = reg_path(g->dir, "registry.json");
	char *jpath = reg_path(g->dir, "journal.jsonl");
	json_int_t seq = json_integer_value(json_object_get(g->root, "seq"));
	struct tm_atomic *a;

	json_object_set_new(j, "seq", json_integer(seq + 1));
	json_object_set_new(g->root, "seq", json_integer(seq + 1));
	json_object_set(g->root, "last", j);
	if (!(a = tm_atomic_open(path, 0644)))
		tm_die(EX_CANTCREAT, "%s: cannot replace", path);
	if (json_dumpf(g->root, tm_atomic_fp(a), JSON_INDENT(2)) == -1 ||
	    fputc('\n', tm_atomic_fp(a)) == EOF) {
		tm_atomic_abort(a);
		tm_die(EX_IOERR, "%s: write error", path);
	}
	if (tm_atomic_commit(a) == -1)
		tm_die(EX_IOERR, "%s: cannot replace", path);
	char *s = json_dumps(j, JSON_COMPACT);
	if (tm_append_line(jpath, s) == -1)
		tm_die(EX_IOERR, "%s: cannot append", jpath);
	free(s);
	json_decref(j);
	free(path);
	free(jpath);
}

void
reg_release(struct reg *g)
{
	json_decref(g->root);
	free(g->dir);
	if (g->lockfd > 0)
		close(g->lockfd);
	memset(g, 0, sizeof(*g));
}
