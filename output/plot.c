/* output/plot.c - charts through gnuplot (see plot.h).
 *
 * Each chart is one or more panels; a panel draws one series (group/name)
 * with a line per entity: the mean across runs, and a band when the file
 * holds several runs: the runs' range (min to max) under
 * OUT_PLOT_RANGE_RUNS runs, else the 5th to 95th percentile. Values are scaled for reading: fractions to %,
 * yuan to millions of yuan. A selection (out_plot_opts) keeps columns of
 * /entities/<group> by name, or by the entity coordinates the file may
 * record (region of each data center and city, city of each program);
 * the data files hold the kept columns only. Colours are keyed by an
 * entity's index in its group (data centers: shades of their region's
 * colour; programs: their city's colour), so they do not change with the
 * selection or the chart. A
 * panel of more than MAX_LEGEND lines labels the MAX_TOP largest and
 * draws the others grey under one legend entry. Time axes get tics on
 * dates vouchsim chooses where gnuplot's crowd or start oddly
 * (time_tics). Titles are multiplot
 * titles (centred on the page), wrapped after a clause or evenly, with the --set overrides of
 * /@command and the runs pooled. The response chart reads /sweep/params
 * and /scalars (mean and Student-t interval per point; on a grid of
 * several keys a line per level of the other keys, up to MAX_LEVELS,
 * side by side around each value), the Sobol chart /sobol/indices.
 *
 * A comparison file (out_plot_cmp_draw) is read as its two arms, each a
 * reader of its own: a series panel draws each entity for both arms in
 * the entity's colour (policy solid, base dashed; bands shaded and
 * hatched), the 6 entities whose arms differ most when more are selected
 * and none is named; the difference chart draws rows of
 * /compare/differences as intervals around zero, a panel per unit, and
 * run-out times without a paired difference (an arm never runs out) on a
 * timeline of the window per arm, and a run-out on the same date in both
 * arms with that date beside its 0; the utilization-difference chart computes policy - base run by run (runs
 * paired by index, which compare makes the replication) with a
 * Student-t band.
 *
 * No path and no name the user or the file chose reaches gnuplot's
 * script: the data and the script go to a private directory
 * (.vouchsim-plot-XXXXXX, mkdtemp) in the chart's destination directory,
 * gnuplot runs there (fork, chdir, exec, no shell) on files vouchsim
 * named (plot.gp, d0.dat ...) and writes the chart to its standard
 * output (`set output` without a name), which vouchsim copies with
 * checked writes into chart.out in the same directory, checks, fsyncs
 * and renames to the final path. gnuplot treats `set output '|cmd'` and
 * data files named '<cmd' as pipes; neither can occur. Titles (scenario
 * and entity names from the file) are single-quoted gnuplot strings, in
 * which gnuplot expands nothing, with ' doubled and control characters
 * replaced by spaces. The private directory is removed afterwards.
 * gnuplot gets no descriptor of vouchsim's above 2, the default signal
 * actions and an empty signal mask; out_plot_interrupt (from the
 * caller's signal handler) kills it, waits for it and removes the
 * private directory before anything is renamed into place. */
#include "output/plot.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/fmt.h"
#include "output/h5util.h"
#include "sim/stats.h"

typedef struct panel_def {
    const char *label;          /* "Budget remaining": panel title */
    const char *ylabel;         /* "Budget": the y axis, before the unit */
    const char *group;
    const char *name;           /* the series, as models/economy.c records it */
    int         percent;        /* a share: plotted in %, 0-100 */
} panel_def;

typedef struct chart_def {
    const char *name;
    const char *title;
    int         npanels;
    panel_def   panels[4];
} chart_def;

static const chart_def charts[OUT_CHART_COUNT] = {
    { "utilization", "Data-center utilization", 1,
      { { "Utilization", "Utilization", "region", "utilization", 1 } } },
    { "budget", "Voucher program budgets", 2,
      { { "Budget not yet committed to vouchers", "Uncommitted", "program", "remaining", 0 },
        { "Budget spent (cumulative)", "Spent", "program", "spent", 0 } } },
    { "spend", "Spend per city", 2,
      { { "Subsidy paid (cumulative)", "Subsidy", "city", "subsidy", 0 },
        { "Co-payment by firms (cumulative)", "Co-payment", "city", "copay", 0 } } },
    { "demand", "Firms per city", 4,
      { { "Firms arrived", "Firms", "city", "firms_arrived", 0 },
        { "Firms buying compute", "Firms", "city", "firms_buying", 0 },
        { "Additional firms (buy only with a voucher)", "Firms", "city", "firms_additional", 0 },
        { "Deadweight firms (would buy anyway)", "Firms", "city", "firms_deadweight", 0 } } },
    { "wait", "Mean wait of firm jobs that started (background and abandoned jobs excluded)", 1,
      { { "Mean wait, firm jobs started", "Mean wait", "region", "mean_wait", 0 } } },
    { "response", "response to the varied keys", 0, { { NULL, NULL, NULL, NULL, 0 } } },
    { "sobol", "Sobol sensitivity indices", 0, { { NULL, NULL, NULL, NULL, 0 } } },
    { "difference", "Paired differences, policy - base", 0, { { NULL, NULL, NULL, NULL, 0 } } },
    { "utilization-difference", "Utilization difference over time, policy - base", 1,
      { { "Utilization difference", "Utilization difference", "region", "utilization", 1 } } },
};

/* Colour-blind-safe palette (ColorBrewer Dark2 and Paired picks). */
static const char *const palette[] = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e",
    "#e6ab02", "#a6761d", "#666666", "#1f78b4", "#b15928"
};
/* A city's second and third programs: its colour darker, then lighter
 * (a city's first program has the city's colour). */
static const char *const palette_dark[] = {
    "#106149", "#863a01", "#48456e", "#8f1955", "#3f6612",
    "#8e6a01", "#664911", "#3f3f3f", "#134a6f", "#6d3718"
};
static const char *const palette_light[] = {
    "#8dcebb", "#ecaf80", "#bab7d9", "#f394c4", "#b2d28e",
    "#f2d580", "#d2ba8e", "#b2b2b2", "#8fbbd9", "#d8ac93"
};
/* Data centers drawn in their region's hue: shades of the region's colour. */
static const char *const east_shades[] = {
    "#d95f02", "#a63603", "#fd8d3c", "#e6550d", "#8c2d04", "#f16913", "#fdae6b", "#7f2704"
};
static const char *const west_shades[] = {
    "#1f78b4", "#08519c", "#6baed6", "#3182bd", "#08306b", "#4292c6", "#9ecae1", "#2171b5"
};
enum {
    NPAL = sizeof palette / sizeof palette[0], NSHADE = 8, MAX_THIN = 60,
    MAX_LEGEND = 12,    /* more lines than this: one legend entry per region */
    MAX_TOP = 10        /* of more lines than MAX_LEGEND, those labelled */
};

const char *out_chart_name(out_chart c)
{
    return c < OUT_CHART_COUNT ? charts[c].name : "?";
}

int out_chart_parse(const char *s, out_chart *c)
{
    for (int i = 0; i < OUT_CHART_COUNT; i++)
        if (s && !strcmp(s, charts[i].name)) {
            *c = (out_chart)i;
            return 0;
        }
    return -1;
}

int out_gnuplot_find(char *buf, size_t size, sim_err *err)
{
    const char *env = getenv("VOUCHSIM_GNUPLOT");
    if (env && *env) {
        if (access(env, X_OK) != 0)
            return sim_err_set(err, SIM_ENOENT, NULL, 0, 0,
                               "gnuplot not found: VOUCHSIM_GNUPLOT=%s is not executable", env);
        snprintf(buf, size, "%s", env);
        return SIM_OK;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        if (len > 0 && (size_t)snprintf(buf, size, "%.*s/gnuplot", (int)len, path) < size
            && access(buf, X_OK) == 0)
            return SIM_OK;
        path += len;
        if (*path == ':')
            path++;
    }
    return sim_err_set(err, SIM_ENOENT, NULL, 0, 0,
                       "gnuplot not found: install gnuplot-nox (apt-get install gnuplot-nox)");
}

int out_plot_path(const char *base, out_chart c, char *buf, size_t size)
{
    const char *slash = strrchr(base, '/');
    const char *dot = strrchr(base, '.');
    if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : base))
        dot = base + strlen(base);
    int n = snprintf(buf, size, "%.*s_%s%s", (int)(dot - base), base, out_chart_name(c), dot);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- gnuplot script helpers ---- */

/* Writes s as a gnuplot single-quoted string: '' stands for ', nothing
 * else is special inside (no backquote, macro or escape expansion); a
 * control character (a newline would end the command) becomes a space.
 * A string that starts with ' gets a space before it: gnuplot 5.4 takes
 * an opening ''' for an empty string followed by a stray quote. */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    if (*s == '\'')            /* gnuplot reads a string opening '''... as '' then junk */
        fputc(' ', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\'')
            fputc('\'', f);
        fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, f);
    }
    fputc('\'', f);
}

/* The breaks of one paragraph p (n characters, no '\n') into lines of at
 * most width: each line's length into take[] and what it skips into
 * skip[] (the space it breaks at), at most max lines; returns the count.
 * Lines break at the last space (a word longer than a line is cut), or,
 * with semi, after the last "; " (else ": ", else ", ") that leaves the
 * line at least 40% full: a clause stays whole. */
static size_t wrap_breaks(const char *p, size_t n, size_t width, int semi, size_t *take,
                          size_t *skip, size_t max)
{
    size_t k = 0;
    while (n > 0 && k < max) {
        size_t t = n, sk = n;
        if (n > width) {
            size_t brk = 0, sbrk = 0, cbrk = 0, kbrk = 0;
            for (size_t i = 1; i <= width; i++)
                if (p[i] == ' ') {
                    brk = i;
                    if (p[i - 1] == ';')
                        sbrk = i;
                    else if (p[i - 1] == ':')
                        cbrk = i;
                    else if (p[i - 1] == ',')
                        kbrk = i;
                }
            if (semi && sbrk * 5 >= width * 2)
                brk = sbrk;
            else if (semi && cbrk * 5 >= width * 2)
                brk = cbrk;
            else if (semi && kbrk * 5 >= width * 2)
                brk = kbrk;
            t = brk ? brk : width;
            sk = brk ? brk + 1 : width;
        }
        take[k] = t;
        skip[k++] = sk;
        p += sk;
        n -= sk;
    }
    return k;
}

/* Writes text as a gnuplot string expression of lines of at most width
 * characters: 'line one'."\n".'line two'. Lines break at spaces (a word
 * longer than a line is cut), and at '\n' in text; each line is quoted by
 * gp_str, so nothing in text is expanded. A paragraph that needs k lines
 * is broken after a clause (wrap_breaks) where that still takes k lines and
 * leaves no line under half the longest, else into k lines of about
 * equal length: no word left alone on the last line ("(min" / "to max)"). */
static void gp_str_wrapped(FILE *f, const char *text, size_t width)
{
    enum { MAXL = 64 };
    char line[1024];
    size_t take[MAXL], skip[MAXL], t2[MAXL], s2[MAXL];
    const char *p = text;
    int first = 1;
    if (width < 20)
        width = 20;
    if (width >= sizeof line)
        width = sizeof line - 1;
    while (*p || first) {
        size_t n = strcspn(p, "\n");
        size_t k = wrap_breaks(p, n, width, 0, take, skip, MAXL);
        if (k > 1) {
            size_t ks = wrap_breaks(p, n, width, 1, t2, s2, MAXL), lo = SIZE_MAX, hi = 0;
            for (size_t i = 0; i < ks; i++) {
                lo = t2[i] < lo ? t2[i] : lo;
                hi = t2[i] > hi ? t2[i] : hi;
            }
            if (ks == k && lo * 2 >= hi) {
                memcpy(take, t2, k * sizeof *take);
                memcpy(skip, s2, k * sizeof *skip);
            } else {            /* the narrowest width that keeps k lines */
                for (size_t w = (n + k - 1) / k; w < width; w++)
                    if (wrap_breaks(p, n, w, 0, t2, s2, MAXL) == k) {
                        memcpy(take, t2, k * sizeof *take);
                        memcpy(skip, s2, k * sizeof *skip);
                        break;
                    }
            }
        }
        if (k == 0)             /* an empty paragraph: an empty line */
            take[0] = skip[0] = 0, k = 1;
        for (size_t i = 0; i < k; i++) {
            memcpy(line, p, take[i]);
            line[take[i]] = '\0';
            if (!first)
                fputs(".\"\\n\".", f);
            gp_str(f, line);
            first = 0;
            p += skip[i];
        }
        if (*p == '\n')
            p++;
        else if (*p)            /* more than MAXL lines: the rest goes on */
            continue;
        if (!*p)
            break;
    }
}

/* Writes a dotted name (a scenario key, "programs.shanghai-compute.coverage")
 * as a gnuplot string expression of lines of about width characters,
 * broken after its dots: a tic label that stays under its tic. Returns
 * the lines. */
static size_t gp_str_dotted(FILE *f, const char *text, size_t width)
{
    char line[300];
    size_t n = 0, lines = 1;
    int first = 1;
    const char *p = text;
    while (*p) {
        size_t seg = strcspn(p, ".");
        if (p[seg] == '.')
            seg++;
        if (n > 0 && n + seg > width) {
            line[n] = '\0';
            if (!first)
                fputs(".\"\\n\".", f);
            gp_str(f, line);
            first = 0;
            n = 0;
            lines++;
        }
        for (size_t i = 0; i < seg; i++)
            if (n + 1 < sizeof line)
                line[n++] = p[i];
        p += seg;
    }
    line[n] = '\0';
    if (!first)
        fputs(".\"\\n\".", f);
    gp_str(f, line);
    return lines;
}

/* Title width in characters for a canvas w px wide (13-point title). */
static size_t title_chars(int w)
{
    return (size_t)(w - 60) / 10;
}

/* ---- choosing entities ---- */

/* Edit distance of a and b (case-insensitive), capped at 99. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1]
                         + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

/* Does hay contain needle, case-insensitively? */
static int has_part(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return n == 0;
}

/* The name of names[0..n) closest to s, when close enough to be a likely
 * typo or a part of it ("shandong" for "shandong-compute"); else NULL. */
static const char *closest(const char *s, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t bd = 99, ls = strlen(s);
    for (size_t i = 0; i < n; i++) {
        size_t dd = edit_distance(s, names[i]);
        if (ls >= 3 && (has_part(names[i], s) || has_part(s, names[i])))
            dd = dd < 3 ? dd : 3;
        if (dd < bd) {
            bd = dd;
            best = names[i];
        }
    }
    size_t lim = ls / 3 > 2 ? ls / 3 : 2;
    return bd <= (lim > 3 ? lim : 3) && bd <= lim + 1 ? best : NULL;
}

static int in_list(const char *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && !strcmp(s, v[i]))
            return 1;
    return 0;
}

/* "unknown city 'x' (did you mean 'y'?); the file has: a, b, c" */
static int unknown_name(const out_reader *r, sim_err *err, const char *what, const char *s,
                        const char *const *names, size_t n)
{
    char msg[1400];
    int len = snprintf(msg, sizeof msg, "unknown %s '%.100s'", what, s);
    const char *c = closest(s, names, n);
    if (c)
        len += snprintf(msg + len, sizeof msg - (size_t)len, " (did you mean '%.100s'?)", c);
    if (n <= 30) {
        len += snprintf(msg + len, sizeof msg - (size_t)len, "; the file has:");
        for (size_t i = 0; i < n && (size_t)len < sizeof msg - 120; i++)
            len += snprintf(msg + len, sizeof msg - (size_t)len, "%s %.100s", i ? "," : "",
                            names[i]);
    } else
        snprintf(msg + len, sizeof msg - (size_t)len, "; the file has %zu (see `vouchsim summary`)",
                 n);
    return sim_err_set(err, SIM_EINVAL, out_reader_path(r), 0, 0, "%s", msg);
}

static void strv_free(char **v, size_t n)
{
    if (v)
        h5u_strv_free(v, n);
}

/* A coordinate of a group's entities, or NULL (with *n = 0) when the
 * file has none. */
static char **coord(const out_reader *r, const char *group, const char *key, size_t *n)
{
    char **v = NULL;
    if (out_reader_entity_coord(r, group, key, &v, n, NULL) != SIM_OK) {
        *n = 0;
        return NULL;
    }
    return v;
}

enum { G_REGION, G_DATACENTER, G_CITY, G_PROGRAM, G_COUNT };
static const char *const gnames[G_COUNT] = { "region", "datacenter", "city", "program" };
static const char *const gwords[G_COUNT] = { "region", "data center", "city", "program" };
static const char *const gplural[G_COUNT] = { "regions", "data centers", "cities", "programs" };

/* The entities of each group a selection keeps, and the region of each
 * data center (the hue of its line). */
typedef struct selection {
    unsigned char *keep[G_COUNT];   /* NULL: all */
    int            named[G_COUNT];  /* keep comes from names given for the group */
    size_t         n[G_COUNT];
    char         **dc_region;       /* NULL when the file does not say */
    size_t         ndc_region;
    size_t        *prog_city;       /* each program's city, as an index in /entities/city
                                     * (SIZE_MAX: not known); NULL when the file does not say */
    size_t        *prog_rank;       /* its place among its city's programs (its dash) */
    size_t         nprog;
    char           note[600];       /* what the selection could not do */
    char           city_regions[200]; /* --city without --region: the regions of the
                                     * cities, whose data centers and regions are kept
                                     * ("east"); "" when not so */
} selection;

static void sel_fini(selection *s)
{
    for (int g = 0; g < G_COUNT; g++)
        free(s->keep[g]);
    strv_free(s->dc_region, s->ndc_region);
    free(s->prog_city);
    free(s->prog_rank);
    memset(s, 0, sizeof *s);
}

/* The city of each program (by index), so that a program is drawn in its
 * city's colour. Nothing when the file does not record it. */
static int sel_prog_cities(const out_reader *r, selection *s)
{
    size_t npc = 0, ncity = 0, nprog = 0;
    char **pc = coord(r, "program", "city", &npc);
    const char *const *cities = out_reader_entities(r, "city", &ncity);
    out_reader_entities(r, "program", &nprog);
    int rc = SIM_OK;
    if (pc && cities && npc == nprog && nprog > 0) {
        s->prog_city = malloc(nprog * sizeof *s->prog_city);
        s->prog_rank = malloc(nprog * sizeof *s->prog_rank);
        if (!s->prog_city || !s->prog_rank)
            rc = SIM_ENOMEM;
        for (size_t i = 0; rc == SIM_OK && i < nprog; i++) {
            s->prog_city[i] = SIZE_MAX;
            for (size_t k = 0; k < ncity; k++)
                if (!strcmp(pc[i], cities[k]))
                    s->prog_city[i] = k;
            s->prog_rank[i] = 0;
            for (size_t k = 0; k < i; k++)
                s->prog_rank[i] += s->prog_city[k] == s->prog_city[i];
        }
        s->nprog = rc == SIM_OK ? nprog : 0;
    }
    strv_free(pc, npc);
    return rc;
}

static void sel_note(selection *s, const char *text)
{
    size_t len = strlen(s->note);
    snprintf(s->note + len, sizeof s->note - len, "%s%s", len ? "; " : "", text);
}

static int sel_build(const out_reader *r, const out_plot_opts *o, selection *s)
{
    memset(s, 0, sizeof *s);
    size_t n = 0;
    s->dc_region = coord(r, "datacenter", "region", &s->ndc_region);
    if (sel_prog_cities(r, s) != SIM_OK)
        return SIM_ENOMEM;
    if (!o)
        return SIM_OK;
    const char *const *lists[G_COUNT] = { o->regions, o->datacenters, o->cities, o->programs };
    size_t counts[G_COUNT] = { o->nregions, o->ndatacenters, o->ncities, o->nprograms };
    size_t ncr = 0, npc = 0;
    char **city_region = coord(r, "city", "region", &ncr);
    char **prog_city = coord(r, "program", "city", &npc);
    const char *const *cities = out_reader_entities(r, "city", &n);
    int rc = SIM_OK;
    /* --city alone: the regions of the cities named, whose data centers
     * (and regions) serve them */
    const char **creg = NULL;
    size_t ncreg = 0;
    if (o->ncities && !o->nregions && city_region && ncr == n
        && (creg = calloc(o->ncities, sizeof *creg)))
        for (size_t i = 0; i < n; i++)
            if (in_list(cities[i], o->cities, o->ncities)
                && !in_list(city_region[i], creg, ncreg)) {
                creg[ncreg++] = city_region[i];
                size_t len = strlen(s->city_regions);
                snprintf(s->city_regions + len, sizeof s->city_regions - len, "%s%.60s",
                         len ? ", " : "", city_region[i]);
            }
    for (int g = 0; g < G_COUNT; g++) {
        size_t ne = 0;
        const char *const *ent = out_reader_entities(r, gnames[g], &ne);
        s->n[g] = ne;
        int explicit_ = counts[g] > 0;
        int by_region = !explicit_ && o->nregions > 0 && g != G_REGION;
        int by_city = !explicit_ && g == G_PROGRAM && o->ncities > 0;
        int by_creg = !explicit_ && !by_region && ncreg > 0
                      && (g == G_REGION || (g == G_DATACENTER && s->dc_region));
        if (!explicit_ && !by_region && !by_city && !by_creg)
            continue;
        if (!ne)
            continue;
        if (!(s->keep[g] = calloc(ne, 1))) {
            rc = SIM_ENOMEM;
            break;
        }
        s->named[g] = explicit_;
        for (size_t i = 0; i < ne; i++) {
            if (explicit_)
                s->keep[g][i] = in_list(ent[i], lists[g], counts[g]);
            else if (by_creg)
                s->keep[g][i] = in_list(g == G_REGION ? ent[i] : s->dc_region[i], creg, ncreg);
            else if (by_city)
                s->keep[g][i] = prog_city && in_list(prog_city[i], o->cities, o->ncities);
            else if (g == G_DATACENTER)
                s->keep[g][i] = s->dc_region && in_list(s->dc_region[i], o->regions, o->nregions);
            else if (g == G_CITY)
                s->keep[g][i] = city_region && in_list(city_region[i], o->regions, o->nregions);
            else {              /* a program by the region of its city */
                const char *pc = prog_city ? prog_city[i] : NULL;
                size_t k = 0;
                while (pc && k < n && strcmp(cities[k], pc))
                    k++;
                s->keep[g][i] = pc && city_region && k < n && k < ncr
                                && in_list(city_region[k], o->regions, o->nregions);
            }
        }
        /* what the file cannot tell: draw all, and say so */
        int unknown = (by_city && !prog_city)
                      || (by_region && g == G_DATACENTER && !s->dc_region)
                      || (by_region && g == G_CITY && !city_region)
                      || (by_region && g == G_PROGRAM && (!prog_city || !city_region));
        if (unknown) {
            free(s->keep[g]);
            s->keep[g] = NULL;
            char t[200];
            snprintf(t, sizeof t, "%s unknown for each %s (the file does not record it): "
                     "all %s drawn, not grouped", by_city ? "city" : "region", gwords[g],
                     gplural[g]);
            sel_note(s, t);
        }
    }
    if (!ncreg)
        s->city_regions[0] = '\0';
    free(creg);
    strv_free(city_region, ncr);
    strv_free(prog_city, npc);
    return rc;
}

/* The scalar the response and Sobol charts draw. */
static const char *default_outcome(const out_reader *r)
{
    size_t n = out_reader_scalar_cols(r);
    for (size_t j = 0; j < n; j++)
        if (!strcmp(out_reader_scalar_name(r, j), "firms_additional"))
            return "firms_additional";
    return n ? out_reader_scalar_name(r, 0) : NULL;
}

/* The varied keys of a sweep: the columns of /sweep/params after run,
 * point and replication. */
static int is_key_col(const out_table *t, size_t j)
{
    return !t->text[j] && strcmp(t->names[j], "run") && strcmp(t->names[j], "point")
           && strcmp(t->names[j], "replication");
}

/* What the selection o leaves out of r's charts, into note (note_size
 * bytes; nothing when note is NULL). */
static int selection_note(const out_reader *r, const out_plot_opts *o, char *note, size_t note_size,
                    sim_err *err)
{
    selection s;
    if (sel_build(r, o, &s) != SIM_OK)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (note && note_size)
        snprintf(note, note_size, "%s", s.note);
    sel_fini(&s);
    return SIM_OK;
}

/* A categorical key of /sweep/params (a text column): the one called key,
 * or with key NULL the first; NULL when there is none. */
static const char *categorical_col(const out_table *t, const char *key)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (t->text[j] && (!key || !strcmp(key, t->names[j])))
            return t->names[j];
    return NULL;
}

static int categorical_refusal(const out_reader *r, sim_err *err, const char *key)
{
    return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                       "response: the varied key '%s' is categorical (names or booleans); the "
                       "chart draws numeric keys only: `vouchsim sweep` prints the outcome per "
                       "value, and `vouchsim export --csv DIR` writes it as a table", key);
}

