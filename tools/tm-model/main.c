/*
 * tm-model - the model registry: list, add, promote, shadow, retire,
 * roll back and approve model versions (see man/tm-model.1).
 *
 * Every change runs under the folder's lock, replaces registry.json
 * atomically and is journaled, so a kill at any instant leaves the old
 * registry or the new one.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry.h"

#define KEEP 20

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fputs("usage: tm-model [-d dir] list [--json]\n"
	    "       tm-model [-d dir] live\n"
	    "       tm-model [-d dir] [--keep n] add [--status status] "
	    "[--seed n] [--gate json]\n"
	    "                file\n"
	    "       tm-model [-d dir] promote [--require-approval] version\n"
	    "       tm-model [-d dir] shadow | retire | approve version\n"
	    "       tm-model [-d dir] rollback [version]\n", tm_usage_out());
	tm_usage_exit();
}

struct opts {
	const char *dir, *status, *gate;
	long long seed;
	int keep, json, need_approval;
};

/* A new journal object for one change of version v. */
static json_t *
change(const char *action, const char *v, const char *from, const char *to)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "time", reg_now(),
	    "action", action, "version", v, "from", from, "to", to);
}

static json_t *
need(const struct reg *g, const char *v)
{
	json_t *e = reg_find(g, v);

	if (!e)
		tm_die(EX_NOINPUT, "%s: no version %s in the registry", g->dir,
		    v);
	return e;
}

/* Make e the live version; the old live one is retired and, unless this
 * is a rollback, remembered in live_history. */
static void
make_live(struct reg *g, json_t *e, int remember, json_t *j)
{
	json_t *old = reg_live(g);

	if (old) {
		json_object_set_new(old, "status", json_string("retired"));
		json_object_set_new(j, "retired", json_string(reg_str(old,
		    "version")));
		if (remember)
			json_array_append_new(g->history,
			    json_string(reg_str(old, "version")));
	}
	json_object_set_new(e, "status", json_string("live"));
	json_object_set_new(e, "live_since", json_string(reg_now()));
}

static void
set_status(json_t *e, const char *st)
{
	json_object_set_new(e, "status", json_string(st));
}

/* Whether pruning must keep e whatever its age: the live version, a
 * shadow (the daily job runs it and its paper portfolio would lose its
 * model mid-trial) and an approved candidate (a human's decision waiting
 * for a promote).  Without this a small --keep could remove them. */
static int
protected(const json_t *e)
{
	const char *st = reg_str(e, "status");

	return !strcmp(st, "live") || !strcmp(st, "shadow") ||
	    (!strcmp(st, "candidate") &&
	    json_is_true(json_object_get(e, "approved")));
}

/* Drop the oldest unprotected versions past keep, never the newest (the
 * one just added: an add must not remove its own version), so the
 * registry stays larger than keep when the protected ones alone exceed
 * it; their files are removed once the registry no longer names them. */
static char **
prune(struct reg *g, int keep, json_t *j)
{
	char **gone = ecalloc(json_array_size(g->versions) + 1,
	    sizeof(char *));
	int n = 0;
	json_t *list = json_array();

	while ((int)json_array_size(g->versions) > keep) {
		size_t i;
		json_t *e = NULL;
		size_t last = json_array_size(g->versions) - 1;

		for (i = 0; i < last; i++)
			if (!protected(e = json_array_get(g->versions, i)))
				break;
		if (i == last)
			break;
		gone[n++] = reg_path(g->dir, reg_str(e, "file"));
		json_array_append_new(list, json_string(reg_str(e, "version")));
		/* An earlier live version that is gone can't be rolled to. */
		for (size_t k = json_array_size(g->history); k-- > 0;)
			if (!strcmp(json_string_value(json_array_get(g->history,
			    k)), reg_str(e, "version")))
				json_array_remove(g->history, k);
		json_array_remove(g->versions, i);
	}
	if (n)
		json_object_set_new(j, "pruned", list);
	else
		json_decref(list);
	return gone;
}

/* The metrics of the epoch tm-train kept: the first best validation
 * reward (the last epoch without a validation tail). */
static json_t *
metrics(const struct tm_model *m)
{
	static const char *names[TM_MODEL_NMETRIC] = {
		"train_reward", "valid_reward", "valid_sharpe", "valid_return"
	};
	json_t *o = json_object();
	int best = -1;

	for (int e = 0; e < m->nepoch; e++) {
		double v = m->metrics[e * TM_MODEL_NMETRIC + 1];
		if (isfinite(v) && (best < 0 ||
		    v > m->metrics[best * TM_MODEL_NMETRIC + 1]))
			best = e;
	}
	if (best < 0)
		best = m->nepoch - 1;
	if (best < 0)
		return o;
	json_object_set_new(o, "epoch", json_integer(best + 1));
	for (int k = 0; k < TM_MODEL_NMETRIC; k++) {
		double v = m->metrics[best * TM_MODEL_NMETRIC + k];
		json_object_set_new(o, names[k], isfinite(v) ? json_real(v) :
		    json_null());
	}
	return o;
}

