/* tools/par.c - MPI when built with it and launched by mpirun/srun (see par.h). */
#ifdef __linux__
#define _GNU_SOURCE             /* sched_getaffinity, sched_setaffinity */
#include <sched.h>
#endif
#include "tools/par.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"

#ifdef HAVE_MPI
#include <mpi.h>

/* Whether MPI is running (initialised and not finalised). */
static int running(void)
{
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    return init && !fin;
}

void par_init(int *argc, char ***argv)
{
    static const char *const launched[] = { "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK",
                                            "PMI_SIZE", NULL };
    int by_launcher = 0;
    for (int i = 0; launched[i]; i++)
        by_launcher |= getenv(launched[i]) != NULL;
    if (!by_launcher)
        return;
    if (par_prefer_shared_memory())
        setenv("OMPI_MCA_pml", "ob1", 1);
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    if (par_rank() != 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return;
    }
}

void par_finalize(void)
{
    if (running())
        MPI_Finalize();
}

unsigned par_rank(void)
{
    int r = 0;
    if (running())
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return (unsigned)r;
}

unsigned par_size(void)
{
    int n = 1;
    if (running())
        MPI_Comm_size(MPI_COMM_WORLD, &n);
    return (unsigned)n;
}

/* Waits for req, sleeping between tests: a rank that waits here (for rank
 * 0's merge, or for the others' last runs) leaves its core to the ranks
 * that work, where a blocking MPI call would poll at full speed. */
static void wait_idly(MPI_Request *req)
{
    struct timespec nap = { 0, 1000000 };   /* 1 ms */
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        nanosleep(&nap, NULL);
    }
}

int par_agree(int rc, sim_err *err)
{
    if (!running() || par_size() == 1)
        return rc;
    int me = (int)par_rank(), n = (int)par_size();
    int mine = rc != SIM_OK ? me : n, first;
    MPI_Request req;
    MPI_Iallreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &req);
    wait_idly(&req);
    if (first == n)
        return SIM_OK;
    sim_err e;
    memset(&e, 0, sizeof e);    /* all of it is broadcast */
    if (me == first) {
        if (err)
            e = *err;
        if (e.code == SIM_OK)
            e.code = rc;
    }
    MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, first, MPI_COMM_WORLD);
    if (first > 0 && me != first)
        sim_err_prefix(&e, "rank %d", first);
    if (err)
        *err = e;
    return e.code ? e.code : SIM_ECHECK;
}

