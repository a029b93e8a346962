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
 * the writer's next seq, else re-encode f.  Returns 0 or -1. */
int tm_write_from(struct tm_writer *w, struct tm_reader *r,
    const struct tm_frame *f);
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

void *emalloc(size_t n);
void *ecalloc(size_t nmemb, size_t size);
void *ereallocarray(void *p, size_t nmemb, size_t size);
char *estrdup(const char *s);

/* Flush and close fp, exiting EX_IOERR on a late write error (full disk,
 * closed pipe).  Call on stdout before returning from main. */
void efshut(FILE *fp, const char *name);

/* ------------------------------------------------------------- parsing */

/* strtonum(3)-style: whole number in [lo, hi] or die EX_USAGE naming what. */
long long estrtonum(const char *s, long long lo, long long hi,
    const char *what);
/* A finite double in [lo, hi] or die EX_USAGE. */
double estrtod(const char *s, double lo, double hi, const char *what);
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
int32_t tm_date_from_ymd(int y, int m, int d);
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

/* ------------------------------------ policy, model file, environment */

/*
 * The portfolio policy shared by tm-train, tm-infer and tm-backtest
 * (policy.c, model.c, env.c; see tm-train(1)).  Doubles throughout, so
 * gradients check against finite differences; matrix work is CBLAS.
 */

/* A deterministic generator (splitmix64 seeding xoshiro256**). */
struct tm_rng { uint64_t s[4]; };
void tm_rng_seed(struct tm_rng *r, uint64_t seed);
/* Advance *x by one splitmix64 step and return its mix: a seeder, and a
 * good 64-bit hash of a counter. */
uint64_t tm_splitmix64(uint64_t *x);
uint64_t tm_rng_next(struct tm_rng *r);
double tm_rng_uniform(struct tm_rng *r);	/* [0, 1) */
double tm_rng_normal(struct tm_rng *r);	/* N(0, 1) */

/*
 * A small MLP din -> h1 -> h2 -> dout, tanh hidden layers, linear output,
 * whose parameters sit in a caller's flat array from offset off (n of
 * them).  Rows are batched: X is [n][din], Y [n][dout]; cache holds
 * n*(h1+h2) activations between forward and backward.  backward adds the
 * parameter gradient into g (same layout as p) and writes dX when not
 * NULL; work holds n*(h1+h2).
 */
struct tm_mlp { int din, h1, h2, dout; size_t off, n; };
void tm_mlp_init(struct tm_mlp *m, int din, int h1, int h2, int dout,
    size_t off);
void tm_mlp_randinit(const struct tm_mlp *m, double *p, struct tm_rng *r);
void tm_mlp_forward(const struct tm_mlp *m, const double *p, const double *X,
    int n, double *cache, double *Y);
void tm_mlp_backward(const struct tm_mlp *m, const double *p, const double *X,
    int n, const double *cache, const double *dY, double *g, double *dX,
    double *work);

/* Slot kinds for the policy head, from one frame. */
enum { TM_SLOT_NONE, TM_SLOT_ACTIVE, TM_SLOT_ARCHIVE };

enum tm_arch { TM_ARCH_SHARED, TM_ARCH_FLAT };

/*
 * The policy: a scorer (one MLP shared by every slot, or with --arch flat
 * one MLP over all slots at once) gives each slot a logit from its
 * normalised features and its previous weight; a learned cash logit joins
 * them; the head turns them into target weights: archived slots keep
 * prev*sigmoid(s/tau) (they only shrink), active slots and cash share the
 * rest through a softmax at temperature tau = exp(p[itau]); other slots
 * get 0.  Its parameters are p[0 .. nparam).
 */
struct tm_policy {
	enum tm_arch arch;
	int nfeat;		/* features per slot, before the weight column */
	int nslots;		/* flat: the fixed slot count; shared: 0 */
	int learn_tau;		/* 0: tau stays as set */
	struct tm_mlp net;
	size_t icash, itau, nparam;
	double *p;
};
/* Lay out and allocate (zeroed) parameters. */
void tm_policy_init(struct tm_policy *pol, enum tm_arch arch, int nfeat,
    int nslots, int h1, int h2);
