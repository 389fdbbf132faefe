"""The LSP framing reader under any byte stream: it never raises, never buffers without bound, and finds every good frame.

First the reader alone (`packls.lsp.framing.FrameReader`): streams mixing well-formed frames
with every malformation a broken client has been seen to send, cut into random chunks. Then
the real server over stdio: requests inside broken frames, good requests after them, all
answered.
"""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types

from packls.lsp.framing import MAX_HEADER, Frame, FrameReader, Malformed
from tests.fuzz.conftest import count, examples, fuzz_settings
from tests.hostile import wire
from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.lsp.harness import Harness, copy_packs

MAX_BODY = 4096  # a small limit, so that "too big" is reached in the fuzzer too

# Malformed pieces that end where they end: none of them announces more than it holds.
BROKEN: dict[str, object] = {
    "word": lambda b: b"Content-Length: abc\r\n\r\n" + b,
    "negative": lambda b: b"Content-Length: -%d\r\n\r\n" % len(b) + b,
    "sign": lambda b: b"Content-Length: +%d\r\n\r\n" % len(b) + b,
    "short": lambda b: b"Content-Length: %d\r\n\r\n" % max(0, len(b) - 5) + b,
    "too big": lambda b: b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1) + b,
    "enormous": lambda b: b"Content-Length: 100000000000000000000\r\n\r\n" + b,
    "no length": lambda b: b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + b,
    "two lengths": lambda b: b"Content-Length: %d\r\ncontent-length: 1\r\n\r\n" % len(b) + b,
    "not a header": lambda b: b"{\"jsonrpc\": \"2.0\"}\r\n\r\n" + b,
    "garbage": lambda b: b"\x00\xff\x1b[2J" + b,
    "long header": lambda b: b"X-A: " + b"a" * (MAX_HEADER + 10) + b"\r\n\r\n" + b,
    "empty body": lambda b: b"Content-Length: 0\r\n\r\n",
}
GOOD: dict[str, object] = {
    "crlf": lambda b: wire.frame(b),
    "lf only": lambda b: b"Content-Length: %d\n\n" % len(b) + b,
    "with content type": lambda b: b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" % len(b) + b,
    "blank lines before": lambda b: b"\r\n\r\n" + wire.frame(b),
    "odd spacing": lambda b: b"content-length:%d  \r\n\r\n" % len(b) + b,
}

texts = st.lists(st.sampled_from(list("ab :{}[]\"\\é😀\u2028") + ["Content-Length: 12", "\r\n\r\n", "\n"]), max_size=40).map("".join)
bodies = st.builds(lambda t, n: json.dumps({"jsonrpc": "2.0", "method": "x", "params": {"t": t, "n": n}}, ensure_ascii=False).encode(),
                   texts, st.integers(-10, 10**6))
pieces = st.lists(st.tuples(st.booleans(), st.sampled_from(sorted(BROKEN)), st.sampled_from(sorted(GOOD)), bodies), min_size=1, max_size=12)


def _stream(plan: list[tuple[bool, str, str, bytes]]) -> tuple[bytes, list[bytes]]:
    data, wanted = b"", []
    for good, broken_kind, good_kind, payload in plan:
        if good:
            data += GOOD[good_kind](payload)  # type: ignore[operator]
            wanted.append(payload)
        else:
            data += BROKEN[broken_kind](payload)  # type: ignore[operator]
    return data, wanted


def _read(data: bytes, cuts: list[int]) -> tuple[list[Frame | Malformed], int]:
    reader = FrameReader(max_body=MAX_BODY)
    out: list[Frame | Malformed] = []
    most = 0
    edges = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    for start, end in zip(edges, edges[1:]):
        out += reader.feed(data[start:end])
        most = max(most, len(reader._buffer))
    out += reader.end()
    return out, most


def _is_subsequence(wanted: list[bytes], got: list[bytes]) -> bool:
    found = iter(got)
    return all(any(item == candidate for candidate in found) for item in wanted)


