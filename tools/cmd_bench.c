/* tools/cmd_bench.c - `vouchsim bench hold`: the event kernel's yardstick.
 *
 * The classic hold model: P events pending; each event, when it runs,
 * schedules one more at now + Exp(1). Every event goes through the real
 * engine (slab, queue, handler call) and draws from a real GSL stream, so
 * the figure is what models get. Prints a last line with cpu_secs= (the
 * process's CPU time for the run: steadier than the wall clock on a busy
 * machine; tools/bench uses it) and, last, events_per_sec=N (wall clock). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "sim/engine.h"
#include "sim/rng.h"
#include "tools/args.h"
#include "tools/cmd.h"

typedef struct hold_state {
    sim_rng   rng;
    sim_type_id id;
} hold_state;

static int on_hold(sim_engine *eng, const sim_event *ev, void *state)
{
    hold_state *h = state;
    double dt = gsl_ran_exponential(sim_rng_gsl(&h->rng), 1.0);
    return sim_schedule(eng, ev->time + dt, h->id, NULL);
}

static const sim_event_type hold_type = { "hold", 0, on_hold };

static double cpu_now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage(FILE *f)
{
    fputs("usage: vouchsim bench hold [--pending P] [--events E] [--seed S]\n"
          "  Hold model: P pending events, each schedules one at now + Exp(1);\n"
          "  runs E events and prints cpu_secs= (CPU time of the run) and\n"
          "  events_per_sec=N (wall clock). Defaults: P=1000,\n"
          "  E=10000000, S=1.\n"
          "  --pending P         events pending at once\n"
          "  --events E          events to run\n"
          "  --seed S            seed of the random stream\n"
          "exit status: 0 success, 1 run-time failure, 2 bad usage\n", f);
}

int cmd_bench(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_BENCH | OPT_SEED, 1, 1, "hold", usage);
    if (prc == 0 && strcmp(a.pos[0], "hold") != 0) {
        args_usage_error(argv[0], "unknown benchmark '%s' (expected hold)", a.pos[0]);
        prc = -1;
    }
    unsigned long long pending = a.pending ? a.pending : 1000;
    unsigned long long events = a.events ? a.events : 10000000;
    unsigned long long seed = a.has_seed ? a.seed : 1;
    args_fini(&a);
    if (prc != 0)
        return args_status(prc);

    int status = EXIT_RUNTIME;
    hold_state h;
    sim_rng_init(&h.rng, seed, 0, 0);
    sim_engine *eng = sim_engine_new();
    if (!eng || sim_register(eng, &hold_type, &h, &h.id) != SIM_OK) {
        cmd_error("bench hold: out of memory");
        goto out;
    }
    for (unsigned long long i = 0; i < pending; i++) {
        double t = gsl_ran_exponential(sim_rng_gsl(&h.rng), 1.0);
        if (sim_schedule(eng, t, h.id, NULL) != SIM_OK) {
            cmd_error("bench hold: out of memory");
            goto out;
        }
    }
    double t0 = cmd_now_s(), c0 = cpu_now_s();
    if (sim_run_n(eng, events) != SIM_OK) {
        cmd_error("bench hold: %s", sim_engine_err(eng)->msg);
        goto out;
    }
    uint64_t done = sim_events_run(eng);
    double secs = cmd_now_s() - t0, cpu = cpu_now_s() - c0;
    printf("hold pending=%llu events=%llu sim_end=%.3f cpu_secs=%.3f secs=%.3f events_per_sec=%.0f\n",
           pending, (unsigned long long)done, sim_now(eng), cpu, secs,
           secs > 0 ? (double)done / secs : 0.0);
    status = EXIT_OK;
out:
    sim_engine_free(eng);
    return status;
}
