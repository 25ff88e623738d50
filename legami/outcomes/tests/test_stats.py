"""Paired-change statistics, checked against scipy.stats as an independent reference."""

import dataclasses
import math
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legami.outcomes.stats import PairedChange, breakdown, paired_change, suppress_small

TOL = {"rel": 1e-9, "abs": 1e-9}

# Questionnaire-like integer scores (e.g. PHQ-9, 0–27): ties and zero changes are common.
scores = st.integers(min_value=0, max_value=27).map(float)


@st.composite
def paired_scores(draw, min_size=2, max_size=80, values=scores):
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    before = draw(st.lists(values, min_size=n, max_size=n))
    after = draw(st.lists(values, min_size=n, max_size=n))
    return before, after


hypothesis_settings = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _reference_p(before, after):
    """scipy's p-value with the method stated explicitly, branch by branch (scipy >= 1.15)."""
    d = np.subtract(after, before)
    nonzero = d[d != 0]
    ties_or_zeros = len(nonzero) < len(d) or len(np.unique(np.abs(nonzero))) < len(nonzero)
    if len(d) <= 50 and not ties_or_zeros:
        method = "exact"
    elif len(d) <= 13:
        method = scipy.stats.PermutationMethod()  # 2**n <= 9999 resamples: exhaustive
    else:
        method = "asymptotic"
    explicit = scipy.stats.wilcoxon(after, before, method=method, correction=False).pvalue
    if not isinstance(method, scipy.stats.PermutationMethod):  # slow: skip the second run
        default = scipy.stats.wilcoxon(after, before).pvalue  # "auto", zero_method="wilcox"
        assert explicit == pytest.approx(default, **TOL)
    return explicit


def _scipy_reference(before, after, confidence):
    d = np.subtract(after, before)
    with warnings.catch_warnings():
        # scipy warns about catastrophic cancellation when all changes are equal; the integer
        # data here are exact, and only the reference (not the code under test) is shielded.
        warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
        mean, sd = scipy.stats.tmean(d), scipy.stats.tstd(d)
        reference = {
            "mean_before": scipy.stats.tmean(before),
            "mean_after": scipy.stats.tmean(after),
            "mean": mean,
            "sd": sd,
            "sd_from_var": math.sqrt(scipy.stats.tvar(d)),
            "sem": scipy.stats.sem(d),
        }
    if sd > 0:
        reference["ci"] = scipy.stats.t.interval(
            confidence, len(d) - 1, loc=mean, scale=reference["sem"]
        )
        reference["dz"] = mean / sd
    if np.any(d != 0):
        reference["p"] = _reference_p(before, after)
    return reference


def _check_against_scipy(before, after, confidence=0.95):
    result = paired_change(before, after, mic=5, confidence=confidence)
    reference = _scipy_reference(before, after, confidence)
    assert result.n == len(before)
    assert result.mean_before == pytest.approx(reference["mean_before"], **TOL)
    assert result.mean_after == pytest.approx(reference["mean_after"], **TOL)
    assert result.mean_change == pytest.approx(reference["mean"], **TOL)
    assert result.sd_change == pytest.approx(reference["sd"], **TOL)
    assert result.sd_change == pytest.approx(reference["sd_from_var"], **TOL)
    if "ci" in reference:
        assert result.ci_low == pytest.approx(reference["ci"][0], **TOL)
        assert result.ci_high == pytest.approx(reference["ci"][1], **TOL)
        assert result.cohens_dz == pytest.approx(reference["dz"], **TOL)
    else:  # no spread: the interval collapses onto the mean, no effect size
        assert result.ci_low == result.ci_high == pytest.approx(reference["mean"], **TOL)
        assert result.cohens_dz is None
    if "p" in reference:
        assert result.wilcoxon_p == pytest.approx(reference["p"], **TOL)
    else:
        assert result.wilcoxon_p is None
    return result


@hypothesis_settings
@given(paired_scores())
def test_integer_scores_with_ties_match_scipy(pair):
    _check_against_scipy(*pair)


