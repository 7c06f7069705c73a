from __future__ import annotations

from buildwise.fixes.edits import add_to_array, apply_edits, remove_array_element
from buildwise.model import Position, Span
from buildwise.parse.toml import parse_toml
from buildwise.parse.toml_recovery import split_chunks

DOC = """# top
[build-system]
requires = ["setuptools>=61", 'wheel',]  # trailing
build-backend = "setuptools.build_meta"

[project]
name = "café"
dependencies = [
    "numpy>=1",  # why
    \"\"\"pandas\"\"\",
]
optional-dependencies.fast = ["orjson"]

[[tool.thing]]
k = 1
[[tool.thing]]
k = 2
"""


def test_values_and_positions() -> None:
    doc = parse_toml(DOC)
    assert doc.valid
    assert doc.get("project", "dependencies") == ["numpy>=1", "pandas"]
    req = doc.key("build-system", "requires")
    assert req is not None and req.value_kind == "array" and req.array is not None
    assert req.key_span == Span.of(2, 0, 2, 8)
    elements = req.array.elements
    assert [e.value for e in elements] == ["setuptools>=61", "wheel"]
    assert elements[0].value_span == Span.of(2, 13, 2, 27)
    assert req.array.trailing_comma
    deps = doc.key("project", "dependencies")
    assert deps is not None and deps.array is not None
    assert deps.array.elements[1].value_span == Span.of(9, 7, 9, 13)
    assert deps.array.element_indent == "    "
    assert doc.key("project", "optional-dependencies", "fast") is not None
    assert doc.table("tool", "thing", 1) is not None
    assert doc.table("project").header_span == Span.of(5, 0, 5, 9)  # type: ignore[union-attr]


def test_non_ascii_columns_are_code_points() -> None:
    doc = parse_toml('name = "café"\nx = ["é", "b"]\n')
    x = doc.key("x")
    assert x is not None and x.array is not None
    assert x.array.elements[1].span == Span.of(1, 10, 1, 13)


def test_broken_document_keeps_intact_tables() -> None:
    text = (
        '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "x\n\n'
        '[tool.kb-lint]\npython = ["3.12"]\n'
    )
    doc = parse_toml(text)
    assert not doc.valid
    assert doc.errors[0].span.start.line == 4
    assert doc.get("build-system", "requires") == ["hatchling"]
    assert doc.get("tool", "kb-lint", "python") == ["3.12"]
    assert doc.key("tool", "kb-lint", "python") is not None


def test_broken_pair_inside_table_keeps_its_neighbours() -> None:
    doc = parse_toml('[project]\nname = "x"\nversion = \ndependencies = ["a"]\n')
    assert not doc.valid
    assert doc.get("project", "name") == "x"


def test_chunks_respect_multiline_strings() -> None:
    text = 'a = """\n[not.a.table]\n"""\n[real]\nb = 1\n'
    assert [start for start, _ in split_chunks(text)] == [0, 3]


def test_garbage_never_raises() -> None:
    for text in ["[", "]]]]", "a = [[[[", '"""', "\x00\x01", "= 1", "[a]\n[a]\n", "a.b = 1\na = 2"]:
        doc = parse_toml(text)
        assert isinstance(doc.errors, list)


def _add(text: str, value: str) -> str:
    doc = parse_toml(text)
    info = doc.key("build-system", "requires")
    assert info is not None and info.array is not None
    return apply_edits(text, add_to_array(doc, info.array, value))


def test_add_to_array_styles() -> None:
    assert _add("[build-system]\nrequires = []\n", "x") == '[build-system]\nrequires = ["x"]\n'
    assert _add('[build-system]\nrequires = ["a"]\n', "x") == '[build-system]\nrequires = ["a", "x"]\n'
    assert _add("[build-system]\nrequires = ['a',]\n", "x") == "[build-system]\nrequires = ['a', 'x',]\n"
    multi = '[build-system]\nrequires = [\n  "a"  # c\n]\n'
    assert _add(multi, "x") == '[build-system]\nrequires = [\n  "a",  # c\n  "x",\n]\n'
    multi_comma = '[build-system]\nrequires = [\n\t"a",\n]\n'
    assert _add(multi_comma, "x") == '[build-system]\nrequires = [\n\t"a",\n\t"x",\n]\n'
    hugging = '[build-system]\nrequires = ["a",\n  "b"]\n'
    assert _add(hugging, "x") == '[build-system]\nrequires = ["a",\n  "b", "x"]\n'


def test_remove_array_element() -> None:
    text = '[build-system]\nrequires = [\n    "a",\n    "wheel",  # old\n    "b",\n]\n'
    doc = parse_toml(text)
    info = doc.key("build-system", "requires")
    assert info is not None and info.array is not None
    assert (
        apply_edits(text, remove_array_element(doc, info.array, 1))
        == '[build-system]\nrequires = [\n    "a",\n    "b",\n]\n'
    )
    one = '[build-system]\nrequires = ["a", "wheel"]\n'
    doc = parse_toml(one)
    info = doc.key("build-system", "requires")
    assert info is not None and info.array is not None
    assert apply_edits(one, remove_array_element(doc, info.array, 1)) == '[build-system]\nrequires = ["a"]\n'
    assert (
        apply_edits(one, remove_array_element(doc, info.array, 0)) == '[build-system]\nrequires = ["wheel"]\n'
    )


def test_apply_edits_rejects_overlap() -> None:
    import pytest

    from buildwise.model import Edit

    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit("f", Span.of(0, 0, 0, 3), "x"), Edit("f", Span.of(0, 2, 0, 4), "y")])
    assert apply_edits("abc", [Edit("f", Span(Position(0, 1), Position(0, 1)), "Z")]) == "aZbc"


def test_fast_array_scan_matches_the_tree() -> None:
    """The regex scanner of flat arrays must place every element exactly where tree-sitter does."""
    from buildwise.parse.toml_index import _Indexer

    arrays = [
        '["a", "b"]',
        "['a',  # comment with \"quotes\" and ] brackets\n  'b' ,\n]",
        '[\n    "x>=1",  # why\n    """multi\nline""",\n    "esc\\"aped",\n    1, true,\n]',
        "[ ]",
        '["café", "ü"]',
        "[\r\n  'crlf',\r\n]",
    ]
    for body in arrays:
        doc = parse_toml(f"k = {body}\n")
        info = doc.key("k")
        assert info is not None and info.array is not None, body
        indexer = info.array._indexer
        assert isinstance(indexer, _Indexer)
        scanned = indexer._scan_array(info.array)
        assert scanned is not None, body
        tree = indexer._tree_elements(info.array._node, info.array)
        assert [(e.span, e.value_span) for e in scanned] == [(e.span, e.value_span) for e in tree], body
        assert [e.value for e in scanned] == [e.value for e in tree], body


def test_nested_arrays_fall_back_to_the_tree() -> None:
    doc = parse_toml('k = [{include-group = "x"}, "y", [1, 2]]\n')
    info = doc.key("k")
    assert info is not None and info.array is not None
    assert [e.kind for e in info.array.elements] == ["inline_table", "string", "array"]
