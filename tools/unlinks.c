/* tools/unlinks.c - removing many files at once (see unlinks.h). */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

#include "config.h"
#include "tools/unlinks.h"

enum { UNLINKS_THREADS = 8 };   /* removals in flight: the device's waits overlap */

typedef struct unlinks_job {
    char *const  *paths;
    size_t        n;
    atomic_size_t next;
    atomic_size_t removed;
} unlinks_job;

static void *unlinks_worker(void *arg)
{
    unlinks_job *j = arg;
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;)
        if (unlink(j->paths[i]) == 0)
            atomic_fetch_add(&j->removed, 1);
    return NULL;
}

size_t unlinks(char *const *paths, size_t n)
{
    unlinks_job j = { .paths = paths, .n = n };
    atomic_init(&j.next, 0);
    atomic_init(&j.removed, 0);
    pthread_t tid[UNLINKS_THREADS - 1];
    size_t started = 0, want = n < UNLINKS_THREADS ? (n ? n - 1 : 0) : UNLINKS_THREADS - 1;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);      /* inherited by the threads */
    while (started < want && pthread_create(&tid[started], NULL, unlinks_worker, &j) == 0)
        started++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    unlinks_worker(&j);                             /* and this thread, whatever started */
    for (size_t k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    return atomic_load(&j.removed);
}
