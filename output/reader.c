/* output/reader.c - read-back of vouchsim HDF5 files (see reader.h).
 *
 * Loads the small tables at open and reads series on demand. Accepts
 * fixed- and variable-length strings, so files touched by other tools
 * still read. Nothing is allocated from a size the file declares before
 * that size is checked (see reader.h); out_reader_verify_isolated runs
 * the same reads in a child so that a crash inside libhdf5 on a corrupt
 * file becomes an error message. */
#include "output/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
    VERIFY_SECONDS = 10,        /* the checking child's time for one file */
    VERIFY_MEMORY_MB = 1024     /* and the memory it may add to the process's */
};

#include <hdf5.h>

#ifdef VOUCHSIM_COVERAGE
/* `make coverage` defines it: the checking child leaves by _exit (it must
 * not run the parent's atexit handlers), which skips the writing of gcov's
 * counters, so it writes them itself; without this, what the child reads
 * (every check of a hostile file that summary, plot and export refuse)
 * was tested but counted as never run. */
#include <gcov.h>
#define COVERAGE_RESET() __gcov_reset()
#define COVERAGE_DUMP() __gcov_dump()
#else
#define COVERAGE_RESET() ((void)0)
#define COVERAGE_DUMP() ((void)0)
#endif

#include "output/h5util.h"

typedef struct group_ent {
    char  *name;
    char **names;
    size_t n;
} group_ent;

struct out_reader {
    char            *path;
    hid_t            file;
    hid_t            root;      /* the group read as the file's root: "/" or an arm */
    out_attr        *attrs;
    size_t           nattrs;
    double          *hours;
    char           **dates;
    size_t           ntime;
    group_ent       *groups;
    size_t           ngroups;
    size_t           nruns;
    size_t           srows, scols;
    char           **snames, **sunits, **sdescs;
    uint32_t        *sruns;
    double          *svalues;
    out_summary_row *sum;
    char           **sum_names, **sum_units;
    size_t           nsum;
    out_series_info *series;
    size_t           nseries, capseries;
};

static int fail(const out_reader *r, sim_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(const out_reader *r, sim_err *err, int code, const char *fmt, ...)
{
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sim_err_set(err, code, r->path, 0, 0, "%s", what);
}

/* An HDF5 failure on an object of the file: the file is bad input. */
static int h5fail(const out_reader *r, sim_err *err, const char *what)
{
    char detail[256];
    h5u_detail(detail, sizeof detail);
    return fail(r, err, SIM_EINVAL, "%s: %s", what, detail);
}

/* Path p, written from the root ("/time/hours"), relative to the group
 * the reader reads as its root (the file's root, or an arm). */
static const char *rel(const char *p)
{
    while (*p == '/')
        p++;
    return *p ? p : ".";
}

static int nomem(const out_reader *r, sim_err *err)
{
    H5Eclear2(H5E_DEFAULT);
    return fail(r, err, SIM_ENOMEM, "out of memory");
}

/* 1 if absolute path p names an object through hard links only, 0 if
 * not; a negative SIM_E* code (err set) when a part of it is a soft or
 * external link. Those are not followed: an external link opens another
 * file of the file's choosing (a FIFO would hang the reader). */
static int has(const out_reader *r, sim_err *err, const char *p)
{
    size_t len = strlen(p);
    char q[1200];
    if (len >= sizeof q)
        return fail(r, err, SIM_EINVAL, "%.100s...: path too long", p);
    memcpy(q, p, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (i < len && q[i] != '/')
            continue;
        char c = q[i];
        q[i] = '\0';
        htri_t ex = H5Lexists(r->root, rel(q), H5P_DEFAULT);
        H5L_info_t li;
        if (ex <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return 0;
        }
        if (H5Lget_info(r->root, rel(q), &li, H5P_DEFAULT) < 0)
            return h5fail(r, err, q);
        if (li.type != H5L_TYPE_HARD)
            return fail(r, err, SIM_EINVAL, "%s: expected an object of this file, found %s link "
                        "(not followed)", q, li.type == H5L_TYPE_SOFT ? "a soft" : "an external");
        q[i] = c;
    }
    return 1;
}

/* A name the file gives a group, series or scalar: printable, not
 * empty, not starting with a dot (export makes file names of them). */
static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > OUT_READ_MAX_NAME || s[0] == '.')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return 0;
    return 1;
}

/* A printable copy of a name for messages (control bytes as '?'). */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    buf[i] = '\0';
    return buf;
}

/* Bytes of one chunk a dataset may declare. HDF5 allocates a whole chunk
 * (and inflates into it) to read any part of it: a 900 kB file with a
 * 512 MiB chunk took 535 MB to plot. vouchsim writes chunks of 1 MiB. */
enum { MAX_CHUNK_BYTES = 16 << 20 };

static int chunk_ok(const out_reader *r, sim_err *err, hid_t d, const char *p)
{
    hid_t pl = H5Dget_create_plist(d), t = H5Dget_type(d);
    int rc = SIM_OK;
    if (pl < 0 || t < 0)
        rc = h5fail(r, err, p);
    else if (H5Pget_layout(pl) == H5D_CHUNKED) {
        hsize_t ch[H5S_MAX_RANK];
        int nd = H5Pget_chunk(pl, H5S_MAX_RANK, ch);
        uint64_t bytes = H5Tget_size(t), max = MAX_CHUNK_BYTES;
        if (nd < 0)
            rc = h5fail(r, err, p);
        for (int i = 0; rc == SIM_OK && i < nd; i++) {
            if (ch[i] == 0 || bytes > max / ch[i])
                bytes = max + 1;
            else
                bytes *= ch[i];
        }
        if (rc == SIM_OK && bytes > max)
            rc = fail(r, err, SIM_EINVAL, "%s: expected chunks of at most %u MiB", p,
                      MAX_CHUNK_BYTES >> 20);
    }
    if (pl >= 0)
        H5Pclose(pl);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

/* Checks a dataset's shape and type before any read: rank `rank`, a
 * numeric type, chunks of a sane size; dims to dims[0..rank-1]. */
static int num_shape(const out_reader *r, sim_err *err, hid_t d, const char *p, int rank,
                     hsize_t dims[2])
{
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    int rc = SIM_OK;
    H5T_class_t cls = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    int nd = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (t < 0 || sp < 0 || nd < 0)
        rc = h5fail(r, err, p);
    else if (cls != H5T_FLOAT && cls != H5T_INTEGER)
        rc = fail(r, err, SIM_EINVAL, "%s: expected numbers, found another type", p);
    else if (nd != rank)
        rc = fail(r, err, SIM_EINVAL, "%s: expected a %d-D array, found %d-D", p, rank, nd);
    else if (H5Sget_simple_extent_dims(sp, dims, NULL) < 0)
        rc = h5fail(r, err, p);
    else
        rc = chunk_ok(r, err, d, p);
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

/* Reads string dataset or attribute obj (path p) of exactly `want`
 * strings (or at most max_n when want is (size_t)-1) of at most max_w
 * bytes. */
static int read_strs(const out_reader *r, sim_err *err, hid_t obj, int is_attr, const char *p,
                     size_t want, size_t max_n, size_t max_w, char ***out, size_t *n)
{
    size_t np, w;
    int vlen;
    *out = NULL;
    *n = 0;
    int rc = h5u_str_shape(obj, is_attr, &np, &w, &vlen);
    if (rc == -2)
        return fail(r, err, SIM_EINVAL, "%s: expected a 1-D array of strings", p);
    if (rc < 0)
        return h5fail(r, err, p);
    if (want != (size_t)-1 && np != want)
        return fail(r, err, SIM_EINVAL, "%s: expected %zu strings, found %zu", p, want, np);
    if (np > max_n)
        return fail(r, err, SIM_EINVAL, "%s: expected at most %zu strings, found %zu", p, max_n, np);
    if (w > max_w)
        return fail(r, err, SIM_EINVAL, "%s: expected strings of at most %zu bytes, found %zu",
                    p, max_w, w);
    if (!is_attr && (rc = chunk_ok(r, err, obj, p)))
        return rc;
    rc = h5u_read_strings_max(obj, is_attr, max_n, max_w, out, n);
    if (rc == -2)
        return fail(r, err, SIM_EINVAL, "%s: expected strings of at most %zu bytes", p, max_w);
    if (rc < 0) {
        char detail[256];
        h5u_detail(detail, sizeof detail);
        if (!strcmp(detail, "HDF5 error"))     /* no HDF5 error: malloc failed */
            return nomem(r, err);
        return fail(r, err, SIM_EINVAL, "%s: %s", p, detail);
    }
    return SIM_OK;
}

/* A string attribute of obj (at path p) of at most max_w bytes: *out is
 * NULL when absent. */
static int read_str_attr(const out_reader *r, sim_err *err, hid_t obj, const char *p,
                         const char *name, size_t max_w, char **out)
{
    *out = NULL;
    htri_t ex = H5Aexists(obj, name);
    if (ex <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return ex < 0 ? h5fail(r, err, p) : SIM_OK;
    }
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return h5fail(r, err, p);
    char where[700];
    snprintf(where, sizeof where, "%s@%s", p, name);
    char **v = NULL;
    size_t n = 0;
    int rc = read_strs(r, err, a, 1, where, 1, 1, max_w, &v, &n);
    H5Aclose(a);
    if (rc == SIM_OK) {
        *out = v[0];
        v[0] = NULL;
    }
    h5u_strv_free(v, n);
    return rc;
}

/* Names met iterating over the links of a group or the attributes of an
 * object: at most max names of at most maxlen bytes each. */
typedef struct name_list {
    char  **v;
    size_t  n, cap, max, maxlen;
    int     over;           /* more than max names, or a longer one: stopped */
    int     hard_only;      /* links: a soft or external one is bad */
    int     soft;           /* such a link was met: stopped */
    char    bad[256];       /* its name */
} name_list;

/* Adds a copy of name: 0 to go on, 1 to stop (l->over), -1 when out of
 * memory (the iteration fails with no HDF5 error). */
static herr_t name_add(name_list *l, const char *name)
{
    if (l->n >= l->max || strlen(name) > l->maxlen) {
        l->over = 1;
        return 1;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(name)))
        return -1;
    l->n++;
    return 0;
}

static herr_t link_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)loc;
    name_list *l = data;
    if (l->hard_only && info->type != H5L_TYPE_HARD && l->n < l->max) {
        l->soft = 1;
        snprintf(l->bad, sizeof l->bad, "%s", name);
        return 1;           /* stop: not followed */
    }
    return name_add(l, name);
}

