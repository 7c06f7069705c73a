"""Field types of uv.lock and pylock.toml (PEP 751), checked before anything reads the values.

A lock file is machine-written, but a hand edit, a merge conflict or a hostile file can put any
TOML value anywhere: ``wheels = [{ url = 5 }]``. Every field kb-lint reads is checked here; a
wrong one becomes a problem at its position, and the reader only ever sees values of the right
type (a wrong-typed entry is left out).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from buildwise.model import Span
from buildwise.parse.toml_document import Key, TomlDocument

#: A type spec: a Python type, ("array", item spec), ("table", {key: spec}), ("map", value spec)
#: (a table with free keys), or a tuple of Python types.
Spec = Any

_STR = str
_INT = int
_TIME = (str, datetime.datetime, datetime.date)

_UV_DEPENDENCY: Spec = (
    "table",
    {"name": _STR, "marker": _STR, "version": _STR, "extra": ("array", _STR), "source": ("map", object)},
)
_UV_FILE: Spec = (
    "table",
    {"url": _STR, "path": _STR, "filename": _STR, "hash": _STR, "size": _INT, "upload-time": _TIME},
)
_UV_PACKAGE: Spec = (
    "table",
    {
        "name": _STR,
        "version": _STR,
        "source": ("map", object),
        "dependencies": ("array", _UV_DEPENDENCY),
        "optional-dependencies": ("map", ("array", _UV_DEPENDENCY)),
        "dev-dependencies": ("map", ("array", _UV_DEPENDENCY)),
        "sdist": _UV_FILE,
        "wheels": ("array", _UV_FILE),
        "resolution-markers": ("array", _STR),
        "metadata": ("map", object),
    },
)
UV_LOCK: Spec = (
    "table",
    {
        "version": _INT,
        "revision": _INT,
        "requires-python": _STR,
        "resolution-markers": ("array", _STR),
        "package": ("array", _UV_PACKAGE),
    },
)

_PYLOCK_FILE: Spec = (
    "table",
    {
        "name": _STR,
        "url": _STR,
        "path": _STR,
        "size": _INT,
        "upload-time": _TIME,
        "hashes": ("map", _STR),
    },
)
_PYLOCK_PACKAGE: Spec = (
    "table",
    {
        "name": _STR,
        "version": _STR,
        "marker": _STR,
        "requires-python": _STR,
        "dependencies": ("array", ("map", object)),
        "vcs": ("map", object),
        "directory": ("map", object),
        "archive": ("map", object),
        "index": _STR,
        "sdist": _PYLOCK_FILE,
        "wheels": ("array", _PYLOCK_FILE),
        "attestation-identities": ("array", ("map", object)),
        "tool": ("map", object),
    },
)
PYLOCK: Spec = (
    "table",
    {
        "lock-version": _STR,
        "environments": ("array", _STR),
        "requires-python": _STR,
        "extras": ("array", _STR),
        "dependency-groups": ("array", _STR),
        "default-groups": ("array", _STR),
        "created-by": _STR,
        "packages": ("array", _PYLOCK_PACKAGE),
        "tool": ("map", object),
    },
)

_NAMES = {str: "a string", int: "an integer", bool: "a boolean", float: "a number", list: "an array"}


@dataclass(frozen=True)
class LockProblem:
    span: Span
    message: str


def _describe(spec: Spec) -> str:
    if isinstance(spec, tuple) and spec and spec[0] == "array":
        return "an array"
    if isinstance(spec, tuple) and spec and spec[0] in ("table", "map"):
        return "a table"
    if spec is _TIME:
        return "a string or a date-time"
    return _NAMES.get(spec, getattr(spec, "__name__", str(spec)))


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return "a date-time"
    return _NAMES.get(type(value), type(value).__name__)


def _matches(value: Any, spec: Spec) -> bool:
    if spec is object:
        return True
    if isinstance(spec, tuple) and spec and isinstance(spec[0], str):
        return isinstance(value, list) if spec[0] == "array" else isinstance(value, dict)
    if isinstance(value, bool) and spec is not bool:
        return False  # True is an int to Python, not to TOML
    return isinstance(value, spec)


def clean(value: Any, spec: Spec, path: Key, problems: list[tuple[Key, str]]) -> Any:
    """``value`` with every wrong-typed part left out; each one left out is a problem."""
    if not _matches(value, spec):
        problems.append((path, f"must be {_describe(spec)}, not {_type_of(value)}"))
        return None
    if not isinstance(spec, tuple) or not spec or not isinstance(spec[0], str):
        return value
    kind, inner = spec
    if kind == "array":
        out = []
        for i, item in enumerate(value):
            kept = clean(item, inner, (*path, i), problems)
            if kept is not None:
                out.append(kept)
        return out
    table: dict[str, Any] = {}
    for key, item in value.items():
        item_spec = inner.get(key, object) if kind == "table" else inner
        kept = clean(item, item_spec, (*path, key), problems)
        if kept is not None:
            table[key] = kept
    return table


def span_of(doc: TomlDocument, path: Key) -> Span:
    """Where ``path`` is written: its value, else the array element or table that holds it."""
    for n in range(len(path), 0, -1):
        prefix = path[:n]
        info = doc.keys.get(prefix)
        if info is not None:
            if n < len(path) and isinstance(path[n], int) and info.array is not None:
                elements = info.array.elements
                index = path[n]
                assert isinstance(index, int)
                if index < len(elements):
                    return elements[index].span
            return info.value_span
        table = doc.tables.get(prefix)
        if table is not None and table.header_span is not None:
            return table.header_span
    return Span.point(0, 0)


def validate(doc: TomlDocument, spec: Spec) -> tuple[dict[str, Any], list[LockProblem]]:
    """The document's data with wrong-typed fields left out, and a problem for each."""
    raw: list[tuple[Key, str]] = []
    data = clean(doc.data, spec, (), raw)
    problems = []
    for path, message in raw:
        where = ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
        problems.append(LockProblem(span_of(doc, path), f"{where} {message}"))
    return data or {}, problems
