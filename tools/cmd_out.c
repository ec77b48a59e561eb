/* tools/cmd_out.c - what the output commands share: opening a file with
 * the right exit status, checking the paths they will write, CSV and JSON
 * escaping, calendar dates. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/scenario.h"
#include "output/fmt.h"
#include "output/reader.h"
#include "tools/cmd.h"
#include "tools/datadir.h"
#include "tools/par.h"

static const char *program_name;

void cmd_program_set(const char *argv0)
{
    program_name = argv0;
}

int cmd_shell_word(char *buf, size_t n, const char *w, int first)
{
    int plain = *w != '\0' && !(first && *w == '-');
    for (const char *c = w; *c; c++)
        plain &= (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
                 || (*c >= '0' && *c <= '9') || strchr("-_./:,+@%", *c) != NULL
                 || (*c == '=' && !first);      /* a first word NAME=x is an assignment */
    size_t len = strlen(w), need = len + 2;     /* quoted: ' becomes '\'' */
    if (!plain)
        for (const char *c = w; *c; c++)
            need += *c == '\'' ? 3 : 0;
    if ((plain ? len : need) >= n) {
        if (n)
            buf[0] = '\0';
        return -1;
    }
    if (plain) {
        memcpy(buf, w, len + 1);
        return (int)len;
    }
    size_t o = 0;
    buf[o++] = '\'';
    for (const char *c = w; *c; c++) {
        if (*c == '\'') {
            memcpy(buf + o, "'\\''", 4);
            o += 4;
        } else
            buf[o++] = *c;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return (int)o;
}

size_t cmd_program_word(char *buf, size_t n)
{
    const char *w = program_name && *program_name ? program_name : "vouchsim";
    int k = cmd_shell_word(buf, n, w, 1);
    if (k < 0)
        k = cmd_shell_word(buf, n, "vouchsim", 1);
    return k < 0 ? 0 : (size_t)k;
}

int cmd_fsize_advice(const char *msg, const char *less)
{
    struct rlimit fsz;
    if (!msg || !strstr(msg, strerror(EFBIG)) || getrlimit(RLIMIT_FSIZE, &fsz) != 0
        || fsz.rlim_cur == RLIM_INFINITY)
        return 0;
    if (strstr(msg, "(ulimit -f)"))     /* the line above gave the limit */
        cmd_error("raise the file size limit (ulimit -f unlimited)%s%s",
                  less ? ", or write less: " : "", less ? less : "");
    else
        cmd_error("the file size limit (ulimit -f) is %llu bytes: raise it (ulimit -f "
                  "unlimited)%s%s", (unsigned long long)fsz.rlim_cur,
                  less ? ", or write less: " : "", less ? less : "");
    return 1;
}

/* path as one shell word for a command line a user pastes (./ before a
 * leading '-', which would read as an option); -1 when it does not fit,
 * or holds a character messages print escaped (the line would not name
 * the file). */
static int path_word(char *buf, size_t n, const char *path)
{
    char p[4200];
    if (sim_text_escape(p, sizeof p, path) != strlen(path) || strcmp(p, path))
        return -1;
    int k = snprintf(p, sizeof p, "%s%s", *path == '-' ? "./" : "", path);
    if (k < 0 || (size_t)k >= sizeof p)
        return -1;
    return cmd_shell_word(buf, n, p, 0);
}

/* For a readable file that is not HDF5 and is named like a scenario
 * (.yaml, .yml, in any case), or a path that is no file here but the name
 * of a scenario `run` finds (here with .yaml, or shipped: "china-2025"):
 * " (a scenario? run it first: PROG run P -o N.h5)", the program as
 * invoked and both paths as words a shell reads back (P as given, which
 * run accepts); else "". */
