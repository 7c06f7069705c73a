"""The real-world corpus: unpack it, run `kb-lint check --format json` on each repository, group the
findings, and compare the groups with the hand-made labels.

A *group* is (repository, rule code, subject): the subject is the package a finding is about
(normalized), or for a finding about the file itself (a table such as ``[build-system]``, a missing
table, the project's own build) the file, relative to the repository.

labels.toml has one table per repository, one key per group, ``"CODE subject"``::

    ["owner/name"]
    "KB202 markupsafe" = { label = "NOISE", why = "pyproject.toml:40 ...", gone = "..." }

``label`` is TRUE (a maintainer would agree and act), FALSE (the fact or the inference is wrong) or
NOISE (true but not worth a warning); ``why`` cites the repository's file (path:line); ``gone``
(FALSE/NOISE only) records that the group is no longer reported, and why, so that it may not return.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import multiprocessing
import os
import re
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.toml"
LABELS = HERE / "labels.toml"
LABEL_KINDS = ("TRUE", "FALSE", "NOISE")

#: Rules whose findings are about a file as a whole, never about one package.
FILE_RULES = frozenset({"KB001", "KB002", "KB003", "KB004", "KB101", "KB302", "KB303"})


@dataclass(frozen=True)
class Repo:
    name: str
    commit: str
    category: str
    split: str
    archive: Path

    @property
    def top(self) -> str:
        return self.name.replace("/", "__")


def load_manifest() -> list[Repo]:
    data = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    return [
        Repo(r["name"], r["commit"], r["category"], r["split"], HERE / r["archive"]) for r in data["repo"]
    ]


def select(repos: Iterable[Repo], split: str) -> list[Repo]:
    return [r for r in repos if split == "all" or r.split == split]


def unpack(repos: Iterable[Repo], dest: Path) -> None:
    for repo in repos:
        with tarfile.open(repo.archive, "r:xz") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(dest, filter="data")
            else:  # pragma: no cover - Python without extraction filters
                tar.extractall(dest)


# --- running the engine --------------------------------------------------------------------------


def run_kb_lint(root: Path) -> list[dict[str, object]]:
    """`kb-lint check ROOT --format json` with default flags, in this process (same entry point)."""
    from buildwise.cli import main

    out = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(root), "--format", "json", "--fail-on", "never"])
    if code != 0:
        raise RuntimeError(f"kb-lint check {root.name} exited {code}: {err.getvalue().strip()}")
    findings: list[dict[str, object]] = json.loads(out.getvalue() or "[]")
    return findings


_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_QUOTED = re.compile(r"""["']([A-Za-z0-9][^"']*)["']""")
_LOCK_NAME = re.compile(r"""^\s*name\s*=\s*["']([^"']+)["']""")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _relative(path: str, root: Path) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = Path.cwd() / p
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def subject(finding: dict[str, object], root: Path) -> str:
    """The package a finding is about, or (file-level) the file relative to the repository."""
    code = str(finding["code"])
    rel = _relative(str(finding["file"]), root)
    message = str(finding["message"])
    if code in FILE_RULES:
        return rel
    if code == "KB103":
        m = re.search(r"needs (\S+) at build time", message)
        return normalize(m.group(1)) if m else rel
    try:
        lines = (root / rel).read_text(encoding="utf-8", errors="replace").split("\n")
        line = lines[int(str(finding["line"])) - 1]
    except (OSError, IndexError, ValueError):
        return rel
    start = int(str(finding["column"])) - 1
    end = int(str(finding["end_column"])) - 1 if finding["end_line"] == finding["line"] else len(line)
    span = line[start:end].strip().strip("\"'")
    if span.startswith("["):  # a table header: the file (the project's own build) is the subject
        return rel
    m = _NAME.match(span)
    if m and not span[:1].isdigit() and span[:1] not in "=<>~!":
        return normalize(m.group(0))
    if rel.endswith("Pipfile.lock"):  # JSON: the package is the key of the enclosing object
        for above in reversed(lines[: int(str(finding["line"]))]):
            key = re.match(r'\s*"([^"]+)"\s*:\s*\{', above)
            if key:
                return normalize(key.group(1))
    lock = _LOCK_NAME.match(line)
    if lock:
        return normalize(lock.group(1))
    text = line.strip()
    if text[:1] in "\"'" or re.match(r"[\w.-]+\s*=[^=]", text):  # TOML: the first quoted value
        quoted = _QUOTED.search(text)
        text = quoted.group(1) if quoted else text
    m = _NAME.match(text)
    return normalize(m.group(0)) if m else rel


SEVERITY_ORDER = ("error", "warning", "info", "hint")


@dataclass
class Group:
    repo: str
    code: str
    subject: str
    findings: list[dict[str, object]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.code} {self.subject}"

    @property
    def severity(self) -> str:
        levels = [str(f.get("severity", "")) for f in self.findings]
        return min(levels, key=lambda s: SEVERITY_ORDER.index(s) if s in SEVERITY_ORDER else 99)

    def where(self, root: Path) -> str:
        f = self.findings[0]
        more = f" (+{len(self.findings) - 1})" if len(self.findings) > 1 else ""
        return f"{_relative(str(f['file']), root)}:{f['line']}{more}"


def group_findings(repo: str, root: Path, findings: list[dict[str, object]]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for finding in findings:
        g = Group(repo, str(finding["code"]), subject(finding, root))
        groups.setdefault(g.key, g).findings.append(finding)
    return groups


def run_corpus(repos: list[Repo]) -> Iterator[tuple[Repo, Path, dict[str, Group]]]:
    """Unpack the repositories and lint each one; on several cores, in worker processes."""
    with tempfile.TemporaryDirectory(prefix="kb-realworld-") as tmp:
        base = Path(tmp)
        unpack(repos, base)
        roots = [base / repo.top for repo in repos]
        workers = min(len(roots), os.cpu_count() or 1)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
                results = list(pool.map(run_kb_lint, roots))
        else:
            results = [run_kb_lint(root) for root in roots]
        for repo, root, findings in zip(repos, roots, results, strict=True):
            yield repo, root, group_findings(repo.name, root, findings)


# --- comparing with the labels -------------------------------------------------------------------


def load_labels() -> dict[str, dict[str, dict[str, str]]]:
    if not LABELS.exists():
        return {}
    data: dict[str, dict[str, dict[str, str]]] = tomllib.loads(LABELS.read_text(encoding="utf-8"))
    return data


@dataclass
class Row:
    repo: str
    key: str
    label: str  # TRUE, FALSE, NOISE or "" (unlabelled)
    present: bool
    gone: str = ""
    why: str = ""
    where: str = ""
    #: The highest severity among the group's findings ("" when the group is not reported).
    severity: str = ""

    @property
    def warns(self) -> bool:
        """Reported as a warning or an error: what `kb-lint check` fails on by default."""
        return self.severity in ("error", "warning")

    @property
    def code(self) -> str:
        return self.key.split(" ", 1)[0]


@dataclass
class Comparison:
    split: str
    repos: list[str]
    rows: list[Row]

    def present(self) -> list[Row]:
        return [r for r in self.rows if r.present]

    def counts(self, rows: list[Row] | None = None) -> dict[str, object]:
        rows = self.present() if rows is None else rows
        c = Counter(r.label or "UNLABELLED" for r in rows)
        t, f, n = c["TRUE"], c["FALSE"], c["NOISE"]
        return {
            "groups": len(rows),
            "TRUE": t,
            "FALSE": f,
            "NOISE": n,
            "UNLABELLED": c["UNLABELLED"],
            "precision": round(t / (t + f), 3) if t + f else None,
            "noise_share": round(n / len(rows), 3) if rows else None,
        }

    def warning_counts(self) -> dict[str, object]:
        """The same figures for the groups reported as warnings or errors (the default --fail-on)."""
        return self.counts([r for r in self.present() if r.warns])

    def per_rule(self) -> dict[str, dict[str, object]]:
        by: dict[str, list[Row]] = defaultdict(list)
        for r in self.present():
            by[r.code].append(r)
        return {code: self.counts(rows) for code, rows in sorted(by.items())}

    def true_lost(self) -> list[Row]:
        return [r for r in self.rows if r.label == "TRUE" and not r.present]

    def came_back(self) -> list[Row]:
        return [r for r in self.rows if r.label in ("FALSE", "NOISE") and r.present and r.gone]

    def newly_gone(self) -> list[Row]:
        return [r for r in self.rows if r.label in ("FALSE", "NOISE") and not r.present and not r.gone]

    def fixed(self) -> list[Row]:
        return [r for r in self.rows if r.label in ("FALSE", "NOISE") and not r.present and r.gone]

    def unlabelled(self) -> list[Row]:
        return [r for r in self.rows if r.present and not r.label]

    def bad_labels(self) -> list[Row]:
        return [r for r in self.rows if r.label and r.label not in LABEL_KINDS]


def compare(split: str, repos: list[Repo] | None = None) -> Comparison:
    repos = select(load_manifest(), split) if repos is None else repos
    labels = load_labels()
    rows: list[Row] = []
    for repo, root, groups in run_corpus(repos):
        mine = labels.get(repo.name, {})
        for key, group in sorted(groups.items()):
            entry = mine.get(key, {})
            rows.append(
                Row(
                    repo.name,
                    key,
                    entry.get("label", ""),
                    True,
                    entry.get("gone", ""),
                    entry.get("why", ""),
                    group.where(root),
                    group.severity,
                )
            )
        for key, entry in sorted(mine.items()):
            if key not in groups:
                rows.append(
                    Row(
                        repo.name,
                        key,
                        entry.get("label", ""),
                        False,
                        entry.get("gone", ""),
                        entry.get("why", ""),
                    )
                )
    return Comparison(split, [r.name for r in repos], rows)
