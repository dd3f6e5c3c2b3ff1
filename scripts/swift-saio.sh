#!/usr/bin/env bash
# A real OpenStack Swift (Debian's swift-* servers, tempauth, one device, one replica) on 127.0.0.1,
# for the Swift repository's tests and for developers. Recipe: Swift all-in-one without an init system.
#
#   scripts/swift-saio.sh start    # idempotent: a running, healthy SAIO is left alone
#   scripts/swift-saio.sh stop     # stops only the processes this state dir started (by pid)
#   scripts/swift-saio.sh status   # exit 0 when a token can be issued and the account answers
#   scripts/swift-saio.sh env      # prints STRATA_BACKUP_SWIFT_* settings for a Strata using it
#
# STRATA_SAIO_DIR (default /tmp/strata-saio) holds configs, rings, the device, pid files and logs.
# STRATA_SAIO_PORT (default 8080) is the proxy; the object/container/account servers and memcached use
# 6200/6201/6202/11211 unless STRATA_SAIO_{OBJECT,CONTAINER,ACCOUNT,MEMCACHED}_PORT say otherwise.
# Tempauth users: test:tester / testing (admin of AUTH_test) and admin:admin / admin.
# Needs (as root, once): apt-get install --no-install-recommends swift swift-proxy swift-account
#   swift-container swift-object python3-swiftclient memcached curl procps
set -euo pipefail

S=${STRATA_SAIO_DIR:-/tmp/strata-saio}
PROXY_PORT=${STRATA_SAIO_PORT:-8080}
OBJECT_PORT=${STRATA_SAIO_OBJECT_PORT:-6200}
CONTAINER_PORT=${STRATA_SAIO_CONTAINER_PORT:-6201}
ACCOUNT_PORT=${STRATA_SAIO_ACCOUNT_PORT:-6202}
MEMCACHED_PORT=${STRATA_SAIO_MEMCACHED_PORT:-11211}
AUTH_URL="http://127.0.0.1:$PROXY_PORT/auth/v1.0"
RUN_AS=$(id -un)
export EVENTLET_NO_GREENDNS=yes # halves the Python start-up; only IP addresses are used

log() { echo "swift-saio: $*" >&2; }

missing_packages() {
  local miss=()
  for c in swift-proxy-server swift-object-server swift-container-server swift-account-server memcached curl pgrep; do
    command -v "$c" >/dev/null || miss+=("$c")
  done
  echo "${miss[*]}"
}

# Tempauth issues a token (needs memcached) and a HEAD on the account answers 2xx.
healthy() {
  local headers token url
  headers=$(curl -s -f --max-time 3 -D - -o /dev/null -H 'X-Storage-User: test:tester' -H 'X-Storage-Pass: testing' \
    "$AUTH_URL" 2>/dev/null | tr -d '\r') || return 1
  token=$(awk -F': ' 'tolower($1)=="x-auth-token"{print $2}' <<<"$headers")
  url=$(awk -F': ' 'tolower($1)=="x-storage-url"{print $2}' <<<"$headers")
  [ -n "$token" ] && [ -n "$url" ] && curl -s -f --max-time 3 -I -H "X-Auth-Token: $token" "$url" >/dev/null
}

# The pid and its process group, limited to processes whose command line mentions this state dir.
our_pids() {
  local pid=$1 m
  for m in $pid $(pgrep -g "$pid" 2>/dev/null || true); do
    if tr '\0' ' ' 2>/dev/null <"/proc/$m/cmdline" | grep -qF -- "$S/"; then echo "$m"; fi
  done
  return 0
}

running_pids() {
  local n pid
  for n in proxy account container object memcached; do
    pid=$(cat "$S/run/$n.pid" 2>/dev/null) || continue
    our_pids "$pid"
  done
}

write_configs() {
  mkdir -p "$S/etc" "$S/srv/d1" "$S/run" "$S/log"
  local hash="[swift-hash]
swift_hash_path_suffix = saio-suffix
swift_hash_path_prefix = saio-prefix

[storage-policy:0]
name = Policy-0
default = yes"
  echo "$hash" >"$S/etc/swift.conf"
  # Swift reads the hash and policies only from this fixed path.
  if ! cmp -s "$S/etc/swift.conf" /etc/swift/swift.conf 2>/dev/null; then
    mkdir -p /etc/swift
    cp "$S/etc/swift.conf" /etc/swift/swift.conf
  fi
  cat >"$S/etc/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $PROXY_PORT
workers = 1
user = $RUN_AS
swift_dir = $S/etc
log_name = proxy-server

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats tempauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:tempauth]
use = egg:swift#tempauth
user_admin_admin = admin .admin .reseller_admin
user_test_tester = testing .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
EOF
  local t p
  for t in object container account; do
    case $t in object) p=$OBJECT_PORT ;; container) p=$CONTAINER_PORT ;; account) p=$ACCOUNT_PORT ;; esac
    cat >"$S/etc/$t-server.conf" <<EOF
