/* output/reader.c - read-back of vouchsim HDF5 files (see reader.h).
 *
 * Loads the small tables at open and reads series on demand. Accepts
 * fixed- and variable-length strings, so files touched by other tools
 * still read. */
#include "output/reader.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

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

static int h5fail(const out_reader *r, sim_err *err, const char *what)
{
    char detail[256];
    h5u_detail(detail, sizeof detail);
    return fail(r, err, SIM_EIO, "%s: %s", what, detail);
}

/* ---- root attributes ---- */

static herr_t attr_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    out_reader *r = data;
    out_attr *a = &r->attrs[r->nattrs];
    memset(a, 0, sizeof *a);
    a->d = NAN;
    if (!(a->name = strdup(name)))
        return -1;
    r->nattrs++;
    hid_t at = H5Aopen(loc, name, H5P_DEFAULT);
    if (at < 0)
        return -1;
    hid_t t = H5Aget_type(at);
    H5T_class_t cls = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    int rc = 0;
    char buf[64];
    hid_t sp = H5Aget_space(at);
    hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (cls == H5T_STRING) {
        char **v;
        size_t n;
        a->kind = OUT_ATTR_STRING;
        if (h5u_read_strings(at, 1, &v, &n) == 0) {
            a->s = n ? v[0] : strdup("");
            if (n)
                v[0] = NULL;
            h5u_strv_free(v, n);
        }
    } else if (cls == H5T_INTEGER && np == 1) {
        a->kind = OUT_ATTR_INT;
        if (H5Aread(at, H5T_NATIVE_INT64, &a->i) >= 0) {
            a->d = (double)a->i;
            snprintf(buf, sizeof buf, "%lld", (long long)a->i);
            a->s = strdup(buf);
        }
    } else if (cls == H5T_FLOAT && np == 1) {
        a->kind = OUT_ATTR_DOUBLE;
        if (H5Aread(at, H5T_NATIVE_DOUBLE, &a->d) >= 0) {
            snprintf(buf, sizeof buf, "%.17g", a->d);
            a->s = strdup(buf);
        }
    } else {
        a->kind = OUT_ATTR_STRING;
        a->s = strdup("(not shown)");
    }
    if (!a->s)
        a->s = strdup("");
    if (!a->s)
        rc = -1;
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(at);
    return rc;
}

static int load_attrs(out_reader *r, sim_err *err)
{
    H5O_info_t oi;
    if (H5Oget_info2(r->root, &oi, H5O_INFO_NUM_ATTRS) < 0)
        return h5fail(r, err, "cannot read the root attributes");
    r->attrs = calloc(oi.num_attrs ? oi.num_attrs : 1, sizeof *r->attrs);
    if (!r->attrs)
        return fail(r, err, SIM_ENOMEM, "out of memory");
    hsize_t idx = 0;
    if (H5Aiterate2(r->root, H5_INDEX_NAME, H5_ITER_INC, &idx, attr_cb, r) < 0)
        return h5fail(r, err, "cannot read the root attributes");
    return SIM_OK;
}

/* ---- time, entities ---- */

static int load_time(out_reader *r, sim_err *err)
{
    if (!h5u_exists(r->root, "time/hours") || !h5u_exists(r->root, "time/date"))
        return fail(r, err, SIM_ENOENT, "not a vouchsim output file (no /time)");
    hid_t d = H5Dopen2(r->root, "time/hours", H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int rc = SIM_OK;
    if (n < 0)
        rc = h5fail(r, err, "cannot read /time/hours");
    else if (!(r->hours = malloc(((size_t)n ? (size_t)n : 1) * sizeof *r->hours)))
        rc = fail(r, err, SIM_ENOMEM, "out of memory");
    else if (n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r->hours) < 0)
        rc = h5fail(r, err, "cannot read /time/hours");
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    if (rc)
        return rc;
    size_t nd = 0;
    d = H5Dopen2(r->root, "time/date", H5P_DEFAULT);
    if (d < 0 || h5u_read_strings(d, 0, &r->dates, &nd) < 0)
        rc = h5fail(r, err, "cannot read /time/date");
    else if (nd != (size_t)n)
        rc = fail(r, err, SIM_EINVAL, "/time/date has %zu samples, /time/hours %zu", nd, (size_t)n);
    if (d >= 0)
        H5Dclose(d);
    r->ntime = rc ? 0 : (size_t)n;
    if (rc) {
        h5u_strv_free(r->dates, nd);
        r->dates = NULL;
    }
    return rc;
}

static herr_t ent_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    out_reader *r = data;
    group_ent *ng = realloc(r->groups, (r->ngroups + 1) * sizeof *ng);
    if (!ng)
        return -1;
    r->groups = ng;
    group_ent *g = &ng[r->ngroups];
    memset(g, 0, sizeof *g);
    if (!(g->name = strdup(name)))
        return -1;
    r->ngroups++;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    int rc = h5u_read_strings(d, 0, &g->names, &g->n);
    H5Dclose(d);
    return rc < 0 ? -1 : 0;
}

