/* tests/validation/erlang.c - closed forms for M/M/c (Erlang C) and
 * M/M/c+M (Erlang A), and their comparison with a vouchsim output file.
 *
 *   erlang [selftest]
 *       checks the closed forms against independent answers (exit 1 if
 *       not); without arguments too, so that `make check` runs it
 *   erlang check FILE.h5 LABEL C LAMBDA MU THETA SKIP_DAYS [LEVEL]
 *       FILE.h5 holds R replications of one data center of C GPUs fed by
 *       Poisson arrivals of LAMBDA one-GPU jobs per hour with exponential
 *       service of rate MU per hour and exponential patience of rate THETA
 *       per hour (0: nobody gives up). Per replication it estimates
 *         Wq   the mean wait of the jobs that started (scalar mean_wait_east_h),
 *         Pw   the probability of waiting: the share of samples of
 *              datacenter/busy_gpus (after SKIP_DAYS) with all C busy, which
 *              by PASTA is what an arrival sees,
 *         Pab  (THETA > 0) firms_abandoned / firms_arrived (one job a firm),
 *       and holds the closed form to lie inside the Student-t interval at
 *       LEVEL (default 0.95) over the replications. One line per figure:
 *         erlang_c rho=0.900 c=100: Wq 0.02170 h, 95% CI [...], closed form 0.021694: ok
 *       Exit 0 when all hold, 1 when one does not, 2 on bad usage or input.
 *
 * Erlang C uses the Erlang B recursion B_k = a B_{k-1} / (k + a B_{k-1}),
 * C = B / (1 - rho (1 - B)), which neither overflows nor cancels. Erlang A
 * (Mandelbaum and Zeltyn's M/M/n+M) comes from the birth-death chain of
 * the number in system, truncated where its terms fall below e^-60 of the
 * largest: p_n ~ a^n / n! up to c, then times lambda / (c mu + (n - c) theta)
 * for each n past c. An arrival that finds n >= c joins at place
 * k = n - c + 1 and is served with probability S_k = c mu / (c mu + k theta);
 * its expected wait times the indicator of being served is
 * U_k = S_k / (c mu + k theta) + r_k U_{k-1}, r_k = S_k / S_{k-1}. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/reader.h"
#include "sim/stats.h"

typedef struct queue_measures {
    double p_wait;      /* an arrival waits: P(N >= c) */
    double p_abandon;   /* an arrival gives up */
    double wq_served;   /* mean wait of those served, h */
    double wq_all;      /* mean time in queue of all arrivals (Little), h */
    double p_abandon_little; /* theta E[Lq] / lambda, for the self-check */
} queue_measures;

static double erlang_b(unsigned c, double a)
{
    double b = 1.0;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b;
}

/* Erlang C: probability of waiting; *wq the mean wait (h). rho < 1. */
static double erlang_c(unsigned c, double lambda, double mu, double *wq)
{
    double a = lambda / mu, rho = a / c, b = erlang_b(c, a);
    double pc = b / (1.0 - rho * (1.0 - b));
    if (wq)
        *wq = pc / (c * mu - lambda);
    return pc;
}

/* Erlang A from the truncated birth-death chain. theta > 0, or theta = 0
 * with lambda < c mu (then it is Erlang C by another road). 0, or -1 when
 * out of memory or the chain does not converge. */
static int erlang_a(unsigned c, double lambda, double mu, double theta, queue_measures *q)
{
    size_t cap = (size_t)c + 1000000;
    double *lp = malloc(cap * sizeof *lp);
    if (!lp)
        return -1;
    double a = lambda / mu, mx = -INFINITY;
    size_t n = 0;
    for (; n < cap; n++) {
        double v;
        if (n <= c)
            v = n * log(a) - lgamma((double)n + 1.0);
        else
            v = lp[n - 1] + log(lambda) - log(c * mu + (double)(n - c) * theta);
        lp[n] = v;
        if (v > mx)
            mx = v;
        if (n > c && v < mx - 60.0 && v < lp[n - 1])
            break;
    }
    if (n == cap) {
        free(lp);
        return -1;
    }
    size_t top = n;   /* last index kept */
    double z = 0.0;
    for (size_t i = 0; i <= top; i++)
        z += exp(lp[i] - mx);
    double served = 0.0, wserved = 0.0, pwait = 0.0, lq = 0.0;
    double s_prev = 1.0, u_prev = 0.0;
    for (size_t i = 0; i <= top; i++) {
        double p = exp(lp[i] - mx) / z;
        if (i < c) {
            served += p;
            continue;
        }
        double k = (double)(i - c + 1), nu = c * mu + k * theta;
        double s = c * mu / nu;
        double u = s / nu + (s / s_prev) * u_prev;
        served += p * s;
        wserved += p * u;
        pwait += p;
        lq += p * (double)(i - c);
        s_prev = s;
        u_prev = u;
    }
    free(lp);
    q->p_wait = pwait;
    q->p_abandon = 1.0 - served;
    q->wq_served = wserved / served;
    q->wq_all = lq / lambda;
    q->p_abandon_little = theta * lq / lambda;
    return 0;
}

