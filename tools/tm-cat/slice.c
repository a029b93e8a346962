/*
 * slice.c - narrowing a frame to chosen rows (-r) and fields (-k).
 *
 * Rows are looked up by binary search in the sorted request, so a long -r
 * list costs O(rows log n) per frame; fields are few and must all exist.
 * Both come out in the order they were asked for.  A row missing from a
 * frame is left out: the universe changes from day to day.
 */
#include <stdlib.h>
#include <string.h>

#include "cat.h"

struct want {
	const char *name;
	size_t pos;
};

static struct want *wrows;	/* the -r list, sorted by name */

static int
cmp_want(const void *a, const void *b)
{
	return strcmp(((const struct want *)a)->name,
	    ((const struct want *)b)->name);
}

static int
cmp_key(const void *key, const void *b)
{
	return strcmp(key, ((const struct want *)b)->name);
}

static void
sort_rows(struct slice *sl)
{
	wrows = emalloc(sl->nrows * sizeof(*wrows));
	for (size_t i = 0; i < sl->nrows; i++) {
		wrows[i].name = sl->rows[i];
		wrows[i].pos = i;
	}
	qsort(wrows, sl->nrows, sizeof(*wrows), cmp_want);
}

static const char *
frame_name(const struct tm_frame *f)
{
	const char *d = tm_frame_date(f);

	return d ? d : "(no date)";
}

int
slice_apply(struct slice *sl, const struct tm_frame *f, struct tm_frame *out)
{
	int64_t nr, nk, ncols;
	size_t esz = tm_dtype_size(f->dtype);

	if (sl->nrows == 0 && sl->nfields == 0)
		return 0;
	if (f->ndim < 1 || (sl->nfields && f->ndim != 2))
		tm_die(EX_DATAERR, "frame %s: -k needs a 2-D frame, this one "
		    "has %d axes", frame_name(f), f->ndim);
	ncols = 1;
	for (int d = 1; d < f->ndim; d++)
		ncols *= f->shape[d];
	if (sl->ixcap < sl->nrows + sl->nfields + 1) {
		sl->ixcap = sl->nrows + sl->nfields + 1;
		sl->ix = ereallocarray(sl->ix, sl->ixcap, sizeof(int64_t));
	}
	int64_t *rix = sl->ix, *kix = sl->ix + sl->nrows;

	/* Rows: which frame row answers each request, in request order. */
	if (sl->nrows) {
		if (f->labels[0] == NULL)
			tm_die(EX_DATAERR, "frame %s: -r needs row labels",
			    frame_name(f));
		if (wrows == NULL)
			sort_rows(sl);
		for (size_t i = 0; i < sl->nrows; i++)
			rix[i] = -1;
		for (int64_t r = 0; r < f->shape[0]; r++) {
			const char *l = f->labels[0][r] ? f->labels[0][r] : "";
			struct want *w = bsearch(l, wrows, sl->nrows,
			    sizeof(*wrows), cmp_key);
			if (w && rix[w->pos] < 0)
				rix[w->pos] = r;
		}
		nr = 0;
		for (size_t i = 0; i < sl->nrows; i++)
			if (rix[i] >= 0)
				rix[nr++] = rix[i];
	} else {
		nr = f->shape[0];
	}
	if (sl->nfields) {
		for (size_t j = 0; j < sl->nfields; j++)
			if ((kix[j] = tm_frame_find_label(f, 1,
			    sl->fields[j])) < 0)
				tm_die(EX_DATAERR, "frame %s: no field '%s'",
				    frame_name(f), sl->fields[j]);
		nk = (int64_t)sl->nfields;
	} else {
		nk = ncols;
	}

	int64_t shape[TM_MAXDIM];
	memcpy(shape, f->shape, sizeof(shape));
	shape[0] = nr;
	if (sl->nfields)
		shape[1] = nk;
	if (tm_frame_shape(out, f->dtype, f->ndim, shape,
	    (const char *const *)f->axes) == -1)
		tm_die(EX_SOFTWARE, "slice: cannot shape the frame");
	for (int64_t i = 0; i < nr; i++) {
		int64_t r = sl->nrows ? rix[i] : i;
		const char *src = (const char *)f->data + (size_t)(r * ncols) * esz;
		char *dst = (char *)out->data + (size_t)(i * nk) * esz;
		if (sl->nfields)
			for (int64_t j = 0; j < nk; j++)
				memcpy(dst + (size_t)j * esz,
				    src + (size_t)kix[j] * esz, esz);
		else
			memcpy(dst, src, (size_t)ncols * esz);
		if (f->labels[0])
			tm_frame_set_label(out, 0, i, f->labels[0][r] ?
			    f->labels[0][r] : "");
	}
	for (int d = 1; d < f->ndim; d++) {
		if (f->labels[d] == NULL)
			continue;
		for (int64_t j = 0; j < out->shape[d]; j++) {
			int64_t s = (d == 1 && sl->nfields) ? kix[j] : j;
			tm_frame_set_label(out, d, j, f->labels[d][s] ?
			    f->labels[d][s] : "");
		}
	}
	out->coords = f->coords ? json_incref(f->coords) : NULL;
	out->meta = f->meta ? json_incref(f->meta) : NULL;
	out->encoding = f->encoding;
	return 1;
}

void
slice_free(struct slice *sl)
{
	tm_strv_free(sl->rows);
	tm_strv_free(sl->fields);
	free(sl->ix);
	free(wrows);
	wrows = NULL;
}
