"""Put packls and its pure-Python dependencies into bundled/libs, for a .vsix that needs no install.

    python3 scripts/bundle-server.py [--wheel dist/packls-X-py3-none-any.whl]

Builds the packls wheel from this repository (unless one is given) without its optional C tree
builder (PACKLS_PURE_PYTHON=1: a .vsix runs on every platform), asks pip which wheels it
and its dependencies resolve to, and installs those that are pure Python (a `none-any` wheel)
into bundled/libs. Native ones are left out on purpose: PyYAML (packls then parses with
ruamel's pure-Python path) and psycopg's binary driver (PostgreSQL stores need packls installed
with pip or pipx). psycopg itself is pure Python but useless without the native libpq, so it is
left out too. The wheels are resolved for the interpreter running this script; run it with the
oldest Python the bundle supports (3.11) so that every dependency marker for 3.11 is honoured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parents[1]
REPO = EXTENSION.parents[1]
LIBS = EXTENSION / "bundled" / "libs"
NOT_BUNDLED = {"psycopg": "needs the native libpq: PostgreSQL stores need packls installed with pip or pipx"}


def pip(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """pip of the running interpreter, quiet, failing loudly."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    proc = subprocess.run(command, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"bundle-server: {' '.join(command[3:5])} failed")
    return proc


def build_wheel(out: Path) -> Path:
    """The packls wheel of this checkout, pure Python (without the optional C tree builder) to run on every platform."""
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(REPO), env={**os.environ, "PACKLS_PURE_PYTHON": "1"})
    wheels = sorted(out.glob("packls-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"bundle-server: expected one packls wheel in {out}, found {wheels}")
    return wheels[0]


def resolve(wheel: Path) -> list[tuple[str, str, str]]:
    """(name, version, wheel file name) for packls and every dependency, as pip resolves them here."""
    report = json.loads(pip("install", "--quiet", "--dry-run", "--ignore-installed", "--only-binary", ":all:",
                            "--report", "-", str(wheel)).stdout)
    found = []
    for item in report["install"]:
        url = item["download_info"]["url"]
        found.append((item["metadata"]["name"].lower(), item["metadata"]["version"], url.rsplit("/", 1)[-1]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a packls wheel to bundle (default: build one from this checkout)")
    args = parser.parse_args()
    if sys.version_info < (3, 11):
        raise SystemExit("bundle-server: run it with Python 3.11 or newer")
    with tempfile.TemporaryDirectory(prefix="packls-bundle-") as tmp:
        wheel = args.wheel.resolve() if args.wheel else build_wheel(Path(tmp))
        bundled, skipped = [], []
        for name, version, filename in resolve(wheel):
            if name == "packls":
                continue
            if name in NOT_BUNDLED:
                skipped.append(f"{name} {version} ({NOT_BUNDLED[name]})")
            elif not filename.endswith("-none-any.whl"):
                skipped.append(f"{name} {version} (native code: {filename})")
            else:
                bundled.append(f"{name}=={version}")
        if LIBS.exists():
            shutil.rmtree(LIBS)
        pip("install", "--quiet", "--no-deps", "--no-compile", "--only-binary", ":all:", "--target", str(LIBS), str(wheel), *bundled)
    for stray in LIBS.glob("bin"):
        shutil.rmtree(stray)  # console scripts point at this machine's interpreter
    size = sum(p.stat().st_size for p in LIBS.rglob("*") if p.is_file())
    print(f"bundle-server: packls + {len(bundled)} pure-Python packages in {LIBS.relative_to(EXTENSION)} ({size / 1e6:.1f} MB)")
    for line in skipped:
        print(f"bundle-server: not bundled: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
