#!/usr/bin/env bash
# `make serve`: Mutualis in production mode (docs/exploitation.md, « Production »). gunicorn serves the pages and
# whitenoise the static files; one worker runs each queue of background tasks kept in the database; without
# DATABASE_URL, a PostgreSQL cluster of its own under var/postgres (created once, started here, stopped with the
# server, its data kept). Everything stops together on Ctrl-C or SIGTERM.
# Usage: scripts/serve-production.sh HOST PORT [--demo]   (--demo: the demonstration, in an empty database only)
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
DEMO="${3:-}"
export MUTUALIS_PRODUCTION=1 DJANGO_SETTINGS_MODULE=mutualis.settings
VAR_DIR="${MUTUALIS_VAR_DIR:-$PWD/var}"
MUTUALIS=.venv/bin/mutualis

# The settings first: a missing or wrong value stops here with its French message rather than a traceback. On
# success, the queues of the database task backends, one « backend queue » a line (settings.TASKS).
queues=$(.venv/bin/python - <<'EOF'
import sys

from mutualis.env import EnvError

try:
    from mutualis import settings
except EnvError as exc:
    sys.exit(f"Mutualis ne démarre pas : {exc}")
for alias, backend in settings.TASKS.items():
    if backend["BACKEND"] == "django_tasks_db.DatabaseBackend":
        for queue in backend.get("QUEUES", ["default"]):
            print(alias, queue)
EOF
)

children=()
pg_dir=""
as_pg=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # gunicorn ends its requests in progress, a task worker its current task.
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_dir" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir" -m fast -w stop >/dev/null 2>&1 || true
    echo "PostgreSQL arrêté (données conservées dans $pg_dir)."
  fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${DATABASE_URL:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pg_bin" ]; then
    echo "PostgreSQL est introuvable (paquet Debian postgresql) : installez-le, ou donnez DATABASE_URL." >&2
    exit 1
  fi
  # initdb and the server refuse to run as root: as root, the cluster belongs to the postgres user.
  [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
  if [ ! -f "$VAR_DIR/postgres/PG_VERSION" ]; then
    mkdir -p "$VAR_DIR/postgres"
    chmod 0700 "$VAR_DIR/postgres"
    [ "$(id -u)" = 0 ] && chown postgres "$VAR_DIR/postgres"
    echo "Création de la base PostgreSQL dans $VAR_DIR/postgres…"
    if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$VAR_DIR/postgres" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=reject >/dev/null; then
      echo "initdb a échoué : l'utilisateur postgres doit pouvoir traverser chaque dossier jusqu'à $VAR_DIR." >&2
      exit 1
    fi
  fi
  # Only a Unix socket inside the cluster's own directory (mode 0700): no TCP port, no other local user.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$VAR_DIR/postgres" -l "$VAR_DIR/postgres/journal.log" \
    -o "-c listen_addresses= -c unix_socket_directories=$VAR_DIR/postgres" -w start >/dev/null
  pg_dir="$VAR_DIR/postgres"
  "${as_pg[@]}" "$pg_bin/psql" -h "$pg_dir" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'mutualis'" | grep -q 1 \
    || "${as_pg[@]}" "$pg_bin/createdb" -h "$pg_dir" -U postgres mutualis
  DATABASE_URL="postgres://postgres@$(.venv/bin/python -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$pg_dir")/mutualis"
  export DATABASE_URL
fi

$MUTUALIS migrate --noinput -v 0
if [ "$DEMO" = "--demo" ]; then $MUTUALIS demo --si-vide; fi
$MUTUALIS collectstatic --noinput --clear -v 0
$MUTUALIS check --deploy

while read -r backend queue; do
  [ -n "$backend" ] || continue
  $MUTUALIS db_worker --backend "$backend" --queue-name "$queue" --interval 1 --no-reload &
  children+=($!)
done <<<"$queues"

# Sync workers, 2 per core plus one unless WEB_CONCURRENCY says; a request may read a year of DSN (--timeout);
# no control socket (gunicorn 27 would open one in the home directory, and nothing here uses it).
.venv/bin/gunicorn mutualis.wsgi:application --bind "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}" \
  --timeout 120 --max-requests 2000 --max-requests-jitter 200 --access-logfile - --no-control-socket &
children+=($!)
echo "Mutualis (production) sert http://$HOST:$PORT, publié à l'adresse $MUTUALIS_SITE_URL."
wait "${children[-1]}"
