/* models/scenario.c - YAML scenario files as a tree of positioned nodes.
 *
 * libyaml parses a file into a document (aliases share nodes there); this
 * file converts it into our own tree, expanding aliases under a node budget
 * checked before anything is allocated, rejects duplicate keys, follows
 * `extends:` chains and merges them, applies --set overrides (to the tree
 * just read, or to a copy of a loaded one: a sweep's points read the file
 * once), names every node by its key path, and offers typed getters whose
 * errors carry the node's position. All nodes and strings of a document live in one arena
 * freed by scn_free. What the keys mean is config.c's business. */
#include "models/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "models/schema.h"

struct scn_node {
    scn_kind    kind;
    int         line, col;      /* from 1 */
    const char *file;
    const char *text;           /* scalars; NULL otherwise */
    const char *keypath;
    size_t      n;              /* items or entries */
    scn_node  **items;          /* sequence items, or mapping values */
    scn_node  **keys;           /* mapping keys (scalar nodes) */
    const char *hint;           /* a child's list item named like no item of its
                                   parent: "no program 'x' in p.yaml to override" */
    int         tcol;           /* scalars whose text stands in the source as it is
                                   (one line, no escapes): the column of its first
                                   character on line `line`; 0 otherwise */
};

typedef struct blk {
    struct blk *next;
    size_t      used, cap;
    _Alignas(max_align_t) unsigned char data[];
} blk;

struct scn_doc {
    blk      *blocks;
    char     *path;
    scn_node *root;
    size_t    nodes;      /* nodes of all texts parsed (files, --set values) */
    size_t    text;       /* their scalar bytes */
};

#define ARENA_BLOCK 65536

/* ---- arena ---- */

static void *arena_alloc(scn_doc *d, size_t n)
{
    const size_t a = _Alignof(max_align_t);
    n = (n + a - 1) / a * a;
    if (n == 0)
        n = a;
    if (n > ARENA_BLOCK / 4) {
        /* a big request gets its own block, kept behind the current one */
        blk *b = malloc(sizeof *b + n);
        if (!b)
            return NULL;
        b->used = b->cap = n;
        if (d->blocks) {
            b->next = d->blocks->next;
            d->blocks->next = b;
        } else {
            b->next = NULL;
            d->blocks = b;
        }
        return b->data;
    }
    if (!d->blocks || d->blocks->cap - d->blocks->used < n) {
        blk *b = malloc(sizeof *b + ARENA_BLOCK);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = ARENA_BLOCK;
        b->next = d->blocks;
        d->blocks = b;
    }
    void *p = d->blocks->data + d->blocks->used;
    d->blocks->used += n;
    return p;
}

