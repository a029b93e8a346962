/* tmt_header.c - unit tests of the writer's header text: tm_write builds
 * it by hand, and every frame, odd ones included (labels with quotes,
 * escapes, UTF-8, too long or not UTF-8, axes without a name or twice the
 * same, coords and meta of several keys, no labels, no dims), must come out
 * byte for byte as through a jansson tree (TM_TMT_JANSSON=1), refusals
 * alike.  Prints TAP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

#include "tap.h"

/* The stream tm_write gives for f (with enc, and the end frame) in *out,
 * through the jansson tree when jansson; tm_write's return value. */
static int
stream(const struct tm_frame *f, int enc, int jansson, char **out,
    size_t *len)
{
	FILE *mem = open_memstream(out, len);

	if (jansson)
		setenv("TM_TMT_JANSSON", "1", 1);
	struct tm_writer *w = tm_writer_new(mem, "mem", enc);
	unsetenv("TM_TMT_JANSSON");
	int rc = tm_write(w, f);
	if (rc == 0)
		rc = tm_write(w, f);	/* a second seq */
	if (rc == 0)
		tm_writer_end(w);
	tm_writer_free(w);
	fclose(mem);
	return rc;
}

/* The two paths give the same bytes and the same answer; want is the
 * answer expected (0, or -1 for a refused frame). */
static void
both(const struct tm_frame *f, int want, const char *what)
{
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	int good = 1;

	for (int enc = 0; enc < 2; enc++) {
		int ra = stream(f, enc, 0, &a, &na);
		int rb = stream(f, enc, 1, &b, &nb);
		good &= ra == want && rb == want && na == nb &&
		    memcmp(a, b, na) == 0;
		if (na != nb || memcmp(a, b, na) != 0)
			printf("# by hand:  %.*s\n# jansson: %.*s\n",
			    (int)(na > 300 ? 300 : na), a + (na > 32 ? 32 : 0),
			    (int)(nb > 300 ? 300 : nb), b + (nb > 32 ? 32 : 0));
		free(a);
		free(b);
		a = b = NULL;
	}
	ok(good, "%s", what);
}

static void
shape(struct tm_frame *f, int64_t n0, int64_t n1)
{
	if (tm_frame_shape2(f, TM_F64, "ticker", n0, "field", n1) == -1)
		abort();
	for (size_t i = 0; i < (size_t)(n0 * n1); i++)
		tm_frame_set(f, i, (double)i + 0.5);
}

static void
named(struct tm_frame *f, const char *const *lab, int n)
{
	shape(f, n, 1);
	for (int i = 0; i < n; i++)
		tm_frame_set_label(f, 0, i, lab[i]);
	tm_frame_set_label(f, 1, 0, "close");
	tm_frame_set_date(f, "2024-06-03");
}

