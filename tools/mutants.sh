#!/usr/bin/env bash
# Mutation testing of the connector domain modules with cargo-mutants.
#
#   bash tools/mutants.sh            # all four files (25-40 minutes on 2 cores)
#   MUTANTS_FILES="src/connectors/clean.rs" bash tools/mutants.sh
#   MUTANTS_IN_PLACE=1 bash tools/mutants.sh  # mutate this checkout (reuses target/; do not
#                                             # edit files while it runs)
#
# Equivalent mutants (no client can tell them apart) are excluded in .cargo/mutants.toml.
#
# Installs cargo-mutants when missing, mutates src/connectors/{patch,clean,guard,create}.rs,
# runs the in-process API tests (`cargo test --test api`, which drive every rule through HTTP)
# against each mutant, and prints the score: caught / (caught + missed) of the viable mutants
# (mutants that build and whose tests finish; `unviable` ones do not compile). The full
# report lands in target/mutants/ (git-ignored). Results are recorded in
# tools/bench/MUTANTS.md; survivors are explained there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null 2>&1; then
  cargo install cargo-mutants --locked --version 27.1.0
fi

files="${MUTANTS_FILES:-src/connectors/patch.rs src/connectors/clean.rs src/connectors/guard.rs src/connectors/create.rs}"
args=()
for file in $files; do
  args+=(--file "$file")
done

out="target/mutants"
mkdir -p "$out"
status=0
cargo mutants "${args[@]}" --output "$out" --timeout 120 ${MUTANTS_IN_PLACE:+--in-place} \
  --cargo-arg=--test --cargo-arg=api || status=$?
# cargo-mutants exits 2 when some mutants were missed, 3 on timeouts: the score decides.
case "$status" in 0|2|3) ;; *) echo "cargo mutants failed (exit $status)" >&2; exit "$status" ;; esac

outcomes="$out/mutants.out/outcomes.json"
python3 - "$outcomes" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
counts = {}
missed = []
for outcome in data["outcomes"]:
    if outcome["scenario"] == "Baseline":
        continue
    summary = outcome["summary"]
    counts[summary] = counts.get(summary, 0) + 1
    if summary == "MissedMutant":
        mutant = outcome["scenario"]["Mutant"]
        missed.append(f'{mutant["file"]}:{mutant["span"]["start"]["line"]}: {mutant.get("name") or mutant.get("replacement")}')
caught = counts.get("CaughtMutant", 0)
viable = caught + counts.get("MissedMutant", 0)
print("outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
print(f"score: {caught}/{viable} viable mutants caught ({100 * caught / max(viable, 1):.1f}%)")
for line in missed:
    print("missed:", line)
PY
