/*
 * fuzz_model.c - libFuzzer target: arbitrary bytes as a model file
 * through tm_model_read, and a model it accepts written and read again.
 *
 * The first byte picks a mode.  Bit 1 clear: the rest is the file, and
 * with bit 0 set (as in fuzz_frame.c) the CRCs of every frame are fixed
 * up first so mutations reach the frames' checks.  Bit 1 set: the rest is
 * "key=value" lines set in the metadata of a small model's policy frame
 * (a line "1:key=value" in its norm frame), so the sizes and names the
 * header states are mutated as text, not as bytes the CRC and the
 * header's length would give away.  A bad file must be -1 with 65 (not
 * a model file, or a bad stream).
 */
#include <string.h>

#include "tmcore.h"
#include "fuzz.h"

static struct fuzz_file ff;
static char *model;		/* the small model's bytes */
static size_t nmodel;

static void
setup(void)
{
	struct tm_model m;
	FILE *fp;

	fuzz_file_open(&ff, "fuzz_model");	/* tm_model_read takes a path */
	tm_model_init(&m);
	tm_policy_init(&m.pol, TM_ARCH_SHARED, 2, 0, 3, 2);
	m.feat = ecalloc(3, sizeof(char *));
	m.feat[0] = estrdup("ret");
	m.feat[1] = estrdup("rsi_14");
	m.mean = ecalloc(2, sizeof(double));
	m.sd = emalloc(2 * sizeof(double));
	m.sd[0] = m.sd[1] = 1;
	m.algo = estrdup("dpg");
	m.layout = estrdup("4,2,1");
	m.from = estrdup("2020-01-02");
	m.to = estrdup("2020-12-31");
	m.hyper = estrdup("{}");
	m.nslots = 7;
	if (tm_model_write(&m, ff.scratch) == -1 ||
	    (fp = fopen(ff.scratch, "rb")) == NULL)
		abort();
	model = emalloc(1 << 16);
	nmodel = fread(model, 1, 1 << 16, fp);
	fclose(fp);
	unlink(ff.scratch);
	tm_model_release(&m);
}

/* The small model with the metadata lines of text set; NULL when the
 * writer refuses what they made (not UTF-8, say). */
static char *
with_meta(const uint8_t *text, size_t n, size_t *len)
{
	FILE *in = fmemopen(model, nmodel, "rb"), *o;
	char *out = NULL;
	struct tm_frame f;
	int k = 0, rc = 0;

	if (in == NULL || (o = open_memstream(&out, len)) == NULL)
		abort();
	struct tm_reader *r = tm_reader_new(in, "model");
	struct tm_writer *w = tm_writer_new(o, "fuzz", TM_RAW);
	tm_frame_init(&f);
	while (tm_read(r, &f) == 1) {
		char *s = emalloc(n + 1), *p = s, *line;
		memcpy(s, text, n);
		s[n] = '\0';
		while ((line = strsep(&p, "\n")) != NULL) {
			char *eq = strchr(line, '=');
			int at = 0;
			if (line[0] >= '0' && line[0] <= '9' && line[1] == ':') {
				at = line[0] - '0';
				line += 2;
			}
			if (eq && eq > line && at == k) {
				*eq = '\0';
				tm_frame_set_meta(&f, line, eq + 1);
			}
		}
		free(s);
		rc |= tm_write(w, &f);
		k++;
	}
	rc |= tm_writer_end(w);
	tm_writer_free(w);
	tm_reader_free(r);
	tm_frame_release(&f);
	fclose(in);
	fclose(o);
	if (rc) {
		free(out);
		return NULL;
	}
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_model m, m2;

	if (size < 1)
		return 0;
	if (data[0] & 2) {
		size_t n;
		char *b = with_meta(data + 1, size - 1, &n);
		if (b == NULL)
			return 0;
		fuzz_file_fill(&ff, b, n);
		free(b);
	} else {
		uint8_t *b = malloc(size);
		memcpy(b, data + 1, size - 1);
		if (data[0] & 1)
			fuzz_fix_crcs(b, size - 1);
		fuzz_file_fill(&ff, b, size - 1);
		free(b);
	}
	if (tm_model_read(&m, ff.path) == -1) {
		if (tm_fail_status() != EX_DATAERR)
			abort();
		return 0;
	}
	if (tm_model_write(&m, ff.scratch) == -1 ||
	    tm_model_read(&m2, ff.scratch) == -1 ||
	    strcmp(m.version, m2.version) != 0 ||
	    m.pol.nparam != m2.pol.nparam)
		abort();	/* what it wrote it cannot read back */
	unlink(ff.scratch);
	tm_model_release(&m);
	tm_model_release(&m2);
	return 0;
}