static void scenario_hint(const char *path, char *buf, size_t size)
{
    const char *dot = strrchr(path, '.'), *base = strrchr(path, '/');
    struct stat st;
    base = base ? base + 1 : path;
    buf[0] = '\0';
    int yaml = dot && dot > base && (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml"));
    if (stat(path, &st) != 0) {
        char *found = errno == ENOENT ? datadir_find_scenario(path) : NULL;
        if (!found)
            return;
        free(found);
    } else if (!yaml || out_file_is_hdf5(path) != 0) {
        return;
    }
    int stem = yaml ? (int)(dot - base) : (int)strlen(base);
    char prog[256], in[9000], out[9000], name[4200];
    cmd_program_word(prog, sizeof prog);
    snprintf(name, sizeof name, "%.*s.h5", stem, base);
    if (path_word(in, sizeof in, path) < 0 || path_word(out, sizeof out, name) < 0)
        snprintf(buf, size, " (a scenario? run it first: %s run SCENARIO -o OUT.h5)", prog);
    else
        snprintf(buf, size, " (a scenario? run it first: %s run %s -o %s)", prog, in, out);
}

struct out_reader *cmd_reader_open(const char *cmd, const char *path, unsigned verify,
                                   int *status)
{
    return cmd_reader_open_arm(cmd, path, NULL, verify, status);
}

struct out_reader *cmd_reader_open_arm(const char *cmd, const char *path, const char *arm,
                                       unsigned verify, int *status)
{
    sim_err err;
    sim_err_clear(&err);
    char **arms = NULL;
    size_t narms = 0;
    out_file_children(path, "/arms", &arms, &narms);
    char group[300];
    if (arm && (strchr(arm, '/') || !*arm || strlen(arm) > 200)) {
        cmd_error("%s: --arm takes the name of an arm, got '%s'", cmd, arm);
        *status = EXIT_INPUT;
        out_strv_free(arms, narms);
        return NULL;
    }
    snprintf(group, sizeof group, "/arms/%s", arm ? arm : "");
    /* Everything the command will read is read first in a child process:
     * a file that makes libhdf5 crash is then an error, not a crash. */
    out_reader *r = NULL;
    if (out_reader_verify_isolated_group(path, arm ? group : NULL, verify, &err) == SIM_OK)
        r = out_reader_open_group(path, arm ? group : NULL, &err);
    if (!r) {
        if (narms && (!arm || err.code == SIM_ENOENT)) {
            char list[400] = "";
            for (size_t i = 0; i < narms; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         arms[i]);
            if (arm)
                cmd_error("%s: %s: no arm '%s' in this comparison file (arms: %s)", cmd, path, arm,
                          list);
            else {
                char prog[256], word[8192];
                cmd_program_word(prog, sizeof prog);
                if (path_word(word, sizeof word, path) < 0)
                    snprintf(word, sizeof word, "FILE.h5");
                cmd_error("%s: %s: a comparison file (arms: %s): give --arm NAME for one arm "
                          "(`%s summary %s` prints the comparison)", cmd, path, list, prog, word);
            }
        } else if (arm && !narms && err.code == SIM_ENOENT)
            cmd_error("%s: %s: --arm %s: not a comparison file (compare -o, run --counterfactual "
                      "-o): it has no arms; drop --arm", cmd, path, arm);
        else {
            char hint[20000];
            hint[0] = '\0';
            if (err.code == SIM_EIO || err.code == SIM_ENOENT)
                scenario_hint(path, hint, sizeof hint);
            cmd_error("%s: %s%s", cmd, err.msg, hint);
        }
        *status = err.code == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    out_strv_free(arms, narms);
    return r;
}

void cmd_csv_str(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

size_t cmd_num_text(double x, char buf[CMD_NUM_TEXT])
{
    return out_fmt_exact(x, buf, CMD_NUM_TEXT);
}

void cmd_csv_num(FILE *f, double x)
{
    char buf[CMD_NUM_TEXT];
    if (cmd_num_text(x, buf))
        fputs(buf, f);
}

void cmd_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':  fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void cmd_json_num(FILE *f, double x)
{
    char buf[CMD_NUM_TEXT];     /* as the CSV has it: 0.3, not 0.29999999999999999 */
    if (cmd_num_text(x, buf))
        fputs(buf, f);
    else
        fputs("null", f);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
int cmd_date_after(const char *start, double hours, char buf[16])
{
    int64_t day;
    if (!start || strlen(start) < 10 || !isfinite(hours) || fabs(hours) > 1e8)
        return -1;
    char date[11];
    memcpy(date, start, 10);
    date[10] = '\0';
    if (scn_date_from_string(date, &day) != SIM_OK)
        return -1;
    scn_format_date(day + (int64_t)floor(hours / 24.0), buf, 16);
    return 0;
}

int cmd_mkdir_p(const char *dir)
{
    char p[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof p) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(p, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (i < len && p[i] != '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            return -1;
        p[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* p's directory, in place: "a/b/" and "a/b" -> "a", "/x" -> "/", "x" -> ".". */
static void parent_dir(char *p)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    char *slash = strrchr(p, '/');
    if (!slash)
        memcpy(p, ".", 2);
    else
        slash[slash == p] = '\0';
}

/* See cmd.h. */
int cmd_out_check(const char *cmd, const char *path, int kind)
{
    const char *pre = cmd ? cmd : "", *sep = cmd ? ": " : "";
    struct stat st;
    char dir[4200];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof dir)
        return EXIT_OK;
    memcpy(dir, path, n + 1);
    while (n > 1 && dir[n - 1] == '/')  /* "m.yaml/" is the file m.yaml */
        dir[--n] = '\0';
    if (stat(dir, &st) == 0 && (kind == CMD_OUT_FILE) == !!S_ISDIR(st.st_mode)) {
        if (par_rank() == 0)
            cmd_error("%s%s%s: %s", pre, sep, path,
                      kind == CMD_OUT_FILE ? "is a directory" : "not a directory");
        return EXIT_INPUT;
    }
    /* where the writer creates: a file's directory; a directory itself
     * or, missing, its nearest parent there (mkdir -p makes the rest) */
    if (kind == CMD_OUT_FILE)
        parent_dir(dir);
    else
        while (stat(dir, &st) != 0 && strcmp(dir, ".") && strcmp(dir, "/"))
            parent_dir(dir);
    /* a file where a directory goes, higher up ("t.yaml/x", "t.yaml/x/y"):
     * the wrong thing named, as above, so the same status; that file */
    char up[sizeof dir];
    memcpy(up, dir, strlen(dir) + 1);
    while (stat(up, &st) != 0 && errno == ENOTDIR && strcmp(up, ".") && strcmp(up, "/"))
        parent_dir(up);
    if (stat(up, &st) == 0 && !S_ISDIR(st.st_mode)) {
        if (par_rank() == 0)
            cmd_error("%s%s%s: '%s' is not a directory", pre, sep, path, up);
        return EXIT_INPUT;
    }
    int e = 0;
    if (stat(dir, &st) != 0)
        e = errno;
    else if (!S_ISDIR(st.st_mode))
        e = ENOTDIR;
    else if (access(dir, W_OK | X_OK) != 0)
        e = errno;
    if (!e)
        return EXIT_OK;
    if (par_rank() == 0)
        cmd_error("%s%s%s: cannot write in directory '%s': %s", pre, sep, path, dir,
                  strerror(e));
    return EXIT_RUNTIME;
}

/* See cmd.h. */
void cmd_fmt_num(double x, char *buf, size_t n)
{
    out_fmt_num(x, buf, n);   /* the one rule, output/fmt.h */
}

int cmd_vouchers_off(const out_reader *r)
{
    const out_attr *a = out_reader_attr_find(r, "scenario");
    if (!a || a->kind != OUT_ATTR_STRING || !a->s)
        return 0;
    for (const char *l = a->s; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, "vouchers:", 9)) {
            const char *v = l + 9;
            while (*v == ' ')
                v++;
            return !strncmp(v, "false", 5) || !strncmp(v, "no", 2);
        }
    return 0;
}

void cmd_arm_label(const out_reader *r, const char *arm, char *buf, size_t size)
{
    if (!arm || !size) {
        if (size)
            buf[0] = '\0';
        return;
    }
    snprintf(buf, size, "arm %s%s", arm, cmd_vouchers_off(r) ? ", vouchers off" : "");
}

const int cmd_stop_signals[CMD_STOP_SIGNALS] = { SIGINT, SIGTERM, SIGHUP };

void cmd_stop_catch(void (*handler)(int), int flags, struct sigaction old[CMD_STOP_SIGNALS])
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    for (int k = 0; k < CMD_STOP_SIGNALS; k++) {
        sigaddset(&sa.sa_mask, cmd_stop_signals[k]);
        sigaction(cmd_stop_signals[k], NULL, &old[k]);
    }
    for (int k = 0; k < CMD_STOP_SIGNALS; k++)
        if (cmd_stop_signals[k] != SIGHUP || old[k].sa_handler != SIG_IGN)
            sigaction(cmd_stop_signals[k], &sa, NULL);
}

void cmd_stop_release(const struct sigaction old[CMD_STOP_SIGNALS])
{
    for (int k = 0; k < CMD_STOP_SIGNALS; k++)
        sigaction(cmd_stop_signals[k], &old[k], NULL);
}
