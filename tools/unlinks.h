/* tools/unlinks.h - removing many files at once.
 *
 * A sweep's fragments are removed when its output is in place. On a file
 * system mounted with `discard` each removal waits for the device (ext4
 * discards the freed extents before unlink returns): on the CI machine,
 * with its disk busy, the 64 fragments of a sweep took 0.7 s one after
 * the other and 0.02-0.06 s eight at a time (idle, 0.02 s either way). */
#ifndef VOUCHSIM_TOOLS_UNLINKS_H
#define VOUCHSIM_TOOLS_UNLINKS_H

#include <stddef.h>

/* Removes paths[0..n) (unlink), several at a time; the threads it starts
 * block every signal, so the caller's thread takes them. Returns how many
 * were removed; a path that cannot be removed is left as it is. */
size_t unlinks(char *const *paths, size_t n);

#endif
