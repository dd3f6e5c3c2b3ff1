# shellcheck shell=bash
# The uwsgi daemon of a Debian OpenStack service on 127.0.0.1 (scripts/keystone.sh, scripts/barbican.sh):
# its pid while it runs, and an orderly stop. Sourced; DIR is the service's state directory (uwsgi.pid).

# The pid in DIR/uwsgi.pid, if that process is alive and is uwsgi (a reused pid is not ours to kill).
uwsgi_running_pid() {
  local dir=$1 pid
  pid=$(cat "$dir/uwsgi.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q uwsgi && echo "$pid"
}

# TERM, up to 10 s to exit, then KILL; the pid file goes either way.
uwsgi_stop() {
  local dir=$1 pid
  pid=$(uwsgi_running_pid "$dir") || {
    rm -f "$dir/uwsgi.pid"
    return 0
  }
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -f "$dir/uwsgi.pid"
}

# Writes DIR/uwsgi.ini for one process with one thread serving on 127.0.0.1:PORT; the remaining arguments
# are the service's own lines (its app, its environment). One thread: both services keep their database in
# SQLite, whose engine is not safe across threads (Keystone's log showed "SQLite objects created in a thread
# can only be used in that same thread", and a role assignment it held was then not found); one process,
# because Keystone's token cache lives in it.
uwsgi_write_ini() {
  local dir=$1 port=$2
  shift 2
  {
    echo '[uwsgi]'
    echo 'plugins = python3'
    echo "http-socket = 127.0.0.1:$port"
    printf '%s\n' "$@"
    cat <<INI
master = true
processes = 1
threads = 1
lazy-apps = true
die-on-term = true
need-app = true
buffer-size = 65535
# uWSGI's http-socket closes every connection without saying so; keep-alive clients then hit ECONNRESET
add-header = Connection: close
pidfile = $dir/uwsgi.pid
logto = $dir/uwsgi.log
INI
  } >"$dir/uwsgi.ini"
}
