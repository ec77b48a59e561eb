/* output/writer.h - writing a run or an experiment to one HDF5 file.
 *
 * The layout is documented in output/README.md: plain HDF5 that is also
 * netCDF-4 (every series attached to HDF5 dimension scales, a CF time
 * coordinate and variable-length UTF-8 names beside it in its group), so
 * xarray and ncdump read it as labelled, dated data. The writer works on a
 * temporary file beside the final path and renames it into place on
 * out_writer_close(w, 1, ...); on failure, or close with commit = 0, the
 * temporary file is removed, so the final path never holds a half file.
 * Datasets contain only what the simulation computed (wall-clock times
 * and host names go in attributes), so two runs with the same seed give
 * bit-identical datasets.
 *
 * Every write is checked; space is reserved ahead (fallocate) so that a
 * full disk fails our reservation with the system's reason ("PATH: No
 * space left on device") before HDF5 writes, and a failed or abandoned file
 * is closed without touching the disk and removed. Commit flushes (HDF5,
 * then fsync unless out_writer_no_sync), closes and renames, then syncs the
 * directory; a file it replaces is removed by a thread of the writer's own
 * after the rename, which the process joins at exit (and the next commit
 * before it renames). The file's pages are
 * sent to the disk ahead (after each out_run_copy and the statistics), so
 * that the fsync has little left to wait for.
 *
 * Thread safety: out_series_open, out_series_append, out_series_close
 * and out_run_* may be called from several threads at once (the writer
 * serialises its HDF5 calls with a mutex; each out_series belongs to one
 * thread at a time); the rest from one thread. Opening a series must be
 * thread-safe too, or replications in threads could not start their runs.
 * With an HDF5 built without thread safety, use one writer per process
 * and no reader alongside it. The writer starts threads of its own (the
 * series statistics; out_writer_background), which make their HDF5 calls
 * under the same mutex and are joined before out_series_stats_write,
 * respectively out_writer_close, return. Series chunks are compressed
 * outside the mutex (output/chunk.c). Knows nothing of vouchers: groups, series
 * and scalars are names and numbers. Any failed call (bad argument
 * included) marks the writer failed: out_writer_close(w, 1) then removes
 * the file and returns SIM_EIO. */
#ifndef OUTPUT_WRITER_H
#define OUTPUT_WRITER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

typedef struct out_writer out_writer;
typedef struct out_series out_series;

/* Creates a temporary file beside path. Fails (SIM_EIO, message naming
 * the path) when the directory cannot be written. */
out_writer *out_writer_open(const char *path, sim_err *err);

/* The same, with every HDF5 call of this writer made under lock (borrowed;
 * it must outlive the writer): writers sharing one lock may be used from
 * several threads even with an HDF5 built without thread safety. NULL: the
 * writer's own lock, as out_writer_open. */
out_writer *out_writer_open_locked(const char *path, pthread_mutex_t *lock, sim_err *err);

/* Finishes the file. With commit != 0 flushes, closes and renames it to
 * the final path; with commit == 0 (or after any failure) removes it.
 * Series still open are closed and freed here (their handles become
 * invalid). Frees w in every case. Returns SIM_OK or SIM_EIO. */
int out_writer_close(out_writer *w, int commit, sim_err *err);

/* The temporary file w writes ("DIR/.NAME.tmp.PID.N"), owned by w: for a
 * signal handler that must remove it (copy it while signals are blocked). */
const char *out_writer_tmp_path(const out_writer *w);

/* Removes the temporary file of every writer open in the process, in
 * any thread, and makes every later out_writer_open fail: for a signal
 * handler that ends the process (_exit) next. Async-signal-safe (atomics,
 * unlink, nanosleep); waits for a file being made by another thread (up
 * to 2 s). A writer beyond the first 1024 open at once is not seen. */
void out_writer_tmp_unlink_all(void);

/* Commit without fsync: the file survives the process but perhaps not a
 * crash of the machine. For intermediate files (an experiment's fragments,
 * which a reader rejects when torn and a resume then redoes). */
void out_writer_no_sync(out_writer *w);