int out_plot_check(const out_reader *r, const out_plot_opts *o, char *note, size_t note_size,
                   sim_err *err)
{
    if (note && note_size)
        *note = '\0';
    if (!o)
        return SIM_OK;
    const char *const *lists[G_COUNT] = { o->regions, o->datacenters, o->cities, o->programs };
    size_t counts[G_COUNT] = { o->nregions, o->ndatacenters, o->ncities, o->nprograms };
    for (int g = 0; g < G_COUNT; g++) {
        if (!counts[g])
            continue;
        size_t ne = 0;
        const char *const *ent = out_reader_entities(r, gnames[g], &ne);
        if (!ent || !ne)
            return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                               "--%s: the file has no %s entities", g == G_DATACENTER
                               ? "datacenter" : gnames[g], gwords[g]);
        for (size_t i = 0; i < counts[g]; i++)
            if (!in_list(lists[g][i], ent, ne))
                return unknown_name(r, err, gwords[g], lists[g][i], ent, ne);
    }
    if (o->outcome) {
        size_t n = out_reader_scalar_cols(r);
        const char **names = calloc(n + 1, sizeof *names);
        if (!names)
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t j = 0; j < n; j++)
            names[j] = out_reader_scalar_name(r, j);
        int rc = in_list(o->outcome, names, n) ? SIM_OK
                 : unknown_name(r, err, "outcome (a scalar of /scalars)", o->outcome, names, n);
        free(names);
        if (rc)
            return rc;
    }
    if (o->key) {
        out_table *t = NULL;
        int rc = out_reader_table_read(r, "/sweep/params", &t, err);
        if (rc == SIM_ENOENT)
            return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                               "--key: not a sweep file (no /sweep/params)");
        if (rc)
            return rc;
        const char **keys = calloc(t->ncols + 1, sizeof *keys);
        size_t nk = 0;
        for (size_t j = 0; keys && j < t->ncols; j++)
            if (is_key_col(t, j))
                keys[nk++] = t->names[j];
        rc = !keys ? sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory")
             : in_list(o->key, keys, nk) ? SIM_OK
             : categorical_col(t, o->key) ? categorical_refusal(r, err, o->key)
             : unknown_name(r, err, "varied key", o->key, keys, nk);
        free(keys);
        out_table_free(t);
        if (rc)
            return rc;
    }
    if (o->point) {
        long long np = out_reader_sweep_points(r);
        if (np <= 0)
            return sim_err_set(err, SIM_EINVAL, out_reader_path(r), 0, 0,
                               "--point: not a sweep file (no sweep_points)");
        if ((unsigned long long)*o->point >= (unsigned long long)np)
            return sim_err_set(err, SIM_EINVAL, out_reader_path(r), 0, 0,
                               "--point %zu: the sweep has points 0 to %lld", *o->point, np - 1);
    }
    return selection_note(r, o, note, note_size, err);
}

typedef struct plot_ctx {
    const out_reader *r;
    char              dir[4200];    /* private directory in the destination's */
    int               nfiles;
    int               bands;        /* several runs: draw bands */
    size_t            nruns;
    int               band_range;   /* the last band read: the runs' range (min to max) */
    size_t            band_runs;    /* the runs behind it */
    FILE             *gp;           /* the script */
    const char       *out_path;     /* the chart's final path, for messages */
    sim_err          *err;
    const out_plot_opts *o;
    int               width;        /* canvas, px */
    int               dir_made;     /* dir exists: script_end removes it */
    int               runout_more;  /* the difference chart left out programs' run-outs */
    int               headline;     /* its rows are the headline totals (no --outcome) */
    size_t           *pruns;        /* --point: the runs of that point; NULL: all */
    size_t            npruns;
} plot_ctx;

static int ctx_fail(plot_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int ctx_fail(plot_ctx *c, int code, const char *fmt, ...)
{
    char what[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sim_err_set(c->err, code, c->r ? out_reader_path(c->r) : c->out_path, 0, 0, "%s",
                       what);
}

typedef struct scaled {
    double      factor;
    const char *unit;       /* as shown on the axis */
} scaled;

static scaled scale_for(const char *unit, int percent)
{
    scaled s = { 1.0, unit };
    if (percent && (!strcmp(unit, "1") || !strcmp(unit, "") || !strcmp(unit, "fraction")))
        s = (scaled){ 100.0, "%" };
    else if (percent)
        s.unit = "%";
    else if (!strcmp(unit, "CNY") || !strcmp(unit, "yuan"))
        s = (scaled){ 1e-6, "M CNY" };
    else if (!strcmp(unit, "1"))
        s.unit = "";
    return s;
}

/* The series of a panel, or NULL when the file does not have it. */
static const out_series_info *panel_series(const out_reader *r, const panel_def *p)
{
    return out_reader_series_find(r, p->group, p->name);
}

/* Fewer runs than this: a band is the runs' range (min to max), not the
 * 5th to 95th percentile, which so few runs cannot estimate (with type 7
 * quantiles it is the range shrunk by a tenth of the outer gaps). */
enum { MIN_RUNS_PCT = OUT_PLOT_RANGE_RUNS };

/* The legend entry of a band: "range of 3 runs (min to max)" or
 * "5th-95th percentile of 40 runs". */
static void band_label(int range, long long runs, char *buf, size_t size)
{
    if (range)
        snprintf(buf, size, "range of %lld runs (min to max)", runs);
    else
        snprintf(buf, size, "5th-95th percentile of %lld runs", runs);
}

/* The minimum and maximum over the runs of r of series s at each cell
 * (NaN skipped; NaN where no run has a value), into lo and hi (rows x
 * cols, malloc'd). *nruns gets the runs read. */
static int runs_range(plot_ctx *c, const out_series_info *s, size_t rows, size_t cols,
                      double **lo, double **hi, size_t *nruns)
{
    size_t n = out_reader_run_count(c->r), cells = rows * cols;
    *lo = malloc((cells + 1) * sizeof **lo);
    *hi = malloc((cells + 1) * sizeof **hi);
    *nruns = 0;
    if (!*lo || !*hi)
        return sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < cells; i++)
        (*lo)[i] = (*hi)[i] = NAN;
    for (size_t run = 0; run < n; run++) {
        double *v = NULL;
        size_t rr = 0, cc = 0;
        int rc = out_reader_series_read(c->r, run, s->group, s->name, &v, &rr, &cc, c->err);
        if (rc == SIM_ENOENT)
            continue;           /* a run without this series */
        if (rc)
            return rc;
        for (size_t i = 0; i < rows && i < rr; i++)
            for (size_t j = 0; j < cols && cc == cols; j++) {
                double x = v[i * cc + j];
                double *l = &(*lo)[i * cols + j], *h = &(*hi)[i * cols + j];
                if (!isfinite(x))
                    continue;
                if (!(x >= *l))
                    *l = x;
                if (!(x <= *h))
                    *h = x;
            }
        free(v);
        (*nruns)++;
    }
    return SIM_OK;
}

/* --point: the mean and band of series s over the runs c->pruns (one
 * point of a sweep), read run by run: the band is their range with fewer
 * than MIN_RUNS_PCT, else their 5th to 95th percentile (type 7, as
 * /series_stats). NaN skipped; NaN where no run has a value. */
static int point_stats(plot_ctx *c, const out_series_info *s, double *m[3], size_t *rows,
                       size_t *cols)
{
    size_t n = c->npruns, rr = 0, cc = 0, got = 0;
    double *all = NULL, *tmp = malloc((n + 1) * sizeof *tmp);
    int rc = SIM_OK, range = n < MIN_RUNS_PCT;
    for (size_t i = 0; i < n && rc == SIM_OK; i++) {
        double *v = NULL;
        size_t r1 = 0, c1 = 0;
        rc = out_reader_series_read(c->r, c->pruns[i], s->group, s->name, &v, &r1, &c1, c->err);
        if (rc == SIM_ENOENT) {     /* a run without this series */
            rc = SIM_OK;
            continue;
        }
        if (rc == SIM_OK && !all) {
            rr = r1, cc = c1;
            if (!(all = malloc((rr * cc * n + 1) * sizeof *all)))
                rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            for (size_t k = 0; all && k < rr * cc * n; k++)
                all[k] = NAN;
        }
        if (rc == SIM_OK && r1 == rr && c1 == cc) {
            memcpy(all + got * rr * cc, v, rr * cc * sizeof *v);
            got++;
        }
        free(v);
    }
    if (rc == SIM_OK && (!tmp || !all))
        rc = !tmp ? sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory")
             : sim_err_set(c->err, SIM_ENOENT, out_reader_path(c->r), 0, 0,
                           "no run of the point has series %s/%s", s->group, s->name);
    for (int k = 0; k < 3 && rc == SIM_OK; k++)
        if (!(m[k] = malloc((rr * cc + 1) * sizeof **m)))
            rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t e = 0; rc == SIM_OK && e < rr * cc; e++) {
        size_t k = 0;
        double sum = 0;
        for (size_t i = 0; i < got; i++)
            if (isfinite(all[i * rr * cc + e]))
                sum += (tmp[k++] = all[i * rr * cc + e]);
        m[0][e] = k ? sum / (double)k : NAN;
        if (!k)
            m[1][e] = m[2][e] = NAN;
        else if (range) {
            m[1][e] = m[2][e] = tmp[0];
            for (size_t i = 1; i < k; i++) {
                m[1][e] = fmin(m[1][e], tmp[i]);
                m[2][e] = fmax(m[2][e], tmp[i]);
            }
        } else {
            m[1][e] = sim_quantile_select(tmp, k, 0.05);
            m[2][e] = sim_quantile_select(tmp, k, 0.95);
        }
    }
    free(all);
    free(tmp);
    *rows = rr;
    *cols = cc;
    c->bands = got > 1;
    c->band_range = range;
    c->band_runs = got;
    if (!c->bands)
        for (int k = 1; k < 3; k++) {
            free(m[k]);
            m[k] = NULL;
        }
    return rc;
}

/* Reads the mean (or run 0) and, with bands, the band of a series: the
 * runs' range with fewer than MIN_RUNS_PCT runs, else p05/p95. */
static int load_stats(plot_ctx *c, const out_series_info *s, double *m[3], size_t *rows,
                      size_t *cols)
{
    m[0] = m[1] = m[2] = NULL;
    int rc;
    c->band_range = 0;
    c->band_runs = 0;
    if (c->pruns)
        return point_stats(c, s, m, rows, cols);
    if (out_reader_has_stats(c->r, s->group, s->name)) {
        size_t nr = out_reader_run_count(c->r);
        int range = c->bands && nr >= 2 && nr < MIN_RUNS_PCT;
        for (int k = 0; k < 3; k++)
            if ((k == 0 || (c->bands && !range))
                && (rc = out_reader_stats_read(c->r, s->group, s->name, (out_stat)k, &m[k], rows,
                                               cols, c->err)))
                return rc;
        if (range) {
            if ((rc = runs_range(c, s, *rows, *cols, &m[1], &m[2], &c->band_runs)))
                return rc;
            c->band_range = 1;
        } else if (c->bands) {
            long long sr = out_reader_stats_runs(c->r, s->group, s->name);
            c->band_runs = sr > 0 ? (size_t)sr : nr;
        }
        return SIM_OK;
    }
    c->bands = 0;
    return out_reader_series_read(c->r, 0, s->group, s->name, &m[0], rows, cols, c->err);
}

/* Writes data file d<N>.dat: date, then mean, p05, p95 of each entity
 * that keep selects (NULL: all), scaled; idx gets the entities' columns
 * in the group (malloc'd) and *nidx their count. Returns the file
 * number, or a negative SIM_E* code. Tracks the max and min. */
static int write_data(plot_ctx *c, const out_series_info *s, double factor,
                      const unsigned char *keep, double *vmax, double *vmin, size_t **idx,
                      size_t *nidx)
{
    double *m[3];
    size_t rows, cols;
    *idx = NULL;
    *nidx = 0;
    int rc = load_stats(c, s, m, &rows, &cols);
    if (rc)
        goto out;
    size_t nt = out_reader_time_count(c->r);
    if (rows > nt)
        rows = nt;
    if (!(*idx = malloc((cols + 1) * sizeof **idx))) {
        rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < cols; j++)
        if (!keep || keep[j])
            (*idx)[(*nidx)++] = j;
    char path[4300];
    snprintf(path, sizeof path, "%s/d%d.dat", c->dir, c->nfiles);
    FILE *f = fopen(path, "w");
    if (!f) {
        rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                         strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < rows; i++) {
        fputs(out_reader_time_date(c->r, i), f);
        for (size_t jj = 0; jj < *nidx; jj++)
            for (int k = 0; k < 3; k++) {
                double v = m[k] ? m[k][i * cols + (*idx)[jj]] * factor : NAN;
                if (isfinite(v)) {
                    fprintf(f, " %.10g", v);
                    if (v > *vmax)
                        *vmax = v;
                    if (v < *vmin)
                        *vmin = v;
                } else
                    fputs(" NaN", f);
            }
        fputc('\n', f);
    }
    int e = ferror(f) ? errno : 0;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e) {
        rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                         strerror(e));
        goto out;
    }
    rc = c->nfiles++;
out:
    if (rc < 0) {
        free(*idx);
        *idx = NULL;
        *nidx = 0;
    }
    for (int k = 0; k < 3; k++)
        free(m[k]);
    return rc;
}

/* The colour of entity j of group: east and west fixed; a data center in
 * its region's hue when the file records regions; a program in its city's
 * colour (a city's second program darker, its third lighter) when the file
 * records each program's city; else the palette by the entity's place in
 * /entities/<group>, so an entity keeps its colour in every chart of a
 * file, whatever is selected. */
static const char *entity_colour(const selection *s, const char *group, const char *name,
                                 size_t j)
{
    if (!strcmp(name, "east"))
        return "#d95f02";
    if (!strcmp(name, "west"))
        return "#1f78b4";
    if (!strcmp(group, "datacenter") && s->dc_region && j < s->ndc_region) {
        size_t rank = 0;
        for (size_t k = 0; k < j; k++)
            rank += !strcmp(s->dc_region[k], s->dc_region[j]);
        if (!strcmp(s->dc_region[j], "east"))
            return east_shades[rank % NSHADE];
        if (!strcmp(s->dc_region[j], "west"))
            return west_shades[rank % NSHADE];
    }
    if (!strcmp(group, "program") && j < s->nprog && s->prog_city[j] != SIZE_MAX) {
        size_t k = s->prog_city[j] % NPAL;      /* its city's colour */
        size_t rk = s->prog_rank[j] % 3;
        return rk == 0 ? palette[k] : rk == 1 ? palette_dark[k] : palette_light[k];
    }
    return palette[j % NPAL];
}

/* The dash of a program drawn in its city's colour: the city's first
 * program solid, the others dashed, so that two of one city differ. */
static size_t program_dash(const selection *s, const char *group, size_t j)
{
    if (!strcmp(group, "program") && j < s->nprog && s->prog_city[j] != SIZE_MAX)
        return 1 + s->prog_rank[j] % 5;
    return 0;
}

/* Colour and dash of entity j named name: east and west get fixed ones. */
static void entity_style(FILE *f, const selection *s, const char *group, const char *name,
                         size_t j, double lw)
{
    const char *col = entity_colour(s, group, name, j);
    if (!strcmp(name, "west"))
        fprintf(f, "lc rgb '%s' dt (12,5) lw %.1f", col, lw);
    else if (!strcmp(name, "east") || (!strcmp(group, "datacenter") && s->dc_region))
        fprintf(f, "lc rgb '%s' dt %zu lw %.1f", col, 1 + (j / NSHADE) % 3, lw);
    else if (program_dash(s, group, j))
        fprintf(f, "lc rgb '%s' dt %zu lw %.1f", col, program_dash(s, group, j), lw);
    else
        fprintf(f, "lc rgb '%s' dt %zu lw %.1f", col, 1 + (j / NPAL) % 5, lw);
}

/* The y tics' format: whole numbers from 10 up (no "1e+04"), below that
 * the digits each tic needs ("0.5", "1", "1.5"; fixed decimals drew "8.0",
 * "7.0" at a step of 1). */
static const char *y_format(double vmax, double vmin)
{
    double a = fmax(fabs(vmax), fabs(vmin));
    return a >= 10 ? "%.0f" : "%g";
}

static const char *sep(int *first)
{
    const char *r = *first ? "" : ", \\\n     ";
    *first = 0;
    return r;
}

/* Marks in *top the MAX_TOP columns of data file d<fileno_>.dat (nidx
 * entities, mean in column 2 + 3j) with the largest last value. */
static int pick_top(plot_ctx *c, int fileno_, size_t nidx, unsigned char **top)
{
    char path[4300], line[1 << 16];
    snprintf(path, sizeof path, "%s/d%d.dat", c->dir, fileno_);
    double *last = malloc(nidx * sizeof *last);
    *top = calloc(nidx, 1);
    FILE *f = fopen(path, "r");
    if (!last || !*top || !f) {
        free(last);
        free(*top);
        *top = NULL;
        if (f)
            fclose(f);
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot read %s", path);
    }
    for (size_t j = 0; j < nidx; j++)
        last[j] = -INFINITY;
    /* lines are short enough for line (a date and 3 numbers of at most
     * 17 characters per entity, nidx <= the entities of a series) only
     * up to about 1000 entities: longer lines are skipped, all stay grey */
    while (fgets(line, sizeof line, f)) {
        if (!strchr(line, '\n'))
            break;
        char *p = strchr(line, ' ');
        for (size_t k = 0; p && k < 3 * nidx; k++) {
            char *end;
            double v = strtod(p, &end);
            if (end == p)
                break;
            if (k % 3 == 0 && isfinite(v))
                last[k / 3] = v;
            p = end;
        }
    }
    fclose(f);
    for (size_t n = 0; n < MAX_TOP && n < nidx; n++) {
        size_t best = nidx;
        for (size_t j = 0; j < nidx; j++)
            if (!(*top)[j] && (best == nidx || last[j] > last[best]))
                best = j;
        if (best < nidx)
            (*top)[best] = 1;
    }
    free(last);
    return SIM_OK;
}

/* A panel's title (when titled), its y label with the unit and, for a
 * share, its 0-100 range. zero: every value drawn is 0 (vmin = vmax = 0):
 * the panel says so, or its flat line on an axis of 0 to 1 reads as a
 * chart that failed (the wait chart of a comparison in which no firm job
 * waits, in either arm). */
static void panel_head(FILE *gp, const panel_def *p, const char *unit, int titled, int zero)
{
    fputs("unset label 99\n", gp);
    if (zero)
        fputs("set label 99 'every value drawn is 0' at graph 0.5, graph 0.55 center "
              "font ',11' tc rgb '#555555'\n", gp);
    if (titled) {
        fputs("set title ", gp);
        gp_str(gp, p->label);
        fputs(" font ',11'\n", gp);
    }
    char ylabel[200];
    if (*unit && strcmp(unit, "firms") != 0)
        snprintf(ylabel, sizeof ylabel, "%s (%s)", p->ylabel, unit);
    else
        snprintf(ylabel, sizeof ylabel, "%s", p->ylabel);
    fputs("set ylabel ", gp);
    gp_str(gp, ylabel);
    fputc('\n', gp);
    if (p->percent)
        fputs("set yrange [0:100]\nset format y '%.0f'\n", gp);
}

/* One panel: plot commands for series s (and, under the regions'
 * utilization, a line per data center). */
static int draw_panel(plot_ctx *c, const selection *sel, const chart_def *cd, const panel_def *p,
                      const out_series_info *s, int single)
{
    FILE *gp = c->gp;
    scaled sc = scale_for(s->unit, p->percent);
    double vmax = -INFINITY, vmin = INFINITY;
    size_t *idx = NULL, *tidx = NULL, nidx = 0, ntidx = 0, nothers = 0;
    unsigned char *top = NULL;
    int gi = G_COUNT;
    for (int g = 0; g < G_COUNT; g++)
        if (!strcmp(s->group, gnames[g]))
            gi = g;
    const unsigned char *keep = gi < G_COUNT ? sel->keep[gi] : NULL;
    int fileno_ = write_data(c, s, sc.factor, keep, &vmax, &vmin, &idx, &nidx);
    if (fileno_ < 0)
        return fileno_;
    int band_range = c->band_range;
    size_t band_runs = c->band_runs;
    const char *band_colour = NULL;     /* of the first band drawn */
    int band_colours = 0;               /* 1: the bands have several colours */
    /* a line per data center under the utilization of regions */
    const out_series_info *thin = NULL;
    int tfile = -1, rc = SIM_OK;
    if (cd == &charts[OUT_CHART_UTILIZATION]) {
        thin = out_reader_series_find(c->r, "datacenter", "utilization");
        if (thin && (thin->cols <= MAX_THIN || sel->keep[G_DATACENTER])) {
            int keepb = c->bands;
            tfile = write_data(c, thin, scale_for(thin->unit, 1).factor, sel->keep[G_DATACENTER],
                               &vmax, &vmin, &tidx, &ntidx);
            c->bands = keepb;
            if (tfile < 0) {
                rc = tfile;
                goto out;
            }
        }
    }
    size_t undrawn = thin && tfile < 0 ? thin->cols : 0;
    size_t nent = 0, ntent = 0;
    const char *const *ent = out_reader_entities(c->r, s->group, &nent);
    const char *const *tent = thin ? out_reader_entities(c->r, thin->group, &ntent) : NULL;
    panel_head(gp, p, sc.unit, !single, vmax == 0 && vmin == 0);
    if (!p->percent) {
        fprintf(gp, "set yrange [%s:*]\n", vmin >= 0 || !isfinite(vmin) ? "0" : "*");
        fprintf(gp, "set format y '%s'\n", y_format(vmax, vmin));
    }
    fputs("plot ", gp);
    int first = 1;
    /* Many lines and none chosen by name: the MAX_TOP largest at the end
     * drawn and labelled, the others thin and grey under one entry. */
    if (nidx > MAX_LEGEND && !(gi < G_COUNT && sel->named[gi])
        && (rc = pick_top(c, fileno_, nidx, &top)) != SIM_OK)
        goto out;
    /* data centers chosen by name are drawn over the regions' means;
     * the others under them */
    int over = sel->named[G_DATACENTER];
    for (int pass = 0; pass < 3; pass++) {
        if (pass == (over ? 2 : 0)) {
            if (tfile >= 0 && ntidx > 0) {
                /* few, or chosen by name: a legend entry each; many: one per region */
                int each = ntidx <= MAX_LEGEND || (over && ntidx <= 2 * MAX_LEGEND);
                int titled_e = 0, titled_w = 0, titled_o = 0;
                size_t ne_ = 0, nw_ = 0;
                for (size_t jj = 0; jj < ntidx && sel->dc_region; jj++) {
                    ne_ += !strcmp(sel->dc_region[tidx[jj]], "east");
                    nw_ += !strcmp(sel->dc_region[tidx[jj]], "west");
                }
                for (size_t jj = 0; jj < ntidx; jj++) {
                    size_t j = tidx[jj];
                    const char *name = j < ntent ? tent[j] : "?";
                    fprintf(gp, "%s'd%d.dat' using 1:%zu with lines ", sep(&first), tfile, 2 + 3 * jj);
                    if (each && over && ntidx <= NSHADE) {
                        /* a few centers chosen by name: solid and above the
                         * dashed region means, so none hides under one */
                        fprintf(gp, "lc rgb '%s' dt 1 lw 2.4",
                                entity_colour(sel, "datacenter", name, j));
                        fputs(" title ", gp);
                        gp_str(gp, name);
                        continue;
                    }
                    if (each) {
                        entity_style(gp, sel, "datacenter", name, j, over ? 1.6 : 1.2);
                        fputs(" title ", gp);
                        gp_str(gp, name);
                        continue;
                    }
                    const char *reg = sel->dc_region && j < sel->ndc_region ? sel->dc_region[j] : NULL;
                    char t[80];
                    if (reg && !strcmp(reg, "east")) {
                        fputs("lc rgb '#f4a582' lw 0.9 ", gp);
                        snprintf(t, sizeof t, "%zu eastern data centers", ne_);
                        fputs(titled_e++ ? "notitle" : "title ", gp);
                        if (titled_e == 1)
                            gp_str(gp, t);
                    } else if (reg && !strcmp(reg, "west")) {
                        fputs("lc rgb '#92c5de' lw 0.9 ", gp);
                        snprintf(t, sizeof t, "%zu western data centers", nw_);
                        fputs(titled_w++ ? "notitle" : "title ", gp);
                        if (titled_w == 1)
                            gp_str(gp, t);
                    } else {
                        fputs("lc rgb '#b0b0b0' lw 0.8 ", gp);
                        snprintf(t, sizeof t, "each data center (%zu%s)", ntidx - ne_ - nw_,
                                 sel->dc_region ? "" : ", region unknown");
                        fputs(titled_o++ ? "notitle" : "title ", gp);
                        if (titled_o == 1)
                            gp_str(gp, t);
                    }
                }
            }
        }
        if (pass == 1) {
            /* the grey ones first, under the labelled ones */
            for (size_t kk = 0; kk < 2 * nidx; kk++) {
                size_t jj = kk % nidx;
                if ((kk < nidx) != (top && !top[jj]))
                    continue;
                size_t j = idx[jj];
                const char *name = j < nent ? ent[j] : "?";
                if (top && !top[jj]) {      /* one of the many: thin, grey, one entry */
                    fprintf(gp, "%s'd%d.dat' using 1:%zu with lines lc rgb '#c0c0c0' lw 0.8 ",
                            sep(&first), fileno_, 2 + 3 * jj);
                    if (nothers++ == 0) {
                        char t[200];
                        snprintf(t, sizeof t, "%zu other %s (choose with --%s)", nidx - MAX_TOP,
                                 gi < G_COUNT ? gplural[gi] : s->group,
                                 gi < G_COUNT ? gnames[gi] : s->group);
                        fputs("title ", gp);
                        gp_str(gp, t);
                    } else
                        fputs("notitle", gp);
                    continue;
                }
                if (c->bands) {
                    const char *bc = entity_colour(sel, s->group, name, j);
                    fprintf(gp, "%s'd%d.dat' using 1:%zu:%zu with filledcurves fc rgb '%s' notitle",
                            sep(&first), fileno_, 3 + 3 * jj, 4 + 3 * jj, bc);
                    if (!band_colour)
                        band_colour = bc;
                    else if (strcmp(band_colour, bc))
                        band_colours = 1;
                }
                fprintf(gp, "%s'd%d.dat' using 1:%zu with lines ", sep(&first), fileno_, 2 + 3 * jj);
                entity_style(gp, sel, s->group, name, j, 2.0);
                fputs(" title ", gp);
                gp_str(gp, name);
            }
        }
    }
    if (c->bands && band_colour) {
        /* the swatch in the bands' colour; when they have several, in the
         * first one's, and a line under it says the others' */
        char bl[100];
        band_label(band_range, band_runs ? (long long)band_runs : (long long)c->nruns, bl,
                   sizeof bl);
        fprintf(gp, "%skeyentry with filledcurves fc rgb '%s' title ", sep(&first), band_colour);
        gp_str(gp, bl);
        if (band_colours)
            fprintf(gp, "%skeyentry with lines lc rgb '#ffffff' title '(each band in its "
                        "line''s colour)'", sep(&first));
    }
    if (undrawn)
        fprintf(gp, "%skeyentry with lines lc rgb '#ffffff' title '(%zu centers: pick some "
                    "with --datacenter)'", sep(&first), undrawn);
    if (first)                  /* nothing selected in this panel */
        fputs("NaN notitle", gp);
    fputc('\n', gp);
out:
    free(top);
    free(idx);
    free(tidx);
    return rc;
}

