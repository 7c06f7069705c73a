"""pip requirements files, line by line, with columns for every requirement's name and specifier.

Handles what pip's own parser handles: comments (``#`` at the start or after whitespace), ``\\``
continuations, ``-r``/``-c`` includes (recorded here, resolved by the project loader, which reads
files), ``-e`` and direct URLs/paths, per-requirement options (``--hash``, ``--config-settings``),
global options (``--only-binary``, ``--no-binary``, ``--index-url`` ...), and ``${VAR}`` references.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from buildwise.model import Position, Span
from buildwise.parse.requirement import ParsedRequirement, parse_requirement

_COMMENT_RE = re.compile(r"(^|\s+)#.*$")
_ENV_RE = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)\}")
_EGG_RE = re.compile(r"[#&]egg=(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
_WHEEL_NAME_RE = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._]*?)-(?P<version>[0-9][^-]*)(-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$"
)

#: Options that take a value (pip's requirements-file options), long form -> canonical name.
VALUE_OPTIONS = {
    "-i": "--index-url",
    "--index-url": "--index-url",
    "--extra-index-url": "--extra-index-url",
    "-f": "--find-links",
    "--find-links": "--find-links",
    "--only-binary": "--only-binary",
    "--no-binary": "--no-binary",
    "--trusted-host": "--trusted-host",
    "--use-feature": "--use-feature",
    "-r": "-r",
    "--requirement": "-r",
    "-c": "-c",
    "--constraint": "-c",
    "-e": "-e",
    "--editable": "-e",
}
FLAG_OPTIONS = {"--no-index", "--pre", "--prefer-binary", "--require-hashes"}
PER_REQUIREMENT_OPTIONS = {"--hash", "--config-settings", "--global-option", "--install-option"}


@dataclass
class LogicalLine:
    """One requirement-file statement, possibly spread over ``\\``-continued physical lines."""

    text: str
    first_line: int
    last_line: int
    #: (offset in ``text``, physical line, column) for each physical piece, in order.
    pieces: list[tuple[int, int, int]]

    def position(self, offset: int) -> Position:
        chosen = self.pieces[0]
        for piece in self.pieces:
            if piece[0] <= offset:
                chosen = piece
            else:
                break
        return Position(chosen[1], chosen[2] + offset - chosen[0])

    def span(self, start: int, end: int) -> Span:
        return Span(self.position(start), self.position(max(start, end)))


@dataclass
class RequirementLine:
    line: LogicalLine
    #: The requirement text (without options and comment).
    text: str
    offset: int
    parsed: ParsedRequirement | None
    #: "requirement" (PEP 508), "editable", "url" (direct URL or archive), "path" (local path)
    kind: str
    #: For URLs/paths: the project name when it can be told (#egg=, a wheel file name).
    name: str | None
    options: dict[str, list[str]] = field(default_factory=dict)

    @property
    def span(self) -> Span:
        return self.line.span(self.offset, self.offset + len(self.text))

    def sub_span(self, rng: tuple[int, int] | None) -> Span:
        if rng is None:
            return self.span
        return self.line.span(self.offset + rng[0], self.offset + rng[1])

    @property
    def name_span(self) -> Span:
        return self.sub_span(self.parsed.name_range if self.parsed else None)

    @property
    def specifier_span(self) -> Span | None:
        if self.parsed is None or self.parsed.specifier_range is None:
            return None
        return self.sub_span(self.parsed.specifier_range)


@dataclass
class Include:
    """``-r FILE`` (requirements) or ``-c FILE`` (constraints)."""

    kind: str  # "-r" | "-c"
    target: str
    span: Span
    line: LogicalLine
    #: ${VAR} names in the target that are not set in the environment.
    unresolved: list[str] = field(default_factory=list)


@dataclass
class GlobalOption:
    name: str  # canonical long form, e.g. "--only-binary"
    values: list[str]
    span: Span
    line: LogicalLine


@dataclass
class RequirementsProblem:
    span: Span
    message: str
    kind: str = "syntax"  # "syntax" (KB002) | "option"
    #: the parser's explanation, shown under the message (``note:``)
    detail: str = ""


@dataclass
class RequirementsFile:
    path: str
    text: str
    requirements: list[RequirementLine]
    includes: list[Include]
    options: list[GlobalOption]
    problems: list[RequirementsProblem]
    lines: list[str]

    def option_values(self, name: str) -> list[str]:
        out: list[str] = []
        for opt in self.options:
            if opt.name == name:
                out += opt.values
        return out


#: Line breaks for ``str.splitlines()`` (which pip uses to split a requirements file) besides
#: ``\n``: a lone CR, VT, FF, FS, GS, RS, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
_OTHER_BREAKS_RE = re.compile("\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def has_other_breaks(text: str) -> bool:
    """Whether pip sees more lines in ``text`` than its ``\n``-separated lines."""
    return _OTHER_BREAKS_RE.search(text) is not None


def pip_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """The lines pip reads (``str.splitlines()``), each as (line, column, text), where line and
    column count ``\n``-separated lines as editors and the rest of kb-lint do. ``a\x0cb`` is
    two requirements for pip, so it is two statements here too, both on line 0."""
    for n, raw in enumerate(text.split("\n")):
        if raw.endswith("\r"):
            raw = raw[:-1]
        if _OTHER_BREAKS_RE.search(raw) is None:
            yield n, 0, raw
            continue
        column = 0
        for m in _OTHER_BREAKS_RE.finditer(raw):
            yield n, column, raw[column : m.start()]
            column = m.end()
        yield n, column, raw[column:]


def logical_lines(text: str) -> list[LogicalLine]:
    """Join continuations and strip comments, keeping a map back to physical positions."""
    out: list[LogicalLine] = []
    pending: LogicalLine | None = None
    for n, column, raw in pip_lines(text):
        if pending is None and "#" not in raw and "\\" not in raw:  # the common case
            out.append(LogicalLine(raw, n, n, [(0, n, column)]))
            continue
        line = raw
        comment = _COMMENT_RE.search(line)
        if comment is not None:
            line = line[: comment.start()]
        continued = line.endswith("\\")
        if continued:
            line = line[:-1]
        if pending is None:
            pending = LogicalLine(line, n, n, [(0, n, column)])
        else:
            pending.pieces.append((len(pending.text), n, column))
            pending.text += line
            pending.last_line = n
        if not continued:
            out.append(pending)
            pending = None
    if pending is not None:
        out.append(pending)
    return out


def _expand_env(text: str) -> tuple[str, list[str]]:
    missing: list[str] = []

    def sub(m: re.Match[str]) -> str:
        value = os.environ.get(m["name"])
        if value is None:
            missing.append(m["name"])
            return m.group(0)
        return value

    return _ENV_RE.sub(sub, text), missing


#: (text, offset, parsed, kind, name, per-line options)
_RequirementParts = tuple[
    str, int, "ParsedRequirement | None", str, "str | None", tuple[tuple[str, str], ...]
]


@dataclass(frozen=True)
class _Statement:
    """What one logical line says, with offsets relative to it. Cached by the line's text, so an
    edit re-analyses only the lines that changed."""

    requirement: _RequirementParts | None = None
    include: tuple[str, str, int, int] | None = None
    option: tuple[str, tuple[str, ...], int, int] | None = None
    problems: tuple[tuple[int, int, str, str, str], ...] = ()


#: Per file: (line number, text) of each one-line statement -> what it yields. An edit re-parses a
#: 2,000-line file, but only the changed lines build new objects. Each parse keeps only the entries
#: of the text it parsed, so a file's cache never outgrows the file, and only the files parsed
#: most recently keep one: memory stays flat over a long editing session.
_CACHES: dict[str, dict[tuple[int, str], tuple[Any, ...]]] = {}
_CACHED_FILES = 32


def _cache_for(path: str) -> dict[tuple[int, str], tuple[Any, ...]]:
    cache = _CACHES.pop(path, None)
    if cache is None:
        cache = {}
        while len(_CACHES) >= _CACHED_FILES:
            del _CACHES[next(iter(_CACHES))]
    _CACHES[path] = cache  # most recently used last
    return cache


def clear_cache() -> None:
    _CACHES.clear()


def forget(path: str) -> None:
    """Drop one file's cache (the editor closed it)."""
    _CACHES.pop(path, None)


