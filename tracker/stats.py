"""The small statistics of domain.md version 2, in plain Python.

Student t quantiles, a noise-aware interval for the difference of two spans of daily ratings
(day-to-day variation and the likeness of neighbouring days), and an ordinary least-squares
fit with coefficient intervals. A dependency (scipy, numpy) would cost the app 100-300 ms of
import time for a few dozen lines; the tests check these against values worked by hand and
published tables.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import NamedTuple

TOLERANCE = 1e-9  # domain.md: a value within 1e-9 of a threshold counts as equal to it
MIN_SD = 0.5  # half the measurement error of one 0-10 rating (domain.md)
MAX_R1 = 0.9


# ---------------------------------------------------------------- Student t


def _incomplete_beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (Lentz's method)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def regularised_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _incomplete_beta_fraction(a, b, x) / a
    return 1.0 - front * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * regularised_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_pdf(t: float, df: float) -> float:
    """The density of Student's t with ``df`` degrees of freedom."""
    log_front = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_front - (df + 1) / 2 * math.log1p(t * t / df))


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t (0.5 <= p < 1): a bracket, then Newton's steps on the
    CDF, falling back to bisection whenever a step would leave the bracket."""
    if not 0.5 <= p < 1.0 or df < 1:
        raise ValueError(f"t_quantile needs 0.5 <= p < 1 and df >= 1, got {p}, {df}")
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    x = (low + high) / 2.0
    for _ in range(100):
        gap = t_cdf(x, df) - p
        if abs(gap) < 1e-14:
            break
        if gap < 0:
            low = x
        else:
            high = x
        step = x - gap / t_pdf(x, df)
        x = step if low < step < high else (low + high) / 2.0
        if high - low < 1e-12 * max(1.0, high):
            break
    return x


# ---------------------------------------------------------------- spans of daily ratings


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def sample_sd(values: Sequence[float]) -> float:
    """The sample standard deviation (n - 1), at least ``MIN_SD``; ``MIN_SD`` for one value."""
    if len(values) < 2:
        return MIN_SD
    centre = mean(values)
    variance = math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1)
    return max(math.sqrt(variance), MIN_SD)


def lag_one_correlation(days: Sequence[int], values: Sequence[float]) -> float:
    """r1 of domain.md: the correlation of neighbouring days' residuals around a straight line.

    ``days`` are day numbers (any origin), ``values`` the ratings on them. Residuals of a
    least-squares line against the day number; pairs of consecutive calendar days that both
    have a value; clipped to 0..0.9; 0 with fewer than 10 pairs or a constant side.
    """
    if len(days) < 2:
        return 0.0
    centre_x, centre_y = mean([float(d) for d in days]), mean(values)
    sxx = math.fsum((d - centre_x) ** 2 for d in days)
    slope = (
        0.0
        if sxx == 0
        else math.fsum((d - centre_x) * (v - centre_y) for d, v in zip(days, values, strict=True))
        / sxx
    )
    residual = {
        d: v - (centre_y + slope * (d - centre_x)) for d, v in zip(days, values, strict=True)
    }
    pairs = [(residual[d], residual[d + 1]) for d in days if d + 1 in residual]
    if len(pairs) < 10:
        return 0.0
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    if max(first) - min(first) <= TOLERANCE or max(second) - min(second) <= TOLERANCE:
        return 0.0
    mean_a, mean_b = mean(first), mean(second)
    cov = math.fsum((a - mean_a) * (b - mean_b) for a, b in pairs)
    var_a = math.fsum((a - mean_a) ** 2 for a in first)
    var_b = math.fsum((b - mean_b) ** 2 for b in second)
    r = cov / math.sqrt(var_a * var_b)
    return min(max(r, 0.0), MAX_R1)


class Difference(NamedTuple):
    """Span B's mean minus span A's, with its 95 % interval and whether it is beyond noise."""

    difference: float
    low: float
    high: float
    df: int

    @property
    def beyond_variation(self) -> bool:
        return self.low > TOLERANCE or self.high < -TOLERANCE


def effective_count(n: int, r1: float) -> float:
    """n_eff = n (1 - r1) / (1 + r1), at least 1: neighbouring days count as less than two."""
    return max(n * (1.0 - r1) / (1.0 + r1), 1.0)


def span_difference(
    earlier: Sequence[float], later: Sequence[float], r1: float, level: float = 0.95
) -> Difference:
    """mean(later) - mean(earlier) with a Welch interval on effective counts (domain.md)."""
    n_a, n_b = effective_count(len(earlier), r1), effective_count(len(later), r1)
    se_a = sample_sd(earlier) / math.sqrt(n_a)
    se_b = sample_sd(later) / math.sqrt(n_b)
    se_d = math.sqrt(se_a**2 + se_b**2)
    if n_a <= 1.0 or n_b <= 1.0:
        df = 1
    else:
        welch = se_d**4 / (se_a**4 / (n_a - 1.0) + se_b**4 / (n_b - 1.0))
        df = max(math.floor(welch + TOLERANCE), 1)
    d = mean(later) - mean(earlier)
    half = t_quantile(0.5 + level / 2.0, df) * se_d
    return Difference(d, d - half, d + half, df)


# ---------------------------------------------------------------- least squares


class Fit(NamedTuple):
    """Least-squares coefficients, their standard errors and the residual degrees of freedom."""

    coefficients: list[float]
    standard_errors: list[float]
    df: int


def least_squares(rows: Sequence[Sequence[float]], targets: Sequence[float]) -> Fit | None:
    """Ordinary least squares through the normal equations; None when singular or df < 1.

    Gaussian elimination without row exchanges, columns in the order given: singular when a
    pivot is below 1e-9 x that column's own diagonal entry of X'X (domain.md).
    """
    n, p = len(rows), len(rows[0]) if rows else 0
    if n - p < 1 or p == 0:
        return None
    # Column by column through C-level map: years of days make thousands of rows.
    # X'X is symmetric: each product once. Ratings are small whole numbers, so plain sums are
    # exact enough (fsum costs twice as much here).
    columns = [list(column) for column in zip(*rows, strict=True)]
    xtx = [[0.0] * p for _ in range(p)]
    for i in range(p):
        for j in range(i, p):
            xtx[i][j] = xtx[j][i] = sum(map(operator.mul, columns[i], columns[j]))
    xty = [sum(map(operator.mul, a, targets)) for a in columns]
    # Invert X'X by Gauss-Jordan on [X'X | I], no row exchanges, checking each pivot.
    work = [xtx[i][:] + [1.0 if i == j else 0.0 for j in range(p)] for i in range(p)]
    for col in range(p):
        pivot = work[col][col]
        if pivot < TOLERANCE * xtx[col][col] or pivot <= 0.0:
            return None
        for j in range(2 * p):
            work[col][j] /= pivot
        for row in range(p):
            if row != col:
                factor = work[row][col]
                if factor:
                    for j in range(2 * p):
                        work[row][j] -= factor * work[col][j]
    inverse = [row[p:] for row in work]
    beta = [math.fsum(inverse[i][j] * xty[j] for j in range(p)) for i in range(p)]
    predicted = [0.0] * n
    for b, column in zip(beta, columns, strict=True):
        predicted = [f + b * x for f, x in zip(predicted, column, strict=True)]
    residuals = [y - f for y, f in zip(targets, predicted, strict=True)]
    df = n - p
    variance = math.fsum(e * e for e in residuals) / df
    errors = [math.sqrt(max(variance * inverse[i][i], 0.0)) for i in range(p)]
    return Fit(beta, errors, df)
