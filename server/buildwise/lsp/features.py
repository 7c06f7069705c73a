"""LSP request and notification handlers."""

from __future__ import annotations

import gzip
import re
from typing import Any, BinaryIO, cast

from lsprotocol import types

from buildwise import __version__
from buildwise.lsp import convert

# At run time too: pygls resolves command handlers' annotations.
from buildwise.lsp.server import BuildwiseServer
from buildwise.model import Edit, Fix, Position, Span
from buildwise.project.files import is_lock_file, is_manifest

WATCH_GLOBS = (
    "**/pyproject.toml",
    "**/*requirements*.txt",
    "**/requirements/*.txt",
    "**/reqs/*.txt",
    "**/constraints*.txt",
    "**/*.in",
    "**/*.pyx",
    "**/*.pxd",
    "**/Cargo.toml",
    "**/CMakeLists.txt",
    "**/meson.build",
    "**/setup.py",
    "**/setup.cfg",
    "**/uv.lock",
    "**/pylock*.toml",
    "**/poetry.lock",
    "**/pdm.lock",
    "**/Pipfile",
    "**/Pipfile.lock",
    "**/tox.ini",
    "**/environment*.yml",
    "**/environment*.yaml",
    "**/README*",
    "**/INSTALL*",
    "**/CONTRIBUTING*",
    "**/docs/**",
    "**/Dockerfile*",
    "**/Containerfile*",
    "**/bindep.txt",
    "**/.github/workflows/*",
)

_DOC_NAMES = ("readme", "install", "contributing", "dockerfile", "containerfile", "bindep.txt")

_MARKER_RE = re.compile(r"#\s*kb-lint:\s*ignore\[(?P<codes>[^\]]*)\]")


