"""`packls resolve --since` on a hostile repository: git is the only process, and the repository runs nothing through it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.review.support import commit_all, git, new_repository
from tests.security.test_trust import audited, malicious_pack


def test_since_starts_only_locked_down_git_and_runs_nothing_of_the_repository(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER-something-ran"
    repo = new_repository(tmp_path / "repo")
    malicious_pack(repo / "evil", marker)
    trap = tmp_path / "trap.sh"
    trap.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n")
    trap.chmod(trap.stat().st_mode | stat.S_IEXEC)
    (repo / ".gitattributes").write_text("* filter=trap diff=trap export-subst\n")
    for key in ("filter.trap.smudge", "filter.trap.process", "diff.trap.textconv", "core.fsmonitor", "core.pager",
                "core.sshCommand", "uploadpack.packObjectsHook"):
        git(repo, "config", key, str(trap))
    git(repo, "config", "remote.origin.url", "ssh://attacker.invalid/repo.git")
    git(repo, "config", "remote.origin.promisor", "true")
    commit_all(repo, "evil")
    marker.unlink(missing_ok=True)  # plain git commands above did run the traps
    runtime = repo / "evil/runtimes/evil.yaml"
    runtime.write_text(runtime.read_text().replace('  - version: "3.12"\n', '  - version: "3.13"\n  - version: "3.12"\n'))

    done, events = audited(tmp_path, "resolve", "--no-config", "--since", "HEAD", "--format", "json", cwd=repo)

    assert done.returncode == 0, done.stderr
    assert [c["ref"] for c in json.loads(done.stdout)["changed"]] == ["evil.run"]
    assert not marker.exists()
    assert events, "git ran"
    for event in events:
        assert event.startswith("subprocess.Popen ('git', ['git', '-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null',"
                                " '-c', 'protocol.allow=never', '-C'"), event
