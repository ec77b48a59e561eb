/* models/schema.c - the type and meaning of every scenario key.
 *
 * One row per key of each mapping config.c reads, in the order of its
 * lists; schema_check holds the rows and those lists together. The
 * meanings are scenarios/README.md's, cut to one line. */
#include "models/schema.h"

#include <string.h>

#include "models/config.h"

/* Each mapping of the format once, in the schema's order ("top" first):
 * X(name, what it is). It makes both the descriptions and the
 * NULL-terminated list of names that schema_sections returns. */
#define SECTIONS(X) \
    X("top", "A vouchsim scenario: cities and their voucher programs, data centers, routing " \
             "(scenarios/README.md).") \
    X("profile", "What firms arriving in a city are like; each key falls back to the top-level " \
                 "firms, then to the default.") \
    X("data", "Training data a firm may buy (no data-center capacity involved).") \
    X("job", "A kind of job: GPUs, hours and latency bound.") \
    X("city", "A city where firms arrive; merged by name in a file that extends another.") \
    X("arrival", "From this date on, this many firms a day.") \
    X("datacenter", "A data center (or pool of GPUs); merged by name in a file that extends " \
                    "another.") \
    X("capacity", "From this date on, this many GPUs (capacity may only grow).") \
    X("background", "Non-voucher demand: its own Poisson stream of jobs.") \
    X("program", "A voucher program of a city; merged by name in a file that extends " \
                 "another.") \
    X("appropriations", "The same amount on 1 January of each year from `from` to `to`.") \
    X("appropriation", "An amount added on 1 January of a year.") \
    X("window", "Applications are accepted in [open, close).") \
    X("accepts", "Exactly one of datacenters, region or hub.") \
    X("change", "A dated change: date and one or more of add_budget, coverage, cap_per_firm, " \
                "close.") \
    X("sweep", "Sweep settings (vouchsim sweep).") \
    X("investment", "Capacity bought with public money: GPUs added to a data center once " \
                    "built.") \
    X("optimize", "The problem of vouchsim optimize: an objective, constraints and decision " \
                  "variables (the command line replaces each key).")

#define SECTION_ROW(name, desc) { name, desc },
#define SECTION_NAME(name, desc) name,
static const struct { const char *name, *desc; } sections[] = { SECTIONS(SECTION_ROW) };
static const char *const section_names[] = { SECTIONS(SECTION_NAME) NULL };
#undef SECTION_ROW
#undef SECTION_NAME