static int chart_format(const char *out_path, const char **term)
{
    const char *dot = strrchr(out_path, '.');
    const char *slash = strrchr(out_path, '/');
    if (!dot || (slash && dot < slash))
        return -1;
    if (!strcasecmp(dot, ".png"))
        *term = "png";
    else if (!strcasecmp(dot, ".svg"))
        *term = "svg";
    else if (!strcasecmp(dot, ".pdf"))
        *term = "pdf";
    else
        return -1;
    return 0;
}

/* What every chart needs before its script: the terminal for out_path's
 * extension and the gnuplot to run. SIM_OK, or the error set in err. */
static int chart_ready(const char *out_path, const char **term, char *gnuplot, size_t size,
                       sim_err *err)
{
    if (chart_format(out_path, term) != 0)
        return sim_err_set(err, SIM_EINVAL, out_path, 0, 0,
                           "unknown chart format: use .png, .svg or .pdf");
    return out_gnuplot_find(gnuplot, size, err);
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[4600];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Writes n bytes to fd; 0, or -1 with errno. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Set by out_plot_interrupt (from a signal handler): the one piece of
 * process state here. run_gnuplot looks at it while gnuplot runs,
 * script_begin and script_end before they make or rename anything. */
static volatile sig_atomic_t plot_stop;

void out_plot_interrupt(void)
{
    plot_stop = 1;
}

/* In the child, before exec: every descriptor above 2 closed, so that
 * gnuplot holds neither the input file nor anything else of vouchsim's
 * (async-signal-safe: close, one by one up to maxfd). */
static void close_from_3(long maxfd)
{
    for (long fd = 3; fd < maxfd; fd++)
        close((int)fd);
}

/* Runs gnuplot in the private directory on plot.gp; its standard output
 * (the chart) is copied to out_fd, its messages go to gnuplot.log. On
 * out_plot_interrupt gnuplot is killed (SIGKILL: it may block SIGINT)
 * and waited for. */
static int run_gnuplot(plot_ctx *c, const char *gnuplot, int out_fd, const char *out_name)
{
    if (plot_stop)
        return ctx_fail(c, SIM_EIO, "interrupted");
    long maxfd = sysconf(_SC_OPEN_MAX);
    if (maxfd < 0 || maxfd > 65536)
        maxfd = 65536;
    int pfd[2];
    if (pipe(pfd) != 0)
        return ctx_fail(c, SIM_EIO, "cannot run gnuplot: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        return ctx_fail(c, SIM_ELIB, "cannot run %s: %s", gnuplot, strerror(e));
    }
    if (pid == 0) {             /* only async-signal-safe calls from here */
        /* gnuplot's own signals: the default actions, none blocked (the
         * caller's handlers and mask are not gnuplot's) */
        static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
        for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++)
            signal(sigs[k], SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (chdir(c->dir) != 0)
            _exit(126);
        int in = open("/dev/null", O_RDONLY);
        int log = open("gnuplot.log", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || log < 0 || dup2(in, 0) < 0 || dup2(pfd[1], 1) < 0 || dup2(log, 2) < 0)
            _exit(126);
        close_from_3(maxfd);
        char *argv[] = { (char *)gnuplot, (char *)"-d", (char *)"plot.gp", NULL };
        execv(gnuplot, argv);
        _exit(127);
    }
    close(pfd[1]);
    char buf[65536];
    int werr = 0, stopped = 0;
    for (;;) {
        if (plot_stop) {
            kill(pid, SIGKILL);
            stopped = 1;
            break;
        }
        struct pollfd pf = { pfd[0], POLLIN, 0 };
        int pr = poll(&pf, 1, 100);     /* a signal's flag is seen within 0.1 s */
        if (pr == 0 || (pr < 0 && errno == EINTR))
            continue;
        ssize_t n = read(pfd[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (write_all(out_fd, buf, (size_t)n) != 0) {
            werr = errno;
            kill(pid, SIGTERM);
            break;
        }
    }
    close(pfd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return ctx_fail(c, SIM_ELIB, "waiting for gnuplot: %s", strerror(errno));
    if (stopped || plot_stop)
        return ctx_fail(c, SIM_EIO, "interrupted");
    if (werr)
        return sim_err_set(c->err, SIM_EIO, out_name, 0, 0, "cannot write the chart: %s",
                           strerror(werr));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return SIM_OK;
    char msg[400] = "", log[4300];
    snprintf(log, sizeof log, "%s/gnuplot.log", c->dir);
    FILE *f = fopen(log, "r");
    if (f) {
        size_t n = fread(msg, 1, sizeof msg - 1, f);
        msg[n] = '\0';
        fclose(f);
        for (char *q = msg; *q; q++)
            if (*q == '\n')
                *q = ' ';
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) >= 126 && !*msg)
        snprintf(msg, sizeof msg, "cannot run %.300s", gnuplot);
    return ctx_fail(c, SIM_ELIB, "gnuplot failed (%s %d): %s",
                    WIFEXITED(status) ? "status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), msg);
}

/* Does the chart in fd end as a whole file of its format does? gnuplot
 * does not always report a failed write, and a crash leaves half a file. */
static int chart_whole(int fd, const char *term)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 16)
        return 0;
    char head[8], tail[1025];
    size_t nt = st.st_size < 1024 ? (size_t)st.st_size : 1024;
    if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head
        || pread(fd, tail, nt, st.st_size - (off_t)nt) != (ssize_t)nt)
        return 0;
    tail[nt] = '\0';
    if (!strcmp(term, "png"))
        return !memcmp(head, "\x89PNG\r\n\x1a\n", 8) && nt >= 12
               && !memcmp(tail + nt - 12, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
    for (size_t i = 0; i < nt; i++)     /* the text searches below stop at NUL bytes */
        if (!tail[i])
            tail[i] = ' ';
    if (!strcmp(term, "svg"))
        return strstr(tail, "</svg>") != NULL;
    return !memcmp(head, "%PDF", 4) && strstr(tail, "%%EOF") != NULL;
}

/* The destination directory of path: "dir" of "dir/x.png", "." of "x.png". */
static void dest_dir(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* The --set overrides of the command that made the file ("--set a=b
 * --set c=d" in /@command), as "a=b, c=d"; "" when none. */
static void set_overrides(const out_reader *r, char *buf, size_t size)
{
    *buf = '\0';
    const out_attr *a = out_reader_attr_find(r, "command");
    if (!a || a->kind != OUT_ATTR_STRING || !a->s)
        return;
    const char *p = a->s;
    size_t len = 0;
    while (*p && len + 4 < size) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        const char *v = NULL;
        size_t vn = 0;
        if (n == 5 && !strncmp(p, "--set", 5)) {
            v = p + n;
            while (*v == ' ')
                v++;
            vn = strcspn(v, " ");
            p = v + vn;
        } else if (n > 6 && !strncmp(p, "--set=", 6)) {
            v = p + 6;
            vn = n - 6;
            p += n;
        } else {
            p += n;
            continue;
        }
        if (vn == 0)
            continue;
        if (vn > 80)
            vn = 80;
        int w = snprintf(buf + len, size - len, "%s%.*s", len ? ", " : "", (int)vn, v);
        if (w < 0 || (size_t)w >= size - len) {
            buf[len] = '\0';
            break;
        }
        len += (size_t)w;
    }
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), and back. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

/* "2025-03-31 00:00" for hours h after midnight of day0 (days since
 * 1970-01-01): a time vouchsim prints from numbers. The window ends at
 * the start of its last date, as `--until DATE` says. */
static void date_at(long long day0, double h, char *buf, size_t size)
{
    double fd = floor(h / 24.0);
    long long y;
    unsigned m, d;
    civil_from_days(day0 + (long long)fd, &y, &m, &d);
    double rest = h - fd * 24.0;
    int mins = (int)lround(rest * 60.0);
    int yy = y < -9999 ? -9999 : y > 99999 ? 99999 : (int)y;
    m = m % 13;
    d = d % 32;
    if (mins < 0 || mins >= 24 * 60)
        mins = 0;
    snprintf(buf, size, "%04d-%02u-%02u %02d:%02d", yy, m, d, (mins / 60) % 24, mins % 60);
}

/* Tics at the first of every step-th month (January among them), with
 * mid also on the 15th, from date d0 to d1 (/time/date strings,
 * "2025-01-01" or "2025-01-01T00:00"): the positions are dates vouchsim
 * writes, read with the time format. */
static void month_tics(FILE *gp, const char *d0, const char *d1, int step, int mid)
{
    unsigned y0, m0, dd0, y1, m1, dd1;
    if (sscanf(d0, "%4u-%2u-%2u", &y0, &m0, &dd0) != 3
        || sscanf(d1, "%4u-%2u-%2u", &y1, &m1, &dd1) != 3 || m0 < 1 || m0 > 12 || m1 < 1
        || m1 > 12 || step < 1 || strlen(d0) != strlen(d1))
        return;
    int tfmt_t = strlen(d0) >= 16 && d0[10] == 'T';
    long long mi = (long long)y0 * 12 + (m0 - 1), end = (long long)y1 * 12 + (m1 - 1);
    mi = mi / step * step;
    fputs("set xtics (", gp);
    int n = 0;
    for (; mi <= end && n < 60; mi += step)
        for (int day = 1; day <= (mid ? 15 : 1); day += 14) {
            char t[48];         /* room for any year gcc can see */
            snprintf(t, sizeof t, "%04lld-%02lld-%02d%s", mi / 12, mi % 12 + 1, day,
                     tfmt_t ? "T00:00" : "");
            if (strcmp(t, d0) >= 0 && strcmp(t, d1) <= 0)
                fprintf(gp, "%s'%s'", n++ ? ", " : "", t);
        }
    fputs(")\n", gp);
}

/* Tics at midnight every step days from the first midnight at or after
 * d0 to d1 (/time/date strings, as month_tics). */
static void day_tics(FILE *gp, const char *d0, const char *d1, int step)
{
    unsigned y0, m0, dd0, y1, m1, dd1;
    if (sscanf(d0, "%4u-%2u-%2u", &y0, &m0, &dd0) != 3
        || sscanf(d1, "%4u-%2u-%2u", &y1, &m1, &dd1) != 3 || m0 < 1 || m0 > 12 || m1 < 1
        || m1 > 12 || dd0 < 1 || dd0 > 31 || dd1 < 1 || dd1 > 31 || step < 1
        || strlen(d0) != strlen(d1))
        return;
    int tfmt_t = strlen(d0) >= 16 && d0[10] == 'T';
    long long z = days_from_civil(y0, m0, dd0), z1 = days_from_civil(y1, m1, dd1);
    if (tfmt_t && strcmp(d0 + 10, "T00:00") > 0)
        z++;                    /* the first midnight inside */
    fputs("set xtics (", gp);
    for (int n = 0; z <= z1 && n < 40; z += step, n++) {
        long long y;
        unsigned m, d;
        civil_from_days(z, &y, &m, &d);
        fprintf(gp, "%s'%04lld-%02u-%02u%s'", n ? ", " : "", y, m, d, tfmt_t ? "T00:00" : "");
    }
    fputs(")\n", gp);
}

/* The tics of a time axis of span_d days from d0 to d1, where gnuplot's
 * own do not read well: over a year in a panel half the canvas wide
 * (half), monthly tics ran into one another, so every other month (every
 * third, sixth or twelfth beyond); over 30 to 120 days it put them every
 * 14 days from the second day ("02 Jan", "16 Jan", "30 Jan"), so on the
 * 1st and 15th of each month (the 1st only when half); over 3 to 30 days
 * every day, second day or week from the first (from "02 Jan" too), twice
 * as far apart when half. */
static void time_tics(FILE *gp, const char *d0, const char *d1, double span_d, int half)
{
    double months = span_d / 30.44;
    if (span_d > 120 && half)
        month_tics(gp, d0, d1, months <= 7 ? 1 : months <= 14 ? 2 : months <= 21 ? 3
                   : months <= 42 ? 6 : 12 * (int)ceil(months / 84.0), 0);
    else if (span_d > 30 && span_d <= 120)
        month_tics(gp, d0, d1, 1, !half);
    else if (span_d > 3 && span_d <= 30)
        day_tics(gp, d0, d1, (half ? 2 : 1) * (span_d <= 10 ? 1 : span_d <= 20 ? 2 : 7));
}

/* Days, as a report says them: "180", "2.5". */
static void days_text(double days, char *buf, size_t size)
{
    if (fabs(days - round(days)) < 1e-9)
        snprintf(buf, size, "%.0f", days);
    else
        snprintf(buf, size, "%.3g", days);
}

/* The measured window of r's series: "window 2025-01-01 00:00 to
 * 2025-06-30 00:00 (180 days), after a 730-day warm-up (not shown)". The dates are computed
 * from /@start_date (digits checked) and the first and last of
 * /time/hours, the warm-up from /@warmup_h: numbers the file holds, never
 * a string of the user's. "" when the file has no start date. */
static void window_text(const out_reader *r, char *buf, size_t size)
{
    *buf = '\0';
    const out_attr *sd = out_reader_attr_find(r, "start_date");
    size_t nt = out_reader_time_count(r);
    const double *hrs = out_reader_time_hours(r);
    if (!sd || sd->kind != OUT_ATTR_STRING || !sd->s || !nt || !hrs)
        return;
    const char *s = sd->s;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return;
    unsigned y = (unsigned)atoi(s), m = (unsigned)atoi(s + 5), d = (unsigned)atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > 31 || !isfinite(hrs[0]) || !isfinite(hrs[nt - 1]))
        return;
    long long day0 = days_from_civil(y, m, d);
    char a[64], b[64], nd[40];
    date_at(day0, hrs[0], a, sizeof a);
    date_at(day0, hrs[nt - 1], b, sizeof b);
    days_text((hrs[nt - 1] - hrs[0]) / 24.0, nd, sizeof nd);
    int len = snprintf(buf, size, "window %s to %s (%s days)", a, b, nd);
    const out_attr *wu = out_reader_attr_find(r, "warmup_h");
    if (len < 0 || (size_t)len >= size || !wu || wu->kind == OUT_ATTR_STRING || !isfinite(wu->d))
        return;
    char wd[40];
    days_text(wu->d / 24.0, wd, sizeof wd);
    if (wu->d > 0)
        snprintf(buf + len, size - (size_t)len, ", after a %s-day warm-up (not shown)", wd);
    else
        snprintf(buf + len, size - (size_t)len, ", no warm-up");
}

/* "Scenario: what" (with arm: "Scenario (arm): what") plus the lines that
 * say what the chart stands on. */
static void chart_title(const out_reader *r, const char *arm, const char *what,
                        const char *detail, char *buf, size_t size)
{
    const out_attr *sn = out_reader_attr_find(r, "scenario_name");
    int named = sn && sn->s && *sn->s, armed = arm && *arm;
    int len = named && armed ? snprintf(buf, size, "%s (%s): %s", sn->s, arm, what)
              : named        ? snprintf(buf, size, "%s: %s", sn->s, what)
              : armed        ? snprintf(buf, size, "%s: %s", arm, what)
                             : snprintf(buf, size, "%s", what);
    if (len < 0 || (size_t)len >= size)
        return;
    if (detail && *detail)
        len += snprintf(buf + len, size - (size_t)len, "\n%s", detail);
    char win[200];
    window_text(r, win, sizeof win);
    if (*win && len >= 0 && (size_t)len < size)
        len += snprintf(buf + len, size - (size_t)len, "\n%s", win);
    char sets[400];
    set_overrides(r, sets, sizeof sets);
    if (*sets && (size_t)len < size)
        snprintf(buf + len, size - (size_t)len, "\nwith --set %s", sets);
}

/* The panel of chart; draws nothing when it has no entity selected. */
static int panel_selected(const selection *sel, const out_series_info *s)
{
    for (int g = 0; g < G_COUNT; g++)
        if (!strcmp(s->group, gnames[g]) && sel->keep[g]) {
            for (size_t i = 0; i < sel->n[g]; i++)
                if (sel->keep[g][i])
                    return 1;
            return 0;
        }
    return 1;
}

/* (plot.h) Intervals of such a quantity are drawn from 0 at the lowest; a
 * difference is never one of them. */
int out_unit_nonneg(const char *unit)
{
    static const char *const units[] = {
        "1", "%", "CNY", "yuan", "CNY/GPU-h", "GPU", "GPU-h", "GPU-h/CNY", "events", "firms",
        "h", "days", "jobs", "kWh", "vouchers", "runs", NULL
    };
    for (size_t i = 0; unit && units[i]; i++)
        if (!strcmp(unit, units[i]))
            return 1;
    return 0;
}

/* A scalar's unit as shown, and the factor to it. */
static scaled scalar_scale(const char *unit)
{
    if (!unit)
        return (scaled){ 1.0, "" };
    return scale_for(unit, 0);
}

static int scalar_col(const out_reader *r, const char *name)
{
    for (size_t j = 0; j < out_reader_scalar_cols(r); j++)
        if (!strcmp(out_reader_scalar_name(r, j), name))
            return (int)j;
    return -1;
}

/* A response chart draws its points' intervals up to this many points,
 * each over at least this many replications. */
#define RESPONSE_MAX_BARS 50
#define RESPONSE_MIN_REPS 3
/* A key whose points form no grid gets a line through the mean of each
 * of up to MAX_BINS equal parts of its range, of MIN_BIN_POINTS points or
 * more on average. */
#define MAX_BINS 10
#define MIN_BIN_POINTS 5
#define STR_(x) #x
#define STR(x) STR_(x)

typedef struct pt {
    double x, mean, lo, hi;
    size_t n;
    size_t g;                   /* its level of the other keys (levels) */
} pt;

static int cmp_pt(const void *a, const void *b)
{
    double x = ((const pt *)a)->x, y = ((const pt *)b)->x;
    return x < y ? -1 : x > y;
}

/* The other keys' levels of a response panel: with several varied keys,
 * the points of the panel's key j fall into groups that share the values
 * of every other key (a level of the second factor of a grid, or a
 * combination of levels with more). Up to MAX_LEVELS groups, each with at
 * least two points at distinct x, are drawn as a line each. */
enum { MAX_LEVELS = 8 };
/* gnuplot point types of the levels: filled circle, square, triangle,
 * diamond, open ones: told apart without colour */
static const int level_pt[MAX_LEVELS] = { 7, 5, 9, 13, 6, 4, 8, 12 };

typedef struct levels {
    size_t n;                   /* groups; 0: the panel is not drawn by level */
    size_t rep[MAX_LEVELS];     /* a point of each group, in the order drawn */
    size_t *of;                 /* npts: each point's group (SIZE_MAX: none) */
} levels;

/* Do points p and q (rows of kv, ncols each) share every key but j? */
static int same_others(const out_table *t, const double *kv, size_t p, size_t q, size_t j)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (k != j && is_key_col(t, k) && kv[p * t->ncols + k] != kv[q * t->ncols + k])
            return 0;
    return 1;
}

/* Does point p's tuple of other keys sort before q's (column order)? */
static int others_before(const out_table *t, const double *kv, size_t p, size_t q, size_t j)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (k != j && is_key_col(t, k) && kv[p * t->ncols + k] != kv[q * t->ncols + k])
            return kv[p * t->ncols + k] < kv[q * t->ncols + k];
    return 0;
}

/* The groups of key j's panel into lv (lv->of has npts slots): lv->n 0
 * when there are fewer than 2 or more than MAX_LEVELS, or a group has
 * fewer than 2 points, or two at the same x (not a grid). ok[p]: point p
 * is drawn. */
static void levels_find(const out_table *t, const double *kv, const double *xs,
                        const unsigned char *ok, size_t npts, size_t j, levels *lv)
{
    size_t count[MAX_LEVELS] = { 0 };
    lv->n = 0;
    for (size_t p = 0; p < npts; p++) {
        lv->of[p] = SIZE_MAX;
        if (!ok[p])
            continue;
        size_t g = 0;
        while (g < lv->n && !same_others(t, kv, lv->rep[g], p, j))
            g++;
        if (g == lv->n) {
            if (lv->n == MAX_LEVELS) {
                lv->n = 0;
                return;
            }
            lv->rep[lv->n++] = p;
        }
        for (size_t q = 0; q < p; q++)  /* the same x twice in a group: no grid */
            if (lv->of[q] == g && xs[q] == xs[p]) {
                lv->n = 0;
                return;
            }
        lv->of[p] = g;
        count[g]++;
    }
    for (size_t g = 0; g < lv->n; g++)
        if (count[g] < 2)
            lv->n = 0;
    if (lv->n < 2) {
        lv->n = 0;
        return;
    }
    /* the groups in the order of their values (insertion sort of at most
     * MAX_LEVELS), renumbering the points */
    size_t order[MAX_LEVELS], rank[MAX_LEVELS];
    for (size_t g = 0; g < lv->n; g++) {
        size_t i = g;
        while (i > 0 && others_before(t, kv, lv->rep[g], lv->rep[order[i - 1]], j)) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = g;
    }
    size_t rep[MAX_LEVELS];
    for (size_t i = 0; i < lv->n; i++) {
        rank[order[i]] = i;
        rep[i] = lv->rep[order[i]];
    }
    memcpy(lv->rep, rep, lv->n * sizeof *rep);
    for (size_t p = 0; p < npts; p++)
        if (lv->of[p] != SIZE_MAX)
            lv->of[p] = rank[lv->of[p]];
}

/* The legend entry of group g: the value of the other key (its unit in
 * the legend's title), or with several other keys, name = value each. */
static void level_label(const out_table *t, const double *kv, const levels *lv, size_t g,
                        size_t j, char *buf, size_t size)
{
    size_t nother = 0, used = 0;
    for (size_t k = 0; k < t->ncols; k++)
        nother += k != j && is_key_col(t, k);
    *buf = '\0';
    for (size_t k = 0; k < t->ncols && used < size; k++) {
        if (k == j || !is_key_col(t, k))
            continue;
        scaled sc = scalar_scale(t->units[k]);
        double v = kv[lv->rep[g] * t->ncols + k] * sc.factor;
        int n = nother == 1 ? snprintf(buf + used, size - used, "%.6g", v)
                : snprintf(buf + used, size - used, "%s%s = %.6g%s%s", used ? ", " : "",
                           t->names[k], v, *sc.unit ? " " : "", sc.unit);
        used += n > 0 ? (size_t)n : 0;
    }
}

/* The legend's title of a panel drawn by level: the other key and its
 * unit, or with several, what the entries are. */
