"""Field rules of domain.md, checked on the validators themselves (records.py, no I/O)."""

from __future__ import annotations

import contextlib
import re
import string
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from factories import values
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
    "koos.pain": (0, 100),
    "koos.function": (0, 100),
    "koos.qol": (0, 100),
    "rmdq.score": (0, 24),
    "odi.score": (0, 100),
    "pgic.change": (1, 7),
    # A plan's prescribed fields are the exercises' own (one source of ranges).
    "plan.sets": (1, 20),
    "plan.reps": (1, 100),
    "plan.hold_s": (0, 120),
    "plan.minutes": (0, 600),
    "plan.resistance": (0, 30),
    "plan.days_per_week": (1, 7),
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


# ---------------------------------------------------------------- words (issue 14)

# Fields whose meaning is not obvious from their label: each has a hint in plain words.
HINTED = {
    "lunge": ("reps", "side", "tempo", "effort", "pain_during"),
    "cycling": ("cadence_rpm", "resistance", "avg_hr", "effort", "pain_during"),
    "rotation": ("exercise", "reps", "side", "hold_s", "band", "effort", "pain_during"),
    "checkin": (
        "knee_pain",
        "back_pain",
        "clicking_left",
        "clicking_right",
        "click_count",
        "clicking_painful",
    ),
}


@pytest.mark.parametrize(
    ("kind", "name"), [(kind, name) for kind, names in HINTED.items() for name in names]
)
def test_fields_whose_meaning_is_not_obvious_have_a_hint(kind: str, name: str) -> None:
    hint = records.field_spec(kind, name).hint
    assert hint and hint[0].isupper() and len(hint) <= 100


def test_the_tempo_hint_spells_out_e_b_c_t() -> None:
    hint = records.field_spec("lunge", "tempo").hint
    assert hint.startswith("E-B-C-T: seconds lowering, pause at the bottom, rising, pause at")
    assert "X = " in hint


@pytest.mark.parametrize("kind", ["lunge", "cycling", "rotation"])
def test_effort_and_pain_hints_give_the_scales_of_domain_md(kind: str) -> None:
    assert "0 = no effort, 10 = the hardest you can" in records.field_spec(kind, "effort").hint
    pain = records.field_spec(kind, "pain_during").hint
    assert "0 = no pain, 10 = worst pain imaginable" in pain
    assert pain.startswith("Knee pain during" if kind == "lunge" else "Pain during")


def test_checkin_hints_give_the_recall_period_and_the_koos_words() -> None:
    assert "past 24 hours" in records.field_spec("checkin", "knee_pain").hint
    assert "low back pain" in records.field_spec("checkin", "back_pain").hint
    clicking = records.field_spec("checkin", "clicking_left").hint
    assert "left knee" in clicking
    for score, word in enumerate(records.CLICKING_WORDS):
        assert f"{score} {word}" in clicking


LUNGE = {"kind": "lunge", "sets": 3, "reps": 10, "side": "both", "tempo": "4-1-4-0"}
CYCLING = {
    "kind": "cycling",
    "minutes": 30,
    "distance_km": 16.09344,
    "cadence_rpm": 80,
    "resistance": 7,
    "avg_hr": 120,
    "effort": 5,
    "pain_during": 2,
}
ROTATION = {"kind": "rotation", "exercise": "seated_hip_er", "sets": 3, "reps": 12, "side": "both"}
CHECKIN = {"kind": "checkin", "knee_pain": 3, "back_pain": 2, "clicking_left": 0}
CHECKIN |= {"clicking_right": 1}
EVERY_KIND = [
    {**LUNGE, "effort": 5, "pain_during": 2},
    CYCLING,
    {**ROTATION, "hold_s": 5, "band": "red", "effort": 4, "pain_during": 1},
    CHECKIN,
]


@pytest.mark.parametrize("entry", EVERY_KIND, ids=lambda e: e["kind"])
def test_no_abbreviation_in_a_short_figure_that_its_full_form_does_not_spell_out(
    entry: dict[str, Any],
) -> None:
    """Issue 14: "TUT" alone, "pain 3", "level 7". A compact figure may shorten only what
    its full form says in words; every 0-10 rating names its measure and its scale."""
    for line in records.figures(entry):
        for figure in line:
            if figure.terse is None:
                continue
            assert "TUT" not in figure.terse and "TUT" not in figure.wordy
            # An abbreviation (a word in capitals: TUT, L, R) only where the full form has it.
            for word in re.findall(r"[A-Za-z]+", figure.terse):
                assert not word.isupper() or word in figure.wordy.split(), (word, figure)
    text = records.summary(entry) + " " + " ".join(records.key_figures(entry))
    for rating in re.finditer(r"(effort|pain during|pain) (\S+)", text, re.IGNORECASE):
        assert re.fullmatch(r"\d+/10,?", rating[2]), (rating[0], text)


