"""The report as Markdown (``tracker report``, or ``--out FILE.md``): for a terminal, a text
editor or a Markdown viewer.

The content is ``content.Report``; this writes it out. The pain chart is the terminal's own
plotext chart, as plain text; the weekly bar charts are left out (their tables carry the same
numbers). Every table cell goes through ``markdown_cell`` and the whole text through
``printable``, so that no text from the user or a file (a note, a custom exercise name) can
break a table row, forge a line, turn into Markdown or HTML, or reach a terminal as an escape
sequence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tracker import charts
from tracker.report.model import (
    BarChart,
    Block,
    Notes,
    PainChart,
    Paragraph,
    Report,
    Table,
)
from tracker.text import printable

CHART_WIDTH = 80
CHART_HEIGHT = 22

# Backslash and bar (a bar starts a new cell), and what Markdown reads as emphasis, code,
# links, raw HTML, strike-through or an entity: a note of "**x**" or "<b>" stays as typed.
_MARKUP = re.compile(r"[\\|*_`<>\[\]~&]")


def markdown_cell(text: str) -> str:
    """``text`` as one Markdown table cell: control characters and newlines escaped (a note's
    line break would end the row), ``|`` and ``\\`` escaped (a bar would start a new cell),
    and the characters of Markdown's emphasis, links and raw HTML escaped (shown as typed)."""
    return _MARKUP.sub(lambda m: "\\" + m.group(), printable(text, one_line=True))


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table, one line per row whatever the cells hold, and a blank line after."""
    lines = [
        "| " + " | ".join(markdown_cell(h) for h in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    parts = [f"# {report.title}", "", report.period, ""]
    for section in report.sections:
        parts += [f"## {section.title}", ""]
        for block in section.blocks:
            parts += _block(block)
    # Our own text holds no control character; this keeps it so whatever a section shows.
    return printable("\n".join(parts).rstrip(), one_line=False) + "\n"


def _block(block: Block) -> list[str]:
    match block:
        case Paragraph(text):
            return [text, ""]
        case Table(header, rows):
            return markdown_table(header, rows)
        case Notes(rows):
            # A note's own line breaks become " / ": a table row is one line.
            return markdown_table(
                ("Date", "Entry", "Note"),
                (
                    (
                        note.day.isoformat(),
                        note.entry,
                        " / ".join(line.strip() for line in note.text.splitlines()),
                    )
                    for note in rows
                ),
            )
        case PainChart():
            text = charts.render(
                "pain",
                block.entries,
                until=block.until,
                days=len(block.days),
                width=CHART_WIDTH,
                height=CHART_HEIGHT,
            )
            return ["```text", text, "```", ""]
        case BarChart():
            return []  # the tables carry these numbers
    raise AssertionError(f"unknown block {block!r}")