static char *arena_strndup(scn_doc *d, const char *s, size_t n)
{
    char *p = arena_alloc(d, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *arena_strdup(scn_doc *d, const char *s)
{
    return arena_strndup(d, s, strlen(s));
}

static scn_node *node_new(scn_doc *d, scn_kind kind, const char *file, int line, int col)
{
    scn_node *n = arena_alloc(d, sizeof *n);
    if (n) {
        memset(n, 0, sizeof *n);
        n->kind = kind;
        n->file = file;
        n->line = line;
        n->col = col;
        n->keypath = "";
    }
    return n;
}

/* Grows a mapping or sequence by one entry (arrays are copied: the arena
 * cannot grow in place; merges and --set are rare). */
static int node_append(scn_doc *d, scn_node *parent, scn_node *key, scn_node *val)
{
    size_t n = parent->n;
    scn_node **items = arena_alloc(d, (n + 1) * sizeof *items);
    scn_node **keys = NULL;
    if (!items)
        return SIM_ENOMEM;
    if (parent->kind == SCN_MAP) {
        keys = arena_alloc(d, (n + 1) * sizeof *keys);
        if (!keys)
            return SIM_ENOMEM;
        if (n)
            memcpy(keys, parent->keys, n * sizeof *keys);
        keys[n] = key;
    }
    if (n)
        memcpy(items, parent->items, n * sizeof *items);
    items[n] = val;
    parent->items = items;
    parent->keys = keys;
    parent->n = n + 1;
    return SIM_OK;
}

static long map_find(const scn_node *map, const char *key)
{
    if (!map || map->kind != SCN_MAP)
        return -1;
    for (size_t i = 0; i < map->n; i++)
        if (!strcmp(map->keys[i]->text, key))
            return (long)i;
    return -1;
}

static const char *kind_desc(const scn_node *n)
{
    return n->kind == SCN_MAP ? "a mapping" : n->kind == SCN_SEQ ? "a sequence" : "a value";
}

/* ---- errors ---- */

static int verror(sim_err *err, int code, const scn_node *n, const char *fmt, va_list ap)
{
    char msg[SIM_ERR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (!n)
        return sim_err_set(err, code, NULL, 0, 0, "%s", msg);
    if (n->keypath && n->keypath[0])
        return sim_err_set(err, code, n->file, n->line, n->col, "%s: %s", n->keypath, msg);
    return sim_err_set(err, code, n->file, n->line, n->col, "%s", msg);
}

int scn_error(sim_err *err, int code, const scn_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = verror(err, code, n, fmt, ap);
    va_end(ap);
    return rc;
}

/* The position of byte offset off in text, counting characters as libyaml
 * does (UTF-8 continuation bytes do not advance the column). */
static void offset_position(const char *text, size_t len, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            ++*line;
            *col = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* Where a value of --set text starts, so nodes and errors point into it. */
typedef struct origin {
    const char *file;
    int         col0;     /* columns before the value: the key path and '=' */
    const char *set;      /* the whole --set text, or NULL for a file */
    int         optno;    /* a set: the option's number, the line of its
                             positions ("--vary:2:COL": the second --vary) */
    int         line, col; /* > 0: a set from a place (a scenario's sweep:
                              entry, a value of a --vary list): every node
                              of the value points there */
    int         kcol;     /* with a place: the column of messages about the
                             set as a whole (its key path); 0: col */
} origin;

static int mark_line(const origin *o, yaml_mark_t m)
{
    if (o->line > 0)
        return o->line;
    return o->set ? o->optno : (int)m.line + 1;
}

/* A set's text is one line of its option: a value that spans lines is
 * counted by characters from the option's start (libyaml's index counts
 * characters, as its column does). */
static int mark_col(const origin *o, yaml_mark_t m)
{
    if (o->line > 0)
        return o->col;
    if (o->set)
        return (int)m.index + 1 + o->col0;
    return (int)m.column + 1;
}

/* An error about the set of o: "LABEL:N:COL: KEY: message", COL a column
 * of the set's text (from 1) in the N-th option LABEL, KEY its key path; or
 * from a place, "FILE:LINE:COL: KEY: message" at the place. */
static int set_error_at(const origin *o, sim_err *err, int code, int col, const char *msg)
{
    const char *eq = strchr(o->set, '=');
    int klen = eq ? (int)(eq - o->set) : (int)strlen(o->set);
    int line = o->line > 0 ? o->line : o->optno;
    if (o->line > 0)
        col = o->kcol > 0 ? o->kcol : o->col;
    if (!klen)          /* no key path to name */
        return sim_err_set(err, code, o->file, line, col, "%s", msg);
    return sim_err_set(err, code, o->file, line, col, "%.*s: %s", klen, o->set, msg);
}

/* The byte of text at a libyaml mark's line and column (characters, as
 * libyaml counts them), or -1 past the end. */
/* The offset of the character column characters (as libyaml counts them:
 * UTF-8 sequences are one) after offset i, the start of a line, or of the
 * line's end when it is shorter. */
static size_t at_column(const char *text, size_t len, size_t i, size_t column)
{
    for (size_t col = 0; i < len && text[i] != '\n' && col < column; col++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static int char_at_mark(const char *text, size_t len, yaml_mark_t m)
{
    size_t i = 0, line = 0;
    while (i < len && line < m.line)
        if (text[i++] == '\n')
            line++;
    i = at_column(text, len, i, m.column);
    return i < len ? (unsigned char)text[i] : -1;
}

/* Where a mapping value (': ') was found that libyaml refuses: when nothing
 * before it on its line holds ': ' and a line with text (not a comment)
 * comes before it, the line is most likely indented deeper than the key
 * above it, so YAML read it as more of that key's plain value. Then the
 * text from the line's first non-blank to the mark (the key, up to 40
 * bytes) into key, and 1; else 0 (the quoting hint is the likelier one). */
static int deeper_than_key_above(const char *text, size_t len, yaml_mark_t m, char *key,
                                 size_t size)
{
    size_t i = 0, line = 0;
    int seen = 0;
    while (i < len && line < m.line) {
        size_t j = i;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j < len && text[j] != '\n' && text[j] != '\r' && text[j] != '#')
            seen = 1;
        while (i < len && text[i] != '\n')
            i++;
        if (i < len)
            i++;
        line++;
    }
    if (!seen || line != m.line)
        return 0;
    size_t start = i, end = at_column(text, len, i, m.column);
    while (start < len && text[start] == ' ')
        start++;
    if (start >= end)
        return 0;
    for (size_t k = start; k + 1 < end; k++)
        if (text[k] == ':' && (text[k + 1] == ' ' || text[k + 1] == '\t'))
            return 0;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        end--;
    size_t n = end - start;
    if (n > 40 || n + 1 > size)
        return 0;
    memcpy(key, text + start, n);
    key[n] = '\0';
    return 1;
}

/* libyaml's problem in words a scenario's author can act on, into msg;
 * in_file: the text is a scenario file's (lines are the file's). */
static void explain_problem(const yaml_parser_t *p, const char *text, size_t len, int in_file,
                            char *msg, size_t size)
{
    const char *problem = p->problem ? p->problem : "syntax error";
    int ch = char_at_mark(text, len, p->problem_mark);
    char key[48];
    if (strstr(problem, "tab character") || ch == '\t')
        snprintf(msg, size, "tabs are not allowed in YAML indentation: use spaces");
    else if ((ch == '@' || ch == '`') && strstr(problem, "cannot start any token"))
        snprintf(msg, size, "'%c' is reserved in YAML and cannot start a value: quote it, "
                 "e.g. name: \"%cx\"", ch, ch);
    else if (!strcmp(problem, "mapping values are not allowed in this context") && in_file
             && deeper_than_key_above(text, len, p->problem_mark, key, sizeof key))
        snprintf(msg, size, "%s: '%s' is indented deeper than the key above it, so YAML reads "
                 "it as more of that key's value: line it up with the keys of its mapping (a "
                 "value that contains ': ' must be quoted, e.g. name: \"a: b\")", problem, key);
    else if (!strcmp(problem, "mapping values are not allowed in this context"))
        snprintf(msg, size, "%s (a value that contains ': ' must be quoted, e.g. "
                 "name: \"a: b\")", problem);
    else
        snprintf(msg, size, "%s", problem);
}

static int parser_error(const yaml_parser_t *p, const origin *o, const char *text,
                        size_t len, sim_err *err)
{
    int code = o->set ? SIM_EINVAL : SIM_ESYNTAX;
    char msg[512];
    int line, col;
    if (p->error == YAML_MEMORY_ERROR)
        return sim_err_set(err, SIM_ENOMEM, o->file, 0, 0, "out of memory while parsing");
    if (p->error == YAML_READER_ERROR) {
        offset_position(text, len, p->problem_offset, &line, &col);
        if (o->set && line == 1)
            col += o->col0;
        if (o->line > 0)
            line = o->line, col = o->col;
        const char *problem = p->problem ? p->problem : "unreadable input";
        if (strstr(problem, "UTF-8") && p->problem_value >= 0)
            snprintf(msg, sizeof msg, "invalid UTF-8 (%s 0x%02X); a scenario must be UTF-8 text",
                     problem, (unsigned)p->problem_value & 0xFFu);
        else if (strstr(problem, "UTF-8"))
            snprintf(msg, sizeof msg, "invalid UTF-8 (%s); a scenario must be UTF-8 text", problem);
        else if (strstr(problem, "UTF-16"))
            snprintf(msg, sizeof msg, "%s; a scenario must be UTF-8 text", problem);
        else if (strstr(problem, "control characters") && p->problem_value == 0)
            snprintf(msg, sizeof msg, "a NUL byte (#x0); a scenario must be UTF-8 text, not a "
                     "binary file");
        else if (strstr(problem, "control characters") && p->problem_value > 0)
            snprintf(msg, sizeof msg, "control character #x%X; a scenario must be UTF-8 text, "
                     "not a binary file", (unsigned)p->problem_value);
        else if (p->problem_value >= 0)
            snprintf(msg, sizeof msg, "%s (#x%X)", problem, (unsigned)p->problem_value);
        else
            snprintf(msg, sizeof msg, "%s", problem);
    } else {
        char what[400];
        line = mark_line(o, p->problem_mark);
        col = mark_col(o, p->problem_mark);
        explain_problem(p, text, len, !o->set && o->line <= 0, what, sizeof what);
        if (p->context && strcmp(what, p->problem ? p->problem : "syntax error") == 0)
            snprintf(msg, sizeof msg, "%s (%s at line %d, column %d)", what, p->context,
                     mark_line(o, p->context_mark), mark_col(o, p->context_mark));
        else
            snprintf(msg, sizeof msg, "%s", what);
    }
    if (o->set) {
        char bad[600];
        snprintf(bad, sizeof bad, "bad value: %s", p->problem ? p->problem : msg);
        col = p->error == YAML_READER_ERROR ? (int)p->problem_offset + 1 + o->col0
                                            : mark_col(o, p->problem_mark);
        return set_error_at(o, err, code, col, bad);
    }
    return sim_err_set(err, code, o->file, line, col, "%s", msg);
}

/* "a scenario needs at least the keys start, cities and datacenters (...)":
 * the top level's required keys, from the schema's table. */
static const char *minimal_text(char *buf, size_t size)
{
    size_t n, used = 0, k = 0, nreq = 0;
    const schema_key *keys = schema_keys(&n);
    for (size_t i = 0; i < n; i++)
        nreq += !strcmp(keys[i].section, "top") && keys[i].type[0] == '!';
    used = (size_t)snprintf(buf, size, "a scenario needs at least the top-level key%s",
                            nreq == 1 ? "" : "s");
    for (size_t i = 0; i < n && used < size; i++) {
        if (strcmp(keys[i].section, "top") || keys[i].type[0] != '!')
            continue;
        k++;
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k == 1 ? " "
                                 : k == nreq ? " and " : ", ", keys[i].key);
    }
    if (used < size)
        snprintf(buf + used, size - used, " (scenarios/README.md, \"A minimal scenario\")");
    return buf;
}

/* 1 when key is one of the top level's required keys. */
static int top_required(const char *key)
{
    const schema_key *k = schema_find("top", key);
    return k && k->type[0] == '!';
}

/* ---- from a libyaml document to our tree ---- */

/* The key path of the node being converted, for messages. */
typedef struct pathbuf {
    char  *s;
    size_t len, cap;
} pathbuf;

static int path_grow(pathbuf *p, size_t extra)
{
    if (p->cap - p->len > extra)
        return SIM_OK;
    size_t cap = p->cap ? p->cap : 128;
    while (cap - p->len <= extra)
        cap *= 2;
    char *s = realloc(p->s, cap);
    if (!s)
        return SIM_ENOMEM;
    p->s = s;
    p->cap = cap;
    return SIM_OK;
}

/* Appends ".key" (or "key" at the top) or "[i]"; returns the old length
 * for path_pop, or (size_t)-1 when out of memory. */
static size_t path_push(pathbuf *p, const char *key, size_t idx)
{
    size_t old = p->len;
    size_t klen = key ? strlen(key) : 0;
    if (path_grow(p, klen + 32))
        return (size_t)-1;
    if (key)
        p->len += (size_t)sprintf(p->s + p->len, "%s%s", old ? "." : "", key);
    else
        p->len += (size_t)sprintf(p->s + p->len, "[%zu]", idx);
    return old;
}

static void path_pop(pathbuf *p, size_t old)
{
    p->len = old;
    if (p->s)
        p->s[old] = '\0';
}

typedef struct conv {
    scn_doc         *doc;
    yaml_document_t *y;
    const origin    *o;
    size_t           ny;        /* nodes in the libyaml document */
    size_t          *size;      /* [ny] expanded size, memoised */
    size_t          *bytes;     /* [ny] expanded scalar bytes, memoised */
    unsigned char   *state;     /* [ny] 0 new, 1 in progress, 2 sized */
    pathbuf          path;
    sim_err         *err;
} conv;

static int nomem(conv *c)
{
    return sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
}

static int pos_error(conv *c, int code, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int pos_error(conv *c, int code, int line, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->path.len)
        return sim_err_set(c->err, code, c->o->file, line, col, "%s: %s", c->path.s, msg);
    return sim_err_set(c->err, code, c->o->file, line, col, "%s", msg);
}

#define YPOS(c, yn) mark_line((c)->o, (yn)->start_mark), mark_col((c)->o, (yn)->start_mark)

static size_t sat_add(size_t a, size_t b)
{
    size_t s = a + b;
    return s > SCN_MAX_NODES + 1 ? SCN_MAX_NODES + 1 : s;
}

/* Bytes saturate one past the cap, so sums of many cannot overflow. */
static size_t sat_add_bytes(size_t a, size_t b)
{
    size_t s = a + b;
    return s > (size_t)SCN_MAX_TEXT_BYTES + 1 ? (size_t)SCN_MAX_TEXT_BYTES + 1 : s;
}

static const char *ykey_text(conv *c, int id)
{
    yaml_node_t *k = yaml_document_get_node(c->y, id);
    return k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?";
}

/* Sizes the tree that expanding aliases would build, and checks nesting,
 * without allocating: billion-laughs files fail here in microseconds. */
static int measure(conv *c, int id, int depth)
{
    yaml_node_t *yn = yaml_document_get_node(c->y, id);
    size_t i = (size_t)id - 1;
    if (c->state[i] == 2)
        return SIM_OK;
    if (c->state[i] == 1)
        return pos_error(c, SIM_ESYNTAX, YPOS(c, yn),
                         "an alias refers to the collection that contains it");
    if (yn->type != YAML_SCALAR_NODE && depth > SCN_MAX_DEPTH)
        return pos_error(c, SIM_ESYNTAX, YPOS(c, yn), "nesting deeper than %d levels",
                         SCN_MAX_DEPTH);
    c->state[i] = 1;
    size_t size = 1, bytes = 0;
    int rc;
    if (yn->type == YAML_SCALAR_NODE)
        bytes = sat_add_bytes(yn->data.scalar.length, 0);
    if (yn->type == YAML_SEQUENCE_NODE) {
        size_t k = 0;
        for (yaml_node_item_t *it = yn->data.sequence.items.start;
             it < yn->data.sequence.items.top; it++, k++) {
            size_t old = path_push(&c->path, NULL, k);
            if (old == (size_t)-1)
                return nomem(c);
            if ((rc = measure(c, *it, depth + 1)))
                return rc;
            path_pop(&c->path, old);
            size = sat_add(size, c->size[*it - 1]);
            bytes = sat_add_bytes(bytes, c->bytes[*it - 1]);
        }
    } else if (yn->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = yn->data.mapping.pairs.start;
             pr < yn->data.mapping.pairs.top; pr++) {
            size_t old = path_push(&c->path, ykey_text(c, pr->key), 0);
            if (old == (size_t)-1)
                return nomem(c);
            if ((rc = measure(c, pr->key, depth + 1)) || (rc = measure(c, pr->value, depth + 1)))
                return rc;
            path_pop(&c->path, old);
            size = sat_add(size, sat_add(c->size[pr->key - 1], c->size[pr->value - 1]));
            bytes = sat_add_bytes(bytes, sat_add_bytes(c->bytes[pr->key - 1],
                                                       c->bytes[pr->value - 1]));
        }
    }
    if (size > SCN_MAX_NODES)
        return pos_error(c, SIM_ESYNTAX, YPOS(c, yn),
                         "more than %d nodes after expanding aliases", SCN_MAX_NODES);
    if (bytes > SCN_MAX_TEXT_BYTES)
        return pos_error(c, SIM_ESYNTAX, YPOS(c, yn),
                         "more than %d MiB of text after expanding aliases",
                         SCN_MAX_TEXT_BYTES >> 20);
    c->size[i] = size;
    c->bytes[i] = bytes;
    c->state[i] = 2;
    return SIM_OK;
}

typedef struct keyref {
    const char *text;
    size_t      idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    int r = strcmp(x->text, y->text);
    if (r)
        return r;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Reports the earliest key that repeats an earlier one. n log n, so a
 * mapping with a million keys costs little. */
static int check_duplicates(conv *c, const scn_node *map)
{
    if (map->n < 2)
        return SIM_OK;
    keyref *refs = malloc(map->n * sizeof *refs);
    if (!refs)
        return nomem(c);
    for (size_t i = 0; i < map->n; i++) {
        refs[i].text = map->keys[i]->text;
        refs[i].idx = i;
    }
    qsort(refs, map->n, sizeof *refs, keyref_cmp);
    size_t best = map->n, first = 0;
    for (size_t i = 1; i < map->n; i++) {
        /* refs[i] is the second of its group of equal keys */
        if (!strcmp(refs[i].text, refs[i - 1].text)
            && (i < 2 || strcmp(refs[i - 1].text, refs[i - 2].text)) && refs[i].idx < best) {
            best = refs[i].idx;
            first = refs[i - 1].idx;
        }
    }
    free(refs);
    if (best == map->n)
        return SIM_OK;
    const scn_node *k = map->keys[best];
    size_t old = path_push(&c->path, k->text, 0);
    if (old == (size_t)-1)
        return nomem(c);
    return pos_error(c, SIM_EINVAL, k->line, k->col, "duplicate key '%s' (first at line %d)",
                     k->text, map->keys[first]->line);
}

/* Where anchors and aliases work, for messages about '<<' and 'x-' keys. */
#define ANCHORS_HELP "(an anchor &name goes on the first use of a value, an alias *name " \
                     "repeats it later in the same file; scenarios/README.md, \"Anchors " \
                     "and aliases\")"

/* The column of scalar yn's first character of text when the text stands
 * in the source as it is: on one line, plain or quoted without escapes (an
 * escape or a '' is longer in the source than in the text, so equal
 * lengths mean none); else 0. col: yn's column. */
static int text_col(const origin *o, const yaml_node_t *yn, int col)
{
    if (o->line > 0 || yn->start_mark.line != yn->end_mark.line)
        return 0;
    size_t src = yn->end_mark.index - yn->start_mark.index, chars = 0;
    for (size_t i = 0; i < yn->data.scalar.length; i++)
        chars += (yn->data.scalar.value[i] & 0xC0) != 0x80;
    yaml_scalar_style_t st = yn->data.scalar.style;
    if (st == YAML_PLAIN_SCALAR_STYLE && src == chars)
        return col;
    if ((st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        && src == chars + 2)
        return col + 1;
    return 0;
}

static int convert(conv *c, int id, scn_node **out)
{
    yaml_node_t *yn = yaml_document_get_node(c->y, id);
    int line = mark_line(c->o, yn->start_mark), col = mark_col(c->o, yn->start_mark);
    scn_node *n;
    int rc = SIM_OK;
    switch (yn->type) {
    case YAML_SCALAR_NODE:
        n = node_new(c->doc, SCN_SCALAR, c->o->file, line, col);
        if (!n || !(n->text = arena_strndup(c->doc, (const char *)yn->data.scalar.value,
                                            yn->data.scalar.length)))
            return nomem(c);
        if (strlen(n->text) != yn->data.scalar.length)
            return pos_error(c, SIM_ESYNTAX, line, col, "a NUL character in a value");
        n->tcol = text_col(c->o, yn, col);
        break;
    case YAML_SEQUENCE_NODE: {
        size_t cnt = (size_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
        n = node_new(c->doc, SCN_SEQ, c->o->file, line, col);
        if (!n || (cnt && !(n->items = arena_alloc(c->doc, cnt * sizeof *n->items))))
            return nomem(c);
        for (size_t i = 0; i < cnt; i++) {
            size_t old = path_push(&c->path, NULL, i);
            if (old == (size_t)-1)
                return nomem(c);
            if ((rc = convert(c, yn->data.sequence.items.start[i], &n->items[i])))
                return rc;
            path_pop(&c->path, old);
            n->n++;
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        size_t cnt = (size_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
        n = node_new(c->doc, SCN_MAP, c->o->file, line, col);
        if (!n || (cnt && (!(n->items = arena_alloc(c->doc, cnt * sizeof *n->items))
                           || !(n->keys = arena_alloc(c->doc, cnt * sizeof *n->keys)))))
            return nomem(c);
        for (size_t i = 0; i < cnt; i++) {
            yaml_node_pair_t *pr = &yn->data.mapping.pairs.start[i];
            yaml_node_t *yk = yaml_document_get_node(c->y, pr->key);
            if (yk->type != YAML_SCALAR_NODE)
                return pos_error(c, SIM_ESYNTAX, YPOS(c, yk), "a key must be a plain value, not %s",
                                 yk->type == YAML_MAPPING_NODE ? "a mapping" : "a sequence");
            if (yk->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                && !strcmp((const char *)yk->data.scalar.value, "<<"))
                return pos_error(c, SIM_ESYNTAX, YPOS(c, yk), "merge keys ('<<') are not "
                                 "supported: write the keys out, or alias a whole value "
                                 "(key: *name) %s", ANCHORS_HELP);
            size_t old = path_push(&c->path, (const char *)yk->data.scalar.value, 0);
            if (old == (size_t)-1)
                return nomem(c);
            if ((rc = convert(c, pr->key, &n->keys[i])) || (rc = convert(c, pr->value, &n->items[i])))
                return rc;
            path_pop(&c->path, old);
            n->n++;
        }
        if ((rc = check_duplicates(c, n)))
            return rc;
        break;
    }
    default:
        return pos_error(c, SIM_ESYNTAX, line, col, "empty node");
    }
    *out = n;
    return SIM_OK;
}

/* libyaml's scanner looks at every open flow level for each token, so
 * nesting costs depth x tokens: a 200 KB line of '[' takes minutes to
 * load. This pass reads events only (no tree) and stops at the first
 * collection deeper than SCN_MAX_DEPTH, with the key path measure() would
 * give; syntax errors are left to the loader, which meets them at the same
 * place. prefix is the key path of the text's root ("" for a file). */
enum { F_WANT_KEY = 0, F_KEY_COLL, F_VALUE };

typedef struct frame {
    int    map;       /* 1 mapping, 0 sequence */
    int    state;     /* mappings: F_* */
    size_t idx;       /* sequences: next item */
    size_t mark;      /* path length before the current entry */
} frame;

/* A child of f (NULL: the root) is done: drop its part of the path. */
static void frame_child_done(frame *f, pathbuf *path)
{
    if (!f)
        return;
    if (f->map && f->state == F_KEY_COLL) {
        f->state = F_VALUE;             /* its '?' stays for the value */
        return;
    }
    path_pop(path, f->mark);
    if (f->map)
        f->state = F_WANT_KEY;
}

static int check_depth(const origin *o, const char *text, size_t len, const char *prefix,
                       sim_err *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    frame st[SCN_MAX_DEPTH + 1];
    int depth = 0, rc = SIM_OK, done = 0;
    conv c = { NULL, NULL, o, 0, NULL, NULL, NULL, { NULL, 0, 0 }, err };
    if (!yaml_parser_initialize(&p))
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (path_push(&c.path, prefix[0] ? prefix : NULL, 0) == (size_t)-1) {
        rc = nomem(&c);
        goto out;
    }
    if (!prefix[0])
        path_pop(&c.path, 0);
    while (!done && rc == SIM_OK && yaml_parser_parse(&p, &ev)) {
        frame *f = depth ? &st[depth - 1] : NULL;
        yaml_event_type_t t = ev.type;
        int coll = t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT;
        if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
            done = 1;                   /* a second document is the loader's to refuse */
        } else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
            depth--;
            frame_child_done(depth ? &st[depth - 1] : NULL, &c.path);
        } else if (coll || t == YAML_SCALAR_EVENT || t == YAML_ALIAS_EVENT) {
            size_t old = c.path.len;
            int is_key = f && f->map && f->state == F_WANT_KEY;
            if (is_key) {
                /* as measure() names it: a key that is not a scalar is '?' */
                const char *k = t == YAML_SCALAR_EVENT ? (const char *)ev.data.scalar.value : "?";
                f->mark = old;
                f->state = coll ? F_KEY_COLL : F_VALUE;
                if (path_push(&c.path, k, 0) == (size_t)-1)
                    rc = nomem(&c);
            } else if (f && !f->map) {
                f->mark = old;
                if (path_push(&c.path, NULL, f->idx++) == (size_t)-1)
                    rc = nomem(&c);
            }
            if (rc == SIM_OK && coll) {
                if (depth + 1 > SCN_MAX_DEPTH)
                    rc = pos_error(&c, SIM_ESYNTAX, mark_line(o, ev.start_mark),
                                   mark_col(o, ev.start_mark), "nesting deeper than %d levels",
                                   SCN_MAX_DEPTH);
                else
                    st[depth++] = (frame){ t == YAML_MAPPING_START_EVENT, F_WANT_KEY, 0, 0 };
            } else if (rc == SIM_OK && !is_key) {
                frame_child_done(f, &c.path);
            }
        }
        yaml_event_delete(&ev);
    }
out:
    free(c.path.s);
    yaml_parser_delete(&p);
    return rc;
}

/* Parses text into a tree. With o->set (a --set value) any kind of root
 * is fine and an empty text is an empty scalar; a file must hold exactly
 * one document whose root is a mapping. */
static int parse_text(scn_doc *doc, const origin *o, const char *text, size_t len,
                      scn_node **out, sim_err *err)
{
    yaml_parser_t p;
    yaml_document_t y, y2;
    int have_y = 0, have_y2 = 0, rc = SIM_OK;
    conv c = { doc, &y, o, 0, NULL, NULL, NULL, { NULL, 0, 0 }, err };

    if (!yaml_parser_initialize(&p))
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (o->set) {
        char prefix[256];
        snprintf(prefix, sizeof prefix, "%.*s", o->col0 - 1, o->set);
        rc = check_depth(o, text, len, prefix, err);
    } else {
        rc = check_depth(o, text, len, "", err);
    }
    if (rc != SIM_OK)
        goto out;
    /* libyaml reads UTF-16 after a byte-order mark; vouchsim's files,
     * --set values and messages are UTF-8 */
    if (!o->set && len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE)
                                || ((unsigned char)text[0] == 0xFE
                                    && (unsigned char)text[1] == 0xFF))) {
        rc = sim_err_set(err, SIM_ESYNTAX, o->file, 1, 1, "UTF-16 text (it starts with a "
                         "UTF-16 byte-order mark); a scenario must be UTF-8 text (convert it: "
                         "iconv -f UTF-16 -t UTF-8)");
        goto out;
    }
    if (!yaml_parser_load(&p, &y)) {
        rc = parser_error(&p, o, text, len, err);
        goto out;
    }
    have_y = 1;
    yaml_node_t *root = yaml_document_get_root_node(&y);
    if (!root) {
        if (o->set) {
            scn_node *n = node_new(doc, SCN_SCALAR, o->file, o->line > 0 ? o->line : o->optno,
                                   o->line > 0 ? o->col : 1 + o->col0);
            if (!n) {
                rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
                goto out;
            }
            n->text = "";
            *out = n;
            goto out;
        }
        char need[256];
        rc = sim_err_set(err, SIM_ESYNTAX, o->file, 1, 1, "empty scenario: %s",
                         minimal_text(need, sizeof need));
        goto out;
    }
    if (!yaml_parser_load(&p, &y2)) {
        rc = parser_error(&p, o, text, len, err);
        goto out;
    }
    have_y2 = 1;
    if (yaml_document_get_root_node(&y2)) {
        if (o->set)
            rc = set_error_at(o, err, SIM_EINVAL, mark_col(o, y2.start_mark),
                              "bad value: several documents");
        else
            rc = sim_err_set(err, SIM_ESYNTAX, o->file, mark_line(o, y2.start_mark),
                             mark_col(o, y2.start_mark),
                             "several documents in one file (a scenario is one YAML document)");
        goto out;
    }
    if (!o->set && root->type != YAML_MAPPING_NODE) {
        rc = pos_error(&c, SIM_ESYNTAX, YPOS(&c, root), "expected a mapping of keys at the top "
                       "of the scenario, got %s",
                       root->type == YAML_SEQUENCE_NODE ? "a sequence" : "a value");
        goto out;
    }
    if (o->set && ((root->type == YAML_MAPPING_NODE
                    && root->data.mapping.style == YAML_BLOCK_MAPPING_STYLE)
                   || (root->type == YAML_SEQUENCE_NODE
                       && root->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE))) {
        /* "--set description=Note: x" means the text, not a block mapping */
        scn_node *n = node_new(doc, SCN_SCALAR, o->file, o->line > 0 ? o->line : o->optno,
                               o->line > 0 ? o->col : 1 + o->col0);
        if (!n || !(n->text = arena_strndup(doc, text, len))) {
            rc = nomem(&c);
            goto out;
        }
        *out = n;
        goto out;
    }
    if (o->set) {
        /* messages inside the value name the key path being set */
        size_t plen = (size_t)o->col0 - 1;
        if (path_grow(&c.path, plen + 1)) {
            rc = nomem(&c);
            goto out;
        }
        memcpy(c.path.s, o->set, plen);
        c.path.s[plen] = '\0';
        c.path.len = plen;
    }
    c.ny = (size_t)(y.nodes.top - y.nodes.start);
    c.size = calloc(c.ny, sizeof *c.size);
    c.bytes = calloc(c.ny, sizeof *c.bytes);
    c.state = calloc(c.ny, 1);
    if (!c.size || !c.bytes || !c.state) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    if ((rc = measure(&c, 1, 1)))
        goto out;
    /* the budgets hold for the whole document, extended files included */
    if (doc->nodes + c.size[0] > SCN_MAX_NODES || doc->text + c.bytes[0] > SCN_MAX_TEXT_BYTES) {
        rc = pos_error(&c, SIM_ESYNTAX, YPOS(&c, root), "more than %s after expanding aliases "
                       "in this file and the files that extend it",
                       doc->nodes + c.size[0] > SCN_MAX_NODES ? "1000000 nodes"
                                                              : "64 MiB of text");
        goto out;
    }
    doc->nodes += c.size[0];
    doc->text += c.bytes[0];
    rc = convert(&c, 1, out);
out:
    free(c.size);
    free(c.bytes);
    free(c.state);
    free(c.path.s);
    if (have_y)
        yaml_document_delete(&y);
    if (have_y2)
        yaml_document_delete(&y2);
    yaml_parser_delete(&p);
    return rc;
}

/* ---- merging (extends) ---- */

static const char *item_name(const scn_node *item)
{
    long i = map_find(item, "name");
    return i >= 0 && item->items[i]->kind == SCN_SCALAR ? item->items[i]->text : NULL;
}

static int all_named(const scn_node *seq)
{
    for (size_t i = 0; i < seq->n; i++)
        if (!item_name(seq->items[i]))
            return 0;
    return 1;
}

/* The lowest index of an entry called text in refs (sorted by
 * keyref_cmp), or -1. */
static long refs_find(const keyref *refs, size_t n, const char *text)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(refs[mid].text, text) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(refs[lo].text, text) ? (long)refs[lo].idx : -1;
}

/* refs for the names of a named sequence's items, or the keys of a
 * mapping, sorted (malloc'd; NULL when n is 0 or out of memory). */
static keyref *sorted_refs(const scn_node *n)
{
    keyref *refs = n->n ? malloc(n->n * sizeof *refs) : NULL;
    if (!refs)
        return NULL;
    for (size_t i = 0; i < n->n; i++) {
        refs[i].text = n->kind == SCN_MAP ? n->keys[i]->text : item_name(n->items[i]);
        refs[i].idx = i;
    }
    qsort(refs, n->n, sizeof *refs, keyref_cmp);
    return refs;
}

/* Two items of one named list of a file that extends another would merge
 * into one silently (both lay over the parent's item of that name): an
 * error at the earliest second one, with path the list's key path. */
static int check_names_once(const scn_node *seq, const char *path, sim_err *err)
{
    keyref *refs = sorted_refs(seq);
    size_t best = seq->n, first = 0;
    if (!refs)
        return seq->n ? sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory") : SIM_OK;
    for (size_t i = 1; i < seq->n; i++)
        if (!strcmp(refs[i].text, refs[i - 1].text)
            && (i < 2 || strcmp(refs[i - 1].text, refs[i - 2].text)) && refs[i].idx < best) {
            best = refs[i].idx;
            first = refs[i - 1].idx;
        }
    free(refs);
    if (best == seq->n)
        return SIM_OK;
    const scn_node *at = seq->items[best]->items[map_find(seq->items[best], "name")];
    const scn_node *f = seq->items[first]->items[map_find(seq->items[first], "name")];
    return sim_err_set(err, SIM_EINVAL, at->file, at->line, at->col,
                       "%s[%zu].name: duplicate name '%s' (first at line %d): in a file that "
                       "extends another, a name may appear once per list",
                       path, best, at->text, f->line);
}

static void item_hint(const scn_node *seq, const char *key, char *buf, size_t size);

/* A child's item whose name no item of the parent list base has is a new
 * item; when it lacks a required key, the likelier story is a misspelt
 * name meant to override: the hint says so (lookup() reports it). path is
 * the list's key path ("programs"), whose last word names the item. */
static int note_new_item(scn_doc *d, const scn_node *base, scn_node *item, const char *name,
                         const char *path)
{
    char noun[64], near[256], hint[512];
    const char *word = strrchr(path, '.');
    word = word ? word + 1 : path;
    size_t wl = strcspn(word, "[");
    if (item->kind != SCN_MAP || !wl || wl >= sizeof noun)
        return SIM_OK;
    memcpy(noun, word, wl);
    noun[wl] = '\0';
    if (wl > 3 && !strcmp(noun + wl - 3, "ies"))
        strcpy(noun + wl - 3, "y");
    else if (wl > 1 && noun[wl - 1] == 's')
        noun[wl - 1] = '\0';
    item_hint(base, name, near, sizeof near);
    snprintf(hint, sizeof hint, "no %s '%.80s' in %s to override%s", noun, name, base->file,
             near);
    return (item->hint = arena_strdup(d, hint)) ? SIM_OK : SIM_ENOMEM;
}

/* The child's value over the parent's: see the header. Reuses nodes; the
 * merged arrays are sized once and entries are found by binary search, so
 * a merge costs n log n (appending one by one copied n^2 bytes). path is
 * over's key path, for messages (cut at a few hundred bytes). Returns
 * SIM_OK, SIM_ENOMEM (err not filled) or SIM_EINVAL (err filled). */
static int merge(scn_doc *d, scn_node *base, scn_node *over, const char *path, scn_node **out,
                 sim_err *err)
{
    int map = base->kind == SCN_MAP && over->kind == SCN_MAP;
    int seq = base->kind == SCN_SEQ && over->kind == SCN_SEQ && over->n > 0
              && all_named(base) && all_named(over);
    int rc = SIM_OK;
    char sub[512];
    if (!map && !seq) {
        *out = over;
        return SIM_OK;
    }
    if (seq && (rc = check_names_once(over, path, err)))
        return rc;
    size_t nb = base->n, n = nb, cap = nb + over->n;
    scn_node *m = node_new(d, map ? SCN_MAP : SCN_SEQ, over->file, over->line, over->col);
    scn_node **items = arena_alloc(d, cap * sizeof *items);
    scn_node **keys = map ? arena_alloc(d, cap * sizeof *keys) : NULL;
    keyref *refs = sorted_refs(base);
    if (!m || !items || (map && !keys) || (nb && !refs)) {
        free(refs);
        return SIM_ENOMEM;
    }
    if (nb) {
        memcpy(items, base->items, nb * sizeof *items);
        if (map)
            memcpy(keys, base->keys, nb * sizeof *keys);
    }
    for (size_t i = 0; i < over->n && rc == SIM_OK; i++) {
        const char *name = map ? over->keys[i]->text : item_name(over->items[i]);
        long j = refs_find(refs, nb, name);
        if (j < 0) {
            if (map)
                keys[n] = over->keys[i];
            else if ((rc = note_new_item(d, base, over->items[i], name, path)))
                break;
            items[n++] = over->items[i];
            continue;
        }
        if (map) {
            keys[j] = over->keys[i];
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", name);
        } else {
            snprintf(sub, sizeof sub, "%s[%ld]", path, j);
        }
        rc = merge(d, items[j], over->items[i], sub, &items[j], err);
    }
    free(refs);
    m->items = items;
    m->keys = keys;
    m->n = n;
    *out = m;
    return rc;
}

/* ---- files and extends ---- */

typedef struct chain_link {
    const struct chain_link *prev;
    const char        *path;
    int                have_id;
    dev_t              dev;
    ino_t              ino;
    int                depth;       /* 0 for the top-level file */
} chain_link;

/* read_file's refusals, beside errno values (which are positive). */
enum { RF_NOT_REGULAR = -1, RF_TOO_BIG = -2 };

/* Reads a whole regular file of at most SCN_MAX_FILE_BYTES. Opened without
 * blocking and checked on the open descriptor, so a FIFO cannot stall the
 * load and /dev/zero cannot fill memory; the cap holds while reading too,
 * for a file that grows. Returns 0, an errno value, or RF_*. */
static int read_file(const char *path, char **text, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int e = 0;
    if (fd < 0)
        return errno ? errno : EIO;
    if (fstat(fd, &st) != 0) {
        e = errno ? errno : EIO;
        close(fd);
        return e;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return S_ISDIR(st.st_mode) ? EISDIR : RF_NOT_REGULAR;
    }
    if (st.st_size > SCN_MAX_FILE_BYTES) {
        close(fd);
        return RF_TOO_BIG;
    }
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? 2 * cap : 16384;
            char *nb = realloc(buf, cap);
            if (!nb) {
                e = ENOMEM;
                goto out;
            }
            buf = nb;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            e = errno ? errno : EIO;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > SCN_MAX_FILE_BYTES) {
            e = RF_TOO_BIG;
            break;
        }
    }
out:
    close(fd);
    if (e) {
        free(buf);
        return e;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

/* Why read_file refused, for messages. */
static const char *read_problem(int e, char *buf, size_t size)
{
    if (e == RF_NOT_REGULAR)
        snprintf(buf, size, "not a regular file (a scenario is read from a file, not a device "
                 "or a pipe)");
    else if (e == RF_TOO_BIG)
        snprintf(buf, size, "larger than %d MiB, the limit for a scenario file",
                 SCN_MAX_FILE_BYTES >> 20);
    else
        snprintf(buf, size, "%s", strerror(e));
    return buf;
}

static int load_text(scn_doc *d, const char *file, const char *text, size_t len,
                     const chain_link *lk, scn_node **out, sim_err *err);

/* Loads the file an `extends:` value names, relative to the including file. */
static int load_parent(scn_doc *d, const scn_node *ext, const chain_link *lk, scn_node **out,
                       sim_err *err)
{
    if (ext->kind != SCN_SCALAR || !ext->text[0])
        return scn_error(err, SIM_EINVAL, ext, "expected the path of a scenario file, got %s",
                         ext->kind == SCN_SCALAR ? "nothing" : kind_desc(ext));
    const char *slash = strrchr(lk->path, '/');
    size_t dirlen = ext->text[0] == '/' || !slash ? 0 : (size_t)(slash - lk->path) + 1;
    char *path = arena_alloc(d, dirlen + strlen(ext->text) + 1);
    if (!path)
        return SIM_ENOMEM;
    memcpy(path, lk->path, dirlen);
    strcpy(path + dirlen, ext->text);

    struct stat st;
    if (stat(path, &st) != 0)
        return scn_error(err, errno == ENOENT ? SIM_ENOENT : SIM_EIO, ext,
                         "cannot read '%s': %s", path, strerror(errno));
    for (const chain_link *l = lk; l; l = l->prev) {
        if (l->have_id ? (l->dev == st.st_dev && l->ino == st.st_ino) : !strcmp(l->path, path)) {
            char msg[SIM_ERR_MSG_MAX] = "";
            size_t used = 0;
            const chain_link *chain[SCN_MAX_EXTENDS + 2];
            int nchain = 0;
            for (const chain_link *m = lk; m != l->prev; m = m->prev)
                chain[nchain++] = m;
            for (int i = nchain - 1; i >= 0; i--)
                used += (size_t)snprintf(msg + used, used < sizeof msg ? sizeof msg - used : 0,
                                         "%s -> ", chain[i]->path);
            if (used < sizeof msg)
                snprintf(msg + used, sizeof msg - used, "%s", path);
            return scn_error(err, SIM_EINVAL, ext, "extends cycle: %s", msg);
        }
    }
    if (lk->depth >= SCN_MAX_EXTENDS)
        return scn_error(err, SIM_EINVAL, ext, "extends chain longer than %d files",
                         SCN_MAX_EXTENDS);
    char *text = NULL, why[128];
    size_t len = 0;
    int e = read_file(path, &text, &len);
    if (e == ENOMEM)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (e)
        return scn_error(err, e == ENOENT ? SIM_ENOENT : e < 0 ? SIM_EINVAL : SIM_EIO, ext,
                         "cannot read '%s': %s", path, read_problem(e, why, sizeof why));
    chain_link me = { lk, path, 1, st.st_dev, st.st_ino, lk->depth + 1 };
    int rc = load_text(d, path, text, len, &me, out, err);
    free(text);
    return rc;
}

static int load_text(scn_doc *d, const char *file, const char *text, size_t len,
                     const chain_link *lk, scn_node **out, sim_err *err)
{
    origin o = { file, 0, NULL, 0, 0, 0, 0 };
    scn_node *root;
    int rc = parse_text(d, &o, text, len, &root, err);
    if (rc)
        return rc;
    long ei = map_find(root, "extends");
    if (ei < 0) {
        *out = root;
        return SIM_OK;
    }
    scn_node *parent;
    root->items[ei]->keypath = "extends";
    if ((rc = load_parent(d, root->items[ei], lk, &parent, err)))
        return rc;
    /* drop the extends entry, then lay this file over its parent */
    for (size_t i = (size_t)ei; i + 1 < root->n; i++) {
        root->keys[i] = root->keys[i + 1];
        root->items[i] = root->items[i + 1];
    }
    root->n--;
    if ((rc = merge(d, parent, root, "", out, err)) == SIM_ENOMEM)
        return sim_err_set(err, rc, NULL, 0, 0, "out of memory");
    return rc;
}

/* ---- --set ---- */

/* An error in the key path of a set, found at byte `at` of its text (from
 * 0), about the path's first klen bytes (0: the message names no key):
 * "--set:N:COL: programs.nosuch: message", COL the column of that byte in
 * the option (for a --vary with a place, counted from the key's column
 * there). From a place in a file (a sweep: entry) the message is
 * set_error_at's: that entry's place, its whole key path. */
static int path_error(const origin *o, sim_err *err, size_t at, size_t klen,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int path_error(const origin *o, sim_err *err, size_t at, size_t klen,
                      const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (o->line > 0 && o->kcol <= 0)
        return set_error_at(o, err, SIM_EINVAL, 0, msg);
    int line = o->line > 0 ? o->line : o->optno;
    long col = (o->line > 0 ? o->kcol : 1) + (long)at;
    if (col > INT_MAX)
        col = INT_MAX;
    if (!klen)
        return sim_err_set(err, SIM_EINVAL, o->file, line, (int)col, "%s", msg);
    return sim_err_set(err, SIM_EINVAL, o->file, line, (int)col, "%.*s: %s",
                       klen > INT_MAX ? INT_MAX : (int)klen, o->set, msg);
}

/* " (did you mean 'shandong-compute'?)" for a name that is a prefix of, or
 * close to, one item's name; else " (items: a, b, c)" when they are few;
 * else "". */
static void item_hint(const scn_node *seq, const char *key, char *buf, size_t size)
{
    const char *best = NULL;
    size_t bd = (size_t)-1, len = strlen(key), n = 0, used = 0;
    for (size_t j = 0; j < seq->n; j++) {
        const char *name = item_name(seq->items[j]);
        if (!name)
            continue;
        n++;
        size_t dist = strncmp(name, key, len) == 0 ? 1 : scn_edit_distance(key, name);
        if (dist < bd)
            bd = dist, best = name;
    }
    buf[0] = '\0';
    if (best && bd <= 2) {
        snprintf(buf, size, " (did you mean '%s'?)", best);
        return;
    }
    if (n == 0 || n > 12)
        return;
    used = (size_t)snprintf(buf, size, " (items:");
    for (size_t j = 0; j < seq->n && used < size; j++) {
        const char *name = item_name(seq->items[j]);
        if (name)
            used += (size_t)snprintf(buf + used, size - used, "%s %s", j ? "," : "", name);
    }
    if (used < size)
        snprintf(buf + used, size - used, ")");
}

/* " (did you mean 'seed'?)" for a key of mapping map close to key (at
 * most 2 edits), else "". */
static void key_hint(const scn_node *map, const char *key, char *buf, size_t size)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t j = 0; j < map->n; j++) {
        const char *k = map->keys[j]->text;
        size_t dist = k ? scn_edit_distance(key, k) : (size_t)-1;
        if (dist < bd)
            bd = dist, best = k;
    }
    buf[0] = '\0';
    if (best && bd <= 2 && bd < strlen(key))
        snprintf(buf, size, " (did you mean '%s'?)", best);
}

/* The offset of the first byte of s[0..n) that is not part of well-formed
 * UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), or n. */
static size_t utf8_bad_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!len || i + len > n)
            return i;
        for (size_t k = 1; k < len; k++)
            if ((u[i + k] & 0xC0) != 0x80)
                return i;
        if ((c == 0xE0 && u[i + 1] < 0xA0) || (c == 0xED && u[i + 1] > 0x9F)
            || (c == 0xF0 && u[i + 1] < 0x90) || (c == 0xF4 && u[i + 1] > 0x8F))
            return i;
        i += len;
    }
    return n;
}

