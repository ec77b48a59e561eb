/* tests/check_program.c - a program's budget pots and its ledger check. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/program.h"

static program_cfg plain_cfg(double budget)
{
    program_cfg c = { 0 };
    c.name = "shandong";
    c.budget = budget;
    c.coverage = 0.8;
    c.cap_per_firm = INFINITY;
    c.exhausted_below = 1.0;        /* run out below a yuan */
    return c;
}

START_TEST(test_program_grant_spend_close_balance)
{
    program_cfg c = plain_cfg(10000.0);
    program_state p;
    program_init(&p, &c, 1, 0, 9);
    double v = program_grant(&p, 6400.0, 1.0);
    ck_assert_double_eq(v, 6400.0);
    ck_assert_double_eq(p.remaining, 3600.0);
    ck_assert_double_eq(p.committed, 6400.0);
    ck_assert(isnan(p.exhaustion_h));
    double left = v;
    ck_assert_double_eq(program_spend(&p, &left, 4000.0), 4000.0);
    ck_assert_double_eq(program_spend(&p, &left, 4000.0), 2400.0);   /* what is left */
    ck_assert_double_eq(left, 0.0);
    ck_assert_double_eq(p.spent, 6400.0);
    program_voucher_close(&p, left, 0);
    ck_assert_uint_eq(p.vouchers_active, 0);
    /* a partial grant, then a refusal, exhaustion at the partial one */
    double w = program_grant(&p, 6400.0, 2.0);
    ck_assert_double_eq(w, 3600.0);
    ck_assert_double_eq(p.exhaustion_h, 2.0);
    ck_assert_double_eq(program_grant(&p, 6400.0, 3.0), 0.0);
    ck_assert_uint_eq(p.refusals, 1);
    ck_assert_uint_eq(p.grants, 2);
    program_voucher_close(&p, w, 1);                    /* returned */
    ck_assert_double_eq(p.remaining, 3600.0);
    program_change ch = { 5.0, 1000.0, 0.5, 2000.0, 1 };
    program_change_apply(&p, &ch);
    ck_assert_double_eq(p.remaining, 4600.0);
    ck_assert_double_eq(p.tranches, 1000.0);
    ck_assert_double_eq(p.coverage, 0.5);
    ck_assert_double_eq(p.cap_per_firm, 2000.0);
    ck_assert_int_eq(p.closed, 1);
    program_change keep = { 6.0, 0.0, NAN, NAN, 0 };
    program_change_apply(&p, &keep);
    ck_assert_double_eq(p.coverage, 0.5);
    ck_assert_double_eq(p.cap_per_firm, 2000.0);
    /* less than a yuan left counts as nothing: refused */
    double y = program_grant(&p, p.remaining - 0.5, 6.5);
    ck_assert_double_eq(p.remaining, 0.5);
    ck_assert_double_eq(program_grant(&p, 100.0, 6.6), 0.0);
    ck_assert_uint_eq(p.refusals, 2);
    program_voucher_close(&p, y, 1);
    /* a lapse */
    double x = program_grant(&p, 600.0, 7.0);
    program_voucher_close(&p, x, 0);
    ck_assert_double_eq(p.lapsed, 600.0);
    sim_err err = { 0 };
    ck_assert_int_eq(program_ledger_check(&p, c.name, &err), SIM_OK);
    program_fini(&p);
}
END_TEST

