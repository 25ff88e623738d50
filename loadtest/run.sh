#!/usr/bin/env bash
# Load test: gunicorn on 127.0.0.1 (DEBUG off, several workers), Locust headless against it,
# bounded in time and in requests; prints throughput, p95 and errors, keeps CSVs in var/load/.
#
#   make load                                   # or: bash loadtest/run.sh
#   LOAD_USERS=50 LOAD_SPAWN_RATE=10 LOAD_RUN_TIME=60s LOAD_MAX_REQUESTS=20000 \
#   LOAD_WORKERS=4 LOAD_CONN_MAX_AGE=60 DATABASE_URL=postgres://... make load
#
# Database: DATABASE_URL, else the benchmark database legami_bench on 127.0.0.1 when it exists,
# else var/bench.sqlite3 (both made by `make bench`). Staff sessions are created up front by
# loadtest/prepare.py (no sign-in traffic in the measurement) and deleted afterwards.
# Exit status: 0 when no request failed, 1 otherwise. Targets (issue 6, province scale,
# PostgreSQL, 2 cores): 50 users, >= 50 requests/s, p95 < 300 ms, zero errors.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
USERS=${LOAD_USERS:-50}
SPAWN_RATE=${LOAD_SPAWN_RATE:-10}
RUN_TIME=${LOAD_RUN_TIME:-60s}
MAX_REQUESTS=${LOAD_MAX_REQUESTS:-20000}
WORKERS=${LOAD_WORKERS:-4}
CONN_MAX_AGE=${LOAD_CONN_MAX_AGE:-60}  # persistent database connections, as production sets
TARGET_RPS=${LOAD_TARGET_RPS:-50}
TARGET_P95_MS=${LOAD_TARGET_P95_MS:-300}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}

if [ -z "${DATABASE_URL:-}" ]; then
  if command -v psql >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" 2>/dev/null \
     && psql -h "$PG_HOST" -U postgres -lqt 2>/dev/null | cut -d'|' -f1 | grep -qw legami_bench; then
    DATABASE_URL=postgres://postgres@$PG_HOST:5432/legami_bench
  elif [ -f var/bench.sqlite3 ]; then
    DATABASE_URL=sqlite:///$ROOT/var/bench.sqlite3
  else
    echo "No benchmark database: run 'make bench' first, or set DATABASE_URL." >&2
    exit 2
  fi
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/var/load
mkdir -p "$OUT"
FIXTURES=$OUT/fixtures-$STAMP.json
PREFIX=$OUT/load-$STAMP
PORT=$("$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")

# Production-like server settings; a fresh secret for this run (sessions are signed with it).
export DATABASE_URL CONN_MAX_AGE DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0 LOG_LEVEL=WARNING
SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
# The benchmark data were encrypted and hashed with the development keys (make bench): the
# server may use them on this throw-away database, never on a real one.
export LEGAMI_ALLOW_DEV_KEY=${LEGAMI_ALLOW_DEV_KEY:-1}

echo "== load test: $USERS users (+$SPAWN_RATE/s), $RUN_TIME or $MAX_REQUESTS requests, gunicorn $WORKERS workers, CONN_MAX_AGE=$CONN_MAX_AGE"
echo "   database: ${DATABASE_URL%%\?*}   machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" loadtest/prepare.py --sessions "$USERS" --output "$FIXTURES"
# As a deployment does: hashed, compressed static files for WhiteNoise (kept under var/load/).
STATIC_ROOT=$OUT/static "$PY" manage.py collectstatic --noinput -v0
export STATIC_ROOT=$OUT/static

"$VENV/bin/gunicorn" legami.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 60 --log-level warning --error-logfile "$PREFIX-gunicorn.log" &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ -f "$FIXTURES" ]; then "$PY" loadtest/prepare.py --cleanup "$FIXTURES" || true; fi
}
trap cleanup EXIT

# Wait until the server answers /healthz (bounded: 60 attempts, one second apart at most).
for attempt in $(seq 1 60); do
  if "$PY" - "$PORT" <<'EOF' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1).read()
EOF
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "gunicorn exited: see $PREFIX-gunicorn.log" >&2; exit 2; fi
  if [ "$attempt" = 60 ]; then echo "gunicorn did not answer /healthz" >&2; exit 2; fi
  sleep 1
done

LOAD_FIXTURES=$FIXTURES LOAD_MAX_REQUESTS=$MAX_REQUESTS "$VENV/bin/locust" \
  -f loadtest/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" --run-time "$RUN_TIME" \
  --host "http://127.0.0.1:$PORT" --csv "$PREFIX" --only-summary --stop-timeout 10 \
  --exit-code-on-error 0 --loglevel WARNING > "$PREFIX-locust.txt" 2>&1 || {
    cat "$PREFIX-locust.txt" >&2; exit 2; }

"$PY" - "$PREFIX" "$TARGET_RPS" "$TARGET_P95_MS" "$USERS" <<'EOF' | tee "$PREFIX-summary.txt"
import csv, sys
prefix, target_rps, target_p95, users = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
total = next(row for row in rows if row["Name"] == "Aggregated")
print(f"{'endpoint':<34} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
for row in rows:
    print(f"{row['Name'][:34]:<34} {row['Request Count']:>8} {row['Failure Count']:>6} "
          f"{float(row['Requests/s']):>6.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}")
requests, errors = int(total["Request Count"]), int(total["Failure Count"])
rps, p95 = float(total["Requests/s"]), float(total["95%"])
print(f"\nthroughput {rps:.1f} requests/s, p95 {p95:.0f} ms, errors {errors} of {requests} "
      f"({users} users)")
misses = []
if rps < target_rps: misses.append(f"throughput below {target_rps:.0f}/s")
if p95 >= target_p95: misses.append(f"p95 not below {target_p95:.0f} ms")
if errors: misses.append(f"{errors} errors")
print("targets met" if not misses else "targets missed: " + "; ".join(misses))
print(f"CSV: {prefix}_stats.csv (and _stats_history, _failures, _exceptions)")
EOF
ERRORS=$("$PY" -c "import csv,sys; print(next(r for r in csv.DictReader(open(sys.argv[1])) if r['Name']=='Aggregated')['Failure Count'])" "${PREFIX}_stats.csv")
[ "$ERRORS" = 0 ]
