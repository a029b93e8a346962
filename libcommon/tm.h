/*
 * tm.h - the one header of libcommon, the library every TMagikarp tool uses.
 *
 * Ownership: every function borrows its arguments; a function that returns
 * a pointer hands it to the caller, who releases it with the matching
 * _free (or free(3) for plain strings); a function with _take in its name
 * consumes the argument it names.
 *
 * Errors: only the e-prefixed wrappers (emalloc, estrtonum, esecret, ...)
 * and tm_die() exit.  Everything else prints one line on stderr naming
 * what and where, and returns -1 (or NULL).  A call that can fail for more
 * than one reason says which: it fails through tm_fail(EX_..., ...) (git's
 * "return error(...)"), and the caller exits with tm_fail_status(), never
 * guessing from access(2) or errno:
 *	if (tm_model_read(&m, path) == -1)
 *		tm_exit(tm_fail_status());
 * A stream reader keeps its own reason too (tm_reader_status()).
 */
#ifndef TM_H
#define TM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sysexits.h>
#include <jansson.h>

/* Exit codes, as in DESIGN.md: 0 ok, 1 a problem the caller should act on,
 * and sysexits(3) for the rest. */
#define TM_EXIT_PROBLEM 1

/* ---------------------------------------------------------------- frames */

/* The TMT stream is documented byte for byte in man/tm-tensor.5. */

#define TM_MAGIC "\x89TMT\r\n\x1a\n"
#define TM_MAJOR 1
#define TM_MINOR 0
#define TM_LEAD 32		/* bytes of the fixed lead of a frame */
#define TM_ALIGN 64		/* header and payload padding */
#define TM_MAXDIM 8
#define TM_MAX_HLEN (16u << 20)	/* header cap, bytes */
#define TM_MAX_NBYTES ((uint64_t)1 << 32) /* payload cap, 4 GiB decoded */
#define TM_MAX_LABEL 256	/* longest label, bytes */
/* zlib level of deflate payloads: 1, because float data barely compresses
 * (level 6 saves 10% more) and level 6 takes 2.5 times as long. */
#define TM_DEFLATE_LEVEL 1

enum tm_dtype { TM_F32, TM_F64, TM_I32, TM_I64, TM_U8, TM_NDTYPE };
/* The slot regions, the values of a slot stream's "region" field
 * (CONVENTIONS.md), in slot order: tm-slotmap writes them, everyone
 * else reads them through these names. */
enum tm_region { TM_REGION_ACTIVE, TM_REGION_ARCHIVE, TM_REGION_PADDING };
enum tm_encoding { TM_RAW, TM_DEFLATE };

/*
 * One frame: an n-dimensional array with axis names, optional labels per
 * axis, coordinates (scalars such as {"date": "2024-06-03"}) and
 * string-to-string meta.  A frame owns everything it points to.
 */
struct tm_frame {
	enum tm_dtype dtype;
	enum tm_encoding encoding;	/* as read; what tm_write uses */
	int ndim;
	int64_t shape[TM_MAXDIM];
	char *axes[TM_MAXDIM];
	char **labels[TM_MAXDIM];	/* NULL, or shape[d] strings */
	json_t *coords;			/* object or NULL */
	json_t *meta;			/* object of strings or NULL */
	void *data;			/* nbytes, C order, little-endian */
	size_t nbytes;
	size_t cap;			/* allocated bytes of data */
	int64_t seq;			/* as read; set by tm_write */
};

/* Zero a frame so it can be used; a zeroed frame owns nothing. */
void tm_frame_init(struct tm_frame *f);
/* Free what a frame owns and zero it; the struct itself is the caller's. */
void tm_frame_release(struct tm_frame *f);

/*
 * Shape a frame: release its labels, axes, coords and meta, then set dtype
 * and dims with the given axis names, allocate data for them (reusing the
 * old buffer when it is large enough) and fill it with NaN (0 for integer
 * dtypes).  Returns 0, or -1 when the size overflows the caps.
 * Example: tm_frame_shape2(&f, TM_F32, "ticker", 1100, "field", 6);
 */
