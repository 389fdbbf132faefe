"""PyYAML imports without compiling its reader's huge character class, and nothing reads differently."""

from __future__ import annotations

import re
import subprocess
import sys

from packls.syntax.pyyaml_reader import READER_PATTERN, SAME_CHARACTERS


def test_the_listed_class_matches_exactly_the_characters_pyyaml_refuses() -> None:
    negated, listed = re.compile(READER_PATTERN), re.compile(SAME_CHARACTERS)
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert [m.start() for m in negated.finditer(every)] == [m.start() for m in listed.finditer(every)]


def test_the_pattern_is_the_one_pyyaml_s_reader_compiles() -> None:
    import ast

    import yaml.reader

    tree = ast.parse(open(yaml.reader.__file__, encoding="utf-8").read())
    compiled = [node.value.args[0].value for node in ast.walk(tree)
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "NON_PRINTABLE"]
    assert compiled == [READER_PATTERN]


def test_importing_the_fast_path_hands_pyyaml_the_cheap_pattern() -> None:
    probe = "import packls.syntax.fast, yaml.reader; print(yaml.reader.Reader.NON_PRINTABLE.pattern == packls.syntax.pyyaml_reader.SAME_CHARACTERS)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr
