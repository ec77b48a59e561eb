/* output/h5util.c - string types, attributes, groups and compound fields.
 *
 * See h5util.h. Every function returns a status and leaves messages to the
 * caller, which names the file (h5u_detail gives HDF5's own words). */
#include "output/h5util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct detail_buf {
    char  *buf;
    size_t size;
} detail_buf;

/* The system's reason in a message of HDF5's file drivers ("file write
 * failed: time = ...\n, filename = ..., errno = 28, error message = 'No
 * space left on device', buf = ..."): the words after "error message = '"
 * up to the quote, into buf. 0 when the message has none. */
static int system_reason(const char *desc, char *buf, size_t size)
{
    static const char key[] = "error message = '";
    const char *p = desc ? strstr(desc, key) : NULL;
    if (!p)
        return 0;
    p += sizeof key - 1;
    const char *q = strchr(p, '\'');
    int n = q ? (int)(q - p) : (int)strlen(p);
    snprintf(buf, size, "%.*s", n, p);
    return 1;
}

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    detail_buf *d = data;
    if (n == 0 && d->size > 0 && system_reason(e->desc, d->buf, d->size))
        return 0;
    if (n == 0 && d->size > 0) {
        char minor[128] = "";
        if (H5Eget_msg(e->min_num, NULL, minor, sizeof minor) < 0)
            minor[0] = '\0';
        if (e->desc && *e->desc && *minor)
            snprintf(d->buf, d->size, "%s (%s)", e->desc, minor);
        else
            snprintf(d->buf, d->size, "%s", e->desc && *e->desc ? e->desc : minor);
    }
    return 0;
}

void h5u_detail(char *buf, size_t size)
{
    detail_buf d = { buf, size };
    if (size > 0)
        buf[0] = '\0';
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, &d);
    H5Eclear2(H5E_DEFAULT);
    if (size > 0 && !buf[0])
        snprintf(buf, size, "HDF5 error");
    for (char *c = buf; size > 0 && *c; c++)   /* one line, whatever HDF5 said */
        if (*c == '\n' || *c == '\r')
            *c = ' ';
}

hid_t h5u_vlstr_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

hid_t h5u_str_type(const char *const *s, size_t n)
{
    size_t len = 1;
    int utf8 = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = s[i] ? s[i] : "";
        size_t l = strlen(p) + 1;
        if (l > len)
            len = l;
        for (; *p; p++)
            if ((unsigned char)*p >= 0x80)
                utf8 = 1;
    }
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, len) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0
        || H5Tset_cset(t, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

char *h5u_str_pack(hid_t t, const char *const *s, size_t n)
{
    size_t w = H5Tget_size(t);
    char *buf = calloc(n ? n : 1, w);
    if (!buf)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i])
            strncpy(buf + i * w, s[i], w - 1);
    return buf;
}

