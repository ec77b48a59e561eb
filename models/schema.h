/* models/schema.h - the type and meaning of every scenario key, for the
 * JSON Schema of scenarios/vouchsim-scenario.schema.json.
 *
 * config.c's lists of known keys (config_schema_list) say which keys a
 * mapping may hold; this table says, for each of them, what its value is
 * and what it means. schema_check holds the two together: a key the
 * validator knows and this table does not describe (or the reverse) is an
 * error, so the generated schema cannot drift from the validator.
 * tools/cmd_schema.c writes the JSON (`vouchsim schema`). */
#ifndef MODELS_SCHEMA_H
#define MODELS_SCHEMA_H

#include <stddef.h>

#include "sim/err.h"

/* One key of one mapping ("section"). type is a small language:
 *   alternatives separated by '|', each one of
 *   string, name, path, date, money, duration, rate, share, bool, year,
 *   integer, integer>=N, number, number>=N, number<=N (a bound, >= and <= may
 *   both appear: "number>=0<=1"),
 *   enum:E         one of config_schema_list("enum:E")
 *   dist, dist:duration   a value or a {dist: ...} mapping (plain / duration)
 *   object:S       the mapping S (a section of this table)
 *   list:S, list:enum:E, list:name   a sequence of those
 *   map:number, map:vary   a mapping with free keys (latency by city;
 *                  sweep key paths to "LO:HI[:N]")
 *   shares:E       {name: share} over the names of enum E
 * A leading '!' marks a key config.c requires (in a file that does not
 * `extends` another; items of unnamed lists always). */
typedef struct schema_key {
    const char *section;   /* "program"; "top" for the top level */
    const char *key;
    const char *type;
    const char *desc;      /* one line, for editors' hover text */
} schema_key;

/* The table, in the order of each section's keys; *n gets its length. */
const schema_key *schema_keys(size_t *n);

/* The description of one section (a mapping), or NULL. */
const char *schema_section_desc(const char *section);

/* The entry for section.key, or NULL. */
const schema_key *schema_find(const char *section, const char *key);

/* The sections the schema describes, NULL-terminated ("top" first). */
const char *const *schema_sections(void);

/* The unit the format documents for a plain number at a key path as --set
 * and --vary take it ("firms.reservation_price.median": "CNY/GPU-h",
 * "datacenters.wuhu.price", "cities[0].arrivals"): a list's items by name
 * or [i], a distribution's parameter (value, min, max, mean, median, sd,
 * mode) in its key's unit. "" for a key without one (shares, counts,
 * money and durations, whose values carry their unit), a lognormal's
 * sigma, or a path that names no key. Never NULL. */
const char *schema_unit(const char *path);

/* Checks the table against config.c's lists: every known key of every
 * section has exactly one entry and every entry names a known key (the
 * top level also has `extends`, which scenario.c handles), every
 * object:/list:/enum: reference resolves, every unit names a key of the
 * table. Returns SIM_OK or SIM_EINVAL with "schema: program.investments:
 * no entry in models/schema.c". */
int schema_check(sim_err *err);

#endif
