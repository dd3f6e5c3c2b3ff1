#!/usr/bin/env bash
# What `npm start` and `npm test` need before anything else, installed only when missing: the
# dependencies of package-lock.json (`npm ci`, when node_modules is absent or older than the lock file)
# and the native add-ons built from source (scripts/build-native.sh, a no-op once they load), bzip2,
# which the bz2 codec streams through, and libisal-dev, Intel ISA-L's deflate that Strata's own add-on
# serves zlib level 1 with (optional: without it Node's zlib deflates, so a non-root user is only told).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v bzip2 >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq bzip2 >/dev/null
  else echo "strata: bzip2 is missing; as root: apt-get install bzip2" >&2; exit 1; fi
fi
if ! dpkg -s libisal-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libisal-dev >/dev/null
  else echo "strata: libisal-dev is missing (zlib falls back to Node's slower deflate); as root: apt-get install libisal-dev" >&2; fi
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "strata: installing dependencies from package-lock.json (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
bash scripts/build-native.sh >&2
