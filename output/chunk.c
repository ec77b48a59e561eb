/* output/chunk.c - shuffle + deflate of float64 chunks (see chunk.h).
 *
 * The chunk bytes are little-endian whatever the host (the file type is
 * H5T_IEEE_F64LE): on little-endian hosts eight doubles at a time are
 * shuffled as an 8 x 8 byte transpose, elsewhere byte by byte with
 * explicit shifts. */
#include "output/chunk.h"

#include <stdint.h>
#include <string.h>

#include <zlib.h>

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
    uLongf len = (uLongf)dst_cap;
    if (compress2(dst, &len, scratch, (uLong)(n * 8), level) != Z_OK)
        return -1;
    *dst_len = (size_t)len;
    return 0;
}

int out_chunk_decode(const void *src, size_t src_len, size_t n, void *scratch,
                     double *dst)
{
    uLongf len = (uLongf)(n * 8);
    if (uncompress(scratch, &len, src, (uLong)src_len) != Z_OK || len != n * 8)
        return -1;
    unshuffle(scratch, n, dst);
    return 0;
}
