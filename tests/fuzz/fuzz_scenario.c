/* tests/fuzz/fuzz_scenario.c - fuzzes the scenario loader and --set.
 *
 * The input is a YAML file, optionally followed by a line "#--set" and then
 * one --set override per line ("programs[0].budget=1B"): the first mode
 * feeds bytes to the loader as a file, the second applies fuzzed overrides
 * to a (fuzzed) scenario. Each input goes through
 *   scn_load (from a file) and scn_load_string (from memory, an exact-size
 *   buffer), which must agree; on success scn_dump, whose text must load
 *   back and dump to the same text; and config_from_scenario on both trees,
 *   which must agree too.
 * A failure must come with an error code and a message. `extends:` finds
 * base.yaml (a small parent written at start) next to the input; inputs
 * naming /dev, /proc or /sys are skipped, since reading devices is not the
 * loader's input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/config.h"
#include "models/scenario.h"
#include "tests/fuzz/fuzz.h"

enum { MAX_SETS = 16 };

static const char base_yaml[] =
    "name: base\n"
    "start: 2025-01-01\n"
    "horizon: 30d\n"
    "firms:\n"
    "  jobs: 2\n"
    "  training: {gpus: 16, hours: 100}\n"
    "cities:\n"
    "  - {name: shanghai, region: east, arrivals: 4}\n"
    "  - {name: jinan, region: east, arrivals: 2}\n"
    "datacenters:\n"
    "  - {name: sh-1, region: east, gpus: 512, price: 12}\n"
    "programs:\n"
    "  - {name: shandong, city: jinan, budget: 600M, coverage: 0.5}\n";

static const char set_marker[] = "\n#--set\n";

static const uint8_t *find(const uint8_t *h, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (h[i] == (uint8_t)needle[0] && !memcmp(h + i, needle, m))
            return h + i;
    return NULL;
}

static void check_failure(const char *what, const sim_err *err)
{
    if (err->code >= 0 || !err->msg[0])
        fuzz_fail("%s failed without an error (code %d, message '%s')", what, err->code,
                  err->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (!fuzz_write("base.yaml", (const uint8_t *)base_yaml, sizeof base_yaml - 1))
            fuzz_fail("cannot write base.yaml in %s", fuzz_tmpdir());
        ready = 1;
    }
    if (find(data, size, "/dev") || find(data, size, "/proc") || find(data, size, "/sys"))
        return 0;

    /* split off the overrides */
    size_t ylen = size;
    const uint8_t *m = find(data, size, set_marker);
    char *setbuf = NULL;
    const char *sets[MAX_SETS];
    size_t nsets = 0;
    if (m) {
        ylen = (size_t)(m - data) + 1;
        size_t off = ylen + sizeof set_marker - 2;
        setbuf = malloc(size - off + 1);
        if (!setbuf)
            return 0;
        memcpy(setbuf, data + off, size - off);
        setbuf[size - off] = '\0';
        for (char *s = setbuf, *nl; s && nsets < MAX_SETS; s = nl) {
            if ((nl = strchr(s, '\n')))
                *nl++ = '\0';
            if (*s)
                sets[nsets++] = s;
        }
    }

    const char *path = fuzz_write("input.yaml", data, ylen);
    if (!path)
        fuzz_fail("cannot write input.yaml in %s", fuzz_tmpdir());
    char *fpath = strdup(path);
    char mpath[4096 + 16];
    snprintf(mpath, sizeof mpath, "%s/memory.yaml", fuzz_tmpdir());

    sim_err err, merr;
    sim_err_clear(&err);
    sim_err_clear(&merr);
    scn_doc *doc = scn_load(fpath, sets, nsets, &err);
    /* the same bytes from memory, in a buffer of exactly their size */
    char *text = malloc(ylen ? ylen : 1);
    memcpy(text, data, ylen);
    scn_doc *mdoc = scn_load_string(mpath, text, ylen, sets, nsets, &merr);
    free(text);

    if (!doc)
        check_failure("scn_load", &err);
    if (!mdoc)
        check_failure("scn_load_string", &merr);
    if (!doc != !mdoc && err.code != SIM_ENOMEM && merr.code != SIM_ENOMEM)
        fuzz_fail("scn_load and scn_load_string disagree: '%s' vs '%s'",
                  doc ? "ok" : err.msg, mdoc ? "ok" : merr.msg);

    if (doc) {
        char *dump = scn_dump(doc);
        if (!dump)
            fuzz_fail("scn_dump failed on a loaded scenario");
        if (mdoc) {
            char *mdump = scn_dump(mdoc);
            if (!mdump || strcmp(dump, mdump))
                fuzz_fail("file and memory loads dump differently:\n%s\n---\n%s", dump,
                          mdump ? mdump : "(null)");
            free(mdump);
        }
        sim_err rerr;
        sim_err_clear(&rerr);
        scn_doc *back = scn_load_string("dump.yaml", dump, strlen(dump), NULL, 0, &rerr);
        if (!back)
            fuzz_fail("the dump does not load back: %s\n%s", rerr.msg, dump);
        char *dump2 = scn_dump(back);
        if (!dump2 || strcmp(dump, dump2))
            fuzz_fail("dumping the reloaded dump changes it:\n%s\n---\n%s", dump,
                      dump2 ? dump2 : "(null)");
        free(dump2);

        sim_err cerr, berr;
        sim_err_clear(&cerr);
        sim_err_clear(&berr);
        config *cfg = config_from_scenario(doc, &cerr);
        config *bcfg = config_from_scenario(back, &berr);
        if (!cfg)
            check_failure("config_from_scenario", &cerr);
        if (!bcfg)
            check_failure("config_from_scenario (dump)", &berr);
        if (!cfg != !bcfg)
            fuzz_fail("the scenario and its dump validate differently: '%s' vs '%s'\n%s",
                      cfg ? "ok" : cerr.msg, bcfg ? "ok" : berr.msg, dump);
        config_free(cfg);
        config_free(bcfg);
        scn_free(back);
        free(dump);
    }
    scn_free(doc);
    scn_free(mdoc);
    free(fpath);
    free(setbuf);
    return 0;
}

const char *const fuzz_default_dirs[] = { "scenarios", "tests/data", "tests/fuzz/seeds/scenario",
                                          "?tests/fuzz/crashes/scenario",
                                          "?tests/fuzz/pending/scenario", NULL };
