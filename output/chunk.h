/* output/chunk.h - float64 chunks encoded as HDF5's shuffle + deflate
 * filters store them.
 *
 * The writer compresses chunks itself, outside its lock, and hands HDF5
 * the finished bytes (H5Dwrite_chunk); the statistics read raw chunks
 * (H5Dread_chunk) and decode them here. The bytes are those of HDF5's own
 * pipeline: the shuffle filter (byte k of every element, then byte k + 1:
 * here the little-endian bytes of each double, as the file type
 * H5T_IEEE_F64LE stores them) followed by the deflate filter (one zlib
 * stream, compress2 at the dataset's level). A dataset created with
 * H5Pset_shuffle + H5Pset_deflate therefore reads back normally in any
 * HDF5 reader. No HDF5 calls, no shared state: safe from any thread.
 * Internal to output/. */
#ifndef OUTPUT_CHUNK_H
#define OUTPUT_CHUNK_H

#include <stddef.h>

/* Bytes enough for the encoding of n doubles (zlib's compressBound). */
size_t out_chunk_bound(size_t n);

/* Encodes n doubles into dst (dst_cap bytes, at least out_chunk_bound(n)),
 * at deflate level (0-9); scratch holds 8 n bytes. Sets *dst_len.
 * Returns 0, or -1 when zlib fails (no memory). */
int out_chunk_encode(const double *src, size_t n, int level, void *scratch,
                     void *dst, size_t dst_cap, size_t *dst_len);

/* Decodes src_len bytes into exactly n doubles; scratch holds 8 n bytes.
 * Returns 0, or -1 when src is not a zlib stream of 8 n bytes. */
int out_chunk_decode(const void *src, size_t src_len, size_t n, void *scratch,
                     double *dst);

#endif
