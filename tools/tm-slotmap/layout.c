/* layout.c - the named slot layouts and explicit "active,archive,padding". */
#include <string.h>

#include "slotmap.h"

static const struct sm_layout named[] = {
	{ "r1000", 1000, 100, 100 },
	{ "r3000", 3000, 300, 300 },
};

int
sm_layout_parse(const char *s, struct sm_layout *l)
{
	char **v;
	size_t n;
	int64_t c[3];

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcmp(s, named[i].name) == 0) {
			*l = named[i];
			return 0;
		}
	v = tm_split(s, ',', &n);
	if (n != 3) {
		tm_strv_free(v);
		tm_warn("layout '%s': not r1000, r3000 or active,archive,padding",
		    s);
		return -1;
	}
	for (size_t i = 0; i < 3; i++) {
		double d;
		/* Whole counts only; a million slots is far past any index. */
		if (tm_parse_double(v[i], 0, &d) == -1 || d != (int64_t)d ||
		    d < (i == 0 ? 1 : 0) || d > 1000000) {
			tm_warn("layout '%s': bad count '%s'", s, v[i]);
			tm_strv_free(v);
			return -1;
		}
		c[i] = (int64_t)d;
	}
	tm_strv_free(v);
	snprintf(l->name, sizeof(l->name), "%lld,%lld,%lld", (long long)c[0],
	    (long long)c[1], (long long)c[2]);
	l->active = c[0];
	l->archive = c[1];
	l->padding = c[2];
	return 0;
}

int64_t
sm_layout_total(const struct sm_layout *l)
{
	return l->active + l->archive + l->padding;
}
