/* mail.h - tm-mail's parts: message building, SMTP through libcurl, and
 * the maildir spool that keeps a message the server could not take. */
#ifndef MAIL_H
#define MAIL_H

#include <stddef.h>

#include "tm.h"

/* Messages are built in libcommon's struct tm_buf. */
/* Read a whole file ("-" is stdin) into b; dies EX_NOINPUT / EX_IOERR. */
void buf_slurp(struct tm_buf *b, const char *path);

/* ------------------------------------------------------------ compose */

/* What the caller asked for.  Every string here may come from argv or
 * the environment, so each is checked before it reaches a header. */
struct msgopt {
	const char *from;	/* "addr" or "Name <addr>" */
	char **to;		/* addr-specs */
	size_t nto;
	const char *subject;	/* UTF-8, NULL for none */
	const char *text, *html;	/* files ("-" stdin), or NULL */
	char **attach;		/* files */
	size_t nattach;
	char **hdr;		/* "Name: value" */
	size_t nhdr;
	const char *severity;	/* critical, warning, info or NULL */
	const char *alert;	/* X-TM-Alert value, or NULL */
};

/* Refuse (exit 65, one line naming what) a header value holding CR or
 * LF, the header injection, or bytes that are not UTF-8. */
void hdr_check(const char *what, const char *v);
/* The addr-spec of "addr" or "Name <addr>" in addr (malloc'd) and the
 * display name in *name (malloc'd, or NULL); exits 64 naming what when
 * it is not a plausible address. */
void addr_parse(const char *what, const char *s, char **addr, char **name);
/* Append a header "Name: value" (and CRLF), encoding the value as RFC
 * 2047 UTF-8 B words, folded, when it is not plain printable ASCII. */
void hdr_put(struct tm_buf *out, const char *name, const char *value);
/* A new Message-ID "<...@domain>" (malloc'd). */
char *message_id(const char *domain);
/* The RFC 5322 date of t, in UTC, locale-free, into buf (>= 40 bytes). */
char *rfc5322_date(long long t, char *buf);

/* Build a whole message from o: headers, then one text or HTML part,
 * multipart/alternative for both, multipart/mixed with attachments. */
void compose(const struct msgopt *o, struct tm_buf *out);
/* A caller's RFC 5322 message in: line ends made CRLF, headers checked;
 * out: the same with From, Date and Message-ID added when missing, the
 * severity's Subject prefix and X-TM-Severity, and o->hdr.  Exits 65 on
 * a message that is not RFC 5322.  Without o->from, o->from becomes the
 * message's From: (malloc'd). */
void fix_raw(struct msgopt *o, const struct tm_buf *in, struct tm_buf *out);
/* The unfolded value of header name in a message (malloc'd) or NULL. */
char *msg_header(const char *msg, size_t len, const char *name);

/* --------------------------------------------------------------- smtp */

struct smtpcfg {
	const char *url;	/* smtp://host[:port] or smtps:// */
	int insecure_plain;	/* smtp:// without STARTTLS allowed */
	long timeout;		/* seconds for the whole transfer */
	const char *cacert;	/* CA file, or NULL for the system's */
	char *user, *pass;	/* or NULL; never printed */
	int verbose;		/* the dialogue on stderr, AUTH masked */
};

enum { SEND_OK, SEND_TEMP, SEND_PERM, SEND_CONFIG };
/* Check a URL: smtp:// or smtps://, no credentials in it.  Exits 64. */
void smtp_url_check(const char *url);
/* Send msg to the recipients.  Returns SEND_OK, SEND_TEMP (server down,
 * 4xx, connection lost: try later), SEND_PERM (a 5xx refusal) or
 * SEND_CONFIG (no STARTTLS, login denied, certificate refused); err
 * gets one line saying why. */
int smtp_send(const struct smtpcfg *c, const char *from, char *const *to,
    size_t nto, const char *msg, size_t len, char *err, size_t errn);

/* -------------------------------------------------------------- spool */

/* The envelope and message of one spooled file. */
struct spooled {
	char *from;
	char **to;
	size_t nto;
	long long queued;	/* epoch seconds */
	const char *msg;	/* into the file's buffer */
	size_t len;
	struct tm_buf file;
};

/* Make the spool folders (dir/tmp, new, failed; mode 0700), tightening a
 * looser existing mode.  Returns 0 or -1 (message printed). */
int spool_init(const char *dir);
/* Write a message into dir/folder ("new" or "failed"): dir/tmp first,
 * fsynced, then renamed.  Returns the new path (malloc'd) or NULL. */
char *spool_put(const char *dir, const char *folder, const char *from,
    char *const *to, size_t nto, long long queued, const char *msg,
    size_t len);
/* Parse a spool file; 0 or -1 when it is not one. */
int spool_parse(struct spooled *s);
void spooled_free(struct spooled *s);

struct flushopt {
	double lifetime;	/* seconds a message may wait */
	int retries;		/* rounds after the first */
	double backoff;		/* seconds before the first retry, doubling */
};
/* Retry every message in dir/new; see tm-mail(1) for the exit status
 * this returns. */
int spool_flush(const char *dir, const struct smtpcfg *c,
    const struct flushopt *fo);

#endif
