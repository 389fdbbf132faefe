#!/usr/bin/env bash
# Provide zsh and fish, so the tests load `packls completion zsh|fish` into the real shells
# (tests/cli/test_completion.py); bash is always there. Idempotent: does nothing when both exist.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=apt-install.sh
. "$ROOT/scripts/apt-install.sh"

if command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1; then
    exit 0
fi
apt_install "the completion tests load packls's scripts into the real shells" zsh fish
command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1
