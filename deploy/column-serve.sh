#!/usr/bin/env bash
# Lan Tỏa in production shape, with one command: nginx answering published column pages from the page
# cache, gunicorn behind it, the task worker (social posting) and the scheduler (scheduled publishing
# and expiry). Ctrl-C stops everything.
#
#   deploy/column-serve.sh            # http://127.0.0.1:8080/
#   PORT=80 LISTEN=0.0.0.0:80 WORKERS=4 deploy/column-serve.sh
#
# Needs the Debian package nginx. Settings come from the environment as usual (LANTOA_ENV, SECRET_KEY,
# DATABASE_URL, ALLOWED_HOSTS…, see docs/deployment.md); LANTOA_PAGECACHE_DIR defaults to var/pagecache.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PORT=${PORT:-8080}
LISTEN=${LISTEN:-127.0.0.1:$PORT}
APP_PORT=${APP_PORT:-8001}
WORKERS=${WORKERS:-$(nproc)}
export DEBUG=${DEBUG:-0}

command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx" >&2; exit 1; }

read -r VAR_DIR STATIC_ROOT MEDIA_ROOT PRIVATE_MEDIA_ROOT < <(
  "$PY" -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lantoa.settings'); django.setup();
from django.conf import settings as s; print(s.VAR_DIR, s.STATIC_ROOT, s.MEDIA_ROOT, s.PRIVATE_MEDIA_ROOT)"
)
export LANTOA_PAGECACHE_DIR=${LANTOA_PAGECACHE_DIR:-$VAR_DIR/pagecache}
RUN_DIR="$VAR_DIR/run/nginx"
mkdir -p "$LANTOA_PAGECACHE_DIR" "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
# Private files are sent by nginx (X-Accel-Redirect) once Django has checked the commune and the role.
export LANTOA_X_ACCEL=${LANTOA_X_ACCEL:-1}

"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py collectstatic --no-input -v 0
# Pages cached before this start may predate the code now running.
"$PY" -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lantoa.settings'); django.setup();
from lantoa.column.pagecache import purge_all; purge_all()"
CONF=$("$PY" deploy/nginx/render.py "$RUN_DIR" LISTEN="$LISTEN" UPSTREAM="127.0.0.1:$APP_PORT" \
  PAGECACHE_DIR="$LANTOA_PAGECACHE_DIR" STATIC_ROOT="$STATIC_ROOT" MEDIA_ROOT="$MEDIA_ROOT" \
  PRIVATE_MEDIA_ROOT="$PRIVATE_MEDIA_ROOT" ACCESS_LOG="$RUN_DIR/access.log lantoa")
nginx -t -q -c "$CONF" -p "$RUN_DIR"

trap 'trap - EXIT INT TERM; kill 0 2>/dev/null' EXIT INT TERM
# No gunicorn access log: it would print query strings with tokens; Django logs every request (lantoa/logging.py).
"$VENV/bin/gunicorn" lantoa.wsgi --workers "$WORKERS" --bind "127.0.0.1:$APP_PORT" \
  --error-logfile - &
# `manage.py worker` runs the backend the settings choose (the database, or RQ with TASKS_BACKEND=rq), with the
# heartbeat and the recovery of what a dead worker left; restarted whenever it stops, as `make run` does.
( while true; do "$PY" manage.py worker --no-reload --queue-name '*' -v 0;
    echo "worker stopped (exit $?); restarting in 2 s" >&2; sleep 2; done ) &
( while true; do "$PY" manage.py publish_scheduled >/dev/null; sleep 60; done ) &
nginx -c "$CONF" -p "$RUN_DIR" -g 'daemon off;' &
echo "Lan Tỏa: http://$LISTEN/  (nginx → gunicorn 127.0.0.1:$APP_PORT, page cache $LANTOA_PAGECACHE_DIR)"
wait