static int near(const char *what, double got, double want, double tol)
{
    int ok = fabs(got - want) <= tol;
    printf("selftest %s: %.9g, want %.9g (tol %.1g): %s\n", what, got, want, tol,
           ok ? "ok" : "FAIL");
    return ok;
}

/* Independent answers: C(100, 90) and C(200, 194) from the defining sum
 * in exact fractions (Python's fractions module); M/M/1
* (C = rho); theta = mu, where the number in system is Poisson(a) (every
 * job leaves at rate mu, waiting or not); Erlang A tending to Erlang C as
 * theta -> 0; and the two roads to P(abandon) agreeing. */
static int selftest(void)
{
    int ok = 1;
    double wq;
    double pc = erlang_c(100, 90.0, 1.0, &wq);
    ok &= near("erlang_c(100, 90) P(wait)", pc, 0.21694048090636638, 1e-12);
    ok &= near("erlang_c(100, 90) Wq", wq, 0.021694048090636638, 1e-13);
    pc = erlang_c(200, 194.0, 1.0, &wq);
    ok &= near("erlang_c(200, 194) P(wait)", pc, 0.5660871085658089, 1e-12);
    ok &= near("erlang_c(200, 194) Wq", wq, 0.09434785142763481, 1e-13);
    ok &= near("erlang_c(1, 0.7) = rho", erlang_c(1, 0.7, 1.0, &wq), 0.7, 1e-12);
    ok &= near("erlang_c(1, 0.7) Wq = rho/(mu-lambda)", wq, 0.7 / 0.3, 1e-12);
    ok &= near("erlang_b(2, 1) = 1/5", erlang_b(2, 1.0), 0.2, 1e-12);

    queue_measures q;
    unsigned c = 10;
    double a = 8.0;
    if (erlang_a(c, a, 1.0, 1.0, &q) != 0)
        return 0;
    double tail = 0.0, excess = 0.0, pn = exp(-a);
    for (unsigned n = 0; n < 400; n++) {
        if (n >= c) {
            tail += pn;
            excess += (n - c) * pn;
        }
        pn *= a / (n + 1);
    }
    ok &= near("erlang_a theta=mu P(wait) = Poisson tail", q.p_wait, tail, 1e-12);
    ok &= near("erlang_a theta=mu P(ab) = theta E[(N-c)+] / lambda", q.p_abandon,
               excess / a, 1e-12);

    double pc2 = erlang_c(100, 90.0, 1.0, &wq);
    if (erlang_a(100, 90.0, 1.0, 1e-9, &q) != 0)
        return 0;
    ok &= near("erlang_a theta->0 P(wait) -> Erlang C", q.p_wait, pc2, 1e-6);
    ok &= near("erlang_a theta->0 Wq -> Erlang C", q.wq_served, wq, 1e-6);

    if (erlang_a(100, 120.0, 1.0, 2.0, &q) != 0)
        return 0;
    ok &= near("erlang_a(100, 120, theta 2) P(ab) two ways", q.p_abandon,
               q.p_abandon_little, 1e-9);
    /* Overloaded by 20: at least 20/120 of arrivals must give up, and the
     * fluid limit says barely more. */
    ok &= near("erlang_a(100, 120, theta 2) P(ab) near fluid 1/6", q.p_abandon, 1.0 / 6.0, 0.01);
    puts(ok ? "selftest: ok" : "selftest: FAIL");
    return ok;
}

/* Column j of the scalar table named name, or -1. */
static long scalar_col(const out_reader *r, const char *name)
{
    for (size_t j = 0; j < out_reader_scalar_cols(r); j++)
        if (!strcmp(out_reader_scalar_name(r, j), name))
            return (long)j;
    return -1;
}