def parse_requirements(text: str, path: str = "requirements.txt") -> RequirementsFile:
    """Parse a requirements file; never raises."""
    lines = text.split("\n")
    result = RequirementsFile(path, text, [], [], [], [], lines)
    old = _cache_for(path)
    new: dict[tuple[int, str], tuple[Any, ...]] = {}
    cacheable = not has_other_breaks(text)  # else several statements may share a line
    if cacheable:
        for n, raw in enumerate(lines):  # fast path: one-line statements, each seen before or new
            key = (n, raw)
            hit = old.get(key)
            if hit is None:
                if raw.rstrip().endswith("\\"):
                    break  # a continuation: the slow path below joins lines
                hit = _one_line(n, raw)
            if not hit[4]:  # includes depend on the environment: never cached
                new[key] = hit
            _add(result, hit)
        else:
            _CACHES[path] = new
            return result
        del result.requirements[:], result.includes[:], result.options[:], result.problems[:]
        new.clear()
    for line in logical_lines(text):
        if not line.text or line.text.isspace():
            continue
        one_line = cacheable and line.first_line == line.last_line
        key = (line.first_line, lines[line.first_line])
        cached = old.get(key) if one_line else None
        if cached is None:
            cached = _materialize(line)
        if one_line and not cached[4]:
            new[key] = cached
        _add(result, cached)
    if cacheable:
        # Blank and comment-only lines yield nothing; remember that too, for the fast path above.
        for n, raw in enumerate(lines):
            stripped = raw.strip()
            inert = (not stripped or stripped.startswith("#")) and not raw.rstrip().endswith("\\")
            after_continuation = n > 0 and lines[n - 1].rstrip().endswith("\\")
            if inert and not after_continuation:
                new.setdefault((n, raw), _EMPTY)
    _CACHES[path] = new
    return result


