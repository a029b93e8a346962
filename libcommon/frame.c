/* frame.c - the in-memory frame: shape, labels, coords, element access. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tm.h"

static const char *dtype_names[TM_NDTYPE] = { "F32", "F64", "I32", "I64", "U8" };
static const size_t dtype_sizes[TM_NDTYPE] = { 4, 8, 4, 8, 1 };

size_t
tm_dtype_size(enum tm_dtype dt)
{
	return dt < TM_NDTYPE ? dtype_sizes[dt] : 0;
}

const char *
tm_dtype_name(enum tm_dtype dt)
{
	return dt < TM_NDTYPE ? dtype_names[dt] : "?";
}

int
tm_dtype_parse(const char *s)
{
	for (int i = 0; i < TM_NDTYPE; i++)
		if (strcmp(s, dtype_names[i]) == 0)
			return i;
	return -1;
}

void
tm_frame_init(struct tm_frame *f)
{
	memset(f, 0, sizeof(*f));
}

static void
free_labels(struct tm_frame *f, int d)
{
	if (f->labels[d] == NULL)
		return;
	for (int64_t i = 0; i < f->shape[d]; i++)
		free(f->labels[d][i]);
	free(f->labels[d]);
	f->labels[d] = NULL;
}

/* Drop everything but the data buffer, which tm_frame_shape reuses. */
static void
clear_desc(struct tm_frame *f)
{
	for (int d = 0; d < TM_MAXDIM; d++) {
		free_labels(f, d);
		free(f->axes[d]);
		f->axes[d] = NULL;
		f->shape[d] = 0;
	}
	if (f->coords)
		json_decref(f->coords);
	if (f->meta)
		json_decref(f->meta);
	f->coords = f->meta = NULL;
	f->ndim = 0;
	f->nbytes = 0;
}

void
tm_frame_release(struct tm_frame *f)
{
	clear_desc(f);
	free(f->data);
	memset(f, 0, sizeof(*f));
}

size_t
tm_frame_count(const struct tm_frame *f)
{
	size_t n = 1;

	for (int d = 0; d < f->ndim; d++)
		n *= (size_t)f->shape[d];
	return n;
}

int
tm_frame_shape(struct tm_frame *f, enum tm_dtype dt, int ndim,
    const int64_t *shape, const char *const *axes)
{
	if (tm_frame_shape_unset(f, dt, ndim, shape, axes) == -1)
		return -1;
	size_t cnt = tm_frame_count(f);
	if (dt == TM_F32) {
		float *p = f->data;
		for (size_t i = 0; i < cnt; i++)
			p[i] = NAN;
	} else if (dt == TM_F64) {
		double *p = f->data;
		for (size_t i = 0; i < cnt; i++)
			p[i] = NAN;
	} else
		memset(f->data, 0, f->nbytes);
	return 0;
}

int
tm_frame_shape_unset(struct tm_frame *f, enum tm_dtype dt, int ndim,
    const int64_t *shape, const char *const *axes)
{
	uint64_t n = 1;

	clear_desc(f);
	if (dt >= TM_NDTYPE || ndim < 0 || ndim > TM_MAXDIM) {
		tm_warn("frame: bad dtype or rank");
		return -1;
	}
	for (int d = 0; d < ndim; d++) {
		if (shape[d] < 0 || (shape[d] > 0 &&
		    n > TM_MAX_NBYTES / (uint64_t)shape[d])) {
			tm_warn("frame: shape too large");
			return -1;
		}
		n *= (uint64_t)shape[d];
	}
	n *= tm_dtype_size(dt);
	if (n > TM_MAX_NBYTES) {
		tm_warn("frame: %llu bytes exceeds the cap",
		    (unsigned long long)n);
		return -1;
	}
	f->dtype = dt;
	f->ndim = ndim;
	for (int d = 0; d < ndim; d++) {
		f->shape[d] = shape[d];
		f->axes[d] = estrdup(axes[d]);
	}
	f->nbytes = (size_t)n;
	if (f->cap < f->nbytes || f->data == NULL) {
		free(f->data);
		f->data = emalloc(f->nbytes ? f->nbytes : 1);
		f->cap = f->nbytes ? f->nbytes : 1;
	}
	return 0;
}

