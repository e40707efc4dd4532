"""Text from the user or from a file, made safe to show: control characters escaped.

Notes, custom exercise names, import files and the paths in error messages are shown on a
terminal, in a report, in a CSV cell and in the app. An ESC byte in any of them could retitle
or clear the terminal (OSC and CSI sequences); a newline in a one-line view forges an extra
line; a lone surrogate (a non-UTF-8 byte from ``argv``, or ``"\\ud800"`` in JSON) makes
``print`` fail. Every face passes such text through ``printable`` before it is shown.

Text too long for its place (a note in a table row, a chart title) is cut by ``shorten`` at a
word's end with "…": a cut mid-word reads as a different word.
"""

from __future__ import annotations

import re
import unicodedata

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


ELLIPSIS = "…"


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide (East Asian) characters two, combining marks none.

    Close to what a terminal does, without a dependency on Rich (the core never imports the
    faces' libraries)."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _take(text: str, cells: int) -> str:
    """The longest start of ``text`` that fits ``cells`` terminal cells."""
    used = 0
    for index, char in enumerate(text):
        used += cell_width(char)
        if used > cells:
            return text[:index]
    return text


def shorten(text: str, width: int, *, boundaries: tuple[str, ...] = (" ",)) -> str:
    """``text`` in at most ``width`` cells; a longer one cut at a word's end, with "…".

    A cut mid-word ("stairs were eas") reads as a different word; a cut after the last whole
    word that keeps at least a third of ``width``, and an ellipsis, say that more follows.
    ``boundaries`` are tried in order: ``(", ", " ")`` cuts between two figures of a list
    before it cuts between two words. A single word longer than the room is cut where it must.
    """
    if cell_width(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS if width == 1 else ""
    room = _take(text, width - 1)
    if not text.startswith(boundaries, len(room)):
        for boundary in boundaries:
            cut = room.rfind(boundary)
            if cut > width // 3:
                room = room[:cut]
                break
    return room.rstrip(" ,;:") + ELLIPSIS