void tm_policy_release(struct tm_policy *pol);
void tm_policy_randinit(struct tm_policy *pol, struct tm_rng *r, double tau);
/* Width of one scorer input row: nfeat + 1. */
int tm_policy_din(const struct tm_policy *pol);
/* Fill one input row from normalised features and the previous weight
 * (scaled by the active count, so equal weight reads 1). */
void tm_policy_row(const struct tm_policy *pol, double *row, const float *x,
    double prev, int nactive);
/* Scores of n slots from X [n][din]; cache: tm_policy_cachelen doubles. */
size_t tm_policy_cachelen(const struct tm_policy *pol, int n);
void tm_policy_scores(const struct tm_policy *pol, const double *X, int n,
    double *cache, double *s);
/* Back from score gradients gs[n] into g; work as cache. */
void tm_policy_scores_back(const struct tm_policy *pol, const double *X,
    int n, const double *cache, const double *gs, double *g, double *work);
/* The head: w[n] and *wcash from scores, kinds and previous weights. */
void tm_policy_head(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, double *w, double *wcash);
/* Its backward: from gw[n], gcash into gs[n], *gc, *gtau (d/d logtau). */
void tm_policy_head_back(const double *s, double cash, double logtau,
    const uint8_t *kind, const double *prev, int n, const double *w,
    double wcash, const double *gw, double gcash, double *gs, double *gc,
    double *gtau);
/* Confidence of each slot in [0, 1]: sigmoid((s - cash)/tau), 0 unless
 * active or archived. */
void tm_policy_confidence(const double *s, double cash, double logtau,
    const uint8_t *kind, int n, double *conf);

/*
 * A model file (a TMT stream, tm-train(1)): the policy, the feature names
 * and their normalisation, the slot layout, training window, algorithm,
 * hyper-parameters (JSON text), per-epoch metrics and a version id (a hash
 * of the weight bytes).
 */
#define TM_MODEL_NMETRIC 4	/* train_reward valid_reward valid_sharpe valid_return */
struct tm_model {
	struct tm_policy pol;
	char **feat;		/* nfeat names (tm_strv) */
	double *mean, *sd;	/* nfeat each */
	char *layout, *algo, *from, *to, *hyper;
	int nslots;		/* slots of the training data */
	int nepoch;
	double *metrics;	/* nepoch * TM_MODEL_NMETRIC */
	char version[17];
};
void tm_model_init(struct tm_model *m);
void tm_model_release(struct tm_model *m);
/* Set m->version from the weights. */
void tm_model_stamp(struct tm_model *m);
/* Write atomically to path; read back.  0 or -1 (message printed; read's
 * reason in tm_fail_status(): 66 missing, unreadable or a directory, 65
 * not a model file, 74 a read error). */
int tm_model_write(struct tm_model *m, const char *path);
int tm_model_read(struct tm_model *m, const char *path);
/* Column of each model feature in a frame's field axis: col[nfeat]; -1
 * with a message naming the first missing feature. */
int tm_model_columns(const struct tm_model *m, const struct tm_frame *f,
    int *col);
/* Slot kinds of one frame (region, ticker, close and ret checked). */
void tm_slot_kinds(const struct tm_frame *f, uint8_t *kind);

/*
 * The environment: a slot stream held in memory, features normalised,
 * stepped day by day with the execution timing of CONVENTIONS.md.
 */
struct tm_env {
	int T, N, nf;
	char **feat;		/* nf names */
	char *layout;
	int32_t *date;		/* T */
	float *x;		/* T*N*nf, normalised once norm is set */
	float *ret;		/* T*N, NaN kept */
	uint8_t *kind;		/* T*N */
	uint8_t *changed;	/* T*N: ticker differs from day t-1 */
};
/* Read a whole slot stream (dates in [from, to] when set, 0 = open);
 * use the named features, or every field but close and region.  0 or -1
 * with a message; tm_fail_status() says 65 (bad stream) or 74 (I/O). */
