#!/usr/bin/env bash
# A province's topology on this one machine, in a throwaway folder: PostgreSQL, Redis (the cache and the RQ task
# queue), two gunicorn web processes, two task workers (RQ), the scheduler, and nginx in front of both web
# processes (deploy/nginx: page cache, public media, private files through X-Accel-Redirect). For trying a
# province set-up and for the smoke test (tests/test_province.py); production runs the same processes under
# systemd (deploy/systemd, docs/deployment.md).
#
#   deploy/province.sh                 # start, print the URL, stop everything on Ctrl-C
#   deploy/province.sh up [DIR]        # start in DIR (default: a new /tmp/lantoa-province.XXXXXX), print DIR and URL
#   deploy/province.sh down DIR        # stop everything started in DIR and remove DIR (KEEP=1 keeps the folder)
#
# DIR/env holds the settings every process got (source it to run manage.py against the topology); DIR/log/ has
# one log per process. Needs the Debian packages postgresql, redis-server and nginx; runs as any user (as root,
# PostgreSQL runs as the postgres user). PORT picks nginx's port (default: a free one). SEED_DATABASE_URL: a
# PostgreSQL database already migrated (e.g. the test suite's) copied in with pg_dump before `migrate`, which then
# has little left to do (a migration from scratch takes minutes on a busy machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}
PY="$VENV/bin/python"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Start a process in its own session (so that stopping it stops its children too), its pid in DIR/pids/NAME.
spawn() {
  local name=$1; shift
  setsid "$@" >"$DIR/log/$name.log" 2>&1 < /dev/null &
  echo $! >"$DIR/pids/$name"
}

step() { echo "province: [${SECONDS}s] $*" >&2; }

wait_http() {  # wait_http URL SECONDS: until the URL answers at all (any HTTP status)
  local deadline=$((SECONDS + $2))
  until python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=30)
except urllib.error.HTTPError:
    pass
PY
  do
    [ $SECONDS -lt "$deadline" ] || { echo "province: $1 did not answer in $2 s" >&2; return 1; }
    sleep 0.2
  done
}

