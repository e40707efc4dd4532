"""`tracker serve` without a browser: the token, the Origin check and one session at a time
(tracker/serve/server.py), through aiohttp's test client against a stand-in app process; the
command's flags and Ctrl+C through the command line. The browser test is
tests/test_serve_browser.py."""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer
from conftest import TRACKER, Cli, subprocess_env

from tracker.serve import server as serve_module
from tracker.serve.server import (
    ALREADY_OPEN,
    COOKIE,
    ServeUsageError,
    TrackerServer,
    allowed_origins,
    app_command,
    check_public_url,
    is_loopback,
    origin_of,
    token_matches,
)
from tracker.tui.app import TrackerApp, create_app

TOKEN = "test-token-0123456789"
CHECKIN = ("--knee-pain", "3", "--back-pain", "2", "--clicking-left", "1", "--clicking-right", "0")

# A stand-in for the app process: textual-serve's prelude, one frame of screen, then it waits
# for textual-serve's "quit" on standard input (as Textual's web driver does).
FAKE_APP = """
import sys
out = sys.stdout.buffer
out.write(b"__GANGLION__\\n")
frame = b"fake app ready"
out.write(b"D" + len(frame).to_bytes(4, "big") + frame)
out.flush()
seen = b""
while b"quit" not in seen:
    chunk = sys.stdin.buffer.read1(4096)
    if not chunk:
        break
    seen = seen[-16:] + chunk
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# ---------------------------------------------------------------- the rules, one by one


def test_the_token_must_match_exactly() -> None:
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(None, TOKEN)
    assert not token_matches("", TOKEN)
    assert not token_matches(TOKEN[:-1], TOKEN)
    assert not token_matches(TOKEN + "x", TOKEN)
    assert not token_matches("tést", TOKEN)  # not ASCII: refused, not an error


def test_origins_are_written_as_browsers_send_them() -> None:
    assert origin_of("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert origin_of("HTTPS://Example.org:443/tracker") == "https://example.org"
    assert origin_of("http://example.org:80") == "http://example.org"
    assert origin_of("http://[::1]:8765") == "http://[::1]:8765"


def test_on_this_machine_every_name_of_it_is_the_same_origin() -> None:
    origins = allowed_origins("127.0.0.1", 8765, None)
    assert "http://127.0.0.1:8765" in origins
    assert "http://localhost:8765" in origins
    assert "http://evil.example" not in origins
    assert "http://127.0.0.1:8766" not in origins
    public = allowed_origins("127.0.0.1", 8765, "https://diary.example/")
    assert public == frozenset({"https://diary.example"})


def test_loopback_means_this_machine_only() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "192.168.1.20", "::", "example.org", ""):
        assert not is_loopback(host), host


def test_a_public_url_must_be_a_web_address() -> None:
    assert check_public_url("http://192.168.1.20:8765/") == "http://192.168.1.20:8765"
    for bad in ("192.168.1.20:8765", "ftp://host", "http://", "http://host:99999", "http://h/?a"):
        with pytest.raises(ServeUsageError, match="--public-url must be an http"):
            check_public_url(bad)


def test_another_machine_needs_a_public_url(tmp_path: Path) -> None:
    with pytest.raises(ServeUsageError, match=r"--host 0\.0\.0\.0 .* --public-url"):
        TrackerServer(tmp_path, host="0.0.0.0")


def test_each_session_runs_the_app_on_the_same_data_folder(tmp_path: Path) -> None:
    command = shlex.split(app_command(tmp_path / "my diary"))
    assert command[:3] == [sys.executable, "-m", "tracker.serve.app"]
    assert command[3:] == ["--data", str((tmp_path / "my diary").resolve())]


def test_the_token_is_new_and_long_each_time(tmp_path: Path) -> None:
    first, second = TrackerServer(tmp_path), TrackerServer(tmp_path)
    assert first.token != second.token
    assert len(first.token) >= 32
    assert first.url == f"http://127.0.0.1:8765/?token={first.token}"


# ---------------------------------------------------------------- over HTTP


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    port = free_port()
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(FAKE_APP)}"
    tracker_server = TrackerServer(tmp_path, port=port, token=TOKEN, command=command)
    test_server = TestServer(tracker_server.make_app(), host="127.0.0.1", port=port)
    async with TestClient(test_server) as test_client:
        yield test_client


def own_origin(client: TestClient[web.Request, web.Application]) -> dict[str, str]:
    return {"Origin": f"http://127.0.0.1:{client.port}"}


async def test_the_page_needs_the_token(
    client: TestClient[web.Request, web.Application],
) -> None:
    for query in ("", "?token=", "?token=wrong", f"?token={TOKEN}x"):
        response = await client.get(f"/{query}")
        assert response.status == 403, query
        assert "Wrong or missing token" in await response.text()
        assert COOKIE not in response.cookies
    response = await client.get(f"/?token={TOKEN}")
    assert response.status == 200
    page = await response.text()
    assert f"ws://127.0.0.1:{client.port}/ws/{TOKEN}" in page
    assert response.cookies[COOKIE].value == TOKEN
    assert response.headers["Referrer-Policy"] == "no-referrer"


async def test_the_page_loads_its_fonts_from_this_server(
    client: TestClient[web.Request, web.Application],
) -> None:
    page = await (await client.get(f"/?token={TOKEN}")).text()
    assert "googleapis" not in page and "https://" not in page
    font = f"http://127.0.0.1:{client.port}/static/fonts/RobotoMono-VariableFont_wght.ttf"
    assert font in page
    response = await client.get("/static/fonts/RobotoMono-VariableFont_wght.ttf")
    assert response.status == 200
    assert len(await response.read()) > 10_000
    assert (await client.get("/static/")).status in (403, 404)  # no folder listing


async def test_a_page_of_another_site_gets_nothing(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get(f"/?token={TOKEN}", headers={"Origin": "http://evil.example"})
    assert response.status == 403
    assert "another web site" in await response.text()
    page = await client.get(f"/?token={TOKEN}", headers=own_origin(client))
    assert page.status == 200


async def test_the_websocket_needs_the_token_and_this_origin(
    client: TestClient[web.Request, web.Application],
) -> None:
    refused = [
        ("/ws/wrong", own_origin(client)),
        (f"/ws/{TOKEN}", {"Origin": "http://evil.example"}),
        (f"/ws/{TOKEN}", {"Origin": "http://127.0.0.1:1"}),
        (f"/ws/{TOKEN}", {}),  # every browser sends an Origin with a websocket
    ]
    for path, headers in refused:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refusal:
            await client.ws_connect(path, headers=headers)
        assert refusal.value.status == 403, (path, headers)
    socket_ = await client.ws_connect(f"/ws/{TOKEN}", headers=own_origin(client))
    message = await socket_.receive(timeout=60)
    assert message.type == WSMsgType.BINARY and message.data == b"fake app ready"
    await socket_.close()


async def test_a_second_tab_is_told_and_the_first_keeps_working(
    client: TestClient[web.Request, web.Application], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_module, "SESSION_WAIT", 0.5)
    first = await client.ws_connect(f"/ws/{TOKEN}", headers=own_origin(client))
    assert (await first.receive(timeout=60)).data == b"fake app ready"

    second = await client.ws_connect(f"/ws/{TOKEN}", headers=own_origin(client))
    told = await second.receive(timeout=60)
    assert told.type == WSMsgType.BINARY
    assert told.data == ALREADY_OPEN.encode()
    assert "already open in another tab" in told.data.decode()

    await first.send_json(["ping", "still there?"])
    answer = await first.receive(timeout=60)
    assert answer.type == WSMsgType.TEXT and answer.json() == ["pong", "still there?"]
    await second.close()

    await first.close()  # the first tab goes: the next one gets the diary
    third = await client.ws_connect(f"/ws/{TOKEN}", headers=own_origin(client))
    assert (await third.receive(timeout=60)).data == b"fake app ready"
    await third.close()


async def test_a_download_needs_the_page_s_cookie(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/download/0123456789abcdef")
    assert response.status == 403
    await client.get(f"/?token={TOKEN}")  # sets the cookie
    response = await client.get("/download/0123456789abcdef")
    assert response.status == 404  # past the check: no such download


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--port", "0"], "--port must be"),
        (["--port", "65536"], "--port must be"),
        (["--port", "web"], "--port must be"),
        (["--host", "0.0.0.0"], "--public-url"),
        (["--public-url", "192.168.1.20:8765"], "--public-url must be an http"),
    ],
)
def test_bad_flags_exit_2_with_one_line(cli: Cli, flags: list[str], says: str) -> None:
    result = cli("serve", *flags)
    assert result.code == 2
    assert says in result.err
    assert result.err.count("\n") == 1 and result.no_traceback
    assert result.out == ""


def test_a_port_in_use_is_named(cli: Cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.err and result.no_traceback


@dataclass
class Served:
    """A running `tracker serve`: its process, and the address it printed."""

    process: subprocess.Popen[str]
    url: str
    port: int
    token: str


def first_line(process: subprocess.Popen[str], deadline: float) -> str:
    """The process's first line of output, waiting at most ``deadline`` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True)
    reader.start()
    try:
        return lines.get(timeout=deadline)
    except queue.Empty:
        raise AssertionError(f"tracker serve said nothing in {deadline} s") from None


