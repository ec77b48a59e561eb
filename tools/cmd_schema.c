/* tools/cmd_schema.c - `vouchsim schema`: the JSON Schema of the scenario format.
 *
 * Walks config.c's lists of known keys (config_schema_list) with the types
 * and meanings of models/schema.c, after schema_check has held the two
 * together, and prints a draft-07 JSON Schema: what
 * scenarios/vouchsim-scenario.schema.json holds (`make schema` rewrites
 * it; tests/schema.sh checks that it is this output). Editors with the
 * YAML language server read it from the comment line at the top of each
 * shipped scenario. A file that `extends` another is a partial document:
 * the schema requires keys only of a file without `extends` (and of the
 * items of unnamed lists, which a child replaces whole). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/config.h"
#include "models/schema.h"
#include "tools/args.h"
#include "tools/cmd.h"

/* Text forms, as models/scenario.c parses them (each backslash doubled for
 * C and again for the JSON string). */
#define NUM "([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)"
#define CNUM "([0-9]{1,3}(,[0-9]{3})+(\\\\.[0-9]*)?)"
#define EXP "([eE][-+]?[0-9]+)?"
#define MONEY_RE "^\\\\s*\\\\+?((" NUM "|" CNUM ")" EXP "|(" NUM "|" CNUM ")\\\\s*[kKMB])" \
                 "\\\\s*(CNY|yuan)?\\\\s*$"
#define DURATION_RE "^\\\\s*\\\\+?" NUM EXP "\\\\s*(min|h|d|w|mo|y)?\\\\s*$"
/* A number as text (scn_parse_double: decimal, optional sign, no inf or
 * nan; the validator reads "0.2" as 0.2), an integer as text (strtoll,
 * base 10), and the largest finite double: a YAML `.inf` is a number to a
 * JSON Schema validator, and the validator refuses it. */
#define NUMBER_RE "^[-+]?" NUM EXP "$"
#define INTEGER_RE "^[-+]?[0-9]+$"
#define FINITE_MAX "1.7976931348623157e+308"
#define NONNEG "{\"anyOf\":[{\"type\":\"number\",\"minimum\":0,\"maximum\":" FINITE_MAX "}," \
               "{\"type\":\"string\",\"pattern\":\"" NUMBER_RE "\"}]}"

/* The parameters of each kind of distribution (config.c, parse_dist). */
static const struct { const char *kind; const char *params[2][4]; } dist_forms[] = {
    { "fixed", { { "value" } } },
    { "uniform", { { "min", "max" } } },
    { "exponential", { { "mean" } } },
    { "lognormal", { { "median", "sigma" }, { "mean", "sd" } } },
    { "gamma", { { "mean", "sd" } } },
    { "normal", { { "mean", "sd" } } },
    { "triangular", { { "min", "mode", "max" } } },
};

/* At least one of these keys is required (config.c: a budget, or
 * appropriations that give one). */
static const struct { const char *section, *a, *b; } either[] = {
    { "program", "budget", "appropriations" },
};

static void str(FILE *f, const char *s)
{
    cmd_json_str(f, s);
}

static void enum_list(FILE *f, const char *const *names)
{
    fputs("[", f);
    for (size_t i = 0; names[i]; i++) {
        if (i)
            fputs(",", f);
        str(f, names[i]);
    }
    fputs("]", f);
}

