/* sim/rng.h - reproducible random-number streams for GSL's distributions.
 *
 * A stream is named by three numbers: the run's seed, the replication, and
 * a stream id the model chooses (one per firm, per data center, per
 * purpose). The triple is hashed (splitmix64) into the 256-bit state of a
 * xoshiro256** generator, which is exposed as a gsl_rng so that every GSL
 * distribution (gsl_ran_exponential, gsl_ran_lognormal, ...) draws from it.
 * Streams are cheap (40 bytes, no heap), so a model can give every entity
 * its own; the same triple always yields the same numbers on any machine,
 * thread or MPI rank, which is what replications and paired comparisons
 * on common random numbers rest on. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

typedef struct sim_rng {
    gsl_rng  g;        /* pass &r.g (or sim_rng_gsl) to gsl_ran_* */
    uint64_t s[4];     /* xoshiro256** state */
} sim_rng;

/* The GSL generator type behind every stream ("xoshiro256**"). */
extern const gsl_rng_type *const sim_rng_xoshiro256ss;

/* Sets r to the start of stream (seed, rep, stream). No allocation; r is
 * ready for gsl_ran_* through sim_rng_gsl(r). A copied sim_rng must be
 * re-pointed with sim_rng_rebind. */
void sim_rng_init(sim_rng *r, uint64_t seed, uint64_t rep, uint64_t stream);

/* After copying a sim_rng by value, points its gsl_rng at its own state. */
void sim_rng_rebind(sim_rng *r);

static inline gsl_rng *sim_rng_gsl(sim_rng *r) { return &r->g; }

/* Combines two numbers into one stream id (for ids built from parts such as
 * (city, firm number)); a good 64-bit mix, not a bijection. */
uint64_t sim_rng_mix(uint64_t a, uint64_t b);

/* A stream id from a name (FNV-1a, 64 bits), so that an entity keeps its
 * streams when others are added to, removed from or reordered in a list. */
uint64_t sim_rng_key(const char *name);

/* Raw 64 bits and a double in [0, 1), for code that does not need GSL. */
uint64_t sim_rng_u64(sim_rng *r);
double   sim_rng_uniform(sim_rng *r);

#endif
