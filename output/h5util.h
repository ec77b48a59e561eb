/* output/h5util.h - small HDF5 helpers shared by the writer and the reader.
 *
 * String datasets (dates, entity names, coordinates) are variable-length
 * UTF-8 strings, which netCDF-4 reads as `string` variables (netCDF-C
 * misreads fixed-length string datasets); attributes and the members of
 * compound tables are fixed-length, null-terminated strings (ASCII, or
 * UTF-8 when the text has non-ASCII bytes), which netCDF reads as text and
 * h5py, pandas, R rhdf5 and MATLAB without special handling. The readers
 * here accept both kinds. Internal to output/; callers use writer.h and
 * reader.h. Not thread-safe by itself: the writer holds its mutex. */
#ifndef OUTPUT_H5UTIL_H
#define OUTPUT_H5UTIL_H

#include <stddef.h>

#include <hdf5.h>

#include "sim/err.h"

/* The innermost message of the current HDF5 error stack ("unable to open
 * file"...), or for a failed system call the system's reason alone ("No
 * space left on device"), on one line, copied to buf; clears the stack. */
void h5u_detail(char *buf, size_t size);

/* A fixed-length string type wide enough for the n strings (plus a NUL). */
hid_t h5u_str_type(const char *const *s, size_t n);

/* The variable-length UTF-8 string type (close it with H5Tclose). */
hid_t h5u_vlstr_type(void);

/* Packs n strings into one buffer of n * H5Tget_size(t) bytes; NULL on ENOMEM. */
char *h5u_str_pack(hid_t t, const char *const *s, size_t n);

/* Writes a scalar string attribute (replacing one of the same name).
 * Returns 0, or -1 on an HDF5 failure. */
int h5u_attr_write_str(hid_t obj, const char *name, const char *value);
/* A 1-D array of strings as an attribute. */
int h5u_attr_write_strv(hid_t obj, const char *name, const char *const *s, size_t n);
int h5u_attr_write_num(hid_t obj, const char *name, hid_t file_type,
                       hid_t mem_type, const void *value);

/* Reads a string attribute (scalar, or the first of one string) into a
 * malloc'd copy of at most H5U_MAX_TEXT bytes; NULL if absent, not a
 * string, or longer. */
char *h5u_attr_read_str(hid_t obj, const char *name);

/* Bounds of the readers below when the caller gives none. */
#define H5U_MAX_STRINGS ((size_t)1 << 20)       /* strings in one dataset or attribute */
#define H5U_MAX_TEXT    ((size_t)16 << 20)      /* bytes of one string */

/* The shape of a string dataset or attribute, read before anything else:
 * *n strings (rank 0 or 1), fixed width *width bytes (0 when *vlen).
 * Returns 0; -2 when it is not a string or has rank > 1; -1 on an HDF5
 * failure. */
int h5u_str_shape(hid_t obj, int is_attr, size_t *n, size_t *width, int *vlen);
/* Reads a 0-D or 1-D string dataset or attribute (fixed or variable
 * length) into a malloc'd array of n malloc'd strings, after checking
 * that it holds at most max_n strings of at most max_w bytes. Returns 0;
 * -2 when it is not a string or over the bounds (nothing read); -1 on an
 * HDF5 failure or ENOMEM. */
int h5u_read_strings_max(hid_t obj, int is_attr, size_t max_n, size_t max_w, char ***out,
                         size_t *n);
/* h5u_read_strings_max with H5U_MAX_STRINGS, H5U_MAX_TEXT; 0 or -1. */
int h5u_read_strings(hid_t obj, int is_attr, char ***out, size_t *n);
void h5u_strv_free(char **v, size_t n);

/* Creates each missing group along the absolute path; returns the last
 * group open, or a negative id. */
hid_t h5u_group_ensure(hid_t file, const char *path);

/* 1 if the absolute path names an object, 0 if not (missing parents
 * included), never an error. */
int h5u_exists(hid_t file, const char *path);

/* A dataset transfer property list whose conversion buffers fit n
 * elements of dset (file type) converted to mem_size bytes each. HDF5's
 * default is 1 MiB, cleared on every read or write through a compound
 * type: one column at a time, that clearing cost more than the data.
 * The buffers are capped at H5U_XFER_MAX bytes (HDF5 then converts in
 * pieces), so a size a file declares cannot make them huge. Close with
 * H5Pclose; negative on failure. */
#define H5U_XFER_MAX ((size_t)64 << 20)
hid_t h5u_xfer_sized(hid_t dset, size_t n, size_t mem_size);

/* Reads one field of a compound dataset of n rows as doubles (any numeric
 * field) or as fixed-length strings of at most max_w bytes. The caller
 * has checked n against the dataset. Return 0, or -1 when the field is
 * missing, of another kind, too wide, or the read fails. */
int h5u_field_read_double(hid_t dset, const char *field, size_t n, double *out);
int h5u_field_read_strings(hid_t dset, const char *field, size_t n, size_t max_w, char ***out);

#endif