int tm_frame_shape(struct tm_frame *f, enum tm_dtype dt, int ndim,
    const int64_t *shape, const char *const *axes);
int tm_frame_shape2(struct tm_frame *f, enum tm_dtype dt, const char *ax0,
    int64_t n0, const char *ax1, int64_t n1);
/* tm_frame_shape without the fill, for a caller that overwrites every
 * byte of the data next (the stream reader). */
int tm_frame_shape_unset(struct tm_frame *f, enum tm_dtype dt, int ndim,
    const int64_t *shape, const char *const *axes);

/* Set label i of axis d (a copy is kept); allocates the table on first use. */
void tm_frame_set_label(struct tm_frame *f, int d, int64_t i, const char *s);
/* Index of label s on axis d, or -1.  Linear scan: cache it in loops. */
int64_t tm_frame_find_label(const struct tm_frame *f, int d, const char *s);
/* Axis index by name, or -1. */
int tm_frame_axis(const struct tm_frame *f, const char *name);

/* coords.date, or NULL when the frame has none.  Borrowed. */
const char *tm_frame_date(const struct tm_frame *f);
void tm_frame_set_date(struct tm_frame *f, const char *iso);
/* Set meta key to a copy of val (creating the object on first use). */
void tm_frame_set_meta(struct tm_frame *f, const char *key, const char *val);
const char *tm_frame_get_meta(const struct tm_frame *f, const char *key);

/* Number of elements, the product of the shape. */
size_t tm_frame_count(const struct tm_frame *f);
size_t tm_dtype_size(enum tm_dtype dt);
const char *tm_dtype_name(enum tm_dtype dt);
int tm_dtype_parse(const char *s);	/* -1 when unknown */

/* Element i as a double (integers converted), and the reverse.  Setting NaN
 * into an integer dtype stores 0. */
double tm_frame_get(const struct tm_frame *f, size_t i);
void tm_frame_set(struct tm_frame *f, size_t i, double v);

/* Deep copy src into dst (dst is released first). */
void tm_frame_copy(struct tm_frame *dst, const struct tm_frame *src);

/* ----------------------------------------------------------- reading */

struct tm_reader;

/*
 * Open a reader over fp; name is used in messages ("<stdin>" for stdin).
 * The reader does not close fp.  Memory use is bounded by the largest frame.
 */
struct tm_reader *tm_reader_new(FILE *fp, const char *name);
/* Point r at the start of another stream, as tm_reader_new would, but keep
 * its buffers and label cache: the files of a raw tree repeat one day's
 * labels (the cache still checks the bytes, so any file is safe). */
void tm_reader_reopen(struct tm_reader *r, FILE *fp, const char *name);
void tm_reader_free(struct tm_reader *r);

/*
 * Read the next data frame into f (released and refilled; its buffers are
 * reused).  End frames are checked and skipped; bytes after an end frame
 * start a new segment, so concatenated streams read as one.
 * Returns 1 with a frame, 0 at a clean end (EOF right after an end frame),
 * -1 on error, after printing "NAME: byte OFFSET: what" on stderr; then
 * tm_reader_status() tells EX_DATAERR (bad stream) or EX_IOERR.
 */
int tm_read(struct tm_reader *r, struct tm_frame *f);
int tm_reader_status(const struct tm_reader *r);
/* Byte offset of the start of the last frame read. */
uint64_t tm_reader_offset(const struct tm_reader *r);
/* The exact stored bytes of the last frame read (lead to end of padding),
 * valid until the next tm_read; lets a filter copy a frame verbatim. */
const void *tm_reader_raw(const struct tm_reader *r, size_t *len);
/* The last frame's header as parsed JSON (borrowed), e.g. for --info. */
const json_t *tm_reader_header(const struct tm_reader *r);
/* Headers only (on != 0): later tm_read calls still check every frame's
 * lead, header, CRCs and padding, and give the frame its shape, labels
 * and coords, but leave its payload unread (f->data is allocated and its
 * contents unspecified): a deflate payload is never inflated, so --info on
 * a small file holding a huge frame neither takes the memory nor the time
 * of inflating it. */