static int load_entities(out_reader *r, sim_err *err)
{
    if (!h5u_exists(r->root, "entities"))
        return SIM_OK;
    if (H5Literate_by_name(r->root, "entities", H5_INDEX_NAME, H5_ITER_INC, NULL, ent_cb, r,
                           H5P_DEFAULT) < 0)
        return h5fail(r, err, "cannot read /entities");
    return SIM_OK;
}

/* ---- runs and series ---- */

static herr_t count_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)loc;
    (void)info;
    size_t *n = data;
    if (strlen(name) >= 4 && strspn(name, "0123456789") == strlen(name))
        (*n)++;
    return 0;
}

typedef struct series_iter {
    out_reader *r;
    const char *group;
    int         stats;      /* listing /series_stats: datasets are groups */
} series_iter;

static herr_t series_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    series_iter *it = data;
    out_reader *r = it->r;
    if (!it->group) {
        series_iter sub = { r, name, it->stats };
        return H5Literate_by_name(loc, name, H5_INDEX_NAME, H5_ITER_INC, NULL, series_cb, &sub,
                                  H5P_DEFAULT) < 0 ? -1 : 0;
    }
    if (r->nseries == r->capseries) {
        size_t cap = r->capseries ? 2 * r->capseries : 16;
        out_series_info *s = realloc(r->series, cap * sizeof *s);
        if (!s)
            return -1;
        r->series = s;
        r->capseries = cap;
    }
    char p[600];
    snprintf(p, sizeof p, "%s%s", name, it->stats ? "/mean" : "");
    hid_t d = H5Dopen2(loc, p, H5P_DEFAULT);
    if (d < 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;           /* not a series: skip */
    }
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = { 0, 0 };
    int nd = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (nd == 2)
        H5Sget_simple_extent_dims(sp, dims, NULL);
    if (sp >= 0)
        H5Sclose(sp);
    if (nd != 2) {
        H5Dclose(d);
        return 0;
    }
    out_series_info *s = &r->series[r->nseries];
    char *g = strdup(it->group), *n = strdup(name);
    char *u = h5u_attr_read_str(d, "unit"), *de = h5u_attr_read_str(d, "description");
    H5Dclose(d);
    if (!u)
        u = strdup("");
    if (!de)
        de = strdup("");
    if (!g || !n || !u || !de) {
        free(g);
        free(n);
        free(u);
        free(de);
        return -1;
    }
    s->group = g;
    s->name = n;
    s->unit = u;
    s->desc = de;
    s->rows = (size_t)dims[0];
    s->cols = (size_t)dims[1];
    r->nseries++;
    return 0;
}

static int load_series(out_reader *r, sim_err *err)
{
    if (h5u_exists(r->root, "runs")
        && H5Literate_by_name(r->root, "runs", H5_INDEX_NAME, H5_ITER_INC, NULL, count_cb,
                              &r->nruns, H5P_DEFAULT) < 0)
        return h5fail(r, err, "cannot list /runs");
    series_iter it = { r, NULL, 0 };
    const char *where = "runs/0000/series";
    if (!h5u_exists(r->root, where)) {
        where = "series_stats";
        it.stats = 1;
        if (!h5u_exists(r->root, where))
            return SIM_OK;
    }
    if (H5Literate_by_name(r->root, where, H5_INDEX_NAME, H5_ITER_INC, NULL, series_cb, &it,
                           H5P_DEFAULT) < 0)
        return h5fail(r, err, "cannot list the series");
    return SIM_OK;
}

/* ---- scalars and summary ---- */

static int table_rows(hid_t d, size_t *n)
{
    hid_t sp = H5Dget_space(d);
    hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (np < 0)
        return -1;
    *n = (size_t)np;
    return 0;
}

