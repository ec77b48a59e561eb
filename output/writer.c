/* output/writer.c - one HDF5 file per run or experiment (see writer.h).
 *
 * The file is built as ".NAME.tmp.PID.N" in the final directory and
 * renamed into place on commit, so readers never see half a file. The
 * layout is documented in output/README.md; names and units come from the
 * caller, which is the only place that knows what they mean.
 *
 * Why chunks are compressed here and not by HDF5: the thread-safe HDF5
 * build holds one global lock around every call, and its filters (shuffle
 * + deflate) run inside those calls, so replications in several threads
 * took turns compressing. Series rows are therefore buffered per series,
 * one chunk at a time; a full chunk (the last one padded with the fill
 * value, NaN) is encoded by output/chunk.c outside any lock, into exactly
 * the bytes HDF5's filters would produce, and only H5Dset_extent +
 * H5Dwrite_chunk run under the writer's mutex. The datasets keep shuffle +
 * deflate in their creation properties, so every HDF5 reader decodes them
 * as usual. With out_writer_background, a thread of the writer's own
 * does the encoding and storing while the run goes on. The series
 * statistics work the same way: raw chunks in and out under the lock,
 * decoding, statistics and encoding outside it, on a few threads of their
 * own. */
#ifdef __linux__
#define _GNU_SOURCE             /* fallocate, memfd_create */
#endif
#include "output/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include <hdf5.h>
#include <hdf5_hl.h>            /* H5DS: dimension scales */

#include "output/chunk.h"
#include "output/dimscale.h"
#include "output/h5util.h"
#include "output/kept.h"
#include "sim/stats.h"

enum {
    STAT_GROUPS_MAX = 16,           /* entity groups whose run groups the statistics keep open */
    CHUNK_ROWS = 64,                /* rows per chunk of a series */
    CHUNK_BYTES_MAX = 1 << 20,      /* cap on a chunk for wide series */
    KEPT_BYTES_MAX = 256 << 20,     /* copied runs' chunks kept for the statistics (kept.h) */
    DEFLATE_LEVEL = 1
};

struct out_series {
    out_writer *w;
    hid_t       dset;
    size_t      ncols;
    size_t      chunk_rows;
    hsize_t     rows;       /* rows in the file */
    size_t      nbuf;       /* rows waiting in buf */
    double     *buf;        /* chunk_rows x ncols */
    unsigned char *scratch; /* the shuffled chunk, 8 x chunk_rows x ncols bytes */
    unsigned char *z;       /* the encoded chunk, zcap bytes */
    size_t      zcap, zlen;
    int         encoded;    /* z holds buf's rows (nbuf of them) */
    size_t      handed;     /* rows stored or handed to the background thread */
    double     *pend;       /* a full chunk handed to the background thread */
    size_t      pend_rows;
    int         busy;       /* pend is queued or being stored (under bg_mu) */
    int         bg_rc;      /* the background store failed: bg_err says why */
    sim_err     bg_err;
    out_series *bg_next;    /* in the background queue */
    char       *where;      /* "/runs/0001/series/region/utilization" */
    out_series *prev, *next;
};

/* What the writer knows of an entity group, for the coordinates of every
 * series group of it (out_entities_write, out_entity_coord_write). */
typedef struct ent_group {
    char    *name;          /* "datacenter" */
    size_t   n;             /* entities */
    char   **names;         /* [n] */
    size_t   nmeta;
    char   **meta_key;      /* [nmeta]: "region" */
    char  ***meta_val;      /* [nmeta][n] */
} ent_group;

struct out_writer {
    char           *path;   /* final path */
    char           *tmp;    /* temporary file beside it */
    hid_t           file;
    int             fd;     /* our own descriptor of tmp: space reservation, fsync */
    off_t           reserved; /* bytes of tmp's space reserved (fallocate), from 0 */
    int             no_reserve; /* reserving failed for a reason other than space: write without */
    int             pad;    /* no fallocate here: reserve by writing zeros past the end */
    int             sunk;   /* HDF5 writes to a memory file now (sink) */
    pthread_mutex_t own;    /* the lock, unless the caller shares one */
    pthread_mutex_t *mu;    /* around every HDF5 call of the shared calls */
    int             failed; /* an earlier call failed: never commit */
    int             no_sync; /* skip the fsync at commit */
    size_t          n_time; /* samples on the time axis, 0 before out_time_write */
    double         *hours;  /* [n_time]: the time axis, for each series group's `time` */
    char            time_units[64]; /* "hours since 2025-01-01 00:00:00", or "h" */
    ent_group      *groups; /* entity groups written */
    size_t          ngroups;
    int             coords_fixed; /* a series group exists: no more entity coordinates */
    unsigned        threads; /* for the series statistics; 0: one per core */
    int             bg;      /* out_writer_background: chunks stored by bg_tid */
    int             bg_started, bg_quit;
    pthread_t       bg_tid;
    pthread_mutex_t bg_mu;   /* the queue, bg_quit, each series' busy and bg_rc */
    pthread_cond_t  bg_cv;   /* a chunk queued, a chunk stored, or quit */
    out_series     *bg_head, *bg_tail;
    out_series     *open;   /* series not yet closed */
    out_ds_queue   *dsq;    /* scales' records not yet written (dimscale.h) */
    out_kept       *kept;   /* copied runs' chunks, for the statistics; NULL: none */
    struct stat_prep *prep; /* the statistics' outputs made ahead (out_series_stats_prepare) */
    size_t          keep_max; /* bytes kept at most (out_writer_keep_max) */
    struct tmp_slot *slot;  /* tmp's slot for out_writer_tmp_unlink_all; NULL: none */
};

static void sink(out_writer *w);
static void groups_free(out_writer *w);
static void stat_prep_free(struct stat_prep *p);

/* Threads of this process blocked on a writer's HDF5 lock right now. The
 * copy of a run's fragment (out_run_copy) holds the lock for tens of
 * datasets, some milliseconds; under MPI it runs beside rank 0's own runs,
 * whose fragment writers share the lock, and they stalled behind it (0.13
 * to 0.2 s in a 64-run sweep). So the copy steps aside between datasets
 * while anyone waits (step_aside). */
static atomic_int lock_waiters;

static void lock_hdf5(out_writer *w)
{
    if (pthread_mutex_trylock(w->mu) == 0)
        return;
    atomic_fetch_add(&lock_waiters, 1);
    pthread_mutex_lock(w->mu);
    atomic_fetch_sub(&lock_waiters, 1);
}

/* Holding w's lock: lets the threads that wait for a writer's lock have
 * it first (for a millisecond at most), then takes it again. */
static void step_aside(out_writer *w)
{
    if (atomic_load(&lock_waiters) == 0)
        return;
    pthread_mutex_unlock(w->mu);
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        sched_yield();
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (atomic_load(&lock_waiters) > 0
             && (now.tv_sec - t0.tv_sec) * 1000000000L + (now.tv_nsec - t0.tv_nsec) < 1000000L);
    lock_hdf5(w);
}

