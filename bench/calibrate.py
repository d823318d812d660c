"""Calibrate the score's category weights on the labelled documents (README, "Score calibration").

Method, fixed in advance so that no weight is tuned to one document:

1. Each labelled document (the real agreements in ../shared/corpus/real and the project corpus) is
   linted once with the rule pack as it stands; only its findings (category, severity, rule
   weight) are kept.
2. The severity values and the rule weights stay as the rules state them; only the five category
   weights W_c (ndalint/score.py CATEGORY_WEIGHT) are fitted, on a grid of 0.1 steps in
   [0.2, 0.9], to maximise the mean of the two Spearman correlations between score and risk.
   Ties are broken towards the weights now in score.py (the smallest change).
3. The result is reported with leave-one-out checks: the fit is repeated without each real
   document, and the spread of the held-out rank correlation shows whether the weights carry.

Nothing is written: the weights are copied into score.py by hand, with the figures in the note.
Run: .venv/bin/python bench/calibrate.py [DIR_WITH_labels.yaml ...]   (extra sets are checked, not fitted)
"""

from __future__ import annotations

import itertools
import statistics
import sys
from pathlib import Path

import numpy as np

from ndalint.evaluation import load_labels
from ndalint.lint import lint_path
from ndalint.rules import RuleSet
from ndalint.score import CATEGORY_WEIGHT, SEVERITY, category_risk

ROOT = Path(__file__).resolve().parent.parent
SETS = {"real": ROOT.parent / "shared" / "corpus" / "real", "corpus": ROOT / "corpus"}
FITTED = ("confidentiality-scope", "individual-liability", "staged-disclosure", "participant-protection", "chilling-language")
GRID = [round(0.2 + 0.1 * i, 1) for i in range(8)]


def findings_by_set(engine: RuleSet, sets: dict[str, Path] = SETS) -> dict[str, list[tuple[int, dict[str, list[float]]]]]:
    weights = {r.id: r.weight for r in engine.rules}
    out: dict[str, list[tuple[int, dict[str, list[float]]]]] = {}
    for name, directory in sets.items():
        labels = load_labels(directory / "labels.yaml")
        rows = []
        for doc, label in labels.documents.items():
            rep = lint_path(str(directory / doc), engine)
            if label.risk is None or rep.score is None:
                continue
            values: dict[str, list[float]] = {}
            for f in rep.findings:
                values.setdefault(f.category, []).append(SEVERITY[f.severity] * weights[f.rule_id])
            rows.append((label.risk, values))
        out[name] = rows
    return out


def category_risks(rows: list[tuple[int, dict[str, list[float]]]]) -> tuple[np.ndarray, np.ndarray]:
    """risk labels, and r_c per document and fitted category (score.category_risk, 0 if none)."""
    risks = np.array([float(r) for r, _ in rows])
    r = np.zeros((len(rows), len(FITTED)))
    for i, (_, values) in enumerate(rows):
        for j, cat in enumerate(FITTED):
            if values.get(cat):
                r[i, j] = category_risk(values[cat])
    return risks, r


def _rank(a: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis (ties share their mean rank), as evaluation.spearman."""
    less = (a[:, :, None] > a[:, None, :]).sum(axis=-1)
    equal = (a[:, :, None] == a[:, None, :]).sum(axis=-1)
    return less + (equal + 1) / 2


def rhos(risks: np.ndarray, r: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Spearman of score vs risk for every row of ``weights`` (combos × categories)."""
    scores = 1 - np.prod(1 - weights[:, None, :] * r[None, :, :], axis=-1)  # combos × docs
    sr = _rank(np.round(scores * 100))  # the score is reported as an integer
    rr = _rank(risks[None, :])[0]
    sr -= sr.mean(axis=1, keepdims=True)
    rr = rr - rr.mean()
    den = np.sqrt((sr ** 2).sum(axis=1) * (rr ** 2).sum())
    return np.where(den > 0, (sr * rr).sum(axis=1) / np.where(den > 0, den, 1), 0.0)


COMBOS = np.array(list(itertools.product(GRID, repeat=len(FITTED))))


def fit(data: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[float, dict[str, float], np.ndarray]:
    objective = np.mean([rhos(risks, r, COMBOS) for risks, r in data.values()], axis=0)
    now = np.array([CATEGORY_WEIGHT[c] for c in FITTED])
    change = np.abs(COMBOS - now).sum(axis=1)
    best = np.lexsort((change, -np.round(objective, 4)))[0]
    return float(objective[best]), dict(zip(FITTED, COMBOS[best].tolist())), COMBOS[best]


def main() -> None:
    rows = findings_by_set(RuleSet.load())
    data = {name: category_risks(r) for name, r in rows.items()}
    now = np.array([[CATEGORY_WEIGHT[c] for c in FITTED]])
    print("current weights:", {c: CATEGORY_WEIGHT[c] for c in FITTED})
    for name, (risks, r) in data.items():
        print(f"  {name}: n={len(risks)} Spearman {rhos(risks, r, now)[0]:.2f}")
    objective, w, best = fit(data)
    print(f"fitted weights (mean Spearman {objective:.3f}):", w)
    for name, (risks, r) in data.items():
        print(f"  {name}: Spearman {rhos(risks, r, best[None, :])[0]:.2f}")
    # Cross-validated: each real document is scored with weights fitted without it; the rank
    # correlation of those held-out scores says whether the fit carries to unseen agreements.
    risks, r = data["real"]
    held_out, current = [], []
    for i in range(len(risks)):
        keep = np.arange(len(risks)) != i
        _, _, wi = fit({"real": (risks[keep], r[keep]), "corpus": data["corpus"]})
        held_out.append(1 - np.prod(1 - wi * r[i]))
        current.append(1 - np.prod(1 - now[0] * r[i]))
    cv = rhos(risks, np.array(held_out)[:, None], np.ones((1, 1)))[0]
    print(f"leave-one-out on the real set ({len(risks)} refits): Spearman of held-out scores {cv:.2f} "
          f"(current weights: {rhos(risks, np.array(current)[:, None], np.ones((1, 1)))[0]:.2f})")
    # Optional: labelled documents kept out of the fit (a directory with labels.yaml per argument)
    for extra in sys.argv[1:]:
        rows = findings_by_set(RuleSet.load(), {extra: Path(extra)})[extra]
        risks, r = category_risks(rows)
        print(f"  {extra} (not fitted): current {rhos(risks, r, now)[0]:.2f}, fitted {rhos(risks, r, best[None, :])[0]:.2f}")

if __name__ == "__main__":
    main()
