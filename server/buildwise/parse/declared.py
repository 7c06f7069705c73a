"""What every dependency-declaring format parses into: requirements with their places, problems
with their places, and the Python versions the file targets.

Formats with their own version syntax (Poetry's ``^1.2``, Pipfile's ``"*"`` and tables) are
converted to PEP 508 strings here, and keep the places of the name and of the version as written,
so findings point at the right characters and fixes can write the format's own syntax back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from buildwise.model import Span


@dataclass(frozen=True)
class Declared:
    """One dependency as a file declares it."""

    #: The PEP 508 requirement (converted for formats that have their own syntax).
    requirement: str
    #: Where it is declared ("options.install_requires", "tool.poetry.group.dev.dependencies").
    group: str
    #: The whole entry (``numpy = "^1.26"``, a setup.cfg line, a list element with its quotes).
    span: Span
    #: Where ``requirement`` is written verbatim (inside the quotes); None for converted entries,
    #: whose name and version have their own places below.
    verbatim: Span | None = None
    name_span: Span | None = None
    #: The version constraint as written (its string's inside), for converted entries.
    specifier_span: Span | None = None
    #: The version constraint as written ("^1.26", "*"); None when the entry has none.
    written_specifier: str | None = None
    #: "pep508" | "poetry" | "pipfile" | "locked" (a lock file's pin: findings, never edits)
    syntax: str = "pep508"
    #: A requirement of the build (setup_requires, a script's build), not of the installed package.
    build: bool = False


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, at its place."""

    span: Span
    message: str
    #: "syntax" (the file cannot be read: KB001), "invalid" (a bad requirement or value: KB002),
    #: "dynamic" (computed at build time, not checked: KB006)
    kind: str = "invalid"
    #: For "dynamic": the requirements files the computing code names (relative to the file).
    reads: tuple[str, ...] = ()


@dataclass
class DependencyFile:
    """A file that declares dependencies: setup.cfg, setup.py, Pipfile, Pipfile.lock, a script's
    inline metadata, tox.ini, a conda environment file."""

    path: str
    #: "setup.cfg" | "setup.py" | "Pipfile" | "Pipfile.lock" | "script" | "tox.ini" | "conda"
    format: str
    text: str
    requirements: list[Declared] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The Python versions the file says it supports, as a PEP 440 specifier, and where.
    requires_python: str | None = None
    requires_python_span: Span | None = None
    #: Requirements files the file reads (setup.cfg ``file:``), relative to its folder.
    includes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def is_lock(self) -> bool:
        return self.format == "Pipfile.lock"
