"""The web server of `tracker serve`: textual-serve's, made safe for a health diary.

textual-serve (1.1.3) serves any Textual app to a browser, one app process per websocket. As
shipped it has no authentication and no Origin check (measured: a client sending
``Origin: http://evil.example`` got the screen, so any web page the user visits could drive
the app on 127.0.0.1), every tab starts its own process, and its page links a web font host
that cannot be reached offline. So this server:

- listens on 127.0.0.1 unless ``--public-url`` says where it is reached from elsewhere;
- makes a random token (``secrets.token_urlsafe``) for the address it prints: the page needs it
  in its query (``/?token=...``), the websocket in its path (``/ws/TOKEN``: textual.js adds its
  own query to that URL), and a download the cookie the page set; a wrong or missing token
  gets 403 and a short text, compared with ``hmac.compare_digest``;
- refuses a request whose ``Origin`` header is not the served origin (a websocket must carry
  one: browsers always send it);
- runs one session at a time: another tab is told the diary is already open, and the first
  keeps working. A new tab waits a few seconds for the slot, so reloading the page (whose old
  websocket closes while the new one opens) is not refused;
- serves its own page, which loads the Roboto Mono fonts textual-serve's wheel ships in its
  static folder instead of asking a web font host.

It subclasses textual-serve's ``Server`` for the download manager and its message loop
(``_process_messages``, ``handle_download``); those are not a public API, so pyproject pins
textual-serve to the version read and tested.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import secrets
import shlex
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import textual_serve
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tracker.errors import EXIT_UNEXPECTED, EXIT_USAGE, TrackerError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
COOKIE = "tracker_serve"
# A reload closes the old tab's websocket while the new page opens its own: the new one waits
# this long for the old session to end before it is told the diary is open elsewhere.
SESSION_WAIT = 5.0
# What a second tab shows, in its terminal (xterm needs \r\n), in bright white: the terminal's
# default grey is too faint to read on its dark background.
ALREADY_OPEN = (
    "\x1b[1;97m\r\n  tracker is already open in another tab or window.\x1b[0;97m\r\n\r\n"
    "  Use that one, or close it and then reload this page.\x1b[0m\r\n"
)
FORBIDDEN_TOKEN = (
    "Wrong or missing token. Open the whole address that `tracker serve` printed, "
    "including ?token=...\n"
)
FORBIDDEN_ORIGIN = "Refused: this request came from another web site.\n"
TEMPLATES = Path(__file__).with_name("templates")
# textual.js, xterm.css and the Roboto Mono fonts (Apache 2.0) ship in textual-serve's wheel.
STATIC = Path(textual_serve.__file__).with_name("static")

log = logging.getLogger("tracker.serve")


class ServeUsageError(TrackerError):
    """A bad ``--host`` or ``--public-url``: exit 2, as any invalid value."""

    exit_code = EXIT_USAGE


class ServeError(TrackerError):
    """The server could not start (the port is taken): exit 1."""

    exit_code = EXIT_UNEXPECTED


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_in_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def origin_of(url: str) -> str:
    """The ``Origin`` a browser sends for pages of ``url``: scheme, host, and the port unless it
    is the scheme's default (``http://127.0.0.1:8765``)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = _host_in_url((parts.hostname or "").lower())
    port = parts.port
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def check_public_url(url: str) -> str:
    """``url`` without a trailing slash, or ServeUsageError naming what is allowed."""
    example = "an http:// or https:// address such as http://192.168.1.20:8765"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise ServeUsageError(f"--public-url must be {example}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ServeUsageError(f"--public-url must be {example}")
    if parts.query or parts.fragment:
        raise ServeUsageError(f"--public-url must be {example}, without ? or #")
    return url.rstrip("/")


def allowed_origins(host: str, port: int, public_url: str | None) -> frozenset[str]:
    """The origins a page of this server has: the public URL's, or on loopback each name of
    this machine (the user may type localhost for 127.0.0.1)."""
    if public_url is not None:
        return frozenset({origin_of(public_url)})
    return frozenset(
        {
            origin_of(f"http://{_host_in_url(host)}:{port}"),
            f"http://127.0.0.1:{port}",
            f"http://localhost:{port}",
            f"http://[::1]:{port}",
        }
    )


def token_matches(given: str | None, token: str) -> bool:
    """Whether ``given`` is the token, in time that does not depend on where they differ."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("ascii"))


def app_command(folder: Path) -> str:
    """The shell command textual-serve runs for a session: this Python, the same data folder."""
    return (
        f"{shlex.quote(sys.executable)} -m tracker.serve.app "
        f"--data {shlex.quote(str(folder.resolve()))}"
    )


class TrackerServer(Server):
    """textual-serve's server with a token, an Origin check and one session at a time."""

    def __init__(
        self,
        folder: Path,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        public_url: str | None = None,
        token: str | None = None,
        command: str | None = None,
    ) -> None:
        if public_url is None and not is_loopback(host):
            raise ServeUsageError(
                f"--host {host} is reachable from other machines: give --public-url too "
                "(the address they open), or leave --host out to stay on this machine"
            )
        if public_url is not None:
            public_url = check_public_url(public_url)
        super().__init__(
            command or app_command(folder),
            host=host,
            port=port,
            title="tracker",
            public_url=public_url,
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        if public_url is None:
            self.public_url = f"http://{_host_in_url(host)}:{port}"
        self.token = token or secrets.token_urlsafe(24)
        self.origins = allowed_origins(host, port, public_url)
        self._session = asyncio.Lock()
        self._sockets: set[web.WebSocketResponse] = set()
        self._pages = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)

    @property
    def url(self) -> str:
        """The address to open, token included."""
        return f"{self.public_url}/?token={self.token}"

    def make_app(self) -> web.Application:
        """The aiohttp application: its routes, behind the Origin check."""
        app = web.Application(middlewares=[self._check_origin])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def _make_app(self) -> web.Application:
        return self.make_app()

    @web.middleware
    async def _check_origin(
        self,
        request: web.Request,
        handler: Callable[[web.Request], object],
    ) -> web.StreamResponse:
        """Refuse what another site's page sent: browsers name the page's origin in
        ``Origin`` on every websocket and on scripted requests; a plain link has none."""
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in self.origins:
            log.warning("refused a request from %s", origin)
            return web.Response(status=403, text=FORBIDDEN_ORIGIN)
        response = await handler(request)  # type: ignore[misc]
        assert isinstance(response, web.StreamResponse)
        return response

    def _has_token(self, given: str | None) -> bool:
        return token_matches(given, self.token)

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page, for the address with the token; it sets the cookie downloads need."""
        if not self._has_token(request.query.get("token")):
            return web.Response(status=403, text=FORBIDDEN_TOKEN)
        try:
            font_size = min(max(int(request.query.get("fontsize", "16")), 8), 48)
        except ValueError:
            font_size = 16
        websocket = f"{self.public_url}/ws/{self.token}"
        scheme = "wss:" if websocket.startswith("https:") else "ws:"
        page = self._pages.get_template("app_index.html").render(
            font_size=font_size,
            app_websocket_url=scheme + websocket.split(":", 1)[1],
            static_url=f"{self.public_url}/static/",
        )
        response = web.Response(text=page, content_type="text/html")
        response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        # The token is in the address: never cached, never sent on as a Referer, never framed.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A report or export the app delivers: only to the browser that has the page."""
        if not self._has_token(request.cookies.get(COOKIE)):
            return web.Response(status=403, text=FORBIDDEN_TOKEN)
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The websocket that drives one app process, for the token and this origin only."""
        if not self._has_token(request.match_info.get("token")):
            raise web.HTTPForbidden(text=FORBIDDEN_TOKEN)
        if request.headers.get("Origin", "").lower() not in self.origins:
            raise web.HTTPForbidden(text=FORBIDDEN_ORIGIN)
        websocket = web.WebSocketResponse(heartbeat=15)
        claimed = await self._claim_session()
        try:
            await websocket.prepare(request)
            self._sockets.add(websocket)
            if not claimed:
                await self._tell_already_open(websocket)
            else:
                await self._run_session(request, websocket)
        finally:
            self._sockets.discard(websocket)
            if claimed:
                self._session.release()
        return websocket

    async def _claim_session(self) -> bool:
        try:
            await asyncio.wait_for(self._session.acquire(), SESSION_WAIT)
        except TimeoutError:
            return False
        return True

    async def _tell_already_open(self, websocket: web.WebSocketResponse) -> None:
        """Show the second tab why nothing else happens, and keep it open (a closed socket
        would cover the words with textual-serve's "Session ended")."""
        await websocket.send_bytes(ALREADY_OPEN.encode("utf-8"))
        async for _message in websocket:
            pass  # the tab's keys and sizes: nothing to drive

    async def _run_session(self, request: web.Request, websocket: web.WebSocketResponse) -> None:
        """textual-serve's session: one app process, fed by this websocket until it closes."""
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)

        async def close() -> None:
            await websocket.close()

        app_service = AppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=False,
        )
        try:
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("the session failed")
        finally:
            await app_service.stop()
            await _reap(app_service)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: close every websocket, which tells each app process to quit."""
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"tracker serve stopped")

    async def run(self, ready: Callable[[str], None]) -> None:
        """Serve until SIGINT or SIGTERM; ``ready(url)`` once the port is open."""
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=10)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise ServeError(
                f"cannot listen on {self.host}:{self.port}: {error.strerror or error} "
                "(is tracker serve already running? or choose another --port)"
            ) from None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            ready(self.url)
            await stop.wait()
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            await runner.cleanup()


async def _reap(app_service: AppService) -> None:
    """Wait for the app process to end after its "quit" (killed if it has not in 10 s), so
    that no process outlives its session."""
    process = app_service._process
    if process is None:
        return
    try:
        await asyncio.wait_for(process.wait(), 10)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def _size(text: str | None, default: int) -> int:
    try:
        return min(max(int(text or default), 10), 1000)
    except ValueError:
        return default


def serve(
    folder: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] | None = None,
) -> int:
    """``tracker serve``: serve the app for ``folder`` until Ctrl+C; the exit code."""
    server = TrackerServer(folder, host=host, port=port, public_url=public_url)
    if public_url is not None and warn is not None:
        warn(
            f"warning: tracker is served for other machines at {server.public_url}: anyone "
            "who has the address with its token can read and change your diary"
            + ("" if server.public_url.startswith("https:") else ", and http is not encrypted")
        )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("tracker serve: %(message)s"))
    for name in ("tracker.serve", "textual-serve"):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.WARNING)

    def ready(url: str) -> None:
        say(f"Open {url} in your web browser (Ctrl+C stops tracker serve)")

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.run(ready))
    return 0