static void levels_title(const out_table *t, size_t j, char *buf, size_t size)
{
    size_t nother = 0, k1 = 0;
    for (size_t k = 0; k < t->ncols; k++)
        if (k != j && is_key_col(t, k)) {
            nother++;
            k1 = k;
        }
    if (nother == 1) {
        scaled sc = scalar_scale(t->units[k1]);
        snprintf(buf, size, "a line per level of %s%s%s%s", t->names[k1], *sc.unit ? " (" : "",
                 sc.unit, *sc.unit ? ")" : "");
    } else
        snprintf(buf, size, "a line per combination of the other %zu keys", nother);
}

/* Response chart: for each varied key a panel, the outcome's mean over
 * the replications of each point against the key's value, with its 95%
 * Student-t interval (a point with one replication has none). */
static int draw_response(plot_ctx *c, const out_table *t, const char *outcome, const char *key,
                         int rows, int cols, char *title, size_t title_size)
{
    FILE *gp = c->gp;
    const out_reader *r = c->r;
    int oc = scalar_col(r, outcome);
    int jp = -1;
    for (size_t j = 0; j < t->ncols; j++)
        if (!strcmp(t->names[j], "point"))
            jp = (int)j;
    if (oc < 0 || jp < 0)
        return ctx_fail(c, SIM_ENOENT, "response: no scalar '%s' or no point column", outcome);
    size_t nsr = out_reader_scalar_rows(r), nsc = out_reader_scalar_cols(r);
    const double *sv = out_reader_scalar_values(r);
    /* points: the largest point index + 1, bounded by the rows */
    size_t npts = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        double p = t->num[i * t->ncols + (size_t)jp];
        if (isfinite(p) && p >= 0 && p < (double)t->nrows && (size_t)p + 1 > npts)
            npts = (size_t)p + 1;
    }
    if (npts == 0)
        return ctx_fail(c, SIM_ENOENT, "response: /sweep/params has no points");
    pt *pts = calloc(npts, sizeof *pts);
    sim_welford *wf = calloc(npts, sizeof *wf);
    double *xs = malloc(npts * sizeof *xs);
    double *kv = malloc(npts * t->ncols * sizeof *kv);  /* each point's key values */
    unsigned char *ok = malloc(npts);
    levels lv = { 0, { 0 }, malloc(npts * sizeof *lv.of) };
    int rc = SIM_OK, by_level = 0;   /* by_level: a panel before was drawn by level */
    if (!pts || !wf || !xs || !kv || !ok || !lv.of) {
        rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    scaled ys = scalar_scale(out_reader_scalar_unit(r, (size_t)oc));
    int nonneg = out_unit_nonneg(out_reader_scalar_unit(r, (size_t)oc)), clipped = 0;
    size_t nkeys = 0, nvaried = 0, pooled = 0, maxrep = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        nkeys += is_key_col(t, j) && (!key || !strcmp(key, t->names[j]));
        nvaried += is_key_col(t, j);
    }
    for (size_t p = 0; p < npts; p++)
        sim_welford_init(&wf[p]);
    for (size_t i = 0; i < npts * t->ncols; i++)
        kv[i] = NAN;
    for (size_t i = 0; i < t->nrows; i++) {
        double p = t->num[i * t->ncols + (size_t)jp];
        if (isfinite(p) && p >= 0 && (size_t)p < npts)
            memcpy(kv + (size_t)p * t->ncols, t->num + i * t->ncols, t->ncols * sizeof *kv);
    }
    for (size_t i = 0; i < t->nrows; i++) {
        double run = t->num[i * t->ncols], p = t->num[i * t->ncols + (size_t)jp];
        if (!isfinite(p) || p < 0 || (size_t)p >= npts)
            continue;
        for (size_t k = 0; k < nsr; k++)
            if ((double)out_reader_scalar_run(r, k) == run) {
                double v = sv[k * nsc + (size_t)oc];
                if (isfinite(v)) {
                    sim_welford_add(&wf[(size_t)p], v * ys.factor);
                    pooled++;
                }
                break;
            }
    }
    size_t minrep = SIZE_MAX;
    for (size_t p = 0; p < npts; p++) {
        if ((size_t)wf[p].n > maxrep)
            maxrep = (size_t)wf[p].n;
        if ((size_t)wf[p].n < minrep)
            minrep = (size_t)wf[p].n;
    }
    /* Intervals only where they can be read: over many points they
     * are a mass of bars, and over 2 replications t = 12.7 makes each
     * about 9 standard deviations wide. */
    int bars = maxrep > 1 && minrep >= RESPONSE_MIN_REPS && npts <= RESPONSE_MAX_BARS;
    char detail[300];
    if (bars)
        snprintf(detail, sizeof detail, "mean and 95%% interval over %s%zu replications "
                 "per point; %zu points, %zu runs", minrep == maxrep ? "" : "up to ", maxrep,
                 npts, pooled);
    else if (maxrep > 1)
        snprintf(detail, sizeof detail, "mean over %s%zu replications per point, without "
                 "intervals (%s); %zu points, %zu runs", minrep == maxrep ? "" : "up to ",
                 maxrep, npts > RESPONSE_MAX_BARS
                 ? "over " STR(RESPONSE_MAX_BARS) " points their bars would hide the means"
                 : "fewer than " STR(RESPONSE_MIN_REPS) " replications: too wide to read",
                 npts, pooled);
    else
        snprintf(detail, sizeof detail, "one run per point (no interval); %zu points, %zu runs",
                 npts, pooled);
    char what[300];
    snprintf(what, sizeof what, "%s against %s", outcome,
             key ? key : nkeys == 1 ? "the varied key" : "each varied key");
    chart_title(r, NULL, what, detail, title, title_size);
    fprintf(gp, "set multiplot layout %d,%d title ", rows, cols);
    gp_str_wrapped(gp, title, title_chars(c->width));
    fputs(" font ',13'\n", gp);
    fputs("set grid lc rgb '#e0e0e0'\nset border 3\nset xtics nomirror\nset ytics nomirror\n"
          "set key top left\nset bars 2\nset datafile missing 'NaN'\n", gp);
    char ylabel[300];
    snprintf(ylabel, sizeof ylabel, "%s%s%s%s", outcome, *ys.unit ? " (" : "", ys.unit,
             *ys.unit ? ")" : "");
    for (size_t j = 0; j < t->ncols && rc == SIM_OK; j++) {
        if (!is_key_col(t, j) || (key && strcmp(key, t->names[j])))
            continue;
        scaled xsc = scalar_scale(t->units[j]);
        for (size_t p = 0; p < npts; p++)
            xs[p] = NAN;
        for (size_t i = 0; i < t->nrows; i++) {
            double p = t->num[i * t->ncols + (size_t)jp];
            if (isfinite(p) && p >= 0 && (size_t)p < npts)
                xs[(size_t)p] = t->num[i * t->ncols + j] * xsc.factor;
        }
        size_t n = 0, distinct = 0, same = 1;
        for (size_t p = 0; p < npts; p++)
            ok[p] = isfinite(xs[p]) && wf[p].n > 0;
        lv.n = 0;
        if (nvaried >= 2)
            levels_find(t, kv, xs, ok, npts, j, &lv);
        for (size_t p = 0; p < npts; p++) {
            if (!ok[p])
                continue;
            double m = wf[p].mean, h = sim_welford_ci(&wf[p], 0.95);
            pts[n++] = (pt){ xs[p], m, isfinite(h) ? m - h : m, isfinite(h) ? m + h : m,
                             (size_t)wf[p].n, lv.n ? lv.of[p] : 0 };
        }
        qsort(pts, n, sizeof *pts, cmp_pt);
        for (size_t i = 0; i < n; i++)
            clipped |= bars && nonneg && pts[i].lo < 0;
        /* a grid: every level of the key has as many points */
        size_t first_run = 0, run = 0;
        for (size_t i = 0; i < n; i++) {
            int fresh = i == 0 || pts[i].x != pts[i - 1].x;
            distinct += fresh;
            if (fresh && i > 0) {
                if (distinct == 2)
                    first_run = run;
                else if (run != first_run)
                    same = 0;
                run = 0;
            }
            run++;
        }
        if (distinct >= 2 && run != first_run)
            same = 0;
        char path[4300];
        snprintf(path, sizeof path, "%s/d%d.dat", c->dir, c->nfiles);
        FILE *f = fopen(path, "w");
        if (!f) {
            rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                             strerror(errno));
            break;
        }
        /* By level: a block per level, x set apart by level around the
         * key's value (over 40% of the smallest gap between values, so
         * the intervals do not hide each other), mean, lo as drawn, hi,
         * replications, lo as computed, x as it is. */
        double dx = INFINITY;
        for (size_t i = 1; i < n; i++)
            if (pts[i].x > pts[i - 1].x && pts[i].x - pts[i - 1].x < dx)
                dx = pts[i].x - pts[i - 1].x;
        for (size_t g = 0; g < lv.n; g++) {
            double shift = isfinite(dx) ? 0.4 * dx * ((double)g / (double)(lv.n - 1) - 0.5) : 0;
            for (size_t i = 0; i < n; i++)
                if (pts[i].g == g)
                    fprintf(f, "%.10g %.10g %.10g %.10g %zu %.10g %.10g\n", pts[i].x + shift,
                            pts[i].mean, nonneg && pts[i].lo < 0 ? 0.0 : pts[i].lo, pts[i].hi,
                            pts[i].n, pts[i].lo, pts[i].x);
            fputs("\n\n", f);
        }
        /* Else x, mean, lo as drawn (clipped at 0 for an outcome that
         * cannot be negative), hi, replications, lo as computed; then the
         * mean of the points at each x (other keys varied there too) for
         * the line */
        for (size_t i = 0; i < n && !lv.n; i++)
            fprintf(f, "%.10g %.10g %.10g %.10g %zu %.10g\n", pts[i].x, pts[i].mean,
                    nonneg && pts[i].lo < 0 ? 0.0 : pts[i].lo, pts[i].hi, pts[i].n, pts[i].lo);
        if (!lv.n)
            fputs("\n\n", f);
        for (size_t i = 0; i < n && !lv.n;) {
            size_t k = i;
            double sum = 0;
            while (k < n && pts[k].x == pts[i].x)
                sum += pts[k++].mean;
            fprintf(f, "%.10g %.10g\n", pts[i].x, sum / (double)(k - i));
            i = k;
        }
        /* Points that form no grid (a Latin hypercube: each value once,
         * the other keys varied with it): the mean of the points in each
         * of nbins equal parts of the key's range, at its middle. */
        size_t nbins = 0;
        if (!lv.n && nvaried >= 2 && distinct >= 2 * MIN_BIN_POINTS && !(distinct < n && same)) {
            nbins = distinct / MIN_BIN_POINTS < MAX_BINS ? distinct / MIN_BIN_POINTS : MAX_BINS;
            double x0 = pts[0].x, x1 = pts[n - 1].x, w = (x1 - x0) / (double)nbins;
            fputs("\n\n", f);
            for (size_t b = 0, i = 0; b < nbins; b++) {
                double sum = 0;
                size_t k = 0;
                for (; i < n && (b == nbins - 1 || pts[i].x < x0 + w * (double)(b + 1)); i++, k++)
                    sum += pts[i].mean;
                if (k)
                    fprintf(f, "%.10g %.10g %zu\n", x0 + w * ((double)b + 0.5), sum / (double)k, k);
            }
        }
        int e = ferror(f) ? errno : 0;
        if (fclose(f) != 0 && !e)
            e = errno;
        if (e) {
            rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                             strerror(e));
            break;
        }
        int fn = c->nfiles++;
        char xlabel[400];
        snprintf(xlabel, sizeof xlabel, "%s%s%s%s", t->names[j], *xsc.unit ? " (" : "",
                 xsc.unit, *xsc.unit ? ")" : "");
        if (rows * cols > 1) {  /* a panel per key names it; one panel, its axis does */
            fputs("set title ", gp);
            gp_str_wrapped(gp, xlabel, (size_t)c->width / cols / 8);
            fputs(" font ',11'\n", gp);
        } else
            fputs("unset title\n", gp);
        fputs("set xlabel ", gp);
        gp_str(gp, xlabel);
        fputs("\nset ylabel ", gp);
        gp_str(gp, ylabel);
        fputs("\nset autoscale xfix\nset offsets graph 0.04, graph 0.04, graph 0.05, graph 0.05\n", gp);
        if (clipped)            /* an interval drawn from 0: the axis starts there */
            fputs("set yrange [0:*]\n", gp);
        if (lv.n) {             /* a line per level, the legend under the panel */
            char head[600], label[600];
            levels_title(t, j, head, sizeof head);
            /* the title a line below the x axis's label (gnuplot sets them
             * touching): a string expression opening with a newline */
            fputs("set key below center horizontal Left reverse samplen 2 title \"\\n\".", gp);
            gp_str(gp, head);
            fputs(".\"\\n(the levels side by side around each value of the axis)\"\nplot ", gp);
            for (size_t g = 0; g < lv.n; g++) {
                level_label(t, kv, &lv, g, j, label, sizeof label);
                fprintf(gp, "%s'd%d.dat' index %zu using 1:2%s with %s lw 1.5 pt %d ps 0.9 "
                        "lc rgb '%s' title ", g ? ", \\\n     " : "", fn, g,
                        bars ? ":3:4" : "", bars ? "yerrorlines" : "linespoints",
                        level_pt[g % MAX_LEVELS], palette[g % NPAL]);
                gp_str(gp, label);
            }
            fputc('\n', gp);
            by_level = 1;
            continue;
        }
        if (by_level)           /* the legend as before the panels by level */
            fputs("set key inside top left vertical Right noreverse samplen 4 title ''\n", gp);
        if (bars)
            fprintf(gp, "plot 'd%d.dat' index 0 using 1:2:3:4 with yerrorbars pt 7 ps 0.8 "
                        "lc rgb '#1f78b4' title 'mean, 95%% interval%s'", fn,
                    clipped ? " (drawn from 0: it cannot be negative)" : "");
        else if (maxrep > 1)
            fprintf(gp, "plot 'd%d.dat' index 0 using 1:2 with points pt 7 ps 0.8 "
                        "lc rgb '#1f78b4' title 'mean of a point (no interval: see the title)'",
                    fn);
        else
            fprintf(gp, "plot 'd%d.dat' index 0 using 1:2 with points pt 7 ps 0.8 "
                        "lc rgb '#1f78b4' title 'one run per point'", fn);
        if (distinct > 1 && distinct < n && same)
            fprintf(gp, ", \\\n     'd%d.dat' index 1 using 1:2 with lines lw 1.5 "
                        "lc rgb '#d95f02' title 'mean over the other keys'", fn);
        else if (distinct > 1 && distinct == n && nvaried == 1)
            fprintf(gp, ", \\\n     'd%d.dat' index 1 using 1:2 with lines lw 1.5 "
                        "lc rgb '#1f78b4' notitle", fn);
        else if (nbins)
            fprintf(gp, ", \\\n     'd%d.dat' index 2 using 1:2 with linespoints lw 1.5 pt 5 "
                        "ps 0.6 lc rgb '#d95f02' title 'mean in each of %zu equal bins'", fn, nbins);
        fputc('\n', gp);
    }
    fputs("unset multiplot\n", gp);
out:
    free(pts);
    free(wf);
    free(xs);
    free(kv);
    free(ok);
    free(lv.of);
    return rc;
}

/* Sobol chart: S1 and ST of one outcome per varied key, bars with their
 * bootstrap intervals. */
static int draw_sobol(plot_ctx *c, const out_table *t, const char *outcome, char *title,
                      size_t title_size)
{
    FILE *gp = c->gp;
    int jo = -1, jk = -1, jv[6];
    static const char *const f[6] = { "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi" };
    for (int k = 0; k < 6; k++)
        jv[k] = -1;
    for (size_t j = 0; j < t->ncols; j++) {
        if (!strcmp(t->names[j], "output") && t->text[j])
            jo = (int)j;
        else if (!strcmp(t->names[j], "parameter") && t->text[j])
            jk = (int)j;
        for (int k = 0; k < 6; k++)
            if (!strcmp(t->names[j], f[k]) && !t->text[j])
                jv[k] = (int)j;
    }
    for (int k = 0; k < 6; k++)
        if (jv[k] < 0)
            jo = -1;
    if (jo < 0 || jk < 0)
        return ctx_fail(c, SIM_EINVAL, "/sobol/indices: expected columns output, parameter, "
                        "S1, S1_lo, S1_hi, ST, ST_lo, ST_hi");
    char path[4300];
    snprintf(path, sizeof path, "%s/d%d.dat", c->dir, c->nfiles);
    FILE *df = fopen(path, "w");
    if (!df)
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                           strerror(errno));
    size_t n = 0, ticlines = 1;
    double lo = 0, hi = 1;
    fputs("set xtics (", gp);
    for (size_t i = 0; i < t->nrows; i++) {
        if (strcmp(t->text[jo][i], outcome))
            continue;
        fprintf(df, "%zu", n);
        for (int k = 0; k < 6; k++) {
            double v = t->num[i * t->ncols + (size_t)jv[k]];
            if (isfinite(v)) {
                fprintf(df, " %.10g", v);
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            } else
                fputs(" NaN", df);
        }
        fputc('\n', df);
        if (n)
            fputs(", ", gp);
        size_t tl = gp_str_dotted(gp, t->text[jk][i], 24);
        if (tl > ticlines)
            ticlines = tl;
        fprintf(gp, " %zu", n);
        n++;
    }
    fputs(")\n", gp);
    int e = ferror(df) ? errno : 0;
    if (fclose(df) != 0 && !e)
        e = errno;
    if (e)
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                           strerror(e));
    if (n == 0)
        return ctx_fail(c, SIM_ENOENT, "/sobol/indices has no rows for '%s'", outcome);
    int fn = c->nfiles++;
    const out_attr *bs = out_reader_attr_find(c->r, "sweep_points");
    char detail[900];
    int dl = snprintf(detail, sizeof detail, "first order S1 and total ST, 95%% bootstrap "
                      "intervals; %zu runs%s", out_reader_run_count(c->r),
                      bs ? " over the design's points" : "");
    /* the indices are shares of the variance over these ranges: name them */
    out_table *vt = NULL;
    sim_err verr;
    sim_err_clear(&verr);
    if (out_reader_table_read(c->r, "/sweep/vars", &vt, &verr) == SIM_OK) {
        int jk2 = -1, jl = -1, jh = -1, ju = -1;
        for (size_t j = 0; j < vt->ncols; j++)
            if (vt->text[j]) {
                if (!strcmp(vt->names[j], "key"))
                    jk2 = (int)j;
                else if (!strcmp(vt->names[j], "lo_text"))
                    jl = (int)j;
                else if (!strcmp(vt->names[j], "hi_text"))
                    jh = (int)j;
                else if (!strcmp(vt->names[j], "unit"))
                    ju = (int)j;
            }
        for (size_t i = 0; jk2 >= 0 && jl >= 0 && jh >= 0 && i < vt->nrows; i++) {
            const char *u = ju >= 0 ? vt->text[ju][i] : "";
            if (dl < 0 || (size_t)dl + 200 >= sizeof detail)
                break;
            dl += snprintf(detail + dl, sizeof detail - (size_t)dl, "%s%.80s %.24s to %.24s%s%s",
                           i ? ", " : "\nover ", vt->text[jk2][i], vt->text[jl][i],
                           vt->text[jh][i], *u && strcmp(u, "CNY") && strcmp(u, "h") ? " " : "",
                           *u && strcmp(u, "CNY") && strcmp(u, "h") ? u : "");
        }
    }
    out_table_free(vt);
    char what[300];
    snprintf(what, sizeof what, "Sobol indices of %s", outcome);
    chart_title(c->r, NULL, what, detail, title, title_size);
    fputs("set multiplot layout 1,1 title ", gp);
    gp_str_wrapped(gp, title, title_chars(c->width));
    fputs(" font ',13'\n", gp);
    fprintf(gp, "set xrange [-0.6:%zu.6]\nset yrange [%g:%g]\n", n - 1, lo - 0.05, hi + 0.05);
    /* the axis's label under the keys' names however many lines they take
     * (gnuplot leaves room for one: it sat between them) */
    fprintf(gp, "set xlabel 'Varied key' offset 0,%d\n", -(int)(ticlines - 1));
    fputs("set ylabel 'Index (share of variance)'\n"
          "set grid ytics lc rgb '#e0e0e0'\nset border 3\nset xtics nomirror norotate "
          "noenhanced\nset ytics nomirror\nset key outside bottom center horizontal\nset bmargin 8\nset boxwidth 0.34\n"
          "set style fill solid 0.75 noborder\nset bars 2\nset datafile missing 'NaN'\n"
          "set xzeroaxis lt -1\n", gp);
    fprintf(gp, "plot 'd%d.dat' using ($1-0.18):2 with boxes lc rgb '#1f78b4' "
                "title 'first order S1', \\\n"
                "     '' using ($1-0.18):2:3:4 with yerrorbars lc rgb '#000000' pt 7 ps 0.4 notitle, \\\n"
                "     '' using ($1+0.18):5 with boxes lc rgb '#d95f02' title 'total ST', \\\n"
                "     '' using ($1+0.18):5:6:7 with yerrorbars lc rgb '#000000' pt 7 ps 0.4 "
                "title '95%% bootstrap interval'\nunset multiplot\n", fn);
    return SIM_OK;
}

/* Creates the private directory in the chart's directory and its
 * plot.gp, which starts with the terminal of a w x h chart of format
 * term. script_end is to call whatever this returns. */
static int script_begin(plot_ctx *c, const char *term, int w, int h)
{
    char dd[4096];
    dest_dir(c->out_path, dd, sizeof dd);
    if (strlen(dd) + 32 >= sizeof c->dir)
        return sim_err_set(c->err, SIM_EINVAL, c->out_path, 0, 0, "path too long");
    if (plot_stop)
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "interrupted");
    snprintf(c->dir, sizeof c->dir, "%s/.vouchsim-plot-XXXXXX", dd);
    if (!mkdtemp(c->dir))
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0,
                           "cannot create a temporary directory in %s: %s", dd, strerror(errno));
    c->dir_made = 1;
    char script[4300];
    snprintf(script, sizeof script, "%s/plot.gp", c->dir);
    if (!(c->gp = fopen(script, "w")))
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", script,
                           strerror(errno));
    FILE *gp = c->gp;
    if (!strcmp(term, "png"))
        fprintf(gp, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                    "  set terminal pngcairo size %d,%d font 'Sans,10' noenhanced\n"
                    "} else {\n  set terminal png size %d,%d noenhanced\n}\n", w, h, w, h);
    else if (!strcmp(term, "svg"))
        fprintf(gp, "set terminal svg size %d,%d font 'Sans,10' noenhanced background '#ffffff'\n",
                w, h);
    else
        fprintf(gp, "set terminal pdfcairo size %.1fin,%.1fin font 'Sans,9' noenhanced\n",
                w / 100.0, h / 100.0);
    fputs("set output\n", gp);       /* standard output: vouchsim writes the file */
    return SIM_OK;
}

/* Ends the script begun by script_begin (rc: how its writing went), runs
 * gnuplot, checks the chart, fsyncs and renames it to c->out_path, and
 * removes the private directory. Returns rc or the first failure. */
static int script_end(plot_ctx *c, int rc, const char *term, const char *gnuplot)
{
    const char *out_path = c->out_path;
    sim_err *err = c->err;
    char dd[4096], script[4300], chart_tmp[4300];
    int out_fd = -1;
    dest_dir(out_path, dd, sizeof dd);
    snprintf(script, sizeof script, "%s/plot.gp", c->dir);
    snprintf(chart_tmp, sizeof chart_tmp, "%s/chart.out", c->dir);
    if (c->gp) {
        fputs("set output\n", c->gp);
        int e = ferror(c->gp) ? errno : 0;
        if (fclose(c->gp) != 0 && !e)
            e = errno;
        c->gp = NULL;
        if (e && rc == SIM_OK)
            rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", script,
                             strerror(e));
    }
    if (rc == SIM_OK && plot_stop)
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "interrupted");
    if (rc != SIM_OK)
        goto out;
    if ((out_fd = open(chart_tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", chart_tmp,
                         strerror(errno));
        goto out;
    }
    if ((rc = run_gnuplot(c, gnuplot, out_fd, out_path)))
        goto out;
    if (!chart_whole(out_fd, term)) {
        rc = sim_err_set(err, SIM_ELIB, out_path, 0, 0,
                         "gnuplot wrote no chart or an incomplete one");
        goto out;
    }
    if (fsync(out_fd) != 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write the chart: %s",
                         strerror(errno));
        goto out;
    }
    if (plot_stop) {            /* whole, but not wanted now */
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "interrupted");
        goto out;
    }
    int fd = out_fd;
    out_fd = -1;
    if (close(fd) != 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write the chart: %s",
                         strerror(errno));
        goto out;
    }
    if (rename(chart_tmp, out_path) != 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write the chart: %s",
                         strerror(errno));
        goto out;
    }
    int dfd = open(dd, O_RDONLY);       /* make the rename durable */
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
out:
    if (out_fd >= 0)
        close(out_fd);
    if (c->dir_made && !getenv("VOUCHSIM_KEEP_PLOT_FILES"))
        rm_tree(c->dir);
    c->dir_made = 0;
    return rc;
}

