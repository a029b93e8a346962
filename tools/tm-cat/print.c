/*
 * print.c - frames as aligned text, CSV, TSV or JSON lines.
 *
 * All four see a frame as a table: one line per index of the first axis
 * (the row axis) and one column per element of the others (the fields of
 * a [row, field] frame; for more axes the labels are joined with '.').
 * CSV and TSV are long format, date first, under a single header: a frame
 * whose columns differ from the first one is an error, since the result
 * would not read back.  JSON writes one object per row.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cat.h"

struct printer {
	FILE *fp;
	enum fmt fmt;
	char *header;		/* CSV/TSV header written so far */
	int64_t frames;
	/* text: the cells of one frame */
	char *cells;
	size_t clen, ccap;
	size_t *coff;
	size_t ncap;
};

struct printer *
printer_new(FILE *fp, enum fmt fmt)
{
	struct printer *p = ecalloc(1, sizeof(*p));

	p->fp = fp;
	p->fmt = fmt;
	return p;
}

void
printer_free(struct printer *p)
{
	if (p == NULL)
		return;
	free(p->header);
	free(p->cells);
	free(p->coff);
	free(p);
}

static int64_t
ncols(const struct tm_frame *f)
{
	int64_t n = 1;

	for (int d = 1; d < f->ndim; d++)
		n *= f->shape[d];
	return n;
}

static int64_t
nrows(const struct tm_frame *f)
{
	return f->ndim > 0 ? f->shape[0] : 1;
}

/* Label of index i on axis d, or the index itself. */
static const char *
axis_label(const struct tm_frame *f, int d, int64_t i, char *tmp)
{
	if (f->labels[d] && f->labels[d][i])
		return f->labels[d][i];
	snprintf(tmp, 32, "%lld", (long long)i);
	return tmp;
}

/* The name of column j into buf (at least TM_MAXDIM * (TM_MAX_LABEL + 1)). */
static const char *
col_name(const struct tm_frame *f, int64_t j, char *buf, size_t cap)
{
	char tmp[32];
	size_t len = 0;
	int64_t idx[TM_MAXDIM];

	if (f->ndim <= 1)
		return "value";
	for (int d = f->ndim - 1; d >= 1; d--) {
		idx[d] = f->shape[d] ? j % f->shape[d] : 0;
		j = f->shape[d] ? j / f->shape[d] : 0;
	}
	buf[0] = '\0';
	for (int d = 1; d < f->ndim; d++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
		    d > 1 ? "." : "", axis_label(f, d, idx[d], tmp));
	return buf;
}

static const char *
row_axis(const struct tm_frame *f)
{
	return f->ndim > 0 && f->axes[0] ? f->axes[0] : "row";
}

/* A CSV field, quoted only when it has to be. */
static void
put_csv(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ' && s[0] != '\t') {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

/* A TSV field: tabs and newlines cannot be escaped, so they become spaces. */
static void
put_tsv(FILE *fp, const char *s)
{
	for (; *s; s++)
		putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
}

static void
put_json_str(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			putc(c, fp);
	}
	putc('"', fp);
}

static void
put_field(struct printer *p, const char *s)
{
	if (p->fmt == FMT_CSV)
		put_csv(p->fp, s);
	else
		put_tsv(p->fp, s);
}

static void
delimited(struct printer *p, const struct tm_frame *f, const char *date)
{
	char sep = p->fmt == FMT_CSV ? ',' : '\t';
	int64_t nc = ncols(f), nr = nrows(f);
	char name[TM_MAXDIM * (TM_MAX_LABEL + 1) + 64], tmp[32], num[64];

	/* The header as it would be written, compared with the first. */
	FILE *h;
	char *hs = NULL;
	size_t hlen = 0;
	if ((h = open_memstream(&hs, &hlen)) == NULL)
		tm_die(EX_OSERR, "open_memstream:");
	FILE *keep = p->fp;
	p->fp = h;
	put_field(p, "date");
	putc(sep, h);
	put_field(p, row_axis(f));
	for (int64_t j = 0; j < nc; j++) {
		putc(sep, h);
		put_field(p, col_name(f, j, name, sizeof(name)));
	}
	putc('\n', h);
	fclose(h);
	p->fp = keep;
	if (p->header == NULL) {
		fputs(hs, p->fp);
		p->header = hs;
	} else {
		if (strcmp(hs, p->header) != 0)
			tm_die(EX_DATAERR, "frame %s: its columns differ from "
			    "the first frame's; pick them with -k", date);
		free(hs);
	}

	for (int64_t i = 0; i < nr; i++) {
		put_field(p, date);
		putc(sep, p->fp);
		put_field(p, f->ndim > 0 ? axis_label(f, 0, i, tmp) : "");
		for (int64_t j = 0; j < nc; j++) {
			int n = fmt_elem(num, f, (size_t)(i * nc + j), "");
			putc(sep, p->fp);
			fwrite(num, 1, (size_t)n, p->fp);
		}
		putc('\n', p->fp);
	}
}

