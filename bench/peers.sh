#!/usr/bin/env bash
# peers.sh installs the peer linters of issue 9, pinned, and runs them on a
# MEASUREMENT half of bench/modules.sh's set (HALF=measure, the default, or
# HALF=measure2 ... measure28), one run at a time under
# /usr/bin/time -v, then samples their findings for judging (bench/sample.py):
#   errcheck v1.30.0            errcheck -blank ./...
#   golangci-lint v2.15.0       only forcetypeassert, nilerr, nilnil, errorlint
#                               (a config outside the module, v2 format)
#   nilaway (pinned pseudo-version below; the module has no tags)
#                               nilaway -test=false -pretty-print=false
#                               -include-pkgs=<module path> ./... (it reports on stderr); killed
#                               and noted when its RSS passes $NILAWAY_MAX_KB
# Output in OUT (default $modules/out/peers): <tool>.<module>.{txt,json,err,time},
# times.tsv, counts.md, peers.tsv (all findings outside tests and generated files),
# peers-sample.md and .tsv ($N findings, default 48, spread over tools and modules).
#
#   bench/peers.sh [modules-dir] [out-dir]
#
# Then judge peers-sample.tsv, and with failfast's JSON of the same half
# (bench/measure.sh): bench/sample.py share VERDICTS.tsv $modules/out/$HALF
set -euo pipefail
root=${1:-/work/modules}
half=${HALF:-measure}
case $half in
  measure) out=${2:-$root/out/peers} ;;
  *) out=${2:-$root/out/peers-$half} ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
N=${N:-48}
NILAWAY_MAX_KB=${NILAWAY_MAX_KB:-12000000}
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
export GOBIN=$root/bin
. "$here/halves.sh"
declare -A paths
if [ "$half" = tune ] || ! half_mods "$half"; then
  echo "peers.sh: HALF is a measurement half, one of ${halves[*]:1}" >&2
  exit 2
fi
run=(${MODS:-${mods[@]}}) # MODS="a b": run the linters on these only (the sample is over all present)
[ -d "$root/$half/${run[-1]}" ] || HALVES=$half "$here/modules.sh" "$root"
mkdir -p "$out" "$GOBIN"
[ -x "$GOBIN/errcheck" ] || go install github.com/kisielk/errcheck@v1.30.0
[ -x "$GOBIN/golangci-lint" ] || go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
[ -x "$GOBIN/nilaway" ] || go install go.uber.org/nilaway/cmd/nilaway@v0.0.0-20260918162853-acb8859b9031

cfg=$(mktemp -d)
cat >"$cfg/.golangci.yml" <<'YML'
version: "2"
run:
  tests: false
  relative-path-mode: wd
linters:
  default: none
  enable: [forcetypeassert, nilerr, nilnil, errorlint]
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
YML

[ -f "$out/times.tsv" ] || printf 'tool\tmodule\texit\twall_s\tpeak_rss_kb\tnote\n' >"$out/times.tsv"
timed() { # tool module cmd...: runs cmd in the module under /usr/bin/time, watching its RSS
  local tool=$1 m=$2; shift 2
  local status=0 note="" killed="$out/$tool.$m.killed"
  rm -f "$killed"
  (cd "$root/$half/$m" && exec /usr/bin/time -v -o "$out/$tool.$m.time" "$@" >"$out/$tool.$m.txt" 2>"$out/$tool.$m.err") &
  local sub=$!
  ( # watchdog: the linter is the child of time, which is this subshell's child
    while kill -0 "$sub" 2>/dev/null; do
      for t in $(pgrep -P "$sub"); do
        for p in $(pgrep -P "$t"); do
          rss=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
          if [ "${rss:-0}" -gt "$NILAWAY_MAX_KB" ]; then echo "$rss" >"$killed"; kill "$p"; fi
        done
      done
      sleep 1
    done ) &
  local dog=$!
  wait "$sub" || status=$?
  wait "$dog" || true
  [ -f "$killed" ] && note="killed at RSS $(cat "$killed") KB (over $NILAWAY_MAX_KB)"
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/$tool.$m.time" | awk -F: '{s=0; for(i=1;i<=NF;i++) s=s*60+$i; print s}')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$tool.$m.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$m" "$status" "$wall" "$rss" "$note" >>"$out/times.tsv"
}
for m in "${run[@]}"; do
  timed errcheck "$m" "$GOBIN/errcheck" -blank ./...
  GOLANGCI_LINT_CACHE=$(mktemp -d) timed golangci-lint "$m" "$GOBIN/golangci-lint" run --config "$cfg/.golangci.yml" \
    --output.json.path "$out/golangci-lint.$m.json" --output.text.path stderr ./...
  timed nilaway "$m" "$GOBIN/nilaway" -test=false -pretty-print=false -include-pkgs="${paths[$m]}" ./...
done
rm -rf "$cfg"
python3 "$here/sample.py" peers "$out" "$root/$half" "$N" "${mods[@]}" | tee "$out/counts.md"
column -t -s $'\t' "$out/times.tsv"
