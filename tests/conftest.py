"""Suite-wide isolation: no test reads the developer's own registry store or warm-start cache."""

from __future__ import annotations

import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_user_data_dir():
    """Point the per-user data and cache folders (registry store, warm-start snapshots) at empty temp folders."""
    saved = {key: os.environ.get(key) for key in ("XDG_DATA_HOME", "PACKLS_DATABASE", "PACKLS_CACHE_DIR")}
    with tempfile.TemporaryDirectory(prefix="packls-test-data-") as folder:
        os.environ["XDG_DATA_HOME"] = folder
        os.environ["PACKLS_CACHE_DIR"] = os.path.join(folder, "cache")
        os.environ.pop("PACKLS_DATABASE", None)
        yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
