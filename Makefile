# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps dist vsix screenshots bench clean

$(STAMP): pyproject.toml setup.py server/packls/syntax/_compose.c
	bash scripts/install-build-deps.sh || echo "make: building packls without its C tree builder (slower parsing)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/packls validate packs --fail-on never
	$(BIN)/packls resolve packs --fail-on never

# What the tests start for real: PostgreSQL, Neovim 0.7 and 0.11, the VS Code client stack, and
# a real VS Code (code-server + Chromium + Playwright). Each script is idempotent and quick when
# everything is already there.
system-deps: $(STAMP)
	bash scripts/install-postgres.sh
	bash scripts/install-editor-deps.sh
	bash scripts/install-shells.sh
	bash scripts/install-vscode-workbench.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

# What a user installs: a wheel and an sdist in dist/ (`pipx install dist/packls-*.whl`).
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

# The VS Code extension with the server bundled inside: editors/vscode/dist/packls.vsix.
vsix: $(STAMP)
	cd editors/vscode && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && PATH="$(CURDIR)/$(BIN):$$PATH" npm run package

# The VS Code screenshots of README.md and editors/README.md, taken by the real-workbench test.
screenshots: system-deps
	PACKLS_SCREENSHOTS=docs/images $(BIN)/python -m pytest tests/editors/test_vscode_workbench.py -q

# Benchmarks with budgets (not part of `make test`); BENCH_QUICK=1 for a short pass.
bench: $(STAMP)
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info server/*.egg-info
