"""The settings file (issue 14): created on the first change, validated, never clobbered."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.settings import Settings, SettingsError, load_settings, save_settings, settings_path


def test_no_file_means_the_defaults_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    assert load_settings(path) == Settings()
    assert Settings().week_start_index == 0 and Settings().distance == "km"
    assert not path.exists()


def test_a_change_creates_the_file_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    save_settings({"theme": "gruvbox", "week_start": "sunday"}, path)
    save_settings({"distance": "miles"}, path)
    settings = load_settings(path)
    assert settings == Settings(theme="gruvbox", distance="miles", week_start="sunday")
    assert settings.week_start_index == 6
    text = path.read_text()
    assert '# distance: "km" or "miles"' in text  # documented in the file itself


def test_the_default_file_lives_in_the_config_folder(tmp_path: Path) -> None:
    # conftest points XDG_CONFIG_HOME at a folder of this test.
    assert settings_path() == tmp_path / "xdg-config" / "tracker" / "settings.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('distance = "furlongs"', 'distance must be "km" or "miles", got "furlongs"'),
        ('week_start = "funday"', "week_start must be "),
        ("welcome = 1", "welcome must be true or false, got 1"),
        ('colour = "red"', "unknown setting 'colour'"),
        ("distance = ", "not a valid TOML file"),
        ('theme = "<b>\\u001b"', "theme must be the name of a theme"),
    ],
)
def test_a_bad_file_is_refused_naming_key_and_allowed_values_and_kept(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as refused:
        load_settings(path)
    assert str(path) in str(refused.value) and message in str(refused.value)
    assert "\x1b" not in str(refused.value)
    with pytest.raises(SettingsError):
        save_settings({"theme": "nord"}, path)
    assert path.read_text() == text  # never overwritten


def test_a_bad_change_is_refused_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    with pytest.raises(SettingsError, match="date_order must be"):
        save_settings({"date_order": "year/day/month"}, path)
    assert not path.exists()


@pytest.mark.parametrize("xdg", [None, "", "  ", "/somewhere/config"])
def test_the_config_folder_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    import platformdirs

    from tracker.config_folder import config_folder

    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert config_folder() == platformdirs.user_config_path("tracker")
