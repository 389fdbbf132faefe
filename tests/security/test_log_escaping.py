"""The language server's log (stderr or --log-file) is output too: logged paths and values stay inert."""

from __future__ import annotations

import logging
from pathlib import Path

from packls.lsp.server import configure_logging
from tests.security.inert import assert_inert
from tests.security.injection import FORGED, FORGED_NAME


def test_logged_paths_messages_and_tracebacks_carry_no_control_character_or_command(tmp_path: Path) -> None:
    log_file = tmp_path / "server.log"
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(str(log_file), 2)
        log = logging.getLogger("packls.lsp")
        log.warning("could not read %s", tmp_path / FORGED_NAME)
        try:
            raise ValueError(FORGED)
        except ValueError:
            log.exception("check failed for %r", FORGED)
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:], level = saved
        root.setLevel(level)
    text = log_file.read_bytes()
    assert b"could not read" in text and b"ValueError" in text and b"\\x1b]52" in text  # the payload was logged, visibly
    assert_inert(text)
