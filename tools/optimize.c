/* tools/optimize.c - expressions, constraints, decision variables and the
 * chosen policy's scenario file for `vouchsim optimize` (see optimize.h).
 *
 * Nothing here runs a simulation; cmd_optimize.c does, and sim/select.c
 * holds the statistics. The one file read and written here is the
 * journal of finished runs that --resume goes on from. */
#define _POSIX_C_SOURCE 200809L     /* fsync, ftruncate, fileno */
#include "tools/optimize.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <unistd.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- expressions ---- */

enum { OP_CONST, OP_SCALAR, OP_VAR, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG };

typedef struct op {
    int    code;
    size_t idx;            /* OP_SCALAR, OP_VAR */
    double v;              /* OP_CONST */
} op;

struct opt_expr {
    op     *ops;
    size_t  n, cap;
    size_t  depth, max_depth;   /* evaluation stack while compiling, and its peak */
    int     uses;               /* scalars or variables */
    int     scalars;            /* scalars */
};

typedef struct parser {
    const char *s;
    size_t      i;
    opt_expr   *e;
    const char *const *names;
    size_t      nnames;
    const char *const *vars;
    const int  *numeric;
    size_t      nvars;
    int         nest;
    sim_err    *err;
} parser;

static int perr(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(parser *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sim_err_set(p->err, SIM_ESYNTAX, NULL, 0, 0, "'%s': column %zu: %s", p->s, p->i + 1,
                       msg);
}

static int emit(parser *p, int code, size_t idx, double v)
{
    opt_expr *e = p->e;
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 16;
        op *o = realloc(e->ops, cap * sizeof *o);
        if (!o)
            return sim_err_set(p->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        e->ops = o;
        e->cap = cap;
    }
    e->ops[e->n++] = (op){ code, idx, v };
    if (code <= OP_VAR) {
        if (++e->depth > e->max_depth)
            e->max_depth = e->depth;
        if (code != OP_CONST)
            e->uses = 1;
        if (code == OP_SCALAR)
            e->scalars = 1;
    } else if (code != OP_NEG) {
        e->depth--;
    }
    return SIM_OK;
}

static void skip_space(parser *p)
{
    while (p->s[p->i] == ' ' || p->s[p->i] == '\t')
        p->i++;
}

static int parse_sum(parser *p);

static int parse_number(parser *p)
{
    const char *s = p->s;
    size_t j = p->i;
    while (isdigit((unsigned char)s[j]))
        j++;
    if (s[j] == '.') {
        j++;
        while (isdigit((unsigned char)s[j]))
            j++;
    }
    if (j == p->i + (s[p->i] == '.' ? 1 : 0))
        return perr(p, "expected a number");
    if ((s[j] == 'e' || s[j] == 'E')
        && (isdigit((unsigned char)s[j + 1])
            || ((s[j + 1] == '+' || s[j + 1] == '-') && isdigit((unsigned char)s[j + 2])))) {
        j += 2;
        while (isdigit((unsigned char)s[j]))
            j++;
    }
    char buf[128];
    if (j - p->i >= sizeof buf - 4)
        return perr(p, "number too long");
    memcpy(buf, s + p->i, j - p->i);
    buf[j - p->i] = '\0';
    double v = strtod(buf, NULL);
    /* a money suffix: k, K, M, B (as in scenarios: 400M, 1.03B) */
    if (s[j] == 'k' || s[j] == 'K' || s[j] == 'M' || s[j] == 'B') {
        if (!(isalnum((unsigned char)s[j + 1]) || s[j + 1] == '_')) {
            if (strpbrk(buf, "eE"))
                return perr(p, "a number with an exponent takes no suffix");
            char *num = buf + strlen(buf);
            strcpy(num, s[j] == 'B' ? "e9" : s[j] == 'M' ? "e6" : "e3");
            v = strtod(buf, NULL);   /* "1.03e9" is exact where 1.03 * 1e9 is not */
            j++;
        }
    }
    if (isalnum((unsigned char)s[j]) || s[j] == '_') {
        p->i = j;
        return perr(p, "unexpected '%c' after a number (suffixes: k, M, B)", s[j]);
    }
    if (!isfinite(v))
        return perr(p, "number out of range");
    p->i = j;
    return emit(p, OP_CONST, 0, v);
}

/* The one of names[0..n) nearest to w[0..len), when close enough to be a
 * likely typo (at most 2 edits, fewer than len), else NULL. */
static const char *nearest_of(const char *w, size_t len, const char *const *names, size_t n)
{
    char word[128];
    if (len >= sizeof word)
        return NULL;
    memcpy(word, w, len);
    word[len] = '\0';
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t k = 0; k < n; k++) {
        size_t d = scn_edit_distance(word, names[k]);
        if (d < bd)
            bd = d, best = names[k];
    }
    return best && bd <= 2 && bd < len ? best : NULL;
}

