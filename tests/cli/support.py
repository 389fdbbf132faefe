"""What the command-line tests share: running `packls` in-process and capturing what it printed."""

from __future__ import annotations

from packls.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """Exit code, stdout and stderr of `packls ARGS` (argparse's own exits included)."""
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
