/* tests/check_escape.c - error messages print control characters
 * escaped (sim_text_escape, through sim_err_set and sim_err_prefix), so a
 * file name cannot drive the terminal or forge a line; UTF-8 stays. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sim/err.h"

static const char *esc(const char *s)
{
    static char buf[256];
    sim_text_escape(buf, sizeof buf, s);
    return buf;
}

START_TEST(test_escape_controls)
{
    ck_assert_str_eq(esc("a\033[31mb"), "a\\x1b[31mb");
    ck_assert_str_eq(esc("x\ny\tz\r"), "x\\ny\\tz\\r");
    ck_assert_str_eq(esc("\001\177"), "\\x01\\x7f");
    ck_assert_str_eq(esc("c1 \xc2\x9b" "2J"), "c1 \\xc2\\x9b2J");     /* U+009B, CSI */
    ck_assert_str_eq(esc("bad \x9b \xff end"), "bad \\x9b \\xff end");
    ck_assert_str_eq(esc("\xe4\xb8"), "\\xe4\\xb8");              /* cut UTF-8 */
}
END_TEST

START_TEST(test_escape_keeps_utf8_and_is_idempotent)
{
    const char *plain = "scenarios/郑州-2025 (é, ü, ½, \xc2\xa0).yaml";
    ck_assert_str_eq(esc(plain), plain);
    char once[256], twice[256];
    sim_text_escape(once, sizeof once, "evil\033]0;t\007\n.yaml");
    sim_text_escape(twice, sizeof twice, once);
    ck_assert_str_eq(once, twice);
    ck_assert_str_eq(once, "evil\\x1b]0;t\\x07\\n.yaml");
}
END_TEST

START_TEST(test_escape_cuts_whole)
{
    char buf[8];
    ck_assert_uint_eq(sim_text_escape(buf, sizeof buf, "abcd\033"), 4);   /* "\x1b" does not fit */
    ck_assert_str_eq(buf, "abcd");
    ck_assert_uint_eq(sim_text_escape(buf, sizeof buf, "abcdef郑"), 6);
    ck_assert_str_eq(buf, "abcdef");
}
END_TEST

START_TEST(test_err_set_and_prefix_escape)
{
    sim_err err;
    sim_err_clear(&err);
    sim_err_set(&err, SIM_EINVAL, "in\033[2J\n.yaml", 3, 4, "key: got '%s'", "v\033");
    ck_assert_str_eq(err.msg, "in\\x1b[2J\\n.yaml:3:4: key: got 'v\\x1b'");
    sim_err_prefix(&err, "writing %s", "o\n.h5");
    ck_assert_str_eq(err.msg, "writing o\\n.h5: in\\x1b[2J\\n.yaml:3:4: key: got 'v\\x1b'");
    sim_err_set(&err, SIM_EIO, "郑州.h5", 0, 0, "not an HDF5 file");
    ck_assert_str_eq(err.msg, "郑州.h5: not an HDF5 file");
}
END_TEST

static Suite *err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = tcase_create("escape");
    tcase_add_test(tc, test_escape_controls);
    tcase_add_test(tc, test_escape_keeps_utf8_and_is_idempotent);
    tcase_add_test(tc, test_escape_cuts_whole);
    tcase_add_test(tc, test_err_set_and_prefix_escape);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(err_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
