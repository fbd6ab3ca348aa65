#!/usr/bin/env bash
# The whole suite: model, view and command tests on SQLite then on a throwaway PostgreSQL cluster,
# browser tests once. Under CI=true a missing PostgreSQL or Chromium fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=mutualis.settings
export MUTUALIS_VAR_DIR="${MUTUALIS_VAR_DIR:-$PWD/var/test}"
PYTEST=(.venv/bin/pytest -q -p no:cacheprovider)
in_ci() { [ "${CI:-}" = "true" ]; }
status=0

echo "== Ruff (lint et format)"
.venv/bin/ruff check . || status=1
.venv/bin/ruff format --check . || status=1

echo "== Bandit (aucun constat de gravité haute)"
.venv/bin/bandit -q -r . -x ./.venv,./.tools,./tests,./bench,./var -lll || status=1

echo "== Tests sur SQLite"
"${PYTEST[@]}" -n 2 -m "not e2e" || status=1

echo "== Tests sur PostgreSQL"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  if in_ci; then echo "PostgreSQL est introuvable : échec (CI)." >&2; status=1; else echo "PostgreSQL absent : tests PostgreSQL non lancés." >&2; fi
else
  pg_dir=$(mktemp -d /tmp/mutualis-pg.XXXXXX)
  chmod 0700 "$pg_dir"
  as_pg=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
  port=${MUTUALIS_TEST_PG_PORT:-54329}
  stop_pg() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
  trap stop_pg EXIT
  if "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir" -U postgres --auth=trust >/dev/null \
     && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/log" \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        -w start >/dev/null; then
    DATABASE_URL="postgres://postgres@127.0.0.1:$port/mutualis" "${PYTEST[@]}" -n 2 -m "not e2e" tests || status=1
  else
    echo "Le serveur PostgreSQL de test n'a pas démarré." >&2; status=1
  fi
fi

echo "== Tests dans le navigateur (Chromium)"
if ! command -v chromium >/dev/null 2>&1; then
  if in_ci; then echo "Chromium est introuvable : échec (CI)." >&2; status=1; else echo "Chromium absent : tests navigateur non lancés." >&2; fi
else
  DJANGO_ALLOW_ASYNC_UNSAFE=true "${PYTEST[@]}" -m e2e tests/e2e; rc=$?
  # pytest exits 5 when no test is collected: not a failure while the browser suite is empty.
  [ $rc = 0 ] || [ $rc = 5 ] || status=1
fi
exit $status