static int parse_primary(parser *p)
{
    skip_space(p);
    const char *s = p->s;
    char c = s[p->i];
    if (isdigit((unsigned char)c) || c == '.')
        return parse_number(p);
    if (isalpha((unsigned char)c) || c == '_') {
        size_t j = p->i;
        while (isalnum((unsigned char)s[j]) || s[j] == '_')
            j++;
        size_t len = j - p->i;
        for (size_t k = 0; k < p->nnames; k++)
            if (strlen(p->names[k]) == len && !strncmp(p->names[k], s + p->i, len)) {
                p->i = j;
                return emit(p, OP_SCALAR, k, 0.0);
            }
        const char *near = nearest_of(s + p->i, len, p->names, p->nnames);
        if (near)
            return perr(p, "unknown scalar '%.*s' (did you mean '%s'?)", (int)len, s + p->i,
                        near);
        return perr(p, "unknown scalar '%.*s' (the names are those of `vouchsim summary "
                    "FILE --format csv`; a decision variable is written {key})", (int)len,
                    s + p->i);
    }
    if (c == '{') {
        size_t j = p->i + 1;
        while (s[j] && s[j] != '}')
            j++;
        if (!s[j])
            return perr(p, "'{' without '}'");
        size_t len = j - p->i - 1;
        for (size_t k = 0; k < p->nvars; k++)
            if (strlen(p->vars[k]) == len && !strncmp(p->vars[k], s + p->i + 1, len)) {
                if (!p->numeric[k])
                    return perr(p, "{%s} takes names, not numbers", p->vars[k]);
                p->i = j + 1;
                return emit(p, OP_VAR, k, 0.0);
            }
        const char *near = nearest_of(s + p->i + 1, len, p->vars, p->nvars);
        if (near)
            return perr(p, "{%.*s} is not a decision variable (did you mean {%s}?)", (int)len,
                        s + p->i + 1, near);
        return perr(p, "{%.*s} is not a decision variable (a --vary key)", (int)len,
                    s + p->i + 1);
    }
    if (c == '(') {
        p->i++;
        if (++p->nest > OPT_EXPR_MAX_DEPTH)
            return perr(p, "nested deeper than %d", OPT_EXPR_MAX_DEPTH);
        int rc = parse_sum(p);
        if (rc)
            return rc;
        skip_space(p);
        if (s[p->i] != ')')
            return perr(p, "expected ')'");
        p->i++;
        p->nest--;
        return SIM_OK;
    }
    if (!c)
        return perr(p, "expected a number, a scalar, {key} or '(' at the end");
    return perr(p, "expected a number, a scalar, {key} or '(', got '%c'", c);
}

static int parse_unary(parser *p)
{
    skip_space(p);
    char c = p->s[p->i];
    if (c == '-' || c == '+') {
        p->i++;
        if (++p->nest > OPT_EXPR_MAX_DEPTH)
            return perr(p, "nested deeper than %d", OPT_EXPR_MAX_DEPTH);
        int rc = parse_unary(p);
        p->nest--;
        if (rc)
            return rc;
        return c == '-' ? emit(p, OP_NEG, 0, 0.0) : SIM_OK;
    }
    return parse_primary(p);
}

/* One level of left-associative operators: operands from sub, joined by
 * ops[0] or ops[1], emitted as codes[0] or codes[1]. */
static int parse_level(parser *p, int (*sub)(parser *), const char ops[2], const int codes[2])
{
    int rc = sub(p);
    for (;;) {
        if (rc)
            return rc;
        skip_space(p);
        char c = p->s[p->i];
        if (c != ops[0] && c != ops[1])
            return SIM_OK;
        p->i++;
        if ((rc = sub(p)) == SIM_OK)
            rc = emit(p, codes[c == ops[1]], 0, 0.0);
    }
}

static int parse_product(parser *p)
{
    static const int codes[2] = { OP_MUL, OP_DIV };
    return parse_level(p, parse_unary, "*/", codes);
}

static int parse_sum(parser *p)
{
    static const int codes[2] = { OP_ADD, OP_SUB };
    return parse_level(p, parse_product, "+-", codes);
}

