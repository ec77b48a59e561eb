/* output/kept.c - the stored chunks of copied series, kept for the
 * statistics (see kept.h). */
#include "output/kept.h"

#include <stdlib.h>
#include <string.h>

struct out_kept {
    out_kept_series *s;
    size_t           n, cap;
    size_t           bytes, max_bytes;
    int              full;      /* the cap was reached: keep no more */
    int              sealed;
};

out_kept *out_kept_new(size_t max_bytes)
{
    out_kept *k = calloc(1, sizeof *k);
    if (k)
        k->max_bytes = max_bytes;
    return k;
}

static void series_fini(out_kept_series *s)
{
    free(s->group);
    free(s->name);
    free(s->z);
    free(s->zoff);
    free(s->zlen);
}

void out_kept_free(out_kept *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        series_fini(&k->s[i]);
    free(k->s);
    free(k);
}

int out_kept_direct(hid_t d, size_t *rows, size_t *ncols, size_t *crs)
{
    int ok = 0;
    hid_t t = H5Dget_type(d), dcpl = H5Dget_create_plist(d), sp = H5Dget_space(d);
    hsize_t ch[2], dims[2];
    if (t >= 0 && dcpl >= 0 && sp >= 0 && H5Sget_simple_extent_ndims(sp) == 2
        && H5Sget_simple_extent_dims(sp, dims, NULL) == 2 && H5Tequal(t, H5T_IEEE_F64LE) > 0
        && H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_chunk(dcpl, 2, ch) == 2
        && ch[1] == dims[1] && ch[0] > 0 && H5Pget_nfilters(dcpl) == 2) {
        unsigned flags, cd[8];
        size_t ncd = 8;
        H5Z_filter_t f0 = H5Pget_filter2(dcpl, 0, &flags, &ncd, cd, 0, NULL, NULL);
        ncd = 8;
        H5Z_filter_t f1 = H5Pget_filter2(dcpl, 1, &flags, &ncd, cd, 0, NULL, NULL);
        ok = f0 == H5Z_FILTER_SHUFFLE && f1 == H5Z_FILTER_DEFLATE;
        *rows = (size_t)dims[0];
        *ncols = (size_t)dims[1];
        *crs = (size_t)ch[0];
    }
    if (t >= 0)
        H5Tclose(t);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

/* Reads d's nchunks chunks of crs rows into s; 0, or -1 (a chunk not
 * stored, filtered otherwise, unreadable, no memory, or over the cap). */
static int read_chunks(out_kept *k, hid_t d, out_kept_series *s)
{
    size_t cap = 0, used = 0;
    if (!(s->zoff = malloc(s->nchunks * sizeof *s->zoff))
        || !(s->zlen = malloc(s->nchunks * sizeof *s->zlen)))
        return -1;
    for (size_t c = 0; c < s->nchunks; c++) {
        hsize_t off[2] = { (hsize_t)(c * s->crs), 0 }, size = 0;
        uint32_t mask = 0;
        if (H5Dget_chunk_storage_size(d, off, &size) < 0 || size == 0)
            return -1;
        if (k->bytes + used + size > k->max_bytes) {
            k->full = 1;
            return -1;
        }
        if (used + size > cap) {
            size_t want = cap ? 2 * cap : (size_t)size * s->nchunks;
            while (want < used + size)
                want *= 2;
            unsigned char *p = realloc(s->z, want);
            if (!p)
                return -1;
            s->z = p;
            cap = want;
        }
        if (H5Dread_chunk(d, H5P_DEFAULT, off, &mask, s->z + used) < 0 || mask != 0)
            return -1;
        s->zoff[c] = used;
        s->zlen[c] = (size_t)size;
        used += (size_t)size;
    }
    k->bytes += used;
    return 0;
}

void out_kept_take(out_kept *k, size_t run, const char *group, const char *name, hid_t d)
{
    if (!k || k->full || k->sealed)
        return;
    out_kept_series s;
    memset(&s, 0, sizeof s);
    s.run = run;
    if (!out_kept_direct(d, &s.rows, &s.ncols, &s.crs) || s.rows == 0 || s.ncols == 0)
        return;
    s.nchunks = (s.rows + s.crs - 1) / s.crs;
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 256;
        out_kept_series *p = realloc(k->s, cap * sizeof *p);
        if (!p)
            return;
        k->s = p;
        k->cap = cap;
    }
    if (!(s.group = strdup(group)) || !(s.name = strdup(name)) || read_chunks(k, d, &s) != 0) {
        H5Eclear2(H5E_DEFAULT);
        series_fini(&s);
        return;
    }
    k->s[k->n++] = s;
}

static int cmp_key(size_t run_a, const char *ga, const char *na, const out_kept_series *b)
{
    int c = strcmp(ga, b->group);
    if (c == 0)
        c = strcmp(na, b->name);
    if (c == 0)
        c = run_a < b->run ? -1 : run_a > b->run;
    return c;
}

static int cmp_series(const void *a, const void *b)
{
    const out_kept_series *x = a;
    return cmp_key(x->run, x->group, x->name, b);
}

void out_kept_seal(out_kept *k)
{
    if (!k || k->sealed)
        return;
    if (k->n > 1)               /* nothing kept (runs without series): k->s is NULL */
        qsort(k->s, k->n, sizeof *k->s, cmp_series);
    k->sealed = 1;
}

const out_kept_series *out_kept_find(const out_kept *k, size_t run, const char *group,
                                     const char *name)
{
    if (!k || !k->sealed)
        return NULL;
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(run, group, name, &k->s[mid]);
        if (c == 0)
            return &k->s[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t out_kept_count(const out_kept *k, size_t *bytes)
{
    if (bytes)
        *bytes = k ? k->bytes : 0;
    return k ? k->n : 0;
}