_EMPTY: tuple[Any, ...] = (None, None, None, (), False)


def _one_line(n: int, raw: str) -> tuple[Any, ...]:
    line = raw.rstrip("\r")
    comment = _COMMENT_RE.search(line) if "#" in line else None
    if comment is not None:
        line = line[: comment.start()]
    if not line or line.isspace():
        return _EMPTY
    return _materialize(LogicalLine(line, n, n, [(0, n, 0)]))


def _add(result: RequirementsFile, cached: tuple[Any, ...]) -> None:
    req, include, option, problems, _uncacheable = cached
    if req is not None:
        result.requirements.append(req)
    if include is not None:
        result.includes.append(include)
    if option is not None:
        result.options.append(option)
    if problems:
        result.problems.extend(problems)


def _materialize(line: LogicalLine) -> tuple[Any, ...]:
    req = include = option = None
    problems: list[RequirementsProblem] = []
    stmt = _analyze(line.text)
    if stmt.requirement is not None:
        req_text, offset, parsed, kind, name, opts = stmt.requirement
        options: dict[str, list[str]] = {}
        for key, value in opts:
            options.setdefault(key, []).append(value)
        req = RequirementLine(line, req_text, offset, parsed, kind, name, options)
    if stmt.include is not None:
        kind, raw_target, vstart, vend = stmt.include
        target, missing = _expand_env(raw_target)
        include = Include(kind, target, line.span(vstart, vend), line, missing)
    if stmt.option is not None:
        name, values, start, end = stmt.option
        option = GlobalOption(name, list(values), line.span(start, end), line)
    for start, end, message, pkind, detail in stmt.problems:
        problems.append(RequirementsProblem(line.span(start, end), message, pkind, detail))
    return req, include, option, tuple(problems), include is not None


