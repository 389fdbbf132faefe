"""Output fuzzing: any byte in file names and values, and what packls prints stays inert.

Every case writes a pack whose file name, YAML values and raw source lines carry generated
text (control characters, C1, bidi controls, separators, bytes that are not UTF-8, workflow
command markers), runs `packls validate` in every format and `packls resolve` through the
real command-line entry point, and checks stdout and stderr with tests/security/inert.py:
no raw control character, no line a CI runner would take for a command. JSON and SARIF must
still parse.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from packls.cli import main
from tests.fuzz.conftest import count, fuzz_settings
from tests.security.inert import problems

MARKERS = (
    "\n", "\r", "\r\n", "::", "::error::", "::warning file=x::", "::add-mask::", "##[error]", "##vso[task.setvariable]",
    "##teamcity[", "\x1b", "\x1b]52;c;cHduZWQ=\x07", "\x1b[2J", "\x07", "\x9b", "\x9d", "\x85", "\u2028", "\u2029",
    "\u202e", "\u2066", "\ufeff", "%0A", "%25", "\t", "\x00", "\x7f", "'", '"', "\\", "`", "<b>", "[x](y)",
)
# Any code point but surrogates (YAML escapes cannot carry them), mixed with the markers above.
characters = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",))
hostile_text = st.lists(st.one_of(st.sampled_from(MARKERS), st.text(characters, max_size=3)), max_size=8).map("".join)
# A file name is bytes: anything but "/" and NUL, bytes that are not UTF-8 included.
name_bytes = st.binary(min_size=1, max_size=24).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


def yaml_double_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, every character that needs it escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def write_pack(root: Path, name: bytes, value: str, raw_line: bytes) -> None:
    quoted = yaml_double_quoted(value)
    (root / "actions").mkdir(parents=True)
    (root / "runtimes").mkdir()
    (root / "pack.yaml").write_text('ref: fz\nversion: "1.0.0"\n', encoding="utf-8")
    action = f"ref: fz.a\nrunner_type: {quoted}\nentry_point: a.py\ndescription: {quoted}\n".encode()
    with open(os.path.join(os.fsencode(root / "actions"), name + b".yaml"), "wb") as handle:
        handle.write(action)
    (root / "actions" / "raw.yaml").write_bytes(b"ref: fz.raw\nrunner_type:\n  " + raw_line + b"\nentry_point: r.py\n")
    (root / "runtimes" / "rt.yaml").write_text(
        f"ref: fz.rt\nname: {quoted}\nversions:\n  - version: {quoted}\n  - version: \"1.0\"\n    is_default: true\n",
        encoding="utf-8",
    )
    (root / "actions" / "uses.yaml").write_text("ref: fz.uses\nrunner_type: fz.rt\nentry_point: uses.py\n", encoding="utf-8")


def run(*argv: str) -> tuple[int, str, str]:
    """The real entry point in this process; stdout and stderr as a terminal or CI log would receive them."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@fuzz_settings(60)
@given(name=name_bytes, value=hostile_text, raw_line=st.one_of(hostile_text.map(lambda t: t.encode("utf-8")), st.binary(max_size=16)))
@example(name=b"\n::error::forged\x1b]52;c;eA==\x07", value="\n::error::v ##[error]x \x9b\u202e", raw_line=b"::error::line")
@example(name=b"\xff\xfe-not-utf8", value="\r::warning::cr", raw_line=b"a\x1bb\xc2\x9b")
@example(name=b".", value="", raw_line=b"")  # found by a long run: "." named a folder that exists (a test bug)
def test_no_output_format_carries_a_control_character_or_a_command(name: bytes, value: str, raw_line: bytes) -> None:
    folder = Path(tempfile.mkdtemp(prefix="packls-output-fuzz-"))
    try:
        write_pack(folder / "fz", name, value, raw_line)
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            for fmt in ("text", "github", "json", "sarif"):
                code, out, err = run("validate", "--no-config", "--format", fmt, "fz")
                assert code in (0, 1), err
                assert not problems(out, annotations=fmt == "github"), (fmt, problems(out, annotations=fmt == "github"))
                assert not problems(err), (fmt, problems(err))
                if fmt in ("json", "sarif"):
                    json.loads(out)
            for fmt in ("text", "json"):
                code, out, err = run("resolve", "--no-config", "--format", fmt, "fz")
                assert not problems(out) and not problems(err), (fmt, problems(out), problems(err))
            code, _, err = run("validate", "missing-" + os.fsdecode(name))  # a usage error naming the hostile path
            assert code == 2 and not problems(err), problems(err)
        finally:
            os.chdir(cwd)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    count("output", 7)
