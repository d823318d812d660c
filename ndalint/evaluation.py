"""``ndalint eval``: how well the rule pack agrees with labelled documents.

A category counts as *flagged* in a document when the document has a finding of that category at
severity ``medium`` or higher; ``info`` and ``low`` are hints and do not count. Precision and recall
are computed per category over documents; the score is compared with the labelled ``risk`` by
Spearman rank correlation. Beside the categories, three accuracies check what the pipeline reads
before any rule runs: the kind of each labelled party, whether an individual is bound, and the kind
of agreement.

Two label schemas are read (see :func:`load_labels`): the project's ``corpus/labels.yaml``
(a top-level ``documents:`` mapping) and the reviewer schema of the real agreements (one top-level
entry per file). Both are converted to :class:`Expected`, so the measuring code knows neither.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictBool, ValidationError, model_validator

from ndalint.errors import ConfigError
from ndalint.report.model import SEVERITIES, DocumentReport
from ndalint.rules.schema import CATEGORIES

CATEGORY_NAMES = tuple(CATEGORIES.values())
FLAGGED_AT = SEVERITIES.index("medium")
PartyKind = Literal["company", "individual"]

# The only categories the reviewer schema decides; the others stay unjudged rather than "clean".
REAL_CATEGORIES = ("confidentiality-scope", "individual-liability", "staged-disclosure")
# The project corpus predates the report's kinds; its two company kinds are the report's b2b.
PROJECT_KINDS = {"company-to-company": "b2b", "one-way": "b2b"}


class DocLabel(BaseModel):
    """One document in the project schema (``corpus/labels.yaml``)."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    bound_party: PartyKind | None = None
    flag: list[str] = Field(default_factory=list)
    clean: list[str] = Field(default_factory=list)
    risk: int | None = Field(default=None, ge=1, le=5)
    notes: str | None = None

    @model_validator(mode="after")
    def _categories(self) -> DocLabel:
        unknown = set(self.flag + self.clean) - set(CATEGORY_NAMES)
        if unknown:
            raise ValueError(f"unknown categories {sorted(unknown)}; use {', '.join(CATEGORY_NAMES)}")
        both = set(self.flag) & set(self.clean)
        if both:
            raise ValueError(f"{sorted(both)} listed under both flag and clean")
        return self