@contextmanager
def tracker_serve(data: Path, *flags: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """Start `tracker serve --data DATA` on a free port of 127.0.0.1, in its own process group;
    the whole group is killed at the end, whatever happened."""
    port = free_port()
    process = subprocess.Popen(
        [TRACKER, "serve", "--port", str(port), "--data", str(data), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or subprocess_env(),
        start_new_session=True,
    )
    try:
        line = first_line(process, 120)
        found = re.search(r"(http://\S+/\?token=(\S+))", line)
        assert found, f"no address in {line!r}: {process.stderr.read() if process.stderr else ''}"
        yield Served(process, found.group(1), port, found.group(2))
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)


def test_it_prints_the_address_warns_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    # --public-url names where others reach it (here a made-up address): it warns.
    with tracker_serve(tmp_path / "data", "--public-url", "http://192.0.2.1:8765") as served:
        assert served.url == f"http://192.0.2.1:8765/?token={served.token}"
        served.process.send_signal(signal.SIGINT)
        out, err = served.process.communicate(timeout=60)
        assert served.process.returncode == 0
    assert "warning: tracker is served for other machines at http://192.0.2.1:8765" in err
    assert "Traceback" not in err and out == ""


def test_on_this_machine_it_does_not_warn(tmp_path: Path) -> None:
    with tracker_serve(tmp_path / "data") as served:
        assert served.url == f"http://127.0.0.1:{served.port}/?token={served.token}"
        served.process.terminate()
        _, err = served.process.communicate(timeout=60)
        assert served.process.returncode == 0
    assert err == ""


# ---------------------------------------------------------------- the app's files in a browser


@dataclass
class Delivered:
    text: str
    file_name: str | None
    mime_type: str | None


async def delivered_in_a_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action: str
) -> tuple[list[Delivered], list[str]]:
    """Run ``action`` in the app as it runs under `tracker serve` (``is_web``): what it handed
    to the browser, and what it said. Nothing may be written in the documents folder."""
    monkeypatch.setattr(TrackerApp, "is_web", property(lambda self: True))
    monkeypatch.setattr("tracker.report.documents_folder", lambda: tmp_path / "documents")
    sent: list[Delivered] = []

    def deliver_text(self: TrackerApp, path_or_file: object, **options: Any) -> str | None:
        assert isinstance(path_or_file, io.StringIO)
        sent.append(
            Delivered(path_or_file.getvalue(), options["save_filename"], options["mime_type"])
        )
        return "key"

    monkeypatch.setattr(TrackerApp, "deliver_text", deliver_text)
    app = create_app(tmp_path / "data", today=date(2026, 11, 25))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await app.run_action(action)
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [str(note.message) for note in app._notifications]
    assert not (tmp_path / "documents").exists()
    return sent, said