int
main(void)
{
	struct tm_frame f;
	char big[TM_MAX_LABEL + 2];

	tm_setprogname("tmt_header");
	setenv("TM_LOG", "off", 1);
	tm_frame_init(&f);

	/* One header spelled out: the text itself, not only the agreement
	 * of the two paths. */
	{
		static const char *const lab[] = { "AAPL", "BRK-B" };
		char *a = NULL;
		size_t n = 0;
		named(&f, lab, 2);
		stream(&f, 0, 0, &a, &n);
		const char *want = "{\"axes\":[\"ticker\",\"field\"],"
		    "\"coords\":{\"date\":\"2024-06-03\"},\"dtype\":\"F64\","
		    "\"encoding\":\"raw\",\"labels\":{\"field\":[\"close\"],"
		    "\"ticker\":[\"AAPL\",\"BRK-B\"]},\"nbytes\":16,\"seq\":0,"
		    "\"shape\":[2,1]}";
		ok(n > 32 + strlen(want) && memcmp(a + 32, want,
		    strlen(want)) == 0 && a[32 + strlen(want)] == ' ',
		    "the header text of a plain frame");
		free(a);
	}

	for (int dt = 0; dt < TM_NDTYPE; dt++) {
		char what[64];
		if (tm_frame_shape2(&f, (enum tm_dtype)dt, "ticker", 3,
		    "field", 2) == -1)
			abort();
		tm_frame_set_label(&f, 0, 0, "AAPL");
		tm_frame_set_label(&f, 0, 1, "BRK-B");
		tm_frame_set_label(&f, 0, 2, "Z\xc3\xbcrich\"AG");
		tm_frame_set_label(&f, 1, 0, "close");
		tm_frame_set_label(&f, 1, 1, "volume");
		tm_frame_set_date(&f, "2024-06-03");
		tm_frame_set_meta(&f, "producer", "unit");
		tm_frame_set_meta(&f, "a key", "sorts \"first\"");
		snprintf(what, sizeof(what), "%s, raw and deflate",
		    tm_dtype_name((enum tm_dtype)dt));
		both(&f, 0, what);
	}

	static const char *const odd[] = { "tab\there", "nl\nx", "\x01\x1f",
	    "back\\slash", "sl/ash", "del\x7f", "", "\xe2\x82\xac",
	    "\xf0\x9f\x98\x80 4-byte", "\"", "\\" };
	named(&f, odd, (int)(sizeof(odd) / sizeof(odd[0])));
	both(&f, 0, "labels with escapes, UTF-8, an empty one");

	memset(big, 'x', TM_MAX_LABEL);
	big[TM_MAX_LABEL] = '\0';
	const char *lim[] = { "A", big };
	named(&f, lim, 2);
	both(&f, 0, "a label of TM_MAX_LABEL bytes");
	big[TM_MAX_LABEL] = 'x';
	big[TM_MAX_LABEL + 1] = '\0';
	named(&f, lim, 2);
	both(&f, -1, "a label one byte longer is refused");
	static const char *const bad[] = { "A", "bad\xff", "\xc0\x80",
	    "\xed\xa0\x80" };
	for (int i = 1; i < 4; i++) {
		const char *l[] = { bad[0], bad[i] };
		named(&f, l, 2);
		both(&f, -1, "a label that is not UTF-8 is refused");
	}

	/* A row with no label set is written "". */
	shape(&f, 3, 1);
	tm_frame_set_label(&f, 0, 1, "B");
	both(&f, 0, "a label never set");

	/* Axes: none named, odd names, one name twice, no labels. */
	shape(&f, 2, 2);
	free(f.axes[0]);
	f.axes[0] = NULL;
	both(&f, 0, "an axis without a name, no labels");
	tm_frame_set_label(&f, 0, 0, "A");
	both(&f, 0, "an axis without a name, labelled");
	shape(&f, 2, 2);
	free(f.axes[1]);
	f.axes[1] = estrdup("ticker");
	tm_frame_set_label(&f, 0, 0, "A");
	tm_frame_set_label(&f, 1, 1, "B");
	both(&f, 0, "two labelled axes of one name");
	free(f.axes[1]);
	f.axes[1] = estrdup("f\xc3\xa9ld \"q\"");
	both(&f, 0, "an axis name with UTF-8 and quotes");
	free(f.axes[1]);
	f.axes[1] = estrdup("a");
	both(&f, 0, "labelled axes out of name order");

	/* coords and meta of several keys and kinds; no dims at all. */
	shape(&f, 1, 1);
	tm_frame_set_date(&f, "2024-06-04");
	json_object_set_new(f.coords, "x", json_real(0.1));
	json_object_set_new(f.coords, "n", json_integer(-3));
	json_object_set_new(f.coords, "arr", json_pack("[s,b,n]", "q\"", 1));
	tm_frame_set_meta(&f, "zeta", "last");
	tm_frame_set_meta(&f, "alpha", "\xc3\xa9\t");
	both(&f, 0, "coords and meta of several keys");
	json_decref(f.meta);
	f.meta = json_object();
	both(&f, 0, "empty meta left out");
	if (tm_frame_shape(&f, TM_F64, 0, NULL, NULL) == -1)
		abort();
	both(&f, 0, "a frame of no dims");
	if (tm_frame_shape2(&f, TM_F32, "ticker", 0, "field", 2) == -1)
		abort();
	tm_frame_set_label(&f, 1, 0, "open");
	both(&f, 0, "no rows, a labelled field axis");

	/* Random labels over an alphabet of the bytes that matter. */
	unsigned seed = 1;
	int good = 1;
	for (int round = 0; round < 200; round++) {
		static const char alpha[] = "Ab9-.,_ \"\\/\t\n\x01\x7f";
		static const char *const utf[] = { "\xc3\xa9", "\xe2\x82\xac",
		    "\xff" };
		int n = 1 + round % 17;
		shape(&f, n, 1);
		for (int i = 0; i < n; i++) {
			char l[40];
			size_t k = 0, len = (seed = seed * 1103515245u + 12345u)
			    >> 16 & 15;
			for (size_t j = 0; j < len; j++) {
				seed = seed * 1103515245u + 12345u;
				unsigned r = seed >> 16;
				if (r % 40 == 0) {
					const char *u = utf[r / 40 % 3];
					memcpy(l + k, u, strlen(u));
					k += strlen(u);
				} else
					l[k++] = alpha[r % (sizeof(alpha) - 1)];
			}
			l[k] = '\0';
			tm_frame_set_label(&f, 0, i, l);
		}
		tm_frame_set_date(&f, "2024-06-03");
		char *a = NULL, *b = NULL;
		size_t na = 0, nb = 0;
		int ra = stream(&f, 0, 0, &a, &na);
		int rb = stream(&f, 0, 1, &b, &nb);
		good &= ra == rb && na == nb && memcmp(a, b, na) == 0;
		free(a);
		free(b);
	}
	ok(good, "200 frames of random labels, both paths alike");

	tm_frame_release(&f);
	return tap_done();
}
