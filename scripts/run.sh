#!/usr/bin/env bash
# `make run`: the development server and, beside it, the task worker that sends e-mails
# (docs/tasks.md). Both stop together: when the server exits, on Ctrl-C, or on a TERM.
# Usage: PY=.venv/bin/python PORT=8000 bash scripts/run.sh
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}

# Both run in the background, so that this shell is free to answer a signal at once (a shell
# waiting on a foreground child handles its traps only when the child ends).
"$PY" manage.py db_worker --queue-name '*' &
worker=$!
"$PY" manage.py runserver "127.0.0.1:$PORT" &
server=$!

stop() {
  trap - EXIT INT TERM
  kill "$server" "$worker" 2>/dev/null || true
  wait "$server" "$worker" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Whichever ends first (the server, or a worker that failed to start) ends both.
wait -n "$server" "$worker"
