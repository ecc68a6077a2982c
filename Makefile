# RepLog: `make run` and `make test` do all set-up on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= sqlite:///$(CURDIR)/.replog/demo.db
REPLOG := $(BIN)/replog --db $(DEMO_DB) --athlete demo

.PHONY: setup compile run test check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("RepLog needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Bytecode is compiled ahead so the first `replog log` starts as fast as the rest.
compile: $(STAMP)
	@$(BIN)/python -m compileall -q src >/dev/null

# The server on the demo data; HOST=0.0.0.0 lets phones on the LAN reach it.
HOST ?= 127.0.0.1
PORT ?= 8000

run: setup compile
	@$(REPLOG) serve --demo --host $(HOST) --port $(PORT)

# -n auto: one pytest worker per core (pytest-xdist); a single test runs as plain pytest
test: setup compile
	$(BIN)/python -m pytest -q -n auto

check: setup
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup compile
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_web.py

clean:
	rm -rf $(VENV) .replog .pytest_cache .mypy_cache .ruff_cache
