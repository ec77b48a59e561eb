/* output/chunk.c - shuffle + deflate of float64 chunks (see chunk.h).
 *
 * Byte order is explicit (shifts of the 64-bit pattern), so the chunk
 * bytes are little-endian whatever the host; the writer and the readers
 * of the file agree on H5T_IEEE_F64LE. */
#include "output/chunk.h"

#include <stdint.h>
#include <string.h>

#include <zlib.h>

size_t out_chunk_bound(size_t n)
{
    return (size_t)compressBound((uLong)(n * sizeof(double)));
}

int out_chunk_encode(const double *src, size_t n, int level, void *scratch,
                     void *dst, size_t dst_cap, size_t *dst_len)
{
    unsigned char *sh = scratch;
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        memcpy(&v, &src[i], sizeof v);
        for (size_t k = 0; k < 8; k++)
            sh[k * n + i] = (unsigned char)(v >> (8 * k));
    }
    uLongf len = (uLongf)dst_cap;
    if (compress2(dst, &len, sh, (uLong)(n * 8), level) != Z_OK)
        return -1;
    *dst_len = (size_t)len;
    return 0;
}

int out_chunk_decode(const void *src, size_t src_len, size_t n, void *scratch,
                     double *dst)
{
    unsigned char *sh = scratch;
    uLongf len = (uLongf)(n * 8);
    if (uncompress(sh, &len, src, (uLong)src_len) != Z_OK || len != n * 8)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0;
        for (size_t k = 0; k < 8; k++)
            v |= (uint64_t)sh[k * n + i] << (8 * k);
        memcpy(&dst[i], &v, sizeof v);
    }
    return 0;
}
