"""PEP 508 requirement strings, parsed once per distinct text (a cache shared by every document).

packaging decides validity and meaning; a small regular expression finds where the name, extras,
version specifier and marker sit inside the string, so findings can point at the right columns.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

# name [extras] (specifier | @ url) [; marker]  -- only for positions; packaging validates.
_LAYOUT = re.compile(
    r"""^(?P<lead>\s*)
    (?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)
    \s*(?P<extras>\[[^\]]*\])?
    \s*(?:(?P<at>@\s*(?P<url>[^;\s]+(?:\s+[^;\s]+)*?))|(?P<spec>\(?[^;@]*?\)?))
    \s*(?:;\s*(?P<marker>.*?))?\s*$""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class ParsedRequirement:
    """One requirement string: valid (``requirement`` set) or not (``error`` set)."""

    text: str
    requirement: Requirement | None
    error: str | None
    #: PEP 503 normalized name ("" when the name cannot be found).
    key: str
    #: Offsets into ``text`` (start, end), end exclusive; None when absent.
    name_range: tuple[int, int] | None
    specifier_range: tuple[int, int] | None
    marker_range: tuple[int, int] | None
    #: Where packaging says the string goes wrong (its ``~~~^`` underline), for invalid ones.
    error_range: tuple[int, int] | None = None

    @property
    def valid(self) -> bool:
        return self.requirement is not None

    @property
    def name(self) -> str:
        if self.requirement is not None:
            return self.requirement.name
        if self.name_range is not None:
            return self.text[self.name_range[0] : self.name_range[1]]
        return ""

    @property
    def specifier_text(self) -> str:
        """The version specifier as written (packaging would reorder ``>=4.9,<5`` to ``<5,>=4.9``)."""
        if self.specifier_range is None or self.requirement is None or not self.requirement.specifier:
            return ""
        return self.text[self.specifier_range[0] : self.specifier_range[1]].strip()

    @property
    def specifier(self) -> SpecifierSet:
        return self.requirement.specifier if self.requirement is not None else SpecifierSet()

    @property
    def marker(self) -> Marker | None:
        return self.requirement.marker if self.requirement is not None else None

    @property
    def url(self) -> str | None:
        return self.requirement.url if self.requirement is not None else None

    @property
    def extras(self) -> frozenset[str]:
        return frozenset(self.requirement.extras) if self.requirement is not None else frozenset()


def _range(m: re.Match[str], group: str) -> tuple[int, int] | None:
    start, end = m.span(group)
    if start < 0 or start == end:
        return None
    return (start, end)


@functools.lru_cache(maxsize=1024)  # bounded: an editing session types ever new strings
def parse_requirement(text: str) -> ParsedRequirement:
    """Parse a PEP 508 string; never raises."""
    layout = _LAYOUT.match(text)
    name_range = _range(layout, "name") if layout else None
    spec_range = None
    marker_range = None
    if layout:
        spec_range = _range(layout, "spec") or _range(layout, "at")
        marker_range = _range(layout, "marker")
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        key = canonicalize_name(text[name_range[0] : name_range[1]]) if name_range else ""
        return ParsedRequirement(
            text, None, _reason(exc), key, name_range, spec_range, marker_range, _error_range(exc, text)
        )
    return ParsedRequirement(
        text, req, None, canonicalize_name(req.name), name_range, spec_range, marker_range
    )


def _reason(exc: InvalidRequirement) -> str:
    """packaging's message, on one line (it draws a caret under the bad column on later lines)."""
    lines = [line.rstrip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else "invalid requirement"


def _error_range(exc: InvalidRequirement, text: str) -> tuple[int, int] | None:
    """packaging prints the string indented by 4 and underlines the problem: ``~~~^``."""
    lines = str(exc).splitlines()
    if len(lines) < 3:
        return None
    underline = lines[-1]
    stripped = underline.strip()
    if not stripped or set(stripped) - {"~", "^"}:
        return None
    start = len(underline) - len(underline.lstrip()) - 4
    end = start + len(stripped)
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if start == end:  # at the end of the string: underline its last character
        start = max(0, end - 1)
    return (start, end)