/* Prints one figure's line; returns 1 when want is inside the interval. */
static int judge(const char *label, const char *fig, const char *unit, const sim_welford *w,
                 double level, double want)
{
    double h = sim_welford_ci(w, level);
    double lo = w->mean - h, hi = w->mean + h;
    int ok = want >= lo && want <= hi;
    printf("%s: %s %.5g%s%s, %g%% CI [%.5g, %.5g] over %llu runs, closed form %.6g: %s\n",
           label, fig, w->mean, *unit ? " " : "", unit, 100.0 * level, lo, hi,
           (unsigned long long)w->n, want, ok ? "ok" : "FAIL");
    return ok;
}

static int check(int argc, char **argv)
{
    if (argc < 9 || argc > 10) {
        fputs("usage: erlang check FILE.h5 LABEL C LAMBDA MU THETA SKIP_DAYS [LEVEL]\n", stderr);
        return 2;
    }
    const char *path = argv[2], *label = argv[3];
    unsigned c = (unsigned)strtoul(argv[4], NULL, 10);
    double lambda = strtod(argv[5], NULL), mu = strtod(argv[6], NULL);
    double theta = strtod(argv[7], NULL), skip_h = 24.0 * strtod(argv[8], NULL);
    double level = argc == 10 ? strtod(argv[9], NULL) : 0.95;
    if (c == 0 || !(lambda > 0) || !(mu > 0) || !(theta >= 0) || (theta == 0 && lambda >= c * mu)) {
        fputs("erlang: need C >= 1, LAMBDA, MU > 0, THETA >= 0 (and LAMBDA < C MU without patience)\n", stderr);
        return 2;
    }
    queue_measures q;
    if (theta > 0) {
        if (erlang_a(c, lambda, mu, theta, &q) != 0) {
            fputs("erlang: the chain does not converge\n", stderr);
            return 2;
        }
    } else {
        q.p_wait = erlang_c(c, lambda, mu, &q.wq_served);
        q.p_abandon = 0.0;
    }

    sim_err err;
    sim_err_clear(&err);
    out_reader *r = out_reader_open(path, &err);
    if (!r) {
        fprintf(stderr, "erlang: %s\n", err.msg);
        return 2;
    }
    int status = 2;
    long jw = scalar_col(r, "mean_wait_east_h"), ja = scalar_col(r, "firms_arrived"),
         jab = scalar_col(r, "firms_abandoned");
    size_t runs = out_reader_scalar_rows(r), cols = out_reader_scalar_cols(r);
    const double *sv = out_reader_scalar_values(r);
    const double *hours = out_reader_time_hours(r);
    if (jw < 0 || ja < 0 || jab < 0 || runs < 2) {
        fprintf(stderr, "erlang: %s: need the scalars mean_wait_east_h, firms_arrived, "
                        "firms_abandoned and two runs or more\n", path);
        goto out;
    }
    sim_welford wq, pw, pab;
    sim_welford_init(&wq);
    sim_welford_init(&pw);
    sim_welford_init(&pab);
    for (size_t i = 0; i < runs; i++) {
        sim_welford_add(&wq, sv[i * cols + (size_t)jw]);
        sim_welford_add(&pab, sv[i * cols + (size_t)jab] / sv[i * cols + (size_t)ja]);
        double *busy = NULL;
        size_t rows = 0, ents = 0;
        if (out_reader_series_read(r, out_reader_scalar_run(r, i), "datacenter", "busy_gpus",
                                   &busy, &rows, &ents, &err) != 0 || ents != 1) {
            fprintf(stderr, "erlang: %s: %s\n", path,
                    ents != 1 ? "need one data center" : err.msg);
            free(busy);
            goto out;
        }
        size_t k = 0, full = 0;
        for (size_t t = 0; t < rows; t++) {
            if (hours[t] < skip_h || hours[t] == 0.0)
                continue;
            k++;
            full += busy[t] >= (double)c;
        }
        free(busy);
        if (k == 0) {
            fprintf(stderr, "erlang: %s: no samples after %g h\n", path, skip_h);
            goto out;
        }
        sim_welford_add(&pw, (double)full / (double)k);
    }
    int ok = judge(label, "Wq", "h", &wq, level, q.wq_served);
    ok &= judge(label, "P(wait)", "", &pw, level, q.p_wait);
    if (theta > 0)
        ok &= judge(label, "P(abandon)", "", &pab, level, q.p_abandon);
    status = ok ? 0 : 1;
out:
    out_reader_close(r);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 1 || !strcmp(argv[1], "selftest"))
        return selftest() ? 0 : 1;
    if (argc >= 2 && !strcmp(argv[1], "check"))
        return check(argc, argv);
    fputs("usage: erlang selftest | erlang check FILE.h5 LABEL C LAMBDA MU THETA SKIP_DAYS [LEVEL]\n",
          stderr);
    return 2;
}
