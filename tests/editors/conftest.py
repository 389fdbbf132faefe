"""The .vsix is built once per run (`npm run package`: the bundled server, esbuild, vsce)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.editors.support import VSCODE, npm_run


@pytest.fixture(scope="session")
def vsix() -> Path:
    """dist/packls.vsix, freshly packaged."""
    package = VSCODE / "dist" / "packls.vsix"
    package.unlink(missing_ok=True)
    proc = npm_run("run", "package")
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert package.is_file()
    return package


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report