static int load_scalars(out_reader *r, sim_err *err)
{
    if (!h5u_exists(r->root, "scalars"))
        return SIM_OK;
    int rc = SIM_OK;
    hid_t d = H5Dopen2(r->root, "scalars", H5P_DEFAULT);
    hid_t t = d >= 0 ? H5Dget_type(d) : -1;
    size_t rows = 0;
    if (d < 0 || t < 0 || H5Tget_class(t) != H5T_COMPOUND || table_rows(d, &rows) < 0) {
        rc = h5fail(r, err, "cannot read /scalars");
        goto out;
    }
    int nm = H5Tget_nmembers(t);
    size_t cols = nm > 0 ? (size_t)nm - 1 : 0;
    r->snames = calloc(cols + 1, sizeof *r->snames);
    r->sunits = calloc(cols + 1, sizeof *r->sunits);
    r->sdescs = calloc(cols + 1, sizeof *r->sdescs);
    r->sruns = calloc(rows + 1, sizeof *r->sruns);
    r->svalues = malloc((rows * cols + 1) * sizeof *r->svalues);
    double *col = malloc((rows + 1) * sizeof *col);
    if (!r->snames || !r->sunits || !r->sdescs || !r->sruns || !r->svalues || !col) {
        free(col);
        rc = fail(r, err, SIM_ENOMEM, "out of memory");
        goto out;
    }
    r->scols = cols;
    size_t j = 0;
    /* Every column in one read: one member each, all as double. Column by
     * column, each read built a new conversion path, and HDF5 searches
     * its paths linearly: that made reading a fragment's row slow. */
    char **names = calloc((size_t)(nm > 0 ? nm : 1), sizeof *names);
    double *all = malloc((rows ? rows : 1) * (size_t)(nm > 0 ? nm : 1) * sizeof *all);
    hid_t ct = nm > 0 ? H5Tcreate(H5T_COMPOUND, (size_t)nm * sizeof(double)) : -1;
    hid_t dxpl = -1;
    if (!names || !all) {
        rc = fail(r, err, SIM_ENOMEM, "out of memory");
        goto cols_out;
    }
    for (int m = 0; m < nm; m++)
        if (!(names[m] = H5Tget_member_name(t, (unsigned)m))
            || H5Tinsert(ct, names[m], (size_t)m * sizeof(double), H5T_NATIVE_DOUBLE) < 0) {
            rc = h5fail(r, err, "cannot read /scalars");
            goto cols_out;
        }
    if (nm > 0 && rows > 0
        && ((dxpl = h5u_xfer_sized(d, rows, (size_t)nm * sizeof(double))) < 0
            || H5Dread(d, ct, H5S_ALL, H5S_ALL, dxpl, all) < 0)) {
        rc = h5fail(r, err, "cannot read /scalars");
        goto cols_out;
    }
    for (int m = 0; m < nm && rc == SIM_OK; m++) {
        for (size_t i = 0; i < rows; i++)
            col[i] = all[i * (size_t)nm + (size_t)m];
        if (!strcmp(names[m], "run") && m == 0) {
            for (size_t i = 0; i < rows; i++)
                r->sruns[i] = (uint32_t)col[i];
        } else if (j < cols) {
            for (size_t i = 0; i < rows; i++)
                r->svalues[i * cols + j] = col[i];
            r->snames[j++] = strdup(names[m]);
        }
    }
cols_out:
    for (int m = 0; names && m < nm; m++)
        if (names[m])
            H5free_memory(names[m]);
    free(names);
    free(all);
    if (ct >= 0)
        H5Tclose(ct);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    free(col);
    r->scols = j;
    if (rc == SIM_OK && j != cols)
        rc = fail(r, err, SIM_EINVAL, "/scalars: the first column must be `run`");
    r->srows = rows;
    /* units and descriptions, in column order */
    const char *an[2] = { "units", "descriptions" };
    char ***dst[2] = { &r->sunits, &r->sdescs };
    for (int k = 0; k < 2 && rc == SIM_OK; k++) {
        if (H5Aexists(d, an[k]) <= 0)
            continue;
        hid_t a = H5Aopen(d, an[k], H5P_DEFAULT);
        char **v = NULL;
        size_t n = 0;
        if (a >= 0 && h5u_read_strings(a, 1, &v, &n) == 0) {
            for (size_t i = 0; i < n && i < r->scols; i++) {
                (*dst[k])[i] = v[i];
                v[i] = NULL;
            }
            h5u_strv_free(v, n);
        }
        if (a >= 0)
            H5Aclose(a);
    }
    for (size_t i = 0; i < r->scols; i++) {
        if (!r->sunits[i])
            r->sunits[i] = strdup("");
        if (!r->sdescs[i])
            r->sdescs[i] = strdup("");
        if (!r->snames[i] || !r->sunits[i] || !r->sdescs[i])
            rc = fail(r, err, SIM_ENOMEM, "out of memory");
    }
out:
    H5Eclear2(H5E_DEFAULT);
    if (t >= 0)
        H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

static int load_summary(out_reader *r, sim_err *err)
{
    if (!h5u_exists(r->root, "summary"))
        return SIM_OK;
    int rc = SIM_OK;
    hid_t d = H5Dopen2(r->root, "summary", H5P_DEFAULT);
    size_t n = 0;
    double *v = NULL;
    if (d < 0 || table_rows(d, &n) < 0) {
        rc = h5fail(r, err, "cannot read /summary");
        goto out;
    }
    r->sum = calloc(n + 1, sizeof *r->sum);
    v = malloc((n + 1) * sizeof *v);
    if (!r->sum || !v) {
        rc = fail(r, err, SIM_ENOMEM, "out of memory");
        goto out;
    }
    if (h5u_field_read_strings(d, "name", n, &r->sum_names) < 0
        || h5u_field_read_strings(d, "unit", n, &r->sum_units) < 0) {
        rc = h5fail(r, err, "cannot read /summary");
        goto out;
    }
    r->nsum = n;
    static const char *const f[6] = { "mean", "sd", "ci95_lo", "ci95_hi", "n", "n_missing" };
    for (int k = 0; k < 6; k++) {
        if (h5u_field_read_double(d, f[k], n, v) < 0) {
            rc = h5fail(r, err, "cannot read /summary");
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            out_summary_row *s = &r->sum[i];
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
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* ---- open, close ---- */

out_reader *out_reader_open(const char *path, sim_err *err)
{
    return out_reader_open_group(path, NULL, err);
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
    else if (access(path, R_OK) != 0)
        rc = fail(r, err, SIM_EIO, "%s", strerror(errno));
    else if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        rc = fail(r, err, SIM_EIO, "not an HDF5 file");
    } else if ((r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
        rc = h5fail(r, err, "cannot open");
    else if (group && !h5u_exists(r->file, group))
        rc = fail(r, err, SIM_ENOENT, "no group %s", group);
    else if ((r->root = H5Gopen2(r->file, group ? group : "/", H5P_DEFAULT)) < 0)
        rc = h5fail(r, err, "cannot open");
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

static int read_matrix(const out_reader *r, const char *p, double **data, size_t *rows,
                       size_t *cols, sim_err *err)
{
    *data = NULL;
    *rows = *cols = 0;
    if (!h5u_exists(r->root, p))
        return fail(r, err, SIM_ENOENT, "no %s", p);
    int rc = SIM_OK;
    hid_t d = H5Dopen2(r->root, p, H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[2];
    if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 2 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0)
        rc = h5fail(r, err, "cannot read");
    else if (!(*data = malloc(((size_t)(dims[0] * dims[1]) + 1) * sizeof **data)))
        rc = fail(r, err, SIM_ENOMEM, "out of memory");
    else if ((dims[0] * dims[1]) != 0
             && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0) {
        char what[620];
        snprintf(what, sizeof what, "cannot read %s", p);
        rc = h5fail(r, err, what);
    }
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    if (rc != SIM_OK) {
        free(*data);
        *data = NULL;
        return rc;
    }
    *rows = (size_t)dims[0];
    *cols = (size_t)dims[1];
    return SIM_OK;
}

int out_reader_series_read(const out_reader *r, size_t run, const char *group,
                           const char *name, double **data, size_t *rows,
                           size_t *cols, sim_err *err)
{
    char p[600];
    snprintf(p, sizeof p, "runs/%04zu/series/%s/%s", run, group, name);
    return read_matrix(r, p, data, rows, cols, err);
}

int out_reader_stats_read(const out_reader *r, const char *group, const char *name,
                          out_stat stat, double **data, size_t *rows, size_t *cols,
                          sim_err *err)
{
    static const char *const sn[3] = { "mean", "p05", "p95" };
    char p[600];
    snprintf(p, sizeof p, "series_stats/%s/%s/%s", group, name, sn[stat]);
    return read_matrix(r, p, data, rows, cols, err);
}

int out_reader_has_stats(const out_reader *r, const char *group, const char *name)
{
    char p[600];
    snprintf(p, sizeof p, "series_stats/%s/%s/mean", group, name);
    return h5u_exists(r->root, p);
}

/* ---- listing a group of any HDF5 file ---- */

typedef struct child_list {
    char **v;
    size_t n, cap;
} child_list;

static herr_t child_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)loc, (void)info;
    child_list *l = data;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v, l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(name)))
        return -1;
    l->n++;
    return 0;
}

int out_file_children(const char *path, const char *group, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0 || H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    int rc = 0;
    if (h5u_exists(f, group)) {
        child_list l = { NULL, 0, 0 };
        if (H5Literate_by_name(f, group, H5_INDEX_NAME, H5_ITER_INC, NULL, child_cb, &l,
                               H5P_DEFAULT) < 0) {
            h5u_strv_free(l.v, l.n);
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
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0 || H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return NULL;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        H5Eclear2(H5E_DEFAULT);
        return NULL;
    }
    char *v = NULL;
    hid_t o = h5u_exists(f, obj) ? H5Oopen(f, obj, H5P_DEFAULT) : -1;
    if (o >= 0) {
        if (H5Aexists(o, name) > 0)
            v = h5u_attr_read_str(o, name);
        H5Oclose(o);
    }
    H5Eclear2(H5E_DEFAULT);
    H5Fclose(f);
    return v;
}
