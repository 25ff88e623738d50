# Legami: `make run` (demo site on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Two installs: what running needs (`make run`), then the test and tooling extras (`make test`).
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test lint migrate demo totp vendor messages clean bench e2e load

$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Settings create nothing at import: the embedded database's folder is made here (and by the
# SQLite connection itself).
migrate: $(RUN_STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput

# The demo commands run only on a demo site (LEGAMI_DEMO=1): they make accounts with a
# published password and second factor.
demo: migrate
	LEGAMI_DEMO=1 $(PY) manage.py load_demo

# The server and a task worker beside it (e-mails are printed here by the worker, not sent).
run: demo
	@echo "Legami on http://127.0.0.1:$(PORT)/"
	LEGAMI_DEMO=1 PY=$(PY) PORT=$(PORT) bash scripts/run.sh

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Browser journeys: Playwright for Python drives Debian's Chromium (never a downloaded browser);
# axe-core checks each key page; screenshots land in var/e2e/.
CHROMIUM := /usr/bin/chromium
e2e: $(STAMP)
	test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	LEGAMI_TEST_DB_SUFFIX=_e2e $(PY) -m pytest e2e -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Page timings beside a minimal view at province scale (docs/performance.md), on a separate
# SQLite file and, when PostgreSQL answers, on the database legami_bench. Data are generated
# once (deterministic, seed 1) and kept; delete var/bench.sqlite3 or drop legami_bench to redo.
BENCH_REQUESTS ?= 200
BENCH_SQLITE := sqlite:///$(CURDIR)/var/bench.sqlite3
BENCH_PG_HOST ?= 127.0.0.1
BENCH_POSTGRES := postgres://postgres@$(BENCH_PG_HOST):5432/legami_bench
bench: export LEGAMI_DEMO = 1
bench: $(STAMP)
	mkdir -p var
	DATABASE_URL=$(BENCH_SQLITE) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(BENCH_SQLITE) $(PY) manage.py load_comuni
	DATABASE_URL=$(BENCH_SQLITE) $(PY) manage.py generate_data --scale province --seed 1 --if-missing
	DATABASE_URL=$(BENCH_SQLITE) $(PY) benchmarks/run.py -n $(BENCH_REQUESTS) --write-docs
	@if pg_isready -q -h $(BENCH_PG_HOST); then \
	  psql -h $(BENCH_PG_HOST) -U postgres -lqt | cut -d'|' -f1 | grep -qw legami_bench \
	    || createdb -h $(BENCH_PG_HOST) -U postgres legami_bench; \
	  set -e; export DATABASE_URL=$(BENCH_POSTGRES); \
	  $(PY) manage.py migrate --noinput; \
	  $(PY) manage.py load_comuni; \
	  $(PY) manage.py generate_data --scale province --seed 1 --if-missing; \
	  $(PY) benchmarks/run.py -n $(BENCH_REQUESTS) --write-docs; \
	  BENCH_CONN_MAX_AGE=600 $(PY) benchmarks/run.py -n $(BENCH_REQUESTS) --write-docs; \
	else echo "PostgreSQL does not answer on $(BENCH_PG_HOST): skipped the PostgreSQL run."; fi

# Load test: Locust (headless, bounded in time and requests) against gunicorn on 127.0.0.1
# with DEBUG off, on DATABASE_URL or the benchmark database (make bench); prints throughput,
# p95 and errors, CSVs in var/load/. LOAD_USERS, LOAD_RUN_TIME, LOAD_WORKERS... in run.sh.
load: $(STAMP)
	bash loadtest/run.sh

totp: $(RUN_STAMP)
	@$(PY) manage.py demo_totp

# Front-end libraries: reproduce the committed copies from package.json + package-lock.json.
vendor:
	npm ci --no-audit --no-fund
	bash scripts/vendor.sh

# Extract and compile translations (needs gettext).
messages: $(RUN_STAMP)
	cd legami && ../$(PY) ../manage.py makemessages -l it -l fr --no-obsolete --ignore "demo/*"
	cd legami && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var
