"""tests/schema.py - the shipped JSON Schema against the scenarios (tests/schema.sh runs it).

usage: schema.py SCHEMA KEYS FILE...
  SCHEMA  scenarios/vouchsim-scenario.schema.json
  KEYS    the validator's keys, one SECTION.KEY a line (`vouchsim schema --keys`)
  FILE    scenarios to check: bad_*.yaml must be rejected by the schema,
          every other file accepted.
Prints one line per check that fails and a closing count; exit 1 on any failure.
With VOUCHSIM and VOUCHSIM_SCENARIO in the environment, also checks the
text forms of money and durations against vouchsim's own parsers.
YAML is read as the YAML language server reads it (YAML 1.2 core schema:
dates stay strings, 1e9 is a number, yes/no are strings)."""
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with the implicit types of the YAML 1.2 core schema."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
         "-+0123456789"),
        ("tag:yaml.org,2002:float",
         r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(regexp), list(first))


def construct_int(loader, node):
    v = loader.construct_scalar(node)
    return int(v, 0) if v[:2] in ("0o", "0x") else int(v)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)

HEADER = "# yaml-language-server: $schema=vouchsim-scenario.schema.json"


def schema_keys(schema):
    """SECTION.KEY for every property of the root and of each section definition."""
    keys = {"top." + k for k in schema["properties"]}
    for name, d in schema["definitions"].items():
        if d.get("type") == "object" and "properties" in d:
            keys |= {name + "." + k for k in d["properties"]}
    return keys


def main():
    schema_path, keys_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    fails = passes = 0

    def check(ok, what):
        nonlocal fails, passes
        if ok:
            passes += 1
        else:
            fails += 1
            print("FAIL " + what)

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)

    with open(keys_path, encoding="utf-8") as f:
        want = {line.strip() for line in f if line.strip()}
    want.add("top.extends")          # scenario.c's, not config.c's
    got = schema_keys(schema)
    check(got == want, "schema keys != validator keys: only in the schema %s, only in the "
          "validator %s" % (sorted(got - want), sorted(want - got)))

    for path in files:
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if path.startswith("scenarios/"):
            check(text.split("\n", 1)[0] == HEADER, "%s: first line is not '%s'" % (path, HEADER))
        doc = yaml.load(text, Loader=Yaml12Loader)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if name.startswith("bad_"):
            check(errors, "%s: the schema accepts it" % path)
        else:
            check(not errors, "%s: %s" % (path, "; ".join(
                "%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:200])
                for e in errors[:3])))
    # the text forms of money and durations: the schema's patterns accept
    # what vouchsim's parsers accept (through --set on a scenario given
    # in VOUCHSIM_SCENARIO, whose programs[0] takes the values)
    vs, base = os.environ.get("VOUCHSIM"), os.environ.get("VOUCHSIM_SCENARIO")
    forms = {
        "money": ("programs[0].budget", [
            "600M", "1.03B", "30k", "30K", "30,000,000", "5M CNY", "5 yuan", "600e6", "1e6M",
            "1,00", "1,0000", ".5M", "5.M", "+5M", "-5M", "5 M", "5MCNY", "1,000.5", "abc",
            "1,000,000.25 CNY", "5 m", "5G", "0x10"]),
        "duration": ("programs[0].validity", [
            "30d", "12h", "90min", "2w", "6mo", "1y", "30", "1e3h", "30 d", ".5d", "5.d", "+3d",
            "-3d", "3x", "3 min", "3dd", "1E2h", "3 days", "inf"]),
    }
    for kind, (key, values) in forms.items() if vs and base else []:
        pattern = re.compile(schema["definitions"][kind]["anyOf"][1]["pattern"])
        for v in values:
            r = subprocess.run([vs, "validate", base, "--set", '%s="%s"' % (key, v)],
                               capture_output=True, text=True, check=False)
            check(bool(pattern.search(v)) == (r.returncode == 0),
                  "%s %r: the schema %s it, vouchsim %s it" % (
                      kind, v, "accepts" if pattern.search(v) else "refuses",
                      "accepts" if r.returncode == 0 else "refuses"))
    print("schema.py: %d passed, %d failed" % (passes, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
