"""Confidence intervals for accuracies, and the spread of a score across seeds."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the standard normal's 97.5% quantile


def wilson(hits: int, count: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``hits / count`` (95% by default).

    Unlike the normal approximation p ± z·√(p(1−p)/n), it stays inside [0, 1] and
    is not empty at p = 0 or 1. ``count == 0`` gives (nan, nan).
    """
    if count == 0:
        return (math.nan, math.nan)
    p = hits / count
    denominator = 1 + z * z / count
    centre = (p + z * z / (2 * count)) / denominator
    half = z * math.sqrt(p * (1 - p) / count + z * z / (4 * count * count)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Spread:
    """Accuracy over several runs (seeds): mean, sample std (0 for one run), min and max."""

    mean: float
    std: float
    min: float
    max: float


def spread(values) -> Spread:
    values = [float(v) for v in values if not math.isnan(v)]
    if not values:
        return Spread(math.nan, math.nan, math.nan, math.nan)
    mean = sum(values) / len(values)
    std = (
        math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        if len(values) > 1
        else 0.0
    )
    return Spread(mean, std, min(values), max(values))
