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