static int attr_write(hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                      hid_t space, const void *buf)
{
    int rc = -1;
    htri_t ex = H5Aexists(obj, name);
    if (ex < 0 || (ex > 0 && H5Adelete(obj, name) < 0))
        return -1;
    hid_t a = H5Acreate2(obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return -1;
    if (H5Awrite(a, mtype, buf) >= 0)
        rc = 0;
    if (H5Aclose(a) < 0)
        rc = -1;
    return rc;
}

int h5u_attr_write_strv(hid_t obj, const char *name, const char *const *s, size_t n)
{
    int rc = -1;
    hid_t t = h5u_str_type(s, n), sp = -1;
    char *buf = NULL;
    if (t < 0)
        goto out;
    hsize_t dim = n;
    sp = H5Screate_simple(1, &dim, NULL);
    buf = h5u_str_pack(t, s, n);
    if (sp < 0 || !buf)
        goto out;
    rc = attr_write(obj, name, t, t, sp, buf);
out:
    free(buf);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

int h5u_attr_write_str(hid_t obj, const char *name, const char *value)
{
    int rc = -1;
    const char *v = value ? value : "";
    hid_t t = h5u_str_type(&v, 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    char *buf = t >= 0 ? h5u_str_pack(t, &v, 1) : NULL;
    if (t >= 0 && sp >= 0 && buf)
        rc = attr_write(obj, name, t, t, sp, buf);
    free(buf);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

int h5u_attr_write_num(hid_t obj, const char *name, hid_t file_type,
                       hid_t mem_type, const void *value)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    if (sp < 0)
        return -1;
    int rc = attr_write(obj, name, file_type, mem_type, sp, value);
    H5Sclose(sp);
    return rc;
}

/* Reads n strings of type ft from a dataset or attribute into out; at
 * most max_w bytes each (-2 when a variable-length one is longer). */
static int read_strings_typed(hid_t obj, int is_attr, hid_t ft, size_t n, size_t max_w,
                              char **out)
{
    int rc = -1;
    hid_t mt = H5Tcopy(H5T_C_S1);
    if (mt < 0)
        return -1;
    if (H5Tis_variable_str(ft) > 0) {
        char **v = calloc(n ? n : 1, sizeof *v);
        if (!v || H5Tset_size(mt, H5T_VARIABLE) < 0 || H5Tset_cset(mt, H5Tget_cset(ft)) < 0)
            goto vout;
        if ((is_attr ? H5Aread(obj, mt, v) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v)) < 0)
            goto vout;
        rc = 0;
        for (size_t i = 0; i < n; i++) {
            const char *p = v[i] ? v[i] : "";
            if (rc == 0 && strlen(p) > max_w)
                rc = -2;
            if (rc == 0 && !(out[i] = strdup(p)))
                rc = -1;
            free(v[i]);     /* HDF5 allocates with malloc by default */
        }
    vout:
        free(v);
    } else {
        size_t w0 = H5Tget_size(ft);
        if (w0 == 0 || w0 > max_w) {
            rc = w0 > max_w ? -2 : -1;
            goto out;
        }
        size_t w = w0 + 1;
        char *buf = n <= SIZE_MAX / w ? calloc(n ? n : 1, w) : NULL;
        if (!buf || H5Tset_size(mt, w) < 0 || H5Tset_strpad(mt, H5T_STR_NULLTERM) < 0
            || H5Tset_cset(mt, H5Tget_cset(ft)) < 0) {
            free(buf);
            goto out;
        }
        if ((is_attr ? H5Aread(obj, mt, buf) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf)) >= 0) {
            rc = 0;
            for (size_t i = 0; i < n; i++) {
                buf[i * w + w - 1] = '\0';
                out[i] = strdup(buf + i * w);
                if (!out[i])
                    rc = -1;
            }
        }
        free(buf);
    }
out:
    H5Tclose(mt);
    return rc;
}

int h5u_str_shape(hid_t obj, int is_attr, size_t *n, size_t *width, int *vlen)
{
    hid_t ft = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    hid_t sp = is_attr ? H5Aget_space(obj) : H5Dget_space(obj);
    int rc = -1;
    if (ft < 0 || sp < 0)
        goto out;
    if (H5Tget_class(ft) != H5T_STRING) {
        rc = -2;
        goto out;
    }
    int nd = H5Sget_simple_extent_ndims(sp);
    hssize_t np = H5Sget_simple_extent_npoints(sp);
    if (nd < 0 || nd > 1 || np < 0) {
        rc = nd > 1 ? -2 : -1;
        goto out;
    }
    *n = (size_t)np;
    *vlen = H5Tis_variable_str(ft) > 0;
    *width = *vlen ? 0 : H5Tget_size(ft);
    rc = 0;
out:
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    H5Eclear2(H5E_DEFAULT);
    return rc;
}

int h5u_read_strings_max(hid_t obj, int is_attr, size_t max_n, size_t max_w, char ***out,
                         size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t np, w;
    int vlen;
    int rc = h5u_str_shape(obj, is_attr, &np, &w, &vlen);
    if (rc < 0)
        return rc;
    if (np > max_n || w > max_w)
        return -2;
    hid_t ft = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    if (ft < 0)
        return -1;
    char **v = calloc(np ? np : 1, sizeof *v);
    rc = v ? read_strings_typed(obj, is_attr, ft, np, max_w, v) : -1;
    H5Tclose(ft);
    if (rc < 0) {
        h5u_strv_free(v, np);
        return rc;
    }
    *out = v;
    *n = np;
    return 0;
}

int h5u_read_strings(hid_t obj, int is_attr, char ***out, size_t *n)
{
    return h5u_read_strings_max(obj, is_attr, H5U_MAX_STRINGS, H5U_MAX_TEXT, out, n) < 0 ? -1 : 0;
}

void h5u_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

char *h5u_attr_read_str(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return NULL;
    }
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    char **v;
    size_t n;
    char *s = NULL;
    if (h5u_read_strings_max(a, 1, 1, H5U_MAX_TEXT, &v, &n) == 0) {
        if (n >= 1) {
            s = v[0];
            v[0] = NULL;
        }
        h5u_strv_free(v, n);
    }
    H5Aclose(a);
    return s;
}

hid_t h5u_group_ensure(hid_t file, const char *path)
{
    size_t len = strlen(path);
    char *p = malloc(len + 1);
    if (!p)
        return -1;
    memcpy(p, path, len + 1);
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0 || H5Pset_obj_track_times(gcpl, 0) < 0) {
        free(p);
        return -1;
    }
    hid_t g = -1;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && p[i] != '/')
            continue;
        p[i] = '\0';
        htri_t ex = H5Lexists(file, p, H5P_DEFAULT);
        if (ex < 0)
            break;
        if (!ex) {
            hid_t c = H5Gcreate2(file, p, H5P_DEFAULT, gcpl, H5P_DEFAULT);
            if (c < 0 || H5Gclose(c) < 0)
                break;
        }
        if (i < len)
            p[i] = '/';
        else
            g = H5Gopen2(file, p, H5P_DEFAULT);
    }
    if (len <= 1)
        g = H5Gopen2(file, "/", H5P_DEFAULT);
    H5Pclose(gcpl);
    free(p);
    return g;
}

