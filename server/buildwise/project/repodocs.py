"""Where a repository documents the OS packages a source build needs: README*, INSTALL*,
CONTRIBUTING*, docs/ (md, rst, txt), Dockerfile/Containerfile, bindep.txt and CI workflows.

Read once per project (bounded: 200 files, 256 KiB each) into a set of lower-case tokens, so a rule
can ask "is libpq-dev or postgresql-libs mentioned anywhere people look?" without I/O.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from buildwise.project.files import FileReader

MAX_FILES = 200
READ_LIMIT = 256 * 1024

_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9+._-]*[a-z0-9+]|[a-z0-9]")
_TOP_LEVEL = re.compile(r"^(readme|install|contributing|building|hacking)(\..*)?$", re.I)
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

    def mentions(self, name: str) -> bool:
        return name.lower() in self.tokens


def _read(reader: FileReader, path: Path) -> str:
    result = reader.read(path)
    return (result.text or "")[:READ_LIMIT]


def _candidates(root: Path) -> list[Path]:
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.is_file() and (
            _TOP_LEVEL.match(entry.name)
            or _CONTAINER.match(entry.name)
            or entry.name in _CI_FILES
            or entry.name in ("bindep.txt", "other-requirements.txt", "Makefile", "justfile")
        ):
            found.append(Path(entry.path))
    for sub in ("docs", "doc", *_CI_DIRS):
        base = root / sub
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
