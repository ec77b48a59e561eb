/* sim/select.c - KN selection of the best and a sequential feasibility
 * check (see select.h for the procedures and their guarantees).
 *
 * Both keep only the first-stage observations (for the variances) and
 * running sums; the caller owns the replications and their order. */
#include "sim/select.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double sim_select_eta(double beta, unsigned n0)
{
    return 0.5 * (pow(2.0 * beta, -2.0 / ((double)n0 - 1.0)) - 1.0);
}

/* ---- KN ---- */

struct sim_kn {
    size_t    k;
    unsigned  n0;
    double    delta;
    double    h2;
    double   *first;       /* [k x n0] first-stage observations */
    double   *sum;         /* [k] */
    size_t   *count;       /* [k] */
    size_t   *elim;        /* [k] round of elimination, 0: alive */
    double   *s2;          /* [k x k] variance of X_i - X_l (first stage; KN++: so far) */
    /* KN++ (variance updating) */
    int       update;
    double    beta;        /* 1 - (1 - alpha)^(1/(k-1)) */
    double   *last;        /* [k] the latest observation */
    double   *pm, *pm2;    /* [k x k] running mean and sum of squares of X_i - X_l */
    size_t    round;       /* observations every survivor needs now */
    int       have_s2;
    int       done;
    size_t    best;
    size_t    max_reps;
};

sim_kn *sim_kn_new(size_t k, unsigned n0, double alpha, double delta, sim_err *err)
{
    if (k < 1 || n0 < 2 || !(alpha > 0.0 && alpha < 1.0) || !(delta > 0.0) || !isfinite(delta)) {
        sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                    "KN needs k >= 1 systems, n0 >= 2, 0 < alpha < 1 and delta > 0 "
                    "(got k=%zu, n0=%u, alpha=%g, delta=%g)", k, n0, alpha, delta);
        return NULL;
    }
    if (k > 100000) {
        sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "KN: at most 100000 systems, got %zu", k);
        return NULL;
    }
    sim_kn *kn = calloc(1, sizeof *kn);
    if (!kn)
        goto oom;
    kn->k = k;
    kn->n0 = n0;
    kn->delta = delta;
    kn->h2 = k > 1 ? 2.0 * sim_select_eta(alpha / (double)(k - 1), n0) * ((double)n0 - 1.0) : 0.0;
    kn->round = n0;
    kn->first = malloc(k * n0 * sizeof *kn->first);
    kn->sum = calloc(k, sizeof *kn->sum);
    kn->count = calloc(k, sizeof *kn->count);
    kn->elim = calloc(k, sizeof *kn->elim);
    kn->s2 = malloc(k * k * sizeof *kn->s2);
    if (!kn->first || !kn->sum || !kn->count || !kn->elim || !kn->s2)
        goto oom;
    return kn;
oom:
    sim_kn_free(kn);
    sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    return NULL;
}

void sim_kn_free(sim_kn *kn)
{
    if (!kn)
        return;
    free(kn->first);
    free(kn->sum);
    free(kn->count);
    free(kn->elim);
    free(kn->s2);
    free(kn->last);
    free(kn->pm);
    free(kn->pm2);
    free(kn);
}

int sim_kn_add(sim_kn *kn, size_t i, double x)
{
    if (i >= kn->k || kn->elim[i] || kn->done || kn->count[i] >= kn->round || !isfinite(x))
        return SIM_EINVAL;
    if (kn->count[i] < kn->n0)
        kn->first[i * kn->n0 + kn->count[i]] = x;
    if (kn->last)
        kn->last[i] = x;
    kn->sum[i] += x;
    kn->count[i]++;
    return SIM_OK;
}

static void kn_variances(sim_kn *kn)
{
    size_t k = kn->k, n0 = kn->n0;
    size_t most = n0;
    for (size_t i = 0; i < k; i++) {
        kn->s2[i * k + i] = 0.0;
        for (size_t l = i + 1; l < k; l++) {
            double m = 0.0;
            for (size_t j = 0; j < n0; j++)
                m += kn->first[i * n0 + j] - kn->first[l * n0 + j];
            m /= (double)n0;
            double ss = 0.0;
            for (size_t j = 0; j < n0; j++) {
                double d = kn->first[i * n0 + j] - kn->first[l * n0 + j] - m;
                ss += d * d;
            }
            double v = ss / ((double)n0 - 1.0);
            kn->s2[i * k + l] = kn->s2[l * k + i] = v;
            if (kn->update) {
                kn->pm[i * k + l] = m;
                kn->pm2[i * k + l] = ss;
            }
            double need = floor(kn->h2 * v / (kn->delta * kn->delta)) + 1.0;
            if (need > (double)most)
                most = need > 1e15 ? (size_t)1e15 : (size_t)need;
        }
    }
    kn->max_reps = most;
    kn->have_s2 = 1;
}

/* KN++ at round r > n0: the variance of every pair of survivors with
 * their latest observations (Welford's update), and h2 for r - 1 degrees
 * of freedom. */