/* One alternative of a type (schema.h) as a schema. */
static int alt_schema(FILE *f, const char *alt)
{
    char e[96];
    if (!strcmp(alt, "string"))
        fputs("{\"type\":\"string\"}", f);
    else if (!strcmp(alt, "path"))
        fputs("{\"type\":\"string\"}", f);
    else if (!strcmp(alt, "name") || !strcmp(alt, "date") || !strcmp(alt, "money")
             || !strcmp(alt, "duration") || !strcmp(alt, "rate") || !strcmp(alt, "bool")
             || !strcmp(alt, "year") || !strcmp(alt, "dist"))
        fprintf(f, "{\"$ref\":\"#/definitions/%s\"}", alt);
    else if (!strcmp(alt, "dist:duration"))
        fputs("{\"$ref\":\"#/definitions/dist_duration\"}", f);
    else if (!strncmp(alt, "integer", 7) || !strncmp(alt, "number", 6)) {
        const char *lo = strstr(alt, ">="), *hi = strstr(alt, "<=");
        int integer = alt[0] == 'i';
        fprintf(f, "{\"anyOf\":[{\"type\":\"%s\"", integer ? "integer" : "number");
        if (lo)
            fprintf(f, ",\"minimum\":%g", atof(lo + 2));
        if (hi)
            fprintf(f, ",\"maximum\":%g", atof(hi + 2));
        else if (!integer)
            fputs(",\"maximum\":" FINITE_MAX, f);
        fprintf(f, "},{\"type\":\"string\",\"pattern\":\"%s\"}]}",
                integer ? INTEGER_RE : NUMBER_RE);
    } else if (!strncmp(alt, "enum:", 5)) {
        fputs("{\"enum\":", f);
        enum_list(f, config_schema_list(alt));
        fputs("}", f);
    } else if (!strncmp(alt, "object:", 7)) {
        fprintf(f, "{\"$ref\":\"#/definitions/%s\"}", alt + 7);
    } else if (!strncmp(alt, "list:", 5)) {
        fputs("{\"type\":\"array\",\"items\":", f);
        if (alt_schema(f, !strncmp(alt + 5, "enum:", 5) || !strcmp(alt + 5, "name")
                          || !strcmp(alt + 5, "string") ? alt + 5
                       : (snprintf(e, sizeof e, "object:%s", alt + 5), e)))
            return -1;
        fputs("}", f);
    } else if (!strcmp(alt, "map:number")) {
        fputs("{\"type\":\"object\",\"additionalProperties\":" NONNEG "}", f);
    } else if (!strcmp(alt, "map:string")) {
        fputs("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}", f);
    } else if (!strcmp(alt, "map:vary")) {
        /* a range "LO:HI[:N]", or a list as --vary takes it: "v1,v2,..."
         * or a sequence of values (grids only: the validator checks that) */
        fputs("{\"type\":\"object\",\"minProperties\":1,\"additionalProperties\":"
              "{\"anyOf\":[{\"type\":\"string\",\"pattern\":"
              "\"^([^:,]+:[^:,]+(:[0-9]+)?|[^:,]+(,[^:,]+)*)$\"},"
              "{\"type\":\"array\",\"minItems\":1,"
              "\"items\":{\"type\":[\"string\",\"number\",\"boolean\"]}}]}}", f);
    } else if (!strncmp(alt, "shares:", 7)) {
        snprintf(e, sizeof e, "enum:%s", alt + 7);
        const char *const *names = config_schema_list(e);
        fputs("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{", f);
        for (size_t i = 0; names[i]; i++) {
            fputs(i ? "," : "", f);
            str(f, names[i]);
            fputs(":{\"anyOf\":[{\"type\":\"number\",\"minimum\":0,\"maximum\":1},"
                  "{\"type\":\"string\",\"pattern\":\"" NUMBER_RE "\"}]}", f);
        }
        fputs("}}", f);
    } else {
        cmd_error("schema: unknown type '%s' in models/schema.c", alt);
        return -1;
    }
    return 0;
}

/* A key's schema: its description and its type's alternatives. */
static int key_schema(FILE *f, const schema_key *k)
{
    char buf[160];
    const char *t = k->type + (k->type[0] == '!');
    fputs("{\"description\":", f);
    str(f, k->desc);
    fputs(",\"anyOf\":[", f);
    for (int first = 1; *t; first = 0) {
        size_t len = strcspn(t, "|");
        snprintf(buf, sizeof buf, "%.*s", (int)len, t);
        if (!first)
            fputs(",", f);
        if (alt_schema(f, buf))
            return -1;
        t += len + (t[len] == '|');
    }
    fputs("]}", f);
    return 0;
}

/* Does the type (or one of its alternatives) name section s as "object:s"
 * or "list:s"? */
