#!/usr/bin/env bash
# `make run`: the development server and, beside it, the task worker that sends e-mails
# (docs/tasks.md). Both stop together: when the server exits, on Ctrl-C, or on a TERM.
# Usage: PY=.venv/bin/python PORT=8000 bash scripts/run.sh (DEBUG=1 for Django's debug pages)
set -euo pipefail
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}

# Links in e-mails and QR codes lead to this server, on its port.
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
# The demo runs as a server does, with DEBUG off, so that visitors meet the product's own 404
# and 500 pages, not Django's debug pages (`make run DEBUG=1` brings those back). What a real
# server would have instead is set for a laptop: the published development keys, cookies over
# plain HTTP, e-mails printed by the worker, and static files served from the sources by
# WhiteNoise, with no collectstatic step (docs/decisions.md, "The demo runs with DEBUG off").
export DEBUG=${DEBUG:-0}
export LEGAMI_ALLOW_DEV_KEY=${LEGAMI_ALLOW_DEV_KEY:-1}
export SECURE_COOKIES=${SECURE_COOKIES:-0}
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
export STATICFILES_BACKEND=${STATICFILES_BACKEND:-django.contrib.staticfiles.storage.StaticFilesStorage}
# WhiteNoise looks in STATIC_ROOT too, and warns at each start when there is no such folder.
mkdir -p "${STATIC_ROOT:-var/static}"

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
