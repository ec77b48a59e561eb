/* output/kept.h - the stored chunks of copied series, kept in memory for
 * the series statistics.
 *
 * An experiment's file is built by copying each run's fragment into it
 * (out_run_copy); the statistics across runs then read every run's
 * series back, chunk by chunk. Reading them back from the file under the
 * writer's lock (opening 57 datasets a run, looking up each chunk) was
 * about 40% of the statistics' CPU and the part their threads could not
 * share. So while a run is copied, the stored bytes of each of its
 * series (shuffle + deflate float64 chunks, exactly what the copy writes)
 * are kept here, up to a cap on the bytes; the statistics decode them
 * without an HDF5 call, and read from the file only the runs not kept.
 * The bytes are those of the file, so the statistics are the same bit for
 * bit either way. Internal to output/. */
#ifndef OUTPUT_KEPT_H
#define OUTPUT_KEPT_H

#include <stddef.h>

#include <hdf5.h>

typedef struct out_kept out_kept;

/* One kept series of one run: rows x ncols float64, stored in chunks of
 * crs rows (the last padded, as HDF5 stores it), chunk c at
 * z + zoff[c], zlen[c] bytes. */
typedef struct out_kept_series {
    size_t               run;
    char                *group, *name;
    size_t               rows, ncols, crs, nchunks;
    unsigned char       *z;
    size_t              *zoff, *zlen;
} out_kept_series;

/* An empty store keeping at most max_bytes of chunks; NULL: no memory
 * (keep nothing then). */
out_kept *out_kept_new(size_t max_bytes);
void out_kept_free(out_kept *k);

/* Whether dataset d can be read chunk by chunk without HDF5's filters:
 * 2-D float64 LE, chunked {crs, ncols} (whole rows), filters shuffle then
 * deflate. Sets *rows, *ncols, *crs. Clears HDF5's error stack. Caller
 * holds the HDF5 lock. */
int out_kept_direct(hid_t d, size_t *rows, size_t *ncols, size_t *crs);

/* Caller holds the HDF5 lock: keeps the stored chunks of run's series
 * group/name, dataset d (of the fragment being copied). Keeps nothing,
 * and says nothing, when d is not stored so (out_kept_direct), a chunk is
 * missing or filtered otherwise, memory runs short, or the cap is
 * reached: the statistics then read that run from the file. k may be
 * NULL. */
void out_kept_take(out_kept *k, size_t run, const char *group, const char *name, hid_t d);

/* Sorts what is kept for out_kept_find; after it, take nothing more.
 * Then out_kept_find may be called from any thread. */
void out_kept_seal(out_kept *k);

/* Series kept so far, and their bytes in *bytes (if not NULL). k may be
 * NULL. */
size_t out_kept_count(const out_kept *k, size_t *bytes);

/* The kept series of run, group/name, or NULL. k may be NULL. */
const out_kept_series *out_kept_find(const out_kept *k, size_t run, const char *group,
                                     const char *name);

#endif