static void
cmd_add(struct reg *g, const struct opts *o, const char *file)
{
	struct tm_model m;
	const char *st = o->status ? o->status : "candidate";
	json_t *gate = NULL, *e;

	if (strcmp(st, "candidate") && strcmp(st, "shadow") &&
	    strcmp(st, "live") && strcmp(st, "retired"))
		tm_die(EX_USAGE, "--status %s: want candidate, shadow, live or "
		    "retired", st);
	if (o->gate && !(gate = json_loads(o->gate, 0, NULL)))
		tm_die(EX_USAGE, "--gate: not JSON");
	if (gate && !json_is_object(gate))
		tm_die(EX_USAGE, "--gate: not a JSON object");
	if (tm_model_read(&m, file) == -1)
		tm_exit(tm_fail_status());
	if ((e = reg_find(g, m.version)))
		tm_die(TM_EXIT_PROBLEM, "%s: version %s is already in the "
		    "registry (%s)", file, m.version, reg_str(e, "status"));

	/* The copy goes in first: a kill before the registry names it
	 * leaves an orphan the next run removes. */
	char name[32], *dst;
	snprintf(name, sizeof(name), "%s.tmt", m.version);
	dst = reg_path(g->dir, name);
	FILE *fp = fopen(file, "rb");
	char *buf = NULL;
	size_t len = 0;
	if (!fp)
		tm_die(EX_NOINPUT, "%s:", file);
	FILE *mem = open_memstream(&buf, &len);
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		fwrite(chunk, 1, k, mem);
	if (ferror(fp))
		tm_die(EX_IOERR, "%s: read error", file);
	fclose(fp);
	fclose(mem);
	if (tm_atomic_write(dst, buf, len, 0644) == -1)
		tm_die(EX_CANTCREAT, "%s: cannot copy the model", dst);
	free(buf);

	json_int_t seed = -1;
	json_t *hy = json_loads(m.hyper ? m.hyper : "{}", 0, NULL);
	if (json_is_integer(json_object_get(hy, "seed")))
		seed = json_integer_value(json_object_get(hy, "seed"));
	json_decref(hy);
	if (o->seed >= 0)
		seed = o->seed;
	e = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b, "
	    "s:o, s:o}", "version", m.version, "file", name, "algo",
	    m.algo ? m.algo : "", "seed", seed, "from", m.from ? m.from : "",
	    "to", m.to ? m.to : "", "status", "candidate", "added",
	    reg_now(), "approved", 0, "metrics", metrics(&m), "gate",
	    gate ? gate : json_object());
	json_array_append_new(g->versions, e);
	json_t *j = change("add", m.version, "", st);
	if (!strcmp(st, "live"))
		make_live(g, e, 1, j);
	else
		set_status(e, st);
	char **gone = prune(g, o->keep, j);
	reg_commit(g, j);
	for (int i = 0; gone[i]; i++) {
		unlink(gone[i]);
		free(gone[i]);
	}
	free(gone);
	free(dst);
	tm_model_release(&m);
}

