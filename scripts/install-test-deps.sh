#!/usr/bin/env bash
# Debian packages the test suite uses, installed when missing (as root):
#   bzip2                      the bz2 codec streams through it
#   util-linux                 losetup, for managed block-device tests
#   python3-cinder             Cinder's own PosixBackupDriver restores what Strata writes (test/compat)
#   python3-cinderclient, python3-openstackclient
#                              the real CLIs driven against Strata (test/e2e/cinder-cli)
#   swift swift-proxy swift-account swift-container swift-object python3-swiftclient memcached curl procps
#                              a real Swift on 127.0.0.1 (scripts/swift-saio.sh) for the Swift repository suites;
#                              installed without recommends (with them apt pulls 42 packages and upgrades apt)
#   rabbitmq-server            a real RabbitMQ on 127.0.0.1 (scripts/rabbitmq.sh) that receives Strata's notifications;
#                              python3-oslo.messaging (oslo's own notification listener, test/notifications)
#   chromium                   headless browser that loads the web page (test/e2e/web-page)
#   keystone                   a real Keystone on 127.0.0.1 (scripts/keystone.sh) for auth_strategy = keystone;
#                              without recommends. No init system here: the package starts nothing (where
#                              policy-rc.d allows it, invoke-rc.d would start a system Keystone on port 5000)
#   barbican-api               a real Barbican on 127.0.0.1 (scripts/barbican.sh) for encrypted volumes' keys
#   libisal-dev                Intel ISA-L, the zlib deflate add-on's library (scripts/ensure-deps.sh installs it
#                              first; listed here so that its spec, native-deflate.spec.ts, finds it built)
#   restic, borgbackup         the tools `npm run bench:e2e` measures Strata against, in the same run
#   zstd, openssl              the CLIs whose side-by-side run is `bench:e2e`'s CPU ceiling for a full backup
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v bzip2 >/dev/null || need+=(bzip2)
command -v losetup >/dev/null || need+=(util-linux)
for pkg in python3-cinder python3-cinderclient python3-openstackclient restic borgbackup zstd openssl libisal-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
swift_need=()
# keystone, like Swift, goes in without recommends (they pull in apache2 and a database server)
dpkg -s keystone >/dev/null 2>&1 || swift_need+=(keystone)
dpkg -s barbican-api >/dev/null 2>&1 || swift_need+=(barbican-api)
for pkg in swift swift-proxy swift-account swift-container swift-object python3-swiftclient memcached curl procps \
  rabbitmq-server python3-oslo.messaging; do
  dpkg -s "$pkg" >/dev/null 2>&1 || swift_need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ] || [ ${#swift_need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "install-test-deps: as root, apt-get install ${need[*]} ${swift_need[*]}" >&2; exit 1; fi
  apt-get update -qq
  [ ${#need[@]} -eq 0 ] || apt-get install -y -qq "${need[@]}" >/dev/null
  # No init system: the packages' services are not started (scripts/swift-saio.sh and scripts/rabbitmq.sh run their own).
  [ ${#swift_need[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${swift_need[@]}" >/dev/null
fi
# chromium alone, without its recommends (fonts and desktop integration a headless run does not need)
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" != 0 ]; then echo "install-test-deps: as root, apt-get install --no-install-recommends chromium" >&2; exit 1; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
