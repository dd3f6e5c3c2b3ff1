#!/usr/bin/env bash
# A real OpenStack Keystone (Debian's `keystone`, Zed) on 127.0.0.1 with SQLite and fernet tokens, under
# uWSGI, for the auth_strategy = keystone suites and for developers. Installs nothing
# (scripts/install-test-deps.sh installs the package); writes nothing outside its state directory.
#
#   scripts/keystone.sh start    # idempotent: creates and seeds on the first run (~15 s), then only starts (~2 s)
#   scripts/keystone.sh stop     # stops the uWSGI master this state dir started (by its pid file)
#   scripts/keystone.sh status   # exit 0 when Keystone answers and the seeded service user can log in
#   scripts/keystone.sh env      # prints OS_* settings for the admin user
#
# STRATA_KEYSTONE_DIR (default /tmp/strata-keystone) holds keystone.conf, the SQLite database, the fernet
# keys, the uWSGI pid file and the logs. STRATA_KEYSTONE_PORT (default 35357) is the only port.
# Seeded (every start, find-or-create), all in the Default domain, passwords `<Name>Pass123`:
#   admin/AdminPass123   admin on project admin (keystone-manage bootstrap)
#   strata/StrataPass123 service on project service: Strata's own user, enough to validate tokens
#   alice  member on demo      bob    reader on demo      carol  member on other
#   dave   admin on demo (a project admin of Cinder's legacy rule: role admin anywhere)
#   barbican/BarbicanPass123 service on project service: scripts/barbican.sh's keystone_authtoken user
# Exit status 3: the keystone package is missing (the suites report that as a loud skip).
set -euo pipefail

KS_DIR=${STRATA_KEYSTONE_DIR:-/tmp/strata-keystone}
KS_PORT=${STRATA_KEYSTONE_PORT:-35357}
KS_URL=http://127.0.0.1:$KS_PORT/v3
ADMIN_PASS=AdminPass123
PY=/usr/bin/python3 # Debian's OpenStack libraries are not in a pyenv python on PATH

# shellcheck source=lib/uwsgi.sh
source "$(dirname "$0")/lib/uwsgi.sh"

log() { echo "keystone: $*" >&2; }

# Keystone answers and the service user gets a token: what the suites need.
healthy() {
  curl -s -f --max-time 3 -o /dev/null "$KS_URL" 2>/dev/null || return 1
  local code
  code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"strata","domain":{"id":"default"},"password":"StrataPass123"}}},"scope":{"project":{"name":"service","domain":{"id":"default"}}}}}' \
    "$KS_URL/auth/tokens" 2>/dev/null) || return 1
  [ "$code" = 201 ]
}

running_pid() { uwsgi_running_pid "$KS_DIR"; }

write_config() {
  mkdir -p "$KS_DIR"
  cat >"$KS_DIR/keystone.conf" <<EOF
[DEFAULT]
log_file = $KS_DIR/keystone.log
debug = false

[database]
connection = sqlite:///$KS_DIR/keystone.db

[token]
provider = fernet
expiration = 3600

[fernet_tokens]
key_repository = $KS_DIR/fernet-keys

[fernet_receipts]
key_repository = $KS_DIR/fernet-receipts

[credential]
key_repository = $KS_DIR/credential-keys

[identity]
# bcrypt cost of new password hashes: 4 makes a password login ~10x faster than 12 (test users only)
password_hash_rounds = 4

[cache]
# validation takes ~15 ms instead of ~0.5 s; the in-process cache is safe with one uWSGI process
enabled = true
backend = dogpile.cache.memory
EOF
  uwsgi_write_ini "$KS_DIR" "$KS_PORT" 'wsgi-file = /usr/bin/keystone-wsgi-public' "env = OS_KEYSTONE_CONFIG_FILES=$KS_DIR/keystone.conf"
}

