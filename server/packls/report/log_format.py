"""The language server's log lines, escaped like every other output (logging loads only where something logs)."""

from __future__ import annotations

import logging
from typing import Any

from packls.report.escape import output_line, output_lines


class EscapingFormatter(logging.Formatter):
    """Log records made safe like every other output: a logged path or pack value cannot act on a terminal or CI log."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return output_line(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        return output_lines(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return output_lines(super().formatStack(stack_info))
