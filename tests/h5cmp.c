/* tests/h5cmp.c - are the datasets of two HDF5 files bit-identical?
 *
 *   tests/h5cmp A.h5 B.h5 [GROUP...]
 *
 * Compares every dataset under each GROUP (default: /runs /scalars /summary
 * /series_stats /time /entities /run /scalar, and /sweep and /sobol when
 * either file has them): the same paths, types, shapes and raw bytes (for
 * variable-length strings, the same strings). Attributes are not
 * compared (they hold wall-clock times, hosts and command lines). Exit 0
 * when identical, 1 with the first differences listed, 2 on an error. A
 * test helper, not part of vouchsim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

typedef struct list {
    char  **path;
    size_t  n, cap;
} list;

static herr_t visit(hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
    (void)obj;
    list *l = data;
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->path = realloc(l->path, l->cap * sizeof *l->path);
        if (!l->path)
            return -1;
    }
    l->path[l->n++] = strdup(name);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Datasets under group g of file f, sorted (relative to g). */
static int datasets(hid_t f, const char *g, list *l)
{
    memset(l, 0, sizeof *l);
    if (H5Lexists(f, g, H5P_DEFAULT) <= 0)
        return 0;
    H5O_info_t info;
    if (H5Oget_info_by_name(f, g, &info, H5P_DEFAULT) < 0)
        return -1;
    if (info.type == H5O_TYPE_DATASET) {
        l->path = malloc(sizeof *l->path);
        l->path[0] = strdup(".");
        l->n = l->cap = 1;
        return 0;
    }
    hid_t o = H5Oopen(f, g, H5P_DEFAULT);
    if (o < 0 || H5Ovisit(o, H5_INDEX_NAME, H5_ITER_INC, visit, l) < 0)
        return -1;
    H5Oclose(o);
    qsort(l->path, l->n, sizeof *l->path, cmp_str);
    return 0;
}

/* 0 identical, 1 different. */
static int cmp_dataset(hid_t fa, hid_t fb, const char *path)
{
    hid_t da = H5Dopen2(fa, path, H5P_DEFAULT), db = H5Dopen2(fb, path, H5P_DEFAULT);
    int diff = 1;
    if (da < 0 || db < 0) {
        printf("%s: cannot open\n", path);
        goto out;
    }
    hid_t ta = H5Dget_type(da), tb = H5Dget_type(db);
    hid_t sa = H5Dget_space(da), sb = H5Dget_space(db);
    hssize_t na = H5Sget_simple_extent_npoints(sa), nb = H5Sget_simple_extent_npoints(sb);
    int ra = H5Sget_simple_extent_ndims(sa), rb = H5Sget_simple_extent_ndims(sb);
    hsize_t dimsa[8] = { 0 }, dimsb[8] = { 0 };
    H5Sget_simple_extent_dims(sa, dimsa, NULL);
    H5Sget_simple_extent_dims(sb, dimsb, NULL);
    if (H5Tequal(ta, tb) <= 0)
        printf("%s: types differ\n", path);
    else if (ra != rb || memcmp(dimsa, dimsb, sizeof dimsa))
        printf("%s: shapes differ\n", path);
    else if (H5Tis_variable_str(ta) > 0) {
        char **va = calloc(na ? (size_t)na : 1, sizeof *va), **vb = calloc(na ? (size_t)na : 1, sizeof *vb);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ta));
        if (na && (H5Dread(da, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, va) < 0
                   || H5Dread(db, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, vb) < 0))
            printf("%s: cannot read\n", path);
        else {
            diff = 0;
            for (hssize_t i = 0; i < na && !diff; i++)
                diff = strcmp(va[i] ? va[i] : "", vb[i] ? vb[i] : "") != 0;
            if (diff)
                printf("%s: data differ\n", path);
        }
        for (hssize_t i = 0; i < na; i++) {
            free(va[i]);
            free(vb[i]);
        }
        free(va);
        free(vb);
        H5Tclose(mt);
    } else {
        size_t bytes = (size_t)na * H5Tget_size(ta);
        char *ba = malloc(bytes ? bytes : 1), *bb = malloc(bytes ? bytes : 1);
        if (na && (H5Dread(da, ta, H5S_ALL, H5S_ALL, H5P_DEFAULT, ba) < 0
                   || H5Dread(db, tb, H5S_ALL, H5S_ALL, H5P_DEFAULT, bb) < 0))
            printf("%s: cannot read\n", path);
        else if (na && memcmp(ba, bb, bytes))
            printf("%s: data differ\n", path);
        else
            diff = 0;
        free(ba);
        free(bb);
    }
    (void)nb;
    H5Tclose(ta);
    H5Tclose(tb);
    H5Sclose(sa);
    H5Sclose(sb);
