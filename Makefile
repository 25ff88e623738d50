# Legami: `make run` (demo site on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint migrate demo totp vendor messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Legami on http://127.0.0.1:$(PORT)/"
	DEBUG=1 LEGAMI_DEMO=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

totp: $(STAMP)
	@$(PY) manage.py demo_totp

# Front-end libraries: reproduce the committed copies from package.json + package-lock.json.
vendor:
	npm ci --no-audit --no-fund
	bash scripts/vendor.sh

# Extract and compile translations (needs gettext).
messages: $(STAMP)
	cd legami && ../$(PY) ../manage.py makemessages -l it -l fr --no-obsolete --ignore "demo/*"
	cd legami && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var