/* Records an HDF5 failure on w: "PATH: what: HDF5's words". */
static int h5fail(out_writer *w, sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int h5fail(out_writer *w, sim_err *err, const char *fmt, ...)
{
    char what[512], detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    h5u_detail(detail, sizeof detail);
    w->failed = 1;
    sink(w);    /* whatever is done to the file now must not reach the disk */
    return sim_err_set(err, SIM_EIO, w->path, 0, 0, "%s: %s", what, detail);
}

static int bad(out_writer *w, sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(out_writer *w, sim_err *err, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    w->failed = 1;
    return sim_err_set(err, SIM_EINVAL, w->path, 0, 0, "%s", what);
}

/* A name usable as one path component. */
static int name_ok(const char *s)
{
    return s && *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* ---- the disk: reserving space, discarding a file ----
 *
 * HDF5 (1.10 at least) does not survive a failed write: a dataset or a
 * copy that runs out of space in mid-call may crash in HDF5's own clean-up,
 * and a file whose close failed stays half torn down in HDF5's tables until
 * the library's exit handler crashes on it. So HDF5 must never meet a full
 * disk. Before each call that adds to the file, the writer reserves the
 * space it may use (fallocate with FALLOC_FL_KEEP_SIZE: blocks beyond the
 * end of the file, which HDF5's writes then fill) with a margin for the
 * metadata HDF5 writes when it pleases; a full disk fails the reservation,
 * which we report, before HDF5 is called. A file that is abandoned is
 * closed with its descriptor pointed at an anonymous memory file first
 * (holding a copy of the file, when small), so HDF5's last writes cannot
 * fail either. The reserve beyond the end is
 * given back at commit. */

enum {
    SINK_COPY_MAX = 64 << 20,   /* a discarded file up to this size is copied to memory */
    RESERVE_MIN = 256 << 10,    /* margin for metadata: at least 256 KiB ... */
    RESERVE_SHARE = 8           /* ... or 1/8 of the file, if more */
};

/* Zeros from the end of w's file (by our descriptor) to byte `to`: the
 * reservation on file systems without fallocate (NFS before 4.2...). HDF5
 * then overwrites blocks that exist; commit cuts what it did not use. */
static int pad_to(out_writer *w, off_t to)
{
    static const char zeros[1 << 16];
    struct stat st;
    if (fstat(w->fd, &st) != 0)
        return -1;
    for (off_t at = st.st_size; at < to;) {
        size_t n = to - at < (off_t)sizeof zeros ? (size_t)(to - at) : sizeof zeros;
        ssize_t k = pwrite(w->fd, zeros, n, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        at += k;
    }
    return 0;
}

/* Reserves bytes [w->reserved, to) of w's file: 0, or -1 with errno. */
static int reserve_range(out_writer *w, off_t to)
{
#if defined(__linux__) && defined(FALLOC_FL_KEEP_SIZE)
    if (!w->pad) {
        if (fallocate(w->fd, FALLOC_FL_KEEP_SIZE, w->reserved, to - w->reserved) == 0)
            return 0;
        if (errno != EOPNOTSUPP && errno != ENOSYS)
            return -1;
        w->pad = 1;
    }
#else
    w->pad = 1;
#endif
    return pad_to(w, to);
}

/* Makes sure the file has room for `extra` more bytes plus the margin.
 * Caller holds the lock (or is alone with w). */
static int reserve(out_writer *w, size_t extra, sim_err *err)
{
    if (w->fd < 0 || w->no_reserve || w->sunk)
        return SIM_OK;
    hsize_t size = 0;
    if (w->file >= 0 && H5Fget_filesize(w->file, &size) < 0) {
        H5Eclear2(H5E_DEFAULT);
        size = (hsize_t)w->reserved;
    }
    off_t margin = (off_t)(size / RESERVE_SHARE);
    if (margin < RESERVE_MIN)
        margin = RESERVE_MIN;
    off_t need = (off_t)size + (off_t)extra + margin;
    int rc;
    if (need <= w->reserved)
        return SIM_OK;
    /* Reserve ahead (a quarter more), so that this is done rarely; when
     * that much is not free, the exact need. */
    off_t ahead = need + need / 4;
    /* A file-size limit (ulimit -f): fallocate with KEEP_SIZE reserves past
     * it without complaint and HDF5's write would meet EFBIG, so the
     * reservation holds to the limit itself (vouchsim ignores SIGXFSZ). */
    struct rlimit fsz;
    if (getrlimit(RLIMIT_FSIZE, &fsz) == 0 && fsz.rlim_cur != RLIM_INFINITY) {
        if ((rlim_t)ahead > fsz.rlim_cur)
            ahead = need;
        if ((rlim_t)need > fsz.rlim_cur) {
            w->failed = 1;
            rc = sim_err_set(err, SIM_EIO, w->path, 0, 0, "%s: it would pass the file size "
                             "limit of %llu bytes (ulimit -f)", strerror(EFBIG),
                             (unsigned long long)fsz.rlim_cur);
            sink(w);
            return rc;
        }
    }
    if (reserve_range(w, ahead) == 0) {
        w->reserved = ahead;
        return SIM_OK;
    }
    if ((errno == ENOSPC || errno == EDQUOT) && reserve_range(w, need) == 0) {
        w->reserved = need;
        return SIM_OK;
    }
    if (errno == EINVAL) {
        w->no_reserve = 1;      /* a file system that refuses both ways: HDF5 writes as it can */
        return SIM_OK;
    }
    w->failed = 1;
    rc = sim_err_set(err, SIM_EIO, w->path, 0, 0, "%s", strerror(errno));
    sink(w);
    return rc;
}

/* Gives back the space reserved beyond the end of the finished file, whose
 * size HDF5 gave as `size` before closing it. Zeros written past it (pad)
 * must go: 0, or -1 with errno.
 *
 * The blocks fallocate reserved past the end (KEEP_SIZE) go with a
 * truncation to the file's own size: ext4, XFS, btrfs and tmpfs drop what
 * lies past the new end even when the size does not change. Punching a
 * hole there is no substitute: ext4 punches only below the end of the file
 * and silently does nothing past it, so a file HDF5 had not truncated
 * itself (one whose end met HDF5's, such as a --totals-only fragment of
 * 66 KiB) kept the whole reservation, 256 KiB and more, for good. */
static int reserve_release(out_writer *w, hsize_t size)
{
    struct stat st;
    if (w->pad) {
        if (fstat(w->fd, &st) != 0)
            return -1;
        return st.st_size > (off_t)size ? ftruncate(w->fd, (off_t)size) : 0;
    }
    if (w->fd >= 0 && w->reserved > 0 && fstat(w->fd, &st) == 0 && st.st_size < w->reserved) {
        if (ftruncate(w->fd, st.st_size) != 0) {
            /* Nothing lost but disk space: a hole, on file systems that
             * punch past the end; else the blocks stay until the file goes. */
#if defined(__linux__) && defined(FALLOC_FL_PUNCH_HOLE)
            (void)fallocate(w->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, st.st_size,
                            w->reserved - st.st_size);
#endif
        }
    }
    return 0;
}

/* Points HDF5's descriptor of w's file at a memory file (or /dev/null):
 * from now on nothing HDF5 does to w can fail for want of disk space. Caller
 * holds the lock (or is alone with w). */
/* Copies the first n bytes of fd `from` to fd `to`, as far as it can. */
static void sink_copy(int from, int to, off_t n)
{
    char *buf = malloc(1 << 20);
    for (off_t at = 0; buf && at < n;) {
        ssize_t k = pread(from, buf, n - at < (1 << 20) ? (size_t)(n - at) : (size_t)1 << 20, at);
        if (k <= 0 || pwrite(to, buf, (size_t)k, at) != k)
            break;
        at += k;
    }
    free(buf);
}

static void sink(out_writer *w)
{
    if (w->file >= 0 && !w->sunk) {
        w->sunk = 1;
        hid_t fapl = H5Fget_access_plist(w->file);
        void *handle = NULL;
        if (fapl >= 0 && H5Fget_vfd_handle(w->file, fapl, &handle) >= 0 && handle) {
            int hfd = *(int *)handle, sink = -1;
#ifdef __linux__
            sink = memfd_create("vouchsim-discard", MFD_CLOEXEC);
#endif
            if (sink < 0)
                sink = open("/dev/null", O_RDWR | O_CLOEXEC);
            if (sink >= 0) {
                /* The memory file must look like the file HDF5 knows: the
                 * same size, and (up to SINK_COPY_MAX) the same bytes, for
                 * metadata HDF5 may read back while it closes. */
                struct stat st;
                if (fstat(hfd, &st) == 0 && ftruncate(sink, st.st_size) == 0
                    && st.st_size <= SINK_COPY_MAX)
                    sink_copy(hfd, sink, st.st_size);
                dup2(sink, hfd);
                close(sink);
            }
        }
        if (fapl >= 0)
            H5Pclose(fapl);
        H5Eclear2(H5E_DEFAULT);
    }
}

/* Flushes the directory of path, so that a rename into it survives a
 * crash of the machine. Best effort: some file systems refuse fsync on a
 * directory, and the file itself is on disk already. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    int fd = dir ? open(dir, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        if (fsync(fd) != 0) {
            /* EINVAL on file systems without directory fsync */
        }
        close(fd);
    }
    free(dir);
}

/* Starts writing w's dirty pages to the disk, without waiting: the fsync
 * at commit then waits only for what was written since. Called after
 * each run copied and after the statistics, so that under MPI most of the
 * file reaches the disk while the runs go on (the fsync of a 64-run
 * sweep's 36 MB was 40 ms of the end, with every CPU idle). Not for
 * files committed without sync (fragments) or sunk. */
static void writeback_start(out_writer *w)
{
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    if (w->fd >= 0 && !w->no_sync && !w->sunk
        && sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE) != 0) {
        /* Only a head start: the fsync at commit reports any failure. */
    }
#else
    (void)w;
#endif
}

/* ---- removing a replaced file off the critical path ----
 * Replacing an existing file by rename frees the old file's blocks in
 * the rename, and on a file system mounted with `discard` (ext4 here)
 * that waits for the device: 35-55 ms for a 36 MB result, at the very end
 * of a command, with every CPU idle. So on commit the old file gets a
 * second name first (".NAME.tmp.PID.N.aK": a name of our temporary files,
 * which the next experiment command removes if this process dies before
 * it does), the rename then only drops a link, and the old file is removed
 * under its second name by a thread while the command finishes (what
 * else it does at the end: removing fragments, MPI_Finalize). The process
 * waits for the removals at exit (atexit), and the next commit waits for
 * the earlier ones, so nothing is left behind. The removals under way
 * are process state, like lock_waiters, since the process joins them at
 * exit. */
static struct {
    pthread_mutex_t mu;
    pthread_t       tid[8];
    size_t          n;
    pid_t           pid;        /* the process of the threads (a child of fork has none) */
    int             registered; /* atexit(aside_join): 1 done, -1 failed */
} asides = { PTHREAD_MUTEX_INITIALIZER, { 0 }, 0, 0, 0 };

static void *aside_main(void *arg)
{
    char *path = arg;
    unlink(path);
    free(path);
    return NULL;
}

static void aside_join(void)
{
    pthread_mutex_lock(&asides.mu);
    for (size_t i = 0; i < asides.n && asides.pid == getpid(); i++)
        pthread_join(asides.tid[i], NULL);
    asides.n = 0;
    pthread_mutex_unlock(&asides.mu);
}

/* Gives the file at w->path (if any: a regular file of one link) a second
 * name beside it. Returns that name (malloc'd), or NULL: none, or it
 * could not (the rename then frees the old file itself). */
static char *aside_link(const out_writer *w)
{
    struct stat st;
    if (w->no_sync || lstat(w->path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
        return NULL;
    size_t len = strlen(w->tmp) + 16;
    char *aside = malloc(len);
    for (unsigned k = 1; aside && k < 100; k++) {
        snprintf(aside, len, "%s.a%u", w->tmp, k);     /* ".NAME.tmp.PID.N.aK" */
        if (link(w->path, aside) == 0)
            return aside;
        if (errno != EEXIST)
            break;
    }
    free(aside);
    return NULL;
}

/* Removes aside (from aside_link) on a thread, which the process joins
 * at exit; on this thread when no thread can start. Takes aside. */
static void aside_remove(char *aside)
{
    pthread_mutex_lock(&asides.mu);
    if (!asides.registered)
        asides.registered = atexit(aside_join) == 0 ? 1 : -1;
    if (asides.n && asides.pid != getpid())
        asides.n = 0;           /* a child of fork: its parent's threads are not here */
    int ok = asides.registered == 1 && asides.n < sizeof asides.tid / sizeof asides.tid[0]
             && pthread_create(&asides.tid[asides.n], NULL, aside_main, aside) == 0;
    if (ok) {
        asides.n++;
        asides.pid = getpid();
    }
    pthread_mutex_unlock(&asides.mu);
    if (!ok)
        aside_main(aside);
}

/* ---- temporary files, for a signal handler ----
 * A command that a signal ends in its handler (_exit) must not leave the
 * temporary files of the writers open at that moment, in whichever thread
 * (an experiment's fragments, written by its runs' threads). Each writer
 * holds a slot from before its temporary file is made until the file is
 * renamed or removed, and out_writer_tmp_unlink_all reads the slots with
 * atomics only. A file made behind its back would stay, so it first sets
 * tmp_stop, which every later claim sees (sequentially consistent atomics:
 * a claim stores, then loads tmp_stop; the handler stores tmp_stop, then
 * loads the slot), and waits for the claims under way to end; the thread
 * making a file blocks the signals meanwhile, so that is never the
 * handler's own. The slots are process state, like lock_waiters. */
enum {
    TMP_SLOTS = 1024,       /* writers open at once that a handler sees (the rest it does not) */
    TMP_WAIT_MS = 2000      /* how long the handler waits for a file being made */
};
enum { SLOT_FREE, SLOT_BUSY, SLOT_MADE };   /* BUSY: claimed, the file being made */
static struct tmp_slot {
    atomic_int state;
    char      *path;        /* a copy of the writer's tmp: set while BUSY, read while MADE */
    size_t     cap;
} tmp_slots[TMP_SLOTS];
static atomic_int tmp_stop;

/* A free slot, BUSY now; NULL when there is none (the file then goes
 * unregistered) or, with *stopped = 1, when out_writer_tmp_unlink_all
 * has run: no file may be made. */
static struct tmp_slot *tmp_claim(int *stopped)
{
    *stopped = 0;
    for (size_t i = 0; i < TMP_SLOTS; i++) {
        int expect = SLOT_FREE;
        if (atomic_compare_exchange_strong(&tmp_slots[i].state, &expect, SLOT_BUSY)) {
            if (atomic_load(&tmp_stop)) {
                atomic_store(&tmp_slots[i].state, SLOT_FREE);
                *stopped = 1;
                return NULL;
            }
            return &tmp_slots[i];
        }
    }
    *stopped = atomic_load(&tmp_stop);
    return NULL;
}

/* Records the file made (path) in the BUSY slot s: MADE; or FREE when
 * the path is longer than s's buffer and *spare (spare_cap bytes, malloc'd
 * beforehand: no malloc while BUSY, whose lock the handler's thread may
 * hold) too. A buffer replaced goes to *spare, for the caller to free. */
static struct tmp_slot *tmp_made(struct tmp_slot *s, const char *path, char **spare,
                                 size_t spare_cap)
{
    size_t n = strlen(path) + 1;
    if (n > s->cap) {
        if (!*spare || n > spare_cap) {
            atomic_store(&s->state, SLOT_FREE);
            return NULL;
        }
        char *old = s->path;
        s->path = *spare;
        s->cap = spare_cap;
        *spare = old;
    }
    memcpy(s->path, path, n);
    atomic_store(&s->state, SLOT_MADE);
    return s;
}

/* w's temporary file is renamed or removed: its slot is free. */
static void tmp_release(out_writer *w)
{
    if (w->slot)
        atomic_store(&w->slot->state, SLOT_FREE);
    w->slot = NULL;
}

void out_writer_tmp_unlink_all(void)
{
    atomic_store(&tmp_stop, 1);
    for (size_t i = 0; i < TMP_SLOTS; i++) {
        struct tmp_slot *s = &tmp_slots[i];
        for (int ms = 0; atomic_load(&s->state) == SLOT_BUSY && ms < TMP_WAIT_MS; ms++) {
            struct timespec t = { 0, 1000000L };
            nanosleep(&t, NULL);
        }
        if (atomic_load(&s->state) == SLOT_MADE)
            unlink(s->path);
    }
}

/* Closes w's HDF5 file without letting it write to the disk, then removes
 * the temporary file. Caller holds the lock (or is alone with w). */
static void discard(out_writer *w)
{
    if (w->file >= 0) {
        sink(w);
        H5Fclose(w->file);
        H5Eclear2(H5E_DEFAULT);
        w->file = H5I_INVALID_HID;
    }
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    unlink(w->tmp);
    tmp_release(w);
}

out_writer *out_writer_open(const char *path, sim_err *err)
{
    return out_writer_open_locked(path, NULL, err);
}

out_writer *out_writer_open_locked(const char *path, pthread_mutex_t *lock, sim_err *err)
{
    /* Before HDF5's first call in the process (else a no-op): no exit
     * handler of HDF5's, which would crash on a file a failed close left
     * behind (see above: we try hard never to fail one). */
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!path || !*path) {
        sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "output path is empty");
        return NULL;
    }
    out_writer *w = calloc(1, sizeof *w);
    size_t len = strlen(path);
    if (!w || !(w->path = strdup(path)) || !(w->tmp = malloc(len + 64))
        || !(w->dsq = out_ds_queue_new())) {
        if (w) {
            free(w->path);
            free(w->tmp);
        }
        free(w);
        sim_err_set(err, SIM_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    w->file = H5I_INVALID_HID;
    w->fd = -1;
    w->keep_max = KEPT_BYTES_MAX;
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    if (!*base) {
        sim_err_set(err, SIM_EIO, path, 0, 0, "is a directory, not a file name");
        goto fail;
    }
    /* The file is made and recorded for out_writer_tmp_unlink_all with
     * the signals blocked (see tmp_claim). */
    int fd = -1, stopped, open_errno;
    char *spare = malloc(len + 64);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    struct tmp_slot *slot = tmp_claim(&stopped);
    for (unsigned k = 0; k < 10000 && fd < 0 && !stopped; k++) {
        snprintf(w->tmp, len + 64, "%.*s.%s.tmp.%ld.%u", dirlen, path, base, (long)getpid(), k);
        fd = open(w->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    open_errno = errno;
    if (slot && fd >= 0)
        w->slot = tmp_made(slot, w->tmp, &spare, len + 64);
    else if (slot)
        atomic_store(&slot->state, SLOT_FREE);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(spare);
    if (stopped) {
        sim_err_set(err, SIM_EIO, path, 0, 0, "not written: the command is being interrupted");
        goto fail;
    }
    if (fd < 0 && open_errno != EEXIST) {
        sim_err_set(err, SIM_EIO, path, 0, 0, "cannot write in directory '%.*s': %s",
                    dirlen ? dirlen : 1, dirlen ? path : ".", strerror(open_errno));
        goto fail;
    }
    if (fd < 0) {
        sim_err_set(err, SIM_EIO, path, 0, 0, "no free temporary file name");
        goto fail;
    }
    w->fd = fd;
    if (lock)
        pthread_mutex_lock(lock);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* v1.8 format: readable by every HDF5 since 2008 (MATLAB, R, h5py),
     * with dense attribute storage for long attribute lists. */
    if (fapl >= 0 && H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0
        && H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0)
        w->file = H5Fcreate(w->tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (lock)
        pthread_mutex_unlock(lock);
    if (w->file < 0) {
        h5fail(w, err, "cannot create temporary file %s", w->tmp);
        close(fd);
        unlink(w->tmp);
        tmp_release(w);
        goto fail;
    }
    w->mu = lock ? lock : &w->own;
    if (lock)
        pthread_mutex_lock(lock);
    int r = reserve(w, 0, err);
    if (r != SIM_OK)
        discard(w);
    if (lock)
        pthread_mutex_unlock(lock);
    if (r != SIM_OK)
        goto fail;
    pthread_mutex_init(&w->bg_mu, NULL);
    pthread_cond_init(&w->bg_cv, NULL);
    if (!lock && pthread_mutex_init(&w->own, NULL) != 0) {
        sim_err_set(err, SIM_ENOMEM, path, 0, 0, "cannot create a mutex");
        pthread_mutex_destroy(&w->bg_mu);
        pthread_cond_destroy(&w->bg_cv);
        discard(w);
        goto fail;
    }
    return w;
fail:
    tmp_release(w);
    out_ds_queue_free(w->dsq);
    free(w->tmp);
    free(w->path);
    free(w);
    return NULL;
}

/* Encodes nrows rows of buf (chunk_rows x ncols) into s->z, padded with
 * NaN (the fill value, as HDF5 pads a partial chunk). Touches only s and
 * buf: no lock needed. */
static int chunk_encode(out_series *s, double *buf, size_t nrows)
{
    size_t n = s->chunk_rows * s->ncols;
    for (size_t i = nrows * s->ncols; i < n; i++)
        buf[i] = NAN;
    return out_chunk_encode(buf, n, DEFLATE_LEVEL, s->scratch, s->z, s->zcap, &s->zlen);
}

/* Stores the chunk in s->z as rows [rows, rows + nrows). Caller holds the
 * mutex. */
static int chunk_store(out_series *s, size_t nrows, sim_err *err)
{
    hsize_t dims[2] = { s->rows + nrows, s->ncols };
    hsize_t offset[2] = { s->rows, 0 };
    int rc = reserve(s->w, s->zlen, err);
    if (rc != SIM_OK)
        return rc;
    if (H5Dset_extent(s->dset, dims) < 0
        || H5Dwrite_chunk(s->dset, H5P_DEFAULT, 0, offset, s->zlen, s->z) < 0)
        return h5fail(s->w, err, "cannot write %s", s->where);
    s->rows += nrows;
    return SIM_OK;
}

/* Writes the buffered rows of s, encoding them first unless done. Caller
 * holds the mutex; the background thread has nothing of s's. */
static int series_flush(out_series *s, sim_err *err)
{
    if (s->nbuf == 0)
        return SIM_OK;
    out_writer *w = s->w;
    if (!s->encoded && chunk_encode(s, s->buf, s->nbuf) < 0)
        return w->failed = 1, sim_err_set(err, SIM_ENOMEM, w->path, 0, 0,
                                          "%s: cannot compress a chunk", s->where);
    int rc = chunk_store(s, s->nbuf, err);
    if (rc == SIM_OK) {
        s->handed += s->nbuf;
        s->nbuf = 0;
    }
    s->encoded = 0;
    return rc;
}

/* Encodes s's rows outside the lock, then writes them under it. */
static int series_flush_unlocked(out_series *s, sim_err *err)
{
    int enc = s->nbuf ? chunk_encode(s, s->buf, s->nbuf) : 0;
    s->encoded = s->nbuf && enc == 0;
    lock_hdf5(s->w);
    int rc = enc < 0 ? sim_err_set(err, SIM_ENOMEM, s->w->path, 0, 0,
                                   "%s: cannot compress a chunk", s->where)
                     : series_flush(s, err);
    if (rc != SIM_OK)
        s->w->failed = 1;
    pthread_mutex_unlock(s->w->mu);
    return rc;
}

/* ---- background storing (out_writer_background) ---- */

/* The writer's background thread: encodes and stores queued chunks in
 * queue order until told to quit with the queue empty. */
static void *bg_main(void *arg)
{
    out_writer *w = arg;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);  /* per thread in HDF5: no traces on stderr */
    pthread_mutex_lock(&w->bg_mu);
    for (;;) {
        out_series *s = w->bg_head;
        if (!s) {
            if (w->bg_quit)
                break;
            pthread_cond_wait(&w->bg_cv, &w->bg_mu);
            continue;
        }
        w->bg_head = s->bg_next;
        if (!w->bg_head)
            w->bg_tail = NULL;
        pthread_mutex_unlock(&w->bg_mu);
        sim_err err;
        sim_err_clear(&err);
        int rc = chunk_encode(s, s->pend, s->pend_rows) < 0
                     ? sim_err_set(&err, SIM_ENOMEM, w->path, 0, 0, "%s: cannot compress a chunk",
                                   s->where)
                     : SIM_OK;
        lock_hdf5(w);
        if (rc == SIM_OK)
            rc = chunk_store(s, s->pend_rows, &err);
        if (rc != SIM_OK)
            w->failed = 1;
        pthread_mutex_unlock(w->mu);
        pthread_mutex_lock(&w->bg_mu);
        if (rc != SIM_OK && !s->bg_rc) {
            s->bg_rc = rc;
            s->bg_err = err;
        }
        s->busy = 0;
        pthread_cond_broadcast(&w->bg_cv);
    }
    pthread_mutex_unlock(&w->bg_mu);
    return NULL;
}

/* Waits until the background thread is done with s; its failure, if any. */
static int bg_wait(out_series *s, sim_err *err)
{
    out_writer *w = s->w;
    pthread_mutex_lock(&w->bg_mu);
    while (s->busy)
        pthread_cond_wait(&w->bg_cv, &w->bg_mu);
    int rc = s->bg_rc;
    if (rc && err)
        *err = s->bg_err;
    pthread_mutex_unlock(&w->bg_mu);
    return rc;
}

/* Hands s's full buffer to the background thread (started on first use);
 * 1 when handed, 0 when the thread cannot run (the caller stores it), or
 * an earlier background failure. */
static int bg_hand(out_series *s, sim_err *err)
{
    out_writer *w = s->w;
    int rc = bg_wait(s, err);
    if (rc != SIM_OK)
        return rc;
    if (!s->pend && !(s->pend = malloc(s->chunk_rows * s->ncols * sizeof(double))))
        return 0;
    pthread_mutex_lock(&w->bg_mu);
    if (!w->bg_started) {
        if (pthread_create(&w->bg_tid, NULL, bg_main, w) != 0) {
            w->bg = 0;
            pthread_mutex_unlock(&w->bg_mu);
            return 0;
        }
        w->bg_started = 1;
    }
    double *t = s->pend;
    s->pend = s->buf;
    s->buf = t;
    s->pend_rows = s->nbuf;
    s->handed += s->nbuf;
    s->nbuf = 0;
    s->busy = 1;
    s->bg_next = NULL;
    if (w->bg_tail)
        w->bg_tail->bg_next = s;
    else
        w->bg_head = s;
    w->bg_tail = s;
    pthread_cond_broadcast(&w->bg_cv);
    pthread_mutex_unlock(&w->bg_mu);
    return 1;
}

/* Stores what is queued and ends the background thread. */
static void bg_stop(out_writer *w)
{
    pthread_mutex_lock(&w->bg_mu);
    int started = w->bg_started;
    w->bg_quit = 1;
    pthread_cond_broadcast(&w->bg_cv);
    pthread_mutex_unlock(&w->bg_mu);
    if (started)
        pthread_join(w->bg_tid, NULL);
    w->bg_started = 0;
}

void out_writer_background(out_writer *w, int on)
{
    w->bg = on != 0;
}

/* Flushes (when flush != 0), closes and frees s. Caller holds the mutex. */
static int series_close_locked(out_series *s, int flush, sim_err *err)
{
    int rc = flush ? series_flush(s, err) : SIM_OK;
    if (H5Dclose(s->dset) < 0 && rc == SIM_OK)
        rc = h5fail(s->w, err, "cannot close %s", s->where);
    if (s->prev)
        s->prev->next = s->next;
    else
        s->w->open = s->next;
    if (s->next)
        s->next->prev = s->prev;
    free(s->buf);
    free(s->pend);
    free(s->scratch);
    free(s->z);
    free(s->where);
    free(s);
    return rc;
}

int out_writer_close(out_writer *w, int commit, sim_err *err)
{
    if (!w)
        return SIM_OK;
    int rc = SIM_OK;
    bg_stop(w);
    for (out_series *s = w->open; s; s = s->next)
        if (s->bg_rc && rc == SIM_OK) {
            rc = s->bg_rc;
            if (err)
                *err = s->bg_err;
        }
    lock_hdf5(w);
    if (commit && rc == SIM_OK && w->failed)
        rc = sim_err_set(err, SIM_EIO, w->path, 0, 0,
                         "not written: an earlier write to this file failed");
    if (commit && rc == SIM_OK && w->prep)
        rc = sim_err_set(err, SIM_EINVAL, w->path, 0, 0,
                         "not written: the series statistics were prepared, never written");
    stat_prep_free(w->prep);    /* their outputs, still open */
    w->prep = NULL;
    if (!commit || rc != SIM_OK)
        sink(w);                /* closing what is open may write: not to the disk */
    while (w->open) {
        int r = series_close_locked(w->open, commit && !w->failed && rc == SIM_OK, err);
        if (r && rc == SIM_OK)
            rc = r;
    }
    hsize_t size = 0;
    if (commit && rc == SIM_OK) {
        /* Everything HDF5 still holds goes to the file now, where a failure
         * can be reported; the close then has nothing left to write. */
        if ((rc = reserve(w, 0, err)) == SIM_OK && (out_ds_flush(w->dsq, w->file) < 0
                                                    || H5Fflush(w->file, H5F_SCOPE_GLOBAL) < 0
                                                    || H5Fget_filesize(w->file, &size) < 0))
            rc = h5fail(w, err, "cannot finish the file");
    }
    if (!commit || rc != SIM_OK) {
        discard(w);
    } else {
        if (H5Fclose(w->file) < 0)
            rc = h5fail(w, err, "cannot finish the file");
        w->file = H5I_INVALID_HID;
    }
    pthread_mutex_unlock(w->mu);
    if (commit && rc == SIM_OK) {
        if (reserve_release(w, size) != 0)
            rc = sim_err_set(err, SIM_EIO, w->path, 0, 0, "cannot write %s: %s", w->tmp,
                             strerror(errno));
        if (rc == SIM_OK && !w->no_sync && fsync(w->fd) != 0)
            rc = sim_err_set(err, SIM_EIO, w->path, 0, 0, "cannot flush %s to disk: %s",
                             w->tmp, strerror(errno));
        if (close(w->fd) != 0 && rc == SIM_OK)
            rc = sim_err_set(err, SIM_EIO, w->path, 0, 0, "cannot write %s: %s", w->tmp,
                             strerror(errno));
        w->fd = -1;
        /* An earlier commit's old file is gone before this one returns: a
         * caller may remove that directory now (compare, its arms). */
        aside_join();
        char *aside = rc == SIM_OK ? aside_link(w) : NULL;
        if (rc == SIM_OK && rename(w->tmp, w->path) != 0)
            rc = sim_err_set(err, SIM_EIO, w->path, 0, 0, "cannot rename %s into place: %s",
                             w->tmp, strerror(errno));
        if (rc == SIM_OK && !w->no_sync)
            sync_dir(w->path);
        if (rc != SIM_OK)
            unlink(w->tmp);
        tmp_release(w);
        if (aside && rc == SIM_OK)
            aside_remove(aside);        /* the old file, replaced */
        else if (aside) {
            unlink(aside);              /* the old file is still in place */
            free(aside);
        }
    }
    if (w->mu == &w->own)
        pthread_mutex_destroy(&w->own);
    pthread_mutex_destroy(&w->bg_mu);
    pthread_cond_destroy(&w->bg_cv);
    groups_free(w);
    out_ds_queue_free(w->dsq);
    out_kept_free(w->kept);
    free(w->hours);
    free(w->tmp);
    free(w->path);
    free(w);
    return rc;
}

const char *out_writer_tmp_path(const out_writer *w)
{
    return w->tmp;
}

void out_writer_no_sync(out_writer *w)
{
    w->no_sync = 1;
}

/* ---- root attributes ---- */

static int root_attr(out_writer *w, const char *name, hid_t ftype, hid_t mtype,
                     const void *value, const char *str, sim_err *err)
{
    if (!name || !*name)
        return bad(w, err, "attribute name is empty");
    lock_hdf5(w);
    int rc = reserve(w, str ? strlen(str) : 8, err);
    int r = rc != SIM_OK ? 0
            : str ? h5u_attr_write_str(w->file, name, str)
                  : h5u_attr_write_num(w->file, name, ftype, mtype, value);
    if (r < 0)
        rc = h5fail(w, err, "cannot write attribute %s", name);
    pthread_mutex_unlock(w->mu);
    return rc;
}

int out_attr_string(out_writer *w, const char *name, const char *value, sim_err *err)
{
    return root_attr(w, name, -1, -1, NULL, value ? value : "", err);
}

int out_attr_double(out_writer *w, const char *name, double value, sim_err *err)
{
    return root_attr(w, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, NULL, err);
}

int out_attr_int(out_writer *w, const char *name, int64_t value, sim_err *err)
{
    return root_attr(w, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, NULL, err);
}

/* ---- datasets of the shared axes ---- */

/* A contiguous 1-D dataset name in loc from n values of mtype (for
 * variable-length strings: n char pointers); the open dataset, or negative. */
static hid_t create_1d(hid_t loc, const char *name, hid_t ftype, hid_t mtype, size_t n,
                       const void *buf)
{
    hsize_t dim = n;
    hid_t sp = H5Screate_simple(1, &dim, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), d = -1;
    if (sp >= 0 && dcpl >= 0 && H5Pset_obj_track_times(dcpl, 0) >= 0)
        d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    /* A conversion buffer sized to the data: HDF5's default (1 MiB,
     * cleared on every write that converts, such as variable-length
     * strings) cost more than the coordinates of a run. */
    hid_t dxpl = d >= 0 && n ? h5u_xfer_sized(d, n, H5Tget_size(mtype)) : -1;
    if (d >= 0 && n && (dxpl < 0 || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, dxpl, buf) < 0)) {
        H5Dclose(d);
        d = -1;
    }
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (sp >= 0)
        H5Sclose(sp);
    return d;
}

/* n strings as a dataset of variable-length UTF-8 strings. */
static hid_t create_strings(hid_t loc, const char *name, size_t n, const char *const *s)
{
    hid_t t = h5u_vlstr_type();
    if (t < 0)
        return -1;
    const char **v = malloc((n ? n : 1) * sizeof *v);
    hid_t d = -1;
    if (v) {
        for (size_t i = 0; i < n; i++)
            v[i] = s && s[i] ? s[i] : "";
        d = create_1d(loc, name, t, t, n, v);
    }
    free(v);
    H5Tclose(t);
    return d;
}

/* Bytes the strings take in the file, roughly (for reserve). */
static size_t strings_size(size_t n, const char *const *s)
{
    size_t b = 0;
    for (size_t i = 0; i < n; i++)
        b += (s && s[i] ? strlen(s[i]) : 0) + 32;    /* + the heap's overhead */
    return b;
}

static int attrs_units(hid_t d, const char *units, const char *long_name)
{
    return h5u_attr_write_str(d, "units", units) < 0
           || h5u_attr_write_str(d, "long_name", long_name) < 0 ? -1 : 0;
}

int out_time_write(out_writer *w, size_t n, const double *hours,
                   const char *const *iso, sim_err *err)
{
    if (w->n_time)
        return bad(w, err, "the time axis is already written");
    if (n == 0 || !hours || !iso)
        return bad(w, err, "the time axis needs at least one sample");
    for (size_t i = 0; i < n; i++)
        if (!iso[i] || !*iso[i] || !isfinite(hours[i]) || (i && hours[i] <= hours[i - 1]))
            return bad(w, err, "time sample %zu: hours must increase and each needs a date", i);
    if (!(w->hours = malloc(n * sizeof *w->hours)))
        return sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
    memcpy(w->hours, hours, n * sizeof *hours);
    /* CF time: hours since the midnight of hour 0, when the first sample
     * is hour 0 at a midnight ("2025-01-01" or "2025-01-01T00:00"). */
    const char *d0 = iso[0];
    size_t l0 = strlen(d0);
    int cf = hours[0] == 0.0 && (l0 == 10 || (l0 == 16 && !strcmp(d0 + 10, "T00:00")))
             && d0[4] == '-' && d0[7] == '-';
    for (size_t i = 0; cf && i < 10; i++)
        if (i != 4 && i != 7 && (d0[i] < '0' || d0[i] > '9'))
            cf = 0;
    if (cf)
        snprintf(w->time_units, sizeof w->time_units, "hours since %.10s 00:00:00", d0);
    else
        snprintf(w->time_units, sizeof w->time_units, "h");
    lock_hdf5(w);
    int rc = reserve(w, n * 8 + strings_size(n, iso), err);
    hid_t g = -1, d1 = -1, d2 = -1;
    if (rc != SIM_OK)
        goto out;
    if ((g = h5u_group_ensure(w->file, "/time")) < 0
        || (d1 = create_1d(g, "hours", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, hours)) < 0
        || (d2 = create_strings(g, "date", n, iso)) < 0
        || H5DSset_scale(d1, "hours") < 0 || H5DSattach_scale(d2, d1, 0) < 0
        || attrs_units(d1, "h", "sample time in hours from the scenario start") < 0
        || h5u_attr_write_str(d2, "long_name",
                              "sample time as an ISO 8601 date (YYYY-MM-DD, "
                              "YYYY-MM-DDTHH:MM when not at midnight)") < 0
        || h5u_attr_write_str(w->file, "Conventions", "CF-1.8") < 0)
        rc = h5fail(w, err, "cannot write /time");
out:
    /* | and not ||: every close is done */
    if (((int)(d1 >= 0 && H5Dclose(d1) < 0) | (int)(d2 >= 0 && H5Dclose(d2) < 0)
         | (int)(g >= 0 && H5Gclose(g) < 0)) && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write /time");
    if (rc == SIM_OK)
        w->n_time = n;
    else {
        free(w->hours);
        w->hours = NULL;
    }
    pthread_mutex_unlock(w->mu);
    return rc;
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static char **strv_dup(const char *const *s, size_t n)
{
    char **v = calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; v && i < n; i++)
        if (!(v[i] = strdup(s[i] ? s[i] : ""))) {
            strv_free(v, i);
            return NULL;
        }
    return v;
}

static void groups_free(out_writer *w)
{
    for (size_t i = 0; i < w->ngroups; i++) {
        ent_group *g = &w->groups[i];
        free(g->name);
        strv_free(g->names, g->n);
        for (size_t k = 0; k < g->nmeta; k++) {
            free(g->meta_key[k]);
            strv_free(g->meta_val[k], g->n);
        }
        free(g->meta_key);
        free(g->meta_val);
    }
    free(w->groups);
    w->groups = NULL;
    w->ngroups = 0;
}

static ent_group *group_find(const out_writer *w, const char *name)
{
    for (size_t i = 0; i < w->ngroups; i++)
        if (!strcmp(w->groups[i].name, name))
            return &w->groups[i];
    return NULL;
}

int out_entities_write(out_writer *w, const char *group, size_t n,
                       const char *const *names, sim_err *err)
{
    if (!name_ok(group) || !strcmp(group, "time"))
        return bad(w, err, "bad entity group name '%s'", group ? group : "");
    if (n && !names)
        return bad(w, err, "entities of %s: no names", group);
    char path[512];
    snprintf(path, sizeof path, "/entities/%s", group);
    lock_hdf5(w);
    int rc = SIM_OK;
    hid_t g = -1, d = -1;
    ent_group *ng = NULL;
    if (h5u_exists(w->file, path) || group_find(w, group)) {
        rc = bad(w, err, "%s is already written", path);
        goto out;
    }
    if (w->coords_fixed) {
        rc = bad(w, err, "%s: write the entities before any series", path);
        goto out;
    }
    if (!(ng = realloc(w->groups, (w->ngroups + 1) * sizeof *ng))) {
        rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        goto out;
    }
    w->groups = ng;
    ent_group *e = &ng[w->ngroups];
    memset(e, 0, sizeof *e);
    if (!(e->name = strdup(group)) || !(e->names = strv_dup(names, n))) {
        free(e->name);
        rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        goto out;
    }
    e->n = n;
    w->ngroups++;
    char ln[300];
    snprintf(ln, sizeof ln, "%s names", group);
    if ((rc = reserve(w, strings_size(n, names), err)) != SIM_OK)
        goto out;
    if ((g = h5u_group_ensure(w->file, "/entities")) < 0
        || (d = create_strings(g, group, n, names)) < 0
        || H5DSset_scale(d, group) < 0 || h5u_attr_write_str(d, "long_name", ln) < 0)
        rc = h5fail(w, err, "cannot write %s", path);
out:
    if (d >= 0 && H5Dclose(d) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write %s", path);
    if (g >= 0 && H5Gclose(g) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write %s", path);
    pthread_mutex_unlock(w->mu);
    return rc;
}

int out_entity_coord_write(out_writer *w, const char *group, const char *key, size_t n,
                           const char *const *values, sim_err *err)
{
    lock_hdf5(w);
    int rc = SIM_OK;
    ent_group *g = group ? group_find(w, group) : NULL;
    if (!g)
        rc = bad(w, err, "entity coordinate %s: write the entities of group '%s' first",
                 key ? key : "", group ? group : "");
    else if (!name_ok(key) || !strcmp(key, "time") || !strcmp(key, group))
        rc = bad(w, err, "entity coordinate of %s: bad name '%s'", group, key ? key : "");
    else if (n != g->n || (n && !values))
        rc = bad(w, err, "entity coordinate %s of %s: %zu values for %zu entities", key, group,
                 n, g->n);
    else if (w->coords_fixed)
        rc = bad(w, err, "entity coordinate %s of %s: write it before any series", key, group);
    for (size_t k = 0; rc == SIM_OK && k < g->nmeta; k++)
        if (!strcmp(g->meta_key[k], key))
            rc = bad(w, err, "entity coordinate %s of %s is already written", key, group);
    if (rc == SIM_OK) {
        char **mk = realloc(g->meta_key, (g->nmeta + 1) * sizeof *mk);
        if (mk)
            g->meta_key = mk;
        char ***mv = mk ? realloc(g->meta_val, (g->nmeta + 1) * sizeof *mv) : NULL;
        if (mv)
            g->meta_val = mv;
        char *kc = mv ? strdup(key) : NULL;
        char **vc = kc ? strv_dup(values, n) : NULL;
        if (!vc) {
            free(kc);
            rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        } else {
            g->meta_key[g->nmeta] = kc;
            g->meta_val[g->nmeta] = vc;
            g->nmeta++;
        }
    }
    pthread_mutex_unlock(w->mu);
    return rc;
}

/* Caller holds the lock. Gives the series group g (of entity group
 * `group`, ncols columns) its coordinates: `time` (a dimension scale with
 * CF attributes), `<group>` (a dimension scale of the entity names, or of
 * column indices when the group's names were never written) and one
 * variable per entity coordinate, attached to it. netCDF-4 readers
 * (xarray, ncdump) then see the group as a dataset with dimensions (time,
 * <group>), whatever group of the file they open. */
static int coords_create(out_writer *w, hid_t g, const char *group, size_t ncols,
                         const char *where, sim_err *err)
{
    ent_group *e = group_find(w, group);
    if (e && e->n != ncols)
        return bad(w, err, "%s: %zu columns, but group %s has %zu entities", where, ncols,
                   group, e->n);
    size_t bytes = w->n_time * 8 + ncols * 8;
    if (e) {
        bytes += strings_size(e->n, (const char *const *)e->names);
        for (size_t k = 0; k < e->nmeta; k++)
            bytes += strings_size(e->n, (const char *const *)e->meta_val[k]);
    }
    int rc = reserve(w, bytes, err);
    if (rc != SIM_OK)
        return rc;
    hid_t t = -1, d = -1, m = -1;
    int64_t *idx = NULL;
    char ln[300];
    if ((t = create_1d(g, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, w->n_time, w->hours)) < 0
        || H5DSset_scale(t, "time") < 0
        || attrs_units(t, w->time_units, "time of the sample (hour 0: start of the measurement window)") < 0
        || h5u_attr_write_str(t, "standard_name", "time") < 0
        || h5u_attr_write_str(t, "axis", "T") < 0
        || (strncmp(w->time_units, "hours since", 11) == 0
            && h5u_attr_write_str(t, "calendar", "standard") < 0)) {
        rc = h5fail(w, err, "cannot write the time coordinate of %s", where);
        goto out;
    }
    if (e) {
        d = create_strings(g, group, ncols, (const char *const *)e->names);
        snprintf(ln, sizeof ln, "%s name", group);
    } else {
        idx = malloc((ncols ? ncols : 1) * sizeof *idx);
        for (size_t i = 0; idx && i < ncols; i++)
            idx[i] = (int64_t)i;
        d = idx ? create_1d(g, group, H5T_STD_I64LE, H5T_NATIVE_INT64, ncols, idx) : -1;
        snprintf(ln, sizeof ln, "%s column index", group);
    }
    if (d < 0 || H5DSset_scale(d, group) < 0 || h5u_attr_write_str(d, "long_name", ln) < 0) {
        rc = h5fail(w, err, "cannot write the %s coordinate of %s", group, where);
        goto out;
    }
    for (size_t k = 0; e && k < e->nmeta; k++) {
        snprintf(ln, sizeof ln, "%s of the %s", e->meta_key[k], group);
        const char *scale[1] = { group };
        if ((m = create_strings(g, e->meta_key[k], ncols, (const char *const *)e->meta_val[k])) < 0
            || out_ds_attach(w->dsq, m, g, scale, 1) < 0
            || h5u_attr_write_str(m, "long_name", ln) < 0) {
            rc = h5fail(w, err, "cannot write the %s coordinate of %s", e->meta_key[k], where);
            goto out;
        }
        if (H5Dclose(m) < 0) {
            m = -1;
            rc = h5fail(w, err, "cannot write the %s coordinate of %s", e->meta_key[k], where);
            goto out;
        }
        m = -1;
    }
out:
    if (m >= 0)
        H5Dclose(m);
    if (d >= 0 && H5Dclose(d) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write the coordinates of %s", where);
    if (t >= 0 && H5Dclose(t) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write the coordinates of %s", where);
    free(idx);
    return rc;
}

/* Length of the 1-D dataset name in g, or -1. */
static hssize_t scale_len(hid_t g, const char *name)
{
    hid_t d = H5Lexists(g, name, H5P_DEFAULT) > 0 ? H5Dopen2(g, name, H5P_DEFAULT) : -1;
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hssize_t n = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return n;
}

/* Caller holds the lock. Attaches series dataset d, in a group that holds
 * the coordinates of entity group `group` (or hard links to them), to its
 * dimension scales, and names the entity coordinates in its CF
 * `coordinates` attribute. The scales list d from the next
 * out_ds_flush of w->dsq on (copy_series, the statistics and the close
 * flush; see dimscale.h for why in batches). 0, or -1 on an HDF5
 * failure. */
static int coords_attach(out_writer *w, hid_t g, hid_t d, const char *group)
{
    const char *scale[2] = { "time", group };
    int rc = out_ds_attach(w->dsq, d, g, scale, 2);
    const ent_group *eg = group_find(w, group);
    if (rc == 0 && eg && eg->nmeta) {
        size_t len = 1;
        for (size_t k = 0; k < eg->nmeta; k++)
            len += strlen(eg->meta_key[k]) + 1;
        char *c = calloc(len, 1);
        for (size_t k = 0; c && k < eg->nmeta; k++) {
            if (k)
                strcat(c, " ");
            strcat(c, eg->meta_key[k]);
        }
        if (!c || h5u_attr_write_str(d, "coordinates", c) < 0)
            rc = -1;
        free(c);
    }
    return rc;
}

/* ---- series ---- */

/* A chunked, deflated float64 dataset rows x ncols (rows growing when
 * grow != 0), with NaN as the fill value. */
static hid_t create_matrix(hid_t loc, const char *name, hsize_t rows, size_t ncols,
                           int grow, size_t *chunk_rows_out)
{
    if (rows == 0)
        grow = 1;   /* a fixed 0-row dataset cannot be chunked */
    size_t cr = CHUNK_ROWS;
    while (cr > 1 && cr * ncols * sizeof(double) > CHUNK_BYTES_MAX)
        cr /= 2;
    if (!grow && rows > 0 && cr > rows)
        cr = (size_t)rows;
    hsize_t dims[2] = { rows, ncols };
    hsize_t maxd[2] = { grow ? H5S_UNLIMITED : rows, ncols };
    hsize_t chunk[2] = { cr, ncols };
    double nan = NAN;
    hid_t d = -1;
    hid_t sp = H5Screate_simple(2, dims, maxd), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (sp >= 0 && dcpl >= 0 && H5Pset_chunk(dcpl, 2, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0
        && H5Pset_deflate(dcpl, DEFLATE_LEVEL) >= 0
        && H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan) >= 0
        && H5Pset_obj_track_times(dcpl, 0) >= 0)
        d = H5Dcreate2(loc, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (sp >= 0)
        H5Sclose(sp);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (chunk_rows_out)
        *chunk_rows_out = cr;
    return d;
}

/* CF `units` and `long_name` (the description), and where the names are. */
static int series_attrs(hid_t d, const char *group, const char *unit, const char *desc)
{
    char ent[300];
    snprintf(ent, sizeof ent, "/entities/%s", group);
    if (attrs_units(d, unit ? unit : "", desc ? desc : "") < 0
        || h5u_attr_write_str(d, "entities", ent) < 0)
        return -1;
    return 0;
}

out_series *out_series_open(out_writer *w, size_t run, const char *group,
                            const char *name, const char *unit,
                            const char *desc, size_t n_entities, sim_err *err)
{
    if (!name_ok(group) || !name_ok(name) || strlen(group) > 200 || strlen(name) > 200
        || !strcmp(group, "time")) {
        bad(w, err, "bad series name '%s/%s'", group ? group : "", name ? name : "");
        return NULL;
    }
    if (n_entities == 0) {
        bad(w, err, "series %s/%s has no entities", group, name);
        return NULL;
    }
    out_series *s = calloc(1, sizeof *s);
    char gpath[300], where[512];
    snprintf(gpath, sizeof gpath, "/runs/%04zu/series/%s", run, group);
    snprintf(where, sizeof where, "%s/%s", gpath, name);
    if (!s || !(s->where = strdup(where))) {
        free(s);
        sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        return NULL;
    }
    s->w = w;
    s->ncols = n_entities;
    s->dset = -1;
    lock_hdf5(w);
    int rc = SIM_OK, fresh = 0;
    hid_t g = -1;
    if (!w->n_time)
        rc = bad(w, err, "%s: write the time axis before any series", where);
    else if ((rc = reserve(w, 0, err)) != SIM_OK)
        ;
    else if (h5u_exists(w->file, where))
        rc = bad(w, err, "%s is already written", where);
    else if ((fresh = !h5u_exists(w->file, gpath), g = h5u_group_ensure(w->file, gpath)) < 0)
        rc = h5fail(w, err, "cannot create %s", where);
    else if (fresh && (w->coords_fixed = 1, rc = coords_create(w, g, group, n_entities, gpath, err)) != SIM_OK)
        ;
    else if (!fresh && scale_len(g, group) != (hssize_t)n_entities)
        rc = bad(w, err, "%s: %zu columns, but the other series of %s have %lld", where,
                 n_entities, gpath, (long long)scale_len(g, group));
    else if ((s->dset = create_matrix(g, name, 0, n_entities, 1, &s->chunk_rows)) < 0
             || series_attrs(s->dset, group, unit, desc) < 0
             || coords_attach(w, g, s->dset, group) < 0)
        rc = h5fail(w, err, "cannot create %s", where);
    else {
        size_t n = s->chunk_rows * n_entities;
        s->zcap = out_chunk_bound(n);
        if (!(s->buf = malloc(n * sizeof(double))) || !(s->scratch = malloc(n * sizeof(double)))
            || !(s->z = malloc(s->zcap)))
            rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
    }
    if (g >= 0 && H5Gclose(g) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot create %s", where);
    if (rc == SIM_OK) {
        s->next = w->open;
        if (w->open)
            w->open->prev = s;
        w->open = s;
    } else {
        if (s->dset >= 0)
            H5Dclose(s->dset);
        free(s->buf);
        free(s->scratch);
        free(s->z);
        free(s->where);
        free(s);
        s = NULL;
    }
    pthread_mutex_unlock(w->mu);
    return s;
}

int out_series_append(out_series *s, const double *row, sim_err *err)
{
    if (s->handed + s->nbuf >= s->w->n_time)
        return bad(s->w, err, "%s: more rows than the %zu time samples", s->where, s->w->n_time);
    memcpy(s->buf + s->nbuf * s->ncols, row, s->ncols * sizeof(double));
    s->nbuf++;
    if (s->nbuf < s->chunk_rows)
        return SIM_OK;
    if (s->w->bg) {
        int r = bg_hand(s, err);
        if (r != 0)
            return r == 1 ? SIM_OK : r;
    }
    return series_flush_unlocked(s, err);
}

int out_series_close(out_series *s, sim_err *err)
{
    if (!s)
        return SIM_OK;
    out_writer *w = s->w;
    int rc = bg_wait(s, err);
    if (rc == SIM_OK)
        rc = series_flush_unlocked(s, err);
    lock_hdf5(w);
    int r = series_close_locked(s, rc == SIM_OK, rc == SIM_OK ? err : NULL);
    pthread_mutex_unlock(w->mu);
    return rc != SIM_OK ? rc : r;
}

/* ---- per-run attributes ---- */

static int run_attr(out_writer *w, size_t run, const char *name, const char *str,
                    double value, sim_err *err)
{
    if (!name || !*name)
        return bad(w, err, "attribute name is empty");
    char gpath[64];
    snprintf(gpath, sizeof gpath, "/runs/%04zu", run);
    lock_hdf5(w);
    int rc = reserve(w, str ? strlen(str) : 8, err);
    hid_t g = rc != SIM_OK ? -1 : h5u_group_ensure(w->file, gpath);
    if (rc == SIM_OK && (g < 0 || (str ? h5u_attr_write_str(g, name, str)
                      : h5u_attr_write_num(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value)) < 0))
        rc = h5fail(w, err, "cannot write attribute %s of %s", name, gpath);
    if (g >= 0 && H5Gclose(g) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write attribute %s of %s", name, gpath);
    pthread_mutex_unlock(w->mu);
    return rc;
}

int out_run_attr_string(out_writer *w, size_t run, const char *name,
                        const char *value, sim_err *err)
{
    return run_attr(w, run, name, value ? value : "", 0.0, err);
}

int out_run_attr_double(out_writer *w, size_t run, const char *name,
                        double value, sim_err *err)
{
    return run_attr(w, run, name, NULL, value, err);
}

int out_run_attr_int(out_writer *w, size_t run, const char *name, int64_t value,
                     sim_err *err)
{
    if (!name || !*name)
        return bad(w, err, "attribute name is empty");
    char gpath[64];
    snprintf(gpath, sizeof gpath, "/runs/%04zu", run);
    lock_hdf5(w);
    int rc = reserve(w, 8, err);
    hid_t g = rc != SIM_OK ? -1 : h5u_group_ensure(w->file, gpath);
    if (rc == SIM_OK && (g < 0 || h5u_attr_write_num(g, name, H5T_STD_I64LE,
                                                     H5T_NATIVE_INT64, &value) < 0))
        rc = h5fail(w, err, "cannot write attribute %s of %s", name, gpath);
    if (g >= 0 && H5Gclose(g) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write attribute %s of %s", name, gpath);
    pthread_mutex_unlock(w->mu);
    return rc;
}

/* ---- scalars and summary ---- */

/* Writes one field of compound dataset d from n values of mem_type
 * (size msize), through a one-member memory type. */
static int field_write(hid_t d, const char *field, hid_t mem_type, size_t msize,
                       const void *buf)
{
    hid_t ct = H5Tcreate(H5T_COMPOUND, msize);
    hid_t sp = H5Dget_space(d), dxpl = -1;
    int rc = -1;
    /* A conversion buffer sized to the table, not HDF5's default 1 MiB,
     * which it clears on every call: one call per column made that the
     * largest cost of writing a single run. */
    hssize_t rows = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (rows >= 0)
        dxpl = h5u_xfer_sized(d, (size_t)rows, msize);
    if (ct >= 0 && dxpl >= 0 && H5Tinsert(ct, field, 0, mem_type) >= 0
        && H5Dwrite(d, ct, H5S_ALL, H5S_ALL, dxpl, buf) >= 0)
        rc = 0;
    if (ct >= 0)
        H5Tclose(ct);
    if (sp >= 0)
        H5Sclose(sp);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    return rc;
}

/* A compound dataset of n rows with the given members (file types). */
static hid_t create_table(hid_t loc, const char *name, size_t n, size_t nm,
                          const char *const *mnames, const hid_t *mtypes)
{
    size_t size = 0;
    for (size_t i = 0; i < nm; i++)
        size += H5Tget_size(mtypes[i]);
    hid_t t = H5Tcreate(H5T_COMPOUND, size ? size : 1), d = -1;
    size_t off = 0;
    for (size_t i = 0; t >= 0 && i < nm; i++) {
        if (H5Tinsert(t, mnames[i], off, mtypes[i]) < 0) {
            H5Tclose(t);
            return -1;
        }
        off += H5Tget_size(mtypes[i]);
    }
    hsize_t dim = n;
    hid_t sp = H5Screate_simple(1, &dim, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (t >= 0 && sp >= 0 && dcpl >= 0 && H5Pset_obj_track_times(dcpl, 0) >= 0)
        d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    return d;
}

static int write_scalars(out_writer *w, size_t nruns, size_t ncols,
                         const char *const *names, const char *const *units,
                         const char *const *descs, const double *values, sim_err *err)
{
    int rc = SIM_OK;
    const char **mn = malloc((ncols + 1) * sizeof *mn);
    hid_t *mt = malloc((ncols + 1) * sizeof *mt);
    uint32_t *runs = malloc((nruns ? nruns : 1) * sizeof *runs);
    unsigned char *all = NULL;
    hid_t d = -1, ct = -1;
    if (!mn || !mt || !runs) {
        rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        goto out;
    }
    mn[0] = "run";
    mt[0] = H5T_STD_U32LE;
    for (size_t j = 0; j < ncols; j++) {
        mn[j + 1] = names[j];
        mt[j + 1] = H5T_IEEE_F64LE;
    }
    for (size_t i = 0; i < nruns; i++)
        runs[i] = (uint32_t)i;
    if ((d = create_table(w->file, "scalars", nruns, ncols + 1, mn, mt)) < 0) {
        rc = h5fail(w, err, "cannot write /scalars");
        goto out;
    }
    /* All columns in one write, through one memory type: a write per
     * column built a conversion path each, which HDF5 looks up linearly. */
    size_t rec = sizeof(double) * (ncols + 1);
    if (nruns && !(all = malloc(nruns * rec))) {
        rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nruns; i++) {
        memcpy(all + i * rec, &runs[i], sizeof(uint32_t));
        memcpy(all + i * rec + sizeof(double), values + i * ncols, ncols * sizeof(double));
    }
    ct = H5Tcreate(H5T_COMPOUND, rec);
    int okw = ct >= 0 && H5Tinsert(ct, "run", 0, H5T_NATIVE_UINT32) >= 0;
    for (size_t j = 0; okw && j < ncols; j++)
        okw = H5Tinsert(ct, names[j], sizeof(double) * (j + 1), H5T_NATIVE_DOUBLE) >= 0;
    if (okw && nruns) {
        hid_t dxpl = h5u_xfer_sized(d, nruns, rec);
        okw = dxpl >= 0 && H5Dwrite(d, ct, H5S_ALL, H5S_ALL, dxpl, all) >= 0;
        if (dxpl >= 0)
            H5Pclose(dxpl);
    }
    if (!okw) {
        rc = h5fail(w, err, "cannot write /scalars");
        goto out;
    }
    /* The run dimension (a dimension scale /run of run indices), so that
     * netCDF readers see /scalars as a variable along `run`. */
    hid_t rd = create_1d(w->file, "run", H5T_STD_U32LE, H5T_NATIVE_UINT32, nruns, runs);
    int okr = rd >= 0 && H5DSset_scale(rd, "run") >= 0
              && h5u_attr_write_str(rd, "long_name", "run index (group /runs/NNNN)") >= 0
              && H5DSattach_scale(d, rd, 0) >= 0;
    if ((rd >= 0 && H5Dclose(rd) < 0) || !okr) {
        rc = h5fail(w, err, "cannot write /run");
        goto out;
    }
    if (h5u_attr_write_strv(d, "names", names, ncols) < 0
        || h5u_attr_write_strv(d, "units", units, ncols) < 0
        || h5u_attr_write_strv(d, "descriptions", descs, ncols) < 0
        || h5u_attr_write_str(d, "description",
                              "one row per run: run index, then one float64 column per scalar; "
                              "units and descriptions in the attributes of the same order") < 0
        || h5u_attr_write_str(d, "long_name", "scalars of each run") < 0)
        rc = h5fail(w, err, "cannot write the attributes of /scalars");
out:
    if (d >= 0 && H5Dclose(d) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write /scalars");
    if (ct >= 0)
        H5Tclose(ct);
    free(mn);
    free(mt);
    free(runs);
    free(all);
    return rc;
}

static int write_summary(out_writer *w, size_t nruns, size_t ncols,
                         const char *const *names, const char *const *units,
                         const double *values, sim_err *err)
{
    int rc = SIM_OK;
    size_t n = ncols;
    double *st = malloc((n ? n : 1) * 4 * sizeof *st);   /* mean, sd, lo, hi */
    uint32_t *cnt = malloc((n ? n : 1) * 2 * sizeof *cnt); /* n, n_missing */
    hid_t tn = h5u_str_type(names, n), tu = h5u_str_type(units, n), d = -1;
    char *bn = NULL, *bu = NULL;
    if (tn < 0 || tu < 0) {
        rc = h5fail(w, err, "cannot write /summary");
        goto out;
    }
    bn = h5u_str_pack(tn, names, n);
    bu = h5u_str_pack(tu, units, n);
    if (!st || !cnt || !bn || !bu) {
        rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < n; j++) {
        sim_welford wf;
        sim_welford_init(&wf);
        uint32_t miss = 0;
        for (size_t i = 0; i < nruns; i++) {
            double x = values[i * ncols + j];
            if (isnan(x))
                miss++;
            else
                sim_welford_add(&wf, x);
        }
        double h = sim_welford_ci(&wf, 0.95);
        double mean = wf.n ? wf.mean : NAN;
        st[j] = mean;
        st[n + j] = sim_welford_sd(&wf);
        st[2 * n + j] = mean - h;
        st[3 * n + j] = mean + h;
        cnt[j] = (uint32_t)wf.n;
        cnt[n + j] = miss;
    }
    static const char *const fields[] = { "name", "unit", "mean", "sd", "ci95_lo", "ci95_hi",
                                          "n", "n_missing" };
    hid_t ft[8] = { tn, tu, H5T_IEEE_F64LE, H5T_IEEE_F64LE, H5T_IEEE_F64LE, H5T_IEEE_F64LE,
                    H5T_STD_U32LE, H5T_STD_U32LE };
    if ((d = create_table(w->file, "summary", n, 8, fields, ft)) < 0
        || field_write(d, "name", tn, H5Tget_size(tn), bn) < 0
        || field_write(d, "unit", tu, H5Tget_size(tu), bu) < 0)
        rc = h5fail(w, err, "cannot write /summary");
    for (int k = 0; rc == SIM_OK && k < 4; k++)
        if (field_write(d, fields[2 + k], H5T_NATIVE_DOUBLE, sizeof(double), st + (size_t)k * n) < 0)
            rc = h5fail(w, err, "cannot write /summary");
    for (int k = 0; rc == SIM_OK && k < 2; k++)
        if (field_write(d, fields[6 + k], H5T_NATIVE_UINT32, sizeof(uint32_t), cnt + (size_t)k * n) < 0)
            rc = h5fail(w, err, "cannot write /summary");
    if (rc == SIM_OK
        && (h5u_attr_write_str(d, "description",
                               "one row per scalar over the runs: mean, sample sd, 95% Student-t "
                               "interval for the mean; n runs with a value, n_missing runs with NaN") < 0
            || h5u_attr_write_str(d, "long_name", "summary of each scalar over the runs") < 0))
        rc = h5fail(w, err, "cannot write /summary");
    if (rc == SIM_OK) {     /* the scalar dimension: /scalar, the names */
        hid_t sd = create_strings(w->file, "scalar", n, names);
        int oks = sd >= 0 && H5DSset_scale(sd, "scalar") >= 0
                  && h5u_attr_write_str(sd, "long_name", "scalar name (row of /summary)") >= 0
                  && H5DSattach_scale(d, sd, 0) >= 0;
        if ((sd >= 0 && H5Dclose(sd) < 0) || !oks)
            rc = h5fail(w, err, "cannot write /scalar");
    }
out:
    if (d >= 0 && H5Dclose(d) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write /summary");
    if (tn >= 0)
        H5Tclose(tn);
    if (tu >= 0)
        H5Tclose(tu);
    free(bn);
    free(bu);
    free(st);
    free(cnt);
    return rc;
}

int out_scalars_write(out_writer *w, size_t nruns, size_t ncols,
                      const char *const *names, const char *const *units,
                      const char *const *descs, const double *values,
                      sim_err *err)
{
    if (ncols && (!names || !units || !descs))
        return bad(w, err, "scalars: names, units and descriptions are required");
    if (nruns && ncols && !values)
        return bad(w, err, "scalars: no values");
    for (size_t j = 0; j < ncols; j++) {
        if (!names[j] || !*names[j] || !strcmp(names[j], "run"))
            return bad(w, err, "scalar %zu: bad name '%s'", j, names[j] ? names[j] : "");
        for (size_t k = 0; k < j; k++)
            if (!strcmp(names[j], names[k]))
                return bad(w, err, "scalar name '%s' appears twice", names[j]);
    }
    /* The callers check first, with a margin (out_scalars_fit); past
     * HDF5's own limit the write would fail with nothing but "HDF5 error". */
    size_t bytes = 0, most = 0;
    if (!out_scalars_fit(ncols, names, &bytes, &most) && bytes > 65535)
        return bad(w, err, "/scalars: %zu scalars whose names take %zu bytes, more than the "
                   "65535 a table's datatype holds in HDF5 (about %zu of names this long fit "
                   "within vouchsim's limit of %u)", ncols, bytes, most, OUT_SCALARS_MAX_BYTES);
    lock_hdf5(w);
    int rc = SIM_OK;
    if (h5u_exists(w->file, "/scalars"))
        rc = bad(w, err, "/scalars is already written");
    if (rc == SIM_OK)   /* the table, and the summary of 8 numbers per column */
        rc = reserve(w, (nruns + 8) * (ncols + 1) * sizeof(double) + ncols * 256 + nruns * 16,
                     err);
    if (rc == SIM_OK)
        rc = write_scalars(w, nruns, ncols, names, units, descs, values, err);
    if (rc == SIM_OK)
        rc = write_summary(w, nruns, ncols, names, units, values, err);
    pthread_mutex_unlock(w->mu);
    return rc;
}

/* Bytes to encode a member's offset within a compound of size bytes
 * (HDF5's datatype message, version 3: the fewest that hold the size). */
static size_t offset_bytes(size_t size)
{
    size_t b = 1;
    while (b < sizeof size && size >> (8 * b))
        b++;
    return b;
}

/* The datatype message of /scalars as the file stores it (format v1.8,
 * compound version 3): an 8-byte header, then per member its name and
 * NUL, its offset and its own type (float64: 20 bytes; uint32 `run`:
 * 12). check_output compares this with what HDF5 writes. */
static size_t scalars_type_bytes(size_t n, size_t name_bytes)
{
    size_t off = offset_bytes(sizeof(double) * (n + 1));
    return 8 + (sizeof "run" + off + 12) + name_bytes + n * (1 + off + 20);
}

int out_scalars_fit(size_t n, const char *const *names, size_t *bytes, size_t *most)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(names[i]);
    size_t b = scalars_type_bytes(n, len);
    if (bytes)
        *bytes = b;
    if (most) {
        /* the largest m with m names of this mean length within the limit */
        double mean = n ? (double)len / (double)n : 0.0;
        size_t lo = 0, hi = OUT_SCALARS_MAX_BYTES;
        while (lo < hi) {
            size_t m = lo + (hi - lo + 1) / 2;
            if (scalars_type_bytes(m, (size_t)ceil(mean * (double)m)) <= OUT_SCALARS_MAX_BYTES)
                lo = m;
            else
                hi = m - 1;
        }
        *most = lo;
    }
    return b <= OUT_SCALARS_MAX_BYTES;
}

/* ---- statistics across runs ---- */

typedef struct series_list {
    char  **group, **name;
    size_t  n, cap;
} series_list;

typedef struct iter_ctx {
    series_list *l;
    const char  *group;     /* NULL while listing groups */
    hid_t        loc;
} iter_ctx;

/* Whether name in loc is a 2-D dataset (a series). */
static int is_matrix(hid_t loc, const char *name)
{
    H5O_info_t oi;
    if (H5Oget_info_by_name(loc, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT), sp = d >= 0 ? H5Dget_space(d) : -1;
    int r = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 2;
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return r;
}

static herr_t list_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    iter_ctx *c = data;
    if (!c->group) {        /* a group: list its datasets */
        hid_t g = H5Gopen2(loc, name, H5P_DEFAULT);
        if (g < 0)
            return -1;
        iter_ctx sub = { c->l, name, g };
        herr_t r = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, list_cb, &sub);
        H5Gclose(g);
        return r < 0 ? -1 : 0;
    }
    if (!is_matrix(loc, name))
        return 0;           /* a coordinate (time, names...), not a series */
    series_list *l = c->l;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **g = realloc(l->group, cap * sizeof *g);
        if (!g)
            return -1;
        l->group = g;
        char **nm = realloc(l->name, cap * sizeof *nm);
        if (!nm)
            return -1;
        l->name = nm;
        l->cap = cap;
    }
    l->group[l->n] = strdup(c->group);
    l->name[l->n] = strdup(name);
    if (!l->group[l->n] || !l->name[l->n]) {
        free(l->group[l->n]);
        free(l->name[l->n]);
        return -1;
    }
    l->n++;
    return 0;
}

/* Lists the datasets of a group that are not 2-D (coordinates) in l->name. */
static herr_t coord_names_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    series_list *l = data;
    H5O_info_t oi;
    if (H5Oget_info_by_name(loc, name, &oi, H5P_DEFAULT) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    if (oi.type != H5O_TYPE_DATASET || is_matrix(loc, name))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **g = realloc(l->group, cap * sizeof *g), **nm;
        if (!g)
            return -1;
        l->group = g;
        if (!(nm = realloc(l->name, cap * sizeof *nm)))
            return -1;
        l->name = nm;
        l->cap = cap;
    }
    if (!(l->name[l->n] = strdup(name)))
        return -1;
    l->group[l->n++] = NULL;
    return 0;
}

static void series_list_free(series_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->group[i]);
        free(l->name[i]);
    }
    free(l->group);
    free(l->name);
}

static const char *const stat_names[3] = { "mean", "p05", "p95" };

/* The statistics of one series: set up (outputs created) by the calling
 * thread in series order, computed by a worker, written back by the
 * calling thread in series order, so the file does not depend on which
 * worker finished first. */
typedef struct stat_job {
    const char    *group, *name;
    hid_t          out[3];      /* mean, p05, p95; -1 once closed, or linked (one run) */
    size_t         rows, ncols; /* of run 0's series */
    size_t         cr;          /* rows per chunk of the outputs */
    size_t         nchunks;
    unsigned char *z;           /* encoded chunks; stat k chunk c at z + zoff[k * nchunks + c] */
    size_t        *zoff, *zlen; /* 3 nchunks each */
    size_t         zused, zcap;
    int            done;        /* computed (or failed): the writer may take it */
    int            rc;
    sim_err        err;
} stat_job;

typedef struct stat_pool {
    out_writer     *w;
    size_t          nruns;
    stat_job       *jobs;
    size_t          njobs;
    size_t          next;       /* next job to compute */
    int             stop;       /* a job failed: compute no more */
    pthread_mutex_t mu;         /* next, stop, each job's done */
    pthread_cond_t  cv;         /* a job is done */
    /* Under the writer's lock: every run's series group of an entity
     * group, opened once for all the group's series (opening a series by
     * its path walks /runs/NNNN/series/<group> again each time). */
    const char     *gname[STAT_GROUPS_MAX];
    hid_t          *gh[STAT_GROUPS_MAX];    /* [nruns]; -1: not open (yet) */
    size_t          ng;
} stat_pool;

/* Under the writer's lock: run r's group of entity group `group`, or -1
 * (not there, or no room: the caller opens by path). */
static hid_t run_group(stat_pool *p, size_t r, const char *group)
{
    size_t k = 0;
    while (k < p->ng && strcmp(p->gname[k], group))
        k++;
    if (k == p->ng) {
        if (p->ng == STAT_GROUPS_MAX || !(p->gh[k] = malloc(p->nruns * sizeof *p->gh[k])))
            return -1;
        for (size_t i = 0; i < p->nruns; i++)
            p->gh[k][i] = -1;
        p->gname[k] = group;
        p->ng++;
    }
    if (p->gh[k][r] < 0) {
        char path[300];
        snprintf(path, sizeof path, "/runs/%04zu/series/%s", r, group);
        p->gh[k][r] = H5Gopen2(p->w->file, path, H5P_DEFAULT);
        H5Eclear2(H5E_DEFAULT);
    }
    return p->gh[k][r];
}

/* Under the writer's lock: closes what run_group opened. */
static void run_groups_close(stat_pool *p)
{
    for (size_t k = 0; k < p->ng; k++) {
        for (size_t i = 0; i < p->nruns; i++)
            if (p->gh[k][i] >= 0)
                H5Gclose(p->gh[k][i]);
        free(p->gh[k]);
    }
    p->ng = 0;
}

/* One source series of the statistics, with how its chunks are read. */
typedef struct stat_src {
    hid_t          d;           /* -1: not opened (kept in memory, see mem) */
    const out_kept_series *mem; /* its stored chunks, kept when the run was copied; NULL: read d */
    int            direct;      /* shuffle + deflate float64 chunks aligned with the outputs */
    size_t         crs;         /* its rows per chunk */
    unsigned char *raw;         /* the stored bytes of the chunk being read */
    size_t         rawcap, rawlen;
    int            have_raw;    /* raw holds the chunk (else blk has its rows already) */
} stat_src;

/* Whether a source of rows stored in chunks of crs rows can be read chunk
 * by chunk for outputs of chunk rows cr: each output chunk lies in one
 * source chunk (crs a multiple of cr, or all rows in the first). */
static int chunks_align(size_t rows, size_t cr, size_t crs)
{
    return crs >= cr && (crs % cr == 0 || rows <= crs);
}

/* Whether run r's dataset d (rows x ncols) can be read chunk by chunk for
 * outputs of chunk rows cr (out_kept_direct, chunks_align). Sets *crs. */
static int src_direct(hid_t d, size_t rows, size_t cr, size_t ncols, size_t *crs)
{
    size_t drows, dcols;
    return out_kept_direct(d, &drows, &dcols, crs) && dcols == ncols
           && chunks_align(rows, cr, *crs);
}

/* Under the lock: rows [r0, r0 + nb) of every run, as stored bytes in
 * src[r].raw, or decoded into blk when a chunk is not stored as the
 * direct path expects (HDF5 then runs its filters). */
static int stat_read(out_writer *w, const stat_job *j, size_t nruns, stat_src *src,
                     size_t r0, size_t nb, double *blk, sim_err *err)
{
    size_t ncols = j->ncols;
    for (size_t r = 0; r < nruns; r++) {
        stat_src *s = &src[r];
        s->have_raw = 0;
        if (s->mem)
            continue;           /* decoded from memory */
        if (s->direct) {
            hsize_t off[2] = { r0 / s->crs * s->crs, 0 }, size = 0;
            uint32_t mask = 0;
            if (H5Dget_chunk_storage_size(s->d, off, &size) >= 0 && size > 0) {
                if (size > s->rawcap) {
                    unsigned char *p = realloc(s->raw, (size_t)size);
                    if (!p)
                        return sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
                    s->raw = p;
                    s->rawcap = (size_t)size;
                }
                if (H5Dread_chunk(s->d, H5P_DEFAULT, off, &mask, s->raw) >= 0 && mask == 0) {
                    s->rawlen = (size_t)size;
                    s->have_raw = 1;
                    continue;
                }
            }
            H5Eclear2(H5E_DEFAULT);
        }
        hsize_t start[2] = { r0, 0 }, count[2] = { nb, ncols };
        hid_t fs = H5Dget_space(s->d), ms = H5Screate_simple(2, count, NULL);
        int bad_read = fs < 0 || ms < 0
                       || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0
                       || H5Dread(s->d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT,
                                  blk + r * nb * ncols) < 0;
        if (fs >= 0)
            H5Sclose(fs);
        if (ms >= 0)
            H5Sclose(ms);
        if (bad_read)
            return h5fail(w, err, "cannot read /runs/%04zu/series/%s/%s", r, j->group, j->name);
    }
    return SIM_OK;
}

/* Appends the encoding of chunk `at` (stat k, chunk c: k nchunks + c). */
static int job_append(stat_job *j, size_t at, const unsigned char *b, size_t len)
{
    if (j->zused + len > j->zcap) {
        size_t cap = j->zcap ? 2 * j->zcap : 4096;
        while (cap < j->zused + len)
            cap *= 2;
        unsigned char *p = realloc(j->z, cap);
        if (!p)
            return -1;
        j->z = p;
        j->zcap = cap;
    }
    memcpy(j->z + j->zused, b, len);
    j->zoff[at] = j->zused;
    j->zlen[at] = len;
    j->zused += len;
    return 0;
}

/* Computes j's three statistics, chunk by chunk, into j->z. Takes the
 * writer's lock only to open and read the runs' series that were not kept
 * when they were copied (kept.h). */
static int stat_compute(stat_pool *p, stat_job *j, sim_err *err)
{
    out_writer *w = p->w;
    size_t nruns = p->nruns, ncols = j->ncols, n = j->cr * ncols, crs_max = j->cr;
    int rc = SIM_OK;
    char path[600];
    stat_src *src = calloc(nruns, sizeof *src);
    double *blk = NULL, *res = NULL, *tmp = NULL, *dec = NULL;
    unsigned char *scratch = NULL, *enc = NULL;
    if (!src)
        return sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
    /* The runs whose chunks were kept when they were copied need no HDF5
     * call; the others are opened, under the lock, which the other
     * workers wait for: as few HDF5 calls as can be. Their chunks are read
     * raw (H5Dread_chunk), past HDF5's chunk cache: none is set up. */
    size_t from_file = 0;
    for (size_t r = 0; r < nruns; r++) {
        const out_kept_series *m = out_kept_find(w->kept, r, j->group, j->name);
        src[r].d = -1;
        if (m && m->rows == j->rows && m->ncols == ncols && chunks_align(j->rows, j->cr, m->crs)) {
            src[r].mem = m;
            src[r].direct = 1;
            src[r].crs = m->crs;
            if (m->crs > crs_max)
                crs_max = m->crs;
        } else {
            from_file++;
        }
    }
    if (from_file) {
        lock_hdf5(w);
        hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
        if (dapl < 0 || H5Pset_chunk_cache(dapl, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT) < 0)
            rc = h5fail(w, err, "cannot read /runs/*/series/%s/%s", j->group, j->name);
        for (size_t r = 0; r < nruns && rc == SIM_OK; r++) {
            if (src[r].mem)
                continue;
            snprintf(path, sizeof path, "/runs/%04zu/series/%s/%s", r, j->group, j->name);
            hsize_t dims[2];
            hid_t sp = -1;
            hid_t g = run_group(p, r, j->group);
            src[r].d = g >= 0 ? H5Dopen2(g, j->name, dapl) : H5Dopen2(w->file, path, dapl);
            if (src[r].d < 0 && !h5u_exists(w->file, path))
                rc = bad(w, err, "series statistics: %s is missing (run 0 has it)", path);
            else if (src[r].d < 0
                     || (sp = H5Dget_space(src[r].d)) < 0 || H5Sget_simple_extent_ndims(sp) != 2
                     || H5Sget_simple_extent_dims(sp, dims, NULL) < 0)
                rc = h5fail(w, err, "cannot read %s", path);
            else if (dims[0] != j->rows || dims[1] != ncols)
                rc = bad(w, err, "series statistics: %s is %llu x %llu, run 0 has %llu x %llu",
                         path, (unsigned long long)dims[0], (unsigned long long)dims[1],
                         (unsigned long long)j->rows, (unsigned long long)ncols);
            else if ((src[r].direct = src_direct(src[r].d, j->rows, j->cr, ncols, &src[r].crs))
                     && src[r].crs > crs_max)
                crs_max = src[r].crs;
            if (sp >= 0)
                H5Sclose(sp);
        }
        if (dapl >= 0)
            H5Pclose(dapl);
        pthread_mutex_unlock(w->mu);
    }
    if (rc != SIM_OK)
        goto out;
    blk = malloc((nruns * n + 1) * sizeof *blk);      /* + 1: no zero-size requests */
    res = malloc((3 * n + 1) * sizeof *res);
    tmp = malloc(nruns * sizeof *tmp);
    dec = malloc((crs_max * ncols + 1) * sizeof *dec);
    scratch = malloc((crs_max * ncols + 1) * sizeof(double));
    enc = malloc(out_chunk_bound(n));
    j->zoff = calloc(3 * j->nchunks + 1, sizeof *j->zoff);
    j->zlen = calloc(3 * j->nchunks + 1, sizeof *j->zlen);
    if (!blk || !res || !tmp || !dec || !scratch || !enc || !j->zoff || !j->zlen) {
        rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < j->nchunks && rc == SIM_OK; c++) {
        size_t r0 = c * j->cr, nb = j->rows - r0 < j->cr ? j->rows - r0 : j->cr;
        if (from_file) {
            lock_hdf5(w);
            rc = stat_read(w, j, nruns, src, r0, nb, blk, err);
            pthread_mutex_unlock(w->mu);
        }
        for (size_t r = 0; r < nruns && rc == SIM_OK; r++) {
            const unsigned char *bytes = src[r].raw;
            size_t len = src[r].rawlen;
            if (src[r].mem) {
                size_t at = r0 / src[r].crs;
                bytes = src[r].mem->z + src[r].mem->zoff[at];
                len = src[r].mem->zlen[at];
            } else if (!src[r].have_raw) {
                continue;
            }
            if (out_chunk_decode(bytes, len, src[r].crs * ncols, scratch, dec) < 0)
                rc = sim_err_set(err, SIM_EIO, w->path, 0, 0,
                                 "/runs/%04zu/series/%s/%s: a chunk does not decode", r,
                                 j->group, j->name);
            else
                memcpy(blk + r * nb * ncols, dec + (r0 % src[r].crs) * ncols,
                       nb * ncols * sizeof *dec);
        }
        if (rc != SIM_OK)
            break;
        for (size_t i = 0; i < 3 * n; i++)
            res[i] = NAN;   /* the fill value pads the last chunk, as HDF5 does */
        for (size_t e = 0; e < nb * ncols; e++) {
            uint64_t k = 0;
            double sum = 0.0;
            for (size_t r = 0; r < nruns; r++) {
                double x = blk[r * nb * ncols + e];
                if (!isnan(x)) {
                    tmp[k++] = x;
                    sum += x;
                }
            }
            res[e] = k ? sum / (double)k : NAN;
            res[n + e] = sim_quantile_select(tmp, k, 0.05);    /* reorders tmp */
            res[2 * n + e] = sim_quantile_select(tmp, k, 0.95);
        }
        for (int k = 0; k < 3 && rc == SIM_OK; k++) {
            size_t len = 0;
            if (out_chunk_encode(res + (size_t)k * n, n, DEFLATE_LEVEL, scratch, enc,
                                 out_chunk_bound(n), &len) < 0) {
                rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "cannot compress a chunk");
                break;
            }
            if (job_append(j, (size_t)k * j->nchunks + c, enc, len) < 0)
                rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        }
    }
out:
    if (from_file) {
        lock_hdf5(w);
        for (size_t r = 0; r < nruns; r++)
            if (src[r].d >= 0)
                H5Dclose(src[r].d);
        pthread_mutex_unlock(w->mu);
    }
    for (size_t r = 0; r < nruns; r++)
        free(src[r].raw);
    free(src);
    free(blk);
    free(res);
    free(tmp);
    free(dec);
    free(scratch);
    free(enc);
    return rc;
}

static void *stat_worker(void *arg)
{
    stat_pool *p = arg;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);  /* per thread in HDF5: no traces on stderr */
    for (;;) {
        pthread_mutex_lock(&p->mu);
        if (p->stop || p->next >= p->njobs) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        stat_job *j = &p->jobs[p->next++];
        pthread_mutex_unlock(&p->mu);
        sim_err_clear(&j->err);
        int rc = stat_compute(p, j, &j->err);
        pthread_mutex_lock(&p->mu);
        j->rc = rc;
        j->done = 1;
        if (rc != SIM_OK)
            p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* Caller holds the lock: hard links in group dst (at path where) to each
 * coordinate (1-D dataset) of the series group src. */
static int link_coords(out_writer *w, const char *src, hid_t dst, const char *where, sim_err *err)
{
    series_list l = { 0 };
    hid_t g = H5Gopen2(w->file, src, H5P_DEFAULT);
    int rc = g >= 0 && H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, coord_names_cb, &l) >= 0
             ? SIM_OK : h5fail(w, err, "cannot list %s", src);
    for (size_t i = 0; rc == SIM_OK && i < l.n; i++)
        if (H5Lcreate_hard(g, l.name[i], dst, l.name[i], H5P_DEFAULT, H5P_DEFAULT) < 0)
            rc = h5fail(w, err, "cannot link %s/%s", where, l.name[i]);
    if (g >= 0)
        H5Gclose(g);
    series_list_free(&l);
    return rc;
}

/* Caller holds the lock: creates j's outputs under /series_stats from run
 * 0's series (for one run, hard links to it and nothing to compute). */
static int stat_setup(out_writer *w, size_t nruns, stat_job *j, sim_err *err)
{
    int rc = SIM_OK;
    char p[600];
    hid_t src = -1, sp = -1, g = -1;
    char *unit = NULL, *desc = NULL, src_group[300];
    hsize_t dims[2];
    snprintf(p, sizeof p, "/runs/0000/series/%s/%s", j->group, j->name);
    if ((rc = reserve(w, 0, err)) != SIM_OK)
        goto out;
    if ((src = H5Dopen2(w->file, p, H5P_DEFAULT)) < 0 || (sp = H5Dget_space(src)) < 0
        || H5Sget_simple_extent_ndims(sp) != 2 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
        rc = h5fail(w, err, "cannot read %s", p);
        goto out;
    }
    j->rows = (size_t)dims[0];
    j->ncols = (size_t)dims[1];
    if (!(unit = h5u_attr_read_str(src, "units")))
        unit = h5u_attr_read_str(src, "unit");              /* a run copied from an older file */
    if (!(desc = h5u_attr_read_str(src, "long_name")))
        desc = h5u_attr_read_str(src, "description");
    snprintf(p, sizeof p, "/series_stats/%s/%s", j->group, j->name);
    if ((g = h5u_group_ensure(w->file, p)) < 0) {
        rc = h5fail(w, err, "cannot create %s", p);
        goto out;
    }
    /* The coordinates of run 0's series, as hard links (stored once), so
     * that the group reads as a dataset of its own in netCDF and xarray. */
    snprintf(src_group, sizeof src_group, "/runs/0000/series/%s", j->group);
    if ((rc = link_coords(w, src_group, g, p, err)) != SIM_OK)
        goto out;
    int64_t nr = (int64_t)nruns;
    if (nruns == 1) {
        /* Mean and percentiles of one run are the run itself: hard links to
         * its dataset cost nothing and read the same everywhere. */
        char src_path[600];
        snprintf(src_path, sizeof src_path, "/runs/0000/series/%s/%s", j->group, j->name);
        for (int k = 0; k < 3; k++)
            if (H5Lcreate_hard(w->file, src_path, g, stat_names[k], H5P_DEFAULT, H5P_DEFAULT) < 0) {
                rc = h5fail(w, err, "cannot link %s/%s", p, stat_names[k]);
                goto out;
            }
        if (h5u_attr_write_num(g, "runs", H5T_STD_I64LE, H5T_NATIVE_INT64, &nr) < 0)
            rc = h5fail(w, err, "cannot write %s", p);
        goto out;
    }
    for (int k = 0; k < 3; k++) {
        static const char *const what[3] = {
            "mean across runs (NaN skipped)", "5th percentile across runs (type 7, NaN skipped)",
            "95th percentile across runs (type 7, NaN skipped)" };
        if ((j->out[k] = create_matrix(g, stat_names[k], dims[0], j->ncols, 0, &j->cr)) < 0
            || series_attrs(j->out[k], j->group, unit, desc) < 0
            || h5u_attr_write_str(j->out[k], "statistic", what[k]) < 0
            || coords_attach(w, g, j->out[k], j->group) < 0) {
            rc = h5fail(w, err, "cannot create %s/%s", p, stat_names[k]);
            goto out;
        }
    }
    if (h5u_attr_write_num(g, "runs", H5T_STD_I64LE, H5T_NATIVE_INT64, &nr) < 0)
        rc = h5fail(w, err, "cannot write %s", p);
    j->nchunks = j->ncols ? (j->rows + j->cr - 1) / j->cr : 0;
out:
    if (sp >= 0)
        H5Sclose(sp);
    if (src >= 0)
        H5Dclose(src);          /* read only */
    if (g >= 0 && H5Gclose(g) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot create %s", p);
    free(unit);
    free(desc);
    return rc;
}

/* Caller holds the lock: writes j's encoded chunks and closes its outputs. */
static int stat_store(out_writer *w, stat_job *j, sim_err *err)
{
    size_t bytes = 0;
    for (size_t at = 0; at < 3 * j->nchunks; at++)
        bytes += j->zlen[at];
    int rc = reserve(w, bytes, err);
    for (int k = 0; k < 3 && rc == SIM_OK; k++) {
        for (size_t c = 0; c < j->nchunks && rc == SIM_OK; c++) {
            size_t at = (size_t)k * j->nchunks + c;
            hsize_t off[2] = { (hsize_t)(c * j->cr), 0 };
            if (H5Dwrite_chunk(j->out[k], H5P_DEFAULT, 0, off, j->zlen[at], j->z + j->zoff[at]) < 0)
                rc = h5fail(w, err, "cannot write /series_stats/%s/%s/%s", j->group, j->name,
                            stat_names[k]);
        }
        if (H5Dclose(j->out[k]) < 0 && rc == SIM_OK)
            rc = h5fail(w, err, "cannot write /series_stats/%s/%s/%s", j->group, j->name,
                        stat_names[k]);
        j->out[k] = -1;
    }
    return rc;
}

void out_writer_threads(out_writer *w, unsigned n)
{
    w->threads = n;
}

void out_writer_keep_max(out_writer *w, size_t bytes)
{
    w->keep_max = bytes;
}

size_t out_writer_kept(const out_writer *w, size_t *bytes)
{
    return out_kept_count(w->kept, bytes);
}

/* The statistics' outputs, made (stat_setup) by out_series_stats_prepare
 * or at the start of out_series_stats_write. */
typedef struct stat_prep {
    size_t       nruns;
    series_list  l;             /* run 0's series */
    stat_job    *jobs;          /* [l.n] */
    int          rc;            /* of the making; not SIM_OK: w failed */
} stat_prep;

/* Closes the outputs still open and frees p. Caller holds the lock. */
static void stat_prep_free(stat_prep *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->jobs && i < p->l.n; i++) {
        for (int k = 0; k < 3; k++)
            if (p->jobs[i].out[k] >= 0)
                H5Dclose(p->jobs[i].out[k]);
        free(p->jobs[i].z);
        free(p->jobs[i].zoff);
        free(p->jobs[i].zlen);
    }
    free(p->jobs);
    series_list_free(&p->l);
    free(p);
}

/* Caller holds the lock: lists run 0's series and makes their outputs
 * under /series_stats (stat_setup), in *out (NULL only when out of
 * memory). Returns SIM_OK or the failure, which marks w failed. */
static int stat_make(out_writer *w, size_t nruns, stat_prep **out, sim_err *err)
{
    int rc = SIM_OK;
    stat_prep *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
    p->nruns = nruns;
    if (w->open)
        rc = bad(w, err, "series statistics: %s is still open", w->open->where);
    else if (h5u_exists(w->file, "/series_stats"))
        rc = bad(w, err, "/series_stats is already written");
    else if (h5u_exists(w->file, "/runs/0000/series")) {
        hid_t g = H5Gopen2(w->file, "/runs/0000/series", H5P_DEFAULT);
        iter_ctx c = { &p->l, NULL, g };
        if (g < 0 || H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, list_cb, &c) < 0)
            rc = h5fail(w, err, "cannot list /runs/0000/series");
        if (g >= 0)
            H5Gclose(g);
    }
    if (rc == SIM_OK && p->l.n && !(p->jobs = calloc(p->l.n, sizeof *p->jobs)))
        rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
    for (size_t i = 0; p->jobs && i < p->l.n; i++) {
        p->jobs[i].group = p->l.group[i];
        p->jobs[i].name = p->l.name[i];
        for (int k = 0; k < 3; k++)
            p->jobs[i].out[k] = -1;
    }
    for (size_t i = 0; rc == SIM_OK && i < p->l.n; i++)
        rc = stat_setup(w, nruns, &p->jobs[i], err);
    if (rc == SIM_OK && out_ds_flush(w->dsq, w->file) < 0)
        rc = h5fail(w, err, "cannot attach the dimension scales of /series_stats");
    if (rc != SIM_OK)
        w->failed = 1;
    return p->rc = rc;
}

int out_series_stats_prepare(out_writer *w, size_t nruns, sim_err *err)
{
    if (nruns == 0)
        return bad(w, err, "series statistics need at least one run");
    lock_hdf5(w);
    int rc = w->prep ? bad(w, err, "series statistics: prepared already")
                     : stat_make(w, nruns, &w->prep, err);
    pthread_mutex_unlock(w->mu);
    return rc;
}

int out_series_stats_write(out_writer *w, size_t nruns, sim_err *err)
{
    if (nruns == 0)
        return bad(w, err, "series statistics need at least one run");
    lock_hdf5(w);
    out_kept_seal(w->kept);     /* copy no more runs: the workers look them up */
    int rc = SIM_OK;
    stat_prep *prep = w->prep;
    w->prep = NULL;
    if (!prep)
        rc = stat_make(w, nruns, &prep, err);
    else if (prep->rc != SIM_OK)
        rc = bad(w, err, "series statistics: their outputs could not be made");
    else if (prep->nruns != nruns)
        rc = bad(w, err, "series statistics: prepared for %zu runs, not %zu", prep->nruns,
                 nruns);
    else if (w->open)
        rc = bad(w, err, "series statistics: %s is still open", w->open->where);
    pthread_mutex_unlock(w->mu);
    series_list l = prep ? prep->l : (series_list){ 0 };
    stat_job *jobs = prep ? prep->jobs : NULL;
    if (rc != SIM_OK || nruns == 1 || l.n == 0)
        goto out;

    stat_pool p = { w, nruns, jobs, l.n, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                    { NULL }, { NULL }, 0 };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = w->threads ? w->threads : cores > 0 ? (size_t)cores : 1;
    if (nt > l.n)
        nt = l.n;
    pthread_t *tid = nt > 1 ? calloc(nt, sizeof *tid) : NULL;
    size_t started = 0;
    while (tid && started < nt && pthread_create(&tid[started], NULL, stat_worker, &p) == 0)
        started++;
    if (started == 0)
        stat_worker(&p);        /* one thread, or none could start: compute here */
    /* Write each series as soon as it is computed, in series order. */
    for (size_t i = 0; i < l.n && rc == SIM_OK; i++) {
        pthread_mutex_lock(&p.mu);
        while (!jobs[i].done && !(p.stop && i >= p.next))
            pthread_cond_wait(&p.cv, &p.mu);
        int done = jobs[i].done;
        pthread_mutex_unlock(&p.mu);
        if (!done)
            break;              /* a later-started job failed first: report it below */
        if (jobs[i].rc != SIM_OK) {
            rc = jobs[i].rc;
            if (err)
                *err = jobs[i].err;
            break;
        }
        lock_hdf5(w);
        rc = stat_store(w, &jobs[i], err);
        pthread_mutex_unlock(w->mu);
        free(jobs[i].z);
        jobs[i].z = NULL;
    }
    pthread_mutex_lock(&p.mu);
    p.stop = 1;
    pthread_mutex_unlock(&p.mu);
    for (size_t t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    free(tid);
    lock_hdf5(w);
    run_groups_close(&p);
    pthread_mutex_unlock(w->mu);
    /* A job that failed while an earlier one was never started. */
    for (size_t i = 0; rc == SIM_OK && i < l.n; i++)
        if (jobs[i].done && jobs[i].rc != SIM_OK) {
            rc = jobs[i].rc;
            if (err)
                *err = jobs[i].err;
        }
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
out:
    lock_hdf5(w);
    if (rc != SIM_OK)
        w->failed = 1;
    out_kept_free(w->kept);
    w->kept = NULL;
    stat_prep_free(prep);
    pthread_mutex_unlock(w->mu);
    if (rc == SIM_OK)
        writeback_start(w);
    return rc;
}

/* ---- generic tables and attributes ---- */

int out_table_write(out_writer *w, const char *path, size_t nrows, size_t ncols,
                    const out_column *cols, const char *desc, sim_err *err)
{
    if (!path || path[0] != '/' || !name_ok(strrchr(path, '/') + 1) || ncols == 0 || !cols)
        return bad(w, err, "table %s: needs an absolute path and columns", path ? path : "");
    for (size_t j = 0; j < ncols; j++) {
        if (!cols[j].name || !*cols[j].name)
            return bad(w, err, "table %s: column %zu has no name", path, j);
        if (nrows && !(cols[j].kind == OUT_COL_STRING ? (const void *)cols[j].s
                       : cols[j].kind == OUT_COL_UINT32 ? (const void *)cols[j].u
                       : (const void *)cols[j].d))
            return bad(w, err, "table %s: column %s has no values", path, cols[j].name);
        for (size_t k = 0; k < j; k++)
            if (!strcmp(cols[j].name, cols[k].name))
                return bad(w, err, "table %s: column name '%s' appears twice", path, cols[j].name);
    }
    int rc = SIM_OK;
    const char **mn = malloc(ncols * sizeof *mn);
    hid_t *mt = malloc(ncols * sizeof *mt);
    char **packed = calloc(ncols, sizeof *packed);
    const char **units = malloc(ncols * sizeof *units);
    char parent[512];
    const char *slash = strrchr(path, '/');
    snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), path);
    hid_t g = -1, d = -1;
    if (!mn || !mt || !packed || !units) {
        free(mn), free(mt), free(packed), free(units);
        return sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
    }
    for (size_t j = 0; j < ncols; j++)
        mt[j] = -1;
    lock_hdf5(w);
    for (size_t j = 0; j < ncols; j++) {
        mn[j] = cols[j].name;
        units[j] = cols[j].unit ? cols[j].unit : "";
        if (cols[j].kind == OUT_COL_STRING) {
            if ((mt[j] = h5u_str_type(cols[j].s, nrows)) < 0) {
                rc = h5fail(w, err, "cannot write %s", path);
                goto out;
            }
            if (!(packed[j] = h5u_str_pack(mt[j], cols[j].s, nrows))) {
                rc = sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
                goto out;
            }
        } else {
            mt[j] = H5Tcopy(cols[j].kind == OUT_COL_UINT32 ? H5T_STD_U32LE : H5T_IEEE_F64LE);
        }
    }
    if (h5u_exists(w->file, path)) {
        rc = bad(w, err, "%s is already written", path);
        goto out;
    }
    size_t row = 0;
    for (size_t j = 0; j < ncols; j++)
        row += cols[j].kind == OUT_COL_STRING ? H5Tget_size(mt[j]) : sizeof(double);
    if ((rc = reserve(w, nrows * (row + 4), err)) != SIM_OK)
        goto out;
    if ((g = h5u_group_ensure(w->file, parent[0] ? parent : "/")) < 0
        || (d = create_table(g, slash + 1, nrows, ncols, mn, mt)) < 0) {
        rc = h5fail(w, err, "cannot create %s", path);
        goto out;
    }
    for (size_t j = 0; j < ncols && nrows; j++) {
        int r = cols[j].kind == OUT_COL_STRING
                    ? field_write(d, mn[j], mt[j], H5Tget_size(mt[j]), packed[j])
                : cols[j].kind == OUT_COL_UINT32
                    ? field_write(d, mn[j], H5T_NATIVE_UINT32, sizeof(uint32_t), cols[j].u)
                    : field_write(d, mn[j], H5T_NATIVE_DOUBLE, sizeof(double), cols[j].d);
        if (r < 0) {
            rc = h5fail(w, err, "cannot write %s column %s", path, mn[j]);
            goto out;
        }
    }
    if (h5u_attr_write_strv(d, "units", units, ncols) < 0
        || h5u_attr_write_str(d, "description", desc ? desc : "") < 0
        || h5u_attr_write_str(d, "long_name", desc ? desc : "") < 0)
        rc = h5fail(w, err, "cannot write the attributes of %s", path);
    /* Its rows as a dimension scale, `<name>_row` beside it, so that netCDF
     * readers (xarray's h5netcdf) can open the group. */
    if (rc == SIM_OK) {
        char rn[300];
        snprintf(rn, sizeof rn, "%s_row", slash + 1);
        uint32_t *idx = malloc((nrows ? nrows : 1) * sizeof *idx);
        for (size_t i = 0; idx && i < nrows; i++)
            idx[i] = (uint32_t)i;
        hid_t rd = idx ? create_1d(g, rn, H5T_STD_U32LE, H5T_NATIVE_UINT32, nrows, idx) : -1;
        int okr = rd >= 0 && H5DSset_scale(rd, rn) >= 0
                  && h5u_attr_write_str(rd, "long_name", "row index") >= 0
                  && H5DSattach_scale(d, rd, 0) >= 0;
        if ((rd >= 0 && H5Dclose(rd) < 0) || !okr)
            rc = idx ? h5fail(w, err, "cannot write %s_row", path)
                     : sim_err_set(err, SIM_ENOMEM, w->path, 0, 0, "out of memory");
        free(idx);
    }
out:
    if (d >= 0 && H5Dclose(d) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write %s", path);
    if (g >= 0 && H5Gclose(g) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write %s", path);
    for (size_t j = 0; j < ncols; j++) {
        if (mt[j] >= 0)
            H5Tclose(mt[j]);
        free(packed[j]);
    }
    pthread_mutex_unlock(w->mu);
    free(mn);
    free(mt);
    free(packed);
    free(units);
    return rc;
}

static int obj_attr(out_writer *w, const char *path, const char *name, const char *str,
                    double value, sim_err *err)
{
    if (!path || path[0] != '/' || !name || !*name)
        return bad(w, err, "attribute needs an absolute object path and a name");
    lock_hdf5(w);
    int rc = reserve(w, str ? strlen(str) : 8, err);
    hid_t o = rc == SIM_OK && h5u_exists(w->file, path) ? H5Oopen(w->file, path, H5P_DEFAULT) : -1;
    if (rc == SIM_OK && (o < 0 || (str ? h5u_attr_write_str(o, name, str)
                      : h5u_attr_write_num(o, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value)) < 0))
        rc = h5fail(w, err, "cannot write attribute %s of %s", name, path);
    if (o >= 0 && H5Oclose(o) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write attribute %s of %s", name, path);
    pthread_mutex_unlock(w->mu);
    return rc;
}

int out_obj_attr_string(out_writer *w, const char *path, const char *name,
                        const char *value, sim_err *err)
{
    return obj_attr(w, path, name, value ? value : "", 0.0, err);
}

int out_obj_attr_double(out_writer *w, const char *path, const char *name, double value,
                        sim_err *err)
{
    return obj_attr(w, path, name, NULL, value, err);
}

/* Caller holds the lock. Copies the series of run group gpath from file
 * src (already copied without its members: H5O_COPY_SHALLOW_HIERARCHY).
 * H5Ocopy from another file would copy object references as they were,
 * pointing into the other file, so the dimension lists of the series and
 * the coordinates beside them are not copied: each series group gets its
 * coordinates anew from what w knows (as out_series_open does), each
 * series is copied without its attributes (raw chunks unchanged) and
 * given its units, long_name and dimension scales. Nothing is deleted
 * from the file: HDF5 1.10 may fail to copy into space freed in the
 * same session ("can't insert duplicate key" in its metadata cache). */
static int copy_series(out_writer *w, hid_t src, size_t run, const char *gpath, sim_err *err)
{
    char sp[300], where[600];
    snprintf(sp, sizeof sp, "%s/series", gpath);
    if (!h5u_exists(src, sp))
        return SIM_OK;
    series_list l = { 0 };
    hid_t sg = H5Gopen2(src, sp, H5P_DEFAULT), dg = -1, g = -1, sgr = -1, d = -1, s = -1;
    hid_t ocpy = H5Pcreate(H5P_OBJECT_COPY);
    iter_ctx c = { &l, NULL, sg };
    int rc = sg >= 0 && H5Literate(sg, H5_INDEX_NAME, H5_ITER_INC, NULL, list_cb, &c) >= 0
             ? SIM_OK : h5fail(w, err, "cannot list %s", sp);
    if (rc == SIM_OK && (ocpy < 0 || H5Pset_copy_object(ocpy, H5O_COPY_WITHOUT_ATTR_FLAG) < 0
                         || (dg = h5u_group_ensure(w->file, sp)) < 0))
        rc = h5fail(w, err, "cannot copy %s", sp);
    for (size_t i = 0; rc == SIM_OK && i < l.n; i++) {
        snprintf(where, sizeof where, "%s/%s", sp, l.group[i]);
        if (i == 0 || strcmp(l.group[i], l.group[i - 1])) {     /* a new group */
            hsize_t dims[2] = { 0, 0 };
            if (g >= 0)
                H5Gclose(g);
            if (sgr >= 0)
                H5Gclose(sgr);
            g = sgr = -1;
            if ((sgr = H5Gopen2(sg, l.group[i], H5P_DEFAULT)) < 0
                || (d = H5Dopen2(sgr, l.name[i], H5P_DEFAULT)) < 0 || (s = H5Dget_space(d)) < 0
                || H5Sget_simple_extent_dims(s, dims, NULL) != 2) {
                rc = h5fail(w, err, "cannot read %s", where);
                break;
            }
            H5Sclose(s);
            H5Dclose(d);
            s = d = -1;
            if ((g = h5u_group_ensure(w->file, where)) < 0) {
                rc = h5fail(w, err, "cannot create %s", where);
                break;
            }
            if ((rc = coords_create(w, g, l.group[i], (size_t)dims[1], where, err)) != SIM_OK)
                break;
        }
        char *unit = NULL, *desc = NULL;
        if ((d = H5Dopen2(sgr, l.name[i], H5P_DEFAULT)) >= 0) {
            if (!(unit = h5u_attr_read_str(d, "units")))
                unit = h5u_attr_read_str(d, "unit");
            if (!(desc = h5u_attr_read_str(d, "long_name")))
                desc = h5u_attr_read_str(d, "description");
            out_kept_take(w->kept, run, l.group[i], l.name[i], d);
            H5Dclose(d);
        }
        d = -1;
        if (H5Ocopy(sgr, l.name[i], g, l.name[i], ocpy, H5P_DEFAULT) < 0
            || (d = H5Dopen2(g, l.name[i], H5P_DEFAULT)) < 0
            || series_attrs(d, l.group[i], unit, desc) < 0 || coords_attach(w, g, d, l.group[i]) < 0)
            rc = h5fail(w, err, "cannot copy %s/%s", where, l.name[i]);
        free(unit);
        free(desc);
        if (d >= 0 && H5Dclose(d) < 0 && rc == SIM_OK)
            rc = h5fail(w, err, "cannot copy %s/%s", where, l.name[i]);
        d = -1;
        step_aside(w);
    }
    if (rc == SIM_OK && out_ds_flush(w->dsq, w->file) < 0)
        rc = h5fail(w, err, "cannot attach the dimension scales of %s", sp);
    if (s >= 0)
        H5Sclose(s);
    if (d >= 0)
        H5Dclose(d);
    if (g >= 0 && H5Gclose(g) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write %s", sp);
    if (dg >= 0 && H5Gclose(dg) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot write %s", sp);
    if (sgr >= 0)
        H5Gclose(sgr);
    if (sg >= 0)
        H5Gclose(sg);
    if (ocpy >= 0)
        H5Pclose(ocpy);
    series_list_free(&l);
    return rc;
}

int out_run_copy(out_writer *w, size_t run, const char *src_path, sim_err *err)
{
    char gpath[64];
    snprintf(gpath, sizeof gpath, "/runs/%04zu", run);
    lock_hdf5(w);
    int rc = SIM_OK;
    hid_t src = H5Fopen(src_path, H5F_ACC_RDONLY, H5P_DEFAULT), runs = -1;
    if (src < 0) {
        rc = h5fail(w, err, "cannot open %s", src_path);
        goto out;
    }
    if (h5u_exists(w->file, gpath)) {
        rc = bad(w, err, "%s is already written", gpath);
        goto out;
    }
    if (!h5u_exists(src, gpath)) {
        rc = bad(w, err, "%s has no %s", src_path, gpath);
        goto out;
    }
    struct stat st;
    if (stat(src_path, &st) != 0) {
        rc = sim_err_set(err, SIM_EIO, src_path, 0, 0, "%s", strerror(errno));
        w->failed = 1;
        goto out;
    }
    if ((rc = reserve(w, (size_t)st.st_size, err)) != SIM_OK)
        goto out;
    w->coords_fixed = 1;
    if (!w->kept && w->keep_max > 0)
        w->kept = out_kept_new(w->keep_max);    /* NULL: the statistics read the file */
    hid_t shallow = H5Pcreate(H5P_OBJECT_COPY);
    if (shallow < 0 || H5Pset_copy_object(shallow, H5O_COPY_SHALLOW_HIERARCHY_FLAG) < 0
        || (runs = h5u_group_ensure(w->file, "/runs")) < 0
        || H5Ocopy(src, gpath, w->file, gpath, shallow, H5P_DEFAULT) < 0)
        rc = h5fail(w, err, "cannot copy %s from %s", gpath, src_path);
    else
        rc = copy_series(w, src, run, gpath, err);
    if (shallow >= 0)
        H5Pclose(shallow);
out:
    if (runs >= 0 && H5Gclose(runs) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot copy %s from %s", gpath, src_path);
    if (src >= 0 && H5Fclose(src) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot close %s", src_path);
    pthread_mutex_unlock(w->mu);
    if (rc == SIM_OK)
        writeback_start(w);
    return rc;
}

/* ---- out_tree_copy: the dimension scales of the copy ----
 * H5Ocopy copies DIMENSION_LIST (variable-length lists of object
 * references) and REFERENCE_LIST (records holding one) as they are, and
 * across files their addresses then point nowhere. Each is rewritten in
 * place (same type and shape: nothing is deleted) with the reference to
 * the same path under the copy. */

/* An object of the source tree: its address (what an object reference
 * holds in this file format), a path to it, and the reference to its copy
 * once made. */
typedef struct refix_obj {
    haddr_t    addr;
    char      *name;           /* relative to the source root; "." for the root */
    hobj_ref_t dst;
    int        have_dst;
} refix_obj;

typedef struct refix_ctx {
    hid_t       src, dst;
    const char *prefix;        /* the copy's group, e.g. "/arms/base" */
    refix_obj  *obj;           /* every object of src, by address */
    size_t      nobj, capobj;
    int         nomem;
} refix_ctx;

static herr_t refix_list_cb(hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
    (void)obj;
    refix_ctx *c = data;
    if (c->nobj == c->capobj) {
        size_t cap = c->capobj ? 2 * c->capobj : 256;
        refix_obj *o = realloc(c->obj, cap * sizeof *o);
        if (!o) {
            c->nomem = 1;
            return 1;           /* stop: ref_map asks HDF5 for each name instead */
        }
        c->obj = o;
        c->capobj = cap;
    }
    refix_obj *o = &c->obj[c->nobj];
    if (!(o->name = strdup(name))) {
        c->nomem = 1;
        return 1;
    }
    o->addr = info->addr;
    o->have_dst = 0;
    c->nobj++;
    return 0;
}

static int refix_obj_cmp(const void *a, const void *b)
{
    haddr_t x = ((const refix_obj *)a)->addr, y = ((const refix_obj *)b)->addr;
    return x < y ? -1 : x > y;
}

static void refix_free(refix_ctx *c)
{
    for (size_t i = 0; i < c->nobj; i++)
        free(c->obj[i].name);
    free(c->obj);
    c->obj = NULL;
    c->nobj = c->capobj = 0;
}

/* The reference to the copy of the object *ref refers to in src. The
 * object's path comes from the table of src's objects by address (made
 * once: H5Rget_name searches the file for each reference, which made the
 * fix-up of a comparison's arms cost more than the runs), and each
 * object's new reference is made once. */
static int ref_map(refix_ctx *c, hobj_ref_t *ref)
{
    char name[1024], p[1400];
    refix_obj key = { .addr = (haddr_t)*ref }, *o = NULL;
    if (c->nobj && !c->nomem)
        o = bsearch(&key, c->obj, c->nobj, sizeof *c->obj, refix_obj_cmp);
    if (o && o->have_dst) {
        *ref = o->dst;
        return 0;
    }
    if (o)
        snprintf(p, sizeof p, "%s%s%s", c->prefix, strcmp(o->name, ".") ? "/" : "",
                 strcmp(o->name, ".") ? o->name : "");
    else {
        ssize_t n = H5Rget_name(c->src, H5R_OBJECT, ref, name, sizeof name);
        if (n <= 0 || (size_t)n >= sizeof name)
            return -1;
        snprintf(p, sizeof p, "%s%s", c->prefix, name);
    }
    if (H5Rcreate(ref, c->dst, p, H5R_OBJECT, -1) < 0)
        return -1;
    if (o) {
        o->dst = *ref;
        o->have_dst = 1;
    }
    return 0;
}

static int refix_dimension_list(refix_ctx *c, const char *name, const char *dpath)
{
    hid_t sa = H5Aopen_by_name(c->src, name, "DIMENSION_LIST", H5P_DEFAULT, H5P_DEFAULT);
    hid_t sp = sa >= 0 ? H5Aget_space(sa) : -1, mt = H5Tvlen_create(H5T_STD_REF_OBJ), da = -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    hvl_t *v = n > 0 ? calloc((size_t)n, sizeof *v) : NULL;
    int rc = v && mt >= 0 && H5Aread(sa, mt, v) >= 0 ? 0 : -1;
    for (hssize_t i = 0; rc == 0 && i < n; i++)
        for (size_t j = 0; rc == 0 && j < v[i].len; j++)
            rc = ref_map(c, (hobj_ref_t *)v[i].p + j);
    /* the attribute opened on its object: H5Awrite through
     * H5Aopen_by_name fails in HDF5 1.10 ("can't locate open attribute") */
    hid_t dobj = rc == 0 ? H5Oopen(c->dst, dpath, H5P_DEFAULT) : -1;
    if (rc == 0 && (dobj < 0 || (da = H5Aopen(dobj, "DIMENSION_LIST", H5P_DEFAULT)) < 0
                    || H5Awrite(da, mt, v) < 0))
        rc = -1;
    if (v && n > 0 && H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v) < 0)
        rc = -1;
    free(v);
    if (da >= 0)
        H5Aclose(da);
    if (dobj >= 0)
        H5Oclose(dobj);
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (sa >= 0)
        H5Aclose(sa);
    return rc;
}

static int refix_reference_list(refix_ctx *c, const char *name, const char *dpath)
{
    hid_t sa = H5Aopen_by_name(c->src, name, "REFERENCE_LIST", H5P_DEFAULT, H5P_DEFAULT);
    hid_t sp = sa >= 0 ? H5Aget_space(sa) : -1, ft = sa >= 0 ? H5Aget_type(sa) : -1;
    hid_t mt = ft >= 0 ? H5Tget_native_type(ft, H5T_DIR_ASCEND) : -1, da = -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    size_t size = mt >= 0 ? H5Tget_size(mt) : 0, off = 0;
    int found = 0, nm = mt >= 0 && H5Tget_class(mt) == H5T_COMPOUND ? H5Tget_nmembers(mt) : -1;
    for (int k = 0; k < nm && !found; k++)
        if (H5Tget_member_class(mt, (unsigned)k) == H5T_REFERENCE)
            off = H5Tget_member_offset(mt, (unsigned)k), found = 1;
    unsigned char *buf = found && n > 0 && size ? malloc((size_t)n * size) : NULL;
    int rc = buf && H5Aread(sa, mt, buf) >= 0 ? 0 : -1;
    for (hssize_t i = 0; rc == 0 && i < n; i++) {
        hobj_ref_t ref;
        memcpy(&ref, buf + (size_t)i * size + off, sizeof ref);
        if ((rc = ref_map(c, &ref)) == 0)
            memcpy(buf + (size_t)i * size + off, &ref, sizeof ref);
    }
    /* the attribute opened on its object: H5Awrite through
     * H5Aopen_by_name fails in HDF5 1.10 ("can't locate open attribute") */
    hid_t dobj = rc == 0 ? H5Oopen(c->dst, dpath, H5P_DEFAULT) : -1;
    if (rc == 0 && (dobj < 0 || (da = H5Aopen(dobj, "REFERENCE_LIST", H5P_DEFAULT)) < 0
                    || H5Awrite(da, mt, buf) < 0))
        rc = -1;
    free(buf);
    if (da >= 0)
        H5Aclose(da);
    if (dobj >= 0)
        H5Oclose(dobj);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    if (sa >= 0)
        H5Aclose(sa);
    return rc;
}

static herr_t refix_cb(hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
    (void)obj, (void)info;
    refix_ctx *c = data;
    char dpath[1400];
    if (!strcmp(name, "."))
        snprintf(dpath, sizeof dpath, "%s", c->prefix);
    else
        snprintf(dpath, sizeof dpath, "%s/%s", c->prefix, name);
    if (H5Aexists_by_name(c->src, name, "DIMENSION_LIST", H5P_DEFAULT) > 0
        && refix_dimension_list(c, name, dpath) < 0)
        return -1;
    if (H5Aexists_by_name(c->src, name, "REFERENCE_LIST", H5P_DEFAULT) > 0
        && refix_reference_list(c, name, dpath) < 0)
        return -1;
    return 0;
}

/* The whole of src_path (its root's links and attributes) becomes the
 * group dst (absolute, parents created): one arm of a comparison file.
 * Hard links inside src (series statistics of one run) stay shared. */
int out_tree_copy(out_writer *w, const char *dst, const char *src_path, sim_err *err)
{
    if (!dst || dst[0] != '/' || !dst[1])
        return bad(w, err, "tree copy needs an absolute group path below the root");
    lock_hdf5(w);
    int rc = SIM_OK;
    hid_t src = -1, lcpl = -1;
    struct stat st;
    if (h5u_exists(w->file, dst)) {
        rc = bad(w, err, "%s is already written", dst);
        goto out;
    }
    if (stat(src_path, &st) != 0) {
        rc = sim_err_set(err, SIM_EIO, src_path, 0, 0, "%s", strerror(errno));
        w->failed = 1;
        goto out;
    }
    if ((src = H5Fopen(src_path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        rc = h5fail(w, err, "cannot open %s", src_path);
        goto out;
    }
    if ((rc = reserve(w, (size_t)st.st_size, err)) != SIM_OK)
        goto out;
    /* one copy of the whole tree; then its dimension scales (refix_cb) */
    if ((lcpl = H5Pcreate(H5P_LINK_CREATE)) < 0
        || H5Pset_create_intermediate_group(lcpl, 1) < 0
        || H5Ocopy(src, "/", w->file, dst, H5P_DEFAULT, lcpl) < 0)
        rc = h5fail(w, err, "cannot copy %s into %s", src_path, dst);
    else {
        refix_ctx c = { src, w->file, dst, NULL, 0, 0, 0 };
        if (H5Ovisit2(src, H5_INDEX_NAME, H5_ITER_INC, refix_list_cb, &c, H5O_INFO_BASIC) < 0)
            c.nomem = 1;        /* no table: each name from HDF5 */
        H5Eclear2(H5E_DEFAULT);
        if (!c.nomem)
            qsort(c.obj, c.nobj, sizeof *c.obj, refix_obj_cmp);
        if (H5Ovisit2(src, H5_INDEX_NAME, H5_ITER_INC, refix_cb, &c, H5O_INFO_BASIC) < 0)
            rc = h5fail(w, err, "cannot copy the dimension scales of %s into %s", src_path, dst);
        refix_free(&c);
    }
out:
    if (lcpl >= 0)
        H5Pclose(lcpl);
    if (src >= 0 && H5Fclose(src) < 0 && rc == SIM_OK)
        rc = h5fail(w, err, "cannot close %s", src_path);
    pthread_mutex_unlock(w->mu);
    return rc;
}
