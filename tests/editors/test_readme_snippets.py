"""The configuration snippets in editors/README.md parse: TOML (Helix), JSON (Sublime LSP), Lua (Neovim)."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

from tests.editors.support import EDITORS, find_nvim, missing

README = (EDITORS / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_helix_snippet_is_valid_toml() -> None:
    (snippet,) = blocks("toml")
    config = tomllib.loads(snippet)
    assert config["language-server"]["packls"]["command"] == "packls"
    assert config["language-server"]["packls"]["args"] == ["serve"]
    assert "packls" in config["language"][0]["language-servers"]


def test_sublime_snippet_is_valid_json() -> None:
    (snippet,) = blocks("json")
    client = json.loads(snippet)["clients"]["packls"]
    assert client["command"] == ["packls", "serve"]
    assert client["selector"] == "source.yaml"


def test_every_settings_key_in_the_table_is_a_server_setting() -> None:
    manifest = json.loads((EDITORS / "vscode" / "package.json").read_text(encoding="utf-8"))
    server_keys = {
        key.removeprefix("packls.")
        for key in manifest["contributes"]["configuration"]["properties"]
        if not key.startswith(("packls.server.", "packls.python.", "packls.trace."))
    }
    table = re.search(r"\| Key \| Type \| Default \| Meaning \|\n\|[-|]+\|\n(.*?)\n\n", README, re.S)
    assert table is not None
    documented = set(re.findall(r"^\| `(\w+)` \|", table.group(1), re.M))
    assert documented == server_keys


def test_lua_snippets_compile(tmp_path: Path) -> None:
    nvim = find_nvim("0.11")
    if nvim is None:
        missing("Neovim 0.11")
    snippets = blocks("lua")
    assert len(snippets) >= 4
    files = []
    for i, snippet in enumerate(snippets):
        # a lazy.nvim spec is a bare table: make it a chunk
        body = f"return {snippet}" if snippet.lstrip().startswith("{") else snippet
        path = tmp_path / f"snippet{i}.lua"
        path.write_text(body, encoding="utf-8")
        files.append(str(path))
    check = tmp_path / "check.lua"
    check.write_text(
        "for _, f in ipairs(_G.arg) do local ok, err = loadfile(f); if not ok then io.stderr:write(err, '\\n'); os.exit(1) end end\n",
        encoding="utf-8",
    )
    proc = subprocess.run([str(nvim), "--headless", "--clean", "-l", str(check), *files],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
