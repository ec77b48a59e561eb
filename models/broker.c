/* models/broker.c - routing policies: nearest, cheapest, least loaded,
 * latency-aware, west-first.
 *
 * broker_route is the definition: one pass over the centers per policy.
 * broker_index answers the same without the pass (broker.h): a tournament
 * tree on (load, index) with subtree summaries, refreshed only at the
 * centers that report a change, searched by branch and bound, and orders
 * of the centers by price and latency walked from the front. Equal
 * answers, ties included, are tests/check_broker.c's to show. */
#include "models/broker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* SSE2 (every x86-64) for the scan of a block; the plain C beside it gives
 * the same answers (tests/check_broker_scalar builds it). */
#if defined(__SSE2__) && !defined(BROKER_SCALAR)
#define VECTOR_ 1
#include <emmintrin.h>
#else
#define VECTOR_ 0
#endif

/* What a pass minimises over the candidate centers. */
typedef enum { KEY_LATENCY, KEY_PRICE, KEY_LOAD } key_kind;

/* Filters on top of "allowed and big enough". */
typedef enum { ONLY_ANY, ONLY_WITHIN_BOUND, ONLY_WEST_NOW } only_kind;

static long best(const config *cfg, const dc_state *dcs, const unsigned char *allowed,
                 const broker_job *job, key_kind key, only_kind only)
{
    long pick = -1;
    double pick_v = INFINITY;
    for (size_t i = 0; i < cfg->ndcs; i++) {
        const dc_state *d = &dcs[i];
        const dc_cfg *c = &cfg->dcs[i];
        if ((allowed && !allowed[i]) || d->capacity < job->gpus)
            continue;
        if (only == ONLY_WITHIN_BOUND && !(c->latency_ms[job->city] <= job->latency_ms))
            continue;
        if (only == ONLY_WEST_NOW && (c->region != REGION_WEST || !dc_can_start(d, job->gpus)))
            continue;
        double v = key == KEY_LATENCY ? c->latency_ms[job->city]
                 : key == KEY_PRICE ? c->price : dc_load(d);
        if (pick < 0 || v < pick_v)      /* strict: ties keep the lower index */
            pick = (long)i, pick_v = v;
    }
    return pick;
}

long broker_route(route_policy policy, const config *cfg, const dc_state *dcs,
                  const unsigned char *allowed, const broker_job *job)
{
    long i;
    switch (policy) {
    case ROUTE_NEAREST:
        return best(cfg, dcs, allowed, job, KEY_LATENCY, ONLY_ANY);
    case ROUTE_CHEAPEST:
        return best(cfg, dcs, allowed, job, KEY_PRICE, ONLY_ANY);
    case ROUTE_LEAST_LOADED:
        return best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_ANY);
    case ROUTE_LATENCY_AWARE:
        if (job->kind != JOB_INFERENCE)
            return best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_ANY);
        i = best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_WITHIN_BOUND);
        return i >= 0 ? i : best(cfg, dcs, allowed, job, KEY_LATENCY, ONLY_ANY);
    case ROUTE_WEST_FIRST:
        i = best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_WEST_NOW);
        return i >= 0 ? i : best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_ANY);
    case ROUTE_COUNT:
        break;
    }
    return -1;
}

/* ---- the routing index ---- */

#define NO_DC UINT32_MAX

/* Centers per block, the tree's leaves: a block is scanned whole (its
 * records are side by side), the tree above it is small enough to stay in
 * the cache. */
enum { BLOCK = 16 };

enum { BLOCK_SHIFT = 4 };
_Static_assert(BLOCK == 1 << BLOCK_SHIFT, "BLOCK is 2^BLOCK_SHIFT");

/* A node of the tree, over the centers of its blocks. */
typedef struct tnode {
    double   key;               /* the least load */
    uint32_t id;                /* its center (lowest index on ties); NO_DC: none */
    uint32_t cap;               /* the largest capacity, clamped to [0, UINT32_MAX] */
} tnode;