void tm_reader_headers_only(struct tm_reader *r, int on);
/*
 * Lazy reads (on != 0), for a filter that copies most frames verbatim
 * (tm_reader_raw, tm_write_from): later tm_read calls check every frame
 * as before (lead, header, labels, sequence, CRCs, padding), except that
 * a deflate payload is not inflated, and give the frame its shape, axes,
 * coords and meta but no label tables and no data.  A frame's labels are
 * checked once for a run of frames that repeat them byte for byte over
 * the same axes and shape.  tm_reader_decode(r, f) then completes the
 * frame f just read, labels and data, as a plain tm_read would have
 * (0, or -1 with the message printed and tm_reader_status() set); on a
 * reader that is not lazy it does nothing.
 */
void tm_reader_lazy(struct tm_reader *r, int on);
/* 1 when the last frame was read lazily and its header is the text
 * tm_write gives that frame, seq aside (and so its padding): a writer
 * may renumber it by rewriting the digits and padding it anew. */
int tm_reader_canonical(const struct tm_reader *r);
int tm_reader_decode(struct tm_reader *r, struct tm_frame *f);
/*
 * Read r's file through mmap(2) (MAP_PRIVATE, MADV_SEQUENTIAL) when it is
 * a regular file of at least min bytes (and more than none), read from
 * its start, nothing read yet: 1 when mapped, 0 when r goes on with
 * read(2).  Every check, message and offset stays the same; a frame is
 * checked in place and tm_reader_raw gives its bytes in the mapping,
 * which lasts until tm_reader_reopen or tm_reader_free.  (A file cut
 * short by another process while mapped raises SIGBUS, not an error.)
 */
int tm_reader_map(struct tm_reader *r, uint64_t min);
/* 1 when tm_reader_raw's bytes lie in such a mapping. */
int tm_reader_mapped(const struct tm_reader *r);

/* ----------------------------------------------------------- writing */

struct tm_writer;

/* Open a writer over fp (not closed by the writer).  enc is used for every
 * frame; -1 means "as each frame says". */
struct tm_writer *tm_writer_new(FILE *fp, const char *name, int enc);
/*
 * Write one frame; its seq is set to the writer's count.  Returns 0 or -1
 * (message printed; I/O errors are EX_IOERR, a bad frame EX_SOFTWARE).
 */
int tm_write(struct tm_writer *w, const struct tm_frame *f);
/* Write frame bytes read by tm_reader_raw() verbatim when their seq matches
 * the writer's next seq, or with only the seq digits of a canonical header
 * replaced (the bytes tm_write would give), else re-encode f, which is
 * first completed by tm_reader_decode() when r reads lazily.  Returns 0
 * or -1. */
int tm_write_from(struct tm_writer *w, struct tm_reader *r,
    struct tm_frame *f);
/*
 * A frame tm_write_from copies from a mapped file (tm_reader_mapped) may
 * be held back, to go out with the frames after it that follow it in the
 * mapping in one write(2) of up to TM_WRITE_BATCH bytes (small enough that
 * the bytes the CRC check just read are still in cache when a pipe's
 * write copies them: 4 MiB cost 15% more CPU into a pipe): any other write,
 * tm_writer_flush or tm_writer_end writes it first.  So the caller
 * flushes before the reader's mapping goes (tm_reader_reopen,
 * tm_reader_free) and before it exits early.  0, or -1 (message printed,
 * EX_IOERR).
 */
#define TM_WRITE_BATCH (256u << 10)
int tm_writer_flush(struct tm_writer *w);
/* Write the stored bytes of a frame whose seq was seq, kept from a lazy
 * read that found them tm_write's own text (tm_reader_canonical, the lead's
 * minor version TM_MINOR), as tm_write would write that frame now: as
 * they are when seq is the writer's next, else renumbered and padded
 * anew.  Returns 0 or -1 (EX_SOFTWARE when the bytes are not such). */