int h5u_exists(hid_t file, const char *path)
{
    if (!strcmp(path, "/"))
        return 1;
    size_t len = strlen(path);
    char *p = malloc(len + 1);
    if (!p)
        return 0;
    memcpy(p, path, len + 1);
    int ok = 1;
    for (size_t i = 1; i <= len && ok; i++) {
        if (i < len && p[i] != '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (H5Lexists(file, p, H5P_DEFAULT) <= 0)
            ok = 0;
        p[i] = c;
    }
    free(p);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

/* The member type of field in the compound type of dset, or -1. */
static hid_t field_type(hid_t dset, const char *field)
{
    hid_t ft = H5Dget_type(dset);
    if (ft < 0)
        return -1;
    hid_t mt = -1;
    int idx = H5Tget_member_index(ft, field);
    if (H5Tget_class(ft) == H5T_COMPOUND && idx >= 0)
        mt = H5Tget_member_type(ft, (unsigned)idx);
    H5Tclose(ft);
    H5Eclear2(H5E_DEFAULT);
    return mt;
}

hid_t h5u_xfer_sized(hid_t dset, size_t n, size_t mem_size)
{
    hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    hid_t ft = H5Dget_type(dset);
    /* need == 0 on overflow: the default buffer, and HDF5 converts in pieces */
    size_t fs = ft >= 0 ? H5Tget_size(ft) : 0;
    size_t need = fs && fs <= SIZE_MAX - mem_size && n <= SIZE_MAX / (fs + mem_size)
                  ? n * (fs + mem_size) : 0;
    if (ft >= 0)
        H5Tclose(ft);
    if (need > H5U_XFER_MAX)    /* HDF5 converts in pieces of this size */
        need = H5U_XFER_MAX;
    if (dxpl >= 0 && need > 0 && H5Pset_buffer(dxpl, need < 4096 ? 4096 : need, NULL, NULL) < 0) {
        H5Pclose(dxpl);
        dxpl = -1;
    }
    return dxpl;
}

int h5u_field_read_double(hid_t dset, const char *field, size_t n, double *out)
{
    hid_t ft = field_type(dset, field);
    if (ft < 0)
        return -1;
    H5T_class_t cls = H5Tget_class(ft);
    H5Tclose(ft);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT)
        return -1;
    int rc = -1;
    hid_t ct = H5Tcreate(H5T_COMPOUND, sizeof(double));
    hid_t dxpl = n ? h5u_xfer_sized(dset, n, sizeof(double)) : -1;
    if (ct >= 0 && H5Tinsert(ct, field, 0, H5T_NATIVE_DOUBLE) >= 0
        && (n == 0 || (dxpl >= 0 && H5Dread(dset, ct, H5S_ALL, H5S_ALL, dxpl, out) >= 0)))
        rc = 0;
    if (ct >= 0)
        H5Tclose(ct);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    return rc;
}

int h5u_field_read_strings(hid_t dset, const char *field, size_t n, size_t max_w, char ***out)
{
    *out = NULL;
    hid_t ft = field_type(dset, field);
    if (ft < 0)
        return -1;
    int rc = -1;
    hid_t st = -1, ct = -1, dxpl = -1;
    char *buf = NULL;
    char **v = calloc(n ? n : 1, sizeof *v);
    if (H5Tget_class(ft) != H5T_STRING || H5Tis_variable_str(ft) > 0 || !v
        || H5Tget_size(ft) == 0 || H5Tget_size(ft) > max_w)
        goto out;
    size_t w = H5Tget_size(ft) + 1;
    if (n > SIZE_MAX / w)
        goto out;
    st = H5Tcopy(H5T_C_S1);
    if (st < 0 || H5Tset_size(st, w) < 0 || H5Tset_strpad(st, H5T_STR_NULLTERM) < 0)
        goto out;
    ct = H5Tcreate(H5T_COMPOUND, w);
    buf = calloc(n ? n : 1, w);
    if (ct < 0 || !buf || H5Tinsert(ct, field, 0, st) < 0)
        goto out;
    if (n && ((dxpl = h5u_xfer_sized(dset, n, w)) < 0
              || H5Dread(dset, ct, H5S_ALL, H5S_ALL, dxpl, buf) < 0))
        goto out;
    rc = 0;
    for (size_t i = 0; i < n; i++) {
        buf[i * w + w - 1] = '\0';
        if (!(v[i] = strdup(buf + i * w)))
            rc = -1;
    }
out:
    free(buf);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (ct >= 0)
        H5Tclose(ct);
    if (st >= 0)
        H5Tclose(st);
    H5Tclose(ft);
    if (rc == 0)
        *out = v;
    else
        h5u_strv_free(v, n);
    return rc;
}
