"""The libyaml fast path gives exactly the ruamel path's nodes, or steps aside."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from packls.syntax import fast as F
from packls.syntax import parse as P
from packls.syntax.fast import accepts, available, compose_fast
from packls.syntax.nodes import Mapping, Scalar, Sequence

pytestmark = pytest.mark.skipif(not available(), reason="PyYAML's C extension (libyaml) is not installed")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MUTATION_CHARS = list(":-[]{}#&*!|>'\"%@`,? \n\t\r.0123456789abcxyz~\\é😀\u2028\x85")


@pytest.fixture(params=["compiled builder", "python builder"])
def each_builder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once with the C tree builder and once with the Python one (its fallback), against ruamel."""
    if request.param == "python builder":
        monkeypatch.setattr(F, "compiled_builder", lambda: None)
    return request.param


def _same(a, b, pairs: dict[int, int]) -> bool:
    if id(a) in pairs:
        return pairs[id(a)] == id(b)
    pairs[id(a)] = id(b)
    if type(a) is not type(b) or a.span != b.span:
        return False
    if isinstance(a, Scalar):
        values_equal = (isinstance(a.value, float) and math.isnan(a.value) and math.isnan(b.value)) or (
            type(a.value) is type(b.value) and a.value == b.value
        )
        return values_equal and a.text == b.text and a.style == b.style
    if a.flow != b.flow:
        return False
    if isinstance(a, Mapping):
        return len(a.pairs) == len(b.pairs) and all(
            _same(x.key, y.key, pairs) and _same(x.value, y.value, pairs) for x, y in zip(a.pairs, b.pairs)
        )
    assert isinstance(a, Sequence)
    return len(a.items) == len(b.items) and all(_same(x, y, pairs) for x, y in zip(a.items, b.items))


def agrees(text: str) -> bool | None:
    """None when the fast path refuses; else whether it matches ruamel exactly."""
    duplicates: list = []
    fast = compose_fast(text, duplicates)
    if fast is None:
        return None
    reference = P._parse_with_ruamel(text, P.ParsedYaml(text))
    if reference.problem is not None or len(fast) != len(reference.documents):
        return False
    pairs: dict[int, int] = {}
    if not all(_same(a, b, pairs) for a, b in zip(fast, reference.documents)):
        return False
    return [(d.key, d.first, d.again) for d in duplicates] == [(d.key, d.first, d.again) for d in reference.duplicates]


def _corpus() -> list[Path]:
    folders = [ROOT / "packs", ROOT / "server" / "packls" / "catalog", SHARED / "corpus"]
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*.y*ml"))


def test_every_real_pack_file_parses_identically(each_builder):
    files = _corpus()
    verdicts = [agrees(p.read_text(encoding="utf-8", errors="replace")) for p in files]
    assert False not in verdicts
    assert verdicts.count(True) >= 0.8 * len(files)  # the fast path really is the common path


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        i = rng.randint(0, len(text))
        op = rng.random()
        if op < 0.4:
            text = text[:i] + rng.choice(MUTATION_CHARS) + text[i:]
        elif op < 0.7:
            text = text[:i] + text[i + 1 :]
        elif op < 0.85:
            lines = text.split("\n")
            k = rng.randrange(len(lines))
            lines.insert(k, lines[rng.randrange(len(lines))])
            text = "\n".join(lines)
        else:
            text = text[:i] + text[rng.randint(i, min(len(text), i + 40)) :]
    return text


def test_mutated_pack_files_never_disagree():
    rng = random.Random(8)
    files = _corpus()
    for path in files:
        base = path.read_text(encoding="utf-8", errors="replace")
        for _ in range(8):
            text = _mutate(base, rng)
            assert agrees(text) is not False, text


@pytest.mark.parametrize(
    "text",
    [
        "a:\nb: 1\n",  # empty value: ruamel places it at the next key
        "a:\n\n\nb: 1\n",
        "a:\n",
        "- a:\n  b:\n",
        "x:\n  a:\n\nb: 1\n",
        "- \n- b\n",
        "a: &x 1\nb: *x\n",
        "a: &r [*r]\n",
        "a: >\n  folded\n  text\n\n  more\n",  # ruamel's round trip marks folds with BEL
        "a: |-\n  keep\n  lines\n",
        "k: [1, {a: b}, 'q', \"d\\u00e9\"]\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\na: 2\nb: {c: 1, c: 2}\n",
        "v: 0o17\nw: 0x1F\nx: .inf\ny: -.Inf\nz: .NaN\nt: True\nn: ~\ns: yes\nd: 2025-04-30\nm: <<\n",
        "a: é😀x\nb: 'ü'\n",
        'cmd: [sh, "-c", "cd {dir} && make"]\nx: a&&b\ny: "*"\n',  # `&` and `*` inside values are no anchors
        "a: &n-1_x [1, &m 2]\nb: *n-1_x\nc: {k: *m}\n",
    ],
)
def test_tricky_but_accepted_texts_match(text, each_builder):
    assert agrees(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "a:\t1\n",  # tabs
        "a: 1\rb: 2\r",  # a lone CR
        "a: 1\r\nb: 2\r",  # CRLF and a lone CR
        "a: 1\n\ufeffb: 2\n",  # a BOM after the start
        "%YAML 1.1\n---\na: 1\n",  # directive
        "a: !!str 1\n",  # explicit tag
        "? [a]\n: b\n",  # complex key
        "&ref: x\n",  # an anchor name 1.2 reads differently
        "a: &n 1\nb: *n:\n",  # an alias name 1.2 reads differently
        "a: [&n% 1]\n",
        "a: |#\n  b\n",  # comment glued to a block header
        "a: # comment\nb: 1\n",  # empty value followed by a comment
        "a: {b: , c}\n",  # empty value in a flow mapping
        "a: \u2028b\n",  # a line separator
        "a: [\n",  # broken YAML: ruamel reports it
    ],
)
def test_texts_the_fast_path_leaves_to_ruamel(text, each_builder):
    assert compose_fast(text, []) is None
    assert P.parse_yaml(text) is not None


