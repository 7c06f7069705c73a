"""The rule registry. One module per rule; each module's docstring is the rule's documentation.

A rule module defines ``CODE``, ``NAME`` (kebab-case, names the problem), ``SEVERITY`` (default),
``APPLIES_TO`` ("pyproject", "requirements" or both) and ``check(ctx) -> Iterable[Finding]``.
Rules read facts from the context; they never parse and never do I/O.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from buildwise.model import Severity

if TYPE_CHECKING:
    from buildwise.analysis.context import LintContext
    from buildwise.model import Finding

#: Rule modules, in code order. Adding a rule = adding its module here.
RULE_MODULES = (
    "kb001_toml_syntax_error",
    "kb002_invalid_requirement",
    "kb003_requirements_include_problem",
    "kb004_invalid_configuration",
    "kb005_invalid_lock_file",
    "kb006_dynamic_dependencies",
    "kb101_missing_build_system",
    "kb102_backend_not_in_requires",
    "kb103_build_tool_missing",
    "kb104_obsolete_build_requirement",
    "kb201_no_wheel_for_python",
    "kb202_version_predates_python",
    "kb203_no_wheel_for_platform",
    "kb204_only_binary_conflict",
    "kb205_sdist_only_native",
    "kb206_no_installable_release",
    "kb301_undocumented_os_dependency",
    "kb302_invalid_external_dependency",
    "kb303_legacy_external_syntax",
)

PROJECT_URL = "https://github.com/buildwise/buildwise"
DOCS_URL = PROJECT_URL + "/blob/main/docs/rules/{code}.md"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    applies_to: tuple[str, ...]
    check: Callable[[LintContext], Iterable[Finding]]
    doc: str
    #: Whether the rule offers fixes at all, and whether they are safe, for the docs and SARIF.
    fix: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)

    @property
    def local_doc(self) -> str | None:
        """This rule's page shipped with the package (or in a source checkout), if present."""
        here = Path(__file__).resolve().parent.parent
        for candidate in (here / "_docs" / "rules", here.parent.parent / "docs" / "rules"):
            page = candidate / f"{self.code}.md"
            if page.is_file():
                return str(page)
        return None


def _load(module: ModuleType) -> Rule:
    doc = inspect.cleandoc(module.__doc__ or "")
    return Rule(
        code=module.CODE,
        name=module.NAME,
        severity=module.SEVERITY,
        applies_to=tuple(module.APPLIES_TO),
        check=module.check,
        doc=doc,
        fix=getattr(module, "FIX", "none"),
    )


_RULES: list[Rule] | None = None


def all_rules() -> list[Rule]:
    global _RULES
    if _RULES is None:
        _RULES = [_load(importlib.import_module(f"buildwise.rules.{m}")) for m in RULE_MODULES]
    return _RULES


def rule(code: str) -> Rule | None:
    code = code.strip().upper()
    return next((r for r in all_rules() if r.code == code), None)


def rule_markdown(r: Rule) -> str:
    """docs/rules/<CODE>.md, generated from the docstring (its first line is the summary)."""
    rest = r.doc.strip().split("\n", 1)[1].strip() if "\n" in r.doc.strip() else ""
    return (
        f"# {r.code} `{r.name}`\n\n{r.summary}\n\n"
        f"Default severity: **{r.severity.label}**. Checks: {', '.join(r.applies_to)}. "
        f"Fix: {r.fix}.\n\n{rest}\n"
    )


def rule_json(r: Rule) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "severity": r.severity.label,
        "applies_to": list(r.applies_to),
        "fix": r.fix,
        "summary": r.summary,
        "url": r.url,
        "doc": r.doc,
    }
