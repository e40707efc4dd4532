"""Field rules of domain.md, checked on the validators themselves (records.py, no I/O)."""

from __future__ import annotations

import contextlib
import string
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import records
from tracker.records import FIELDS, Field, ValidationError

TODAY = date(2026, 11, 25)

# (kind, field) for every field with a numeric range.
RANGED = [
    (kind, spec)
    for kind in records.KINDS
    for spec in FIELDS[kind]
    if spec.type in ("int", "number")
]
RANGED_IDS = [f"{kind}.{spec.name}" for kind, spec in RANGED]

# The ranges of domain.md, written out again so that a changed bound in records.py shows here.
DOMAIN_RANGES: dict[str, tuple[float, float]] = {
    "lunge.sets": (1, 20),
    "lunge.reps": (1, 100),
    "lunge.effort": (0, 10),
    "lunge.pain_during": (0, 10),
    "cycling.minutes": (0, 600),
    "cycling.distance_km": (0, 500),
    "cycling.cadence_rpm": (20, 200),
    "cycling.resistance": (0, 30),
    "cycling.avg_hr": (30, 230),
    "cycling.effort": (0, 10),
    "cycling.pain_during": (0, 10),
    "rotation.sets": (1, 20),
    "rotation.reps": (1, 100),
    "rotation.hold_s": (0, 120),
    "rotation.effort": (0, 10),
    "rotation.pain_during": (0, 10),
    "checkin.knee_pain": (0, 10),
    "checkin.back_pain": (0, 10),
    "checkin.clicking_left": (0, 4),
    "checkin.clicking_right": (0, 4),
    "checkin.click_count": (0, 1000),
}


def range_text(spec: Field) -> str:
    """How the allowed range reads in a message, e.g. '1 to 20' or 'greater than 0, at most 600'."""
    assert spec.low is not None and spec.high is not None
    low, high = records._num(spec.low), records._num(spec.high)
    return f"greater than {low}, at most {high}" if spec.low_exclusive else f"{low} to {high}"


