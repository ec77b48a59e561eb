/* tools/par.h - the few MPI operations run, compare and sweep need.
 *
 * Built with --with-mpi (HAVE_MPI) and started by mpirun or srun, the
 * process is one rank of many: par_init calls MPI_Init and the functions
 * below are collectives over MPI_COMM_WORLD, which every rank must call in
 * the same order. Otherwise (no MPI in the build, or a plain start without
 * a launcher) there is one rank and they are no-ops. Only the main thread
 * calls them (MPI is started with MPI_THREAD_FUNNELED; par_threads_ok
 * says whether the library granted it). Keeps no state of its own: MPI
 * knows whether it runs and at which thread level; a counter is a value
 * the caller holds. */
#ifndef TOOLS_PAR_H
#define TOOLS_PAR_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* Starts MPI when the process was launched by mpirun/srun (the launcher's
 * environment says so); on ranks other than 0, stdout and stderr go to
 * /dev/null so that only rank 0 prints. In a build without MPI, a process
 * that a launcher started as one of several (par_launched_size() > 1) for
 * a command that runs simulations (par_command_runs) exits 2, the first
 * of them with a line that says why: each would run the whole command and
 * write the same files (unless VOUCHSIM_IGNORE_LAUNCHER=1: processes that
 * run commands of their own). Other commands (--version, schema, validate,
 * summary, a command's --help...) go on. */
void par_init(int *argc, char ***argv);
/* Whether the command line runs simulations into an output: run, compare,
 * sweep or optimize, and not their --help. */
int par_command_runs(int argc, char **argv);
/* What the launcher's environment says, whatever the build: the number of
 * processes it started (OMPI_COMM_WORLD_SIZE, PMI_SIZE or
 * SLURM_STEP_NUM_TASKS; 0 when none is set to a number) and this one's
 * rank among them (OMPI_COMM_WORLD_RANK, PMI_RANK, PMIX_RANK or
 * SLURM_PROCID; 0 when none). */
long par_launched_size(void);
long par_launched_rank(void);
/* Whether par_init asks Open MPI for its shared-memory messaging (the
 * ob1 PML, through OMPI_MCA_pml=ob1 before MPI_Init): when mpirun says
 * that every rank runs on this node (OMPI_COMM_WORLD_LOCAL_SIZE equals
 * OMPI_COMM_WORLD_SIZE) and nobody chose a PML (no OMPI_MCA_pml in the
 * environment; `mpirun --mca pml X` sets it). Open MPI's default choice
 * probes the network transports first, which costs each start about
 * 0.2 s (Open MPI 4.1 here). Reads the environment only. */
int par_prefer_shared_memory(void);
/* Ends MPI if par_init started it. */
void par_finalize(void);

unsigned par_rank(void);
unsigned par_size(void);

/* Every rank learns whether all succeeded (rc == SIM_OK on each). When one
 * failed, err on every rank gets the message of the lowest failing rank
 * (prefixed "rank K: " when K > 0) and the return is its code. */
int par_agree(int rc, sim_err *err);

/* Sums n doubles (or one uint64) over the ranks, in place, on every rank. */
void par_sum_doubles(double *v, size_t n);
uint64_t par_sum_u64(uint64_t v);
double par_max_double(double v);

/* Rank 0's n bytes (or doubles) to every rank. */
void par_bcast_bytes(void *buf, size_t n);

/* Whether threads other than the main one may run while MPI does: always
 * without MPI; under MPI when the library granted MPI_THREAD_FUNNELED or
 * more (only the main thread calls MPI). When it did not, the process
 * must stay single-threaded. */
int par_threads_ok(void);

/* A set of CPUs (a cpu_set_t's bits on Linux; empty elsewhere). */
typedef struct par_cpuset {
    unsigned char bits[128];
} par_cpuset;

/* Collective. On rank 0, *set gets the CPUs that the ranks on rank 0's
 * node may run on (the union of their affinity masks, as the launcher
 * bound them) and the return is how many; on other ranks, and with one
 * rank or where the system does not say, 0. While rank 0 merges, the
 * other ranks wait idly: their CPUs are the merge's to use. */
size_t par_node_cpus(par_cpuset *set);
/* Lets the calling thread (and threads it starts later) run on the CPUs
 * of set, from par_node_cpus or an earlier call's old; old (NULL: not
 * wanted) gets the CPUs it could run on before. No MPI call, so any
 * thread may. 0, or -1 (nothing changed, old empty) when set is empty or
 * the system refuses. */
int par_cpus_apply(const par_cpuset *set, par_cpuset *old);

/* A counter shared by all ranks, for dynamic scheduling: each rank takes
 * the next number when it is free. It lives in an MPI window on rank 0
 * and is read and increased with one atomic MPI_Fetch_and_op (passive
 * target: rank 0 need not take part, on one node not even make progress).
 * NULL (and no MPI calls) when there is one rank. */
typedef struct par_counter par_counter;

/* Collective: a counter at 0 on every rank, or NULL with one rank (or when
 * MPI cannot make the window: then the caller shares nothing). */
par_counter *par_counter_new(void);
/* Adds add to the counter, atomically over the ranks, and returns the
 * value before. Not collective; main thread only. */
uint64_t par_counter_add(par_counter *c, uint64_t add);
/* Lets MPI progress other ranks' operations on this rank's memory (rank 0,
 * while its own threads compute and across nodes the transport needs it);
 * cheap; call it every few milliseconds. */
void par_progress(void);
/* Collective: waits (sleeping, not polling) for every rank to get here,
 * then frees the counter (NULL: nothing). */
void par_counter_free(par_counter *c);

#endif
