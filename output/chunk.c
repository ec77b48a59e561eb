/* output/chunk.c - shuffle + deflate of float64 chunks (see chunk.h).
 *
 * The chunk bytes are little-endian whatever the host (the file type is
 * H5T_IEEE_F64LE): on little-endian hosts eight doubles at a time are
 * shuffled as an 8 x 8 byte transpose, elsewhere byte by byte with
 * explicit shifts.
 *
 * Each thread keeps one deflate and one inflate stream and resets them
 * (deflateReset, inflateReset) for every chunk instead of allocating and
 * initialising zlib's 256 KiB of state each time, which was most of the
 * cost of compressing the small chunks of a short run. The output is that
 * of compress2 at the same level, byte for byte (tests/check_chunk.c
 * compares it with HDF5's own filter). */
#include "output/chunk.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

typedef struct zcache {
    z_stream d;         /* deflate at level dlevel, when dlevel >= 0 */
    int      dlevel;
    z_stream i;         /* inflate, when iok */
    int      iok;
} zcache;

/* The one piece of process-wide state: the key of the per-thread streams,
 * created once (pthread_once), never changed after. */
static struct {
    pthread_once_t once;
    pthread_key_t  key;
    int            ok;
} zk = { PTHREAD_ONCE_INIT };

static void zcache_free(void *p)
{
    zcache *z = p;
    if (z->dlevel >= 0)
        deflateEnd(&z->d);
    if (z->iok)
        inflateEnd(&z->i);
    free(z);
}

static void zkey_make(void)
{
    zk.ok = pthread_key_create(&zk.key, zcache_free) == 0;
}

/* This thread's streams; NULL when they cannot be had (then the caller
 * falls back to compress2/uncompress). */
static zcache *zcache_get(void)
{
    pthread_once(&zk.once, zkey_make);
    if (!zk.ok)
        return NULL;
    zcache *z = pthread_getspecific(zk.key);
    if (!z) {
        z = calloc(1, sizeof *z);
        if (!z)
            return NULL;
        z->dlevel = -1;
        if (pthread_setspecific(zk.key, z) != 0) {
            free(z);
            return NULL;
        }
    }
    return z;
}

/* A deflate stream at level, ready for a new chunk; NULL on failure. */
static z_stream *deflater(int level)
{
    zcache *z = zcache_get();
    if (!z)
        return NULL;
    if (z->dlevel == level)
        return deflateReset(&z->d) == Z_OK ? &z->d : NULL;
    if (z->dlevel >= 0)
        deflateEnd(&z->d);
    z->dlevel = -1;
    memset(&z->d, 0, sizeof z->d);
    if (deflateInit(&z->d, level) != Z_OK)
        return NULL;
    z->dlevel = level;
    return &z->d;
}

static z_stream *inflater(void)
{
    zcache *z = zcache_get();
    if (!z)
        return NULL;
    if (z->iok)
        return inflateReset(&z->i) == Z_OK ? &z->i : NULL;
    memset(&z->i, 0, sizeof z->i);
    if (inflateInit(&z->i) != Z_OK)
        return NULL;
    z->iok = 1;
    return &z->i;
}

size_t out_chunk_bound(size_t n)
{
    return (size_t)compressBound((uLong)(n * sizeof(double)));
}

static int host_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char c;
    memcpy(&c, &one, 1);
    return c == 1;
}

/* Transposes the 8 x 8 byte matrix whose rows are x[0..7] (byte k of a
 * row: bits 8k..8k+7): three rounds of swapping blocks across the
 * diagonal. Its own inverse. */
static void transpose8(uint64_t x[8])
{
    for (int i = 0; i < 4; i++) {
        uint64_t t = ((x[i] >> 32) ^ x[i + 4]) & 0x00000000FFFFFFFFULL;
        x[i] ^= t << 32;
        x[i + 4] ^= t;
    }
    for (int g = 0; g < 8; g += 4)
        for (int i = g; i < g + 2; i++) {
            uint64_t t = ((x[i] >> 16) ^ x[i + 2]) & 0x0000FFFF0000FFFFULL;
            x[i] ^= t << 16;
            x[i + 2] ^= t;
        }
    for (int i = 0; i < 8; i += 2) {
        uint64_t t = ((x[i] >> 8) ^ x[i + 1]) & 0x00FF00FF00FF00FFULL;
        x[i] ^= t << 8;
        x[i + 1] ^= t;
    }
}

/* sh[k n + i] = byte k (little-endian) of src[i]. */
static void shuffle(const double *src, size_t n, unsigned char *sh)
{
    size_t i = 0;
    if (host_little_endian())
        for (; i + 8 <= n; i += 8) {
            uint64_t x[8];
            memcpy(x, src + i, sizeof x);
            transpose8(x);
            for (size_t k = 0; k < 8; k++)
                memcpy(sh + k * n + i, &x[k], 8);
        }
    for (; i < n; i++) {
        uint64_t v;
        memcpy(&v, &src[i], sizeof v);
        for (size_t k = 0; k < 8; k++)
            sh[k * n + i] = (unsigned char)(v >> (8 * k));
    }
}

static void unshuffle(const unsigned char *sh, size_t n, double *dst)
{
    size_t i = 0;
    if (host_little_endian())
        for (; i + 8 <= n; i += 8) {
            uint64_t x[8];
            for (size_t k = 0; k < 8; k++)
                memcpy(&x[k], sh + k * n + i, 8);
            transpose8(x);
            memcpy(dst + i, x, sizeof x);
        }
    for (; i < n; i++) {
        uint64_t v = 0;
        for (size_t k = 0; k < 8; k++)
            v |= (uint64_t)sh[k * n + i] << (8 * k);
        memcpy(&dst[i], &v, sizeof v);
    }
}

int out_chunk_encode(const double *src, size_t n, int level, void *scratch,
                     void *dst, size_t dst_cap, size_t *dst_len)
{
    shuffle(src, n, scratch);
    z_stream *d = n * 8 <= UINT32_MAX && dst_cap <= UINT32_MAX ? deflater(level) : NULL;
    if (!d) {
        uLongf len = (uLongf)dst_cap;
        if (compress2(dst, &len, scratch, (uLong)(n * 8), level) != Z_OK)
            return -1;
        *dst_len = (size_t)len;
        return 0;
    }
    d->next_in = scratch;
    d->avail_in = (uInt)(n * 8);
    d->next_out = dst;
    d->avail_out = (uInt)dst_cap;
    if (deflate(d, Z_FINISH) != Z_STREAM_END)
        return -1;
    *dst_len = (size_t)d->total_out;
    return 0;
}

int out_chunk_decode(const void *src, size_t src_len, size_t n, void *scratch,
                     double *dst)
{
    z_stream *in = n * 8 <= UINT32_MAX && src_len <= UINT32_MAX ? inflater() : NULL;
    if (!in) {
        uLongf len = (uLongf)(n * 8);
        if (uncompress(scratch, &len, src, (uLong)src_len) != Z_OK || len != n * 8)
            return -1;
    } else {
        in->next_in = (Bytef *)(uintptr_t)src;
        in->avail_in = (uInt)src_len;
        in->next_out = scratch;
        in->avail_out = (uInt)(n * 8);
        /* all of it, exactly: the stream ends and fills scratch */
        if (inflate(in, Z_FINISH) != Z_STREAM_END || in->total_out != n * 8)
            return -1;
    }
    unshuffle(scratch, n, dst);
    return 0;
}
