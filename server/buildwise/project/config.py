"""Settings from ``[tool.kb-lint]``, overlaid by CLI flags or editor settings. Typed, defaulted, and
forgiving: an unknown key or a bad value becomes a finding on its line (KB004), never a crash."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field, replace
from typing import Any

from buildwise.model import Severity, Span

PLATFORMS = (
    "linux-x86_64",
    "linux-aarch64",
    "linux-musl-x86_64",
    "linux-musl-aarch64",
    "macos-x86_64",
    "macos-arm64",
    "windows-amd64",
    "windows-arm64",
)
#: Where most Python runs: the default when a project names no platforms.
DEFAULT_PLATFORMS = ("linux-x86_64", "linux-aarch64", "macos-arm64", "windows-amd64")

_CODE_RE = re.compile(r"^KB\d{0,3}$")
_PYTHON_RE = re.compile(r"^3\.\d{1,2}t?$")


@dataclass(frozen=True)
class ConfigProblem:
    key: tuple[str, ...]
    message: str
    #: Where to report it: the key's span in pyproject.toml (filled in by the caller when known).
    span: Span | None = None


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("KB",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    python: tuple[str, ...] | None = None
    platforms: tuple[str, ...] | None = None
    free_threaded: bool = False
    online: bool = False
    index_url: str | None = None
    distro: str | None = None
    #: Check test-data trees (tests/cases, fixtures ...) found while walking a directory.
    include_test_data: bool = False
    #: Globs (relative to the project root) of Python scripts whose PEP 723 metadata is checked.
    scripts: tuple[str, ...] = ()

    def enabled(self, code: str, path: str | None = None) -> bool:
        selected = any(code.startswith(p) for p in (*self.select, *self.extend_select))
        if not selected or any(code.startswith(p) for p in self.ignore):
            return False
        if path is not None:
            for pattern, codes in self.per_file_ignores.items():
                if _path_matches(path, pattern) and any(code.startswith(c) for c in codes):
                    return False
        return True

    def severity_for(self, code: str, default: Severity) -> Severity:
        best: tuple[int, Severity] | None = None
        for prefix, sev in self.severity.items():
            if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), sev)
        return best[1] if best else default

    def excluded(self, relpath: str) -> bool:
        return any(_path_matches(relpath, pattern) for pattern in self.exclude)

    def overlay(self, **changes: Any) -> Config:
        """A copy with the non-None values of ``changes`` applied (CLI flags, editor settings)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _path_matches(path: str, pattern: str) -> bool:
    path = path.replace("\\", "/")
    pattern = pattern.replace("\\", "/")
    return (
        fnmatch.fnmatch(path, pattern)
        or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*")
        or fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern)
    )


def _codes(value: Any, key: tuple[str, ...], problems: list[ConfigProblem]) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(ConfigProblem(key, 'must be a list of rule codes or prefixes, e.g. ["KB2"]'))
        return None
    bad = [v for v in value if not _CODE_RE.match(v.strip().upper())]
    if bad:
        problems.append(
            ConfigProblem(
                key, f"not a rule code or prefix: {', '.join(map(repr, bad))} (codes look like KB201)"
            )
        )
    return tuple(v.strip().upper() for v in value if _CODE_RE.match(v.strip().upper()))


def _strings(value: Any, key: tuple[str, ...], problems: list[ConfigProblem]) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(ConfigProblem(key, "must be a list of strings"))
        return None
    return tuple(value)


def parse_python_list(values: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    good = tuple(v for v in values if _PYTHON_RE.match(v))
    bad = [v for v in values if not _PYTHON_RE.match(v)]
    return good, bad


KNOWN_KEYS = (
    "select",
    "ignore",
    "extend-select",
    "severity",
    "per-file-ignores",
    "exclude",
    "python",
    "platforms",
    "free-threaded",
    "online",
    "index-url",
    "distro",
    "include-test-data",
    "scripts",
)


def parse_config(table: Any) -> tuple[Config, list[ConfigProblem]]:
    """Read ``[tool.kb-lint]``. Bad entries are skipped (and reported); good ones still apply."""
    problems: list[ConfigProblem] = []
    if table is None:
        return Config(), problems
    base = ("tool", "kb-lint")
    if not isinstance(table, dict):
        problems.append(ConfigProblem(base, "[tool.kb-lint] must be a table"))
        return Config(), problems
    changes: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = (*base, raw_key)
        if raw_key in ("select", "ignore", "extend-select"):
            codes = _codes(value, key, problems)
            if codes is not None:
                changes[raw_key.replace("-", "_")] = codes
        elif raw_key == "severity":
            changes["severity"] = _severity_table(value, key, problems)
        elif raw_key == "per-file-ignores":
            changes["per_file_ignores"] = _per_file_ignores(value, key, problems)
        elif raw_key in ("exclude", "scripts"):
            strings = _strings(value, key, problems)
            if strings is not None:
                changes[raw_key] = strings
        elif raw_key == "python":
            strings = _strings(value, key, problems)
            if strings is not None:
                good, bad = parse_python_list(strings)
                if bad:
                    problems.append(
                        ConfigProblem(
                            key, f'not a CPython version: {", ".join(map(repr, bad))} (use "3.12" or "3.13t")'
                        )
                    )
                changes["python"] = good
        elif raw_key == "platforms":
            strings = _strings(value, key, problems)
            if strings is not None:
                bad = [p for p in strings if p not in PLATFORMS]
                if bad:
                    problems.append(
                        ConfigProblem(
                            key,
                            f"unknown platform {', '.join(map(repr, bad))}; known: {', '.join(PLATFORMS)}",
                        )
                    )
                changes["platforms"] = tuple(p for p in strings if p in PLATFORMS)
        elif raw_key in ("free-threaded", "online", "include-test-data"):
            if isinstance(value, bool):
                changes[raw_key.replace("-", "_")] = value
            else:
                problems.append(ConfigProblem(key, "must be true or false"))
        elif raw_key == "index-url":
            if isinstance(value, str) and value.startswith(("https://", "http://", "file://")):
                changes["index_url"] = value
            else:
                problems.append(ConfigProblem(key, "must be the URL of a simple index (https://...)"))
        elif raw_key == "distro":
            if isinstance(value, str):
                changes["distro"] = value
            else:
                problems.append(ConfigProblem(key, 'must be a string such as "debian"'))
        else:
            hint = _did_you_mean(raw_key, KNOWN_KEYS)
            problems.append(
                ConfigProblem(
                    key, f"unknown setting {raw_key!r}" + (f"; did you mean {hint!r}?" if hint else "")
                )
            )
    return Config().overlay(**changes), problems


def _severity_table(value: Any, key: tuple[str, ...], problems: list[ConfigProblem]) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    if not isinstance(value, dict):
        problems.append(ConfigProblem(key, 'must be a table of CODE = "error" | "warning" | "info" | "hint"'))
        return out
    for code, sev in value.items():
        if not _CODE_RE.match(code.upper()):
            problems.append(ConfigProblem((*key, code), f"not a rule code or prefix: {code!r}"))
            continue
        try:
            out[code.upper()] = Severity.parse(str(sev))
        except ValueError as exc:
            problems.append(ConfigProblem((*key, code), str(exc)))
    return out


def _per_file_ignores(
    value: Any, key: tuple[str, ...], problems: list[ConfigProblem]
) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    if not isinstance(value, dict):
        problems.append(ConfigProblem(key, 'must be a table of "glob" = [codes]'))
        return out
    for pattern, codes in value.items():
        parsed = _codes(codes, (*key, pattern), problems)
        if parsed is not None:
            out[pattern] = parsed
    return out


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None
