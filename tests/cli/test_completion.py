"""`packls completion bash|zsh|fish`, loaded into the real shells (scripts/install-shells.sh installs zsh and fish)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from packls.cli import main


def script(capsys, shell: str) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def shell_run(shell: str, code: str) -> str:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (make test installs it: scripts/install-shells.sh)")
    result = subprocess.run([shell, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def bash_complete(tmp_path, text: str, *words: str) -> list[str]:
    path = tmp_path / "packls.bash"
    path.write_text(text)
    quoted = " ".join(f"'{w}'" for w in words)
    out = shell_run("bash", f"source {path}; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _packls; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    return out.split()


def test_bash_completes_commands_options_choices_and_rule_codes(tmp_path, capsys):
    text = script(capsys, "bash")
    assert bash_complete(tmp_path, text, "packls", "val") == ["validate"]
    assert bash_complete(tmp_path, text, "packls", "validate", "--un") == ["--unsafe-fixes"]
    assert bash_complete(tmp_path, text, "packls", "validate", "--output-format", "g") == ["github", "gitlab"]
    assert bash_complete(tmp_path, text, "packls", "rule", "runtime_version.not") == ["runtime_version.not_string"]
    assert bash_complete(tmp_path, text, "packls", "validate", "--select", "key.mis") == ["key.misspelled"]
    assert bash_complete(tmp_path, text, "packls", "completion", "") == []  # a choice, not a file name
    assert "complete -o default -F _packls packls" in text


def test_fish_completes_commands_options_and_values(tmp_path, capsys):
    path = tmp_path / "packls.fish"
    path.write_text(script(capsys, "fish"))
    out = shell_run("fish", f"source {path}; complete -C 'packls val'; complete -C 'packls validate --uns'; "
                            "complete -C 'packls validate --output-format j'; complete -C 'packls rule key.ig'")
    firsts = [line.split("\t")[0] for line in out.splitlines()]
    assert firsts == ["validate", "--unsafe-fixes", "json", "junit", "key.ignored"]


def test_zsh_loads_the_function_and_offers_each_commands_options(tmp_path, capsys):
    path = tmp_path / "_packls"
    path.write_text(script(capsys, "zsh"))
    shell_run("zsh", f"zsh -n {path}")
    # _describe and _arguments stand in for the completion system: they print what they were given.
    out = shell_run("zsh", (
        f"autoload -U compinit; compinit -u -d {tmp_path}/zcompdump; source {path}; print -r -- registered=${{_comps[packls]}}; "
        "_describe() { print -r -- describe; }; _arguments() { print -rl -- \"$@\"; }; "
        "words=(packls va); CURRENT=2; _packls; words=(packls validate --f); CURRENT=3; _packls"
    ))
    lines = out.splitlines()
    assert lines[:2] == ["registered=_packls", "describe"]
    assert "--fix[apply the safe quick fixes the editor offers, then report what remains]" in lines
    assert "--output-format[text (default), concise (one line per finding), json, sarif, github (workflow annotations), " \
           "gitlab (Code Quality) or junit]:value:(text concise json sarif github gitlab junit)" in lines
    assert "*:path:_files" in lines
