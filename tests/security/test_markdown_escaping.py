"""Hover and completion Markdown shows a pack's values literally: no live links, no HTML, no broken-out code spans.

Each hover is rendered by a real CommonMark renderer (markdown-it, with GFM tables); the HTML
must hold no element a pack value asked for, and no URL outside a code span (where GFM
would turn it into a link).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from packls.features.completion import complete
from packls.features.hover import hover
from packls.features.offsets import TextDelta
from packls.features.session import Session, normalize
from packls.workspace import load_pack
from tests.packbuilder import write_pack

LINK = "[click](https://evil.example/steal)"
HTML = "<img src=x onerror=alert(1)>"
BREAKOUT = "`</code><a href='https://evil.example'>x</a>"

FILES = {
    "runtimes/rt.yaml": f"""\
        ref: demo.rt
        name: "{LINK} {HTML}"
        aliases: ["<script>alert(1)</script>", "www.evil.example"]
        versions:
          - version: "1.0"
            is_default: true
          - version: "2 {BREAKOUT}"
        """,
    "actions/a.yaml": f"""\
        ref: demo.a
        runner_type: demo.rt
        runtime_version: ">=1 {BREAKOUT} https://evil.example"
        entry_point: a.py
        """,
    "actions/a.py": "",
    "triggers/t.yaml": f"""\
        ref: demo.t
        label: "{HTML}"
        description: "{LINK} mail me: victim@evil.example"
        """,
    "rules/r.yaml": "ref: demo.r\ntrigger_ref: demo.t\naction_ref: demo.a\n",
}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    root = normalize(write_pack(tmp_path / "demo", FILES))
    result = Session()
    result.add_pack(load_pack(root))
    result.root = root  # type: ignore[attr-defined]
    return result


def rendered_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def linkable_texts(markdown: str) -> list[str]:
    """The plain text runs a linkifier sees: not code spans, and broken at every backslash escape (markdown-it's own rule)."""
    parser = MarkdownIt("commonmark").enable("table").disable("text_join")
    return [child.content for token in parser.parse(markdown) for child in token.children or () if child.type == "text"]


def assert_literal(markdown: str) -> None:
    """No element from a pack value in the rendered HTML, and no bare URL or address a GFM renderer would link."""
    html = rendered_html(markdown)
    assert not re.search(r"<(?!/?(?:p|strong|em|code|table|thead|tbody|tr|th|td|ul|li|br)\b)[a-z]", html), html
    for text in linkable_texts(markdown):
        assert not re.search(r"://|www\.|@", text, re.IGNORECASE), text


@pytest.mark.parametrize(
    "relative, needle, delta",
    [
        ("actions/a.yaml", "runtime_version:", len("runtime_version: ") + 2),  # the constraint and its verdict table
        ("actions/a.yaml", "runner_type:", len("runner_type: ") + 2),  # the runtime's name and aliases
        ("runtimes/rt.yaml", '"2 ', 2),  # a version entry
        ("runtimes/rt.yaml", "demo.rt", 2),  # the runtime's users
        ("rules/r.yaml", "demo.t", 2),  # a ref: the trigger's label and description
    ],
)
def test_hover_shows_pack_values_literally(session: Session, relative: str, needle: str, delta: int) -> None:
    path = session.root / relative  # type: ignore[attr-defined]
    source = session.source(path)
    assert source is not None
    found = hover(session, source, source.text.index(needle) + delta)

    assert found is not None
    assert_literal(found.markdown)


def test_the_hover_still_reads_naturally(session: Session) -> None:
    path = session.root / "rules/r.yaml"  # type: ignore[attr-defined]
    source = session.source(path)
    assert source is not None
    found = hover(session, source, source.text.index("demo.t") + 2)

    assert found is not None
    text = MarkdownIt("commonmark").render(found.markdown)
    assert "[click](https://evil.example/steal)" in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_completion_documentation_from_a_pack_is_plain_text(session: Session) -> None:
    path = session.root / "rules/r.yaml"  # type: ignore[attr-defined]
    source = session.source(path)
    assert source is not None
    offset = source.text.index("demo.t") + len("demo.t")
    items = complete(session, source, TextDelta.between(source.text, source.text), source.text, offset, True)

    described = [item for item in items if item.documentation and "evil" in item.documentation]
    assert described and not any(item.markdown for item in described)