def refused(spec: Field, value: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        records.coerce(spec, value)
    return caught.value


def test_ranges_are_those_of_domain_md() -> None:
    found = {f"{kind}.{spec.name}": (spec.low, spec.high) for kind, spec in RANGED}
    assert found == DOMAIN_RANGES
    assert FIELDS["cycling"][0].low_exclusive  # minutes: greater than 0


@pytest.mark.parametrize(("kind", "spec"), RANGED, ids=RANGED_IDS)
def test_each_edge_is_accepted_and_one_past_is_refused(kind: str, spec: Field) -> None:
    assert spec.low is not None and spec.high is not None
    step = 1 if spec.type == "int" else 0.01
    low_ok = spec.low + step if spec.low_exclusive else spec.low
    for edge in (low_ok, spec.high):
        assert records.coerce(spec, str(edge)) == edge
        assert records.coerce(spec, edge) == edge
    below = spec.low if spec.low_exclusive else spec.low - step
    for past in (below, spec.high + step):
        error = refused(spec, str(past))
        assert error.field == spec.name
        message = error.describe(spec.flag)
        assert message.startswith(spec.flag + " ")
        assert range_text(spec) in message


@pytest.mark.parametrize(("kind", "spec"), RANGED, ids=RANGED_IDS)
@given(number=st.integers(min_value=-2000, max_value=2000))
def test_whole_numbers_accepted_exactly_inside_the_range(
    kind: str, spec: Field, number: int
) -> None:
    assert spec.low is not None and spec.high is not None
    inside = (spec.low < number if spec.low_exclusive else spec.low <= number) and (
        number <= spec.high
    )
    for typed in (str(number), f" {number} ", number):
        if inside:
            assert records.coerce(spec, typed) == number
        else:
            assert refused(spec, typed).field == spec.name


@pytest.mark.parametrize("spec", [s for _, s in RANGED if s.type == "number"], ids=lambda s: s.name)
@given(number=st.floats(min_value=-10, max_value=700, allow_nan=False))
def test_decimal_numbers_accepted_exactly_inside_the_range(spec: Field, number: float) -> None:
    assert spec.low is not None and spec.high is not None
    inside = (spec.low < number if spec.low_exclusive else spec.low <= number) and (
        number <= spec.high
    )
    typed = format(Decimal(repr(number)), "f")  # as a person types it: no exponent
    if inside:
        assert records.coerce(spec, typed) == pytest.approx(number)
    else:
        assert refused(spec, typed).field == spec.name


@pytest.mark.parametrize(("kind", "spec"), RANGED, ids=RANGED_IDS)
@pytest.mark.parametrize("typed", ["abc", "1.5x", "nan", "inf", "-inf", "1e999", "1,5", "--1"])
def test_number_fields_refuse_what_is_not_a_number(kind: str, spec: Field, typed: str) -> None:
    assert refused(spec, typed).field == spec.name


@pytest.mark.parametrize(("kind", "spec"), [r for r in RANGED if r[1].type == "int"])
def test_whole_number_fields_refuse_fractions_and_booleans(kind: str, spec: Field) -> None:
    assert spec.high is not None
    for value in ("2.5", 2.5, True, False):
        assert refused(spec, value).field == spec.name


# ---------------------------------------------------------------- tempo

TEMPO = FIELDS["lunge"][3]
tempo_part = st.one_of(st.integers(0, 30).map(str), st.sampled_from(["X", "x"]))


@given(parts=st.lists(tempo_part, min_size=3, max_size=4))
def test_valid_tempos_are_stored_with_four_parts_and_a_capital_x(parts: list[str]) -> None:
    stored = records.coerce(TEMPO, "-".join(parts))
    expected = [p.upper() for p in parts] + (["0"] if len(parts) == 3 else [])
    assert stored == "-".join(expected)
    assert records.tempo_seconds(stored) == sum(1 if p == "X" else int(p) for p in expected)


@given(
    parts=st.lists(st.integers(0, 99), min_size=3, max_size=4).filter(
        lambda ps: any(p > 30 for p in ps)
    )
)
def test_a_tempo_part_over_30_seconds_is_refused(parts: list[int]) -> None:
    error = refused(TEMPO, "-".join(map(str, parts)))
    assert error.field == "tempo"
    assert "0 to 30" in error.describe("--tempo")


@pytest.mark.parametrize(
    "typed", ["abc", "4-1", "4-1-4-0-0", "4--4-0", "4-1-a-0", "-1-1-1", "Y-1-1"]
)
def test_malformed_tempos_are_refused(typed: str) -> None:
    assert refused(TEMPO, typed).field == "tempo"


@given(text=st.text(alphabet=string.printable, max_size=12))
def test_tempo_validation_never_fails_with_anything_but_a_validation_error(text: str) -> None:
    try:
        stored = records.coerce(TEMPO, text)
    except ValidationError as error:
        assert error.field == "tempo"
    else:
        assert stored is None or len(stored.split("-")) == 4


# ---------------------------------------------------------------- dates, text, choices


@pytest.mark.parametrize("typed", ["2026-02-30", "2025-02-29", "2026-13-01", "2026-1-5", "today"])
def test_dates_that_do_not_exist_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        records.parse_date(typed, today=TODAY)
    assert caught.value.field == "date"


def test_date_range_is_1900_to_today() -> None:
    assert records.parse_date("1900-01-01", today=TODAY) == date(1900, 1, 1)
    assert records.parse_date("2026-11-25", today=TODAY) == TODAY
    assert records.parse_date("2024-02-29", today=TODAY) == date(2024, 2, 29)
    for past in ("1899-12-31", "2026-11-26"):
        with pytest.raises(ValidationError) as caught:
            records.parse_date(past, today=TODAY)
        assert "1900-01-01" in caught.value.describe("--date")
        assert "2026-11-25" in caught.value.describe("--date")


@given(day=st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)))
def test_any_real_date_is_accepted_exactly_from_1900_to_today(day: date) -> None:
    if date(1900, 1, 1) <= day <= TODAY:
        assert records.parse_date(day.isoformat(), today=TODAY) == day
    else:
        with pytest.raises(ValidationError):
            records.parse_date(day.isoformat(), today=TODAY)


def test_notes_up_to_1000_characters() -> None:
    notes = records.NOTES_FIELD
    assert records.coerce(notes, "n" * 1000) == "n" * 1000
    error = refused(notes, "n" * 1001)
    assert error.field == "notes"
    assert "1000" in error.describe("--notes")


def test_markup_in_notes_is_kept_as_typed() -> None:
    text = "[bold]not bold[/] [red]x[/red] \\[y]"
    entry = records.new_entry(
        "lunge", {"sets": 1, "reps": 1, "tempo": "1-1-1", "notes": text}, today=TODAY
    )
    assert entry["notes"] == text


EXERCISE = FIELDS["rotation"][0]


@pytest.mark.parametrize("name", records.ROTATION_EXERCISES)
def test_known_rotation_exercises_in_any_case(name: str) -> None:
    assert records.coerce(EXERCISE, name.upper()) == name


