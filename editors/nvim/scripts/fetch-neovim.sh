#!/usr/bin/env bash
# fetch-neovim.sh DESTDIR: puts Neovim 0.10.x (Debian trixie) and 0.11+ (Debian sid)
# beside the system's Neovim, without installing them, for the tests in editors/nvim.
#
# For each suite it resolves neovim's dependencies with apt against a private apt state dir
# (the system's apt state and dpkg database are not touched), downloads the .debs with
# `apt-get download`, unpacks them with `dpkg -x` into DESTDIR/nvim-<suite>/root, and writes a
# wrapper DESTDIR/nvim-<major.minor>/bin/nvim that runs the unpacked nvim through the unpacked
# dynamic loader (newer suites need a newer glibc than Debian 12's), with the unpacked libraries
# and VIMRUNTIME. The Debian mirror is the one the system's apt sources already use
# (override with FAILFAST_DEBIAN_MIRROR). Needs apt-get, apt-cache, dpkg (Debian or derivative).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 DESTDIR" >&2
	exit 2
fi
mkdir -p "$1"
dest=$(cd "$1" && pwd)
arch=$(dpkg --print-architecture)
case "$arch" in
amd64) multiarch=x86_64-linux-gnu loader=ld-linux-x86-64.so.2 ;;
arm64) multiarch=aarch64-linux-gnu loader=ld-linux-aarch64.so.1 ;;
*) echo "fetch-neovim: unsupported architecture $arch" >&2; exit 1 ;;
esac

mirror=${FAILFAST_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
	# The first Debian archive (not -security) in the system's sources, deb822 or one-line style.
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }')
fi
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\/.*\/debian\/?$/) { print $i; exit } }')
fi
if [ -z "$mirror" ]; then
	echo "fetch-neovim: no Debian mirror found in /etc/apt sources; set FAILFAST_DEBIAN_MIRROR" >&2
	exit 1
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || { echo "fetch-neovim: $keyring missing (apt-get install debian-archive-keyring)" >&2; exit 1; }

# fetch SUITE: unpacks neovim from SUITE and writes its wrapper; prints the wrapper's path.
fetch() {
	local suite=$1
	local work="$dest/.work-$suite"
	local state="$work/apt"
	rm -rf "$work"
	mkdir -p "$state"/lists/partial "$state"/archives/partial "$state"/etc/preferences.d "$state"/etc/apt.conf.d "$work/debs"
	: >"$state/status"
	cat >"$state/etc/sources.list" <<SRC
deb [signed-by=$keyring] $mirror $suite main
SRC
	local opts=(
		-o "Dir::Etc::SourceList=$state/etc/sources.list"
		-o "Dir::Etc::SourceParts=/nonexistent"
		-o "Dir::Etc::Preferences=$state/etc/preferences"
		-o "Dir::Etc::PreferencesParts=$state/etc/preferences.d"
		-o "Dir::State=$state"
		-o "Dir::State::Lists=$state/lists"
		-o "Dir::State::status=$state/status"
		-o "Dir::Cache=$state"
		-o "Dir::Cache::archives=$state/archives"
		-o "Dir::Cache::pkgcache=$state/pkgcache.bin"
		-o "Dir::Cache::srcpkgcache=$state/srcpkgcache.bin"
		-o "APT::Architecture=$arch"
		-o "APT::Architectures::=$arch"
		-o "Acquire::Languages=none"
		-o "Debug::NoLocking=1"
		-o "APT::Sandbox::User=root"
		# Only the Packages lists: not the AppStream metadata and icons that apt.conf.d may add.
		-o "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false"
		-o "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false"
		-o "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false"
		-o "Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled=false"
		-o "Acquire::IndexTargets::deb::CNF::DefaultEnabled=false"
	)
	echo "fetch-neovim: $suite: updating the private apt lists" >&2
	apt-get "${opts[@]}" -qq update >&2
	# neovim and everything it needs, down to libc6 (the unpacked loader needs its own glibc).
	local pkgs
	pkgs=$(apt-cache "${opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances neovim |
		awk '/^[a-z0-9]/ { print $1 }' | sort -u)
	# Keep only real packages with a candidate (virtual ones have none), and skip the ones a
	# program never loads at run time.
	local want=()
	for p in $pkgs; do
		case "$p" in
		debconf | dpkg | perl-base | base-files | tar | coreutils | sensible-utils | install-info | \
			debianutils | libc-bin | usrmerge | gcc-*-base | tzdata | readline-common | netbase | \
			media-types | mailcap | libgcc-s1-*) continue ;;
		esac
		if apt-cache "${opts[@]}" show --no-all-versions "$p" >/dev/null 2>&1; then
			want+=("$p")
		fi
	done
	echo "fetch-neovim: $suite: downloading ${#want[@]} packages" >&2
	(cd "$work/debs" && apt-get "${opts[@]}" -qq download "${want[@]}" >&2)
	local root="$work/root"
	mkdir -p "$root"
	for d in "$work"/debs/*.deb; do
		dpkg -x "$d" "$root"
	done
	# Debian moved the loader to /usr/lib in trixie; older suites have it in /lib.
	local ld=usr/lib/$multiarch/$loader
	[ -e "$root/$ld" ] || ld=lib/$multiarch/$loader
	[ -e "$root/$ld" ] || { echo "fetch-neovim: $suite: no $loader in the unpacked libc6" >&2; exit 1; }
	local version
	local ldpath="$root/lib/$multiarch:$root/usr/lib/$multiarch:$root/usr/lib/$multiarch/lua/5.1"
	local realbin="$root/usr/bin/nvim"
	[ -x "$realbin" ] || { echo "fetch-neovim: $suite: no usr/bin/nvim in the unpacked packages" >&2; exit 1; }
	local runtime="$root/usr/share/nvim/runtime"
	version=$(VIMRUNTIME="$runtime" "$root/$ld" --library-path "$ldpath" "$realbin" --version | head -1)
	# "NVIM v0.10.4" → 0.10
	local mm
	mm=$(printf '%s\n' "$version" | sed -n 's/^NVIM v\([0-9]*\.[0-9]*\).*/\1/p')
	[ -n "$mm" ] || { echo "fetch-neovim: $suite: unexpected version line: $version" >&2; exit 1; }
	local out="$dest/nvim-$mm"
	rm -rf "$out"
	mv "$work" "$out"
	rm -rf "$out/debs" "$out/apt"
	root="$out/root"
	mkdir -p "$out/bin"
	cat >"$out/bin/nvim" <<WRAP
#!/bin/sh
# $version from Debian $suite, unpacked by editors/nvim/scripts/fetch-neovim.sh (not installed).
root="\$(dirname "\$(readlink -f "\$0")")/../root"
root="\$(cd "\$root" && pwd)"
export VIMRUNTIME="\$root/usr/share/nvim/runtime"
exec "\$root/$ld" --library-path "\$root/lib/$multiarch:\$root/usr/lib/$multiarch:\$root/usr/lib/$multiarch/lua/5.1" "\$root/usr/bin/nvim" "\$@"
WRAP
	chmod +x "$out/bin/nvim"
	"$out/bin/nvim" --version | head -1 >&2
	echo "$out/bin/nvim"
}

for suite in ${FAILFAST_NVIM_SUITES:-trixie sid}; do
	fetch "$suite"
done
