"""Editor settings (``initializationOptions`` / ``workspace/didChangeConfiguration``) -> Config.

They overlay ``[tool.kb-lint]``: a project's own settings still rule. Bad values are reported in
the log and skipped, never fatal.
"""

from __future__ import annotations

from typing import Any

from buildwise.model import Severity
from buildwise.project.config import PLATFORMS, Config, parse_python_list

LOG_LEVELS = ("debug", "info", "warning", "error")


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    return None


def settings_to_config(raw: Any) -> tuple[Config, list[str], dict[str, Any]]:
    """(config overlay, problems, extras such as the log level)."""
    problems: list[str] = []
    extra: dict[str, Any] = {}
    if isinstance(raw, dict) and isinstance(raw.get("buildwise"), dict):
        raw = raw["buildwise"]
    if not isinstance(raw, dict):
        return Config(), problems, extra
    changes: dict[str, Any] = {}
    pythons = _strings(raw.get("python"))
    if pythons:
        good, bad = parse_python_list(pythons)
        if bad:
            problems.append(f"python: ignoring {', '.join(bad)} (use 3.12 or 3.13t)")
        if good:
            changes["python"] = good
    platforms = _strings(raw.get("platforms"))
    if platforms:
        bad = [p for p in platforms if p not in PLATFORMS]
        if bad:
            problems.append(f"platforms: ignoring {', '.join(bad)}; known: {', '.join(PLATFORMS)}")
        good_platforms = tuple(p for p in platforms if p in PLATFORMS)
        if good_platforms:
            changes["platforms"] = good_platforms
    for key, field in (("select", "select"), ("ignore", "ignore")):
        codes = _strings(raw.get(key))
        if codes:
            changes[field] = tuple(c.upper() for c in codes)
    severity = raw.get("severity")
    if isinstance(severity, dict):
        parsed: dict[str, Severity] = {}
        for code, level in severity.items():
            try:
                parsed[str(code).upper()] = Severity.parse(str(level))
            except ValueError as exc:
                problems.append(f"severity.{code}: {exc}")
        if parsed:
            changes["severity"] = parsed
    if isinstance(raw.get("online"), bool):
        changes["online"] = raw["online"]
    if isinstance(raw.get("freeThreaded"), bool):
        changes["free_threaded"] = raw["freeThreaded"]
    distro = raw.get("distro")
    if isinstance(distro, str) and distro.strip():
        changes["distro"] = distro.strip()
        extra["distro"] = distro.strip()
    scripts = _strings(raw.get("scripts"))
    if scripts:  # PEP 723 scripts to check, like [tool.kb-lint] scripts
        changes["scripts"] = scripts
    roots = _strings(raw.get("roots"))
    if roots:  # folders outside the workspace that includes may reach (like kb-lint --root)
        extra["roots"] = roots
    level = raw.get("logLevel")
    if isinstance(level, str):
        if level.lower() in LOG_LEVELS:
            extra["log_level"] = level.lower()
        else:
            problems.append(f"logLevel: {level!r} is not one of {', '.join(LOG_LEVELS)}")
    return Config().overlay(**changes), problems, extra