@fuzz_settings(400)
@given(pieces, st.lists(st.integers(0, 10**6), max_size=30))
def test_every_good_frame_survives_any_mix_of_broken_ones_and_any_chunking(plan: list[tuple[bool, str, str, bytes]], cuts: list[int]) -> None:
    count("lsp-framing")
    data, wanted = _stream(plan)
    out, most = _read(data, cuts)
    whole, _ = _read(data, [])
    frames = [item.body for item in out if isinstance(item, Frame)]
    assert frames == [item.body for item in whole if isinstance(item, Frame)]  # chunking changes nothing
    assert sum(i.dropped for i in out if isinstance(i, Malformed)) == sum(i.dropped for i in whole if isinstance(i, Malformed))
    assert _is_subsequence(wanted, frames), (plan, frames)
    assert most <= MAX_BODY + MAX_HEADER + len(data) // max(1, len(cuts)) + 64 or most <= len(data)
    if all(good for good, *_ in plan):
        assert frames == wanted and not [i for i in out if isinstance(i, Malformed)]


@fuzz_settings(300)
@given(st.binary(max_size=3000), st.lists(st.integers(0, 3000), max_size=20))
def test_random_bytes_never_raise_and_never_outgrow_a_header_and_a_body(data: bytes, cuts: list[int]) -> None:
    count("lsp-framing")
    reader = FrameReader(max_body=MAX_BODY)
    edges = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    for start, end in zip(edges, edges[1:]):
        for item in reader.feed(data[start:end]):
            assert isinstance(item, (Frame, Malformed))
            if isinstance(item, Frame):
                assert len(item.body) <= MAX_BODY
        assert len(reader._buffer) <= MAX_BODY + MAX_HEADER + (end - start) + 2
    reader.end()


def test_a_stream_of_enormous_announcements_is_read_in_constant_memory() -> None:
    reader = FrameReader()
    for _ in range(2000):
        reader.feed(b"Content-Length: 99999999999999999\r\n\r\n" + b"x" * 4000)
        assert len(reader._buffer) < 10_000
    count("lsp-framing", 2000)


# --- the server, over stdio ----------------------------------------------------------------------------------

ROUNDS = max(8, examples(3) // 10)  # PACKLS_FUZZ_EXAMPLES=5000: 500 rounds per client


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    return [copy_packs(tmp_path / "ws", ("data_tools",))]


async def test_the_server_answers_every_request_through_a_random_mix_of_broken_frames(h: Harness, folders: list[Path]) -> None:
    rng = random.Random(f"{h.name}-framing")
    path = folders[0] / "data_tools/actions/newest.yaml"
    doc = h.open(path)
    at = h.at(doc, '">=3.11', 1)
    params = {"textDocument": {"uri": doc.uri}, "position": {"line": at.line, "character": at.character}}
    cases = 0
    for _ in range(ROUNDS):
        pending: list[tuple[str, asyncio.Future[object]]] = []
        data = b""
        for _ in range(rng.randint(1, 6)):
            msg_id = wire.fresh_id()
            payload = wire.body(types.TEXT_DOCUMENT_HOVER, params, msg_id)
            if rng.random() < 0.5:
                data += GOOD[rng.choice(sorted(GOOD))](payload)  # type: ignore[operator]
                pending.append(("result", wire.expect(h.client, msg_id)))
            else:
                kind = rng.choice(sorted(k for k in BROKEN if k not in ("too big", "empty body")))
                data += BROKEN[kind](payload)  # type: ignore[operator]
                pending.append((kind, wire.expect(h.client, msg_id)))
        cut = sorted(rng.sample(range(len(data)), k=min(len(data), rng.randint(0, 8))))
        for start, end in zip([0, *cut], [*cut, len(data)]):
            wire.send(h.client, data[start:end])
            if rng.random() < 0.3:
                await asyncio.sleep(0.01)
        for kind, future in pending:
            try:
                outcome, value = await wire.answer(future)
            except AssertionError:
                raise AssertionError(f"a request in a frame of kind {kind!r} was never answered: {data!r}") from None
            if kind == "result":
                assert outcome == "result" and value is not None, f"a good frame was answered with {outcome} {value} ({getattr(wire.answer, 'last_error', '')}): {data!r}"
            cases += 1
    count("lsp-framing-server", cases)
    hover = await asyncio.wait_for(h.client.text_document_hover_async(types.HoverParams(h.ident(doc), at)), wire.ANSWER_SECONDS)
    assert hover is not None
    h.close(doc)
