/* tests/check_schema.c - the table of models/schema.c against config.c:
 * schema_check passes, and the keys the schema marks required ('!') are
 * exactly those whose absence config.c reports as "missing required key",
 * tried one at a time on a document that holds every required key of
 * every section (and a few optional ones). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/config.h"
#include "models/scenario.h"
#include "models/schema.h"

/* Each line ends with the SECTION.KEY it holds; removing a line removes
 * the lines below it that are indented further (its value). */
static const char *const doc[] = {
    "start: 2025-01-01                   #top.start",
    "cities:                             #top.cities",
    "  - name: c                         #city.name",
    "    region: east                    #city.region",
    "    arrivals:                       #city.arrivals",
    "      - from: 2025-01-01            #arrival.from",
    "        per_day: 1                  #arrival.per_day",
    "datacenters:                        #top.datacenters",
    "  - name: d                         #datacenter.name",
    "    region: east                    #datacenter.region",
    "    gpus: 10                        #datacenter.gpus",
    "    price: 5                        #datacenter.price",
    "    capacity:                       #datacenter.capacity",
    "      - date: 2025-02-01            #capacity.date",
    "        gpus: 20                    #capacity.gpus",
    "    background:                     #datacenter.background",
    "      per_day: 1                    #background.per_day",
    "      gpus: 1                       #background.gpus",
    "      hours: 1h                     #background.hours",
    "programs:                           #top.programs",
    "  - name: p                         #program.name",
    "    city: c                         #program.city",
    "    coverage: 0.5                   #program.coverage",
    "    budget: 1M                      #program.budget",
    "    timeline:                       #program.timeline",
    "      - date: 2025-03-01            #change.date",
    "        close: true                 #change.close",
    "  - name: q",
    "    city: c",
    "    coverage: 0.5",
    "    appropriations:",
    "      per_year: 1M                  #appropriations.per_year",
    "      from: 2025                    #appropriations.from",
    "      to: 2025                      #appropriations.to",
    "  - name: r",
    "    city: c",
    "    coverage: 0.5",
    "    appropriations:",
    "      - year: 2025                  #appropriation.year",
    "        amount: 1M                  #appropriation.amount",
    "investments:                        #top.investments",
    "  - name: i                         #investment.name",
    "    datacenter: d                   #investment.datacenter",
    "    amount: 1M                      #investment.amount",
    "    cost_per_gpu: 100k              #investment.cost_per_gpu",
    "sweep:                              #top.sweep",
    "  design: grid                      #sweep.design",
    "  vary:                             #sweep.vary",
    "    programs.p.coverage: 0.2:0.8:3",
};
#define NLINES (sizeof doc / sizeof doc[0])

/* The column of a line's key ("  - name: c" -> 4). */
static int indent(const char *s)
{
    int n = 0;
    while (s[n] == ' ')
        n++;
    return n + (s[n] == '-' ? 2 : 0);
}

/* The document without line skip (and its block); skip = NLINES: whole.
 * Removing the first key of a list item moves the item's "- " to the
 * next key. */
static char *text_without(size_t skip)
{
    size_t cap = 8192, len = 0;
    char *t = calloc(1, cap);
    int dash = -1;                  /* column where the next line gets "-" */
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < NLINES; i++) {
        if (i == skip) {
            int in = indent(doc[i]);
            if (in >= 2 && doc[i][in - 2] == '-')
                dash = in - 2;
            while (i + 1 < NLINES && indent(doc[i + 1]) > in)
                i++;
            continue;
        }
        char line[128];
        snprintf(line, sizeof line, "%s", doc[i]);
        if (dash >= 0) {
            if (indent(line) == dash + 2 && line[dash] == ' ')
                line[dash] = '-';
            dash = -1;
        }
        len += (size_t)snprintf(t + len, cap - len, "%s\n", line);
    }
    return t;
}

/* "section.key" of a line, or NULL. */
static const char *tag(size_t i)
{
    const char *h = strchr(doc[i], '#');
    return h ? h + 1 : NULL;
}

static int load(const char *text, sim_err *err)
{
    scn_doc *d = scn_load_string("t.yaml", text, strlen(text), NULL, 0, err);
    if (!d)
        return -1;
    config *c = config_from_scenario(d, err);
    int ok = c != NULL;
    config_free(c);
    scn_free(d);
    return ok ? 0 : -1;
}

START_TEST(test_schema_tables_agree)
{
    sim_err err;
    sim_err_clear(&err);
    ck_assert_msg(schema_check(&err) == SIM_OK, "%s", err.msg);
}
END_TEST

START_TEST(test_schema_base_is_valid)
{
    sim_err err;
    sim_err_clear(&err);
    char *t = text_without(NLINES);
    ck_assert_msg(load(t, &err) == 0, "%s\n%s", err.msg, t);
    free(t);
}
END_TEST

