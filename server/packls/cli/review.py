"""`packls resolve --since/--base/--assume-…`: what a change (or a what-if) does to version selection (packls.review)."""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

from packls.cli.loading import UsageError
from packls.config import Config
from packls.workspace import Workspace


def add_review_options(command: argparse.ArgumentParser) -> None:
    """The comparison options of `resolve`."""
    group = command.add_argument_group("comparing selections")
    other = group.add_mutually_exclusive_group()
    other.add_argument("--since", metavar="REV", default=None, help="compare with the same paths at this git revision")
    other.add_argument("--base", metavar="DIR", type=Path, default=None,
                       help="compare with another checkout of the current folder (no git needed)")
    for available in (False, True):
        group.add_argument(
            f"--assume-{'available' if available else 'unavailable'}", metavar="RUNTIME@VERSION", action="append",
            dest="assumptions", default=[], type=functools.partial(_assumption, available=available),
            help=f"what if this declared version were {'available' if available else 'unavailable'} (repeatable; nothing is written)",
        )
    group.add_argument("--fail-on-change", action="store_true", help="exit 1 when any selection changed")
    group.add_argument("--fail-on-unsatisfied", action="store_true",
                       help="exit 1 when a component that selected a version selects none now")


def _assumption(text: str, available: bool) -> object:
    """argparse type: RUNTIME@VERSION."""
    from packls.review import parse_assumption

    try:
        return parse_assumption(text, available)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_review(args: argparse.Namespace, config: Config, workspace: Workspace, only: set[Path] | None, envs_dir: str) -> int | None:
    """The comparison, its report and its gates; None when no comparison was asked for."""
    from packls import review
    from packls.git_revision import RevisionError

    request = review.Request(args.paths, args.since, args.base, tuple(args.assumptions), envs_dir)
    if not request.compares:
        if args.format == "markdown" or args.fail_on_change or args.fail_on_unsatisfied:
            raise UsageError("--format markdown and --fail-on-change/--fail-on-unsatisfied need a comparison: "
                             "--since REV, --base DIR or --assume-(un)available RUNTIME@VERSION")
        return None
    try:
        diff, compared = review.review(request, workspace, only, config)
    except (review.ReviewError, RevisionError) as error:
        raise UsageError(str(error)) from None
    print(review.render(diff, compared, args.format))
    return review.exit_code(diff, args.fail_on_change, args.fail_on_unsatisfied)
