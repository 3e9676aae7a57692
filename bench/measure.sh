#!/usr/bin/env bash
# measure.sh runs a failfast binary (`check -json ./...`, default settings) on
# each module of one half of bench/modules.sh's set, one module at a time under
# /usr/bin/time -v, and writes to OUT (default $modules/out/$half):
#   <module>.json, <module>.err   the findings, and what went to stderr
#   times.tsv                     module, exit status, wall seconds, peak RSS (KB)
#   counts.md                     findings per rule and module
#   sample.md, sample.tsv         up to 25 findings per rule with source context,
#                                 verdict and reason columns to fill (bench/sample.py)
#
#   bench/measure.sh FAILFAST tune    [modules-dir] [out-dir]
#   bench/measure.sh FAILFAST measure [modules-dir] [out-dir]   (needs FINAL=1; measured once
#                                                                 on 2026-12-02, tuning data since)
#   bench/measure.sh FAILFAST measure2 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-02, tuning data since)
#   bench/measure.sh FAILFAST measure3 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-02, tuning data since)
#   bench/measure.sh FAILFAST measure4 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-03, tuning data since)
#   bench/measure.sh FAILFAST measure5 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-03, tuning data since)
#   bench/measure.sh FAILFAST measure6 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-04, tuning data since)
#   bench/measure.sh FAILFAST measure7 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-04, tuning data since)
#   bench/measure.sh FAILFAST measure8 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-05/07, tuning data since)
#   bench/measure.sh FAILFAST measure9 [modules-dir] [out-dir]  (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure10 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure11 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure12 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure13 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure14 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure15 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure16 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure17 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure18 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure19 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure20 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure21 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure22 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure23 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure24 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure25 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-07, tuning data since)
#   bench/measure.sh FAILFAST measure26 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-08, tuning data since)
#   bench/measure.sh FAILFAST measure27 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-08, tuning data since)
#   bench/measure.sh FAILFAST measure28 [modules-dir] [out-dir] (needs FINAL=1; measured once
#                                                                 on 2026-12-08, tuning data since)
#
# The measurement half is read only once, with the final build: running it
# needs FINAL=1 in the environment, so that it is not read by accident while
# tuning. Score a filled sample with `bench/sample.py score OUT/sample.tsv`.
set -euo pipefail
ff=$(realpath "${1:?usage: measure.sh FAILFAST tune|measure [modules-dir] [out-dir]}")
half=${2:?usage: measure.sh FAILFAST tune|measure [modules-dir] [out-dir]}
root=${3:-/work/modules}
out=${4:-$root/out/$half}
here=$(cd "$(dirname "$0")" && pwd)
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
. "$here/halves.sh"
declare -A paths
half_mods "$half" || { echo "measure.sh: half is one of ${halves[*]}" >&2; exit 2; }
if [ "$half" != tune ] && [ "${FINAL:-}" != 1 ]; then
  echo "measure.sh: a measurement half ($half) is read once, at the end: set FINAL=1" >&2
  exit 2
fi
[ -d "$root/$half/${mods[0]}" ] || HALVES=$half "$here/modules.sh" "$root"
mkdir -p "$out"
printf 'module\texit\twall_s\tpeak_rss_kb\tfindings\n' >"$out/times.tsv"
for m in "${mods[@]}"; do
  status=0
  (cd "$root/$half/$m" && /usr/bin/time -v -o "$out/$m.time" "$ff" check -json ./... >"$out/$m.json" 2>"$out/$m.err") || status=$?
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/$m.time" | awk -F: '{s=0; for(i=1;i<=NF;i++) s=s*60+$i; print s}')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$m.time")
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$out/$m.json" 2>/dev/null || echo "?")
  printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$status" "$wall" "$rss" "$n" >>"$out/times.tsv"
  if [ "$status" -gt 1 ]; then
    echo "warning: $m: failfast exited $status (load errors?); see $out/$m.err" >&2
  fi
done
python3 "$here/sample.py" counts "$out" "${mods[@]}" | tee "$out/counts.md"
python3 "$here/sample.py" sample "$out" "$root/$half" "$half" "${mods[@]}"
column -t "$out/times.tsv"
