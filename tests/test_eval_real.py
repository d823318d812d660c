"""`ndalint eval` on the reviewer label schema of the real agreements (../shared/corpus/real).

The measures exist, are well formed and gate the exit code; the floors of the rules issue (F1 of
the two main categories, staged-disclosure recall, score/risk rank correlation) and of the parties
issue are asserted at the end.
"""

from __future__ import annotations

import json
import math

import pytest
import yaml

import conftest
from conftest import CORPUS, run_cli
from ndalint.evaluation import REAL_CATEGORIES, load_labels

REAL = conftest.SHARED / "corpus" / "real"
MEASURES = ("party_kind", "bound", "kind")


@pytest.fixture(scope="module")
def real_eval():
    if not REAL.is_dir():
        pytest.fail(f"../shared/corpus/real is missing (expected at {REAL})")
    result = run_cli("eval", str(REAL), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_real_labels_are_read_and_every_document_evaluated(real_eval):
    assert real_eval["labels_schema"] == "real"
    assert len(real_eval["documents"]) == 25
    assert real_eval["unlabelled"] == []


def test_the_new_measures_are_reported_within_0_and_1(real_eval):
    for name in MEASURES:
        m = real_eval["measures"][name]
        assert 0 <= m["accuracy"] <= 1, (name, m)
        assert m["right"] == m["total"] - len(m["disagreements"])
        for miss in m["disagreements"]:
            assert {"document", "expected", "got"} <= set(miss)
    assert real_eval["measures"]["bound"]["total"] == 25
    assert real_eval["measures"]["kind"]["total"] == 25
    assert real_eval["measures"]["party_kind"]["total"] > 25  # every document has at least two parties


def test_only_the_three_labelled_categories_are_measured(real_eval):
    cats = {c["category"]: c for c in real_eval["categories"]}
    assert set(cats) == set(REAL_CATEGORIES)
    for name, c in cats.items():
        assert c["tp"] + c["fp"] + c["fn"] + c["tn"] == 25, name
    assert {d["category"] for d in real_eval["disagreements"]} <= set(REAL_CATEGORIES)


@pytest.mark.parametrize("name,option", [("party_kind", "--min-party-kind"), ("bound", "--min-bound"), ("kind", "--min-kind")])
def test_a_floor_above_the_measured_value_exits_1(real_eval, name, option):
    measured = real_eval["measures"][name]["accuracy"]
    if measured > 0.99:  # no floor in 0..1 lies above it: the strictest one must pass instead
        assert run_cli("eval", str(REAL), option, "1").exit_code == (0 if measured == 1 else 1)
        return
    result = run_cli("eval", str(REAL), option, f"{measured + 0.01:.4f}")
    assert result.exit_code == 1 and name in result.stderr
    at_most = math.floor(measured * 10_000) / 10_000  # printed without rounding up past the measured value
    assert run_cli("eval", str(REAL), option, str(at_most)).exit_code == 0


def test_text_report_shows_the_measures():
    result = run_cli("eval", str(REAL))
    assert result.exit_code == 0, result.stderr
    for title in ("party kind", "individual bound", "agreement kind"):
        assert title in result.stdout
    assert "other categories are not labelled" in result.stdout


REVIEWER_LABELS = {
    "a.txt": {  # a participant bound by a broad, all-or-nothing duty and uncapped damages
        "kind": "event", "parties": {"主催者": "company", "参加者": "individual"}, "bound": ["参加者"],
        "individual_bound": True, "conf_broad": True, "conf_evidence": "(made up)", "liab_individual": True,
        "liab_evidence": "(made up)", "staged": False, "stage_applies": True, "mitigations": [], "risk": 4,
        "notes": "made up for the test"},
    "b.txt": {  # a worker: staged disclosure does not apply, so its absence is no finding
        "kind": "employment", "parties": {"会社": "company", "私": "individual"}, "bound": ["私"],
        "individual_bound": True, "conf_broad": False, "liab_individual": False, "staged": False,
        "stage_applies": False, "risk": 2},
    "c.txt": {  # a participant with tiered secrecy: staged, so clean
        "kind": "co-creation", "parties": {"甲": "company", "乙": "individual"}, "bound": ["乙"],
        "individual_bound": True, "conf_broad": False, "liab_individual": False, "staged": True,
        "stage_applies": True, "risk": 1},
}


def _write(tmp_path, labels) -> object:
    path = tmp_path / "labels.yaml"
    path.write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    return path


def test_reviewer_schema_is_converted_to_expectations(tmp_path):
    labels = load_labels(_write(tmp_path, REVIEWER_LABELS))
    assert labels.schema_name == "real" and labels.categories == REAL_CATEGORIES
    a, b, c = (labels.documents[n] for n in ("a.txt", "b.txt", "c.txt"))
    assert sorted(a.flag) == sorted(REAL_CATEGORIES) and a.clean == []
    assert b.flag == [] and sorted(b.clean) == sorted(REAL_CATEGORIES)
    assert c.flag == [] and "staged-disclosure" in c.clean
    for doc in (a, b, c):  # categories the schema does not judge are neither flag nor clean
        assert not {"participant-protection", "chilling-language", "drafting"} & set(doc.flag + doc.clean)
    assert a.kind == "event" and a.individual_bound is True and a.parties == {"主催者": "company", "参加者": "individual"}
    assert a.risk == 4


def test_project_schema_maps_company_kinds_to_b2b(tmp_path):
    project = {"documents": {"x.txt": {"kind": "one-way", "bound_party": "company", "flag": [], "clean": ["drafting"]},
                             "y.txt": {"kind": "panel", "bound_party": "individual", "flag": [], "clean": []}}}
    labels = load_labels(_write(tmp_path, project))
    assert labels.schema_name == "ndalint"
    x, y = labels.documents["x.txt"], labels.documents["y.txt"]
    assert (x.kind, x.individual_bound, x.parties) == ("b2b", False, {})
    assert (y.kind, y.individual_bound) == ("panel", True)


@pytest.mark.parametrize("change,message", [
    ({"conf_evidnce": "typo"}, "a.txt.conf_evidnce: Extra inputs are not permitted"),
    ({"conf_broad": None}, "a.txt.conf_broad:"),
    ({"parties": {"甲": "person"}}, "a.txt.parties.甲:"),
    ({"bound": ["丙"]}, "not among the parties"),
    ({"kind": "nda"}, "a.txt.kind:"),
])
def test_malformed_reviewer_labels_are_a_one_line_error(tmp_path, change, message):
    entry = {**REVIEWER_LABELS["a.txt"], **change}
    (tmp_path / "a.txt").write_text("第1条（目的）本契約の目的を定める。\n", encoding="utf-8")
    _write(tmp_path, {"a.txt": entry})
    result = run_cli("eval", str(tmp_path))
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"ndalint: {tmp_path / 'labels.yaml'}: ")


