/* tools/cmd.h - the vouchsim subcommands, one file each, and what they share.
 *
 * Each command takes argc/argv starting at its own name and returns the
 * process exit status (see EXIT_* below and the README). */
#ifndef TOOLS_CMD_H
#define TOOLS_CMD_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses, documented in the README. */
enum {
    EXIT_OK = 0,        /* success */
    EXIT_RUNTIME = 1,   /* a run failed: a ledger check, a write, a library */
    EXIT_INPUT = 2      /* bad input or usage: nothing was written */
};

int cmd_bench(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_optimize(int argc, char **argv);
int cmd_schema(int argc, char **argv);

/* Prints "vouchsim: " and the formatted message to stderr, escaped as
 * sim_text_escape escapes (a file name with ESC or a newline prints as
 * "\x1b", "\n"), then a newline. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The formatted message to f, escaped as cmd_error escapes it (so a
 * newline meant as one is printed apart). */
void cmd_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cmd_vputs(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Composes into buf (n bytes) pre, the formatted message escaped as
 * cmd_error escapes it, then post; pre and post as they are (a newline
 * meant as one) and kept whole when the message is cut to fit. For the
 * messages a signal handler writes with write(2), composed beforehand.
 * Returns the length. */
size_t cmd_compose(char *buf, size_t n, const char *pre, const char *post, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* 1 when s prints as it is, 0 when messages would print some of it
 * escaped (a command line holding it would not name the same file). */
int cmd_text_plain(const char *s);

/* Parses a whole non-negative integer; returns 0, or -1 when s is not one. */
int cmd_parse_u64(const char *s, unsigned long long *out);

/* Wall-clock seconds from a monotonic clock. */
double cmd_now_s(void);

/* "scenarios/china-2025.yaml" + ".h5" -> "china-2025.h5" (malloc'd). */
char *cmd_default_output(const char *scenario, const char *suffix);

/* The program as the user invoked it (main's argv[0]: "./vouchsim",
 * "vouchsim" found on PATH...), kept by main for the lines a user pastes
 * back (the --resume hints). cmd_program_set keeps the pointer. */
void cmd_program_set(const char *argv0);
/* w as one word a POSIX shell reads back: as it is when made of safe
 * characters, else in single quotes (' as '\''); first: the command's
 * first word (then a '=' or a leading '-' is not safe). Into buf of n
 * bytes, NUL-terminated; returns its length, or -1 when it does not fit
 * (buf holds ""). Only ever printed: nothing runs it. */
int cmd_shell_word(char *buf, size_t n, const char *w, int first);
/* That name as one word a POSIX shell reads back (in single quotes, ' as
 * '\'', unless it is made of safe characters only) into buf of n bytes;
 * "vouchsim" when main gave none or it does not fit. Only ever printed:
 * nothing runs it. Returns the length written. */
size_t cmd_program_word(char *buf, size_t n);

/* When msg reports a write refused by the file size limit (it holds
 * strerror(EFBIG) and RLIMIT_FSIZE is finite), prints under it on stderr
 * what to do: "vouchsim: the file size limit (ulimit -f) is N bytes: raise
 * it (ulimit -f unlimited), or write less: LESS", or, when msg gave the
 * limit already (the writer's "(ulimit -f)"), "vouchsim: raise the file
 * size limit (ulimit -f unlimited), or write less: LESS" (less NULL: no
 * "write less"). Returns 1 when it did, else 0. */
int cmd_fsize_advice(const char *msg, const char *less);
/* What run, compare and run --counterfactual can write less of. */
#define CMD_LESS_RUNS "fewer replications (-r), an earlier --until"

/* ---- shared by summary, plot and export (tools/cmd_out.c) ---- */

struct out_reader;

/* Opens a vouchsim output file after reading, in a child process, what
 * `verify` (OUT_VERIFY_* of output/reader.h) names; prints the error as
 * the command's others ("vouchsim: plot: FILE: not an HDF5 file"; cmd is
 * "plot", "summary", "export").
 * *status is EXIT_INPUT for a missing, unreadable, foreign, malformed or
 * corrupt file, EXIT_RUNTIME when memory ran out. */
struct out_reader *cmd_reader_open(const char *cmd, const char *path, unsigned verify,
                                   int *status);
/* The same for one arm of a comparison file (/arms/ARM), with the same
 * checks under that group; arm NULL: the root, and on a comparison file
 * an error that lists its arms. */
struct out_reader *cmd_reader_open_arm(const char *cmd, const char *path, const char *arm,
                                       unsigned verify, int *status);

/* Whether the resolved scenario of r (its attribute `scenario`, written
 * by vouchsim: top-level keys at the start of a line) switches vouchers
 * off: the counterfactual arm of run --counterfactual, or a --set. */
int cmd_vouchers_off(const struct out_reader *r);
/* "arm NAME" of a comparison file's arm, with ", vouchers off" when its
 * scenario switches them off, into buf; "" when arm is NULL. */
void cmd_arm_label(const struct out_reader *r, const char *arm, char *buf, size_t size);

/* The signals that stop a command that writes files: SIGINT, SIGTERM,
 * SIGHUP. cmd_stop_catch gives them handler (each blocks all three while
 * it runs; flags: sigaction's, e.g. SA_RESTART), except a SIGHUP that is
 * ignored (nohup) stays ignored; their actions before, in old, go back
 * with cmd_stop_release. */
#define CMD_STOP_SIGNALS 3
extern const int cmd_stop_signals[CMD_STOP_SIGNALS];
void cmd_stop_catch(void (*handler)(int), int flags, struct sigaction old[CMD_STOP_SIGNALS]);
void cmd_stop_release(const struct sigaction old[CMD_STOP_SIGNALS]);

/* Writes s as one CSV field, quoted when it holds , " or a line break. */
void cmd_csv_str(FILE *f, const char *s);
/* x with the fewest digits (15 to 17) that read back as x ("0.3", not
 * "0.29999999999999999") into buf, "" for NaN/inf (out_fmt_exact);
 * returns its length. */
#define CMD_NUM_TEXT 40
size_t cmd_num_text(double x, char buf[CMD_NUM_TEXT]);
/* Writes x as cmd_num_text has it, or nothing for NaN/inf (an empty cell). */
void cmd_csv_num(FILE *f, double x);
/* Writes s as a JSON string, escaped. */
void cmd_json_str(FILE *f, const char *s);
/* x for a person by the rule of output/fmt.h (out_fmt_num): whole and
 * grouped from 100 up ("415,664,350"), 3 significant digits below, "-"
 * for NaN. */
void cmd_fmt_num(double x, char *buf, size_t n);

/* Writes x as a JSON number in the CSV's form (cmd_num_text), or null for
 * NaN/inf. */
void cmd_json_num(FILE *f, double x);

/* The calendar date ("YYYY-MM-DD") hours after start ("YYYY-MM-DD...").
 * Returns 0, or -1 when start is not a date or hours is not finite. */
int cmd_date_after(const char *start, double hours, char buf[16]);

/* Creates dir and its missing parents (mode 0777 & umask). 0 or -1/errno. */
int cmd_mkdir_p(const char *dir);

/* What each command checks of each path it will write, before it reads or
 * runs anything (so nothing is written, and no run is wasted, for a path
 * that cannot be): kind CMD_OUT_FILE, a file written in its directory (run,
 * compare, sweep and optimize -o, optimize --record and --chart, plot -o);
 * CMD_OUT_DIR, a directory made with its missing parents (export --csv).
 * Prints on rank 0, with "CMD: " first when cmd is not NULL, and returns:
 *   EXIT_INPUT, "PATH: is a directory" (a file's path) or "PATH: not a
 *     directory" (a directory's path): the path names the wrong thing;
 *     or "PATH: 'FILE' is not a directory": a part of PATH that must be a
 *     directory is a file (t.yaml/x, t.yaml/x/y);
 *   EXIT_RUNTIME, "PATH: cannot write in directory 'DIR': REASON" (as run
 *     says it): DIR, the file's directory or the directory's nearest
 *     existing parent, is missing or is not writable;
 *   EXIT_OK otherwise (a path too long to check is left to the writer). */
enum { CMD_OUT_FILE, CMD_OUT_DIR };
int cmd_out_check(const char *cmd, const char *path, int kind);

#endif
