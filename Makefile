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

.PHONY: run worker test lint format messages bench bench-load clean

# The render queue's worker (PDFs and Word files, issue 11). No autoreload: a render's time limit
# is a signal, which only reaches a worker running in its main thread.
WORKER := $(PY) manage.py db_worker --backend documents --no-reload --interval 1

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
	@# One command, two processes: the render worker in the background (quiet: the web server's
	@# log stays readable; a failed render is still logged) and the web server. When the web
	@# server stops (Ctrl-C), so does the worker: at once when idle, else after putting its job
	@# back in the queue; a queued job waits in the database for the next `make run`.
	@$(WORKER) --verbosity 0 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit 0' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# A render worker on its own (another terminal, or a second one next to `make run`'s).
worker: $(STAMP)
	$(WORKER)

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
	scripts/with-postgres $(PY) bench/pdf_cache.py
	scripts/with-postgres $(PY) bench/render_fairness.py
	scripts/with-postgres $(PY) bench/render_book.py
	$(PY) bench/sqlite_concurrency.py

# Every Flemish municipality on one installation: gunicorn (two workers, production settings) on
# PostgreSQL under 20 users; p50, p95 and the ratio to a bare page per page (bench/load.py).
bench-load: $(STAMP)
	scripts/with-postgres $(PY) bench/load.py $(BENCH_LOAD_ARGS)

clean:
	rm -rf $(VENV) var