struct broker_index {
    const config *cfg;
    route_policy  policy;
    dc_state     *dcs;
    dc_watch      watch;        /* the centers store key, cap and free_ and list
                                   their blocks (datacenter.h, dc_touch) */
    size_t        n;            /* centers */
    size_t        nblocks;      /* ceil(n / BLOCK) */
    size_t        nleaves;      /* a power of 2 >= nblocks; nodes 1 .. 2 nleaves - 1 */
    /* per center, by its place in the tree (blocks of BLOCK places): */
    uint32_t     *at;           /* [n]: the place of center i */
    uint32_t     *who;          /* [nblocks * BLOCK]: the center at a place; NO_DC */
    double       *least;        /* [nblocks]: a block's least load at its last scan */
    uint32_t     *least_at;     /* [nblocks]: the place holding it (watch.least*) */
    double       *key;          /* its load (watch.load) */
    int64_t      *cap;          /* its capacity (watch.cap) */
    int64_t      *free_;        /* west_first: free GPUs of a western center with
                                   nobody waiting, else INT64_MIN (watch.free_) */
    uint64_t     *cbits;        /* [place * nwords]: static, bit m: accepted by
                                   mask m; bit nmasks + c: within city c's
                                   inference bound */
    /* per tree node, over its subtree: */
    tnode        *nd;           /* [2 nleaves], 64-byte aligned */
    int64_t      *maxfree;      /* [2 nleaves], west_first only: most free_ */
    uint64_t     *bits;         /* [node * nwords]: OR of cbits */
    size_t        nwords;
    uint32_t     *lvl;          /* [2 nleaves]: refresh's nodes of a level, and the next */
    unsigned char *mark;        /* [2 nleaves]: node is on the next level's list */
    size_t        nmasks;       /* distinct accepts lists among the programs */
    uint32_t     *mask_of;      /* [nprograms]: program's mask; NO_DC: accepts all */
    double       *bound;        /* [ncities]: inference bound (latency_aware) */
    uint32_t     *by_price;     /* [n]: centers by (price, index) (cheapest) */
    uint32_t     *by_lat;       /* [ncities * n]: by (latency to city c, index) */
    int           scan;         /* a key is NaN: route by broker_route's pass */
    uint64_t      routes, passes, visited, updated;
};

static int bit_get(const uint64_t *bits, size_t nwords, size_t at, size_t b)
{
    return (int)(bits[at * nwords + b / 64] >> (b % 64) & 1u);
}

/* (key, id) of a before b's */
static int node_less(const tnode *a, const tnode *b)
{
    return a->key < b->key || (a->key == b->key && a->id < b->id);
}

