"""Paired pre/post change in an outcome score, for impact reports.

Pure functions on numbers (numpy, plus scipy only for the t quantile); no Django here. The
Wilcoxon signed-rank test is implemented in this module so that the tests can check it against
``scipy.stats.wilcoxon`` as an independent reference.

Wilcoxon p-value (two-sided, zero differences discarded as in ``zero_method="wilcox"``), chosen
the way ``scipy.stats.wilcoxon(..., method="auto")`` chooses (scipy 1.17):

- more than 50 pairs: normal approximation;
- no ties among the non-zero |differences| and no zero differences: exact null distribution
  (counted by dynamic programming);
- ties or zeros and at most 13 pairs: exact conditional test, enumerating all 2^m sign flips of
  the m non-zero differences;
- otherwise: normal approximation with tie correction, no continuity correction.

All differences zero gives no p-value (``None``): there is no evidence of change in either
direction and the normal approximation is undefined.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
from scipy.stats import t as student_t

from legami.core.privacy import SMALL_CELL

EXACT_MAX_N = 50  # no ties, no zeros: exact distribution up to this many pairs
ENUMERATE_MAX_N = 13  # ties or zeros: enumerate all sign flips up to this many pairs

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class PairedChange:
    n: int
    mean_before: float
    mean_after: float
    mean_change: float  # after - before
    sd_change: float | None  # sample SD (ddof=1); None when n < 2
    ci_low: float | None  # t-based confidence interval of the mean change; None when n < 2
    ci_high: float | None
    cohens_dz: float | None  # mean_change / sd_change; None when n < 2 or sd_change == 0
    wilcoxon_p: float | None  # two-sided; None when n < 2 or all differences are zero
    share_improved: float  # share whose change in the good direction is >= mic
    share_deteriorated: float  # share whose change in the bad direction is >= mic


def _as_scores(values: Sequence[float], name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must contain only numbers.") from exc
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat sequence of scores.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains a missing (NaN) or infinite score.")
    return array


def paired_change(
    before: Sequence[float],
    after: Sequence[float],
    *,
    mic: float,
    higher_is_better: bool = True,
    confidence: float = 0.95,
) -> PairedChange:
    """Summarise the change from ``before`` to ``after`` for the same people, in order.

    ``mic`` is the minimal important change (in score points, > 0) used for the shares of
    people improved / deteriorated; ``higher_is_better`` says which direction is good.
    """
    x = _as_scores(before, "before")
    y = _as_scores(after, "after")
    if len(x) != len(y):
        raise ValueError(
            f"before and after must pair the same people: {len(x)} before vs {len(y)} after."
        )
    if len(x) == 0:
        raise ValueError("At least one before/after pair is needed.")
    if not (math.isfinite(mic) and mic > 0):
        raise ValueError("mic (minimal important change) must be a positive number.")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1 (e.g. 0.95).")

    return _summarise(
        y - x,
        mean_before=float(np.mean(x)),
        mean_after=float(np.mean(y)),
        mic=mic,
        higher_is_better=higher_is_better,
        confidence=confidence,
    )


def paired_change_from_histogram(
    changes: Sequence[float],
    counts: Sequence[int],
    *,
    sum_before: float,
    sum_after: float,
    mic: float,
    higher_is_better: bool = True,
    confidence: float = 0.95,
) -> PairedChange:
    """``paired_change`` when the database has already counted how many people changed by each
    amount (``counts[i]`` people changed by ``changes[i]``) and summed their scores before and
    after: the figures are the same as from the individual pairs."""
    values = _as_scores(changes, "changes")
    weights = np.asarray(counts, dtype=np.int64)
    if len(values) != len(weights) or np.any(weights < 0):
        raise ValueError("changes and counts must pair up, with counts not negative.")
    d = np.repeat(values, weights)
    if len(d) == 0:
        raise ValueError("At least one before/after pair is needed.")
    if not (math.isfinite(mic) and mic > 0):
        raise ValueError("mic (minimal important change) must be a positive number.")
    return _summarise(
        d,
        mean_before=float(sum_before) / len(d),
        mean_after=float(sum_after) / len(d),
        mic=mic,
        higher_is_better=higher_is_better,
        confidence=confidence,
    )


def _summarise(
    d: np.ndarray,
    *,
    mean_before: float,
    mean_after: float,
    mic: float,
    higher_is_better: bool,
    confidence: float,
) -> PairedChange:
    n = len(d)
    mean_change = float(np.mean(d))
    sd = ci_low = ci_high = dz = p = None
    if n >= 2:
        sd = float(np.std(d, ddof=1))
        half_width = _t_quantile((1 + confidence) / 2, n - 1) * sd / math.sqrt(n)
        ci_low, ci_high = mean_change - half_width, mean_change + half_width
        dz = mean_change / sd if sd > 0 else None
        p = wilcoxon_p(d)
    good = d if higher_is_better else -d
    # Scores carry two decimals: compare at that precision, not in binary floating point.
    good = np.round(good, 6)
    return PairedChange(
        n=n,
        mean_before=mean_before,
        mean_after=mean_after,
        mean_change=mean_change,
        sd_change=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        cohens_dz=dz,
        wilcoxon_p=p,
        share_improved=float(np.mean(good >= mic)),
        share_deteriorated=float(np.mean(-good >= mic)),
    )


@lru_cache(maxsize=4096)
def _t_quantile(probability: float, df: int) -> float:
    # A breakdown asks for the same few (probability, df) pairs hundreds of times.
    return float(student_t.ppf(probability, df))


def _signed_ranks(nonzero: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Twice the average ranks of |nonzero| (integers, so sums are exact) and tie sizes."""
    _, inverse, counts = np.unique(np.abs(nonzero), return_inverse=True, return_counts=True)
    starts = np.cumsum(counts) - counts  # ranks before each tie group
    doubled = 2 * starts + counts + 1  # 2 * mean of ranks start+1 .. start+count
    return doubled[inverse].astype(np.int64), counts