static int refers(const char *type, const char *kind, const char *s)
{
    char want[96];
    snprintf(want, sizeof want, "%s:%s", kind, s);
    size_t n = strlen(want);
    for (const char *p = type; (p = strstr(p, want)); p += n)
        if ((p == type || p[-1] == '|' || p[-1] == '!') && (p[n] == '\0' || p[n] == '|'))
            return 1;
    return 0;
}

/* Items of a list without names are replaced whole by a child, so they are
 * complete in every file: their required keys hold always. */
static int always_complete(const char *section)
{
    size_t n;
    const schema_key *keys = schema_keys(&n);
    if (schema_find(section, "name"))
        return 0;
    int listed = 0;
    for (size_t i = 0; i < n; i++) {
        if (refers(keys[i].type, "object", section))
            return 0;
        listed |= refers(keys[i].type, "list", section);
    }
    return listed;
}

static void required_list(FILE *f, const char *section)
{
    const char *const *known = config_schema_list(section);
    int any = 0;
    for (size_t i = 0; known[i]; i++)
        if (schema_find(section, known[i])->type[0] == '!') {
            fputs(any++ ? "," : ",\"required\":[", f);
            str(f, known[i]);
        }
    if (any)
        fputs("]", f);
    for (size_t i = 0; i < sizeof either / sizeof either[0]; i++)
        if (!strcmp(either[i].section, section))
            fprintf(f, ",\"anyOf\":[{\"required\":[\"%s\"]},{\"required\":[\"%s\"]}]",
                    either[i].a, either[i].b);
}

/* The properties of a section, from config.c's list of its keys. */
static int properties(FILE *f, const char *section, int with_extends)
{
    const char *const *known = config_schema_list(section);
    fputs("\"type\":\"object\",\"additionalProperties\":false,\"properties\":{", f);
    if (with_extends)
        fputs("\"extends\":{\"description\":\"Another scenario this one builds on (a path "
              "relative to this file); this file is then partial: it only overrides.\","
              "\"type\":\"string\"},", f);
    for (size_t i = 0; known[i]; i++) {
        fputs(i ? "," : "", f);
        str(f, known[i]);
        fputs(":", f);
        if (key_schema(f, schema_find(section, known[i])))
            return -1;
    }
    fputs("}", f);
    return 0;
}

/* What a file without `extends` must also satisfy in section s: its
 * required keys, and those of the partial sections it holds. Returns 1
 * when it wrote anything, 0 when there is nothing to require, -1 when
 * memory ran out. */
static int overlay(FILE *f, const char *s, int depth)
{
    const char *const *known = config_schema_list(s);
    const char *const *secs = schema_sections();
    char *props = NULL, *req = NULL;
    size_t plen = 0, rlen = 0;
    int any = 0, rc = -1;
    FILE *p = open_memstream(&props, &plen), *r = open_memstream(&req, &rlen);
    if (!p || !r)
        goto out;
    for (size_t i = 0; known[i] && depth < 8; i++) {
        const char *t = schema_find(s, known[i])->type;
        for (size_t j = 0; secs[j]; j++) {
            int obj = refers(t, "object", secs[j]), lst = refers(t, "list", secs[j]);
            if ((!obj && !lst) || always_complete(secs[j]))
                continue;
            char *sub = NULL;
            size_t slen = 0;
            FILE *c = open_memstream(&sub, &slen);
            int w = c ? overlay(c, secs[j], depth + 1) : -1;
            if (c && fclose(c) != 0)
                w = -1;
            if (w > 0)
                fprintf(p, "%s\"%s\":%s%s%s", any++ ? "," : "", known[i],
                        lst ? "{\"items\":" : "", sub, lst ? "}" : "");
            free(sub);
            if (w < 0)
                goto out;
        }
    }
    required_list(r, s);            /* ",\"required\":[...]" and ",\"anyOf\":..." */
    if (fclose(p) != 0 || fclose(r) != 0) {
        p = r = NULL;
        goto out;
    }
    p = r = NULL;
    rc = any || rlen > 0;
    if (rc) {
        fputs("{", f);
        if (any)
            fprintf(f, "\"properties\":{%s}", props);
        fprintf(f, "%s}", any ? req : req + 1);
    }
out:
    if (p)
        fclose(p);
    if (r)
        fclose(r);
    free(props);
    free(req);
    return rc;
}