def register(server: BuildwiseServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: BuildwiseServer, params: types.InitializeParams) -> None:
        for folder in params.workspace_folders or ():
            ls.reader.add_root(convert.path_for(folder.uri))
        if not params.workspace_folders and params.root_uri:
            ls.reader.add_root(convert.path_for(params.root_uri))
        ls.apply_settings(params.initialization_options)

    @server.feature(types.INITIALIZED)
    def initialized(ls: BuildwiseServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched is not None and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS]
            )
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="buildwise-watch",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=options,
                        )
                    ]
                )
            )
        kb = ls.kb  # load the knowledge base now, not on the first keystroke
        from buildwise.rules import all_rules

        all_rules()  # and import every rule module, so the first didOpen only lints
        ls.log(
            f"buildwise {__version__}: knowledge base with {len(kb.package_keys())} packages and "
            f"{len(kb.identifier_ids())} identifiers; settings: {ls.settings_summary()}",
            types.MessageType.Info,
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: BuildwiseServer, params: types.DidChangeConfigurationParams) -> None:
        if params.settings is not None:
            ls.apply_settings(params.settings)
            ls.log(f"settings changed: {ls.settings_summary()}", types.MessageType.Info)
            ls.relint_open()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BuildwiseServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.lint_and_publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BuildwiseServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls._contexts.pop(uri, None)
        path = convert.path_for(uri)
        if ls.handles(path):
            ls.schedule(uri)
        if path.endswith("pyproject.toml") or ls.handles(path):
            _relint_dependents(ls, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: BuildwiseServer, params: types.DidSaveTextDocumentParams) -> None:
        ls._contexts.pop(params.text_document.uri, None)
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BuildwiseServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.forget(uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: BuildwiseServer, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = convert.path_for(change.uri)
            name = path.replace("\\", "/").rsplit("/", 1)[-1]
            if name.endswith((".pyx", ".pxd", ".c", ".cpp", ".h")) or name in (
                "Cargo.toml",
                "CMakeLists.txt",
                "meson.build",
                "setup.py",
                "setup.cfg",
            ):
                ls.engine.invalidate(path, source_tree=True)
            if name == "pyproject.toml" or is_lock_file(name) or is_manifest(name):
                # setup.cfg, setup.py, Pipfile ... may say which Pythons the project targets
                ls.engine.invalidate(path)
            if (
                name.lower().startswith(_DOC_NAMES)
                or "/docs/" in path.replace("\\", "/")
                or "/.github/" in path
            ):
                ls.engine.invalidate(path, docs=True)
            ls.relint_open(project_of=path)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: BuildwiseServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return _code_actions(ls, params)

    @server.command("buildwise.showKnowledge")
    def show_knowledge(ls: BuildwiseServer, *args: Any) -> dict[str, Any]:
        """[{"name": "psycopg2"}] -> {"markdown": what the knowledge base knows}."""
        from buildwise.lsp.hover import package_markdown
        from buildwise.project.config import DEFAULT_PLATFORMS

        name = _argument(list(args), "name")
        pkg = ls.kb.package(name) if name else None
        if pkg is None:
            return {
                "markdown": f"**{name}**\n\nNot in the buildwise knowledge base: "
                "no native build is known for it.",
                "found": False,
            }
        pythons = tuple(ls.kb.pythons[-4:])
        body = package_markdown(
            ls.kb, pkg, ls.settings.python or pythons, ls.settings.platforms or DEFAULT_PLATFORMS, ls.distro
        )
        return {"markdown": f"# {pkg.name}\n\n{body}", "found": True}

    @server.command("buildwise.explain")
    def explain(ls: BuildwiseServer, *args: Any) -> dict[str, Any]:
        """[{"text": "<pip log>"}] or [{"path": "/path/to/log"}] -> {"markdown", "cause_kind", ...}."""
        from buildwise.explain import explain_lines, explain_text

        text = _argument(list(args), "text")
        path = _argument(list(args), "path")
        from buildwise.explain.reader import LineReader, NotALog

        try:
            if path:
                opener = gzip.open if path.endswith(".gz") else open
                with opener(path, "rb") as fh:
                    result = explain_lines(LineReader(cast(BinaryIO, fh), path), distro=ls.distro)
            else:
                result = explain_text(text or "", distro=ls.distro)
        except NotALog as exc:
            return {"markdown": str(exc), "cause_kind": "unknown"}
        except (OSError, EOFError) as exc:
            return {"markdown": f"Cannot read {path}: {exc}", "cause_kind": "unknown"}
        data = result.to_json()
        data["markdown"] = result.to_markdown()
        return data

    @server.command("buildwise.doctor")
    async def doctor(ls: BuildwiseServer, *args: Any) -> dict[str, Any]:
        """[{"path": "<project dir>", "python": "<interpreter>"}] -> `kb-lint doctor --format json`
        plus "markdown" ("Check this machine"). Probes run in a thread: the server keeps answering."""
        import asyncio
        from pathlib import Path

        from buildwise.analysis.interpreter import InterpreterError
        from buildwise.engine import doctor_report
        from buildwise.lsp.doctor import markdown

        path = _argument(list(args), "path") or ls.workspace.root_path or "."
        python = _argument(list(args), "python")
        ls.allow_project_of(path)  # the project the user asked about may be read, like an open file

        def work() -> dict[str, Any]:
            try:
                report = doctor_report(ls.engine, Path(path), python, ls.distro)
            except InterpreterError as exc:
                text = f"# kb-lint doctor\n\nCannot check: {exc}"
                return {"ok": False, "markdown": text, "error": str(exc)}
            data = report.to_json()
            data["markdown"] = markdown(report)
            return data

        return await asyncio.get_running_loop().run_in_executor(None, work)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: BuildwiseServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        if not ls.handles(convert.path_for(uri)) or not ls.is_open(uri):
            return None  # only open documents: pygls would read an unknown one from disk
        document = ls.workspace.get_text_document(uri)
        ctx = ls.context(uri)
        if ctx is None:
            return None
        lines = document.source.split("\n")
        codec = ls.workspace.position_codec
        pos = convert.from_client_position(params.position, lines, codec)
        found = _hover(ls, ctx, pos)
        if found is None:
            return None
        span, markdown = found
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
            range=convert.to_client_range(span, lines, codec),
        )


def _hover(ls: BuildwiseServer, ctx: Any, pos: Position) -> tuple[Span, str] | None:
    from buildwise.lsp.hover import hover

    return hover(ctx, pos, ls.distro)