opt_expr *opt_expr_parse(const char *text, const char *const *names, size_t nnames,
                         const char *const *vars, const int *numeric, size_t nvars,
                         sim_err *err)
{
    if (strlen(text) > OPT_EXPR_MAX_LEN) {
        sim_err_set(err, SIM_ESYNTAX, NULL, 0, 0, "expression longer than %d characters",
                    OPT_EXPR_MAX_LEN);
        return NULL;
    }
    opt_expr *e = calloc(1, sizeof *e);
    if (!e) {
        sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    parser p = { text, 0, e, names, nnames, vars, numeric, nvars, 0, err };
    int rc = parse_sum(&p);
    if (rc == SIM_OK) {
        skip_space(&p);
        if (text[p.i])
            rc = perr(&p, "unexpected '%c'", text[p.i]);
    }
    if (rc != SIM_OK) {
        opt_expr_free(e);
        return NULL;
    }
    return e;
}

void opt_expr_free(opt_expr *e)
{
    if (!e)
        return;
    free(e->ops);
    free(e);
}

int opt_expr_is_const(const opt_expr *e) { return !e->uses; }
int opt_expr_uses_scalars(const opt_expr *e) { return e->scalars; }

double opt_expr_eval(const opt_expr *e, const double *scalars, const double *var)
{
    double small[32];
    double *st = e->max_depth <= 32 ? small : malloc(e->max_depth * sizeof *st);
    if (!st)
        return NAN;
    size_t sp = 0;
    for (size_t k = 0; k < e->n; k++) {
        const op *o = &e->ops[k];
        switch (o->code) {
        case OP_CONST: st[sp++] = o->v; break;
        case OP_SCALAR: st[sp++] = scalars[o->idx]; break;
        case OP_VAR: st[sp++] = var[o->idx]; break;
        case OP_NEG: st[sp - 1] = -st[sp - 1]; break;
        case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
        case OP_SUB: sp--; st[sp - 1] -= st[sp]; break;
        case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
        case OP_DIV: sp--; st[sp - 1] /= st[sp]; break;
        }
    }
    double v = sp == 1 ? st[0] : NAN;
    if (st != small)
        free(st);
    return v;
}

/* ---- constraints ---- */

int opt_constraint_parse(opt_constraint *c, const char *text, const char *const *names,
                         size_t nnames, const char *const *vars, const int *numeric,
                         size_t nvars, sim_err *err)
{
    memset(c, 0, sizeof *c);
    const char *le = strstr(text, "<="), *ge = strstr(text, ">=");
    const char *at = le ? le : ge;
    size_t nrel = 0;
    for (const char *q = text; *q; q++)
        nrel += *q == '<' || *q == '>' || *q == '=';
    if (!at || (le && ge) || nrel != 2)
        return sim_err_set(err, SIM_ESYNTAX, NULL, 0, 0,
                           "'%s': a constraint is EXPR <= EXPR or EXPR >= EXPR "
                           "[tol EPS]", text);
    c->ge = at == ge;
    size_t nl = (size_t)(at - text);
    char *lhs = strndup(text, nl), *rhs = strdup(at + 2);
    int rc = SIM_OK;
    if (!lhs || !rhs) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    /* "tol EPS" at the end: the word tol between blanks */
    char *tol = NULL;
    for (char *q = rhs; (q = strstr(q, "tol")) != NULL; q += 3)
        if (q > rhs && (q[-1] == ' ' || q[-1] == '\t') && (q[3] == ' ' || q[3] == '\t'))
            tol = q;
    if (tol) {
        tol[-1] = '\0';
        opt_expr *t = opt_expr_parse(tol + 3, NULL, 0, NULL, NULL, 0, err);
        if (!t) {
            rc = err ? err->code : SIM_ESYNTAX;
            goto out;
        }
        c->tol = opt_expr_eval(t, NULL, NULL);
        int is_const = opt_expr_is_const(t);
        opt_expr_free(t);
        if (!is_const || !(c->tol > 0.0) || !isfinite(c->tol)) {
            rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                             "'%s': the tolerance after tol must be a number > 0", text);
            goto out;
        }
        c->tol_given = 1;
    }
    if (!(c->lhs = opt_expr_parse(lhs, names, nnames, vars, numeric, nvars, err))
        || !(c->rhs = opt_expr_parse(rhs, names, nnames, vars, numeric, nvars, err))) {
        rc = err ? err->code : SIM_ESYNTAX;
        goto out;
    }
    if (!c->tol_given) {
        double b = opt_expr_is_const(c->rhs) ? fabs(opt_expr_eval(c->rhs, NULL, NULL)) : 0.0;
        if (!(b > 0.0) || !isfinite(b)) {
            rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                             "'%s': give the tolerance, '... tol EPS' (the default, 1%% of the "
                             "bound, needs a non-zero number on the right)", text);
            goto out;
        }
        c->tol = 0.01 * b;
    }
out:
    free(lhs);
    free(rhs);
    if (rc != SIM_OK)
        opt_constraint_fini(c);
    return rc;
}

void opt_constraint_fini(opt_constraint *c)
{
    opt_expr_free(c->lhs);
    opt_expr_free(c->rhs);
    c->lhs = c->rhs = NULL;
}

int opt_constraint_exact(const opt_constraint *c)
{
    return !opt_expr_uses_scalars(c->lhs) && !opt_expr_uses_scalars(c->rhs);
}

double opt_constraint_eval(const opt_constraint *c, const double *scalars, const double *var)
{
    double l = opt_expr_eval(c->lhs, scalars, var), r = opt_expr_eval(c->rhs, scalars, var);
    return c->ge ? r - l : l - r;
}

/* ---- decision variables ---- */

static opt_kind classify(const char *s, double *v)
{
    char *end;
    if (isdigit((unsigned char)s[0]) || ((s[0] == '-' || s[0] == '+' || s[0] == '.') && s[1])) {
        *v = strtod(s, &end);
        if (end != s && !*end && isfinite(*v) && !strpbrk(s, "xXnN"))
            return OPT_NUMBER;
    }
    if (scn_money_from_string(s, v) == SIM_OK)
        return OPT_MONEY;
    if (scn_duration_from_string(s, v) == SIM_OK)
        return OPT_DURATION;
    *v = NAN;
    return OPT_NAME;
}

