/* tools/datadir.c - finds shipped scenarios by name (see datadir.h). */
#include "tools/datadir.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "models/scenario.h"
#include "tools/cmd.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/vouchsim"
#endif

char *datadir_scenarios(void)
{
    const char *root = getenv("VOUCHSIM_DATADIR");
    if (!root || !*root)
        root = PKGDATADIR;
    size_t n = strlen(root) + sizeof "/scenarios";
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/scenarios", root);
    return s;
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/name + suffix when it is a regular file (malloc'd), else NULL. */
static char *try_path(const char *dir, const char *name, const char *suffix)
{
    size_t n = (dir ? strlen(dir) + 1 : 0) + strlen(name) + strlen(suffix) + 1;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s%s%s%s", dir ? dir : "", dir ? "/" : "", name, suffix);
    if (is_file(p))
        return p;
    free(p);
    return NULL;
}

/* The length of name without a final .yaml or .yml. */
static size_t stem_len(const char *name)
{
    size_t n = strlen(name);
    if (n > 5 && !strcmp(name + n - 5, ".yaml"))
        return n - 5;
    if (n > 4 && !strcmp(name + n - 4, ".yml"))
        return n - 4;
    return n;
}

/* Whether a name gets ".yaml" tried after it: not when it has a suffix. */
static int wants_suffix(const char *name)
{
    return stem_len(name) == strlen(name);
}

char *datadir_find_scenario(const char *arg)
{
    struct stat st;
    /* a path, or a file here: as given (the loader reports what is wrong) */
    if (!*arg || strchr(arg, '/') || stat(arg, &st) == 0)
        return NULL;
    char *p = wants_suffix(arg) ? try_path(NULL, arg, ".yaml") : NULL;
    if (p)
        return p;
    char *dir = datadir_scenarios();
    if (!dir)
        return NULL;
    if (!(p = try_path(dir, arg, "")) && wants_suffix(arg))
        p = try_path(dir, arg, ".yaml");
    free(dir);
    return p;
}

/* ---- "did you mean": the scenarios that can be seen, nearest first ---- */

#define SUGGEST_MAX 3           /* names offered at most */
#define SUGGEST_DIST 2          /* edits (a swap of neighbours is one) */
#define SUGGEST_PREFIX 4        /* or this many leading characters shared, and more than half */
#define SUGGEST_STEM 64         /* longer names are not compared */

typedef struct suggestion {
    char   text[300];           /* as the user would type it */
    size_t dist;                /* edits; SUGGEST_DIST + 1 for a shared prefix */
    size_t prefix;              /* leading characters shared */
    dev_t  dev;                 /* the file: one file seen from two directories is one */
    ino_t  ino;
} suggestion;

/* scn_edit_distance of a[0..na) and b[0..nb) (at most SUGGEST_STEM
 * each), ignoring case. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    char la[SUGGEST_STEM + 1], lb[SUGGEST_STEM + 1];
    for (size_t i = 0; i < na; i++)
        la[i] = (char)tolower((unsigned char)a[i]);
    for (size_t j = 0; j < nb; j++)
        lb[j] = (char)tolower((unsigned char)b[j]);
    la[na] = lb[nb] = '\0';
    return scn_edit_distance(la, lb);
}

/* Whether s ranks before t: fewer edits, then a longer shared prefix, then
 * by name. */
static int ranks_before(const suggestion *s, const suggestion *t)
{
    if (s->dist != t->dist)
        return s->dist < t->dist;
    if (s->prefix != t->prefix)
        return s->prefix > t->prefix;
    return strcmp(s->text, t->text) < 0;
}

/* Offers each *.yaml / *.yml file of dir (NULL: the current directory) as
 * shown + its stem (show_file: + its whole name) when it is near arg; keeps
 * the SUGGEST_MAX best in best[0..*n), in order, without repeats. */
static void suggest_from(const char *dir, const char *show, int show_file, const char *arg,
                         suggestion best[SUGGEST_MAX], size_t *n)
{
    DIR *d = opendir(dir ? dir : ".");
    if (!d)
        return;
    size_t na = stem_len(arg);
    const struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t nn = stem_len(name);
        if (nn == strlen(name) || nn == 0 || name[0] == '.' || nn > SUGGEST_STEM ||
            na > SUGGEST_STEM)
            continue;
        suggestion s;
        s.prefix = 0;
        while (s.prefix < na && s.prefix < nn &&
               tolower((unsigned char)arg[s.prefix]) == tolower((unsigned char)name[s.prefix]))
            s.prefix++;
        s.dist = edit_distance(arg, na, name, nn);
        /* the very name the lookup tried: not a suggestion (the same stem
         * with another suffix, china-2025.yml for china-2025.yaml, is) */
        if (!strcmp(arg, name) || (wants_suffix(arg) && s.dist == 0 && na == nn
                                   && !strncmp(arg, name, nn) && !strcmp(name + nn, ".yaml")))
            continue;
        if (s.dist > SUGGEST_DIST) {
            if (s.prefix < SUGGEST_PREFIX || s.prefix * 2 <= na)
                continue;
            s.dist = SUGGEST_DIST + 1;
        }
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        s.dev = st.st_dev;
        s.ino = st.st_ino;
        int w = snprintf(s.text, sizeof s.text, "%s%.*s", show, show_file ? (int)strlen(name)
                         : (int)nn, name);
        if (w < 0 || (size_t)w >= sizeof s.text)
            continue;
        int seen = 0;
        for (size_t i = 0; i < *n; i++)
            seen |= !strcmp(best[i].text, s.text) || (best[i].dev == s.dev && best[i].ino == s.ino);
        if (seen)
            continue;
        size_t at = *n;
        while (at > 0 && ranks_before(&s, &best[at - 1]))
            at--;
        if (at >= SUGGEST_MAX)
            continue;
        size_t last = *n < SUGGEST_MAX ? *n : SUGGEST_MAX - 1;
        memmove(&best[at + 1], &best[at], (last - at) * sizeof *best);
        best[at] = s;
        if (*n < SUGGEST_MAX)
            (*n)++;
    }
    closedir(d);
}

/* "vouchsim CMD: did you mean A, B or C?" on f when scenarios near arg can
 * be seen: here and shipped by name, in ./scenarios/ by path. */
static void say_suggestions(const char *cmd, const char *arg, const char *dir, FILE *f)
{
    suggestion best[SUGGEST_MAX];
    size_t n = 0;
    suggest_from(NULL, "", 0, arg, best, &n);
    if (dir)
        suggest_from(dir, "", 0, arg, best, &n);
    suggest_from("scenarios", "scenarios/", 1, arg, best, &n);
    if (!n)
        return;
    fprintf(f, "vouchsim %s: did you mean ", cmd);
    for (size_t i = 0; i < n; i++)
        cmd_printf(f, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", best[i].text);
    fputs("?\n", f);
}

int datadir_say_not_found(const char *cmd, const char *arg, FILE *f)
{
    struct stat st;
    if (!*arg || strchr(arg, '/') || stat(arg, &st) == 0)
        return 0;
    const char *env = getenv("VOUCHSIM_DATADIR");
    char *dir = datadir_scenarios();
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, ".");
    if (wants_suffix(arg))
        cmd_printf(f, "vouchsim %s: %s: no such scenario: looked for %s and %s.yaml in the current "
                   "directory (%s)", cmd, arg, arg, arg, cwd);
    else
        cmd_printf(f, "vouchsim %s: %s: no such scenario: looked for %s in the current directory "
                   "(%s)", cmd, arg, arg, cwd);
    cmd_printf(f, " and in %s (%s)", dir ? dir : PKGDATADIR "/scenarios",
            env && *env ? "from VOUCHSIM_DATADIR" : "where `make install` puts the shipped ones");
    /* a clone's top directory: the scenario is one directory down */
    char *here = try_path("scenarios", arg, "");
    if (!here && wants_suffix(arg))
        here = try_path("scenarios", arg, ".yaml");
    if (env && *env)
        cmd_printf(f, "; give its path%s%s%s, or set VOUCHSIM_DATADIR (now %s) to the directory "
                   "that holds scenarios/", here ? " (" : "", here ? here : "",
                here ? ")" : "", env);
    else if (here)
        cmd_printf(f, "; give its path (%s), or set VOUCHSIM_DATADIR to the directory that "
                   "holds scenarios/ (here: VOUCHSIM_DATADIR=%s)", here, cwd);
    else
        cmd_printf(f, "; give its path, or set VOUCHSIM_DATADIR to the directory that holds "
                   "scenarios/");
    fputc('\n', f);
    if (!here)
        say_suggestions(cmd, arg, dir, f);
    free(here);
    free(dir);
    return 1;
}

void datadir_print_version(FILE *f)
{
    char *dir = datadir_scenarios();
    fprintf(f, "vouchsim %s\n"
               "scenarios by name (vouchsim run NAME): NAME or NAME.yaml in the current "
               "directory, then in %s\n"
               "  (set VOUCHSIM_DATADIR to the directory that holds scenarios/ to move it)\n"
               "MPI: %s\n"
               "bug reports: %s\n",
            PACKAGE_VERSION, dir ? dir : PKGDATADIR "/scenarios",
#ifdef HAVE_MPI
            "yes (built --with-mpi: under mpirun or srun the runs are spread over the ranks)",
#else
            "no (built without --with-mpi: started by mpirun or srun as one of several "
            "processes, run, compare, sweep and optimize refuse)",
#endif
            PACKAGE_BUGREPORT);
    free(dir);
}
