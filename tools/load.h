/* tools/load.h - loading a scenario with the command line's overrides. */
#ifndef TOOLS_LOAD_H
#define TOOLS_LOAD_H

#include "models/config.h"
#include "models/limits.h"
#include "models/scenario.h"
#include "tools/args.h"

/* The limits of the cost estimate: the defaults, raised by a's --max-*. */
void exp_limits(const args *a, lim_limits *lim);

/* Loads path with a's --set, --seed and --until, refuses it when one
 * replication's estimate exceeds the limits, and prints its warnings
 * (errors with --strict). Prints the error and returns EXIT_INPUT (or
 * EXIT_RUNTIME on ENOMEM); EXIT_OK on success. */
int exp_load(const char *path, const args *a, scn_doc **doc, config **cfg);

/* exp_load with base, the scenario file as scn_load loads it without
 * sets, in place of reading and parsing the file: the same scenario, the
 * same messages and status as exp_load(scn_doc_path(base), a, ...), for
 * loading one file with many sets of overrides (a sweep's points). base
 * is borrowed; *doc is a copy. */
int exp_load_from(const scn_doc *base, const args *a, scn_doc **doc, config **cfg);

#endif