/* Applies set "KEY=VALUE" from `from` (see scn_set_origin): label, its
 * copy in the arena. */
static int apply_set(scn_doc *d, const char *set, const scn_set_origin *from,
                     const char *label, sim_err *err)
{
    int optno = from->line > 0 ? from->line : 1;
    int line = from->col > 0 ? optno : 0, col = from->col;
    int kcol = from->col > 0 && from->key_col > 0 ? from->key_col : 0;
    origin o = { label, 1, set, optno, line, col, kcol };
    const char *eq = strchr(set, '=');
    if (!eq || eq == set)
        return path_error(&o, err, 0, 0, "expected key.path=value");
    size_t plen = (size_t)(eq - set);
    /* the value goes through libyaml, which checks it; the key path does not
     * (found by tests/fuzz: a key added this way made scn_dump fail) */
    size_t bad = utf8_bad_at(set, plen);
    if (bad < plen)
        return sim_err_set(err, SIM_EINVAL, label, optno,
                           line > 0 ? (kcol ? kcol + (int)bad : col) : (int)bad + 1,
                           "invalid UTF-8 (byte 0x%02X) in the key path; keys must be UTF-8 text",
                           (unsigned char)set[bad]);
    o.col0 = (int)plen + 1;
    scn_node *val;
    int rc = parse_text(d, &o, eq + 1, strlen(eq + 1), &val, err);
    if (rc)
        return rc;

    scn_node *cur = d->root;
    size_t i = 0;
    while (i < plen) {
        /* one step: a key (up to '.', '[' or '='), or an index [N] */
        int is_index = set[i] == '[';
        size_t start = i;
        unsigned long idx = 0;
        char key[256];
        if (is_index) {
            i++;
            if (i >= plen || !isdigit((unsigned char)set[i]))
                return path_error(&o, err, i, plen, "expected a number after '['");
            while (i < plen && isdigit((unsigned char)set[i])) {
                idx = idx * 10 + (unsigned long)(set[i] - '0');
                if (idx > SCN_MAX_NODES)
                    return path_error(&o, err, start + 1, plen, "index too large");
                i++;
            }
            if (i >= plen || set[i] != ']')
                return path_error(&o, err, i, plen, "expected ']' after the index");
            i++;
        } else {
            while (i < plen && set[i] != '.' && set[i] != '[')
                i++;
            if (i == start)
                return path_error(&o, err, start, plen, "expected a key");
            if (i - start >= sizeof key)
                return path_error(&o, err, start, plen, "a key longer than %zu bytes",
                                  sizeof key - 1);
            memcpy(key, set + start, i - start);
            key[i - start] = '\0';
        }
        int last = i == plen;
        size_t end = i;         /* the path up to this step, for messages */
        if (!last) {
            if (set[i] == '.') {
                i++;
                if (i == plen || set[i] == '.' || set[i] == '[')
                    return path_error(&o, err, i, plen, "expected a key after '.'");
            } else if (set[i] != '[') {
                return path_error(&o, err, i, plen, "expected '.' or '['");
            }
        }
        /* the path so far, for messages: "programs.shandong" */
        int where = (int)start;
        if (where > 0 && set[where - 1] == '.')
            where--;
        scn_node **slot = NULL;
        if (is_index) {
            if (cur->kind != SCN_SEQ)
                return path_error(&o, err, start, end, "'%.*s' is %s, not a sequence", where,
                                  set, kind_desc(cur));
            if (idx >= cur->n)
                return path_error(&o, err, start, end, "no item [%lu] in '%.*s' (it has %zu)",
                                  idx, where, set, cur->n);
            slot = &cur->items[idx];
        } else if (cur->kind == SCN_MAP) {
            long k = map_find(cur, key);
            if (k < 0) {
                if (!last) {
                    char hint[256];
                    key_hint(cur, key, hint, sizeof hint);
                    if (!where)
                        return path_error(&o, err, start, end, "no key '%s' in the scenario%s",
                                          key, hint);
                    return path_error(&o, err, start, end, "no key '%s' in '%.*s'%s", key,
                                      where, set, hint);
                }
                scn_node *kn = node_new(d, SCN_SCALAR, label, optno,
                                        line > 0 ? (kcol ? kcol + (int)start : col)
                                                 : (int)start + 1);
                if (!kn || !(kn->text = arena_strdup(d, key)) || node_append(d, cur, kn, val))
                    return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
                return SIM_OK;
            }
            slot = &cur->items[k];
        } else if (cur->kind == SCN_SEQ) {
            size_t j = 0;
            while (j < cur->n
                   && !(item_name(cur->items[j]) && !strcmp(item_name(cur->items[j]), key)))
                j++;
            if (j == cur->n) {
                char hint[256];
                item_hint(cur, key, hint, sizeof hint);
                return path_error(&o, err, start, end, "no item named '%s' in '%.*s'%s", key,
                                  where, set, hint);
            }
            slot = &cur->items[j];
        } else {
            return path_error(&o, err, start, end, "'%.*s' is a value, not a mapping",
                              where, set);
        }
        if (last) {
            *slot = val;
            return SIM_OK;
        }
        cur = *slot;
    }
    return path_error(&o, err, 0, 0, "expected key.path=value");
}