static herr_t attr_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)loc;
    (void)info;
    return name_add(data, name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_free(name_list *l)
{
    h5u_strv_free(l->v, l->n);
    memset(l, 0, sizeof *l);
}

/* The links of group p of loc into l, sorted by name; negative when the
 * iteration failed. H5_ITER_NATIVE walks the group's own index; the
 * sorted orders make libhdf5 1.10 build a table of link messages, and on
 * a corrupt link heap its cleanup of that table frees garbage (a
 * segfault). */
static herr_t list_links(hid_t loc, const char *p, name_list *l)
{
    herr_t rc = H5Literate_by_name(loc, p, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, link_cb, l,
                                   H5P_DEFAULT);
    if (rc >= 0 && l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_str);
    return rc;
}

/* Fills l (empty on failure). */
static int list_names(const out_reader *r, sim_err *err, const char *p, size_t max,
                      const char *what, name_list *l)
{
    memset(l, 0, sizeof *l);
    l->max = max;
    l->maxlen = SIZE_MAX;   /* name_ok judges the names */
    l->hard_only = 1;
    H5O_info_t oi;
    if (H5Oget_info_by_name2(r->root, rel(p), &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return h5fail(r, err, p);
    if (oi.type != H5O_TYPE_GROUP)
        return fail(r, err, SIM_EINVAL, "%s: expected a group", p);
    if (list_links(r->root, rel(p), l) < 0) {
        char detail[256];
        h5u_detail(detail, sizeof detail);
        list_free(l);
        if (!strcmp(detail, "HDF5 error"))      /* name_add: malloc failed */
            return nomem(r, err);
        return fail(r, err, SIM_EINVAL, "%s: cannot list: %s", p, detail);
    }
    if (l->over) {
        list_free(l);
        return fail(r, err, SIM_EINVAL, "%s: expected at most %zu %s", p, max, what);
    }
    if (l->soft) {
        char nb[300];
        shown(l->bad, nb, sizeof nb);
        list_free(l);
        return fail(r, err, SIM_EINVAL, "%s/%s: expected an object of this file, found a soft or "
                    "external link (not followed)", p, nb);
    }
    return SIM_OK;
}

/* ---- root attributes ---- */

static int load_attr(out_reader *r, sim_err *err, const char *name)
{
    out_attr *a = &r->attrs[r->nattrs];
    memset(a, 0, sizeof *a);
    a->d = NAN;
    if (!(a->name = strdup(name)))
        return nomem(r, err);
    r->nattrs++;
    char where[400], nb[300];
    snprintf(where, sizeof where, "/@%s", shown(name, nb, sizeof nb));
    hid_t at = H5Aopen(r->root, name, H5P_DEFAULT);
    if (at < 0)
        return h5fail(r, err, where);
    hid_t t = H5Aget_type(at), sp = H5Aget_space(at);
    H5T_class_t cls = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int rc = SIM_OK;
    char buf[64];
    if (t < 0 || sp < 0 || np < 0)
        rc = h5fail(r, err, where);
    else if (cls == H5T_STRING && np == 1) {
        char **v = NULL;
        size_t n = 0;
        a->kind = OUT_ATTR_STRING;
        rc = read_strs(r, err, at, 1, where, 1, 1, OUT_READ_MAX_TEXT, &v, &n);
        if (rc == SIM_OK) {
            a->s = v[0];
            v[0] = NULL;
        }
        h5u_strv_free(v, n);
    } else if (cls == H5T_INTEGER && np == 1) {
        a->kind = OUT_ATTR_INT;
        if (H5Aread(at, H5T_NATIVE_INT64, &a->i) < 0)
            rc = h5fail(r, err, where);
        else {
            a->d = (double)a->i;
            snprintf(buf, sizeof buf, "%lld", (long long)a->i);
            a->s = strdup(buf);
        }
    } else if (cls == H5T_FLOAT && np == 1) {
        a->kind = OUT_ATTR_DOUBLE;
        if (H5Aread(at, H5T_NATIVE_DOUBLE, &a->d) < 0)
            rc = h5fail(r, err, where);
        else {
            snprintf(buf, sizeof buf, "%.17g", a->d);
            a->s = strdup(buf);
        }
    } else {
        a->kind = OUT_ATTR_STRING;
        a->s = strdup("(not shown)");
    }
    if (rc == SIM_OK && !a->s)
        rc = nomem(r, err);
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    H5Aclose(at);
    return rc;
}

static int load_attrs(out_reader *r, sim_err *err)
{
    H5O_info_t oi;
    if (H5Oget_info2(r->root, &oi, H5O_INFO_NUM_ATTRS) < 0)
        return h5fail(r, err, "/ (root attributes)");
    if (oi.num_attrs > OUT_READ_MAX_ATTRS)
        return fail(r, err, SIM_EINVAL, "/: expected at most %u root attributes, found %llu",
                    OUT_READ_MAX_ATTRS, (unsigned long long)oi.num_attrs);
    size_t n = (size_t)oi.num_attrs;
    /* at most the number the header declared: the names beyond are not read */
    name_list l = { .max = n, .maxlen = SIZE_MAX };
    if (!(r->attrs = calloc(n ? n : 1, sizeof *r->attrs)))
        return nomem(r, err);
    hsize_t idx = 0;
    int rc = SIM_OK;
    if (H5Aiterate2(r->root, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, attr_cb, &l) < 0)
        rc = h5fail(r, err, "/ (root attributes)");
    else if (l.n > 1)       /* the documented order: by name */
        qsort(l.v, l.n, sizeof *l.v, cmp_str);
    for (size_t i = 0; i < l.n && rc == SIM_OK; i++)
        rc = load_attr(r, err, l.v[i]);
    list_free(&l);
    return rc;
}

/* ---- time, entities ---- */

/* "YYYY-MM-DD", optionally "THH:MM" and ":SS": what the writer stores
 * and what the charts' time format parses. */
static int date_ok(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    size_t n = strlen(s);
    if (n != 10 && n != 16 && n != 19)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
            return 0;
    return 1;
}

static int load_time(out_reader *r, sim_err *err)
{
    int e1 = has(r, err, "/time/hours"), e2 = e1 < 0 ? 0 : has(r, err, "/time/date");
    if (e1 < 0 || e2 < 0)
        return e1 < 0 ? e1 : e2;
    if (!e1 || !e2)
        return fail(r, err, SIM_ENOENT, "not a vouchsim output file (no /time)");
    hid_t d = H5Dopen2(r->root, rel("/time/hours"), H5P_DEFAULT);
    hsize_t dims[2] = { 0, 0 };
    int rc = d < 0 ? h5fail(r, err, "/time/hours") : num_shape(r, err, d, "/time/hours", 1, dims);
    size_t n = (size_t)dims[0];
    if (rc == SIM_OK && dims[0] > OUT_READ_MAX_SAMPLES)
        rc = fail(r, err, SIM_EINVAL, "/time/hours: expected at most %u samples, found %llu",
                  OUT_READ_MAX_SAMPLES, (unsigned long long)dims[0]);
    else if (rc == SIM_OK && !(r->hours = malloc((n ? n : 1) * sizeof *r->hours)))
        rc = nomem(r, err);
    else if (rc == SIM_OK && n
             && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r->hours) < 0)
        rc = h5fail(r, err, "/time/hours");
    for (size_t i = 0; rc == SIM_OK && i < n; i++)
        if (!isfinite(r->hours[i]) || (i > 0 && r->hours[i] < r->hours[i - 1]))
            rc = fail(r, err, SIM_EINVAL,
                      "/time/hours: expected finite hours in increasing order, found %g at sample %zu",
                      r->hours[i], i);
    if (d >= 0)
        H5Dclose(d);
    if (rc)
        return rc;
    size_t nd = 0;
    d = H5Dopen2(r->root, rel("/time/date"), H5P_DEFAULT);
    if (d < 0)
        rc = h5fail(r, err, "/time/date");
    else
        rc = read_strs(r, err, d, 0, "/time/date", n, OUT_READ_MAX_SAMPLES, 32, &r->dates, &nd);
    for (size_t i = 0; rc == SIM_OK && i < nd; i++)
        if (!date_ok(r->dates[i])) {
            char b[64];
            rc = fail(r, err, SIM_EINVAL,
                      "/time/date: expected dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM, found '%s' "
                      "at sample %zu", shown(r->dates[i], b, sizeof b), i);
        }
    if (d >= 0)
        H5Dclose(d);
    r->ntime = rc ? 0 : n;
    if (rc) {
        h5u_strv_free(r->dates, nd);
        r->dates = NULL;
    }
    return rc;
}

static int load_entities(out_reader *r, sim_err *err)
{
    int e = has(r, err, "/entities");
    if (e <= 0)
        return e;
    name_list l;
    int rc = list_names(r, err, "/entities", OUT_READ_MAX_GROUPS, "entity groups", &l);
    if (rc == SIM_OK && !(r->groups = calloc(l.n ? l.n : 1, sizeof *r->groups)))
        rc = nomem(r, err);
    for (size_t i = 0; rc == SIM_OK && i < l.n; i++) {
        char p[600], nb[300];
        snprintf(p, sizeof p, "/entities/%s", shown(l.v[i], nb, sizeof nb));
        if (!name_ok(l.v[i])) {
            rc = fail(r, err, SIM_EINVAL, "%s: expected a group name of printable characters", p);
            break;
        }
        group_ent *g = &r->groups[r->ngroups];
        g->name = l.v[i];
        l.v[i] = NULL;
        r->ngroups++;
        hid_t d = H5Dopen2(r->root, rel(p), H5P_DEFAULT);
        if (d < 0) {
            rc = h5fail(r, err, p);
            break;
        }
        rc = read_strs(r, err, d, 0, p, (size_t)-1, OUT_READ_MAX_ENTITIES, OUT_READ_MAX_NAME,
                       &g->names, &g->n);
        H5Dclose(d);
    }
    list_free(&l);
    return rc;
}

static const group_ent *group_find(const out_reader *r, const char *group)
{
    for (size_t i = 0; i < r->ngroups; i++)
        if (!strcmp(r->groups[i].name, group))
            return &r->groups[i];
    return NULL;
}

/* ---- runs and series ---- */

/* The shape every series of group must have: samples x entities. */
static int series_expect(const out_reader *r, sim_err *err, const char *p, const char *group,
                         size_t *rows, size_t *cols)
{
    const group_ent *g = group_find(r, group);
    char nb[300];
    if (!g)
        return fail(r, err, SIM_EINVAL, "%s: expected its columns named in /entities/%s, which "
                    "the file does not have", p, shown(group, nb, sizeof nb));
    *rows = r->ntime;
    *cols = g->n;
    if (g->n && r->ntime > OUT_READ_MAX_CELLS / g->n)
        return fail(r, err, SIM_EINVAL, "%s: %zu samples x %zu entities is more than the %zu "
                    "numbers a series may hold", p, r->ntime, g->n, OUT_READ_MAX_CELLS);
    return SIM_OK;
}

/* Checks that dataset d (at p) is samples x entities of group, of
 * numbers: that shape into *rows, *cols. */
static int series_check(const out_reader *r, sim_err *err, hid_t d, const char *p,
                        const char *group, size_t *rows, size_t *cols)
{
    hsize_t dims[2] = { 0, 0 };
    int rc = series_expect(r, err, p, group, rows, cols);
    if (rc == SIM_OK)
        rc = num_shape(r, err, d, p, 2, dims);
    char nb[300];
    if (rc == SIM_OK && (dims[0] != *rows || dims[1] != *cols))
        rc = fail(r, err, SIM_EINVAL, "%s: expected %zu x %zu (samples of /time x names in "
                  "/entities/%s), found %llu x %llu", p, *rows, *cols,
                  shown(group, nb, sizeof nb), (unsigned long long)dims[0],
                  (unsigned long long)dims[1]);
    return rc;
}

/* Opens series p of group (reached through hard links only) into *d (to
 * close when >= 0) and checks it (series_check). SIM_ENOENT when absent. */
static int series_open(const out_reader *r, sim_err *err, const char *p, const char *group,
                       hid_t *d, size_t *rows, size_t *cols)
{
    *d = -1;
    *rows = *cols = 0;
    int e = has(r, err, p);
    if (e < 0)
        return e;
    if (!e)
        return fail(r, err, SIM_ENOENT, "no %s", p);
    if ((*d = H5Dopen2(r->root, rel(p), H5P_DEFAULT)) < 0)
        return h5fail(r, err, p);
    return series_check(r, err, *d, p, group, rows, cols);
}

/* Is dataset p a 1-D array of strings? Entity coordinates (the region of
 * each data center...) sit beside the series of their group; a 2-D one
 * is a broken series, not a coordinate. */
static int is_text(const out_reader *r, const char *p)
{
    hid_t d = H5Dopen2(r->root, rel(p), H5P_DEFAULT);
    hid_t t = d >= 0 ? H5Dget_type(d) : -1;
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    int text = t >= 0 && sp >= 0 && H5Tget_class(t) == H5T_STRING
               && H5Sget_simple_extent_ndims(sp) == 1;
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return text;
}

static int add_series(out_reader *r, sim_err *err, const char *where, const char *group,
                      const char *name, int stats)
{
    char p[1200], nb[300], gb[300];
    snprintf(p, sizeof p, "%s/%s/%s%s", where, shown(group, gb, sizeof gb),
             shown(name, nb, sizeof nb), stats ? "/mean" : "");
    if (!name_ok(name))
        return fail(r, err, SIM_EINVAL, "%s: expected a series name of printable characters", p);
    if (r->nseries >= OUT_READ_MAX_SERIES)
        return fail(r, err, SIM_EINVAL, "%s: expected at most %u series", where,
                    OUT_READ_MAX_SERIES);
    H5O_info_t oi;
    int e = has(r, err, p);
    if (e <= 0)
        return e;                               /* 0: a /series_stats entry without mean: skip */
    if (H5Oget_info_by_name2(r->root, rel(p), &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return h5fail(r, err, p);
    if (oi.type != H5O_TYPE_DATASET)
        return SIM_OK;                          /* not a series: skip */
    if (!stats) {
        /* the group's coordinates (time, entity names, their metadata) are
         * one-dimensional; a series has two dimensions */
        hid_t d1 = H5Dopen2(r->root, rel(p), H5P_DEFAULT);
        if (d1 < 0)
            return h5fail(r, err, p);
        hid_t sp = H5Dget_space(d1);
        int nd = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
        if (sp >= 0)
            H5Sclose(sp);
        H5Dclose(d1);
        if (nd < 0)
            return h5fail(r, err, p);
        if (nd == 1)
            return SIM_OK;
    }
    if (r->nseries == r->capseries) {
        size_t cap = r->capseries ? 2 * r->capseries : 16;
        out_series_info *s = realloc(r->series, cap * sizeof *s);
        if (!s)
            return nomem(r, err);
        r->series = s;
        r->capseries = cap;
    }
    hid_t d = H5Dopen2(r->root, rel(p), H5P_DEFAULT);
    if (d < 0)
        return h5fail(r, err, p);
    size_t rows = 0, cols = 0;
    int rc = series_check(r, err, d, p, group, &rows, &cols);
    char *u = NULL, *de = NULL;
    if (rc == SIM_OK)
        rc = read_str_attr(r, err, d, p, "units", OUT_READ_MAX_NAME, &u);
    if (rc == SIM_OK && !u)             /* files before CF units */
        rc = read_str_attr(r, err, d, p, "unit", OUT_READ_MAX_NAME, &u);
    if (rc == SIM_OK)
        rc = read_str_attr(r, err, d, p, "long_name", OUT_READ_MAX_DESC, &de);
    if (rc == SIM_OK && !de)
        rc = read_str_attr(r, err, d, p, "description", OUT_READ_MAX_DESC, &de);
    H5Dclose(d);
    if (rc == SIM_OK && !u)
        u = strdup("");
    if (rc == SIM_OK && !de)
        de = strdup("");
    char *g = rc == SIM_OK ? strdup(group) : NULL, *n = rc == SIM_OK ? strdup(name) : NULL;
    if (rc == SIM_OK && (!g || !n || !u || !de))
        rc = nomem(r, err);
    if (rc != SIM_OK) {
        free(g);
        free(n);
        free(u);
        free(de);
        return rc;
    }
    out_series_info *s = &r->series[r->nseries++];
    s->group = g;
    s->name = n;
    s->unit = u;
    s->desc = de;
    s->rows = rows;
    s->cols = cols;
    return SIM_OK;
}

/* A run group's name: four or more digits (0000, 0001 ...). */
static int run_name(const char *s)
{
    size_t n = strlen(s);
    return n >= 4 && n <= 9 && strspn(s, "0123456789") == n;
}

static int load_series(out_reader *r, sim_err *err)
{
    int rc = SIM_OK;
    name_list l;
    int e = has(r, err, "/runs");
    if (e < 0)
        return e;
    if (e) {
        if ((rc = list_names(r, err, "/runs", OUT_READ_MAX_RUNS, "runs", &l)))
            return rc;
        for (size_t i = 0; i < l.n; i++)
            r->nruns += run_name(l.v[i]);
        list_free(&l);
    }
    const char *where = "/runs/0000/series";
    int stats = 0;
    if ((e = has(r, err, where)) < 0)
        return e;
    if (!e) {
        where = "/series_stats";
        stats = 1;
        if ((e = has(r, err, where)) <= 0)
            return e;
    }
    if ((rc = list_names(r, err, where, OUT_READ_MAX_GROUPS, "series groups", &l)))
        return rc;
    for (size_t i = 0; i < l.n && rc == SIM_OK; i++) {
        char p[700], nb[300];
        snprintf(p, sizeof p, "%s/%s", where, shown(l.v[i], nb, sizeof nb));
        if (!name_ok(l.v[i])) {
            rc = fail(r, err, SIM_EINVAL, "%s: expected a group name of printable characters", p);
            break;
        }
        name_list sl;
        if ((rc = list_names(r, err, p, OUT_READ_MAX_SERIES, "series", &sl)))
            break;
        for (size_t j = 0; j < sl.n && rc == SIM_OK; j++)
            rc = add_series(r, err, where, l.v[i], sl.v[j], stats);
        list_free(&sl);
    }
    list_free(&l);
    return rc;
}

/* ---- scalars and summary ---- */

/* Bytes of a row of /scalars or /summary (10,000 numbers fit). */
enum { MAX_ROW_BYTES = 1 << 20 };

/* Rows of a 0-D or 1-D compound dataset d at p. */
static int table_shape(const out_reader *r, sim_err *err, hid_t d, const char *p, size_t max,
                       size_t *n, hid_t *type)
{
    hid_t sp = H5Dget_space(d);
    *type = H5Dget_type(d);
    int nd = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int rc = SIM_OK;
    if (sp < 0 || *type < 0 || nd < 0 || np < 0)
        rc = h5fail(r, err, p);
    else if (H5Tget_class(*type) != H5T_COMPOUND)
        rc = fail(r, err, SIM_EINVAL, "%s: expected a table (compound type)", p);
    else if (nd > 1)
        rc = fail(r, err, SIM_EINVAL, "%s: expected a 1-D table, found %d-D", p, nd);
    else if ((uint64_t)np > max)
        rc = fail(r, err, SIM_EINVAL, "%s: expected at most %zu rows, found %lld", p, max,
                  (long long)np);
    else if (H5Tget_size(*type) > MAX_ROW_BYTES)
        rc = fail(r, err, SIM_EINVAL, "%s: expected rows of at most %u bytes, found %zu", p,
                  MAX_ROW_BYTES, H5Tget_size(*type));
    else
        rc = chunk_ok(r, err, d, p);
    if (sp >= 0)
        H5Sclose(sp);
    *n = rc ? 0 : (size_t)np;
    return rc;
}

/* A count stored as a double: a whole number in [0, 2^32). */
static int count_ok(double v)
{
    return isfinite(v) && v >= 0 && v < 4294967296.0 && v == floor(v);
}

static int load_scalars(out_reader *r, sim_err *err)
{
    int e = has(r, err, "/scalars");
    if (e <= 0)
        return e;
    int rc = SIM_OK;
    hid_t d = H5Dopen2(r->root, rel("/scalars"), H5P_DEFAULT);
    hid_t t = -1, ct = -1, dxpl = -1;
    size_t rows = 0, cols = 0, nm = 0;
    char **names = NULL;
    double *all = NULL;
    if (d < 0) {
        rc = h5fail(r, err, "/scalars");
        goto out;
    }
    if ((rc = table_shape(r, err, d, "/scalars", OUT_READ_MAX_RUNS, &rows, &t)))
        goto out;
    if (r->nruns > 0 && rows != r->nruns) {
        rc = fail(r, err, SIM_EINVAL, "/scalars: expected %zu rows (one per group in /runs), "
                  "found %zu", r->nruns, rows);
        goto out;
    }
    int nmi = H5Tget_nmembers(t);
    if (nmi < 1 || (size_t)nmi > OUT_READ_MAX_SCALARS + 1) {
        rc = fail(r, err, SIM_EINVAL, "/scalars: expected `run` and at most %u columns, found %d",
                  OUT_READ_MAX_SCALARS, nmi - 1);
        goto out;
    }
    nm = (size_t)nmi;
    cols = nm - 1;
    if (rows && nm > OUT_READ_MAX_CELLS / rows) {
        rc = fail(r, err, SIM_EINVAL, "/scalars: %zu rows x %zu columns is more than the %zu "
                  "numbers a table may hold", rows, nm, OUT_READ_MAX_CELLS);
        goto out;
    }
    r->snames = calloc(cols + 1, sizeof *r->snames);
    r->sunits = calloc(cols + 1, sizeof *r->sunits);
    r->sdescs = calloc(cols + 1, sizeof *r->sdescs);
    r->sruns = calloc(rows + 1, sizeof *r->sruns);
    r->svalues = malloc((rows * cols + 1) * sizeof *r->svalues);
    names = calloc(nm, sizeof *names);
    all = malloc((rows ? rows : 1) * nm * sizeof *all);
    if (!r->snames || !r->sunits || !r->sdescs || !r->sruns || !r->svalues || !names || !all) {
        rc = nomem(r, err);
        goto out;
    }
    /* Every column in one read: one member each, all as double. Column by
     * column, each read built a new conversion path, and HDF5 searches
     * its paths linearly: that made reading a fragment's row slow. */
    if ((ct = H5Tcreate(H5T_COMPOUND, nm * sizeof(double))) < 0) {
        rc = h5fail(r, err, "/scalars");
        goto out;
    }
    for (size_t m = 0; m < nm; m++) {
        hid_t mt = H5Tget_member_type(t, (unsigned)m);
        H5T_class_t cls = mt >= 0 ? H5Tget_class(mt) : H5T_NO_CLASS;
        if (mt >= 0)
            H5Tclose(mt);
        if (!(names[m] = H5Tget_member_name(t, (unsigned)m))) {
            rc = h5fail(r, err, "/scalars");
            goto out;
        }
        char nb[300];
        if (!name_ok(names[m])) {
            rc = fail(r, err, SIM_EINVAL, "/scalars: column %zu: expected a name of printable "
                      "characters, found '%s'", m, shown(names[m], nb, sizeof nb));
            goto out;
        }
        if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
            rc = fail(r, err, SIM_EINVAL, "/scalars: column '%s': expected numbers",
                      shown(names[m], nb, sizeof nb));
            goto out;
        }
        if (H5Tinsert(ct, names[m], m * sizeof(double), H5T_NATIVE_DOUBLE) < 0) {
            rc = h5fail(r, err, "/scalars");
            goto out;
        }
    }
    if (strcmp(names[0], "run")) {
        rc = fail(r, err, SIM_EINVAL, "/scalars: the first column must be `run`");
        goto out;
    }
    if (rows > 0 && ((dxpl = h5u_xfer_sized(d, rows, nm * sizeof(double))) < 0
                     || H5Dread(d, ct, H5S_ALL, H5S_ALL, dxpl, all) < 0)) {
        rc = h5fail(r, err, "/scalars");
        goto out;
    }
    for (size_t i = 0; i < rows; i++) {
        double v = all[i * nm];
        if (!count_ok(v)) {
            rc = fail(r, err, SIM_EINVAL, "/scalars: row %zu: expected a run number, found %g",
                      i, v);
            goto out;
        }
        r->sruns[i] = (uint32_t)v;
        for (size_t j = 0; j < cols; j++)
            r->svalues[i * cols + j] = all[i * nm + 1 + j];
    }
    for (size_t j = 0; j < cols; j++)
        if (!(r->snames[j] = strdup(names[j + 1]))) {
            rc = nomem(r, err);
            goto out;
        }
    r->scols = cols;
    r->srows = rows;
    /* units and descriptions, in column order */
    static const char *const an[2] = { "units", "descriptions" };
    static const size_t aw[2] = { OUT_READ_MAX_NAME, OUT_READ_MAX_DESC };
    char ***dst[2] = { &r->sunits, &r->sdescs };
    for (int k = 0; k < 2 && rc == SIM_OK; k++) {
        htri_t ex = H5Aexists(d, an[k]);
        if (ex <= 0) {
            H5Eclear2(H5E_DEFAULT);
            continue;
        }
        char where[64];
        snprintf(where, sizeof where, "/scalars@%s", an[k]);
        hid_t a = H5Aopen(d, an[k], H5P_DEFAULT);
        char **v = NULL;
        size_t n = 0;
        if (a < 0)
            rc = h5fail(r, err, where);
        else
            rc = read_strs(r, err, a, 1, where, cols, OUT_READ_MAX_SCALARS, aw[k], &v, &n);
        for (size_t i = 0; rc == SIM_OK && i < n; i++) {
            (*dst[k])[i] = v[i];
            v[i] = NULL;
        }
        h5u_strv_free(v, n);
        if (a >= 0)
            H5Aclose(a);
    }
    for (size_t i = 0; i < r->scols && rc == SIM_OK; i++) {
        if (!r->sunits[i])
            r->sunits[i] = strdup("");
        if (!r->sdescs[i])
            r->sdescs[i] = strdup("");
        if (!r->sunits[i] || !r->sdescs[i])
            rc = nomem(r, err);
    }
out:
    if (rc != SIM_OK) {
        /* keep close() consistent: arrays sized cols + 1, rows kept 0 */
        r->scols = cols;
        r->srows = 0;
    }
    for (size_t m = 0; names && m < nm; m++)
        if (names[m])
            H5free_memory(names[m]);
    free(names);
    free(all);
    H5Eclear2(H5E_DEFAULT);
    if (ct >= 0)
        H5Tclose(ct);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (t >= 0)
        H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

static int load_summary(out_reader *r, sim_err *err)
{
    int e = has(r, err, "/summary");
    if (e <= 0)
        return e;
    int rc = SIM_OK;
    hid_t d = H5Dopen2(r->root, rel("/summary"), H5P_DEFAULT), t = -1;
    size_t n = 0;
    double *v = NULL;
    /* one row per scalar: at most as many as /scalars has columns */
    size_t max = has(r, NULL, "/scalars") > 0 ? r->scols : OUT_READ_MAX_SCALARS;
    if (d < 0) {
        rc = h5fail(r, err, "/summary");
        goto out;
    }
    if ((rc = table_shape(r, err, d, "/summary", max, &n, &t)))
        goto out;
    r->sum = calloc(n + 1, sizeof *r->sum);
    v = malloc((n + 1) * sizeof *v);
    if (!r->sum || !v) {
        rc = nomem(r, err);
        goto out;
    }
    static const char *const sf[2] = { "name", "unit" };
    char ***sd[2] = { &r->sum_names, &r->sum_units };
    for (int k = 0; k < 2; k++)
        if (h5u_field_read_strings(d, sf[k], n, OUT_READ_MAX_NAME, sd[k]) < 0) {
            rc = fail(r, err, SIM_EINVAL, "/summary: field '%s': expected fixed-length strings "
                      "of at most %u bytes", sf[k], OUT_READ_MAX_NAME);
            H5Eclear2(H5E_DEFAULT);
            goto out;
        }
    r->nsum = n;
    static const char *const f[6] = { "mean", "sd", "ci95_lo", "ci95_hi", "n", "n_missing" };
    for (int k = 0; k < 6; k++) {
        if (h5u_field_read_double(d, f[k], n, v) < 0) {
            rc = fail(r, err, SIM_EINVAL, "/summary: field '%s': expected numbers", f[k]);
            H5Eclear2(H5E_DEFAULT);
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            out_summary_row *s = &r->sum[i];
            if (k >= 4 && !count_ok(v[i])) {
                rc = fail(r, err, SIM_EINVAL, "/summary: row %zu, field '%s': expected a count, "
                          "found %g", i, f[k], v[i]);
                goto out;
            }
            switch (k) {
            case 0: s->mean = v[i]; break;
            case 1: s->sd = v[i]; break;
            case 2: s->ci95_lo = v[i]; break;
            case 3: s->ci95_hi = v[i]; break;
            case 4: s->n = (uint32_t)v[i]; break;
            default: s->n_missing = (uint32_t)v[i]; break;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        r->sum[i].name = r->sum_names[i];
        r->sum[i].unit = r->sum_units[i];
    }
out:
    free(v);
    if (t >= 0)
        H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* ---- open, close ---- */

out_reader *out_reader_open(const char *path, sim_err *err)
{
    return out_reader_open_group(path, NULL, err);
}

int out_file_is_hdf5(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, R_OK) != 0)
        return -1;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    htri_t is = H5Fis_hdf5(path);
    H5Eclear2(H5E_DEFAULT);
    return is > 0 ? 1 : is == 0 ? 0 : -1;
}

out_reader *out_reader_open_group(const char *path, const char *group, sim_err *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    out_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path ? path : ""))) {
        free(r);
        sim_err_set(err, SIM_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    r->file = r->root = -1;
    struct stat st;
    int rc = SIM_OK;
    if (stat(path, &st) != 0)
        rc = fail(r, err, errno == ENOENT ? SIM_ENOENT : SIM_EIO, "%s", strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = fail(r, err, SIM_EIO, "is a directory");
    else if (!S_ISREG(st.st_mode))
        rc = fail(r, err, SIM_EIO, "not a regular file");
    else if (access(path, R_OK) != 0)
        rc = fail(r, err, SIM_EIO, "%s", strerror(errno));
    else if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        rc = fail(r, err, SIM_EIO, "not an HDF5 file");
    } else if ((r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
        rc = h5fail(r, err, "cannot open");
    else if ((r->root = H5Gopen2(r->file, "/", H5P_DEFAULT)) < 0)
        rc = h5fail(r, err, "cannot open");
    if (rc == SIM_OK && group) {
        /* the arm is reached through hard links only, like every object */
        int e = has(r, err, group);
        if (e == 0)
            rc = fail(r, err, SIM_ENOENT, "no group %s", group);
        else if (e < 0)
            rc = e;
        else {
            H5O_info_t oi;
            hid_t g = -1;
            if (H5Oget_info_by_name2(r->root, rel(group), &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
                rc = h5fail(r, err, group);
            else if (oi.type != H5O_TYPE_GROUP)
                rc = fail(r, err, SIM_EINVAL, "%s: expected a group", group);
            else if ((g = H5Gopen2(r->root, rel(group), H5P_DEFAULT)) < 0)
                rc = h5fail(r, err, group);
            else {
                H5Gclose(r->root);
                r->root = g;
            }
        }
    }
    if (rc == SIM_OK)
        rc = load_time(r, err);
    if (rc == SIM_OK)
        rc = load_attrs(r, err);
    if (rc == SIM_OK)
        rc = load_entities(r, err);
    if (rc == SIM_OK)
        rc = load_series(r, err);
    if (rc == SIM_OK)
        rc = load_scalars(r, err);
    if (rc == SIM_OK)
        rc = load_summary(r, err);
    if (rc != SIM_OK) {
        out_reader_close(r);
        return NULL;
    }
    return r;
}

void out_reader_close(out_reader *r)
{
    if (!r)
        return;
    if (r->root >= 0)
        H5Gclose(r->root);
    if (r->file >= 0)
        H5Fclose(r->file);
    for (size_t i = 0; i < r->nattrs; i++) {
        free((char *)r->attrs[i].name);
        free((char *)r->attrs[i].s);
    }
    free(r->attrs);
    free(r->hours);
    h5u_strv_free(r->dates, r->ntime);
    for (size_t i = 0; i < r->ngroups; i++) {
        free(r->groups[i].name);
        h5u_strv_free(r->groups[i].names, r->groups[i].n);
    }
    free(r->groups);
    h5u_strv_free(r->snames, r->scols);
    h5u_strv_free(r->sunits, r->scols);
    h5u_strv_free(r->sdescs, r->scols);
    free(r->sruns);
    free(r->svalues);
    free(r->sum);
    h5u_strv_free(r->sum_names, r->nsum);
    h5u_strv_free(r->sum_units, r->nsum);
    for (size_t i = 0; i < r->nseries; i++) {
        free((char *)r->series[i].group);
        free((char *)r->series[i].name);
        free((char *)r->series[i].unit);
        free((char *)r->series[i].desc);
    }
    free(r->series);
    free(r->path);
    free(r);
}

const char *out_reader_path(const out_reader *r) { return r->path; }
size_t out_reader_attr_count(const out_reader *r) { return r->nattrs; }
const out_attr *out_reader_attr(const out_reader *r, size_t i) { return i < r->nattrs ? &r->attrs[i] : NULL; }

const out_attr *out_reader_attr_find(const out_reader *r, const char *name)
{
    for (size_t i = 0; i < r->nattrs; i++)
        if (!strcmp(r->attrs[i].name, name))
            return &r->attrs[i];
    return NULL;
}

long long out_reader_sweep_points(const out_reader *r)
{
    const out_attr *a = out_reader_attr_find(r, "sweep_points");
    return a && a->kind == OUT_ATTR_INT ? (long long)a->i : 0;
}

size_t out_reader_time_count(const out_reader *r) { return r->ntime; }
const double *out_reader_time_hours(const out_reader *r) { return r->hours; }
const char *out_reader_time_date(const out_reader *r, size_t i) { return i < r->ntime ? r->dates[i] : NULL; }
size_t out_reader_group_count(const out_reader *r) { return r->ngroups; }
const char *out_reader_group_name(const out_reader *r, size_t i) { return i < r->ngroups ? r->groups[i].name : NULL; }

const char *const *out_reader_entities(const out_reader *r, const char *group, size_t *n)
{
    for (size_t i = 0; i < r->ngroups; i++)
        if (!strcmp(r->groups[i].name, group)) {
            *n = r->groups[i].n;
            return (const char *const *)r->groups[i].names;
        }
    *n = 0;
    return NULL;
}

size_t out_reader_run_count(const out_reader *r) { return r->nruns; }
size_t out_reader_scalar_rows(const out_reader *r) { return r->srows; }
size_t out_reader_scalar_cols(const out_reader *r) { return r->scols; }
const char *out_reader_scalar_name(const out_reader *r, size_t j) { return j < r->scols ? r->snames[j] : NULL; }
const char *out_reader_scalar_unit(const out_reader *r, size_t j) { return j < r->scols ? r->sunits[j] : NULL; }
const char *out_reader_scalar_desc(const out_reader *r, size_t j) { return j < r->scols ? r->sdescs[j] : NULL; }
uint32_t out_reader_scalar_run(const out_reader *r, size_t i) { return i < r->srows ? r->sruns[i] : 0; }
const double *out_reader_scalar_values(const out_reader *r) { return r->svalues; }
size_t out_reader_summary_count(const out_reader *r) { return r->nsum; }
const out_summary_row *out_reader_summary(const out_reader *r, size_t i) { return i < r->nsum ? &r->sum[i] : NULL; }
size_t out_reader_series_count(const out_reader *r) { return r->nseries; }
const out_series_info *out_reader_series(const out_reader *r, size_t i) { return i < r->nseries ? &r->series[i] : NULL; }

const out_series_info *out_reader_series_find(const out_reader *r, const char *group,
                                              const char *name)
{
    for (size_t i = 0; i < r->nseries; i++)
        if (!strcmp(r->series[i].group, group) && !strcmp(r->series[i].name, name))
            return &r->series[i];
    return NULL;
}

static int read_matrix(const out_reader *r, const char *p, const char *group, double **data,
                       size_t *rows, size_t *cols, sim_err *err)
{
    *data = NULL;
    *rows = *cols = 0;
    hid_t d;
    size_t nr, nc;
    int rc = series_open(r, err, p, group, &d, &nr, &nc);
    /* nr * nc <= OUT_READ_MAX_CELLS: checked by series_expect */
    if (rc == SIM_OK && !(*data = malloc((nr * nc + 1) * sizeof **data)))
        rc = nomem(r, err);
    else if (rc == SIM_OK && nr * nc != 0
             && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0)
        rc = h5fail(r, err, p);
    if (d >= 0)
        H5Dclose(d);
    if (rc != SIM_OK) {
        free(*data);
        *data = NULL;
        return rc;
    }
    *rows = nr;
    *cols = nc;
    return SIM_OK;
}

int out_reader_series_read(const out_reader *r, size_t run, const char *group,
                           const char *name, double **data, size_t *rows,
                           size_t *cols, sim_err *err)
{
    char p[600];
    snprintf(p, sizeof p, "/runs/%04zu/series/%s/%s", run, group, name);
    return read_matrix(r, p, group, data, rows, cols, err);
}

int out_reader_stats_read(const out_reader *r, const char *group, const char *name,
                          out_stat stat, double **data, size_t *rows, size_t *cols,
                          sim_err *err)
{
    static const char *const sn[3] = { "mean", "p05", "p95" };
    char p[600];
    snprintf(p, sizeof p, "/series_stats/%s/%s/%s", group, name, sn[stat]);
    return read_matrix(r, p, group, data, rows, cols, err);
}

static int read_rows(const out_reader *r, const char *p, const char *group, size_t row0,
                     size_t nrows, double *buf, sim_err *err)
{
    hid_t d;
    size_t nr, nc;
    int rc = series_open(r, err, p, group, &d, &nr, &nc);
    if (rc == SIM_OK && (row0 > nr || nrows > nr - row0))
        rc = fail(r, err, SIM_EINVAL, "%s: rows %zu..%zu asked of %zu", p, row0, row0 + nrows,
                  nr);
    if (rc == SIM_OK && nrows > 0 && nc > 0) {
        hsize_t start[2] = { row0, 0 }, count[2] = { nrows, nc };
        hid_t fs = H5Dget_space(d), ms = H5Screate_simple(2, count, NULL);
        if (fs < 0 || ms < 0
            || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0
            || H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf) < 0)
            rc = h5fail(r, err, p);
        if (fs >= 0)
            H5Sclose(fs);
        if (ms >= 0)
            H5Sclose(ms);
    }
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

int out_reader_series_read_rows(const out_reader *r, size_t run, const char *group,
                                const char *name, size_t row0, size_t nrows, double *buf,
                                sim_err *err)
{
    char p[600];
    snprintf(p, sizeof p, "/runs/%04zu/series/%s/%s", run, group, name);
    return read_rows(r, p, group, row0, nrows, buf, err);
}

int out_reader_stats_read_rows(const out_reader *r, const char *group, const char *name,
                               out_stat stat, size_t row0, size_t nrows, double *buf,
                               sim_err *err)
{
    static const char *const sn[3] = { "mean", "p05", "p95" };
    char p[600];
    snprintf(p, sizeof p, "/series_stats/%s/%s/%s", group, name, sn[stat]);
    return read_rows(r, p, group, row0, nrows, buf, err);
}

int out_reader_has_stats(const out_reader *r, const char *group, const char *name)
{
    char p[600];
    snprintf(p, sizeof p, "/series_stats/%s/%s/mean", group, name);
    return has(r, NULL, p) != 0;    /* a link not followed: the read says so */
}

/* ---- verification ---- */

static int read_all(const out_reader *r, unsigned what, sim_err *err)
{
    int rc = SIM_OK;
    size_t nr = what & OUT_VERIFY_RUNS ? r->nruns : what & OUT_VERIFY_FIRST_RUN ? 1 : 0;
    for (size_t i = 0; i < r->nseries && rc == SIM_OK; i++) {
        const out_series_info *s = &r->series[i];
        double *m;
        size_t rows, cols;
        for (size_t k = 0; k < nr && rc == SIM_OK; k++) {
            rc = out_reader_series_read(r, k, s->group, s->name, &m, &rows, &cols, err);
            free(m);
            /* a file with only /series_stats, or a fragment of another run */
            if (rc == SIM_ENOENT && !(what & OUT_VERIFY_RUNS))
                rc = SIM_OK;
        }
        if ((what & OUT_VERIFY_STATS) && out_reader_has_stats(r, s->group, s->name))
            for (int k = 0; k < 3 && rc == SIM_OK; k++) {
                rc = out_reader_stats_read(r, s->group, s->name, (out_stat)k, &m, &rows, &cols,
                                           err);
                free(m);
            }
    }
    return rc;
}

int out_reader_verify(const char *path, unsigned what, sim_err *err)
{
    return out_reader_verify_group(path, NULL, what, err);
}

int out_reader_verify_group(const char *path, const char *group, unsigned what, sim_err *err)
{
    out_reader *r = out_reader_open_group(path, group, err);
    if (!r)
        return err ? err->code : SIM_EINVAL;
    int rc = read_all(r, what, err);
    if (rc == SIM_OK && (what & OUT_VERIFY_DIFFERENCES)) {
        out_table *t = NULL;
        rc = out_reader_file_table_read(r, "/compare/differences", &t, err);
        out_table_free(t);
        if (rc == SIM_ENOENT) {
            rc = SIM_OK;
            if (err)
                sim_err_clear(err);
        }
    }
    out_reader_close(r);
    return rc;
}

int out_reader_verify_isolated(const char *path, unsigned what, sim_err *err)
{
    return out_reader_verify_isolated_group(path, NULL, what, err);
}

/* In the checking child: address space for what the process maps now
 * plus VERIFY_MEMORY_MB. A corrupt length (of a variable-length string,
 * say) makes libhdf5 allocate and clear gigabytes before it reads a byte
 * of the value; over the limit that allocation fails at once and the
 * check refuses the file. Relative to what is mapped, so that a sanitizer's
 * reserved shadow memory still fits. Linux only (/proc). */
static int limit_child_memory(void)
{
#ifdef __linux__
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    int ok = f && fscanf(f, "%lu", &pages) == 1;
    if (f)
        fclose(f);
    long psize = sysconf(_SC_PAGESIZE);
    struct rlimit rl;
    if (!ok || psize <= 0 || getrlimit(RLIMIT_AS, &rl) != 0)
        return 0;
    rlim_t want = (rlim_t)pages * (rlim_t)psize + ((rlim_t)VERIFY_MEMORY_MB << 20);
    if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
        want = rl.rlim_max;
    if (rl.rlim_cur == RLIM_INFINITY || want < rl.rlim_cur) {
        rl.rlim_cur = want;
        return setrlimit(RLIMIT_AS, &rl) == 0;
    }
#endif
    return 0;
}

int out_reader_verify_isolated_group(const char *path, const char *group, unsigned what,
                                     sim_err *err)
{
    int fd[2];
    if (pipe(fd) != 0)
        return out_reader_verify_group(path, group, what, err);     /* no child: read in place */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return out_reader_verify_group(path, group, what, err);
    }
    if (pid == 0) {
        COVERAGE_RESET();       /* the parent counts what it ran before the fork */
        close(fd[0]);
        int limited = limit_child_memory();
        /* the child only answers through the pipe: whatever a crash in
         * libhdf5 prints (a sanitizer's report) is not for the user */
        int dn = open("/dev/null", O_WRONLY);
        if (dn >= 0) {
            dup2(dn, STDERR_FILENO);
            close(dn);
        }
        sim_err e;
        memset(&e, 0, sizeof e);    /* all of it goes through the pipe */
        e.code = out_reader_verify_group(path, group, what, &e);
        if (e.code == SIM_ENOMEM && limited)
            sim_err_set(&e, SIM_EINVAL, path, 0, 0,
                        "reading it would take over %d MB more memory: a size or length in "
                        "the file is corrupt", (int)VERIFY_MEMORY_MB);
        const char *p = (const char *)&e;
        size_t left = sizeof e;
        while (left > 0) {
            ssize_t w = write(fd[1], p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                _exit(3);
            p += w;
            left -= (size_t)w;
        }
        COVERAGE_DUMP();
        _exit(0);
    }
    close(fd[1]);
    sim_err e;
    char *p = (char *)&e;
    size_t got = 0;
    /* the check has VERIFY_SECONDS: a corrupt file that makes libhdf5 loop
     * (or a child stuck after fork) is refused, not waited for */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int late = 0;
    while (got < sizeof e) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double used = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        int ms = (int)((VERIFY_SECONDS - used) * 1000.0);
        if (ms <= 0) {
            late = 1;
            break;
        }
        struct pollfd pfd = { fd[0], POLLIN, 0 };
        int pr = poll(&pfd, 1, ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            late = 1;
            break;
        }
        if (pr < 0)
            break;
        ssize_t n = read(fd[0], p + got, sizeof e - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd[0]);
    int status = 0;
    if (late) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        return sim_err_set(err, SIM_EINVAL, path, 0, 0,
                           "corrupt: reading it took longer than %d s", VERIFY_SECONDS);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return sim_err_set(err, SIM_EIO, path, 0, 0, "waiting for the check of the file: %s",
                               strerror(errno));
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        /* a signal sent from outside (Ctrl-C to the child alone, a
         * scheduler, the OOM killer) says nothing about the file */
        if (sig == SIGINT || sig == SIGTERM || sig == SIGKILL || sig == SIGHUP || sig == SIGQUIT)
            return sim_err_set(err, SIM_EIO, path, 0, 0,
                               "the check of the file was stopped from outside (signal %d, %s); "
                               "nothing is known of the file", sig, strsignal(sig));
        return sim_err_set(err, SIM_EINVAL, path, 0, 0,
                           "corrupt: the HDF5 library crashed reading it (signal %d, %s)", sig,
                           strsignal(sig));
    }
    if (got != sizeof e || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return sim_err_set(err, SIM_ENOMEM, path, 0, 0,
                           "the check of the file stopped without a result (exit %d)",
                           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    e.msg[sizeof e.msg - 1] = '\0';
    if (e.code == SIM_OK)
        return SIM_OK;
    return sim_err_set(err, e.code, NULL, 0, 0, "%s", e.msg);
}

/* ---- tables and entity coordinates, for charts ---- */

void out_table_free(out_table *t)
{
    if (!t)
        return;
    for (size_t j = 0; j < t->ncols; j++) {
        if (t->names)
            free(t->names[j]);
        if (t->units)
            free(t->units[j]);
        if (t->text && t->text[j])
            h5u_strv_free(t->text[j], t->nrows);
    }
    free(t->names);
    free(t->units);
    free(t->text);
    free(t->num);
    free(t);
}

int out_reader_table_read(const out_reader *r, const char *path, out_table **out, sim_err *err)
{
    *out = NULL;
    int e = has(r, err, path);
    if (e < 0)
        return e;
    if (!e)
        return fail(r, err, SIM_ENOENT, "no %s", path);
    hid_t d = H5Dopen2(r->root, rel(path), H5P_DEFAULT), t = -1;
    out_table *tb = calloc(1, sizeof *tb);
    int rc = SIM_OK;
    size_t n = 0;
    if (!tb) {
        rc = nomem(r, err);
        goto out;
    }
    if (d < 0) {
        rc = h5fail(r, err, path);
        goto out;
    }
    if ((rc = table_shape(r, err, d, path, OUT_READ_MAX_RUNS, &n, &t)))
        goto out;
    int nm = H5Tget_nmembers(t);
    if (nm < 1 || (size_t)nm > OUT_READ_MAX_SCALARS + 3) {
        rc = fail(r, err, SIM_EINVAL, "%s: expected 1 to %u columns, found %d", path,
                  OUT_READ_MAX_SCALARS + 3, nm);
        goto out;
    }
    size_t nc = (size_t)nm;
    if (n && nc > OUT_READ_MAX_CELLS / n) {
        rc = fail(r, err, SIM_EINVAL, "%s: %zu rows x %zu columns is more than the %zu "
                  "numbers a table may hold", path, n, nc, OUT_READ_MAX_CELLS);
        goto out;
    }
    tb->names = calloc(nc, sizeof *tb->names);
    tb->units = calloc(nc, sizeof *tb->units);
    tb->text = calloc(nc, sizeof *tb->text);
    tb->num = malloc((n * nc + 1) * sizeof *tb->num);
    double *col = malloc((n + 1) * sizeof *col);
    if (!tb->names || !tb->units || !tb->text || !tb->num || !col) {
        free(col);
        rc = nomem(r, err);
        goto out;
    }
    tb->nrows = n;
    tb->ncols = nc;
    for (size_t j = 0; j < nc && rc == SIM_OK; j++) {
        char *nm_ = H5Tget_member_name(t, (unsigned)j);
        hid_t mt = H5Tget_member_type(t, (unsigned)j);
        H5T_class_t cls = mt >= 0 ? H5Tget_class(mt) : H5T_NO_CLASS;
        if (mt >= 0)
            H5Tclose(mt);
        char nb[300];
        if (!nm_)
            rc = h5fail(r, err, path);
        else if (!name_ok(nm_))
            rc = fail(r, err, SIM_EINVAL, "%s: column %zu: expected a name of printable "
                      "characters, found '%s'", path, j, shown(nm_, nb, sizeof nb));
        else if (!(tb->names[j] = strdup(nm_)))
            rc = nomem(r, err);
        else if (cls == H5T_STRING) {
            if (h5u_field_read_strings(d, nm_, n, OUT_READ_MAX_NAME, &tb->text[j]) < 0)
                rc = fail(r, err, SIM_EINVAL, "%s: column '%s': expected fixed-length strings "
                          "of at most %u bytes", path, tb->names[j], OUT_READ_MAX_NAME);
            for (size_t i = 0; i < n; i++)
                tb->num[i * nc + j] = NAN;
        } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
            if (h5u_field_read_double(d, nm_, n, col) < 0)
                rc = fail(r, err, SIM_EINVAL, "%s: column '%s': expected numbers", path,
                          tb->names[j]);
            for (size_t i = 0; rc == SIM_OK && i < n; i++)
                tb->num[i * nc + j] = col[i];
        } else
            rc = fail(r, err, SIM_EINVAL, "%s: column '%s': expected numbers or strings", path,
                      tb->names[j]);
        if (nm_)
            H5free_memory(nm_);
        H5Eclear2(H5E_DEFAULT);
    }
    free(col);
    /* units: one string per column, when the table says */
    htri_t ex = rc == SIM_OK ? H5Aexists(d, "units") : 0;
    H5Eclear2(H5E_DEFAULT);
    if (ex > 0) {
        char where[300], **v = NULL;
        size_t nv = 0;
        snprintf(where, sizeof where, "%s@units", path);
        hid_t a = H5Aopen(d, "units", H5P_DEFAULT);
        if (a < 0)
            rc = h5fail(r, err, where);
        else
            rc = read_strs(r, err, a, 1, where, nc, nc, OUT_READ_MAX_NAME, &v, &nv);
        for (size_t j = 0; rc == SIM_OK && j < nv; j++) {
            tb->units[j] = v[j];
            v[j] = NULL;
        }
        h5u_strv_free(v, nv);
        if (a >= 0)
            H5Aclose(a);
    }
    for (size_t j = 0; rc == SIM_OK && j < nc; j++)
        if (!tb->units[j] && !(tb->units[j] = strdup("")))
            rc = nomem(r, err);
out:
    if (t >= 0)
        H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    if (rc != SIM_OK)
        out_table_free(tb);
    else
        *out = tb;
    return rc;
}

int out_reader_entity_coord(const out_reader *r, const char *group, const char *key,
                            char ***values, size_t *n, sim_err *err)
{
    *values = NULL;
    *n = 0;
    const group_ent *g = group_find(r, group);
    if (!g || r->nruns == 0)
        return fail(r, err, SIM_ENOENT, "no entities of %s", group);
    char p[700], gb[300], kb[300];
    snprintf(p, sizeof p, "/runs/0000/series/%s/%s", shown(group, gb, sizeof gb),
             shown(key, kb, sizeof kb));
    int e = has(r, err, p);
    if (e < 0)
        return e;
    if (!e || !is_text(r, p))
        return fail(r, err, SIM_ENOENT, "no %s", p);
    hid_t d = H5Dopen2(r->root, rel(p), H5P_DEFAULT);
    if (d < 0)
        return h5fail(r, err, p);
    int rc = read_strs(r, err, d, 0, p, g->n, OUT_READ_MAX_ENTITIES, OUT_READ_MAX_NAME, values, n);
    H5Dclose(d);
    return rc;
}

long long out_reader_stats_runs(const out_reader *r, const char *group, const char *name)
{
    char p[700];
    snprintf(p, sizeof p, "/series_stats/%s/%s", group, name);
    if (has(r, NULL, p) <= 0)
        return -1;
    long long v = -1;
    hid_t o = H5Oopen(r->root, rel(p), H5P_DEFAULT);
    if (o >= 0 && H5Aexists(o, "runs") > 0) {
        hid_t a = H5Aopen(o, "runs", H5P_DEFAULT);
        hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
        long long x;
        if (sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1
            && H5Aread(a, H5T_NATIVE_LLONG, &x) >= 0 && x >= 0)
            v = x;
        if (sp >= 0)
            H5Sclose(sp);
        if (a >= 0)
            H5Aclose(a);
    }
    if (o >= 0)
        H5Oclose(o);
    H5Eclear2(H5E_DEFAULT);
    return v;
}

/* ---- listing a group of any HDF5 file ---- */

/* The object at absolute path p of f, reached through hard links only
 * (the reader's rule: a soft or external link is not followed). */
static int hard_path(hid_t f, const char *p)
{
    char q[1200];
    size_t len = strlen(p);
    if (len >= sizeof q)
        return 0;
    memcpy(q, p, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (i < len && q[i] != '/')
            continue;
        char c = q[i];
        q[i] = '\0';
        H5L_info_t li;
        if (H5Lexists(f, q, H5P_DEFAULT) <= 0 || H5Lget_info(f, q, &li, H5P_DEFAULT) < 0
            || li.type != H5L_TYPE_HARD)
            return 0;
        q[i] = c;
    }
    return 1;
}

static hid_t open_plain(const char *path)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, R_OK) != 0
        || H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return -1;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return f;
}

int out_file_children(const char *path, const char *group, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    hid_t f = open_plain(path);
    if (f < 0)
        return 0;
    int rc = 0;
    H5O_info_t oi;
    if (hard_path(f, group)
        && H5Oget_info_by_name2(f, group, &oi, H5O_INFO_BASIC, H5P_DEFAULT) >= 0
        && oi.type == H5O_TYPE_GROUP) {
        name_list l = { .max = OUT_READ_MAX_GROUPS, .maxlen = OUT_READ_MAX_NAME };
        if (list_links(f, group, &l) < 0 || l.over) {
            list_free(&l);
            rc = -1;
        } else {
            *names = l.v;
            *n = l.n;
        }
    }
    H5Eclear2(H5E_DEFAULT);
    H5Fclose(f);
    return rc;
}

void out_strv_free(char **v, size_t n)
{
    h5u_strv_free(v, n);
}

char *out_file_attr_string(const char *path, const char *obj, const char *name)
{
    hid_t f = open_plain(path);
    if (f < 0)
        return NULL;
    char *v = NULL;
    hid_t o = (!strcmp(obj, "/") || hard_path(f, obj)) ? H5Oopen(f, obj, H5P_DEFAULT) : -1;
    if (o >= 0) {
        if (H5Aexists(o, name) > 0)
            v = h5u_attr_read_str(o, name);
        H5Oclose(o);
    }
    if (v && strlen(v) > OUT_READ_MAX_DESC) {
        free(v);
        v = NULL;
    }
    H5Eclear2(H5E_DEFAULT);
    H5Fclose(f);
    return v;
}

/* ---- a table outside the reader's group (plot reads /compare/differences) ---- */

int out_reader_file_table_read(const out_reader *r, const char *path, out_table **t,
                               sim_err *err)
{
    *t = NULL;
    out_reader top = *r;        /* the same file and names, read from the file's root */
    if ((top.root = H5Gopen2(r->file, "/", H5P_DEFAULT)) < 0)
        return h5fail(r, err, "/");
    int rc = out_reader_table_read(&top, path, t, err);
    H5Gclose(top.root);
    return rc;
}