up() {
  DIR=${1:-$(mktemp -d /tmp/lantoa-province.XXXXXX)}
  mkdir -p "$DIR/log" "$DIR/pids" "$DIR/var"
  DIR=$(cd "$DIR" && pwd)
  chmod 755 "$DIR"
  for tool in nginx redis-server; do
    command -v $tool >/dev/null || { echo "province: $tool is missing (make system-packages-test)" >&2; exit 1; }
  done
  local BIN; BIN=$(pg_bin)
  [ -x "$BIN/initdb" ] || { echo "province: PostgreSQL is missing (make system-packages-test)" >&2; exit 1; }
  local PG_PORT REDIS_PORT WEB1 WEB2 HTTP
  PG_PORT=$(free_port); REDIS_PORT=$(free_port); WEB1=$(free_port); WEB2=$(free_port); HTTP=${PORT:-$(free_port)}

  # PostgreSQL: a cluster of its own, as scripts/with-postgres makes one.
  step "PostgreSQL on :$PG_PORT"
  mkdir -p "$DIR/pg"
  [ "$(id -u)" -ne 0 ] || chown postgres "$DIR/pg"
  as_pg "$BIN/initdb" -D "$DIR/pg/data" -U lantoa --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR/pg -c fsync=off -c synchronous_commit=off" start \
    </dev/null >/dev/null 2>&1
  echo "$BIN" >"$DIR/pids/pg_bin"
  as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U lantoa lantoa
  if [ -n "${SEED_DATABASE_URL:-}" ]; then
    step "copying the seed database"
    "$BIN/pg_dump" --format=custom --no-owner --no-acl -d "$SEED_DATABASE_URL" \
      | "$BIN/pg_restore" --no-owner --no-acl -d "postgres://lantoa@127.0.0.1:$PG_PORT/lantoa"
  fi

  step "Redis on :$REDIS_PORT"
  # Redis: the cache, the login and reset counters, and the task queue.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR" --save "" --appendonly no \
    --daemonize yes --pidfile "$DIR/pids/redis" --logfile "$DIR/log/redis.log" </dev/null >/dev/null 2>&1

  cat >"$DIR/env" <<EOF
export DATABASE_URL=postgres://lantoa@127.0.0.1:$PG_PORT/lantoa
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export TASKS_BACKEND=rq
export LANTOA_VAR_DIR=$DIR/var
export MEDIA_ROOT=$DIR/var/media
export PRIVATE_MEDIA_ROOT=$DIR/var/private
export STATIC_ROOT=$DIR/var/static
export LANTOA_PAGECACHE_DIR=$DIR/var/pagecache
export LANTOA_X_ACCEL=1
export DEBUG=0
export ALLOWED_HOSTS=127.0.0.1,localhost
export LANTOA_BASE_URL=http://127.0.0.1:$HTTP
export TRUSTED_PROXIES=127.0.0.1
export LANTOA_PROVINCE_URL=http://127.0.0.1:$HTTP
export LANTOA_PROVINCE_WEB="127.0.0.1:$WEB1 127.0.0.1:$WEB2"
EOF
  # shellcheck disable=SC1091
  source "$DIR/env"
  mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" "$LANTOA_PAGECACHE_DIR"
  step "migrate, collectstatic"
  "$PY" manage.py collectstatic --no-input -v 0 &
  local static=$!
  "$PY" manage.py migrate --no-input -v 0
  wait $static
  "$PY" manage.py schedule_reminders >/dev/null

  step "gunicorn on :$WEB1 and :$WEB2, two workers, the scheduler, nginx on :$HTTP"
  local n=1
  for port in $WEB1 $WEB2; do
    # No gunicorn access log (it would print secret links' tokens); Django logs each request (lantoa/logging.py).
    spawn "web-$n" "$VENV/bin/gunicorn" lantoa.wsgi --workers 2 --preload --bind "127.0.0.1:$port" \
      --error-logfile - --graceful-timeout 10 --control-socket "$DIR/web-$n.ctl"
    n=$((n + 1))
  done
  for n in 1 2; do
    spawn "worker-$n" "$PY" manage.py worker --no-reload --queue-name '*' --worker-id "province-worker-$n" -v 1
  done
  spawn scheduler bash -c "while true; do '$PY' manage.py publish_scheduled; sleep 60; done"

  local conf
  conf=$("$PY" deploy/nginx/render.py "$DIR/nginx" LISTEN="127.0.0.1:$HTTP" \
    UPSTREAM="127.0.0.1:$WEB1; server 127.0.0.1:$WEB2" PAGECACHE_DIR="$LANTOA_PAGECACHE_DIR" \
    STATIC_ROOT="$STATIC_ROOT" MEDIA_ROOT="$MEDIA_ROOT" PRIVATE_MEDIA_ROOT="$PRIVATE_MEDIA_ROOT" \
    ACCESS_LOG="$DIR/log/nginx-access.log lantoa" NGINX_WORKERS=2)
  # Daemonises (its pid is in $DIR/nginx/nginx.pid); no daemon keeps this script's output open.
  nginx -q -c "$conf" -p "$DIR/nginx" </dev/null >>"$DIR/log/nginx-error.log" 2>&1

  step "waiting for the web processes"
  wait_http "http://127.0.0.1:$WEB1/healthz" 90
  wait_http "http://127.0.0.1:$WEB2/healthz" 90
  wait_http "http://127.0.0.1:$HTTP/healthz" 30
  echo "DIR=$DIR"
  echo "URL=http://127.0.0.1:$HTTP/"
  echo "Lan Tỏa (province): http://127.0.0.1:$HTTP/  nginx → gunicorn 127.0.0.1:$WEB1 + 127.0.0.1:$WEB2," \
    "2 RQ workers, Redis :$REDIS_PORT, PostgreSQL :$PG_PORT; stop: deploy/province.sh down $DIR" >&2
}

stop_pid() {  # stop_pid NAME: TERM the process's session, then KILL what is left after 10 s
  local file="$DIR/pids/$1" pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$file"
}

down() {
  DIR=${1:?usage: deploy/province.sh down DIR}
  [ -d "$DIR/pids" ] || { echo "province: $DIR is not a province folder" >&2; exit 1; }
  DIR=$(cd "$DIR" && pwd)
  if [ -f "$DIR/nginx/nginx.pid" ]; then
    cp "$DIR/nginx/nginx.pid" "$DIR/pids/nginx"
  fi
  # All at once: nginx, the scheduler, the workers (each finishes its task first) and the web processes.
  local name
  for name in nginx scheduler worker-1 worker-2 web-1 web-2; do stop_pid $name & done
  wait
  if [ -f "$DIR/pids/redis" ]; then
    local pid; pid=$(cat "$DIR/pids/redis")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -f "$DIR/pids/pg_bin" ]; then
    as_pg "$(cat "$DIR/pids/pg_bin")/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "${KEEP:-}" ] || rm -rf "$DIR"
}

case "${1:-run}" in
  up) up "${2:-}" ;;
  down) down "${2:-}" ;;
  run)
    up ""
    trap 'down "$DIR"' EXIT
    trap 'exit 0' INT TERM
    echo "Ctrl-C stops everything." >&2
    while true; do sleep 3600; done
    ;;
  *) echo "usage: deploy/province.sh [up [DIR] | down DIR]" >&2; exit 2 ;;
esac
