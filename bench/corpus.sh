#!/usr/bin/env bash
# corpus.sh fetches the application modules used for precision and speed
# measurements into a folder outside the repository (default: ../corpus) and
# downloads their dependencies, so that `failfast check ./...` can type-check
# them. Nothing here is committed; the versions are pinned for reproducibility.
set -euo pipefail
dest=${1:-$(cd "$(dirname "$0")/../.." && pwd)/corpus}
mkdir -p "$dest"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
modules=(
  github.com/caddyserver/caddy/v2@v2.11.9
  github.com/go-task/task/v3@v3.54.0
  github.com/prometheus/prometheus@v0.316.0
)
for m in "${modules[@]}"; do
  path=${m%@*} version=${m#*@}
  name=$(basename "${path%/v[0-9]*}")
  if [ -d "$dest/$name" ]; then echo "corpus: $name already present"; continue; fi
  dir=$(go mod download -json "$m" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  cp -r "$dir" "$dest/$name"
  chmod -R u+w "$dest/$name"
  # A module zip leaves out nested modules that its go.work names.
  rm -f "$dest/$name/go.work" "$dest/$name/go.work.sum"
  (cd "$dest/$name" && go mod download)
  echo "corpus: $name $version in $dest/$name"
done