[DEFAULT]
devices = $S/srv
mount_check = false
bind_ip = 127.0.0.1
bind_port = $p
workers = 1
user = $RUN_AS
swift_dir = $S/etc
log_name = $t-server

[pipeline:main]
pipeline = healthcheck $t-server

[app:$t-server]
use = egg:swift#$t

[filter:healthcheck]
use = egg:swift#healthcheck
EOF
  done
}

# The three rings in one Python process (0.7 s instead of 5 s for nine swift-ring-builder runs).
build_rings() {
  [ -f "$S/etc/object.ring.gz" ] && [ -f "$S/etc/container.ring.gz" ] && [ -f "$S/etc/account.ring.gz" ] && return 0
  (cd "$S/etc" && /usr/bin/python3 - "$OBJECT_PORT" "$CONTAINER_PORT" "$ACCOUNT_PORT" <<'EOF'
import sys
from swift.common.ring import RingBuilder
for name, port in zip(('object', 'container', 'account'), map(int, sys.argv[1:4])):
    b = RingBuilder(10, 1, 1)
    b.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port,
               'replication_ip': '127.0.0.1', 'replication_port': port,
               'device': 'd1', 'weight': 100.0, 'meta': ''})
    b.rebalance(); b.save(name + '.builder'); b.get_ring().save(name + '.ring.gz')
EOF
  )
}

wait_for() { # description, deadline seconds, command...
  local what=$1 secs=$2; shift 2
  local until=$((SECONDS + secs))
  until "$@"; do
    if [ $SECONDS -ge $until ]; then log "$what not ready after ${secs}s; logs in $S/log"; return 1; fi
    sleep 0.1
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free() { ! port_open "$1"; }
healthcheck_ok() { [ "$(curl -s --max-time 2 "http://127.0.0.1:$1/healthcheck")" = OK ]; }

# Suites that run in parallel may all call start: one starts the servers, the others wait and find them running.
lock() {
  mkdir -p "$S"
  exec 9>"$S/.lock"
  flock -w 180 9 || { log "timed out waiting for $S/.lock"; exit 1; }
}

start() {
  local miss
  miss=$(missing_packages)
  if [ -n "$miss" ]; then
    log "missing: $miss (install: apt-get install -y --no-install-recommends swift swift-proxy swift-account swift-container swift-object python3-swiftclient memcached curl procps)"
    exit 3
  fi
  if healthy; then log "already running ($AUTH_URL)"; return 0; fi
  if [ -n "$(running_pids)" ]; then stop; fi
  write_configs
  build_rings
  # 9>&-: the servers must not inherit the lock, or it would be held as long as they run.
  memcached -d -P "$S/run/memcached.pid" -u "$RUN_AS" -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 \
    </dev/null >>"$S/log/memcached.log" 2>&1 9>&-
  wait_for memcached 10 port_open "$MEMCACHED_PORT"
  local s
  for s in object container account proxy; do
    "/usr/bin/swift-$s-server" "$S/etc/$s-server.conf" -v </dev/null >>"$S/log/$s.log" 2>&1 9>&- &
    echo $! >"$S/run/$s.pid"
  done
  for s in "$OBJECT_PORT" "$CONTAINER_PORT" "$ACCOUNT_PORT" "$PROXY_PORT"; do
    wait_for "server on port $s" 60 healthcheck_ok "$s"
  done
  wait_for "tempauth" 30 healthy
  log "running: $AUTH_URL (test:tester / testing), state in $S"
}

stop() {
  local pids
  pids=$(running_pids | sort -u)
  if [ -z "$pids" ]; then log "not running"; rm -f "$S"/run/*.pid; return 0; fi
  kill -TERM $pids 2>/dev/null || true
  local until=$((SECONDS + 10)) alive p
  while :; do
    alive=""
    for p in $pids; do
      if [ -s "/proc/$p/cmdline" ]; then alive="$alive $p"; fi # zombies have an empty cmdline
    done
    [ -z "$alive" ] && break
    if [ $SECONDS -ge $until ]; then kill -KILL $alive 2>/dev/null || true; sleep 0.2; break; fi
    sleep 0.1
  done
  rm -f "$S"/run/*.pid
  for p in "$PROXY_PORT" "$OBJECT_PORT" "$CONTAINER_PORT" "$ACCOUNT_PORT" "$MEMCACHED_PORT"; do
    wait_for "port $p to be free" 10 port_free "$p" || true
  done
  log "stopped"
}

case ${1:-} in
  start) lock; start ;;
  stop) lock; stop ;;
  status) if healthy; then echo "running $AUTH_URL"; else echo "not running"; exit 1; fi ;;
  env)
    echo "STRATA_BACKUP_SWIFT_AUTH_URL=$AUTH_URL"
    echo "STRATA_BACKUP_SWIFT_AUTH_VERSION=1"
    echo "STRATA_BACKUP_SWIFT_USER=test:tester"
    echo "STRATA_BACKUP_SWIFT_KEY=testing"
    ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
