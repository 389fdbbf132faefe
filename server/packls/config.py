"""One configuration for the CLI and the language server, and how it shapes a list of findings.

Read from `packls.toml` or `[tool.packls]` in `pyproject.toml` at the workspace root, or from
any mapping (LSP `initializationOptions` / `workspace/configuration`, camelCase accepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from packls.checks.rules import CONFIG_INVALID, CONFIG_UNKNOWN_CODE, RULES, SUPPRESSION_UNKNOWN_CODE
from packls.config_files import CONFIG_FILES, ConfigUnreadable, read_config_text
from packls.findings import Finding, Severity
from packls.globs import glob_regex, relative_posix
from packls.suppress import parse_suppressions
from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Span

_OFF_WORDS = frozenset({"off", "none", "ignore", "disable", "disabled", "false"})
_KNOWN_KEYS = {
    "severity": "severity",
    "exclude": "exclude",
    "extra_catalog_paths": "extra_catalog_paths",
    "runtime_envs_dir": "runtime_envs_dir",
    "database": "database",
    "diagnose_closed_files": "diagnose_closed_files",
    "indexes": "indexes",
}


@dataclass(frozen=True)
class ConfigProblem:
    """Something wrong in a configuration: a finding once it has a file to point at."""

    code: str  # config.unknown_code | config.invalid
    message: str
    path: Path | None = None
    span: Span = Span(0, 0)

    def to_finding(self, default_path: Path) -> Finding:
        """The problem as a finding (on the config file, or default_path when it came from an editor)."""
        rule = RULES[self.code]
        return Finding(self.path or default_path, self.span, rule.severity, rule.code, self.message)


@dataclass(frozen=True)
class Config:
    """Everything a user can configure; the defaults are what packls does with no file at all."""

    severity: Mapping[str, Severity | None] = field(default_factory=dict)  # code or "area.*" → severity, None = off
    exclude: tuple[str, ...] = ()  # globs relative to `root`
    extra_catalog_paths: tuple[Path, ...] = ()  # packs always in scope, like the platform catalog
    runtime_envs_dir: str | None = None  # where workers keep runtime environments (resolve, hover)
    database: str | None = None  # registry store URL for `packls sync` and availability facts
    diagnose_closed_files: bool = True  # the language server also publishes for files not open
    # pack indexes `packls sync` syncs by default: (url, priority); a command-line setting, editors have no use for it
    indexes: tuple[tuple[str, int], ...] = field(default=(), metadata={"editor": False})
    root: Path | None = None  # the folder relative paths are resolved against
    source: Path | None = None  # the file the configuration came from

    @property
    def severity_overrides(self) -> Mapping[str, Severity | None]:
        """Alias of `severity` (what the overrides are)."""
        return self.severity

    def severity_for(self, code: str, default: Severity) -> Severity | None:
        """The configured severity of a code: exact code first, then the longest `area.*` pattern."""
        if code in self.severity:
            return self.severity[code]
        best: tuple[int, Severity | None] | None = None
        for pattern, value in self.severity.items():
            if pattern.endswith(".*") and code.startswith(pattern[:-1]):
                if best is None or len(pattern) > best[0]:
                    best = (len(pattern), value)
        return best[1] if best is not None else default

    def is_excluded(self, path: Path) -> bool:
        """True when path lies under an excluded glob."""
        if not self.exclude:
            return False
        relative = relative_posix(path, self.root)
        return any(glob_regex(pattern).match(relative) for pattern in self.exclude)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any] | None, *, root: Path | None = None, source: Path | None = None, text: str | None = None
    ) -> tuple[Config, list[ConfigProblem]]:
        """A configuration from plain data (snake_case, kebab-case or camelCase keys); bad parts are reported and skipped."""
        problems: list[ConfigProblem] = []
        reporter = _Reporter(problems, source, text)
        values: dict[str, Any] = {}
        for raw_key, value in (data or {}).items():
            name = _known_key(str(raw_key))
            if value is None:
                continue  # editors send null for unset settings
            if name is None:
                close = _closest_setting(str(raw_key))
                hint = f"; did you mean '{close}'?" if close else ""
                reporter.invalid(f"unknown packls setting '{raw_key}'{hint}", str(raw_key))
                continue
            values[name] = value
            reporter.spelling[name] = str(raw_key)
        config = cls(root=root, source=source)
        severity = _severity(values.get("severity", {}), reporter)
        exclude = _strings(values.get("exclude", ()), "exclude", reporter)
        extras = tuple(_path(p, root) for p in _strings(values.get("extra_catalog_paths", ()), "extra_catalog_paths", reporter))
        envs = _string(values.get("runtime_envs_dir"), "runtime_envs_dir", reporter)
        database = _string(values.get("database"), "database", reporter)
        closed = values.get("diagnose_closed_files", True)
        if not isinstance(closed, bool):
            reporter.invalid(f"{reporter.written('diagnose_closed_files')} must be true or false", reporter.written("diagnose_closed_files"))
            closed = True
        indexes = _indexes(values.get("indexes", ()), reporter)
        return replace(
            config, severity=severity, exclude=tuple(exclude), extra_catalog_paths=extras,
            runtime_envs_dir=envs, database=database, diagnose_closed_files=closed, indexes=indexes,
        ), problems


def load_config(workspace_root: Path) -> tuple[Config, list[ConfigProblem]]:
    """The configuration of a workspace: `packls.toml`, else `[tool.packls]` of `pyproject.toml`, else defaults."""
    for name in CONFIG_FILES:
        path = workspace_root / name
        if not (path.is_file() or name == "packls.toml" and path.is_symlink()):  # a linked packls.toml is reported
            continue
        config, problems = load_config_file(path)
        if name == "pyproject.toml" and config.source is None:
            continue  # a pyproject.toml without [tool.packls]
        return config, problems
    return Config(root=workspace_root), []


def load_config_file(path: Path) -> tuple[Config, list[ConfigProblem]]:
    """Read one config file (packls.toml, or pyproject.toml's [tool.packls] table)."""
    import tomllib  # (~5 ms: only a run with a configuration file reads TOML)

    root = path.parent
    try:
        text = read_config_text(path)
        data = tomllib.loads(text)
    except ConfigUnreadable as error:  # reported on the file itself; nothing of it is used
        return Config(root=root, source=path), [ConfigProblem(CONFIG_INVALID.code, f"{path.name} is not read: {error}", path)]
    except (OSError, UnicodeDecodeError) as error:
        return Config(root=root), [ConfigProblem(CONFIG_INVALID.code, f"cannot read {path.name}: {error}", path)]
    except tomllib.TOMLDecodeError as error:
        return Config(root=root, source=path), [ConfigProblem(CONFIG_INVALID.code, f"{path.name} is not valid TOML: {error}", path)]
    except RecursionError:
        return Config(root=root, source=path), [ConfigProblem(CONFIG_INVALID.code, f"{path.name} is nested too deeply to read", path)]
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("packls") if isinstance(data.get("tool"), dict) else None
        if table is None:
            return Config(root=root), []
        data = table
    if not isinstance(data, dict):
        return Config(root=root, source=path), [ConfigProblem(CONFIG_INVALID.code, "[tool.packls] must be a table", path)]
    return Config.from_mapping(data, root=root, source=path, text=text)


def file_findings(path: Path, raw: Iterable[Finding], config: Config, text: str) -> list[Finding]:
    """One file's findings as reported for it: its own (a check may name other files too), as configured."""
    return apply_config([finding for finding in raw if finding.path == path], config, {path: text})


def apply_config(findings: Iterable[Finding], config: Config, texts: Mapping[Path, str]) -> list[Finding]:
    """Findings as the user configured them: excluded paths and suppressed lines dropped, severities overridden.

    Unknown codes in suppression comments come back as `suppression.unknown_code` findings.
    """
    by_path: dict[Path, list[Finding]] = {}
    for item in findings:
        by_path.setdefault(item.path, []).append(item)
    result: list[Finding] = []
    for path in set(by_path) | set(texts):
        if config.is_excluded(path):
            continue
        text = texts.get(path, "")
        # Line numbers matter only to suppression comments; a big file without any skips indexing its lines.
        index = LineIndex.of(text) if "packls:" in text else None
        suppressions = parse_suppressions(text, index)
        candidates = list(by_path.get(path, ()))
        for mention in suppressions.mentions:
            if not is_known_code(mention.code):
                candidates.append(_unknown_suppression(path, mention.code, mention.span))
        for item in candidates:
            if index is not None and item.code != SUPPRESSION_UNKNOWN_CODE.code and suppressions.silences(item.code, index.line_of(item.span.start)):
                continue
            severity = config.severity_for(item.code, item.severity)
            if severity is None:
                continue
            result.append(item if severity is item.severity else replace(item, severity=severity))
    result.sort(key=Finding.sort_key)
    return result


def is_known_code(code: str) -> bool:
    """True for a registered rule code or an `area.*` pattern that covers at least one."""
    if code in RULES:
        return True
    if code.endswith(".*"):
        prefix = code[:-1]
        return any(known.startswith(prefix) for known in RULES)
    return False


def _unknown_suppression(path: Path, code: str, span: Span) -> Finding:
    rule = SUPPRESSION_UNKNOWN_CODE
    hint = _closest_code(code)
    message = f"'{code}' is not a packls rule code, so this comment silences nothing" + (f"; did you mean '{hint}'?" if hint else "")
    return Finding(path, span, rule.severity, rule.code, message, data={"suggestion": hint} if hint else None)


def _closest_code(code: str) -> str | None:
    import difflib

    close = difflib.get_close_matches(code, list(RULES), n=1, cutoff=0.6)
    return close[0] if close else None


class _Reporter:
    """Collects problems, locating the offending text in the config file when there is one."""

    def __init__(self, problems: list[ConfigProblem], source: Path | None, text: str | None) -> None:
        self.problems = problems
        self.source = source
        self.text = text
        self.spelling: dict[str, str] = {}  # setting name -> the key as the file writes it

    def written(self, name: str) -> str:
        """A setting's key as the user wrote it (`runtime-envs-dir`), so messages and spans use their words."""
        return self.spelling.get(name, name.replace("_", "-"))

    def _span(self, needle: str) -> Span:
        if self.text and needle:
            match = re.search(rf'(?<![\w.-])"?{re.escape(needle)}"?(?![\w-])', self.text)
            if match is not None:
                return Span(match.start(), match.end())
        return Span(0, 0)

    def invalid(self, message: str, needle: str) -> None:
        self.problems.append(ConfigProblem(CONFIG_INVALID.code, message, self.source, self._span(needle)))

    def unknown_code(self, code: str) -> None:
        setting = _known_key(code)
        if setting is not None and setting != "severity":
            message = f"'{code}' is a setting, not a rule code: write it above the [severity] table, not inside it"
            self.problems.append(ConfigProblem(CONFIG_INVALID.code, message, self.source, self._span(code)))
            return
        hint = _closest_code(code)
        message = f"'{code}' is not a packls rule code" + (f"; did you mean '{hint}'?" if hint else "")
        self.problems.append(ConfigProblem(CONFIG_UNKNOWN_CODE.code, message, self.source, self._span(code)))


def setting_name(raw: str) -> str | None:
    """The setting a key names in any spelling (`runtime-envs-dir`, `runtimeEnvsDir` → runtime_envs_dir)."""
    return _known_key(raw)


def _known_key(raw: str) -> str | None:
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", raw).replace("-", "_").lower()
    return _KNOWN_KEYS.get(snake)


def _closest_setting(raw: str) -> str | None:
    """The known setting a misspelt key most likely means, in the file's kebab-case spelling."""
    import difflib

    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", raw).replace("-", "_").lower()
    close = difflib.get_close_matches(snake, list(_KNOWN_KEYS), n=1, cutoff=0.6)
    return close[0].replace("_", "-") if close else None


def _indexes(value: Any, reporter: _Reporter) -> tuple[tuple[str, int], ...]:
    """`indexes = ["https://…", {url = "…", priority = 5}]`: earlier entries win unless a priority says otherwise."""
    key = reporter.written("indexes")
    if not isinstance(value, (list, tuple)):
        reporter.invalid(f"{key} must be a list of index URLs or {{url, priority}} tables", key)
        return ()
    found: list[tuple[str, int]] = []
    for position, entry in enumerate(value):
        url, priority = (entry, position) if isinstance(entry, str) else (None, None)
        if isinstance(entry, Mapping):
            url, priority = entry.get("url"), entry.get("priority", position)
        if not isinstance(url, str) or not url.strip() or isinstance(priority, bool) or not isinstance(priority, int):
            reporter.invalid(f"{key}[{position}] must be a URL string or a table with a string 'url' and an integer 'priority'", key)
            continue
        found.append((url.strip(), priority))
    return tuple(found)


def _severity(value: Any, reporter: _Reporter) -> dict[str, Severity | None]:
    if not isinstance(value, Mapping):
        reporter.invalid("severity must be a table of rule code = severity", "severity")
        return {}
    result: dict[str, Severity | None] = {}
    for code, level in value.items():
        code = str(code)
        if not is_known_code(code):
            reporter.unknown_code(code)
            continue
        if isinstance(level, bool) and level is False or isinstance(level, str) and level.strip().lower() in _OFF_WORDS:
            result[code] = None
            continue
        try:
            result[code] = Severity.from_label(str(level))
        except KeyError:
            reporter.invalid(f"severity of '{code}' must be error, warning, information, hint or off, not '{level}'", code)
    return result


def _strings(value: Any, name: str, reporter: _Reporter) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        key = reporter.written(name)
        reporter.invalid(f"{key} must be a list of strings", key)
        return []
    return list(value)


def _string(value: Any, name: str, reporter: _Reporter) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    key = reporter.written(name)
    reporter.invalid(f"{key} must be a string, not {type(value).__name__} {value!r}", key)
    return None


def _path(text: str, root: Path | None) -> Path:
    path = Path(text).expanduser()
    if not path.is_absolute() and root is not None:
        path = root / path
    return Path(str(path.resolve()) if path.exists() else str(path))