@settings(hypothesis_settings, max_examples=60)  # scipy's permutation test is slow
@given(paired_scores(max_size=13, values=st.integers(0, 4).map(float)))
def test_small_samples_with_many_ties_match_scipy_permutation(pair):
    _check_against_scipy(*pair)


@hypothesis_settings
@given(
    st.lists(
        st.integers(min_value=1, max_value=10_000).map(lambda v: v / 100),
        min_size=2,
        max_size=50,
        unique=True,
    ),
    st.data(),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_distinct_changes_use_exact_distribution(magnitudes, data, confidence):
    # Distinct non-zero |changes|, no zeros: scipy's exact distribution applies.
    signs = data.draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=len(magnitudes)))
    after = [s * m for s, m in zip(signs, magnitudes, strict=False)]
    before = [0.0] * len(after)
    _check_against_scipy(before, after, confidence)


@pytest.mark.parametrize("n", [14, 30, 50, 51, 120])
def test_normal_approximation_with_ties_and_zeros_matches_scipy(n):
    rng = np.random.default_rng(n)
    before = rng.integers(0, 28, n).astype(float)
    after = np.clip(before + rng.integers(-3, 5, n), 0, 27)
    _check_against_scipy(list(before), list(after))
    p = paired_change(before, after, mic=5).wilcoxon_p
    reference = scipy.stats.wilcoxon(after, before, method="asymptotic", correction=False)
    assert p == pytest.approx(reference.pvalue, **TOL)


def test_worked_example_with_a_zero_change():
    # Changes 3, 0, 5, -1, 6. Wilcoxon drops the zero; ranks of |3|, |5|, |-1|, |6| are
    # 2, 3, 1, 4, so T+ = 9. Of the 16 sign patterns of {1, 2, 3, 4}, 2 reach T+ >= 9: p = 0.25.
    result = paired_change([10, 12, 9, 15, 11], [13, 12, 14, 14, 17], mic=5)
    assert result.mean_change == pytest.approx(2.6)
    assert result.wilcoxon_p == pytest.approx(0.25)
    assert result.share_improved == pytest.approx(2 / 5)  # +5 and +6
    assert result.share_deteriorated == 0
    _check_against_scipy([10, 12, 9, 15, 11], [13, 12, 14, 14, 17])


def test_worked_example_exact_and_confidence_interval():
    # Changes 1..5: mean 3, SD sqrt(2.5), t(0.975, 4) = 2.7764451; all positive so the
    # exact two-sided p is 2 / 2**5.
    result = paired_change([0, 0, 0, 0, 0], [1, 2, 3, 4, 5], mic=3)
    assert result.sd_change == pytest.approx(math.sqrt(2.5))
    assert result.ci_low == pytest.approx(3 - 2.7764451 * math.sqrt(2.5 / 5), abs=1e-6)
    assert result.ci_high == pytest.approx(3 + 2.7764451 * math.sqrt(2.5 / 5), abs=1e-6)
    assert result.cohens_dz == pytest.approx(3 / math.sqrt(2.5))
    assert result.wilcoxon_p == pytest.approx(2 / 32)
    assert result.share_improved == pytest.approx(3 / 5)


def test_lower_is_better_flips_improved_and_deteriorated():
    # PHQ-9: a drop is an improvement. Changes -10, -1, +6, 0, -6 with mic 5.
    result = paired_change([20, 15, 10, 8, 12], [10, 14, 16, 8, 6], mic=5, higher_is_better=False)
    assert result.share_improved == pytest.approx(2 / 5)
    assert result.share_deteriorated == pytest.approx(1 / 5)
    # The statistics themselves do not depend on the direction.
    same = paired_change([20, 15, 10, 8, 12], [10, 14, 16, 8, 6], mic=5)
    assert (same.mean_change, same.wilcoxon_p) == (result.mean_change, result.wilcoxon_p)
    assert same.share_improved == pytest.approx(1 / 5)


def test_a_change_exactly_equal_to_mic_counts():
    result = paired_change([10, 10], [15, 5], mic=5)
    assert result.share_improved == result.share_deteriorated == 0.5


