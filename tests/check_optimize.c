/* tests/check_optimize.c - the parts of `vouchsim optimize` that do not
 * run a simulation: expressions, constraints, decision variables, the
 * chosen policy's YAML and relative paths, and the journal --resume
 * reads. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/optimize.h"

static const char *const names[] = { "gpu_hours_total", "subsidy_total", "mean_wait_east_h" };
static const double vals[] = { 300.0, 4e8, 0.5 };
static const char *const vars[] = { "datacenters.mmc-100.gpus", "routing" };
static const int numeric[] = { 1, 0 };
static const double vvals[] = { 12.0, NAN };

static double ev(const char *text)
{
    sim_err err;
    sim_err_clear(&err);
    opt_expr *e = opt_expr_parse(text, names, 3, vars, numeric, 2, &err);
    ck_assert_msg(e != NULL, "%s: %s", text, err.msg);
    double v = opt_expr_eval(e, vals, vvals);
    opt_expr_free(e);
    return v;
}

static const char *bad(const char *text)
{
    static sim_err err;
    sim_err_clear(&err);
    opt_expr *e = opt_expr_parse(text, names, 3, vars, numeric, 2, &err);
    ck_assert_msg(e == NULL, "%s parsed", text);
    return err.msg;
}

START_TEST(test_expr_precedence_and_suffixes)
{
    ck_assert_double_eq_tol(ev("1 + 2 * 3"), 7.0, 1e-12);
    ck_assert_double_eq_tol(ev("(1 + 2) * 3"), 9.0, 1e-12);
    ck_assert_double_eq_tol(ev("8 / 4 / 2"), 1.0, 1e-12);        /* left to right */
    ck_assert_double_eq_tol(ev("1 - 2 - 3"), -4.0, 1e-12);
    ck_assert_double_eq_tol(ev("-2 * -3"), 6.0, 1e-12);
    ck_assert_double_eq_tol(ev("--2"), 2.0, 1e-12);
    ck_assert_double_eq_tol(ev("1.03B"), 1.03e9, 1e-12);
    ck_assert_double_eq_tol(ev("400M + 30k"), 400030000.0, 1e-12);
    ck_assert_double_eq_tol(ev("2.5e3"), 2500.0, 1e-12);
    ck_assert_double_eq_tol(ev("gpu_hours_total / subsidy_total * 1M"), 0.75, 1e-15);
    ck_assert_double_eq_tol(ev("10 * {datacenters.mmc-100.gpus} + 500 * 10 * mean_wait_east_h"),
                            2620.0, 1e-12);
    ck_assert(isinf(ev("1 / 0")));
}
END_TEST

START_TEST(test_expr_errors_name_the_column)
{
    ck_assert_str_eq(bad("gpu_hours + 1"),
                     "'gpu_hours + 1': column 1: unknown scalar 'gpu_hours' (the names are "
                     "those of `vouchsim summary FILE --format csv`; a decision variable is "
                     "written {key})");
    ck_assert_str_eq(bad("1 +"), "'1 +': column 4: expected a number, a scalar, {key} or '(' "
                                 "at the end");
    ck_assert_str_eq(bad("(1 + 2"), "'(1 + 2': column 7: expected ')'");
    ck_assert_str_eq(bad("2 3"), "'2 3': column 3: unexpected '3'");
    ck_assert_str_eq(bad("4X"), "'4X': column 2: unexpected 'X' after a number (suffixes: k, "
                                "M, B)");
    ck_assert_str_eq(bad("{routing}"), "'{routing}': column 1: {routing} takes names, not "
                                       "numbers");
    ck_assert_str_eq(bad("{gpus}"), "'{gpus}': column 1: {gpus} is not a decision variable "
                                    "(a --vary key)");
    /* a near miss is named */
    ck_assert_str_eq(bad("gpu_hours_totl"), "'gpu_hours_totl': column 1: unknown scalar "
                                            "'gpu_hours_totl' (did you mean 'gpu_hours_total'?)");
    ck_assert_str_eq(bad("1 + {datacenters.mmc-100.gpu}"),
                     "'1 + {datacenters.mmc-100.gpu}': column 5: {datacenters.mmc-100.gpu} is "
                     "not a decision variable (did you mean {datacenters.mmc-100.gpus}?)");
    ck_assert_ptr_nonnull(strstr(bad("system(1)"), "unknown scalar 'system'"));
    ck_assert_ptr_nonnull(strstr(bad(""), "expected a number"));
    char deep[200];
    memset(deep, '(', 100);
    strcpy(deep + 100, "1");
    ck_assert_ptr_nonnull(strstr(bad(deep), "nested deeper than 64"));
    memset(deep, '-', 100);
    ck_assert_ptr_nonnull(strstr(bad(deep), "nested deeper than 64"));
}
END_TEST

