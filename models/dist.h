/* models/dist.h - probability distributions named in scenarios.
 *
 * A dist is a small value (kind and two parameters) drawn through GSL from
 * any gsl_rng, so each entity can draw from its own stream. Scenario form
 * (config.c parses it; values may carry units such as 30d or 5M):
 *     hours: 24                                     fixed
 *     hours: {dist: uniform, min: 12, max: 36}
 *     hours: {dist: exponential, mean: 24}
 *     hours: {dist: lognormal, median: 24, sigma: 0.8}
 *     hours: {dist: lognormal, mean: 24, sd: 30}
 *     hours: {dist: gamma, mean: 24, sd: 10}
 *     hours: {dist: normal, mean: 24, sd: 5}        (negative draws -> 0)
 *     hours: {dist: triangular, min: 1, mode: 5, max: 20}
 */
#ifndef MODELS_DIST_H
#define MODELS_DIST_H

#include <gsl/gsl_rng.h>

typedef enum {
    DIST_FIXED = 0,      /* a = value */
    DIST_UNIFORM,        /* a = min, b = max */
    DIST_EXPONENTIAL,    /* a = mean */
    DIST_LOGNORMAL,      /* a = mu, b = sigma of the underlying normal */
    DIST_GAMMA,          /* a = shape k, b = scale theta */
    DIST_NORMAL,         /* a = mean, b = sd; clipped at 0 */
    DIST_TRIANGULAR      /* a = min, b = max, c = mode */
} dist_kind;

typedef struct dist {
    dist_kind kind;
    double    a, b, c;
} dist;

static inline dist dist_fixed(double v) { dist d = { DIST_FIXED, v, 0.0, 0.0 }; return d; }

/* One draw. */
double dist_draw(const dist *d, gsl_rng *r);

/* The distribution's mean (before clipping, for normal). */
double dist_mean(const dist *d);

/* Kind names as written in scenarios ("lognormal"); -1 when unknown. */
const char *dist_kind_name(dist_kind k);
int dist_kind_from_name(const char *name);

#endif
