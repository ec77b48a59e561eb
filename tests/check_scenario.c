/* tests/check_scenario.c - YAML loading: errors with positions, extends,
 * --set, key paths, dump round trip, typed getters and their messages. */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/scenario.h"

/* tests/data/NAME under $top_srcdir, as the tests pass it to scn_load. */
static void data_path(char *buf, size_t size, const char *name)
{
    const char *top = getenv("top_srcdir");
    snprintf(buf, size, "%s/tests/data/%s", top ? top : ".", name);
}

/* Loading tests/data/NAME fails with code and "PATH" suffix as message. */
static void expect_load_error(const char *name, int code, const char *suffix)
{
    char path[512], want[2048];
    sim_err err;
    sim_err_clear(&err);
    data_path(path, sizeof path, name);
    scn_doc *d = scn_load(path, NULL, 0, &err);
    ck_assert_ptr_null(d);
    snprintf(want, sizeof want, "%s%s", path, suffix);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(err.code, code);
}

static scn_doc *load_data(const char *name, const char *const *sets, size_t nsets)
{
    char path[512];
    sim_err err;
    sim_err_clear(&err);
    data_path(path, sizeof path, name);
    scn_doc *d = scn_load(path, sets, nsets, &err);
    if (!d)
        ck_abort_msg("loading %s: %s", path, err.msg);
    return d;
}

static scn_doc *load_text(const char *text)
{
    sim_err err;
    sim_err_clear(&err);
    scn_doc *d = scn_load_string("t.yaml", text, strlen(text), NULL, 0, &err);
    if (!d)
        ck_abort_msg("loading text: %s", err.msg);
    return d;
}

/* The node at a key path of the form "a.b[2].c" (test helper). */
static const scn_node *at(const scn_doc *d, const char *path)
{
    const scn_node *n = scn_root(d);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && n; tok = strtok(NULL, ".")) {
        char *br = strchr(tok, '[');
        if (br)
            *br = '\0';
        n = scn_get(n, tok);
        while (br && n) {
            n = scn_item(n, strtoul(br + 1, NULL, 10));
            br = strchr(br + 1, '[');
        }
    }
    ck_assert_msg(n != NULL, "no node at %s", path);
    return n;
}

/* ---- errors, one fixture per class ---- */

START_TEST(test_scenario_syntax_error_has_position_and_context)
{
    expect_load_error("bad_syntax.yaml", SIM_ESYNTAX,
                      ":5:12: did not find expected ',' or ']' "
                      "(while parsing a flow sequence at line 4, column 9)");
}
END_TEST

START_TEST(test_scenario_empty_file)
{
    expect_load_error("bad_empty.yaml", SIM_ESYNTAX, ":1:1: empty scenario: a scenario needs "
                      "at least the top-level keys start, cities and datacenters "
                      "(scenarios/README.md, \"A minimal scenario\")");
}
END_TEST

START_TEST(test_scenario_root_must_be_mapping)
{
    expect_load_error("bad_root.yaml", SIM_ESYNTAX,
                      ":2:1: expected a mapping of keys at the top of the scenario, got a sequence");
}
END_TEST

START_TEST(test_scenario_duplicate_key_at_second)
{
    expect_load_error("bad_duplicate.yaml", SIM_EINVAL,
                      ":8:5: programs[0].budget: duplicate key 'budget' (first at line 6)");
}
END_TEST

START_TEST(test_scenario_several_documents)
{
    expect_load_error("bad_multidoc.yaml", SIM_ESYNTAX,
                      ":3:1: several documents in one file (a scenario is one YAML document)");
}
END_TEST

START_TEST(test_scenario_invalid_utf8)
{
    expect_load_error("bad_utf8.yaml", SIM_ESYNTAX,
                      ":2:18: invalid UTF-8 (invalid trailing UTF-8 octet 0x20); "
                      "a scenario must be UTF-8 text");
}
END_TEST

START_TEST(test_scenario_invalid_utf8_written_bytes)
{
    const char text[] = "name: x\nstart: \xff\n";
    sim_err err;
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load_string("mem.yaml", text, sizeof text - 1, NULL, 0, &err));
    ck_assert_str_eq(err.msg, "mem.yaml:2:8: invalid UTF-8 (invalid leading UTF-8 octet 0xFF); "
                              "a scenario must be UTF-8 text");
}
END_TEST

START_TEST(test_scenario_billion_laughs_fails_fast)
{
    clock_t t0 = clock();
    expect_load_error("bad_laughs.yaml", SIM_ESYNTAX,
                      ":7:4: f: more than 1000000 nodes after expanding aliases");
    ck_assert_double_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 0.5);
}
END_TEST

START_TEST(test_scenario_deep_nesting)
{
    char suffix[1024] = ":2:70: deep";
    for (int i = 0; i < 63; i++)
        strcat(suffix, "[0]");
    strcat(suffix, ": nesting deeper than 64 levels");
    expect_load_error("bad_deep.yaml", SIM_ESYNTAX, suffix);
}
END_TEST

START_TEST(test_scenario_alias_to_itself)
{
    sim_err err;
    sim_err_clear(&err);
    const char text[] = "a: &x [1, *x]\n";
    scn_doc *d = scn_load_string("self.yaml", text, sizeof text - 1, NULL, 0, &err);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.code, SIM_ESYNTAX);
}
END_TEST

START_TEST(test_scenario_extends_missing_file)
{
    char path[512], suffix[1024];
    data_path(path, sizeof path, "no_such_parent.yaml");
    snprintf(suffix, sizeof suffix, ":2:10: extends: cannot read '%s': No such file or directory",
             path);
    expect_load_error("bad_extends_missing.yaml", SIM_ENOENT, suffix);
}
END_TEST

START_TEST(test_scenario_extends_cycle)
{
    char a[512], b[512], suffix[4096];
    data_path(a, sizeof a, "bad_cycle_a.yaml");
    data_path(b, sizeof b, "bad_cycle_b.yaml");
    /* reported at the extends value that closes the cycle, in b */
    sim_err err;
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load(a, NULL, 0, &err));
    snprintf(suffix, sizeof suffix, "%s:3:10: extends: extends cycle: %s -> %s -> %s", b, a, b, a);
    ck_assert_str_eq(err.msg, suffix);
    ck_assert_int_eq(err.code, SIM_EINVAL);
}
END_TEST

