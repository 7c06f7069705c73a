"""Writing TOML strings: the one place that knows how a value must be quoted and escaped."""

from __future__ import annotations

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _control(c: str) -> bool:
    return c < " " or c == "\x7f"


def toml_string(value: str, quote: str = '"') -> str:
    """A TOML string literal for ``value``: a literal string ('...') when asked for and possible,
    else a basic string with quotes, backslashes and control characters escaped."""
    if quote == "'" and "'" not in value and not any(_control(c) for c in value):
        return f"'{value}'"
    out = []
    for c in value:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif _control(c):
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def needs_escaping(value: str) -> bool:
    """Whether ``value`` cannot go as it is between the quotes of either kind of TOML string."""
    return any(c in "\"'\\" or _control(c) for c in value)
