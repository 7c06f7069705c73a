"""The lock-file model every lock reader fills: locked distributions, their wheel file names,
dependency edges (with markers) and the place of each entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from buildwise.model import Span
from buildwise.parse.lock_schema import LockProblem
from buildwise.parse.toml_document import TomlDocument


@dataclass(frozen=True)
class Edge:
    name: str
    marker: str | None = None
    version: str | None = None


@dataclass
class LockedPackage:
    name: str
    key: str
    version: str | None
    index: int
    wheels: list[str]
    has_sdist: bool
    #: registry | editable | virtual | directory | git | url | path
    source: str
    dependencies: list[Edge] = field(default_factory=list)
    #: pylock: when the package is installed at all
    marker: str | None = None
    #: uv: the forks of the resolution this entry belongs to
    resolution_markers: list[str] = field(default_factory=list)
    span: Span | None = None

    @property
    def is_project(self) -> bool:
        return self.source in ("editable", "virtual", "directory")


@dataclass
class LockFile:
    path: str
    kind: str  # "uv" | "pylock" | "poetry" | "pdm"
    doc: TomlDocument
    packages: list[LockedPackage]
    requires_python: str | None
    #: Fields of the wrong type (left out of ``packages``) and entries without a name.
    problems: list[LockProblem] = field(default_factory=list)

    def by_key(self, key: str) -> list[LockedPackage]:
        return [p for p in self.packages if p.key == key]


def wheel_filename(url_or_name: str) -> str:
    """The file name of a wheel URL, percent-decoded: ``torch-2.13.0%2Bcpu-...whl`` is the wheel of
    the local version ``2.13.0+cpu``."""
    tail = url_or_name.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return unquote(tail)