static const schema_key keys[] = {
    { "top", "name", "string", "A title for charts and summaries (default: the file name)." },
    { "top", "description", "string", "Free text." },
    { "top", "start", "!date", "The day t = 0 (YYYY-MM-DD)." },
    { "top", "horizon", "duration", "Length of the measurement window from start (default "
      "365d); or give end." },
    { "top", "end", "date", "The run ends at midnight at the start of this day; excludes "
      "horizon." },
    { "top", "seed", "integer>=0", "The run's seed (default 1; --seed overrides)." },
    { "top", "replications", "integer>=1", "Replications when run gets no --replications "
      "(default 1)." },
    { "top", "sample_interval", "duration", "How often time series are recorded (default 1d)." },
    { "top", "routing", "enum:routing", "The broker's policy (default latency_aware)." },
    { "top", "vouchers", "bool", "false switches every program off: the counterfactual "
      "(default true)." },
    { "top", "firms", "object:profile", "The default profile of arriving firms, for every "
      "city." },
    { "top", "cities", "!list:city", "Where firms arrive (at least one)." },
    { "top", "datacenters", "!list:datacenter", "Where jobs run (at least one)." },
    { "top", "programs", "list:program", "Voucher programs (default none)." },
    { "top", "sweep", "object:sweep", "Sweep settings: design, samples, vary." },
    { "top", "investments", "list:investment", "Capacity bought with public money (default "
      "none)." },
    { "top", "optimize", "object:optimize", "The problem of vouchsim optimize." },
    { "top", "warmup", "duration", "Simulated before start and dropped from every output "
      "(default 0)." },
    { "top", "cooldown", "duration", "Simulated after the horizon with no new arrivals, so "
      "pending decisions finish (default 0)." },

    { "profile", "sizes", "shares:size", "Shares of arrivals by size class; sum to 1 (default "
      "micro 0.5, small 0.35, medium 0.15)." },
    { "profile", "research_share", "number>=0<=1", "Share of firms on the research track "
      "(default 0)." },
    { "profile", "jobs", "dist", "Jobs per firm, run one after another (default 3)." },
    { "profile", "job_mix", "shares:job_kind", "Kind of each job; sums to 1 (default training "
      "0.2, finetune 0.5, inference 0.3)." },
    { "profile", "training", "object:job", "Training jobs (default 8 GPUs, lognormal median "
      "200 h)." },
    { "profile", "finetune", "object:job", "Fine-tuning jobs (default 8 GPUs, lognormal median "
      "24 h)." },
    { "profile", "inference", "object:job", "Inference jobs (default 2 GPUs, lognormal median "
      "720 h, latency bound 10 ms)." },
    { "profile", "reservation_price", "dist", "The most a firm would pay, yuan per GPU-hour "
      "(default lognormal median 6, sigma 0.5)." },
    { "profile", "patience", "dist:duration", "How long a job may wait for GPUs before the "
      "firm gives up (default exponential, mean 3d)." },
    { "profile", "data", "object:data", "Training data the firm may buy." },

    { "data", "share", "number>=0<=1", "Share of firms that want training data (default 0)." },
    { "data", "amount", "dist", "TB of data wanted (default lognormal median 20, sigma 1)." },
    { "data", "price", "dist", "Yuan per TB the vendor asks (default lognormal median 10000, "
      "sigma 0.5)." },
    { "data", "reservation_price", "dist", "Yuan per TB the firm would pay (default lognormal "
      "median 10000, sigma 1)." },

    { "job", "gpus", "dist", "GPUs per job (rounded up, at least 1)." },
    { "job", "hours", "dist:duration", "Hours per job (a duration)." },
    { "job", "latency_bound", "number>=0", "Latency bound in ms (default none, 10 for "
      "inference)." },

    { "city", "name", "!name", "Unique among cities." },
    { "city", "region", "!enum:region", "east or west." },
    { "city", "hub", "string", "The hub of East Data, West Computing it belongs to." },
    { "city", "arrivals", "!rate|list:arrival", "SME arrivals per day (Poisson), or a list of "
      "{from: date, per_day: rate} (the first from is start)." },
    { "city", "firms", "object:profile", "Overrides keys of the default profile for this "
      "city." },

    { "arrival", "from", "!date", "The date the rate starts." },
    { "arrival", "per_day", "!rate", "Firms arriving per day." },

    { "datacenter", "name", "!name", "Unique among data centers." },
    { "datacenter", "region", "!enum:region", "east or west." },
    { "datacenter", "hub", "string", "Its hub or cluster." },
    { "datacenter", "gpus", "!integer>=0", "Capacity in GPUs at start (0: none until a "
      "capacity step or an investment)." },
    { "datacenter", "capacity", "list:capacity", "Dated growth; GPUs may only grow." },
    { "datacenter", "price", "!number>=0", "Rental price, yuan per GPU-hour." },
    { "datacenter", "electricity_price", "number>=0", "Yuan per kWh (default 0.6 east, 0.4 "
      "west)." },
    { "datacenter", "pue", "number>=1", "Power usage effectiveness (default 1.25 east, 1.2 "
      "west)." },
    { "datacenter", "gpu_power", "number>=0", "Draw of a busy GPU, kW (default 0.7)." },
    { "datacenter", "latency", "map:number", "Round-trip ms to each city, by city name, and a "
      "default for the others." },
    { "datacenter", "certified", "bool", "Accepted by programs whose accepts is certified "
      "(default true)." },
    { "datacenter", "background", "object:background", "Non-voucher demand." },

    { "capacity", "date", "!date", "The date the capacity grows." },
    { "capacity", "gpus", "!integer>=1", "GPUs from that date on." },

    { "background", "per_day", "!rate", "Background jobs per day." },
    { "background", "gpus", "!dist", "GPUs per background job." },
    { "background", "hours", "!dist:duration", "Hours per background job." },
    { "background", "patience", "dist:duration", "How long a background job waits before it "
      "is abandoned (default 1d)." },
    { "background", "warm_start", "bool", "Start with the jobs a long history would leave "
      "running (default true)." },

    { "program", "name", "!name", "Unique among programs." },
    { "program", "city", "!string", "The city that funds it." },
    { "program", "kind", "enum:program_kind", "compute (default), data (training-data "
      "vouchers) or research (compute for research-track firms)." },
    { "program", "budget", "money", "Initial budget, yuan (required unless appropriations are "
      "given)." },
    { "program", "coverage", "!number>=0<=1", "Share of each bill the voucher pays." },
    { "program", "cap_per_firm", "money", "The most one firm's voucher may be worth (default "
      "none)." },
    { "program", "validity", "duration", "A voucher's life from its grant (default 365d)." },
    { "program", "window", "object:window", "Applications accepted in [open, close) (default "
      "the whole run)." },
    { "program", "approval_delay", "dist:duration", "Application to decision (default uniform "
      "30d to 90d)." },
    { "program", "allocation", "enum:allocation", "When money is short: fcfs (default) or "
      "lottery rounds." },
    { "program", "lottery_every", "duration", "With lottery: the time between rounds (default "
      "30d)." },
    { "program", "eligible_sizes", "list:enum:size", "Size classes that may apply (default "
      "all)." },
    { "program", "research_only", "bool", "Only research-track firms may apply (default true "
      "for kind research)." },
    { "program", "accepts", "enum:accepts|object:accepts", "The providers whose bills it pays: "
      "certified (default), any, {datacenters: [...]}, {region: ...} or {hub: ...}." },
    { "program", "on_expiry", "enum:on_expiry", "Unspent value of a closed voucher lapses "
      "(default) or returns to the budget." },
    { "program", "timeline", "list:change", "Dated changes, in date order." },
    { "program", "exhausted_below", "money", "The program has run out with less than this "
      "uncommitted (default the mean voucher granted)." },
    { "program", "when_empty", "enum:when_empty", "When it has run out, firms turn_away "
      "(default) or apply and wait for a tranche." },
    { "program", "appropriations", "object:appropriations|list:appropriation", "Money added on "
      "1 January of each year: {per_year, from, to} or a list of {year, amount}." },
    { "program", "year_end", "enum:year_end", "On each 1 January the uncommitted budget "
      "carry_over (default) or return to the treasury." },

    { "appropriations", "per_year", "!money", "Yuan added each year." },
    { "appropriations", "from", "!year", "The first year." },
    { "appropriations", "to", "!year", "The last year." },
    { "appropriation", "year", "!year", "The year, money added on its 1 January." },
    { "appropriation", "amount", "!money", "Yuan added." },

    { "window", "open", "date", "First day applications are accepted (default start)." },
    { "window", "close", "date", "First day they are not (default: open to the end)." },

    { "accepts", "datacenters", "list:name", "Names of the data centers whose bills it pays." },
    { "accepts", "region", "enum:region", "The region whose data centers it pays." },
    { "accepts", "hub", "string", "The hub whose data centers it pays." },

    { "change", "date", "!date", "When the change takes effect." },
    { "change", "add_budget", "money", "A tranche: yuan added." },
    { "change", "coverage", "number>=0<=1", "New coverage rate." },
    { "change", "cap_per_firm", "money", "New cap per firm." },
    { "change", "close", "bool", "true: no applications from this date on." },

    { "investment", "name", "!name", "Unique among investments." },
    { "investment", "datacenter", "!name", "The data center that gets the GPUs (one declared "
      "with gpus: 0 for a new center)." },
    { "investment", "amount", "!money", "Public money committed, yuan." },
    { "investment", "cost_per_gpu", "!money", "Yuan per GPU, built and installed; the amount "
      "buys floor(amount / cost_per_gpu) GPUs, the rest is returned." },
    { "investment", "date", "date", "When the money is committed (default: start)." },
    { "investment", "lead_time", "duration", "Build time: the GPUs are online this long after "
      "date (default 180d)." },
    { "investment", "lifetime", "duration", "Over which the capital cost is spread (default "
      "5y)." },
    { "optimize", "maximize", "string", "An expression over the run's totals to maximize." },
    { "optimize", "minimize", "string", "An expression over the run's totals to minimize." },
    { "optimize", "subject_to", "string|list:string", "Constraints: 'EXPR <= EXPR [tol EPS]' "
      "or >=." },
    { "optimize", "vary", "map:string", "Key path (as for --set) to values a,b,c, LO:HI:N or "
      "LO:HI." },
    { "optimize", "delta", "number>=0", "The indifference zone." },
    { "optimize", "alpha", "number>=0", "1 - the probability of correct selection." },
    { "optimize", "n0", "integer>=2", "First-stage replications." },
    { "sweep", "design", "enum:design", "grid (default), lhs or sobol." },
    { "sweep", "samples", "integer>=1", "Points for lhs, base samples for sobol." },
    { "sweep", "vary", "!map:vary", "Key path (as for --set) to \"LO:HI:N\" (grid) or \"LO:HI\" "
      "(lhs, sobol), or for a grid a list of values: \"v1,v2,...\" or [v1, v2]." },
};

