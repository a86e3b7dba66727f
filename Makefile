# stdplus: `make demo` serves the catalog with the bundled data; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STDPLUS := $(BIN)/stdplus
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/stdplus

.PHONY: help venv demo serve data test test-sqlite test-pg lint fmt check bench messages docs openapi clean

help:
	@echo "make demo   - virtualenv, install, migrate, load the bundled data, serve on http://$(HOST):$(PORT)"
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

demo: data
	$(STDPLUS) runserver $(HOST):$(PORT)

serve: venv
	$(STDPLUS) runserver $(HOST):$(PORT)

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
	$(BIN)/pytest -p no:cacheprovider

test: lint check test-sqlite

test-pg: venv
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider

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
