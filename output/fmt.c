/* output/fmt.c - numbers for people, and exactly for machines (see fmt.h). */
#include "output/fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void out_fmt_grouped(double x, char *buf, size_t n)
{
    char digits[400];
    snprintf(digits, sizeof digits, "%.0f", round(fabs(x)));   /* halves away from 0 */
    size_t len = strlen(digits), o = 0;
    if (!n)
        return;
    if (x < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* See fmt.h. */
void out_fmt_num(double x, char *buf, size_t n)
{
    if (!n)
        return;
    if (!isfinite(x)) {
        snprintf(buf, n, "-");
        return;
    }
    double a = fabs(x);
    if (a >= 99.5)          /* what rounds to 100 or more: whole, grouped */
        out_fmt_grouped(x, buf, n);
    else if (a == 0)
        snprintf(buf, n, "0");
    else if (a >= 1e-3)
        snprintf(buf, n, "%.3g", x);
    else
        snprintf(buf, n, "%.2e", x);
}

int out_fmt_is_share(const char *name, const char *unit)
{
    if (!unit || (strcmp(unit, "1") != 0 && strcmp(unit, "fraction") != 0))
        return 0;
    return name && (strstr(name, "share") || strstr(name, "utilization"));
}

int out_fmt_unit_nonneg(const char *unit)
{
    static const char *const units[] = {
        "firms", "jobs", "vouchers", "events", "CNY", "GPU-h", "GPU", "GPUs", "h", "d", "kWh",
        "1", "%", "fraction", "CNY/GPU-h", "GPU-h/CNY", "samples",
    };
    if (!unit)
        return 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(unit, units[i]))
            return 1;
    return 0;
}

int out_fmt_lower(double lo, int nonneg, const char *mark, char *buf, size_t n)
{
    if (nonneg && isfinite(lo) && lo < 0) {
        snprintf(buf, n, "0%s", mark ? mark : "");
        return 1;
    }
    out_fmt_num(lo, buf, n);
    return 0;
}

size_t out_fmt_exact(double x, char *buf, size_t n)
{
    if (!n)
        return 0;
    buf[0] = '\0';
    if (!isfinite(x))
        return 0;
    char t[OUT_FMT_EXACT];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, x);
        if (prec == 17 || strtod(t, NULL) == x)
            break;
    }
    snprintf(buf, n, "%s", t);
    return strlen(buf);
}