/* ---- key paths ---- */

/* Names every node by its key path. A long key at the top of a big tree
 * repeats in every path below it, so the paths' bytes are counted in
 * *budget against SCN_MAX_TEXT_BYTES. SIM_EINVAL (err filled) when over. */
static int name_paths(scn_doc *d, scn_node *n, const char *path, size_t *budget, sim_err *err)
{
    n->keypath = path;
    for (size_t i = 0; i < n->n; i++) {
        char *p;
        size_t pl = strlen(path);
        size_t need = n->kind == SCN_MAP ? pl + strlen(n->keys[i]->text) + 2 : pl + 24;
        if (need > *budget) {
            const scn_node *at = n->kind == SCN_MAP ? n->keys[i] : n->items[i];
            return sim_err_set(err, SIM_EINVAL, at->file, at->line, at->col,
                               "key paths longer than %d MiB in all (long keys above many "
                               "values)", SCN_MAX_TEXT_BYTES >> 20);
        }
        *budget -= need;
        if (n->kind == SCN_MAP) {
            const char *k = n->keys[i]->text;
            size_t kl = strlen(k);
            p = arena_alloc(d, pl + kl + 2);
            if (!p)
                return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            if (pl) {
                memcpy(p, path, pl);
                p[pl] = '.';
                memcpy(p + pl + 1, k, kl + 1);
            } else {
                memcpy(p, k, kl + 1);
            }
            n->keys[i]->keypath = p;
        } else {
            p = arena_alloc(d, pl + 24);
            if (!p)
                return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            snprintf(p, pl + 24, "%s[%zu]", path, i);
        }
        int rc = name_paths(d, n->items[i], p, budget, err);
        if (rc)
            return rc;
    }
    return SIM_OK;
}

