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

struct broker_index {
    const config *cfg;
    route_policy  policy;
    dc_state     *dcs;
    dc_watch      watch;        /* centers touched since the last refresh */
    size_t        n;            /* centers */
    size_t        nleaves;      /* a power of 2 >= n; nodes 1 .. 2 nleaves - 1 */
    /* per node, over the centers of its subtree: */
    double       *key;          /* the least load */
    uint32_t     *id;           /* its center (lowest index on ties); NO_DC: none */
    int64_t      *maxcap;       /* the largest capacity */
    int64_t      *maxfree;      /* west_first: the most free GPUs of a western
                                   center with nobody waiting; else INT64_MIN */
    uint64_t     *bits;         /* [node * nwords]: static, bit m: some center
                                   accepted by mask m; bit nmasks + c: some
                                   center within city c's inference bound */
    size_t        nwords;
    uint32_t     *leaf;         /* [n]: node of center i */
    size_t        nmasks;       /* distinct accepts lists among the programs */
    uint32_t     *mask_of;      /* [nprograms]: program's mask; NO_DC: accepts all */
    double       *bound;        /* [ncities]: inference bound (latency_aware) */
    uint32_t     *by_price;     /* [n]: centers by (price, index) (cheapest) */
    uint32_t     *by_lat;       /* [ncities * n]: by (latency to city c, index) */
    int           scan;         /* a key is NaN: route by broker_route's pass */
    uint64_t      routes, visited, updated;
};

static int bit_get(const broker_index *bx, size_t node, size_t b)
{
    return (int)(bx->bits[node * bx->nwords + b / 64] >> (b % 64) & 1u);
}

/* (key, id) of node a before node b's */
static int node_less(const broker_index *bx, size_t a, size_t b)
{
    return bx->key[a] < bx->key[b] || (bx->key[a] == bx->key[b] && bx->id[a] < bx->id[b]);
}

/* Recomputes node from its children; 1 when it changed. */
static int pull(broker_index *bx, size_t node)
{
    size_t l = 2 * node, r = l + 1, w = node_less(bx, r, l) ? r : l;
    int64_t cap = bx->maxcap[l] > bx->maxcap[r] ? bx->maxcap[l] : bx->maxcap[r];
    int64_t fr = bx->maxfree[l] > bx->maxfree[r] ? bx->maxfree[l] : bx->maxfree[r];
    bx->updated++;
    if (bx->key[node] == bx->key[w] && bx->id[node] == bx->id[w] && bx->maxcap[node] == cap
        && bx->maxfree[node] == fr)
        return 0;
    bx->key[node] = bx->key[w], bx->id[node] = bx->id[w];
    bx->maxcap[node] = cap, bx->maxfree[node] = fr;
    return 1;
}

/* Sets center i's leaf from its state; 1 when it changed. */
static int leaf_load(broker_index *bx, uint32_t i)
{
    const dc_state *d = &bx->dcs[i];
    size_t node = bx->leaf[i];
    double k = dc_load(d);
    int64_t fr = bx->policy == ROUTE_WEST_FIRST && bx->cfg->dcs[i].region == REGION_WEST
                 && d->waiting == 0 ? d->capacity - d->busy : INT64_MIN;
    if (bx->key[node] == k && bx->maxcap[node] == d->capacity && bx->maxfree[node] == fr)
        return 0;
    bx->key[node] = k, bx->maxcap[node] = d->capacity, bx->maxfree[node] = fr;
    return 1;
}

/* Brings the leaves of the touched centers up to date, and their
 * ancestors as far as something changes. */
static void refresh(broker_index *bx)
{
    for (size_t k = 0; k < bx->watch.n; k++) {
        uint32_t i = bx->watch.ids[k];
        bx->dcs[i].touched = 0;
        bx->updated++;
        if (!leaf_load(bx, i))
            continue;
        for (size_t node = bx->leaf[i] / 2; node >= 1 && pull(bx, node); node /= 2)
            ;
    }
    bx->watch.n = 0;
}

