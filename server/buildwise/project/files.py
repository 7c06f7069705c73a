"""Reading project files (editor buffers first, then disk) and finding the files kb-lint checks."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from buildwise.parse.text import MAX_FILE_BYTES, decode
from buildwise.project.boundaries import is_project_dir, is_test_data, is_tooling
from buildwise.project.sourcetree import SKIP_DIRS, is_virtualenv


@dataclass(frozen=True)
class ReadResult:
    text: str | None
    #: Why the file could not be read, or what is wrong with its bytes (then ``text`` is set too).
    problem: str | None = None
    #: For a decode problem: where the first bad byte is.
    problem_at: tuple[int, int] | None = None
    #: The editor's document version when the text came from an open buffer.
    version: int | None = None


_VCS_MARKERS = (".git", ".hg", ".svn", ".jj")


def project_boundary(path: str | Path) -> str:
    """The folder kb-lint may read in when asked to check ``path``: the enclosing repository (a
    folder with ``.git``, ``.hg`` ...), else the outermost folder with a pyproject.toml above it,
    else the folder of ``path`` itself. Includes and links that point beyond it are not followed.
    """
    start = os.path.abspath(path)
    directory = start if os.path.isdir(start) else os.path.dirname(start)
    boundary = directory
    for candidate in (directory, *Path(directory).parents):
        folder = str(candidate)
        if any(os.path.exists(os.path.join(folder, m)) for m in _VCS_MARKERS):
            return folder
        if os.path.isfile(os.path.join(folder, "pyproject.toml")):
            boundary = folder
    return boundary


def _size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB" if size >= 104_858 else f"{size:,} bytes"


class FileReader:
    """Reads files, preferring the editor's unsaved text (``overlays``) over what is on disk.

    With ``roots`` set (the CLI and the server set them), nothing outside them is opened: an
    include that climbs out (``-r ../../../etc/passwd``) or a link that points out is refused
    with a problem naming the path, and the file is never opened, so its lines cannot end up in
    a finding, a CI log or a SARIF upload.
    """

    def __init__(self, max_bytes: int = MAX_FILE_BYTES, roots: list[str] | None = None) -> None:
        self.overlays: dict[str, tuple[str, int | None]] = {}
        self.max_bytes = max_bytes
        self.roots: list[str] = []
        self._root_set: set[str] = set()
        for root in roots or ():
            self.add_root(root)

    def add_root(self, root: str | Path) -> None:
        real = os.path.normcase(os.path.realpath(root))
        if real not in self._root_set:
            self.roots.append(real)
            self._root_set.add(real)

    def outside(self, path: str | Path) -> str | None:
        """Why ``path`` may not be read (it resolves outside every root), or None."""
        if not self.roots:
            return None
        real = os.path.normcase(os.path.realpath(path))
        # Inside a root = the root is the path or one of its parents: a walk up the path's folders
        # (kb-lint check on 1,000 projects has 1,000 roots; comparing with each was most of a read).
        probe = real
        while True:
            if probe in self._root_set:
                return None
            parent = os.path.dirname(probe)
            if parent == probe:
                break
            probe = parent
        shown = self.roots[0]
        if os.path.normcase(os.path.abspath(path)) != real and os.path.lexists(path):
            return f"is a link to {os.path.realpath(path)}, outside the project ({shown}); not opened"
        return f"is outside the project ({shown}); not opened"

    @staticmethod
    def key(path: str | Path) -> str:
        return os.path.normcase(os.path.abspath(path))

    def set_overlay(self, path: str | Path, text: str, version: int | None = None) -> None:
        self.overlays[self.key(path)] = (text, version)

    def drop_overlay(self, path: str | Path) -> None:
        self.overlays.pop(self.key(path), None)

    def exists(self, path: str | Path) -> bool:
        return self.key(path) in self.overlays or os.path.isfile(path)

    def _too_large(self, size: int) -> ReadResult:
        limit = (
            f"{self.max_bytes // 1_048_576} MiB"
            if self.max_bytes >= 1_048_576
            else _size_text(self.max_bytes)
        )
        return ReadResult(None, f"is {_size_text(size)}; files over {limit} are not checked")

    def read(self, path: str | Path) -> ReadResult:
        refused = self.outside(path)
        if refused is not None:
            return ReadResult(None, refused)
        overlay = self.overlays.get(self.key(path))
        if overlay is not None:
            text = overlay[0]
            if len(text) * 4 > self.max_bytes:  # an editor buffer gets the same limit as a file
                size = len(text.encode("utf-8", "surrogatepass"))
                if size > self.max_bytes:
                    return self._too_large(size)
            return ReadResult(text, version=overlay[1])
        try:
            info = os.stat(path)
            if stat.S_ISDIR(info.st_mode):
                return ReadResult(None, "is a directory, not a file")
            if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
                return ReadResult(None, "is not a regular file; not opened")
            if info.st_size > self.max_bytes:
                return self._too_large(info.st_size)
            with open(path, "rb") as fh:
                data = fh.read(self.max_bytes + 1)
            if len(data) > self.max_bytes:  # it grew while we looked
                return self._too_large(len(data))
        except FileNotFoundError:
            return ReadResult(None, "does not exist")
        except PermissionError:
            return ReadResult(None, "cannot be read (permission denied)")
        except OSError as exc:
            return ReadResult(None, f"cannot be read ({exc.strerror or exc})")
        decoded = decode(data)
        if decoded.decode_error is not None:
            line, col, message = decoded.decode_error
            return ReadResult(decoded.text, message, (line, col))
        return ReadResult(decoded.text)


_NOT_REQUIREMENTS_IN = frozenset({"manifest", "makefile", "configure", "setup", "config"})


def is_requirements_file(path: str | Path) -> bool:
    """requirements*.txt, *requirements*.txt, constraints*.txt, requirements/*.txt, pip-tools *.in."""
    p = Path(path)
    name = p.name.lower()
    parent = p.parent.name.lower()
    if name.endswith(".txt"):
        return "requirements" in name or name.startswith("constraints") or parent in ("requirements", "reqs")
    if name.endswith(".in"):
        stem = name[:-3]
        return "." not in stem and stem not in _NOT_REQUIREMENTS_IN
    return False


def is_pyproject(path: str | Path) -> bool:
    return Path(path).name == "pyproject.toml"


def is_lock_file(path: str | Path) -> bool:
    """uv.lock, pylock.toml (and pylock.<name>.toml), poetry.lock, pdm.lock."""
    name = Path(path).name
    return name in ("uv.lock", "pylock.toml", "poetry.lock", "pdm.lock") or bool(
        re.fullmatch(r"pylock\.[^.]+\.toml", name)
    )


#: File name -> format, for the files kb-lint finds on its own.
MANIFEST_NAMES = {
    "setup.cfg": "setup.cfg",
    "setup.py": "setup.py",
    "Pipfile": "Pipfile",
    "Pipfile.lock": "Pipfile.lock",
    "tox.ini": "tox.ini",
    "environment.yml": "conda",
    "environment.yaml": "conda",
}
_CONDA_NAME = re.compile(r"^(environment|conda)([._-][\w.-]+)?\.ya?ml$")


def manifest_kind(path: str | Path, *, explicit: bool = False) -> str | None:
    """The format of a dependency file by its name; ``explicit`` (named on the command line or
    matched by ``[tool.kb-lint] scripts``): any other ``.py`` file is a PEP 723 script."""
    name = Path(path).name
    kind = MANIFEST_NAMES.get(name)
    if kind is not None:
        return kind
    if _CONDA_NAME.match(name) and not name.startswith("conda-lock"):
        return "conda"
    if explicit and name.endswith(".py"):
        return "script"
    return None


def is_manifest(path: str | Path) -> bool:
    """setup.cfg, setup.py, Pipfile, Pipfile.lock, tox.ini, conda environment files."""
    return manifest_kind(path) is not None


def discover(
    paths: list[Path],
    exclude: tuple[str, ...] = (),
    *,
    include_test_data: bool = False,
    skipped: list[str] | None = None,
) -> Iterator[Path]:
    """Files under ``paths`` that kb-lint checks, skipping VCS, virtual-env and node_modules folders,
    and test data (see :mod:`buildwise.project.boundaries`) unless ``include_test_data``; the test-data
    folders skipped are appended to ``skipped``.

    A path given explicitly is always yielded (even when its name does not match a pattern), so
    ``kb-lint check deps/prod.txt`` works.
    """
    from buildwise.project.config import _path_matches

    seen: set[str] = set()
    for start in paths:
        if start.is_file():
            key = os.path.abspath(start)
            if key not in seen:
                seen.add(key)
                yield start
            continue
        for dirpath, dirnames, filenames in os.walk(start):
            rel_dir = os.path.relpath(dirpath, start).replace(os.sep, "/")
            parts = () if rel_dir == "." else tuple(rel_dir.split("/"))
            if (
                parts
                and not include_test_data
                and (is_tooling(parts) or is_test_data(parts, is_project_dir(filenames)))
            ):
                if skipped is not None:
                    skipped.append(str(Path(start) / rel_dir))
                dirnames[:] = []
                continue
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in SKIP_DIRS
                and not d.endswith(".egg-info")
                and not is_virtualenv(os.path.join(dirpath, d))
                and not any(_path_matches(f"{rel_dir}/{d}".lstrip("./"), e) for e in exclude)
            )
            for name in sorted(filenames):
                if not (
                    is_pyproject(name)
                    or is_lock_file(name)
                    or is_requirements_file(Path(dirpath) / name)
                    or is_manifest(name)
                ):
                    continue
                candidate = Path(dirpath) / name
                rel = os.path.relpath(candidate, start).replace(os.sep, "/")
                if any(_path_matches(rel, e) for e in exclude):
                    continue
                key = os.path.abspath(candidate)
                if key not in seen:
                    seen.add(key)
                    yield candidate
