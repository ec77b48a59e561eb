/* tools/datadir.h - where an installed vouchsim finds its shipped scenarios.
 *
 * A scenario named without a path and without .yaml ("china-2025") is
 * looked for in the current directory first, then in DATADIR/scenarios,
 * where DATADIR is $VOUCHSIM_DATADIR when set (a relocated install) and
 * otherwise the $(pkgdatadir) compiled in by make (PKGDATADIR). */
#ifndef TOOLS_DATADIR_H
#define TOOLS_DATADIR_H

#include <stdio.h>

/* The directory holding the shipped scenarios: "$VOUCHSIM_DATADIR/scenarios"
 * or PKGDATADIR "/scenarios" (malloc'd; NULL when out of memory). */
char *datadir_scenarios(void);

/* The file a scenario argument names: NULL when arg is to be used as it
 * is (it exists, names a directory part, or nothing else was found: the
 * loader then reports it), else the malloc'd path found: "arg.yaml" in the
 * current directory, or the shipped scenario arg or arg.yaml. A name that
 * ends in .yaml or .yml gets no second suffix. */
char *datadir_find_scenario(const char *arg);

/* When arg is a scenario name that datadir_find_scenario did not find (no
 * directory part, no such file here), says so on f in one line: the names
 * and places looked in and what to do (give a path, set VOUCHSIM_DATADIR),
 * prefixed "vouchsim CMD: ". When *.yaml files near the name can be seen
 * (at most 2 edits, a swap of neighbours counting one, or a long shared
 * prefix, more than half the name; here, in the shipped directory, or in ./scenarios/), a second
 * line offers the nearest 3 at most: "vouchsim CMD: did you mean A or B?".
 * Returns 1 when it said so (the caller exits 2), 0 when arg is a path or
 * exists (the loader reports what is wrong with it). */
int datadir_say_not_found(const char *cmd, const char *arg, FILE *f);

/* Prints the version and where scenarios are looked up to f. */
void datadir_print_version(FILE *f);

#endif