int
tm_frame_shape2(struct tm_frame *f, enum tm_dtype dt, const char *ax0,
    int64_t n0, const char *ax1, int64_t n1)
{
	int64_t shape[2] = { n0, n1 };
	const char *axes[2] = { ax0, ax1 };

	return tm_frame_shape(f, dt, 2, shape, axes);
}

void
tm_frame_set_label(struct tm_frame *f, int d, int64_t i, const char *s)
{
	if (d < 0 || d >= f->ndim || i < 0 || i >= f->shape[d])
		tm_die(EX_SOFTWARE, "frame: label %lld of axis %d out of range",
		    (long long)i, d);
	if (f->labels[d] == NULL)
		f->labels[d] = ecalloc((size_t)(f->shape[d] ? f->shape[d] : 1),
		    sizeof(char *));
	free(f->labels[d][i]);
	f->labels[d][i] = estrdup(s);
}

int64_t
tm_frame_find_label(const struct tm_frame *f, int d, const char *s)
{
	if (d < 0 || d >= f->ndim || f->labels[d] == NULL)
		return -1;
	for (int64_t i = 0; i < f->shape[d]; i++)
		if (f->labels[d][i] && strcmp(f->labels[d][i], s) == 0)
			return i;
	return -1;
}

int
tm_frame_axis(const struct tm_frame *f, const char *name)
{
	for (int d = 0; d < f->ndim; d++)
		if (f->axes[d] && strcmp(f->axes[d], name) == 0)
			return d;
	return -1;
}

const char *
tm_frame_date(const struct tm_frame *f)
{
	json_t *v;

	if (f->coords == NULL || (v = json_object_get(f->coords, "date")) == NULL)
		return NULL;
	return json_string_value(v);
}

void
tm_frame_set_date(struct tm_frame *f, const char *iso)
{
	if (f->coords == NULL)
		f->coords = json_object();
	json_object_set_new(f->coords, "date", json_string(iso));
}

void
tm_frame_set_meta(struct tm_frame *f, const char *key, const char *val)
{
	if (f->meta == NULL)
		f->meta = json_object();
	json_object_set_new(f->meta, key, json_string(val));
}

const char *
tm_frame_get_meta(const struct tm_frame *f, const char *key)
{
	if (f->meta == NULL)
		return NULL;
	return json_string_value(json_object_get(f->meta, key));
}

double
tm_frame_get(const struct tm_frame *f, size_t i)
{
	switch (f->dtype) {
	case TM_F32:
		return ((const float *)f->data)[i];
	case TM_F64:
		return ((const double *)f->data)[i];
	case TM_I32:
		return ((const int32_t *)f->data)[i];
	case TM_I64:
		return (double)((const int64_t *)f->data)[i];
	case TM_U8:
		return ((const uint8_t *)f->data)[i];
	default:
		return NAN;
	}
}

void
tm_frame_set(struct tm_frame *f, size_t i, double v)
{
	int nan = isnan(v);

	switch (f->dtype) {
	case TM_F32:
		((float *)f->data)[i] = (float)v;
		break;
	case TM_F64:
		((double *)f->data)[i] = v;
		break;
	case TM_I32:
		((int32_t *)f->data)[i] = nan ? 0 : (int32_t)v;
		break;
	case TM_I64:
		((int64_t *)f->data)[i] = nan ? 0 : (int64_t)v;
		break;
	case TM_U8:
		((uint8_t *)f->data)[i] = nan ? 0 : (uint8_t)v;
		break;
	default:
		break;
	}
}

void
tm_frame_copy(struct tm_frame *dst, const struct tm_frame *src)
{
	if (tm_frame_shape(dst, src->dtype, src->ndim, src->shape,
	    (const char *const *)src->axes) == -1)
		tm_die(EX_SOFTWARE, "frame copy failed");
	memcpy(dst->data, src->data, src->nbytes);
	for (int d = 0; d < src->ndim; d++)
		if (src->labels[d])
			for (int64_t i = 0; i < src->shape[d]; i++)
				tm_frame_set_label(dst, d, i,
				    src->labels[d][i] ? src->labels[d][i] : "");
	dst->coords = src->coords ? json_deep_copy(src->coords) : NULL;
	dst->meta = src->meta ? json_deep_copy(src->meta) : NULL;
	dst->encoding = src->encoding;
	dst->seq = src->seq;
}