START_TEST(test_schema_required_is_required)
{
    size_t n, tried = 0;
    const schema_key *keys = schema_keys(&n);
    /* every required key of the table is in the document */
    for (size_t k = 0; k < n; k++) {
        if (keys[k].type[0] != '!')
            continue;
        char want[96];
        snprintf(want, sizeof want, "%s.%s", keys[k].section, keys[k].key);
        int found = 0;
        for (size_t i = 0; i < NLINES; i++)
            found |= tag(i) && !strcmp(tag(i), want);
        ck_assert_msg(found, "no line of the test document holds required %s", want);
    }
    for (size_t i = 0; i < NLINES; i++) {
        const char *tg = tag(i);
        if (!tg)
            continue;
        char sec[64], msg[128];
        const char *dot = strchr(tg, '.');
        snprintf(sec, sizeof sec, "%.*s", (int)(dot - tg), tg);
        const schema_key *k = schema_find(sec, dot + 1);
        ck_assert_msg(k != NULL, "%s is not in the table", tg);
        sim_err err;
        sim_err_clear(&err);
        char *t = text_without(i);
        int rc = load(t, &err);
        free(t);
        snprintf(msg, sizeof msg, "missing required key '%s'", dot + 1);
        int missing = rc != 0 && strstr(err.msg, msg) != NULL;
        int marked = k->type[0] == '!' || !strcmp(tg, "program.budget");  /* or appropriations */
        ck_assert_msg(missing == marked, "%s: schema says %s, without it config.c says: %s", tg,
                      marked ? "required" : "optional", rc ? err.msg : "ok");
        tried++;
    }
    ck_assert_uint_ge(tried, 30);
}
END_TEST

/* The units of plain numbers that sweep's table, /sweep/vars and plot's
 * axes show for a varied key: one lookup, schema_unit, over the table's
 * sections (the key paths of --set and --vary). */
START_TEST(test_schema_unit_paths)
{
    static const struct { const char *path, *unit; } cases[] = {
        { "firms.reservation_price", "CNY/GPU-h" },
        { "firms.reservation_price.median", "CNY/GPU-h" },
        { "firms.reservation_price.sigma", "" },            /* log scale */
        { "cities.hefei.firms.reservation_price.mean", "CNY/GPU-h" },
        { "firms.data.reservation_price.median", "CNY/TB" },
        { "firms.data.price.value", "CNY/TB" },
        { "cities[1].firms.data.price", "CNY/TB" },
        { "firms.data.share", "" },
        { "datacenters.wuhu-a800.price", "CNY/GPU-h" },
        { "datacenters[0].price", "CNY/GPU-h" },
        { "datacenters.ningxia.zw.price", "CNY/GPU-h" },    /* a name with a dot */
        { "datacenters.wuhu.electricity_price", "CNY/kWh" },
        { "datacenters.wuhu.gpu_power", "kW" },
        { "datacenters.wuhu.background.per_day", "per day" },
        { "datacenters.wuhu.gpus", "" },                    /* a count */
        { "datacenters.wuhu.pue", "" },
        { "datacenters.wuhu.latency.hefei", "ms" },         /* a map's entry */
        { "datacenters[0].latency.default", "ms" },
        { "datacenters.wuhu.latency.hefei[0]", "" },
        { "firms.data.amount", "TB" },
        { "firms.data.amount.median", "TB" },
        { "firms.data.amount.sigma", "" },
        { "cities.hefei.firms.data.amount.mean", "TB" },
        { "cities.hefei.arrivals", "per day" },
        { "cities.hefei.arrivals[1].per_day", "per day" },
        { "firms.inference.latency_bound", "ms" },
        { "cities.hefei.firms.training.latency_bound", "ms" },
        { "firms.training.hours.median", "" },              /* a duration: h by its kind */
        { "programs.hefei-compute.coverage", "" },
        { "programs.hefei-compute.budget", "" },            /* money: CNY by its kind */
        { "price", "" },
        { "nosuch.price", "" },
        { "datacenters.wuhu.nosuch", "" },
        { "firms.reservation_price.median.x", "" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(!strcmp(schema_unit(cases[i].path), cases[i].unit), "%s: got '%s', want '%s'",
                      cases[i].path, schema_unit(cases[i].path), cases[i].unit);
    ck_assert_str_eq(schema_unit(NULL), "");
}
END_TEST

static Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema");
    tcase_add_test(tc, test_schema_tables_agree);
    tcase_add_test(tc, test_schema_base_is_valid);
    tcase_add_test(tc, test_schema_required_is_required);
    tcase_add_test(tc, test_schema_unit_paths);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(schema_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
