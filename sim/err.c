/* sim/err.c - formatting of error messages with a source position. */
#include "sim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sim_err_clear(sim_err *err)
{
    if (err) {
        err->code = SIM_OK;
        err->msg[0] = '\0';
    }
}

int sim_err_set(sim_err *err, int code, const char *path, int line, int col,
                const char *fmt, ...)
{
    if (!err)
        return code;
    size_t n = 0;
    if (path && line > 0 && col > 0)
        n = (size_t)snprintf(err->msg, sizeof err->msg, "%s:%d:%d: ", path, line, col);
    else if (path && line > 0)
        n = (size_t)snprintf(err->msg, sizeof err->msg, "%s:%d: ", path, line);
    else if (path)
        n = (size_t)snprintf(err->msg, sizeof err->msg, "%s: ", path);
    if (n >= sizeof err->msg)
        n = sizeof err->msg - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof err->msg - n, fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

int sim_err_prefix(sim_err *err, const char *fmt, ...)
{
    if (!err)
        return SIM_OK;
    char buf[2 * SIM_ERR_MSG_MAX + 2];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, SIM_ERR_MSG_MAX, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < SIM_ERR_MSG_MAX ? (size_t)n : SIM_ERR_MSG_MAX - 1;
    buf[len++] = ':';
    buf[len++] = ' ';
    memcpy(buf + len, err->msg, SIM_ERR_MSG_MAX);
    memcpy(err->msg, buf, SIM_ERR_MSG_MAX - 1);
    err->msg[SIM_ERR_MSG_MAX - 1] = '\0';
    return err->code;
}

const char *sim_strerror(int code)
{
    switch (code) {
    case SIM_OK:      return "no error";
    case SIM_EINVAL:  return "invalid input";
    case SIM_ENOMEM:  return "out of memory";
    case SIM_ESYNTAX: return "syntax error";
    case SIM_EIO:     return "input/output error";
    case SIM_ENOENT:  return "not found";
    case SIM_ECHECK:  return "check failed";
    case SIM_ELIB:    return "library error";
    case SIM_EUSAGE:  return "usage error";
    default:          return "unknown error";
    }
}
