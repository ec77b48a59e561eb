/* tools/cmd.h - the vouchsim subcommands, one file each, and what they share.
 *
 * Each command takes argc/argv starting at its own name and returns the
 * process exit status (see EXIT_* below and the README). */
#ifndef TOOLS_CMD_H
#define TOOLS_CMD_H

#include <stddef.h>

/* Exit statuses, documented in the README. */
enum {
    EXIT_OK = 0,        /* success */
    EXIT_RUNTIME = 1,   /* a run failed: a ledger check, a write, a library */
    EXIT_INPUT = 2      /* bad input or usage: nothing was written */
};

int cmd_bench(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);

/* Prints "vouchsim: " and the formatted message to stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a whole non-negative integer; returns 0, or -1 when s is not one. */
int cmd_parse_u64(const char *s, unsigned long long *out);

/* Wall-clock seconds from a monotonic clock. */
double cmd_now_s(void);

/* "scenarios/china-2025.yaml" + ".h5" -> "china-2025.h5" (malloc'd). */
char *cmd_default_output(const char *scenario, const char *suffix);

#endif
