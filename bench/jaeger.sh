#!/usr/bin/env bash
# jaeger.sh measures the language servers' memory on a large application
# module (issue 12): failfast serve and gopls v0.23.0, one after the other in
# one go test run, each started over pipes on github.com/jaegertracing/jaeger
# with the workspace folder at the module's root; after the background pass
# (gopls: its initial load and workspace diagnostics) 20 files are opened,
# the same 20 for both, and the peak RSS (VmHWM) of the server's process is
# read once it is quiet (server/memory_bench_test.go). The bar is failfast
# at most half of gopls.
#
#   bench/jaeger.sh [dir]     (default: /work/modules/jaeger)
#
# The module (JAEGER_VERSION, default v1.75.0) is fetched through the Go
# module proxy into the module cache (go mod download from a temporary
# module), copied from there into dir (made writable; copied again when dir
# holds another version), and warmed there: go mod download, go build ./...
# and go list -export -deps -test ./..., so that the build cache holds the
# export data of every package, test variants included (without the last,
# failfast's background pass compiles them: 76 s instead of 4 s here).
# Its lines of Go are counted: every line of the .go files that are neither
# tests nor generated (a "// Code generated ... DO NOT EDIT." line before the
# package clause) nor under testdata. gopls v0.23.0 is installed with go
# install into $(go env GOPATH)/bin if it is missing there; that bin comes
# first on PATH for the benchmark. gopls runs twice on a cache of its own
# (GOPLSCACHE in a new folder, not ~/.cache/gopls): cold, then warm on what
# the cold start left, since its peak depends on that cache most; failfast's
# counterpart, the build cache, is warm.
set -euo pipefail
export GOTOOLCHAIN=local
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/work/modules/jaeger}
version=${JAEGER_VERSION:-v1.75.0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$(cat "$dir/.jaeger-version" 2>/dev/null)" != "$version" ]; then
  echo "fetching github.com/jaegertracing/jaeger@$version ..." >&2
  (cd "$tmp" && go mod init jaegerfetch >/dev/null 2>&1 &&
    GOFLAGS=-mod=mod go mod download -json "github.com/jaegertracing/jaeger@$version") >"$tmp/download.json"
  src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' "$tmp/download.json")
  [ -d "$src" ] || { echo "jaeger.sh: no module directory in go mod download's output:" >&2; cat "$tmp/download.json" >&2; exit 1; }
  if [ -e "$dir" ]; then chmod -R u+w "$dir" && rm -rf "$dir"; fi
  mkdir -p "$(dirname "$dir")"
  cp -r "$src" "$dir"
  chmod -R u+w "$dir"
  echo "$version" >"$dir/.jaeger-version" # Go ignores files whose names begin with a dot
fi
echo "warming the module and the build cache in $dir ..." >&2
(cd "$dir" && go mod download && go build ./... && go list -e -export -deps -test ./... >/dev/null)

# count: the lines of Go in dir, as "L lines in F files".
count() {
  find "$dir" -type d \( -name testdata -o -name vendor -o -name '.*' -o -name '_*' \) -prune -o \
    -type f -name '*.go' ! -name '*_test.go' -print0 |
    xargs -0 awk '
      function flush() { if (file != "" && !gen) print n, file }
      FNR == 1 { flush(); file = FILENAME; n = 0; gen = 0; head = 1 }
      head && /^package[[:space:]]/ { head = 0 }
      head && /^\/\/ Code generated .* DO NOT EDIT\.$/ { gen = 1 }
      { n++ }
      END { flush() }' |
    awk '{ lines += $1; files++ } END { printf "%d lines in %d files\n", lines, files }'
}
loc=$(count)

export GOBIN
GOBIN=$(go env GOPATH)/bin
export PATH=$GOBIN:$PATH
if ! "$GOBIN/gopls" version 2>/dev/null | grep -q 'gopls v0.23.0$'; then
  go install golang.org/x/tools/gopls@v0.23.0
fi

echo "module: github.com/jaegertracing/jaeger@$version in $dir, $loc of Go (non-test, non-generated)"
echo "go: $(go env GOVERSION)   gopls: $("$GOBIN/gopls" version | head -n 1)"
echo "cores: $(nproc)   load: $(cut -d ' ' -f 1-3 /proc/loadavg)   date: $(date -u)   failfast: $(git -C "$repo" rev-parse --short HEAD)"
(cd "$repo" && FAILFAST_JAEGER=$dir go test -p 1 -run XXX -bench 'WorkspaceMemoryJaeger' -benchtime 1x -timeout 60m ./server) |
  tee "$tmp/bench.txt"
awk '
  /^BenchmarkWorkspaceMemoryJaeger/ {
    name = $1; sub(/^BenchmarkWorkspaceMemoryJaeger/, "", name); sub(/-[0-9]+$/, "", name)
    for (i = 2; i < NF; i++) if ($(i + 1) == "MB-peak") mb[name] = $i
  }
  END {
    if (!("Failfast" in mb) || !("Gopls/cold" in mb) || !("Gopls/warm" in mb)) {
      print "jaeger.sh: no MB-peak for failfast and both gopls runs" > "/dev/stderr"; exit 1
    }
    printf "peak RSS: failfast %.0f MB, gopls cold %.0f MB, gopls warm %.0f MB\n", mb["Failfast"], mb["Gopls/cold"], mb["Gopls/warm"]
    split("Gopls/cold Gopls/warm", gopls)
    for (i = 1; i <= 2; i++) {
      g = gopls[i]; r = mb["Failfast"] / mb[g]
      printf "failfast / %s: %.2f: bar (<= 0.50) %s\n", g, r, (r <= 0.5 ? "holds" : "does NOT hold")
    }
  }' "$tmp/bench.txt"
