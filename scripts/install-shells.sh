#!/usr/bin/env bash
# Provide zsh and fish, so the tests load `packls completion zsh|fish` into the real shells
# (tests/cli/test_completion.py); bash is always there. Idempotent: does nothing when both exist.
set -euo pipefail

if command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-shells.sh: no apt-get here; install zsh and fish yourself" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends zsh fish

command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1