START_TEST(test_program_ledger_detects_imbalance)
{
    program_cfg c = plain_cfg(30e6);
    program_state p;
    program_init(&p, &c, 1, 0, 9);
    program_change ch = { 5.0, 1e9, NAN, NAN, 0 };
    program_change_apply(&p, &ch);
    double v = program_grant(&p, 1000.0, 1.0);
    ck_assert_double_eq(v, 1000.0);
    sim_err err = { 0 };
    ck_assert_int_eq(program_ledger_check(&p, c.name, &err), SIM_OK);
    p.spent += 12.5;                                   /* money from nowhere */
    ck_assert_int_eq(program_ledger_check(&p, c.name, &err), SIM_ECHECK);
    ck_assert_int_eq(err.code, SIM_ECHECK);
    ck_assert_msg(strstr(err.msg, "ledger: program shandong: initial 30000000 + tranches "
                                  "1000000000 != remaining") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "(off by -12.50 CNY)") != NULL, "%s", err.msg);
    p.spent -= 12.5;
    p.remaining += 0.9;                                /* within a yuan */
    ck_assert_int_eq(program_ledger_check(&p, c.name, NULL), SIM_OK);
    p.remaining -= 0.9;
    /* balanced but negative */
    p.committed -= 5000.0;
    p.remaining += 5000.0;
    ck_assert_int_eq(program_ledger_check(&p, c.name, &err), SIM_ECHECK);
    ck_assert_str_eq(err.msg, "ledger: program shandong: committed is negative (-4000.00 CNY)");
    program_fini(&p);
}
END_TEST

/* Rounding at 10^15 yuan: off by 26.62 yuan is a trillionth's rounding
 * there, not money from nowhere; at 10^9 the tolerance stays 1 yuan. */
START_TEST(test_program_ledger_tolerance_scales)
{
    ck_assert_double_eq(program_ledger_tol(1e9), 1.0);
    ck_assert_double_eq(program_ledger_tol(1e12), 1.0);
    ck_assert_double_eq_tol(program_ledger_tol(1e15), 1000.0, 1e-9);
    program_cfg c = plain_cfg(1e15);
    program_state p;
    program_init(&p, &c, 1, 0, 9);
    ck_assert_int_eq(program_ledger_check(&p, c.name, NULL), SIM_OK);
    p.spent += 26.62;
    ck_assert_int_eq(program_ledger_check(&p, c.name, NULL), SIM_OK);
    p.spent += 1000.0;
    ck_assert_int_eq(program_ledger_check(&p, c.name, NULL), SIM_ECHECK);
    program_fini(&p);
    c = plain_cfg(1e9);
    program_init(&p, &c, 1, 0, 9);
    p.spent += 1.5;
    ck_assert_int_eq(program_ledger_check(&p, c.name, NULL), SIM_ECHECK);
    program_fini(&p);
}
END_TEST

/* By default a program has run out when less than its mean voucher is
 * left: a returned sum too small for one more typical voucher is not
 * money left. */
START_TEST(test_program_runs_out_below_mean_voucher)
{
    program_cfg c = plain_cfg(10000.0);
    c.exhausted_below = NAN;
    program_state p;
    program_init(&p, &c, 1, 0, 9);
    ck_assert(!program_is_empty(&p));
    ck_assert_double_eq(program_empty_below(&p), 1.0);         /* before any grant */
    ck_assert_double_eq(program_grant(&p, 4000.0, 1.0), 4000.0);
    ck_assert_double_eq(program_grant(&p, 2000.0, 2.0), 2000.0);
    ck_assert_double_eq(program_empty_below(&p), 3000.0);      /* mean of 4000, 2000 */
    ck_assert(isnan(p.exhaustion_h));
    ck_assert_double_eq(program_grant(&p, 1500.0, 3.0), 1500.0);  /* 2500 left < 2500? no: mean 2500 */
    ck_assert_double_eq(p.remaining, 2500.0);
    ck_assert(!program_is_empty(&p));                           /* exactly one mean voucher */
    ck_assert_double_eq(program_grant(&p, 600.0, 4.0), 600.0);   /* 1900 < mean 2025 */
    ck_assert(program_is_empty(&p));
    ck_assert_double_eq(p.exhaustion_h, 4.0);
    ck_assert_double_eq(program_grant(&p, 100.0, 5.0), 0.0);    /* refused */
    program_voucher_close(&p, 100.0, 1);                        /* a small return */
    ck_assert(program_is_empty(&p));
    ck_assert_double_eq(program_final_exhaustion_h(&p), 4.0);   /* does not flip */
    program_voucher_close(&p, 1000.0, 1);                       /* a whole voucher's worth */
    ck_assert(!program_is_empty(&p));
    ck_assert(isnan(program_final_exhaustion_h(&p)));
    program_fini(&p);
}
END_TEST