def test_single_pair_has_no_spread_interval_effect_or_p():
    result = paired_change([10], [14], mic=3)
    assert result.n == 1
    assert result.mean_change == 4
    assert result.sd_change is result.ci_low is result.ci_high is None
    assert result.cohens_dz is None and result.wilcoxon_p is None
    assert result.share_improved == 1


def test_identical_changes_have_no_effect_size():
    result = paired_change([1, 2, 3, 4], [3, 4, 5, 6], mic=2)
    assert result.sd_change == 0
    assert result.cohens_dz is None
    assert result.ci_low == result.ci_high == 2
    assert result.wilcoxon_p == pytest.approx(scipy.stats.wilcoxon([3, 4, 5, 6], [1, 2, 3, 4])[1])


def test_no_change_at_all_has_no_p_value():
    result = paired_change([5, 6, 7], [5, 6, 7], mic=1)
    assert result.mean_change == 0
    assert result.wilcoxon_p is None and result.cohens_dz is None
    assert result.share_improved == result.share_deteriorated == 0


def test_result_is_frozen():
    result = paired_change([1, 2], [2, 4], mic=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n = 3


@pytest.mark.parametrize(
    ("before", "after", "kwargs", "message"),
    [
        ([1, 2, 3], [1, 2], {}, "same people: 3 before vs 2 after"),
        ([1, float("nan")], [1, 2], {}, "before contains a missing"),
        ([1, 2], [1, math.inf], {}, "after contains a missing"),
        ([1, "a"], [1, 2], {}, "only numbers"),
        ([], [], {}, "At least one"),
        ([1, 2], [2, 3], {"mic": 0}, "mic"),
        ([1, 2], [2, 3], {"mic": float("nan")}, "mic"),
        ([1, 2], [2, 3], {"confidence": 95}, "confidence"),
    ],
)
def test_bad_input_is_refused_clearly(before, after, kwargs, message):
    with pytest.raises(ValueError, match=message):
        paired_change(before, after, **({"mic": 1} | kwargs))


def test_suppress_small_hides_groups_under_the_minimum():
    big = paired_change(range(5), range(1, 6), mic=1)
    small = paired_change(range(4), range(1, 5), mic=1)
    cells = {"a": 5, "b": 4, "c": 0, "d": big, "e": small, "f": None}
    assert suppress_small(cells) == {"a": 5, "b": None, "c": None, "d": big, "e": None, "f": None}
    assert suppress_small(cells, minimum=4) == cells | {"c": None}
    assert cells["b"] == 4  # the input is not changed


def test_breakdown_groups_rows_and_suppresses_small_groups():
    rows = [("north", 10 + i, 14 + i) for i in range(6)] + [("south", 8, 9), ("south", 7, 4)]
    rows.insert(2, ("east", 5, 5))
    result = breakdown(rows, mic=3)
    assert list(result) == ["north", "east", "south"]
    assert result["east"] is None and result["south"] is None
    north = result["north"]
    assert isinstance(north, PairedChange)
    assert north == paired_change(range(10, 16), range(14, 20), mic=3)
    assert north.share_improved == 1
    assert breakdown(rows, mic=3, minimum=2)["south"] == paired_change([8, 7], [9, 4], mic=3)
    lower = breakdown(rows, mic=3, higher_is_better=False, minimum=1)
    assert lower["south"].share_improved == 0.5


def test_breakdown_validates_suppressed_groups_too():
    with pytest.raises(ValueError, match="missing"):
        breakdown([("a", 1, 2), ("b", float("nan"), 3)], mic=1)


def test_shown_groups_hides_small_cells_and_the_complement_of_a_lone_one():
    from legami.outcomes.stats import shown_groups

    assert shown_groups({"a": 12, "b": 7, "c": 5}) == ["a", "b", "c"]
    assert shown_groups({"a": 12, "b": 7, "c": 3}) == ["a"]  # b hidden too: 22-12-7 = c
    assert shown_groups({"a": 12, "b": 4, "c": 3}) == ["a"]  # two hidden: neither recoverable
    assert shown_groups({"a": 4}) == []
