"""Positions in every encoding, on any line: conversions agree with a slow reference, and every request taking one answers.

First `LineIndex` alone, on long lines of wide characters (its per-line tables step every 256
code points), against a reference that encodes the text. Then the real server, negotiated to
UTF-16 (the VS Code-like client) and UTF-8 (the Neovim-like one): every request that takes a
position gets positions on character boundaries, inside surrogate pairs and UTF-8 sequences,
past line and document ends, and outside the protocol's range. Each is answered (an error
exactly when the position is outside 0..2^31-1), and every position in an answer lies on a
character boundary of the document in the client's encoding.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types

from packls.syntax.lines import LineIndex
from tests.fuzz.conftest import count, examples, fuzz_settings
from tests.hostile import wire
from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.hostile.test_protocol_hostile import METHODS_WITH_POSITIONS
from tests.lsp.harness import Harness, copy_packs

PIECES = ["a", "key: ", "é", "中", "😀", "\ud800", "\n", "\r\n", "\r", "\u2028", " ", "𝔘" * 3, "x" * 300]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end without the break) of each line, with LSP's breaks, the slow way."""
    lines, start, i = [], 0, 0
    while i < len(text):
        if text[i] in "\r\n":
            end = i
            i += 2 if text[i] == "\r" and text[i + 1 : i + 2] == "\n" else 1
            lines.append((start, end))
            start = i
        else:
            i += 1
    lines.append((start, len(text)))
    return lines


def _units(piece: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(piece.encode("utf-8", "surrogatepass"))
    if encoding == "utf-16":
        return len(piece.encode("utf-16-le", "surrogatepass")) // 2
    return len(piece)


@fuzz_settings(300)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join), st.sampled_from(["utf-8", "utf-16", "utf-32"]), st.integers(0, 2**32))
def test_conversions_on_long_lines_agree_with_the_reference(text: str, encoding: str, seed: int) -> None:
    count("positions-long-lines")
    rng = random.Random(seed)
    index = LineIndex.of(text)
    lines = _lines(text)
    for _ in range(40):
        offset = rng.randint(0, len(text))
        line = max(n for n, (start, _) in enumerate(lines) if start <= offset)
        start, end = lines[line]
        if offset > end:  # inside a CRLF: LSP has no position there
            continue
        assert index.position(offset, encoding) == (line, _units(text[start:offset], encoding)), offset
    for _ in range(40):
        line = rng.randint(-1, len(lines))
        character = rng.choice([rng.randint(-2, 5), rng.randint(0, 2000), 2**31])
        got = index.offset(line, character, encoding)
        if line < 0:
            assert got == 0
        elif line >= len(lines):
            assert got == len(text)
        else:
            start, end = lines[line]
            want = next((i for i in range(start, end + 1) if _units(text[start:i], encoding) >= character), end)
            assert got == want, (line, character)


# --- the server ------------------------------------------------------------------------------------------------

ROUNDS = max(1, examples(2) // 100)  # PACKLS_FUZZ_EXAMPLES=5000: 50 rounds of every request per client
REQUESTS = 25

# A runnable action with wide characters on long lines, a CRLF, and findings on those lines.
TEXT = (
    'ref: data_tools.wide\r\nrunner_type: data_tools.python\nruntime_version: ">=3.11"\nentry_point: newest.py\n'
    "description: \"" + "é中😀𝔘" * 200 + "\"\n"
    "parameters: {" + ", ".join(f"k{i}😀: {{type: strng}}" for i in range(40)) + "}\n"
    "tags: [" + ", ".join("𝔘é" for _ in range(200)) + "]\n"
    "unknwon_key: 1  # 😀\n"
)


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    return [copy_packs(tmp_path / "ws", ("data_tools",))]


def _boundaries(text: str, encoding: str) -> list[set[int]]:
    """Per line, every character value that lies on a character boundary (and the line end)."""
    found = []
    for start, end in _lines(text):
        units, allowed = 0, {0}
        for char in text[start:end]:
            units += _units(char, encoding)
            allowed.add(units)
        found.append(allowed)
    return found


def _positions_in(value: Any, uri: str, here: str | None = None) -> list[types.Position]:
    """Every Position inside an answer that points into the document `uri` (ranges, locations, edits, hints, symbols)."""
    here = uri if here is None else here
    if isinstance(value, types.Position):
        return [value] if here == uri else []
    if isinstance(value, (list, tuple)):
        return [p for item in value for p in _positions_in(item, uri, here)]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _positions_in(item, uri, key if str(key).startswith("file:") else here)]
    if hasattr(value, "__attrs_attrs__"):
        target = getattr(value, "uri", None) or getattr(value, "target_uri", None)
        document = getattr(value, "text_document", None)
        target = target or getattr(document, "uri", None)
        here = target if isinstance(target, str) else here
        return [p for field in value.__attrs_attrs__ for p in _positions_in(getattr(value, field.name), uri, here)]
    return []


def _random_position(rng: random.Random, text: str, encoding: str, boundaries: list[set[int]]) -> tuple[int, int]:
    lines = _lines(text)
    roll = rng.random()
    if roll < 0.1:
        return rng.choice([(-1, 0), (0, -1), (2**31, 0), (0, 2**31), (-(2**31), 5), (2**31 - 1, 2**31 - 1)])
    if roll < 0.2:
        return rng.randint(len(lines) - 1, len(lines) + 5), rng.randint(0, 50)
    line = rng.randrange(len(lines))
    widest = max(boundaries[line])
    if roll < 0.5:  # anywhere, including inside a wide character and past the line end
        return line, rng.randint(0, widest + 10)
    return line, rng.choice(sorted(boundaries[line]))


async def test_every_request_taking_a_position_answers_with_positions_on_character_boundaries(h: Harness, folders: list[Path]) -> None:
    rng = random.Random(f"{h.name}-positions")
    doc = h.open(folders[0] / "data_tools/actions/wide.yaml", TEXT)
    await h.diagnostics(doc)
    boundaries = _boundaries(TEXT, h.encoding)
    asked = checked = 0
    for _ in range(ROUNDS):
        for _ in range(REQUESTS):
            line, character = _random_position(rng, TEXT, h.encoding, boundaries)
            valid = 0 <= line < 2**31 and 0 <= character < 2**31
            for method, params in METHODS_WITH_POSITIONS.items():
                kind, value = await wire.request(h.client, method, params({"uri": doc.uri}, {"line": line, "character": character}))
                asked += 1
                if not valid:
                    assert (kind, value) == ("error", -32602), (method, line, character)
                    continue
                assert kind == "result", (method, line, character, value)
                for position in _positions_in(value, doc.uri):
                    checked += 1
                    assert position.line < len(boundaries), (method, position)
                    assert position.character in boundaries[position.line], (method, line, character, position)
    symbols = await asyncio.wait_for(h.client.text_document_document_symbol_async(types.DocumentSymbolParams(h.ident(doc))), 60)
    for position in _positions_in(symbols, doc.uri):
        assert position.character in boundaries[position.line], position
    for diagnostic in await h.diagnostics(doc):
        for position in _positions_in(diagnostic.range, doc.uri):
            assert position.character in boundaries[position.line], (diagnostic.code, position)
    assert checked > 50, "the answers held too few positions to check"
    count("positions-server", asked)
    h.close(doc)