static int is_whole_text(const char *s)
{
    return *s && s[strspn(s, "+-0123456789")] == '\0';
}

static void fmt_num(char *buf, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {      /* 10000000, not 1e+07 */
        snprintf(buf, size, "%.0f", v);
        return;
    }
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void opt_var_set_text(const opt_var *v, double x, char *buf, size_t size)
{
    char num[64];
    fmt_num(num, sizeof num, v->whole ? round(x) : x);
    snprintf(buf, size, "%s=%s%s", v->key, num, v->kind == OPT_DURATION ? "h" : "");
}

void opt_var_fini(opt_var *v)
{
    for (size_t j = 0; v->text && j < v->n; j++)
        free(v->text[j]);
    free(v->text);
    free(v->num);
    free(v->key);
    memset(v, 0, sizeof *v);
}

int opt_var_parse(opt_var *v, const char *spec, sim_err *err)
{
    memset(v, 0, sizeof *v);
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                           "--vary takes key=v1,v2,... or key=LO:HI or key=LO:HI:N, got '%s'",
                           spec);
    if (!(v->key = strndup(spec, (size_t)(eq - spec))))
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    const char *rest = eq + 1;
    int rc = SIM_OK;
    if (strchr(rest, ',') || !strchr(rest, ':')) {
        /* a list */
        size_t n = 1;
        for (const char *q = rest; *q; q++)
            n += *q == ',';
        if (n > 100000)
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "--vary %s: too many values",
                               v->key);
        v->text = calloc(n, sizeof *v->text);
        v->num = calloc(n, sizeof *v->num);
        if (!v->text || !v->num)
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        v->n = n;
        int any_name = 0, any_money = 0, any_dur = 0, all_whole = 1;
        const char *q = rest;
        for (size_t j = 0; j < n; j++) {
            const char *c = strchr(q, ',');
            size_t len = c ? (size_t)(c - q) : strlen(q);
            while (len && (*q == ' '))
                q++, len--;
            while (len && q[len - 1] == ' ')
                len--;
            if (!len) {
                rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "--vary %s: empty value in '%s'",
                                 v->key, rest);
                goto fail;
            }
            if (!(v->text[j] = strndup(q, len))) {
                rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
                goto fail;
            }
            for (size_t i = 0; i < j; i++)
                if (!strcmp(v->text[i], v->text[j])) {
                    rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                                     "--vary %s: '%s' is listed twice", v->key, v->text[j]);
                    goto fail;
                }
            opt_kind k = classify(v->text[j], &v->num[j]);
            any_name |= k == OPT_NAME;
            any_money |= k == OPT_MONEY;
            any_dur |= k == OPT_DURATION;
            all_whole &= k == OPT_NUMBER && is_whole_text(v->text[j]);
            q = c ? c + 1 : q + len;
        }
        if (any_money && any_dur) {
            rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                             "--vary %s: the values mix amounts and durations", v->key);
            goto fail;
        }
        v->kind = any_name ? OPT_NAME : any_money ? OPT_MONEY : any_dur ? OPT_DURATION
                                                                        : OPT_NUMBER;
        v->whole = all_whole;
        if (any_name)
            for (size_t j = 0; j < n; j++)
                v->num[j] = NAN;
        return SIM_OK;
    }
    /* LO:HI or LO:HI:N */
    char *f[3] = { NULL, NULL, NULL };
    char *copy = strdup(rest);
    if (!copy)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    size_t nf = 0;
    for (char *p = copy, *c; nf < 3; p = c + 1) {
        f[nf++] = p;
        if (!(c = strchr(p, ':')))
            break;
        *c = '\0';
    }
    double lo, hi;
    opt_kind klo = nf >= 2 ? classify(f[0], &lo) : OPT_NAME;
    opt_kind khi = nf >= 2 ? classify(f[1], &hi) : OPT_NAME;
    unsigned long long levels = 0;
    char *end = NULL;
    if (nf == 3 && f[2][0] >= '0' && f[2][0] <= '9')
        levels = strtoull(f[2], &end, 10);
    if (strchr(f[nf - 1], ':') || (nf == 3 && (!end || *end || levels < 2 || levels > 100000))
        || klo == OPT_NAME || khi == OPT_NAME || klo != khi || !(lo < hi)) {
        /* "-1M:5M:3": money and durations have no sign; say so, not LO < HI */
        double x;
        for (size_t j = 0; j < 2 && j < nf; j++)
            if (f[j][0] == '-' && (classify(f[j] + 1, &x) == OPT_MONEY
                                    || classify(f[j] + 1, &x) == OPT_DURATION)) {
                rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "--vary %s: '%s' is negative; "
                                 "amounts of money and durations are >= 0", v->key, f[j]);
                free(copy);
                goto fail;
            }
        rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                         "--vary %s: a range is LO:HI or LO:HI:N with LO < HI in one unit "
                         "(numbers, 30M, 12h) and N >= 2, got '%s'", v->key, rest);
        free(copy);
        goto fail;
    }
    v->kind = klo;
    v->lo = lo;
    v->hi = hi;
    v->whole = klo == OPT_NUMBER && is_whole_text(f[0]) && is_whole_text(f[1]);
    free(copy);
    if (nf == 2) {
        v->range = 1;
        return SIM_OK;
    }
    /* N levels: a list */
    v->n = (size_t)levels;
    v->text = calloc(v->n, sizeof *v->text);
    v->num = calloc(v->n, sizeof *v->num);
    if (!v->text || !v->num) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    for (size_t j = 0; j < v->n; j++) {
        double u = (double)j / (double)(v->n - 1);
        double x = lo * (1.0 - u) + hi * u;
        /* the decimal a person means: 0.2:0.5:4 is 0.2, 0.3, 0.4, 0.5, not
         * 0.30000000000000004 (15 significant digits, what a double keeps) */
        char dec[32];
        snprintf(dec, sizeof dec, "%.15g", x);
        x = strtod(dec, NULL);
        v->num[j] = v->whole ? round(x) : x;
        if (j && v->num[j] == v->num[j - 1]) {
            rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                             "--vary %s: %llu whole levels do not fit in %s", v->key, levels,
                             rest);
            goto fail;
        }
        char buf[128];
        opt_var_set_text(v, v->num[j], buf, sizeof buf);
        if (!(v->text[j] = strdup(buf + strlen(v->key) + 1))) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto fail;
        }
    }
    return SIM_OK;