/* What a search asks of a center besides "least loaded". */
typedef struct query {
    const unsigned char *allowed;   /* NULL: any */
    size_t   mbit;                  /* its bit, or SIZE_MAX */
    int64_t  gpus;
    size_t   cbit;                  /* within the bound: the city's bit, or SIZE_MAX */
    size_t   city;
    double   bound;
    int      west_now;              /* western, can start now */
} query;

/* Center i passes q: the same tests as best()'s. */
static int fits(const broker_index *bx, const query *q, uint32_t i)
{
    const dc_state *d = &bx->dcs[i];
    const dc_cfg *c = &bx->cfg->dcs[i];
    if ((q->allowed && !q->allowed[i]) || d->capacity < q->gpus)
        return 0;
    if (q->cbit != SIZE_MAX && !(c->latency_ms[q->city] <= q->bound))
        return 0;
    if (q->west_now && (c->region != REGION_WEST || !dc_can_start(d, q->gpus)))
        return 0;
    return 1;
}

/* Node's subtree may hold a center that passes q. */
static int may_fit(const broker_index *bx, const query *q, size_t node)
{
    if (bx->maxcap[node] < q->gpus || (q->west_now && bx->maxfree[node] < q->gpus))
        return 0;
    if (q->mbit != SIZE_MAX && !bit_get(bx, node, q->mbit))
        return 0;
    if (q->cbit != SIZE_MAX && !bit_get(bx, node, q->cbit))
        return 0;
    return 1;
}

/* The least loaded center passing q (lowest index on ties), or -1: branch
 * and bound from the root, the better child first; a subtree whose best
 * (load, index) is no better than the best found, or that holds no center
 * passing q, is skipped. */
static long search(broker_index *bx, const query *q)
{
    size_t stack[2 * 64], top = 0;
    uint32_t pick = NO_DC;
    double pick_k = INFINITY;
    stack[top++] = 1;
    while (top) {
        size_t node = stack[--top];
        bx->visited++;
        if (bx->id[node] == NO_DC)
            continue;
        if (pick != NO_DC && !(bx->key[node] < pick_k
                               || (bx->key[node] == pick_k && bx->id[node] < pick)))
            continue;
        if (!may_fit(bx, q, node))
            continue;
        if (node >= bx->nleaves) {
            if (fits(bx, q, bx->id[node]))
                pick = bx->id[node], pick_k = bx->key[node];
            continue;
        }
        size_t l = 2 * node, r = l + 1;
        if (node_less(bx, l, r))
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
        if ((!allowed || allowed[i]) && bx->dcs[i].capacity >= gpus)
            return (long)i;
    }
    return -1;
}