class ProjectLabels(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: dict[str, DocLabel]


class RealDocLabel(BaseModel):
    """One document in the reviewer schema (``corpus/real/README.md``, "Labels: schema and criteria").

    The judgements are required: a forgotten ``conf_broad`` must not be read as "not broad".
    Only the documented free-text fields may be added; any other key is a typo worth an error.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["b2b", "employment", "exit-pledge", "freelance", "c2c", "panel", "co-creation",
                  "community", "visitor", "beta-test", "event", "other"]
    parties: dict[str, PartyKind] = Field(min_length=1)
    bound: list[str]
    individual_bound: StrictBool
    conf_broad: StrictBool
    liab_individual: StrictBool
    staged: StrictBool
    stage_applies: StrictBool
    risk: int = Field(ge=1, le=5)
    mitigations: list[str] = Field(default_factory=list)
    conf_evidence: str | None = None
    liab_evidence: str | None = None
    stage_evidence: str | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _bound_are_parties(self) -> RealDocLabel:
        stray = [b for b in self.bound if b not in self.parties]
        if stray:
            raise ValueError(f"bound {stray} not among the parties {list(self.parties)}")
        return self


class RealLabels(RootModel[dict[str, RealDocLabel]]):
    pass


class Expected(BaseModel):
    """What a document should yield, whichever schema said so."""

    flag: list[str] = Field(default_factory=list)
    clean: list[str] = Field(default_factory=list)
    risk: int | None = None
    kind: str | None = None
    individual_bound: bool | None = None  # None: not labelled
    parties: dict[str, PartyKind] = Field(default_factory=dict)


class Labels(BaseModel):
    schema_name: Literal["ndalint", "real"]
    categories: tuple[str, ...]  # the categories this schema labels; the rest are not measured
    documents: dict[str, Expected]


def load_labels(path: Path) -> Labels:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read labels ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    try:
        if _is_real_schema(data):
            return _from_real(RealLabels.model_validate(data))
        return _from_project(ProjectLabels.model_validate(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"{path}: {where}: {err['msg']}") from None


def _is_real_schema(data: object) -> bool:
    # Anything else (empty, a list, a scalar) goes to the project schema, whose error names `documents`.
    return isinstance(data, dict) and bool(data) and "documents" not in data


def _from_project(labels: ProjectLabels) -> Labels:
    docs = {name: Expected(flag=d.flag, clean=d.clean, risk=d.risk,
                           kind=PROJECT_KINDS.get(d.kind, d.kind) if d.kind else None,
                           individual_bound=None if d.bound_party is None else d.bound_party == "individual")
            for name, d in labels.documents.items()}
    return Labels(schema_name="ndalint", categories=CATEGORY_NAMES, documents=docs)


def _from_real(labels: RealLabels) -> Labels:
    return Labels(schema_name="real", categories=REAL_CATEGORIES,
                  documents={name: _expect_real(d) for name, d in labels.root.items()})


def _expect_real(d: RealDocLabel) -> Expected:
    verdicts = {
        "confidentiality-scope": d.conf_broad,
        "individual-liability": d.liab_individual,
        # A missing staged disclosure is a finding only where the bound person is a participant.
        "staged-disclosure": d.stage_applies and not d.staged,
    }
    return Expected(flag=[c for c, v in verdicts.items() if v], clean=[c for c, v in verdicts.items() if not v],
                    risk=d.risk, kind=d.kind, individual_bound=d.individual_bound, parties=d.parties)


class CategoryScore(BaseModel):
    category: str
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None  # None: nothing flagged and nothing expected
    recall: float | None


class Disagreement(BaseModel):
    document: str
    category: str
    expected: Literal["flag", "clean"]
    why: str


class MeasureMiss(BaseModel):
    document: str
    party: str | None = Field(default=None, description="party label (party_kind only)")
    expected: str | bool
    got: str | bool | None = Field(description="None: not reported, or the document was unreadable")
    why: str | None = None


class Measure(BaseModel):
    right: int = 0
    total: int = 0
    accuracy: float | None = Field(default=None, description="right / total; None when nothing is labelled")
    disagreements: list[MeasureMiss] = Field(default_factory=list)
    fallback: list[str] = Field(default_factory=list,
                                description="bound only: documents with no party marked bound, judged by the kind of agreement")

    def add(self, right: bool, miss: MeasureMiss) -> None:
        self.total += 1
        self.right += right
        if not right:
            self.disagreements.append(miss)
        self.accuracy = self.right / self.total


class Measures(BaseModel):
    party_kind: Measure = Field(default_factory=Measure, description="labelled parties whose reported kind matches")
    bound: Measure = Field(default_factory=Measure, description="documents where 'an individual is bound' matches")
    kind: Measure = Field(default_factory=Measure, description="documents whose reported kind of agreement matches")


class DocResult(BaseModel):
    document: str
    risk: int | None
    score: int | None
    band: str | None
    flagged: list[str]
    error: str | None = None


class Evaluation(BaseModel):
    schema_: str = Field(default="ndalint.eval/1", alias="schema")
    labels_schema: Literal["ndalint", "real"] = "ndalint"
    documents: list[DocResult]
    categories: list[CategoryScore]
    disagreements: list[Disagreement]
    measures: Measures = Field(default_factory=Measures)
    rank_correlation: float | None = Field(description="Spearman's rho between score and labelled risk")
    rules_never_firing: list[str] = Field(default_factory=list, description="rules with no finding or mitigation in any document")
    unlabelled: list[str] = Field(default_factory=list)

    model_config = ConfigDict(populate_by_name=True)

    def below(self, threshold: float) -> list[str]:
        """Categories whose precision or recall is under ``threshold``."""
        return [c.category for c in self.categories
                if (c.precision is not None and c.precision < threshold) or (c.recall is not None and c.recall < threshold)]

    def measures_below(self, floors: dict[str, float | None]) -> list[str]:
        """Measures (``party_kind``, ``bound``, ``kind``) under their floor; an unlabelled measure has none to fall under."""
        return [name for name, floor in floors.items() if floor is not None
                and (acc := getattr(self.measures, name).accuracy) is not None and acc < floor]


def flagged_categories(report: DocumentReport) -> set[str]:
    return {f.category for f in report.findings if SEVERITIES.index(f.severity) >= FLAGGED_AT}


def evaluate(directory: Path, labels: Labels, lint: Callable[[str], DocumentReport],
             rule_ids: Iterable[str] = ()) -> Evaluation:
    missing = [name for name in labels.documents if not (directory / name).is_file()]
    if missing:
        raise ConfigError(f"labelled documents not found in {directory}: {', '.join(sorted(missing))}")
    reports = {name: lint(str(directory / name)) for name in labels.documents}

    docs, disagreements = [], []
    counts = {c: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for c in labels.categories}
    measures = Measures()
    for name, label in labels.documents.items():
        rep = reports[name]
        got = flagged_categories(rep) if not rep.error else set()
        docs.append(DocResult(document=name, risk=label.risk, score=rep.score.value if rep.score else None,
                              band=rep.score.band if rep.score else None, flagged=sorted(got), error=rep.error or rep.notice))
        for cat in labels.categories:
            expected = "flag" if cat in label.flag else "clean" if cat in label.clean else None
            if expected is None:
                continue
            hit = cat in got
            key = {("flag", True): "tp", ("flag", False): "fn", ("clean", True): "fp", ("clean", False): "tn"}[(expected, hit)]
            counts[cat][key] += 1
            if key in ("fp", "fn"):
                disagreements.append(Disagreement(document=name, category=cat, expected=expected, why=_why(rep, cat, key)))
        _measure_parties(measures.party_kind, name, label, rep)
        _measure_bound(measures.bound, name, label, rep)
        _measure_kind(measures.kind, name, label, rep)

    categories = [CategoryScore(category=c, **n, precision=_ratio(n["tp"], n["tp"] + n["fp"]),
                                recall=_ratio(n["tp"], n["tp"] + n["fn"])) for c, n in counts.items()]
    pairs = [(d.score, d.risk) for d in docs if d.score is not None and d.risk is not None]
    firing = {x.rule_id for r in reports.values() for x in [*r.findings, *r.mitigations]}
    unlabelled = sorted(p.name for p in directory.iterdir()
                        if p.suffix.lower() in {".txt", ".md", ".docx", ".pdf"} and p.name not in labels.documents
                        and p.name.lower() != "readme.md")
    return Evaluation(labels_schema=labels.schema_name, documents=docs, categories=categories,
                      disagreements=disagreements, measures=measures,
                      rank_correlation=spearman([p[0] for p in pairs], [p[1] for p in pairs]),
                      rules_never_firing=sorted(set(rule_ids) - firing), unlabelled=unlabelled)


def _measure_parties(m: Measure, name: str, label: Expected, rep: DocumentReport) -> None:
    reported: dict[str, str] = {}
    for p in rep.parties:
        reported.setdefault(p.label, p.kind)  # a label reported twice: the first reading stands
    for party, kind in label.parties.items():
        got = reported.get(party)
        m.add(got == kind, MeasureMiss(document=name, party=party, expected=kind, got=got,
                                       why=_unread(rep) or (None if got else "party not reported")))


def _measure_bound(m: Measure, name: str, label: Expected, rep: DocumentReport) -> None:
    if label.individual_bound is None:
        return
    got, fallback = reported_individual_bound(rep)
    if fallback:
        m.fallback.append(name)
    why = _unread(rep) or ("no party marked bound: the kind of agreement decides" if fallback
                           else "bound: " + ", ".join(f"{p.label} ({p.kind})" for p in rep.parties if p.bound))
    m.add(got == label.individual_bound, MeasureMiss(document=name, expected=label.individual_bound, got=got, why=why))


def reported_individual_bound(rep: DocumentReport) -> tuple[bool | None, bool]:
    """Whether the report binds an individual (its ``binds_individual`` gate), and whether no party
    was marked bound, so that the gate's policy for a duty without a subject decided."""
    if rep.error:
        return None, False
    # the gate the rules about individuals use (None for a document not recognised as a contract)
    return bool(rep.binds_individual), not any(p.bound for p in rep.parties)


def _measure_kind(m: Measure, name: str, label: Expected, rep: DocumentReport) -> None:
    if label.kind is None:
        return
    m.add(rep.kind == label.kind, MeasureMiss(document=name, expected=label.kind, got=rep.kind,
                                              why=_unread(rep) or (None if rep.kind else "no kind reported")))


def _unread(rep: DocumentReport) -> str | None:
    if rep.error:
        return f"unreadable: {rep.error}"
    if rep.notice:
        return f"not recognised as a contract: {rep.notice}"
    return None


def _why(rep: DocumentReport, category: str, key: str) -> str:
    if unread := _unread(rep):
        return unread
    mine = [f for f in rep.findings if f.category == category]
    if key == "fp":
        strong = [f for f in mine if SEVERITIES.index(f.severity) >= FLAGGED_AT]
        return "; ".join(f"{f.rule_id} ({f.severity}) line {f.line}: {f.excerpt[:60]}" for f in strong[:3])
    hints = [f"{f.rule_id} ({f.severity})" for f in mine]
    return "no medium+ finding" + (f" (only hints: {', '.join(hints)})" if hints else "")


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):  # ties share the mean of their ranks
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho with tied ranks (Pearson correlation of the ranks); None when undefined."""
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    vy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return cov / (vx * vy) if vx and vy else None


MEASURE_TITLES = {"party_kind": "party kind", "bound": "individual bound", "kind": "agreement kind"}


def render_text(ev: Evaluation) -> str:
    lines = [*_render_categories(ev), "", *_render_measures(ev), "", *_render_documents(ev), "",
             f"disagreements: {len(ev.disagreements)}"]
    for g in ev.disagreements:
        verdict = "missed (label: flag)" if g.expected == "flag" else "false alarm (label: clean)"
        lines.append(f"  {g.document}: {g.category} {verdict}: {g.why}")
    lines += _render_measure_misses(ev)
    if ev.rules_never_firing or ev.unlabelled:
        lines.append("")
    if ev.rules_never_firing:
        lines.append(f"rules that fire in no document: {', '.join(ev.rules_never_firing)}")
    if ev.unlabelled:
        lines.append(f"documents without labels (not evaluated): {', '.join(ev.unlabelled)}")
    return "\n".join(lines) + "\n"


def _pct(v: float | None) -> str:
    return "  n/a" if v is None else f"{v:5.2f}"


def _render_categories(ev: Evaluation) -> list[str]:
    lines = ["category                 precision  recall   tp  fp  fn  tn"]
    for c in ev.categories:
        lines.append(f"{c.category:<24} {_pct(c.precision)}      {_pct(c.recall)}   {c.tp:>2}  {c.fp:>2}  {c.fn:>2}  {c.tn:>2}")
    if ev.labels_schema == "real":
        lines.append("(other categories are not labelled in this schema)")
    rho = "n/a" if ev.rank_correlation is None else f"{ev.rank_correlation:.2f}"
    return [*lines, "", f"rank correlation (score vs risk, Spearman): {rho}"]


def _render_measures(ev: Evaluation) -> list[str]:
    lines = ["measure                  accuracy  right/total"]
    for key, title in MEASURE_TITLES.items():
        m: Measure = getattr(ev.measures, key)
        lines.append(f"{title:<24}    {_pct(m.accuracy)}  {m.right:>5}/{m.total}")
    if ev.measures.bound.fallback:
        lines.append(f"(individual bound: {len(ev.measures.bound.fallback)} of {ev.measures.bound.total} documents "
                     "mark no party bound; judged by the kind of agreement)")
    return lines


def _render_documents(ev: Evaluation) -> list[str]:
    # Real file names are long; size the column to them so the table stays a table.
    width = max([37, *(len(d.document) for d in ev.documents)])
    lines = [f"{'document':<{width}} risk  score  band      flagged"]
    for d in sorted(ev.documents, key=lambda d: (-(d.score or 0), d.document)):
        flagged = ", ".join(d.flagged) if not d.error else f"ERROR: {d.error}"
        lines.append(f"{d.document:<{width}} {d.risk if d.risk is not None else '-':>4}  {d.score if d.score is not None else '-':>5}  "
                     f"{d.band or '-':<9} {flagged}")
    return lines


def _render_measure_misses(ev: Evaluation) -> list[str]:
    lines = []
    for key, title in MEASURE_TITLES.items():
        misses = getattr(ev.measures, key).disagreements
        if not misses:
            continue
        lines += ["", f"{title} disagreements: {len(misses)}"]
        for g in misses:
            what = f" {g.party}" if g.party else ""
            why = f" ({g.why})" if g.why else ""
            lines.append(f"  {g.document}:{what} expected {_show(g.expected)}, got {_show(g.got)}{why}")
    return lines


def _show(v: str | bool | None) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "individual bound" if v else "no individual bound"
    return v
