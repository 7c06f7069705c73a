"""Find the knowledge base on disk, compile it into one index, and cache that index.

The TOML files under ``knowledge/`` stay the source of truth. Compiling ~200 of them with tomli takes
tens of milliseconds, too slow for every editor start, so the compiled index (plain dicts, lists and
strings) is written with :mod:`marshal` to the user cache directory, keyed by a fingerprint of every
file's path, size and modification time. A warm load is one ``stat`` per file plus one ``marshal.loads``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import marshal
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli

from buildwise import __version__

#: Bumped whenever the shape of the compiled index changes.
INDEX_FORMAT = 4

RawTable = dict[str, Any]


class KnowledgeError(Exception):
    """The knowledge base cannot be found or one of its files cannot be read."""


def default_root() -> Path:
    """Where the knowledge base lives.

    ``BUILDWISE_KNOWLEDGE`` wins; then the copy installed inside the wheel (``buildwise/_knowledge``);
    then ``knowledge/`` at the root of a source checkout (``server/buildwise`` -> ``../../knowledge``).
    """
    env = os.environ.get("BUILDWISE_KNOWLEDGE")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    installed = here / "_knowledge"
    if installed.is_dir():
        return installed
    return here.parent.parent / "knowledge"


def cache_dir() -> Path:
    """The per-user cache directory (platformdirs' answer, overridable by ``BUILDWISE_CACHE_DIR``)."""
    env = os.environ.get("BUILDWISE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("buildwise", appauthor=False))


@dataclass(frozen=True)
class SourceFile:
    """One TOML file of the knowledge base."""

    kind: str  # "package" | "identifier" | "pythons" | "build-requirements"
    path: Path
    relpath: str


def list_sources(root: Path) -> list[SourceFile]:
    """Every TOML file the index is compiled from, in a stable order."""
    if not root.is_dir():
        raise KnowledgeError(f"knowledge base not found at {root}")
    found: list[SourceFile] = []
    packages = root / "packages"
    if packages.is_dir():
        for entry in sorted(os.scandir(packages), key=lambda e: e.name):
            if entry.name.endswith(".toml") and entry.is_file():
                found.append(SourceFile("package", Path(entry.path), f"packages/{entry.name}"))
    external = root / "external"
    if external.is_dir():
        for dirpath, dirnames, filenames in os.walk(external):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".toml"):
                    path = Path(dirpath) / name
                    found.append(SourceFile("identifier", path, path.relative_to(root).as_posix()))
    for kind, name in (("pythons", "pythons.toml"), ("build-requirements", "build-requirements.toml")):
        single = root / name
        if single.is_file():
            found.append(SourceFile(kind, single, name))
    return found


def fingerprint(root: Path, sources: list[SourceFile]) -> str:
    try:  # what hashlib uses for blake2b, without loading OpenSSL at every start
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - interpreters built without it
        from hashlib import blake2b
    digest = blake2b(digest_size=16)
    digest.update(f"{INDEX_FORMAT}:{__version__}:{root.resolve()}".encode())
    for source in sources:
        st = source.path.stat()
        digest.update(f"\0{source.relpath}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def identifier_from_path(relpath: str) -> str:
    """``external/generic/libpq.toml`` -> ``dep:generic/libpq``."""
    inner = relpath.removeprefix("external/").removesuffix(".toml")
    return "dep:" + inner


def _plain(value: Any) -> Any:
    """TOML dates and times become ISO strings, so the index holds only marshal-able values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.time, _dt.datetime)):
        return value.isoformat()
    return value


def read_toml(path: Path) -> RawTable:
    try:
        with path.open("rb") as fh:
            data: RawTable = _plain(tomli.load(fh))
    except tomli.TOMLDecodeError as exc:
        raise KnowledgeError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror}") from exc
    return data


def compile_index(sources: list[SourceFile]) -> RawTable:
    """Read every source into one plain structure: packages by file stem, identifiers by id."""
    packages: dict[str, RawTable] = {}
    identifiers: dict[str, RawTable] = {}
    files: dict[str, str] = {}
    pythons: RawTable = {}
    build_requirements: RawTable = {}
    for source in sources:
        data = read_toml(source.path)
        if source.kind == "package":
            stem = source.path.stem
            packages[stem] = data
            files[f"package:{stem}"] = source.relpath
        elif source.kind == "identifier":
            ident = identifier_from_path(source.relpath)
            identifiers[ident] = data
            files[f"identifier:{ident}"] = source.relpath
        elif source.kind == "pythons":
            pythons = data
        else:
            build_requirements = data
    return {
        "format": INDEX_FORMAT,
        "packages": packages,
        "identifiers": identifiers,
        "pythons": pythons,
        "build_requirements": build_requirements,
        "files": files,
    }


def load_index(root: Path | None = None, *, use_cache: bool = True) -> RawTable:
    """The compiled index for ``root``, from the cache when it is current."""
    root = root or default_root()
    sources = list_sources(root)
    if not use_cache:
        return compile_index(sources)
    key = fingerprint(root, sources)
    cache_file = cache_dir() / f"knowledge-{key}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        cached = marshal.loads(cache_file.read_bytes())
        if isinstance(cached, dict) and cached.get("format") == INDEX_FORMAT:
            return cached
    index = compile_index(sources)
    _write_cache(cache_file, index)
    return index


def _write_cache(cache_file: Path, index: RawTable) -> None:
    """Best effort: a read-only home directory only costs the next start its compile time."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        for stale in cache_file.parent.glob("knowledge-*.marshal"):
            with contextlib.suppress(OSError):
                stale.unlink()
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".knowledge-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(index))
        os.replace(tmp, cache_file)
    except OSError:
        return
