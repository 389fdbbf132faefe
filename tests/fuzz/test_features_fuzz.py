"""Editor features on half-typed files at every kind of cursor position: no exception, spans that fit.

The language server turns a feature's exception into an empty answer and a log line, so a
crash there is invisible to a user and to the protocol tests. These tests call the features
directly — hover, completion, definition, references, outline, inlay hints, quick fixes — on
broken buffers, and require them to return normally with spans inside the right text, and
outline entries whose selection lies inside their range (clients reject anything else).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from packls.features.code_actions import quick_fixes
from packls.features.completion import complete
from packls.features.hover import hover
from packls.features.inlay_hints import inlay_hints
from packls.features.navigation import definition, references
from packls.features.session import Session, normalize
from packls.features.symbols import Symbol, document_symbols, workspace_symbols
from packls.syntax.nodes import Span
from packls.workspace import load_pack
from tests.fuzz.conftest import count, fuzz_settings
from tests.fuzz.support import CORPUS, PACKS, mutated

PACK_NAMES = ("data_tools", "version_traps", "broken_pack", "web_hooks")


@functools.lru_cache(maxsize=1)
def _session() -> tuple[Session, tuple[Path, ...]]:
    root = Path(tempfile.mkdtemp(prefix="packls-features-fuzz-"))
    atexit.register(shutil.rmtree, root, True)
    for name in PACK_NAMES:
        shutil.copytree(PACKS / name, root / name)
    aliased = root / "aliased"  # Attune's own runtime file: anchors, and block mappings that end with an alias
    (aliased / "runtimes").mkdir(parents=True)
    (aliased / "pack.yaml").write_text('ref: aliased\nversion: "1.0.0"\n')
    shutil.copy(CORPUS / "platform_catalog/runtimes/python.yaml", aliased / "runtimes/python.yaml")
    session = Session()
    for name in (*PACK_NAMES, "aliased"):
        session.add_pack(load_pack(normalize(root / name)))
    files = tuple(sorted(normalize(p) for p in root.rglob("*.yaml")))
    return session, files


def _inside(span: Span, text: str) -> bool:
    return 0 <= span.start <= span.end <= len(text)


def _check_symbols(symbols: list[Symbol], text: str) -> None:
    for symbol in symbols:
        assert _inside(symbol.span, text) and _inside(symbol.selection, text), symbol
        assert symbol.span.start <= symbol.selection.start and symbol.selection.end <= symbol.span.end, symbol
        _check_symbols(list(symbol.children), text)


@st.composite
def edited_buffers(draw: st.DrawFn) -> tuple[Path, str, list[int]]:
    session, files = _session()
    path = draw(st.sampled_from(files))
    text = draw(mutated((path.read_text(encoding="utf-8"),)))
    offsets = draw(st.lists(st.integers(0, len(text)), min_size=1, max_size=6))
    return path, text, offsets


@fuzz_settings(200)
@given(edited_buffers())
def test_features_on_broken_buffers_return_normally_with_spans_that_fit(case: tuple[Path, str, list[int]]) -> None:
    count("features")
    session, _ = _session()
    path, text, offsets = case
    original = path.read_text(encoding="utf-8")
    session.open(path, text, 1)
    try:
        document = session.documents[path]
        found = document.view()
        if found is None:
            return
        source, delta = found
        for offset in offsets:
            old = delta.to_old(offset)
            assert 0 <= old <= len(source.text)
            answer = hover(session, source, old)
            if answer is not None:
                assert _inside(answer.span, source.text) and answer.markdown.strip()
            for item in complete(session, source, delta, text, offset, snippets=True):
                assert _inside(item.replace, text), item
            for target in (*definition(session, source, old), *references(session, source, old)):
                other = session.source(target.path)
                assert other is None or _inside(target.span, other.text), target
        _check_symbols(document_symbols(source), source.text)
        for hint in inlay_hints(session, source):
            assert 0 <= hint.offset <= len(source.text)
        findings = session.findings(path)
        for fix in quick_fixes(session, source, findings):
            for edit in fix.edits:  # edits are in each file's current text (the buffer, for this one)
                other = text if edit.path == path else getattr(session.source(edit.path), "text", None)
                assert other is None or _inside(edit.span, other), edit
        workspace_symbols(session.workspace, text[:3])
    finally:
        session.open(path, original, 2)
        session.close(path)
