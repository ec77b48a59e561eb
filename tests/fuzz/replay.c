/* tests/fuzz/replay.c - runs a harness over files without libFuzzer.
 *
 *   replay_HARNESS FILE|DIR...
 *   replay_HARNESS              (make check: the harness's fuzz_default_dirs
 *                                under $top_srcdir)
 *
 * Every regular file named, and every regular file in a directory named
 * (not recursively, in name order), goes once through
 * LLVMFuzzerTestOneInput. A crash or a broken invariant aborts the
 * program, after the name of the file was printed; otherwise it prints how
 * many files ran and exits 0. Exit 2 when an argument cannot be read. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

/* Under ASan (--enable-sanitizers), an allocation too large to satisfy
 * returns NULL, as malloc does in a plain build, instead of aborting: the
 * replay checks that the code copes, as the pending findings need. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t n = 0, cap = 4096;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return -1;
    }
    printf("replay: %s (%zu bytes)\n", path, n);
    fflush(stdout);
    /* a copy of exactly n bytes, so reads past the end are caught */
    uint8_t *exact = malloc(n ? n : 1);
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t runs = 0;
    char **args = argv + 1;
    int nargs = argc - 1;
    if (nargs == 0) {
        const char *top = getenv("top_srcdir");
        size_t n = 0;
        while (fuzz_default_dirs[n])
            n++;
        if (!(args = calloc(n + 1, sizeof *args)))
            return 2;
        for (size_t i = 0; i < n; i++) {
            const char *d = fuzz_default_dirs[i];
            int optional = d[0] == '?';
            size_t len = strlen(top ? top : ".") + strlen(d) + 2;
            if (!(args[nargs] = malloc(len)))
                return 2;
            snprintf(args[nargs], len, "%s/%s", top ? top : ".", d + optional);
            struct stat st;
            if (optional && stat(args[nargs], &st) != 0) {
                free(args[nargs]);
                continue;
            }
            nargs++;
        }
    }
    for (int i = 0; i < nargs; i++) {
        struct stat st;
        if (stat(args[i], &st) != 0) {
            perror(args[i]);
            return 2;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(args[i]))
                return 2;
            runs++;
            continue;
        }
        DIR *d = opendir(args[i]);
        if (!d) {
            perror(args[i]);
            return 2;
        }
        char **names = NULL;
        size_t nn = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char **nb = realloc(names, (nn + 1) * sizeof *names);
            if (!nb)
                return 2;
            names = nb;
            size_t len = strlen(args[i]) + strlen(e->d_name) + 2;
            if (!(names[nn] = malloc(len)))
                return 2;
            snprintf(names[nn++], len, "%s/%s", args[i], e->d_name);
        }
        closedir(d);
        if (nn)
            qsort(names, nn, sizeof *names, by_name);
        for (size_t k = 0; k < nn; k++) {
            if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
                if (run_file(names[k]))
                    return 2;
                runs++;
            }
            free(names[k]);
        }
        free(names);
    }
    if (args != argv + 1) {
        for (int i = 0; i < nargs; i++)
            free(args[i]);
        free(args);
    }
    printf("replay: %zu files, no crash\n", runs);
    return 0;
}
