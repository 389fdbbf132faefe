#!/usr/bin/env bash
# Install what the real-workbench test (tests/editors/test_vscode_workbench.py) needs; safe to
# run again, and quick when everything is there (each step checks first):
#   - Debian: chromium (the browser Playwright drives), ripgrep, and the compilers and headers
#     that code-server's native node modules build against;
#   - code-server (VS Code served to a browser) from npm, into a cache folder outside the tree;
#   - playwright-python from PyPI into the project venv; it drives /usr/bin/chromium, so no
#     browser is downloaded.
# The cache folder is $PACKLS_TEST_CACHE (default ~/.cache/packls-test).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}
CACHE=${PACKLS_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/packls-test}
# 4.100.3 (VS Code 1.100.3) is the newest code-server whose engines accept Node 20.
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.100.3}
PLAYWRIGHT=${PLAYWRIGHT:-playwright==1.65.2}
DEBIAN_PACKAGES=(chromium ripgrep fonts-dejavu-core build-essential pkg-config python3
                 libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev)

say() { printf 'install-vscode-workbench: %s\n' "$*"; }
# shellcheck source=apt-install.sh
. "$ROOT/scripts/apt-install.sh"

# --- Debian packages --------------------------------------------------------------------------
absent=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || absent+=("$pkg")
done
if [ ${#absent[@]} -eq 0 ]; then
    say "Debian packages already installed"
else
    say "installing ${absent[*]}"
    apt_install "the browser and build headers of the real-workbench test" "${absent[@]}"
fi

# --- code-server from npm ---------------------------------------------------------------------
CS_DIR=$CACHE/code-server-$CODE_SERVER_VERSION
CS_BIN=$CS_DIR/node_modules/.bin/code-server
if [ -x "$CS_BIN" ] && [ -f "$CS_DIR/.complete" ]; then
    say "code-server $CODE_SERVER_VERSION already installed in $CS_DIR"
else
    say "installing code-server $CODE_SERVER_VERSION into $CS_DIR (builds native modules; a few minutes)"
    rm -rf "$CS_DIR"
    mkdir -p "$CS_DIR"
    # @vscode/ripgrep's postinstall fetches an rg release archive from the web unless it finds one
    # in its cache folder: give it Debian's rg, packed under the name it looks for.
    RG_PACKAGE_VERSION=1.15.11   # the @vscode/ripgrep that this code-server pins
    RG_CACHE=${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PACKAGE_VERSION
    mkdir -p "$RG_CACHE"
    tar -czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
    # nodedir: build against Debian's Node headers instead of downloading them; yes: node-pty's
    # postinstall runs `npx node-gyp`; unsafe-perm: code-server's own postinstall runs as root.
    (cd "$CS_DIR" && npm_config_nodedir=/usr npm_config_yes=true \
        npm install --unsafe-perm --no-audit --no-fund --loglevel=error --prefix "$CS_DIR" \
        "code-server@$CODE_SERVER_VERSION" >"$CS_DIR/npm-install.log" 2>&1) || {
        tail -40 "$CS_DIR/npm-install.log" >&2
        say "code-server install failed (log: $CS_DIR/npm-install.log)" >&2
        exit 1
    }
    "$CS_BIN" --version >/dev/null
    touch "$CS_DIR/.complete"
    say "code-server $("$CS_BIN" --version | head -1) installed"
fi

# --- playwright-python into the venv -----------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    say "no virtualenv at $VENV: run 'make setup' first" >&2
    exit 1
fi
if "$VENV/bin/python" -c "import playwright.sync_api" 2>/dev/null; then
    say "playwright already installed in $VENV"
else
    say "installing $PLAYWRIGHT into $VENV (no browser download: the test uses /usr/bin/chromium)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$PLAYWRIGHT"
fi