START_TEST(test_scenario_missing_file)
{
    sim_err err;
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load("no/such/file.yaml", NULL, 0, &err));
    ck_assert_str_eq(err.msg, "no/such/file.yaml: cannot read: No such file or directory");
    ck_assert_int_eq(err.code, SIM_EIO);
}
END_TEST

/* ---- bounds on what a file may cost ---- */

START_TEST(test_scenario_extends_device_refused)
{
    expect_load_error("bad_extends_device.yaml", SIM_EINVAL,
                      ":2:10: extends: cannot read '/dev/zero': not a regular file (a scenario "
                      "is read from a file, not a device or a pipe)");
}
END_TEST

START_TEST(test_scenario_device_fifo_directory_refused)
{
    sim_err err;
    char dir[] = "/tmp/check_scenario.XXXXXX", fifo[64];
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load("/dev/zero", NULL, 0, &err));
    ck_assert_str_eq(err.msg, "/dev/zero: cannot read: not a regular file (a scenario is read "
                              "from a file, not a device or a pipe)");
    ck_assert_int_eq(err.code, SIM_EINVAL);
    /* a FIFO with no writer: refused at once, not waited on (the test's
     * time-out would catch a wait) */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/fifo.yaml", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load(fifo, NULL, 0, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, ": cannot read: not a regular file"));
    unlink(fifo);
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load(dir, NULL, 0, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, ": cannot read: Is a directory"));
    rmdir(dir);
}
END_TEST

START_TEST(test_scenario_file_size_capped)
{
    char dir[] = "/tmp/check_scenario.XXXXXX", big[64], want[256];
    sim_err err;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(big, sizeof big, "%s/big.yaml", dir);
    FILE *f = fopen(big, "w");
    ck_assert_ptr_nonnull(f);
    /* sparse: 16 MiB + 1 byte of zeros costs no disk */
    ck_assert_int_eq(ftruncate(fileno(f), SCN_MAX_FILE_BYTES + 1), 0);
    fclose(f);
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load(big, NULL, 0, &err));
    snprintf(want, sizeof want, "%s: cannot read: larger than 16 MiB, the limit for a "
             "scenario file", big);
    ck_assert_str_eq(err.msg, want);
    unlink(big);
    rmdir(dir);
}
END_TEST

/* libyaml's scanner costs depth x tokens in flow collections: 200,000
 * open brackets once took minutes. They fail as fast as 70 do, with the
 * same message. */
START_TEST(test_scenario_deep_flow_fails_fast)
{
    size_t n = 200000;
    char *text = malloc(n + 8);
    ck_assert_ptr_nonnull(text);
    memcpy(text, "d: ", 3);
    memset(text + 3, '[', n);
    sim_err err;
    sim_err_clear(&err);
    clock_t t0 = clock();
    ck_assert_ptr_null(scn_load_string("t.yaml", text, n + 3, NULL, 0, &err));
    ck_assert_double_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 0.5);
    char want[1024] = "t.yaml:1:67: d";
    for (int i = 0; i < 63; i++)
        strcat(want, "[0]");
    strcat(want, ": nesting deeper than 64 levels");
    ck_assert_str_eq(err.msg, want);
    free(text);
}
END_TEST

/* "a: &a <100 KB scalar>\nb: [*a, *a, ...]" with n aliases (malloc'd). */
static char *alias_text(size_t n, size_t *len)
{
    size_t big = 100000;
    char *text = malloc(big + 4 * n + 64);
    ck_assert_ptr_nonnull(text);
    *len = (size_t)sprintf(text, "a: &a \"");
    memset(text + *len, 'x', big);
    *len += big;
    *len += (size_t)sprintf(text + *len, "\"\nb: [");
    for (size_t i = 0; i < n; i++)
        *len += (size_t)sprintf(text + *len, "*a%s", i + 1 < n ? ", " : "]\n");
    return text;
}

/* 700 aliases to a 100 KB scalar: 70 MB of text from 100 KB of file, in
 * a few hundred nodes (the node budget does not see it). */
START_TEST(test_scenario_alias_bytes_capped)
{
    size_t len;
    char *text = alias_text(700, &len);
    sim_err err;
    sim_err_clear(&err);
    clock_t t0 = clock();
    ck_assert_ptr_null(scn_load_string("t.yaml", text, len, NULL, 0, &err));
    ck_assert_double_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 0.5);
    ck_assert_str_eq(err.msg, "t.yaml:2:4: b: more than 64 MiB of text after expanding aliases");
    ck_assert_int_eq(err.code, SIM_ESYNTAX);
    free(text);
    /* 600 aliases, 60 MB, are within the limit */
    text = alias_text(600, &len);
    scn_doc *d = scn_load_string("t.yaml", text, len, NULL, 0, &err);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(scn_len(scn_get(scn_root(d), "b")), 600);
    scn_free(d);
    free(text);
}
END_TEST

/* A 1000-byte key above 70000 values: every value's key path repeats it,
 * 70 MB of paths from 280 KB of file. */
START_TEST(test_scenario_key_path_bytes_capped)
{
    size_t klen = 1000, n = 70000, len = 0;
    char *text = malloc(klen + 4 * n + 16);
    ck_assert_ptr_nonnull(text);
    memset(text, 'k', klen);
    len = klen;
    len += (size_t)sprintf(text + len, ":\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "- 1\n");
    sim_err err;
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load_string("t.yaml", text, len, NULL, 0, &err));
    /* the root's key takes 1002 bytes, each item 1024: item 65535 (line
     * 65537) is the first beyond 64 MiB */
    ck_assert_str_eq(err.msg, "t.yaml:65537:3: key paths longer than 64 MiB in all (long keys "
                              "above many values)");
    ck_assert_int_eq(err.code, SIM_EINVAL);
    free(text);
}
END_TEST

/* Writes text to dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* A merge sizes its arrays once and finds keys by binary search: merging
 * into a mapping of 100,000 keys once copied n^2 pointers (80 GB). */
