/* tools/cmd_summary.c - `vouchsim summary FILE.h5`: the run's scalars.
 *
 * With several runs: mean, 95% Student-t interval and the number of runs
 * with a value (from /summary); with one run: the value. Scalars named
 * "exhaustion_h.*" (hours until a budget ran out) are shown as calendar
 * dates when the file has a start_date attribute; runs in which the event
 * never happened count as "never". Formats: an aligned table for the
 * terminal, CSV, or JSON (NaN as null). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/reader.h"
#include "tools/args.h"
#include "tools/cmd.h"

static void usage(FILE *f)
{
    fputs("usage: vouchsim summary FILE.h5 [--format table|csv|json]\n"
          "  Prints each scalar of the file: with several runs the mean, its 95%\n"
          "  confidence interval (Student t) and the runs with a value; with one run\n"
          "  the value. exhaustion_h.* scalars are shown as dates (root attribute\n"
          "  start_date). CSV and JSON carry the raw numbers (NaN: empty / null).\n"
          "exit status: 0 ok, 1 run-time failure, 2 bad usage or a missing,\n"
          "  unreadable, foreign, malformed or corrupt input file\n", f);
}

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

static int is_exhaustion(const char *name)
{
    return !strncmp(name, "exhaustion_", 11);   /* exhaustion_h., exhaustion_final_h. */
}

/* Human-readable numbers: no scientific notation for money. */
/* Display width of UTF-8 text (code points; CJK counted as 2). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE3 && *p <= 0xED ? 2 : 1;
    return w;
}

static void pad(const char *s, size_t w, int right)
{
    size_t sw = width(s);
    if (right)
        for (size_t i = sw; i < w; i++)
            putchar(' ');
    fputs(s, stdout);
    if (!right)
        for (size_t i = sw; i < w; i++)
            putchar(' ');
}

typedef struct cell {
    char c[5][128];     /* scalar, unit, mean/value, CI, n */
} cell;

