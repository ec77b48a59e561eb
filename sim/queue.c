/* sim/queue.c - pending-event priority queue.
 *
 * Binary min-heap keyed on (time, seq), seq a push counter, so equal times
 * pop FIFO. engine.c calls the handlers. */
#include "sim/queue.h"

#include <math.h>
#include <stdlib.h>

typedef struct node {
    double   t;
    uint64_t seq;
    uint32_t slot;
} node;

struct sim_queue {
    node    *h;
    size_t   n, cap;
    uint64_t seq;
};

static int before(const node *a, const node *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

sim_queue *sim_queue_new(void)
{
    return calloc(1, sizeof(sim_queue));
}

void sim_queue_free(sim_queue *q)
{
    if (q) {
        free(q->h);
        free(q);
    }
}

int sim_queue_push(sim_queue *q, double t, uint32_t slot)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 256;
        node *h = realloc(q->h, cap * sizeof *h);
        if (!h)
            return -1;
        q->h = h, q->cap = cap;
    }
    node e = { t, q->seq++, slot };
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&e, &q->h[p]))
            break;
        q->h[i] = q->h[p];
        i = p;
    }
    q->h[i] = e;
    return 0;
}

double sim_queue_peek_time(const sim_queue *q)
{
    return q->n ? q->h[0].t : INFINITY;
}

int sim_queue_pop_le(sim_queue *q, double limit, double *t, uint32_t *slot)
{
    if (q->n == 0 || q->h[0].t > limit)
        return 0;
    *t = q->h[0].t;
    *slot = q->h[0].slot;
    node last = q->h[--q->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= q->n)
            break;
        if (c + 1 < q->n && before(&q->h[c + 1], &q->h[c]))
            c++;
        if (!before(&q->h[c], &last))
            break;
        q->h[i] = q->h[c];
        i = c;
    }
    if (q->n)
        q->h[i] = last;
    return 1;
}

size_t sim_queue_size(const sim_queue *q)
{
    return q->n;
}
