/* csvimport.h - tm-cat --import: a long CSV as TMT frames. */
#ifndef CSVIMPORT_H
#define CSVIMPORT_H

#include "tm.h"

/*
 * A long CSV (header "date,<row>,<field>...", any column order) read whole
 * through tm_csv_open (so "-", gzip, a BOM, quoting and CRLF as it says),
 * then handed out as one frame per date in ascending order; rows keep
 * their input order within a date.  The columns follow tm_import_header:
 * rowcol names the row column (NULL: ticker or symbol, else slot, else the
 * file's ticker for a download of price columns only); a price column
 * becomes its tm_price_fields label, any other keeps its name.  dt is
 * TM_F64 or TM_F32; missing values (tm_csv_missing) are NaN.  Returns NULL
 * after a "NAME:LINE: what" message, the reason in tm_fail_status().
 */
struct csvimp;
struct csvimp *csvimp_open(const char *path, const char *rowcol,
    enum tm_dtype dt);
/* The same over a buffer of len bytes (for fuzzers and tests). */
struct csvimp *csvimp_parse(const void *buf, size_t len, const char *name,
    const char *rowcol, enum tm_dtype dt);
/* Fill f with the next date's frame: 1, or 0 when there are no more. */
int csvimp_next(struct csvimp *c, struct tm_frame *f);
/* Number of data lines read. */
int64_t csvimp_rows(const struct csvimp *c);
void csvimp_free(struct csvimp *c);

#endif
