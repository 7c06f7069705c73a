"""The language server on the dependency files besides pyproject.toml and requirements files: a
Pipfile gets its diagnostics and a quick-fix written in Pipfile syntax; a setup.py gets the hint for
a computed list; a lock file gets diagnostics and no edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp import test_server
from tests.lsp.test_server import _apply, _diagnostics, _open

client = test_server.client  # the same server fixture: a workspace folder, VS Code's capabilities

PIPFILE = """[packages]
msgpack = "==1.0.8"
requests = "*"

[requires]
python_version = "3.13"
"""


async def _actions(client: LanguageClient, uri: str, d: types.Diagnostic) -> list[types.CodeAction]:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    return [a for a in actions or [] if isinstance(a, types.CodeAction)]


@pytest.mark.asyncio
async def test_pipfile_diagnostic_and_quickfix(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    folder = root / "pipenv-app"
    folder.mkdir()
    path = folder / "Pipfile"
    path.write_text(PIPFILE)
    uri = _open(client, path, PIPFILE)
    diags = await _diagnostics(client, uri, 1)
    [kb202] = [d for d in diags if d.code == "KB202"]
    assert kb202.range.start == types.Position(1, 11) and kb202.range.end == types.Position(1, 18)
    assert kb202.message.startswith("msgpack==1.0.8 predates msgpack's support for CPython 3.13")
    fix = next(a for a in await _actions(client, uri, kb202) if a.title.startswith("Require msgpack"))
    assert fix.edit is not None and fix.edit.document_changes
    doc_edit = fix.edit.document_changes[0]
    assert isinstance(doc_edit, types.TextDocumentEdit)
    text = PIPFILE
    for edit in doc_edit.edits:
        text = _apply(text, edit)  # type: ignore[arg-type]
    assert 'msgpack = "==1.1.0"' in text


@pytest.mark.asyncio
async def test_setup_py_hint_and_lock_without_edits(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    folder = root / "legacy"
    folder.mkdir()
    setup_py = (
        "from setuptools import setup\n\nsetup(install_requires=open('requirements.txt').read().split())\n"
    )
    (folder / "setup.py").write_text(setup_py)
    uri = _open(client, folder / "setup.py", setup_py)
    diags = await _diagnostics(client, uri, 1)
    [hint] = [d for d in diags if d.code == "KB006"]
    assert hint.severity == types.DiagnosticSeverity.Hint
    assert hint.range.start == types.Position(2, 23)
    assert "requirements.txt" in hint.message

    lock = (
        '{\n    "default": {\n        "msgpack": {"version": "==1.0.8"}\n    },\n'
        '    "_meta": {"requires": {"python_version": "3.13"}}\n}\n'
    )
    (folder / "Pipfile.lock").write_text(lock)
    lock_uri = _open(client, folder / "Pipfile.lock", lock)
    lock_diags = await _diagnostics(client, lock_uri, 1)
    [pin] = [d for d in lock_diags if d.code == "KB202"]
    assert pin.range.start.line == 2
    titles = [a.title for a in await _actions(client, lock_uri, pin)]
    assert not any(t.startswith("Require") for t in titles)


@pytest.mark.asyncio
async def test_hover_on_a_poetry_dependency(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    folder = root / "poetry-app"
    folder.mkdir()
    text = (
        '[tool.poetry]\nname = "app"\npackage-mode = false\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nnumpy = "^2.1"\n'
    )
    (folder / "pyproject.toml").write_text(text)
    uri = _open(client, folder / "pyproject.toml", text)
    await _diagnostics(client, uri, 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(6, 2))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**numpy** (tool.poetry.dependencies)")
