/* output/fmt.h - numbers for people: what a report and a chart share. */
#ifndef OUTPUT_FMT_H
#define OUTPUT_FMT_H

#include <stddef.h>

/* x rounded to a whole number with its thousands separated by commas
 * ("-1,651", "415,664,350") into buf of n bytes (cut short, never
 * overrun, when n is too small). x must be finite. */
void out_fmt_grouped(double x, char *buf, size_t n);

#endif
