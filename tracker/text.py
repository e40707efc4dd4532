"""Text from the user or from a file, made safe to show: control characters escaped.

Notes, custom exercise names, import files and the paths in error messages are shown on a
terminal, in a report, in a CSV cell and in the app. An ESC byte in any of them could retitle
or clear the terminal (OSC and CSI sequences); a newline in a one-line view forges an extra
line; a lone surrogate (a non-UTF-8 byte from ``argv``, or ``"\\ud800"`` in JSON) makes
``print`` fail. Every face passes such text through ``printable`` before it is shown.
"""

from __future__ import annotations

import re

# C0 controls (tab and newline handled by the caller's choice), DEL, C1 controls, the bidi
# overrides and isolates (they reorder what follows them on screen: "Trojan source"), the line
# and paragraph separators, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        # A byte that was not UTF-8, as Python's surrogateescape carries it from argv.
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = True) -> str:
    """``text`` with every control character written as a visible escape (``\\e``, ``\\n``).

    ``one_line`` (the default) escapes newlines and tabs too, for lists, tables, titles and
    messages; with it false, newlines and tabs stay (a multi-line note in a report or a card).
    """
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def is_encodable(text: str) -> bool:
    """False for text holding a lone surrogate, which no UTF-8 file can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
