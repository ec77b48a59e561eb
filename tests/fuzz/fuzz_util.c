/* tests/fuzz/fuzz_util.c - temporary files and failures for the harnesses. */
#include "tests/fuzz/fuzz.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[4096];

static void cleanup(void)
{
    DIR *d = opendir(tmpdir);
    if (d) {
        struct dirent *e;
        char p[4096 + 256];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(tmpdir);
}

const char *fuzz_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/vouchsim-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmpdir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(cleanup);
    }
    return tmpdir;
}

const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    static char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    size_t put = size ? fwrite(data, 1, size, f) : 0;
    if (fclose(f) != 0 || put != size)
        return NULL;
    return path;
}

/* LeakSanitizer (gcc's and clang's) reads this. libhdf5 1.10 leaks the
 * object headers its metadata cache was loading when a corrupt file makes
 * the load fail (under H5C_protect): the library's leak, not the reader's.
 * libhdf5 is built without frame pointers, so the fast unwinder sees only
 * "malloc <- libhdf5" and the suppression must name the whole library
 * (naming H5C_protect needs fast_unwind_on_malloc=0, which fuzzes 2 to 10
 * times slower). So a leak of memory HDF5 allocated for the reader (a
 * variable-length string it forgot to free) goes unseen here; leaks of
 * what the reader allocates itself are reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libhdf5\n";
}

/* ...and without a table of the suppressions used after every leak check. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
