# stdplus: `make demo` serves the catalog with the bundled data; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STDPLUS := $(BIN)/stdplus
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/stdplus
PYTEST_ARGS ?=

.PHONY: help venv demo serve worker data test test-sqlite test-pg lint fmt check bench messages docs openapi clean

help:
	@echo "make demo   - virtualenv, install, migrate, load the bundled data, serve on http://$(HOST):$(PORT)"
	@echo "             with the background worker (alerts and digests arrive on their own)"
	@echo "make serve  - the production server (gunicorn) and the worker; make worker - the worker alone"
	@echo "make test   - the whole suite (lint, checks, tests on SQLite; PostgreSQL too via .ci/run)"
	@echo "make test-pg - the suite against PostgreSQL ($(PG_URL))"
	@echo "make lint / fmt / check / bench / messages / docs"

$(BIN)/stdplus: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=python3"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(BIN)/stdplus

venv: $(BIN)/stdplus

data: venv
	$(STDPLUS) migrate --no-input -v0
	$(STDPLUS) import
	$(STDPLUS) programme demo --region 4403 --replace

# The background worker (alert delivery, digests, daily status) runs beside the web server and
# stops with it; its log is var/worker.log.
WITH_WORKER = mkdir -p var; $(STDPLUS) worker >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "background worker started (pid $$worker, log var/worker.log): alerts arrive on their own";

demo: data
	@$(WITH_WORKER) $(STDPLUS) runserver $(HOST):$(PORT)

# The production server (gunicorn) with the worker, on the same data as the demo.
serve: venv
	@$(WITH_WORKER) $(STDPLUS) serve --bind $(HOST):$(PORT)

worker: venv
	$(STDPLUS) worker

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

fmt: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

check: venv
	$(BIN)/lint-imports --no-logo
	$(STDPLUS) check
	$(STDPLUS) makemigrations --check --dry-run
	$(BIN)/python docs/gen_cli.py --check
	$(BIN)/mypy src/stdplus/identifiers src/stdplus/catalog/services src/stdplus/catalog/selectors.py \
	  src/stdplus/catalog/status.py src/stdplus/catalog/rules src/stdplus/core

test-sqlite: venv
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test: lint check test-sqlite

test-pg: venv
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

bench: venv
	$(BIN)/python bench/bench_identifiers.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_stats.py

# Apps whose texts are translated; each keeps src/stdplus/<app>/locale/zh_Hans (.po and .mo).
I18N_APPS ?= $(notdir $(patsubst %/locale,%,$(wildcard src/stdplus/*/locale)))

messages: venv
	for app in $(I18N_APPS); do \
	  (cd src/stdplus/$$app && $(CURDIR)/$(STDPLUS) makemessages -l zh_Hans --no-obsolete --no-location \
	    && $(CURDIR)/$(STDPLUS) compilemessages -l zh_Hans) || exit 1; \
	done

docs: venv
	$(BIN)/python docs/gen_cli.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .import_linter_cache

openapi: venv
	$(BIN)/python docs/gen_openapi.py
