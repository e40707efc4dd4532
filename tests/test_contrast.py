"""Contrast of text in the default theme: at least 4.5:1 (WCAG 2 AA), for older eyes (issue 14).

Two checks. The first works out, from the theme's variables (Textual's ColorSystem, as
``App.get_css_variables`` builds it), each colour pair tracker.tcss and the widgets it styles
put text in: ``auto 60%`` (``$text-muted``) is the theme's contrast colour at 60% over the
background it sits on, and a colour with alpha is blended over its background first. The
second draws the screens at 80x24 and measures every character of text as the terminal would
show it, so that a rule of a widget's own stylesheet that the first list misses still fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.pilot import Pilot
from textual.screen import ModalScreen

from tracker.store import Store
from tracker.tui.app import TrackerApp, create_app

TODAY = date(2026, 11, 25)
AA = 4.5

# (text, background, where): every pair the stylesheet uses for words.
PAIRS: list[tuple[str, str, str]] = [
    ("foreground", "background", "text on a screen"),
    ("foreground", "surface", "entries, forms, tables, dialogs"),
    ("foreground", "panel", "Today's day bar, Trends' range line"),
    ("text", "surface", "text in a box"),
    ("text-muted", "background", "'Not logged yet', History's filter labels"),
    ("text-muted", "surface", "form hints and keys, dialog details, placeholders"),
    ("text-muted", "panel", "muted words on a panel"),
    ("text-primary", "surface", "box titles"),
    ("text-primary", "panel", "History's column headings"),
    ("text-error", "surface", "what is wrong with a field"),
    ("text-warning", "surface", "the safety note, 'busy' notes"),
    ("footer-key-foreground", "footer-background", "footer keys"),
    ("footer-description-foreground", "footer-background", "footer descriptions"),
    ("block-cursor-foreground", "primary-darken-2", "the selected row (tracker.tcss)"),
    (
        "block-cursor-blurred-foreground",
        "block-cursor-blurred-background",
        "the selected row of a list without focus",
    ),
    ("foreground", "panel", "notification text (tracker.tcss)"),
    ("text-success", "panel", "notification title"),
    ("text-warning", "panel", "warning title"),
    ("text-error", "panel", "error title"),
]


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(text: Color, background: Color) -> float:
    lighter, darker = sorted((luminance(text), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def resolve(variables: dict[str, str], name: str, over: Color) -> Color:
    """The opaque colour variable ``name`` shows as over ``over``."""
    value = variables[name]
    if value.startswith("auto"):
        parts = value.split()
        alpha = float(parts[1].rstrip("%")) / 100 if len(parts) > 1 else 1.0
        return over + over.get_contrast_text(alpha)
    return over + Color.parse(value)


@pytest.fixture(scope="module")
def variables() -> dict[str, str]:
    return create_app(Path("unused"), today=TODAY).get_css_variables()


@pytest.mark.parametrize(("text", "background", "where"), PAIRS, ids=[p[2] for p in PAIRS])
def test_theme_pairs_reach_aa(
    variables: dict[str, str], text: str, background: str, where: str
) -> None:
    screen = Color.parse(variables["background"])
    behind = resolve(variables, background, screen)
    front = resolve(variables, text, behind)
    ratio = contrast(front, behind)
    assert ratio >= AA, f"{where}: ${text} on ${background} is {ratio:.2f}:1"


def test_muted_text_is_textuals_auto_colour_at_60_percent(variables: dict[str, str]) -> None:
    """The hints' colour, as measured above; if Textual changes it, look at the pairs again."""
    assert variables["text-muted"] == "auto 60%"


def test_the_contrast_formula() -> None:
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert contrast(Color(118, 118, 118), Color(255, 255, 255)) == pytest.approx(4.54, abs=0.01)


# ---------------------------------------------------------------- as drawn


def graphic(char: str) -> bool:
    """Lines, borders, bars, chart dots: shapes, not text (WCAG asks 3:1 of those, if any)."""
    code = ord(char)
    return (
        char.isspace()
        or 0x2500 <= code <= 0x259F  # box drawing, block elements
        or 0x2800 <= code <= 0x28FF  # braille (plotext's lines)
        or char in "•⭘"
    )


def cells(segments: Iterator[Segment]) -> Iterator[tuple[int, str, Segment]]:
    x = 0
    for segment in segments:
        for char in segment.text:
            yield x, char, segment
            x += 1


def weak_text(app: TrackerApp) -> list[str]:
    """Every run of text drawn below 4.5:1; in a dialog, only inside its box (the screen
    behind is dimmed on purpose)."""
    screen = app.screen
    box = None
    if isinstance(screen, ModalScreen):
        box = next(iter(screen.query("#help-box, #form-box, #welcome-box, #confirm-box"))).region
    weak: dict[tuple[str, str], str] = {}
    for y, strip in enumerate(screen._compositor.render_strips()):
        for x, char, segment in cells(iter(strip)):
            style = segment.style
            if graphic(char) or style is None or style.color is None or style.bgcolor is None:
                continue
            if box is not None and not box.contains(x, y):
                continue
            if style.dim:
                continue  # a key that does nothing here (WCAG: inactive controls)
            front = Color.from_rich_color(style.color)
            behind = Color.from_rich_color(style.bgcolor)
            if contrast(front, behind) < AA:
                key = (front.hex, behind.hex)
                weak[key] = weak.get(key, "") + char
    return [
        f"{text.strip()[:40]!r}: {fg} on {bg} is {contrast(Color.parse(fg), Color.parse(bg)):.2f}"
        for (fg, bg), text in weak.items()
    ]


def seeded(folder: Path) -> Path:
    store = Store(folder, today=lambda: TODAY)
    for days_ago in range(10):
        day = date.fromordinal(TODAY.toordinal() - days_ago).isoformat()
        store.add(
            "lunge",
            {"sets": 3, "reps": 10, "side": "both", "tempo": "4-1-4-0", "date": day},
        )
        if days_ago:
            values = {"knee_pain": 3, "back_pain": 2, "clicking_left": 1, "clicking_right": 0}
            store.add("checkin", {**values, "date": day})
    return folder


async def shown(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize(
    "keys",
    [
        (),  # Today, the day's list in focus with its cursor row
        ("left",),  # a day with a check-in
        ("2",),  # History, its table and its filter placeholders
        ("3",),  # Trends, its tabs and insights
        ("question_mark",),  # help
        ("s",),  # the check-in form and its hints
        ("l",),  # an exercise form
        ("d",),  # a dialog
    ],
    ids=[
        "today",
        "yesterday",
        "history",
        "trends",
        "help",
        "checkin-form",
        "lunge-form",
        "confirm",
    ],
)
async def test_text_as_drawn_reaches_aa(tmp_path: Path, keys: tuple[str, ...]) -> None:
    app = create_app(seeded(tmp_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, *keys)
        assert weak_text(app) == []


async def test_welcome_as_drawn_reaches_aa(tmp_path: Path) -> None:
    app = create_app(seeded(tmp_path), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot)
        app.action_welcome()
        await pilot.pause()
        assert weak_text(app) == []