void par_sum_doubles(double *v, size_t n)
{
    if (running() && par_size() > 1 && n)
        MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

uint64_t par_sum_u64(uint64_t v)
{
    uint64_t out = v;
    if (running() && par_size() > 1)
        MPI_Allreduce(&v, &out, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    return out;
}

double par_max_double(double v)
{
    double out = v;
    if (running() && par_size() > 1)
        MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    return out;
}

void par_bcast_bytes(void *buf, size_t n)
{
    if (running() && par_size() > 1 && n)
        MPI_Bcast(buf, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
}

int par_threads_ok(void)
{
    int level = MPI_THREAD_SINGLE;
    if (!running())
        return 1;
    MPI_Query_thread(&level);
    return level >= MPI_THREAD_FUNNELED;
}

struct par_counter {
    MPI_Win  win;
    int64_t *base;      /* the counter itself on rank 0; unused elsewhere */
};

par_counter *par_counter_new(void)
{
    if (!running() || par_size() == 1)
        return NULL;
    par_counter *c = calloc(1, sizeof *c);
    int ok = c != NULL, all;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all) {
        free(c);
        return NULL;
    }
    /* Errors come back as codes on this window, not as an abort, so that
     * a library without one-sided support leaves the runs unshared. */
    MPI_Aint size = par_rank() == 0 ? (MPI_Aint)sizeof(int64_t) : 0;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    ok = MPI_Win_allocate(size, (int)sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &c->base,
                          &c->win) == MPI_SUCCESS;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all) {
        /* Freeing is collective over a window some rank lacks: a window
         * made here stays, unused, to MPI_Finalize. */
        free(c);
        return NULL;
    }
    if (par_rank() == 0) {
        /* The window's memory is set inside an access epoch, as the
         * separate memory model requires. */
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, c->win);
        *c->base = 0;
        MPI_Win_unlock(0, c->win);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Win_lock_all(MPI_MODE_NOCHECK, c->win);
    return c;
}

uint64_t par_counter_add(par_counter *c, uint64_t add)
{
    int64_t inc = (int64_t)add, before = 0;
    MPI_Fetch_and_op(&inc, &before, MPI_INT64_T, 0, 0, MPI_SUM, c->win);
    MPI_Win_flush(0, c->win);
    return (uint64_t)before;
}

void par_progress(void)
{
    int flag;
    if (running() && par_size() > 1)
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
}

size_t par_node_cpus(par_cpuset *set)
{
    memset(set, 0, sizeof *set);
    if (!running() || par_size() == 1)
        return 0;
    unsigned char mine[sizeof set->bits];
    memset(mine, 0, sizeof mine);
#ifdef __linux__
    _Static_assert(sizeof(cpu_set_t) == sizeof set->bits, "par_cpuset holds a cpu_set_t");
    cpu_set_t cs;
    if (sched_getaffinity(0, sizeof cs, &cs) == 0)
        memcpy(mine, &cs, sizeof mine);
#endif
    /* the ranks on rank 0's node: key 0 keeps MPI_COMM_WORLD's order, so
     * rank 0 is rank 0 of its node too */
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Reduce(mine, set->bits, (int)sizeof mine, MPI_BYTE, MPI_BOR, 0, node);
    MPI_Comm_free(&node);
    if (par_rank() != 0) {
        memset(set, 0, sizeof *set);
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < sizeof set->bits; i++)
        n += (size_t)__builtin_popcount(set->bits[i]);
    return n;
}

void par_counter_free(par_counter *c)
{
    if (!c)
        return;
    /* The ranks that are done wait here for the others' last runs: idly. */
    MPI_Request req;
    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    wait_idly(&req);
    MPI_Win_unlock_all(c->win);
    MPI_Win_free(&c->win);
    free(c);
}

#else   /* one process, one rank */

void par_init(int *argc, char ***argv)
{
    long n = par_launched_size();
    const char *alone = getenv("VOUCHSIM_IGNORE_LAUNCHER");
    if (n > 1 && !(alone && !strcmp(alone, "1")) && par_command_runs(*argc, *argv)) {
        if (par_launched_rank() == 0)
            fprintf(stderr, "vouchsim: started as one of %ld processes (by mpirun or srun), but "
                            "this vouchsim was built without MPI: each process would run the "
                            "whole command and write the same files. Run it once, without the "
                            "launcher, or build with ./configure --with-mpi (processes that "
                            "each run a command of their own: VOUCHSIM_IGNORE_LAUNCHER=1)\n", n);
        exit(2);
    }
}

void par_finalize(void) {}
unsigned par_rank(void) { return 0; }
unsigned par_size(void) { return 1; }
int par_agree(int rc, sim_err *err) { (void)err; return rc; }
void par_sum_doubles(double *v, size_t n) { (void)v; (void)n; }
uint64_t par_sum_u64(uint64_t v) { return v; }
double par_max_double(double v) { return v; }
void par_bcast_bytes(void *buf, size_t n) { (void)buf; (void)n; }
int par_threads_ok(void) { return 1; }
par_counter *par_counter_new(void) { return NULL; }
uint64_t par_counter_add(par_counter *c, uint64_t add) { (void)c; (void)add; return 0; }
void par_progress(void) {}
void par_counter_free(par_counter *c) { (void)c; }
size_t par_node_cpus(par_cpuset *set) { memset(set, 0, sizeof *set); return 0; }

#endif

int par_cpus_apply(const par_cpuset *set, par_cpuset *old)
{
    size_t any = 0;
    for (size_t i = 0; i < sizeof set->bits; i++)
        any |= set->bits[i];
    if (old)
        memset(old, 0, sizeof *old);
    if (!any)
        return -1;
#ifdef __linux__
    cpu_set_t cs, was;              /* pid 0: the calling thread */
    memcpy(&cs, set->bits, sizeof cs);
    if (sched_getaffinity(0, sizeof was, &was) != 0 || sched_setaffinity(0, sizeof cs, &cs) != 0)
        return -1;
    if (old)
        memcpy(old->bits, &was, sizeof old->bits);
    return 0;
#else
    return -1;
#endif
}

int par_command_runs(int argc, char **argv)
{
    static const char *const runs[] = { "run", "compare", "sweep", "optimize", NULL };
    if (argc < 2)
        return 0;
    for (int i = 0; runs[i]; i++)
        if (!strcmp(argv[1], runs[i])) {
            for (int k = 2; k < argc; k++)       /* its --help writes nothing */
                if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h"))
                    return 0;
            return 1;
        }
    return 0;
}

/* The first of the variables that is a whole number, or -1. */
static long env_number(const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        const char *v = getenv(names[i]);
        if (!v || !*v)
            continue;
        char *end;
        long n = strtol(v, &end, 10);
        if (!*end && n >= 0)
            return n;
    }
    return -1;
}

long par_launched_size(void)
{
    static const char *const size[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                        "SLURM_STEP_NUM_TASKS", NULL };
    long n = env_number(size);
    return n < 0 ? 0 : n;
}

long par_launched_rank(void)
{
    static const char *const rank[] = { "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK",
                                        "SLURM_PROCID", NULL };
    long r = env_number(rank);
    return r < 0 ? 0 : r;
}

int par_prefer_shared_memory(void)
{
    static const char *const size[] = { "OMPI_COMM_WORLD_SIZE", NULL };
    static const char *const local[] = { "OMPI_COMM_WORLD_LOCAL_SIZE", NULL };
    const char *pml = getenv("OMPI_MCA_pml");
    if (pml && *pml)
        return 0;
    long n = env_number(size);
    return n >= 1 && env_number(local) == n;
}