static const char defs[] =
    "\"money\":{\"description\":\"Yuan: a number, or text such as 600M, 1.03B, 30k or "
    "30,000,000, optionally followed by CNY or yuan; at most 2^53.\",\"anyOf\":[{\"type\":\"number\","
    "\"minimum\":0,\"maximum\":9007199254740992},{\"type\":\"string\",\"pattern\":\"" MONEY_RE "\"}]},"
    "\"duration\":{\"description\":\"A duration: 30d, 12h, 90min, 2w, 6mo (30 days) or 1y "
    "(365 days); a bare number is hours.\",\"anyOf\":[{\"type\":\"number\",\"minimum\":0,"
    "\"maximum\":" FINITE_MAX "},"
    "{\"type\":\"string\",\"pattern\":\"" DURATION_RE "\"}]},"
    "\"date\":{\"description\":\"An ISO date, YYYY-MM-DD.\",\"type\":\"string\","
    "\"pattern\":\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"},"
    "\"name\":{\"description\":\"Letters, digits, '-', '_' and '.'.\",\"type\":\"string\","
    "\"pattern\":\"^[A-Za-z0-9._-]+$\"},"
    "\"rate\":{\"description\":\"A number per day.\",\"anyOf\":[{\"type\":\"number\","
    "\"minimum\":0,\"maximum\":1e9},{\"type\":\"string\",\"pattern\":\"" NUMBER_RE "\"}]},"
    "\"year\":{\"anyOf\":[{\"type\":\"integer\",\"minimum\":1900,\"maximum\":9999},"
    "{\"type\":\"string\",\"pattern\":\"^[+]?[0-9]{4}$\"}]},"
    "\"bool\":{\"anyOf\":[{\"type\":\"boolean\"},{\"enum\":[\"true\",\"True\",\"TRUE\","
    "\"false\",\"False\",\"FALSE\",\"yes\",\"Yes\",\"YES\",\"no\",\"No\",\"NO\",\"on\","
    "\"On\",\"ON\",\"off\",\"Off\",\"OFF\"]}]}";

/* dist (a plain number) or dist_duration: a value or a {dist: ...} mapping. */
static int dist_def(FILE *f, const char *name, const char *value)
{
    const char *const *kinds = config_schema_list("enum:dist");
    fprintf(f, ",\"%s\":{\"description\":\"A value, or a distribution {dist: KIND, ...} whose "
            "parameters take the key's unit (sigma is a plain number).\",\"anyOf\":[%s", name,
            value);
    for (size_t k = 0; kinds[k]; k++) {
        size_t j = 0;
        while (j < sizeof dist_forms / sizeof dist_forms[0] && strcmp(dist_forms[j].kind, kinds[k]))
            j++;
        if (j == sizeof dist_forms / sizeof dist_forms[0]) {
            cmd_error("schema: no parameters for dist '%s' in tools/cmd_schema.c", kinds[k]);
            return -1;
        }
        for (int form = 0; form < 2 && dist_forms[j].params[form][0]; form++) {
            const char *const *p = dist_forms[j].params[form];
            fprintf(f, ",{\"type\":\"object\",\"additionalProperties\":false,\"required\":"
                    "[\"dist\"");
            for (int i = 0; i < 4 && p[i]; i++)
                fprintf(f, ",\"%s\"", p[i]);
            fprintf(f, "],\"properties\":{\"dist\":{\"const\":\"%s\"}", kinds[k]);
            for (int i = 0; i < 4 && p[i]; i++)
                fprintf(f, ",\"%s\":%s", p[i], !strcmp(p[i], "sigma")
                        ? NONNEG : value);
            fputs("}}", f);
        }
    }
    fputs("]}", f);
    return 0;
}