/* ---- documents ---- */

void scn_free(scn_doc *doc)
{
    if (!doc)
        return;
    for (blk *b = doc->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(doc->path);
    free(doc);
}

/* The end of every load, on d's merged tree: applies the sets in order and
 * names every node by its key path. Returns d, or frees it and returns
 * NULL (err filled). */
static scn_doc *apply_sets(scn_doc *d, const char *const *sets, const scn_set_origin *origins,
                           size_t nsets, sim_err *err)
{
    for (size_t i = 0; i < nsets; i++) {
        /* without origins, the sets are --set options in order */
        scn_set_origin w = { "--set", (int)(i < INT_MAX ? i + 1 : INT_MAX), 0, 0 };
        if (origins && origins[i].name)
            w = origins[i];
        const char *label = arena_strdup(d, w.name);
        if (!label) {
            sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto fail;
        }
        if (apply_set(d, sets[i], &w, label, err))
            goto fail;
    }
    size_t budget = SCN_MAX_TEXT_BYTES;
    if (name_paths(d, d->root, "", &budget, err))
        goto fail;
    return d;
fail:
    scn_free(d);
    return NULL;
}

static scn_doc *finish(scn_doc *d, const char *name, const char *text, size_t len,
                       const char *const *sets, const scn_set_origin *origins, size_t nsets,
                       sim_err *err)
{
    struct stat st;
    chain_link top = { NULL, d->path, 0, 0, 0, 0 };
    if (stat(name, &st) == 0) {
        top.have_id = 1;
        top.dev = st.st_dev;
        top.ino = st.st_ino;
    }
    if (load_text(d, d->path, text, len, &top, &d->root, err)) {
        scn_free(d);
        return NULL;
    }
    return apply_sets(d, sets, origins, nsets, err);
}

static scn_doc *doc_new(const char *name, sim_err *err)
{
    scn_doc *d = calloc(1, sizeof *d);
    if (d && !(d->path = strdup(name))) {
        free(d);
        d = NULL;
    }
    if (!d)
        sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    return d;
}

scn_doc *scn_load(const char *path, const char *const *sets, size_t nsets, sim_err *err)
{
    return scn_load_labeled(path, sets, NULL, nsets, err);
}

scn_doc *scn_load_labeled(const char *path, const char *const *sets,
                          const scn_set_origin *origins, size_t nsets, sim_err *err)
{
    char *text = NULL, why[128];
    size_t len = 0;
    scn_doc *d = NULL;
    int e = read_file(path, &text, &len);
    if (e) {
        sim_err_set(err, e == ENOMEM ? SIM_ENOMEM : e < 0 ? SIM_EINVAL : SIM_EIO, path, 0, 0,
                    "cannot read: %s", read_problem(e, why, sizeof why));
        goto out;
    }
    if (!(d = doc_new(path, err)))
        goto out;
    d = finish(d, path, text, len, sets, origins, nsets, err);
out:
    free(text);
    return d;
}

scn_doc *scn_load_string(const char *name, const char *text, size_t len,
                         const char *const *sets, size_t nsets, sim_err *err)
{
    scn_doc *d = doc_new(name, err);
    return d ? finish(d, name, text, len, sets, NULL, nsets, err) : NULL;
}

/* ---- copies ---- */

/* A copy into another document's arena: the nodes, their texts and their
 * files' names (the few distinct ones mapped once each). */
typedef struct copier {
    scn_doc     *d;
    const char **from, **to;    /* [n] file names of the source, of the copy */
    size_t       n, cap, last;
} copier;

static const char *copy_file(copier *c, const char *f)
{
    if (!f)
        return NULL;
    if (c->last < c->n && c->from[c->last] == f)
        return c->to[c->last];
    for (size_t i = 0; i < c->n; i++)
        if (c->from[i] == f)
            return c->to[c->last = i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        const char **from = realloc(c->from, cap * sizeof *from);
        if (!from)
            return NULL;
        c->from = from;
        const char **to = realloc(c->to, cap * sizeof *to);
        if (!to)
            return NULL;
        c->to = to;
        c->cap = cap;
    }
    const char *t = arena_strdup(c->d, f);
    if (!t)
        return NULL;
    c->from[c->n] = f;
    c->to[c->n] = t;
    c->last = c->n++;
    return t;
}

/* A deep copy of n: every field but the key path, which name_paths sets
 * again. NULL when out of memory. */
static scn_node *node_copy(copier *c, const scn_node *n)
{
    scn_node *m = arena_alloc(c->d, sizeof *m);
    if (!m)
        return NULL;
    *m = *n;
    m->keypath = "";
    m->items = m->keys = NULL;
    if (n->file && !(m->file = copy_file(c, n->file)))
        return NULL;
    if (n->text && !(m->text = arena_strdup(c->d, n->text)))
        return NULL;
    if (n->hint && !(m->hint = arena_strdup(c->d, n->hint)))
        return NULL;
    if (n->n && !(m->items = arena_alloc(c->d, n->n * sizeof *m->items)))
        return NULL;
    if (n->n && n->kind == SCN_MAP && !(m->keys = arena_alloc(c->d, n->n * sizeof *m->keys)))
        return NULL;
    for (size_t i = 0; i < n->n; i++) {
        if (!(m->items[i] = node_copy(c, n->items[i])))
            return NULL;
        if (m->keys && !(m->keys[i] = node_copy(c, n->keys[i])))
            return NULL;
    }
    return m;
}

scn_doc *scn_copy_labeled(const scn_doc *doc, const char *const *sets,
                          const scn_set_origin *origins, size_t nsets, sim_err *err)
{
    scn_doc *d = doc_new(doc->path, err);
    if (!d)
        return NULL;
    /* the budgets count what the source parsed; a set's value adds to them */
    d->nodes = doc->nodes;
    d->text = doc->text;
    copier c = { d, NULL, NULL, 0, 0, 0 };
    if (copy_file(&c, doc->path) != NULL)
        c.to[0] = d->path;      /* the top file's nodes name the document's path */
    d->root = c.n ? node_copy(&c, doc->root) : NULL;
    free(c.from);
    free(c.to);
    if (!d->root) {
        sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        scn_free(d);
        return NULL;
    }
    return apply_sets(d, sets, origins, nsets, err);
}

const scn_node *scn_root(const scn_doc *doc) { return doc->root; }
const char *scn_doc_path(const scn_doc *doc) { return doc->path; }

/* ---- dump ---- */

typedef struct outbuf {
    char  *s;
    size_t n, cap;
    int    failed;
} outbuf;

static int write_out(void *data, unsigned char *buf, size_t size)
{
    outbuf *o = data;
    if (o->cap - o->n <= size) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap - o->n <= size)
            cap *= 2;
        char *s = realloc(o->s, cap);
        if (!s) {
            o->failed = 1;
            return 0;
        }
        o->s = s;
        o->cap = cap;
    }
    memcpy(o->s + o->n, buf, size);
    o->n += size;
    o->s[o->n] = '\0';
    return 1;
}

