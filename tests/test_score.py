"""Properties of the psychological-safety score (README, "Score"), checked with hypothesis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ndalint.score import BANDS, CATEGORY_WEIGHT, SEVERITY, Scored, band, score

CATEGORIES = sorted(CATEGORY_WEIGHT)
SCORED = [c for c in CATEGORIES if CATEGORY_WEIGHT[c] > 0]

finding = st.builds(Scored, category=st.sampled_from(CATEGORIES), severity=st.sampled_from(sorted(SEVERITY)),
                    weight=st.floats(min_value=0, max_value=1))
findings = st.lists(finding, max_size=40)


@given(findings)
def test_bounded_and_banded(fs):
    s = score(fs)
    assert 0 <= s.value <= 100 and 0 <= s.exact < 100
    assert s.band == band(s.value)
    assert sum(s.categories.values()) == s.value  # the breakdown adds up to the total
    assert "drafting" not in s.categories


@given(findings, finding)
def test_monotonic_adding_a_finding_never_lowers_the_score(fs, extra):
    assert score([*fs, extra]).exact >= score(fs).exact - 1e-9


@given(findings, st.data())
def test_order_independent_and_deterministic(fs, data):
    shuffled = data.draw(st.permutations(fs))
    a, b = score(fs), score(shuffled)
    assert (a.value, a.band, a.categories) == (b.value, b.band, b.categories)
    assert abs(a.exact - b.exact) < 1e-9


@given(st.sampled_from(SCORED), st.integers(min_value=1, max_value=200))
def test_saturation_many_low_findings_never_outweigh_one_critical(category, n):
    many_low = score([Scored(category, "low")] * n)
    one_critical = score([Scored(category, "critical")])
    assert many_low.exact < one_critical.exact


@given(st.sampled_from(SCORED), st.integers(min_value=2, max_value=200))
def test_saturation_a_category_has_a_ceiling(category, n):
    # however many findings of one category, it cannot exceed its category weight
    assert score([Scored(category, "critical")] * n).exact <= 100 * CATEGORY_WEIGHT[category] + 1e-9


@given(findings)
def test_drafting_findings_do_not_move_the_score(fs):
    assert score([*fs, Scored("drafting", "critical")]).exact == score(fs).exact


def test_band_edges():
    assert [band(v) for v in (0, 19, 20, 44, 45, 69, 70, 100)] == [
        "low", "low", "medium", "medium", "high", "high", "critical", "critical"]
    assert [b for _, b in BANDS] == ["critical", "high", "medium", "low"]
    assert score([]).value == 0 and score([]).band == "low"
