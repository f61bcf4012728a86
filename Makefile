# LMB Planner — the two commands of the README, and a few helpers.
#   make run    start the app with demo data on http://127.0.0.1:8000 (embedded SQLite)
#   make test   ruff, djLint and every test on PostgreSQL (including Chromium tests)

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Two workers on a two-core machine; each gets its own test database.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run test lint format messages bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || { P=$$(PYTHON="$(PYTHON)" scripts/find-python) && "$$P" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py load_library fixtures/library.yaml
	@echo ""
	@echo "LMB Planner draait op http://127.0.0.1:8000 — demo-accounts (wachtwoord lmb-demo-2026):"
	@echo "  opsteller@demo.lmbplanner.be, schepen@demo.lmbplanner.be, lezer@demo.lmbplanner.be,"
	@echo "  beheerder@demo.lmbplanner.be (beheer), andere@demo.lmbplanner.be (andere gemeente)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) lint
	scripts/with-postgres $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet || true

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	scripts/with-postgres $(PY) bench/render_memorandum.py
	scripts/with-postgres $(PY) bench/render_omgevingsanalyse.py
	scripts/with-postgres $(PY) bench/render_meerjarenplan.py
	scripts/with-postgres $(PY) bench/library_import_bomb.py
	scripts/with-postgres $(PY) bench/review_pages.py
	$(PY) bench/sqlite_concurrency.py

clean:
	rm -rf $(VENV) var
