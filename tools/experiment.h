/* tools/experiment.h - what run, compare and sweep share: loading a
 * scenario with the command line's overrides, the file header, the end of
 * a file, and the report line. */
#ifndef TOOLS_EXPERIMENT_H
#define TOOLS_EXPERIMENT_H

#include "models/config.h"
#include "models/scenario.h"
#include "output/writer.h"
#include "tools/args.h"
#include "tools/runner.h"

/* Loads path with a's --set, --seed and --until. Prints the error and
 * returns EXIT_INPUT (or EXIT_RUNTIME on ENOMEM); EXIT_OK on success. */
int cmd_load(const char *path, const args *a, scn_doc **doc, config **cfg);

/* Root attributes (scenario text, seed, command line...), time axis and
 * entity names. */
int cmd_write_header(out_writer *w, const scn_doc *doc, const config *cfg,
                     int argc, char **argv, unsigned reps, sim_err *err);

/* Scalars table, summary, series statistics and the `finished` attribute. */
int cmd_finish(out_writer *w, const runner_result *res, size_t nruns, sim_err *err);

/* The report line on stderr: events=N events_per_sec=N and the file. */
void cmd_report(const char *what, const runner_result *res, size_t nruns, const char *file);

/* `run --counterfactual`: the scenario against itself with vouchers off. */
int cmd_compare_counterfactual(const args *a, int argc, char **argv);

#endif