static uint32_t clamp_cap(int64_t c)
{
    return c < 0 ? 0 : c > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* Sets node v from (key, id, cap, free); 1 when it changed. */
static int node_set(broker_index *bx, size_t v, double key, uint32_t id, uint32_t cap,
                    int64_t fr)
{
    tnode *n = &bx->nd[v];
    int changed = n->key != key || n->id != id || n->cap != cap;
    n->key = key, n->id = id, n->cap = cap;
    if (bx->maxfree) {
        changed |= bx->maxfree[v] != fr;
        bx->maxfree[v] = fr;
    }
    bx->updated++;
    return changed;
}

/* Recomputes node v from its children; 1 when it changed. */
static int pull(broker_index *bx, size_t v)
{
    const tnode *l = &bx->nd[2 * v], *r = l + 1, *w = node_less(r, l) ? r : l;
    int64_t fr = INT64_MIN;
    if (bx->maxfree)
        fr = bx->maxfree[2 * v] > bx->maxfree[2 * v + 1] ? bx->maxfree[2 * v] : bx->maxfree[2 * v + 1];
    return node_set(bx, v, w->key, w->id, l->cap > r->cap ? l->cap : r->cap, fr);
}

#define MIN_(a, b) ((b) < (a) ? (b) : (a))   /* a when equal: ties and -0 alike */
#define MAX_(a, b) ((b) > (a) ? (b) : (a))

/* Recomputes the leaf of block b from its places, its capacity too when
 * cap (else it has not changed); 1 when it changed. A refresh scans many
 * blocks: in lanes that do not wait for each other, without branches on
 * which place wins (not predictable) but for a tie of least loads. */
static int block_pull(broker_index *bx, size_t b, int cap)
{
    _Static_assert(BLOCK % 4 == 0, "BLOCK: whole lanes");
    size_t k0 = b * BLOCK;
    const double *key = bx->key + k0;
    const int64_t *cp = bx->cap + k0;
    const uint32_t *who = bx->who + k0;
#if VECTOR_
    __m128d v0 = _mm_loadu_pd(key), v1 = _mm_loadu_pd(key + 2);
    for (size_t k = 4; k < BLOCK; k += 4) {
        v0 = _mm_min_pd(_mm_loadu_pd(key + k), v0);
        v1 = _mm_min_pd(_mm_loadu_pd(key + k + 2), v1);
    }
    v0 = _mm_min_pd(v1, v0);
    double lo = _mm_cvtsd_f64(v0), hi = _mm_cvtsd_f64(_mm_unpackhi_pd(v0, v0));
    double m = MIN_(lo, hi);
#else
    double m0 = key[0], m1 = key[1], m2 = key[2], m3 = key[3];
    for (size_t k = 4; k < BLOCK; k += 4) {
        m0 = MIN_(m0, key[k]), m1 = MIN_(m1, key[k + 1]);
        m2 = MIN_(m2, key[k + 2]), m3 = MIN_(m3, key[k + 3]);
    }
    double m = MIN_(MIN_(m0, m1), MIN_(m2, m3));
#endif
    uint32_t cmax = bx->nd[bx->nleaves + b].cap;
    if (cap) {
        int64_t c0 = cp[0], c1 = cp[1], c2 = cp[2], c3 = cp[3];
        for (size_t k = 4; k < BLOCK; k += 4) {
            c0 = MAX_(c0, cp[k]), c1 = MAX_(c1, cp[k + 1]);
            c2 = MAX_(c2, cp[k + 2]), c3 = MAX_(c3, cp[k + 3]);
        }
        cmax = clamp_cap(MAX_(MAX_(c0, c1), MAX_(c2, c3)));
    }
    /* the lowest index among the places with the least key (empty places:
     * INFINITY, NO_DC); mostly there is one */
    unsigned eq = 0;
#if VECTOR_
    __m128d mm = _mm_set1_pd(m);
    for (size_t k = 0; k < BLOCK; k += 2)
        eq |= (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(_mm_loadu_pd(key + k), mm)) << k;
#else
    for (size_t k = 0; k < BLOCK; k++)
        eq |= (unsigned)(key[k] == m) << k;
#endif
    uint32_t id = NO_DC, at = 0;
    if (eq && !(eq & (eq - 1)))
        at = (uint32_t)__builtin_ctz(eq), id = who[at];
    else
        for (; eq; eq &= eq - 1) {
            uint32_t j = (uint32_t)__builtin_ctz(eq);
            if (who[j] < id)
                id = who[j], at = j;
        }
    bx->least[b] = m, bx->least_at[b] = (uint32_t)k0 + at;
    int64_t fr = INT64_MIN;
    if (bx->free_) {
        const int64_t *f = bx->free_ + k0;
        int64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3];
        for (size_t k = 4; k < BLOCK; k += 4) {
            f0 = MAX_(f0, f[k]), f1 = MAX_(f1, f[k + 1]);
            f2 = MAX_(f2, f[k + 2]), f3 = MAX_(f3, f[k + 3]);
        }
        fr = MAX_(MAX_(f0, f1), MAX_(f2, f3));
    }
    return node_set(bx, bx->nleaves + b, m, id, cmax, fr);
}

#undef MIN_
#undef MAX_

/* Brings the tree up to date with the places (dc_touch stored them): the
 * leaves of the blocks the centers listed, then the tree one level at a
 * time where a child changed. */