START_TEST(test_scenario_extends_merge_is_not_quadratic)
{
    char dir[] = "/tmp/check_scenario.XXXXXX", child[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    size_t n = 100000, cap = n * 16 + 16, used = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    used += (size_t)snprintf(text, cap, "m:\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, cap - used, "  k%zu: 1\n", i);
    write_file(dir, "parent.yaml", text);
    free(text);
    write_file(dir, "child.yaml", "extends: parent.yaml\nm: {k5: 2, new: 3}\n");
    snprintf(child, sizeof child, "%s/child.yaml", dir);
    sim_err err;
    sim_err_clear(&err);
    clock_t t0 = clock();
    scn_doc *d = scn_load(child, NULL, 0, &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    ck_assert_double_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 2.0);
    const scn_node *m = scn_get(scn_root(d), "m");
    ck_assert_uint_eq(scn_len(m), n + 1);
    ck_assert_str_eq(scn_str(scn_get(m, "k5")), "2");
    ck_assert_str_eq(scn_str(scn_get(m, "k6")), "1");
    ck_assert_str_eq(scn_key(m, n), "new");
    scn_free(d);
    snprintf(child, sizeof child, "%s/parent.yaml", dir);
    unlink(child);
    snprintf(child, sizeof child, "%s/child.yaml", dir);
    unlink(child);
    rmdir(dir);
}
END_TEST

/* The node budget holds for the whole chain: two files of 600,000 nodes
 * each (aliases) are refused at the second one read, the parent. */
START_TEST(test_scenario_extends_budget_is_for_the_chain)
{
    char dir[] = "/tmp/check_scenario.XXXXXX", path[64], want[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    size_t cap = 16384, used = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    used += (size_t)snprintf(text, cap, "a: &a [");
    for (int i = 0; i < 1000; i++)
        used += (size_t)snprintf(text + used, cap - used, "%sx", i ? ", " : "");
    used += (size_t)snprintf(text + used, cap - used, "]\nb: [");
    for (int i = 0; i < 600; i++)
        used += (size_t)snprintf(text + used, cap - used, "%s*a", i ? ", " : "");
    snprintf(text + used, cap - used, "]\n");
    write_file(dir, "parent.yaml", text);
    char child[16384];
    snprintf(child, sizeof child, "extends: parent.yaml\n%s", text);
    write_file(dir, "child.yaml", child);
    free(text);
    snprintf(path, sizeof path, "%s/child.yaml", dir);
    sim_err err;
    sim_err_clear(&err);
    ck_assert_ptr_null(scn_load(path, NULL, 0, &err));
    snprintf(want, sizeof want, "%s/parent.yaml:1:1: more than 1000000 nodes after expanding "
             "aliases in this file and the files that extend it", dir);
    ck_assert_str_eq(err.msg, want);
    unlink(path);
    snprintf(path, sizeof path, "%s/parent.yaml", dir);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_scenario_extends_duplicate_names)
{
    expect_load_error("bad_extends_dup.yaml", SIM_EINVAL,
                      ":7:11: programs[1].name: duplicate name 'shandong' (first at line 5): in "
                      "a file that extends another, a name may appear once per list");
}
END_TEST

START_TEST(test_scenario_bad_sets)
{
    static const struct { const char *set, *msg; } cases[] = {
        { "programs.nope.budget=1", "--set:1:10: programs.nope: no item named 'nope' in 'programs' (items: shandong, shanghai, research)" },
        { "programs.shandon.budget=1", "--set:1:10: programs.shandon: no item named 'shandon' in 'programs' (did you mean 'shandong'?)" },
        { "programs[7].budget=1", "--set:1:9: programs[7]: no item [7] in 'programs' (it has 3)" },
        { "nosuch.key=1", "--set:1:1: nosuch: no key 'nosuch' in the scenario" },
        { "firms.sizes.micro.x=1", "--set:1:7: firms.sizes: no key 'sizes' in 'firms'" },
        { "name.x=1", "--set:1:6: name.x: 'name' is a value, not a mapping" },
        { "firms[0]=1", "--set:1:6: firms[0]: 'firms' is a mapping, not a sequence" },
        { "just-text", "--set:1:1: expected key.path=value" },
        { "=1", "--set:1:1: expected key.path=value" },
        { "a..b=1", "--set:1:3: a..b: expected a key after '.'" },
        { ".a=1", "--set:1:1: .a: expected a key" },
        { "programs[x]=1", "--set:1:10: programs[x]: expected a number after '['" },
        { "programs[0=1", "--set:1:11: programs[0: expected ']' after the index" },
        { "programs[0]x=1", "--set:1:12: programs[0]x: expected '.' or '['" },
        { "firms.jbs.x=1", "--set:1:7: firms.jbs: no key 'jbs' in 'firms' (did you mean 'jobs'?)" },
        { "name=[1,", "--set:1:9: name: bad value: did not find expected node content" },
    };
    char path[512];
    data_path(path, sizeof path, "child.yaml");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_err err;
        sim_err_clear(&err);
        const char *sets[] = { cases[i].set };
        ck_assert_ptr_null(scn_load(path, sets, 1, &err));
        ck_assert_str_eq(err.msg, cases[i].msg);
        ck_assert_int_eq(err.code, SIM_EINVAL);
    }
}
END_TEST

START_TEST(test_scenario_extends_chain_too_long)
{
    char dir[] = "/tmp/check_scenario_XXXXXX", path[128], first[128], want[512];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    for (int i = 0; i <= SCN_MAX_EXTENDS + 1; i++) {
        snprintf(path, sizeof path, "%s/e%d.yaml", dir, i);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "extends: e%d.yaml\n", i + 1);
        fclose(f);
    }
    sim_err err;
    sim_err_clear(&err);
    snprintf(first, sizeof first, "%s/e0.yaml", dir);
    ck_assert_ptr_null(scn_load(first, NULL, 0, &err));
    snprintf(want, sizeof want, "%s/e%d.yaml:1:10: extends: extends chain longer than %d files",
             dir, SCN_MAX_EXTENDS, SCN_MAX_EXTENDS);
    ck_assert_str_eq(err.msg, want);
    for (int i = 0; i <= SCN_MAX_EXTENDS + 1; i++) {
        snprintf(path, sizeof path, "%s/e%d.yaml", dir, i);
        unlink(path);
    }
    rmdir(dir);
}
END_TEST

/* ---- loading ---- */

START_TEST(test_scenario_positions_and_keypaths)
{
    scn_doc *d = load_data("small.yaml", NULL, 0);
    char path[512];
    data_path(path, sizeof path, "small.yaml");
    ck_assert_str_eq(scn_doc_path(d), path);
    const scn_node *root = scn_root(d);
    ck_assert_int_eq(scn_node_kind(root), SCN_MAP);
    ck_assert_str_eq(scn_node_keypath(root), "");
    const scn_node *cov = at(d, "programs[0].coverage");
    ck_assert_str_eq(scn_str(cov), "0.8");
    ck_assert_int_eq(scn_node_line(cov), 36);
    ck_assert_int_eq(scn_node_col(cov), 15);
    ck_assert_str_eq(scn_node_file(cov), path);
    ck_assert_str_eq(scn_node_keypath(cov), "programs[0].coverage");
    const scn_node *per = at(d, "cities[1].arrivals[1].per_day");
    ck_assert_str_eq(scn_node_keypath(per), "cities[1].arrivals[1].per_day");
    ck_assert_int_eq(scn_node_line(per), 16);
    ck_assert_int_eq(scn_node_col(per), 37);
    ck_assert_uint_eq(scn_len(at(d, "cities")), 2);
    ck_assert_str_eq(scn_key(root, 0), "name");
    ck_assert_ptr_null(scn_str(at(d, "cities")));
    ck_assert_ptr_null(scn_get(at(d, "cities"), "name"));
    ck_assert_ptr_null(scn_item(root, 99));
    const scn_node *k = scn_key_node(at(d, "programs[0]"), 1);
    ck_assert_str_eq(scn_str(k), "city");
    ck_assert_int_eq(scn_node_line(k), 34);
    ck_assert_int_eq(scn_node_col(k), 5);
    ck_assert_str_eq(scn_node_keypath(k), "programs[0].city");
    ck_assert_ptr_null(scn_key_node(at(d, "cities"), 0));
    scn_free(d);
}
END_TEST

START_TEST(test_scenario_extends_merges_by_name)
{
    scn_doc *d = load_data("child.yaml", NULL, 0);
    char base[512], child[512];
    data_path(base, sizeof base, "base.yaml");
    data_path(child, sizeof child, "child.yaml");
    const scn_node *root = scn_root(d);
    ck_assert_ptr_null(scn_get(root, "extends"));
    ck_assert_str_eq(scn_str(scn_get(root, "name")), "child");
    ck_assert_str_eq(scn_str(scn_get(root, "start")), "2025-01-01");
    /* named items: overridden in place, new names appended */
    const scn_node *progs = scn_get(root, "programs");
    ck_assert_uint_eq(scn_len(progs), 3);
    ck_assert_str_eq(scn_str(at(d, "programs[0].name")), "shandong");
    ck_assert_str_eq(scn_str(at(d, "programs[1].name")), "shanghai");
    ck_assert_str_eq(scn_str(at(d, "programs[2].name")), "research");
    const scn_node *budget = at(d, "programs[0].budget");
    ck_assert_str_eq(scn_str(budget), "1.03B");
    ck_assert_str_eq(scn_node_file(budget), child);
    ck_assert_int_eq(scn_node_line(budget), 8);
    const scn_node *cov = at(d, "programs[0].coverage");
    ck_assert_str_eq(scn_str(cov), "0.5");
    ck_assert_str_eq(scn_node_file(cov), base);
    ck_assert_int_eq(scn_node_line(cov), 23);
    ck_assert_str_eq(scn_node_keypath(cov), "programs[0].coverage");
    ck_assert_uint_eq(scn_len(at(d, "programs[1].eligible_sizes")), 2);
    ck_assert_uint_eq(scn_len(scn_get(root, "datacenters")), 2);
    ck_assert_uint_eq(scn_len(scn_get(root, "cities")), 2);
    /* mappings merge key by key, deeply */
    ck_assert_str_eq(scn_str(at(d, "firms.training.gpus")), "32");
    ck_assert_str_eq(scn_str(at(d, "firms.training.hours")), "100");
    ck_assert_str_eq(scn_str(at(d, "firms.jobs")), "2");
    scn_free(d);
}
END_TEST

START_TEST(test_scenario_set_overrides)
{
    const char *sets[] = {
        "programs.shandong.budget=2B",
        "programs[1].coverage=0.9",
        "cities[0].firms={jobs: 5, sizes: [1, 2]}",
        "programs.research.eligible_sizes=[micro]",
        "description=Note: a colon",
        "seed=42",
    };
    scn_doc *d = load_data("child.yaml", sets, 6);
    const scn_node *b = at(d, "programs[0].budget");
    ck_assert_str_eq(scn_str(b), "2B");
    ck_assert_str_eq(scn_node_file(b), "--set");
    ck_assert_int_eq(scn_node_line(b), 1);
    ck_assert_int_eq(scn_node_col(b), 26);
    ck_assert_str_eq(scn_node_keypath(b), "programs[0].budget");
    ck_assert_str_eq(scn_str(at(d, "programs[1].coverage")), "0.9");
    const scn_node *f = at(d, "cities[0].firms");
    ck_assert_int_eq(scn_node_kind(f), SCN_MAP);
    ck_assert_str_eq(scn_str(scn_get(f, "jobs")), "5");
    ck_assert_int_eq(scn_node_col(scn_get(f, "jobs")), 24);
    ck_assert_str_eq(scn_node_keypath(scn_item(scn_get(f, "sizes"), 1)), "cities[0].firms.sizes[1]");
    ck_assert_str_eq(scn_str(at(d, "programs[2].eligible_sizes[0]")), "micro");
    ck_assert_str_eq(scn_str(at(d, "description")), "Note: a colon");
    ck_assert_str_eq(scn_str(at(d, "seed")), "42");
    ck_assert_str_eq(scn_node_file(at(d, "seed")), "--set");
    scn_free(d);
}
END_TEST

/* a and b alike: kinds, texts and key paths; with places, to the byte:
 * files, lines, columns, of keys too. */
static void assert_same(const scn_node *a, const scn_node *b, int places)
{
    ck_assert_int_eq(scn_node_kind(a), scn_node_kind(b));
    ck_assert_str_eq(scn_node_keypath(a), scn_node_keypath(b));
    if (places) {
        ck_assert_str_eq(scn_node_file(a), scn_node_file(b));
        ck_assert_int_eq(scn_node_line(a), scn_node_line(b));
        ck_assert_int_eq(scn_node_col(a), scn_node_col(b));
        int la, ca, lb, cb;
        scn_node_text_pos(a, 1, &la, &ca);
        scn_node_text_pos(b, 1, &lb, &cb);
        ck_assert_int_eq(la, lb);
        ck_assert_int_eq(ca, cb);
    }
    if (scn_node_kind(a) == SCN_SCALAR) {
        ck_assert_str_eq(scn_str(a), scn_str(b));
        return;
    }
    ck_assert_uint_eq(scn_len(a), scn_len(b));
    for (size_t i = 0; i < scn_len(a); i++) {
        if (scn_node_kind(a) == SCN_MAP) {
            if (places)
                assert_same(scn_key_node(a, i), scn_key_node(b, i), places);
            else
                ck_assert_str_eq(scn_key(a, i), scn_key(b, i));
            assert_same(scn_value(a, i), scn_value(b, i), places);
        } else {
            assert_same(scn_item(a, i), scn_item(b, i), places);
        }
    }
}
static void assert_same_tree(const scn_node *a, const scn_node *b) { assert_same(a, b, 0); }
static void assert_same_nodes(const scn_node *a, const scn_node *b) { assert_same(a, b, 1); }

static void assert_round_trip(const scn_doc *d)
{
    char *text = scn_dump(d);
    ck_assert_ptr_nonnull(text);
    sim_err err;
    sim_err_clear(&err);
    scn_doc *back = scn_load_string("dump.yaml", text, strlen(text), NULL, 0, &err);
    if (!back)
        ck_abort_msg("reading the dump back: %s\n%s", err.msg, text);
    assert_same_tree(scn_root(d), scn_root(back));
    ck_assert_ptr_null(strstr(text, "extends"));
    scn_free(back);
    free(text);
}

/* scn_copy_labeled(base, sets) is scn_load_labeled(path, sets): the same
 * tree and text, or the same error; base stays as it was. */
static void assert_copy_is_load(const char *path, const scn_doc *base, const char *const *sets,
                                const scn_set_origin *origins, size_t nsets)
{
    sim_err e1, e2;
    sim_err_clear(&e1);
    sim_err_clear(&e2);
    char *before = scn_dump(base);
    scn_doc *l = scn_load_labeled(path, sets, origins, nsets, &e1);
    scn_doc *c = scn_copy_labeled(base, sets, origins, nsets, &e2);
    char *after = scn_dump(base);
    ck_assert_str_eq(before, after);
    if (!l) {
        ck_assert_ptr_null(c);
        ck_assert_str_eq(e2.msg, e1.msg);
        ck_assert_int_eq(e2.code, e1.code);
    } else {
        if (!c)
            ck_abort_msg("copy with %s: %s", nsets ? sets[0] : "no sets", e2.msg);
        ck_assert_str_eq(scn_doc_path(c), scn_doc_path(l));
        assert_same_nodes(scn_root(l), scn_root(c));
        char *tl = scn_dump(l), *tc = scn_dump(c);
        ck_assert_str_eq(tl, tc);
        free(tl);
        free(tc);
    }
    free(before);
    free(after);
    scn_free(l);
    scn_free(c);
}

START_TEST(test_scenario_copy_is_a_load)
{
    char path[512];
    data_path(path, sizeof path, "child.yaml");
    sim_err err;
    sim_err_clear(&err);
    scn_doc *base = scn_load(path, NULL, 0, &err);
    ck_assert_ptr_nonnull(base);
    static const char *const good[] = {
        "programs.shandong.budget=2B", "programs[1].coverage=0.9",
        "cities[0].firms={jobs: 5, sizes: [1, 2]}", "programs.research.eligible_sizes=[micro]",
        "description=Note: a colon", "seed=42", "newkey=\"two words\"",
        "programs[0].newer=[1, {a: b}]",
    };
    assert_copy_is_load(path, base, NULL, NULL, 0);
    assert_copy_is_load(path, base, good, NULL, sizeof good / sizeof good[0]);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_copy_is_load(path, base, &good[i], NULL, 1);
    static const char *const bad[] = {
        "programs.nope.budget=1", "programs[7].budget=1", "firms.jbs.x=1", "name=[1,",
        "name.x=1", "just-text", "programs[0]x=1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *sets[] = { good[0], bad[i] };
        assert_copy_is_load(path, base, sets, NULL, 2);
    }
    /* from a place in a file (a sweep: entry) and from --vary */
    const scn_set_origin places[] = { { "s.yaml", 11, 27, 5 }, { "--vary", 2, 0, 0 } };
    const char *sets[] = { "programs[0].coverage=0.7", "datacenters[0].price=[1," };
    assert_copy_is_load(path, base, sets, places, 1);
    assert_copy_is_load(path, base, sets, places, 2);
    const char *sets2[] = { "programs.nope.coverage=0.7", "routing=x" };
    assert_copy_is_load(path, base, sets2, places, 2);
    /* the copy owns its memory */
    scn_doc *c = scn_copy_labeled(base, good, NULL, 2, &err);
    ck_assert_ptr_nonnull(c);
    scn_free(base);
    ck_assert_str_eq(scn_node_file(at(c, "programs[2].budget")), path);
    const char *pf = scn_node_file(at(c, "programs[1].city"));   /* from base.yaml */
    ck_assert_uint_ge(strlen(pf), 9);
    ck_assert_str_eq(pf + strlen(pf) - 9, "base.yaml");
    ck_assert_str_eq(scn_str(at(c, "programs[0].budget")), "2B");
    ck_assert_str_eq(scn_doc_path(c), path);
    scn_free(c);
}
END_TEST

/* A copy keeps the hint of a child's item named like no item of its
 * parent, for the message about its missing key. */
START_TEST(test_scenario_copy_keeps_hints)
{
    char dir[] = "/tmp/check_scenario_XXXXXX", path[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_file(dir, "p.yaml", "programs:\n  - {name: shandong, city: jinan}\n");
    write_file(dir, "c.yaml", "extends: p.yaml\nprograms:\n  - {name: shandon, budget: 1M}\n");
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    sim_err e1, e2;
    sim_err_clear(&e1);
    sim_err_clear(&e2);
    scn_doc *l = scn_load(path, NULL, 0, &e1);
    ck_assert_ptr_nonnull(l);
    scn_doc *c = scn_copy_labeled(l, NULL, NULL, 0, &e2);
    ck_assert_ptr_nonnull(c);
    const scn_node *il = scn_item(scn_get(scn_root(l), "programs"), 1);
    const scn_node *ic = scn_item(scn_get(scn_root(c), "programs"), 1);
    scn_missing_key(&e1, il, "city");
    scn_missing_key(&e2, ic, "city");
    ck_assert_ptr_nonnull(strstr(e1.msg, "no program 'shandon'"));
    ck_assert_str_eq(e2.msg, e1.msg);
    scn_free(l);
    scn_free(c);
    char f[160];
    snprintf(f, sizeof f, "%s/p.yaml", dir);
    unlink(f);
    snprintf(f, sizeof f, "%s/c.yaml", dir);
    unlink(f);
    rmdir(dir);
}
END_TEST

START_TEST(test_scenario_dump_round_trip)
{
    const char *sets[] = { "programs.shandong.budget=2B", "cities[0].firms={jobs: 5}" };
    scn_doc *d = load_data("child.yaml", sets, 2);
    assert_round_trip(d);
    scn_free(d);
    d = load_data("small.yaml", NULL, 0);
    assert_round_trip(d);
    scn_free(d);
}
END_TEST

START_TEST(test_scenario_dump_quotes_strings)
{
    const char *text =
        "empty: ''\n"
        "colon: 'a: b'\n"
        "hash: 'x # y'\n"
        "dash: '- item'\n"
        "quote: \"it's \\\"q\\\"\"\n"
        "spaces: '  lead and trail  '\n"
        "lines: \"one\\ntwo\\n\"\n"
        "tab: \"a\\tb\"\n"
        "han: 东数西算\n"
        "star: '*alias'\n"
        "amp: '&anchor'\n"
        "brace: '{a: 1}'\n"
        "num: '007'\n"
        "'key: odd': 1\n"
        "emptyseq: []\n"
        "emptymap: {}\n"
        "nested: [[1, 2], {a: [b]}]\n";
    scn_doc *d = load_text(text);
    ck_assert_str_eq(scn_str(at(d, "lines")), "one\ntwo\n");
    ck_assert_str_eq(scn_str(at(d, "han")), "东数西算");
    assert_round_trip(d);
    char *out = scn_dump(d);
    ck_assert_ptr_nonnull(strstr(out, "东数西算"));
    free(out);
    scn_free(d);
}
END_TEST

START_TEST(test_scenario_aliases_expand)
{
    scn_doc *d = load_text("base: &b {gpus: 8, price: 12}\ncopy: *b\nlist: [*b, *b]\n");
    ck_assert_str_eq(scn_str(at(d, "copy.gpus")), "8");
    ck_assert_str_eq(scn_node_keypath(at(d, "list[1].price")), "list[1].price");
    ck_assert_int_eq(scn_node_line(at(d, "list[1].price")), 1);
    scn_free(d);
}
END_TEST

START_TEST(test_scenario_string_extends_relative_to_name)
{
    char dir[512], name[600];
    data_path(dir, sizeof dir, "");
    snprintf(name, sizeof name, "%smem.yaml", dir);
    const char text[] = "extends: base.yaml\nname: mem\n";
    sim_err err;
    sim_err_clear(&err);
    scn_doc *d = scn_load_string(name, text, sizeof text - 1, NULL, 0, &err);
    if (!d)
        ck_abort_msg("%s", err.msg);
    ck_assert_str_eq(scn_str(at(d, "name")), "mem");
    ck_assert_uint_eq(scn_len(at(d, "programs")), 2);
    scn_free(d);
}
END_TEST

/* ---- getters ---- */

/* A one-key document "v: TEXT"; the node is v. */
static scn_doc *value_doc(const char *text)
{
    char buf[256];
    snprintf(buf, sizeof buf, "v: %s\n", text);
    return load_text(buf);
}

static void getter_error(int (*fn)(const scn_node *, sim_err *), const char *text,
                         const char *msg)
{
    scn_doc *d = value_doc(text);
    sim_err err;
    sim_err_clear(&err);
    ck_assert_int_eq(fn(scn_root(d), &err), SIM_EINVAL);
    char want[1200];
    snprintf(want, sizeof want, "t.yaml:1:4: v: %s", msg);
    ck_assert_str_eq(err.msg, want);
    scn_free(d);
}

static int get_money(const scn_node *m, sim_err *err)
{
    double v = 42;
    int rc = scn_get_money(m, "v", 1, 0, &v, err);
    if (rc)
        ck_assert_double_eq(v, 42);   /* untouched on error */
    return rc;
}

static int get_duration(const scn_node *m, sim_err *err)
{
    double v;
    return scn_get_duration(m, "v", 1, 0, &v, err);
}

static int get_date(const scn_node *m, sim_err *err)
{
    int64_t v;
    return scn_get_date(m, "v", 1, 0, &v, err);
}

static int get_share(const scn_node *m, sim_err *err)
{
    double v;
    return scn_get_double(m, "v", 1, 0, 0, 1, &v, err);
}

static int get_count(const scn_node *m, sim_err *err)
{
    long long v;
    return scn_get_int(m, "v", 1, 0, 1, 100, &v, err);
}

static int get_bool(const scn_node *m, sim_err *err)
{
    int v;
    return scn_get_bool(m, "v", 1, 0, &v, err);
}

static int get_route(const scn_node *m, sim_err *err)
{
    static const char *const names[] = { "nearest", "cheapest", "least_loaded", NULL };
    int v;
    return scn_get_enum(m, "v", 1, 0, names, &v, err);
}

static int get_string(const scn_node *m, sim_err *err)
{
    const char *v;
    return scn_get_string(m, "v", 1, NULL, &v, err);
}

START_TEST(test_scenario_money_units)
{
    static const struct { const char *text; double want; } ok[] = {
        { "600000000", 6e8 }, { "600e6", 6e8 }, { "600M", 6e8 }, { "1.03B", 1.03e9 },
        { "30k", 3e4 }, { "1,000,000", 1e6 }, { "30,000,000", 3e7 }, { "5M CNY", 5e6 },
        { "12 yuan", 12 }, { "2.5 M", 2.5e6 }, { "0", 0 }, { "1,234.5", 1234.5 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        scn_doc *d = value_doc(ok[i].text);
        double v;
        sim_err err;
        ck_assert_int_eq(scn_get_money(scn_root(d), "v", 1, 0, &v, &err), SIM_OK);
        ck_assert_msg(v == ok[i].want, "%s gave %.17g", ok[i].text, v);
        scn_free(d);
    }
    getter_error(get_money, "-5M", "expected an amount of money >= 0, got -5M");
    getter_error(get_money, "1e20", "expected an amount of money of at most 2^53 yuan (9.0e15: "
                 "above it a double cannot count single yuan), got 1e20");
    getter_error(get_money, "1,00", "expected an amount of money such as 600M, 1.03B or "
                 "30,000,000; got '1,00'");
    getter_error(get_money, "5MM", "expected an amount of money such as 600M, 1.03B or "
                 "30,000,000; got '5MM'");
    getter_error(get_money, "1e3M", "expected an amount of money such as 600M, 1.03B or "
                 "30,000,000; got '1e3M'");
    getter_error(get_money, "lots", "expected an amount of money such as 600M, 1.03B or "
                 "30,000,000; got 'lots'");
    getter_error(get_money, "0x10", "expected an amount of money such as 600M, 1.03B or "
                 "30,000,000; got '0x10'");
    getter_error(get_money, "[1]", "expected an amount of money such as 600M, 1.03B or "
                 "30,000,000; got a sequence");
}
END_TEST

START_TEST(test_scenario_duration_units)
{
    static const struct { const char *text; double want; } ok[] = {
        { "90min", 1.5 }, { "12h", 12 }, { "30d", 720 }, { "2w", 336 }, { "6mo", 4320 },
        { "1y", 8760 }, { "5", 5 }, { "1.5d", 36 }, { "3 d", 72 }, { "0", 0 }, { "1e1h", 10 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        scn_doc *d = value_doc(ok[i].text);
        double v;
        sim_err err;
        ck_assert_int_eq(scn_get_duration(scn_root(d), "v", 1, 0, &v, &err), SIM_OK);
        ck_assert_double_eq_tol(v, ok[i].want, 1e-12);
        scn_free(d);
    }
    getter_error(get_duration, "5m", "expected a duration such as 30d, 12h, 90min, 2w, 6mo or "
                 "1y; got '5m'");
    getter_error(get_duration, "d", "expected a duration such as 30d, 12h, 90min, 2w, 6mo or "
                 "1y; got 'd'");
    getter_error(get_duration, "-1d", "expected a duration >= 0, got -1d");
}
END_TEST

START_TEST(test_scenario_dates)
{
    static const struct { const char *text; int64_t want; } ok[] = {
        { "1970-01-01", 0 }, { "2025-01-01", 20089 }, { "2024-02-29", 19782 },
        { "2000-02-29", 11016 }, { "2025-12-31", 20453 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        scn_doc *d = value_doc(ok[i].text);
        int64_t v;
        char buf[16];
        sim_err err;
        ck_assert_int_eq(scn_get_date(scn_root(d), "v", 1, 0, &v, &err), SIM_OK);
        ck_assert_int_eq(v, ok[i].want);
        ck_assert_str_eq(scn_format_date(v, buf, sizeof buf), ok[i].text);
        scn_free(d);
    }
    char buf[16];
    ck_assert_str_eq(scn_format_date(-1, buf, sizeof buf), "1969-12-31");
    getter_error(get_date, "2025-02-29", "no day 29 in month 2 of 2025 in date '2025-02-29' "
                 "(it has 28 days)");
    getter_error(get_date, "1900-02-29", "no day 29 in month 2 of 1900 in date '1900-02-29' "
                 "(it has 28 days)");
    getter_error(get_date, "2025-04-31", "no day 31 in month 4 of 2025 in date '2025-04-31' "
                 "(it has 30 days)");
    getter_error(get_date, "2025-13-01", "no month 13 in date '2025-13-01'");
    getter_error(get_date, "2025-1-01", "expected a date YYYY-MM-DD, got '2025-1-01'");
    getter_error(get_date, "July 1", "expected a date YYYY-MM-DD, got 'July 1'");
}
END_TEST

START_TEST(test_scenario_numbers_bools_enums)
{
    getter_error(get_share, "1.8", "expected a number in [0, 1], got 1.8");
    getter_error(get_share, "abc", "expected a number in [0, 1], got 'abc'");
    getter_error(get_share, "nan", "expected a number in [0, 1], got 'nan'");
    getter_error(get_share, "{a: 1}", "expected a number in [0, 1], got a mapping");
    getter_error(get_share, "''", "expected a number in [0, 1], got nothing");
    getter_error(get_count, "1.5", "expected an integer in [1, 100], got '1.5'");
    getter_error(get_count, "0", "expected an integer in [1, 100], got 0");
    getter_error(get_bool, "maybe", "expected true or false, got 'maybe'");
    getter_error(get_route, "nearst", "expected one of nearest, cheapest, least_loaded; got "
                 "'nearst' (did you mean 'nearest'?)");
    getter_error(get_route, "random", "expected one of nearest, cheapest, least_loaded; got "
                 "'random'");
    getter_error(get_string, "[a]", "expected a string, got a sequence");

    scn_doc *d = load_text("a: 0.25\nb: -3\nc: yes\nd: off\ne: cheapest\nf: text\n");
    const scn_node *r = scn_root(d);
    double x;
    long long i;
    int b, e;
    const char *s;
    sim_err err;
    ck_assert_int_eq(scn_get_double(r, "a", 1, 0, 0, 1, &x, &err), SIM_OK);
    ck_assert_double_eq(x, 0.25);
    ck_assert_int_eq(scn_get_double(r, "zz", 0, 7.5, 0, 1, &x, &err), SIM_OK);
    ck_assert_double_eq(x, 7.5);
    ck_assert_int_eq(scn_get_int(r, "b", 1, 0, LLONG_MIN, LLONG_MAX, &i, &err), SIM_OK);
    ck_assert_int_eq(i, -3);
    ck_assert_int_eq(scn_get_bool(r, "c", 1, 0, &b, &err), SIM_OK);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(scn_get_bool(r, "d", 1, 1, &b, &err), SIM_OK);
    ck_assert_int_eq(b, 0);
    static const char *const names[] = { "nearest", "cheapest", NULL };
    ck_assert_int_eq(scn_get_enum(r, "e", 1, 0, names, &e, &err), SIM_OK);
    ck_assert_int_eq(e, 1);
    ck_assert_int_eq(scn_get_string(r, "f", 1, NULL, &s, &err), SIM_OK);
    ck_assert_str_eq(s, "text");
    sim_err_clear(&err);
    ck_assert_int_eq(scn_get_money(r, "budget", 1, 0, &x, &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, "t.yaml:1:1: missing required key 'budget'");
    ck_assert_int_eq(scn_error(&err, SIM_EINVAL, scn_get(r, "f"), "custom %d", 3), SIM_EINVAL);
    ck_assert_str_eq(err.msg, "t.yaml:6:4: f: custom 3");
    scn_free(d);
}
END_TEST

START_TEST(test_scenario_check_keys_suggests)
{
    static const char *const known[] = { "budget", "coverage", "cap_per_firm", NULL };
    scn_doc *d = load_text("budget: 1\n\ncovrage: 0.5\n");
    sim_err err;
    sim_err_clear(&err);
    ck_assert_int_eq(scn_check_keys(scn_root(d), known, &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, "t.yaml:3:1: covrage: unknown key 'covrage' (did you mean 'coverage'?)");
    scn_free(d);
    d = load_text("budget: 1\nzebra: 2\n");
    ck_assert_int_eq(scn_check_keys(scn_root(d), known, &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, "t.yaml:2:1: zebra: unknown key 'zebra'");
    ck_assert_int_eq(scn_expect_seq(scn_root(d), "cities", &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, "t.yaml:1:1: expected a sequence (cities), got a mapping");
    ck_assert_int_eq(scn_expect_map(scn_root(d), NULL, &err), SIM_OK);
    scn_free(d);
}
END_TEST

START_TEST(test_scenario_edit_distance)
{
    ck_assert_uint_eq(scn_edit_distance("", ""), 0);
    ck_assert_uint_eq(scn_edit_distance("abc", ""), 3);
    ck_assert_uint_eq(scn_edit_distance("shangai", "shanghai"), 1);
    ck_assert_uint_eq(scn_edit_distance("covrage", "coverage"), 1);
    ck_assert_uint_eq(scn_edit_distance("nearset", "nearest"), 1);   /* a swap */
    ck_assert_uint_eq(scn_edit_distance("kitten", "sitting"), 3);
}
END_TEST

static Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *te = tcase_create("errors");
    tcase_add_test(te, test_scenario_syntax_error_has_position_and_context);
    tcase_add_test(te, test_scenario_empty_file);
    tcase_add_test(te, test_scenario_root_must_be_mapping);
    tcase_add_test(te, test_scenario_duplicate_key_at_second);
    tcase_add_test(te, test_scenario_several_documents);
    tcase_add_test(te, test_scenario_invalid_utf8);
    tcase_add_test(te, test_scenario_invalid_utf8_written_bytes);
    tcase_add_test(te, test_scenario_billion_laughs_fails_fast);
    tcase_add_test(te, test_scenario_deep_nesting);
    tcase_add_test(te, test_scenario_alias_to_itself);
    tcase_add_test(te, test_scenario_extends_missing_file);
    tcase_add_test(te, test_scenario_extends_cycle);
    tcase_add_test(te, test_scenario_missing_file);
    tcase_add_test(te, test_scenario_extends_chain_too_long);
    tcase_add_test(te, test_scenario_bad_sets);
    tcase_add_test(te, test_scenario_extends_device_refused);
    tcase_add_test(te, test_scenario_device_fifo_directory_refused);
    tcase_add_test(te, test_scenario_file_size_capped);
    tcase_add_test(te, test_scenario_alias_bytes_capped);
    tcase_add_test(te, test_scenario_deep_flow_fails_fast);
    tcase_add_test(te, test_scenario_key_path_bytes_capped);
    tcase_add_test(te, test_scenario_extends_duplicate_names);
    tcase_add_test(te, test_scenario_extends_merge_is_not_quadratic);
    tcase_add_test(te, test_scenario_extends_budget_is_for_the_chain);
    suite_add_tcase(s, te);
    TCase *tl = tcase_create("load");
    tcase_add_test(tl, test_scenario_positions_and_keypaths);
    tcase_add_test(tl, test_scenario_extends_merges_by_name);
    tcase_add_test(tl, test_scenario_set_overrides);
    tcase_add_test(tl, test_scenario_dump_round_trip);
    tcase_add_test(tl, test_scenario_copy_is_a_load);
    tcase_add_test(tl, test_scenario_copy_keeps_hints);
    tcase_add_test(tl, test_scenario_dump_quotes_strings);
    tcase_add_test(tl, test_scenario_aliases_expand);
    tcase_add_test(tl, test_scenario_string_extends_relative_to_name);
    suite_add_tcase(s, tl);
    TCase *tg = tcase_create("getters");
    tcase_add_test(tg, test_scenario_money_units);
    tcase_add_test(tg, test_scenario_duration_units);
    tcase_add_test(tg, test_scenario_dates);
    tcase_add_test(tg, test_scenario_numbers_bools_enums);
    tcase_add_test(tg, test_scenario_check_keys_suggests);
    tcase_add_test(tg, test_scenario_edit_distance);
    suite_add_tcase(s, tg);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(scenario_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
