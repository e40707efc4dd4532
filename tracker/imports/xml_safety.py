"""XML from another app is parsed without a DTD: a foreign file must not declare entities
(which can expand a few bytes into gigabytes, or read other files) nor fetch anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker.imports.source import ImportFormatError


def parse_safely(path: Path, data: bytes, what: str) -> Any:
    """The root element of ``data``; ImportFormatError with the line of a syntax error, or
    for any DTD (which GPX and TCX never need)."""
    import defusedxml.ElementTree as safe_tree
    from defusedxml import DefusedXmlException

    try:
        return safe_tree.fromstring(data.lstrip(), forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFormatError(
            str(path), None, f"declares a DTD or entities, which a {what} file never needs"
        ) from None
    except safe_tree.ParseError as error:
        line, _column = error.position
        # Leading blank lines were stripped (Strava's TCX files start with spaces).
        skipped = data[: len(data) - len(data.lstrip())].count(b"\n")
        problem = str(error).split(":")[0]
        raise ImportFormatError(
            str(path), line + skipped, f"not a readable {what} file ({problem})"
        ) from None


def local_name(tag: object) -> str:
    """``{namespace}hr`` -> ``hr``: GPX and TCX extensions come in several namespaces."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def line_holding(data: bytes, value: str) -> int | None:
    """The first line where ``value`` stands as an element's text or an attribute's value:
    where a reader found a figure it cannot use (ElementTree keeps no line numbers)."""
    text = data.decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if f">{value}<" in line or f'"{value}"' in line or f"'{value}'" in line:
            return number
    return None