fail:
    opt_var_fini(v);
    return rc;
}

/* ---- YAML ---- */

typedef struct ynode {
    char          *key;     /* mapping key, or the item's name */
    int            item;    /* 1: a named list item */
    char          *value;   /* leaf: flow text as given */
    size_t         from;    /* leaf: the index of the set that gave value */
    struct ynode **kids;
    size_t         nkids;
} ynode;

static void ynode_free(ynode *y)
{
    if (!y)
        return;
    for (size_t i = 0; i < y->nkids; i++)
        ynode_free(y->kids[i]);
    free(y->kids);
    free(y->key);
    free(y->value);
    free(y);
}

static ynode *ynode_child(ynode *y, const char *key, size_t len, int item)
{
    for (size_t i = 0; i < y->nkids; i++)
        if (y->kids[i]->item == item && strlen(y->kids[i]->key) == len
            && !strncmp(y->kids[i]->key, key, len))
            return y->kids[i];
    ynode **k = realloc(y->kids, (y->nkids + 1) * sizeof *k);
    if (!k)
        return NULL;
    y->kids = k;
    ynode *c = calloc(1, sizeof *c);
    if (!c || !(c->key = strndup(key, len))) {
        free(c);
        return NULL;
    }
    c->item = item;
    y->kids[y->nkids++] = c;
    return c;
}

static const char *item_name(const scn_node *item)
{
    const scn_node *n = scn_get(item, "name");
    return n ? scn_str(n) : NULL;
}

/* Adds one "path=value" (sets[from]) to the tree, walking doc alongside. */
static int yaml_add(ynode *root, const scn_doc *doc, const char *set, size_t from, sim_err *err)
{
    const char *eq = strchr(set, '=');
    if (!eq || eq == set)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "'%s': expected key.path=value", set);
    const char *val = eq + 1;
    for (const char *q = val; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                               "'%s': a value with control characters cannot be written", set);
    const scn_node *cur = scn_root(doc);
    ynode *y = root;
    size_t i = 0, plen = (size_t)(eq - set);
    while (i < plen) {
        const char *key;
        size_t len;
        char idxname[32];
        if (set[i] == '[') {
            unsigned long idx = strtoul(set + i + 1, NULL, 10);
            const char *close = memchr(set + i, ']', plen - i);
            if (!close || !cur || scn_node_kind(cur) != SCN_SEQ || idx >= scn_len(cur))
                return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "'%s': no such item", set);
            key = item_name(scn_item(cur, idx));
            if (!key)
                return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                                   "'%s': the items of this list have no names, so the key "
                                   "cannot be written as an extends override", set);
            len = strlen(key);
            snprintf(idxname, sizeof idxname, "%lu", idx);
            i = (size_t)(close - set) + 1;
        } else {
            size_t s = i;
            while (i < plen && set[i] != '.' && set[i] != '[')
                i++;
            key = set + s;
            len = i - s;
        }
        if (i < plen && set[i] == '.')
            i++;
        int item = cur && scn_node_kind(cur) == SCN_SEQ;
        if (item) {
            const scn_node *found = NULL;
            for (size_t j = 0; j < scn_len(cur) && !found; j++) {
                const char *nm = item_name(scn_item(cur, j));
                if (nm && strlen(nm) == len && !strncmp(nm, key, len))
                    found = scn_item(cur, j);
            }
            cur = found;
        } else if (cur && scn_node_kind(cur) == SCN_MAP) {
            char *k = strndup(key, len);
            if (!k)
                return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            cur = scn_get(cur, k);
            free(k);
        } else {
            cur = NULL;
        }
        if (y->value)
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                               "'%s': sets a key inside a value set before", set);
        if (!(y = ynode_child(y, key, len, item)))
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (y->nkids)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                           "'%s': replaces a mapping whose keys are set too", set);
    if (y->item)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                           "'%s': replaces a whole list item, which extends cannot express; "
                           "set its keys one by one", set);
    free(y->value);
    if (!(y->value = strdup(val)))
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    y->from = from;
    return SIM_OK;
}

