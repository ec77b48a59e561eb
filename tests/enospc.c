/* tests/enospc.c - a full disk without root: an LD_PRELOAD shim for
 * tests/disk_full.sh.
 *
 * Regular files under the directory VOUCHSIM_SHIM_DIR may grow by
 * VOUCHSIM_SHIM_BYTES bytes in all, summed over the process; a write that would grow one further fails with ENOSPC, as
 * on a full file system (overwriting bytes that exist costs nothing).
 * fallocate fails with EOPNOTSUPP, as on file systems without it, so the
 * writer reserves space by writing zeros, which this shim counts exactly.
 * With VOUCHSIM_SHIM_MKDIRS=N the process may make N directories (anywhere);
 * a further mkdir of a path that is not there fails with ENOSPC, as when a
 * full disk has no block for a directory.
 * Intercepts write, pwrite, pwrite64, fallocate and mkdir of the C library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static long long left = -1;     /* bytes the files may still grow */

static int grow(int fd, size_t n, off_t at)
{
    struct stat st;
    if (left < 0) {
        const char *s = getenv("VOUCHSIM_SHIM_BYTES");
        left = s ? atoll(s) : (1LL << 62);
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || at < 0)
        return 0;
    const char *dir = getenv("VOUCHSIM_SHIM_DIR");
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, path, sizeof path - 1);
    if (!dir || len < 0)
        return 0;
    path[len] = '\0';
    if (strncmp(path, dir, strlen(dir)) != 0)
        return 0;               /* not on the "full disk" (stderr to a file...) */
    long long more = (long long)at + (long long)n - (long long)st.st_size;
    if (more <= 0)
        return 0;
    if (more > __atomic_load_n(&left, __ATOMIC_RELAXED)) {
        errno = ENOSPC;
        return -1;
    }
    __atomic_sub_fetch(&left, more, __ATOMIC_RELAXED);
    return 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (grow(fd, n, lseek(fd, 0, SEEK_CUR)) != 0)
        return -1;
    return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t at)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    if (grow(fd, n, at) != 0)
        return -1;
    return real(fd, buf, n, at);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t at)
{
    return pwrite(fd, buf, n, at);
}

int fallocate(int fd, int mode, off_t at, off_t len)
{
    (void)fd, (void)mode, (void)at, (void)len;
    errno = EOPNOTSUPP;
    return -1;
}

int fallocate64(int fd, int mode, off_t at, off_t len)
{
    return fallocate(fd, mode, at, len);
}

int mkdir(const char *path, mode_t mode)
{
    static int (*real)(const char *, mode_t);
    static long made = 0;
    if (!real)
        real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
    const char *n = getenv("VOUCHSIM_SHIM_MKDIRS");
    struct stat st;
    if (n && __atomic_load_n(&made, __ATOMIC_RELAXED) >= atol(n) && stat(path, &st) != 0) {
        errno = ENOSPC;
        return -1;
    }
    int rc = real(path, mode);
    if (rc == 0)
        __atomic_add_fetch(&made, 1, __ATOMIC_RELAXED);
    return rc;
}
