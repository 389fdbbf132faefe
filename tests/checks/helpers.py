"""Build small packs on disk and run packls over them exactly as `packls validate` does."""

from __future__ import annotations

from pathlib import Path

from packls.cli import validate
from packls.config import load_config
from packls.findings import Finding

BASE_MANIFEST = 'ref: demo\nversion: "1.0.0"\n'


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write files below root; `../x/...` paths land beside the demo pack."""
    for relative, content in files.items():
        path = (root / relative).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_pack(tmp_path: Path, files: dict[str, str | bytes], *, manifest: bool = True) -> Path:
    """A pack `demo` under tmp_path (pack.yaml added unless given); returns the pack root."""
    root = tmp_path / "demo"
    root.mkdir(parents=True, exist_ok=True)
    if manifest and "pack.yaml" not in files:
        (root / "pack.yaml").write_text(BASE_MANIFEST, encoding="utf-8")
    write_files(root, files)
    return root


def run(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> list[Finding]:
    """Validate everything under tmp_path (config included, as the CLI does)."""
    if files is not None:
        make_pack(tmp_path, files)
    config, problems = load_config(tmp_path)
    findings, _, _ = validate([tmp_path], config, problems)
    return findings


def codes(findings: list[Finding]) -> list[str]:
    """The codes of findings, in order."""
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> list[Finding]:
    """Findings with one code."""
    return [f for f in findings if f.code == code]
