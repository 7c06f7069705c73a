"""The buildwise language server: transport and conversion around the engine, nothing more.

Diagnostics are pushed on open, change (coalesced: a burst of edits is linted once, at its latest
version) and save, and when a file the document depends on changes (an included requirements file,
pyproject.toml, a new .pyx or Cargo.toml in the tree). A rule that raises is logged and skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from buildwise import __version__
from buildwise.analysis.context import LintContext
from buildwise.engine import Workspace, apply_suppressions, fold_repeats, run_rules
from buildwise.knowledge import KnowledgeBase, load_knowledge
from buildwise.lsp import convert
from buildwise.lsp.settings import settings_to_config
from buildwise.model import Finding
from buildwise.parse.requirements import forget as forget_requirements
from buildwise.project.config import Config
from buildwise.project.files import (
    FileReader,
    is_lock_file,
    is_manifest,
    is_pyproject,
    is_requirements_file,
    project_boundary,
)

log = logging.getLogger("buildwise.lsp")

#: Diagnostics pushed per document at most; one more says how many are not shown.
MAX_DIAGNOSTICS = 500

#: Files whose creation/change/deletion changes what the source tree needs (KB101/KB103).
TREE_SUFFIXES = (".pyx", ".pxd", ".c", ".cc", ".cpp", ".cxx", ".h", ".hpp")
TREE_NAMES = ("Cargo.toml", "CMakeLists.txt", "meson.build", "setup.py", "setup.cfg")


class _Protocol(LanguageServerProtocol):
    """Error responses carry a message, never the server's traceback (pygls puts one in
    ``error.data``): a client shows the error to the user, and the stack is no business of theirs."""

    _notification = False

    def _handle_notification(self, method_name: str, params: Any) -> None:
        self._notification = True
        try:
            super()._handle_notification(method_name, params)
        finally:
            self._notification = False

    def _execute_handler(
        self, msg_id: Any, handler: Any, callback: Any, args: Any = None, kwargs: Any = None
    ) -> None:
        """pygls files a notification's future under a made-up id (a generator handler such as
        didChange's) and never removes it: about 1 kB per edit, for ever. Remove it when done."""
        if self._notification:
            inner = callback

            def callback(future: Any) -> None:
                self._request_futures.pop(msg_id, None)
                inner(future)

        super()._execute_handler(msg_id, handler, callback, args, kwargs)

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        if error is not None and getattr(error, "data", None) is not None:
            log.error("request %s failed: %s %s", msg_id, error.message, error.data)
            error = types.ResponseError(code=error.code, message=error.message)
        super()._send_response(msg_id, result=result, error=error)


class BuildwiseServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "buildwise",
            __version__,
            protocol_cls=_Protocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        #: Roots are the workspace folders, the ``roots`` setting and each open document's own
        #: repository: nothing outside them is read (see FileReader).
        self.reader = FileReader()
        self._boundaries: dict[str, str] = {}
        self.settings = Config()
        self.distro: str | None = None
        self._kb: KnowledgeBase | None = None
        self._engine: Workspace | None = None
        self._pending: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()
        self._fetching: set[str] = set()
        #: uri -> (version, findings) as last published: code actions take the fixes from here.
        self.published: dict[str, tuple[int | None, list[Finding]]] = {}
        self._contexts: dict[str, tuple[int | None, LintContext]] = {}

    # -- engine -----------------------------------------------------------------------------
    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = load_knowledge()
        return self._kb

    @property
    def engine(self) -> Workspace:
        if self._engine is None:
            self._engine = Workspace(
                self.kb,
                self.reader,
                self.settings,
                override_origin="settings",
                on_rule_error=self.rule_failed,
            )
        return self._engine

    def apply_settings(self, raw: Any) -> None:
        config, problems, extra = settings_to_config(raw)
        self.settings = config
        self.distro = extra.get("distro")
        for root in extra.get("roots", ()):
            self.reader.add_root(root)
        level = extra.get("log_level")
        if level:
            logging.getLogger("buildwise").setLevel(level.upper())
        for problem in problems:
            self.log(f"settings: {problem}", types.MessageType.Warning)
        self._engine = None
        self._contexts.clear()

    def settings_summary(self) -> str:
        s = self.settings
        parts = [
            f"python={','.join(s.python) if s.python else 'from the project'}",
            f"platforms={','.join(s.platforms) if s.platforms else 'from the project'}",
            f"online={'on' if s.online else 'off'}",
        ]
        if self.distro:
            parts.append(f"distro={self.distro}")
        if s.ignore:
            parts.append(f"ignore={','.join(s.ignore)}")
        return " ".join(parts)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # the transport may be closing; logging must never raise
            log.debug("could not send log message: %s", message)

    def rule_failed(self, code: str, path: str, exc: BaseException) -> None:
        self.log(
            f"rule {code} failed on {path}: {type(exc).__name__}: {exc} (skipped; other rules ran)",
            types.MessageType.Error,
        )

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents

    def allow_project_of(self, path: str) -> None:
        """An open document's own repository (or project) may be read, wherever it is."""
        directory = os.path.abspath(path)
        if not os.path.isdir(directory):
            directory = os.path.dirname(directory)
        if directory not in self._boundaries:
            if len(self._boundaries) > 4096:
                self._boundaries.clear()
            self._boundaries[directory] = project_boundary(directory)
            self.reader.add_root(self._boundaries[directory])

    # -- linting ----------------------------------------------------------------------------
    def handles(self, path: str) -> bool:
        """The files the server lints: pyproject.toml, requirements and lock files, the other
        dependency files (setup.cfg, setup.py, Pipfile, Pipfile.lock, tox.ini, conda environments)
        and PEP 723 scripts matched by ``[tool.kb-lint] scripts``."""
        if is_pyproject(path) or is_requirements_file(path) or is_lock_file(path) or is_manifest(path):
            return True
        return path.endswith(".py") and self.engine.is_script(path, self.engine.project_for(path))

    def context(self, uri: str) -> LintContext | None:
        document = self.workspace.get_text_document(uri)
        cached = self._contexts.get(uri)
        if cached is not None and cached[0] == document.version:
            return cached[1]
        path = convert.path_for(uri)
        self.allow_project_of(path)
        self.reader.set_overlay(path, document.source, document.version)
        if is_pyproject(path):
            self.engine.invalidate(path)
        ctx = self.engine.context_for(path)
        if ctx is not None:
            self._contexts[uri] = (document.version, ctx)
        return ctx

    def lint_and_publish(self, uri: str) -> None:
        path = convert.path_for(uri)
        if not self.handles(path):
            return
        document = self.workspace.get_text_document(uri)
        try:
            ctx = self.context(uri)
            findings: list[Finding] = []
            if ctx is not None:
                findings = run_rules(ctx, self.rule_failed)
                findings = apply_suppressions([f for f in findings if f.path == ctx.path], ctx.lines)
                findings = fold_repeats(sorted(findings, key=Finding.sort_key))
        except Exception as exc:  # parsing never raises by design; this is the last line of defence
            self.log(f"could not lint {path}: {type(exc).__name__}: {exc}", types.MessageType.Error)
            log.exception("lint failed")
            findings = []
        lines = document.source.split("\n")
        codec = self.workspace.position_codec
        hidden = len(findings) - MAX_DIAGNOSTICS
        if hidden > 0:
            findings = findings[:MAX_DIAGNOSTICS]
        diagnostics = [
            convert.to_diagnostic(f, lines, codec, document.version, n, self.distro)
            for n, f in enumerate(findings)
        ]
        if hidden > 0:
            diagnostics.append(
                types.Diagnostic(
                    range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
                    message=f"{hidden:,} more findings in this file are not shown here (the editor "
                    f"shows the first {MAX_DIAGNOSTICS:,}; `kb-lint check` lists them all)",
                    severity=types.DiagnosticSeverity.Information,
                    source=convert.SOURCE,
                )
            )
        self.published[uri] = (document.version, findings)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
        )
        if ctx is not None and ctx.index is not None:
            self.look_up_in_background(ctx)

    def forget(self, uri: str) -> None:
        """A closed document leaves nothing behind: its text, parse, findings and project state."""
        path = convert.path_for(uri)
        self.reader.drop_overlay(path)
        self._contexts.pop(uri, None)
        self.published.pop(uri, None)
        self._pending.discard(uri)
        forget_requirements(path)
        if is_pyproject(path) or is_lock_file(path) or is_manifest(path):
            self.engine.invalidate(path)

    def look_up_in_background(self, ctx: LintContext) -> None:
        """Online mode: fetch what the index has not told us yet, off the event loop, with progress
        shown in the editor; then re-lint. Offline diagnostics were already published."""
        client = ctx.index
        assert client is not None
        known = set(client.memory) | self._fetching
        missing = sorted({d.key for d in ctx.dependencies if d.parsed.valid} - known)
        if not missing:
            return
        self._fetching.update(missing)
        token = f"buildwise-index-{id(ctx)}"
        try:
            self.work_done_progress.create(token)
            self.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title="buildwise", message=f"Looking up {len(missing)} packages on the index"
                ),
            )
        except Exception:  # a client without progress support still gets the results
            token = ""

        def fetch() -> None:
            client.prefetch(missing)

        def done(_future: Any) -> None:
            self._fetching.difference_update(missing)
            if token:
                with contextlib.suppress(Exception):
                    self.work_done_progress.end(
                        token, types.WorkDoneProgressEnd(message="Index look-up done")
                    )
            self._contexts.clear()
            self.relint_open()

        future = asyncio.get_event_loop().run_in_executor(None, fetch)
        future.add_done_callback(done)

    def schedule(self, uri: str) -> None:
        """Lint soon, once: edits that arrive before the lint runs are folded into it."""
        if uri in self._pending:
            return
        self._pending.add(uri)

        async def run() -> None:
            await asyncio.sleep(0)
            self._pending.discard(uri)
            if uri in self.workspace.text_documents:
                self.lint_and_publish(uri)

        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def relint_open(self, *, project_of: str | None = None) -> None:
        root = str(self.engine.project_root(project_of)) if project_of else None
        for uri in list(self.workspace.text_documents):
            path = convert.path_for(uri)
            if not self.handles(path):
                continue
            if root is not None and not os.path.abspath(path).startswith(root):
                continue
            self._contexts.pop(uri, None)
            self.schedule(uri)


__all__ = ["BuildwiseServer", "is_lock_file"]