static void refresh(broker_index *bx)
{
    dc_watch *w = &bx->watch;
    uint32_t *cur = bx->lvl, *next = bx->lvl + bx->nleaves;
    size_t m = 0, m2 = 0;
    /* many blocks: in order, so the places stream from memory */
    int in_order = w->n * 4 > bx->nblocks;
    for (size_t k = 0, nb = in_order ? bx->nblocks : w->n; k < nb; k++) {
        uint32_t b = in_order ? (uint32_t)k : w->blocks[k];
        if (!w->listed[b])
            continue;
        size_t p = (bx->nleaves + b) / 2;
        int cap = w->listed[b] & DC_LISTED_CAP;
        w->listed[b] = 0;
        if (block_pull(bx, b, cap) && p >= 1 && !bx->mark[p])
            bx->mark[p] = 1, cur[m++] = (uint32_t)p;
    }
    w->n = 0;
    while (m) {
        for (size_t k = 0; k < m; k++) {
            uint32_t v = cur[k], p = v / 2;
            bx->mark[v] = 0;
            if (pull(bx, v) && p >= 1 && !bx->mark[p])
                bx->mark[p] = 1, next[m2++] = p;
        }
        uint32_t *t = cur;
        cur = next, next = t, m = m2, m2 = 0;
    }
}

/* What a search asks of a center besides "least loaded". */
typedef struct query {
    size_t   mbit;                  /* accepted by this mask, or SIZE_MAX: any */
    int64_t  gpus;
    size_t   cbit;                  /* within the city's bound: its bit, or SIZE_MAX */
    int      west_now;              /* western, can start now */
} query;

/* The center at place k passes q: best()'s tests, on the copies. */
static int fits(const broker_index *bx, const query *q, size_t k)
{
    if (bx->cap[k] < q->gpus || (q->west_now && bx->free_[k] < q->gpus))
        return 0;
    if (q->mbit != SIZE_MAX && !bit_get(bx->cbits, bx->nwords, k, q->mbit))
        return 0;
    if (q->cbit != SIZE_MAX && !bit_get(bx->cbits, bx->nwords, k, q->cbit))
        return 0;
    return 1;
}

/* Node's subtree may hold a center that passes q. */
static int may_fit(const broker_index *bx, const query *q, size_t node)
{
    if ((int64_t)bx->nd[node].cap < q->gpus || (q->west_now && bx->maxfree[node] < q->gpus))
        return 0;
    if (q->mbit != SIZE_MAX && !bit_get(bx->bits, bx->nwords, node, q->mbit))
        return 0;
    if (q->cbit != SIZE_MAX && !bit_get(bx->bits, bx->nwords, node, q->cbit))
        return 0;
    return 1;
}

/* The least loaded center passing q (lowest index on ties), or -1: branch
 * and bound from the root, the better child first; a subtree whose best
 * (load, index) is no better than the best found, or that holds no center
 * passing q, is skipped; a block is scanned. */
static long search(broker_index *bx, const query *q)
{
    size_t stack[2 * 64], top = 0;
    uint32_t pick = NO_DC;
    double pick_k = INFINITY;
    stack[top++] = 1;
    while (top) {
        size_t node = stack[--top];
        const tnode *n = &bx->nd[node];
        bx->visited++;
        if (n->id == NO_DC)
            continue;
        if (pick != NO_DC && !(n->key < pick_k || (n->key == pick_k && n->id < pick)))
            continue;
        if (!may_fit(bx, q, node))
            continue;
        if (node >= bx->nleaves) {
            size_t k0 = (node - bx->nleaves) * BLOCK;
            for (size_t k = k0; k < k0 + BLOCK; k++) {
                uint32_t i = bx->who[k];
                double x = bx->key[k];
                bx->visited++;
                if (i != NO_DC && (pick == NO_DC || x < pick_k || (x == pick_k && i < pick))
                    && fits(bx, q, k))
                    pick = i, pick_k = x;
            }
            continue;
        }
        size_t l = 2 * node, r = l + 1;
        if (node_less(&bx->nd[l], &bx->nd[r]))
            stack[top++] = r, stack[top++] = l;
        else
            stack[top++] = l, stack[top++] = r;
    }
    return pick == NO_DC ? -1 : (long)pick;
}

/* The first center of order that is allowed and big enough, or -1. */
static long walk(broker_index *bx, const uint32_t *order, const unsigned char *allowed,
                 int64_t gpus)
{
    for (size_t k = 0; k < bx->n; k++) {
        uint32_t i = order[k];
        bx->visited++;
        if ((!allowed || allowed[i]) && bx->cap[bx->at[i]] >= gpus)
            return (long)i;
    }
    return -1;
}

