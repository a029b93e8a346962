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

char *
tm_secret(const char *env, const char *key)
{
	const char *v = env ? getenv(env) : NULL;
	const char *file = getenv("TM_SECRETS");
	json_t *j;
	char *s = NULL;

	if (v && *v)
		return estrdup(v);
	if (file == NULL || key == NULL)
		return NULL;
	if ((j = tm_config_load(file, 1)) == NULL)
		tm_die(EX_CONFIG, "%s: cannot load secrets", file);
	if (json_is_string(json_object_get(j, key)))
		s = estrdup(json_string_value(json_object_get(j, key)));
	json_decref(j);
	return s;
}
