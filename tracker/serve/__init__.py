"""`tracker serve`: the same app in a web browser, on this machine only unless asked otherwise.

A face, like the command line and the TUI. ``server.py`` is the web server (textual-serve's,
with a token, an Origin check and one session at a time); ``app.py`` is the app process each
session runs. Nothing here is imported by the core, and ``tracker`` imports it only for
``tracker serve`` (aiohttp alone costs ~100 ms to import).
"""
