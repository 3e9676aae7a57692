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
declare -A modpath=([miniflux]=miniflux.app/v2 [ollama]=github.com/ollama/ollama [vhs]=github.com/charmbracelet/vhs
  [mailpit]=github.com/axllent/mailpit [croc]=github.com/schollz/croc/v10 [benthos]=github.com/redpanda-data/benthos/v4
  [goreleaser]=github.com/goreleaser/goreleaser/v2 [k9s]=github.com/derailed/k9s [syncthing]=github.com/syncthing/syncthing
  [litestream]=github.com/benbjohnson/litestream [gitleaks]=github.com/zricethezav/gitleaks/v8 [sops]=github.com/getsops/sops/v3
  [air]=github.com/air-verse/air [compose]=github.com/docker/compose/v2 [goose]=github.com/pressly/goose/v3
  [cli]=github.com/cli/cli/v2 [lazygit]=github.com/jesseduffield/lazygit [server]=github.com/gotify/server/v2
  [inbucket]=github.com/inbucket/inbucket/v3 [jira-cli]=github.com/ankitpokhrel/jira-cli [glow]=github.com/charmbracelet/glow/v2
  [hetty]=github.com/dstotijn/hetty [shiori]=github.com/go-shiori/shiori [gopass]=github.com/gopasspw/gopass
  [soft-serve]=github.com/charmbracelet/soft-serve [restic]=github.com/restic/restic [oauth2-proxy]=github.com/oauth2-proxy/oauth2-proxy/v7
  [ezbookkeeping]=github.com/mayswind/ezbookkeeping [subfinder]=github.com/projectdiscovery/subfinder/v2 [gh-ost]=github.com/github/gh-ost
  [tusd]=github.com/tus/tusd/v2 [gotenberg]=github.com/gotenberg/gotenberg/v8 [dbmate]=github.com/amacneil/dbmate/v2
  [filebrowser]=github.com/filebrowser/filebrowser/v2 [gophish]=github.com/gophish/gophish [watchtower]=github.com/containrrr/watchtower
  [toxiproxy]=github.com/Shopify/toxiproxy/v2 [vegeta]=github.com/tsenart/vegeta/v12 [consul-template]=github.com/hashicorp/consul-template
  [migrate]=github.com/golang-migrate/migrate/v4 [ffuf]=github.com/ffuf/ffuf/v2 [stern]=github.com/stern/stern
  [dasel]=github.com/tomwright/dasel/v2 [gobuster]=github.com/OJ/gobuster/v3 [yq]=github.com/mikefarah/yq/v4
  [task]=github.com/go-task/task/v3 [alertmanager]=github.com/prometheus/alertmanager [shoutrrr]=github.com/nicholas-fedor/shoutrrr
  [pebble]=github.com/letsencrypt/pebble/v2 [smokescreen]=github.com/stripe/smokescreen [natscli]=github.com/nats-io/natscli
  [nfpm]=github.com/goreleaser/nfpm/v2 [sloth]=github.com/slok/sloth [oasdiff]=github.com/oasdiff/oasdiff
  [actionlint]=github.com/rhysd/actionlint [bombardier]=github.com/codesenberg/bombardier [chglog]=github.com/goreleaser/chglog
  [asynq]=github.com/hibiken/asynq [river]=github.com/riverqueue/river [xcaddy]=github.com/caddyserver/xcaddy
  [centrifugo]=github.com/centrifugal/centrifugo/v6 [lefthook]=github.com/evilmartians/lefthook [gotestsum]=gotest.tools/gotestsum
  [oras]=oras.land/oras [mockery]=github.com/vektra/mockery/v3 [litefs]=github.com/superfly/litefs
  [freeze]=github.com/charmbracelet/freeze [go-arch-lint]=github.com/fe3dback/go-arch-lint [oapi-codegen]=github.com/oapi-codegen/oapi-codegen/v2
  [httpx]=github.com/projectdiscovery/httpx [grpcurl]=github.com/fullstorydev/grpcurl [clash]=github.com/Dreamacro/clash
  [blocky]=github.com/0xERR0R/blocky [backend]=github.com/umputun/remark42/backend [dive]=github.com/wagoodman/dive
  [listmonk]=github.com/knadh/listmonk [chisel]=github.com/jpillora/chisel [asynqmon]=github.com/hibiken/asynqmon
  [glance]=github.com/glanceapp/glance [memos]=github.com/usememos/memos [frp]=github.com/fatedier/frp
  [goaws]=github.com/Admiral-Piett/goaws [amazon-ec2-metadata-mock]=github.com/aws/amazon-ec2-metadata-mock
  [gofakes3]=github.com/johannesboyne/gofakes3)
case $half in
  measure) mods=(miniflux ollama vhs) ;;
  measure2) mods=(mailpit croc benthos) ;;
  measure3) mods=(goreleaser k9s syncthing) ;;
  measure4) mods=(litestream gitleaks sops) ;;
  measure5) mods=(air compose goose) ;;
  measure6) mods=(cli lazygit server) ;;
  measure7) mods=(inbucket jira-cli glow) ;;
  measure8) mods=(hetty shiori gopass) ;;
  measure9) mods=(soft-serve restic oauth2-proxy) ;;
  measure10) mods=(ezbookkeeping subfinder gh-ost) ;;
  measure11) mods=(tusd gotenberg dbmate) ;;
  measure12) mods=(filebrowser gophish watchtower) ;;
  measure13) mods=(toxiproxy vegeta consul-template) ;;
  measure14) mods=(migrate ffuf stern) ;;
  measure15) mods=(dasel gobuster yq) ;;
  measure16) mods=(task alertmanager shoutrrr) ;;
  measure17) mods=(pebble smokescreen natscli) ;;
  measure18) mods=(nfpm sloth oasdiff) ;;
  measure19) mods=(actionlint bombardier chglog) ;;
  measure20) mods=(asynq river xcaddy) ;;
  measure21) mods=(centrifugo lefthook gotestsum) ;;
  measure22) mods=(oras mockery litefs) ;;
  measure23) mods=(freeze go-arch-lint oapi-codegen) ;;
  measure24) mods=(goaws amazon-ec2-metadata-mock gofakes3) ;;
  measure25) mods=(glance memos frp) ;;
  measure26) mods=(listmonk chisel asynqmon) ;;
  measure27) mods=(httpx grpcurl clash) ;;
  measure28) mods=(blocky backend dive) ;;
  *) echo "peers.sh: HALF is measure, measure2 ... measure28" >&2; exit 2 ;;
esac
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
  timed nilaway "$m" "$GOBIN/nilaway" -test=false -pretty-print=false -include-pkgs="${modpath[$m]}" ./...
done
rm -rf "$cfg"
python3 "$here/sample.py" peers "$out" "$root/$half" "$N" "${mods[@]}" | tee "$out/counts.md"
column -t -s $'\t' "$out/times.tsv"