async def test_the_report_is_downloaded_in_a_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    sent, said = await delivered_in_a_browser(tmp_path, monkeypatch, "report")
    [report] = sent
    assert report.file_name == "tracker-report-2026-11-25.html"
    assert report.mime_type == "text/html"
    assert report.text.lstrip().lower().startswith("<!doctype html")
    assert any("Your browser is downloading tracker-report-2026-11-25.html" in s for s in said)


async def test_the_export_is_downloaded_in_a_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    logged = cli("log", "checkin", *CHECKIN, data=tmp_path / "data")
    assert logged.code == 0, logged.err
    sent, said = await delivered_in_a_browser(tmp_path, monkeypatch, "export")
    [export] = sent
    assert export.file_name == "tracker-export-2026-11-25.json"
    assert export.mime_type == "application/json"
    exported = cli("export", data=tmp_path / "data")
    assert json.loads(export.text) == json.loads(exported.out)  # what `tracker export` writes
    assert any("Your browser is downloading tracker-export-2026-11-25.json" in s for s in said)


async def test_in_a_terminal_the_export_is_saved_beside_the_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    monkeypatch.setattr("tracker.report.documents_folder", lambda: documents)
    assert cli("log", "checkin", *CHECKIN, data=tmp_path / "data").code == 0
    app = create_app(tmp_path / "data", today=date(2026, 11, 25))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        assert "Export" in {command.title for command in app.get_system_commands(app.screen)}
        await app.run_action("export")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [str(note.message) for note in app._notifications]
    saved = documents / "tracker-export-2026-11-25.json"
    assert any(f"Saved 1 entry to {saved}" in s for s in said)
    assert saved.stat().st_mode & 0o777 == 0o600
    assert json.loads(saved.read_text()) == json.loads(cli("export", data=tmp_path / "data").out)