static void
jsonl(struct printer *p, const struct tm_frame *f, const char *date)
{
	int64_t nc = ncols(f), nr = nrows(f);
	char name[TM_MAXDIM * (TM_MAX_LABEL + 1) + 64], tmp[32], num[64];

	for (int64_t i = 0; i < nr; i++) {
		fputs("{\"date\":", p->fp);
		if (*date)
			put_json_str(p->fp, date);
		else
			fputs("null", p->fp);
		putc(',', p->fp);
		put_json_str(p->fp, row_axis(f));
		putc(':', p->fp);
		put_json_str(p->fp, f->ndim > 0 ? axis_label(f, 0, i, tmp) : "");
		for (int64_t j = 0; j < nc; j++) {
			putc(',', p->fp);
			put_json_str(p->fp, col_name(f, j, name, sizeof(name)));
			putc(':', p->fp);
			int n = fmt_elem(num, f, (size_t)(i * nc + j), "null");
			/* JSON has no inf; null like NaN. */
			if (num[n - 1] == 'f')
				fputs("null", p->fp);
			else
				fwrite(num, 1, (size_t)n, p->fp);
		}
		fputs("}\n", p->fp);
	}
}

/* Remember one cell of the text table.  The text is for a terminal, so a
 * control character of a label (a byte below 0x20, or 0x7f) is written as
 * \xNN, as git quotes a path, and cannot move the cursor or ring a bell;
 * CSV, TSV and JSON output keep the bytes (JSON escapes them itself). */
static void
cell(struct printer *p, size_t k, const char *s)
{
	size_t n = 0;
	const unsigned char *u;
	char *o;

	for (u = (const unsigned char *)s; *u; u++)
		n += *u < 0x20 || *u == 0x7f ? 4 : 1;
	if (k >= p->ncap) {
		p->ncap = (k + 1) * 2;
		p->coff = ereallocarray(p->coff, p->ncap, sizeof(size_t));
	}
	if (p->clen + n + 1 > p->ccap) {
		p->ccap = (p->clen + n + 1) * 2;
		p->cells = ereallocarray(p->cells, p->ccap, 1);
	}
	p->coff[k] = p->clen;
	o = p->cells + p->clen;
	for (u = (const unsigned char *)s; *u; u++)
		if (*u < 0x20 || *u == 0x7f)
			o += sprintf(o, "\\x%02x", *u);
		else
			*o++ = (char)*u;
	*o = '\0';
	p->clen += n + 1;
}

static void
text(struct printer *p, const struct tm_frame *f, const char *date)
{
	int64_t nc = ncols(f), nr = nrows(f), w = nc + 1;
	char name[TM_MAXDIM * (TM_MAX_LABEL + 1) + 64], tmp[32], num[64];

	if (p->frames > 0)
		putc('\n', p->fp);
	fprintf(p->fp, "%s  %s", *date ? date : "(no date)",
	    tm_dtype_name(f->dtype));
	for (int d = 0; d < f->ndim; d++)
		fprintf(p->fp, "%s%s %lld", d ? ", " : " [", f->axes[d],
		    (long long)f->shape[d]);
	fputs(f->ndim ? "]\n" : "\n", p->fp);

	/* Format every cell first: the widths depend on all of them. */
	p->clen = 0;
	cell(p, 0, row_axis(f));
	for (int64_t j = 0; j < nc; j++)
		cell(p, (size_t)(1 + j), col_name(f, j, name, sizeof(name)));
	for (int64_t i = 0; i < nr; i++) {
		size_t base = (size_t)((i + 1) * w);
		cell(p, base, f->ndim > 0 ? axis_label(f, 0, i, tmp) : "");
		for (int64_t j = 0; j < nc; j++) {
			fmt_elem(num, f, (size_t)(i * nc + j), "NaN");
			cell(p, base + 1 + (size_t)j, num);
		}
	}
	size_t *width = ecalloc((size_t)w, sizeof(size_t));
	for (int64_t i = 0; i <= nr; i++)
		for (int64_t j = 0; j < w; j++) {
			size_t n = strlen(p->cells + p->coff[i * w + j]);
			if (n > width[j])
				width[j] = n;
		}
	for (int64_t i = 0; i <= nr; i++) {
		for (int64_t j = 0; j < w; j++) {
			const char *s = p->cells + p->coff[i * w + j];
			/* Labels to the left, numbers (and their names) right. */
			if (j == 0)
				fprintf(p->fp, "%-*s", (int)width[j], s);
			else
				fprintf(p->fp, "  %*s", (int)width[j], s);
		}
		putc('\n', p->fp);
	}
	free(width);
}

void
printer_frame(struct printer *p, const struct tm_frame *f)
{
	const char *date = tm_frame_date(f);

	if (date == NULL)
		date = "";
	switch (p->fmt) {
	case FMT_CSV:
	case FMT_TSV:
		delimited(p, f, date);
		break;
	case FMT_JSON:
		jsonl(p, f, date);
		break;
	default:
		text(p, f, date);
		break;
	}
	p->frames++;
	if (ferror(p->fp))
		tm_die(EX_IOERR, "<stdout>: write error:");
}
