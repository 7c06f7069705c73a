"""Every offered fix is safe, on generated projects (hypothesis): applied alone, the result parses,
its finding is gone, and every byte outside the lines it edits is as it was; ``--fix`` (all fixes,
to a fixed point) leaves nothing for a second run to change.

The inputs mix what broke fixes before: CRLF line endings, a UTF-8 BOM, latin-1 bytes, no final
newline, an ``[external]`` table at the very end, single and double quotes, escaped quotes in
markers, extras next to specifiers. CI runs a fixed, derandomized budget; for a longer search:

    BUILDWISE_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fix_fuzz.py
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buildwise.engine import Workspace
from buildwise.fixes.apply import _File, compute_fixes
from buildwise.fixes.edits import apply_edits, in_line_ending
from buildwise.model import Finding, Fix
from buildwise.parse.requirements import parse_requirements
from buildwise.project.config import Config
from buildwise.project.files import FileReader

EXAMPLES = int(os.environ.get("BUILDWISE_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=EXAMPLES <= 100,  # CI: the same examples every run
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

#: Requirements with fixes on offer: alternatives (psycopg2, mysqlclient, pendulum), raised
#: floors (numpy), build tools; with extras, markers and pins.
NAMES = ["psycopg2", "mysqlclient", "pendulum", "numpy", "lxml", "pyyaml", "psycopg2-binary", "orjson"]
SPECS = ["", "==2.9.9", "<2.1", "==1.24.4", ">=4", "~=1.0"]
MARKERS = ["", ' ; sys_platform == "linux"', " ; python_version < '3.13'", ";os_name=='nt'"]
EXTRAS = ["", "[test]", "[a,b]"]

requirement = st.builds(
    lambda n, x, s, m: f"{n}{x}{s}{m}",
    st.sampled_from(NAMES),
    st.sampled_from(EXTRAS),
    st.sampled_from(SPECS),
    st.sampled_from(MARKERS),
)


def _toml_item(req: str, quote: str) -> str:
    if quote == "'" and "'" not in req:
        return f"'{req}'"
    return '"' + req.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def pyproject(draw: Any) -> tuple[str, str]:
    quote = draw(st.sampled_from(['"', "'"]))
    deps = draw(st.lists(requirement, max_size=4))
    build = draw(st.sampled_from([None, "setuptools>=61", "hatchling", "setuptools>=61,wheel"]))
    parts = []
    if draw(st.booleans()):
        parts.append("# caf\udce9 \u2014 a comment\n")  # latin-1 byte (surrogate-escaped) and UTF-8
    if build is not None:
        backend = "setuptools.build_meta" if build.startswith("setuptools") else "hatchling.build"
        requires = ", ".join(_toml_item(b, quote) for b in build.split(","))
        parts.append(f'[build-system]\nrequires = [{requires}]\nbuild-backend = "{backend}"\n\n')
    items = ", ".join(_toml_item(d, quote) for d in deps)
    multiline = draw(st.booleans())
    if multiline and deps:
        items = "\n" + "".join(f"    {_toml_item(d, quote)},\n" for d in deps)
    parts.append(
        f'[project]\nname = "fuzz"\nversion = "1"\nrequires-python = ">=3.10"\ndependencies = [{items}]\n'
    )
    if draw(st.booleans()):
        parts.append(
            "\n[external]\n"
            + draw(
                st.sampled_from(
                    [
                        "build-requires = []",
                        'host-requires = ["dep:generic/zlib"]',
                        'host-requires = ["pkg:generic/zlib"]',  # an older draft's syntax (KB303)
                        'build-host-requires = ["dep:generic/zlib"]',
                    ]
                )
            )
        )
    return "pyproject.toml", "".join(parts)


@st.composite
def requirements(draw: Any) -> tuple[str, str]:
    lines = draw(st.lists(requirement, min_size=1, max_size=5))
    if draw(st.booleans()):
        lines.insert(0, "# caf\udce9")
    return "requirements.txt", "\n".join(lines) + "\n"


@st.composite
def project(draw: Any) -> dict[str, Any]:
    name, text = draw(st.one_of(pyproject(), requirements()))
    if not draw(st.booleans()):
        text = text.rstrip("\n")
    return {
        "name": name,
        "text": text,
        "crlf": draw(st.booleans()),
        "bom": draw(st.booleans()),
        "pyx": draw(st.booleans()),
    }


def _bytes(spec: dict[str, Any]) -> bytes:
    text = spec["text"].replace("\n", "\r\n") if spec["crlf"] else spec["text"]
    return (b"\xef\xbb\xbf" if spec["bom"] else b"") + text.encode("utf-8", "surrogateescape")


def _workspace(kb: Any, root: Path) -> Workspace:
    workspace = Workspace(kb, FileReader(roots=[str(root)]), Config(), override_origin="cli")
    workspace.fold_repeats = False
    return workspace


def _parses(name: str, text: str) -> bool:
    if name == "pyproject.toml":
        try:
            tomli.loads(text)
        except tomli.TOMLDecodeError:
            return False
        return True
    return not [p for p in parse_requirements(text, name).problems if p.kind == "syntax"]


def _count(findings: list[Finding], f: Finding) -> int:
    return sum(1 for g in findings if g.code == f.code and g.message == f.message and g.path == f.path)


def _check_one_fix(kb: Any, root: Path, path: Path, spec: dict[str, Any], f: Finding, fix: Fix) -> None:
    original = path.read_bytes()
    text = _workspace(kb, root).reader.read(path).text or ""
    disk = _File(str(path), text)
    own = [in_line_ending(e, disk.crlf) for e in fix.edits if e.path == str(path)]
    if not own:
        return  # a fix that writes another file (README, bindep.txt): checked by --fix below
    new_text = apply_edits(text, own)
    disk.apply(own)
    new_bytes = disk.output(new_text)
    where = f"{f.code} {fix.title!r} on {spec}"
    assert _parses(spec["name"], new_text), f"{where}: result does not parse:\n{new_text}"
    # Bytes outside the edited lines are untouched (encoding, BOM and line endings included).
    first = min(e.span.start.line for e in own)
    last = max(e.span.end.line for e in own)
    old_lines, new_lines = original.split(b"\n"), new_bytes.split(b"\n")
    assert new_lines[:first] == old_lines[:first], f"{where}: bytes before the edit changed"
    tail = len(old_lines) - last - 1
    if tail > 0:
        assert new_lines[-tail:] == old_lines[-tail:], f"{where}: bytes after the edit changed"
    if spec["crlf"]:
        assert b"\n" not in new_bytes.replace(b"\r\n", b""), f"{where}: a bare LF in a CRLF file"
    # The finding is gone.
    workspace = _workspace(kb, root)
    workspace.reader.set_overlay(path, new_text)
    after, _ = workspace.lint_paths([root])
    before, _ = _workspace(kb, root).lint_paths([root])
    assert _count(after, f) < _count(before, f), f"{where}: the finding is still there:\n{new_text}"


@FUZZ
@given(spec=project())
def test_every_offered_fix_is_safe(kb: Any, spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        path = root / spec["name"]
        path.write_bytes(_bytes(spec))
        if spec["pyx"]:
            (root / "fast.pyx").write_text("cdef int x = 1\n")
        findings, _ = _workspace(kb, root).lint_paths([root])
        for f in findings:
            for fix in f.fixes:
                _check_one_fix(kb, root, path, spec, f, fix)
        # --fix with every fix, to a fixed point: the result parses, keeps the BOM, and a second
        # run has nothing left to change.
        result = compute_fixes(_workspace(kb, root), [root], unsafe=True)
        for target, (old, new) in result.writes.items():
            assert old is None or old == Path(target).read_bytes()
            Path(target).write_bytes(new)
        fixed = path.read_bytes()
        assert fixed.startswith(b"\xef\xbb\xbf") == spec["bom"]
        body = fixed[3:] if spec["bom"] else fixed
        assert _parses(spec["name"], body.decode("utf-8", "replace"))
        assert not result.unfixed, [(u.code, u.message) for u in result.unfixed]
        again = compute_fixes(_workspace(kb, root), [root], unsafe=True)
        assert not again.changed, f"a second --fix changed {sorted(again.changed)}"