int tm_write_copy(struct tm_writer *w, const void *raw, size_t len,
    int64_t seq);
/* Write the end frame and flush (the FILE stays open).  Returns 0 or -1. */
int tm_writer_end(struct tm_writer *w);
void tm_writer_free(struct tm_writer *w);
int64_t tm_writer_frames(const struct tm_writer *w);

/* CRC-32 (zlib's polynomial) of buf, continuing from crc (start with 0). */
uint32_t tm_crc32(uint32_t crc, const void *buf, size_t len);

/* ---------------------------------------------- messages and e-wrappers */

/* Set once from main(): the name used in messages and the run log. */
void tm_setprogname(const char *argv0);
const char *tm_progname(void);

/* The suite's version, printed by every tool's --version. */
#define TM_VERSION "1.0"

/*
 * --help and --version, the same on every tool (help.c).  Call from main
 * after tm_runlog_start and before getopt_long: when an argument before
 * any "--" is exactly "--version" it prints "PROG 1.0" on standard output
 * and exits 0; when one is "--help" it calls usage, the tool's own usage
 * function, in help mode.  A usage function writes its text to
 * tm_usage_out() and ends with tm_usage_exit(): standard error and
 * EX_USAGE after a bad option, standard output and 0 for --help, so the
 * one usage text serves both.
 */
void tm_std_options(int argc, char **argv, void (*usage)(void));
FILE *tm_usage_out(void);
void tm_usage_exit(void) __attribute__((noreturn));

/* err(3)-style, but with a chosen exit status: tm_die(EX_DATAERR, ...).
 * A format ending in ':' appends strerror(errno). */
