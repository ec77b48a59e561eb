/* sim/rng.c - xoshiro256** as a GSL generator type, seeded by splitmix64.
 *
 * xoshiro256** (Blackman and Vigna, 2018): period 2^256 - 1, passes
 * BigCrush, 4 words of state. Seeding hashes (seed, rep, stream) through
 * splitmix64 so that neighbouring triples give unrelated states. */
#include "sim/rng.h"

#include <string.h>

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t next(uint64_t *s)
{
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* GSL's interface: get() returns values in [min, max]; we give the top 32
 * bits, as GSL's integer routines expect a 32-bit generator here, and a full
 * 53-bit double from get_double(). */
static unsigned long xo_get(void *vstate)
{
    return (unsigned long)(next(vstate) >> 32);
}

static double xo_get_double(void *vstate)
{
    return (double)(next(vstate) >> 11) * 0x1.0p-53;
}

static void seed_state(uint64_t *s, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        s[i] = splitmix64(&x);
    if (!(s[0] | s[1] | s[2] | s[3]))
        s[0] = 1;   /* the all-zero state is the one fixed point */
}

static void xo_set(void *vstate, unsigned long s)
{
    seed_state(vstate, (uint64_t)s);
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**",
    0xffffffffUL,
    0,
    4 * sizeof(uint64_t),
    xo_set,
    xo_get,
    xo_get_double
};

const gsl_rng_type *const sim_rng_xoshiro256ss = &xoshiro_type;

uint64_t sim_rng_mix(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ 0x6a09e667f3bcc909ULL;
    uint64_t h = splitmix64(&x);
    x = h ^ b;
    return splitmix64(&x);
}

uint64_t sim_rng_key(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 0x100000001b3ULL;
    return h;
}

void sim_rng_init(sim_rng *r, uint64_t seed, uint64_t rep, uint64_t stream)
{
    seed_state(r->s, sim_rng_mix(sim_rng_mix(seed, rep), stream));
    sim_rng_rebind(r);
}

void sim_rng_rebind(sim_rng *r)
{
    r->g.type = &xoshiro_type;
    r->g.state = r->s;
}

uint64_t sim_rng_u64(sim_rng *r)
{
    return next(r->s);
}

double sim_rng_uniform(sim_rng *r)
{
    return (double)(next(r->s) >> 11) * 0x1.0p-53;
}