long broker_index_route(broker_index *bx, long program, const broker_job *job)
{
    const config *cfg = bx->cfg;
    const unsigned char *allowed = program >= 0 ? cfg->programs[program].accepts : NULL;
    uint32_t m = program >= 0 ? bx->mask_of[program] : NO_DC;
    if (bx->scan || job->city >= cfg->ncities)
        return broker_route(bx->policy, cfg, bx->dcs, allowed, job);
    refresh(bx);
    bx->routes++;
    query q = { allowed, m == NO_DC ? SIZE_MAX : m, job->gpus, SIZE_MAX, job->city,
                job->latency_ms, 0 };
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
        if (!(job->latency_ms == bx->bound[job->city]))      /* not the bound indexed */
            return broker_route(bx->policy, cfg, bx->dcs, allowed, job);
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

void broker_index_counts(const broker_index *bx, uint64_t *routes, uint64_t *visited,
                         uint64_t *updated)
{
    if (routes)
        *routes = bx->routes;
    if (visited)
        *visited = bx->visited;
    if (updated)
        *updated = bx->updated;
}

/* ---- building it ---- */

/* Orders centers for the index: static keys, then the index. */
typedef struct order_ctx {
    const broker_index *bx;
    const double       *v;      /* key of center i: v[i] */
    const uint64_t     *sig;    /* or: leaf signatures, nwords + 1 each */
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
        size_t w = o->bx->nwords + 1;
        for (size_t k = 0; k < w; k++)
            if (o->sig[a * w + k] != o->sig[b * w + k])
                return o->sig[a * w + k] < o->sig[b * w + k] ? -1 : 1;
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
    free(bx->watch.ids);
    free(bx->key);
    free(bx->id);
    free(bx->maxcap);
    free(bx->maxfree);
    free(bx->bits);
    free(bx->leaf);
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
    for (bx->nleaves = 1; bx->nleaves < n; bx->nleaves *= 2)
        ;
    size_t nodes = 2 * bx->nleaves;
    int latency = policy == ROUTE_NEAREST || policy == ROUTE_LATENCY_AWARE;
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
    if (!(bx->watch.ids = malloc(one * sizeof *bx->watch.ids))
        || !(bx->key = malloc(nodes * sizeof *bx->key))
        || !(bx->id = malloc(nodes * sizeof *bx->id))
        || !(bx->maxcap = malloc(nodes * sizeof *bx->maxcap))
        || !(bx->maxfree = malloc(nodes * sizeof *bx->maxfree))
        || !(bx->bits = calloc(nodes * bx->nwords, sizeof *bx->bits))
        || !(bx->leaf = malloc(one * sizeof *bx->leaf))
        || !(bx->bound = calloc(nc ? nc : 1, sizeof *bx->bound))
        || !(sig = calloc(one * (bx->nwords + 1), sizeof *sig))
        || !(ord = malloc(one * sizeof *ord)) || !(tmp = malloc(one * sizeof *tmp))
        || !(v = malloc(one * sizeof *v)))
        goto fail;
    for (size_t c = 0; c < nc; c++)
        bx->bound[c] = cfg->cities[c].firms.kind[JOB_INFERENCE].latency_ms;
    /* static bits of each center; its signature puts centers alike side by
     * side in the tree (region first), so a search's subsets are few runs */
    size_t w = bx->nwords + 1;
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
        if ((policy == ROUTE_CHEAPEST && isnan(c->price)))
            bx->scan = 1;
        for (size_t k = 0; latency && k < nc; k++)
            if (isnan(c->latency_ms[k]))
                bx->scan = 1;
        ord[i] = (uint32_t)i;
    }
    order_ctx o = { bx, NULL, sig };
    order_sort(ord, tmp, n, &o);
    for (size_t node = 0; node < nodes; node++) {
        bx->key[node] = INFINITY, bx->id[node] = NO_DC;
        bx->maxcap[node] = bx->maxfree[node] = INT64_MIN;
    }
    for (size_t k = 0; k < n; k++) {
        uint32_t i = ord[k];
        size_t node = bx->nleaves + k;
        bx->leaf[i] = (uint32_t)node;
        bx->id[node] = i;
        memcpy(&bx->bits[node * bx->nwords], &sig[i * w + 1], bx->nwords * sizeof *sig);
        leaf_load(bx, i);
        dcs[i].watch = &bx->watch, dcs[i].id = i, dcs[i].touched = 0;
    }
    for (size_t node = bx->nleaves - 1; node >= 1; node--) {
        pull(bx, node);
        for (size_t k = 0; k < bx->nwords; k++)
            bx->bits[node * bx->nwords + k] = bx->bits[2 * node * bx->nwords + k]
                                               | bx->bits[(2 * node + 1) * bx->nwords + k];
    }
    bx->updated = 0;
    /* static orders: by price, by latency to each city */
    if (policy == ROUTE_CHEAPEST) {
        if (!(bx->by_price = malloc(one * sizeof *bx->by_price)))
            goto fail;
        for (size_t i = 0; i < n; i++)
            bx->by_price[i] = (uint32_t)i, v[i] = cfg->dcs[i].price;
        order_ctx op = { bx, v, NULL };
        order_sort(bx->by_price, tmp, n, &op);
    }
    if (latency) {
        if (!(bx->by_lat = malloc((nc ? nc : 1) * one * sizeof *bx->by_lat)))
            goto fail;
        for (size_t c = 0; c < nc; c++) {
            uint32_t *a = bx->by_lat + c * n;
            for (size_t i = 0; i < n; i++)
                a[i] = (uint32_t)i, v[i] = cfg->dcs[i].latency_ms[c];
            order_ctx ol = { bx, v, NULL };
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