/* A key or name: plain when it is an identifier YAML reads as a string,
 * else double-quoted with escapes. */
static void put_scalar(FILE *f, const char *s, int force_quote)
{
    static const char *const special[] = { "true", "false", "yes", "no", "on", "off", "null",
                                           "True", "False", "Yes", "No", "On", "Off", "Null",
                                           "TRUE", "FALSE", "NULL", "y", "n", NULL };
    int plain = !force_quote && (isalpha((unsigned char)s[0]) || s[0] == '_')
                && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                               "0123456789_-")] == '\0';
    for (size_t i = 0; plain && special[i]; i++)
        plain = strcmp(s, special[i]) != 0;
    if (plain) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if (*q == '"' || *q == '\\')
            fprintf(f, "\\%c", *q);
        else if (*q < 0x20 || *q == 0x7f)
            fprintf(f, "\\x%02x", *q);
        else
            fputc(*q, f);
    }
    fputc('"', f);
}

static void yaml_emit(FILE *f, const ynode *y, int indent)
{
    for (size_t i = 0; i < y->nkids; i++) {
        const ynode *c = y->kids[i];
        if (c->item) {
            fprintf(f, "%*s- name: ", indent, "");
            put_scalar(f, c->key, 1);
            fputc('\n', f);
            yaml_emit(f, c, indent + 2);     /* yaml_add refuses a valued item */
            continue;
        }
        fprintf(f, "%*s", indent, "");
        put_scalar(f, c->key, 0);
        if (c->value) {
            fprintf(f, ": %s\n", c->value);
            continue;
        }
        fputs(":\n", f);
        yaml_emit(f, c, indent + 2);
    }
}

/* The tree of the overrides sets[0..nsets) of doc, in *root (NULL: no
 * memory); SIM_OK, or the first override's error (the tree is then still
 * the caller's to free). */
static int yaml_tree(const scn_doc *doc, const char *const *sets, size_t nsets, ynode **root,
                     sim_err *err)
{
    if (!(*root = calloc(1, sizeof **root)))
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = SIM_OK;
    for (size_t i = 0; i < nsets && rc == SIM_OK; i++)
        rc = yaml_add(*root, doc, sets[i], i, err);
    return rc;
}

int opt_yaml_write(FILE *f, const char *header, const char *extends, const scn_doc *doc,
                   const char *const *sets, size_t nsets, sim_err *err)
{
    ynode *root = NULL;
    int rc = yaml_tree(doc, sets, nsets, &root, err);
    if (!root)
        return rc;
    for (size_t i = 0; rc == SIM_OK && i < root->nkids; i++)
        if (!strcmp(root->kids[i]->key, "extends"))
            rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "a decision variable may not be "
                             "'extends'");
    if (rc == SIM_OK) {
        if (header) {
            for (const char *q = header; *q;) {
                const char *nl = strchr(q, '\n');
                size_t len = nl ? (size_t)(nl - q) : strlen(q);
                fputs("# ", f);
                for (size_t j = 0; j < len; j++)
                    fputc((unsigned char)q[j] < 0x20 ? '?' : q[j], f);
                fputc('\n', f);
                q += len + (nl ? 1 : 0);
            }
        }
        fputs("extends: ", f);
        put_scalar(f, extends, 1);
        fputc('\n', f);
        yaml_emit(f, root, 0);
        if (ferror(f))
            rc = sim_err_set(err, SIM_EIO, NULL, 0, 0, "write failed");
    }
    ynode_free(root);
    return rc;
}

/* A growing string. */
typedef struct sbuf {
    char  *s;
    size_t len, cap;
    int    nomem;
} sbuf;

static void sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->nomem = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* The leaves under y as "path=value, ..." into chosen (a value from
 * sets[first..]) or fixed; path holds y's own path (the keys from the
 * top joined by '.'), and is given back as it came. */
static void leaves_text(const ynode *y, sbuf *path, size_t first, sbuf *chosen, sbuf *fixed)
{
    for (size_t i = 0; i < y->nkids; i++) {
        const ynode *c = y->kids[i];
        size_t plen = path->len;
        if (plen)
            sbuf_add(path, ".", 1);
        sbuf_add(path, c->key, strlen(c->key));
        if (c->value) {
            sbuf *to = c->from >= first ? chosen : fixed;
            if (to->len)
                sbuf_add(to, ", ", 2);
            sbuf_add(to, path->s, path->len);
            sbuf_add(to, "=", 1);
            sbuf_add(to, c->value, strlen(c->value));
        } else {
            leaves_text(c, path, first, chosen, fixed);
        }
        path->len = plen;
        if (path->s)
            path->s[plen] = '\0';
    }
}

