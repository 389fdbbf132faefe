"""Runtime-version verification exactly as Attune's worker runs it, bounded in time and output.

`version_verify.rs`: commands in ascending `priority` (default 100), success = exit code
equal to `exit_code` (default 0) and, if a `pattern` is set, an unanchored regex match on
stdout + stderr; the first success wins. No commands → `<interpreter> --version`; no
interpreter either → assumed available. Commands run without a shell, with a timeout
and an output cap; a process that outlives either is killed with its whole group.

Commands run in a neutral folder (the filesystem root) with a controlled environment: a
checkout's `.python-version`, `.tool-versions`, `.nvmrc` or `go.mod` must not decide which
interpreter a version manager's shim starts, and packls' own secrets ($PACKLS_ATTUNE_TOKEN,
$PGPASSWORD, …) are not handed to the commands a pack declares.
"""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Final, Iterable, Mapping, Sequence

from packls.checks.rust_regex import rust_regex_problem
from packls.process_group import kill_group
from packls.registry.limits import DETECT_TIMEOUT

DEFAULT_PRIORITY: Final = 100
DEFAULT_TIMEOUT: Final = DETECT_TIMEOUT
DEFAULT_MAX_OUTPUT: Final = 1024 * 1024
VERSION_IN_OUTPUT: Final = re.compile(r"(?:v|go)?(\d+(?:\.\d+){0,2})")
NEUTRAL_DIRECTORY: Final = os.path.abspath(os.sep)  # only its owner (root) can plant a version file there
# What commands see of packls' environment: where to find programs and the user's home, and how
# the user's version managers are set up (they select interpreters by these, never by the folder).
KEPT_VARIABLES: Final = frozenset({
    "PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TZ", "SYSTEMROOT", "PATHEXT", "COMSPEC",
    "JAVA_HOME", "GOROOT", "GOPATH", "R_HOME", "VIRTUAL_ENV", "CONDA_PREFIX",
})
KEPT_PREFIXES: Final = (
    "PYENV_", "ASDF_", "MISE_", "RBENV_", "NODENV_", "GOENV_", "JENV_", "SDKMAN_", "NVM_", "VOLTA_", "PLENV_",
    "PERLBREW_",
)


@dataclass(frozen=True)
class VerificationCommand:
    """One `distributions.verification.commands[]` entry, defaults as the worker applies them."""

    binary: str
    args: tuple[str, ...] = ()
    exit_code: int = 0
    pattern: str | None = None
    priority: int = DEFAULT_PRIORITY

    @property
    def argv(self) -> list[str]:
        """The argument vector, run without a shell."""
        return [self.binary, *self.args]

    def describe(self) -> str:
        """The command as a person would type it."""
        return " ".join(self.argv)


@dataclass(frozen=True)
class DetectTarget:
    """One declared runtime version to verify, with the row data a store records for it."""

    runtime_ref: str
    runtime_name: str
    version: str
    commands: tuple[VerificationCommand, ...]
    interpreter_binary: str | None
    execution_config: dict[str, Any] = field(default_factory=dict)
    distributions: dict[str, Any] = field(default_factory=dict)
    is_default: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """(runtime_ref, version): the identity of a runtime_version row."""
        return (self.runtime_ref, self.version)


@dataclass(frozen=True)
class CommandOutcome:
    """What one verification command did; `reason` says why it failed."""

    command: VerificationCommand
    ok: bool
    exit_code: int | None
    output: str
    reason: str = ""


@dataclass(frozen=True)
class Verification:
    """The verdict for one target: available or not, what was seen, and why."""

    target: DetectTarget
    available: bool
    detected: str | None
    detail: str
    verified_at: datetime
    outcomes: tuple[CommandOutcome, ...] = ()


Runner = Callable[[VerificationCommand], CommandOutcome]