/* The window's start: the opening balance becomes the initial budget, the
 * flows restart, and the ledger still holds. */
START_TEST(test_program_measure_start_keeps_ledger)
{
    program_cfg c = plain_cfg(10000.0);
    program_state p;
    program_init(&p, &c, 1, 0, 9);
    double v = program_grant(&p, 6000.0, 1.0), left = v;
    program_spend(&p, &left, 1000.0);
    program_measure_start(&p, 100.0);
    ck_assert_double_eq(p.initial, 9000.0);           /* 4000 left + 5000 committed */
    ck_assert_double_eq(p.spent, 0.0);
    ck_assert_uint_eq(p.grants, 0);
    ck_assert(isnan(p.exhaustion_h));
    program_spend(&p, &left, 2000.0);
    program_voucher_close(&p, left, 0);               /* 3000 lapse */
    ck_assert_double_eq(p.spent, 2000.0);
    ck_assert_double_eq(p.lapsed, 3000.0);
    ck_assert_int_eq(program_ledger_check(&p, "p", NULL), SIM_OK);
    /* a program that has run out counts as run out from the start */
    ck_assert_double_eq(program_grant(&p, 5000.0, 110.0), 4000.0);
    program_measure_start(&p, 200.0);
    ck_assert_double_eq(p.exhaustion_h, 200.0);
    program_fini(&p);
}
END_TEST

/* First and final run-out: a tranche refills an empty budget (no final
 * run-out while money is left), then it runs out again for good. */
START_TEST(test_program_final_exhaustion_after_tranche)
{
    program_cfg c = plain_cfg(1000.0);
    program_state p;
    program_init(&p, &c, 1, 0, 9);
    ck_assert(isnan(program_final_exhaustion_h(&p)));
    ck_assert_double_eq(program_grant(&p, 1000.0, 10.0), 1000.0);
    ck_assert_double_eq(p.exhaustion_h, 10.0);
    ck_assert_double_eq(program_final_exhaustion_h(&p), 10.0);
    program_change ch = { 20.0, 500.0, NAN, NAN, 0 };
    program_change_apply(&p, &ch);
    ck_assert(isnan(program_final_exhaustion_h(&p)));         /* money left again */
    ck_assert_double_eq(program_grant(&p, 300.0, 30.0), 300.0);
    ck_assert(isnan(program_final_exhaustion_h(&p)));
    ck_assert_double_eq(program_grant(&p, 300.0, 40.0), 200.0);  /* runs out again */
    ck_assert_double_eq(p.exhaustion_h, 10.0);                 /* first stays */
    ck_assert_double_eq(program_final_exhaustion_h(&p), 40.0);
    program_voucher_close(&p, 150.0, 1);                        /* unspent value returns */
    ck_assert(isnan(program_final_exhaustion_h(&p)));
    program_fini(&p);
}
END_TEST

START_TEST(test_program_pending_grows)
{
    program_cfg c = plain_cfg(1.0);
    program_state p;
    program_init(&p, &c, 1, 0, 9);
    for (uint32_t i = 0; i < 1000; i++)
        ck_assert_int_eq(program_pending_push(&p, i), SIM_OK);
    ck_assert_uint_eq(p.npending, 1000);
    ck_assert_uint_eq(p.pending[999], 999);
    program_fini(&p);
}
END_TEST

static Suite *program_suite(void)
{
    Suite *s = suite_create("program");
    TCase *tc = tcase_create("ledger");
    tcase_add_test(tc, test_program_grant_spend_close_balance);
    tcase_add_test(tc, test_program_ledger_detects_imbalance);
    tcase_add_test(tc, test_program_ledger_tolerance_scales);
    tcase_add_test(tc, test_program_pending_grows);
    tcase_add_test(tc, test_program_final_exhaustion_after_tranche);
    tcase_add_test(tc, test_program_runs_out_below_mean_voucher);
    tcase_add_test(tc, test_program_measure_start_keeps_ledger);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(program_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