int opt_overrides_text(const scn_doc *doc, const char *const *sets, size_t nsets, size_t first,
                       const char *skip, char **chosen, char **fixed, sim_err *err)
{
    *chosen = *fixed = NULL;
    ynode *root = NULL;
    int rc = yaml_tree(doc, sets, nsets, &root, err);
    if (!root)
        return rc;
    if (rc == SIM_OK) {
        sbuf path = { 0 }, ch = { 0 }, fx = { 0 };
        sbuf_add(&ch, "", 0);
        sbuf_add(&fx, "", 0);
        for (size_t i = 0; i < root->nkids; i++) {
            if (skip && !strcmp(root->kids[i]->key, skip))
                continue;
            ynode one = { 0 };          /* root with this one child */
            one.kids = &root->kids[i];
            one.nkids = 1;
            leaves_text(&one, &path, first, &ch, &fx);
        }
        free(path.s);
        if (path.nomem || ch.nomem || fx.nomem) {
            free(ch.s);
            free(fx.s);
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            *chosen = ch.s;
            *fixed = fx.s;
        }
    }
    ynode_free(root);
    return rc;
}

/* The next component of an absolute path at *p ("" at the end). */
static size_t component(const char **p)
{
    while (**p == '/')
        (*p)++;
    return strcspn(*p, "/");
}

char *opt_relpath(const char *from_dir, const char *to)
{
    const char *a = from_dir, *b = to;
    for (;;) {
        const char *a2 = a, *b2 = b;
        size_t la = component(&a2), lb = component(&b2);
        /* the last component of `to` is the file: never common */
        if (!la || la != lb || strncmp(a2, b2, la) || !b2[lb])
            break;
        a = a2 + la;
        b = b2 + lb;
    }
    size_t ups = 0;
    for (const char *q = a; component(&q); q += strcspn(q, "/"))
        ups++;
    while (*b == '/')
        b++;
    size_t n = 3 * ups + strlen(b) + 1;
    char *p = malloc(n);
    if (!p)
        return NULL;
    p[0] = '\0';
    for (size_t k = 0; k < ups; k++)
        strcat(p, "../");
    strcat(p, b);
    return p;
}

/* ---- the journal ---- */

struct opt_journal {
    char     *path;
    FILE     *f;            /* appending */
    size_t    ncols;
    size_t    n, cap;       /* runs read at open */
    uint64_t *ident, *rep;  /* [n] */
    double   *rows;         /* [n x ncols] */
    size_t   *table;        /* open addressing over the read runs: index + 1, 0 empty */
    size_t    tsize;        /* a power of two */
};

static size_t journal_hash(uint64_t ident, uint64_t rep)
{
    uint64_t h = ident ^ (rep * 0x9e3779b97f4a7c15ULL);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    return (size_t)h;
}

static int journal_push(opt_journal *j, uint64_t ident, uint64_t rep, const double *row)
{
    if (j->n == j->cap) {
        size_t cap = j->cap ? 2 * j->cap : 64;
        uint64_t *a = realloc(j->ident, cap * sizeof *a);
        if (!a)
            return -1;
        j->ident = a;
        uint64_t *b = realloc(j->rep, cap * sizeof *b);
        if (!b)
            return -1;
        j->rep = b;
        double *r = realloc(j->rows, cap * (j->ncols ? j->ncols : 1) * sizeof *r);
        if (!r)
            return -1;
        j->rows = r;
        j->cap = cap;
    }
    j->ident[j->n] = ident;
    j->rep[j->n] = rep;
    memcpy(j->rows + j->n * j->ncols, row, j->ncols * sizeof *row);
    j->n++;
    return 0;
}

static int journal_index(opt_journal *j)
{
    size_t t = 64;
    while (t < 2 * j->n)
        t *= 2;
    if (!(j->table = calloc(t, sizeof *j->table)))
        return -1;
    j->tsize = t;
    for (size_t i = 0; i < j->n; i++) {
        size_t h = journal_hash(j->ident[i], j->rep[i]) & (t - 1);
        while (j->table[h]) {
            size_t o = j->table[h] - 1;
            if (j->ident[o] == j->ident[i] && j->rep[o] == j->rep[i])
                break;      /* a run journaled twice: the first stands */
            h = (h + 1) & (t - 1);
        }
        if (!j->table[h])
            j->table[h] = i + 1;
    }
    return 0;
}

/* Parses one whole line (without its newline) into ident, rep and row.
 * 0 on success. */
