/* output/fmt.c - numbers for people (see fmt.h). */
#include "output/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void out_fmt_grouped(double x, char *buf, size_t n)
{
    char digits[400];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
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