def _exact_distribution(m: int) -> np.ndarray:
    """Number of subsets of {1..m} with each sum 0..m(m+1)/2 (the signed-rank null counts)."""
    counts = np.zeros(m * (m + 1) // 2 + 1, dtype=np.int64)
    counts[0] = 1
    for rank in range(1, m + 1):
        counts[rank:] = counts[rank:] + counts[:-rank].copy()
    return counts


def wilcoxon_p(differences: Sequence[float]) -> float | None:
    """Two-sided Wilcoxon signed-rank p-value of paired differences (see module docstring)."""
    d = np.asarray(differences, dtype=float)
    nonzero = d[d != 0]
    m = len(nonzero)
    if m == 0:
        return None
    doubled, tie_sizes = _signed_ranks(nonzero)
    doubled_r_plus = int(doubled[nonzero > 0].sum())
    has_ties_or_zeros = bool(np.any(tie_sizes > 1)) or m < len(d)

    if len(d) <= EXACT_MAX_N and not has_ties_or_zeros:
        counts = _exact_distribution(m)
        r_plus = doubled_r_plus // 2
        total = 2.0**m
        lower = counts[: r_plus + 1].sum() / total  # P(T+ <= observed)
        upper = counts[r_plus:].sum() / total  # P(T+ >= observed)
        return float(min(1.0, 2 * min(lower, upper)))

    if len(d) <= ENUMERATE_MAX_N:
        flips = (np.arange(2**m)[:, None] >> np.arange(m)) & 1  # every sign pattern
        null = flips @ doubled
        lower = np.mean(null <= doubled_r_plus)
        upper = np.mean(null >= doubled_r_plus)
        return float(min(1.0, 2 * min(lower, upper)))

    mean = m * (m + 1) / 4
    variance = (m * (m + 1) * (2 * m + 1) - np.sum(tie_sizes**3 - tie_sizes) / 2) / 24
    z = (doubled_r_plus / 2 - mean) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))  # 2 * P(Z >= |z|)


def suppress_small(
    cells: Mapping[K, int | PairedChange | None], minimum: int = SMALL_CELL
) -> dict[K, int | PairedChange | None]:
    """Replace every cell counting fewer than ``minimum`` people by ``None`` (for reports).

    A cell is a head count or a ``PairedChange`` (counted by its ``n``).
    """
    result: dict[K, int | PairedChange | None] = {}
    for key, cell in cells.items():
        size = cell.n if isinstance(cell, PairedChange) else cell
        result[key] = None if size is None or size < minimum else cell
    return result


def shown_groups(sizes: Mapping[K, int], minimum: int = SMALL_CELL) -> list[K]:
    """The groups that may be shown, given how many people each holds: those of at least
    ``minimum`` people, less the smallest of them when exactly one group is hidden (otherwise
    the hidden one could be worked out from the total)."""
    shown = [key for key, size in sizes.items() if size >= minimum]
    if len(shown) == len(sizes) - 1 and shown:
        shown.remove(min(shown, key=lambda key: sizes[key]))
    return shown


def breakdown(
    rows: Iterable[tuple[K, float, float]],
    *,
    mic: float,
    higher_is_better: bool = True,
    minimum: int = SMALL_CELL,
    confidence: float = 0.95,
) -> dict[K, PairedChange | None]:
    """``paired_change`` per group from ``(group, before, after)`` rows, small groups suppressed.

    Groups keep the order in which they first appear; every group's scores are validated, even
    when the group is then suppressed.
    """
    groups: dict[K, tuple[list[float], list[float]]] = {}
    for key, before, after in rows:
        pair = groups.setdefault(key, ([], []))
        pair[0].append(before)
        pair[1].append(after)
    changes = {
        key: paired_change(
            xs, ys, mic=mic, higher_is_better=higher_is_better, confidence=confidence
        )
        for key, (xs, ys) in groups.items()
    }
    return suppress_small(changes, minimum)  # type: ignore[return-value]
