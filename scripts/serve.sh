#!/usr/bin/env bash
# Serve Mutualis for `make run`: the worker of the background tasks (the schéma's documents, docs/
# publication.md) runs beside the web server, and stops with it.
set -euo pipefail
HOST="$1"
PORT="$2"
.venv/bin/mutualis db_worker --backend documents --queue-name documents --interval 1 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
.venv/bin/mutualis runserver --insecure "$HOST:$PORT"
