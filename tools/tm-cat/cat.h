/* cat.h - the parts of tm-cat and what they share. */
#ifndef CAT_H
#define CAT_H

#include "tm.h"

enum fmt { FMT_TMT, FMT_TEXT, FMT_CSV, FMT_TSV, FMT_JSON };

/* input.c: the named inputs expanded (folders walked) into one source. */
struct source;
struct source *source_new(char **args, int nargs);
struct source *source_import(char **args, int nargs, const char *rowcol,
    enum tm_dtype dt);
/* --from/--to (ISO dates or NULL): files found in a folder and named
 * YYYY/MM/DD.tmt outside them are skipped unopened. */
void source_dates(struct source *s, const char *from, const char *to);
/* --last n: when every input is a YYYY/MM/DD.tmt file found in a folder
 * (one day each), only the last n of those inside --from/--to are opened;
 * source_rewind_all then says whether any were skipped, and if so starts
 * the source again from its first input without skipping (for a caller
 * that found fewer than n frames in them). */
void source_last(struct source *s, long long n);
int source_rewind_all(struct source *s);
/* Next frame: 1, 0 at the end; exits with the reader's status on error. */
int source_next(struct source *s, struct tm_frame *f);
/* Headers only from now on (--info): the frames' payloads are not read. */
void source_headers_only(struct source *s);
/* Lazy reads from now on (tm_reader_lazy): for a pass-through, whose
 * frames are copied verbatim; emit completes one that is not. */
void source_lazy(struct source *s);
/* The writer the frames go to: flushed (tm_writer_flush) before a mapped
 * input is let go and before an exit on a bad frame. */
void source_writer(struct source *s, struct tm_writer *w);
/* The reader of the last frame (NULL for imported frames). */
struct tm_reader *source_reader(struct source *s);
const char *source_name(struct source *s);
void source_free(struct source *s);

/* slice.c: rows (-r) and fields (-k) chosen by label. */
struct slice {
	char **rows, **fields;
	size_t nrows, nfields;
	int64_t *ix;		/* scratch */
	size_t ixcap;
};
/* Narrow f into out; returns 0 when f is kept as it is (out untouched),
 * 1 when out holds the slice. */
int slice_apply(struct slice *sl, const struct tm_frame *f,
    struct tm_frame *out);
void slice_free(struct slice *sl);

/* num.c: the shortest text that reads back as the same value. */
int fmt_f64(char *buf, double v);
int fmt_f32(char *buf, float v);
/* Element i of f as text (NaN as nan), returns its length; buf >= 32. */
int fmt_elem(char *buf, const struct tm_frame *f, size_t i, const char *nan);

/* print.c: one frame as text, CSV, TSV or JSON lines. */
struct printer;
struct printer *printer_new(FILE *fp, enum fmt fmt);
void printer_frame(struct printer *p, const struct tm_frame *f);
void printer_free(struct printer *p);

#endif
