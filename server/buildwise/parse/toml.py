"""pyproject.toml with a position for everything: values from tomli, positions from tree-sitter-toml.

A valid document is parsed twice, once by each (tomli for exact TOML semantics, tree-sitter for
source ranges). A broken one is cut into table chunks (at lines that open a table); every chunk
that parses on its own contributes its values and positions, and inside a broken chunk every
key/value pair that parses on its own still counts. So a typo in ``[tool.black]`` does not hide the
missing build requirement in ``[build-system]``.
"""

from __future__ import annotations

import tomli
import tree_sitter_toml
from tree_sitter import Language, Parser

from buildwise.parse.text import LineIndex
from buildwise.parse.toml_document import TomlDocument
from buildwise.parse.toml_index import _Indexer

_LANGUAGE = Language(tree_sitter_toml.language())


def _parser() -> Parser:
    return Parser(_LANGUAGE)


def parse_toml(text: str, path: str = "pyproject.toml") -> TomlDocument:
    """Parse ``text``; never raises. Syntax errors land in ``errors`` with their positions."""
    from buildwise.parse.toml_depth import nesting_overflow

    index = LineIndex(text)
    doc = TomlDocument(path=path, text=text, data={}, errors=[], index=index)
    parser = _parser()
    # Too deep for tomli and the tree walk (both recurse): only the tables within the limit count.
    broken = nesting_overflow(text) is not None
    if not broken:
        try:
            doc.data = tomli.loads(text)
        except tomli.TOMLDecodeError:
            broken = True
    if broken:
        from buildwise.parse.toml_recovery import parse_broken  # only for broken files

        parse_broken(doc, parser)
        return doc
    _Indexer(doc, 0, {}).run(parser.parse(text.encode("utf-8")).root_node)
    return doc
