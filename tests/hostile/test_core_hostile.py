"""Hostile input for the core and `packls validate`: a clear finding each, bounded time and memory, nothing else breaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from packls.checks import check_workspace
from packls.syntax.nodes import Mapping, Sequence
from packls.syntax.parse import parse_yaml
from packls.workspace import HARD_FILE_BYTES, MAX_FILE_BYTES, Workspace, read_source
from tests.fuzz.support import walk
from tests.hostile.workspace import (
    BILLION_LAUGHS,
    CYCLE,
    SECRET,
    TABS,
    TWO_DOCUMENTS,
    WIDE_ALIASES,
    big_action,
    deep,
    deep_block,
    hostile_pack,
    write,
)

REPO = Path(__file__).resolve().parents[2]


def validate_json(*args: str, cwd: Path | None = None, timeout: float = 60) -> tuple[int, dict, str]:
    """`packls validate --format json` in a child process (a hang fails the test instead of the run)."""
    done = subprocess.run(
        [sys.executable, "-m", "packls", "validate", "--format", "json", "--no-config", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd,
        env={**os.environ, "XDG_DATA_HOME": str(Path(cwd or REPO) / ".no-data")},
    )
    return done.returncode, json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}, done.stderr


def by_file(report: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in report["diagnostics"]:
        found.setdefault(Path(item["path"]).name, []).append(item["code"])
    return found


# --- alias bombs and cycles ------------------------------------------------------------------


@pytest.mark.parametrize("text", [BILLION_LAUGHS, WIDE_ALIASES], ids=["billion-laughs", "wide-aliases"])
def test_an_alias_bomb_is_found_in_bounded_time_and_memory(text: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    parsed = parse_yaml(text)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert parsed.problem is not None and parsed.problem.kind == "aliases"
    assert "alias bomb" in parsed.problem.message and parsed.documents == []
    assert seconds < 5 and peak < 64 * 2**20, (seconds, peak)


def test_an_alias_that_contains_itself_is_found_not_followed() -> None:
    parsed = parse_yaml(CYCLE)
    assert parsed.problem is not None and "recursion limit exceeded" in parsed.problem.message
    assert CYCLE[parsed.problem.span.start : parsed.problem.span.end] == "self: *p"  # the line holding the alias


def test_ordinary_aliases_still_work_and_end_where_they_are_written() -> None:
    text = (
        "ref: demo.python\nshared: &cfg {interpreter: {binary: python3}}\nversions:\n"
        "  - version: '3.11'\n    execution_config: *cfg\n  - version: '3.12'\n    execution_config: *cfg\n"
    )
    parsed = parse_yaml(text)
    assert parsed.problem is None
    versions = parsed.root_mapping.value("versions")
    assert isinstance(versions, Sequence) and versions.items[0].value("execution_config") is versions.items[1].value("execution_config")
    # a block collection that ends with an alias ends at the alias (it used to end at the anchor, before it began)
    assert text[versions.span.start : versions.span.end].endswith("execution_config: *cfg")
    for node in walk(parsed.root_mapping):
        assert node.span.start <= node.span.end
        if isinstance(node, (Mapping, Sequence)) and not node.flow:
            for pair in getattr(node, "pairs", ()):
                assert pair.key.span.end <= node.span.end


# --- depth -------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [deep, deep_block], ids=["flow", "block"])
def test_tens_of_thousands_of_levels_are_a_finding_not_a_recursion_error(make) -> None:
    text = make(50_000)
    started = time.perf_counter()
    parsed = parse_yaml(text)
    assert time.perf_counter() - started < 10
    assert parsed.problem is not None and parsed.problem.kind == "depth" and parsed.documents == []


def test_deep_indentation_is_read_or_refused_without_a_recursion_error_even_in_a_thread() -> None:
    text = "".join(" " * i + "a:\n" for i in range(3000)) + " " * 3000 + "b\n"  # 3,000 levels by indentation
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(parse_yaml(text)))  # the server parses big texts in threads
    worker.start()
    worker.join(60)
    (parsed,) = results
    assert parsed.problem is not None and parsed.problem.kind == "depth"


# --- files of every hostile kind, through the workspace and the CLI ------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return hostile_pack(tmp_path / "ws" / "hostile")


EXPECTED = {
    "binary.yaml": ("metadata.unreadable", "binary"),
    "latin1.yaml": ("metadata.unreadable", "not UTF-8"),
    "utf16.yaml": ("metadata.unreadable", "UTF-16"),
    "bomb.yaml": ("yaml.syntax", "alias bomb"),
    "wide.yaml": ("yaml.syntax", "alias bomb"),
    "cycle.yaml": ("yaml.syntax", "recursion limit exceeded"),
    "deep.yaml": ("yaml.syntax", "nested more than"),
    "deepblock.yaml": ("yaml.syntax", "nested more than"),
    "tabs.yaml": ("yaml.syntax", "tabs are not allowed"),
    "two_documents.yaml": ("yaml.multiple_documents", "2 YAML documents"),
    "escape.yaml": ("metadata.unreadable", "symbolic links"),
    "self.yaml": ("metadata.unreadable", "symbolic links"),
    "zero.yaml": ("metadata.unreadable", "symbolic links"),
    "pipe.yaml": ("metadata.unreadable", "not a regular file"),
    "empty.yaml": ("component.not_object", "must be a YAML object"),
    "comments.yaml": ("component.not_object", "must be a YAML object"),
}


def test_validate_gives_each_hostile_file_one_clear_finding_and_reads_nothing_outside(hostile: Path) -> None:
    started = time.perf_counter()
    code, report, stderr = validate_json(str(hostile.parent), timeout=120)
    assert time.perf_counter() - started < 60
    assert code == 1 and "Traceback" not in stderr
    messages = {(Path(d["path"]).name, d["code"]): d["message"] for d in report["diagnostics"]}
    for name, (rule, words) in EXPECTED.items():
        assert (name, rule) in messages, f"{name}: {sorted(k for k in messages if k[0] == name)}"
        assert words in messages[(name, rule)]
    found = by_file(report)
    for clean in ("bom.yaml", "crlf.yaml"):  # a BOM and CRLF line ends are ordinary
        assert clean not in found, found.get(clean)
    assert SECRET.strip() not in json.dumps(report)  # the file behind the escaping link was never read


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_output_format_renders_hostile_files(hostile: Path, fmt: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "packls", "validate", "--format", fmt, "--no-config", str(hostile)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "XDG_DATA_HOME": str(hostile / ".no-data")},
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "bomb.yaml" in done.stdout
    if fmt in ("json", "sarif"):
        json.loads(done.stdout)


def test_a_bom_and_crlf_give_the_same_findings_at_the_same_places(tmp_path: Path) -> None:
    text = "ref: demo.a\nrunner_type: pyhton\nentry_point: a.py\n"
    plain, bom, crlf = (tmp_path / n for n in ("plain", "bom", "crlf"))
    for root, body in ((plain, text), (bom, "\ufeff" + text), (crlf, text.replace("\n", "\r\n"))):
        write(root / "pack.yaml", 'ref: demo\nversion: "1.0.0"\n')
        write(root / "actions/a.py", "")
        write(root / "actions/a.yaml", body)
    places = []
    for root in (plain, bom, crlf):
        _, report, _ = validate_json(str(root))
        places.append([(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in report["diagnostics"]])
    assert places[0] and places[0] == places[1] == places[2]


def test_oversized_files_are_reported_and_never_read_whole(tmp_path: Path) -> None:
    pack = tmp_path / "big"
    write(pack / "pack.yaml", 'ref: big\nversion: "1.0.0"\n')
    write(pack / "actions/a.py", "")
    write(pack / "actions/large.yaml", "ref: big.large\nrunner_type: python\nentry_point: a.py\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    huge = pack / "actions/huge.yaml"
    with huge.open("wb") as out:  # sparse: costs no disk
        out.truncate(HARD_FILE_BYTES + 1)
    code, report, _ = validate_json(str(pack))
    found = {(Path(d["path"]).name, d["code"]): d["message"] for d in report["diagnostics"]}
    assert ("large.yaml", "limits.metadata_file_too_large") in found
    assert "larger than" in found[("huge.yaml", "metadata.unreadable")]


def test_an_unreadable_file_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = tmp_path / "p"
    write(pack / "pack.yaml", 'ref: pp\nversion: "1.0.0"\n')
    locked = write(pack / "actions/locked.yaml", "ref: pp.locked\n")
    real_open = os.open

    def deny(path, flags, *args, **kwargs):  # as root, chmod 000 would not stop the read
        if Path(path).name == locked.name:  # opened by name below its folder (dir_fd)
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr("packls.pack_files.os.open", deny)
    results = check_workspace(Workspace.load([pack]))
    (finding,) = [f for f in results[locked] if f.code == "metadata.unreadable"]
    assert "Permission denied" in finding.message


def test_a_file_deleted_between_discovery_and_reading_is_a_finding(tmp_path: Path) -> None:
    source = read_source(tmp_path / "actions" / "gone.yaml", tmp_path)
    assert source.read_error is not None and "No such file" in source.read_error


def test_a_pipe_where_a_manifest_should_be_does_not_hang(tmp_path: Path) -> None:
    pack = tmp_path / "piped"
    pack.mkdir()
    os.mkfifo(pack / "pack.yaml")
    code, report, stderr = validate_json(str(tmp_path), timeout=30)
    assert "Traceback" not in stderr
    assert ("pack.yaml", "metadata.unreadable") in {(Path(d["path"]).name, d["code"]) for d in report.get("diagnostics", [])}


def test_a_50000_line_file_is_checked_in_seconds(tmp_path: Path) -> None:
    pack = tmp_path / "data"
    write(pack / "pack.yaml", 'ref: data\nversion: "1.0.0"\n')
    write(pack / "runtimes/python.yaml", "ref: data.python\nname: DataPython\nversions:\n  - version: '3.12'\n")
    write(pack / "actions/newest.py", "")
    write(pack / "actions/big.yaml", big_action("data", lines=50_000))
    started = time.perf_counter()
    code, report, stderr = validate_json(str(pack), timeout=120)
    assert time.perf_counter() - started < 30 and "Traceback" not in stderr
    assert report["files"] == 3  # fully checked: its only finding is Attune's 1 MiB limit
    assert [d["code"] for d in report["diagnostics"]] == ["limits.metadata_file_too_large"]


def test_a_folder_link_loop_and_many_entries_end_the_walk(tmp_path: Path) -> None:
    pack = tmp_path / "loopy"
    write(pack / "pack.yaml", 'ref: loopy\nversion: "1.0.0"\n')
    os.symlink(pack, pack / "actions")  # the component folder is a link back to the pack
    (pack / "notes").mkdir()
    for i in range(10_050):
        (pack / "notes" / f"n{i}").touch()
    code, report, stderr = validate_json(str(tmp_path), timeout=120)
    assert "Traceback" not in stderr
    assert "limits.traversed_entries_exceeded" in {d["code"] for d in report["diagnostics"]}


def test_a_workspace_with_no_packs_is_a_clear_usage_error(tmp_path: Path) -> None:
    (tmp_path / "stray.yaml").write_text("a: 1\n")
    done = subprocess.run([sys.executable, "-m", "packls", "validate", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no pack found" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("text", [TABS, TWO_DOCUMENTS, "\x00", "\ud800: x\n", "a: \x85\u2028\u2029\n", "\ufeff\ufeffa: 1\n", "- " * 299 + "x\n"])
def test_odd_texts_go_through_every_check(tmp_path: Path, text: str) -> None:
    from packls.model import FileKind
    from packls.workspace import SourceFile

    pack = tmp_path / "odd"
    write(pack / "pack.yaml", 'ref: odd\nversion: "1.0.0"\n')
    workspace = Workspace.load([pack])
    for kind in FileKind:
        path = pack / "actions" / f"{kind.name.lower()}.yaml"
        workspace.set_source(SourceFile.from_text(path, pack, path.relative_to(pack).as_posix(), kind, text))
    results = check_workspace(workspace)
    for path, findings in results.items():
        for finding in findings:
            assert 0 <= finding.span.start <= finding.span.end <= len(workspace.source(path).text)


def test_a_config_file_too_deep_to_read_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    write(tmp_path / "p" / "pack.yaml", 'ref: pp\nversion: "1.0.0"\n')
    write(tmp_path / "packls.toml", "exclude = " + "[" * 100_000 + "]" * 100_000 + "\n")
    done = subprocess.run([sys.executable, "-m", "packls", "validate", "p"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr and "nested too deeply" in done.stdout + done.stderr
