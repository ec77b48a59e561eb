/* tools/par.c - MPI when built with it and launched by mpirun/srun (see par.h). */
#include "tools/par.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int par_agree(int rc, sim_err *err)
{
    if (!running() || par_size() == 1)
        return rc;
    int me = (int)par_rank(), n = (int)par_size();
    int mine = rc != SIM_OK ? me : n, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == n)
        return SIM_OK;
    sim_err e;
    sim_err_clear(&e);
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

#else   /* one process, one rank */

void par_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}

void par_finalize(void) {}
unsigned par_rank(void) { return 0; }
unsigned par_size(void) { return 1; }
int par_agree(int rc, sim_err *err) { (void)err; return rc; }
void par_sum_doubles(double *v, size_t n) { (void)v; (void)n; }
uint64_t par_sum_u64(uint64_t v) { return v; }
double par_max_double(double v) { return v; }
void par_bcast_bytes(void *buf, size_t n) { (void)buf; (void)n; }

#endif