initialise() {
  [ -s "$KS_DIR/keystone.db" ] && [ -d "$KS_DIR/fernet-keys" ] && return 0
  log "creating $KS_DIR (first run)"
  rm -f "$KS_DIR/keystone.db"
  # WAL: with the default journal a read that ended in 404 could keep a lock and every later write failed
  "$PY" -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')" "$KS_DIR/keystone.db"
  local c=(--config-file "$KS_DIR/keystone.conf") me
  me=$(id -un)
  # keystone-manage prints a harmless eventlet AttributeError at exit under Python 3.11; its status is what counts
  keystone-manage "${c[@]}" db_sync 2>>"$KS_DIR/manage.log"
  keystone-manage "${c[@]}" fernet_setup --keystone-user "$me" --keystone-group "$(id -gn)" 2>>"$KS_DIR/manage.log"
  keystone-manage "${c[@]}" credential_setup --keystone-user "$me" --keystone-group "$(id -gn)" 2>>"$KS_DIR/manage.log"
  keystone-manage "${c[@]}" receipt_setup --keystone-user "$me" --keystone-group "$(id -gn)" 2>>"$KS_DIR/manage.log"
  keystone-manage "${c[@]}" bootstrap --bootstrap-password "$ADMIN_PASS" \
    --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
    --bootstrap-public-url "$KS_URL" --bootstrap-internal-url "$KS_URL" --bootstrap-admin-url "$KS_URL" 2>>"$KS_DIR/manage.log"
}

# Users, projects and roles the suites use; find-or-create, so every start may run it.
seed() {
  "$PY" - "$KS_URL" "$ADMIN_PASS" <<'EOF'
import sys
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

url, admin_pass = sys.argv[1], sys.argv[2]
ks = client.Client(session=session.Session(auth=v3.Password(
    auth_url=url, username='admin', password=admin_pass, project_name='admin',
    user_domain_id='default', project_domain_id='default')))
first = lambda items: items[0] if items else None
role = lambda n: first(ks.roles.list(name=n)) or ks.roles.create(n)
project = lambda n: first(ks.projects.list(name=n, domain='default')) or ks.projects.create(n, 'default')
def user(name, password):
    return first(ks.users.list(name=name, domain='default')) or ks.users.create(name, domain='default', password=password)
grants = [('strata', 'service', 'service'), ('barbican', 'service', 'service'), ('alice', 'demo', 'member'), ('bob', 'demo', 'reader'),
          ('carol', 'other', 'member'), ('dave', 'demo', 'admin')]
for name, proj, r in grants:
    ks.roles.grant(role(r), user=user(name, name.capitalize() + 'Pass123'), project=project(proj))
EOF
}

start() {
  command -v keystone-manage >/dev/null && command -v uwsgi >/dev/null || {
    log "keystone or uwsgi not installed: apt-get install --no-install-recommends keystone (scripts/install-test-deps.sh)"
    exit 3
  }
  if running_pid >/dev/null && healthy; then return 0; fi
  stop >/dev/null 2>&1 || true
  write_config
  initialise
  uwsgi --ini "$KS_DIR/uwsgi.ini" --daemonize2 "$KS_DIR/uwsgi.log" >/dev/null 2>&1
  for _ in $(seq 1 300); do curl -s -f --max-time 2 -o /dev/null "$KS_URL" 2>/dev/null && break; sleep 0.1; done
  curl -s -f --max-time 2 -o /dev/null "$KS_URL" || {
    log "did not come up; see $KS_DIR/uwsgi.log and $KS_DIR/keystone.log"
    exit 1
  }
  seed
  healthy || {
    log "up but the service user cannot log in; see $KS_DIR/keystone.log"
    exit 1
  }
  log "up on $KS_URL (uwsgi pid $(cat "$KS_DIR/uwsgi.pid"))"
}

stop() { uwsgi_stop "$KS_DIR"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running_pid >/dev/null && healthy ;;
  env)
    echo "OS_AUTH_URL=$KS_URL OS_IDENTITY_API_VERSION=3 OS_USERNAME=admin OS_PASSWORD=$ADMIN_PASS OS_PROJECT_NAME=admin"
    echo "OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=RegionOne"
    ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