def test_custom_rotation_exercise_up_to_60_characters() -> None:
    assert records.coerce(EXERCISE, "e" * 60) == "e" * 60
    assert records.coerce(EXERCISE, "Wall slide") == "Wall slide"
    error = refused(EXERCISE, "e" * 61)
    assert error.field == "exercise"
    assert "1 to 60 characters" in error.describe("--exercise")
    assert refused(EXERCISE, "tab\there").field == "exercise"


@given(name=st.text(min_size=1, max_size=80).filter(lambda s: s.strip() == s and s.isprintable()))
def test_custom_exercise_names_accepted_exactly_up_to_60(name: str) -> None:
    if len(name) <= 60:
        assert records.coerce(EXERCISE, name) in (name, name.lower())
    else:
        assert refused(EXERCISE, name).field == "exercise"


@pytest.mark.parametrize(
    ("kind", "name", "typed", "stored"),
    [
        ("lunge", "side", "LEFT", "left"),
        ("rotation", "side", "Both", "both"),
        ("rotation", "band", "Gold", "gold"),
        ("rotation", "band", "none", "none"),
    ],
)
def test_band_and_side_in_any_case_stored_in_lower_case(
    kind: str, name: str, typed: str, stored: str
) -> None:
    assert records.coerce(records.field_spec(kind, name), typed) == stored


@pytest.mark.parametrize(
    ("kind", "name", "typed"), [("lunge", "side", "up"), ("rotation", "band", "purple")]
)
def test_unknown_choices_are_refused_naming_the_choices(kind: str, name: str, typed: str) -> None:
    spec = records.field_spec(kind, name)
    error = refused(spec, typed)
    assert ", ".join(spec.choices) in error.describe(spec.flag)


def test_side_defaults_to_both_and_optional_fields_to_none() -> None:
    entry = records.new_entry("lunge", {"sets": 2, "reps": 8, "tempo": "3-1-3"}, today=TODAY)
    assert entry["side"] == "both"
    assert entry["effort"] is None and entry["pain_during"] is None and entry["notes"] is None
    assert list(entry) == list(records.field_order("lunge"))
    assert entry["created_at"] == entry["updated_at"]
    assert entry["created_at"].endswith("+00:00")


def test_required_fields_must_be_given() -> None:
    for kind in records.KINDS:
        for spec in FIELDS[kind]:
            if spec.required:
                assert refused(spec, None).field == spec.name
                assert refused(spec, "  ").field == spec.name


# ---------------------------------------------------------------- derived figures


@pytest.mark.parametrize(
    ("sets", "reps", "tempo", "side", "seconds"),
    [(3, 10, "4-1-4-0", "both", 3 * 10 * 9 * 2), (2, 8, "X-0-X-0", "left", 2 * 8 * 2)],
)
def test_time_under_tension(sets: int, reps: int, tempo: str, side: str, seconds: int) -> None:
    entry: dict[str, Any] = {"sets": sets, "reps": reps, "tempo": tempo, "side": side}
    assert records.time_under_tension_s(entry) == seconds


def test_session_load_is_effort_times_minutes() -> None:
    ride = records.new_entry("cycling", {"minutes": "45", "effort": "6"}, today=TODAY)
    assert records.session_load(ride) == 270
    without = records.new_entry("cycling", {"minutes": "45"}, today=TODAY)
    assert records.session_load(without) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELD_NAMES = sorted({n for kind in records.KINDS for n in records.field_order(kind)})


@given(
    raw=st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), JSON, max_size=8),
    kind=st.sampled_from(records.KINDS),
)
def test_validate_entry_refuses_junk_with_a_validation_error_only(
    raw: dict[str, Any], kind: str
) -> None:
    # Whatever an import file holds, the answer is a valid entry or a ValidationError
    # (exit 2 naming the field), never another exception (exit 1, "unexpected error").
    for candidate in (raw, {"kind": kind, **raw}):
        with contextlib.suppress(ValidationError):
            entry = records.validate_entry(candidate, today=TODAY, complete=False)
            assert list(entry) == list(records.field_order(entry["kind"]))


@pytest.mark.parametrize("kind", [["lunge"], {"a": 1}, 3, None, True])
def test_validate_entry_refuses_a_kind_that_is_not_a_name(kind: object) -> None:
    # A JSON list or object as the kind is foreign data: a ValidationError, not a crash.
    with pytest.raises(ValidationError) as caught:
        records.validate_entry({"kind": kind}, today=TODAY, complete=False)
    assert caught.value.field == "kind"
