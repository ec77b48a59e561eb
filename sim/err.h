/* sim/err.h - error codes and the error context every fallible call fills.
 *
 * Library code reports, mains decide: a function returns SIM_OK or a
 * negative SIM_E* code and, when given a sim_err, leaves a message there in
 * the form editors jump to ("path:line:col: key: message"). */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include <stddef.h>

enum {
    SIM_OK = 0,
    SIM_EINVAL = -1,    /* bad argument or bad input value */
    SIM_ENOMEM = -2,    /* out of memory */
    SIM_ESYNTAX = -3,   /* input that does not parse */
    SIM_EIO = -4,       /* a file could not be read or written */
    SIM_ENOENT = -5,    /* no such thing: file, key, event handle */
    SIM_ECHECK = -6,    /* an accounting or invariant check failed at run time */
    SIM_ELIB = -7,      /* a library (GSL, HDF5) reported a failure */
    SIM_EUSAGE = -8     /* bad command-line usage */
};

#define SIM_ERR_MSG_MAX 1024

typedef struct sim_err {
    int  code;                   /* the SIM_E* code last set, SIM_OK if none */
    char msg[SIM_ERR_MSG_MAX];   /* "path:line:col: message", or "message" */
} sim_err;

/* Reset err to "no error". err may be NULL. */
void sim_err_clear(sim_err *err);

/* Record an error and return code (the message escaped by
 * sim_text_escape: it holds no control character), so callers can write
 *     return sim_err_set(err, SIM_EINVAL, path, line, col, "...", ...);
 * path may be NULL (no location prefix); line/col <= 0 are left out, so
 * "path: message" and "path:line: message" come out as expected. err may
 * be NULL; then only the code is returned. */
int sim_err_set(sim_err *err, int code, const char *path, int line, int col,
                const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Put "prefix: " in front of an existing message (for context such as the
 * file being written). Returns err->code, or SIM_OK when err is NULL. */
int sim_err_prefix(sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copies s into buf (size bytes, NUL-terminated) with every character
 * that could drive a terminal or forge a line escaped: control characters
 * as \n, \t, \r or \xNN (C0, DEL; C1, U+0080..U+009F, as the two bytes
 * of its UTF-8, "\xc2\x9b"), and each byte that is not well-formed UTF-8
 * as \xNN; printable ASCII and other well-formed UTF-8 ("Zhengzhou 郑州")
 * as they are. Cut at a whole character or escape. Escaping twice changes
 * nothing. Returns the length written. sim_err_set and sim_err_prefix
 * pass their messages through it. */
size_t sim_text_escape(char *buf, size_t size, const char *s);

/* A short English name for a code: "invalid input", "out of memory"... */
const char *sim_strerror(int code);

#endif
