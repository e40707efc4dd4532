"""`tracker serve` in a real browser (issue 12): Debian's chromium, driven by Playwright.

The page opened with the printed address shows Today; a check-in typed there with the keys of
the terminal reaches the data folder (`tracker list` shows it); a second tab is told the diary
is already open while the first keeps working; the report arrives as a download; a wrong token
and a page of another site get nothing.

Playwright's own browser download needs hosts the build machines cannot reach, so it drives
/usr/bin/chromium (`apt-get install chromium`). Run alone with `make test-serve`; skipped
(loudly) without chromium or playwright. With TRACKER_SAVE_SCREENSHOTS=1 it saves the user
guide's pictures to docs/screens/ (CI leaves them alone).

textual.js draws the terminal on a canvas, so the page has no text to read: an init script
wraps the page's WebSocket and keeps what the app sent (``window.__screen``, the terminal's
byte stream as text) and whether each socket opened (``window.__sockets``). Every wait is for
an event or a condition, bounded by a generous deadline (CI is a loaded 2-core machine).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import REPO, TODAY, TRACKER, subprocess_env
from test_serve import Served, tracker_serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Download, Page

CHROMIUM = "/usr/bin/chromium"
HAS_PLAYWRIGHT = importlib.util.find_spec("playwright") is not None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and HAS_PLAYWRIGHT),
        reason="TRACKER SERVE NOT CHECKED IN A BROWSER: needs /usr/bin/chromium "
        "(apt-get install chromium) and playwright (pip install -e '.[test]')",
    ),
]

WAIT_MS = 90_000  # for the app to start and answer; generous for a loaded CI machine
SCREENS = REPO / "docs" / "screens"
VIEWPORT = {"width": 880, "height": 520}  # about 90x26 cells of the app

HOOK = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__screen = "";
  window.__sockets = [];
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    const record = {url: String(url), opened: false, closed: false};
    window.__sockets.push(record);
    socket.addEventListener("open", () => { record.opened = true; });
    socket.addEventListener("close", () => { record.closed = true; });
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__screen += decoder.decode(new Uint8Array(event.data), {stream: true});
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
})();
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Chromium refuses its sandbox to root (CI runs as root).
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """Four weeks of demo entries up to yesterday: today has nothing logged yet."""
    folder = tmp_path / "data"
    result = subprocess.run(
        [TRACKER, "demo", "--days", "28", "--data", str(folder)],
        capture_output=True,
        text=True,
        env=subprocess_env(TRACKER_TODAY="2026-11-24"),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def served(diary: Path) -> Iterator[Served]:
    with tracker_serve(diary) as running:
        yield running


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)  # type: ignore[arg-type]
    context.add_init_script(HOOK)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page


def screen(page: Page) -> str:
    text: str = page.evaluate("window.__screen")
    return text


def wait_for_screen(page: Page, text: str, *, after: int = 0) -> None:
    """Until the app has sent ``text`` (after the first ``after`` characters of its output)."""
    page.wait_for_function(
        "([text, after]) => window.__screen.slice(after).includes(text)", arg=[text, after]
    )


def press(page: Page, *keys: str, then: str) -> None:
    """Type ``keys`` into the terminal and wait until the app answers with ``then``."""
    mark = len(screen(page))
    page.focus("textarea.xterm-helper-textarea")
    for key in keys:
        page.keyboard.press(key)
    wait_for_screen(page, then, after=mark)


def drawn(page: Page) -> None:
    """Until the terminal has faded in (the page's 0.3 s transition) and painted what it
    received (two animation frames)."""
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.textual-terminal')).opacity === '1'"
    )
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def save_screenshot(page: Page, name: str) -> None:
    if os.environ.get("TRACKER_SAVE_SCREENSHOTS") == "1":
        drawn(page)
        page.screenshot(path=str(SCREENS / name))


def checkins_of_today(folder: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [TRACKER, "list", "--json", "--kind", "checkin", "--from", TODAY, "--data", str(folder)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def wait_for_checkin(folder: Path, deadline: float = 90) -> list[dict[str, Any]]:
    """`tracker list` until today's check-in is there: a condition, bounded by ``deadline``."""
    end = time.monotonic() + deadline
    while not (found := checkins_of_today(folder)) and time.monotonic() < end:
        time.sleep(0.2)
    return found


def test_a_checkin_typed_in_the_browser_is_in_tracker_list(
    browser: Browser, served: Served, diary: Path
) -> None:
    page = new_page(browser)
    response = page.goto(served.url)
    assert response is not None and response.status == 200
    wait_for_screen(page, "Today")
    # A new user's first start shows the welcome; enter closes it onto Today.
    wait_for_screen(page, "enter to start")
    press(page, "Enter", then="not logged yet")
    save_screenshot(page, "serve-today.png")

    # A second tab is told, and gets no app of its own.
    second = new_page(browser)
    second.goto(served.url)
    wait_for_screen(second, "already open in another tab")
    assert "Today" not in screen(second)
    save_screenshot(second, "serve-second-tab.png")
    second.context.close()

    # The first tab still answers: the check-in by keys, as in the terminal.
    press(page, "s", then="Save (ctrl+s)")
    press(page, "3", "Tab", "2", "Tab", "1", "Tab", "0", "Enter", then="3/10")
    [checkin] = wait_for_checkin(diary)
    assert (checkin["knee_pain"], checkin["back_pain"]) == (3, 2)
    assert (checkin["clicking_left"], checkin["clicking_right"]) == (1, 0)
    save_screenshot(page, "serve-checkin.png")

    # A reload closes the old session as the new one opens: it is not "another tab".
    page.reload()
    wait_for_screen(page, "3/10")
    assert "already open" not in screen(page)
    page.context.close()


def test_the_report_arrives_as_a_download(browser: Browser, served: Served) -> None:
    page = new_page(browser)
    downloads: list[Download] = []
    # textual.js opens the download in a new tab, whose download Playwright may report on
    # either page.

    def keep(download: Download) -> None:
        downloads.append(download)

    page.on("download", keep)
    page.context.on("page", lambda tab: tab.on("download", keep))
    page.goto(served.url)
    wait_for_screen(page, "enter to start")
    press(page, "Enter", then="not logged yet")
    press(page, "3", then="Report")
    press(page, "R", then="downloading")
    end = time.monotonic() + WAIT_MS / 1000
    while not downloads and time.monotonic() < end:
        page.wait_for_timeout(200)  # lets Playwright deliver the new tab's events
    [download] = downloads
    assert download.suggested_filename == f"tracker-report-{TODAY}.html"
    path = download.path()
    text = Path(path).read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html") and "</html>" in text
    page.context.close()


def test_a_wrong_token_and_another_site_get_nothing(browser: Browser, served: Served) -> None:
    page = new_page(browser)
    wrong = served.url.replace(served.token, "not-the-token")
    response = page.goto(wrong)
    assert response is not None and response.status == 403
    assert "Wrong or missing token" in page.inner_text("body")
    assert page.evaluate("window.__sockets.length") == 0

    # A page of another site that knows even the token: its websocket is refused.
    socket_url = f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=80&height=24"
    evil = f"<script>new WebSocket({json.dumps(socket_url)});</script>"
    page.context.route(
        "http://evil.example/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=evil),
    )
    page.goto("http://evil.example/")
    page.wait_for_function("window.__sockets.length === 1 && window.__sockets[0].closed")
    assert page.evaluate("window.__sockets[0].opened") is False
    assert screen(page) == ""
    page.context.close()
