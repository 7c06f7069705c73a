"""How deep a TOML text nests, found in one linear pass before any parser sees it.

tomli and the tree walk recurse once per level of arrays, inline tables and dotted keys, so a few
hundred levels (``x = [[[[...``) end in ``RecursionError``. No real pyproject.toml or lock file
nests more than a dozen levels; past ``MAX_NESTING`` the text is reported where the limit is
crossed and that part of the file is not parsed.
"""

from __future__ import annotations

import re
from itertools import accumulate

#: Levels of arrays, inline tables and dotted-key parts one value may nest.
MAX_NESTING = 100

_OPEN = frozenset("[{")
_CLOSE = frozenset("]}")
#: Characters after which the next dot starts counting again (a new key or value begins).
_RESET = frozenset("=,\n[]{}")


#: Strings and comments: what they hold does not nest.
_INERT = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*', re.DOTALL
)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DOT_SEGMENT = re.compile(r"[^=,\n\[\]{}]+")
_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}


def _cannot_overflow(text: str, limit: int) -> bool:
    """A cheap upper bound, computed by the regular-expression engine: the deepest bracket
    nesting plus the longest dotted key. Real files come nowhere near the limit."""
    if text.count("[") + text.count("{") + text.count(".") <= limit:
        return True
    skeleton = _INERT.sub("", text)
    brackets = _NOT_BRACKET.sub("", skeleton)
    depths = list(accumulate(map(_DELTA.__getitem__, brackets)))
    if depths and min(depths) < 0:
        return False  # unbalanced (a broken file): count exactly
    deepest = max(depths, default=0)
    if deepest > limit:
        return False
    longest_key = max((m.count(".") for m in _DOT_SEGMENT.findall(skeleton) if "." in m), default=0)
    return deepest + longest_key <= limit


def nesting_overflow(text: str, limit: int = MAX_NESTING) -> int | None:
    """The code-point offset where nesting first exceeds ``limit``, or None.

    Brackets and braces count one level each, and so does every dot of a dotted key (outside
    strings and comments); ``[a.b]`` headers, arrays and inline tables all add up.
    """
    if _cannot_overflow(text, limit):
        return None
    depth = 0
    dots = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == '"' or c == "'":
            triple = text.startswith(c * 3, i)
            quote = c * 3 if triple else c
            j = i + len(quote)
            k = text.find(quote, j)
            while c == '"' and k >= 0:  # a quote after an odd number of backslashes is escaped
                back = k
                while back > j and text[back - 1] == "\\":
                    back -= 1
                if (k - back) % 2 == 0:
                    break
                k = text.find(quote, k + 1)
            if k < 0:
                return None  # unterminated string: the parser reports it
            i = k + len(quote)
            continue
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c == ".":
            dots += 1
        if c in _RESET:
            dots = 0
        if depth + dots > limit:
            return i
        i += 1
    return None