/* The units of plain numbers, where the format documents one (the
 * descriptions above say it in words): what a chart's axis and sweep's
 * table show for a varied key (schema_unit). */
static const struct { const char *section, *key, *unit; } units[] = {
    { "profile", "reservation_price", "CNY/GPU-h" },
    { "data", "amount", "TB" },
    { "data", "price", "CNY/TB" },
    { "data", "reservation_price", "CNY/TB" },
    { "job", "latency_bound", "ms" },
    { "city", "arrivals", "per day" },
    { "arrival", "per_day", "per day" },
    { "datacenter", "price", "CNY/GPU-h" },
    { "datacenter", "electricity_price", "CNY/kWh" },
    { "datacenter", "gpu_power", "kW" },
    { "datacenter", "latency", "ms" },
    { "background", "per_day", "per day" },
};

const schema_key *schema_keys(size_t *n)
{
    *n = sizeof keys / sizeof keys[0];
    return keys;
}

const char *const *schema_sections(void)
{
    return section_names;
}

const char *schema_section_desc(const char *section)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (!strcmp(sections[i].name, section))
            return sections[i].desc;
    return NULL;
}

const schema_key *schema_find(const char *section, const char *key)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
            return &keys[i];
    return NULL;
}

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

static const char *unit_of(const char *section, const char *key)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(units[i].section, section) && !strcmp(units[i].key, key))
            return units[i].unit;
    return "";
}