out:
    if (da >= 0)
        H5Dclose(da);
    if (db >= 0)
        H5Dclose(db);
    return diff;
}

static int print_table(const char *file, const char *path)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, path, H5P_DEFAULT) : -1;
    if (d < 0) {
        fprintf(stderr, "h5cmp: %s: no dataset %s\n", file, path);
        return 2;
    }
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    int nm = H5Tget_nmembers(t);
    size_t size = H5Tget_size(t);
    char *buf = malloc((size_t)n * size + 1);
    if (nm <= 0 || !buf || (n && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)) {
        fprintf(stderr, "h5cmp: %s: cannot read %s as a table\n", file, path);
        return 2;
    }
    for (int m = 0; m < nm; m++) {
        char *name = H5Tget_member_name(t, (unsigned)m);
        printf("%s%s", m ? "," : "", name);
        H5free_memory(name);
    }
    putchar('\n');
    for (hssize_t i = 0; i < n; i++) {
        for (int m = 0; m < nm; m++) {
            hid_t mt = H5Tget_member_type(t, (unsigned)m);
            const char *p = buf + (size_t)i * size + H5Tget_member_offset(t, (unsigned)m);
            if (m)
                putchar(',');
            if (H5Tget_class(mt) == H5T_STRING)
                printf("%.*s", (int)H5Tget_size(mt), p);
            else if (H5Tget_class(mt) == H5T_FLOAT) {
                double v;
                memcpy(&v, p, sizeof v);
                printf("%.17g", v);
            } else {
                uint32_t v;
                memcpy(&v, p, sizeof v);
                printf("%u", (unsigned)v);
            }
            H5Tclose(mt);
        }
        putchar('\n');
    }
    free(buf);
    H5Tclose(t);
    H5Sclose(sp);
    H5Dclose(d);
    H5Fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--table")) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        return print_table(argv[2], argv[3]);
    }
    static const char *const def[] = { "/runs", "/scalars", "/summary", "/series_stats",
                                       "/time", "/entities", "/run", "/scalar", "/sweep",
                                       "/sobol" };
    if (argc < 3) {
        fprintf(stderr, "usage: h5cmp A.h5 B.h5 [GROUP...]\n");
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fa = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t fb = H5Fopen(argv[2], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fa < 0 || fb < 0) {
        fprintf(stderr, "h5cmp: cannot open %s\n", fa < 0 ? argv[1] : argv[2]);
        return 2;
    }
    const char *const *groups = argc > 3 ? (const char *const *)argv + 3 : def;
    size_t ng = argc > 3 ? (size_t)(argc - 3) : sizeof def / sizeof def[0];
    int diffs = 0;
    size_t total = 0;
    for (size_t g = 0; g < ng; g++) {
        list la, lb;
        if (datasets(fa, groups[g], &la) || datasets(fb, groups[g], &lb)) {
            fprintf(stderr, "h5cmp: cannot list %s\n", groups[g]);
            return 2;
        }
        if (la.n != lb.n) {
            printf("%s: %zu datasets vs %zu\n", groups[g], la.n, lb.n);
            diffs++;
        }
        for (size_t i = 0; i < la.n && i < lb.n && diffs < 20; i++) {
            char path[1024];
            if (strcmp(la.path[i], lb.path[i])) {
                printf("%s: %s vs %s\n", groups[g], la.path[i], lb.path[i]);
                diffs++;
                continue;
            }
            if (!strcmp(la.path[i], "."))
                snprintf(path, sizeof path, "%s", groups[g]);
            else
                snprintf(path, sizeof path, "%s/%s", groups[g], la.path[i]);
            diffs += cmp_dataset(fa, fb, path);
            total++;
        }
        for (size_t i = 0; i < la.n; i++)
            free(la.path[i]);
        for (size_t i = 0; i < lb.n; i++)
            free(lb.path[i]);
        free(la.path);
        free(lb.path);
    }
    H5Fclose(fa);
    H5Fclose(fb);
    if (diffs)
        return 1;
    printf("h5cmp: %zu datasets identical\n", total);
    return 0;
}