START_TEST(test_constraint_forms_and_tolerance)
{
    sim_err err;
    opt_constraint c;
    ck_assert_int_eq(opt_constraint_parse(&c, "subsidy_total <= 1B", names, 3, vars, numeric, 2,
                                          &err), SIM_OK);
    ck_assert_double_eq_tol(c.tol, 1e7, 1e-12);
    ck_assert_double_eq_tol(opt_constraint_eval(&c, vals, vvals), 4e8 - 1e9, 1e-12);
    opt_constraint_fini(&c);
    ck_assert_int_eq(opt_constraint_parse(&c, "mean_wait_east_h >= 0.25 tol 0.05", names, 3,
                                          vars, numeric, 2, &err), SIM_OK);
    ck_assert(c.ge);
    ck_assert_double_eq_tol(c.tol, 0.05, 1e-12);
    ck_assert_double_eq_tol(opt_constraint_eval(&c, vals, vvals), 0.25 - 0.5, 1e-12);
    opt_constraint_fini(&c);
    ck_assert_int_eq(opt_constraint_parse(&c, "subsidy_total <= gpu_hours_total", names, 3,
                                          vars, numeric, 2, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "give the tolerance"));
    ck_assert_int_eq(opt_constraint_parse(&c, "subsidy_total < 1B", names, 3, vars, numeric,
                                          2, &err), SIM_ESYNTAX);
    ck_assert_int_eq(opt_constraint_parse(&c, "1 <= 2 <= 3", names, 3, vars, numeric, 2,
                                          &err), SIM_ESYNTAX);
    ck_assert_int_eq(opt_constraint_parse(&c, "subsidy_total <= 1B tol 0", names, 3, vars,
                                          numeric, 2, &err), SIM_EINVAL);
}
END_TEST

