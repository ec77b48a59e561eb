/* tools/cmd_out.c - what the output commands share: opening a file with
 * the right exit status, CSV and JSON escaping, calendar dates. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/reader.h"
#include "tools/cmd.h"

struct out_reader *cmd_reader_open(const char *path, int *status)
{
    sim_err err;
    sim_err_clear(&err);
    out_reader *r = out_reader_open(path, &err);
    if (!r) {
        cmd_error("%s", err.msg);
        *status = err.code == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
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

void cmd_csv_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
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
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else
        fputs("null", f);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

int cmd_date_after(const char *start, double hours, char buf[16])
{
    int y, m, d, n = 0;
    if (!start || sscanf(start, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10
        || m < 1 || m > 12 || d < 1 || d > 31 || !isfinite(hours) || fabs(hours) > 1e8)
        return -1;
    long days = days_from_civil(y, m, d) + (long)floor(hours / 24.0);
    long yy, mm, dd;
    civil_from_days(days, &yy, &mm, &dd);
    if (yy < 0 || yy > 9999)
        return -1;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", yy, mm, dd);
    memcpy(buf, tmp, 11);
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
