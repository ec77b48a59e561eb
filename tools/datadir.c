/* tools/datadir.c - finds shipped scenarios by name (see datadir.h). */
#include "tools/datadir.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

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

char *datadir_find_scenario(const char *arg)
{
    struct stat st;
    /* a path, or a file here: as given (the loader reports what is wrong) */
    if (!*arg || strchr(arg, '/') || stat(arg, &st) == 0)
        return NULL;
    char *p = try_path(NULL, arg, ".yaml");
    if (p)
        return p;
    char *dir = datadir_scenarios();
    if (!dir)
        return NULL;
    if (!(p = try_path(dir, arg, "")))
        p = try_path(dir, arg, ".yaml");
    free(dir);
    return p;
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
    fprintf(f, "vouchsim %s: %s: no such scenario: looked for %s and %s.yaml in the current "
               "directory (%s) and in %s (%s)", cmd, arg, arg, arg, cwd,
            dir ? dir : PKGDATADIR "/scenarios",
            env && *env ? "from VOUCHSIM_DATADIR" : "where `make install` puts the shipped ones");
    /* a clone's top directory: the scenario is one directory down */
    char *here = try_path("scenarios", arg, "");
    if (!here)
        here = try_path("scenarios", arg, ".yaml");
    if (env && *env)
        fprintf(f, "; give its path%s%s%s, or set VOUCHSIM_DATADIR (now %s) to the directory "
                   "that holds scenarios/\n", here ? " (" : "", here ? here : "",
                here ? ")" : "", env);
    else if (here)
        fprintf(f, "; give its path (%s), or set VOUCHSIM_DATADIR to the directory that "
                   "holds scenarios/ (here: VOUCHSIM_DATADIR=%s)\n", here, cwd);
    else
        fprintf(f, "; give its path, or set VOUCHSIM_DATADIR to the directory that holds "
                   "scenarios/\n");
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