def test_a_missing_judgement_is_an_error_not_a_clean_label(tmp_path):
    entry = {k: v for k, v in REVIEWER_LABELS["b.txt"].items() if k != "liab_individual"}
    _write(tmp_path, {"b.txt": entry})
    result = run_cli("eval", str(tmp_path))
    assert result.exit_code == 2 and "b.txt.liab_individual: Field required" in result.stderr


# The floors of the parties issue, on the real agreements and on the project's corpus: a party's
# kind for 95 % of labelled parties, "an individual is bound" on 24 of 25, the kind of agreement
# on 90 %. Accuracy is also measured on agreements outside the repository; these are floors.
@pytest.mark.parametrize("directory, floors", [
    (REAL, ("--min-party-kind", "0.95", "--min-bound", "0.96", "--min-kind", "0.9")),
    (CORPUS, ("--min-bound", "0.95", "--min-kind", "0.9")),
])
def test_party_bound_and_kind_floors(directory, floors):
    result = run_cli("eval", str(directory), "--format", "json", *floors)
    assert result.exit_code == 0, result.stderr
    measures = json.loads(result.stdout)["measures"]
    assert all(m["accuracy"] is None or m["accuracy"] >= 0.9 for m in measures.values())


def _f1(c: dict) -> float:
    p, r = c["precision"] or 0.0, c["recall"] or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def test_rules_reach_the_floors_of_the_issue_on_the_real_agreements(real_eval):
    """Issue 11: confidentiality-scope and individual-liability F1 ≥ 0.9, staged disclosure found on
    ≥ 90 % of the participant documents without it, score/risk Spearman ≥ 0.8."""
    cats = {c["category"]: c for c in real_eval["categories"]}
    for name in ("confidentiality-scope", "individual-liability"):
        assert _f1(cats[name]) >= 0.9, (name, cats[name], [d for d in real_eval["disagreements"] if d["category"] == name])
    assert cats["staged-disclosure"]["recall"] >= 0.9, cats["staged-disclosure"]
    assert real_eval["rank_correlation"] >= 0.8


def test_rules_reach_the_floors_of_the_issue_on_the_project_corpus():
    result = run_cli("eval", str(CORPUS), "--format", "json")
    data = json.loads(result.stdout)
    cats = {c["category"]: c for c in data["categories"]}
    for name in ("confidentiality-scope", "individual-liability"):
        assert _f1(cats[name]) >= 0.9, (name, cats[name])
    assert data["rank_correlation"] >= 0.8
