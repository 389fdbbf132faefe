"""`packls rules`: every rule with its default severity, whether --fix can fix it, and whose code it is."""

from __future__ import annotations

import argparse
from typing import Any

from packls.checks.rules import RULES, Rule
from packls.report.escape import json_dumps

NAME = "rules"
HELP = "list every rule (code, default severity, fixable, origin)"
DESCRIPTION = """\
List every rule: its code, default severity, whether --fix can fix it, and whether the code is
Attune's own `attune pack check` diagnostic or one of packls's own checks."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--format."""
    parser.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text",
                        help="text (a table, default) or json")


def rule_record(rule: Rule) -> dict[str, Any]:
    """One rule as JSON data (also used by `packls rule --format json`)."""
    return {
        "code": rule.code,
        "severity": rule.severity.label,
        "fixable": rule.fixable,
        "origin": "attune" if rule.attune else "packls",
        "summary": rule.summary,
    }


def run(args: argparse.Namespace) -> int:
    """Print the table or the JSON list."""
    rules = sorted(RULES.values(), key=lambda r: r.code)
    if args.format == "json":
        print(json_dumps([rule_record(rule) for rule in rules], indent=2))
        return 0
    width = max(len(rule.code) for rule in rules)
    print(f"{'code':<{width}}  {'severity':<11}  fix  origin  summary")
    for rule in rules:
        fix = "yes" if rule.fixable else "-"
        origin = "attune" if rule.attune else "packls"
        print(f"{rule.code:<{width}}  {rule.severity.label:<11}  {fix:<3}  {origin:<6}  {rule.summary}")
    return 0
