"""PEP 725 ``[external]`` in pyproject.toml: its entries with positions, and DepURL checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from packaging.markers import InvalidMarker, Marker

from buildwise.knowledge import KnowledgeBase
from buildwise.parse.toml_document import ArrayElement, KeyInfo, TomlDocument

LIST_KEYS = ("build-requires", "host-requires", "dependencies")
GROUP_KEYS = (
    "optional-build-requires",
    "optional-host-requires",
    "optional-dependencies",
    "dependency-groups",
)
LEGACY_KEYS = {"build-host-requires": "host-requires"}

_DEPURL = re.compile(
    r"^dep:(?P<type>[a-z0-9.+-]+)/(?P<path>[^@?#;\s]+)"
    r"(?:@(?P<version>[^?#;\s]+))?(?:\?(?P<qualifiers>[^#;\s]*))?(?:#(?P<subpath>[^;\s]*))?$"
)
_VERSION = re.compile(
    r"^(?:[0-9][0-9A-Za-z.+!-]*|(?:(?:>=|<=|==|>|<)\s*[0-9][0-9A-Za-z.*+!-]*)(?:\s*,\s*(?:>=|<=|==|>|<)\s*[0-9][0-9A-Za-z.*+!-]*)*)$"
)
_LEGACY = re.compile(r"^(?:pkg:(?P<rest>[a-z0-9.+-]+/.+)|virtual:(?P<virtual>[a-z]+/.+))$")


@dataclass
class ExternalEntry:
    key: str  # build-requires, optional-host-requires.gui, ...
    section: str  # build-requires | host-requires | dependencies | group
    element: ArrayElement
    text: str


def entries(doc: TomlDocument) -> Iterator[ExternalEntry]:
    for path, info in doc.keys.items():
        if len(path) < 2 or path[0] != "external" or info.array is None:
            continue
        key = str(path[1])
        if len(path) == 2 and key in (*LIST_KEYS, *LEGACY_KEYS):
            section = LEGACY_KEYS.get(key, key)
        elif len(path) == 3 and key in GROUP_KEYS:
            section = key.removeprefix("optional-") if key != "dependency-groups" else "dependencies"
            key = f"{key}.{path[2]}"
        else:
            continue
        for element in info.array.elements:
            yield ExternalEntry(
                key, section, element, element.value if isinstance(element.value, str) else ""
            )


def external_keys(doc: TomlDocument) -> Iterator[KeyInfo]:
    for path, info in doc.keys.items():
        if len(path) == 2 and path[0] == "external":
            yield info


def legacy_rewrite(text: str) -> str | None:
    """Older draft forms in the current syntax: ``pkg:generic/libpq`` -> ``dep:generic/libpq``,
    ``virtual:compiler/c`` -> ``dep:virtual/compiler/c``; None when ``text`` is not one."""
    spec, sep, marker = text.partition(";")
    m = _LEGACY.match(spec.strip())
    if m is None:
        return None
    new = f"dep:{m['rest']}" if m["rest"] else f"dep:virtual/{m['virtual']}"
    return new + (f";{marker}" if sep else "")


def check_depurl(text: str, kb: KnowledgeBase) -> tuple[str | None, str | None]:
    """(problem, the identifier) for one external dependency specifier; problem None when valid."""
    spec, sep, marker = text.partition(";")
    spec = spec.strip()
    m = _DEPURL.match(spec)
    if m is None:
        if spec.startswith("dep:"):
            return f"{spec!r} is not a valid DepURL (dep:TYPE/NAME[@VERSION][;MARKER])", None
        return (
            f"{spec!r} is not a DepURL: external dependencies start with 'dep:' (e.g. dep:generic/libpq)",
            None,
        )
    ident = f"dep:{m['type']}/{m['path']}"
    if m["version"] and not _VERSION.match(m["version"]):
        return (
            f"version {m['version']!r}: only ==, >=, >, <=, < and commas are allowed after '@' (PEP 725)",
            ident,
        )
    if sep:
        try:
            Marker(marker.strip())
        except InvalidMarker as exc:
            return f"invalid environment marker: {str(exc).splitlines()[0]}", ident
    if m["type"] == "virtual":
        namespace = m["path"].split("/", 1)[0]
        if namespace not in ("compiler", "interface"):
            return (
                "virtual identifiers are dep:virtual/compiler/... or dep:virtual/interface/..., "
                f"not {namespace!r}",
                ident,
            )
        if kb.identifier(ident) is None:
            return f"{ident} is not a known virtual identifier{_suggest(ident, kb)}", ident
    elif m["type"] == "generic" and kb.identifier(ident) is None:
        return f"{ident} is not in the identifier registry{_suggest(ident, kb)}", ident
    return None, ident


def _suggest(ident: str, kb: KnowledgeBase) -> str:
    import difflib  # only for a misspelt identifier

    close = difflib.get_close_matches(ident, kb.identifier_ids(), n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""
