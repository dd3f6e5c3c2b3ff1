#!/usr/bin/env bash
# Compiles the native add-ons from the sources their npm packages bundle. `.npmrc` sets
# ignore-scripts, so `npm ci` never runs their install scripts, which would first try to
# download prebuilt binaries (unreachable here, and not wanted in CI). Idempotent: an add-on
# whose build output already loads is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
gyp="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"

# Build against the Node headers npm is configured with (nodedir), never downloaded ones.
nodedir="$(npm config get nodedir)"
[ -n "$nodedir" ] && [ "$nodedir" != "undefined" ] || nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"

sqlite_probe="new (require('better-sqlite3'))(':memory:').close()"
zstd_probe="require('zstd-napi').compress(Buffer.from('x'))"

# What node-gyp compiles with, asked for only when an add-on must be built: installed as root (Debian),
# otherwise named, so that a fresh machine fails with what to install rather than a compiler's log.
toolchain() {
  local missing=()
  command -v make >/dev/null || missing+=(make)
  command -v c++ >/dev/null || command -v g++ >/dev/null || missing+=(g++)
  command -v python3 >/dev/null || missing+=(python3)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "native: installing ${missing[*]} to build the add-ons" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "native: ${missing[*]} missing, needed to build the add-ons; as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
}
if ! node -e "$sqlite_probe" >/dev/null 2>&1 || ! node -e "$zstd_probe" >/dev/null 2>&1; then toolchain; fi

build() { # package, a script that loads its compiled binding
  local pkg=$1 probe=$2
  if node -e "$probe" >/dev/null 2>&1; then echo "native: $pkg already built"; return; fi
  echo "native: building $pkg from source"
  (cd "node_modules/$pkg" && node "$gyp" rebuild --release -j 2 --nodedir="$nodedir" >"/tmp/strata-build-$pkg.log" 2>&1) \
    || { tail -30 "/tmp/strata-build-$pkg.log" >&2; exit 1; }
  node -e "$probe" && echo "native: $pkg ok"
}
build better-sqlite3 "$sqlite_probe" &
b1=$!
build zstd-napi "$zstd_probe" &
b2=$!
wait $b1; wait $b2

# Strata's own add-ons, both optional: a failed build is reported, set-up goes on, and Strata does the
# same work without them, more slowly.
build_own() { # name, directory, source file, a script that loads it, what happens without it
  local name=$1 dir=$2 source=$3 probe=$4 without=$5
  if node -e "$probe" >/dev/null 2>&1 && [ "$dir/build/Release/${name//-/_}.node" -nt "$dir/$source" ]; then
    echo "native: $name already built"
    return
  fi
  echo "native: building $name from source"
  if (toolchain) && (cd "$dir" && node "$gyp" rebuild --release -j 2 --nodedir="$nodedir" >"/tmp/$name-build.log" 2>&1) && node -e "$probe"; then
    echo "native: $name ok"
  else
    tail -30 "/tmp/$name-build.log" >&2 2>/dev/null || true
    echo "native: $name failed to build; $without" >&2
  fi
}

# zlib level 1 on Intel ISA-L's deflate (libs/chunked-driver/native), against Debian's libisal-dev
# (scripts/ensure-deps.sh installs it); without it Node's zlib deflates.
deflate_dir=libs/chunked-driver/native
if [ ! -f /usr/include/isa-l/igzip_lib.h ]; then
  echo "native: strata-deflate not built: libisal-dev is missing (as root: apt-get install libisal-dev); zlib uses Node's deflate" >&2
else
  build_own strata-deflate "$deflate_dir" strata_deflate.c \
    "require('./$deflate_dir/build/Release/strata_deflate.node').adler32(Buffer.from('x'), 1)" "zlib uses Node's deflate"
fi

# lseek's SEEK_DATA and SEEK_HOLE (libs/chunked-driver/native-extents), no library needed; without it a
# restore onto an existing volume reads the target where it checks for zeros (the bytes are the same).
extents_dir=libs/chunked-driver/native-extents
build_own strata-extents "$extents_dir" strata_extents.c \
  "if (typeof require('./$extents_dir/build/Release/strata_extents.node').seekData !== 'function') process.exit(1)" \
  "restores read their target to find its zeros"
