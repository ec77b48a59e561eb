/* tests/fuzz/fuzz.h - what the fuzz harnesses share.
 *
 * Each harness defines LLVMFuzzerTestOneInput. Built with clang and
 * -fsanitize=fuzzer (./configure --enable-fuzzing) it is a libFuzzer
 * program; linked with tests/fuzz/replay.c instead it is a plain program
 * that runs the files it is given once each, which is how `make check`
 * replays the seeds and every crash found so far with gcc. */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the replay driver runs when given no arguments: directories under
 * $top_srcdir, NULL-terminated; a name starting with '?' may be absent
 * (a directory of crash fixtures that has none yet). Each harness defines
 * it. */
extern const char *const fuzz_default_dirs[];

/* A private directory for the harness's temporary files, made on first use
 * (mkdtemp under $TMPDIR or /tmp) and removed with its files at exit. */
const char *fuzz_tmpdir(void);

/* Writes size bytes to fuzz_tmpdir()/name and returns the path (a static
 * buffer), or NULL when the file cannot be written. */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);

/* A broken invariant: prints what and aborts, which libFuzzer reports as a
 * crash (and the replay driver as a failed test). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
