#!/usr/bin/env bash
# Set-up on a fresh machine: dependencies from the lock file, native add-ons from source,
# and bzip2 (the bz2 codec streams through the system's bzip2).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v bzip2 >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq bzip2 >/dev/null; else echo "setup: please install bzip2" >&2; exit 1; fi
fi
npm ci
bash scripts/build-native.sh
