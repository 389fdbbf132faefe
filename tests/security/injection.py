"""Text that a terminal or CI runner would act on, planted everywhere a repository controls what packls prints."""

from __future__ import annotations

from pathlib import Path

# A forged annotation after a newline, a clipboard write (OSC 52), a screen clear, a CR that
# rewrites the line, an Azure/GitHub v1 command, C1 CSI and a right-to-left override.
FORGED = "\n::error file=README.md::forged\x1b]52;c;cHduZWQ=\x07\x1b[2J\r::warning::cr ##[error]v1 \x9b31m \u202e"
# The same, in YAML double-quoted escapes (YAML knows \e, \a, \r, \x.. and \u....).
FORGED_YAML = r'"\n::error file=README.md::forged\e]52;c;cHduZWQ=\a\e[2J\r::warning::cr ##[error]v1 \x9b31m \u202e"'
# A file name can hold every byte but "/" and NUL.
FORGED_NAME = "x" + FORGED + ".yaml"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def injection_pack(root: Path) -> Path:
    """A pack whose file names, values and source lines carry `FORGED`; every file gets at least one finding."""
    write(root / "pack.yaml", 'ref: forge\nversion: "1.0.0"\n')
    actions = root / "actions"
    # a value quoted in a message
    write(actions / "value.yaml", f"ref: forge.value\nrunner_type: {FORGED_YAML}\nentry_point: value.py\n")
    # a file name (the entry point is missing, so the file gets a finding)
    write(actions / FORGED_NAME, "ref: forge.named\nrunner_type: python\nentry_point: missing.py\n")
    # a source line that starts with `::` under a finding, and one with raw control characters
    write(actions / "line.yaml", "ref: forge.line\nrunner_type:\n  ::error::forged-by-source-line\nentry_point: line.py\n")
    write(actions / "raw.yaml", "ref: forge.raw\ndescription: a\x1b]52;c;cHduZWQ=\x07b\x9b ##[error]x\n")
    # a runtime whose version, name and ref are printed by `resolve`
    write(
        root / "runtimes" / "rt.yaml",
        f"ref: forge.rt\nname: {FORGED_YAML}\nversions:\n  - version: \"::error::forged-version\"\n"
        f"  - version: {FORGED_YAML}\n  - version: \"1.0\"\n    is_default: true\n",
    )
    write(actions / "uses.yaml", 'ref: forge.uses\nrunner_type: forge.rt\nruntime_version: ">=1"\nentry_point: uses.py\n')
    for name in ("value", "line", "uses"):
        write(actions / f"{name}.py", "")
    return root
