"""The CPython versions and platforms a project is checked for, and where they came from.

Targets come from the project, never from the interpreter kb-lint runs on:
1. explicit settings win (``--python``/``--platform``, editor settings, ``[tool.kb-lint]``);
2. ``requires-python`` (or, without it, the lock file's) says which Pythons the project admits, capped
   at the newest Python the project tests or deploys on (CI matrices, tox, nox, ``.python-version``,
   Dockerfiles, classifiers: see :mod:`buildwise.project.signals`). ``requires-python = ">=3.10"``
   does not make every future Python a target: the newer ones it admits are a readiness question
   (``--python 3.15``), listed in ``beyond``;
3. without ``requires-python``, the range of Pythons the project tests or deploys on;
4. with nothing at all, the CPython releases supported today (``default``).
Platforms: the settings, else what the project's Dockerfiles, CI runners and classifiers name, else
the defaults.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from buildwise.project.config import DEFAULT_PLATFORMS, PLATFORMS, Config
from buildwise.project.signals import Signals


@dataclass(frozen=True)
class Targets:
    """The CPython versions ("3.12", "3.13t") and platforms a project is checked for."""

    pythons: tuple[str, ...]
    platforms: tuple[str, ...]
    #: Where the Python versions came from: "cli", "settings", "tool.kb-lint", "requires-python",
    #: "project" (CI, tox, Dockerfiles ...), "default".
    source: str
    #: For people: what decided the Pythons, e.g. ("requires-python >=3.10", "up to 3.13 ...").
    python_evidence: tuple[str, ...] = ()
    #: "configured", "project" or "default".
    platform_source: str = "default"
    platform_evidence: tuple[str, ...] = ()
    #: Newer Pythons requires-python admits that the project neither tests nor deploys on.
    beyond: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: 'CPython 3.10-3.13 (requires-python >=3.10; ...) on linux-x86_64 (Dockerfile)'."""
        pythons = _range_text(self.pythons)
        why = "; ".join(self.python_evidence) or self.source
        text = f"targets CPython {pythons} ({why})" if pythons else f"targets no CPython ({why})"
        where = "; ".join(self.platform_evidence) if self.platform_evidence else self.platform_source
        text += f" on {', '.join(self.platforms)} ({where})"
        if self.beyond:
            text += f"; not checked: {_range_text(self.beyond)} (check with --python)"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "pythons": list(self.pythons),
            "platforms": list(self.platforms),
            "source": self.source,
            "python_evidence": list(self.python_evidence),
            "platform_source": self.platform_source,
            "platform_evidence": list(self.platform_evidence),
            "beyond": list(self.beyond),
        }


def minor_key(version: str) -> tuple[int, int]:
    major, minor = version.rstrip("t").split(".")
    return int(major), int(minor)


def _range_text(versions: tuple[str, ...]) -> str:
    plain = [v for v in versions if not v.endswith("t")]
    if len(plain) >= 3 and all(minor_key(b)[1] - minor_key(a)[1] == 1 for a, b in itertools.pairwise(plain)):
        rest = [v for v in versions if v.endswith("t")]
        return f"{plain[0]}-{plain[-1]}" + (f", {', '.join(rest)}" if rest else "")
    return ", ".join(versions)


def _admits(spec: SpecifierSet, version: str) -> bool:
    return spec.contains(f"{version}.0", prereleases=True) or spec.contains(f"{version}.99")


def _only_older(spec: SpecifierSet, oldest: str) -> bool:
    """The specifier admits some CPython 3.x, all of them older than ``oldest``."""
    major, minor = minor_key(oldest)
    older = [f"{major}.{m}" for m in range(minor)]
    newer = [f"{major}.{m}" for m in range(minor, minor + 30)]
    return any(_admits(spec, v) for v in older) and not any(_admits(spec, v) for v in newer)


def _places(places: list[str]) -> str:
    return ", ".join(places[:2]) + (f" and {len(places) - 2} more" if len(places) > 2 else "")