def test_lunge_figures_name_time_under_tension_and_whose_knee_hurt() -> None:
    entry = {**LUNGE, "effort": 5, "pain_during": 2}
    assert records.key_figures(entry) == [
        "3 × 10 each leg · tempo 4-1-4-0",
        "time under tension 9:00 (both legs together)",
        "effort 5/10 · knee pain during 2/10",
    ]
    assert records.summary(entry) == (
        "3x10 both, tempo 4-1-4-0, 9:00 under tension, effort 5/10, knee pain during 2/10"
    )
    one_leg = records.key_figures({**entry, "side": "left"})
    assert one_leg[1] == "time under tension 4:30"


def test_cycling_figures_say_resistance_level_and_pain_during() -> None:
    assert records.key_figures(CYCLING) == [
        "30 minutes · 16.09 km · resistance level 7",
        "cadence 80 rpm · average heart rate 120 bpm",
        "effort 5/10 · pain during 2/10",
    ]
    assert records.summary(CYCLING) == (
        "30 min, 16.09 km, resistance 7, effort 5/10, pain during 2/10"
    )


def test_a_distance_is_shown_in_miles_when_the_user_reads_miles() -> None:
    assert "10 miles" in records.summary(CYCLING, distance="miles")
    assert "km" not in records.summary(CYCLING, distance="miles")
    assert records.key_figures(CYCLING, distance="miles")[0] == (
        "30 minutes · 10 miles · resistance level 7"
    )
    one_mile = {**CYCLING, "distance_km": 1.609344}
    assert "1 mile," in records.summary(one_mile, distance="miles")
    assert records.distance_text(12.5) == "12.5 km"
    assert records.distance_text(12.5, "miles") == "7.77 miles"
    # Without a distance nothing changes; every other figure is the same in either unit.
    for entry in EVERY_KIND:
        plain_entry = {**entry, "distance_km": None} if entry["kind"] == "cycling" else entry
        assert records.summary(plain_entry, distance="miles") == records.summary(plain_entry)


def test_rotation_and_checkin_figures_use_display_names_and_whole_words() -> None:
    entry = {**ROTATION, "hold_s": 5, "band": "red"}
    assert records.key_figures(entry)[0] == (
        "Seated hip external rotation · 3 × 12 each side · hold 5 seconds · red band"
    )
    assert "seated_hip_er" not in records.summary(entry)
    assert records.key_figures(CHECKIN) == [
        "Knee pain 3/10 · Back pain 2/10",
        "Clicking: left knee Never, right knee Rarely",
    ]
    assert records.summary(CHECKIN) == (
        "knee pain 3/10, back pain 2/10, clicking left Never, right Rarely"
    )


def test_a_long_bad_value_is_echoed_cut_at_a_word_with_an_ellipsis() -> None:
    typed = "a custom exercise name that goes on and on far past sixty characters in all"
    with pytest.raises(ValidationError) as caught:
        records.coerce(records.field_spec("lunge", "tempo"), typed)
    echoed = str(caught.value).split("got ")[1]
    assert echoed == "'a custom exercise name that goes on and…'"


# ---------------------------------------------------------------- text.shorten


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    from tracker.text import shorten

    assert shorten("Stairs at work were easier today.", 40) == "Stairs at work were easier today."
    assert shorten("Stairs at work were easier today.", 20) == "Stairs at work were…"
    assert shorten("Stairs at work were easier today.", 19) == "Stairs at work…"
    assert shorten("3x10 both, tempo 4-1-4-0, effort 5/10", 30, boundaries=(", ", " ")) == (
        "3x10 both, tempo 4-1-4-0…"
    )
    # One long word is cut where it must; nothing wider than the room.
    assert shorten("Supercalifragilistic", 8) == "Superca…"
    assert shorten("anything", 1) == "…" and shorten("anything", 0) == ""


@given(st.text(max_size=80), st.integers(min_value=0, max_value=60))
def test_shorten_never_exceeds_the_width(text: str, width: int) -> None:
    from tracker.text import cell_width, shorten

    short = shorten(text, width)
    assert cell_width(short) <= width
    assert short == text or short.endswith("…") or width == 0


def test_wide_characters_take_two_cells() -> None:
    from tracker.text import cell_width, shorten

    assert cell_width("膝の痛み") == 8
    assert cell_width(shorten("膝の痛み 少し楽になった", 7)) <= 7


def test_an_entry_written_before_an_optional_field_existed_keeps_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Years of lunges stored before "alignment" existed: each is filled in (None) without
    the full validation, which costs ten times more and would make 50 years load in seconds."""
    entry = records.new_entry("lunge", values("lunge"), today=date(2026, 11, 25))
    old = {k: v for k, v in entry.items() if k != "alignment"}
    calls: list[object] = []
    real = records.validate_entry

    def spy(raw: object, **how: Any) -> records.Entry:
        calls.append(raw)
        return real(raw, **how)

    monkeypatch.setattr(records, "validate_entry", spy)
    records.check_stored_entry(old)
    assert calls == [] and old == entry and list(old) == list(entry)
