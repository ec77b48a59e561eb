/* output/dimscale.h - dimension scales attached in batches.
 *
 * A dataset attached to a dimension scale carries DIMENSION_LIST (one
 * list of object references per dimension: its scales) and the scale
 * carries REFERENCE_LIST (one {dataset, dimension} record per attached
 * dimension). H5DSattach_scale reads, deletes and rewrites the scale's
 * whole REFERENCE_LIST for every dataset it attaches, so a group of n
 * series costs n^2 records; it also opens and checks both objects each
 * time. Here each dataset's DIMENSION_LIST is written at once, and the
 * scales' records are queued (keyed by the scale's object reference, so
 * two hard links to one scale share a queue) until out_ds_flush writes
 * each queue once, after the records the scale has already. The
 * attributes are those H5DSattach_scale writes (same names, types and
 * order of records), so H5DS, netCDF-4 and xarray read them as usual.
 *
 * Until out_ds_flush, the scales do not list the datasets queued for
 * them: flush before the file is closed, and before H5DSattach_scale or
 * H5DSdetach_scale touches a scale with queued records. Not thread-safe
 * by itself: the writer holds its mutex. Internal to output/. */
#ifndef OUTPUT_DIMSCALE_H
#define OUTPUT_DIMSCALE_H

#include <stddef.h>

#include <hdf5.h>

typedef struct out_ds_queue out_ds_queue;

out_ds_queue *out_ds_queue_new(void);
/* Drops what is queued (nothing is written); NULL is a no-op. */
void out_ds_queue_free(out_ds_queue *q);

/* Attaches dataset d (rank n, no DIMENSION_LIST yet) to the n dimension
 * scales scale[0..n-1], named relative to loc (a group or a file): scale
 * k to dimension k. Writes d's DIMENSION_LIST and queues the scales'
 * records. 0, or -1 on an HDF5 failure or ENOMEM (then nothing of d's
 * records is queued). */
int out_ds_attach(out_ds_queue *q, hid_t d, hid_t loc, const char *const *scale, unsigned n);

/* Writes the queued records of every scale into its REFERENCE_LIST (in
 * file; scales in the order first queued, records in the order queued)
 * and empties the queue. 0, or -1 on an HDF5 failure or ENOMEM (the
 * queue is emptied either way). */
int out_ds_flush(out_ds_queue *q, hid_t file);

/* Records queued and not yet flushed. */
size_t out_ds_pending(const out_ds_queue *q);

#endif
