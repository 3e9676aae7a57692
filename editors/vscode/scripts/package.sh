#!/usr/bin/env bash
# Builds platform-specific .vsix packages of the extension, each with the
# failfast binary cross-compiled for its platform in bundled/bin/, so that
# installing the extension is enough. Works offline once `npm ci` has run.
#
#   scripts/package.sh                       # every target below
#   scripts/package.sh linux-x64 darwin-arm64
#   OUT_DIR=/tmp/vsix scripts/package.sh linux-x64   # default: editors/vscode/dist
#
# Targets are VS Code's (vsce package --target): linux-x64 linux-arm64
# linux-armhf alpine-x64 alpine-arm64 darwin-x64 darwin-arm64 win32-x64
# win32-arm64. The binaries are static (CGO_ENABLED=0), so the Alpine (musl)
# packages carry the same binaries as the Linux ones.
#
# Each package is assembled in a temporary directory (package.json, README.md,
# .vscodeignore, out/extension.js, bundled/bin/), so runs do not disturb each
# other or leave binaries in the source tree.
set -euo pipefail

ext_dir=$(cd "$(dirname "$0")/.." && pwd)
repo_root=$(cd "$ext_dir/../.." && pwd)
out_dir=${OUT_DIR:-$ext_dir/dist}
all_targets=(linux-x64 linux-arm64 linux-armhf alpine-x64 alpine-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	targets=("${all_targets[@]}")
fi

goenv() { # target -> "GOOS GOARCH GOARM"
	case $1 in
	linux-x64 | alpine-x64) echo "linux amd64 -" ;;
	linux-arm64 | alpine-arm64) echo "linux arm64 -" ;;
	linux-armhf) echo "linux arm 7" ;;
	darwin-x64) echo "darwin amd64 -" ;;
	darwin-arm64) echo "darwin arm64 -" ;;
	win32-x64) echo "windows amd64 -" ;;
	win32-arm64) echo "windows arm64 -" ;;
	*)
		echo "package.sh: unknown target $1 (known: ${all_targets[*]})" >&2
		return 1
		;;
	esac
}
for t in "${targets[@]}"; do goenv "$t" >/dev/null; done

vsce="$ext_dir/node_modules/.bin/vsce"
if [ ! -x "$vsce" ]; then
	echo "package.sh: $ext_dir/node_modules is missing: run (cd editors/vscode && npm ci) first" >&2
	exit 1
fi
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

(cd "$ext_dir" && npm run --silent build)
version=$(node -p "require('$ext_dir/package.json').version")

stage_root=$(mktemp -d)
trap 'rm -rf "$stage_root"' EXIT
for t in "${targets[@]}"; do
	read -r goos goarch goarm <<<"$(goenv "$t")"
	exe=failfast
	[ "$goos" = windows ] && exe=failfast.exe
	start=$(date +%s)
	stage="$stage_root/$t"
	mkdir -p "$stage/out" "$stage/bundled/bin"
	cp "$ext_dir/README.md" "$ext_dir/.vscodeignore" "$stage/"
	cp "$ext_dir/out/extension.js" "$stage/out/"
	# out/ is built above: drop vscode:prepublish, which would rebuild it
	# in a directory without sources.
	node -e '
		const fs = require("fs");
		const pkg = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
		delete pkg.scripts["vscode:prepublish"];
		fs.writeFileSync(process.argv[2], JSON.stringify(pkg, null, "\t") + "\n");
	' "$ext_dir/package.json" "$stage/package.json"
	goenv=(CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" GOTOOLCHAIN=local)
	[ "$goarm" != - ] && goenv+=(GOARM="$goarm")
	build() { (cd "$repo_root" && env "${goenv[@]}" go build -trimpath -ldflags='-s -w' -o "$stage/bundled/bin/$exe" ./cmd/failfast); }
	if ! build; then
		# Seen here under heavy parallel use of one build cache: "could not
		# import X (open : no such file or directory)", gone on a second try.
		echo "package.sh: building failfast for $t (${goenv[*]}) failed; trying once more" >&2
		if ! build; then
			echo "package.sh: building failfast for $t (${goenv[*]}) failed" >&2
			exit 1
		fi
	fi
	vsix="$out_dir/failfast-$t-$version.vsix"
	# --skip-license: the repository has no license file to ship.
	(cd "$stage" && "$vsce" package --target "$t" --no-dependencies --skip-license --out "$vsix" >/dev/null)
	echo "$vsix ($(($(date +%s) - start))s, $(du -h "$vsix" | cut -f1))"
done
