#!/usr/bin/env bash
# Serve Mutualis for `make run`: one worker per queue of background tasks kept in the database (settings.TASKS:
# the schéma's documents, the reading of large payroll uploads, the e-mails, the notifications of waiting actions;
# docs/exploitation.md, « Travaux en arrière-plan ») runs beside the web server, and stops with it.
set -euo pipefail
HOST="$1"
PORT="$2"
QUEUES=$(.venv/bin/python -c '
from mutualis import settings
for alias, backend in settings.TASKS.items():
    if backend["BACKEND"] == "django_tasks_db.DatabaseBackend":
        for queue in backend.get("QUEUES", ["default"]):
            print(alias, queue)
')
WORKERS=()
trap 'for pid in "${WORKERS[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT INT TERM
while read -r BACKEND QUEUE; do
  .venv/bin/mutualis db_worker --backend "$BACKEND" --queue-name "$QUEUE" --interval 1 &
  WORKERS+=($!)
done <<<"$QUEUES"
.venv/bin/mutualis runserver --insecure "$HOST:$PORT"