static const char *unit_below(const char *section, const char *path, int depth);

/* An item of a list of section's mappings and what follows it: "[i].rest"
 * or ".NAME.rest", NAME perhaps with dots. NULL when rest names no key. */
static const char *unit_item(const char *section, const char *rest, int depth)
{
    if (*rest == '[') {
        const char *close = strchr(rest, ']');
        return close && close[1] == '.' ? unit_below(section, close + 2, depth) : NULL;
    }
    for (const char *p = *rest == '.' ? strchr(rest + 1, '.') : NULL; p; p = strchr(p + 1, '.')) {
        const char *u = unit_below(section, p + 1, depth);
        if (u)
            return u;
    }
    return NULL;
}

/* The unit at path within a mapping of section; NULL when path names no
 * key there. Follows the type's object:, list: and map: alternatives. */
static const char *unit_below(const char *section, const char *path, int depth)
{
    /* a distribution's parameters in its key's unit; sigma (log scale) not */
    static const char *const params[] = { "value", "min", "max", "mean", "median", "sd",
                                          "mode", NULL };
    char key[64], alt[64];
    size_t len = strcspn(path, ".[");
    if (depth > 32 || len == 0 || len >= sizeof key)
        return NULL;
    memcpy(key, path, len);
    key[len] = '\0';
    const schema_key *k = schema_find(section, key);
    const char *rest = path + len;
    if (!k || !*rest)
        return k ? unit_of(section, key) : NULL;
    for (const char *t = k->type + (k->type[0] == '!'); *t; ) {
        size_t n = strcspn(t, "|");
        const char *u = NULL;
        if (n < sizeof alt) {
            memcpy(alt, t, n);
            alt[n] = '\0';
            if (!strncmp(alt, "object:", 7) && *rest == '.')
                u = unit_below(alt + 7, rest + 1, depth + 1);
            else if (!strncmp(alt, "list:", 5) && schema_section_desc(alt + 5))
                u = unit_item(alt + 5, rest, depth + 1);
            else if (!strncmp(alt, "map:", 4) && rest[0] == '.' && rest[1]
                     && !strchr(rest, '['))   /* an entry: NAME, perhaps with dots */
                u = unit_of(section, key);
            else if ((!strcmp(alt, "dist") || !strncmp(alt, "dist:", 5)) && *rest == '.'
                     && in_list(params, rest + 1))
                u = unit_of(section, key);
        }
        if (u)
            return u;
        t += n + (t[n] == '|');
    }
    return NULL;
}