static int emit_scalar(yaml_emitter_t *em, const char *text)
{
    yaml_event_t ev;
    return yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
                                        1, 1, YAML_ANY_SCALAR_STYLE)
           && yaml_emitter_emit(em, &ev);
}

static int emit_node(yaml_emitter_t *em, const scn_node *n)
{
    yaml_event_t ev;
    switch (n->kind) {
    case SCN_SCALAR:
        return emit_scalar(em, n->text);
    case SCN_SEQ:
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE)
            || !yaml_emitter_emit(em, &ev))
            return 0;
        for (size_t i = 0; i < n->n; i++)
            if (!emit_node(em, n->items[i]))
                return 0;
        return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    case SCN_MAP:
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE)
            || !yaml_emitter_emit(em, &ev))
            return 0;
        for (size_t i = 0; i < n->n; i++)
            if (!emit_scalar(em, n->keys[i]->text) || !emit_node(em, n->items[i]))
                return 0;
        return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    }
    return 0;
}

char *scn_dump(const scn_doc *doc)
{
    yaml_emitter_t em;
    yaml_event_t ev;
    outbuf o = { NULL, 0, 0, 0 };
    int ok;
    if (!yaml_emitter_initialize(&em))
        return NULL;
    yaml_emitter_set_output(&em, write_out, &o);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING)
         && yaml_emitter_emit(&em, &ev)
         && yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1)
         && yaml_emitter_emit(&em, &ev)
         && emit_node(&em, doc->root)
         && yaml_document_end_event_initialize(&ev, 1)
         && yaml_emitter_emit(&em, &ev)
         && yaml_stream_end_event_initialize(&ev)
         && yaml_emitter_emit(&em, &ev)
         && yaml_emitter_flush(&em);
    yaml_emitter_delete(&em);
    if (!ok || o.failed) {
        free(o.s);
        return NULL;
    }
    return o.s;
}

