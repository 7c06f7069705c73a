"""Where a repository documents the OS packages a source build needs: README*, INSTALL*, BUILDING*,
CONTRIBUTING*, docs/ and Doc/ in any case (md, rst, txt), .readthedocs.yaml, Dockerfiles and
Containerfiles anywhere in the project (docker/, .devcontainer/), compose files, bindep files, conda
environment files, shell scripts (scripts/*.sh, requirements/*.sh) and CI workflows; for a nested
project also the enclosing project's (see :func:`buildwise.project.Project.docs`).

A name counts in any of its distro spellings: ``libldap2-dev`` and ``libldap-dev``, the ``t64``
renames (``libssl3t64``), ``default-libmysqlclient-dev`` and ``libmysqlclient-dev`` are the same.

Read once per project (bounded: 200 files, 256 KiB each) into a set of lower-case tokens, so a rule
can ask "is libpq-dev or postgresql-libs mentioned anywhere people look?" without I/O.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from buildwise.project.files import FileReader
from buildwise.project.signals import containerfiles

MAX_FILES = 200
READ_LIMIT = 256 * 1024

_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9+._-]*[a-z0-9+]|[a-z0-9]")
_TOP_LEVEL = re.compile(
    r"^(readme|install|installation|contributing|building|build|hacking|development|developing)(\..*)?$",
    re.I,
)
_ROOT_FILES = re.compile(
    r"^(\.readthedocs\.ya?ml|bindep\.txt|other-requirements\.txt|makefile|justfile|"
    r"(docker-)?compose(\.[\w-]+)?\.ya?ml|environment([.-][\w-]+)?\.ya?ml|conda([.-][\w-]+)?\.ya?ml|"
    r"[\w.-]+\.sh)$",
    re.I,
)
_DOC_DIRS = ("docs", "doc", "documentation")
_SCRIPT_DIRS = ("scripts", "script", "requirements", "tools", "bin", "docker", ".devcontainer", "ci")
_CONTAINER = re.compile(r"^(dockerfile|containerfile)(\..*)?$|.*\.(dockerfile|containerfile)$", re.I)
_CI_FILES = (
    ".gitlab-ci.yml",
    ".travis.yml",
    "azure-pipelines.yml",
    "appveyor.yml",
    ".cirrus.yml",
    "noxfile.py",
    "tox.ini",
)
_CI_DIRS = (".github/workflows", ".circleci", ".gitlab", "ci", ".ci")
_DOC_SUFFIXES = (".md", ".rst", ".txt", ".adoc")


@dataclass
class RepoDocs:
    root: Path
    tokens: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    #: The README a "System dependencies" section goes into (None: there is none yet).
    readme: Path | None = None
    readme_text: str = ""
    bindep: Path | None = None
    bindep_text: str = ""

    #: The tokens in their normalized spelling (see :func:`normalize`).
    normalized: set[str] = field(default_factory=set)

    def mentions(self, name: str) -> bool:
        lower = name.lower()
        if lower in self.tokens:
            return True
        if not self.normalized and self.tokens:
            self.normalized = {normalize(t) for t in self.tokens}
        return normalize(lower) in self.normalized


def normalize(name: str) -> str:
    """One spelling for a distro package's variants: ``libldap2-dev`` -> ``libldap-dev``,
    ``libssl3t64`` -> ``libssl``, ``default-libmysqlclient-dev`` -> ``libmysqlclient-dev``."""
    name = name.lower().removeprefix("default-")
    name = re.sub(r"t64(?=$|-)", "", name)
    return re.sub(r"(?<=[a-z])[\d.]+(?=$|-dev$|-devel$)", "", name)


def _read(reader: FileReader, path: Path) -> str:
    result = reader.read(path)
    return (result.text or "")[:READ_LIMIT]


def _candidates(root: Path) -> list[Path]:
    """Documentation files of the project at ``root`` (nested projects and test data excluded)."""
    found = _top_candidates(root)
    for path in containerfiles(root):
        if path not in found:
            found.append(path)
    return found[:MAX_FILES]


def _top_candidates(root: Path) -> list[Path]:
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return found
    subdirs: list[Path] = []
    for entry in entries:
        if entry.is_file() and (
            _TOP_LEVEL.match(entry.name)
            or _CONTAINER.match(entry.name)
            or entry.name in _CI_FILES
            or _ROOT_FILES.match(entry.name)
        ):
            found.append(Path(entry.path))
        elif entry.is_dir() and entry.name.lower() in _DOC_DIRS:
            subdirs.append(Path(entry.path))
        elif entry.is_dir() and entry.name.lower() in _SCRIPT_DIRS:
            found += _scripts(Path(entry.path))
    for base in [*subdirs, *(root / sub for sub in _CI_DIRS)]:
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_build", ".")) or d == ".github")
            for name in sorted(filenames):
                if name.endswith((*_DOC_SUFFIXES, ".yml", ".yaml", ".sh", ".toml")) or _CONTAINER.match(name):
                    found.append(Path(dirpath) / name)
                if len(found) >= MAX_FILES:
                    return found
    return found


def _scripts(base: Path) -> list[Path]:
    """Shell scripts and bindep/compose/conda files one level into scripts/, requirements/ ..."""
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError:
        return []
    return [
        Path(e.path)
        for e in entries
        if e.is_file() and (e.name.endswith(".sh") or _ROOT_FILES.match(e.name) or _CONTAINER.match(e.name))
    ]


def scan_docs(root: Path, reader: FileReader) -> RepoDocs:
    """Scan ``root``; files open in the editor (or fixed in memory) count with their current text."""
    docs = RepoDocs(root)
    candidates = _candidates(root)[:MAX_FILES]
    for key in reader.overlays:  # unsaved or freshly created files the directory listing cannot show
        path = Path(key)
        is_doc = _TOP_LEVEL.match(path.name) or path.name == "bindep.txt"
        if path.parent == root and is_doc and path not in candidates:
            candidates.append(path)
    for path in candidates:
        text = _read(reader, path)
        docs.tokens.update(_TOKEN_RE.findall(text.lower()))
        docs.files.append(path.relative_to(root).as_posix())
    for name in ("README.md", "README.rst", "README.txt", "README", "readme.md"):
        if reader.exists(root / name):
            docs.readme = root / name
            docs.readme_text = reader.read(root / name).text or ""
            break
    if reader.exists(root / "bindep.txt"):
        docs.bindep = root / "bindep.txt"
        docs.bindep_text = reader.read(root / "bindep.txt").text or ""
    return docs
