/* sim/err.c - formatting of error messages with a source position. */
#include "sim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The length of the well-formed UTF-8 character at u (at most n bytes: no
 * overlong forms, surrogates or code points past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *u, size_t n)
{
    unsigned c = u[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!len || len > n)
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((u[k] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && u[1] < 0xA0) || (c == 0xED && u[1] > 0x9F)
        || (c == 0xF0 && u[1] < 0x90) || (c == 0xF4 && u[1] > 0x8F))
        return 0;
    return len;
}

size_t sim_text_escape(char *buf, size_t size, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), out = 0;
    if (!size)
        return 0;
    for (size_t i = 0; i < n;) {
        char esc[16];
        size_t len = utf8_len(u + i, n - i), elen;
        unsigned c = u[i];
        if (len == 1 && c >= 0x20 && c != 0x7F) {
            esc[0] = (char)c;               /* printable ASCII */
            elen = 1;
        } else if (len == 1) {              /* C0 controls and DEL */
            elen = (size_t)(c == '\n' ? snprintf(esc, sizeof esc, "\\n")
                            : c == '\t' ? snprintf(esc, sizeof esc, "\\t")
                            : c == '\r' ? snprintf(esc, sizeof esc, "\\r")
                            : snprintf(esc, sizeof esc, "\\x%02x", c));
        } else if (len == 2 && c == 0xC2 && u[i + 1] <= 0x9F) {
            /* C1 controls (U+0080..U+009F: CSI is U+009B) */
            elen = (size_t)snprintf(esc, sizeof esc, "\\x%02x\\x%02x", c, u[i + 1]);
        } else if (len) {
            memcpy(esc, u + i, len);        /* any other character, as it is */
            elen = len;
        } else {
            len = 1;                        /* a byte that is not UTF-8 */
            elen = (size_t)snprintf(esc, sizeof esc, "\\x%02x", c);
        }
        if (out + elen >= size)
            break;
        memcpy(buf + out, esc, elen);
        out += elen;
        i += len;
    }
    buf[out] = '\0';
    return out;
}

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
    char msg[SIM_ERR_MSG_MAX];
    size_t n = 0;
    if (path && line > 0 && col > 0)
        n = (size_t)snprintf(msg, sizeof msg, "%s:%d:%d: ", path, line, col);
    else if (path && line > 0)
        n = (size_t)snprintf(msg, sizeof msg, "%s:%d: ", path, line);
    else if (path)
        n = (size_t)snprintf(msg, sizeof msg, "%s: ", path);
    if (n >= sizeof msg)
        n = sizeof msg - 1;
    msg[n] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - n, fmt, ap);
    va_end(ap);
    /* a path or value with ESC or a newline must not drive the terminal
     * or forge a line of its own */
    sim_text_escape(err->msg, sizeof err->msg, msg);
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
    if (n < 0)
        buf[0] = '\0';
    char esc[SIM_ERR_MSG_MAX];
    size_t len = sim_text_escape(esc, sizeof esc, buf);
    memcpy(buf, esc, len);
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
