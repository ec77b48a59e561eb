/* tools/experiment.c - running a set of runs into one file, crash-safely,
 * on threads and MPI ranks (see experiment.h).
 *
 * Each run writes a fragment FILE.h5.parts/run-NNNN.h5 (temporary name,
 * renamed when whole) carrying its series, attributes, identity and
 * scalars. When every run is done, rank 0 builds FILE.h5 from the
 * fragments - the header, each /runs/NNNN copied as it is, then the
 * scalars, summary and series statistics - and removes the directory. An
 * interrupted experiment leaves the finished fragments; --resume keeps
 * those whose run_id matches and runs the rest. Under MPI the ranks share
 * the runs dynamically (runner.c: a free thread of any rank takes the next
 * run from a counter on rank 0); the fragments directory must be on a
 * file system every rank sees.
 *
 * Rank 0 holds a lock on the output (an fcntl lock of DIR/.NAME.lock) from
 * the start to the end, so two commands never share a file or its
 * fragments: the second says who holds it. Holding the lock, it may remove
 * any temporary file of that output a dead process left. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "output/reader.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/par.h"
#include "tools/unlinks.h"

/* The process id in a temporary file name "PREFIX.tmp.PID.N" after
 * prefix (".NAME"), or 0 when name is not one. */
static long tmp_pid(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) || strncmp(name + n, ".tmp.", 5))
        return 0;
    char *end;
    long pid = strtol(name + n + 5, &end, 10);
    return pid > 0 && *end == '.' ? pid : 0;
}

/* Paths gathered for unlinks (tools/unlinks.h). */
typedef struct pathv {
    char  **p;
    size_t  n, cap;
} pathv;

/* Adds dir/name to v (on a lack of memory the name is left out: a file
 * not removed now is removed by the next command). */
static void pathv_add(pathv *v, const char *dir, const char *name)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        char **p = realloc(v->p, cap * sizeof *p);
        if (!p)
            return;
        v->p = p;
        v->cap = cap;
    }
    size_t len = strlen(dir) + strlen(name) + 2;
    if ((v->p[v->n] = malloc(len)) != NULL)
        snprintf(v->p[v->n++], len, "%s/%s", dir, name);
}

/* Removes the files of v, frees v; returns the count removed. */
static size_t pathv_unlink(pathv *v)
{
    size_t removed = unlinks(v->p, v->n);
    for (size_t i = 0; i < v->n; i++)
        free(v->p[i]);
    free(v->p);
    return removed;
}

/* Removes from dir the temporary files of other processes: names
 * starting with prefix, then ".tmp.PID.N" (prefix NULL: any ".run-NNNN.h5"
 * fragment's). The caller holds the output's lock, so no live process
 * writes them. Returns the count removed. */
static size_t stale_clean(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    pathv v = { 0 };
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        long pid;
        if (prefix)
            pid = tmp_pid(de->d_name, prefix);
        else {
            char frag[32];
            size_t k = 0;
            while (de->d_name[k] && k + 1 < sizeof frag && strncmp(de->d_name + k, ".tmp.", 5))
                frag[k] = de->d_name[k], k++;
            frag[k] = '\0';
            pid = strncmp(de->d_name, ".run-", 5) ? 0 : tmp_pid(de->d_name, frag);
        }
        if (pid > 0 && pid != (long)getpid())
            pathv_add(&v, dir, de->d_name);
    }
    closedir(d);
    return pathv_unlink(&v);
}

/* Removes the fragments in dir: all of them, or (temps_only) only the
 * temporary files of unfinished ones; several at a time (unlinks.h). */
static void parts_clean_some(const char *dir, int temps_only)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    pathv v = { 0 };
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if ((!temps_only && !strncmp(de->d_name, "run-", 4)) || !strncmp(de->d_name, ".run-", 5))
            pathv_add(&v, dir, de->d_name);
    closedir(d);
    pathv_unlink(&v);
}

/* Removes the fragments (finished and temporary) in dir; with rmdir_too
 * the directory itself when it is then empty. */
static void parts_clean(const char *dir, int rmdir_too)
{
    parts_clean_some(dir, 0);
    if (rmdir_too)
        rmdir(dir);
}

/* Whether the fragment at path is whole and holds run_id. */
static int fragment_matches(const char *path, uint64_t run_id)
{
    if (access(path, R_OK) != 0)
        return 0;
    out_reader *r = out_reader_open(path, NULL);
    if (!r)
        return 0;
    char want[RUNNER_ID_TEXT];
    runner_id_text(run_id, want);
    const out_attr *a = out_reader_attr_find(r, "run_id");
    int ok = a && a->kind == OUT_ATTR_STRING && !strcmp(a->s, want)
             && out_reader_scalar_rows(r) == 1;
    out_reader_close(r);
    return ok;
}

/* Reads into res (columns already set) the scalar row of every fragment
 * this process did not just write: the rows of its own runs (res->here)
 * are in res already, the same doubles the fragments hold. */