const char *schema_unit(const char *path)
{
    const char *u = path ? unit_below("top", path, 0) : NULL;
    return u ? u : "";
}

/* The references of one alternative of a type resolve. */
static int check_ref(const schema_key *k, const char *alt, size_t len, sim_err *err)
{
    char buf[64], e[80];
    int ok = 1;
    if (len >= sizeof buf)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "schema: %s.%s: type too long",
                           k->section, k->key);
    memcpy(buf, alt, len);
    buf[len] = '\0';
    if (!strncmp(buf, "object:", 7)) {
        ok = schema_section_desc(buf + 7) != NULL;
    } else if (!strncmp(buf, "list:enum:", 10)) {
        ok = config_schema_list(buf + 5) != NULL;
    } else if (!strncmp(buf, "list:", 5)) {
        ok = !strcmp(buf + 5, "name") || !strcmp(buf + 5, "string")
             || schema_section_desc(buf + 5) != NULL;
    } else if (!strncmp(buf, "enum:", 5)) {
        ok = config_schema_list(buf) != NULL;
    } else if (!strncmp(buf, "shares:", 7)) {
        snprintf(e, sizeof e, "enum:%s", buf + 7);
        ok = config_schema_list(e) != NULL;
    }
    if (!ok)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "schema: %s.%s: unknown reference '%s'",
                           k->section, k->key, buf);
    return SIM_OK;
}

int schema_check(sim_err *err)
{
    int rc;
    for (size_t s = 0; section_names[s]; s++) {
        const char *sec = section_names[s];
        const char *const *known = config_schema_list(sec);
        if (!known)
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "schema: section '%s' has no list "
                               "of keys in models/config.c (config_schema_list)", sec);
        for (size_t i = 0; known[i]; i++)
            if (!schema_find(sec, known[i]))
                return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "schema: %s.%s: no entry in "
                                   "models/schema.c", sec, known[i]);
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const schema_key *k = &keys[i];
        if (!in_list(section_names, k->section) || !in_list(config_schema_list(k->section),
                                                            k->key))
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "schema: %s.%s: not a key "
                               "models/config.c knows", k->section, k->key);
        if (schema_find(k->section, k->key) != k)
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "schema: %s.%s: described twice",
                               k->section, k->key);
        const char *t = k->type + (k->type[0] == '!');
        while (*t) {
            size_t len = strcspn(t, "|");
            if ((rc = check_ref(k, t, len, err)))
                return rc;
            t += len + (t[len] == '|');
        }
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!schema_find(units[i].section, units[i].key))
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "schema: %s.%s: a unit for a key "
                               "the table does not describe", units[i].section, units[i].key);
    return SIM_OK;
}
