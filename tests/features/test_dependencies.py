"""pack.yaml dependencies in the editor: completion from the workspace and synced indexes, hover on an entry."""

from __future__ import annotations

from packls.facts import IndexedPack, RegistryFacts
from packls.features.completion import complete
from packls.features.hover import hover
from packls.features.offsets import TextDelta
from packls.features.session import Session
from packls.workspace import Workspace
from tests.packbuilder import write_pack

FACTS = RegistryFacts(
    packs={
        "slack": IndexedPack(
            "slack", "1.4.0", label="Slack", description="Post messages to Slack.",
            index_url="https://index.example/index.json", sources=("https://git.example/slack.git",),
        )
    },
    indexes_synced=True,
)


def session_for(tmp_path, manifest: str) -> tuple[Session, object]:
    root = write_pack(tmp_path / "demo", {"pack.yaml": manifest})
    write_pack(tmp_path / "other", {}, ref="other")
    session = Session()
    session.workspace = Workspace.load([tmp_path], FACTS)
    return session, session.workspace.source(root / "pack.yaml")


def test_dependency_completion_offers_workspace_packs_and_indexed_packs(tmp_path):
    text = 'ref: demo\nversion: "1.0.0"\ndependencies:\n  - \n'
    session, source = session_for(tmp_path, 'ref: demo\nversion: "1.0.0"\ndependencies:\n  - x\n')
    offset = text.index("  - ") + 4
    delta = TextDelta.between(source.text, text)
    items = {item.label: item for item in complete(session, source, delta, text, offset, False)}
    assert "other" in items and items["other"].detail == "workspace pack"
    assert items["slack"].detail == "1.4.0 — Slack"


def test_hover_on_a_dependency_shows_the_index_entry(tmp_path):
    text = 'ref: demo\nversion: "1.0.0"\ndependencies: ["slack@^2.0"]\n'
    session, source = session_for(tmp_path, text)
    found = hover(session, source, text.index("slack") + 1)
    assert found is not None
    assert "**Slack** 1.4.0" in found.markdown
    assert "https://git.example/slack.git" in found.markdown
    assert "does not satisfy '^2.0'" in found.markdown
