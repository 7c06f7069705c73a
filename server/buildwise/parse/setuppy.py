"""setup.py read without running it: the literal arguments of its ``setup()`` call.

Finds every call of ``setup(...)`` / ``setuptools.setup(...)`` and reads ``install_requires``,
``setup_requires`` (build requirements), ``extras_require`` and ``python_requires`` when they are
literals: lists, tuples or strings, names bound once at module level to such literals, ``+`` of
those, and ``**kwargs`` from a module-level dict literal. Anything else (a function reading a
file, a comprehension, a name assigned twice) is computed when setup.py runs, which kb-lint never
does: it becomes a "dynamic" problem at its place, so the user knows that list is not checked.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from buildwise.model import Position, Span
from buildwise.parse.declared import Declared, DependencyFile, Problem
from buildwise.parse.text import LineIndex

_LISTS = {
    "install_requires": ("setup.install_requires", False),
    "setup_requires": ("setup.setup_requires", True),
}


@dataclass(frozen=True)
class _Str:
    value: str
    node: ast.expr


class _Computed(Exception):
    def __init__(self, node: ast.AST, why: str) -> None:
        super().__init__(why)
        self.node = node
        self.why = why


class _Reader:
    def __init__(self, tree: ast.Module, index: LineIndex, out: DependencyFile) -> None:
        self.index = index
        self.out = out
        self.names: dict[str, ast.expr | None] = {}
        self.functions: dict[str, ast.AST] = {}
        for stmt in tree.body:
            self._bind(stmt)

    def _bind(self, stmt: ast.stmt) -> None:
        """Module-level bindings: a name bound once to an expression; bound again (or augmented,
        or appended to) it is None, computed."""
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[stmt.name] = stmt
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        elif isinstance(stmt, ast.AugAssign):
            targets = [stmt.target]
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                self.names[func.value.id] = None  # NAME.append(...) / NAME.extend(...)
        for target in targets:
            if isinstance(target, ast.Name):
                self.names[target.id] = None if target.id in self.names or value is None else value
        if isinstance(stmt, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for inner in ast.walk(stmt):
                if isinstance(inner, (ast.Assign, ast.AugAssign)):
                    for target in inner.targets if isinstance(inner, ast.Assign) else [inner.target]:
                        if isinstance(target, ast.Name):
                            self.names[target.id] = None  # depends on a condition or a loop

    def span(self, node: ast.AST) -> Span:
        line = getattr(node, "lineno", 1) - 1
        end_line = (getattr(node, "end_lineno", None) or line + 1) - 1
        col = self.index.char_column(line, getattr(node, "col_offset", 0))
        end_col = self.index.char_column(end_line, getattr(node, "end_col_offset", None) or 0)
        return Span(Position(line, col), Position(end_line, end_col))

    def resolve(self, node: ast.expr, depth: int = 0) -> ast.expr:
        if isinstance(node, ast.Name) and depth < 20:
            if node.id not in self.names:
                raise _Computed(node, f"{node.id} is not a module-level literal")
            bound = self.names[node.id]
            if bound is None:
                raise _Computed(node, f"{node.id} is assigned more than once or changed")
            return self.resolve(bound, depth + 1)
        return node

    def strings(self, node: ast.expr) -> list[_Str | ast.expr]:
        """A list of requirement strings; elements that are not literals stay nodes."""
        value = self.resolve(node)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return [_Str(value.value, value)]
        if isinstance(value, (ast.List, ast.Tuple)):
            out: list[_Str | ast.expr] = []
            for element in value.elts:
                if isinstance(element, ast.Starred):
                    out += self.strings(element.value)
                    continue
                try:
                    resolved = self.resolve(element)
                except _Computed:
                    out.append(element)
                    continue
                if isinstance(resolved, ast.Constant) and isinstance(resolved.value, str):
                    out.append(_Str(resolved.value, element))
                else:
                    out.append(element)
            return out
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            return self.strings(value.left) + self.strings(value.right)
        raise _Computed(node, _describe(value))

    def verbatim(self, item: _Str) -> Span | None:
        """Inside the quotes, when the literal is one plain string on one line (no prefix, no
        escapes, no implicit concatenation): then the value's columns are the file's columns."""
        span = self.span(item.node)
        if span.start.line != span.end.line or not isinstance(item.node, ast.Constant):
            return None
        source = self.index.line(span.start.line)[span.start.column : span.end.column]
        for quote in ('"""', "'''", '"', "'"):
            if (
                source.startswith(quote)
                and source.endswith(quote)
                and len(source) >= 2 * len(quote)
                and source[len(quote) : -len(quote)] == item.value
            ):
                q = len(quote)
                return Span(
                    Position(span.start.line, span.start.column + q),
                    Position(span.end.line, span.end.column - q),
                )
        return None

    def requirements(self, node: ast.expr, group: str, label: str, *, build: bool) -> None:
        try:
            items = self.strings(node)
        except _Computed as exc:
            self.dynamic(exc.node if exc.node is not node else node, label, exc.why)
            return
        for item in items:
            if not isinstance(item, _Str):
                self.dynamic(item, f"an entry of {label}", _describe(item))
                continue
            lines = [ln.strip() for ln in item.value.splitlines()]
            lines = [ln for ln in lines if ln and not ln.startswith("#")]
            where = self.span(item.node)
            verbatim = self.verbatim(item) if len(lines) == 1 and lines[0] == item.value else None
            for text in lines:
                self.out.requirements.append(
                    Declared(text.partition(" #")[0].rstrip(), group, where, verbatim, build=build)
                )

    def dynamic(self, node: ast.AST, label: str, why: str) -> None:
        files = sorted(
            {
                n.value
                for top in self._with_callee(node)
                for n in ast.walk(top)
                if isinstance(n, ast.Constant)
                and isinstance(n.value, str)
                and n.value.endswith((".txt", ".in"))
            }
        )
        reads = f" (it reads {', '.join(files)}, which is checked as a requirements file)" if files else ""
        self.out.problems.append(
            Problem(
                self.span(node),
                f"{label} is computed ({why}); kb-lint does not run setup.py, so it is not checked{reads}",
                "dynamic",
                tuple(files),
            )
        )

    def _with_callee(self, node: ast.AST) -> list[ast.AST]:
        """The node, and the module-level functions it calls (where the file it reads is named)."""
        out = [node]
        for n in ast.walk(node):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in self.functions:
                out.append(self.functions[n.func.id])
        return out

    def call(self, call: ast.Call) -> None:
        keywords: list[tuple[str, ast.expr, ast.AST]] = []
        for kw in call.keywords:
            if kw.arg is not None:
                keywords.append((kw.arg, kw.value, kw))
                continue
            try:
                mapping = self.resolve(kw.value)
            except _Computed:
                continue
            if isinstance(mapping, ast.Dict):
                for k, v in zip(mapping.keys, mapping.values, strict=False):
                    if isinstance(k, ast.Constant) and isinstance(k.value, str):
                        keywords.append((k.value, v, k))
        for name, value, _where in keywords:
            if name in _LISTS:
                group, build = _LISTS[name]
                self.requirements(value, group, name, build=build)
            elif name == "extras_require":
                self.extras(value)
            elif name == "python_requires":
                try:
                    resolved = self.resolve(value)
                except _Computed as exc:
                    self.dynamic(exc.node, name, exc.why)
                    continue
                if isinstance(resolved, ast.Constant) and isinstance(resolved.value, str):
                    self.out.requires_python = resolved.value
                    self.out.requires_python_span = self.span(value)
                else:
                    self.dynamic(value, name, _describe(resolved))

    def extras(self, node: ast.expr, depth: int = 0) -> None:
        try:
            mapping = self.resolve(node)
        except _Computed as exc:
            self.dynamic(exc.node, "extras_require", exc.why)
            return
        if not isinstance(mapping, ast.Dict):
            self.dynamic(node, "extras_require", _describe(mapping))
            return
        for k, v in zip(mapping.keys, mapping.values, strict=False):
            if k is None:  # {**OTHER, ...}
                if depth < 10:
                    self.extras(v, depth + 1)
                continue
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                self.requirements(
                    v, f"setup.extras_require.{k.value}", f"extras_require[{k.value!r}]", build=False
                )
            else:
                self.dynamic(k, "an extras_require key", "not a literal")


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else "a call"
        )
        return f"{name}(...)"
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return "a comprehension"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    return f"a {type(node).__name__} expression"


def _is_setup(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "setup") or (
        isinstance(func, ast.Attribute) and func.attr == "setup"
    )


def parse_setup_py(text: str, path: str = "setup.py") -> DependencyFile:
    """Never raises and never executes anything."""
    out = DependencyFile(path, "setup.py", text)
    index = LineIndex(text)
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError) as exc:
        line = max((getattr(exc, "lineno", None) or 1) - 1, 0)
        col = max((getattr(exc, "offset", None) or 1) - 1, 0)
        message = getattr(exc, "msg", None) or str(exc)
        out.problems.append(
            Problem(Span(Position(line, col), Position(line, col + 1)), f"setup.py: {message}", "syntax")
        )
        return out
    reader = _Reader(tree, index, out)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_setup(node):
            reader.call(node)
    return out
