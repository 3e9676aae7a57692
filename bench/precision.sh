#!/usr/bin/env bash
# precision.sh counts failfast's findings per rule and per corpus: the
# standard library ($(go env GOROOT)/src) and the application modules that
# bench/corpus.sh fetches. It prints a Markdown table (the "findings" column
# of docs/precision.md) and leaves each corpus's JSON in the output folder
# for reading the findings themselves.
#
#   bench/precision.sh [corpus-dir] [out-dir]
set -euo pipefail
export GOTOOLCHAIN=local
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$(cd "$repo/.." && pwd)/corpus}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
go build -o "$out/failfast" "$repo/cmd/lsp"
[ -d "$corpus/caddy" ] || "$repo/bench/corpus.sh" "$corpus"

declare -A dirs=([stdlib]="$(go env GOROOT)/src" [caddy]="$corpus/caddy" [task]="$corpus/task" [prometheus]="$corpus/prometheus")
names=(stdlib caddy task prometheus)
for n in "${names[@]}"; do
  status=0
  (cd "${dirs[$n]}" && "$out/failfast" check -json ./... >"$out/$n.json" 2>"$out/$n.err") || status=$?
  if [ "$status" -gt 1 ]; then
    echo "warning: $n: failfast exited $status; see $out/$n.err" >&2
  fi
done
python3 - "$out" "${names[@]}" <<'PY'
import json, sys, collections
out, names = sys.argv[1], sys.argv[2:]
counts = {n: collections.Counter(f["rule"] for f in json.load(open(f"{out}/{n}.json"))["findings"]) for n in names}
rules = sorted(set().union(*counts.values()))
print("| rule | " + " | ".join(names) + " | total |")
print("|---|" + "---:|" * (len(names) + 1))
for r in rules:
    row = [counts[n][r] for n in names]
    print(f"| {r} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
tot = [sum(counts[n].values()) for n in names]
print("| **all** | " + " | ".join(map(str, tot)) + f" | {sum(tot)} |")
PY
echo "JSON per corpus: $out" >&2
