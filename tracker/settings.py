"""The user's settings: a small TOML file in the platform's config folder.

``~/.config/tracker/settings.toml`` on Linux (``TRACKER_SETTINGS`` names another file). It is
created on the first change (a theme chosen in the app, the welcome dismissed) and holds only
settings somebody uses: the theme, km or miles, the order of day and month in typed dates, the
first day of the week, whether the app opens with its welcome, and the day the questionnaire
reminder was put off (kept here, per device, not in the data folder: it is about this screen,
not the diary, and a synced folder should hold only the diary). A file that cannot be read,
or holds an unknown key or a value outside its list, is refused with one line naming the file,
the key and what is allowed, and it is never overwritten.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final, NamedTuple, get_args

from tracker.config_folder import config_folder
from tracker.dates import DATE_ORDERS, WEEKDAYS, DateOrder
from tracker.errors import EXIT_USAGE, TrackerError
from tracker.text import printable
from tracker.units import DISTANCE_UNITS, DistanceUnit

SETTINGS_FILE: Final = "settings.toml"
_THEME_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class SettingsError(TrackerError):
    """The settings file cannot be used; it names the file and the key."""

    exit_code = EXIT_USAGE

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(printable(f"{path}: {problem}"))


class Settings(NamedTuple):
    """The user's settings; a NamedTuple like ``records.Field``: read before the app's first
    frame, it should cost no more than it must."""

    theme: str | None = None  # a Textual theme's name; None: the app's default
    distance: DistanceUnit = "km"
    date_order: DateOrder = "day/month/year"
    week_start: str = "monday"
    welcome: bool = True  # show the welcome when the app opens
    # The day the questionnaire reminder on Today was last put off ("not today"), YYYY-MM-DD.
    questionnaires_dismissed: str | None = None

    @property
    def week_start_index(self) -> int:
        """0 = Monday .. 6 = Sunday, as ``date.weekday()`` counts."""
        return WEEKDAYS.index(self.week_start)


# What each key allows, in words for the file's comments and for error messages.
ALLOWED: Final[dict[str, str]] = {
    "theme": "the name of a theme, as the app's command palette lists them (e.g. textual-dark)",
    "distance": " or ".join(f'"{unit}"' for unit in DISTANCE_UNITS),
    "date_order": " or ".join(f'"{order}"' for order in DATE_ORDERS),
    "week_start": ", ".join(f'"{day}"' for day in WEEKDAYS),
    "welcome": "true or false",
    "questionnaires_dismissed": (
        "a date YYYY-MM-DD: the day the questionnaire reminder was put off (the app sets it)"
    ),
}


def settings_path() -> Path:
    """``TRACKER_SETTINGS``, else ``settings.toml`` in the platform's config folder."""
    named = os.environ.get("TRACKER_SETTINGS")
    if named:
        return Path(named).expanduser()
    return config_folder() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: ``settings_path()``); the defaults when it is absent."""
    path = settings_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except IsADirectoryError:
        raise SettingsError(path, "it is a folder, not a settings file") from None
    except OSError as error:
        raise SettingsError(path, f"cannot be read ({error.strerror})") from None
    import tomllib  # only when there is a file: most starts have none

    try:
        table = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        reason = str(error).splitlines()[0] if str(error) else "not UTF-8"
        raise SettingsError(path, f"not a valid TOML file ({reason})") from None
    return _validated(path, table)


def _validated(path: Path, table: dict[str, object]) -> Settings:
    known = set(Settings._fields)
    for key in table:
        if key not in known:
            raise SettingsError(
                path, f"unknown setting {key!r}; the settings are {', '.join(sorted(known))}"
            )
    values: dict[str, object] = {}
    for key, value in table.items():
        if not _allowed(key, value):
            shown = repr(value) if not isinstance(value, str) else f'"{value}"'
            raise SettingsError(path, f"{key} must be {ALLOWED[key]}, got {printable(shown[:40])}")
        values[key] = value
    return Settings(**values)  # type: ignore[arg-type]


def _allowed(key: str, value: object) -> bool:
    if key == "theme":
        return isinstance(value, str) and _THEME_NAME.fullmatch(value) is not None
    if key == "distance":
        return value in get_args(DistanceUnit)
    if key == "date_order":
        return value in DATE_ORDERS
    if key == "week_start":
        return value in WEEKDAYS
    if key == "welcome":
        return isinstance(value, bool)
    if key == "questionnaires_dismissed":
        return isinstance(value, str) and _ISO_DAY.fullmatch(value) is not None
    return False


def save_settings(changes: dict[str, object], path: Path | None = None) -> Settings:
    """Write ``changes`` over the file's current settings (creating it); the new settings.

    Reads the file first and refuses (``SettingsError``) when it cannot be used, so that a
    file the user edited by hand is never replaced by defaults.
    """
    path = settings_path() if path is None else path
    current = load_settings(path)
    merged = {**current._asdict(), **changes}
    updated = _validated(path, {k: v for k, v in merged.items() if v is not None})
    _write(path, to_toml(updated))
    return updated


def to_toml(settings: Settings) -> str:
    """The file's text: every setting with a comment saying what it allows."""
    lines = ["# tracker settings: edit by hand or change them in the app.", ""]
    for name in Settings._fields:
        value = getattr(settings, name)
        lines.append(f"# {name}: {ALLOWED[name]}")
        if value is None:
            lines.append(f'# {name} = ""')
        elif isinstance(value, bool):
            lines.append(f"{name} = {'true' if value else 'false'}")
        else:
            lines.append(f'{name} = "{value}"')
        lines.append("")
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    """Atomically: a temporary file beside it, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
