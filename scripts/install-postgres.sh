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

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-postgres.sh: no apt-get here; install the PostgreSQL server (initdb, pg_ctl, postgres) yourself" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

# Tests make their own clusters; keep the package from creating and starting a system one.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    $SUDO mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends postgresql

have_server
