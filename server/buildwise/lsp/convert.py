"""Engine objects <-> LSP types. Positions: the engine counts code points (UTF-32), the client
counts in its negotiated encoding (UTF-16 by default); pygls' position codec converts."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping, Sequence

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec

from buildwise.fixes.edits import in_line_ending
from buildwise.model import Edit, Finding, Position, Severity, Span
from buildwise.rules import Rule, rule

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}

SOURCE = "buildwise"


def uri_for(path: str) -> str:
    return from_fs_path(path) or path


def path_for(uri: str) -> str:
    return to_fs_path(uri) or uri


def to_client_range(span: Span, lines: Sequence[str], codec: PositionCodec) -> types.Range:
    return codec.range_to_client_units(
        lines,
        types.Range(
            start=types.Position(line=span.start.line, character=span.start.column),
            end=types.Position(line=span.end.line, character=span.end.column),
        ),
    )


def from_client_position(pos: types.Position, lines: Sequence[str], codec: PositionCodec) -> Position:
    server = codec.position_from_client_units(lines, pos)
    return Position(server.line, server.character)


@functools.lru_cache(maxsize=64)
def _doc_href(r: Rule) -> str:
    """The rule's page on this machine when installed with the package, else the project's copy."""
    local = r.local_doc
    return uri_for(local) if local else r.url


@functools.lru_cache(maxsize=1)
def _machine_distro() -> str:
    from buildwise.analysis.probes import detect_distro

    return detect_distro()


def message_with_notes(finding: Finding, distro: str | None) -> str:
    """The one-line message, then its help/note lines (install commands for the user's distro)."""
    from buildwise.analysis.sysdeps import note_lines

    lines = [finding.message]
    for note in finding.notes:
        lines += [f"{note.kind}: {text}" for text in note_lines(note, distro or _machine_distro())]
    return "\n".join(lines)


def to_diagnostic(
    finding: Finding,
    lines: Sequence[str],
    codec: PositionCodec,
    version: int | None,
    index: int = 0,
    distro: str | None = None,
) -> types.Diagnostic:
    """``data`` names the finding (document version and index in what the server published);
    the code-action handler takes its fixes from the server's copy, so a diagnostic does not carry
    a README section's worth of text to the client and back on every keystroke."""
    r = rule(finding.code)
    return types.Diagnostic(
        range=to_client_range(finding.span, lines, codec),
        message=message_with_notes(finding, distro),
        severity=SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=_doc_href(r)) if r is not None else None,
        source=SOURCE,
        data={
            "name": finding.name,
            "version": version,
            "index": index,
            "fixes": [f.title for f in finding.fixes],
            "facts": json.loads(json.dumps(finding.data, default=str)),
        },
    )


def workspace_edit(
    edits: Sequence[Edit],
    documents: Mapping[str, tuple[Sequence[str], int | None]],
    codec: PositionCodec,
) -> types.WorkspaceEdit:
    """``documents``: path -> (lines split on LF, version) of every file the edits touch. New lines
    in an edit take the file's own line ending (a CRLF file stays CRLF)."""
    by_path: dict[str, list[types.TextEdit]] = {}
    for e in edits:
        lines = documents.get(e.path, ([], None))[0]
        e = in_line_ending(e, len(lines) > 1 and lines[0].endswith("\r"))
        by_path.setdefault(e.path, []).append(
            types.TextEdit(range=to_client_range(e.span, lines, codec), new_text=e.new_text)
        )
    changes: list[types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile] = []
    for path, text_edits in by_path.items():
        version = documents.get(path, ([], None))[1]
        if not os.path.exists(path) and version is None:  # a fix that creates a file (README, bindep.txt)
            changes.append(
                types.CreateFile(uri=uri_for(path), options=types.CreateFileOptions(ignore_if_exists=True))
            )
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri_for(path), version=version
                ),
                edits=list(text_edits),
            )
        )
    return types.WorkspaceEdit(document_changes=changes)
