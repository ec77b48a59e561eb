/* tests/walkfix_h_names.c - economy_scalar_list, the scalars a run will
 * record listed without building an economy (tools/load.c checks them
 * against the result file's table before every run, sweep point and
 * optimize candidate), against the list of a real economy: for every
 * shipped scenario (scenarios/NAME.yaml), as it is and over one month,
 * three calendar years (per-year scalars) and two days from 31 December,
 * the same names, units and descriptions in the same order. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/config.h"
#include "models/economy.h"
#include "models/scenario.h"

#define MAX_SCENARIOS 64

static char *paths[MAX_SCENARIOS];
static size_t npaths;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The shipped scenarios, sorted, into paths[]. */
static void scenarios_find(void)
{
    const char *top = getenv("top_srcdir");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/scenarios", top && *top ? top : ".");
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) && npaths < MAX_SCENARIOS) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
            continue;
        char *p = malloc(strlen(dir) + len + 2);
        ck_assert_ptr_nonnull(p);
        sprintf(p, "%s/%s", dir, de->d_name);
        paths[npaths++] = p;
    }
    closedir(d);
    qsort(paths, npaths, sizeof *paths, by_name);
}

/* The scalars of scenario path under the --set values sets (n of them):
 * the economy's and economy_scalar_list's must be the same list. Returns
 * how many there are. */
static size_t same_list(const char *path, const char *const *sets, size_t nsets)
{
    sim_err err;
    sim_err_clear(&err);
    scn_doc *doc = scn_load(path, sets, nsets, &err);
    ck_assert_msg(doc != NULL, "%s", err.msg);
    config *cfg = config_from_scenario(doc, &err);
    ck_assert_msg(cfg != NULL, "%s", err.msg);
    economy *e = economy_new(cfg, 1, 0, &err);
    ck_assert_msg(e != NULL, "%s", err.msg);
    size_t n = (size_t)-1;
    econ_scalar_def *defs = economy_scalar_list(cfg, &n);
    ck_assert_ptr_nonnull(defs);
    const char *what = nsets ? sets[0] : "as shipped";
    ck_assert_msg(n == economy_scalar_count(e), "%s (%s): %zu names, the economy has %zu", path,
                  what, n, economy_scalar_count(e));
    for (size_t i = 0; i < n; i++) {
        const econ_scalar_def *s = economy_scalar(e, i);
        ck_assert_msg(strcmp(defs[i].name, s->name) == 0, "%s (%s): scalar %zu is %s, not %s",
                      path, what, i, defs[i].name, s->name);
        ck_assert_str_eq(defs[i].unit, s->unit);
        ck_assert_str_eq(defs[i].desc, s->desc);
    }
    free(defs);
    economy_free(e);
    config_free(cfg);
    scn_free(doc);
    return n;
}

static void setup(void)
{
    scenarios_find();
}

static void teardown(void)
{
    for (size_t i = 0; i < npaths; i++)
        free(paths[i]);
    npaths = 0;
}

START_TEST(test_scalar_list_shipped_as_is)
{
    ck_assert_uint_ge(npaths, 10);      /* the shipped scenarios were found */
    for (size_t i = 0; i < npaths; i++)
        ck_assert_uint_gt(same_list(paths[i], NULL, 0), 0);
}
END_TEST

START_TEST(test_scalar_list_shipped_windows)
{
    ck_assert_uint_ge(npaths, 10);
    const char *month[] = { "horizon=30d" };
    const char *years[] = { "horizon=3y" };
    const char *eve[] = { "start=2024-12-31", "horizon=2d" };
    size_t more_years = 0;
    for (size_t i = 0; i < npaths; i++) {
        size_t n1 = same_list(paths[i], month, 1);
        size_t n3 = same_list(paths[i], years, 1);
        size_t n2 = same_list(paths[i], eve, 2);
        more_years += n3 > n1 && n2 > n1;
    }
    ck_assert_uint_eq(more_years, npaths);      /* the per-year scalars were compared */
}
END_TEST

static Suite *names_suite(void)
{
    Suite *s = suite_create("walkfix_h_names");
    TCase *tc = tcase_create("scalar_list");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_scalar_list_shipped_as_is);
    tcase_add_test(tc, test_scalar_list_shipped_windows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(names_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