@functools.lru_cache(maxsize=1024)
def _analyze(text: str) -> _Statement:
    lead = len(text) - len(text.lstrip())
    if text[lead] == "-":
        return _analyze_option(text, lead)
    return _analyze_requirement(text, lead)


def _tokens(text: str, start: int) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start)]


def _analyze_option(text: str, lead: int) -> _Statement:
    tokens = _tokens(text, lead)
    first, start, end = tokens[0]
    name, _, attached = first.partition("=")
    if not name.startswith("--") and len(name) > 2 and name[:2] in VALUE_OPTIONS:
        attached, name = name[2:], name[:2]  # -rfile, -iURL
    canonical = VALUE_OPTIONS.get(name)
    if canonical is None:
        if name in FLAG_OPTIONS:
            return _Statement(option=(name, (), start, end))
        message = f"unknown option {name!r} (pip would refuse this file)"
        return _Statement(problems=((start, start + len(name), message, "option", ""),))
    if attached:
        value, vstart, vend = attached, end - len(attached), end
        rest = tokens[1:]
    elif len(tokens) > 1:
        value, vstart, vend = tokens[1]
        rest = tokens[2:]
    else:
        return _Statement(problems=((start, end, f"option {name} needs a value", "option", ""),))
    if canonical in ("-r", "-c"):
        return _Statement(include=(canonical, value, vstart, vend))
    if canonical == "-e":
        target = text[vstart:].strip()
        return _Statement(requirement=(target, vstart, None, "editable", _direct_name(target), ()))
    values = [value] + [t for t, _, _ in rest]
    if canonical in ("--only-binary", "--no-binary"):
        values = [v for chunk in values for v in chunk.split(",") if v]
    stop = rest[-1][2] if rest else vend
    return _Statement(option=(canonical, tuple(values), start, stop))


def _direct_name(text: str) -> str | None:
    egg = _EGG_RE.search(text)
    if egg:
        return egg["name"]
    wheel = _WHEEL_NAME_RE.search(text.split("#")[0].split("?")[0].rsplit("/", 1)[-1])
    if wheel:
        return wheel["name"]
    return None


def _analyze_requirement(text: str, lead: int) -> _Statement:
    # Per-requirement options start at the first " --option" token.
    m = _OPTION_START_RE.search(text, lead)
    req_end = m.start() if m else len(text.rstrip())
    req_text = text[lead:req_end].rstrip()
    options: list[tuple[str, str]] = []
    problems: list[tuple[int, int, str, str, str]] = []
    if m:
        for token, start, _end in _tokens(text, req_end):
            key, _, value = token.partition("=")
            if key.startswith("-"):
                if key not in PER_REQUIREMENT_OPTIONS:
                    message = f"{key} is not allowed on a requirement line"
                    problems.append((start, start + len(key), message, "option", ""))
                options.append((key, value))
    if _URL_RE.match(req_text) or req_text.startswith((".", "/", "~")) or _DRIVE_RE.match(req_text):
        kind = "url" if _URL_RE.match(req_text) else "path"
        direct: _RequirementParts = (req_text, lead, None, kind, _direct_name(req_text), tuple(options))
        return _Statement(requirement=direct, problems=tuple(problems))
    expanded, _missing = _expand_env(req_text) if "${" in req_text else (req_text, [])
    parsed = parse_requirement(expanded)
    if not parsed.valid:
        rng = parsed.error_range or (0, len(req_text))
        message = f"invalid requirement {req_text!r}"
        problems.append((lead + rng[0], lead + rng[1], message, "syntax", f"PEP 508: {parsed.error}"))
    req: _RequirementParts = (req_text, lead, parsed, "requirement", None, tuple(options))
    return _Statement(requirement=req, problems=tuple(problems))


_TOKEN_RE = re.compile(r"\S+")
_OPTION_START_RE = re.compile(r"(?<=\s)--?[A-Za-z]")
_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://")
_DRIVE_RE = re.compile(r"^[A-Za-z]:[\\/]")
