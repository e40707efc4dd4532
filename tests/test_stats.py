"""The statistics of domain.md version 2 against values worked by hand and published tables."""

from __future__ import annotations

import math

import pytest

from tracker import stats

# Student t quantiles from published tables (and scipy.stats.t.ppf to 1e-9).
T_TABLE = [
    (0.975, 1, 12.706204736),
    (0.975, 2, 4.302652730),
    (0.975, 10, 2.228138852),
    (0.975, 12, 2.178812830),
    (0.975, 30, 2.042272456),
    (0.975, 1000, 1.962339081),
    (1 - 0.05 / 12, 1, 76.390009311),
    (1 - 0.05 / 12, 10, 3.276841075),
    (1 - 0.05 / 12, 100, 2.691755380),
]


@pytest.mark.parametrize(("p", "df", "expected"), T_TABLE)
def test_t_quantiles_match_the_tables(p: float, df: int, expected: float) -> None:
    assert stats.t_quantile(p, df) == pytest.approx(expected, abs=1e-8)


def test_t_cdf_is_a_distribution() -> None:
    assert stats.t_cdf(0.0, 5) == pytest.approx(0.5)
    assert stats.t_cdf(2.228138852, 10) == pytest.approx(0.975, abs=1e-9)
    assert stats.t_cdf(-2.228138852, 10) == pytest.approx(0.025, abs=1e-9)


def test_the_standard_deviation_is_at_least_half_a_point() -> None:
    assert stats.sample_sd([3, 3, 3, 3]) == 0.5
    assert stats.sample_sd([4, 5, 6, 5, 4, 5, 6]) == pytest.approx(math.sqrt(4 / 6))


def test_two_spans_without_neighbour_likeness_by_hand() -> None:
    # A: mean 5, sd sqrt(4/6); B: mean 3, same sd; r1 = 0, so n_eff = 7.
    # se = 0.8165 / sqrt(7) = 0.30861; se_d = 0.43644; Welch df = 12; t = 2.178813.
    earlier, later = [4, 5, 6, 5, 4, 5, 6], [2, 3, 4, 3, 2, 3, 4]
    result = stats.span_difference(earlier, later, r1=0.0)
    se = math.sqrt(4 / 6) / math.sqrt(7)
    half = 2.178812830 * math.sqrt(2) * se
    assert result.df == 12
    assert result.difference == -2
    assert (result.low, result.high) == pytest.approx((-2 - half, -2 + half))
    assert result.beyond_variation


def test_neighbour_likeness_shrinks_the_count_and_widens_the_interval() -> None:
    # r1 = 0.5: n_eff = 7 x 0.5 / 1.5 = 2.333; Welch df = 2.667, rounded down to 2.
    earlier, later = [4, 5, 6, 5, 4, 5, 6], [2, 3, 4, 3, 2, 3, 4]
    result = stats.span_difference(earlier, later, r1=0.5)
    se = math.sqrt(4 / 6) / math.sqrt(7 * 0.5 / 1.5)
    half = 4.302652730 * math.sqrt(2) * se
    assert result.df == 2
    assert (result.low, result.high) == pytest.approx((-2 - half, -2 + half))
    assert not result.beyond_variation  # the same 2 points, now within day-to-day variation


def test_an_effective_count_of_one_gives_one_degree_of_freedom() -> None:
    result = stats.span_difference([5, 6], [2, 3], r1=0.9)
    assert stats.effective_count(2, 0.9) == 1.0
    assert result.df == 1


def test_an_interval_end_within_a_billionth_of_zero_counts_as_zero() -> None:
    assert not stats.Difference(1.0, 0.5e-9, 2.0, 5).beyond_variation
    assert stats.Difference(1.0, 2e-9, 2.0, 5).beyond_variation
    assert not stats.Difference(-1.0, -2.0, -0.5e-9, 5).beyond_variation


def test_r1_needs_ten_pairs_of_neighbouring_days() -> None:
    days = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]  # 9 pairs
    assert stats.lag_one_correlation(days, [1, 2, 3, 2, 5, 3, 6, 4, 2, 7]) == 0.0


def test_r1_of_a_straight_line_or_a_constant_is_zero() -> None:
    days = list(range(30))
    assert stats.lag_one_correlation(days, [2.0 + 0.1 * d for d in days]) == 0.0
    assert stats.lag_one_correlation(days, [4.0] * 30) == 0.0


def test_r1_is_clipped_to_zero_and_to_nine_tenths() -> None:
    days = list(range(40))
    alternating = [3.0 if d % 2 else 5.0 for d in days]  # neighbours unlike: r1 < 0
    assert stats.lag_one_correlation(days, alternating) == 0.0
    slow_wave = [5 + 3 * math.sin(d / 6) for d in days]  # neighbours nearly alike
    assert stats.lag_one_correlation(days, slow_wave) == 0.9


def test_r1_skips_days_without_a_value() -> None:
    # Pairs need two consecutive calendar days: every other day missing leaves no pair.
    days = list(range(0, 60, 2))
    assert stats.lag_one_correlation(days, [float(d % 7) for d in days]) == 0.0


def test_least_squares_recovers_an_exact_line() -> None:
    rows = [[1.0, float(x)] for x in range(6)]
    fit = stats.least_squares(rows, [1 + 2 * x for x in range(6)])
    assert fit is not None
    assert fit.coefficients == pytest.approx([1.0, 2.0])
    assert fit.standard_errors == pytest.approx([0.0, 0.0], abs=1e-7)
    assert fit.df == 4


def test_least_squares_standard_errors_by_hand() -> None:
    # y = a + b x on x = 0, 1, 2, 3 with y = 0, 2, 1, 3: b = 0.8, a = 0.3, residual
    # variance 1.8 / 2 = 0.9, se(b) = sqrt(0.9 / 5), se(a) = sqrt(0.9 x 7 / 10).
    fit = stats.least_squares([[1.0, x] for x in (0.0, 1.0, 2.0, 3.0)], [0.0, 2.0, 1.0, 3.0])
    assert fit is not None
    assert fit.coefficients == pytest.approx([0.3, 0.8])
    assert fit.standard_errors == pytest.approx([math.sqrt(0.63), math.sqrt(0.18)])


def test_least_squares_says_when_the_system_is_singular() -> None:
    rows = [[1.0, x, 2 * x] for x in (0.0, 1.0, 2.0, 3.0, 4.0)]  # third column = 2 x second
    assert stats.least_squares(rows, [1.0, 2.0, 3.0, 5.0, 4.0]) is None
    assert stats.least_squares([[1.0, 2.0]], [3.0]) is None  # no degree of freedom left