/* With on != 0, full chunks of series are compressed and stored by a
 * thread of the writer's own while the caller goes on appending (one
 * chunk per series in flight), so a run does not wait for compression.
 * For a writer fed by one thread while a core would otherwise idle; the
 * file is the same either way. Call before the first out_series_append. */
void out_writer_background(out_writer *w, int on);

/* Attributes on the root group. */
int out_attr_string(out_writer *w, const char *name, const char *value, sim_err *err);
int out_attr_double(out_writer *w, const char *name, double value, sim_err *err);
int out_attr_int(out_writer *w, const char *name, int64_t value, sim_err *err);

/* The sampling grid shared by every run: n times in hours (increasing)
 * and as ISO dates ("2025-07-01T00:00"). Written once, before any series
 * (SIM_EINVAL otherwise); a series may not get more rows than n. */
int out_time_write(out_writer *w, size_t n, const double *hours,
                   const char *const *iso, sim_err *err);

/* Names of the entities of a group ("datacenter": n names), written to
 * /entities/<group> and kept for the coordinates of the group's series
 * (see out_series_open). Before any series; "time" is not a group name. */
int out_entities_write(out_writer *w, const char *group, size_t n,
                       const char *const *names, sim_err *err);

/* A coordinate of the entities of a group, one string per entity in
 * column order: out_entity_coord_write(w, "datacenter", "region", 18,
 * regions). After out_entities_write of the group (n must match) and
 * before any series; key must differ from "time", the group and the
 * group's other keys. Written as a variable of each series group of the
 * group, named by key, and listed in the series' CF `coordinates`. */
int out_entity_coord_write(out_writer *w, const char *group, const char *key, size_t n,
                           const char *const *values, sim_err *err);

/* Opens series group/name of run `run` (0-based), a 2-D dataset
 * samples x n_entities growing by one row per out_series_append, chunked
 * and compressed. unit and desc become the CF attributes `units` and
 * `long_name`. The first series of a group in a run creates the group's
 * coordinates beside it: `time` (a dimension scale, CF time "hours since
 * START 00:00:00" when the time axis starts at hour 0 at a midnight),
 * `<group>` (a dimension scale of the entity names; of column indices
 * when they were never written) and the entity coordinates; every series
 * is attached to both scales (HDF5 dimension scales, which netCDF-4 reads
 * as dimensions). n_entities must be the same for every series of the
 * group and equal its entity count. */
out_series *out_series_open(out_writer *w, size_t run, const char *group,
                            const char *name, const char *unit,
                            const char *desc, size_t n_entities, sim_err *err);
int out_series_append(out_series *s, const double *row, sim_err *err);
/* Closes the dataset; NULL is a no-op. */
int out_series_close(out_series *s, sim_err *err);

/* Attributes of one run (seed, replication, point, run id hash...). */
int out_run_attr_string(out_writer *w, size_t run, const char *name,
                        const char *value, sim_err *err);
int out_run_attr_double(out_writer *w, size_t run, const char *name,
                        double value, sim_err *err);
/* An int64 attribute of one run: values beyond 2^53 (seeds) stay exact. */
int out_run_attr_int(out_writer *w, size_t run, const char *name, int64_t value,
                     sim_err *err);

/* The per-run scalar table: nruns rows of ncols named values, row-major.
 * Written as a compound dataset /scalars with a column `run` first, and
 * summarised in /summary (mean, sd, 95% Student-t interval, n) over the
 * rows, for each column. NaN values (an event that never happened, such
 * as a budget that never ran out) are left out of the statistics and
 * counted in the summary's n_missing. */
int out_scalars_write(out_writer *w, size_t nruns, size_t ncols,
                      const char *const *names, const char *const *units,
                      const char *const *descs, const double *values,
                      sim_err *err);

/* HDF5 keeps a dataset's datatype in one object-header message of at most
 * 65,535 bytes; /scalars is a compound of one member per scalar, so its
 * names and their count are bounded. The limit, a margin below that. */
#define OUT_SCALARS_MAX_BYTES 64000u

/* Whether out_scalars_write can store n scalars of these names: their
 * table's datatype takes *bytes (24 + 23 per scalar + the names'
 * lengths, with offsets of 2 bytes), at most OUT_SCALARS_MAX_BYTES.
 * *most gets the most scalars of the names' mean length that fit. Either
 * pointer may be NULL. Returns 1 when they fit, 0 when not. Needs no
 * file. */
