/* tests/check_unlinks.c - tools/unlinks.c: every path that can be removed
 * is, once, whatever the count (none, one, fewer and more than the
 * threads); those that cannot (missing, a directory) are left and not
 * counted; the caller's signal mask is as it was. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/unlinks.h"

/* n files in a new directory (its name in dir), their paths in a new array */
static char **make_files(char *dir, size_t n)
{
    strcpy(dir, "/tmp/vouchsim-unlinks.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char **p = calloc(n + 1, sizeof *p);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < n; i++) {
        p[i] = malloc(strlen(dir) + 32);
        ck_assert_ptr_nonnull(p[i]);
        sprintf(p[i], "%s/f%zu", dir, i);
        FILE *f = fopen(p[i], "w");
        ck_assert_ptr_nonnull(f);
        fputs("x", f);
        fclose(f);
    }
    return p;
}

static void free_paths(char **p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i]);
    free(p);
}

static void check_count(size_t n)
{
    char dir[64];
    char **p = make_files(dir, n);
    ck_assert_uint_eq(unlinks(p, n), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_ne(access(p[i], F_OK), 0);
    ck_assert_int_eq(rmdir(dir), 0);            /* nothing else was left in it */
    free_paths(p, n);
}

START_TEST(test_unlinks_every_count)
{
    static const size_t counts[] = { 0, 1, 2, 7, 8, 9, 100, 1000 };
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
        check_count(counts[k]);
}
END_TEST

START_TEST(test_unlinks_leaves_what_it_cannot_remove)
{
    char dir[64];
    size_t n = 20;
    char **p = make_files(dir, n);
    char **q = calloc(n + 2, sizeof *q);
    ck_assert_ptr_nonnull(q);
    memcpy(q, p, n * sizeof *q);
    char missing[96], sub[96];
    snprintf(missing, sizeof missing, "%s/never-made", dir);
    snprintf(sub, sizeof sub, "%s/a-directory", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    q[n] = missing;
    q[n + 1] = sub;
    ck_assert_uint_eq(unlinks(q, n + 2), n);
    struct stat st;
    ck_assert_int_eq(stat(sub, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    ck_assert_int_eq(rmdir(sub), 0);
    ck_assert_int_eq(rmdir(dir), 0);
    free(q);
    free_paths(p, n);
}
END_TEST

START_TEST(test_unlinks_keeps_the_signal_mask)
{
    sigset_t set, before, after;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    ck_assert_int_eq(sigprocmask(SIG_BLOCK, &set, &before), 0);
    sigprocmask(SIG_BLOCK, NULL, &before);
    char dir[64];
    char **p = make_files(dir, 30);
    ck_assert_uint_eq(unlinks(p, 30), 30);
    sigprocmask(SIG_BLOCK, NULL, &after);
    for (int sig = 1; sig < 32; sig++)
        ck_assert_int_eq(sigismember(&after, sig), sigismember(&before, sig));
    ck_assert_int_eq(sigismember(&after, SIGUSR1), 1);
    ck_assert_int_eq(sigismember(&after, SIGTERM), 0);
    ck_assert_int_eq(rmdir(dir), 0);
    free_paths(p, 30);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("unlinks");
    TCase *tc = tcase_create("unlinks");
    tcase_add_test(tc, test_unlinks_every_count);
    tcase_add_test(tc, test_unlinks_leaves_what_it_cannot_remove);
    tcase_add_test(tc, test_unlinks_keeps_the_signal_mask);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
