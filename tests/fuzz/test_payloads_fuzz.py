"""Index and workers payloads from a server nobody controls: accepted, or refused with the parser's own error.

Found by these tests and fixed: `[[[[…` (a RecursionError) and an integer of millions of digits
(a ValueError) escaped both parsers and crashed `packls sync` with a traceback.
"""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from packls.registry.index_format import IndexFormatError, parse_index
from packls.registry.workers import WorkersFormatError, parse_workers
from tests.fuzz.conftest import count, fuzz_settings
from tests.registry.support import standard_index

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def mangled_indexes(draw: st.DrawFn) -> bytes:
    """A real index with one value swapped, a key added or dropped, or its bytes cut or flipped."""
    document = standard_index()
    kind = draw(st.integers(0, 3))
    if kind == 0:
        raw = json.dumps(document).encode()
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(max_size=4)) + raw[at + draw(st.integers(0, 4)) :]
    target = document
    path = draw(st.lists(st.integers(0, 5), max_size=3))
    for step in path:
        if isinstance(target, dict) and target:
            key = sorted(target)[step % len(target)]
            if not isinstance(target[key], (dict, list)):
                break
            target = target[key]
        elif isinstance(target, list) and target:
            if not isinstance(target[step % len(target)], (dict, list)):
                break
            target = target[step % len(target)]
    if isinstance(target, dict) and target:
        key = sorted(target)[draw(st.integers(0, len(target) - 1))]
        if kind == 1:
            target[key] = draw(json_values)
        elif kind == 2:
            del target[key]
        else:
            target[draw(st.text(max_size=8))] = draw(json_values)
    elif isinstance(target, list):
        target.append(draw(json_values))
    return json.dumps(document).encode()


@fuzz_settings(300)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()), mangled_indexes()))
@example(b"[" * 5000)
@example(b"9" * 5000)
def test_index_payloads_are_accepted_or_refused_with_their_own_error(raw: bytes) -> None:
    count("sync-payloads")
    try:
        parse_index(raw)
    except IndexFormatError as error:
        assert str(error).strip()


@fuzz_settings(200)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()), json_values.map(lambda v: json.dumps({"data": [v]}).encode())))
@example(b'{"data": ' * 5000)
@example(b"-" + b"1" * 5000)
def test_workers_payloads_are_accepted_or_refused_with_their_own_error(raw: bytes) -> None:
    count("sync-payloads")
    try:
        parse_workers(raw)
    except WorkersFormatError as error:
        assert str(error).strip()