def commands_from_distributions(distributions: Mapping[str, Any] | None) -> tuple[VerificationCommand, ...]:
    """The verification commands of a `distributions` object; entries without a binary are skipped."""
    verification = (distributions or {}).get("verification")
    if not isinstance(verification, Mapping):
        return ()
    entries = verification.get("commands")
    if not isinstance(entries, list):
        return ()
    commands = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        binary = entry.get("binary")
        if not isinstance(binary, str) or not binary:
            continue
        args = entry.get("args")
        arg_list = tuple(str(a) for a in args) if isinstance(args, list) else ()
        pattern = entry.get("pattern")
        commands.append(VerificationCommand(
            binary=binary,
            args=arg_list,
            exit_code=_int(entry.get("exit_code"), 0),
            pattern=pattern if isinstance(pattern, str) else None,
            priority=_int(entry.get("priority"), DEFAULT_PRIORITY),
        ))
    return tuple(commands)


def interpreter_binary_of(execution_config: Mapping[str, Any] | None) -> str | None:
    """`execution_config.interpreter.binary` when it names something, else None."""
    interpreter = (execution_config or {}).get("interpreter")
    if isinstance(interpreter, Mapping):
        binary = interpreter.get("binary")
        if isinstance(binary, str) and binary.strip():
            return binary
    return None


def target_for(
    runtime_ref: str,
    runtime_name: str,
    version: str,
    *,
    execution_config: Mapping[str, Any] | None = None,
    distributions: Mapping[str, Any] | None = None,
    is_default: bool = False,
    meta: Mapping[str, Any] | None = None,
) -> DetectTarget:
    """A target built from a version's own config, as `runtime_version` stores it (no merging)."""
    config = dict(execution_config or {})
    dists = dict(distributions or {})
    return DetectTarget(
        runtime_ref=runtime_ref,
        runtime_name=runtime_name,
        version=version,
        commands=commands_from_distributions(dists),
        interpreter_binary=interpreter_binary_of(config),
        execution_config=config,
        distributions=dists,
        is_default=bool(is_default),
        meta=dict(meta or {}),
    )


def command_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a verification command: KEPT_VARIABLES and KEPT_PREFIXES of packls' own, C locale."""
    source = os.environ if environ is None else environ
    kept = {name: value for name, value in source.items() if name in KEPT_VARIABLES or name.startswith(KEPT_PREFIXES)}
    kept.update(LC_ALL="C", LANG="C")  # output in the words the patterns expect
    return kept


def run_command(
    command: VerificationCommand,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_output: int = DEFAULT_MAX_OUTPUT,
) -> CommandOutcome:
    """Run one command (no shell) and judge it; never raises, never hangs past `timeout`."""
    problem = rust_regex_problem(command.pattern) if command.pattern is not None else None
    if problem is not None:  # refused as Rust's regex refuses it (too big, too deep, bad syntax): never run
        return CommandOutcome(command, False, None, "", f"invalid pattern {command.pattern!r}: {problem.reason}")
    try:
        matcher = re.compile(command.pattern) if command.pattern is not None else None
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        return CommandOutcome(  # Rust-only syntax (\pL, \z, [[:alpha:]]): Attune can verify it, packls cannot match it
            command, False, None, "",
            f"pattern {command.pattern!r} is valid for Rust's regex, but packls matches output with Python's re, "
            f"which refuses it ({exc}); not verified here",
        )
    try:
        process = subprocess.Popen(
            command.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            close_fds=True,
            cwd=NEUTRAL_DIRECTORY,
            env=command_environment(),
        )
    except FileNotFoundError:
        return CommandOutcome(command, False, None, "", f"{command.binary}: not found")
    except PermissionError:
        return CommandOutcome(command, False, None, "", f"{command.binary}: permission denied")
    except OSError as exc:
        return CommandOutcome(command, False, None, "", f"{command.binary}: {exc.strerror or exc}")
    stdout, stderr, problem = _collect(process, timeout, max_output)
    output = stdout.decode("utf-8", "replace") + stderr.decode("utf-8", "replace")
    if problem:
        return CommandOutcome(command, False, None, output, problem)
    code = process.returncode if process.returncode >= 0 else -1  # killed by a signal: no exit code
    if code != command.exit_code:
        return CommandOutcome(command, False, code, output, f"exit code {code}, expected {command.exit_code}")
    if matcher is not None and not matcher.search(output):
        return CommandOutcome(command, False, code, output, f"output does not match '{command.pattern}'")
    return CommandOutcome(command, True, code, output)