static int collect(const char *parts, size_t n, runner_result *res, sim_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (res->here[i])
            continue;
        char *path = runner_part_path(parts, i);
        if (!path)
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        out_reader *r = out_reader_open(path, err);
        if (!r) {
            free(path);
            return err && err->code ? err->code : SIM_EIO;
        }
        int rc = SIM_OK;
        if (out_reader_scalar_rows(r) != 1 || out_reader_scalar_cols(r) != res->ncols)
            rc = sim_err_set(err, SIM_EINVAL, path, 0, 0,
                             "fragment has %zu scalars, the experiment %zu",
                             out_reader_scalar_cols(r), res->ncols);
        for (size_t j = 0; rc == SIM_OK && j < res->ncols; j++)
            if (strcmp(out_reader_scalar_name(r, j), res->names[j]))
                rc = sim_err_set(err, SIM_EINVAL, path, 0, 0,
                                 "fragment scalar %zu is '%s', the experiment's '%s'", j,
                                 out_reader_scalar_name(r, j), res->names[j]);
        if (rc == SIM_OK)
            memcpy(res->values + i * res->ncols, out_reader_scalar_values(r),
                   res->ncols * sizeof(double));
        out_reader_close(r);
        free(path);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* Ctrl-C (or a scheduler's SIGTERM, or SIGHUP from a closed terminal or
 * dropped connection, unless started ignoring it, as nohup does) during
 * the runs or the merge: remove
 * the temporary files being written (the runs' fragments, the merge's
 * file) and the lock file, and say how many finished runs are kept and
 * the command that goes on from them; when the runs kept none, remove the
 * fragments directory (and a directory the command made for OUT, when
 * that empties it: compare's FILE.h5.arms) and say that nothing is kept.
 * A handler may only call async-signal-safe functions, so the message
 * parts and the paths are composed beforehand (with the signals blocked
 * while they change); the handler counts the finished fragments with
 * stat() and writes the number by hand. They are the one piece of process
 * state here. */
static char interrupt_msg[2 * PATH_MAX + 320];   /* "\nvouchsim: interrupted" */
static char interrupt_tail[2 * PATH_MAX + 8192]; /* after the count: kept where, how to go on */
static char interrupt_none[PATH_MAX + 200];      /* nothing kept; "" in the merge */
static char interrupt_frag[PATH_MAX + 32];       /* "PARTS/run-" */
static size_t interrupt_fraglen;                 /* strlen of the "PARTS/run-" prefix */
static char interrupt_parts[PATH_MAX + 32];      /* "PARTS" */
static char interrupt_parent[PATH_MAX];          /* the plan's parent directory, "" when none */
static size_t interrupt_n;                       /* runs of the plan; 0: no count */
static char interrupt_tmp[PATH_MAX];     /* the merge's temporary file, "" when none */
static char interrupt_lock[PATH_MAX];    /* the lock file, "" when none */

/* The handler counts fragments one stat() each: up to this many runs. */
enum { INTERRUPT_COUNT_MAX = 1000000 };

/* Decimal digits of v into buf (async-signal-safe); returns the length. */
static size_t put_u(char *buf, size_t v, size_t minw)
{
    char d[32];
    size_t n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < sizeof d);
    while (n < minw && n < sizeof d)
        d[n++] = '0';
    for (size_t i = 0; i < n; i++)
        buf[i] = d[n - 1 - i];
    return n;
}

static void put_s(const char *s)
{
    ssize_t n = write(2, s, strlen(s));
    (void)n;
}

/* The fragments directory is gone, and the plan's parent with it when
 * that emptied it: 1. When the parent holds more (compare's other arm), the
 * fragments directory is made again, for the message that names it: 0. */
static int interrupt_rmdir(void)
{
    if (rmdir(interrupt_parts) != 0)
        return 0;
    if (!interrupt_parent[0] || rmdir(interrupt_parent) == 0)
        return 1;
    mkdir(interrupt_parts, 0777);
    return 0;
}

static void on_interrupt(int sig)
{
    out_writer_tmp_unlink_all();        /* the fragments being written, the merge's file */
    if (interrupt_tmp[0])
        unlink(interrupt_tmp);
    if (interrupt_lock[0])
        unlink(interrupt_lock);
    size_t k = 0;
    if (interrupt_n) {
        /* the finished runs: PARTS/run-NNNN.h5 (runner_part_path) */
        for (size_t i = 0; i < interrupt_n; i++) {
            char *p = interrupt_frag + interrupt_fraglen;
            p += put_u(p, i, 4);
            memcpy(p, ".h5", 4);
            struct stat st;
            k += stat(interrupt_frag, &st) == 0 && S_ISREG(st.st_mode);
        }
    }
    /* Nothing kept: no finished run (uncounted: an empty directory). */
    if (interrupt_none[0] && k == 0 && interrupt_rmdir()) {
        put_s(interrupt_none);
        _exit(128 + sig);
    }
    put_s(interrupt_msg);
    if (interrupt_n) {
        char num[80] = ": ";
        size_t o = 2;
        o += put_u(num + o, k, 1);
        memcpy(num + o, " of ", 4), o += 4;
        o += put_u(num + o, interrupt_n, 1);
        memcpy(num + o, interrupt_n == 1 ? " run" : " runs", interrupt_n == 1 ? 5 : 6);
        o += interrupt_n == 1 ? 4 : 5;
        num[o] = '\0';
        put_s(num);
    }
    put_s(interrupt_tail);
    _exit(128 + sig);
}

static void block_interrupts(int block)
{
    sigset_t set;
    sigemptyset(&set);
    for (int k = 0; k < CMD_STOP_SIGNALS; k++)
        sigaddset(&set, cmd_stop_signals[k]);
    pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* Appends to buf (of n bytes) the arguments as a shell reads them back:
 * a word of safe characters as it is, any other in single quotes.
 * Returns 0, or -1 when it does not fit. */
static int put_word(char *buf, size_t n, const char *w)
{
    size_t o = strlen(buf);
    if (o + 2 >= n)
        return -1;
    buf[o] = ' ';
    if (cmd_shell_word(buf + o + 1, n - o - 1, w, 0) < 0) {
        buf[o] = '\0';
        return -1;
    }
    return 0;
}

/* "vouchsim CMD --resume ARGS..." for the command line argv (argv[0] is
 * the command's name; "vouchsim" as invoked, cmd_program_word), --resume
 * right after the name so that it is read as an option even after a "--";
 * as given when it already holds --resume (or a prefix of it, --resu...).
 * "" when it does not fit. */
static void resume_command(int argc, char **argv, char *buf, size_t n)
{
    cmd_program_word(buf, n);
    if (argc < 1 || !argv) {
        buf[0] = '\0';
        return;
    }
    int has = 0, ends = 0;
    for (int i = 1; i < argc; i++) {
        ends |= !strcmp(argv[i], "--");
        if (!ends && strlen(argv[i]) >= 6 && !strncmp(argv[i], "--resume", strlen(argv[i])))
            has = 1;
    }
    int bad = put_word(buf, n, argv[0]);
    if (!has)
        bad |= put_word(buf, n, "--resume");
    for (int i = 1; i < argc && !bad; i++)
        bad |= put_word(buf, n, argv[i]);
    if (bad)
        buf[0] = '\0';
}

/* Sets the message for an interruption in the runs (out NULL) or in the
 * merge into out, of the n runs of the command line argv; parent: see
 * exp_plan. */
static void interrupt_say(const char *parts, const char *parent, const char *out, size_t n,
                          int argc, char **argv)
{
    char cmd[8192];
    resume_command(argc, argv, cmd, sizeof cmd);
    if (!cmd_text_plain(cmd))
        cmd[0] = '\0';     /* printed escaped, it would not name the same files */
    const char *tail = cmd[0] ? ":\n" : "\n";
    block_interrupts(1);
    snprintf(interrupt_frag, sizeof interrupt_frag, "%s/run-", parts);
    interrupt_fraglen = strlen(interrupt_frag);
    snprintf(interrupt_parts, sizeof interrupt_parts, "%s", parts);
    if (!parent || snprintf(interrupt_parent, sizeof interrupt_parent, "%s", parent)
                   >= (int)sizeof interrupt_parent)
        interrupt_parent[0] = '\0';
    interrupt_n = out || n > INTERRUPT_COUNT_MAX
                  || interrupt_fraglen + 40 > sizeof interrupt_frag ? 0 : n;
    /* a new line only after a progress line, which only a terminal shows */
    const char *nl = isatty(2) ? "\n" : "";
    /* the paths escaped (the handler can only write); then the command,
     * whole, on a line of its own */
    size_t o, room = cmd[0] ? strlen(cmd) + 4 : 0;
    if (out) {
        cmd_compose(interrupt_msg, sizeof interrupt_msg, nl, "", "vouchsim: interrupted while "
                    "merging the runs into %s, which was not written", out);
        o = cmd_compose(interrupt_tail, sizeof interrupt_tail - room, "", tail,
                        "; all %zu finished runs are kept in %s/; to merge them, run the same "
                        "command with --resume", n, parts);
        interrupt_none[0] = '\0';
    } else {
        snprintf(interrupt_none, sizeof interrupt_none, "%svouchsim: interrupted before a run "
                 "finished: nothing is kept (the same command starts over)\n", nl);
        snprintf(interrupt_msg, sizeof interrupt_msg, "%svouchsim: interrupted", nl);
        o = cmd_compose(interrupt_tail, sizeof interrupt_tail - room, "", tail,
                        "%s finished and kept in %s/; to go on from them, run the same command "
                        "with --resume", interrupt_n ? "" : ": the runs", parts);
    }
    if (cmd[0])
        snprintf(interrupt_tail + o, sizeof interrupt_tail - o, "  %s\n", cmd);
    block_interrupts(0);
}

/* The dispositions catch_interrupts replaced (SIGHUP stays ignored when
 * it was: nohup); release_interrupts puts them back. */
static struct sigaction interrupt_old[CMD_STOP_SIGNALS];
static int interrupt_caught;

static void catch_interrupts(const char *parts, const char *parent, size_t n, int argc,
                             char **argv)
{
    interrupt_say(parts, parent, NULL, n, argc, argv);
    if (interrupt_caught)
        return;
    cmd_stop_catch(on_interrupt, 0, interrupt_old);
    interrupt_caught = 1;
}

static void release_interrupts(void)
{
    if (interrupt_caught)
        cmd_stop_release(interrupt_old);
    interrupt_caught = 0;
}

/* ---- the output's lock ---- */

/* "DIR/.NAME.lock" for out "DIR/NAME" (malloc'd). */
static char *lock_path(const char *out)
{
    const char *slash = strrchr(out, '/');
    int dirlen = slash ? (int)(slash - out + 1) : 0;
    size_t n = strlen(out) + 8;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%.*s.%s.lock", dirlen, out, out + dirlen);
    return p;
}

enum { LOCK_NONE = -2 };         /* the file system has no locks: unlocked */

/* Takes the lock of out: an fcntl write lock on its lock file, which holds
 * the process id. Fails (SIM_EIO) at once when another process holds it,
 * naming it. Released by lock_release or when the process ends, however
 * it ends. Returns the descriptor, LOCK_NONE, or -1. */
static int lock_take(const char *out, const char *path, sim_err *err)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) {
            const char *slash = strrchr(out, '/');
            int dirlen = slash ? (slash == out ? 1 : (int)(slash - out)) : 0;
            sim_err_set(err, SIM_EIO, out, 0, 0, "cannot write in directory '%.*s': %s",
                        dirlen ? dirlen : 1, dirlen ? out : ".", strerror(errno));
            return -1;
        }
        struct flock fl;
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        if (fcntl(fd, F_SETLK, &fl) != 0) {
            int e = errno;
            if (e == ENOLCK || e == ENOSYS || e == EOPNOTSUPP || e == EINVAL) {
                /* A file system without locks (some network mounts): go on
                 * as vouchsim did before it locked, and say so. */
                close(fd);
                unlink(path);
                cmd_printf(stderr, "vouchsim: warning: %s: cannot lock (%s): do not run two "
                           "commands on this output at once", out, strerror(e));
                fputc('\n', stderr);
                return LOCK_NONE;
            }
            if (e != EACCES && e != EAGAIN) {
                close(fd);
                sim_err_set(err, SIM_EIO, path, 0, 0, "cannot lock: %s", strerror(e));
                return -1;
            }
            long pid = 0;
            memset(&fl, 0, sizeof fl);
            fl.l_type = F_WRLCK;
            fl.l_whence = SEEK_SET;
            if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
                pid = (long)fl.l_pid;
            char buf[32] = "";
            if (pid <= 0 && pread(fd, buf, sizeof buf - 1, 0) > 0)
                pid = strtol(buf, NULL, 10);
            close(fd);
            if (pid > 0)
                sim_err_set(err, SIM_EIO, out, 0, 0,
                            "is being written by process %ld (lock %s); wait for it, or stop it",
                            pid, path);
            else
                sim_err_set(err, SIM_EIO, out, 0, 0,
                            "is being written by another process (lock %s)", path);
            return -1;
        }
        /* The holder before us may have removed the file after we opened
         * it: then our lock is on a file nobody else sees; take it again. */
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev
            && a.st_ino == b.st_ino) {
            char buf[32];
            int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
            if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
                /* the lock holds without the pid in the file */
            }
            return fd;
        }
        close(fd);
    }
    sim_err_set(err, SIM_EIO, path, 0, 0, "cannot lock: the lock file keeps changing");
    return -1;
}