int cmd_summary(int argc, char **argv)
{
    args opt;
    if (args_parse(&opt, argc, argv, OPT_FORMAT, 1) != 0 || opt.help || opt.npos != 1) {
        usage(opt.help ? stdout : stderr);
        args_fini(&opt);
        return opt.help ? EXIT_OK : EXIT_INPUT;
    }
    const char *path = opt.pos[0];
    int fmt = !opt.format || !strcmp(opt.format, "table") ? FMT_TABLE
              : !strcmp(opt.format, "csv") ? FMT_CSV : FMT_JSON;
    args_fini(&opt);
    int status = EXIT_OK;
    out_reader *r = cmd_reader_open(path, 0, &status);
    if (!r)
        return status;
    size_t ns = out_reader_summary_count(r);
    size_t nruns = out_reader_scalar_rows(r);
    if (nruns == 0)
        nruns = out_reader_run_count(r);
    const out_attr *sa = out_reader_attr_find(r, "start_date");
    const char *start = sa && sa->kind == OUT_ATTR_STRING ? sa->s : NULL;
    const out_attr *sn = out_reader_attr_find(r, "scenario_name");
    const char *scen = sn ? sn->s : "";
    int several = nruns > 1;

    if (fmt == FMT_CSV) {
        puts("name,unit,mean,sd,ci95_lo,ci95_hi,n,n_missing,mean_date,ci95_lo_date,ci95_hi_date");
        for (size_t i = 0; i < ns; i++) {
            const out_summary_row *s = out_reader_summary(r, i);
            cmd_csv_str(stdout, s->name);
            putchar(',');
            cmd_csv_str(stdout, s->unit);
            double v[4] = { s->mean, s->sd, s->ci95_lo, s->ci95_hi };
            for (int k = 0; k < 4; k++) {
                putchar(',');
                cmd_csv_num(stdout, v[k]);
            }
            printf(",%u,%u", s->n, s->n_missing);
            double dv[3] = { s->mean, s->ci95_lo, s->ci95_hi };
            for (int k = 0; k < 3; k++) {
                char d[16];
                putchar(',');
                if (is_exhaustion(s->name) && cmd_date_after(start, dv[k], d) == 0)
                    fputs(d, stdout);
            }
            putchar('\n');
        }
    } else if (fmt == FMT_JSON) {
        fputs("{\n  \"file\": ", stdout);
        cmd_json_str(stdout, path);
        fputs(",\n  \"scenario_name\": ", stdout);
        cmd_json_str(stdout, scen);
        printf(",\n  \"runs\": %zu,\n  \"start_date\": ", nruns);
        if (start)
            cmd_json_str(stdout, start);
        else
            fputs("null", stdout);
        fputs(",\n  \"scalars\": [", stdout);
        for (size_t i = 0; i < ns; i++) {
            const out_summary_row *s = out_reader_summary(r, i);
            fputs(i ? ",\n    {" : "\n    {", stdout);
            fputs("\"name\": ", stdout);
            cmd_json_str(stdout, s->name);
            fputs(", \"unit\": ", stdout);
            cmd_json_str(stdout, s->unit);
            const char *k[4] = { "mean", "sd", "ci95_lo", "ci95_hi" };
            double v[4] = { s->mean, s->sd, s->ci95_lo, s->ci95_hi };
            for (int j = 0; j < 4; j++) {
                printf(", \"%s\": ", k[j]);
                cmd_json_num(stdout, v[j]);
            }
            printf(", \"n\": %u, \"n_missing\": %u", s->n, s->n_missing);
            char d[16];
            if (is_exhaustion(s->name)) {
                fputs(", \"mean_date\": ", stdout);
                if (cmd_date_after(start, s->mean, d) == 0)
                    cmd_json_str(stdout, d);
                else
                    fputs("null", stdout);
            }
            putchar('}');
        }
        fputs(ns ? "\n  ]\n}\n" : "]\n}\n", stdout);
    } else {
        printf("%s: %s%s%zu run%s\n", path, scen, *scen ? ", " : "", nruns, nruns == 1 ? "" : "s");
        const out_attr *sw = out_reader_attr_find(r, "sweep_points");
        if (sw && sw->i > 1)
            printf("a sweep of %lld points: these statistics pool all of them; /sweep/params "
                   "and `vouchsim sweep`'s table give them point by point\n", (long long)sw->i);
        putchar('\n');
        cell *cells = calloc(ns + 1, sizeof *cells);
        if (!cells) {
            cmd_error("summary: out of memory");
            out_reader_close(r);
            return EXIT_RUNTIME;
        }
        snprintf(cells[0].c[0], 128, "scalar");
        snprintf(cells[0].c[1], 128, "unit");
        snprintf(cells[0].c[2], 128, "%s", several ? "mean" : "value");
        snprintf(cells[0].c[3], 128, "%s", several ? "95% CI" : "");
        snprintf(cells[0].c[4], 128, "%s", several ? "runs" : "");
        for (size_t i = 0; i < ns; i++) {
            const out_summary_row *s = out_reader_summary(r, i);
            cell *c = &cells[i + 1];
            snprintf(c->c[0], 128, "%s", s->name);
            char a[48], b[48], d1[16], d2[16], d3[16];
            if (is_exhaustion(s->name) && start) {
                snprintf(c->c[1], 128, "date");
                if (s->n == 0)
                    snprintf(c->c[2], 128, "never");
                else if (cmd_date_after(start, s->mean, d1) == 0)
                    snprintf(c->c[2], 128, "%s", d1);
                if (several && s->n > 1 && cmd_date_after(start, s->ci95_lo, d2) == 0
                    && cmd_date_after(start, s->ci95_hi, d3) == 0)
                    snprintf(c->c[3], 128, "%s .. %s", d2, d3);
            } else {
                snprintf(c->c[1], 128, "%s", s->unit);
                cmd_fmt_num(s->mean, a, sizeof a);
                snprintf(c->c[2], 128, "%s", s->n ? a : "-");
                if (several && s->n > 1) {
                    cmd_fmt_num(s->ci95_lo, a, sizeof a);
                    cmd_fmt_num(s->ci95_hi, b, sizeof b);
                    snprintf(c->c[3], 128, "%s .. %s", a, b);
                }
            }
            if (several)
                snprintf(c->c[4], 128, s->n_missing ? (is_exhaustion(s->name) ? "%u (%u never)"
                                                                  : "%u (%u without)") : "%u",
                         s->n, s->n_missing);
            else if (s->n_missing && !is_exhaustion(s->name))
                snprintf(c->c[4], 128, "missing");   /* "never" is already the value */
        }
        size_t w[5] = { 0 };
        for (size_t i = 0; i <= ns; i++)
            for (int k = 0; k < 5; k++)
                if (width(cells[i].c[k]) > w[k])
                    w[k] = width(cells[i].c[k]);
        for (size_t i = 0; i <= ns; i++) {
            for (int k = 0; k < 5; k++) {
                if (!w[k])
                    continue;
                if (k)
                    fputs("  ", stdout);
                pad(cells[i].c[k], w[k], k >= 2 && k != 3);
            }
            putchar('\n');
            if (i == 0) {
                size_t tot = 0;
                for (int k = 0; k < 5; k++)
                    tot += w[k] ? w[k] + 2 : 0;
                for (size_t j = 0; j + 2 < tot; j++)
                    putchar('-');
                putchar('\n');
            }
        }
        if (ns == 0)
            puts("(no scalars in this file)");
        free(cells);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("summary: cannot write the output");
        status = EXIT_RUNTIME;
    }
    out_reader_close(r);
    return status;
}
