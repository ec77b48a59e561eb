/* tests/check_fmt.c - output/fmt.c, the one rule for numbers in printed
 * tables: whole and grouped from 100 up, 3 significant digits below,
 * exponent form below 0.001, "-" for no value; which values are shares;
 * which units cannot be negative; lower bounds clipped at 0 and marked. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/fmt.h"

static void num_is(double x, const char *want)
{
    char buf[64];
    out_fmt_num(x, buf, sizeof buf);
    ck_assert_msg(!strcmp(buf, want), "out_fmt_num(%.17g) = '%s', want '%s'", x, buf, want);
}

START_TEST(test_fmt_num_whole_and_grouped_from_100)
{
    num_is(100, "100");
    num_is(1118, "1,118");
    num_is(832.5, "833");           /* halves away from 0 */
    num_is(1237.5, "1,238");
    num_is(415664350.4, "415,664,350");
    num_is(-1651.2, "-1,651");
    num_is(99.5, "100");            /* rounds to 100: already whole */
    num_is(1e15, "1,000,000,000,000,000");
}
END_TEST

START_TEST(test_fmt_num_three_digits_below_100)
{
    num_is(0, "0");
    num_is(98.5, "98.5");
    num_is(99.4, "99.4");
    num_is(6.3531, "6.35");
    num_is(12, "12");
    num_is(0.5, "0.5");
    num_is(-3.2938, "-3.29");
    num_is(0.00144, "0.00144");
    num_is(1.053e-4, "1.05e-04");
}
END_TEST

START_TEST(test_fmt_num_no_value)
{
    num_is(NAN, "-");
    num_is(INFINITY, "-");
}
END_TEST

START_TEST(test_fmt_shares_and_units)
{
    ck_assert(out_fmt_is_share("deadweight_share", "1"));
    ck_assert(out_fmt_is_share("utilization_east", "1"));
    ck_assert(out_fmt_is_share("subsidy_share_micro_small", "1"));
    ck_assert(!out_fmt_is_share("gini_subsidy", "1"));     /* a coefficient */
    ck_assert(!out_fmt_is_share("ledger_ok", "1"));
    ck_assert(!out_fmt_is_share("utilization", "%"));      /* a percentage already */
    ck_assert(out_fmt_unit_nonneg("firms"));
    ck_assert(out_fmt_unit_nonneg("CNY"));
    ck_assert(out_fmt_unit_nonneg("GPU-h"));
    ck_assert(out_fmt_unit_nonneg("h"));
    ck_assert(!out_fmt_unit_nonneg("date"));
    ck_assert(!out_fmt_unit_nonneg(""));
    ck_assert(!out_fmt_unit_nonneg(NULL));
}
END_TEST

START_TEST(test_fmt_lower_clips_at_zero)
{
    char buf[32];
    ck_assert_int_eq(out_fmt_lower(-3098815.2, 1, "*", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "0*");
    ck_assert_int_eq(out_fmt_lower(-3098815.2, 0, "*", buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "-3,098,815");     /* a difference keeps its sign */
    ck_assert_int_eq(out_fmt_lower(13.26, 1, "*", buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "13.3");
    ck_assert_int_eq(out_fmt_lower(0, 1, "*", buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "0");
}
END_TEST

/* CSV and JSON: the shortest text that reads back as the same double */
START_TEST(test_fmt_exact_reads_back)
{
    char buf[OUT_FMT_EXACT];
    ck_assert_uint_eq(out_fmt_exact(0.3, buf, sizeof buf), 3);
    ck_assert_str_eq(buf, "0.3");
    out_fmt_exact(0.1 + 0.2, buf, sizeof buf);
    ck_assert_str_eq(buf, "0.30000000000000004");
    out_fmt_exact(415664350, buf, sizeof buf);
    ck_assert_str_eq(buf, "415664350");
    out_fmt_exact(-1.5e-300, buf, sizeof buf);
    ck_assert_str_eq(buf, "-1.5e-300");
    ck_assert_uint_eq(out_fmt_exact(NAN, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_uint_eq(out_fmt_exact(INFINITY, buf, sizeof buf), 0);
    /* every value of a spread reads back exactly */
    double x = 1.0 / 3.0;
    for (int i = 0; i < 2000; i++, x *= -1.0137) {
        out_fmt_exact(x, buf, sizeof buf);
        ck_assert(strtod(buf, NULL) == x);
    }
    /* cut short, never overrun */
    char small[4];
    out_fmt_exact(0.125, small, sizeof small);
    ck_assert_str_eq(small, "0.1");
}
END_TEST

static Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("rule");
    tcase_add_test(tc, test_fmt_num_whole_and_grouped_from_100);
    tcase_add_test(tc, test_fmt_num_three_digits_below_100);
    tcase_add_test(tc, test_fmt_num_no_value);
    tcase_add_test(tc, test_fmt_shares_and_units);
    tcase_add_test(tc, test_fmt_lower_clips_at_zero);
    tcase_add_test(tc, test_fmt_exact_reads_back);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fmt_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
