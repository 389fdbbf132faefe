"""No cascades, live: a file that stops parsing gives its dependents one finding naming it, and fixing it clears that."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.harness import Harness

pytestmark = pytest.mark.asyncio(loop_scope="module")

BROKEN = "reference.broken_target"
CASCADE = {"runner_type.unknown", "reference.missing_local_target"}


def messages(diagnostics: list[types.Diagnostic], code: str) -> list[str]:
    return [d.message for d in diagnostics if str(d.code) == code]


async def test_a_runtime_broken_in_the_editor_gives_its_actions_one_finding_and_fixing_it_clears_that(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    action = h.open(pack / "actions/newest.yaml")  # runner_type: <pack>.python
    assert messages(await h.diagnostics(action), BROKEN) == []
    runtime = h.open(pack / "runtimes/python.yaml")
    await h.diagnostics(runtime)
    h.edit(runtime, "  - version: \"3.11\"", "  - version: \"3.11\"\n   mis: indented")  # the problem is on line 13
    assert "yaml.syntax" in h.codes(await h.diagnostics(runtime))
    want = f"runner_type '{pack.name}.python' cannot be checked: runtimes/python.yaml does not parse (line 13), and registration fails until it does"

    found = await _until(h, action, lambda d: messages(d, BROKEN) == [want])
    assert not CASCADE & set(h.codes(found))
    closed = await h.closed_diagnostics(pack / "actions/summarize.yaml", lambda d: BROKEN in h.codes(d))
    assert not CASCADE & set(h.codes(closed))

    h.edit(runtime, "ref:", "# moved down a line\nref:")  # still broken, one line lower: the message follows
    await _until(h, action, lambda d: messages(d, BROKEN) == [want.replace("(line 13)", "(line 14)")])

    h.edit(runtime, "\n   mis: indented", "")
    found = await _until(h, action, lambda d: BROKEN not in h.codes(d))
    assert not CASCADE & set(h.codes(found))
    await h.closed_diagnostics(pack / "actions/summarize.yaml", lambda d: BROKEN not in h.codes(d))
    h.close(runtime)
    h.close(action)


async def test_a_tab_in_an_action_does_not_make_the_rule_calling_it_report_a_missing_action(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    rule_path = pack / "rules/on_new_file.yaml"
    rule_path.parent.mkdir()
    rule_path.write_text(f"ref: {pack.name}.on_new_file\ntrigger_ref: {pack.name}.new_file\naction_ref: {pack.name}.newest\n")
    rule = h.open(rule_path)
    assert h.codes(await h.diagnostics(rule)) == []
    action = h.open(pack / "actions/newest.yaml")
    h.edit(action, "entry_point:", "\tentry_point:")
    assert "yaml.syntax" in h.codes(await h.diagnostics(action))
    found = await _until(h, rule, lambda d: BROKEN in h.codes(d))
    assert h.codes(found) == [BROKEN]
    assert messages(found, BROKEN) == [
        f"action_ref '{pack.name}.newest' cannot be checked: actions/newest.yaml does not parse (line 5), and registration fails until it does"
    ]
    h.edit(action, "\tentry_point:", "entry_point:")
    assert await _until(h, rule, lambda d: d == []) == []
    h.close(action)
    h.close(rule)


async def _until(h: Harness, doc, condition) -> list[types.Diagnostic]:  # type: ignore[no-untyped-def]
    """The open document's diagnostics once condition holds (pulled again, or as pushed)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while True:
        if h.pull:
            found = await h.diagnostics(doc)
        else:
            found = list(h.client.diagnostics.get(doc.uri, []))
        if condition(found):
            return found
        if loop.time() > deadline:
            raise AssertionError(f"diagnostics of {Path(doc.path).name} never satisfied the condition: {[d.message for d in found]}")
        await asyncio.sleep(0.05)
