"""--fix as a user runs it: the file's own bytes (encoding, BOM, line endings) survive, every
fix is applied (to a fixed point), and the text it writes is valid."""

from __future__ import annotations

from pathlib import Path

import tomli

from tests.test_cli import run

PYPROJECT = (
    "# caf\udce9: a latin-1 byte the fix must not touch\n"
    "[build-system]\n"
    'requires = ["setuptools>=61"]\n'
    'build-backend = "setuptools.build_meta"\n'
    "\n"
    "[project]\n"
    'name = "fast"\n'
    'version = "1"\n'
)


def test_fix_keeps_bom_crlf_and_foreign_bytes(tmp_path: Path) -> None:
    original = b"\xef\xbb\xbf" + PYPROJECT.replace("\n", "\r\n").encode("utf-8", "surrogateescape")
    (tmp_path / "pyproject.toml").write_bytes(original)
    (tmp_path / "fast.pyx").write_text("cdef int x = 1\n")
    result = run("check", "--fix", "--select", "KB103", str(tmp_path))
    assert "changed on disk" not in result.stderr
    assert "Fixed 1 problem" in result.stderr, result.stderr
    fixed = (tmp_path / "pyproject.toml").read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert b"# caf\xe9: a latin-1 byte" in fixed  # not rewritten as U+FFFD
    assert b"\n" not in fixed.replace(b"\r\n", b"")  # every line still ends with CRLF
    old_lines, new_lines = original.split(b"\r\n"), fixed.split(b"\r\n")
    assert [line for line in old_lines if line not in new_lines] == [b'requires = ["setuptools>=61"]']
    assert b'requires = ["setuptools>=61", "Cython"]' in new_lines


def test_fix_reaches_a_fixed_point_and_says_so(tmp_path: Path) -> None:
    lines = [f"psycopg2=={v}" for v in ("2.9.9", "2.9.8", "2.9.7")] * 20  # 60 fixable lines
    (tmp_path / "requirements.txt").write_text("\n".join(lines) + "\n")
    result = run("check", "--fix", "--unsafe-fixes", "--fail-on", "never", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "did not remove" not in result.stderr
    text = (tmp_path / "requirements.txt").read_text()
    assert "psycopg2==" not in text and text.count("psycopg2-binary") == 60
    again = run("check", "--diff", "--unsafe-fixes", str(tmp_path))
    assert "would apply 0 fixes" in again.stdout.lower(), again.stdout


def test_switch_fixes_keep_extras_markers_and_escapes(tmp_path: Path) -> None:
    text = (
        '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.12"\n'
        'dependencies = ["mysqlclient ; sys_platform == \\"linux\\"", \'pendulum[test]<2.1\']\n'
        "\n[external]\nbuild-requires = []"  # no final newline
    )
    (tmp_path / "pyproject.toml").write_text(text)
    result = run("check", "--fix", "--unsafe-fixes", "--ignore", "KB301", "--fail-on", "never", str(tmp_path))
    assert result.returncode == 0, result.stderr
    fixed = (tmp_path / "pyproject.toml").read_text()
    deps = tomli.loads(fixed)["project"]["dependencies"]
    assert deps[0] == 'PyMySQL ; sys_platform == "linux"'
    assert deps[1].startswith("pendulum[test]>=3"), deps


def test_external_keys_after_a_table_at_the_end_of_a_file_without_newline(tmp_path: Path) -> None:
    from buildwise.fixes.edits import apply_edits, insert_lines
    from buildwise.parse.toml import parse_toml

    for text in ("[external]\nbuild-requires = []", "[external]\nbuild-requires = []\n"):
        doc = parse_toml(text)
        table = doc.table("external")
        assert table is not None
        edit = insert_lines(doc, table.content_end.line + 1, 'host-requires = ["dep:generic/zlib"]\n')
        fixed = apply_edits(text, [edit])
        assert tomli.loads(fixed)["external"]["host-requires"] == ["dep:generic/zlib"], fixed


def test_fix_through_a_link_inside_the_project_keeps_the_link(tmp_path: Path) -> None:
    """requirements.txt -> requirements/base.txt: --fix edits base.txt, the link stays a link."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements").mkdir()
    target = tmp_path / "requirements" / "base.txt"
    target.write_text("psycopg2==2.9.9\n")
    link = tmp_path / "requirements.txt"
    link.symlink_to(Path("requirements") / "base.txt")
    result = run("check", "--fix", "--unsafe-fixes", "--fail-on", "never", str(link))
    assert result.returncode == 0, result.stderr
    assert "Fixed" in result.stderr, result.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert "psycopg2-binary" in target.read_text()