/* --point: the runs of point p of the sweep (/sweep/params), into
 * c->pruns, and "key=value, ..." of the point into set. */
static int point_runs(plot_ctx *c, size_t p, char *set, size_t size)
{
    out_table *t = NULL;
    int rc = out_reader_table_read(c->r, "/sweep/params", &t, c->err);
    if (rc == SIM_ENOENT)
        return sim_err_set(c->err, SIM_EINVAL, out_reader_path(c->r), 0, 0,
                           "--point: not a sweep file (no /sweep/params)");
    if (rc)
        return rc;
    int jr = -1, jp = -1;
    for (size_t j = 0; j < t->ncols; j++) {
        if (!strcmp(t->names[j], "run") && !t->text[j])
            jr = (int)j;
        if (!strcmp(t->names[j], "point") && !t->text[j])
            jp = (int)j;
    }
    size_t nrun = out_reader_run_count(c->r);
    if (jr < 0 || jp < 0 || !(c->pruns = malloc((t->nrows + 1) * sizeof *c->pruns))) {
        rc = jr < 0 || jp < 0 ? sim_err_set(c->err, SIM_EINVAL, out_reader_path(c->r), 0, 0,
                                            "/sweep/params: no run or point column")
             : sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    c->npruns = 0;
    *set = '\0';
    for (size_t i = 0; i < t->nrows; i++) {
        double run = t->num[i * t->ncols + (size_t)jr], at = t->num[i * t->ncols + (size_t)jp];
        if (at != (double)p || !(run >= 0 && run < (double)nrun))
            continue;
        for (size_t j = 0; !c->npruns && j < t->ncols; j++) {   /* its keys, once */
            if ((int)j == jr || (int)j == jp || !strcmp(t->names[j], "replication"))
                continue;
            size_t len = strlen(set);
            scaled u = scalar_scale(t->units[j]);
            char v[96];
            if (t->text[j])
                snprintf(v, sizeof v, "%.60s", t->text[j][i]);
            else
                snprintf(v, sizeof v, "%.4g%s%s", t->num[i * t->ncols + j] * u.factor,
                         *u.unit ? " " : "", u.unit);
            snprintf(set + len, size - len, "%s%.120s=%s", len ? ", " : "", t->names[j], v);
        }
        c->pruns[c->npruns++] = (size_t)run;
    }
    if (!c->npruns)
        rc = sim_err_set(c->err, SIM_ENOENT, out_reader_path(c->r), 0, 0,
                         "--point %zu: no run of that point in the file", p);
out:
    out_table_free(t);
    return rc;
}

int out_plot(const out_reader *r, out_chart chart, const char *out_path, sim_err *err)
{
    return out_plot_opts_draw(r, chart, NULL, out_path, err);
}

int out_plot_opts_draw(const out_reader *r, out_chart chart, const out_plot_opts *o,
                       const char *out_path, sim_err *err)
{
    if (chart >= OUT_CHART_COUNT)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "unknown chart");
    if (out_chart_compares(chart))
        return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                           "chart '%s' compares the two arms of a comparison file (vouchsim "
                           "compare -o): draw it without --arm", charts[chart].name);
    const char *term;
    char gnuplot[1024];
    int rc = chart_ready(out_path, &term, gnuplot, sizeof gnuplot, err);
    if (rc)
        return rc;
    const chart_def *cd = &charts[chart];
    plot_ctx c = { .r = r, .err = err, .out_path = out_path, .o = o };
    selection sel;
    memset(&sel, 0, sizeof sel);
    out_table *tab = NULL;
    char point_set[400] = "";   /* --point: its keys' values */
    const char *outcome = o && o->outcome ? o->outcome : default_outcome(r);
    const out_series_info *ps[4] = { NULL };
    int npanels = 0;
    c.nruns = out_reader_run_count(r);
    c.bands = c.nruns > 1;
    if (chart == OUT_CHART_RESPONSE || chart == OUT_CHART_SOBOL) {
        const char *tp = chart == OUT_CHART_RESPONSE ? "/sweep/params" : "/sobol/indices";
        rc = out_reader_table_read(r, tp, &tab, err);
        if (rc == SIM_ENOENT)
            rc = sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                             "chart '%s' needs %s (a %s), which this file does not have",
                             cd->name, tp, chart == OUT_CHART_RESPONSE
                             ? "file of `vouchsim sweep`" : "sweep with --design sobol");
        if (rc)
            return rc;
        if (!outcome) {
            out_table_free(tab);
            return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0, "no scalars to draw");
        }
        npanels = 1;
        if (chart == OUT_CHART_RESPONSE) {
            size_t nk = 0;
            for (size_t j = 0; j < tab->ncols; j++)
                nk += is_key_col(tab, j) && (!o || !o->key || !strcmp(o->key, tab->names[j]));
            if (nk == 0) {
                const char *cat = categorical_col(tab, NULL);
                rc = cat ? categorical_refusal(r, err, cat)
                     : sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                                   "/sweep/params has no varied key");
                out_table_free(tab);
                return rc;
            }
            npanels = (int)nk;
        }
    } else {
        if ((rc = sel_build(r, o, &sel)) != SIM_OK)
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        int found = 0;
        for (int i = 0; i < cd->npanels; i++)
            if ((ps[i] = panel_series(r, &cd->panels[i]))) {
                found++;
                if (panel_selected(&sel, ps[i]))
                    npanels++;
                else
                    ps[i] = NULL;
            }
        if (npanels == 0) {
            const panel_def *p = &cd->panels[0];
            sel_fini(&sel);
            if (found)
                return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                                   "chart '%s': the selection leaves it nothing to draw",
                                   cd->name);
            return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                               "chart '%s' needs series %s/%s, which this file does not have",
                               cd->name, p->group, p->name);
        }
        if (out_reader_time_count(r) < 2) {
            sel_fini(&sel);
            return sim_err_set(err, SIM_EINVAL, out_reader_path(r), 0, 0,
                               "chart '%s': fewer than 2 time samples", cd->name);
        }
        if (o && o->point && (rc = point_runs(&c, *o->point, point_set, sizeof point_set))) {
            sel_fini(&sel);
            return rc;
        }
    }

    int rows = npanels <= 2 ? npanels : (npanels + 1) / 2, cols = npanels <= 2 ? 1 : 2;
    int w = npanels > 2 ? 1400 : 1100, h = npanels == 1 ? 650 : npanels <= 4 ? 950 : 320 * rows;
    if (chart == OUT_CHART_RESPONSE && npanels <= 2) {
        rows = 1;
        cols = npanels;
        w = npanels == 1 ? 900 : 1300;
        h = 650;
    } else if (chart == OUT_CHART_RESPONSE)     /* room for the legends of the levels */
        h = 560 * rows;
    c.width = w / cols;
    if ((rc = script_begin(&c, term, w, h)) != SIM_OK)
        goto out;
    FILE *gp = c.gp;
    char title[1200];
    if (chart == OUT_CHART_RESPONSE) {
        c.width = w;
        rc = draw_response(&c, tab, outcome, o ? o->key : NULL, rows, cols, title, sizeof title);
        goto script_done;
    }
    if (chart == OUT_CHART_SOBOL) {
        c.width = w;
        rc = draw_sobol(&c, tab, outcome, title, sizeof title);
        goto script_done;
    }

    /* time axis from /time/date */
    const char *d0 = out_reader_time_date(r, 0);
    const double *hrs = out_reader_time_hours(r);
    double span_d = (hrs[out_reader_time_count(r) - 1] - hrs[0]) / 24.0;
    fprintf(gp, "set xdata time\nset timefmt '%s'\n",
            strlen(d0) >= 16 && d0[10] == 'T' ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d");
    /* Panels two to a row are half as wide: shorter month labels there. */
    fprintf(gp, "set format x '%s'\n",
            span_d > 120 ? (npanels > 2 ? "%b ''%y" : "%b %Y") : span_d > 3 ? "%d %b" : "%d %b %H:%M");
    /* The whole run on every chart, also where a series starts with NaN
     * (no job waited yet). */
    fputs("set xrange [", gp);
    gp_str(gp, d0);
    fputc(':', gp);
    gp_str(gp, out_reader_time_date(r, out_reader_time_count(r) - 1));
    fputs("]\n", gp);
    fputs("set xtics rotate by 30 right offset 0.5,0 nomirror\nset ytics nomirror\n"
          "set xlabel 'Date'\nset grid lc rgb '#e0e0e0'\nset border 3\n"
          "set key outside right top vertical Left reverse samplen 2 spacing 1.1\n"
          "set style fill transparent solid 0.22 noborder\nset datafile missing 'NaN'\n"
          "set lmargin 12\n", gp);
    time_tics(gp, d0, out_reader_time_date(r, out_reader_time_count(r) - 1), span_d,
              npanels > 2);

    /* the runs behind the bands: as many as /series_stats pooled */
    long long pooled = -1;
    for (int i = 0; i < cd->npanels && pooled < 0; i++)
        if (ps[i])
            pooled = out_reader_stats_runs(r, ps[i]->group, ps[i]->name);
    if (pooled > 0)
        c.nruns = (size_t)pooled;
    c.bands = c.nruns > 1;
    char detail[400] = "";
    const out_attr *sw = out_reader_attr_find(r, "sweep_points");
    size_t nrr = out_reader_run_count(r);
    const char *bandw = nrr >= 2 && nrr < MIN_RUNS_PCT ? "band: their range (min to max)"
                        : "band: 5th to 95th percentile";
    if (c.pruns) {              /* one point's runs: read here, so the band is known */
        c.bands = c.npruns > 1;
        snprintf(detail, sizeof detail, "point %zu of %lld (%s): mean of %zu runs%s%s", *o->point,
                 sw ? (long long)sw->i : 0LL, point_set, c.npruns, c.bands ? "; band: " : "",
                 !c.bands ? "" : c.npruns < MIN_RUNS_PCT ? "their range (min to max)"
                 : "5th to 95th percentile");
    } else if (sw && sw->i > 1 && c.bands)  /* a sweep: the band is the spread over its points */
        snprintf(detail, sizeof detail, "%zu runs of %lld sweep points pooled: their mean; %s",
                 c.nruns, (long long)sw->i, bandw);
    else if (c.bands)
        snprintf(detail, sizeof detail, "mean of %zu runs; %s", c.nruns, bandw);
    /* what the selection did to this chart's groups */
    int filtered = 0;
    char unsel[200] = "";
    for (int i = 0; o && i < cd->npanels; i++) {
        int gi = G_COUNT;
        for (int g = 0; ps[i] && g < G_COUNT; g++)
            if (!strcmp(ps[i]->group, gnames[g]))
                gi = g;
        if (gi == G_COUNT)
            continue;
        if (sel.keep[gi])
            filtered = 1;
        else if (!*unsel)
            snprintf(unsel, sizeof unsel, "all %s drawn%s", gplural[gi],
                     (gi == G_DATACENTER || gi == G_CITY) && o->nregions
                     ? " (region unknown)" : gi == G_PROGRAM && (o->nregions || o->ncities)
                     ? " (city unknown)" : "");
    }
    if (o && (o->nregions || o->ndatacenters || o->ncities || o->nprograms) && filtered) {
        size_t len = strlen(detail);
        len += (size_t)snprintf(detail + len, sizeof detail - len, "%sselected:",
                                len ? "; " : "");
        const char *const *lists[G_COUNT] = { o->regions, o->datacenters, o->cities, o->programs };
        size_t counts[G_COUNT] = { o->nregions, o->ndatacenters, o->ncities, o->nprograms };
        int nsel = 0;           /* "selected: shanghai, beijing" */
        for (int g = 0; g < G_COUNT; g++)
            for (size_t i = 0; i < counts[g] && len + 90 < sizeof detail; i++)
                len += (size_t)snprintf(detail + len, sizeof detail - len, "%s %.80s",
                                        nsel++ ? "," : "", lists[g][i]);
    }
    int creg_used[2] = { 0, 0 };  /* regions, data centers kept by the cities' regions */
    for (int i = 0; o && i < cd->npanels; i++)
        for (int g = 0; g < 2 && ps[i] && *sel.city_regions; g++)
            creg_used[g] |= !strcmp(ps[i]->group, gnames[g ? G_DATACENTER : G_REGION])
                            && sel.keep[g ? G_DATACENTER : G_REGION] && !sel.named[g ? G_DATACENTER : G_REGION];
    if (chart == OUT_CHART_UTILIZATION && *sel.city_regions)    /* data centers in its panel */
        creg_used[1] |= sel.keep[G_DATACENTER] && !sel.named[G_DATACENTER];
    if (creg_used[0] || creg_used[1]) {
        size_t len = strlen(detail);
        int pl = strchr(sel.city_regions, ',') != NULL;
        snprintf(detail + len, sizeof detail - len, "%sdrawn: %sthe cities' region%s (%s)%s",
                 len ? "; " : "", creg_used[0] ? "" : "the data centers of ", pl ? "s" : "",
                 sel.city_regions, !creg_used[0] || !creg_used[1] ? "" : pl
                 ? " and their data centers" : " and its data centers");
    }
    if (o && (o->nregions || o->ndatacenters || o->ncities || o->nprograms) && *unsel) {
        size_t len = strlen(detail);
        snprintf(detail + len, sizeof detail - len, "%s%s", len ? "; " : "", unsel);
    }
    chart_title(r, o ? o->arm : NULL, cd->title, detail, title, sizeof title);
    /* a multiplot title, also over one panel: centred on the page, not
     * on the plot, whose legend may take half the width */
    fprintf(gp, "set multiplot layout %d,%d title ", rows, cols);
    gp_str_wrapped(gp, title, title_chars(w));
    fputs(" font ',13'\n", gp);
    for (int i = 0; i < cd->npanels && rc == SIM_OK; i++)
        if (ps[i])
            rc = draw_panel(&c, &sel, cd, &cd->panels[i], ps[i], npanels == 1);
    fputs("unset multiplot\n", gp);
script_done:
out:
    rc = script_end(&c, rc, term, gnuplot);
    sel_fini(&sel);
    out_table_free(tab);
    free(c.pruns);
    return rc;
}

/* ---- for charts drawn elsewhere (output/plot_search.c) ---- */

int out_chart_draw(const char *out_path, int w, int h,
                   int (*write)(FILE *gp, const char *dir, void *ctx, sim_err *err), void *ctx,
                   sim_err *err)
{
    const char *term;
    char gnuplot[1024];
    int rc = chart_ready(out_path, &term, gnuplot, sizeof gnuplot, err);
    if (rc)
        return rc;
    plot_ctx c = { .err = err, .out_path = out_path };
    if ((rc = script_begin(&c, term, w, h)) == SIM_OK)
        rc = write(c.gp, c.dir, ctx, err);
    return script_end(&c, rc, term, gnuplot);
}

/* ---- comparison files: both arms, and their paired differences ---- */

int out_chart_compares(out_chart c)
{
    return c == OUT_CHART_DIFFERENCE || c == OUT_CHART_UTIL_DIFFERENCE;
}

enum {
    MAX_CMP = 6,        /* entities of a panel drawn for both arms, unless named */
    MAX_DIFF_ROWS = 60, /* rows of the difference chart */
    MAX_DIFF_PANELS = 8, /* panels of the utilization-difference chart */
    MAX_RUNOUT_PROGRAMS = 6 /* programs whose run-out rows join the headline totals */
};

/* The difference chart's rows when neither --outcome nor an entity is
 * given: the totals compare prints first (tools/report.c), then those of
 * its table that the README's result tables quote beside them: what
 * firms were still owed at the horizon (most of what vouchers buy in a
 * year runs after it), and who paid what. The title says that the other
 * totals of compare's table are drawn with --outcome. */
static const char *const headline_totals[] = {
    "gpu_hours_total", "firms_buying", "subsidy_total", "gpu_hours_additional",
    "gpu_hours_owed_at_horizon", "gpu_hours_owed_additional", "copay_total", "revenue_total",
    "firms_additional", "deadweight_share", "subsidy_per_additional_gpu_hour",
    "utilization_east", "utilization_west", "mean_wait_east_h", "mean_wait_west_h", NULL
};

/* "what", then the arms' scenarios ("policy: X; base: Y", or one name
 * when they are the same), then detail and the --set overrides. */
static void cmp_title(const out_plot_cmp *a, const char *what, const char *detail, char *buf,
                      size_t size)
{
    const char *sn[2];
    for (int k = 0; k < 2; k++) {
        const out_attr *at = out_reader_attr_find(a->arm[k], "scenario_name");
        sn[k] = at && at->kind == OUT_ATTR_STRING && at->s ? at->s : "";
    }
    int len;
    if (!strcmp(sn[0], sn[1]))
        len = snprintf(buf, size, "%s%s%.200s", what, *sn[0] ? "\n" : "", sn[0]);
    else
        len = snprintf(buf, size, "%s\n%s: %.200s; %s: %.200s", what, a->name[1], sn[1],
                       a->name[0], sn[0]);
    if (len < 0 || (size_t)len >= size)
        return;
    if (detail && *detail)
        len += snprintf(buf + len, size - (size_t)len, "\n%s", detail);
    char win[2][200];
    window_text(a->arm[0], win[0], sizeof win[0]);
    window_text(a->arm[1], win[1], sizeof win[1]);
    if (*win[0] && !strcmp(win[0], win[1]) && (size_t)len < size)
        len += snprintf(buf + len, size - (size_t)len, "\n%s", win[0]);
    else
        for (int k = 1; k >= 0; k--)
            if (*win[k] && (size_t)len < size)
                len += snprintf(buf + len, size - (size_t)len, "\n%.40s: %s", a->name[k],
                                win[k]);
    char sets[400];
    set_overrides(a->arm[0], sets, sizeof sets);
    if (*sets && (size_t)len < size)
        snprintf(buf + len, size - (size_t)len, "\nwith --set %s", sets);
}

/* Column j of t called name (text or numbers as asked), or -1. */
static int table_col(const out_table *t, const char *name, int text)
{
    for (size_t j = 0; t && j < t->ncols; j++)
        if (!strcmp(t->names[j], name) && !t->text[j] == !text)
            return (int)j;
    return -1;
}

/* The columns of /compare/differences the chart reads. */
typedef struct diff_cols {
    int total, section, entity, measure, unit, status, diff, hw, n;
} diff_cols;

static int diff_cols_find(const out_table *t, diff_cols *d)
{
    *d = (diff_cols){ table_col(t, "total", 1), table_col(t, "section", 1),
                      table_col(t, "entity", 1), table_col(t, "measure", 1),
                      table_col(t, "unit", 1), table_col(t, "status", 1),
                      table_col(t, "difference", 0), table_col(t, "paired_ci95_half", 0),
                      table_col(t, "n", 0) };
    return d->total < 0 || d->section < 0 || d->entity < 0 || d->measure < 0 || d->unit < 0
           || d->status < 0 || d->diff < 0 || d->hw < 0 || d->n < 0 ? -1 : 0;
}

static int entity_in(const out_reader *r, const char *group, const char *name)
{
    size_t n = 0;
    const char *const *ent = out_reader_entities(r, group, &n);
    return ent && in_list(name, ent, n);
}

int out_plot_cmp_check(const out_plot_cmp *a, const out_plot_opts *o, char *note,
                       size_t note_size, sim_err *err)
{
    if (note && note_size)
        *note = '\0';
    if (!o)
        return SIM_OK;
    const out_reader *r = a->arm[0];
    const char *const *lists[G_COUNT] = { o->regions, o->datacenters, o->cities, o->programs };
    size_t counts[G_COUNT] = { o->nregions, o->ndatacenters, o->ncities, o->nprograms };
    for (int g = 0; g < G_COUNT; g++) {
        if (!counts[g])
            continue;
        size_t ne = 0;
        const char *const *ent = out_reader_entities(r, gnames[g], &ne);
        if (!ent || !ne)
            ent = out_reader_entities(a->arm[1], gnames[g], &ne);
        if (!ent || !ne)
            return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                               "--%s: the file has no %s entities", g == G_DATACENTER
                               ? "datacenter" : gnames[g], gwords[g]);
        for (size_t i = 0; i < counts[g]; i++)
            if (!entity_in(a->arm[0], gnames[g], lists[g][i])
                && !entity_in(a->arm[1], gnames[g], lists[g][i]))
                return unknown_name(r, err, gwords[g], lists[g][i], ent, ne);
    }
    if (o->key)
        return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                           "--key: not a sweep file (a comparison file)");
    if (o->noutcomes) {
        diff_cols d;
        if (!a->diffs)
            return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                               "--outcome: the file has no /compare/differences");
        if (diff_cols_find(a->diffs, &d) != 0)
            return sim_err_set(err, SIM_EINVAL, out_reader_path(r), 0, 0,
                               "/compare/differences: expected columns total, section, "
                               "entity, measure, unit, difference, paired_ci95_half, n, status");
        const out_table *t = a->diffs;
        const char **names = calloc(t->nrows + 1, sizeof *names);
        if (!names)
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        size_t nn = 0;
        for (size_t i = 0; i < t->nrows; i++)    /* the totals, then each measure once */
            if (!strcmp(t->text[d.section][i], "total"))
                names[nn++] = t->text[d.total][i];
        for (size_t i = 0; i < t->nrows; i++)
            if (strcmp(t->text[d.section][i], "total")
                && !in_list(t->text[d.measure][i], names, nn))
                names[nn++] = t->text[d.measure][i];
        int rc = SIM_OK;
        for (size_t k = 0; k < o->noutcomes && rc == SIM_OK; k++) {
            int found = in_list(o->outcomes[k], names, nn);
            for (size_t i = 0; !found && i < t->nrows; i++)
                found = !strcmp(t->text[d.total][i], o->outcomes[k]);
            if (!found)
                rc = unknown_name(r, err, "outcome (a total or measure of /compare/differences)",
                                  o->outcomes[k], names, nn);
        }
        free(names);
        if (rc)
            return rc;
    }
    return selection_note(r, o, note, note_size, err);
}

/* Reads the means (every third number after the date) of data file
 * d<fileno_>.dat of nidx entities into a malloc'd rows x nidx array. */
