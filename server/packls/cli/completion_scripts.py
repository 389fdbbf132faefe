"""Shell completion for bash, zsh and fish, written from the argument parser itself.

Hand-written rather than a library (shtab, argcomplete): the parser is small and plain argparse,
the three scripts are ~40 lines of generator each, and generating from the parser keeps every
command, option, choice and rule code in step with the real command line at no dependency cost.
Rule codes (for `packls rule` and `--select`/`--ignore`) are listed in the script as generated.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

from packls.checks.rules import RULES

FILE_METAVARS = frozenset({"PATH", "FILE", "DIR", "FILE_OR_URL", "URL_OR_PATH", "PATH_OR_DSN"})
CODE_DESTS = frozenset({"select", "extend_select", "ignore", "code"})


@dataclass(frozen=True)
class Option:
    """One option of a command and what its value is."""

    names: tuple[str, ...]
    help: str
    values: str  # "" (a flag), "choices", "files", "codes" or "free"
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Command:
    """One subcommand: its options and what its positional arguments are ("files", "codes" or "")."""

    name: str
    help: str
    options: tuple[Option, ...]
    positional: str


def commands_of(parser: argparse.ArgumentParser) -> list[Command]:
    """Every subcommand of the `packls` parser, as the scripts need them."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help or "" for choice in sub._choices_actions}
    found = []
    for name, command in sub.choices.items():
        options, positional = [], ""
        for action in command._actions:
            if action.help == argparse.SUPPRESS:
                continue
            if action.option_strings:
                options.append(Option(tuple(action.option_strings), _short(action.help or ""), *_values(action)))
            elif not positional:
                positional = _values(action)[0] if action.dest in CODE_DESTS else "files" if _is_path(action) else ""
        found.append(Command(name, _short(helps.get(name, "")), tuple(options), positional))
    return found


def rule_words() -> list[str]:
    """Rule codes and areas, what --select, --ignore and `packls rule` take."""
    return sorted({*RULES, *(code.split(".", 1)[0] for code in RULES)})


def bash_script(parser: argparse.ArgumentParser) -> str:
    """A bash completion function (`eval "$(packls completion bash)"`)."""
    commands = commands_of(parser)
    codes = " ".join(rule_words())
    cases = []
    for command in commands:
        value_cases = []
        for option in command.options:
            if not option.values:
                continue
            pattern = "|".join(option.names)
            reply = {
                "choices": f'COMPREPLY=($(compgen -W "{" ".join(option.choices)}" -- "$cur"))',
                "files": 'COMPREPLY=($(compgen -f -- "$cur"))',
                "codes": f'COMPREPLY=($(compgen -W "{codes}" -- "${{cur##*,}}"))',
                "free": "COMPREPLY=()",
            }[option.values]
            value_cases.append(f"                {pattern}) {reply}; return;;")
        flags = " ".join(name for option in command.options for name in option.names)
        rest = {"files": 'COMPREPLY=($(compgen -f -- "$cur"))', "codes": f'COMPREPLY=($(compgen -W "{codes}" -- "$cur"))'}
        cases.append("\n".join([
            f"        {command.name})",
            '            case "$prev" in',
            *value_cases,
            "            esac",
            f'            if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "{flags}" -- "$cur")); '
            f"else {rest.get(command.positional, 'COMPREPLY=()')}; fi;;",
        ]))
    names = " ".join(c.name for c in commands)
    return "\n".join([
        "# bash completion for packls (`packls completion bash`); load with: eval \"$(packls completion bash)\"",
        "_packls() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" command="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        f'        case "${{COMP_WORDS[i]}}" in {"|".join(c.name for c in commands)}) command="${{COMP_WORDS[i]}}"; break;; esac',
        "    done",
        "    if [[ -z $command ]]; then",
        f'        COMPREPLY=($(compgen -W "{names} -h --help -V --version" -- "$cur")); return',
        "    fi",
        '    case "$command" in',
        *cases,
        "    esac",
        "}",
        "complete -o default -F _packls packls",
        "",
    ])


