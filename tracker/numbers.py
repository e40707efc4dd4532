"""How numbers are written, one function per form, for every face.

Sentences, tables, chart ticks, bar numbers, error messages and cards each wrote their own
formatter; two of them differed in how they dropped ``.0``. Here each form is written once:

- ``plain``: a stored number or a bound as typed, ``30.0`` -> "30", ``9.5`` -> "9.5";
- ``decimal``: a mean in a sentence or a table, at least one decimal, ``2.0`` -> "2.0";
- ``signed``: a change, ``+0.86``, ``-3.0``; ``percent``: a change in percent, ``-60``, ``+33.3``;
- ``one_decimal`` and ``half_away``: rounded half away from zero, as domain.md prints means
  (Python's own rounding gives ``2.2`` for ``2.25``).

Imported by ``records``, so by the quick-add path: nothing heavy at the top (``decimal`` is
imported where it is used).
"""

from __future__ import annotations


def plain(value: float) -> str:
    """``30.0`` -> "30", ``9.5`` -> "9.5": a whole number without its ``.0``, else as stored."""
    return str(int(value)) if float(value).is_integer() else str(value)


def decimal(value: float, digits: int = 2) -> str:
    """``2.0`` -> "2.0", ``2.50`` -> "2.5", ``2.43`` -> "2.43": at least one decimal, at most
    ``digits``, no trailing zeros."""
    text = f"{value:.{digits}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def signed(value: float, digits: int = 2) -> str:
    """``decimal`` with a plus sign before a rise: "+0.86", "-3.0", "0.0"."""
    text = decimal(value, digits)
    return text if value <= 0 else "+" + text


def percent(value: float) -> str:
    """``-60.0`` -> "-60", ``33.3`` -> "+33.3" (the percent sign is added by the caller)."""
    text = f"{value:+.1f}" if value else "0.0"
    return text[:-2] if text.endswith(".0") else text


def half_away(value: float, places: int) -> str:
    """``value`` with ``places`` decimals, a half rounded away from zero: ``2.25`` -> "2.3"."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(value)).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP))


def one_decimal(value: float) -> str:
    """``2.25`` -> "2.3", ``2.0`` -> "2.0": means as domain.md prints them (half away from 0);
    a value that rounds to zero is "0.0", never "-0.0"."""
    text = half_away(value, 1)
    return "0.0" if text == "-0.0" else text


def signed_one_decimal(value: float) -> str:
    """A change in points as sentences print it: "+0.3", "-2.5", "0.0"."""
    text = one_decimal(value)
    return text if text.startswith("-") or text == "0.0" else "+" + text
