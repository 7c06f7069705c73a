"""Opt-in look-up of a package index's JSON simple API (PEP 691), with an on-disk cache.

Only used with ``--online`` / ``[tool.kb-lint] online = true`` / the editor setting. Responses are
cached per index and project with their ETag; a later run revalidates with ``If-None-Match`` and,
when the index cannot be reached, works from the cache. Nothing here raises on network trouble:
a project that cannot be looked up is simply not known.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

ACCEPT = "application/vnd.pypi.simple.v1+json"
USER_AGENT = "buildwise (kb-lint)"


@dataclass(frozen=True)
class IndexFile:
    filename: str
    requires_python: str | None
    yanked: bool


@dataclass(frozen=True)
class ProjectFiles:
    name: str
    files: tuple[IndexFile, ...]
    #: "network", "not-modified" (revalidated cache), "cache" (index unreachable), "missing" (404)
    origin: str


def pip_default_index() -> str | None:
    """pip's own default index URL, read from pip rather than written here."""
    try:
        from pip._internal.models.index import PyPI

        return str(PyPI.simple_url)
    except Exception:
        return None


def _pip_config_index() -> str | None:
    import configparser  # only online mode reads pip's configuration

    candidates = [
        Path("/etc/pip.conf"),
        Path.home() / ".pip" / "pip.conf",
        Path.home() / ".config" / "pip" / "pip.conf",
    ]
    if os.environ.get("PIP_CONFIG_FILE"):
        candidates.append(Path(os.environ["PIP_CONFIG_FILE"]))
    found = None
    for path in candidates:
        parser = configparser.ConfigParser()
        with contextlib.suppress(OSError, configparser.Error):
            parser.read(path)
            for section in ("install", "global"):
                if parser.has_option(section, "index-url"):
                    found = parser.get(section, "index-url")
                    break
    return found


def resolve_index_url(explicit: str | None = None) -> str | None:
    """CLI/config value, then PIP_INDEX_URL / UV_DEFAULT_INDEX / UV_INDEX_URL, then pip's
    configuration files, then pip's built-in default."""
    for value in (
        explicit,
        os.environ.get("PIP_INDEX_URL"),
        os.environ.get("UV_DEFAULT_INDEX"),
        os.environ.get("UV_INDEX_URL"),
        _pip_config_index(),
        pip_default_index(),
    ):
        if value:
            return value.rstrip("/") + "/"
    return None


def parse_project_json(data: Any) -> tuple[IndexFile, ...]:
    files = []
    for item in data.get("files", []) if isinstance(data, dict) else []:
        if not isinstance(item, dict) or not isinstance(item.get("filename"), str):
            continue
        yanked = item.get("yanked", False)
        rp = item.get("requires-python")
        files.append(IndexFile(item["filename"], rp if isinstance(rp, str) else None, bool(yanked)))
    return tuple(files)


class IndexClient:
    def __init__(
        self, index_url: str, cache_dir: Path, *, timeout: float = 10.0, offline: bool = False
    ) -> None:
        self.index_url = index_url.rstrip("/") + "/"
        import hashlib

        key = hashlib.blake2b(self.index_url.encode(), digest_size=8).hexdigest()
        self.cache_dir = cache_dir / "index" / key
        self.timeout = timeout
        self.offline = offline
        self.memory: dict[str, ProjectFiles] = {}
        self._lock = threading.Lock()

    def _cache_path(self, key: str) -> Path:
        return self.cache_dir / f"{key}.json"

    def _read_cache(self, key: str) -> dict[str, Any] | None:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self._cache_path(key).read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        return None

    def _write_cache(self, key: str, etag: str | None, body: Any) -> None:
        import tempfile

        with contextlib.suppress(OSError):
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"etag": etag, "body": body}, fh)
            os.replace(tmp, self._cache_path(key))

    def get(self, name: str) -> ProjectFiles | None:
        """The project's files, from memory, the index, or the cache; None when unknown."""
        key = canonicalize_name(name)
        with self._lock:
            if key in self.memory:
                return self.memory[key]
        result = self._fetch(key)
        if result is not None:
            with self._lock:
                self.memory[key] = result
        return result

    def _fetch(self, key: str) -> ProjectFiles | None:
        import urllib.error  # only online mode pays for the HTTP stack
        import urllib.request

        cached = self._read_cache(key)
        if self.offline:
            return ProjectFiles(key, parse_project_json(cached["body"]), "cache") if cached else None
        request = urllib.request.Request(
            self.index_url + key + "/", headers={"Accept": ACCEPT, "User-Agent": USER_AGENT}
        )
        if cached and cached.get("etag"):
            request.add_header("If-None-Match", cached["etag"])
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = json.loads(response.read().decode("utf-8"))
                self._write_cache(key, response.headers.get("ETag"), body)
                return ProjectFiles(key, parse_project_json(body), "network")
        except urllib.error.HTTPError as exc:
            if exc.code == 304 and cached:
                return ProjectFiles(key, parse_project_json(cached["body"]), "not-modified")
            if exc.code == 404:
                return ProjectFiles(key, (), "missing")
        except (urllib.error.URLError, OSError, ValueError, TimeoutError):
            pass
        if cached:
            return ProjectFiles(key, parse_project_json(cached["body"]), "cache")
        return None

    def prefetch(self, names: Iterable[str], workers: int = 8) -> dict[str, ProjectFiles]:
        wanted = sorted({canonicalize_name(n) for n in names} - set(self.memory))
        if wanted:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(self.get, wanted))
        return dict(self.memory)