def zsh_script(parser: argparse.ArgumentParser) -> str:
    """A zsh completion function (`packls completion zsh > ~/.zfunc/_packls`, or eval it after compinit)."""
    commands = commands_of(parser)
    codes = " ".join(rule_words())
    lines = ["#compdef packls", "# zsh completion for packls (`packls completion zsh`)", "_packls() {",
             "    local -a commands", "    commands=("]
    lines += [f"        '{c.name}:{_zsh(c.help)}'" for c in commands]
    lines += ["    )", "    if (( CURRENT == 2 )); then", "        _describe -t commands 'packls command' commands", "        return",
              "    fi", "    local command=${words[2]}", "    shift words", "    (( CURRENT-- ))", '    case "$command" in']
    for command in commands:
        specs = []
        for option in command.options:
            action = {
                "": "",
                "choices": f":value:({' '.join(option.choices)})",
                "files": ":file:_files",
                "codes": f":rule:({codes})",
                "free": ":value: ",
            }[option.values]
            for name in option.names:
                specs.append(f"'{name}[{_zsh(option.help)}]{action}'")
        if command.positional == "files":
            specs.append("'*:path:_files'")
        elif command.positional == "codes":
            specs.append(f"'1:rule:({codes})'")
        lines.append(f"        {command.name})")
        lines.append("            _arguments -s \\\n                " + " \\\n                ".join(specs) + ";;")
    lines += ["    esac", "}", 'if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _packls "$@"; else compdef _packls packls; fi', ""]
    return "\n".join(lines)


def fish_script(parser: argparse.ArgumentParser) -> str:
    """fish completions (`packls completion fish > ~/.config/fish/completions/packls.fish`)."""
    commands = commands_of(parser)
    names = " ".join(c.name for c in commands)
    codes = " ".join(rule_words())
    lines = ["# fish completion for packls (`packls completion fish`)", "complete -c packls -f",
             f"complete -c packls -n 'not __fish_seen_subcommand_from {names}' -s V -l version -d 'print the version and exit'"]
    for command in commands:
        lines.append(f"complete -c packls -n 'not __fish_seen_subcommand_from {names}' -a {command.name} -d '{_fish(command.help)}'")
        when = f"-n '__fish_seen_subcommand_from {command.name}'"
        for option in command.options:
            flags = " ".join(f"-l {n[2:]}" if n.startswith("--") else f"-s {n[1:]}" for n in option.names)
            value = {
                "": "",
                "choices": f" -x -a '{' '.join(option.choices)}'",
                "files": " -r -F",
                "codes": f" -x -a '{codes}'",
                "free": " -x",
            }[option.values]
            lines.append(f"complete -c packls {when} {flags}{value} -d '{_fish(option.help)}'")
        if command.positional == "files":
            lines.append(f"complete -c packls {when} -F")
        elif command.positional == "codes":
            lines.append(f"complete -c packls {when} -x -a '{codes}'")
    return "\n".join(lines) + "\n"


SCRIPTS = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}


def _values(action: argparse.Action) -> tuple[str, tuple[str, ...]]:
    if action.nargs == 0:
        return "", ()
    if action.choices is not None:
        return "choices", tuple(str(choice) for choice in action.choices)
    if action.dest in CODE_DESTS:
        return "codes", ()
    return ("files", ()) if _is_path(action) else ("free", ())


def _is_path(action: argparse.Action) -> bool:
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    return metavar in FILE_METAVARS or getattr(action.type, "__name__", "") in ("Path", "PosixPath")


def _short(text: str) -> str:
    """The first clause of a help text (up to a `; ` or `. ` outside parentheses), for a completion menu."""
    text = re.sub(r"%\(\w+\)s", "", text)
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and text[index : index + 2] in ("; ", ". "):
            return text[:index].strip()
    return text.strip().rstrip(".")


def _zsh(text: str) -> str:
    escaped = re.sub(r"([\[\]:\\])", r"\\\1", text)
    return escaped.replace("'", "'\\''")


def _fish(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
