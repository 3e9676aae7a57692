#!/usr/bin/env bash
# speed.sh times failfast, golangci-lint (the overlapping linters) and the
# type-checking floor over the same tree, one after the other in one run, so
# that the ratios are comparable on a shared, noisy machine.
#
#   bench/speed.sh [dir]     (default: $(go env GOROOT)/src)
#
# The Go build cache is warmed first (export data for every package), and
# golangci-lint's result cache is emptied before its run: a result cache
# would only measure a cache hit. golangci-lint v2.15.0 is installed with
# go install if it is missing.
set -euo pipefail
export GOTOOLCHAIN=local
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$(go env GOROOT)/src}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

go build -o "$out/failfast" "$repo/cmd/failfast"
(cd "$repo" && go build -o "$out/floor" ./bench/floor)
gcl=$(go env GOPATH)/bin/golangci-lint
if ! "$gcl" version 2>/dev/null | grep -q 'version 2.15.0'; then
  go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
fi

echo "warming the build cache in $dir ..." >&2
(cd "$dir" && go list -e -export -deps -test ./... >/dev/null)

# measure NAME CMD...: runs CMD in $dir, records wall seconds and peak RSS.
measure() {
  local name=$1; shift
  (cd "$dir" && /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" >"$out/$name.out" 2>"$out/$name.err") || true
  read -r wall kb < <(tail -n 1 "$out/$name.time")
  printf '%s %s %s\n' "$name" "$wall" "$((kb / 1024))" >>"$out/results"
  printf '%-14s %8.1f s %8d MB   (%s lines of output)\n' "$name" "$wall" "$((kb / 1024))" "$(wc -l <"$out/$name.out")"
}

echo "tree: $dir   go: $(go env GOVERSION)   cores: $(nproc)"
measure floor "$out/floor" ./...
measure failfast "$out/failfast" check ./...
export GOLANGCI_LINT_CACHE="$out/gcl-cache"
measure golangci-lint "$gcl" run --default=none --enable=errcheck,nilerr,nilnil,forcetypeassert,errorlint \
  --max-issues-per-linter=0 --max-same-issues=0 --output.text.path=stdout ./...

awk '
  { wall[$1] = $2; mem[$1] = $3 }
  END {
    printf "failfast / golangci-lint: time %.2fx, memory %.2fx\n", wall["failfast"] / wall["golangci-lint"], mem["failfast"] / mem["golangci-lint"]
    printf "failfast / floor:         time %.2fx, memory %.2fx\n", wall["failfast"] / wall["floor"], mem["failfast"] / mem["floor"]
  }' "$out/results"
