"""End-to-end: the real server over stdio, driven by pytest-lsp's client, asserting what an editor
user sees (diagnostics, the quick-fix, the text after applying it, the hover)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from buildwise.fixes.edits import apply_edits
from buildwise.model import Edit, Position, Span

PYPROJECT = """[build-system]
requires = [
    "setuptools>=61",
]
build-backend = "setuptools.build_meta"

[project]
name = "fast"
version = "1.0"
requires-python = ">=3.11"
dependencies = ["numpy>=1.26", "requests"]
"""


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "buildwise.lsp"]),
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ws")
    (root / "src" / "fast").mkdir(parents=True)
    (root / "src" / "fast" / "_speedups.pyx").write_text("cdef int x = 1\n")
    lsp_client.root = root  # type: ignore[attr-defined]
    registrations: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:  # VS Code accepts these; so do we
        registrations.extend(params.registrations)

    lsp_client.registrations = registrations  # type: ignore[attr-defined]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def _open(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="toml", version=version, text=text)
        )
    )
    return uri


async def _diagnostics(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    for _ in range(20):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics and getattr(client, "_bw_version", {}).get(uri, version) == version:
            return list(client.diagnostics[uri])
    raise AssertionError("no diagnostics")


def _apply(text: str, edit: types.TextEdit) -> str:
    r = edit.range
    span = Span(Position(r.start.line, r.start.character), Position(r.end.line, r.end.character))
    return apply_edits(text, [Edit("x", span, edit.new_text)])


@pytest.mark.asyncio
async def test_diagnostic_quickfix_and_it_goes_away(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    path = root / "pyproject.toml"
    path.write_text(PYPROJECT)
    uri = _open(client, path, PYPROJECT)
    diags = await _diagnostics(client, uri, 1)
    kb103 = [d for d in diags if d.code == "KB103"]
    assert len(kb103) == 1, diags
    d = kb103[0]
    assert "needs Cython" in d.message
    assert d.range.start.line == 1 and d.range.start.character == 0
    assert d.code_description is not None and d.code_description.href.endswith("KB103.md")
    assert d.source == "buildwise"

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert "Add 'Cython' to build-system.requires" in titles
    assert any(t.startswith("Ignore KB103 on this line") for t in titles)
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("Add 'Cython'"))
    assert fix.is_preferred
    assert fix.edit is not None and fix.edit.document_changes
    doc_edit = fix.edit.document_changes[0]
    assert isinstance(doc_edit, types.TextDocumentEdit)
    assert doc_edit.text_document.version == 1
    text = PYPROJECT
    for edit in sorted(
        doc_edit.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        text = _apply(text, edit)  # type: ignore[arg-type]
    assert '    "setuptools>=61",\n    "Cython",\n]' in text

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not [d for d in client.diagnostics[uri] if d.code == "KB103"]


@pytest.mark.asyncio
async def test_quickfix_in_a_crlf_file_keeps_crlf(client: LanguageClient) -> None:
    """An editor applies the edit as sent: new lines must arrive as CRLF in a CRLF file."""
    root: Path = client.root  # type: ignore[attr-defined]
    path = root / "pyproject.toml"
    crlf = PYPROJECT.replace("\n", "\r\n")
    path.write_bytes(crlf.encode())
    uri = _open(client, path, crlf)
    diags = await _diagnostics(client, uri, 1)
    d = next(d for d in diags if d.code == "KB103")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("Add 'Cython'"))
    assert fix.edit is not None and fix.edit.document_changes
    doc_edit = fix.edit.document_changes[0]
    assert isinstance(doc_edit, types.TextDocumentEdit)
    text = crlf
    for edit in sorted(
        doc_edit.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        text = _apply(text, edit)  # type: ignore[arg-type]
    assert '    "setuptools>=61",\r\n    "Cython",\r\n]' in text
    assert "\n" not in text.replace("\r\n", ""), "a bare LF in a CRLF file"


@pytest.mark.asyncio
async def test_hover_on_dependency(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    path = root / "pyproject.toml"
    path.write_text(PYPROJECT)
    uri = _open(client, path, PYPROJECT)
    await _diagnostics(client, uri, 1)
    line = PYPROJECT.split("\n").index('dependencies = ["numpy>=1.26", "requests"]')
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=20),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**numpy** (project.dependencies)")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=35),
        )
    )
    assert hover is not None and "Not in the buildwise knowledge base" in hover.contents.value  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_broken_toml_reports_position_and_keeps_other_checks(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    broken = PYPROJECT.replace('version = "1.0"', 'version = "1.0') + "\n[tool.other]\nx = 1\n"
    path = root / "pyproject.toml"
    uri = _open(client, path, broken)
    diags = await _diagnostics(client, uri, 1)
    codes = sorted(str(d.code) for d in diags)
    assert "KB001" in codes and "KB103" in codes, codes
    kb001 = next(d for d in diags if d.code == "KB001")
    assert kb001.range.start.line == 8


@pytest.mark.asyncio
async def test_utf16_positions(client: LanguageClient) -> None:
    """Columns after a non-BMP character are counted in UTF-16 code units for the client."""
    root: Path = client.root  # type: ignore[attr-defined]
    req = root / "requirements.txt"
    text = "# 🐍 deps\nrequests==2.32.3\nnumpy>= # 🐍\n"
    uri = _open(client, req, text)
    diags = await _diagnostics(client, uri, 1)
    kb002 = [d for d in diags if d.code == "KB002"]
    assert kb002 and kb002[0].range.start.line == 2 and kb002[0].range.start.character == 5
    # the one-line message, then the detail the text report puts on note: lines
    assert kb002[0].message.split("\n")[0] == "invalid requirement 'numpy>='"
    assert kb002[0].message.split("\n")[1].startswith("note: PEP 508: Expected")


@pytest.mark.asyncio
async def test_suppress_action_then_gone(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    path = root / "pyproject.toml"
    uri = _open(client, path, PYPROJECT)
    diags = await _diagnostics(client, uri, 1)
    d = next(d for d in diags if d.code == "KB103")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    ignore = next(
        a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("Ignore KB103")
    )
    assert ignore.edit is not None and ignore.edit.document_changes
    change = ignore.edit.document_changes[0]
    assert isinstance(change, types.TextDocumentEdit)
    text = _apply(PYPROJECT, change.edits[0])  # type: ignore[arg-type]
    assert text.split("\n")[1] == "requires = [  # kb-lint: ignore[KB103]"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not [x for x in client.diagnostics[uri] if x.code == "KB103"]


@pytest.mark.asyncio
async def test_watched_files_relint(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    req = root / "requirements.txt"
    req_text = "-r base.txt\nrequests\n"
    req.write_text(req_text)
    req_uri = _open(client, req, req_text)
    diags = await _diagnostics(client, req_uri, 1)
    assert [d.code for d in diags] == ["KB003"]
    registrations = client.registrations  # type: ignore[attr-defined]
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in registrations)

    (root / "base.txt").write_text("numpy\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(root / "base.txt").as_uri(), type=types.FileChangeType.Created)]
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not [d for d in client.diagnostics[req_uri] if d.code == "KB003"]


@pytest.mark.asyncio
async def test_new_cargo_toml_relints_pyproject(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    text = PYPROJECT.replace('"setuptools>=61",', '"setuptools>=61",\n    "Cython",')
    path = root / "pyproject.toml"
    path.write_text(text)
    uri = _open(client, path, text)
    diags = await _diagnostics(client, uri, 1)
    assert not [d for d in diags if d.code == "KB103"]
    (root / "Cargo.toml").write_text('[package]\nname = "fast"\n\n[dependencies]\npyo3 = "0.22"\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(root / "Cargo.toml").as_uri(), type=types.FileChangeType.Created)]
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    messages = [d.message for d in client.diagnostics[uri] if d.code == "KB103"]
    assert any("setuptools-rust" in m for m in messages), messages


@pytest.mark.asyncio
async def test_commands_show_knowledge_and_explain(client: LanguageClient) -> None:
    shown = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="buildwise.showKnowledge", arguments=[{"name": "psycopg2"}])
    )
    assert shown["found"] is True
    assert shown["markdown"].startswith("# psycopg2")
    assert "libpq" in shown["markdown"]
    unknown = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="buildwise.showKnowledge", arguments=[{"name": "requests"}])
    )
    assert unknown["found"] is False and "Not in the buildwise knowledge base" in unknown["markdown"]
    log = (
        "Collecting psycopg2==2.9.9\n"
        "  Building wheel for psycopg2 (pyproject.toml): started\n"
        "      Error: pg_config executable not found.\n"
        "error: subprocess-exited-with-error\n"
    )
    explained = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="buildwise.explain", arguments=[{"text": log}])
    )
    assert explained["cause_kind"] == "missing_library_config_tool"
    assert explained["package"] == "psycopg2"
    assert "pg_config" in explained["markdown"]


@pytest.mark.asyncio
async def test_command_doctor_checks_this_machine(client: LanguageClient, tmp_path: Path) -> None:
    """ "Check this machine": the doctor report of a project, as JSON plus the Markdown shown."""
    (tmp_path / "requirements.txt").write_text("psycopg2==2.9.10\n")
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="buildwise.doctor", arguments=[{"path": str(tmp_path), "python": sys.executable}]
        )
    )
    assert result["markdown"].startswith("# kb-lint doctor")
    assert [b["name"] for b in result["builds"]] == ["psycopg2"]  # no Linux wheels: built here
    checks = {c["identifier"]: c for c in result["checks"]}
    assert "dep:generic/libpq" in checks and "dep:virtual/compiler/c" in checks
    cc = checks["dep:virtual/compiler/c"]["status"]
    assert f"| C compiler | {'**missing**' if cc == 'missing' else cc} |" in result["markdown"]
    bad = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="buildwise.doctor", arguments=[{"path": str(tmp_path), "python": "/nope"}]
        )
    )
    assert bad["ok"] is False and "no such interpreter: /nope" in bad["markdown"]
