/* sim/select.h - selecting the best of k simulated systems with a
 * guarantee: the KN procedure and a sequential feasibility check.
 *
 * Pure statistics, no I/O and no simulation: the caller runs replications
 * and feeds their outputs in; the procedures say which systems still need
 * more and, at the end, which one is chosen.
 *
 * KN (Kim and Nelson 2001, "A fully sequential procedure for
 * indifference-zone selection in simulation", ACM TOMACS 11(3)) selects
 * the system with the largest mean. It allows common random numbers
 * between systems (it estimates the variance of each pairwise difference).
 * With normal outputs, if the best mean exceeds every other by at least
 * the indifference zone delta, it selects the best with probability at
 * least 1 - alpha. Setup (c = 1):
 *   eta = 1/2 [ (2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1 ],  h2 = 2 eta (n0 - 1);
 *   S2_il = sample variance of X_i - X_l over the first n0 replications.
 * At r >= n0 observations per surviving system, system i is eliminated
 * when its mean falls below X_l(r) - W_il(r) for some other survivor l,
 *   W_il(r) = max(0, delta / (2 r) (h2 S2_il / delta^2 - r)),
 * and one more replication of each survivor follows. The procedure stops
 * at one survivor; W_il is 0 from r = h2 S2_il / delta^2 on, so no system
 * needs more than max_l h2 S2_il / delta^2 + 1 replications
 * (sim_kn_max_reps). Survivors with the same outputs in every replication
 * (S2 = 0 and equal means) cannot be told apart: the procedure stops with
 * them all surviving and chooses the first.
 *
 * The feasibility check is the same triangular continuation region applied
 * to one system against a bound (Andradottir and Kim 2010, "Fully
 * sequential procedures for comparing constrained systems via simulation",
 * Naval Research Logistics 57(5), procedure F): constraint c of system i
 * holds when E[Y_ic] <= 0. With tolerance eps_c, after r >= n0
 * observations with sum T = Y_1 + ... + Y_r and first-stage variance S2,
 *   R(r) = max(0, h2 S2 / (2 eps) - eps r / 2);
 * T <= -R(r) declares it feasible, T >= R(r) infeasible, otherwise one more
 * replication. Every (system, constraint) test gets error beta = alpha /
 * (k s) (Bonferroni), eta = 1/2 [(2 beta)^(-2/(n0-1)) - 1]: with normal
 * outputs, if every mean is at least eps away from its bound, all k x s
 * decisions are right with probability at least 1 - alpha. A system is
 * infeasible as soon as one constraint is declared so.
 *
 * Together (feasibility at alpha1, then KN at alpha2 among the systems
 * declared feasible, reusing their replications in order) the chosen
 * system is the best feasible one with probability at least 1 - alpha1 -
 * alpha2 (both events hold at once; Bonferroni), under both assumptions. */
#ifndef SIM_SELECT_H
#define SIM_SELECT_H

#include <stddef.h>

#include "sim/err.h"

/* ---- KN: the largest mean ---- */

typedef struct sim_kn sim_kn;

/* k >= 1 systems, first stage n0 >= 2, 0 < alpha < 1 (the probability of
 * an incorrect selection allowed), delta > 0. Returns NULL and fills err
 * (SIM_EINVAL, SIM_ENOMEM). */
sim_kn *sim_kn_new(size_t k, unsigned n0, double alpha, double delta, sim_err *err);
void sim_kn_free(sim_kn *kn);

/* Appends the next observation of system i, which must be alive and have
 * fewer observations than the others' current round needs. SIM_EINVAL for
 * a non-finite x or a system that was eliminated. */
int sim_kn_add(sim_kn *kn, size_t i, double x);

/* Screens once every alive system has r >= n0 observations (the same r):
 * computes the variances at r == n0, eliminates, and decides whether the
 * procedure is done. Returns the number of survivors, or 0 when the
 * observations are not complete for this round (nothing changes). */
size_t sim_kn_screen(sim_kn *kn);

int      sim_kn_done(const sim_kn *kn);          /* 1 when a system is chosen */
size_t   sim_kn_best(const sim_kn *kn);          /* the chosen system (when done) */
int      sim_kn_alive(const sim_kn *kn, size_t i);
/* The round r at which system i was eliminated (0 while alive). */
size_t   sim_kn_eliminated_at(const sim_kn *kn, size_t i);
/* The observations the procedure needs of every survivor now. */
size_t   sim_kn_round(const sim_kn *kn);
size_t   sim_kn_count(const sim_kn *kn, size_t i);   /* observations of i */
double   sim_kn_mean(const sim_kn *kn, size_t i);    /* their mean */
double   sim_kn_h2(const sim_kn *kn);             /* KN++: at the latest screen */
/* After the first screen: the most observations any system can need,
 * max over pairs of floor(h2 S2_il / delta^2) + 1 (at least n0). */
size_t   sim_kn_max_reps(const sim_kn *kn);
/* Among the survivors, the one with the largest mean (the first on ties):
 * what to report when the procedure is stopped early by a budget. */
size_t   sim_kn_leader(const sim_kn *kn);

/* KN++ (Kim and Nelson 2006, "On the asymptotic validity of fully
 * sequential selection procedures for steady-state simulation", Operations
 * Research 54(3)): KN with variance updating. At every screen r > n0 the
 * variances S2_il(r) of the differences are re-estimated from all r
 * observations and h2(r) = 2 eta (r - 1) with eta = 1/2 [(2 beta)^(-2/(r-1))
 * - 1], beta = 1 - (1 - alpha)^(1/(k-1)). Its guarantee is asymptotic (PCS
 * >= 1 - alpha as delta -> 0, for i.i.d. normal or, with batching,
 * steady-state outputs), not exact for a finite n0 as KN's is; it usually
 * stops sooner, since a first stage that overestimates a variance is
 * corrected. The same calls as KN. */
sim_kn *sim_knpp_new(size_t k, unsigned n0, double alpha, double delta, sim_err *err);

/* The constant eta of KN for a single comparison at error beta with first
 * stage n0: 1/2 [(2 beta)^(-2/(n0-1)) - 1]. */
double sim_select_eta(double beta, unsigned n0);

/* ---- sequential feasibility check ---- */

typedef struct sim_feas sim_feas;

enum { SIM_FEAS_UNDECIDED = 0, SIM_FEAS_FEASIBLE = 1, SIM_FEAS_INFEASIBLE = -1 };

/* k systems, s >= 1 constraints with tolerances eps[s] > 0 (copied), first
 * stage n0 >= 2, 0 < alpha < 1. */
sim_feas *sim_feas_new(size_t k, size_t s, unsigned n0, double alpha, const double *eps,
                       sim_err *err);
void sim_feas_free(sim_feas *f);

/* Appends the next observation y[s] of system i (constraint c holds when
 * the mean of y[c] is <= 0) and decides what it can. SIM_EINVAL for a
 * non-finite value or a system already decided. */
int sim_feas_add(sim_feas *f, size_t i, const double *y);

int    sim_feas_status(const sim_feas *f, size_t i);            /* SIM_FEAS_* */
int    sim_feas_constraint(const sim_feas *f, size_t i, size_t c);
size_t sim_feas_count(const sim_feas *f, size_t i);
double sim_feas_h2(const sim_feas *f);

#endif
