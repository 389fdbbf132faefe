"""`packls rule CODE`: a rule's explanation with its bad and good example, from docs/rules.md."""

from __future__ import annotations

import argparse

from packls.checks.rule_docs import rule_docs
from packls.checks.rules import RULES
from packls.cli.loading import UsageError
from packls.report.escape import json_dumps

NAME = "rule"
HELP = "explain one rule, with a bad and a good example"
DESCRIPTION = """\
Print a rule's documentation: what it finds, why it matters, one bad and one good example
(the same text as docs/rules.md, whose examples the test suite runs)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """CODE and --format."""
    parser.add_argument("code", metavar="CODE", help="a rule code such as runtime_version.not_string (`packls rules` lists them)")
    parser.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text",
                        help="text (the markdown section, default) or json")


def run(args: argparse.Namespace) -> int:
    """Print the section; an unknown code is a usage error with the closest code."""
    from packls.cli.commands.rules import rule_record
    from packls.selection import unknown_selector_message

    rule = RULES.get(args.code)
    if rule is None:
        raise UsageError(unknown_selector_message(args.code).replace(" or prefix", ""))
    doc = rule_docs().get(rule.code)
    explanation = doc.markdown if doc is not None else f"## `{rule.code}`\n\n{rule.summary}\n"
    if args.format == "json":
        print(json_dumps({**rule_record(rule), "explanation": explanation}, indent=2))
    else:
        print(explanation, end="")
    return 0
