"""Any single file up to the 16 MiB read limit is answered within 10 s of CPU and 1 GB of memory, CLI and server.

Where a file is over one of packls' limits it gets one clear finding saying so, not a million
findings, an hour of work or gigabytes of memory.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from tests.hostile import wire
from tests.hostile.budgets import CPU_SECONDS, HEAD, PEAK_MB, SHAPES, hostile_file, one_file_pack, validate_measured
from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.lsp.harness import Doc, Harness, copy_packs, wait_for

# What each shape reports: the limit it hits (and Attune's own 1 MiB limit, always).
EXPECTED = {
    "a million duplicate keys": "limits.too_many_values",
    "parameters described at length": None,  # under every packls limit: checked in full
    "the same, with CRLF line ends": None,
    "a tab, so the slow reader": "limits.too_many_values",
    "one line of repeated keys": "limits.too_many_values",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_validate_answers_a_16_mib_file_within_budget(tmp_path: Path, shape: str) -> None:
    one_file_pack(tmp_path / "pack", hostile_file(shape))
    run = validate_measured(tmp_path / "pack")
    assert run.cpu_seconds <= CPU_SECONDS, f"{shape}: {run.cpu_seconds:.1f} s of CPU"
    assert run.peak_mb <= PEAK_MB, f"{shape}: {run.peak_mb:.0f} MB"
    assert "limits.metadata_file_too_large" in run.codes
    if EXPECTED[shape] is not None:
        assert run.codes.count(EXPECTED[shape]) == 1
        assert len(run.codes) <= 3, run.codes[:10]  # the limit, Attune's size limit, and nothing more to wade through


def test_a_long_line_with_thousands_of_findings_is_capped_with_one_summary(tmp_path: Path) -> None:
    text = HEAD + "parameters: {" + ", ".join(["a: 1"] * 30_000) + "}\n"  # 180 KB on one line: 60,000 findings
    one_file_pack(tmp_path / "pack", text)
    run = validate_measured(tmp_path / "pack")
    assert run.cpu_seconds <= CPU_SECONDS
    assert run.codes.count("limits.too_many_findings") == 1
    assert max(run.codes.count(code) for code in set(run.codes)) <= 100  # at most 100 of each rule, so nothing else is crowded out
    assert len(run.codes) <= 1001


# -- the language server ----------------------------------------------------------------------------------


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    return [copy_packs(tmp_path / "ws", ("data_tools",))]


async def checked(h: Harness, doc: Doc, timeout: float = 120) -> list[types.Diagnostic]:
    """The buffer's diagnostics once the server has checked it (pulled until non-empty, or pushed for its version)."""
    if not h.pull:
        await wait_for(lambda: h.client.published_versions.get(doc.uri) == doc.version, "diagnostics", timeout=timeout)  # type: ignore[attr-defined]
        return list(h.client.diagnostics[doc.uri])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = await h.diagnostics(doc)
        if found or loop.time() > deadline:
            return found
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("shape", ["parameters described at length", "a million duplicate keys"])
async def test_the_server_answers_a_16_mib_buffer_within_budget(h: Harness, folders: list[Path], shape: str) -> None:
    pid = wire.server_pid(h.client)
    small = h.open(folders[0] / "data_tools/actions/newest.yaml")
    await h.diagnostics(small)
    cpu = wire.cpu_seconds(pid)
    big = h.open(folders[0] / "data_tools/actions/big.yaml", hostile_file(shape).replace("hostile.big", "data_tools.big"))
    found = await checked(h, big)
    assert "limits.metadata_file_too_large" in h.codes(found)
    used = wire.cpu_seconds(pid) - cpu
    assert used <= CPU_SECONDS, f"{used:.1f} s of CPU for a 16 MiB buffer"
    assert wire.peak_rss_mb(pid) <= PEAK_MB
    hover = await asyncio.wait_for(
        h.client.text_document_hover_async(types.HoverParams(h.ident(small), h.at(small, '">=3.11', 1))), wire.ANSWER_SECONDS
    )
    assert hover is not None
    h.close(big)


async def test_a_buffer_over_16_mib_is_not_read_and_costs_little(h: Harness, folders: list[Path]) -> None:
    pid = wire.server_pid(h.client)
    text = hostile_file("parameters described at length") + "# " + "x" * (2 << 20) + "\n"  # 18 MB
    big = h.open(folders[0] / "data_tools/actions/huge.yaml", text)
    found = await checked(h, big)
    assert h.codes(found) == ["metadata.unreadable"]
    assert wire.peak_rss_mb(pid) <= PEAK_MB
    h.close(big)


async def test_a_long_line_of_findings_does_not_slow_features_in_another_file(h: Harness, folders: list[Path]) -> None:
    root = folders[0]
    small = h.open(root / "data_tools/actions/newest.yaml")
    await h.diagnostics(small)
    text = HEAD.replace("hostile.big", "data_tools.long") + "parameters: {" + ", ".join(["a: 1"] * 12_000) + "}\n"  # 62 KiB line
    long = h.open(root / "data_tools/actions/long.yaml", text)
    loop = asyncio.get_running_loop()
    for delay in (0.5, 1.5, 3.0):  # while the long file is checked and its findings converted
        await asyncio.sleep(delay)
        started = loop.time()
        hover = await asyncio.wait_for(
            h.client.text_document_hover_async(types.HoverParams(h.ident(small), h.at(small, '">=3.11', 1))), wire.ANSWER_SECONDS
        )
        assert hover is not None
        assert loop.time() - started < 5.0, f"a hover waited {loop.time() - started:.1f} s for another file"
    found = await checked(h, long)
    assert h.codes(found).count("limits.too_many_findings") == 1
    h.close(long)
    h.close(small)


async def test_document_symbols_of_a_100000_item_flow_line_are_answered_quickly(h: Harness, folders: list[Path]) -> None:
    pid = wire.server_pid(h.client)
    text = HEAD.replace("hostile.big", "data_tools.flow") + "tags: [" + ", ".join(f"t{i}" for i in range(100_000)) + "]\n"
    doc = h.open(folders[0] / "data_tools/actions/flow.yaml", text)
    await checked(h, doc)
    cpu = wire.cpu_seconds(pid)
    symbols = await asyncio.wait_for(h.client.text_document_document_symbol_async(types.DocumentSymbolParams(h.ident(doc))), 60)
    assert symbols and symbols[0].children
    assert wire.cpu_seconds(pid) - cpu < 3.0
    h.close(doc)
