/* output/fmt.h - numbers for people: what a report and a chart share.
 *
 * One rule for every number a report prints as text (summary, compare,
 * sweep, the --by tables; CSV and JSON keep every digit instead, in
 * one form, out_fmt_exact):
 *   - 100 and above: rounded to a whole number, thousands grouped with
 *     commas ("1,118", "415,664,350");
 *   - below 100: 3 significant digits, trailing zeros dropped ("98.5",
 *     "6.35", "0.5", "12"); below 0.001, the same in exponent form
 *     ("1.05e-04"); 0 is "0";
 *   - shares (a unit of "1" on a share or a utilization) as percentages by
 *     the same rule ("70.2" under the unit "%"), their differences in
 *     percentage points;
 *   - no value (NaN) is "-".
 * An interval of a quantity that cannot be negative is printed with its
 * lower bound clipped at 0 and marked (see out_fmt_lower). */
#ifndef OUTPUT_FMT_H
#define OUTPUT_FMT_H

#include <stddef.h>

/* x as a machine reads it back (CSV, JSON): the fewest significant
 * digits, 15 to 17, that read back as exactly x ("0.3", not
 * "0.29999999999999999"; "0.30000000000000004" for 0.1 + 0.2), into buf
 * of n bytes (OUT_FMT_EXACT is enough); "" when x is not finite. Returns
 * the length. */
#define OUT_FMT_EXACT 32
size_t out_fmt_exact(double x, char *buf, size_t n);

/* x rounded to a whole number with its thousands separated by commas
 * ("-1,651", "415,664,350") into buf of n bytes (cut short, never
 * overrun, when n is too small). x must be finite. */
void out_fmt_grouped(double x, char *buf, size_t n);

/* x by the rule above into buf of n bytes: "-" when x is not finite. */
void out_fmt_num(double x, char *buf, size_t n);

/* Whether a value of this name and unit is a share printed as a
 * percentage: unit "1" (or "fraction") and a name that holds "share" or
 * "utilization". */
int out_fmt_is_share(const char *name, const char *unit);

/* Whether a quantity of this unit cannot be negative (counts, hours,
 * GPU-hours, money, energy, shares: every unit a run file uses for its
 * totals; not differences, which the caller knows). */
int out_fmt_unit_nonneg(const char *unit);

/* The lower bound lo of an interval by the rule above, clipped at 0 and
 * marked with mark (e.g. "*") when nonneg and lo < 0. Returns 1 when it
 * clipped, else 0. */
int out_fmt_lower(double lo, int nonneg, const char *mark, char *buf, size_t n);

#endif