static void
cmd_list(const struct reg *g, int json)
{
	size_t i;
	json_t *e;

	if (json) {
		json_dumpf(g->root, stdout, JSON_INDENT(2));
		putchar('\n');
		return;
	}
	printf("version\talgo\tseed\tfrom\tto\tstatus\tadded\tvalid_sharpe\t"
	    "valid_return\n");
	json_array_foreach(g->versions, i, e) {
		json_t *mt = json_object_get(e, "metrics");
		double sh = json_number_value(json_object_get(mt,
		    "valid_sharpe"));
		double rt = json_number_value(json_object_get(mt,
		    "valid_return"));
		printf("%s\t%s\t%lld\t%s\t%s\t%s%s\t%s\t%.4f\t%.4f\n",
		    reg_str(e, "version"), reg_str(e, "algo"),
		    (long long)json_integer_value(json_object_get(e, "seed")),
		    reg_str(e, "from"), reg_str(e, "to"), reg_str(e, "status"),
		    json_is_true(json_object_get(e, "approved")) ? "+" : "",
		    reg_str(e, "added"), sh, rt);
	}
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "keep", required_argument, NULL, 'k' },
		{ "status", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "gate", required_argument, NULL, 'g' },
		{ "json", no_argument, NULL, 'j' },
		{ "require-approval", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { NULL, NULL, NULL, -1, KEEP, 0, 0 };
	char *defdir = NULL;
	int c;

	tm_setprogname(argv[0]);
	tm_runlog_start(argc, argv);
	tm_std_options(argc, argv, usage);
	while ((c = getopt_long(argc, argv, "d:", lopts, NULL)) != -1)
		switch (c) {
		case 'd': o.dir = optarg; break;
		case 'k': o.keep = (int)estrtonum(optarg, 1, 100000, "keep");
			break;
		case 's': o.status = optarg; break;
		case 'S': o.seed = estrtonum(optarg, 0, INT64_MAX, "seed");
			break;
		case 'g': o.gate = optarg; break;
		case 'j': o.json = 1; break;
		case 'a': o.need_approval = 1; break;
		default: usage();
		}
	if (optind == argc)
		usage();
	const char *cmd = argv[optind++], *arg = optind < argc ?
	    argv[optind] : NULL;
	int nargs = argc - optind;
	if (!o.dir) {
		const char *home = getenv("TM_HOME");
		defdir = reg_path(home && *home ? home : ".", "data/models");
		o.dir = defdir;
	}

	struct reg g = { 0 };
	if (!strcmp(cmd, "list") || !strcmp(cmd, "live")) {
		if (nargs)
			usage();
		/* Readers need no lock: registry.json is replaced whole. */
		reg_load(&g, o.dir);
		if (!strcmp(cmd, "list"))
			cmd_list(&g, o.json);
		else {
			json_t *e = reg_live(&g);
			if (!e)
				tm_die(TM_EXIT_PROBLEM, "%s: no live model",
				    o.dir);
			char *p = reg_path(o.dir, reg_str(e, "file"));
			printf("%s\n", p);
			free(p);
		}
	} else {
		int ok = !strcmp(cmd, "rollback") ? nargs <= 1 : nargs == 1;
		if (!ok || (strcmp(cmd, "add") && strcmp(cmd, "promote") &&
		    strcmp(cmd, "shadow") && strcmp(cmd, "retire") &&
		    strcmp(cmd, "approve") && strcmp(cmd, "rollback")))
			usage();
		reg_lock(&g, o.dir);
		reg_load(&g, o.dir);
		reg_recover(&g);
		if (!strcmp(cmd, "add"))
			cmd_add(&g, &o, arg);
		else if (!strcmp(cmd, "rollback")) {
			json_t *cur = reg_live(&g), *e = NULL;
			size_t nh = json_array_size(g.history);

			if (arg)
				e = need(&g, arg);
			else if (nh)
				e = need(&g, json_string_value(
				    json_array_get(g.history, nh - 1)));
			else
				tm_die(TM_EXIT_PROBLEM, "%s: no earlier live "
				    "version to roll back to", o.dir);
			if (e == cur)
				tm_die(TM_EXIT_PROBLEM, "%s: %s is live already",
				    o.dir, reg_str(e, "version"));
			const char *v = reg_str(e, "version");
			json_t *j = change("rollback", v, reg_str(e, "status"),
			    "live");
			/* The version rolled back to leaves the history, and
			 * the one rolled back from does not enter it. */
			for (size_t k = json_array_size(g.history); k-- > 0;)
				if (!strcmp(json_string_value(
				    json_array_get(g.history, k)), v))
					json_array_remove(g.history, k);
			make_live(&g, e, 0, j);
			reg_commit(&g, j);
		} else {
			json_t *e = need(&g, arg), *j;
			const char *st = reg_str(e, "status");
			int live = !strcmp(st, "live");

			if (!strcmp(cmd, "promote")) {
				if (live)
					tm_die(TM_EXIT_PROBLEM, "%s: %s is live "
					    "already", o.dir, arg);
				if (o.need_approval && !json_is_true(
				    json_object_get(e, "approved")))
					tm_die(TM_EXIT_PROBLEM, "%s: %s is not "
					    "approved (tm-model approve)",
					    o.dir, arg);
				j = change("promote", arg, st, "live");
				make_live(&g, e, 1, j);
			} else if (!strcmp(cmd, "approve")) {
				j = change("approve", arg, st, st);
				json_object_set_new(e, "approved", json_true());
				json_object_set_new(e, "approved_at",
				    json_string(reg_now()));
			} else {
				if (live)
					tm_die(TM_EXIT_PROBLEM, "%s: %s is live: "
					    "promote or roll back to another "
					    "first", o.dir, arg);
				const char *to = !strcmp(cmd, "shadow") ?
				    "shadow" : "retired";
				j = change(cmd, arg, st, to);
				set_status(e, to);
			}
			reg_commit(&g, j);
		}
	}
	reg_release(&g);
	free(defdir);
	efshut(stdout, "<stdout>");
	tm_exit(0);
}
