# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/packls validate packs --fail-on never
	$(BIN)/packls resolve packs

# What the tests start for real: PostgreSQL, Neovim 0.7 and 0.11, the VS Code client stack.
# Each script is idempotent and quick when everything is already there.
system-deps: $(STAMP)
	bash scripts/install-postgres.sh
	bash scripts/install-editor-deps.sh
	bash scripts/install-shells.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

# Benchmarks with budgets (not part of `make test`); BENCH_QUICK=1 for a short pass.
bench: $(STAMP)
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info