long broker_index_route(broker_index *bx, long program, const broker_job *job)
{
    const config *cfg = bx->cfg;
    const unsigned char *allowed = program >= 0 ? cfg->programs[program].accepts : NULL;
    uint32_t m = program >= 0 ? bx->mask_of[program] : NO_DC;
    /* what the index does not hold goes to the pass over every center,
     * which reads the centers themselves: no refresh needed for it */
    if (bx->scan || job->city >= cfg->ncities || job->gpus > (int64_t)UINT32_MAX
        || (bx->policy == ROUTE_LATENCY_AWARE && job->kind == JOB_INFERENCE
            && !(job->latency_ms == bx->bound[job->city]))) {   /* not the bound indexed */
        bx->passes++;
        return broker_route(bx->policy, cfg, bx->dcs, allowed, job);
    }
    refresh(bx);
    bx->routes++;
    query q = { m == NO_DC ? SIZE_MAX : m, job->gpus, SIZE_MAX, 0 };
    const uint32_t *near = bx->by_lat ? bx->by_lat + job->city * bx->n : NULL;
    long i;
    switch (bx->policy) {
    case ROUTE_NEAREST:
        return walk(bx, near, allowed, job->gpus);
    case ROUTE_CHEAPEST:
        return walk(bx, bx->by_price, allowed, job->gpus);
    case ROUTE_LEAST_LOADED:
        return search(bx, &q);
    case ROUTE_LATENCY_AWARE:
        if (job->kind != JOB_INFERENCE)
            return search(bx, &q);
        q.cbit = bx->nmasks + job->city;
        i = search(bx, &q);
        return i >= 0 ? i : walk(bx, near, allowed, job->gpus);
    case ROUTE_WEST_FIRST:
        q.west_now = 1;
        i = search(bx, &q);
        if (i >= 0)
            return i;
        q.west_now = 0;
        return search(bx, &q);
    case ROUTE_COUNT:
        break;
    }
    return -1;
}

void broker_index_counts(const broker_index *bx, uint64_t *routes, uint64_t *passes,
                         uint64_t *visited, uint64_t *updated)
{
    if (routes)
        *routes = bx->routes;
    if (passes)
        *passes = bx->passes;
    if (visited)
        *visited = bx->visited;
    if (updated)
        *updated = bx->updated;
}

/* ---- building it ---- */

/* Orders centers for the index: by a key, or by signature, then index. */
typedef struct order_ctx {
    const double   *v;          /* key of center i: v[i] */
    const uint64_t *sig;        /* or: signatures, w words each */
    size_t          w;
} order_ctx;

static int order_cmp(const order_ctx *o, uint32_t a, uint32_t b)
{
    if (o->v) {
        double x = o->v[a], y = o->v[b];
        if (x < y)
            return -1;
        if (y < x)
            return 1;
    } else {
        for (size_t k = 0; k < o->w; k++)
            if (o->sig[a * o->w + k] != o->sig[b * o->w + k])
                return o->sig[a * o->w + k] < o->sig[b * o->w + k] ? -1 : 1;
    }
    return a < b ? -1 : a > b;
}

/* Stable merge sort of a[0..n) by o (tmp: n entries). */
static void order_sort(uint32_t *a, uint32_t *tmp, size_t n, const order_ctx *o)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = order_cmp(o, a[j], a[i]) < 0 ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

static int same_accepts(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!a[i] != !b[i])
            return 0;
    return 1;
}

void broker_index_free(broker_index *bx)
{
    if (!bx)
        return;
    free(bx->watch.blocks);
    free(bx->watch.listed);
    free(bx->at);
    free(bx->who);
    free(bx->least);
    free(bx->least_at);
    free(bx->key);
    free(bx->cap);
    free(bx->free_);
    free(bx->cbits);
    free(bx->nd);
    free(bx->maxfree);
    free(bx->bits);
    free(bx->lvl);
    free(bx->mark);
    free(bx->mask_of);
    free(bx->bound);
    free(bx->by_price);
    free(bx->by_lat);
    free(bx);
}

