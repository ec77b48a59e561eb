#!/bin/sh
# tests/walkfix_c_names.sh - a first-time user's findings in scenario
# lookup by name:
#   3. a name not found offers the nearest scenarios it can see (here,
#      shipped, ./scenarios/) on a second line, "did you mean ...?", never
#      more than 3, and nothing when none is near
#   4. a name that already ends in .yaml or .yml gets no second suffix,
#      and the message names only what was tried
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_c_names.XXXXXX") || exit 1
tmp=$(cd "$tmp" && pwd -P)
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
mkdir "$tmp/empty" "$tmp/here" "$tmp/clone" "$tmp/clone/scenarios" "$tmp/nodata"
# in DIR, with the shipped scenarios of the source tree: vouchsim ARGS...
in_dir() { d=$1; shift; (cd "$d" && VOUCHSIM_DATADIR="$src" "$vs" "$@"); }
# the same with no shipped scenarios at all (an empty data directory)
bare() { d=$1; shift; (cd "$d" && VOUCHSIM_DATADIR="$tmp/nodata" "$vs" "$@"); }

# ---- 3. did you mean ----
t typo 2 '^vouchsim run: did you mean china-2025 or china-2025-2030\?$' -- in_dir "$tmp/empty" run china-2052
ok typo-two-lines [ "$(in_dir "$tmp/empty" run china-2052 2>&1 | wc -l)" -eq 2 ]
ok typo-first-line-as-before [ "$(in_dir "$tmp/empty" run china-2052 2>&1 | head -1)" = \
  "vouchsim run: china-2052: no such scenario: looked for china-2052 and china-2052.yaml in the current directory ($tmp/empty) and in $src/scenarios (from VOUCHSIM_DATADIR); give its path, or set VOUCHSIM_DATADIR (now $src) to the directory that holds scenarios/" ]
t swap-counts-one 2 '^vouchsim validate: did you mean west-first\?$' -- in_dir "$tmp/empty" validate west-frist
t case 2 '^vouchsim compare: did you mean china-2025 or' -- in_dir "$tmp/empty" compare China-2025 west-first
t yml-typo 2 '^vouchsim run: did you mean west-first\?$' -- in_dir "$tmp/empty" run west-frist.yml
# a prefix of several: the 3 nearest, never more
t prefix-three 2 '^vouchsim run: did you mean shandong-1b, shandong-1b-infrastructure or shandong-1b-split\?$' -- \
  in_dir "$tmp/empty" run shandong-b1
ok prefix-shandong [ "$(in_dir "$tmp/empty" run shandong 2>&1 | sed -n 2p)" = \
  "vouchsim run: did you mean shandong-1b, shandong-1b-infrastructure or shandong-1b-split?" ]
# nothing near: the one line as before
ok far-one-line [ "$(in_dir "$tmp/empty" run nosuch 2>&1 | wc -l)" -eq 1 ]
ok far-no-offer sh -c '! (cd "$1" && VOUCHSIM_DATADIR="$2" "$3" run nosuch 2>&1) | grep -q "did you mean"' \
  sh "$tmp/empty" "$src" "$vs"
# the current directory's own files, by the name that finds them
cp "$src/scenarios/mmc.yaml" "$tmp/here/my-study.yaml"
t here-file 2 '^vouchsim run: did you mean my-study\?$' -- bare "$tmp/here" run my-stdy
# a clone's top directory before installing: the path that works
cp "$src/scenarios/mmc.yaml" "$tmp/clone/scenarios/pilot.yaml"
t clone-path 2 '^vouchsim validate: did you mean scenarios/pilot\.yaml\?$' -- bare "$tmp/clone" validate pilto
# the offer works as given
t clone-path-works 0 'pilot\.yaml: ok' -- bare "$tmp/clone" validate scenarios/pilot.yaml
t here-works 0 'my-study\.yaml: ok' -- bare "$tmp/here" validate my-study
# the README's quick start (VOUCHSIM_DATADIR=$PWD in the clone): a shipped
# file seen as a name and as scenarios/NAME.yaml is offered once
t one-file-once 2 '^vouchsim validate: did you mean west-first\?$' -- in_dir "$src" validate west-frist
t two-files-once 2 '^vouchsim validate: did you mean china-2025 or china-2025-2030\?$' -- \
  in_dir "$src" validate china2025
# the same stem with the other suffix is the first offer
t other-suffix 2 '^vouchsim validate: did you mean china-2025 or china-2025-2030\?$' -- \
  in_dir "$tmp/empty" validate china-2025.yml

# ---- 4. no second suffix ----
t yaml-tried 2 "^vouchsim validate: x\\.yaml: no such scenario: looked for x\\.yaml in the current directory \\($tmp/empty\\) and in $src/scenarios \\(from VOUCHSIM_DATADIR\\); give its path, or set VOUCHSIM_DATADIR \\(now $src\\) to the directory that holds scenarios/\$" -- \
  in_dir "$tmp/empty" validate x.yaml
ok yaml-not-doubled sh -c '! (cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate x.yaml 2>&1) | grep -q "x\.yaml\.yaml"' \
  sh "$tmp/empty" "$src" "$vs"
t yml-tried 2 "looked for x\\.yml in the current directory" -- in_dir "$tmp/empty" validate x.yml
# x.yaml.yaml beside it is not what x.yaml names
cp "$src/scenarios/mmc.yaml" "$tmp/here/x.yaml.yaml"
t doubled-file-not-taken 2 "^vouchsim validate: x\\.yaml: no such scenario: looked for x\\.yaml in" -- \
  bare "$tmp/here" validate x.yaml
# a name without a suffix still gets one, and a shipped NAME.yaml is found
t doubled-file-by-its-name 0 '^x\.yaml\.yaml: ok' -- bare "$tmp/here" validate x.yaml.yaml
t shipped-yaml 0 "^$src/scenarios/mmc\\.yaml: ok" -- in_dir "$tmp/empty" validate mmc.yaml
t shipped-name 0 "^$src/scenarios/mmc\\.yaml: ok" -- in_dir "$tmp/empty" validate mmc
# a shipped name with .yaml in a clone's top directory: the path, not a doubled one
t clone-yaml 2 "give its path \\(scenarios/pilot\\.yaml\\)" -- bare "$tmp/clone" validate pilot.yaml

echo "walkfix_c_names: $pass passed, $fail failed"
[ $fail -eq 0 ]
