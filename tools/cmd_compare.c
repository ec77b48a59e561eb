/* tools/cmd_compare.c - `vouchsim compare`: paired policy comparisons.
 *
 * Both arms run replications 0..R-1 with the same seed, so replication r
 * of each arm sees the same firms with the same needs and prices (common
 * random numbers: the economy draws each firm's numbers from the firm's
 * own stream). The difference policy - base is then taken replication by
 * replication, and its Student-t interval is far narrower than the
 * interval of a difference of two independent means, which is also shown
 * (unpaired) so the gain is visible.
 *
 * With -o FILE.h5 both arms go into one file (/arms/LABEL and
 * /compare/differences). This file parses the command line; the machinery
 * is tools/arms.c. */
#include <stdio.h>

#include "tools/args.h"
#include "tools/arms.h"
#include "tools/cmd.h"

static void usage(FILE *f)
{
    fputs("usage: vouchsim compare BASE.yaml POLICY.yaml [--replications R] [--jobs N]\n"
          "                        [--seed N] [--set key=value]... [--until DATE] [-o FILE.h5]\n"
          "                        [--by program|city|region]... [--format table|csv|json]\n"
          "                        [--resume] [--force] [--quiet] [--strict]\n"
          "                        [--max-events N] [--max-samples N] [--max-memory SIZE]\n"
          "  Runs both scenarios on common random numbers and prints, for each\n"
          "  total of either arm, the mean of each arm and the paired difference\n"
          "  POLICY - BASE with its 95% interval (and the wider unpaired interval\n"
          "  for contrast); a total that one arm does not record is shown as\n"
          "  \"absent\". Run-out dates are means over the runs in which the money\n"
          "  runs out (k/R), never past the horizon. --by adds the same per\n"
          "  program (budget, tranches, committed, spent, lapsed, left, firms\n"
          "  granted, additional, deadweight, run-out), per city (firms, subsidy,\n"
          "  co-pay, data) or per region (utilization, waits with their job\n"
          "  counts); several --by, or --by program,city, are allowed.\n"
          "  --replications, --jobs, --seed, --set, --until: as for run, applied to\n"
          "  both arms. With -o, writes one file: each arm under\n"
          "  /arms/base and /arms/policy (the layout of a run file) and the table\n"
          "  /compare/differences; `vouchsim summary FILE.h5` prints the\n"
          "  comparison again, `--arm base` one arm.\n"
          "  --format F          table (default, for reading), csv or json: one row per\n"
          "                      total (and per --by entity): unit, each arm's mean, the\n"
          "                      difference and the half-widths of its paired and\n"
          "                      unpaired 95% intervals, the paired runs (n) and a\n"
          "                      status; shares in % (percentage points); every digit\n"
          "  --resume            reuse the runs of an interrupted comparison (FILE.h5.arms/;\n"
          "                      runs of another command are run again, said on stderr)\n"
          "  --force             replace FILE.h5, or start over an interrupted comparison\n"
          "                      (refused otherwise: exit 2)\n"
          "  --strict            the scenarios' warnings are errors (exit 2)\n"
          "  --max-events N, --max-samples N, --max-memory SIZE  raise the limits of the\n"
          "                      cost estimate per replication (vouchsim run --help)\n"
          "  -r, -j, -q, -o       short for --replications, --jobs, --quiet, --output;\n"
          "  -h, --help, -V, --version; option forms as in vouchsim run --help\n"
          "exit status: 0 success, 1 run-time failure (also -o in a directory that\n"
          "  is missing or not writable), 2 bad input or usage (also -o naming a\n"
          "  directory, or under a file; both checked before anything runs),\n"
          "  130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP: the finished runs are\n"
          "  kept; under nohup SIGHUP is ignored)\n", f);
}

int cmd_compare(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_OUT | OPT_SEED | OPT_SET | OPT_UNTIL | OPT_REPS |
                         OPT_JOBS | OPT_QUIET | OPT_FORMAT | OPT_RESUME | OPT_STRICT | OPT_BY | OPT_FORCE, 2, 2,
                         "BASE.yaml POLICY.yaml", usage);
    if (prc != 0) {
        args_fini(&a);
        return args_status(prc);
    }
    int status = arms_compare(a.pos[0], a.pos[1], &a, argc, argv);
    args_fini(&a);
    return status;
}
