"""`sync --detect` asks the machine, not the checkout: a neutral folder and a controlled environment.

Version managers (pyenv, asdf, mise, nodenv, …) start whichever interpreter a `.python-version`
or `.tool-versions` in the current folder or above names. Run from inside a checkout, a
repository would decide availability. The shim here behaves like pyenv's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from packls.registry.detect import NEUTRAL_DIRECTORY, command_environment
from tests.security.injection import write

SHIM = f"""#!{sys.executable}
import json, os, sys
from pathlib import Path
here = Path.cwd()
for folder in (here, *here.parents):
    chosen = folder / ".python-version"
    if chosen.is_file():
        print("Python " + chosen.read_text().strip())
        break
else:
    print("Python 3.11.9")
Path(sys.argv[2]).write_text(json.dumps({{"cwd": os.getcwd(), "env": dict(os.environ)}}))
"""


def test_a_checkouts_version_file_does_not_decide_availability(tmp_path: Path) -> None:
    shim = write(tmp_path / "bin" / "fakepy", SHIM)
    shim.chmod(0o755)
    seen = tmp_path / "seen.json"
    checkout = tmp_path / "checkout"
    write(checkout / ".python-version", "3.10.4\n")  # what the repository would like the machine to run
    write(checkout / "fake" / "pack.yaml", 'ref: fake\nversion: "1.0.0"\n')
    write(checkout / "fake" / "runtimes" / "py.yaml", (
        "ref: fake.py\nname: FakePy\nversions:\n  - version: \"3.11\"\n    distributions:\n      verification:\n"
        f"        commands: [{{binary: fakepy, args: [\"--version\", \"{seen}\"], pattern: 'Python 3\\.11\\.'}}]\n"
    ))
    env = {
        **os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}", "XDG_DATA_HOME": str(tmp_path / "d"),
        "PGPASSWORD": "pg-secret-7c1e", "PACKLS_ATTUNE_TOKEN": "token-secret-7c1e", "LC_ALL": "de_DE.UTF-8",
    }

    done = subprocess.run(
        [sys.executable, "-m", "packls", "sync", "--detect", "fake", "--database", str(tmp_path / "r.sqlite3"),
         "--format", "json"], cwd=checkout, env=env, capture_output=True, text=True, timeout=300,
    )

    rows = {(r["ref"], r["version"]): r for r in json.loads(done.stdout)["runtime_versions"]}
    assert rows["fake.py", "3.11"]["available"] and rows["fake.py", "3.11"]["detected"] == "3.11.9", rows["fake.py", "3.11"]
    record = json.loads(seen.read_text())
    assert record["cwd"] == NEUTRAL_DIRECTORY
    assert "PGPASSWORD" not in record["env"] and "PACKLS_ATTUNE_TOKEN" not in record["env"]
    assert record["env"]["LC_ALL"] == "C" and record["env"]["PATH"] == env["PATH"]


def test_the_command_environment_keeps_what_version_managers_need_and_nothing_secret() -> None:
    environ = {
        "PATH": "/bin", "HOME": "/home/u", "PYENV_VERSION": "3.12.1", "ASDF_DATA_DIR": "/a", "JAVA_HOME": "/j",
        "PGPASSWORD": "x", "PACKLS_ATTUNE_TOKEN": "y", "AWS_SECRET_ACCESS_KEY": "z", "PYTHONPATH": "/evil",
    }

    assert command_environment(environ) == {
        "PATH": "/bin", "HOME": "/home/u", "PYENV_VERSION": "3.12.1", "ASDF_DATA_DIR": "/a", "JAVA_HOME": "/j",
        "LC_ALL": "C", "LANG": "C",
    }