static int journal_line(const char *s, size_t ncols, uint64_t *ident, uint64_t *rep,
                        double *row)
{
    char *end;
    if (!isxdigit((unsigned char)*s))
        return -1;
    errno = 0;
    *ident = strtoull(s, &end, 16);
    if (errno || end != s + 16 || *end != ' ')
        return -1;
    s = end + 1;
    if (!isdigit((unsigned char)*s))
        return -1;
    *rep = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    s = end;
    for (size_t c = 0; c < ncols; c++) {
        if (*s != ' ')
            return -1;
        s++;
        row[c] = strtod(s, &end);
        if (end == s)
            return -1;
        s = end;
    }
    return *s ? -1 : 0;
}

/* Reads the runs of an existing journal; returns the byte offset after
 * the last whole, valid line (0: start over), or -1 on a read error. */
static long journal_read(opt_journal *j, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long good = 0;
    double *row = malloc((j->ncols ? j->ncols : 1) * sizeof *row);
    char head[128];
    snprintf(head, sizeof head, "%s ncols %zu\n", OPT_JOURNAL_MAGIC, j->ncols);
    if (!row)
        return -1;
    if ((len = getline(&line, &cap, f)) < 0 || strcmp(line, head))
        goto out;                       /* empty, or another shape: start over */
    good = (long)len;
    while ((len = getline(&line, &cap, f)) > 0) {
        uint64_t ident, rep;
        if (line[len - 1] != '\n')
            break;                      /* torn by a crash */
        line[len - 1] = '\0';
        if (journal_line(line, j->ncols, &ident, &rep, row) != 0)
            break;
        if (journal_push(j, ident, rep, row) != 0) {
            good = -1;
            goto out;
        }
        good += (long)len;
    }
    if (ferror(f))
        good = -1;
out:
    free(line);
    free(row);
    return good;
}

opt_journal *opt_journal_open(const char *path, size_t ncols, int resume, sim_err *err)
{
    opt_journal *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    j->ncols = ncols;
    long keep = 0;
    if (resume) {
        FILE *r = fopen(path, "r");
        if (r) {
            keep = journal_read(j, r);
            fclose(r);
            if (keep < 0) {
                sim_err_set(err, SIM_EIO, path, 0, 0, "cannot read the journal: %s",
                            strerror(errno ? errno : EIO));
                goto fail;
            }
            if (keep == 0)
                j->n = 0;
        } else if (errno != ENOENT) {
            sim_err_set(err, SIM_EIO, path, 0, 0, "cannot read the journal: %s",
                        strerror(errno));
            goto fail;
        }
    }
    if (journal_index(j) != 0) {
        sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    /* append after the last good line, or start over */
    j->f = fopen(path, keep > 0 ? "r+" : "w");
    if (!j->f || (keep > 0 && (ftruncate(fileno(j->f), (off_t)keep) != 0
                               || fseek(j->f, keep, SEEK_SET) != 0))) {
        sim_err_set(err, SIM_EIO, path, 0, 0, "cannot write the journal: %s", strerror(errno));
        goto fail;
    }
    if (keep == 0)
        fprintf(j->f, "%s ncols %zu\n", OPT_JOURNAL_MAGIC, ncols);
    if (opt_journal_sync(j, err) != SIM_OK)
        goto fail;
    return j;
fail:
    opt_journal_close(j, 0);
    return NULL;
}

size_t opt_journal_loaded(const opt_journal *j)
{
    return j ? j->n : 0;
}

const double *opt_journal_find(const opt_journal *j, uint64_t ident, uint64_t rep)
{
    if (!j || !j->n)
        return NULL;
    size_t h = journal_hash(ident, rep) & (j->tsize - 1);
    while (j->table[h]) {
        size_t o = j->table[h] - 1;
        if (j->ident[o] == ident && j->rep[o] == rep)
            return j->rows + o * j->ncols;
        h = (h + 1) & (j->tsize - 1);
    }
    return NULL;
}

int opt_journal_append(opt_journal *j, uint64_t ident, uint64_t rep, const double *row,
                       sim_err *err)
{
    fprintf(j->f, "%016" PRIx64 " %" PRIu64, ident, rep);
    for (size_t c = 0; c < j->ncols; c++)
        fprintf(j->f, " %a", row[c]);
    if (fputc('\n', j->f) == EOF || ferror(j->f))
        return sim_err_set(err, SIM_EIO, j->path, 0, 0, "cannot write the journal: %s",
                           strerror(errno ? errno : EIO));
    return SIM_OK;
}

int opt_journal_sync(opt_journal *j, sim_err *err)
{
    if (fflush(j->f) != 0 || ferror(j->f) || fsync(fileno(j->f)) != 0)
        return sim_err_set(err, SIM_EIO, j->path, 0, 0, "cannot write the journal: %s",
                           strerror(errno ? errno : EIO));
    return SIM_OK;
}

void opt_journal_close(opt_journal *j, int remove)
{
    if (!j)
        return;
    if (j->f)
        fclose(j->f);
    if (remove)
        unlink(j->path);
    free(j->path);
    free(j->ident);
    free(j->rep);
    free(j->rows);
    free(j->table);
    free(j);
}