static void knpp_update(sim_kn *kn)
{
    size_t k = kn->k;
    double r = (double)kn->round;
    for (size_t i = 0; i < k; i++) {
        if (kn->elim[i])
            continue;
        for (size_t l = i + 1; l < k; l++) {
            if (kn->elim[l])
                continue;
            double d = kn->last[i] - kn->last[l];
            double *m = &kn->pm[i * k + l], *m2 = &kn->pm2[i * k + l];
            double e = d - *m;
            *m += e / r;
            *m2 += e * (d - *m);
            kn->s2[i * k + l] = kn->s2[l * k + i] = *m2 / (r - 1.0);
        }
    }
    kn->h2 = k > 1 ? 2.0 * sim_select_eta(kn->beta, kn->round) * (r - 1.0) : 0.0;
}

static double kn_w(const sim_kn *kn, size_t i, size_t l, double r)
{
    double d = kn->delta;
    double w = d / (2.0 * r) * (kn->h2 * kn->s2[i * kn->k + l] / (d * d) - r);
    return w > 0.0 ? w : 0.0;
}

size_t sim_kn_screen(sim_kn *kn)
{
    size_t k = kn->k, alive = 0;
    if (kn->done)
        return 1;
    for (size_t i = 0; i < k; i++)
        if (!kn->elim[i]) {
            if (kn->count[i] != kn->round)
                return 0;
            alive++;
        }
    if (!kn->have_s2)
        kn_variances(kn);
    else if (kn->update)
        knpp_update(kn);
    double r = (double)kn->round;
    /* every comparison is against the survivors before this screen: those
     * alive and those eliminated in it (elim == round) */
    size_t rd = kn->round;
    for (size_t i = 0; i < k; i++) {
        if (kn->elim[i])
            continue;
        double xi = kn->sum[i] / r;
        for (size_t l = 0; l < k; l++) {
            if (l == i || (kn->elim[l] && kn->elim[l] != rd))
                continue;
            if (xi < kn->sum[l] / r - kn_w(kn, i, l, r)) {
                kn->elim[i] = rd;
                alive--;
                break;
            }
        }
    }
    /* W = 0 for every pair of survivors: their means are equal (else the
     * lower would be out), and with S2 = 0 they stay so */
    int all_zero = 1;
    for (size_t i = 0; i < k && all_zero; i++)
        for (size_t l = i + 1; l < k && all_zero && !kn->elim[i]; l++)
            if (!kn->elim[l] && kn_w(kn, i, l, r) > 0.0)
                all_zero = 0;
    if (alive == 1 || all_zero) {
        /* one left, or ties that no number of replications separates */
        kn->done = 1;
        kn->best = sim_kn_leader(kn);
    } else {
        kn->round++;
    }
    return alive;
}

int sim_kn_done(const sim_kn *kn) { return kn->done; }
size_t sim_kn_best(const sim_kn *kn) { return kn->best; }
int sim_kn_alive(const sim_kn *kn, size_t i) { return i < kn->k && !kn->elim[i]; }
size_t sim_kn_eliminated_at(const sim_kn *kn, size_t i) { return kn->elim[i]; }
size_t sim_kn_round(const sim_kn *kn) { return kn->round; }
size_t sim_kn_count(const sim_kn *kn, size_t i) { return kn->count[i]; }
double sim_kn_h2(const sim_kn *kn) { return kn->h2; }
size_t sim_kn_max_reps(const sim_kn *kn) { return kn->have_s2 ? kn->max_reps : kn->n0; }

double sim_kn_mean(const sim_kn *kn, size_t i)
{
    return kn->count[i] ? kn->sum[i] / (double)kn->count[i] : NAN;
}