START_TEST(test_var_lists_ranges_grids)
{
    sim_err err;
    opt_var v;
    ck_assert_int_eq(opt_var_parse(&v, "programs.a.coverage=0.3, 0.5,0.8", &err), SIM_OK);
    ck_assert(!v.range);
    ck_assert_uint_eq(v.n, 3);
    ck_assert_str_eq(v.text[1], "0.5");
    ck_assert_int_eq(v.kind, OPT_NUMBER);
    ck_assert(!v.whole);
    opt_var_fini(&v);
    ck_assert_int_eq(opt_var_parse(&v, "routing=nearest,west_first", &err), SIM_OK);
    ck_assert_int_eq(v.kind, OPT_NAME);
    ck_assert(isnan(v.num[0]));
    opt_var_fini(&v);
    ck_assert_int_eq(opt_var_parse(&v, "vouchers=true,false", &err), SIM_OK);
    ck_assert_int_eq(v.kind, OPT_NAME);
    opt_var_fini(&v);
    ck_assert_int_eq(opt_var_parse(&v, "b=30M,1B", &err), SIM_OK);
    ck_assert_int_eq(v.kind, OPT_MONEY);
    ck_assert_double_eq_tol(v.num[1], 1e9, 1e-12);
    opt_var_fini(&v);
    ck_assert_int_eq(opt_var_parse(&v, "dc.gpus=11:15:5", &err), SIM_OK);
    ck_assert_uint_eq(v.n, 5);
    ck_assert(v.whole);
    ck_assert_str_eq(v.text[4], "15");
    opt_var_fini(&v);
    ck_assert_int_eq(opt_var_parse(&v, "p.delay=1d:3d:3", &err), SIM_OK);
    ck_assert_str_eq(v.text[1], "48h");
    opt_var_fini(&v);
    ck_assert_int_eq(opt_var_parse(&v, "p.coverage=0.3:0.9", &err), SIM_OK);
    ck_assert(v.range);
    char buf[64];
    opt_var_set_text(&v, 0.45, buf, sizeof buf);
    ck_assert_str_eq(buf, "p.coverage=0.45");
    opt_var_fini(&v);
    ck_assert_int_eq(opt_var_parse(&v, "x=1,2,1", &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, "--vary x: '1' is listed twice");
    ck_assert_int_eq(opt_var_parse(&v, "x=1:1", &err), SIM_EINVAL);
    ck_assert_int_eq(opt_var_parse(&v, "x=1:3:10", &err), SIM_EINVAL);
    ck_assert_int_eq(opt_var_parse(&v, "x=1M:3d", &err), SIM_EINVAL);
    ck_assert_int_eq(opt_var_parse(&v, "x=1,,2", &err), SIM_EINVAL);
    ck_assert_int_eq(opt_var_parse(&v, "=1,2", &err), SIM_EINVAL);
}
END_TEST

static const char base_yaml[] =
    "name: base\n"
    "programs:\n"
    "  - name: sh\n"
    "    coverage: 0.8\n"
    "  - name: bj\n"
    "    coverage: 0.5\n"
    "firms:\n"
    "  patience: 3d\n";

START_TEST(test_yaml_nested_named_items)
{
    sim_err err;
    scn_doc *doc = scn_load_string("base.yaml", base_yaml, strlen(base_yaml), NULL, 0, &err);
    ck_assert_ptr_nonnull(doc);
    const char *sets[] = { "programs.sh.coverage=0.5", "programs[1].coverage=0.3",
                           "firms.patience={dist: fixed, value: 100y}", "routing=west_first",
                           "programs.sh.cap=1M" };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(opt_yaml_write(f, "chosen\nby test", "../base.yaml", doc, sets, 5, &err),
                     SIM_OK);
    fclose(f);
    ck_assert_str_eq(buf, "# chosen\n# by test\n"
                          "extends: \"../base.yaml\"\n"
                          "programs:\n"
                          "  - name: \"sh\"\n"
                          "    coverage: 0.5\n"
                          "    cap: 1M\n"
                          "  - name: \"bj\"\n"
                          "    coverage: 0.3\n"
                          "firms:\n"
                          "  patience: {dist: fixed, value: 100y}\n"
                          "routing: west_first\n");
    free(buf);
    const char *whole[] = { "programs.sh={name: sh, coverage: 0.1}" };
    f = open_memstream(&buf, &len);
    ck_assert_int_eq(opt_yaml_write(f, NULL, "b.yaml", doc, whole, 1, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "replaces a whole list item"));
    fclose(f);
    free(buf);
    const char *badset[] = { "programs.sh.coverage=0.5\nvouchers: false" };
    f = open_memstream(&buf, &len);
    ck_assert_int_eq(opt_yaml_write(f, NULL, "b.yaml", doc, badset, 1, &err), SIM_EINVAL);
    fclose(f);
    free(buf);
    scn_free(doc);
}
END_TEST

START_TEST(test_relpath)
{
    char *p = opt_relpath("/work/out", "/work/scenarios/china-2025.yaml");
    ck_assert_str_eq(p, "../scenarios/china-2025.yaml");
    free(p);
    p = opt_relpath("/work", "/work/scenarios/a.yaml");
    ck_assert_str_eq(p, "scenarios/a.yaml");
    free(p);
    p = opt_relpath("/", "/a.yaml");
    ck_assert_str_eq(p, "a.yaml");
    free(p);
    p = opt_relpath("/x/y/z", "/x/a.yaml");
    ck_assert_str_eq(p, "../../a.yaml");
    free(p);
    p = opt_relpath("/ab", "/a/b.yaml");
    ck_assert_str_eq(p, "../a/b.yaml");
    free(p);
}
END_TEST

/* A journal in a fresh temporary directory: its path into buf. */
static void journal_path(char *buf, size_t size)
{
    char dir[] = "/tmp/vs-journal-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(buf, size, "%s/o.yaml.journal", dir);
}

static void journal_rm(const char *path)
{
    unlink(path);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    rmdir(dir);
}

START_TEST(test_journal_round_trip_bit_for_bit)
{
    char path[256];
    journal_path(path, sizeof path);
    sim_err err;
    sim_err_clear(&err);
    const double a[3] = { 0.1, -1.0 / 3.0, 1e300 }, b[3] = { NAN, 5e-324, 0.0 };
    opt_journal *j = opt_journal_open(path, 3, 1, &err);     /* none yet: empty */
    ck_assert_msg(j != NULL, "%s", err.msg);
    ck_assert_uint_eq(opt_journal_loaded(j), 0);
    ck_assert_int_eq(opt_journal_append(j, 0xfedcba9876543210ULL, 7, a, &err), SIM_OK);
    ck_assert_int_eq(opt_journal_append(j, 0x1ULL, 0, b, &err), SIM_OK);
    ck_assert_int_eq(opt_journal_sync(j, &err), SIM_OK);
    opt_journal_close(j, 0);
    j = opt_journal_open(path, 3, 1, &err);
    ck_assert_uint_eq(opt_journal_loaded(j), 2);
    const double *r = opt_journal_find(j, 0xfedcba9876543210ULL, 7);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(memcmp(r, a, sizeof a), 0);           /* bit for bit */
    r = opt_journal_find(j, 0x1ULL, 0);
    ck_assert(r && isnan(r[0]) && r[1] == 5e-324 && r[2] == 0.0);
    ck_assert_ptr_null(opt_journal_find(j, 0xfedcba9876543210ULL, 8));
    ck_assert_ptr_null(opt_journal_find(j, 0x2ULL, 0));
    opt_journal_close(j, 0);
    /* without --resume it starts over */
    j = opt_journal_open(path, 3, 0, &err);
    ck_assert_uint_eq(opt_journal_loaded(j), 0);
    opt_journal_close(j, 0);
    j = opt_journal_open(path, 3, 1, &err);
    ck_assert_uint_eq(opt_journal_loaded(j), 0);
    opt_journal_close(j, 1);                                /* removed */
    ck_assert_int_ne(access(path, F_OK), 0);
    journal_rm(path);
}
END_TEST

START_TEST(test_journal_torn_line_and_other_shape)
{
    char path[256];
    journal_path(path, sizeof path);
    sim_err err;
    sim_err_clear(&err);
    const double a[2] = { 1.5, 2.5 };
    opt_journal *j = opt_journal_open(path, 2, 0, &err);
    for (uint64_t rep = 0; rep < 3; rep++)
        ck_assert_int_eq(opt_journal_append(j, 42, rep, a, &err), SIM_OK);
    opt_journal_sync(j, &err);
    opt_journal_close(j, 0);
    FILE *f = fopen(path, "a");                 /* a crash in mid-line */
    fputs("000000000000002a 3 0x1.8p+0", f);
    fclose(f);
    j = opt_journal_open(path, 2, 1, &err);
    ck_assert_uint_eq(opt_journal_loaded(j), 3);
    ck_assert_ptr_null(opt_journal_find(j, 42, 3));
    /* the torn tail is cut before the next line is appended */
    ck_assert_int_eq(opt_journal_append(j, 42, 3, a, &err), SIM_OK);
    opt_journal_sync(j, &err);
    opt_journal_close(j, 0);
    j = opt_journal_open(path, 2, 1, &err);
    ck_assert_uint_eq(opt_journal_loaded(j), 4);
    ck_assert_ptr_nonnull(opt_journal_find(j, 42, 3));
    opt_journal_close(j, 0);
    /* another number of scalars (another version of the model): unused */
    j = opt_journal_open(path, 5, 1, &err);
    ck_assert_uint_eq(opt_journal_loaded(j), 0);
    opt_journal_close(j, 1);
    /* an unwritable place: SIM_EIO naming it */
    ck_assert_ptr_null(opt_journal_open("/nonexistent-dir/o.journal", 2, 0, &err));
    ck_assert_int_eq(err.code, SIM_EIO);
    ck_assert_msg(strstr(err.msg, "/nonexistent-dir/o.journal") != NULL, "%s", err.msg);
    journal_rm(path);
}
END_TEST

static Suite *optimize_suite(void)
{
    Suite *s = suite_create("optimize");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_expr_precedence_and_suffixes);
    tcase_add_test(tc, test_expr_errors_name_the_column);
    tcase_add_test(tc, test_constraint_forms_and_tolerance);
    tcase_add_test(tc, test_var_lists_ranges_grids);
    suite_add_tcase(s, tc);
    tc = tcase_create("write");
    tcase_add_test(tc, test_yaml_nested_named_items);
    tcase_add_test(tc, test_relpath);
    suite_add_tcase(s, tc);
    tc = tcase_create("journal");
    tcase_add_test(tc, test_journal_round_trip_bit_for_bit);
    tcase_add_test(tc, test_journal_torn_line_and_other_shape);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(optimize_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
