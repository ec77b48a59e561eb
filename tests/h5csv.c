/* tests/h5csv.c - a compound dataset of an HDF5 file as CSV, for the shell
 * tests on machines without h5py:
 *
 *   tests/h5csv FILE.h5 /compare/differences
 *
 * One header line with the member names, then one line per row: strings
 * as they are, numbers with %.17g (NaN as "nan"). Exit 0, or 2 when the
 * file or dataset cannot be read. A test helper, not part of vouchsim. */
#include <stdio.h>
#include <stdlib.h>

#include <hdf5.h>

#include "output/h5util.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: h5csv FILE.h5 /PATH/TO/TABLE\n", stderr);
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, argv[2], H5P_DEFAULT) : -1;
    hid_t t = d >= 0 ? H5Dget_type(d) : -1, sp = d >= 0 ? H5Dget_space(d) : -1;
    if (t < 0 || sp < 0 || H5Tget_class(t) != H5T_COMPOUND) {
        fprintf(stderr, "h5csv: %s: cannot read %s as a table\n", argv[1], argv[2]);
        return 2;
    }
    size_t n = (size_t)H5Sget_simple_extent_npoints(sp);
    int nm = H5Tget_nmembers(t);
    char ***str = calloc((size_t)nm, sizeof *str);
    double **num = calloc((size_t)nm, sizeof *num);
    for (int k = 0; k < nm; k++) {
        char *name = H5Tget_member_name(t, (unsigned)k);
        printf("%s%s", k ? "," : "", name);
        int rc = H5Tget_member_class(t, (unsigned)k) == H5T_STRING
                     ? h5u_field_read_strings(d, name, n, 4096, &str[k])
                     : ((num[k] = malloc((n + 1) * sizeof **num)) == NULL
                            ? -1 : h5u_field_read_double(d, name, n, num[k]));
        H5free_memory(name);
        if (rc != 0) {
            fprintf(stderr, "h5csv: %s: cannot read column %d of %s\n", argv[1], k, argv[2]);
            return 2;
        }
    }
    putchar('\n');
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < nm; k++) {
            if (k)
                putchar(',');
            if (str[k])
                fputs(str[k][i], stdout);
            else
                printf("%.17g", num[k][i]);
        }
        putchar('\n');
    }
    for (int k = 0; k < nm; k++) {
        if (str[k])
            h5u_strv_free(str[k], n);
        free(num[k]);
    }
    free(str);
    free(num);
    H5Tclose(t);
    H5Sclose(sp);
    H5Dclose(d);
    H5Fclose(f);
    return 0;
}
