#!/usr/bin/env bash
# Provide the PostgreSQL server binaries (initdb, pg_ctl, postgres) that the registry tests
# start a throwaway cluster with (tests/registry/conftest.py). Idempotent: does nothing when
# Debian's server package is already installed. No cluster is created or started here.
set -euo pipefail

have_server() {
    for bindir in /usr/lib/postgresql/*/bin; do
        if [ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ] && [ -x "$bindir/postgres" ]; then
            return 0
        fi
    done
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1
}

if have_server; then
    exit 0
fi

# shellcheck source=apt-install.sh
. "$(cd "$(dirname "$0")" && pwd)/apt-install.sh"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Tests make their own clusters; keep the package from creating and starting a system one.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    $SUDO mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

apt_install "the registry tests start a throwaway PostgreSQL cluster" postgresql

have_server