def compute_targets(
    spec_text: str | None,
    config: Config,
    known_pythons: list[str],
    *,
    origin: str = "tool.kb-lint",
    signals: Signals | None = None,
    spec_origin: str = "requires-python",
    default_pythons: tuple[str, ...] = (),
) -> Targets:
    signals = signals or Signals()
    beyond: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    known = sorted(known_pythons, key=minor_key)
    seen = {v: places for v, places in signals.pythons.items() if v in known}
    pythons: tuple[str, ...] = ()
    source = "default"
    if config.python:
        pythons, source, evidence = config.python, origin, (f"set by {origin}",)
    else:
        spec: SpecifierSet | None = None
        if spec_text is not None:
            try:
                spec = SpecifierSet(spec_text)
            except InvalidSpecifier:
                spec = None
        admitted = tuple(v for v in known if spec is not None and _admits(spec, v))
        if admitted:
            source, evidence = "requires-python", (f"{spec_origin} {spec_text}",)
            pythons = admitted
            if seen:
                cap = max(seen, key=minor_key)
                pythons = tuple(v for v in admitted if minor_key(v) <= minor_key(cap)) or admitted[:1]
                beyond = tuple(v for v in admitted if v not in pythons)
                if beyond:
                    evidence += (f"up to {cap}, the newest it tests or deploys on ({_places(seen[cap])})",)
        elif spec is not None and known and _only_older(spec, known[0]):
            # "python_version = 3.7" in a Pipfile, requires-python = "<3.8": every Python the
            # project runs on predates what the knowledge base covers. Checking 3.11+ instead would
            # report pins the project never installs there.
            source = "requires-python"
            evidence = (
                f"{spec_origin} {spec_text} admits only Pythons older than {known[0]}, the oldest the "
                "knowledge base covers: wheel checks are skipped (choose targets with --python)",
            )
        elif seen:
            low, high = min(seen, key=minor_key), max(seen, key=minor_key)
            pythons = tuple(v for v in known if minor_key(low) <= minor_key(v) <= minor_key(high))
            source = "project"
            places = list(dict.fromkeys(p for v in (low, high) for p in seen[v]))
            tested = _range_text(tuple(sorted(seen, key=minor_key)))
            evidence = (f"tested or deployed on {tested} ({_places(places)})",)
        if not pythons and not (spec is not None and known and _only_older(spec, known[0])):
            pythons = default_pythons or tuple(known[-1:])
            source = "default"
            evidence = ("no requires-python, CI matrix, tox, nox, .python-version or Dockerfile names one",)
    if config.free_threaded:
        extra = tuple(f"{v}t" for v in pythons if not v.endswith("t") and minor_key(v) >= (3, 13))
        pythons = tuple(dict.fromkeys((*pythons, *extra)))
    pythons = tuple(sorted(pythons, key=lambda v: (minor_key(v), v)))

    platforms: tuple[str, ...]
    platform_evidence: tuple[str, ...] = ()
    if config.platforms:
        platforms, platform_source = tuple(config.platforms), "configured"
    elif signals.platforms:
        platforms = tuple(p for p in PLATFORMS if p in signals.platforms)
        platform_source = "project"
        platform_evidence = tuple(f"{p}: {_places(signals.platforms[p])}" for p in platforms)
    else:
        platforms, platform_source = DEFAULT_PLATFORMS, "default"
    return Targets(pythons, platforms, source, evidence, platform_source, platform_evidence, beyond)


def supported_pythons(entries: list[dict[str, Any]], today: date) -> tuple[str, ...]:
    """The CPython releases out and not yet at end of life on ``today`` (the knowledge base's
    ``pythons.toml``: ``released`` is a date, ``end_of_life`` a month)."""
    found = []
    for entry in entries:
        released, eol = str(entry.get("released", "")), str(entry.get("end_of_life", ""))
        if released and released <= today.isoformat() and (not eol or eol > today.isoformat()[:7]):
            found.append(str(entry["version"]))
    return tuple(sorted(found, key=minor_key))
