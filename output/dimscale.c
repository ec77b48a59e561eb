/* output/dimscale.c - dimension scales attached in batches (see
 * dimscale.h). The layout of the two attributes is HDF5's own (hl/src
 * H5DS.c, "Dimension Scale Specification"): DIMENSION_LIST is a 1-D
 * attribute of rank-of-the-dataset variable-length lists of
 * H5T_STD_REF_OBJ; REFERENCE_LIST a 1-D attribute of compound records
 * {"dataset": H5T_STD_REF_OBJ, "dimension": H5T_NATIVE_INT}. */
#include "output/dimscale.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DIMENSION_LIST_NAME "DIMENSION_LIST"
#define REFERENCE_LIST_NAME "REFERENCE_LIST"
#define MAX_RANK 32                             /* H5S_MAX_RANK */

/* One record of a REFERENCE_LIST, laid out as H5DS's ds_list_t. */
typedef struct ref_rec {
    hobj_ref_t   ref;       /* the attached dataset */
    unsigned int dim;       /* its dimension */
} ref_rec;

typedef struct scale_queue {
    hobj_ref_t scale;
    ref_rec   *rec;
    size_t     n, cap;
} scale_queue;

struct out_ds_queue {
    scale_queue *s;
    size_t       n, cap;
};

out_ds_queue *out_ds_queue_new(void)
{
    return calloc(1, sizeof(out_ds_queue));
}

static void clear(out_ds_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        free(q->s[i].rec);
    q->n = 0;
}

void out_ds_queue_free(out_ds_queue *q)
{
    if (!q)
        return;
    clear(q);
    free(q->s);
    free(q);
}

size_t out_ds_pending(const out_ds_queue *q)
{
    size_t n = 0;
    for (size_t i = 0; q && i < q->n; i++)
        n += q->s[i].n;
    return n;
}

/* v (n elements of size bytes used of *cap) with room for one more: v
 * itself, or moved (the first allocation holds `first`); NULL on ENOMEM,
 * v unchanged. */
static void *room(void *v, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? 2 * *cap : first;
    void *nv = realloc(v, c * size);
    if (nv)
        *cap = c;
    return nv;
}

/* The queue of scale ref (created empty), with room for one more record;
 * NULL on ENOMEM. A handful of scales are queued at a time: a linear
 * search, newest first. */
static scale_queue *queue_of(out_ds_queue *q, hobj_ref_t ref)
{
    scale_queue *s = NULL;
    for (size_t i = q->n; i-- > 0 && !s;)
        if (q->s[i].scale == ref)
            s = &q->s[i];
    if (!s) {
        scale_queue *ns = room(q->s, q->n, &q->cap, sizeof *q->s, 8);
        if (!ns)
            return NULL;
        q->s = ns;
        s = &q->s[q->n++];
        memset(s, 0, sizeof *s);
        s->scale = ref;
    }
    ref_rec *nr = room(s->rec, s->n, &s->cap, sizeof *s->rec, 16);
    if (!nr)
        return NULL;
    s->rec = nr;
    return s;
}

