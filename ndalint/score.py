"""Psychological-safety risk score: 0 (safe) … 100 (chilling), for the party that is bound.

Formula (documented in the README, tested as properties):

    v_i   = SEVERITY[severity_i] × weight_i                       one finding, 0..1
    r_c   = (1 − B) × max_i v_i + B × (1 − Π_i (1 − v_i))          one category, 0..1
    score = 100 × (1 − Π_c (1 − W_c × r_c))                       the document

- bounded: every factor is in [0, 1], so 0 ≤ score ≤ 100 × (1 − Π_c (1 − W_c)) < 100;
- monotonic: adding a finding never lowers a max or a noisy-OR, so never lowers the score;
- saturating: within a category all findings beyond the strongest add at most B (0.2) of r_c,
  so fifty low findings (r_c ≈ 0.36) never outweigh one critical one (r_c = 0.95);
- order-independent and deterministic: max and products commute;
- FORM (drafting) findings are reported but carry no category weight.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

SEVERITY = {"info": 0.05, "low": 0.2, "medium": 0.45, "high": 0.75, "critical": 0.95}
# Fitted on the risk labels of the real agreements and the project corpus by bench/calibrate.py
# (README, "Score calibration"); drafting is reported, never scored.
CATEGORY_WEIGHT = {
    "confidentiality-scope": 0.70,
    "individual-liability": 0.50,
    "staged-disclosure": 0.20,
    "participant-protection": 0.30,
    "chilling-language": 0.70,
    "drafting": 0.0,
}
SPREAD = 0.2  # B: how much the non-strongest findings of a category can add
BANDS = ((70, "critical"), (45, "high"), (20, "medium"), (0, "low"))


@dataclass(frozen=True)
class Scored:
    """What the score needs of a finding."""

    category: str
    severity: str
    weight: float = 1.0

    @property
    def value(self) -> float:
        return SEVERITY[self.severity] * max(0.0, min(1.0, self.weight))


@dataclass(frozen=True)
class Score:
    value: int
    band: str
    categories: dict[str, int]  # points attributed to each category; they add up to value
    exact: float


def band(value: float) -> str:
    return next(name for floor, name in BANDS if value >= floor)


def category_risk(values: Iterable[float]) -> float:
    vs = [max(0.0, min(1.0, v)) for v in values]
    if not vs:
        return 0.0
    return (1 - SPREAD) * max(vs) + SPREAD * (1 - math.prod(1 - v for v in vs))


def score(findings: Iterable[Scored]) -> Score:
    by_cat: dict[str, list[float]] = {}
    for f in findings:
        if CATEGORY_WEIGHT.get(f.category, 0.0) > 0:
            by_cat.setdefault(f.category, []).append(f.value)
    parts = {c: CATEGORY_WEIGHT[c] * category_risk(vs) for c, vs in by_cat.items()}
    exact = 100 * (1 - math.prod(1 - p for p in parts.values()))
    value = int(math.floor(exact + 0.5))
    # Attribute the total to categories by their share of −log(1 − part): the shares add up
    # exactly, unlike the parts themselves, which overlap under the noisy-OR.
    logs = {c: -math.log(1 - p) for c, p in parts.items() if p > 0}
    total = sum(logs.values())
    cats = {c: exact * lg / total for c, lg in logs.items()} if total else {}
    rounded = _round_preserving_sum(cats, value)
    return Score(value=value, band=band(value), categories=rounded, exact=exact)


def _round_preserving_sum(parts: dict[str, float], target: int) -> dict[str, int]:
    floors = {c: int(math.floor(v)) for c, v in parts.items()}
    rest = target - sum(floors.values())
    for c in sorted(parts, key=lambda c: (-(parts[c] - floors[c]), c))[: max(0, rest)]:
        floors[c] += 1
    return {c: floors[c] for c in sorted(floors, key=lambda c: (-floors[c], c))}