void tm_die(int status, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/* The same message without exiting. */
void tm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same message, then return -1 with status (an EX_ code) kept as the
 * reason of the failure: "return tm_fail(EX_NOINPUT, "%s:", path);". */
int tm_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* tm_fail without the message, for a failure already reported (by a
 * stream reader, say): keeps status, returns -1. */
int tm_fail_as(int status);
/* The status of the last tm_fail (EX_SOFTWARE when there was none: a
 * failure that did not say why is a bug). */
int tm_fail_status(void);

/* The e-wrappers of malloc(3), calloc(3), reallocarray(3) and
 * strdup(3): the same result, or the tool dies with EX_OSERR (a one-line
 * message naming the call); the caller frees.  calloc and ereallocarray
 * check nmemb * size for overflow; a request of 0 bytes returns a
 * pointer that may be freed, never NULL. */
void *emalloc(size_t n);
void *ecalloc(size_t nmemb, size_t size);
void *ereallocarray(void *p, size_t nmemb, size_t size);
char *estrdup(const char *s);
/* Dies with EX_USAGE, naming the tool, when standard output is a terminal:
 * a tool about to write a binary TMT stream there calls it first (tm-cat
 * switches to text instead), so a mistyped command prints a reason, not
 * binary.  Returns otherwise. */
void estdout_tmt(void);

/* Flush and close fp, exiting EX_IOERR on a late write error (full disk,
 * closed pipe).  Call on stdout before returning from main. */
void efshut(FILE *fp, const char *name);

/* ------------------------------------------------------------- buffers */

/*
 * A growable byte buffer: zero it to start ({0}), tm_buf_free it to end
 * (which zeroes it again, ready for reuse).  p is NULL until the first
 * add; after any add p[n] is '\0', so text in it is a C string, and it
 * may hold NUL bytes too (n counts them).  The buffer owns p; a caller
 * that keeps the bytes takes p and zeroes the struct instead of freeing.
 * Growth dies with EX_OSERR like emalloc.
 */
struct tm_buf {
	char *p;
	size_t n, cap;
};
/* Append the n bytes at p (p may be NULL when n is 0). */
void tm_buf_add(struct tm_buf *b, const void *p, size_t n);
/* Make b hold just the n bytes at p, keeping its memory: a cache of the
 * last value seen (a frame's labels, a raw frame). */
void tm_buf_set(struct tm_buf *b, const void *p, size_t n);
/* Append the n bytes at p and a NUL that stays, for an arena of strings
 * (labels, CSV fields): returns the offset of the string in b->p, which
 * stays valid across later adds where a pointer would not.  Resetting n
 * to 0 empties the arena and keeps its memory. */
size_t tm_buf_addz(struct tm_buf *b, const void *p, size_t n);
/* Append the string s, without its NUL. */
void tm_buf_adds(struct tm_buf *b, const char *s);
/* Append printf(3) of fmt; dies EX_SOFTWARE if vsnprintf fails. */
void tm_buf_addf(struct tm_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append the base64 (RFC 4648, padded) of the n bytes at p.  With lines,
 * as MIME bodies want it: lines of 76 characters, each ending in CRLF,
 * the last one too (nothing at all for n == 0); else one run without
 * breaks, for RFC 2047 encoded words. */
void tm_buf_base64(struct tm_buf *b, const void *p, size_t n, int lines);
void tm_buf_free(struct tm_buf *b);

/* ------------------------------------------------------------- parsing */

/* strtonum(3)-style: whole number in [lo, hi] or die EX_USAGE naming what. */
long long estrtonum(const char *s, long long lo, long long hi,
    const char *what);
/* A finite double in [lo, hi] or die EX_USAGE. */
double estrtod(const char *s, double lo, double hi, const char *what);
/*
 * A date option: the day of ISO text s (YYYY-MM-DD, checked as
 * tm_date_parse checks it), or die EX_USAGE naming what, the option:
 *	from = edate(optarg, "--from");
 * prints "PROG: --from 2024-13-01: not a date (YYYY-MM-DD)".
 */
int32_t edate(const char *s, const char *what);
/*
 * A tool's --from/--to window: each given one (non-NULL) checked as edate
 * checks it, --from first, its day stored in *dfrom / *dto (either pointer
 * may be NULL: a check only); one not given leaves its day as the caller
 * set it.  An empty window is a mistake: dies EX_USAGE with
 * "PROG: --from 2024-03-01 is after --to 2024-02-01" when from > to.
 */
void edate_range(const char *from, const char *to, int32_t *dfrom,
    int32_t *dto);
/* Parse a double; returns 0 and sets *v, or -1.  Accepts "" / "NaN" / "nan"
 * / "null" as NaN when allow_nan. */
int tm_parse_double(const char *s, int allow_nan, double *v);

/*
 * Split a comma list "a,b,c" into a NULL-terminated array of strings.
 * Returns the array (free with tm_strv_free) and its length in *n, which
 * is never 0: one more than the separators, so "" gives one empty item
 * and "a,,b" an empty middle one.  A caller that wants names checks for
 * empty items, not for n == 0.
 */
char **tm_split(const char *s, char sep, size_t *n);
void tm_strv_free(char **v);

/* 1 when the n bytes at s are valid UTF-8 (as jansson, and so a TMT label,
 * requires), else 0. */
int tm_utf8_valid(const char *s, size_t n);

/* ---------------------------------------------------------------- dates */

/* Dates are days since 1970-01-01 (int32), ISO text YYYY-MM-DD. */
int tm_date_parse(const char *s, int32_t *day);	/* 0 or -1; validates */
/* Write ISO text of day into buf (at least 11 bytes); returns buf. */
char *tm_date_fmt(int32_t day, char *buf);
/* The day of the civil (proleptic Gregorian) date y-m-d, m 1-12, d 1-31;
 * no validation (a day past the month's end rolls into the next month:
 * callers that take text use tm_date_parse, which validates). */
int32_t tm_date_from_ymd(int y, int m, int d);
/* The inverse: year, month 1-12 and day 1-31 of day, into *y, *m, *d
 * (none may be NULL), for days within 5.8 million years of 1970. */
void tm_date_ymd(int32_t day, int *y, int *m, int *d);
int tm_date_weekday(int32_t day);		/* 0 = Sunday */
/* 1 when the NYSE is open that day (weekends, holidays and the special
 * closures since 2000 excluded), else 0. */
int tm_trading_day(int32_t day);
/* The next / previous trading day strictly after / before day. */
int32_t tm_trading_next(int32_t day);
int32_t tm_trading_prev(int32_t day);
/* Exchange-local (America/New_York) calendar day of a UTC epoch second. */
int32_t tm_date_from_epoch_ny(int64_t t);

/* ---------------------------------------------------------- input files */

/*
 * Open a named input for reading: "-" is stdin (returned as is), else the
 * file.  NULL after tm_fail(EX_NOINPUT, ...) when it is missing,
 * unreadable or a directory ("DIR: Is a directory", not a later "read
 * error").  tm_close_read closes what tm_open_read opened (never stdin).
 */
FILE *tm_open_read(const char *path);
void tm_close_read(FILE *fp);
/* The name messages give an input path: "<stdin>" for "-", else path
 * itself (borrowed). */
const char *tm_input_name(const char *path);

/*
 * A filter's inputs in turn, as cut(1) takes them: fn(arg, fp, name) for
 * each of the argc files named in argv ("-" is stdin), or for stdin alone
 * when argc is 0; name is the path, or "<stdin>".  fn reads fp, and
 * tm_each_input closes it after fn returns (never stdin).
 * Returns 0 after the last, or -1 after tm_fail(EX_NOINPUT, ...) at the
 * first one tm_open_read cannot open, with fn run on those before it: the
 * files of a TMT filter are one stream in date order, and reading on past
 * a missing one would leave a hole in every series.
 *	if (tm_each_input(argc, argv, readall, NULL) == -1)
 *		tm_exit(tm_fail_status());
 */
int tm_each_input(int argc, char **argv,
    void (*fn)(void *arg, FILE *fp, const char *name), void *arg);

/* -------------------------------------------------------- atomic files */

/*
 * Replace path atomically: write into a temporary file in the same folder
 * (created 0644, or mode), fsync it, rename it over path, fsync the folder.
 * tm_atomic_open returns a FILE to write to; tm_atomic_commit finishes the
 * replacement, tm_atomic_abort removes the temporary file.  Both free a.
 * Returns NULL / -1 on error with the message printed.
 */
struct tm_atomic;
struct tm_atomic *tm_atomic_open(const char *path, int mode);
FILE *tm_atomic_fp(struct tm_atomic *a);
int tm_atomic_commit(struct tm_atomic *a);
void tm_atomic_abort(struct tm_atomic *a);
/* Whole-buffer convenience form. */
int tm_atomic_write(const char *path, const void *buf, size_t len, int mode);
/* mkdir -p; returns 0 or -1. */
int tm_mkdirs(const char *path, int mode);
/* Append one line (a '\n' is added) to path with O_APPEND and fsync, so a
 * journal line is either whole or absent. Returns 0 or -1. */
int tm_append_line(const char *path, const char *line);
/* The last line of the JSON-lines file path (a journal tm_append_line
 * writes), parsed: a new reference the caller json_decref()s, or NULL,
 * silently, when path cannot be opened, is empty, or its last line is
 * not JSON (a journal not started yet reads as no entry). */
json_t *tm_jsonl_last(const char *path);
/*
 * One run at a time: the lock file path (created 0644 when missing) locked
 * with flock(2), exclusively and without waiting.  Returns the descriptor,
 * to leave open so the lock holds until exit.  Dies EX_TEMPFAIL (75: cron
 * tries again later) with the message printf makes of busy when another
 * process holds it, EX_CANTCREAT when path cannot be opened, EX_IOERR when
 * flock fails otherwise.
 */
int tm_lock_run(const char *path, const char *busy, ...)
    __attribute__((format(printf, 2, 3)));

/* -------------------------------------------------------------- config */

/*
 * Load a JSON config file (jansson).  When secret is non-zero the file must
 * not be readable or writable by group or others (mode 0600 or stricter),
 * else it is refused (-1, EX_CONFIG's business).  Returns a new reference
 * or NULL with the message printed.
 */
json_t *tm_config_load(const char *path, int secret);
/*
 * A secret: from the environment variable env if set, else from key in
 * the secrets file named by $TM_SECRETS, else none.  The file is a JSON
 * object of strings, {"alphavantage": "KEY", "smtp_pass": "..."}, mode
 * 0600 or stricter.  tm_secret returns 0 with *out the string (the
 * caller's to free; never logged) or NULL when there is none, and -1 with
 * EX_CONFIG (tm_fail) when the secrets file is there but cannot be used
 * (loose mode, bad JSON).  esecret is the same, exiting on that failure.
 */
int tm_secret(const char *env, const char *key, char **out);
char *esecret(const char *env, const char *key);

/* --------------------------------------------------------------- runlog */

/*
 * The run log: one JSON line per tool run appended to $TM_LOG, or else to
 * $TM_HOME/data/log/YYYY-MM.jsonl (TM_HOME defaults to "."), holding tool,
 * args, start, end, exit status, rows in and out.  Values of the long
 * options declared secret in runlog.c (--password, --token, --api-key,
 * ...; not --keys) are logged as "***": secrets never reach argv, this is
 * the second fence.  tm_runlog_start records argv and installs an
 * on_exit(3) hook that writes the line with the status exit() was given,
 * so every way out (tm_exit, tm_die, exit, return from main) logs the
 * real status; TM_LOG=off disables it.
 */
void tm_runlog_start(int argc, char **argv);
void tm_runlog_rows(int64_t in, int64_t out);	/* add to the counters */
void tm_runlog_status(int status);		/* kept for callers; exit() decides */
/* Exit with status: the one way out a tool uses (usage, tm_die, the end
 * of main), so the run log and $? agree. */
void tm_exit(int status) __attribute__((noreturn));

/* ------------------------------------------------------- label index */

/*
 * A hash from strings to their index in the caller's array keys (borrowed:
 * it must outlive the index and not move, except through tm_index_add).
 * NULL keys are left out; of equal keys the first is found.  Zero the
 * struct before first use.  Example:
 *	struct tm_index x = { 0 };
 *	tm_index_build(&x, (const char *const *)f->labels[0], f->shape[0]);
 *	row = tm_index_find(&x, "AAPL");	(-1 when absent)
 *	tm_index_release(&x);
 */
struct tm_index {
	int64_t *slot;			/* cap entries, -1 when empty */
	const char *const *keys;	/* borrowed */
	int64_t n;			/* keys indexed */
	size_t cap;			/* a power of two, >= 2n */
};
/* Index keys[0..n); reuses the table's memory when it is big enough. */
void tm_index_build(struct tm_index *x, const char *const *keys, int64_t n);
/* The index of key, or -1. */
int64_t tm_index_find(const struct tm_index *x, const char *key);
/* Add keys[i] (i >= every index so far; keys may have been reallocated:
 * the new pointer is taken), growing the table as needed. */
void tm_index_add(struct tm_index *x, const char *const *keys, int64_t i);
void tm_index_release(struct tm_index *x);

/* ------------------------------------------------------------ CSV input */

/*
 * A header/row CSV reader (libcsv underneath): a file or "-" (standard
 * input) or a buffer, inflated when it starts with the gzip magic, a UTF-8
 * byte order mark dropped; quoted fields (commas and newlines inside),
 * blanks around unquoted fields trimmed, CR, LF or CRLF line ends, blank
 * lines skipped.  Failures print one line "NAME:LINE: what" (or "NAME:
 * what") and return -1 with the reason kept for tm_fail_status():
 * EX_NOINPUT (cannot open), EX_DATAERR (bad CSV or gzip data), EX_IOERR.
 *	if ((c = tm_csv_open(path)) == NULL ||
 *	    tm_csv_header(c, &h, &nh) == -1)
 *		tm_exit(tm_fail_status());
 *	while ((rc = tm_csv_next(c, &v, &n)) == 1)
 *		...;
 */
struct tm_csv;
struct tm_csvfield {
	char *s;		/* NUL-terminated; may be written to */
	size_t len;		/* bytes before the NUL (a field may hold one) */
};
/* Open path ("-" is standard input, named "<stdin>" in messages). */
struct tm_csv *tm_csv_open(const char *path);
/* Read len bytes of buf (borrowed until tm_csv_free); name is for
 * messages. */
struct tm_csv *tm_csv_mem(const void *buf, size_t len, const char *name);
/* Keep messages instead of printing them (tm_csv_error gives the last
 * one): for a caller that reports them its own way. */
void tm_csv_quiet(struct tm_csv *c);
/* The first record, the header: 1, or -1 ("empty input" when there is
 * none). */
int tm_csv_header(struct tm_csv *c, struct tm_csvfield **fields, int *n);
/* The next record: 1 with *fields its *n fields (valid until the next
 * call), 0 at the end, -1 after a message. */
int tm_csv_next(struct tm_csv *c, struct tm_csvfield **fields, int *n);
/* The line the last record starts on (after the end: the line past it). */
long tm_csv_line(const struct tm_csv *c);
/* The name messages give: the path, "<stdin>" for "-", or the buffer's. */
const char *tm_csv_name(const struct tm_csv *c);
/* A caller's own complaint about the last record, in the reader's shape
 * "NAME:LINE: what" with EX_DATAERR: returns -1, and every later call to
 * tm_csv_next returns -1. */
int tm_csv_fail(struct tm_csv *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The last message, "" when none. */
const char *tm_csv_error(const struct tm_csv *c);
void tm_csv_free(struct tm_csv *c);

/*
 * The import rule of the price importers (tm-cat --import, tm-fetch
 * --csv): a header name is matched by its key, its ASCII letters and
 * digits lowercased ("Adj Close", "adj_close" and "AdjClose" are all
 * "adjclose").  tm_price_column gives TM_COL_DATE (date, timestamp, data),
 * TM_COL_TICKER (ticker, symbol), the index in tm_price_fields of a price
 * field (its name or Yahoo's, Stooq's or Alpha Vantage's: adjusted_close,
 * split_coefficient, dividend_amount, Zamkniecie...) or TM_COL_OTHER.
 */
#define TM_NPRICE 8
enum { TM_COL_OTHER = -1, TM_COL_DATE = -2, TM_COL_TICKER = -3 };
extern const char *const tm_price_fields[TM_NPRICE];
int tm_price_column(const char *name);
/* The key of name into key[size]. */
void tm_csv_key(const char *name, char *key, size_t size);
/* The ticker a file without a ticker column holds, from its name:
 * "data/SPY.csv.gz" is SPY (.csv, .csv.gz and .gz go); NULL for "-". */
char *tm_csv_file_ticker(const char *path);
/* Missing values: empty, NA, NaN (any case) and null. */
int tm_csv_missing(const char *s, size_t n);
/* The number in s[0..n) (a missing value is NaN): 0, -1 when it is not
 * a number, -2 when it is out of range. */
int tm_csv_number(const char *s, size_t n, double *v);
/* tm_csv_decimal, the fast path of a value, is in decimal.h. */

/*
 * The date and row columns of a header by the rule: the date column is the
 * one TM_COL_DATE names; the row column rowname (matched as it is, else by
 * key) or, with rowname NULL, the one TM_COL_TICKER names.  With neither,
 * a header of price columns only, read from a named file, is one ticker's
 * download: ticker is the file's (tm_csv_file_ticker).  Two columns of one
 * name under the rule are refused.  0, or -1 after tm_csv_fail.
 */
struct tm_import {
	const char *rowname;	/* in: the row column, NULL for the rule's */
	int known;		/* in: the caller knows the ticker already */
	int datecol, rowcol;	/* out: columns; rowcol -1 when none */
	char *ticker;		/* out: the file's ticker, or NULL; freed
				 * by the caller */
};
int tm_import_header(struct tm_csv *c, const struct tm_csvfield *h, int nh,
    struct tm_import *im);
/* A record of n columns under a header of nh: 0, or -1 after
 * tm_csv_fail ("too many columns", "N columns, header has NH"). */
int tm_import_width(struct tm_csv *c, int n, int nh);

#endif
