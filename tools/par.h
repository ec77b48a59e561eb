/* tools/par.h - the few MPI operations run, compare and sweep need.
 *
 * Built with --with-mpi (HAVE_MPI) and started by mpirun or srun, the
 * process is one rank of many: par_init calls MPI_Init and the functions
 * below are collectives over MPI_COMM_WORLD, which every rank must call in
 * the same order. Otherwise (no MPI in the build, or a plain start without
 * a launcher) there is one rank and they are no-ops. Only the main thread
 * calls them. Keeps no state of its own: MPI knows whether it runs. */
#ifndef TOOLS_PAR_H
#define TOOLS_PAR_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* Starts MPI when the process was launched by mpirun/srun (the launcher's
 * environment says so); on ranks other than 0, stdout and stderr go to
 * /dev/null so that only rank 0 prints. */
void par_init(int *argc, char ***argv);
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

#endif