def test_the_platform_catalog_takes_the_fast_path():
    catalog = Path(P.__file__).resolve().parent.parent / "catalog"
    refused = [p.name for p in sorted(catalog.rglob("*.yaml")) if compose_fast(p.read_text(encoding="utf-8"), []) is None]
    assert refused == []  # every server start and every validate parses the catalog


def test_windows_files_crlf_and_a_bom_take_the_fast_path_and_match_ruamel():
    files = _corpus()
    accepted = 0
    for path in files:
        base = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        for text in (base.replace("\n", "\r\n"), "\ufeff" + base, "\ufeff" + base.replace("\n", "\r\n")):
            verdict = agrees(text)
            assert verdict is not False, (path, text)
            accepted += verdict is True
    assert accepted >= 0.8 * 3 * len(files)
    rng = random.Random(11)
    for path in files[:: max(1, len(files) // 60)]:
        base = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        for _ in range(4):
            text = _mutate(base, rng).replace("\r\n", "\n").replace("\n", "\r\n")
            assert agrees(text) is not False, text


@pytest.mark.parametrize(
    "text",
    ["a: |\r\n  one\r\n  two\r\n\r\nb: >\r\n  x\r\n  y\r\n", "a:\r\n\r\nb: 1\r\n", "k: 'x\r\n  y'\r\nd: \"p\r\n\r\n  q\"\r\n",
     "\ufeffa: &x [1, 2]\r\nb: *x\r\nc: 1\r\nc: 2\r\n", "- a\r\n- \r\n- b:\r\n    c\r\n"],
)
def test_crlf_block_and_quoted_scalars_match_ruamel(text, each_builder):
    assert agrees(text) is True


def test_folded_scalars_have_no_bel_characters_on_either_path():
    text = "a: >\n  one\n  two\n"
    fast = P.parse_yaml(text).root_mapping.value("a")
    slow = P._parse_with_ruamel(text, P.ParsedYaml(text)).root_mapping.value("a")
    assert fast.value == slow.value == "one two\n"


def test_the_precheck_is_cheap_on_big_ordinary_texts(each_builder):
    text = "".join(f"p_{i}:\n  type: string\n  description: Parameter {i}\n" for i in range(5000))
    assert accepts(text)
    assert agrees(text) is True


def test_plain_scalars_are_typed_exactly_as_ruamel_types_them(each_builder):
    words = ["1", "-1", "+1", "0777", "0o17", "0x1F", "0b1", "1_000", "1.5", "1.", ".5", "-.5", "1e3", "1.0e+3",
             ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "true", "True", "TRUE", "tRue", "false", "yes", "no", "on",
             "off", "~", "null", "Null", "NULL", "nULL", "2025-04-30", "12:30", "1:2:3", "<<", "=", "3.12", "v3.12",
             "-", "-a", ".", "..", "0.", "+", "+.5", "08", "09.5", "0x", "0o", "1__0", "_1", "Nan", "nan", "n", "t",
             "f", "F", "T", "N", "~~", "python3", "p_export_2", "string", "=3.12", ">=3.12"]
    for word in words:
        text = f"k: {word}\n"
        assert agrees(text) in (True, None), word
        assert agrees(f"- {word}\n- [{word}]\n") in (True, None), word


def test_the_non_printable_set_is_ruamels_with_tab_and_cr_for_every_code_point() -> None:
    """The fast path sends to ruamel exactly what ruamel's reader rejects, plus tab and CR (refused for their own reasons)."""
    import re

    from ruamel.yaml.reader import Reader

    from packls.syntax import fast

    every = "".join(map(chr, range(0x110000)))
    theirs = [m.start() for m in Reader.NON_PRINTABLE.finditer(every)]
    assert [m.start() for m in fast._NON_PRINTABLE.finditer(every)] == sorted(theirs + [ord("\t"), ord("\r")])
    assert re.search(fast._NON_PRINTABLE, "plain text: \u00e9\U0001F600\n") is None


def _accepted_by_the_patterns(text: str) -> bool:
    """The pre-check as its patterns define it, without the shortcuts `accepts` takes to skip most scans."""
    refused = (F._REFUSE_CHARS.search(text) or (not text.isascii() and F._NON_PRINTABLE.search(text))
               or F._DIRECTIVE.search(text) or F._TAG_START.search(text) or F._COMPLEX_KEY.search(text)
               or F._NESTED_ENTRIES.search(text) or F._DEEP_INDENT in text or F._HEADER_COMMENT.search(text))
    return not refused


def test_the_precheck_shortcuts_agree_with_its_patterns():
    rng = random.Random(5)
    texts = ["a: |#\n", "a: >-#\n", "a:\tb\n", "a: b\r\n", "a: \u2028\n", "k: é\x85\n", "#!x\n", "a: 1 # |\n"]
    for path in _corpus():
        base = path.read_text(encoding="utf-8", errors="replace")
        texts += [base] + [_mutate(base, rng) for _ in range(3)]
    assert [accepts(t) for t in texts] == [_accepted_by_the_patterns(t) for t in texts]
