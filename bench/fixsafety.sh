#!/usr/bin/env bash
# fixsafety.sh applies every quick fix failfast offers, one at a time (and
# fix-all per file), on code nobody here wrote, and type-checks each result
# (bench/fixsafety/main.go): the standard library ($(go env GOROOT)/src,
# read in place: fixes are applied in memory, nothing is written) and the
# application modules that bench/corpus.sh fetches, plus, when they are
# present, issue 9's modules, every half (bench/modules.sh; $MODULES, default
# /work/modules) and the shared annotated corpora ($CORPORA, default
# ../shared/corpus: the annotations are comments, the code is checked as it
# is). It prints one report per
# corpus (fixes tried and broken per rule, safe and unsafe apart, and every
# breakage) and exits 1 when any fix broke its package.
#
#   bench/fixsafety.sh [corpus-dir] [fixsafety flags, e.g. -wide or -tests=false]
#   ONLY="happypath nilresults vhs" bench/fixsafety.sh
set -euo pipefail
export GOTOOLCHAIN=local
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "$repo/.." && pwd)/corpus
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then corpus=$1; shift; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$repo" && go build -o "$out/fixsafety" ./bench/fixsafety)
[ -d "$corpus/caddy" ] || "$repo/bench/corpus.sh" "$corpus"

declare -A dirs=([stdlib]="$(go env GOROOT)/src" [caddy]="$corpus/caddy" [task]="$corpus/task" [prometheus]="$corpus/prometheus")
names=(stdlib caddy task prometheus)
modules=${MODULES:-/work/modules}
corpora=${CORPORA:-$(cd "$repo/.." && pwd)/shared/corpus}
. "$repo/bench/halves.sh"
for d in $(for h in "${halves[@]}"; do echo "$modules/$h/"*; done) "$corpora"/*; do
  [ -f "$d/go.mod" ] || continue
  n=$(basename "$d"); dirs[$n]=$d; names+=("$n")
done
export GOFLAGS=-mod=mod
# ONLY="vhs fzf": check these corpora only (rclone alone takes about an hour on two cores).
if [ -n "${ONLY:-}" ]; then read -r -a names <<<"$ONLY"; fi
worst=0
for n in "${names[@]}"; do
  [ -n "${dirs[$n]:-}" ] || { echo "fixsafety.sh: no corpus named $n" >&2; exit 2; }
  echo "## $n"
  status=0
  "$out/fixsafety" -C "${dirs[$n]}" "$@" | tee "$out/$n.txt" || status=$?
  echo
  if [ "$status" -gt "$worst" ]; then worst=$status; fi
done
echo "## total"
awk '/^fixes tried:/ { tried += $3; broke += $5 } END { printf "fixes tried: %d   broke: %d\n", tried, broke }' "$out"/*.txt
exit "$worst"