def _collect(process: subprocess.Popen[bytes], timeout: float, max_output: int) -> tuple[bytes, bytes, str]:
    """Read stdout and stderr until both close, the deadline passes or the cap is exceeded."""
    assert process.stdout is not None and process.stderr is not None
    deadline = time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    buffers = {process.stdout.fileno(): out, process.stderr.fileno(): err}
    problem = ""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        selector.register(process.stderr, selectors.EVENT_READ)
        while selector.get_map() and not problem:
            left = deadline - time.monotonic()
            if left <= 0:
                problem = f"timed out after {timeout:g} s"
                break
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, 65536)
                if chunk:
                    buffers[key.fd] += chunk
                else:
                    selector.unregister(key.fileobj)
            if len(out) + len(err) > max_output:
                problem = f"output exceeded {max_output} bytes"
    if not problem:
        try:
            process.wait(max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            problem = f"timed out after {timeout:g} s"
    if problem or process.poll() is None:
        _kill_group(process)
    process.stdout.close()
    process.stderr.close()
    stdout = bytes(out[:max_output])
    return stdout, bytes(err[: max_output - len(stdout)]), problem


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and anything it started (it leads its own session), and reap it."""
    kill_group(process)
    process.wait()


def verify(target: DetectTarget, run: Runner) -> Verification:
    """Attune's verification of one version: first succeeding command wins."""
    commands = sorted(target.commands, key=lambda c: c.priority)  # stable: file order breaks ties
    if not commands:
        if target.interpreter_binary is None:
            return Verification(target, True, None, "no verification commands and no interpreter: assumed available",
                                _now())
        commands = [VerificationCommand(target.interpreter_binary, ("--version",))]
    outcomes: list[CommandOutcome] = []
    for command in commands:
        outcome = run(command)
        outcomes.append(outcome)
        if outcome.ok:
            return Verification(target, True, detected_version(outcome.output),
                                f"verified by `{command.describe()}`", _now(), tuple(outcomes))
    reasons = "; ".join(f"`{o.command.describe()}`: {o.reason}" for o in outcomes)
    return Verification(target, False, None, reasons, _now(), tuple(outcomes))


def detected_version(output: str) -> str | None:
    """The first version-looking number in a command's output, as the sensor worker extracts it."""
    match = VERSION_IN_OUTPUT.search(output)
    return match.group(1) if match else None


def verify_all(
    targets: Sequence[DetectTarget],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_output: int = DEFAULT_MAX_OUTPUT,
    jobs: int = 4,
    on_result: Callable[[Verification], None] | None = None,
) -> list[Verification]:
    """Verify every target, a few at a time, results in target order."""

    def run(command: VerificationCommand) -> CommandOutcome:
        return run_command(command, timeout=timeout, max_output=max_output)

    def one(target: DetectTarget) -> Verification:
        result = verify(target, run)
        if on_result is not None:
            on_result(result)
        return result

    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(targets)))) as pool:
        return list(pool.map(one, targets))


def unique_targets(targets: Iterable[DetectTarget]) -> list[DetectTarget]:
    """Targets with one entry per (runtime_ref, version); the first declaration wins."""
    seen: dict[tuple[str, str], DetectTarget] = {}
    for target in targets:
        seen.setdefault(target.key, target)
    return list(seen.values())


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return value


def _now() -> datetime:
    return datetime.now(timezone.utc)
