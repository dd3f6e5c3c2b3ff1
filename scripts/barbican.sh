#!/usr/bin/env bash
# A real OpenStack Barbican (Debian's barbican-api 15, SQLite, simple_crypto, Keystone auth) on 127.0.0.1
# under uWSGI, for the encrypted-volume key suites and developers. Needs the Keystone of
# scripts/keystone.sh (its seed creates the `barbican` service user). Installs nothing
# (scripts/install-test-deps.sh installs barbican-api); writes nothing outside its state directory.
#
#   scripts/barbican.sh start    # idempotent; ~2 s
#   scripts/barbican.sh stop     # stops the uWSGI master this state dir started (by its pid file)
#   scripts/barbican.sh status   # exit 0 when Barbican answers
#
# STRATA_BARBICAN_DIR (default /tmp/strata-barbican) holds the config, the SQLite database, the key
# encryption key, the pid file and the logs; STRATA_BARBICAN_PORT (default 9311) is its port.
# Exit status 3: barbican-api is not installed.
set -euo pipefail

BB_DIR=${STRATA_BARBICAN_DIR:-/tmp/strata-barbican}
BB_PORT=${STRATA_BARBICAN_PORT:-9311}
KS_URL=http://127.0.0.1:${STRATA_KEYSTONE_PORT:-35357}/v3
BB_URL=http://127.0.0.1:$BB_PORT

# shellcheck source=lib/uwsgi.sh
source "$(dirname "$0")/lib/uwsgi.sh"

log() { echo "barbican: $*" >&2; }

# Any answer is health: the root answers 300 with the versions document.
healthy() { [ "$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' "$BB_URL/" 2>/dev/null)" = 300 ]; }

running_pid() { uwsgi_running_pid "$BB_DIR"; }

write_config() {
  mkdir -p "$BB_DIR/home/.barbican"
  # The KEK must outlive the database: a new one makes every stored secret unreadable.
  [ -s "$BB_DIR/kek" ] || /usr/bin/python3 -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())' >"$BB_DIR/kek"
  # Barbican parses its config at import with no arguments (--config-file is ignored); oslo.config then
  # finds ~/.barbican/barbican.conf first, so the process runs with HOME=$BB_DIR/home.
  cat >"$BB_DIR/home/.barbican/barbican.conf" <<CONF
[DEFAULT]
host_href = $BB_URL
sql_connection = sqlite:///$BB_DIR/barbican.sqlite
db_auto_create = true
log_file = $BB_DIR/barbican-api.log

[secretstore]
enabled_secretstore_plugins = store_crypto

[crypto]
enabled_crypto_plugins = simple_crypto

[simple_crypto_plugin]
kek = $(cat "$BB_DIR/kek")

[keystone_authtoken]
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
username = barbican
password = BarbicanPass123
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne

[keystone_notifications]
enable = false

[queue]
# no worker and no message queue: orders complete inside the API request
enable = false

[oslo_policy]
# Zed's new defaults: a project member may create secrets (the old ones want the creator role)
enforce_new_defaults = true
CONF
  uwsgi_write_ini "$BB_DIR" "$BB_PORT" 'paste = config:/etc/barbican/barbican-api-paste.ini' "env = HOME=$BB_DIR/home"
}

start() {
  [ -f /etc/barbican/barbican-api-paste.ini ] && command -v uwsgi >/dev/null || {
    log "barbican-api or uwsgi not installed: apt-get install --no-install-recommends barbican-api (scripts/install-test-deps.sh)"
    exit 3
  }
  if running_pid >/dev/null && healthy; then return 0; fi
  stop
  write_config
  uwsgi --ini "$BB_DIR/uwsgi.ini" --daemonize2 "$BB_DIR/uwsgi.log" >/dev/null 2>&1
  for _ in $(seq 1 300); do healthy && break; sleep 0.1; done
  healthy || {
    log "did not come up; see $BB_DIR/uwsgi.log and $BB_DIR/barbican-api.log"
    exit 1
  }
  log "up on $BB_URL (uwsgi pid $(cat "$BB_DIR/uwsgi.pid"))"
}

stop() { uwsgi_stop "$BB_DIR"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running_pid >/dev/null && healthy ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
