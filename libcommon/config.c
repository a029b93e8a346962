/* config.c - JSON configuration and secrets, refusing loose permissions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tm.h"

json_t *
tm_config_load(const char *path, int secret)
{
	struct stat st;
	json_error_t je;
	json_t *j;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		tm_warn("%s:", path);
		return NULL;
	}
	if (fstat(fileno(fp), &st) == -1) {
		tm_warn("%s: stat:", path);
		fclose(fp);
		return NULL;
	}
	if (secret && (st.st_mode & 077)) {
		tm_warn("%s: secrets file is mode %03o; it must not be "
		    "readable by group or others (chmod 600)", path,
		    (unsigned)(st.st_mode & 0777));
		fclose(fp);
		return NULL;
	}
	j = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (j == NULL) {
		tm_warn("%s: line %d: %s", path, je.line, je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		tm_warn("%s: top level is not an object", path);
		json_decref(j);
		return NULL;
	}
	return j;
}

int
tm_secret(const char *env, const char *key, char **out)
{
	const char *v = env ? getenv(env) : NULL;
	const char *file = getenv("TM_SECRETS");
	json_t *j;

	*out = NULL;
	if (v && *v) {
		*out = estrdup(v);
		return 0;
	}
	if (file == NULL || *file == '\0' || key == NULL)
		return 0;
	if ((j = tm_config_load(file, 1)) == NULL)
		return tm_fail(EX_CONFIG, "%s: cannot load secrets", file);
	if (json_is_string(json_object_get(j, key)))
		*out = estrdup(json_string_value(json_object_get(j, key)));
	json_decref(j);
	return 0;
}

char *
esecret(const char *env, const char *key)
{
	char *s;

	if (tm_secret(env, key, &s) == -1)
		tm_exit(tm_fail_status());
	return s;
}
