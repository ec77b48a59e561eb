/* tests/check_par.c - tools/par.c outside MPI: one rank, no CPUs of other
 * ranks (par_node_cpus says 0 and an empty set), and par_cpus_apply moves
 * the calling thread to a set of CPUs and back, reporting where it could
 * run before; an empty set changes nothing; the choice of Open MPI's
 * shared-memory messaging follows mpirun's environment. (Under mpirun, tests/mpi.sh
 * checks that rank 0's merge gets the CPUs of both ranks.) */
#ifdef __linux__
#define _GNU_SOURCE             /* sched_getaffinity */
#include <sched.h>
#endif
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tools/par.h"

START_TEST(test_par_one_rank_has_no_node_cpus)
{
    par_cpuset s;
    memset(&s, 0xff, sizeof s);
    ck_assert_uint_eq(par_node_cpus(&s), 0);
    for (size_t i = 0; i < sizeof s.bits; i++)
        ck_assert_uint_eq(s.bits[i], 0);
    ck_assert_uint_eq(par_rank(), 0);
    ck_assert_uint_eq(par_size(), 1);
}
END_TEST

START_TEST(test_par_cpus_apply_and_back)
{
    par_cpuset empty, old;
    memset(&empty, 0, sizeof empty);
    memset(&old, 0xff, sizeof old);
    ck_assert_int_eq(par_cpus_apply(&empty, &old), -1);
    for (size_t i = 0; i < sizeof old.bits; i++)
        ck_assert_uint_eq(old.bits[i], 0);
#ifdef __linux__
    cpu_set_t before, now;
    ck_assert_int_eq(sched_getaffinity(0, sizeof before, &before), 0);
    int first = -1;
    for (int c = 0; c < CPU_SETSIZE && first < 0; c++)
        if (CPU_ISSET(c, &before))
            first = c;
    ck_assert_int_ge(first, 0);
    par_cpuset one;
    memset(&one, 0, sizeof one);
    one.bits[first / 8] = (unsigned char)(1u << (first % 8));
    ck_assert_int_eq(par_cpus_apply(&one, &old), 0);
    ck_assert_int_eq(sched_getaffinity(0, sizeof now, &now), 0);
    ck_assert_int_eq(CPU_COUNT(&now), 1);
    ck_assert(CPU_ISSET(first, &now));
    ck_assert(memcmp(old.bits, &before, sizeof old.bits) == 0);   /* where it ran before */
    ck_assert_int_eq(par_cpus_apply(&old, NULL), 0);
    ck_assert_int_eq(sched_getaffinity(0, sizeof now, &now), 0);
    ck_assert(CPU_EQUAL(&now, &before));
#endif
}
END_TEST

/* Open MPI's shared-memory messaging when mpirun says every rank is on
 * this node and nobody chose a PML; never otherwise. */
START_TEST(test_par_prefer_shared_memory)
{
    unsetenv("OMPI_MCA_pml");
    unsetenv("OMPI_COMM_WORLD_SIZE");
    unsetenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    ck_assert_int_eq(par_prefer_shared_memory(), 0);          /* not under mpirun */
    setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
    ck_assert_int_eq(par_prefer_shared_memory(), 0);          /* locality unknown */
    setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "2", 1);
    ck_assert_int_eq(par_prefer_shared_memory(), 0);          /* two nodes */
    setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "4", 1);
    ck_assert_int_eq(par_prefer_shared_memory(), 1);          /* one node */
    setenv("OMPI_MCA_pml", "ucx", 1);
    ck_assert_int_eq(par_prefer_shared_memory(), 0);          /* the user's choice */
    setenv("OMPI_MCA_pml", "", 1);
    ck_assert_int_eq(par_prefer_shared_memory(), 1);
    setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "4x", 1);
    ck_assert_int_eq(par_prefer_shared_memory(), 0);          /* not a number */
    unsetenv("OMPI_MCA_pml");
    unsetenv("OMPI_COMM_WORLD_SIZE");
    unsetenv("OMPI_COMM_WORLD_LOCAL_SIZE");
}
END_TEST

/* The launcher's environment read as numbers: Open MPI's first, then
 * PMI's and Slurm's; anything but a whole number is not one. */
START_TEST(test_par_launched)
{
    static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                        "SLURM_STEP_NUM_TASKS", "OMPI_COMM_WORLD_RANK",
                                        "PMI_RANK", "PMIX_RANK", "SLURM_PROCID", NULL };
    for (int i = 0; vars[i]; i++)
        unsetenv(vars[i]);
    ck_assert_int_eq(par_launched_size(), 0);
    ck_assert_int_eq(par_launched_rank(), 0);
    setenv("SLURM_STEP_NUM_TASKS", "8", 1);
    setenv("SLURM_PROCID", "5", 1);
    ck_assert_int_eq(par_launched_size(), 8);
    ck_assert_int_eq(par_launched_rank(), 5);
    setenv("PMI_SIZE", "3", 1);
    setenv("PMI_RANK", "2", 1);
    ck_assert_int_eq(par_launched_size(), 3);
    ck_assert_int_eq(par_launched_rank(), 2);
    setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
    setenv("OMPI_COMM_WORLD_RANK", "1", 1);
    ck_assert_int_eq(par_launched_size(), 2);
    ck_assert_int_eq(par_launched_rank(), 1);
    setenv("OMPI_COMM_WORLD_SIZE", "2x", 1);       /* not a number: the next one */
    setenv("OMPI_COMM_WORLD_RANK", "", 1);
    ck_assert_int_eq(par_launched_size(), 3);
    ck_assert_int_eq(par_launched_rank(), 2);
    for (int i = 0; vars[i]; i++)
        unsetenv(vars[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("par");
    TCase *tc = tcase_create("one rank");
    tcase_add_test(tc, test_par_one_rank_has_no_node_cpus);
    tcase_add_test(tc, test_par_cpus_apply_and_back);
    tcase_add_test(tc, test_par_prefer_shared_memory);
    tcase_add_test(tc, test_par_launched);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