int out_ds_attach(out_ds_queue *q, hid_t d, hid_t loc, const char *const *scale, unsigned n)
{
    if (!q || n == 0 || n > MAX_RANK)
        return -1;
    hobj_ref_t self, sref[MAX_RANK];
    hvl_t buf[MAX_RANK];
    hid_t sp = H5Dget_space(d), vt = -1, a = -1;
    int rc = sp >= 0 && H5Sget_simple_extent_ndims(sp) == (int)n
             && H5Rcreate(&self, d, ".", H5R_OBJECT, -1) >= 0 ? 0 : -1;
    if (sp >= 0)
        H5Sclose(sp);
    sp = -1;
    for (unsigned k = 0; rc == 0 && k < n; k++) {
        if (H5Rcreate(&sref[k], loc, scale[k], H5R_OBJECT, -1) < 0)
            rc = -1;
        buf[k].len = 1;
        buf[k].p = &sref[k];
    }
    /* room in every queue first, so that a failure queues nothing (kept
     * by index: a new queue may move the others) */
    size_t qi[MAX_RANK];
    for (unsigned k = 0; rc == 0 && k < n; k++) {
        scale_queue *s = queue_of(q, sref[k]);
        if (!s)
            rc = -1;
        else
            qi[k] = (size_t)(s - q->s);
    }
    hsize_t dims[1] = { n };
    if (rc == 0
        && ((sp = H5Screate_simple(1, dims, NULL)) < 0 || (vt = H5Tvlen_create(H5T_STD_REF_OBJ)) < 0
            || (a = H5Acreate2(d, DIMENSION_LIST_NAME, vt, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0
            || H5Awrite(a, vt, buf) < 0))
        rc = -1;
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    if (vt >= 0)
        H5Tclose(vt);
    if (sp >= 0)
        H5Sclose(sp);
    for (unsigned k = 0; rc == 0 && k < n; k++) {
        scale_queue *s = &q->s[qi[k]];
        if (s->n == s->cap) {
            rc = -1;                /* room for one: a scale given twice */
            break;
        }
        s->rec[s->n].ref = self;
        s->rec[s->n].dim = k;
        s->n++;
    }
    return rc;
}

/* The in-memory type of a REFERENCE_LIST record. */
static hid_t rec_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(ref_rec));
    if (t >= 0 && (H5Tinsert(t, "dataset", offsetof(ref_rec, ref), H5T_STD_REF_OBJ) < 0
                   || H5Tinsert(t, "dimension", offsetof(ref_rec, dim), H5T_NATIVE_INT) < 0)) {
        H5Tclose(t);
        t = -1;
    }
    return t;
}

/* Appends s's records to the REFERENCE_LIST of its scale. */
static int flush_one(hid_t file, hid_t mt, const scale_queue *s)
{
    hobj_ref_t ref = s->scale;
    hid_t o = H5Rdereference2(file, H5P_DEFAULT, H5R_OBJECT, &ref), a = -1, sp = -1, ft = -1;
    ref_rec *all = NULL;
    size_t old = 0;
    int rc = 0;
    htri_t has = o >= 0 ? H5Aexists(o, REFERENCE_LIST_NAME) : -1;
    if (has < 0)
        rc = -1;
    else if (has) {
        hssize_t np;
        if ((a = H5Aopen(o, REFERENCE_LIST_NAME, H5P_DEFAULT)) < 0
            || (sp = H5Aget_space(a)) < 0 || (np = H5Sget_simple_extent_npoints(sp)) < 0
            || (ft = H5Aget_type(a)) < 0)
            rc = -1;
        else {
            old = (size_t)np;
            if (!(all = malloc((old + s->n) * sizeof *all)) || H5Aread(a, mt, all) < 0)
                rc = -1;
        }
        if (a >= 0 && H5Aclose(a) < 0)
            rc = -1;
        if (sp >= 0)
            H5Sclose(sp);
        a = sp = -1;
        /* the attribute changes size: deleted and written again, as H5DS does */
        if (rc == 0 && H5Adelete(o, REFERENCE_LIST_NAME) < 0)
            rc = -1;
    } else if ((ft = H5Tcopy(mt)) < 0 || !(all = malloc(s->n * sizeof *all)))
        rc = -1;
    hsize_t dims[1] = { old + s->n };
    if (rc == 0) {
        memcpy(all + old, s->rec, s->n * sizeof *all);
        if ((sp = H5Screate_simple(1, dims, NULL)) < 0
            || (a = H5Acreate2(o, REFERENCE_LIST_NAME, ft, sp, H5P_DEFAULT, H5P_DEFAULT)) < 0
            || H5Awrite(a, mt, all) < 0)
            rc = -1;
    }
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (o >= 0 && H5Oclose(o) < 0)
        rc = -1;
    free(all);
    return rc;
}

int out_ds_flush(out_ds_queue *q, hid_t file)
{
    if (!q || q->n == 0)
        return 0;
    hid_t mt = rec_type();
    int rc = mt >= 0 ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < q->n; i++)
        if (q->s[i].n)
            rc = flush_one(file, mt, &q->s[i]);
    if (mt >= 0)
        H5Tclose(mt);
    clear(q);
    return rc;
}
