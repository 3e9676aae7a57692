# halves.sh is sourced by the bench scripts: it names the application
# modules of issue 9's honest measurement, pinned, half by half (one source
# for bench/modules.sh, which fetches them, bench/measure.sh, bench/peers.sh
# and bench/fixsafety.sh, which read them). tune/ is for reading findings
# while changing the rules; each measureN/ is read once, with the final
# build of a round, and is tuning data after its measurement
# (docs/precision/measurement-N.tsv). Add a half here, as the next
# measureN array, and to the halves list at the end.

tune=(
  github.com/nektos/act@v0.2.89
  github.com/junegunn/fzf@v0.65.2
  # github.com/gohugoio/hugo@v0.169.0 needs go >= 1.27.0 (as does v0.168.0): replaced by rclone.
  # github.com/traefik/traefik/v3@v3.7.13 does not download: a dependency it replaces
  # (github.com/containous/go-http-auth@v0.4.1-0.20260804094822-b975dcaa8c48) is refused (403).
  github.com/rclone/rclone@v1.76.0
)
measure=(
  # github.com/pocketbase/pocketbase@v0.40.4 needs go >= 1.27: replaced by miniflux, the
  # closest in kind (a web service: HTTP handlers, SQL storage, feed parsing).
  miniflux.app/v2@v2.3.5
  # ollama's llama/llama.cpp/{common,tools/mtmd} do not build from the module zip, which drops
  # every vendor/ folder (nlohmann, miniaudio, stb headers), and with them nothing that imports
  # them (server, cmd) type-checks for errcheck and golangci-lint. Copy the folder from the
  # v0.17.4 tag of github.com/ollama/ollama into measure/ollama/llama/llama.cpp/vendor, e.g.
  #   git -C <clone> archive v0.17.4 llama/llama.cpp/vendor | tar -x -C measure/ollama
  github.com/ollama/ollama@v0.17.4
  github.com/charmbracelet/vhs@v0.10.0
)
fetch() { # half module@version
  local half=$1 m=$2 path version name dir
  path=${m%@*} version=${m#*@}
  name=$(basename "${path%/v[0-9]*}"); name=${name%.app}
  mkdir -p "$dest/$half"
  if [ -d "$dest/$half/$name" ]; then echo "modules: $half/$name already present"; return; fi
  local js
  js=$(go mod download -json "$m") || { echo "modules: $m: $(echo "$js" | sed -n 's/^[[:space:]]*"Error": //p')" >&2; exit 1; }
  dir=$(echo "$js" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  cp -r "$dir" "$dest/$half/$name"
  chmod -R u+w "$dest/$half/$name"
  # A module zip leaves out nested modules that its go.work names.
  rm -f "$dest/$half/$name/go.work" "$dest/$half/$name/go.work.sum"
  (cd "$dest/$half/$name" && go mod download)
  local status=0
  (cd "$dest/$half/$name" && go build ./... >"$dest/$half/$name.build" 2>&1) || status=$?
  local code tests
  code=$(cd "$dest/$half/$name" && find . -name '*.go' ! -name '*_test.go' -print0 | xargs -0 cat | wc -l)
  tests=$(cd "$dest/$half/$name" && find . -name '*_test.go' -print0 | xargs -0 cat | wc -l)
  echo "modules: $half/$name $version: $code lines of Go, $tests in tests; go build ./...: $([ $status = 0 ] && echo ok || echo "FAILED (see $dest/$half/$name.build)")"
}
# Held out for the next measurement (chosen 2026-12-02, not read by anyone):
# a web service with SQL storage and an HTTP API, a CLI moving files over the
# network, and a stream-processing pipeline library with its CLI.
measure2=(
  github.com/axllent/mailpit@v1.33.1
  github.com/schollz/croc/v10@v10.7.0
  github.com/redpanda-data/benthos/v4@v4.60.0
)
# The third half, for the measurement after measure2 was read (chosen
# 2026-12-02 19:55 UTC from the modules the proxy here serves, before anyone
# ran failfast on them or read them): a release CLI that drives builds,
# archives and uploads, a terminal UI over an HTTP API, and a file-sync
# daemon with its REST API and config loading.
measure3=(
  github.com/goreleaser/goreleaser/v2@v2.17.0
  github.com/derailed/k9s@v0.50.16
  github.com/syncthing/syncthing@v1.30.0
)
# The fourth half, for the measurement after measure3 was read (chosen
# 2026-12-03 05:40 UTC from the application modules the proxy here serves,
# before anyone ran failfast on them or read them): a SQLite replication
# daemon with its config file and storage clients, a secret scanner CLI
# that loads its TOML rules and writes reports (task was first chosen, but
# bench/corpus.sh had it in the first tuning round), and a secrets-file editor CLI over several
# key services.
measure4=(
  github.com/benbjohnson/litestream@v0.5.18
  github.com/zricethezav/gitleaks/v8@v8.30.1
  github.com/getsops/sops/v3@v3.13.3
)
# The fifth half, for the measurement after measure4 was read (chosen
# 2026-12-03 07:38 UTC from the application modules the proxy here serves,
# before anyone ran failfast on them or read them; not fetched that day): a
# live-reload CLI that loads its TOML config, watches files and runs
# builds, Docker's Compose CLI (YAML projects, the engine's API), and a
# database-migration CLI and library (SQL files, several drivers).
measure5=(
  github.com/air-verse/air@v1.67.4
  github.com/docker/compose/v2@v2.40.3
  github.com/pressly/goose/v3@v3.30.1
)
# The sixth half (chosen 2026-12-04 19:55 UTC, before anyone ran failfast on
# them or read them; measured once at 21:13 UTC the same day,
# docs/precision/measurement-6.tsv, tuning data since; the proxy here lists no versions of these, and these exact ones, from 2024,
# were served): GitHub's CLI (an API client with config, auth and many
# commands), a terminal UI over git, and a push-notification server (HTTP
# handlers, config, SQL storage). navidrome was considered and left: it
# builds its tag reader with cgo.
measure6=(
  github.com/cli/cli/v2@v2.60.0
  github.com/jesseduffield/lazygit@v0.44.1
  github.com/gotify/server/v2@v2.6.1
)
# The seventh half, for the measurement after measure6 was read (chosen
# 2026-12-04 21:28 UTC from modules the proxy serves at these exact
# versions, before anyone ran failfast on them or read them): an email
# testing server (SMTP, storage, web UI and REST API), a Jira CLI (config,
# REST client, terminal UI), and a terminal Markdown reader. Spare if one
# does not build: github.com/fsouza/fake-gcs-server@v1.56.1.
measure7=(
  github.com/inbucket/inbucket/v3@v3.2.0
  github.com/ankitpokhrel/jira-cli@v1.5.2
  github.com/charmbracelet/glow/v2@v2.0.0
)
# The eighth half, for the measurement after measure7 was read (chosen
# 2026-12-04 22:45 UTC by a helper that only checked that the proxy serves
# these exact versions, before anyone ran failfast on them or read them): an
# HTTP toolkit for security research (proxy, GraphQL API, storage), a
# bookmark manager (REST API, storage, config from the environment), and a
# password-manager CLI. The first choice, github.com/writefreely/writefreely
# v0.15.1, does not download here (its dependency code.as/core/socks is
# refused by the proxy: 403), so the spare chosen with it stands in.
measure8=(
  github.com/dstotijn/hetty@v0.7.0
  github.com/go-shiori/shiori@v1.7.0
  github.com/gopasspw/gopass@v1.15.15
)
# The ninth half, for the measurement after measure8 was read (chosen
# 2026-12-07 01:00 UTC by a helper that only checked that the proxy serves
# these exact versions and that they build, before anyone ran failfast on
# them or read them): a git hosting service (HTTP and SSH, SQL storage,
# webhooks, config), a backup CLI moving files to storage backends, and an
# authenticating reverse proxy (handlers, config, identity-provider APIs).
# Spare if one does not build: github.com/filebrowser/filebrowser/v2@v2.32.0.
measure9=(
  github.com/charmbracelet/soft-serve@v0.7.4
  github.com/restic/restic@v0.18.0
  github.com/oauth2-proxy/oauth2-proxy/v7@v7.15.6
)
# The tenth half, for the measurement after measure9 was read (chosen
# 2026-12-07 01:31 UTC the same way): a personal-finance web service (HTTP
# API, SQL storage), a CLI that queries many HTTP APIs, and a MySQL
# online-migration tool (a data pipeline). Spare: github.com/gophish/gophish@v0.12.1.
measure10=(
  github.com/mayswind/ezbookkeeping@v1.1.0
  github.com/projectdiscovery/subfinder/v2@v2.9.0
  github.com/github/gh-ost@v1.1.6
)
# The eleventh half, for the measurement after measure10 was read (chosen
# 2026-12-07 01:48 UTC from the modules the tenth half's helper had found
# served and left unpicked, by name and kind only, before anyone read them or
# ran failfast on them): a resumable-upload server (HTTP handlers, storage
# backends), an HTTP API that converts documents, and a database-migration
# CLI. Spare: github.com/containrrr/watchtower@v1.7.1.
measure11=(
  github.com/tus/tusd/v2@v2.9.1
  github.com/gotenberg/gotenberg/v8@v8.15.0
  github.com/amacneil/dbmate/v2@v2.24.0
)
# The twelfth half, for the measurement after measure11 was read (chosen
# 2026-12-07 03:20 UTC): the spares of halves 9, 10 and 11, each picked by a
# helper that only checked that it downloads and builds; nobody has read them
# or run failfast on them. A web file manager (HTTP handlers, storage, config),
# a phishing-simulation web service (HTTP API, SQL storage, mail), and a daemon
# that updates containers (a Docker API client, notifications).
measure12=(
  github.com/filebrowser/filebrowser/v2@v2.32.0
  github.com/gophish/gophish@v0.12.1
  github.com/containrrr/watchtower@v1.7.1
)
# The thirteenth half, for the measurement after measure12 was read (chosen
# 2026-12-07 05:55 UTC from the modules an earlier helper had found served and
# left unpicked, by name and kind only; nobody has read them or run failfast
# on them): a TCP proxy for chaos testing with an HTTP control API, an HTTP
# load-testing CLI and library, and a daemon that renders config files from
# Consul and Vault.
measure13=(
  github.com/Shopify/toxiproxy/v2@v2.5.0
  github.com/tsenart/vegeta/v12@v12.13.0
  github.com/hashicorp/consul-template@v0.41.1
)
# The fourteenth half, for the measurement after measure13 was read (chosen
# 2026-12-07 06:50 UTC by name and kind from the modules an earlier helper
# had found served and left unpicked; nobody has read them or run failfast
# on them): a database-migration CLI and library (SQL drivers, sources), an
# HTTP fuzzing CLI (config files, HTTP clients, output writers), and a CLI
# that tails Kubernetes pod logs (a Kubernetes API client).
measure14=(
  github.com/golang-migrate/migrate/v4@v4.20.1
  github.com/ffuf/ffuf/v2@v2.3.0
  github.com/stern/stern@v1.33.0
)
# The fifteenth half, for the measurement after measure14 was read (chosen
# 2026-12-07 08:50 UTC by name and kind from the modules an earlier helper
# had found served and left unpicked; nobody has read them or run failfast
# on them): a CLI that queries and edits JSON, YAML, TOML and CSV documents,
# a CLI that brute-forces web paths, DNS names and buckets (HTTP clients,
# wordlists), and (in place of an overlay-network daemon that does not
# download) a YAML, JSON and XML query CLI.
measure15=(
  github.com/tomwright/dasel/v2@v2.8.1
  github.com/OJ/gobuster/v3@v3.8.2
  # github.com/slackhq/nebula@v1.12.0 needs go >= 1.27.3, and v1.11.2 does not
  # download (a dependency, github.com/DefinedNet/netlink@v1.3.2-dn.1, is
  # refused, 403): replaced by yq, a YAML, JSON and XML query CLI.
  github.com/mikefarah/yq/v4@v4.54.3
)
# The sixteenth half, measured with the same build as the fifteenth, whose
# three modules gave only 17 findings (chosen 2026-12-07 09:05 UTC by name
# and kind from modules the proxy serves, before anyone read them or ran
# failfast on them): a task runner CLI (YAML Taskfiles, templating, shell
# commands), an alert router (a YAML config loader, webhook receivers and
# notifiers, an HTTP API), and a notification library and CLI (service URLs
# parsed into configs, HTTP and SMTP senders).
measure16=(
  github.com/go-task/task/v3@v3.54.0
  github.com/prometheus/alertmanager@v0.35.0
  github.com/nicholas-fedor/shoutrrr@v0.13.2
)
# The seventeenth half, for the measurement of round 21 (chosen 2026-12-07
# 13:55 UTC by name and kind from the modules the proxy serves, before anyone
# read them or ran failfast on them): a test ACME server (HTTP handlers, JSON
# requests, a config file), an HTTP CONNECT proxy with YAML access-control
# lists, and the NATS command-line client (many subcommands, JSON and config
# files, a server's APIs). Spare: github.com/reviewdog/reviewdog@v0.21.0.
measure17=(
  github.com/letsencrypt/pebble/v2@v2.10.3
  github.com/stripe/smokescreen@v0.1.0
  github.com/nats-io/natscli@v0.5.0
)
# The eighteenth half, for the measurement of round 22 (chosen 2026-12-07
# 14:25 UTC by name and kind from the modules the proxy serves, before
# anyone read them or ran failfast on them): a packager CLI (YAML configs
# into deb, rpm and apk archives), an SLO generator CLI (YAML specs into
# Prometheus rules, a Kubernetes controller), and an OpenAPI diff CLI
# (documents loaded from files and URLs, reports). Spare:
# github.com/codesenberg/bombardier@v1.2.6.
measure18=(
  github.com/goreleaser/nfpm/v2@v2.48.0
  github.com/slok/sloth@v0.16.0
  github.com/oasdiff/oasdiff@v1.39.0
)
# The nineteenth half, for the measurement of round 23 (chosen 2026-12-07
# 14:58 UTC by name and kind from the modules the proxy serves, before
# anyone read them or ran failfast on them): an OAuth 2.0 and OpenID
# Connect server (HTTP handlers, SQL persistence, configuration), an HTTP
# benchmarking CLI (the eighteenth half's spare), and a changelog CLI (git
# history and YAML into Markdown). Spare: github.com/kyverno/chainsaw@v0.2.12.
measure19=(
  # github.com/ory/hydra/v2@v2.3.0 does not resolve: its go.mod replaces
  # github.com/ory/hydra-client-go/v2 with ./internal/httpclient, a nested
  # module that the module zip leaves out. The spare, kyverno's chainsaw
  # v0.2.12, does not type-check with Go 1.26 (pkg/runner hands
  # testing.MainStart a testDeps without ModulePath). Replaced by actionlint,
  # a CLI that checks GitHub Actions workflow files (YAML parsing, a config
  # file, shellcheck and pyflakes run as processes).
  github.com/rhysd/actionlint@v1.7.12
  github.com/codesenberg/bombardier@v1.2.6
  github.com/goreleaser/chglog@v0.7.4
)
# The twentieth half, for the measurement of round 24 (chosen 2026-12-07
# 15:50 UTC by name and kind from the modules the proxy serves, before
# anyone read them or ran failfast on them): a Redis-backed task queue with
# its worker server (handlers, retries, a CLI), a Postgres job queue (SQL,
# workers, leader election), and a CLI that builds Caddy with plugins (go
# toolchain commands, environment settings).
measure20=(
  github.com/hibiken/asynq@v0.26.0
  github.com/riverqueue/river@v0.51.2
  github.com/caddyserver/xcaddy@v0.4.5
)
# The twenty-first half, for the measurement of round 25 (chosen 2026-12-07
# 17:40 UTC by name and kind from the modules the proxy serves, before
# anyone read them or ran failfast on them): a real-time messaging server
# (HTTP and gRPC APIs, proxies to the application's backend, a config file
# and environment), a git hooks manager (a CLI with YAML/TOML config, runs
# commands), and a runner that reads `go test -json` and reports on it (an
# event stream pipeline, JUnit XML).
measure21=(
  github.com/centrifugal/centrifugo/v6@v6.9.1
  github.com/evilmartians/lefthook@v1.13.6
  gotest.tools/gotestsum@v1.13.0
)
# The twenty-second half, for the measurement of round 26 (chosen 2026-12-07
# 18:00 UTC by name and kind from the modules the proxy serves, before
# anyone read them or ran failfast on them): a CLI for OCI registries
# (HTTP, auth, manifests in JSON), a mock generator driven by a YAML config
# (go/packages, templates), and a FUSE file system that replicates SQLite
# over HTTP (leases, a config file, a proxy server).
measure22=(
  oras.land/oras@v1.3.6
  github.com/vektra/mockery/v3@v3.9.1
  github.com/superfly/litefs@v0.5.14
)
# The twenty-third half, for the measurement of round 27 (chosen 2026-12-07
# 19:15 UTC by name and kind from the modules the proxy serves, before
# anyone read them or ran failfast on them): a CLI that renders code and
# terminal output to images (a JSON/flag config, fonts, an executed
# command), an architecture linter driven by a YAML config (go/packages,
# a JSON output mode), and a generator of Go servers and clients from
# OpenAPI documents (YAML/JSON specs, templates, a config file).
measure23=(
  github.com/charmbracelet/freeze@v0.2.2
  github.com/fe3dback/go-arch-lint@v1.13.0
  github.com/oapi-codegen/oapi-codegen/v2@v2.8.2
)
# The twenty-fourth half, for the measurement of round 28 (chosen 2026-12-07
# 21:05 UTC by name and kind from the modules the proxy serves, before
# anyone read them or ran failfast on them): a local stand-in for AWS SQS
# and SNS (HTTP handlers, a YAML config, queues of messages), a mock of the
# EC2 instance metadata service (HTTP handlers, JSON/flag/env config, a
# CLI), and a fake S3 server (HTTP handlers, XML bodies, storage backends).
measure24=(
  github.com/Admiral-Piett/goaws@v0.4.5
  github.com/aws/amazon-ec2-metadata-mock@v1.13.0
  github.com/johannesboyne/gofakes3@v1.2.0
)
# The twenty-fifth half, for the measurement of round 29 (chosen 2026-12-07
# 23:50 UTC by name and kind from the modules the proxy serves at an exact
# version, before anyone read them or ran failfast on them): a self-hosted
# dashboard (a YAML config, widgets fetching feeds and APIs over HTTP), a
# note-taking web service (HTTP and gRPC handlers, SQL stores), and a reverse
# proxy for exposing services behind NAT (a config loader, a client and a
# server over the network).
measure25=(
  github.com/glanceapp/glance@v0.8.4
  github.com/usememos/memos@v0.22.0
  github.com/fatedier/frp@v0.61.0
)
# The twenty-sixth half, for the measurement of round 30 (chosen 2026-12-08
# 00:15 UTC by name and kind from the modules the proxy serves at an exact
# version, before anyone read them or ran failfast on them): a newsletter
# and mailing-list manager (HTTP handlers, SQL queries, a TOML config,
# imports of CSV subscriber lists), a TCP/UDP tunnel over HTTP (a client and
# a server CLI), and a web UI and API for a task queue (HTTP handlers over
# Redis, JSON payloads).
measure26=(
  github.com/knadh/listmonk@v1.1.0
  github.com/jpillora/chisel@v1.10.1
  github.com/hibiken/asynqmon@v0.7.2
)
# The twenty-seventh half, for the measurement of round 31 (chosen 2026-12-08
# 01:17 UTC by name and kind from the modules the proxy serves at an exact
# version, before anyone read them or ran failfast on them): an HTTP probing
# toolkit (a CLI, concurrent requests, parsed responses and output files), a
# command-line gRPC client (reflection, JSON in and out, TLS settings), and a
# rule-based proxy (a YAML config, DNS, many protocols over the network).
measure27=(
  github.com/projectdiscovery/httpx@v1.6.9
  github.com/fullstorydev/grpcurl@v1.9.1
  github.com/Dreamacro/clash@v1.18.0
)
# The twenty-eighth half, for the measurement of round 32 (chosen 2026-12-08
# 04:00 UTC by name and kind from the modules the proxy serves at an exact
# version, before anyone read them or ran failfast on them): a DNS proxy and
# ad-blocker (a YAML config, lists downloaded over HTTP, an HTTP API, caches),
# the backend of a comment engine (HTTP handlers, a key-value store, auth,
# notifications; its folder is backend/), and a CLI that explores a container
# image's layers (a config file, archives parsed from disk or a daemon).
measure28=(
  github.com/0xERR0R/blocky@v0.26.2
  github.com/umputun/remark42/backend@v1.14.0
  github.com/wagoodman/dive@v0.12.0
)
# The twenty-ninth half, for the measurement of round 33 (chosen 2026-12-08
# 04:25 UTC by name and kind from the modules the proxy serves at an exact
# version, before anyone read them or ran failfast on them; reproxy, tg-spam,
# upterm, alist, traggo, statping-ng and pgweb were refused): a DNS client,
# replaced by a web crawler (headless and standard modes, scope rules, output
# files) when one of its dependencies was refused, an IP-geolocation CLI
# (database files downloaded and parsed, text piped through), and an HTTP
# load generator (flags, concurrent requests, a report).
measure29=(
  # github.com/mr-karan/doggo@v1.0.5 does not download: a dependency (github.com/jsdelivr/globalping-cli) is refused.
  github.com/projectdiscovery/katana@v1.1.3
  github.com/zu1k/nali@v0.8.1
  github.com/rakyll/hey@v0.1.4
)
halves=(tune measure measure2 measure3 measure4 measure5 measure6 measure7 measure8 measure9 measure10 measure11 measure12 measure13 measure14 measure15 measure16 measure17 measure18 measure19 measure20 measure21 measure22 measure23 measure24 measure25 measure26 measure27 measure28 measure29)

# module_name prints the folder name of module@version in its half: the
# last element of the path without a major-version suffix or ".app"
# (github.com/schollz/croc/v10@v10.7.0 is croc).
module_name() {
  local path=${1%@*} name
  name=$(basename "${path%/v[0-9]*}")
  echo "${name%.app}"
}

# half_mods sets mods to the folder names of the half's modules and paths
# (an associative array, declared by the caller) to each name's module
# path; it fails for a half that is not in the list.
half_mods() {
  local half=$1 m n
  case " ${halves[*]} " in *" $half "*) ;; *) return 1 ;; esac
  local -n list=$half
  mods=()
  for m in "${list[@]}"; do
    n=$(module_name "$m")
    mods+=("$n")
    paths[$n]=${m%@*}
  done
}