/* Removes the lock file (while still holding it) and releases the lock. */
static void lock_release(int fd, const char *path)
{
    if (fd < 0)
        return;
    block_interrupts(1);
    interrupt_lock[0] = '\0';
    block_interrupts(0);
    unlink(path);
    close(fd);
}

/* Adds to err's message. */
static void err_append(sim_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void err_append(sim_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    size_t n = strlen(err->msg);
    char more[SIM_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(more, sizeof more, fmt, ap);
    va_end(ap);
    sim_text_escape(err->msg + n, sizeof err->msg - n, more);   /* as sim_err_set does */
}

/* ---- the output is not an input ---- */

int exp_output_check(const char *out, const char *const *inputs, size_t n)
{
    struct stat so, si;
    if (!out || stat(out, &so) != 0)
        return EXIT_OK;         /* nothing there yet: cannot be an input */
    for (size_t i = 0; i < n; i++)
        if (inputs[i] && stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev
            && si.st_ino == so.st_ino) {
            cmd_error("%s: is the input scenario %s; choose another output file with -o",
                      out, inputs[i]);
            return EXIT_INPUT;
        }
    return EXIT_OK;
}

/* The finished fragments in parts (run-NNNN.h5 files). */
static size_t parts_count(const char *parts)
{
    DIR *d = opendir(parts);
    if (!d)
        return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        n += !strncmp(e->d_name, "run-", 4) && len > 7 && !strcmp(e->d_name + len - 3, ".h5");
    }
    closedir(d);
    return n;
}

int exp_output_exists(const char *out, sim_err *err)
{
    struct stat st;
    if (stat(out, &st) != 0 || !S_ISREG(st.st_mode))
        return SIM_OK;
    char when[32] = "";
    struct tm tm;
    if (localtime_r(&st.st_mtime, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    return sim_err_set(err, SIM_EINVAL, out, 0, 0, "exists (%.1f MB, written %s): --force "
                       "replaces it, or write elsewhere with -o", (double)st.st_size / 1e6, when);
}

/* Refuses to start over an earlier command's output without --force: a
 * finished file (an interrupted command never leaves one), or finished
 * runs in the fragments directory without --resume. Rank 0, holding the
 * lock (so a command still running is reported as such, not as this). */
static int output_free_at(const char *out, int resume, const char *parts, sim_err *err)
{
    size_t n = resume ? 0 : parts_count(parts);
    if (n)
        return sim_err_set(err, SIM_EINVAL, parts, 0, 0, "holds %zu finished run%s of an "
                           "interrupted command: --resume continues it, --force starts over",
                           n, n == 1 ? "" : "s");
    struct stat st;
    if (resume && stat(out, &st) == 0 && S_ISREG(st.st_mode))
        return sim_err_set(err, SIM_EINVAL, out, 0, 0, "is complete: nothing to resume "
                           "(--force runs it again, or write elsewhere with -o)");
    return exp_output_exists(out, err);
}

/* Whether the file at out holds this plan's runs: as many under /runs,
 * and the first and last with the plan's run ids (which cover the
 * scenario, seed, replication, horizon and version; see runner.h). */
static int output_holds_plan(const exp_plan *x)
{
    char **names = NULL;
    size_t n = 0;
    if (out_file_children(x->out, "/runs", &names, &n) != 0)
        return 0;
    out_strv_free(names, n);
    if (n != x->n || n == 0)
        return 0;
    int same = 1;
    size_t ends[2] = { 0, n - 1 };
    for (int k = 0; k < 2 && same; k++) {
        char obj[32], want[RUNNER_ID_TEXT];
        snprintf(obj, sizeof obj, "/runs/%04zu", ends[k]);
        runner_id_text(x->specs[ends[k]].run_id, want);
        char *id = out_file_attr_string(x->out, obj, "run_id");
        same = id && !strcmp(id, want);
        free(id);
    }
    return same;
}

static int output_free(const exp_plan *x, const char *parts, sim_err *err)
{
    struct stat st;
    if (!x->force && x->resume && parts_count(parts) == 0 && stat(x->out, &st) == 0
        && S_ISREG(st.st_mode) && !output_holds_plan(x))
        return sim_err_set(err, SIM_EINVAL, x->out, 0, 0, "holds other runs than this "
                           "command's (another scenario, seed, number of runs, horizon or "
                           "version), and nothing is left to resume: --force replaces it, or "
                           "write elsewhere with -o");
    return x->force ? SIM_OK : output_free_at(x->out, x->resume, parts, err);
}

/* Whether another process holds out's lock (is writing it now). */
static int lock_busy(const char *out)
{
    char *path = lock_path(out);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    free(path);
    if (fd < 0)
        return 0;
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    int busy = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return busy;
}

/* See experiment.h. */
int exp_output_free(const char *out, int resume, int force, sim_err *err)
{
    if (force || !out || lock_busy(out))   /* a command writing it: the plan says so */
        return SIM_OK;
    size_t len = strlen(out) + sizeof ".parts";
    char *parts = malloc(len);
    if (!parts)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    snprintf(parts, len, "%s.parts", out);
    int rc = output_free_at(out, resume, parts, err);
    free(parts);
    return rc;
}

/* ---- the merge: FILE.h5 from the fragments, on rank 0 ---- */

/* Drops the merge's temporary file. */
static void merge_abandon(out_writer *w)
{
    block_interrupts(1);
    out_writer_close(w, 0, NULL);
    interrupt_tmp[0] = '\0';
    block_interrupts(0);
}

/* Opens OUT's temporary file (the signal handler learns its name) and
 * writes the header. lock: the HDF5 lock shared with the fragment writers
 * of this process while runs go on; NULL: the writer's own. */
static out_writer *merge_open(const exp_plan *x, pthread_mutex_t *lock, size_t node_cpus,
                              sim_err *err)
{
    block_interrupts(1);        /* the handler must know the temporary file */
    out_writer *w = out_writer_open_locked(x->out, lock, err);
    if (w)
        snprintf(interrupt_tmp, sizeof interrupt_tmp, "%s", out_writer_tmp_path(w));
    block_interrupts(0);
    if (!w)
        return NULL;
    /* The statistics use --jobs threads too; under MPI the other ranks only
     * wait for this merge, so rank 0 takes the CPUs of the ranks on its
     * node (node_cpus, see par_node_cpus; 0: every core). */
    out_writer_threads(w, x->nranks > 1 ? (unsigned)node_cpus : x->jobs);
    if (exp_write_header(w, x->doc, x->cfg, x->argc, x->argv, x->reps, err) != SIM_OK
        || (x->nranks > 1 && out_attr_int(w, "mpi_ranks", (int64_t)x->nranks, err) != SIM_OK)) {
        merge_abandon(w);
        return NULL;
    }
    return w;
}

/* Copies into w the runs that done (NULL: none) does not mark, in run
 * order. */
static int merge_copy(const exp_plan *x, const char *parts, out_writer *w,
                      const unsigned char *done, sim_err *err)
{
    int first = 1;
    for (size_t i = 0; i < x->n; i++) {
        if (done && done[i])
            continue;
        char *path = runner_part_path(parts, i);
        if (!path)
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        int rc = out_run_copy(w, i, path, err);
        free(path);
        if (rc != SIM_OK)
            return rc;
        if (first && getenv("VOUCHSIM_TEST_TERM_IN_MERGE"))
            raise(SIGTERM);     /* test hook: a scheduler's SIGTERM in mid-merge */
        first = 0;
    }
    return SIM_OK;
}

/* The end of w: scalars, statistics, the plan's extra tables; then the
 * file is committed (or, on failure, dropped). */
static int merge_end(const exp_plan *x, out_writer *w, runner_result *res, sim_err *err)
{
    int rc;
    if ((rc = exp_finish(w, res, x->n, err)) != SIM_OK
        || (x->extra && (rc = x->extra(w, res, x->extra_ctx, err)) != SIM_OK)) {
        merge_abandon(w);
        return rc;
    }
    /* Signals wait until the file is in place or removed; then the
     * default action (a signal now leaves a whole file and the fragments,
     * which the next command removes). */
    block_interrupts(1);
    rc = out_writer_close(w, 1, err);
    interrupt_tmp[0] = '\0';
    release_interrupts();
    block_interrupts(0);
    return rc;
}

/* Rank 0: FILE.h5 from the fragments. */
static int merge(const exp_plan *x, const char *parts, runner_result *res, size_t node_cpus,
                 sim_err *err)
{
    interrupt_say(parts, NULL, x->out, x->n, x->argc, x->argv);
    out_writer *w = merge_open(x, NULL, node_cpus, err);
    if (!w)
        return err && err->code ? err->code : SIM_EIO;
    int rc = merge_copy(x, parts, w, NULL, err);
    if (rc != SIM_OK) {
        merge_abandon(w);
        return rc;
    }
    return merge_end(x, w, res, err);
}

/* ---- copying while the ranks run ----
 * Under MPI, copying the fragments into OUT is most of what rank 0 does
 * alone at the end, while the other ranks wait. So a thread of rank 0
 * copies them as they appear, while the runs go on (its HDF5 calls under
 * the lock of this process's fragment writers): those --resume kept, then
 * in the order the runs start (runner_order), so that it rarely waits for
 * one run while later ones are finished; at the end only the runs it has
 * not reached, the scalars and the statistics are left. The order of the
 * copies changes where the bytes lie in OUT, not its groups or datasets.
 * A fragment is renamed into place when whole, so one that exists is
 * finished (rank 0 removed the stale ones first). */
typedef struct copier {
    const exp_plan *x;
    const char     *parts;
    out_writer     *w;
    size_t         *seq;        /* [nseq]: runs in the order to copy them */
    size_t          nseq;
    unsigned char  *copied;     /* [n] */
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    int             over;       /* 1: the runs are over; 2: give up */
    size_t          next;       /* position in seq */
    int             prepared;   /* out_series_stats_prepare was called */
    int             rc;
    sim_err         err;
    const par_cpuset *cpus;     /* where the copier may run (the node's ranks' CPUs) */
} copier;

static void *copy_early(void *arg)
{
    copier *c = arg;
    /* The main thread takes the signals. */
    block_interrupts(1);
    /* Not only on rank 0's own CPU: where a rank has finished its runs,
     * or the scheduler finds room (no CPU outside this job's on the node) */
    par_cpus_apply(c->cpus, NULL);
    pthread_mutex_lock(&c->mu);
    while (c->over == 0 && c->next < c->nseq) {
        size_t run = c->seq[c->next];
        char *path = runner_part_path(c->parts, run);
        if (!path) {
            c->rc = sim_err_set(&c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        if (access(path, F_OK) != 0) {
            free(path);
            if (!c->prepared && c->copied[0]) {
                /* Waiting anyway: the statistics' outputs now, not in the
                 * merge at the end, where the other ranks wait for them
                 * (0.025 s of one CPU for the default scenario's 57
                 * series). They come from run 0's series. */
                c->prepared = 1;
                pthread_mutex_unlock(&c->mu);
                sim_err e;
                sim_err_clear(&e);
                int rc = out_series_stats_prepare(c->w, c->x->n, &e);
                pthread_mutex_lock(&c->mu);
                if (rc != SIM_OK) {
                    c->rc = rc;
                    c->err = e;
                    break;
                }
                continue;
            }
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 20000000L;                    /* look again in 20 ms */
            if (ts.tv_nsec >= 1000000000L)
                ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            pthread_cond_timedwait(&c->cv, &c->mu, &ts);
            continue;
        }
        pthread_mutex_unlock(&c->mu);
        sim_err e;
        sim_err_clear(&e);
        int rc = out_run_copy(c->w, run, path, &e);
        free(path);
        pthread_mutex_lock(&c->mu);
        if (rc != SIM_OK) {
            c->rc = rc;
            c->err = e;
            break;
        }
        c->copied[run] = 1;
        c->next++;
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Stops the copier (give_up: at once; otherwise once the copy in hand is
 * done) and waits for it; its error, if any, in err. */
static int copier_stop(copier *c, pthread_t tid, int give_up, sim_err *err)
{
    pthread_mutex_lock(&c->mu);
    c->over = give_up ? 2 : 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(tid, NULL);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    if (c->rc != SIM_OK && err)
        *err = c->err;
    return c->rc;
}

/* Fails early, before any run, when out cannot be written: a directory,
 * a directory that does not exist or is not writable. */
static int check_output(const char *out, sim_err *err)
{
    struct stat st;
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return sim_err_set(err, SIM_EIO, out, 0, 0, "is a directory, not a file name");
    out_writer *w = out_writer_open(out, err);     /* makes and removes a temporary file */
    if (!w)
        return err && err->code ? err->code : SIM_EIO;
    return out_writer_close(w, 0, err);
}

int exp_run(const exp_plan *x, runner_result *res, sim_err *err)
{
    int rc = SIM_OK;
    unsigned rank = par_rank(), nranks = par_size();
    char *parts = NULL, *lockp = NULL;
    int lockfd = -1, made_parts = 0, refused = 0;
    /* Rank 0 copies fragments into OUT during the runs (see copier). */
    int early_copy = nranks > 1 && par_threads_ok();
    copier cp;
    memset(&cp, 0, sizeof cp);
    unsigned char *skip = calloc(x->n ? x->n : 1, 1);
    memset(res, 0, sizeof *res);
    /* Collective: the CPUs of the ranks on rank 0's node, for its copier
     * and its merge (launchers bind each rank to its own CPUs). */
    par_cpuset node;
    size_t node_cpus = par_node_cpus(&node);
    if (!skip)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (x->out) {
        size_t len = strlen(x->out) + 8;
        if (!(parts = malloc(len)) || !(lockp = lock_path(x->out))) {
            free(parts);
            free(skip);
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        snprintf(parts, len, "%s.parts", x->out);
        if (rank == 0) {
            struct stat st;
            if (stat(x->out, &st) == 0 && S_ISDIR(st.st_mode))
                rc = sim_err_set(err, SIM_EIO, x->out, 0, 0, "is a directory, not a file name");
            else if ((lockfd = lock_take(x->out, lockp, err)) == -1)
                rc = err && err->code ? err->code : SIM_EIO;
            else if (lockfd >= 0) {
                block_interrupts(1);
                snprintf(interrupt_lock, sizeof interrupt_lock, "%s", lockp);
                block_interrupts(0);
            }
            if (rc == SIM_OK && (rc = output_free(x, parts, err)) != SIM_OK)
                refused = 1;    /* an earlier command's: touch nothing */
            else if (rc == SIM_OK && (rc = check_output(x->out, err)) != SIM_OK)
                ;
            else if (rc == SIM_OK && !(made_parts = mkdir(parts, 0777) == 0) && errno != EEXIST)
                rc = sim_err_set(err, SIM_EIO, parts, 0, 0, "cannot create directory: %s",
                                 strerror(errno));
            else if (rc == SIM_OK) {
                if (!x->resume)
                    parts_clean(parts, 0);
            }
            /* Holding the lock: temporary files of this output that other
             * processes left (killed in a merge or a run) are stale. */
            size_t stale = 0;
            if (rc == SIM_OK && lockfd >= 0) {
                const char *slash = strrchr(x->out, '/');
                char *dir = slash ? strndup(x->out, slash == x->out ? 1 : (size_t)(slash - x->out))
                                  : strdup(".");
                char *prefix = malloc(strlen(x->out) + 2);
                if (dir && prefix) {
                    snprintf(prefix, strlen(x->out) + 2, ".%s", slash ? slash + 1 : x->out);
                    stale = stale_clean(dir, prefix) + stale_clean(parts, NULL);
                }
                free(dir);
                free(prefix);
            }
            size_t reused = 0, other = 0;
            for (size_t i = 0; rc == SIM_OK && x->resume && i < x->n; i++) {
                char *p = runner_part_path(parts, i);
                skip[i] = p && fragment_matches(p, x->specs[i].run_id);
                reused += skip[i];
                struct stat fst;
                other += p && !skip[i] && stat(p, &fst) == 0 && S_ISREG(fst.st_mode);
                if (p && !skip[i] && early_copy)
                    unlink(p);      /* to be run again: the copier must not take it */
                free(p);
            }
            if (rc == SIM_OK && x->resume && !x->quiet) {
                cmd_printf(stderr, "vouchsim: resume: %zu of %zu runs done already in %s",
                           reused, x->n, parts);
                /* finished runs of another command: said, as they are lost */
                if (other)
                    fprintf(stderr, "; %zu finished run%s there belong%s to another command "
                            "(another scenario, --set, --seed, --until, --totals-only or "
                            "version): %s run again", other, other == 1 ? "" : "s",
                            other == 1 ? "s" : "", other == 1 ? "it is" : "they are");
                if (stale)
                    fprintf(stderr, "; removed %zu stale temporary file%s", stale,
                            stale == 1 ? "" : "s");
                fputc('\n', stderr);
            }
        }
        rc = par_agree(rc, err);
        if (rc != SIM_OK)
            goto out;
        par_bcast_bytes(skip, x->n);
    }
    const char *stop = getenv("VOUCHSIM_TEST_STOP_AFTER");
    unsigned long long stop_after = 0;
    if (stop && cmd_parse_u64(stop, &stop_after) != 0)
        stop_after = 0;
    pthread_mutex_t h5lock = PTHREAD_MUTEX_INITIALIZER;
    runner_opts ro = { x->jobs, rank == 0 && !x->quiet && isatty(2), parts, skip, nranks,
                       (size_t)stop_after, x->no_series, &h5lock };
    if (parts && rank == 0)
        catch_interrupts(parts, x->parent, x->n, x->argc, x->argv);
    /* Under MPI, rank 0 copies the fragments while the ranks run. */
    pthread_t cp_tid;
    out_writer *early = NULL;
    if (parts && rank == 0 && early_copy) {
        cp.seq = malloc(x->n * sizeof *cp.seq);
        cp.copied = calloc(x->n, 1);
        if (cp.seq && cp.copied) {
            for (size_t i = 0; i < x->n; i++)
                if (skip[i])
                    cp.seq[cp.nseq++] = i;
            cp.nseq += runner_order(x->specs, x->n, skip, cp.seq + cp.nseq);
            early = merge_open(x, &h5lock, node_cpus, NULL);
        }
    }
    if (early) {
        cp.x = x, cp.parts = parts, cp.w = early, cp.cpus = &node;
        pthread_mutex_init(&cp.mu, NULL);
        pthread_cond_init(&cp.cv, NULL);
        if (pthread_create(&cp_tid, NULL, copy_early, &cp) != 0) {
            pthread_mutex_destroy(&cp.mu);
            pthread_cond_destroy(&cp.cv);
            merge_abandon(early);
            early = NULL;       /* the merge at the end does it all */
        }
    }
    rc = runner_run(x->specs, x->n, &ro, res, err);
    size_t copied = 0;
    if (early) {
        /* The copier's own failure (a full disk) counts as this rank's. */
        sim_err cerr;
        int crc = copier_stop(&cp, cp_tid, rc != SIM_OK, &cerr);
        if (rc == SIM_OK && crc != SIM_OK) {
            rc = crc;
            if (err)
                *err = cerr;
        }
        copied = cp.next;
        if (rc != SIM_OK) {
            merge_abandon(early);
            early = NULL;
        }
    }
    if ((rc = par_agree(rc, err)) != SIM_OK) {
        if (early)
            merge_abandon(early);
        goto out;
    }
    res->events = par_sum_u64(res->events);
    res->secs = par_max_double(res->secs);
    if (nranks > 1) {
        /* Each rank holds the rows of its runs; -0.0 elsewhere adds
         * nothing (x + -0.0 is x for every x, -0.0 and NaN included), so
         * the sum is every rank's rows, bit for bit. The runs --resume
         * kept are no rank's: rank 0 reads them from their fragments. */
        for (size_t i = 0; i < x->n; i++)
            if (!res->here[i])
                for (size_t j = 0; j < res->ncols; j++)
                    res->values[i * res->ncols + j] = -0.0;
        par_sum_doubles(res->values, x->n * res->ncols);
        for (size_t i = 0; i < x->n; i++)
            res->here[i] = !skip[i];
    }
    if (!parts)
        goto out;
    if (rank == 0) {
        int show = !x->quiet && isatty(2);
        if (show) {
            fputc('\r', stderr);
            cmd_printf(stderr, "  merging %zu runs into %s ...", x->n, x->out);
        }
        /* The other ranks wait idly now: the statistics' threads (started
         * from this thread) may use their CPUs, until the merge is over. */
        par_cpuset own;
        int widened = par_cpus_apply(&node, &own) == 0;
        if (getenv("VOUCHSIM_TEST_SAY_CPUS"))      /* test hook: tests/mpi.sh */
            fprintf(stderr, "vouchsim: test: CPUs the merge may use: %zu\n",
                    widened ? node_cpus : (size_t)0);
        rc = collect(parts, x->n, res, err);
        if (early) {
            interrupt_say(parts, NULL, x->out, x->n, x->argc, x->argv);
            if (copied > 0 && getenv("VOUCHSIM_TEST_TERM_IN_MERGE"))
                raise(SIGTERM);     /* test hook: a scheduler's SIGTERM in mid-merge */
            if (rc == SIM_OK)
                rc = merge_copy(x, parts, early, cp.copied, err);
            if (rc == SIM_OK)
                rc = merge_end(x, early, res, err);
            else
                merge_abandon(early);
        } else if (rc == SIM_OK) {
            rc = merge(x, parts, res, node_cpus, err);
        }
        if (widened)
            par_cpus_apply(&own, NULL);
        if (rc == SIM_OK)
            parts_clean(parts, 1);
        if (show)
            fputs("\r\033[K", stderr);
    }
    rc = par_agree(rc, err);
    if (rc == SIM_OK)
        par_bcast_bytes(res->values, x->n * res->ncols * sizeof(double));
out:
    if (rc != SIM_OK) {
        /* A run that failed leaves nothing behind but what --resume had
         * kept: the fragments of a directory this command did not make.
         * One that is interrupted (a signal, a killed job) never gets
         * here, and --resume picks up its fragments. Nothing is touched
         * without the lock: the output may be another process's. */
        if (parts && rank == 0 && lockfd != -1 && !refused) {
            if (x->resume && !made_parts) {
                parts_clean_some(parts, 1);
                size_t kept = 0;
                for (size_t i = 0; i < x->n; i++) {
                    char *p = runner_part_path(parts, i);
                    kept += p && access(p, F_OK) == 0;
                    free(p);
                }
                if (kept)
                    err_append(err, "; %zu finished run%s kept in %s/ for --resume", kept,
                                   kept == 1 ? "" : "s", parts);
                else
                    rmdir(parts);
            } else {
                parts_clean(parts, 1);
            }
        }
        runner_result_fini(res);
    }
    if (parts && rank == 0)
        release_interrupts();
    lock_release(lockfd, lockp);
    free(lockp);
    free(parts);
    free(skip);
    free(cp.seq);
    free(cp.copied);
    return rc;
}

uint64_t exp_run_id(const scn_doc *doc, const config *cfg, uint64_t rep)
{
    char *text = scn_dump(doc);
    uint64_t id = runner_run_id(text ? text : "", cfg->seed, rep, cfg->horizon_h,
                                PACKAGE_VERSION);
    free(text);
    return id;
}

int exp_run_ids(const scn_doc *doc, const config *cfg, unsigned reps, uint64_t *ids)
{
    char *text = scn_dump(doc);
    if (!text)
        return SIM_ENOMEM;
    uint64_t h = runner_text_hash(text);
    free(text);
    for (unsigned r = 0; r < reps; r++)
        ids[r] = runner_run_id_hashed(h, cfg->seed, r, cfg->horizon_h, PACKAGE_VERSION);
    return SIM_OK;
}

static void iso_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int exp_write_header(out_writer *w, const scn_doc *doc, const config *cfg,
                     int argc, char **argv, unsigned reps, sim_err *err)
{
    int rc;
    char buf[64], host[256] = "";
    char *text = scn_dump(doc);
    if (!text)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    size_t cmdlen = 1;
    for (int i = 0; i < argc; i++)
        cmdlen += strlen(argv[i]) + 1;
    char *cmdline = calloc(1, cmdlen + 9);
    if (!cmdline) {
        free(text);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    strcpy(cmdline, "vouchsim");
    for (int i = 0; i < argc; i++) {
        strcat(cmdline, " ");
        strcat(cmdline, argv[i]);
    }
    iso_now(buf, sizeof buf);
    gethostname(host, sizeof host - 1);
    char start[16];
    scn_format_date(cfg->start_day, start, sizeof start);
    if ((rc = out_attr_string(w, "scenario", text, err)) ||
        (rc = out_attr_string(w, "scenario_name", cfg->name, err)) ||
        (rc = out_attr_string(w, "scenario_path", scn_doc_path(doc), err)) ||
        (rc = out_attr_int(w, "seed", (int64_t)cfg->seed, err)) ||
        (rc = out_attr_int(w, "replications", (int64_t)reps, err)) ||
        (rc = out_attr_string(w, "vouchsim_version", PACKAGE_VERSION, err)) ||
        (rc = out_attr_string(w, "command", cmdline, err)) ||
        (rc = out_attr_string(w, "started", buf, err)) ||
        (rc = out_attr_string(w, "host", host, err)) ||
        (rc = out_attr_string(w, "start_date", start, err)) ||
        (rc = out_attr_double(w, "horizon_h", cfg->horizon_h, err)) ||
        (rc = out_attr_double(w, "warmup_h", cfg->warmup_h, err)) ||
        (rc = out_attr_double(w, "cooldown_h", cfg->cooldown_h, err)) ||
        (rc = out_attr_double(w, "sample_h", cfg->sample_h, err)) ||
        (rc = out_attr_string(w, "routing", config_route_name(cfg->routing), err)))
        goto out;
    rc = runner_write_header(w, cfg, err);
out:
    free(text);
    free(cmdline);
    return rc;
}

int exp_finish(out_writer *w, const runner_result *res, size_t nruns, sim_err *err)
{
    char buf[64];
    int rc = out_scalars_write(w, nruns, res->ncols, (const char *const *)res->names,
                               (const char *const *)res->units,
                               (const char *const *)res->descs, res->values, err);
    if (rc == SIM_OK)
        rc = out_series_stats_write(w, nruns, err);
    iso_now(buf, sizeof buf);
    if (rc == SIM_OK)
        rc = out_attr_string(w, "finished", buf, err);
    return rc;
}

void exp_report(const char *what, const runner_result *res, size_t nruns, size_t resumed,
                const char *from, const char *file)
{
    char runs[PATH_MAX + 96];
    if (resumed)
        snprintf(runs, sizeof runs, "%zu run%s (%zu resumed from %s, %zu run now)", nruns,
                 nruns == 1 ? "" : "s", resumed, from ? from : "an earlier command",
                 nruns - resumed);
    else
        snprintf(runs, sizeof runs, "%zu run%s", nruns, nruns == 1 ? "" : "s");
    cmd_error("%s: %s, events=%llu, secs=%.3f, events_per_sec=%.0f%s%s",
              what, runs, (unsigned long long)res->events, res->secs,
              res->secs > 0 ? (double)res->events / res->secs : 0.0,
              file ? ", wrote " : "", file ? file : "");
}

size_t exp_resumed(const runner_result *res, size_t n)
{
    if (!res->here)
        return n;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !res->here[i];
    return k;
}
