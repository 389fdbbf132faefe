#!/usr/bin/env bash
# What the optional C extension (packls.syntax._compose) is compiled with: a C compiler and
# libyaml's headers. Idempotent: does nothing when both are there. Without them packls still
# installs and works, parsing with the slower Python builder.
set -euo pipefail

if command -v cc >/dev/null 2>&1 && printf '#include <yaml.h>\n' | cc -E -x c - >/dev/null 2>&1; then
    exit 0
fi

# shellcheck source=apt-install.sh
. "$(cd "$(dirname "$0")" && pwd)/apt-install.sh"
apt_install "the C compiler and libyaml headers packls's YAML tree builder is compiled with" gcc libc6-dev libyaml-dev