/* ---- nodes ---- */

scn_kind scn_node_kind(const scn_node *n) { return n->kind; }
const char *scn_node_file(const scn_node *n) { return n->file; }
int scn_node_line(const scn_node *n) { return n->line; }
int scn_node_col(const scn_node *n) { return n->col; }
const char *scn_node_keypath(const scn_node *n) { return n->keypath; }

void scn_node_text_pos(const scn_node *n, size_t off, int *line, int *col)
{
    *line = n->line;
    *col = n->col;
    if (n->kind != SCN_SCALAR || !n->tcol || off > strlen(n->text))
        return;
    int c = n->tcol;
    for (size_t i = 0; i < off; i++)
        c += ((unsigned char)n->text[i] & 0xC0) != 0x80;
    *col = c;
}
const char *scn_str(const scn_node *n) { return n && n->kind == SCN_SCALAR ? n->text : NULL; }
size_t scn_len(const scn_node *n) { return n && n->kind != SCN_SCALAR ? n->n : 0; }

const scn_node *scn_item(const scn_node *seq, size_t i)
{
    return seq && seq->kind != SCN_SCALAR && i < seq->n ? seq->items[i] : NULL;
}

const char *scn_key(const scn_node *map, size_t i)
{
    return map && map->kind == SCN_MAP && i < map->n ? map->keys[i]->text : NULL;
}

const scn_node *scn_key_node(const scn_node *map, size_t i)
{
    return map && map->kind == SCN_MAP && i < map->n ? map->keys[i] : NULL;
}

const scn_node *scn_value(const scn_node *map, size_t i)
{
    return map && map->kind == SCN_MAP && i < map->n ? map->items[i] : NULL;
}

const scn_node *scn_get(const scn_node *map, const char *key)
{
    long i = map_find(map, key);
    return i >= 0 ? map->items[i] : NULL;
}

size_t scn_edit_distance(const char *a, const char *b)
{
    /* optimal string alignment: insertions, deletions, substitutions and
     * swaps of neighbours each cost 1 */
    enum { MAXLEN = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAXLEN || lb > MAXLEN)
        return la > lb ? la : lb;
    size_t rows[3][MAXLEN + 1];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = p[j - 1] + cost;
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

/* The nearest of names to s when it is close enough to be a likely typo. */
static const char *nearest(const char *s, const char *const *names)
{
    const char *best = NULL;
    size_t bd = (size_t)-1, len = strlen(s);
    for (size_t i = 0; names[i]; i++) {
        size_t dist = scn_edit_distance(s, names[i]);
        if (dist < bd) {
            bd = dist;
            best = names[i];
        }
    }
    return best && bd <= 2 && bd < len ? best : NULL;
}

int scn_check_keys(const scn_node *map, const char *const *known, sim_err *err)
{
    int rc = scn_expect_map(map, NULL, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->text;
        size_t j = 0;
        while (known[j] && strcmp(known[j], k))
            j++;
        if (known[j])
            continue;
        const char *near = nearest(k, known);
        if (!strncmp(k, "x-", 2))
            return scn_error(err, SIM_EINVAL, map->keys[i], "unknown key '%s': scenarios have "
                             "no extension keys to hold anchors %s", k, ANCHORS_HELP);
        if (near)
            return scn_error(err, SIM_EINVAL, map->keys[i], "unknown key '%s' (did you mean '%s'?)",
                             k, near);
        return scn_error(err, SIM_EINVAL, map->keys[i], "unknown key '%s'", k);
    }
    return SIM_OK;
}

static int expect_kind(const scn_node *n, scn_kind kind, const char *kname, const char *what,
                       sim_err *err)
{
    if (n->kind == kind)
        return SIM_OK;
    if (what)
        return scn_error(err, SIM_EINVAL, n, "expected %s (%s), got %s", kname, what, kind_desc(n));
    return scn_error(err, SIM_EINVAL, n, "expected %s, got %s", kname, kind_desc(n));
}

int scn_expect_map(const scn_node *n, const char *what, sim_err *err)
{
    return expect_kind(n, SCN_MAP, "a mapping", what, err);
}

int scn_expect_seq(const scn_node *n, const char *what, sim_err *err)
{
    return expect_kind(n, SCN_SEQ, "a sequence", what, err);
}

/* ---- typed getters ---- */

/* The value under key, or: SIM_OK with *n NULL when absent and optional;
 * an error at the mapping when absent and required. */
static int lookup(const scn_node *map, const char *key, int required, const scn_node **n,
                  sim_err *err)
{
    *n = scn_get(map, key);
    if (*n || !required)
        return SIM_OK;
    return scn_missing_key(err, map, key);
}

int scn_missing_key(sim_err *err, const scn_node *map, const char *key)
{
    if (!map)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "missing required key '%s'", key);
    if (map->hint)      /* a child's item that overrides nothing */
        return scn_error(err, SIM_EINVAL, map, "%s; a new one needs '%s'", map->hint, key);
    if (!map->keypath[0] && top_required(key)) {
        char need[256];
        return scn_error(err, SIM_EINVAL, map, "missing required key '%s': %s", key,
                         minimal_text(need, sizeof need));
    }
    return scn_error(err, SIM_EINVAL, map, "missing required key '%s'", key);
}

/* "got 1.8", "got 'abc'", "got a mapping" */
static const char *got(const scn_node *n, char *buf, size_t size)
{
    if (n->kind != SCN_SCALAR)
        snprintf(buf, size, "%s", kind_desc(n));
    else if (!n->text[0])
        snprintf(buf, size, "nothing");
    else
        snprintf(buf, size, "'%.80s'", n->text);
    return buf;
}

/* A whole decimal number (no hex, inf or nan), with optional sign. */
static int parse_number(const char *s, double *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
        return 0;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q) && !strchr(".eE+-", *q))
            return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || end == s || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static void range_text(double lo, double hi, char *buf, size_t size)
{
    if (isinf(lo) && isinf(hi))
        buf[0] = '\0';
    else if (isinf(hi))
        snprintf(buf, size, " >= %g", lo);
    else if (isinf(lo))
        snprintf(buf, size, " <= %g", hi);
    else
        snprintf(buf, size, " in [%g, %g]", lo, hi);
}

int scn_parse_double(const scn_node *n, double lo, double hi, double *out, sim_err *err)
{
    char r[96], g[100];
    double v;
    int number = n->kind == SCN_SCALAR && parse_number(n->text, &v);
    if (number && !(v < lo || v > hi)) {
        *out = v;
        return SIM_OK;
    }
    range_text(lo, hi, r, sizeof r);        /* for the message only: a sweep reads
                                               many values per point */
    if (!number)
        return scn_error(err, SIM_EINVAL, n, "expected a number%s, got %s", r, got(n, g, sizeof g));
    return scn_error(err, SIM_EINVAL, n, "expected a number%s, got %s", r, n->text);
}

int scn_get_double(const scn_node *map, const char *key, int required,
                   double def, double lo, double hi, double *out, sim_err *err)
{
    const scn_node *n;
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out = def;
        return SIM_OK;
    }
    return scn_parse_double(n, lo, hi, out, err);
}

/* An integer bound as messages write it: 2^63-1 rather than its digits. */
static const char *bound_text(long long b, char *buf, size_t size)
{
    if (b == LLONG_MAX)
        snprintf(buf, size, "2^63-1");
    else if (b == LLONG_MIN)
        snprintf(buf, size, "-2^63");
    else if (b == 1LL << 53)
        snprintf(buf, size, "2^53");
    else
        snprintf(buf, size, "%lld", b);
    return buf;
}

