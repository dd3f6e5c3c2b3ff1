#!/usr/bin/env bash
# A private RabbitMQ node (Debian's rabbitmq-server, no init system) on 127.0.0.1, for the notification
# suites and for developers. It never touches the system's node: its own data directory, node name,
# AMQP port, Erlang distribution port and epmd port.
#
#   scripts/rabbitmq.sh start    # idempotent: a running node is left alone
#   scripts/rabbitmq.sh stop     # stops only this node (rabbitmqctl shutdown) and the epmd on its port
#   scripts/rabbitmq.sh status   # exit 0 when the node answers
#   scripts/rabbitmq.sh env      # prints STRATA_TRANSPORT_URL for a Strata using it
#
# STRATA_RABBITMQ_DIR (default /tmp/strata-rabbitmq) holds config, mnesia, logs and the Erlang cookie.
# STRATA_RABBITMQ_PORT (default 5673) is AMQP; the distribution port is it + 20000, epmd uses
# STRATA_RABBITMQ_EPMD_PORT (default 4370). User guest/guest (loopback only).
# Needs (as root, once): apt-get install --no-install-recommends rabbitmq-server
set -euo pipefail

D=${STRATA_RABBITMQ_DIR:-/tmp/strata-rabbitmq}
PORT=${STRATA_RABBITMQ_PORT:-5673}
EPMD_PORT=${STRATA_RABBITMQ_EPMD_PORT:-4370}
BIN=/usr/lib/rabbitmq/bin

log() { echo "rabbitmq: $*" >&2; }

write_env() {
  mkdir -p "$D/mnesia" "$D/log"
  cat >"$D/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$PORT
loopback_users.guest = true
disk_free_limit.absolute = 50MB
CONF
  echo '[].' >"$D/enabled_plugins"
  : >"$D/rabbitmq-env.conf"
  # /usr/sbin/rabbitmq-* would `su rabbitmq` and use /var/lib/rabbitmq: the scripts in $BIN run as we are.
  cat >"$D/rabbit.env" <<ENV
HOME=$D
RABBITMQ_CONF_ENV_FILE=$D/rabbitmq-env.conf
RABBITMQ_NODENAME=strata-test@localhost
RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
RABBITMQ_NODE_PORT=$PORT
RABBITMQ_DIST_PORT=$((PORT + 20000))
RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
ERL_EPMD_ADDRESS=127.0.0.1
ERL_EPMD_PORT=$EPMD_PORT
RABBITMQ_CONFIG_FILE=$D/rabbitmq.conf
RABBITMQ_ENABLED_PLUGINS_FILE=$D/enabled_plugins
RABBITMQ_MNESIA_BASE=$D/mnesia
RABBITMQ_LOG_BASE=$D/log
RABBITMQ_PID_FILE=$D/rabbit.pid
ENV
}

load_env() { set -a; . "$D/rabbit.env"; set +a; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

running() {
  [ -f "$D/rabbit.env" ] || return 1
  port_open || return 1
  (load_env && "$BIN/rabbitmqctl" -q status >/dev/null 2>&1)
}

start() {
  [ -x "$BIN/rabbitmq-server" ] || { log "rabbitmq-server is not installed (apt-get install --no-install-recommends rabbitmq-server)"; exit 1; }
  if running; then log "already running on 127.0.0.1:$PORT"; return 0; fi
  if port_open; then log "127.0.0.1:$PORT is taken by something else"; exit 1; fi
  write_env
  load_env
  setsid "$BIN/rabbitmq-server" >"$D/server.out" 2>&1 </dev/null &
  for _ in $(seq 1 600); do port_open && break; sleep 0.1; done
  "$BIN/rabbitmqctl" -q await_startup --timeout 60 >/dev/null || { log "did not start; see $D/server.out and $D/log"; exit 1; }
  log "up on amqp://guest:guest@127.0.0.1:$PORT/ (beam pid $(cat "$D/rabbit.pid"))"
}

stop() {
  [ -f "$D/rabbit.env" ] || { log "not running"; return 0; }
  load_env
  "$BIN/rabbitmqctl" -q shutdown >/dev/null 2>&1 && log "stopped" || log "not running"
  # epmd outlives the node; ERL_EPMD_PORT (from rabbit.env) addresses only this one.
  epmd -kill >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running on 127.0.0.1:$PORT"; else echo "not running"; exit 1; fi ;;
  env) echo "STRATA_TRANSPORT_URL=rabbit://guest:guest@127.0.0.1:$PORT/" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