int out_scalars_fit(size_t n, const char *const *names, size_t *bytes, size_t *most);

/* After all runs are written and their series closed: for each series of
 * run 0, the mean and the 5th and 95th percentiles (type 7) across runs at
 * each sample and entity, under /series_stats; NaNs are skipped, all-NaN
 * gives NaN. With one run these equal the run's own series. SIM_EINVAL
 * when a series is still open or a run lacks a series run 0 has. */
int out_series_stats_write(out_writer *w, size_t nruns, sim_err *err);

/* Optional, for a thread with time on its hands while runs are still
 * being copied: makes the outputs of out_series_stats_write(w, nruns)
 * under /series_stats now (from run 0's series, which must be in the
 * file; no series may be open), so that the call later only computes and
 * writes them. The file is the same either way, but for where objects
 * lie in it. A commit (out_writer_close) without that call fails
 * (SIM_EINVAL). SIM_EINVAL when called twice or nruns is 0; SIM_EIO. */
int out_series_stats_prepare(out_writer *w, size_t nruns, sim_err *err);

/* Threads out_series_stats_write may use (the series are spread over
 * them; the result does not depend on the count). 0, the default: one per
 * core; 1: the calling thread only. */
void out_writer_threads(out_writer *w, unsigned n);

/* Bytes of the copied runs' stored chunks out_run_copy keeps in memory
 * for out_series_stats_write, which reads the runs not kept back from the
 * file (the statistics are the same bit for bit either way). Default 256
 * MiB; 0: keep none. Call before the first out_run_copy. */
void out_writer_keep_max(out_writer *w, size_t bytes);

/* Series out_run_copy has kept so far, and their bytes in *bytes (if not
 * NULL); 0 once the statistics are written. */
size_t out_writer_kept(const out_writer *w, size_t *bytes);

/* ---- generic tables, attributes, copies (for experiments) ---- */

typedef enum { OUT_COL_DOUBLE = 0, OUT_COL_UINT32, OUT_COL_STRING } out_col_kind;

/* One column of a table: a name, a kind, nrows values of that kind. */
typedef struct out_column {
    const char         *name;
    out_col_kind        kind;
    const double       *d;      /* OUT_COL_DOUBLE */
    const uint32_t     *u;      /* OUT_COL_UINT32 */
    const char *const  *s;      /* OUT_COL_STRING (fixed-length strings) */
    const char         *unit;   /* NULL: "" */
} out_column;

/* A compound dataset at the absolute path (parent groups created) with
 * nrows rows of the ncols columns, float64 / uint32 / string members in
 * order, packed little-endian like /scalars; attributes `units` (one per
 * column) and `description`. SIM_EINVAL when the path exists or a column
 * is malformed. */
int out_table_write(out_writer *w, const char *path, size_t nrows, size_t ncols,
                    const out_column *cols, const char *desc, sim_err *err);

/* Attributes of an object already written (a group or dataset). */
int out_obj_attr_string(out_writer *w, const char *path, const char *name,
                        const char *value, sim_err *err);
int out_obj_attr_double(out_writer *w, const char *path, const char *name, double value,
                        sim_err *err);

/* Copies group /runs/NNNN (run `run`, with its attributes and series, raw
 * chunks unchanged) from the HDF5 file src_path into the same place in w,
 * with the coordinates of each series group made anew from w's own time
 * axis and entities (object references do not survive a copy between
 * files).
 * This is how fragments written run by run become one file. SIM_EINVAL
 * when w has that run already or src lacks it; SIM_EIO when src cannot
 * be read. */
int out_run_copy(out_writer *w, size_t run, const char *src_path, sim_err *err);

/* Copies the whole HDF5 file src_path (root attributes and every object,
 * raw chunks unchanged, internal hard links kept) into the new group dst
 * (absolute, parents created): how a comparison file holds each arm's
 * ordinary file under /arms/<label>. SIM_EINVAL when dst exists; SIM_EIO
 * when src cannot be read. */
int out_tree_copy(out_writer *w, const char *dst, const char *src_path, sim_err *err);

#endif
