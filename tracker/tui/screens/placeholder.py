"""A stand-in for a screen that is not part of this build."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class PlaceholderScreen(Screen[None]):
    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(self.message), classes="placeholder")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = self.title_text