static int read_means(plot_ctx *c, int fileno_, size_t nidx, double **out, size_t *rows)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/d%d.dat", c->dir, fileno_);
    *out = NULL;
    *rows = 0;
    FILE *f = fopen(path, "r");
    size_t cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    int rc = SIM_OK;
    if (!f)
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot read %s", path);
    while (getline(&line, &lcap, f) > 0) {
        if (*rows == cap) {
            cap = cap ? 2 * cap : 256;
            double *v = realloc(*out, cap * (nidx + 1) * sizeof *v);
            if (!v) {
                rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            *out = v;
        }
        double *row = *out + *rows * nidx;
        char *p = strchr(line, ' ');
        for (size_t k = 0; k < 3 * nidx; k++) {
            char *end;
            double v = p ? strtod(p, &end) : NAN;
            if (!p || end == p) {
                v = NAN;
                p = NULL;
            } else
                p = end;
            if (k % 3 == 0)
                row[k / 3] = v;
        }
        (*rows)++;
    }
    free(line);
    fclose(f);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* An entity drawn for both arms: its column in each arm's data file. */
typedef struct cmp_ent {
    const char *name;
    size_t      pos[2];     /* SIZE_MAX: not in that arm */
    size_t      gidx;       /* index in /entities/<group> of the arm it was found in first */
    int         arm;        /* that arm, for its colour */
    double      score;      /* area between the arms' means: the largest are drawn */
    int         shown;
} cmp_ent;

static int cmp_score_desc(const void *x, const void *y)
{
    double a = ((const cmp_ent *)x)->score, b = ((const cmp_ent *)y)->score;
    return a < b ? 1 : a > b ? -1 : 0;
}

/* The plot clauses of one series drawn for both arms: per entity a line
 * per arm (policy solid, base dashed) in the entity's colour, with each
 * arm's band (policy shaded, base hatched). named: the entities
 * were chosen by name, so all are drawn; else the MAX_CMP with the
 * largest area between the arms' means. Adds legend entries for the
 * entities to *legend (their colours) and how many were left out to
 * *others; *bands[k] says whether arm k has bands. */
static int cmp_layer(plot_ctx *c, const out_plot_cmp *a, const selection sel[2], const char *group,
                     const char *name, int percent, double lw, int *first, double *vmax,
                     double *vmin, int bands[2], size_t *others, FILE *legend, size_t *nlegend,
                     long long runs[2], int range[2], int *drawn, const char **bcol, int *bmany)
{
    FILE *gp = c->gp;
    int gi = G_COUNT;
    for (int g = 0; g < G_COUNT; g++)
        if (!strcmp(group, gnames[g]))
            gi = g;
    int file[2] = { -1, -1 }, rc = SIM_OK;
    size_t *idx[2] = { NULL, NULL }, nidx[2] = { 0, 0 };
    const char *const *ent[2] = { NULL, NULL };
    size_t nent[2] = { 0, 0 };
    cmp_ent *e = NULL;
    double *mean[2] = { NULL, NULL };
    size_t mrows[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        const out_series_info *s = out_reader_series_find(a->arm[k], group, name);
        if (!s)
            continue;
        c->r = a->arm[k];
        c->nruns = out_reader_run_count(a->arm[k]);
        c->bands = c->nruns > 1;
        ent[k] = out_reader_entities(a->arm[k], group, &nent[k]);
        scaled sc = scale_for(s->unit, percent);
        file[k] = write_data(c, s, sc.factor, gi < G_COUNT ? sel[k].keep[gi] : NULL, vmax, vmin,
                             &idx[k], &nidx[k]);
        if (file[k] < 0) {
            rc = file[k];
            goto out;
        }
        if (bands[k] >= 0)      /* -1: a layer drawn without bands */
            bands[k] |= c->bands;
        range[k] = c->band_range;
        runs[k] = c->band_runs ? (long long)c->band_runs
                  : out_reader_stats_runs(a->arm[k], group, name);
        if (runs[k] < 0)
            runs[k] = (long long)c->nruns;
    }
    size_t ne = 0;
    if (!(e = calloc(nidx[0] + nidx[1] + 1, sizeof *e))) {
        rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (int k = 0; k < 2; k++)
        for (size_t jj = 0; jj < nidx[k]; jj++) {
            const char *nm = idx[k][jj] < nent[k] ? ent[k][idx[k][jj]] : "?";
            size_t i = 0;
            while (i < ne && strcmp(e[i].name, nm))
                i++;
            if (i == ne)
                e[ne++] = (cmp_ent){ nm, { SIZE_MAX, SIZE_MAX }, idx[k][jj], k, 0, 0 };
            e[i].pos[k] = jj;
        }
    int named = gi < G_COUNT && sel[0].named[gi];
    if (ne > MAX_CMP && !named) {
        for (int k = 0; k < 2; k++)
            if (file[k] >= 0 && (rc = read_means(c, file[k], nidx[k], &mean[k], &mrows[k])))
                goto out;
        for (size_t i = 0; i < ne; i++) {
            if (e[i].pos[0] == SIZE_MAX || e[i].pos[1] == SIZE_MAX) {
                e[i].score = INFINITY;      /* in one arm only: a difference for sure */
                continue;
            }
            for (size_t t = 0; t < mrows[0] && t < mrows[1]; t++) {
                double d = mean[1][t * nidx[1] + e[i].pos[1]] - mean[0][t * nidx[0] + e[i].pos[0]];
                if (isfinite(d))
                    e[i].score += fabs(d);
            }
        }
        /* a stable choice: sort a copy of the scores, keep those above the cut */
        cmp_ent *sorted = malloc(ne * sizeof *sorted);
        if (!sorted) {
            rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        memcpy(sorted, e, ne * sizeof *e);
        qsort(sorted, ne, sizeof *sorted, cmp_score_desc);
        double cut = sorted[MAX_CMP - 1].score;
        free(sorted);
        size_t kept = 0;
        for (size_t i = 0; i < ne; i++)
            if (e[i].score > cut && kept < MAX_CMP)
                e[i].shown = 1, kept++;
        for (size_t i = 0; i < ne && kept < MAX_CMP; i++)
            if (!e[i].shown && e[i].score == cut)
                e[i].shown = 1, kept++;
        *others += ne - kept;
    } else
        for (size_t i = 0; i < ne; i++)
            e[i].shown = 1;
    for (size_t i = 0; i < ne; i++) {
        if (!e[i].shown)
            continue;
        const char *col = entity_colour(&sel[e[i].arm], group, e[i].name, e[i].gidx);
        for (int k = 0; k < 2; k++)     /* bands first, under the lines */
            if (e[i].pos[k] != SIZE_MAX && bands[k] > 0) {
                fprintf(gp, "%s'd%d.dat' using 1:%zu:%zu with filledcurves fc rgb '%s' "
                            "fs transparent %s noborder notitle", sep(first), file[k],
                        3 + 3 * e[i].pos[k], 4 + 3 * e[i].pos[k], col,
                        k ? "solid 0.22" : "pattern 4");
                if (bcol && !*bcol)
                    *bcol = col;
                else if (bcol && strcmp(*bcol, col))
                    *bmany = 1;
            }
    }
    for (size_t i = 0; i < ne; i++) {
        if (!e[i].shown)
            continue;
        const char *col = entity_colour(&sel[e[i].arm], group, e[i].name, e[i].gidx);
        for (int k = 0; k < 2; k++)
            if (e[i].pos[k] != SIZE_MAX) {
                fprintf(gp, "%s'd%d.dat' using 1:%zu with lines lc rgb '%s' %s lw %.1f notitle",
                        sep(first), file[k], 2 + 3 * e[i].pos[k], col,
                        k ? "dt 1" : "dt (7,5)", k ? lw : lw * 0.8);
                *drawn = 1;
            }
        fprintf(legend, ", \\\n     keyentry with lines lc rgb '%s' lw 5 title ", col);
        gp_str(legend, e[i].name);
        if (e[i].pos[0] == SIZE_MAX || e[i].pos[1] == SIZE_MAX) {
            fputs(".", legend);
            gp_str(legend, e[i].pos[0] == SIZE_MAX ? " (not in " : " (only in ");
            fputs(".", legend);
            gp_str(legend, a->name[0]);
            fputs(".')'", legend);
        }
        (*nlegend)++;
    }
out:
    for (int k = 0; k < 2; k++) {
        free(idx[k]);
        free(mean[k]);
    }
    free(e);
    return rc;
}

/* A series chart of a comparison: each panel draws its series for both
 * arms. */
static int draw_cmp_series(plot_ctx *c, const out_plot_cmp *a, const selection sel[2],
                           const chart_def *cd, const int shown[4], int npanels, int rows,
                           int cols, int w)
{
    FILE *gp = c->gp;
    const out_reader *rb = a->arm[0], *rp = a->arm[1];
    const char *d0 = out_reader_time_date(rb, 0);
    const char *e0 = out_reader_time_date(rb, out_reader_time_count(rb) - 1);
    const char *e1 = out_reader_time_date(rp, out_reader_time_count(rp) - 1);
    const char *p0 = out_reader_time_date(rp, 0);
    if (strcmp(p0, d0) < 0)
        d0 = p0;
    if (strcmp(e1, e0) > 0)
        e0 = e1;
    const double *hrs = out_reader_time_hours(rb);
    double span_d = (hrs[out_reader_time_count(rb) - 1] - hrs[0]) / 24.0;
    fprintf(gp, "set xdata time\nset timefmt '%s'\n",
            strlen(d0) >= 16 && d0[10] == 'T' ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d");
    fprintf(gp, "set format x '%s'\n",
            span_d > 120 ? (npanels > 2 ? "%b ''%y" : "%b %Y") : span_d > 3 ? "%d %b" : "%d %b %H:%M");
    fputs("set xrange [", gp);
    gp_str(gp, d0);
    fputc(':', gp);
    gp_str(gp, e0);
    fputs("]\n", gp);
    fputs("set xtics rotate by 30 right offset 0.5,0 nomirror\nset ytics nomirror\n"
          "set xlabel 'Date'\nset grid lc rgb '#e0e0e0'\nset border 3\n"
          "set datafile missing 'NaN'\nset lmargin 12\n", gp);
    time_tics(gp, d0, e0, span_d, npanels > 2);
    if (npanels > 1)    /* the legend under each panel: the plots keep the width; the
                         * dates say what the axis is, and 'Date' sat on the legend
                         * (an empty label keeps the room between them) */
        fputs("set key outside below center horizontal Left reverse samplen 3 maxcols 3 "
              "width 2\nset rmargin 5\nset xlabel ' '\n", gp);
    else
        fputs("set key outside right top vertical Left reverse samplen 3 spacing 1.1\n", gp);
    size_t nb = out_reader_run_count(rb), np = out_reader_run_count(rp);
    char detail[600];
    int len = snprintf(detail, sizeof detail, "%s solid, %s dashed; ", a->name[1], a->name[0]);
    size_t nmax = nb > np ? nb : np;
    if (nb > 1 || np > 1)
        len += snprintf(detail + len, sizeof detail - (size_t)len,
                        "mean of %zu runs per arm (common random numbers); bands: %s",
                        nmax, nmax < MIN_RUNS_PCT ? "the range of the runs (min to max)"
                        : "5th to 95th percentile");
    else
        len += snprintf(detail + len, sizeof detail - (size_t)len, "one run per arm");
    const out_plot_opts *o = c->o;
    if (o && (o->nregions || o->ndatacenters || o->ncities || o->nprograms)) {
        len += snprintf(detail + len, sizeof detail - (size_t)len, "; selected:");
        const char *const *lists[G_COUNT] = { o->regions, o->datacenters, o->cities, o->programs };
        size_t counts[G_COUNT] = { o->nregions, o->ndatacenters, o->ncities, o->nprograms };
        int nsel = 0;           /* "selected: shanghai, beijing" */
        for (int g = 0; g < G_COUNT; g++)
            for (size_t i = 0; i < counts[g] && (size_t)len + 90 < sizeof detail; i++)
                len += snprintf(detail + len, sizeof detail - (size_t)len, "%s %.80s",
                                nsel++ ? "," : "", lists[g][i]);
    }
    char what[300], title[1400];
    snprintf(what, sizeof what, "%s: %s vs %s", cd->title, a->name[1], a->name[0]);
    cmp_title(a, what, detail, title, sizeof title);
    fprintf(gp, "set multiplot layout %d,%d title ", rows, cols);
    gp_str_wrapped(gp, title, title_chars(w));
    fputs(" font ',13'\n", gp);
    int rc = SIM_OK;
    char *lbuf = NULL;
    size_t lsize = 0;
    for (int i = 0; i < cd->npanels && rc == SIM_OK; i++) {
        if (!shown[i])
            continue;
        const panel_def *p = &cd->panels[i];
        const out_series_info *s = out_reader_series_find(rb, p->group, p->name);
        if (!s)
            s = out_reader_series_find(rp, p->group, p->name);
        scaled sc = scale_for(s->unit, p->percent);
        FILE *legend = open_memstream(&lbuf, &lsize);
        if (!legend) {
            rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        /* the plot clauses go to a buffer first: the axis settings
         * depend on the values they find */
        char *pbuf = NULL;
        size_t psize = 0;
        FILE *plot = open_memstream(&pbuf, &psize);
        if (!plot) {
            fclose(legend);
            free(lbuf);
            lbuf = NULL;
            rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        c->gp = plot;
        double vmax = -INFINITY, vmin = INFINITY;
        int first = 1, bands[2] = { 0, 0 }, drawn = 0;
        size_t others = 0, nlegend = 0;
        long long runs[2] = { 0, 0 };
        int range[2] = { 0, 0 };
        const char *bcol = NULL;        /* the first band's colour */
        int bmany = 0;                  /* 1: the bands have several colours */
        rc = cmp_layer(c, a, sel, p->group, p->name, p->percent, 2.4, &first, &vmax, &vmin,
                       bands, &others, legend, &nlegend, runs, range, &drawn, &bcol, &bmany);
        size_t others_dc = 0;
        /* data centers chosen by name: thin lines over the regions, no bands */
        if (rc == SIM_OK && cd == &charts[OUT_CHART_UTILIZATION] && sel[0].named[G_DATACENTER]) {
            int b2[2] = { -1, -1 };
            long long r2[2];
            int g2[2];
            rc = cmp_layer(c, a, sel, "datacenter", "utilization", 1, 1.4, &first, &vmax, &vmin,
                           b2, &others_dc, legend, &nlegend, r2, g2, &drawn, NULL, NULL);
        }
        c->gp = gp;
        fclose(plot);
        fclose(legend);
        if (rc != SIM_OK) {
            free(pbuf);
            break;
        }
        panel_head(gp, p, sc.unit, npanels > 1, vmax == 0 && vmin == 0);
        if (!p->percent)    /* %g: the entities not drawn may be far larger than those drawn */
            fprintf(gp, "set yrange [%s:*]\nset format y '%%g'\n",
                    vmin >= 0 || !isfinite(vmin) ? "0" : "*");
        fputs("plot ", gp);
        if (first)
            fputs("NaN notitle", gp);
        else
            fwrite(pbuf, 1, psize, gp);
        free(pbuf);
        /* the legend: entities by colour, arms by dash, bands by fill; the
         * arms' entries in the bands' colour when they have one (a band's
         * swatch has its colour), else grey, and a line that says so */
        fwrite(lbuf, 1, lsize, gp);
        free(lbuf);
        lbuf = NULL;
        const char *acol = bcol && !bmany ? bcol : "#404040";
        for (int k = 1; k >= 0; k--) {
            fprintf(gp, ", \\\n     keyentry with lines lc rgb '%s' %s lw %.1f title ", acol,
                    k ? "dt 1" : "dt (7,5)", k ? 2.4 : 1.9);
            gp_str(gp, a->name[k]);
        }
        for (int k = 1; k >= 0; k--)
            if (bands[k]) {
                char t[200], bl[100];
                band_label(range[k], runs[k], bl, sizeof bl);
                snprintf(t, sizeof t, "%.40s: %s", a->name[k], bl);
                fprintf(gp, ", \\\n     keyentry with filledcurves fc rgb '%s' "
                            "fs transparent %s title ", bcol && !bmany ? bcol : "#707070",
                        k ? "solid 0.35" : "pattern 4");
                gp_str(gp, t);
            }
        if (bmany && (bands[0] || bands[1]))
            fputs(", \\\n     keyentry with lines lc rgb '#ffffff' title '(each band in its "
                  "line''s colour)'", gp);
        for (int l = 0; l < 2; l++) {
            size_t no = l ? others_dc : others;
            const char *grp = l ? "datacenter" : p->group;
            if (!no)
                continue;
            char t[200];
            int gi = G_COUNT;
            for (int g = 0; g < G_COUNT; g++)
                if (!strcmp(grp, gnames[g]))
                    gi = g;
            snprintf(t, sizeof t, "(%zu other %s not drawn: choose with --%s)", no,
                     gi < G_COUNT ? (no == 1 ? gwords[gi] : gplural[gi]) : grp,
                     gi < G_COUNT ? gnames[gi] : grp);
            fputs(", \\\n     keyentry with lines lc rgb '#ffffff' title ", gp);
            gp_str(gp, t);
        }
        fputc('\n', gp);
        (void)nlegend;
    }
    free(lbuf);
    fputs("unset multiplot\n", gp);
    return rc;
}

/* A row of the difference chart, and how its unit is shown. */
typedef struct drow {
    size_t      row;        /* in /compare/differences */
    int         kind;       /* its panel */
} drow;

typedef struct dkind {
    char        unit[64];   /* the table's unit; "days" for run-out times in h */
    int         stock;      /* levels at the horizon (budget left), not amounts over the window */
    int         timeline;   /* run-out times without a paired difference (runout_panel) */
    const char *shown;      /* as on the axis */
    const char *suffix;     /* after each number beside a row: " d" for days, else "" */
    double      factor;
    size_t      nrows;
    double      maxabs;
} dkind;

static void dkind_scale(dkind *k)
{
    k->factor = 1.0;
    k->shown = k->unit;
    k->suffix = "";
    if (!strcmp(k->unit, "1"))
        k->shown = "percentage points", k->factor = 100.0;
    else if (!strcmp(k->unit, "%"))
        k->shown = "percentage points";
    else if (!strcmp(k->unit, "CNY") || !strcmp(k->unit, "yuan")) {
        if (k->maxabs >= 1e5)
            k->shown = "M CNY", k->factor = 1e-6;
    } else if (!strcmp(k->unit, "days")) {
        /* the rows' names end in _h, their table's unit: the axis and
         * every number say days */
        k->factor = 1.0 / 24.0;
        k->shown = "days: the rows' hours / 24";
        k->suffix = " d";
    }
}

/* A panel's height, px: the axis and its label, and each row (two lines
 * for a run-out timeline); the first panel leaves room under the title. */
static double panel_px(const dkind *k, int first)
{
    return 60.0 + (k->timeline ? 72.0 : 24.0) * (double)k->nrows + (first ? 28.0 : 0.0);
}

/* Is row r of /compare/differences a stock, a level at the horizon
 * (a program's opening budget, commitments, budget left; jobs waiting or
 * running at the end), rather than an amount that flowed over the window?
 * Stocks are drawn in panels of their own: a budget of a billion would
 * flatten the millions spent beside it. */
static int diff_is_stock(const out_table *t, const diff_cols *d, size_t r)
{
    static const char *const measures[] = { "opening", "committed", "left", "jobs_waiting_end",
                                            NULL };
    const char *sec = t->text[d->section][r];
    const char *m = !strcmp(sec, "total") ? t->text[d->total][r] : t->text[d->measure][r];
    if (!strcmp(sec, "total"))
        return !strncmp(m, "budget_left", 11) || !strcmp(m, "firms_pending_decision")
               || !strncmp(m, "gpu_hours_owed_", 15) || !strcmp(m, "gpu_hours_in_progress")
               || (strlen(m) > 4 && !strcmp(m + strlen(m) - 4, "_end"));
    for (size_t i = 0; measures[i]; i++)
        if (!strcmp(m, measures[i]))
            return 1;
    return 0;
}

/* A row whose interval and |difference| are both smaller than this share
 * of the largest |difference| + half-width of its panel goes to a panel
 * of its own, on its own scale, under it: under a 25th of the axis
 * (about 20 px) an interval is a dot beside zero. */
#define DIFF_MAG_SPLIT 0.04

/* "-24.46", "1,651", "2.5e-05": numbers as in a report. */
static void fmt_g(double x, char *buf, size_t n)
{
    double a = fabs(x);
    if (!isfinite(x))
        snprintf(buf, n, "-");
    else if (a >= 1e3 && a < 1e15) {    /* whole, grouped, as the tics */
        out_fmt_grouped(x, buf, n);
    } else if (a != 0 && a < 1e-3)
        snprintf(buf, n, "%.3g", x);
    else
        snprintf(buf, n, "%.4g", x);
}

/* Is row r of /compare/differences a run-out time (hours from start)? */
static int diff_is_runout(const out_table *t, const diff_cols *d, size_t r)
{
    const char *m = t->text[d->measure][r];
    return (!strncmp(m, "runout_", 7) || !strncmp(m, "exhaustion_", 11))
           && !strcmp(t->text[d->unit][r], "h");
}

/* The rows of the difference chart: o->outcomes (totals by name, or the
 * measures of the selected regions, cities and programs), the measures
 * of the selected entities, or the headline totals. */
static int pick_diff_rows(plot_ctx *c, const out_table *t, const diff_cols *d, drow *rows,
                          size_t *n)
{
    const out_plot_opts *o = c->o;
    *n = 0;
    size_t no = o ? o->noutcomes : 0;
    size_t nsel = o ? o->nregions + o->ncities + o->nprograms : 0;
    if (o && o->ndatacenters && !nsel && !no)
        return ctx_fail(c, SIM_ENOENT, "chart 'difference': /compare/differences has no rows "
                        "per data center (only totals and program, city and region measures)");
    int overflow = 0;
#define ADD_ROW(i_) do { \
        int dup_ = 0; \
        for (size_t q_ = 0; q_ < *n; q_++) \
            dup_ |= rows[q_].row == (i_); \
        if (!dup_ && *n < MAX_DIFF_ROWS) \
            rows[(*n)++] = (drow){ (i_), 0 }; \
        else if (!dup_) \
            overflow = 1; \
    } while (0)
    if (nsel) {
        static const char *const secs[3] = { "region", "city", "program" };
        const char *const *lists[3] = { o->regions, o->cities, o->programs };
        size_t counts[3] = { o->nregions, o->ncities, o->nprograms };
        for (int s = 0; s < 3; s++)
            for (size_t e = 0; e < counts[s]; e++)
                for (size_t i = 0; i < t->nrows; i++)
                    if (!strcmp(t->text[d->section][i], secs[s])
                        && !strcmp(t->text[d->entity][i], lists[s][e])
                        && (!no || in_list(t->text[d->measure][i], o->outcomes, no)))
                        ADD_ROW(i);
    }
    for (size_t k = 0; k < no; k++)
        for (size_t i = 0; i < t->nrows; i++)
            if (!strcmp(t->text[d->total][i], o->outcomes[k]))
                ADD_ROW(i);
    if (!nsel && !no) {
        c->headline = 1;
        for (size_t k = 0; headline_totals[k]; k++)
            for (size_t i = 0; i < t->nrows; i++)
                if (!strcmp(t->text[d->section][i], "total")
                    && !strcmp(t->text[d->total][i], headline_totals[k]))
                    ADD_ROW(i);
        /* and when each program runs out, for the programs whose arms
         * differ in it: one arm runs out and the other never does (the
         * money lasts in one arm only), or the paired difference
         * excludes 0 */
        int nb = table_col(t, "n_base", 0), np = table_col(t, "n_policy", 0);
        size_t shown = 0;
        for (size_t i = 0; nb >= 0 && np >= 0 && i < t->nrows; i++) {
            if (strcmp(t->text[d->section][i], "program") || !diff_is_runout(t, d, i))
                continue;
            const double *v = t->num + i * t->ncols;
            int differ = (v[nb] == 0) != (v[np] == 0) || (v[d->n] >= 2 && isfinite(v[d->hw])
                                             && fabs(v[d->diff]) > v[d->hw]);
            if (!differ)
                continue;
            if (shown == 2 * MAX_RUNOUT_PROGRAMS) {
                c->runout_more = 1;
                break;
            }
            /* both of the program's run-out rows, side by side */
            for (size_t j = 0; j < t->nrows; j++)
                if (!strcmp(t->text[d->section][j], "program") && diff_is_runout(t, d, j)
                    && !strcmp(t->text[d->entity][j], t->text[d->entity][i])) {
                    int dup = 0;
                    for (size_t q = 0; q < *n; q++)
                        dup |= rows[q].row == j;
                    if (!dup) {
                        ADD_ROW(j);
                        shown++;
                    }
                }
        }
    }
#undef ADD_ROW
    if (overflow)
        return ctx_fail(c, SIM_EINVAL, "chart 'difference': more than %d rows: choose fewer "
                        "with --outcome", MAX_DIFF_ROWS);
    if (*n == 0)
        return ctx_fail(c, SIM_ENOENT, "chart 'difference': /compare/differences has no row "
                        "for this selection%s", no && nsel ? " (--outcome names measures of "
                        "the selected entities, or totals)" : "");
    return SIM_OK;
}

/* Why row r has no difference, in compare's words: a mean wait over no
 * firm jobs in an arm (n_base or n_policy 0) is "policy: no jobs" (compare
 * prints "no jobs" in that arm's column), "base, policy: no jobs" in both;
 * another row without a value in an arm's runs "no value in policy" (as
 * export's differences.csv and summary's CSV name it); else the file's
 * status ("absent in base"), or "no run with a value in both arms". */
static void no_value_label(const out_plot_cmp *a, const out_table *t, const diff_cols *d,
                           size_t r, char *buf, size_t size)
{
    const char *st = t->text[d->status][r];
    int nb = table_col(t, "n_base", 0), np = table_col(t, "n_policy", 0);
    if (strcmp(st, "both") != 0) {
        snprintf(buf, size, "%s", st);
        return;
    }
    int none[2] = { nb >= 0 && t->num[r * t->ncols + (size_t)nb] == 0,
                    np >= 0 && t->num[r * t->ncols + (size_t)np] == 0 };
    if (!none[0] && !none[1]) {
        snprintf(buf, size, "no run with a value in both arms");
        return;
    }
    int wait = !strcmp(t->text[d->unit][r], "h") && strstr(t->text[d->measure][r], "wait");
    if (wait && none[0] && none[1])
        snprintf(buf, size, "%.40s, %.40s: no jobs", a->name[0], a->name[1]);
    else if (wait)
        snprintf(buf, size, "%.40s: no jobs", a->name[none[0] ? 0 : 1]);
    else if (none[0] && none[1])
        snprintf(buf, size, "no value in either");
    else
        snprintf(buf, size, "no value in %.40s", a->name[none[0] ? 0 : 1]);
}

/* The numbers beside a row of the difference chart, in its panel's unit:
 * "-24.46  [-25.1, -23.81]  n=4", or why there is none (no_value_label);
 * each number followed by u (" d": run-out hours drawn as days, beside a
 * name that ends in _h), when not "". */
static void value_label(const out_plot_cmp *a, const out_table *t, const diff_cols *d,
                        size_t r, double factor, const char *u, char *buf, size_t size)
{
    double dv = t->num[r * t->ncols + (size_t)d->diff];
    double hw = t->num[r * t->ncols + (size_t)d->hw];
    double nn = t->num[r * t->ncols + (size_t)d->n];
    double m = dv * factor, hh = isfinite(hw) ? hw * factor : 0;
    char sm[40], sl[40], sh[40];
    fmt_g(m, sm, sizeof sm);
    fmt_g(m - hh, sl, sizeof sl);
    fmt_g(m + hh, sh, sizeof sh);
    if (!isfinite(m))
        no_value_label(a, t, d, r, buf, size);
    else if (isfinite(hw) && nn >= 2)
        snprintf(buf, size, "%s%s  [%s%s, %s%s]  n=%.0f", sm, u, sl, u, sh, u, nn);
    else
        snprintf(buf, size, "%s%s  (n=%.0f, no interval)", sm, u, nn);
}

/* Days since 1970-01-01 of r's /@start_date (digits checked); -1 when it
 * has none. */
static int start_day(const out_reader *r, long long *day0)
{
    const out_attr *sd = out_reader_attr_find(r, "start_date");
    if (!sd || sd->kind != OUT_ATTR_STRING || !sd->s)
        return -1;
    const char *s = sd->s;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return -1;
    unsigned y = (unsigned)atoi(s), m = (unsigned)atoi(s + 5), d = (unsigned)atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *day0 = days_from_civil(y, m, d);
    return 0;
}

/* One arm's run-out time of a row: over its runs in which the money runs
 * out within the window (the scalar not NaN and not past the last
 * sample, as `summary` and `compare` count them), the mean hour, its 95%
 * Student-t interval and how many. */
typedef struct arm_runout {
    int    absent;          /* the arm has no such scalar */
    size_t k, runs;
    double mean_h, lo_h, hi_h;  /* NaN when k = 0; lo, hi = mean when k = 1 */
} arm_runout;

/* The /scalars column of arm r behind run-out row `row` (a total by its
 * name; a program's measure as exhaustion_h.<p> or exhaustion_final_h.<p>),
 * or out_reader_scalar_cols(r) when the arm has none. */
static size_t runout_col(const out_reader *r, const out_table *t, const diff_cols *d,
                         size_t row)
{
    char name[400];
    const char *m = t->text[d->measure][row];
    if (!strcmp(t->text[d->section][row], "total"))
        snprintf(name, sizeof name, "%s", t->text[d->total][row]);
    else
        snprintf(name, sizeof name, "%s.%s", !strcmp(m, "runout_final_h") ? "exhaustion_final_h"
                 : "exhaustion_h", t->text[d->entity][row]);
    size_t nc = out_reader_scalar_cols(r), col = nc;
    for (size_t j = 0; j < nc && col == nc; j++)
        if (!strcmp(out_reader_scalar_name(r, j), name))
            col = j;
    return col;
}

/* The hour of r's last sample: a run-out after it is not in the window. */
static double window_end_h(const out_reader *r)
{
    size_t nt = out_reader_time_count(r);
    const double *hrs = out_reader_time_hours(r);
    return nt && hrs ? hrs[nt - 1] : INFINITY;
}

static arm_runout runout_of(const out_reader *r, const out_table *t, const diff_cols *d,
                            size_t row)
{
    arm_runout a = { 1, 0, out_reader_scalar_rows(r), NAN, NAN, NAN };
    size_t nc = out_reader_scalar_cols(r), col = runout_col(r, t, d, row);
    const double *v = out_reader_scalar_values(r);
    if (col == nc || !v)
        return a;
    a.absent = 0;
    double end_h = window_end_h(r);
    sim_welford w;
    sim_welford_init(&w);
    for (size_t i = 0; i < a.runs; i++) {
        double x = v[i * nc + col];
        if (isfinite(x) && x <= end_h)
            sim_welford_add(&w, x);
    }
    a.k = (size_t)w.n;
    if (a.k) {
        a.mean_h = w.mean;
        double hw = sim_welford_ci(&w, 0.95);
        a.lo_h = isfinite(hw) ? a.mean_h - hw : a.mean_h;
        a.hi_h = isfinite(hw) ? a.mean_h + hw : a.mean_h;
    }
    return a;
}

/* "2025-10-21" for hour h after the start day (clipped to 0..end_h). */
static void day_text(long long day0, double h, double end_h, char *buf, size_t size)
{
    h = fmin(fmax(h, 0.0), end_h);
    char full[64];
    date_at(day0, h, full, sizeof full);
    snprintf(buf, size, "%.10s", full);
}

/* The words over an arm's line: "runs out 2025-10-21 (95% CI 10-19 ..
 * 10-23), 20/20 runs" (the interval's ends without their year when it is
 * the mean's), "never runs out in the window, 0/20 runs", "absent". */
static void runout_words(const arm_runout *a, long long day0, int dated, double end_h,
                         char *buf, size_t size)
{
    char m[32], lo[32], hi[32];
    if (a->absent)
        snprintf(buf, size, "absent");
    else if (a->k == 0)
        snprintf(buf, size, "never runs out in the window, 0/%zu runs", a->runs);
    else if (!dated)
        snprintf(buf, size, "runs out at %.0f h, %zu/%zu runs", a->mean_h, a->k, a->runs);
    else {
        day_text(day0, a->mean_h, end_h, m, sizeof m);
        day_text(day0, a->lo_h, end_h, lo, sizeof lo);
        day_text(day0, a->hi_h, end_h, hi, sizeof hi);
        int same = !strncmp(lo, m, 5) && !strncmp(hi, m, 5);
        if (a->k >= 2)
            snprintf(buf, size, "runs out %s (95%% CI %s .. %s), %zu/%zu runs", m,
                     same ? lo + 5 : lo, same ? hi + 5 : hi, a->k, a->runs);
        else
            snprintf(buf, size, "runs out %s, %zu/%zu runs", m, a->k, a->runs);
    }
}

/* The words beside a run-out row whose paired difference is exactly 0,
 * in every pair (a program the policy does not touch runs out on the same
 * hour in both arms): "0: both run out 2025-11-17 [11-10, 11-24], 4/4
 * runs", the mean date over the paired runs in which it runs out in the
 * window with its 95% Student-t interval (the ends without their year
 * when it is the mean's) and in how many of the runs, so that a reader
 * sees when, and that it does not move.
 * Returns 1 when it wrote them, 0 when the row is not such a row (or the
 * file has no start date or no such scalars: the plain numbers then). */
static int same_date_label(const out_plot_cmp *a, const diff_cols *d, size_t row, char *buf,
                           size_t size)
{
    const out_table *t = a->diffs;
    const double *v = t->num + row * t->ncols;
    double dv = v[d->diff], hw = v[d->hw], nn = v[d->n];
    long long day0;
    if (!diff_is_runout(t, d, row) || dv != 0 || !(nn >= 1) || (nn >= 2 && hw != 0)
        || start_day(a->arm[0], &day0) != 0)
        return 0;
    const out_reader *rb = a->arm[0], *rp = a->arm[1];
    size_t cb = runout_col(rb, t, d, row), cp = runout_col(rp, t, d, row);
    size_t ncb = out_reader_scalar_cols(rb), ncp = out_reader_scalar_cols(rp);
    const double *vb = out_reader_scalar_values(rb), *vp = out_reader_scalar_values(rp);
    if (cb == ncb || cp == ncp || !vb || !vp)
        return 0;
    size_t runs = out_reader_scalar_rows(rb);
    if (out_reader_scalar_rows(rp) < runs)
        runs = out_reader_scalar_rows(rp);
    double eb = window_end_h(rb), ep = window_end_h(rp);
    sim_welford w;
    sim_welford_init(&w);
    for (size_t i = 0; i < runs; i++) {
        double x = vb[i * ncb + cb], y = vp[i * ncp + cp];
        if (!(isfinite(x) && x <= eb && isfinite(y) && y <= ep))
            continue;
        if (x != y)         /* not the same date after all */
            return 0;
        sim_welford_add(&w, x);
    }
    if (w.n == 0 || (double)w.n != nn)
        return 0;
    double end_h = fmin(eb, ep), ci = w.n >= 2 ? sim_welford_ci(&w, 0.95) : NAN;
    char m[32], lo[32], hi[32];
    day_text(day0, w.mean, end_h, m, sizeof m);
    if (!isfinite(ci)) {
        snprintf(buf, size, "0: both run out %s, %lld/%zu runs", m, (long long)w.n, runs);
        return 1;
    }
    day_text(day0, w.mean - ci, end_h, lo, sizeof lo);
    day_text(day0, w.mean + ci, end_h, hi, sizeof hi);
    int same = !strncmp(lo, m, 5) && !strncmp(hi, m, 5);
    snprintf(buf, size, "0: both run out %s [%s, %s], %lld/%zu runs", m, same ? lo + 5 : lo,
             same ? hi + 5 : hi, (long long)w.n, runs);
    return 1;
}

/* The run-out panel: rows whose paired difference does not exist because
 * an arm never runs out (or only one arm has the program). Each row a
 * timeline of the window, an arm per line (base dashed above, policy
 * solid below, named on the right): the money lasts from the start to
 * the mean run-out date, a dot there with its 95% interval, or to the
 * window's end with an arrow when it never runs out in the window; the
 * words over each line say when, in how many runs. Data file r<N>.dat
 * (not d<N>: it holds no differences), a line per arm of each row: y,
 * mean, lo, hi (days from start; NaN: never), the line's end (days; NaN:
 * the arm has no such program), arm (0 base, 1 policy), runs with a
 * run-out, runs; r<N>.names the rows' names. */
static int runout_panel(plot_ctx *c, const out_plot_cmp *a, const diff_cols *d,
                        const drow *rows_in, size_t n, int k, size_t nrows, double pw)
{
    FILE *gp = c->gp;
    const out_table *t = a->diffs;
    long long day0 = 0;
    int dated = start_day(a->arm[0], &day0) == 0;
    size_t nt = out_reader_time_count(a->arm[0]);
    const double *hrs = out_reader_time_hours(a->arm[0]);
    double end_h = nt && hrs && isfinite(hrs[nt - 1]) && hrs[nt - 1] > 0 ? hrs[nt - 1] : NAN;
    char path[4300], npath[4300];
    snprintf(path, sizeof path, "%s/r%d.dat", c->dir, c->nfiles);
    snprintf(npath, sizeof npath, "%s/r%d.names", c->dir, c->nfiles);
    FILE *df = fopen(path, "w"), *nf = fopen(npath, "w");
    if (!df || !nf) {
        int e = errno;
        if (df)
            fclose(df);
        if (nf)
            fclose(nf);
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                           strerror(e));
    }
    int fn = c->nfiles++;
    double end_d = isfinite(end_h) ? end_h / 24.0 : 0;
    size_t y = nrows, nl = 0;
    struct { char words[300]; const char *arm; double y, x; int just, arrow, raise; } *lab
        = calloc(2 * nrows + 1, sizeof *lab);
    if (!lab) {
        fclose(df), fclose(nf);
        return sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    fputs("unset label\nset ytics (", gp);
    int firsttic = 1;
    for (size_t i = 0; i < n; i++) {
        if (rows_in[i].kind != k)
            continue;
        size_t r = rows_in[i].row;
        y--;
        char name[600];
        if (!strcmp(t->text[d->section][r], "total"))
            snprintf(name, sizeof name, "%s", t->text[d->total][r]);
        else
            snprintf(name, sizeof name, "%s: %s", t->text[d->entity][r], t->text[d->measure][r]);
        for (char *q = name; *q; q++)
            if ((unsigned char)*q < 0x20)
                *q = ' ';
        fprintf(nf, "%s\n", t->text[d->total][r][0] ? t->text[d->total][r] : name);
        if (strlen(name) > 56)
            strcpy(name + 53, "...");
        fputs(firsttic ? "" : ", ", gp);
        firsttic = 0;
        gp_str(gp, name);
        fprintf(gp, " %zu", y);
        for (int arm = 0; arm < 2; arm++) {
            arm_runout ar = runout_of(a->arm[arm], t, d, r);
            double ya = (double)y + (arm ? -0.25 : 0.25);
            double m = ar.mean_h / 24.0, lo = ar.lo_h / 24.0, hi = ar.hi_h / 24.0;
            if (ar.k)
                fprintf(df, "%.4f %.10g %.10g %.10g %.10g %d %zu %zu\n", ya, m, fmax(lo, 0),
                        fmin(hi, end_d), m, arm, ar.k, ar.runs);
            else if (ar.absent)
                fprintf(df, "%.4f NaN NaN NaN NaN %d 0 0\n", ya, arm);
            else
                fprintf(df, "%.4f NaN NaN NaN %.10g %d 0 %zu\n", ya, end_d, arm, ar.runs);
            runout_words(&ar, day0, dated && isfinite(end_h), end_h, lab[nl].words,
                         sizeof lab[nl].words);
            lab[nl].arm = a->name[arm];
            lab[nl].y = ya;
            /* the words end before a late dot (or the arrow), start after an early one */
            lab[nl].just = ar.k == 0 || m > 0.45 * end_d;
            lab[nl].arrow = ar.k == 0 && !ar.absent;
            lab[nl].raise = 0;
            lab[nl].x = ar.absent ? NAN : ar.k == 0 ? end_d : lab[nl].just ? fmax(lo, 0)
                        : fmin(hi, end_d);
            /* the words stay in the panel (pw px wide; a 9-point character
             * about 6.5 px): before the interval, else after it, else from
             * the window's start, raised clear of the interval's caps (with
             * long row names the panel is narrow: they ran off its left) */
            double need = 6.5 * (double)strlen(lab[nl].words) + 8, px = end_d > 0 ? pw / end_d : 0;
            if (isfinite(lab[nl].x) && px > 0 && !lab[nl].arrow) {
                double lo_px = fmax(lo, 0) * px, hi_px = fmin(hi, end_d) * px;
                if (lab[nl].just ? lo_px < need : pw - hi_px < need) {
                    if (lab[nl].just && pw - hi_px >= need)
                        lab[nl].just = 0, lab[nl].x = fmin(hi, end_d);
                    else if (!lab[nl].just && lo_px >= need)
                        lab[nl].just = 1, lab[nl].x = fmax(lo, 0);
                    else
                        lab[nl].just = 0, lab[nl].x = 0, lab[nl].raise = 1;
                }
            } else if (lab[nl].arrow && px > 0 && pw < need + 12)
                lab[nl].just = 0, lab[nl].x = 0, lab[nl].raise = 1;
            nl++;
        }
    }
    fputs(")\n", gp);
    for (size_t l = 0, id = 0; l < nl; l++) {
        char arm[48];
        snprintf(arm, sizeof arm, "%.40s", lab[l].arm);
        fprintf(gp, "set label %zu ", ++id);
        gp_str(gp, arm);
        fprintf(gp, " at graph 1.02, first %.4f left font ',9'\n", lab[l].y);
        if (isfinite(lab[l].x) && end_d > 0) {
            fprintf(gp, "set label %zu ", ++id);
            gp_str(gp, lab[l].words);
            fprintf(gp, " at first %.10g, first %.4f %s offset %s,%s font ',9' "
                        "tc rgb '#333333'\n", lab[l].x, lab[l].y, lab[l].just ? "right" : "left",
                    lab[l].raise ? "0.5" : lab[l].arrow ? "-2.5" : lab[l].just ? "-1" : "1",
                    lab[l].raise ? "1.05" : "0.65");    /* clear of the head, the caps */
        }
    }
    free(lab);
    int e = ferror(df) || ferror(nf) ? EIO : 0;
    if (fclose(df) != 0 && !e)
        e = errno;
    if (fclose(nf) != 0 && !e)
        e = errno;
    if (e)
        return sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                           strerror(e));
    /* the x axis: the window, tics at the first of every few months */
    fprintf(gp, "set xrange [0:%.10g]\nset yrange [-0.7:%zu.7]\nunset yzeroaxis\n",
            end_d > 0 ? end_d : 1.0, nrows - 1);
    if (dated && end_d > 0) {
        long long yy;
        unsigned mm, dd;
        civil_from_days(day0, &yy, &mm, &dd);
        double months = end_d / 30.4;
        int step = months <= 5 ? 1 : months <= 10 ? 2 : months <= 15 ? 3 : months <= 30 ? 6
                   : 12 * (int)ceil(months / 60.0);
        fputs("set xtics (", gp);
        int firstx = 1;
        long long mi = yy * 12 + (mm - 1) + (dd > 1);   /* the first month start in the window */
        mi = (mi + step - 1) / step * step;
        for (int q = 0; q < 40; q++, mi += step) {
            long long day = days_from_civil(mi / 12, (unsigned)(mi % 12) + 1, 1) - day0;
            if ((double)day > end_d + 1e-9)
                break;
            char buf[64];
            date_at(day0, (double)day * 24.0, buf, sizeof buf);
            fprintf(gp, "%s'%.10s' %lld", firstx ? "" : ", ", buf, day);
            firstx = 0;
        }
        fputs(")\n", gp);
    } else
        fputs("set xtics autofreq\nset format x '%g'\n", gp);
    fprintf(gp, "set xlabel %s\n", dated ? "'run-out date: mean over the runs in which the money "
            "runs out, 95% interval; an arrow: it never does (no paired difference)'"
            : "'days from the start until the money runs out; an arrow: it never does'");
    /* the money lasts: a line from the start (dashed for base, as in the
     * series charts), to the mean date, or on to the window's end with an
     * arrow; the dot and its interval */
    fprintf(gp, "plot 'r%d.dat' using (0):($6 == 0 && $7 > 0 ? $1 : NaN):5:(0) with vectors "
                "nohead dt (6,4) lw 2.5 lc rgb '#7f7f7f' notitle, \\\n"
                "     '' using (0):($6 == 1 && $7 > 0 ? $1 : NaN):5:(0) with vectors nohead "
                "lw 2.5 lc rgb '#1f78b4' notitle, \\\n"
                "     '' using (0):($6 == 0 && $7 == 0 ? $1 : NaN):5:(0) with vectors head "
                "filled size screen 0.012,25 dt (6,4) lw 2.5 lc rgb '#7f7f7f' notitle, \\\n"
                "     '' using (0):($6 == 1 && $7 == 0 ? $1 : NaN):5:(0) with vectors head "
                "filled size screen 0.012,25 lw 2.5 lc rgb '#1f78b4' notitle, \\\n"
                "     '' using 2:($6 == 0 ? $1 : NaN):3:4 with xerrorbars pt 7 ps 1.3 lw 1.8 "
                "lc rgb '#7f7f7f' notitle, \\\n"
                "     '' using 2:($6 == 1 ? $1 : NaN):3:4 with xerrorbars pt 7 ps 1.3 lw 1.8 "
                "lc rgb '#1f78b4' notitle\n"
                "set yzeroaxis lt -1 lw 1.2\nset xtics autofreq\n", fn);
    return SIM_OK;
}

/* The tics of a difference panel, every step from xlo to xhi, labelled
 * as a report writes them: one prefix for large numbers, with the
 * decimals the step needs and no more ("-100k", "0", "100k"; "0.5M",
 * "1M", "1.5M"), where gnuplot's "%.1s%c" gave "100.0k" and "0.0";
 * below that thousands grouped ("15,000"). */
static void diff_tics(FILE *gp, double xlo, double xhi, double step)
{
    static const char prefix[] = " kMGTPE";
    double big = fmax(fabs(xlo), fabs(xhi)), e3 = 1.0;
    int p = 0;
    if (big >= 1e5)
        for (; p < 6 && big >= 1000.0 * e3; p++)
            e3 *= 1000.0;
    double st = step / e3;
    int dec = st >= 1 ? 0 : (int)ceil(-log10(st) - 1e-9);
    dec = dec < 0 ? 0 : dec > 6 ? 6 : dec;
    fputs("set xtics (", gp);
    long long k0 = (long long)ceil(xlo / step - 1e-9), k1 = (long long)floor(xhi / step + 1e-9);
    for (long long k = k0, n = 0; k <= k1 && n < 40; k++, n++) {
        double v = (double)k * step;
        char lab[48];
        if (k == 0)
            snprintf(lab, sizeof lab, "0");
        else if (p > 0) {
            snprintf(lab, sizeof lab, "%.*f", dec, v / e3);
            char *dot = strchr(lab, '.');
            if (dot) {          /* no trailing zeros: "1.5", "1" */
                char *z = lab + strlen(lab) - 1;
                while (z > dot && *z == '0')
                    *z-- = '\0';
                if (z == dot)
                    *z = '\0';
            }
            size_t l = strlen(lab);
            if (l + 1 < sizeof lab)
                lab[l] = prefix[p], lab[l + 1] = '\0';
        } else if (fabs(v) >= 1000)    /* "15,000", as the numbers beside the rows */
            out_fmt_grouped(v, lab, sizeof lab);
        else
            snprintf(lab, sizeof lab, "%.10g", v);
        fprintf(gp, "%s'%s' %.10g", n ? ", " : "", lab, v);
    }
    fputs(")\n", gp);
}

/* Difference chart: each row of /compare/differences chosen, policy -
 * base with its 95% paired interval, a panel per unit, zero marked. The
 * data files hold y, the difference, interval low and high as drawn,
 * then the table's difference and half-width as read; d<N>.names the
 * rows' names in the same order (for tests and debugging). */
static int draw_difference(plot_ctx *c, const out_plot_cmp *a, const diff_cols *d,
                           const drow *rows_in, size_t n, dkind *kinds, int nkinds, int w,
                           int h, int top_px)
{
    FILE *gp = c->gp;
    const out_table *t = a->diffs;
    size_t maxn = 0, maxlab = 10;
    for (size_t i = 0; i < n; i++) {
        size_t r = rows_in[i].row;
        double v = t->num[r * t->ncols + (size_t)d->n];
        if (isfinite(v) && v > (double)maxn)
            maxn = (size_t)v;
        size_t ll = strlen(t->text[d->total][r]);
        if (strcmp(t->text[d->section][r], "total"))
            ll = strlen(t->text[d->entity][r]) + 2 + strlen(t->text[d->measure][r]);
        if (ll > maxlab)
            maxlab = ll;
    }
    if (maxlab > 56)
        maxlab = 56;
    size_t maxval = 20;     /* the right margin holds the longest numbers (9-point) */
    for (size_t i = 0; i < n; i++) {
        char vl[300];
        if (kinds[rows_in[i].kind].timeline) {
            for (int arm = 0; arm < 2; arm++)   /* the arms' names */
                if (strlen(a->name[arm]) > maxval)
                    maxval = strlen(a->name[arm]) > 40 ? 40 : strlen(a->name[arm]);
            continue;
        }
        if (!same_date_label(a, d, rows_in[i].row, vl, sizeof vl))
            value_label(a, t, d, rows_in[i].row, kinds[rows_in[i].kind].factor,
                        kinds[rows_in[i].kind].suffix, vl, sizeof vl);
        if (strlen(vl) > maxval)
            maxval = strlen(vl);
    }
    char more[240] = "";
    if (c->headline)
        snprintf(more, sizeof more, "; rows: compare's headline totals, the GPU-hours owed at "
                 "the horizon, co-payments and revenue (its other totals: --outcome NAME)");
    if (c->runout_more)
        snprintf(more + strlen(more), sizeof more - strlen(more), "; run-out dates of the first "
                 "%d programs whose arms differ in them (--program NAME for others)",
                 (int)MAX_RUNOUT_PROGRAMS);
    char detail[400], title[1400];
    snprintf(detail, sizeof detail, "%s - %s on common random numbers: mean over %zu paired "
             "runs with its 95%% paired Student-t interval; filled dot: the interval excludes 0, "
             "open: it includes 0%s",
             a->name[1], a->name[0], maxn, more);
    int totals_only = 1;
    for (size_t i = 0; i < n; i++)
        totals_only &= !strcmp(t->text[d->section][rows_in[i].row], "total");
    char what[200];
    snprintf(what, sizeof what, "Paired differences%s: %s - %s", totals_only ? " of totals" : "",
             a->name[1], a->name[0]);
    cmp_title(a, what, detail, title, sizeof title);
    fputs("set multiplot title ", gp);
    gp_str_wrapped(gp, title, title_chars(w));
    fputs(" font ',13'\n", gp);
    fprintf(gp, "set border 3\nset xtics nomirror\nset ytics nomirror scale 0\n"
                "set grid xtics lc rgb '#e0e0e0'\nset datafile missing 'NaN'\nset bars 1.5\n"
                "set yzeroaxis lt -1 lw 1.2\nset lmargin %zu\nset rmargin %zu\n"
                "set tmargin 1\nset bmargin 3.6\nset key off\n", maxlab + 3,
                maxval * 9 / 10 + 4);
    double y0 = 1.0 - (double)top_px / h;
    int rc = SIM_OK;
    double need = 0;            /* the panels' heights, px, stretched to fill the page */
    for (int k = 0; k < nkinds; k++)
        need += panel_px(&kinds[k], k == 0);
    double stretch = need > 0 ? (h - top_px) / need : 1.0;
    for (int k = 0; k < nkinds && rc == SIM_OK; k++) {
        dkind *kd = &kinds[k];
        double frac = stretch * panel_px(kd, k == 0) / h;
        y0 -= frac;
        fprintf(gp, "set origin 0,%.4f\nset size 1,%.4f\n", y0 < 0 ? 0 : y0, frac);
        if (kd->timeline) {
            /* the plot's width, px: margins in characters of about 8 px */
            rc = runout_panel(c, a, d, rows_in, n, k, kd->nrows,
                              (double)w - 8.0 * (double)(maxlab + 3 + maxval * 9 / 10 + 4));
            continue;
        }
        char path[4300], npath[4300];
        snprintf(path, sizeof path, "%s/d%d.dat", c->dir, c->nfiles);
        snprintf(npath, sizeof npath, "%s/d%d.names", c->dir, c->nfiles);
        FILE *df = fopen(path, "w"), *nf = fopen(npath, "w");
        if (!df || !nf) {
            rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                             strerror(errno));
            if (df)
                fclose(df);
            if (nf)
                fclose(nf);
            break;
        }
        int fn = c->nfiles++;
        double lo = 0, hi = 0;
        size_t y = kd->nrows;
        fputs("unset label\n", gp);    /* the right-hand numbers of the panel before */
        fputs("set ytics (", gp);
        int firsttic = 1;
        char labels[MAX_DIFF_ROWS][160];
        double ly[MAX_DIFF_ROWS];
        size_t nl = 0;
        int same_dates = 0;     /* a run-out row on the same date in both arms */
        int opening = 0;        /* a program's opening budget: a level at the start */
        for (size_t i = 0; i < n; i++) {
            if (rows_in[i].kind != k)
                continue;
            size_t r = rows_in[i].row;
            y--;
            opening |= strcmp(t->text[d->section][r], "total")
                       && !strcmp(t->text[d->measure][r], "opening");
            double dv = t->num[r * t->ncols + (size_t)d->diff];
            double hw = t->num[r * t->ncols + (size_t)d->hw];
            double m = dv * kd->factor, hh = isfinite(hw) ? hw * kd->factor : 0;
            if (isfinite(m))
                fprintf(df, "%zu %.10g %.10g %.10g %.17g %.17g\n", y, m, m - hh, m + hh, dv, hw);
            else
                fprintf(df, "%zu NaN NaN NaN NaN NaN\n", y);
            if (isfinite(m)) {
                lo = fmin(lo, m - hh);
                hi = fmax(hi, m + hh);
            }
            /* the row's name, as a tic label (a quoted gnuplot string) */
            char lab[600];
            if (!strcmp(t->text[d->section][r], "total"))
                snprintf(lab, sizeof lab, "%s", t->text[d->total][r]);
            else
                snprintf(lab, sizeof lab, "%s: %s", t->text[d->entity][r],
                         t->text[d->measure][r]);
            for (char *q = lab; *q; q++)
                if ((unsigned char)*q < 0x20)
                    *q = ' ';
            fprintf(nf, "%s\n", t->text[d->total][r][0] ? t->text[d->total][r] : lab);
            if (strlen(lab) > 56)
                strcpy(lab + 53, "...");
            fputs(firsttic ? "" : ", ", gp);
            firsttic = 0;
            gp_str(gp, lab);
            fprintf(gp, " %zu", y);
            if (same_date_label(a, d, r, labels[nl], sizeof labels[nl]))
                same_dates = 1;
            else
                value_label(a, t, d, r, kd->factor, kd->suffix, labels[nl], sizeof labels[nl]);
            ly[nl++] = (double)y;
        }
        fputs(")\n", gp);
        int e = ferror(df) || ferror(nf) ? EIO : 0;
        if (fclose(df) != 0 && !e)
            e = errno;
        if (fclose(nf) != 0 && !e)
            e = errno;
        if (e) {
            rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                             strerror(e));
            break;
        }
        for (size_t l = 0; l < nl; l++) {
            fprintf(gp, "set label %zu ", l + 1);
            gp_str(gp, labels[l]);
            fprintf(gp, " at graph 1.02, first %g left font ',9'\n", ly[l]);
        }
        double span = hi - lo;
        if (!(span > 0))
            span = hi != 0 ? fabs(hi) : 12.5;   /* all zero: -1 to 1 */
        /* about 6 tics at 1, 2 or 5 times a power of ten: labels that do not touch */
        double raw = (span * 1.16) / 6.0, mag = pow(10.0, floor(log10(raw))), step = mag;
        if (raw / mag > 5)
            step = 10 * mag;
        else if (raw / mag > 2)
            step = 5 * mag;
        else if (raw / mag > 1)
            step = 2 * mag;
        double xlo = lo - 0.08 * span, xhi = hi + 0.08 * span;
        fprintf(gp, "set xrange [%.10g:%.10g]\nset yrange [-0.7:%zu.7]\n", xlo, xhi,
                kd->nrows - 1);
        diff_tics(gp, xlo, xhi, step);
        char xl[400];
        snprintf(xl, sizeof xl, "%s - %s%s%s%s%s%s", a->name[1], a->name[0],
                 *kd->shown ? " (" : "", kd->shown, *kd->shown ? ")" : "",
                 !kd->stock ? "" : opening ? ", levels: opening at the window's start, "
                 "the others at the horizon"
                 : ", levels at the horizon",
                 same_dates ? "; 'both run out': on the same date in both arms in every run, the "
                 "mean date [95% interval]" : "");
        fputs("set xlabel ", gp);
        gp_str(gp, xl);
        fputc('\n', gp);
        fprintf(gp, "plot 'd%d.dat' using (($3>0||$4<0)?$2:NaN):1:3:4 with xerrorbars pt 7 "
                    "ps 1.3 lw 1.8 lc rgb '#1f78b4' title '95%% interval excludes 0', \\\n"
                    "     '' using (($3>0||$4<0)?NaN:$2):1:3:4 with xerrorbars pt 6 ps 1.3 "
                    "lw 1.8 lc rgb '#7f7f7f' title '95%% interval includes 0'\n", fn);
    }
    fputs("unset multiplot\n", gp);
    return rc;
}

/* Utilization difference over time: per region (and data center named),
 * policy - base of each pair of runs with the same run index, the mean
 * and its 95% Student-t band. */
static int draw_util_difference(plot_ctx *c, const out_plot_cmp *a, const selection *sel,
                                const char *const *names, const char *const *groups, size_t ne,
                                int w)
{
    FILE *gp = c->gp;
    const out_reader *rb = a->arm[0], *rp = a->arm[1];
    size_t nt = out_reader_time_count(rb);
    size_t nb = out_reader_run_count(rb), np = out_reader_run_count(rp);
    size_t nr = nb < np ? nb : np;
    int rc = SIM_OK;
    sim_welford *wf = NULL;
    double *mb = NULL, *mp = NULL;
    (void)sel;
    const char *d0 = out_reader_time_date(rb, 0);
    const double *hrs = out_reader_time_hours(rb);
    double span_d = (hrs[nt - 1] - hrs[0]) / 24.0;
    fprintf(gp, "set xdata time\nset timefmt '%s'\n",
            strlen(d0) >= 16 && d0[10] == 'T' ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d");
    fprintf(gp, "set format x '%s'\n", span_d > 120 ? "%b %Y" : span_d > 3 ? "%d %b" : "%d %b %H:%M");
    fputs("set xrange [", gp);
    gp_str(gp, d0);
    fputc(':', gp);
    gp_str(gp, out_reader_time_date(rb, nt - 1));
    fputs("]\n", gp);
    fputs("set xtics rotate by 30 right offset 0.5,0 nomirror\nset ytics nomirror\n"
          "set xlabel 'Date'\nset grid lc rgb '#e0e0e0'\nset border 3\n"
          "set key off\n"
          "set style fill transparent solid 0.25 noborder\nset datafile missing 'NaN'\n"
          "set xzeroaxis lt -1 lw 1.2\nset lmargin 12\nset rmargin 3\n", gp);
    time_tics(gp, d0, out_reader_time_date(rb, nt - 1), span_d, ne > 4);
    char detail[400], title[1400];
    if (nr > 1)
        snprintf(detail, sizeof detail, "%s - %s of the runs with the same replication number "
                 "(common random numbers): line the mean of %zu pairs, band its 95%% "
                 "Student-t interval", a->name[1], a->name[0], nr);
    else
        snprintf(detail, sizeof detail, "%s - %s of one pair of runs (no interval)", a->name[1],
                 a->name[0]);
    char what[200];
    snprintf(what, sizeof what, "Utilization over time: %s - %s", a->name[1], a->name[0]);
    cmp_title(a, what, detail, title, sizeof title);
    int cols = ne > 4 ? 2 : 1, rows = (int)((ne + (size_t)cols - 1) / (size_t)cols);
    fprintf(gp, "set multiplot layout %d,%d title ", rows, cols);
    gp_str_wrapped(gp, title, title_chars(w));
    fputs(" font ',13'\n", gp);
    if (!(wf = malloc((nt + 1) * sizeof *wf))) {
        rc = sim_err_set(c->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < ne && rc == SIM_OK; k++) {
        const char *group = groups[k];
        const out_series_info *sb = out_reader_series_find(rb, group, "utilization");
        const out_series_info *sp = out_reader_series_find(rp, group, "utilization");
        size_t nbe = 0, npe = 0, jb = SIZE_MAX, jp = SIZE_MAX;
        const char *const *eb = out_reader_entities(rb, group, &nbe);
        const char *const *ep = out_reader_entities(rp, group, &npe);
        for (size_t j = 0; j < nbe; j++)
            if (!strcmp(eb[j], names[k]))
                jb = j;
        for (size_t j = 0; j < npe; j++)
            if (!strcmp(ep[j], names[k]))
                jp = j;
        if (!sb || !sp || jb == SIZE_MAX || jp == SIZE_MAX) {
            rc = ctx_fail(c, SIM_ENOENT, "utilization-difference: '%s' is not in both arms",
                          names[k]);
            break;
        }
        double factor = scale_for(sb->unit, 1).factor;
        for (size_t i = 0; i < nt; i++)
            sim_welford_init(&wf[i]);
        for (size_t run = 0; run < nr && rc == SIM_OK; run++) {
            size_t rb_, cb_, rp_, cp_;
            if ((rc = out_reader_series_read(rb, run, group, "utilization", &mb, &rb_, &cb_,
                                             c->err))
                || (rc = out_reader_series_read(rp, run, group, "utilization", &mp, &rp_, &cp_,
                                                c->err)))
                break;
            for (size_t i = 0; i < nt && i < rb_ && i < rp_; i++) {
                double x = mb[i * cb_ + jb], y = mp[i * cp_ + jp];
                if (isfinite(x) && isfinite(y))
                    sim_welford_add(&wf[i], (y - x) * factor);
            }
            free(mb);
            free(mp);
            mb = mp = NULL;
        }
        if (rc)
            break;
        char path[4300];
        snprintf(path, sizeof path, "%s/d%d.dat", c->dir, c->nfiles);
        FILE *f = fopen(path, "w");
        if (!f) {
            rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                             strerror(errno));
            break;
        }
        double lo = 0, hi = 0;
        for (size_t i = 0; i < nt; i++) {
            fputs(out_reader_time_date(rb, i), f);
            if (wf[i].n == 0) {
                fputs(" NaN NaN NaN 0\n", f);
                continue;
            }
            double m = wf[i].mean, hw = wf[i].n > 1 ? sim_welford_ci(&wf[i], 0.95) : NAN;
            if (isfinite(hw))
                fprintf(f, " %.10g %.10g %.10g %lld\n", m, m - hw, m + hw, (long long)wf[i].n);
            else
                fprintf(f, " %.10g NaN NaN %lld\n", m, (long long)wf[i].n);
            lo = fmin(lo, isfinite(hw) ? m - hw : m);
            hi = fmax(hi, isfinite(hw) ? m + hw : m);
        }
        int e = ferror(f) ? EIO : 0;
        if (fclose(f) != 0 && !e)
            e = errno;
        if (e) {
            rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                             strerror(e));
            break;
        }
        int fn = c->nfiles++;
        char t[300];
        snprintf(t, sizeof t, "%s%s", strcmp(group, "region") ? "data center " : "", names[k]);
        fputs("set title ", gp);
        gp_str(gp, t);
        fputs(" font ',11'\n", gp);
        double span = hi - lo > 0 ? hi - lo : 1.0;
        fprintf(gp, "set yrange [%.6g:%.6g]\n", lo - 0.08 * span, hi + 0.08 * span);
        char yl[200];
        snprintf(yl, sizeof yl, "%s - %s (percentage points)", a->name[1], a->name[0]);
        fputs("set ylabel ", gp);
        gp_str(gp, yl);
        const char *col = entity_colour(sel, group, names[k], jb);
        fprintf(gp, "\nplot 'd%d.dat' using 1:3:4 with filledcurves fc rgb '%s' "
                    "title '95%% interval', \\\n"
                    "     '' using 1:2 with lines lc rgb '%s' lw 2.2 title 'mean difference'\n",
                fn, col, col);
    }
    fputs("unset multiplot\n", gp);
out:
    free(wf);
    free(mb);
    free(mp);
    return rc;
}

int out_plot_cmp_draw(const out_plot_cmp *a, out_chart chart, const out_plot_opts *o,
                      const char *out_path, sim_err *err)
{
    if (chart >= OUT_CHART_COUNT)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "unknown chart");
    const out_reader *rb = a->arm[0];
    if (chart == OUT_CHART_RESPONSE || chart == OUT_CHART_SOBOL)
        return sim_err_set(err, SIM_ENOENT, out_reader_path(rb), 0, 0,
                           "chart '%s' needs a sweep; a comparison file is not one",
                           charts[chart].name);
    const char *term;
    char gnuplot[1024];
    int rc = chart_ready(out_path, &term, gnuplot, sizeof gnuplot, err);
    if (rc)
        return rc;
    const chart_def *cd = &charts[chart];
    plot_ctx c = { .r = rb, .err = err, .out_path = out_path, .o = o };
    selection sel[2];
    memset(sel, 0, sizeof sel);
    drow *rows = NULL;
    dkind kinds[MAX_DIFF_ROWS];
    int nkinds = 0;
    size_t nrows = 0;
    for (int k = 0; k < 2; k++)
        if (sel_build(a->arm[k], o, &sel[k]) != SIM_OK) {
            sel_fini(&sel[0]);
            sel_fini(&sel[1]);
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        }
    int w = 1100, h = 650;
    const char *names[MAX_DIFF_PANELS], *groups[MAX_DIFF_PANELS];
    size_t ne = 0;
    int shown[4] = { 0, 0, 0, 0 }, npanels = 0;
    int top_px = 110;
    if (chart == OUT_CHART_DIFFERENCE) {
        diff_cols d;
        if (!a->diffs) {
            rc = sim_err_set(err, SIM_ENOENT, out_reader_path(rb), 0, 0,
                             "chart 'difference' needs /compare/differences, which this "
                             "file does not have");
            goto out_nodir;
        }
        if (diff_cols_find(a->diffs, &d) != 0) {
            rc = sim_err_set(err, SIM_EINVAL, out_reader_path(rb), 0, 0,
                             "/compare/differences: expected columns total, section, entity, "
                             "measure, unit, difference, paired_ci95_half, n, status");
            goto out_nodir;
        }
        if (!(rows = calloc(MAX_DIFF_ROWS, sizeof *rows))) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out_nodir;
        }
        if ((rc = pick_diff_rows(&c, a->diffs, &d, rows, &nrows)) != SIM_OK)
            goto out_nodir;
        const out_table *t = a->diffs;
        for (size_t i = 0; i < nrows; i++) {
            size_t r = rows[i].row;
            const char *m = t->text[d.measure][r], *u = t->text[d.unit][r];
            char unit[64];
            snprintf(unit, sizeof unit, "%s", (!strncmp(m, "runout_", 7)
                                               || !strncmp(m, "exhaustion_", 11))
                                              && !strcmp(u, "h") ? "days" : u);
            int stock = diff_is_stock(t, &d, r);
            /* a run-out time without a paired difference (an arm never runs
             * out): when each arm runs out, on a timeline */
            int tl = diff_is_runout(t, &d, r) && !isfinite(t->num[r * t->ncols + (size_t)d.diff]);
            int k = 0;
            while (k < nkinds && (strcmp(kinds[k].unit, unit) || kinds[k].stock != stock
                                  || kinds[k].timeline != tl))
                k++;
            if (k == nkinds) {
                memset(&kinds[k], 0, sizeof kinds[k]);
                snprintf(kinds[k].unit, sizeof kinds[k].unit, "%s", unit);
                kinds[k].stock = stock;
                kinds[k].timeline = tl;
                nkinds++;
            }
            rows[i].kind = k;
        }
        /* within a unit, rows whose interval would be a speck on the
         * axis of the largest get a panel (and a scale) of their own, just
         * under it, so that every interval can be read */
        double *ext = calloc(2 * nrows + 1, sizeof *ext), *size = ext + nrows;
        if (!ext) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out_nodir;
        }
        for (size_t i = 0; i < nrows; i++) {
            size_t r = rows[i].row;
            double dv = t->num[r * t->ncols + (size_t)d.diff];
            double hw = t->num[r * t->ncols + (size_t)d.hw];
            double x = fabs(dv) + (isfinite(hw) ? hw : 0);
            ext[i] = isfinite(x) ? x : 0;
            /* what must be seen: the interval, or where the difference lies
             * (never below half the row's extent, so the largest row stays) */
            double wd = isfinite(hw) ? 2 * hw : 0, ad = isfinite(dv) ? fabs(dv) : 0;
            size[i] = wd > ad ? wd : ad;
        }
        int child[MAX_DIFF_ROWS], base_kinds = nkinds;
        for (int k = 0; k < MAX_DIFF_ROWS; k++)
            child[k] = -1;
        for (int k = 0; k < nkinds && nkinds < MAX_DIFF_ROWS; k++) {
            double big = 0;
            for (size_t i = 0; i < nrows; i++)
                if (rows[i].kind == k && ext[i] > big)
                    big = ext[i];
            for (size_t i = 0; i < nrows; i++)
                if (rows[i].kind == k && size[i] > 0 && size[i] < DIFF_MAG_SPLIT * big) {
                    if (child[k] < 0) {
                        kinds[nkinds] = kinds[k];
                        child[k] = nkinds++;
                    }
                    rows[i].kind = child[k];
                }
        }
        free(ext);
        /* the panels in the order of their first row, each followed by
         * the panels split from it */
        int order[MAX_DIFF_ROWS], norder = 0, renum[MAX_DIFF_ROWS];
        for (size_t i = 0; i < nrows; i++) {
            int q = rows[i].kind;
            while (q >= base_kinds) {   /* back to the unit's first panel */
                int up = 0;
                while (up < nkinds && child[up] != q)
                    up++;
                q = up;
            }
            int seen = 0;
            for (int j = 0; j < norder; j++)
                seen |= order[j] == q;
            for (; !seen && q >= 0; q = child[q])
                order[norder++] = q;
        }
        dkind sorted[MAX_DIFF_ROWS];
        for (int q = 0; q < norder; q++) {
            sorted[q] = kinds[order[q]];
            sorted[q].nrows = 0;
            sorted[q].maxabs = 0;
            renum[order[q]] = q;
        }
        nkinds = norder;
        memcpy(kinds, sorted, (size_t)nkinds * sizeof *kinds);
        for (size_t i = 0; i < nrows; i++) {
            size_t r = rows[i].row;
            rows[i].kind = renum[rows[i].kind];
            dkind *kd = &kinds[rows[i].kind];
            kd->nrows++;
            double dv = t->num[r * t->ncols + (size_t)d.diff];
            double hw = t->num[r * t->ncols + (size_t)d.hw];
            double x = fabs(dv) + (isfinite(hw) ? hw : 0);
            if (isfinite(x) && x > kd->maxabs)
                kd->maxabs = x;
        }
        /* one unit shown alike in all its panels (M CNY in each when
         * any panel of yuan needs millions) */
        double umax[MAX_DIFF_ROWS];
        for (int k = 0; k < nkinds; k++) {
            umax[k] = 0;
            for (int q = 0; q < nkinds; q++)
                if (!strcmp(kinds[q].unit, kinds[k].unit) && kinds[q].maxabs > umax[k])
                    umax[k] = kinds[q].maxabs;
        }
        for (int k = 0; k < nkinds; k++) {
            double own = kinds[k].maxabs;
            kinds[k].maxabs = umax[k];
            dkind_scale(&kinds[k]);
            kinds[k].maxabs = own;
        }
        char sets[400];
        set_overrides(rb, sets, sizeof sets);
        top_px = (*sets ? 150 : 130) + (c.headline ? 20 : 0);   /* its title says more */
        h = top_px;
        for (int k = 0; k < nkinds; k++)
            h += (int)panel_px(&kinds[k], k == 0);
        if (h < 330)
            h = 330;
        c.width = w;
        if ((rc = script_begin(&c, term, w, h)) != SIM_OK)
            goto out;
        rc = draw_difference(&c, a, &d, rows, nrows, kinds, nkinds, w, h, top_px);
        goto out;
    }
    for (int k = 0; k < 2; k++)
        if (out_reader_time_count(a->arm[k]) < 2) {
            rc = sim_err_set(err, SIM_EINVAL, out_reader_path(rb), 0, 0,
                             "chart '%s': fewer than 2 time samples in arm %s", cd->name,
                             a->name[k]);
            goto out_nodir;
        }
    if (chart == OUT_CHART_UTIL_DIFFERENCE) {
        const out_reader *rp = a->arm[1];
        size_t nt = out_reader_time_count(rb);
        int same = nt == out_reader_time_count(rp);
        for (size_t i = 0; same && i < nt; i++)
            same = out_reader_time_hours(rb)[i] == out_reader_time_hours(rp)[i]
                   && !strcmp(out_reader_time_date(rb, i), out_reader_time_date(rp, i));
        if (!same) {
            rc = sim_err_set(err, SIM_EINVAL, out_reader_path(rb), 0, 0,
                             "chart '%s': the arms sample different times, so their series "
                             "cannot be paired sample by sample", cd->name);
            goto out_nodir;
        }
        if (out_reader_run_count(rb) == 0 || out_reader_run_count(rp) == 0) {
            rc = sim_err_set(err, SIM_ENOENT, out_reader_path(rb), 0, 0,
                             "chart '%s': an arm has no runs", cd->name);
            goto out_nodir;
        }
        size_t nreg = 0;
        const char *const *reg = out_reader_entities(rb, "region", &nreg);
        int have = out_reader_series_find(rb, "region", "utilization")
                   && out_reader_series_find(rp, "region", "utilization");
        if (!have) {
            rc = sim_err_set(err, SIM_ENOENT, out_reader_path(rb), 0, 0,
                             "chart '%s' needs series region/utilization in both arms",
                             cd->name);
            goto out_nodir;
        }
        for (size_t j = 0; j < nreg && ne < MAX_DIFF_PANELS; j++)
            if ((!sel[0].keep[G_REGION] || sel[0].keep[G_REGION][j])
                && entity_in(rp, "region", reg[j]))
                names[ne] = reg[j], groups[ne++] = "region";
        for (size_t j = 0; o && j < o->ndatacenters && ne < MAX_DIFF_PANELS; j++)
            names[ne] = o->datacenters[j], groups[ne++] = "datacenter";
        if (o && o->ndatacenters && !o->nregions)   /* data centers by name: those only */
            for (size_t j = 0; j < ne; j++)
                if (!strcmp(groups[j], "region")) {
                    memmove(&names[j], &names[j + 1], (ne - j - 1) * sizeof *names);
                    memmove(&groups[j], &groups[j + 1], (ne - j - 1) * sizeof *groups);
                    ne--, j--;
                }
        if (ne == 0) {
            rc = sim_err_set(err, SIM_ENOENT, out_reader_path(rb), 0, 0,
                             "chart '%s': the selection leaves it nothing to draw", cd->name);
            goto out_nodir;
        }
        int cols = ne > 4 ? 2 : 1, prow = (int)((ne + (size_t)cols - 1) / (size_t)cols);
        w = cols == 2 ? 1400 : 1100;
        h = ne == 1 ? 600 : 150 + 300 * prow;
        c.width = w;
        if ((rc = script_begin(&c, term, w, h)) != SIM_OK)
            goto out;
        rc = draw_util_difference(&c, a, &sel[0], names, groups, ne, w);
        goto out;
    }
    /* the series charts: both arms on each panel */
    int found = 0;
    for (int i = 0; i < cd->npanels; i++)
        for (int k = 0; k < 2 && !shown[i]; k++) {
            const out_series_info *s = out_reader_series_find(a->arm[k], cd->panels[i].group,
                                                              cd->panels[i].name);
            if (!s)
                continue;
            found = 1;
            if (panel_selected(&sel[k], s))
                shown[i] = 1;
        }
    for (int i = 0; i < cd->npanels; i++)
        npanels += shown[i];
    if (npanels == 0) {
        const panel_def *p = &cd->panels[0];
        if (found)
            rc = sim_err_set(err, SIM_ENOENT, out_reader_path(rb), 0, 0,
                             "chart '%s': the selection leaves it nothing to draw", cd->name);
        else
            rc = sim_err_set(err, SIM_ENOENT, out_reader_path(rb), 0, 0,
                             "chart '%s' needs series %s/%s, which neither arm has", cd->name,
                             p->group, p->name);
        goto out_nodir;
    }
    int rows_ = npanels <= 2 ? npanels : (npanels + 1) / 2, cols = npanels <= 2 ? 1 : 2;
    w = npanels > 2 ? 1400 : 1150;
    h = npanels == 1 ? 650 : npanels == 2 ? 1000 : 560 * rows_;
    c.width = w / cols;
    if ((rc = script_begin(&c, term, w, h)) != SIM_OK)
        goto out;
    rc = draw_cmp_series(&c, a, sel, cd, shown, npanels, rows_, cols, w);
out:
    rc = script_end(&c, rc, term, gnuplot);
out_nodir:
    free(rows);
    sel_fini(&sel[0]);
    sel_fini(&sel[1]);
    return rc;
}