int scn_get_int(const scn_node *map, const char *key, int required,
                long long def, long long lo, long long hi, long long *out, sim_err *err)
{
    const scn_node *n;
    char g[100];
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out = def;
        return SIM_OK;
    }
    char *end = NULL, blo[32], bhi[32];
    long long v = 0;
    double d;
    int ok = n->kind == SCN_SCALAR && n->text[0] && !isspace((unsigned char)n->text[0]);
    int digits = 0;     /* a whole number too large for a double to hold exactly */
    if (ok) {
        errno = 0;
        v = strtoll(n->text, &end, 10);
        ok = !*end && errno == 0;
    }
    if (!ok && n->kind == SCN_SCALAR && strpbrk(n->text, ".eE") && parse_number(n->text, &d)
        && d == floor(d)) {
        /* 3e3 or 3000.0: the integer it writes exactly */
        if (fabs(d) <= 9007199254740992.0) {
            v = (long long)d;
            ok = 1;
        } else {
            digits = d >= (double)lo && d <= (double)hi;
        }
    }
    if (ok && v >= lo && v <= hi) {
        *out = v;
        return SIM_OK;
    }
    if (lo == LLONG_MIN && hi == LLONG_MAX)
        return scn_error(err, SIM_EINVAL, n, "expected an integer, got %s%s",
                         got(n, g, sizeof g), digits ? " (write it in digits)" : "");
    return scn_error(err, SIM_EINVAL, n, "expected an integer in [%s, %s], got %s%s",
                     bound_text(lo, blo, sizeof blo), bound_text(hi, bhi, sizeof bhi),
                     ok && !strpbrk(n->text, ".eE") ? n->text : got(n, g, sizeof g),
                     digits ? " (write it in digits)" : "");
}

int scn_get_bool(const scn_node *map, const char *key, int required,
                 int def, int *out, sim_err *err)
{
    static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
    static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };
    const scn_node *n;
    char g[100];
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out = def;
        return SIM_OK;
    }
    if (n->kind == SCN_SCALAR) {
        for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
            if (!strcmp(n->text, yes[i])) {
                *out = 1;
                return SIM_OK;
            }
            if (!strcmp(n->text, no[i])) {
                *out = 0;
                return SIM_OK;
            }
        }
    }
    return scn_error(err, SIM_EINVAL, n, "expected true or false, got %s", got(n, g, sizeof g));
}

int scn_get_string(const scn_node *map, const char *key, int required,
                   const char *def, const char **out, sim_err *err)
{
    const scn_node *n;
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out = def;
        return SIM_OK;
    }
    if (n->kind != SCN_SCALAR)
        return scn_error(err, SIM_EINVAL, n, "expected a string, got %s", kind_desc(n));
    *out = n->text;
    return SIM_OK;
}

int scn_get_enum(const scn_node *map, const char *key, int required,
                 int def, const char *const *names, int *out, sim_err *err)
{
    const scn_node *n;
    char g[100], list[512];
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out = def;
        return SIM_OK;
    }
    if (n->kind == SCN_SCALAR)
        for (int i = 0; names[i]; i++)
            if (!strcmp(n->text, names[i])) {
                *out = i;
                return SIM_OK;
            }
    size_t used = 0;
    list[0] = '\0';
    for (int i = 0; names[i] && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    const char *near = n->kind == SCN_SCALAR ? nearest(n->text, names) : NULL;
    if (near)
        return scn_error(err, SIM_EINVAL, n, "expected one of %s; got %s (did you mean '%s'?)",
                         list, got(n, g, sizeof g), near);
    return scn_error(err, SIM_EINVAL, n, "expected one of %s; got %s", list, got(n, g, sizeof g));
}

/* Copies s without surrounding blanks into buf; 0 when it does not fit. */
static int trimmed(const char *s, char *buf, size_t size)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= size)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 1;
}

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

static int ends_with(char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m || strcmp(s + n - m, suffix))
        return 0;
    s[n - m] = '\0';
    trim_end(s);
    return 1;
}

static int money_value(const char *text, double *out)
{
    char buf[96], num[96];
    if (!trimmed(text, buf, sizeof buf - 4) || !buf[0])
        return 0;
    if (!ends_with(buf, "CNY"))
        (void)ends_with(buf, "yuan");
    const char *exp10 = NULL;
    size_t n = strlen(buf);
    if (n && (buf[n - 1] == 'k' || buf[n - 1] == 'K'))
        exp10 = "e3";
    else if (n && buf[n - 1] == 'M')
        exp10 = "e6";
    else if (n && buf[n - 1] == 'B')
        exp10 = "e9";
    if (exp10) {
        buf[n - 1] = '\0';
        trim_end(buf);
    }
    /* commas only as thousands separators: digit before, three digits after */
    size_t j = 0;
    for (size_t i = 0; buf[i]; i++) {
        if (buf[i] == ',') {
            if (!i || !isdigit((unsigned char)buf[i - 1]))
                return 0;
            for (int k = 1; k <= 3; k++)
                if (!isdigit((unsigned char)buf[i + k]))
                    return 0;
            if (isdigit((unsigned char)buf[i + 4]))
                return 0;
            continue;
        }
        num[j++] = buf[i];
    }
    num[j] = '\0';
    if (exp10) {
        if (strpbrk(num, "eE"))
            return 0;
        strcat(num, exp10);   /* "1.03e9" is exact where 1.03 * 1e9 is not */
    }
    return parse_number(num, out);
}

int scn_parse_money(const scn_node *n, double *out, sim_err *err)
{
    char g[100];
    double v;
    if (n->kind != SCN_SCALAR || !money_value(n->text, &v))
        return scn_error(err, SIM_EINVAL, n, "expected an amount of money such as 600M, 1.03B "
                         "or 30,000,000; got %s", got(n, g, sizeof g));
    if (v < 0)
        return scn_error(err, SIM_EINVAL, n, "expected an amount of money >= 0, got %s", n->text);
    if (v > SCN_MONEY_MAX)
        return scn_error(err, SIM_EINVAL, n, "expected an amount of money of at most 2^53 yuan "
                         "(9.0e15: above it a double cannot count single yuan), got %s", n->text);
    *out = v;
    return SIM_OK;
}

int scn_get_money(const scn_node *map, const char *key, int required,
                  double def, double *out, sim_err *err)
{
    const scn_node *n;
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out = def;
        return SIM_OK;
    }
    return scn_parse_money(n, out, err);
}

static int duration_value(const char *text, double *out_h)
{
    static const struct { const char *unit; double hours; } units[] = {
        { "", 1.0 }, { "min", 1.0 / 60.0 }, { "h", 1.0 }, { "d", 24.0 },
        { "w", 168.0 }, { "mo", 720.0 }, { "y", 8760.0 },
    };
    char buf[96], num[96];
    if (!trimmed(text, buf, sizeof buf) || !buf[0])
        return 0;
    size_t i = 0;
    while (buf[i] && (isdigit((unsigned char)buf[i]) || strchr("+-.", buf[i])
                      || ((buf[i] == 'e' || buf[i] == 'E') && i > 0
                          && (isdigit((unsigned char)buf[i + 1]) || buf[i + 1] == '-'
                              || buf[i + 1] == '+'))))
        i++;
    memcpy(num, buf, i);
    num[i] = '\0';
    const char *unit = buf + i;
    while (isspace((unsigned char)*unit))
        unit++;
    double v;
    if (!parse_number(num, &v))
        return 0;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (!strcmp(unit, units[u].unit)) {
            *out_h = v * units[u].hours;
            return 1;
        }
    return 0;
}

int scn_parse_duration(const scn_node *n, double *out_h, sim_err *err)
{
    char g[100];
    double v;
    if (n->kind != SCN_SCALAR || !duration_value(n->text, &v))
        return scn_error(err, SIM_EINVAL, n, "expected a duration such as 30d, 12h, 90min, 2w, "
                         "6mo or 1y; got %s", got(n, g, sizeof g));
    if (v < 0 || !isfinite(v))
        return scn_error(err, SIM_EINVAL, n, "expected a duration >= 0, got %s", n->text);
    *out_h = v;
    return SIM_OK;
}

int scn_get_duration(const scn_node *map, const char *key, int required,
                     double def_h, double *out_h, sim_err *err)
{
    const scn_node *n;
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out_h = def_h;
        return SIM_OK;
    }
    return scn_parse_duration(n, out_h, err);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int64_t scn_year_start_day(int64_t year)
{
    return days_from_civil(year, 1, 1);
}

int64_t scn_year_of_day(int64_t day)
{
    int64_t y = 1970 + day / 366;          /* never above the answer */
    while (days_from_civil(y + 1, 1, 1) <= day)
        y++;
    while (days_from_civil(y, 1, 1) > day)
        y--;
    return y;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Checks an ISO date; on failure leaves the reason in why. */
static int date_value(const char *s, int64_t *out_day, char *why, size_t size)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            ok = 0;
    if (!ok) {
        snprintf(why, size, "expected a date YYYY-MM-DD");
        return 0;
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12) {
        snprintf(why, size, "no month %d in date '%s'", m, s);
        return 0;
    }
    int dim = mdays[m - 1] + (m == 2 && is_leap(y));
    if (d < 1 || d > dim) {
        snprintf(why, size, "no day %d in month %d of %d in date '%s' (it has %d days)",
                 d, m, y, s, dim);
        return 0;
    }
    *out_day = days_from_civil(y, (unsigned)m, (unsigned)d);
    return 1;
}

int scn_parse_date(const scn_node *n, int64_t *out_day, sim_err *err)
{
    char g[100], why[160];
    const char *s = n->kind == SCN_SCALAR ? n->text : "";
    if (!date_value(s, out_day, why, sizeof why)) {
        if (!strcmp(why, "expected a date YYYY-MM-DD"))
            return scn_error(err, SIM_EINVAL, n, "%s, got %s", why, got(n, g, sizeof g));
        return scn_error(err, SIM_EINVAL, n, "%s", why);
    }
    return SIM_OK;
}

int scn_date_from_string(const char *s, int64_t *out_day)
{
    char why[160];
    return date_value(s, out_day, why, sizeof why) ? SIM_OK : SIM_EINVAL;
}

int scn_date_check(const char *s, int64_t *out_day, char *why, size_t size)
{
    if (date_value(s, out_day, why, size))
        return SIM_OK;
    if (!strcmp(why, "expected a date YYYY-MM-DD"))
        snprintf(why, size, "expected a date YYYY-MM-DD, got '%.40s'", s);
    return SIM_EINVAL;
}

int scn_money_from_string(const char *s, double *out)
{
    double v;
    if (!money_value(s, &v) || v < 0)
        return SIM_EINVAL;
    *out = v;
    return SIM_OK;
}

int scn_duration_from_string(const char *s, double *out_h)
{
    double v;
    if (!duration_value(s, &v) || v < 0 || !isfinite(v))
        return SIM_EINVAL;
    *out_h = v;
    return SIM_OK;
}

int scn_get_date(const scn_node *map, const char *key, int required,
                 int64_t def, int64_t *out_day, sim_err *err)
{
    const scn_node *n;
    int rc = lookup(map, key, required, &n, err);
    if (rc)
        return rc;
    if (!n) {
        *out_day = def;
        return SIM_OK;
    }
    return scn_parse_date(n, out_day, err);
}

char *scn_format_date(int64_t day, char *buf, size_t size)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
    return buf;
}
