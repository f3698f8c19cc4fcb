# Golden Thread — set-up, run and test. Needs Python 3.11+, Node/npm and make.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_NO_PROGRESS := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install assets browser run serve test pytest lint format check ci clean fuzz

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.9

install: $(BIN)/uv  ## Install the Python packages exactly as locked (uv.lock)
	$(BIN)/uv sync --frozen --quiet
	@# WeasyPrint cuts the board pack's fonts down with HarfBuzz when Debian's
	@# libharfbuzz-subset0 is present, and with the much slower fontTools if
	@# not. Best effort: where apt-get is missing or refused, packs still work.
	@ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || \
	  apt-get install -y -q libharfbuzz-subset0 >/dev/null 2>&1 || true

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json  ## Compile GOV.UK Frontend and our Sass into build/
	npm run --silent build

browser:  ## Make sure Debian Chromium is present for the browser tests
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian Chromium for the browser tests"; \
	  apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; }
	@command -v chromium >/dev/null 2>&1 || { echo "Chromium is needed for the browser tests"; exit 1; }

run: install assets  ## Serve the demo plan on SQLite at http://127.0.0.1:8000
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@# The background worker (board pack PDFs, large downloads) runs beside the
	@# server and stops with it. Restart `make run` after changing a job's code.
	DEBUG=true $(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

lint: install  ## ruff lint, format check, and the layering contract (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install  ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install  ## Django system check and missing-migration check
	DEBUG=true $(PY) manage.py check
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# One test process per core. Tests are handed out one by one in the order
# pytest-django sorts them (tests that empty the database, such as the browser
# tests, last), so no test finds the role groups the migrations made gone.
# PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

pytest: install assets browser  ## Run the test suite only, in parallel
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test: lint check pytest  ## Everything: lint, checks and the whole test suite

fuzz: install assets  ## Hostile input to every page and form, 1,000 examples each (slow)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -n $(PYTEST_WORKERS) tests/fuzz

ci: test  ## What CI runs (see .ci/run for the PostgreSQL pass)

clean:  ## Remove the virtual environment, build output and local database
	rm -rf $(VENV) node_modules build staticfiles db.sqlite3