sim_kn *sim_knpp_new(size_t k, unsigned n0, double alpha, double delta, sim_err *err)
{
    sim_kn *kn = sim_kn_new(k, n0, alpha, delta, err);
    if (!kn)
        return NULL;
    kn->update = 1;
    kn->beta = k > 1 ? -expm1(log1p(-alpha) / (double)(k - 1)) : alpha;
    kn->h2 = k > 1 ? 2.0 * sim_select_eta(kn->beta, n0) * ((double)n0 - 1.0) : 0.0;
    kn->last = calloc(k, sizeof *kn->last);
    kn->pm = calloc(k * k, sizeof *kn->pm);
    kn->pm2 = calloc(k * k, sizeof *kn->pm2);
    if (!kn->last || !kn->pm || !kn->pm2) {
        sim_kn_free(kn);
        sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    return kn;
}

size_t sim_kn_leader(const sim_kn *kn)
{
    size_t best = kn->k;
    double bm = 0.0;
    for (size_t i = 0; i < kn->k; i++) {
        if (kn->elim[i])
            continue;
        double m = sim_kn_mean(kn, i);
        if (best == kn->k || m > bm)
            best = i, bm = m;
    }
    return best;
}

/* ---- feasibility ---- */

struct sim_feas {
    size_t    k, s;
    unsigned  n0;
    double    h2;
    double   *eps;         /* [s] */
    double   *first;       /* [k x s x n0] */
    double   *sum;         /* [k x s] */
    double   *s2;          /* [k x s] */
    size_t   *count;       /* [k] */
    signed char *cstat;    /* [k x s] */
    signed char *status;   /* [k] */
};

sim_feas *sim_feas_new(size_t k, size_t s, unsigned n0, double alpha, const double *eps,
                       sim_err *err)
{
    if (k < 1 || s < 1 || n0 < 2 || !(alpha > 0.0 && alpha < 1.0) || k > 100000 || s > 1000) {
        sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                    "feasibility check needs 1 <= k <= 100000 systems, 1 <= s <= 1000 "
                    "constraints, n0 >= 2 and 0 < alpha < 1 (got k=%zu, s=%zu, n0=%u, "
                    "alpha=%g)", k, s, n0, alpha);
        return NULL;
    }
    for (size_t c = 0; c < s; c++)
        if (!(eps[c] > 0.0) || !isfinite(eps[c])) {
            sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                        "constraint %zu: the tolerance must be a number > 0, got %g", c + 1,
                        eps[c]);
            return NULL;
        }
    sim_feas *f = calloc(1, sizeof *f);
    if (!f)
        goto oom;
    f->k = k;
    f->s = s;
    f->n0 = n0;
    f->h2 = 2.0 * sim_select_eta(alpha / ((double)k * (double)s), n0) * ((double)n0 - 1.0);
    f->eps = malloc(s * sizeof *f->eps);
    f->first = malloc(k * s * n0 * sizeof *f->first);
    f->sum = calloc(k * s, sizeof *f->sum);
    f->s2 = calloc(k * s, sizeof *f->s2);
    f->count = calloc(k, sizeof *f->count);
    f->cstat = calloc(k * s, 1);
    f->status = calloc(k, 1);
    if (!f->eps || !f->first || !f->sum || !f->s2 || !f->count || !f->cstat || !f->status)
        goto oom;
    memcpy(f->eps, eps, s * sizeof *eps);
    return f;
oom:
    sim_feas_free(f);
    sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    return NULL;
}

void sim_feas_free(sim_feas *f)
{
    if (!f)
        return;
    free(f->eps);
    free(f->first);
    free(f->sum);
    free(f->s2);
    free(f->count);
    free(f->cstat);
    free(f->status);
    free(f);
}

int sim_feas_add(sim_feas *f, size_t i, const double *y)
{
    if (i >= f->k || f->status[i] != SIM_FEAS_UNDECIDED)
        return SIM_EINVAL;
    for (size_t c = 0; c < f->s; c++)
        if (!isfinite(y[c]))
            return SIM_EINVAL;
    size_t s = f->s, n0 = f->n0, n = f->count[i];
    for (size_t c = 0; c < s; c++) {
        if (n < n0)
            f->first[(i * s + c) * n0 + n] = y[c];
        f->sum[i * s + c] += y[c];
    }
    n = ++f->count[i];
    if (n < n0)
        return SIM_OK;
    if (n == n0)
        for (size_t c = 0; c < s; c++) {
            const double *x = f->first + (i * s + c) * n0;
            double m = f->sum[i * s + c] / (double)n0, ss = 0.0;
            for (size_t j = 0; j < n0; j++)
                ss += (x[j] - m) * (x[j] - m);
            f->s2[i * s + c] = ss / ((double)n0 - 1.0);
        }
    int all_feasible = 1;
    for (size_t c = 0; c < s; c++) {
        signed char *st = &f->cstat[i * s + c];
        if (*st == SIM_FEAS_UNDECIDED) {
            double e = f->eps[c];
            double r = f->h2 * f->s2[i * s + c] / (2.0 * e) - e * (double)n / 2.0;
            if (r < 0.0)
                r = 0.0;
            double t = f->sum[i * s + c];
            if (t <= -r)
                *st = SIM_FEAS_FEASIBLE;
            else if (t >= r)
                *st = SIM_FEAS_INFEASIBLE;
        }
        if (*st == SIM_FEAS_INFEASIBLE) {
            f->status[i] = SIM_FEAS_INFEASIBLE;
            return SIM_OK;
        }
        if (*st != SIM_FEAS_FEASIBLE)
            all_feasible = 0;
    }
    if (all_feasible)
        f->status[i] = SIM_FEAS_FEASIBLE;
    return SIM_OK;
}

int sim_feas_status(const sim_feas *f, size_t i) { return f->status[i]; }
int sim_feas_constraint(const sim_feas *f, size_t i, size_t c) { return f->cstat[i * f->s + c]; }
size_t sim_feas_count(const sim_feas *f, size_t i) { return f->count[i]; }
double sim_feas_h2(const sim_feas *f) { return f->h2; }