/* The whole schema as compact JSON. */
static int schema_json(FILE *f)
{
    const char *const *secs = schema_sections();
    fputs("{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
          "\"title\":\"vouchsim scenario\",\"description\":", f);
    str(f, schema_section_desc("top"));
    fputs(",\"$comment\":\"Generated by `vouchsim schema` from the validator's tables "
          "(models/config.c, models/schema.c); do not edit. A file with extends is partial: "
          "only a file without it must hold the required keys.\",\"definitions\":{", f);
    fputs(defs, f);
    if (dist_def(f, "dist", NONNEG)
        || dist_def(f, "dist_duration", "{\"$ref\":\"#/definitions/duration\"}"))
        return -1;
    for (size_t s = 1; secs[s]; s++) {
        fprintf(f, ",\"%s\":{\"description\":", secs[s]);
        str(f, schema_section_desc(secs[s]));
        fputs(",", f);
        if (properties(f, secs[s], 0))
            return -1;
        if (!strcmp(secs[s], "accepts"))
            fputs(",\"minProperties\":1,\"maxProperties\":1", f);
        if (always_complete(secs[s]))
            required_list(f, secs[s]);
        fputs("}", f);
    }
    fputs("},", f);
    if (properties(f, "top", 1))
        return -1;
    fputs(",\"if\":{\"not\":{\"required\":[\"extends\"]}},\"then\":", f);
    int w = overlay(f, "top", 0);
    if (w < 0) {
        cmd_error("out of memory");
        return -1;
    }
    if (w == 0)
        fputs("{}", f);
    fputs("}", f);
    return 0;
}

/* Indents compact JSON two spaces a level, one member or item a line. */
static void pretty(const char *s, FILE *out)
{
    int depth = 0, in_str = 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (in_str) {
            fputc(c, out);
            if (c == '\\' && p[1])
                fputc(*++p, out);
            else if (c == '"')
                in_str = 0;
            continue;
        }
        switch (c) {
        case '"':
            in_str = 1;
            fputc(c, out);
            break;
        case '{':
        case '[':
            if (p[1] == (c == '{' ? '}' : ']')) {
                fputc(c, out);
                fputc(*++p, out);
                break;
            }
            fprintf(out, "%c\n%*s", c, 2 * ++depth, "");
            break;
        case '}':
        case ']':
            fprintf(out, "\n%*s%c", 2 * --depth, "", c);
            break;
        case ',':
            fprintf(out, ",\n%*s", 2 * depth, "");
            break;
        case ':':
            fputs(": ", out);
            break;
        default:
            fputc(c, out);
        }
    }
    fputc('\n', out);
}

static void usage(FILE *f)
{
    fputs("usage: vouchsim schema [--keys]\n"
          "  Prints the JSON Schema of the scenario format (draft-07), generated from\n"
          "  the validator's tables: scenarios/vouchsim-scenario.schema.json.\n"
          "  --keys    print instead the validator's known keys, one SECTION.KEY a line\n"
          "  -h, --help  this text;  -V, --version  the version\n"
          "exit status: 0 success, 1 the tables disagree (a bug), 2 usage\n", f);
}

int cmd_schema(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_KEYS, 0, 0, "no arguments", usage);
    int keys = a.keys;
    args_fini(&a);
    if (prc != 0)
        return args_status(prc);
    sim_err err;
    sim_err_clear(&err);
    if (schema_check(&err) != SIM_OK) {
        cmd_error("%s", err.msg);
        return EXIT_RUNTIME;
    }
    const char *const *secs = schema_sections();
    if (keys) {
        puts("top.extends");        /* models/scenario.c's, before config.c sees the file */
        for (size_t s = 0; secs[s]; s++)
            for (const char *const *k = config_schema_list(secs[s]); *k; k++)
                printf("%s.%s\n", secs[s], *k);
        return EXIT_OK;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) {
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    int rc = schema_json(m);
    long end = ftell(m);
    if (fclose(m) != 0 || !buf) {
        free(buf);
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    if (rc == 0) {
        buf[end] = '\0';
        pretty(buf, stdout);
    }
    free(buf);
    if (rc)
        return EXIT_RUNTIME;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("schema: cannot write to stdout");
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}
