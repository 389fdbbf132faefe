"""The server's disk poller stays out of a running check, but never for long, and starts from what indexing read."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

from packls.features.buffers import NOTHING
from packls.features.disk_poll import CHANGED, CREATED, DELETED, changes, snapshot, snapshot_of_reads
from packls.lsp import watch
from packls.lsp.watch import FileWatcher, PollPacing
from packls.workspace import read_pack


def test_an_idle_server_walks_every_round() -> None:
    pacing = PollPacing()
    assert [pacing.walk_now(busy=False) for _ in range(4)] == [True, True, True, True]


def test_a_busy_server_skips_rounds_but_walks_after_the_most_it_may_skip() -> None:
    pacing = PollPacing(most_skipped=3)
    assert [pacing.walk_now(busy=True) for _ in range(8)] == [False, False, False, True, False, False, False, True]


def test_a_round_after_the_checks_finished_walks_at_once() -> None:
    pacing = PollPacing(most_skipped=3)
    assert [pacing.walk_now(busy) for busy in (True, True, False, True)] == [False, False, True, False]


def _pack_with_everything(root: Path) -> Path:
    """A pack with pack files, an unparsable one, a config file, a script and an excluded action."""
    pack = root / "demo"
    shutil.copytree(Path(__file__).resolve().parents[2] / "packs" / "web_hooks", pack)
    (pack / "packls.toml").write_text("[packls]\n", encoding="utf-8")
    (pack / "actions" / "run.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    (pack / "actions" / "binary.yaml").write_bytes(b"a: \x00\n")
    (pack / "actions" / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    (pack / "actions" / "skipped.yaml").write_text("name: skipped\n", encoding="utf-8")
    return pack


def test_the_baseline_from_the_reads_is_what_a_walk_would_find(tmp_path: Path) -> None:
    pack = _pack_with_everything(tmp_path)
    read = read_pack(pack, exclude=lambda path: path.name == "skipped.yaml")
    assert snapshot_of_reads([read]) == snapshot([pack])


def test_a_file_changed_after_it_was_read_shows_at_the_first_poll(tmp_path: Path) -> None:
    pack = _pack_with_everything(tmp_path)
    read = read_pack(pack)
    action = pack / "actions" / "post.yaml"
    action.write_text(action.read_text(encoding="utf-8") + "description: changed after the read\n", encoding="utf-8")
    (pack / "actions" / "new.yaml").write_text("name: new\n", encoding="utf-8")
    assert sorted(changes(snapshot_of_reads([read]), snapshot([pack]))) == [
        (pack / "actions" / "new.yaml", CREATED), (action, CHANGED)]


async def test_disk_changes_apply_in_the_order_they_came_even_when_a_read_is_slow(tmp_path: Path, monkeypatch) -> None:
    """A file created and deleted at once: the creation's read finishing last must not bring the file back."""
    pack = tmp_path / "demo"
    created = pack / "actions" / "created.yaml"
    applied: list[tuple[str, bool]] = []

    def slow_read(path: Path, root: Path) -> str:
        time.sleep(0.2)  # the read of the creation is still running when the deletion arrives
        return "read"

    session = SimpleNamespace(
        known_root=lambda path: pack, documents={}, workspace=SimpleNamespace(packs={}),
        disk_changed=lambda path, deleted, fresh: applied.append((path.name, deleted)) or NOTHING,
    )
    ls = SimpleNamespace(session=session, watcher=FileWatcher(SimpleNamespace()), diagnostics=SimpleNamespace(after=lambda impact: None))
    monkeypatch.setattr(watch, "_read", slow_read)
    await asyncio.gather(watch.on_changes(ls, [(created, CREATED)]), watch.on_changes(ls, [(created, DELETED)]))
    assert applied == [("created.yaml", False), ("created.yaml", True)]