def _relint_dependents(ls: BuildwiseServer, changed_uri: str) -> None:
    """A changed pyproject.toml re-targets its project; a changed requirements file may be included
    by other open files. Re-lint the other open documents of the same project."""
    path = convert.path_for(changed_uri)
    root = str(ls.engine.project_root(path))
    for uri in list(ls.workspace.text_documents):
        if uri == changed_uri:
            continue
        other = convert.path_for(uri)
        if ls.handles(other) and other.startswith(root):
            ls._contexts.pop(uri, None)
            ls.schedule(uri)


def _code_actions(ls: BuildwiseServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    if not ls.is_open(uri):
        return []  # only open documents: pygls would read an unknown one from disk
    path = convert.path_for(uri)
    document = ls.workspace.get_text_document(uri)
    lines = document.source.split("\n")
    codec = ls.workspace.position_codec
    actions: list[types.CodeAction] = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != convert.SOURCE or not isinstance(diagnostic.data, dict):
            continue
        data = diagnostic.data
        if data.get("version") is not None and data.get("version") != document.version:
            continue  # stale: the client will ask again for the fresh diagnostic
        for n, fix in enumerate(_fixes_for(ls, uri, diagnostic)):
            documents = {e.path: _document_lines(ls, e.path) for e in fix.edits}
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=convert.workspace_edit(fix.edits, documents, codec),
                    is_preferred=n == 0 and fix.safe,
                )
            )
        suppress = _suppress_edit(path, lines, diagnostic, codec)
        if suppress is not None:
            actions.append(
                types.CodeAction(
                    title=f"Ignore {diagnostic.code} on this line (# kb-lint: ignore[{diagnostic.code}])",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=convert.workspace_edit([suppress], {path: (lines, document.version)}, codec),
                )
            )
    return actions


def _fixes_for(ls: BuildwiseServer, uri: str, diagnostic: types.Diagnostic) -> tuple[Fix, ...]:
    """The fixes of the finding a diagnostic shows, from what the server published for that
    document version (a stale diagnostic gets none; the client asks again after the next push)."""
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    published = ls.published.get(uri)
    index = data.get("index")
    if published is None or published[0] != data.get("version") or not isinstance(index, int):
        return ()
    findings = published[1]
    if not 0 <= index < len(findings) or findings[index].code != diagnostic.code:
        return ()
    return findings[index].fixes


def _document_lines(ls: BuildwiseServer, path: str) -> tuple[list[str], int | None]:
    uri = convert.uri_for(path)
    if uri in ls.workspace.text_documents:
        doc = ls.workspace.get_text_document(uri)
        return doc.source.split("\n"), doc.version
    read = ls.reader.read(path)
    return (read.text or "").split("\n"), None


def _suppress_edit(path: str, lines: list[str], diagnostic: types.Diagnostic, codec: Any) -> Edit | None:
    """Append (or extend) ``# kb-lint: ignore[CODE]`` on the diagnostic's last line."""
    code = str(diagnostic.code)
    start = convert.from_client_position(diagnostic.range.start, lines, codec)
    end = convert.from_client_position(diagnostic.range.end, lines, codec)
    line_no = end.line if end.column > 0 or end.line == start.line else end.line - 1
    if line_no >= len(lines):
        return None
    # In a requirements file, a `\` continuation must stay last: use the statement's last line.
    while line_no + 1 < len(lines) and lines[line_no].rstrip().endswith("\\"):
        line_no += 1
    line = lines[line_no].rstrip("\r")
    marker = _MARKER_RE.search(line)
    if marker is not None:
        codes = [c.strip() for c in marker["codes"].split(",") if c.strip()]
        if code in codes:
            return None
        at = Position(line_no, marker.end("codes"))
        return Edit(path, Span(at, at), f", {code}")
    at = Position(line_no, len(line))
    sep = "  " if line.strip() else ""
    return Edit(path, Span(at, at), f"{sep}# kb-lint: ignore[{code}]")


def _argument(args: Any, key: str) -> str | None:
    """Commands get [{"key": value}] (or ["value"]) from clients; accept both."""
    if isinstance(args, list) and args:
        first = args[0]
        if isinstance(first, dict) and isinstance(first.get(key), str):
            return str(first[key])
        if isinstance(first, str) and key in ("name", "text"):
            return first
    return None