broker_index *broker_index_new(const config *cfg, route_policy policy, dc_state *dcs)
{
    broker_index *bx = calloc(1, sizeof *bx);
    uint32_t *tmp = NULL, *ord = NULL;
    uint64_t *sig = NULL;
    double *v = NULL;
    if (!bx)
        return NULL;
    size_t n = cfg->ndcs, nc = cfg->ncities, np = cfg->nprograms, one = n ? n : 1;
    bx->cfg = cfg, bx->policy = policy, bx->dcs = dcs, bx->n = n;
    bx->nblocks = (n + BLOCK - 1) / BLOCK;
    for (bx->nleaves = 1; bx->nleaves < bx->nblocks; bx->nleaves *= 2)
        ;
    size_t nodes = 2 * bx->nleaves, places = (bx->nblocks ? bx->nblocks : 1) * BLOCK;
    int latency = policy == ROUTE_NEAREST || policy == ROUTE_LATENCY_AWARE;
    int west = policy == ROUTE_WEST_FIRST;
    /* masks: programs with the same accepts list share one */
    if (!(bx->mask_of = calloc(np ? np : 1, sizeof *bx->mask_of)))
        goto fail;
    for (size_t p = 0; p < np; p++) {
        const unsigned char *a = cfg->programs[p].accepts;
        bx->mask_of[p] = NO_DC;
        if (!a)
            continue;
        for (size_t q = 0; q < p && bx->mask_of[p] == NO_DC; q++)
            if (bx->mask_of[q] != NO_DC && same_accepts(cfg->programs[q].accepts, a, n))
                bx->mask_of[p] = bx->mask_of[q];
        if (bx->mask_of[p] == NO_DC)
            bx->mask_of[p] = (uint32_t)bx->nmasks++;
    }
    size_t ncb = policy == ROUTE_LATENCY_AWARE ? nc : 0;
    bx->nwords = (bx->nmasks + ncb + 63) / 64;
    if (!bx->nwords)
        bx->nwords = 1;
    size_t w = bx->nwords + 1;
    if (!(bx->watch.blocks = malloc((bx->nblocks ? bx->nblocks : 1) * sizeof *bx->watch.blocks))
        || !(bx->watch.listed = calloc(bx->nblocks ? bx->nblocks : 1, 1))
        || !(bx->at = malloc(one * sizeof *bx->at))
        || !(bx->who = malloc(places * sizeof *bx->who))
        || !(bx->least = calloc(places / BLOCK, sizeof *bx->least))
        || !(bx->least_at = calloc(places / BLOCK, sizeof *bx->least_at))
        || !(bx->key = malloc(places * sizeof *bx->key))
        || !(bx->cap = malloc(places * sizeof *bx->cap))
        || (west && !(bx->free_ = malloc(places * sizeof *bx->free_)))
        || !(bx->cbits = calloc(places * bx->nwords, sizeof *bx->cbits))
        || !(bx->nd = aligned_alloc(64, (nodes * sizeof *bx->nd + 63) / 64 * 64))
        || (west && !(bx->maxfree = malloc(nodes * sizeof *bx->maxfree)))
        || !(bx->bits = calloc(nodes * bx->nwords, sizeof *bx->bits))
        || !(bx->lvl = malloc(nodes * sizeof *bx->lvl))
        || !(bx->mark = calloc(nodes, 1))
        || !(bx->bound = calloc(nc ? nc : 1, sizeof *bx->bound))
        || !(sig = calloc(one * w, sizeof *sig))
        || !(ord = malloc(one * sizeof *ord)) || !(tmp = malloc(one * sizeof *tmp))
        || !(v = malloc(one * sizeof *v)))
        goto fail;
    for (size_t c = 0; c < nc; c++)
        bx->bound[c] = cfg->cities[c].firms.kind[JOB_INFERENCE].latency_ms;
    /* static bits of each center; its signature (region first) puts centers
     * alike side by side, so a search's subsets are few runs of blocks */
    for (size_t i = 0; i < n; i++) {
        const dc_cfg *c = &cfg->dcs[i];
        sig[i * w] = (uint64_t)c->region;
        for (size_t p = 0; p < np; p++)
            if (bx->mask_of[p] != NO_DC && cfg->programs[p].accepts[i]) {
                size_t b = bx->mask_of[p];
                sig[i * w + 1 + b / 64] |= (uint64_t)1 << (b % 64);
            }
        for (size_t k = 0; k < ncb; k++)
            if (c->latency_ms[k] <= bx->bound[k]) {
                size_t b = bx->nmasks + k;
                sig[i * w + 1 + b / 64] |= (uint64_t)1 << (b % 64);
            }
        if (policy == ROUTE_CHEAPEST && isnan(c->price))
            bx->scan = 1;
        for (size_t k = 0; latency && k < nc; k++)
            if (isnan(c->latency_ms[k]))
                bx->scan = 1;
        ord[i] = (uint32_t)i;
    }
    order_ctx o = { NULL, sig, w };
    order_sort(ord, tmp, n, &o);
    for (size_t k = 0; k < places; k++) {
        bx->who[k] = NO_DC, bx->key[k] = INFINITY, bx->cap[k] = INT64_MIN;
        if (bx->free_)
            bx->free_[k] = INT64_MIN;
    }
    for (size_t k = 0; k < n; k++) {
        uint32_t i = ord[k];
        bx->at[i] = (uint32_t)k, bx->who[k] = i;
        memcpy(&bx->cbits[k * bx->nwords], &sig[i * w + 1], bx->nwords * sizeof *sig);
    }
    bx->watch.load = bx->key, bx->watch.cap = bx->cap, bx->watch.free_ = bx->free_;
    bx->watch.shift = BLOCK_SHIFT;
    bx->watch.least = bx->least, bx->watch.least_at = bx->least_at;
    for (size_t node = 0; node < nodes; node++) {
        bx->nd[node] = (tnode){ INFINITY, NO_DC, 0 };
        if (bx->maxfree)
            bx->maxfree[node] = INT64_MIN;
    }
    for (size_t k = 0; k < n; k++) {            /* the places, then the leaves */
        dc_state *d = &dcs[ord[k]];
        d->watch = &bx->watch, d->place = (uint32_t)k;
        d->west = cfg->dcs[ord[k]].region == REGION_WEST;
        dc_touch(d);
    }
    for (size_t b = 0; b < bx->watch.n; b++)
        bx->watch.listed[bx->watch.blocks[b]] = 0;
    bx->watch.n = 0;
    for (size_t b = 0; b < bx->nblocks; b++) {
        block_pull(bx, b, 1);
        for (size_t k = b * BLOCK; k < (b + 1) * BLOCK; k++)
            for (size_t j = 0; j < bx->nwords; j++)
                bx->bits[(bx->nleaves + b) * bx->nwords + j] |= bx->cbits[k * bx->nwords + j];
    }
    for (size_t node = bx->nleaves - 1; node >= 1; node--) {
        pull(bx, node);
        for (size_t j = 0; j < bx->nwords; j++)
            bx->bits[node * bx->nwords + j] = bx->bits[2 * node * bx->nwords + j]
                                              | bx->bits[(2 * node + 1) * bx->nwords + j];
    }
    bx->updated = 0;
    /* static orders: by price, by latency to each city */
    if (policy == ROUTE_CHEAPEST) {
        if (!(bx->by_price = malloc(one * sizeof *bx->by_price)))
            goto fail;
        for (size_t i = 0; i < n; i++)
            bx->by_price[i] = (uint32_t)i, v[i] = cfg->dcs[i].price;
        order_ctx op = { v, NULL, 0 };
        order_sort(bx->by_price, tmp, n, &op);
    }
    if (latency) {
        if (!(bx->by_lat = malloc((nc ? nc : 1) * one * sizeof *bx->by_lat)))
            goto fail;
        for (size_t c = 0; c < nc; c++) {
            uint32_t *a = bx->by_lat + c * n;
            for (size_t i = 0; i < n; i++)
                a[i] = (uint32_t)i, v[i] = cfg->dcs[i].latency_ms[c];
            order_ctx ol = { v, NULL, 0 };
            order_sort(a, tmp, n, &ol);
        }
    }
    free(sig);
    free(ord);
    free(tmp);
    free(v);
    return bx;
fail:
    free(sig);
    free(ord);
    free(tmp);
    free(v);
    broker_index_free(bx);
    return NULL;
}