int tm_env_load(struct tm_env *e, struct tm_reader *r, int32_t from,
    int32_t to, char **feat);
void tm_env_release(struct tm_env *e);
/* Mean and sd of each feature over active slots of days [t0, t1). */
void tm_env_stats(const struct tm_env *e, int t0, int t1, double *mean,
    double *sd);
/* Normalise x in place ((x-mean)/sd clipped to +-5, NaN to 0); tm_norm1
 * is the same for one value, for tm-infer. */
void tm_env_normalise(struct tm_env *e, const double *mean, const double *sd);
float tm_norm1(float x, double mean, double sd);

/* The book: the weights held (N slots and cash) and the value. */
struct tm_book { double *w, cash, value, peak; int N; };
void tm_book_init(struct tm_book *b, int N);
void tm_book_release(struct tm_book *b);
/*
 * Trade to targets decided from day t at the close of day t+1 and hold
 * through day t+2 (t+2 < T).  Slots not tradable at t+1 keep their
 * weight; a slot whose ticker changed at t+1 is sold; the other targets
 * are scaled to fill the rest.  The cost is cost*sum|w_new - w_held|.
 * The executed weights go to exec (N+1, cash last) when not NULL;
 * returns the net return of the day, and when gw (N+1, cash last) is not
 * NULL, the derivative of the day's growth 1+r with respect to the
 * policy's targets w and wcash (the held weights taken as given).
 */
double tm_env_step(const struct tm_env *e, int t, const double *w,
    double wcash, double cost, struct tm_book *b, double *exec,
    double *gw);

/* Reward weights: 0.6 daily_return + 0.3 sharpe - 0.1 drawdown. */
struct tm_reward { double a, b, d; int window; };
/* Per-day reward from the day's return and the returns so far (hist of
 * n, the last being today's) and drawdown 1 - value/peak. */
double tm_reward_day(const struct tm_reward *rw, const double *hist, int n,
    double drawdown);
/* Window objective over L returns: a*mean + b*mean/sd - d*mean(dd) and
 * its gradient g[L] (when not NULL). */
double tm_reward_window(const struct tm_reward *rw, const double *r, int L,
    double *g);
/* Annualised Sharpe of n daily returns (sqrt(252) mean / sd, 0 if n<2). */
double tm_sharpe(const double *r, int n);

/* ---------------------------------------------------------- CSV import */

/*
 * A long CSV (header "date,<row>,<field>...", any column order, quoted
 * fields, CRLF) read whole with libcsv, then handed out as one frame per
 * date in ascending order; rows keep their input order within a date.
 * rowcol names the row column (NULL: "ticker", else "slot"); dt is TM_F64
 * or TM_F32.  Empty, NA, NaN and null values are NaN.  Returns NULL after
 * printing "NAME:LINE: what" with *status EX_DATAERR (bad data) or
 * EX_IOERR.  Example: c = tm_csvimp_read(stdin, "<stdin>", NULL, TM_F64,
 * &st); while (tm_csvimp_next(c, &f) == 1) ...; tm_csvimp_free(c);
 */
struct tm_csvimp;
struct tm_csvimp *tm_csvimp_read(FILE *fp, const char *name,
    const char *rowcol, enum tm_dtype dt, int *status);
/* The same over a buffer of len bytes (for fuzzers and tests). */
struct tm_csvimp *tm_csvimp_parse(const void *buf, size_t len,
    const char *name, const char *rowcol, enum tm_dtype dt, int *status);
/* Fill f with the next date's frame: 1, or 0 when there are no more. */
int tm_csvimp_next(struct tm_csvimp *c, struct tm_frame *f);
/* Number of data lines read. */
int64_t tm_csvimp_rows(const struct tm_csvimp *c);
void tm_csvimp_free(struct tm_csvimp *c);

#endif
