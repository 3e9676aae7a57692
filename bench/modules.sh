#!/usr/bin/env bash
# modules.sh fetches the six application modules of issue 9's honest
# measurement into a folder outside the repository (default /work/modules),
# pinned, and downloads their dependencies, so that `failfast check ./...` and
# the peer linters can type-check them. Nothing here is committed.
#
#   [HALVES='tune measure4'] bench/modules.sh [dest]   (default: every half)
#
# The TUNING half (tune/) is for reading findings while changing the rules;
# the MEASUREMENT half (measure/) is read only once, at the end. The first
# measurement half was measured on 2026-12-02 (docs/precision/measurement-1.tsv)
# and is tuning data since; so is measure2/ since its measurement
# (docs/precision/measurement-2.tsv); measure3/ since its measurement
# (docs/precision/measurement-3.tsv), measure4/ since its measurement
# (docs/precision/measurement-4.tsv), measure5/ since its measurement
# (docs/precision/measurement-5.tsv), measure6/ since its measurement
# (docs/precision/measurement-6.tsv), measure7/ since its measurement
# (docs/precision/measurement-7.tsv), measure8/ since its measurement
# (docs/precision/measurement-8.tsv), measure9/ since its measurement
# (docs/precision/measurement-9.tsv), measure10/ since its measurement
# (docs/precision/measurement-10.tsv), measure11/ since its measurement
# (docs/precision/measurement-11.tsv), measure12/ since its measurement
# (docs/precision/measurement-12.tsv), measure13/ since its measurement
# (docs/precision/measurement-13.tsv), measure14/ since its measurement
# (docs/precision/measurement-14.tsv), measure15/ since its measurement
# (docs/precision/measurement-15.tsv), measure16/ since its measurement
# (docs/precision/measurement-16.tsv), measure17/ since its measurement
# (docs/precision/measurement-17.tsv), measure18/ since its measurement
# (docs/precision/measurement-18.tsv), measure19/ since its measurement
# (docs/precision/measurement-19.tsv), measure20/ since its measurement
# (docs/precision/measurement-20.tsv), measure21/ since its measurement
# (docs/precision/measurement-21.tsv), measure22/ since its measurement
# (docs/precision/measurement-22.tsv), measure23/ since its measurement
# (docs/precision/measurement-23.tsv), measure24/ since its measurement
# (docs/precision/measurement-24.tsv), measure25/ since its measurement
# (docs/precision/measurement-25.tsv), measure26/ since its measurement
# (docs/precision/measurement-26.tsv), measure27/ since its measurement
# (docs/precision/measurement-27.tsv), measure28/ since its measurement
# (docs/precision/measurement-28.tsv), measure29/ since its measurement
# (docs/precision/measurement-29.tsv). The halves are named in halves.sh. For each
# module it records lines of Go (non-test, test) and whether `go build ./...`
# works in $dest/<half>/<name>.build (the last lines of its output when not).
set -euo pipefail
dest=${1:-/work/modules}
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
here=$(cd "$(dirname "$0")" && pwd)
. "$here/halves.sh"
for half in ${HALVES:-${halves[*]}}; do
  declare -n mods=$half
  for m in "${mods[@]}"; do fetch "$half" "$m"; done
  unset -n mods
done
# syncthing's web assets are generated (go:generate in the two auto/
# packages); without them lib/api and strelaypoolsrv do not type-check.
for d in lib/api/auto cmd/infra/strelaypoolsrv/auto; do
  [ -d "$dest/measure3/syncthing" ] || break
  if [ ! -f "$dest/measure3/syncthing/$d/gui.files.go" ]; then
    (cd "$dest/measure3/syncthing/$d" && go generate .)
  fi
done
# alertmanager's ui package embeds the web UI that elm and npm build
# (ui/app/dist), which the module zip does not ship: an empty page stands
# in, so that the package type-checks.
if [ -d "$dest/measure16/alertmanager" ] && [ ! -d "$dest/measure16/alertmanager/ui/app/dist" ]; then
  mkdir -p "$dest/measure16/alertmanager/ui/app/dist"
  echo '<!-- stand-in for the elm build -->' >"$dest/measure16/alertmanager/ui/app/dist/index.html"
  (cd "$dest/measure16/alertmanager" && go build ./... >"$dest/measure16/alertmanager.build" 2>&1) &&
    echo "modules: measure16/alertmanager: go build ./... ok with a stand-in ui/app/dist"
fi
# oasdiff's go.mod names `toolchain go1.27.2`, which golangci-lint v2.15.0
# (built with go1.26) takes for the Go version to target and refuses; the
# line only asks the go command for a newer toolchain, which
# GOTOOLCHAIN=local ignores, so the copy here drops it.
if [ -f "$dest/measure18/oasdiff/go.mod" ] && grep -q '^toolchain ' "$dest/measure18/oasdiff/go.mod"; then
  sed -i '/^toolchain /d' "$dest/measure18/oasdiff/go.mod"
  echo "modules: measure18/oasdiff: dropped the toolchain line of go.mod (golangci-lint refuses go1.27.2)"
fi
# gotify's ui package embeds the web UI built by yarn (ui/build/*), which the
# module zip does not ship: an empty page stands in, so that the package
# type-checks.
# hetty's binary embeds the admin UI built by Next.js (cmd/hetty/admin/...),
# which the module zip does not ship: empty stand-ins match its four embed
# patterns, so that the command type-checks.
if [ -d "$dest/measure8/hetty" ] && [ ! -d "$dest/measure8/hetty/cmd/hetty/admin" ]; then
  a="$dest/measure8/hetty/cmd/hetty/admin"
  mkdir -p "$a/_next/static/chunks/pages" "$a/_next/static/stand-in"
  echo '<!-- stand-in for the Next.js build -->' >"$a/index.html"
  echo '// stand-in' >"$a/_next/static/chunks/pages/index.js"
  echo '// stand-in' >"$a/_next/static/stand-in/index.js"
  (cd "$dest/measure8/hetty" && go build ./... >"$dest/measure8/hetty.build" 2>&1) &&
    echo "modules: measure8/hetty: go build ./... ok with a stand-in cmd/hetty/admin"
fi
if [ -d "$dest/measure6/server" ] && [ ! -d "$dest/measure6/server/ui/build" ]; then
  mkdir -p "$dest/measure6/server/ui/build"
  echo '<!-- stand-in for the yarn build -->' >"$dest/measure6/server/ui/build/index.html"
  (cd "$dest/measure6/server" && go build ./... >"$dest/measure6/server.build" 2>&1) &&
    echo "modules: measure6/server: go build ./... ok with a stand-in ui/build/index.html"
fi
