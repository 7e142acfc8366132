# Clearwater: `make run` serves the portal, `make test` runs every check. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: run test lint typecheck pytest bench-import clean audit

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Clearwater needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/portal init
	$(BIN)/portal load-sample --if-empty
	$(BIN)/portal snapshot --if-none
	$(BIN)/portal reindex --if-missing
	$(BIN)/portal run --port $(PORT)

test: $(VENV)/.installed-test lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check portal tests bench wsgi.py
	$(BIN)/ruff check portal tests bench wsgi.py

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Security checks (docs/security.md); CI runs this. bandit over the portal's code always;
# pip-audit of the installed packages with AUDIT_DEPS=1, where PyPI's per-version JSON API or
# OSV can be reached (not from this project's machines). --strict fails on a package it could
# not check instead of passing it.
audit: $(VENV)/.installed-test
	$(BIN)/bandit -q -c pyproject.toml -r portal
	@if [ "$(AUDIT_DEPS)" = 1 ]; then \
		$(BIN)/pip-audit --strict --skip-editable --progress-spinner off $(PIP_AUDIT_ARGS); \
	else echo "pip-audit skipped: this machine cannot reach a vulnerability database (docs/security.md)"; fi

bench-import: $(VENV)/.installed-run
	$(BIN)/python bench/import_rate.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
