"""``ndalint eval``: how well the rule pack agrees with labelled documents.

A category counts as *flagged* in a document when the document has a finding of that category at
severity ``medium`` or higher; ``info`` and ``low`` are hints and do not count. Precision and recall
are computed per category over documents; the score is compared with the labelled ``risk`` by
Spearman rank correlation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ndalint.errors import ConfigError
from ndalint.report.model import SEVERITIES, DocumentReport
from ndalint.rules.schema import CATEGORIES

CATEGORY_NAMES = tuple(CATEGORIES.values())
FLAGGED_AT = SEVERITIES.index("medium")


class DocLabel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    bound_party: Literal["company", "individual"] | None = None
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


class Labels(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: dict[str, DocLabel]


def load_labels(path: Path) -> Labels:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read labels ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    try:
        return Labels.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"{path}: {where}: {err['msg']}") from None


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


class DocResult(BaseModel):
    document: str
    risk: int | None
    score: int | None
    band: str | None
    flagged: list[str]
    error: str | None = None


class Evaluation(BaseModel):
    schema_: str = Field(default="ndalint.eval/1", alias="schema")
    documents: list[DocResult]
    categories: list[CategoryScore]
    disagreements: list[Disagreement]
    rank_correlation: float | None = Field(description="Spearman's rho between score and labelled risk")
    rules_never_firing: list[str] = Field(default_factory=list, description="rules with no finding or mitigation in any document")
    unlabelled: list[str] = Field(default_factory=list)

    model_config = ConfigDict(populate_by_name=True)

    def below(self, threshold: float) -> list[str]:
        """Categories whose precision or recall is under ``threshold``."""
        return [c.category for c in self.categories
                if (c.precision is not None and c.precision < threshold) or (c.recall is not None and c.recall < threshold)]


def flagged_categories(report: DocumentReport) -> set[str]:
    return {f.category for f in report.findings if SEVERITIES.index(f.severity) >= FLAGGED_AT}


def evaluate(directory: Path, labels: Labels, lint: Callable[[str], DocumentReport],
             rule_ids: Iterable[str] = ()) -> Evaluation:
    missing = [name for name in labels.documents if not (directory / name).is_file()]
    if missing:
        raise ConfigError(f"labelled documents not found in {directory}: {', '.join(sorted(missing))}")
    reports = {name: lint(str(directory / name)) for name in labels.documents}

    docs, disagreements = [], []
    counts = {c: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for c in CATEGORY_NAMES}
    for name, label in labels.documents.items():
        rep = reports[name]
        got = flagged_categories(rep) if not rep.error else set()
        docs.append(DocResult(document=name, risk=label.risk, score=rep.score.value if rep.score else None,
                              band=rep.score.band if rep.score else None, flagged=sorted(got), error=rep.error or rep.notice))
        for cat in CATEGORY_NAMES:
            expected = "flag" if cat in label.flag else "clean" if cat in label.clean else None
            if expected is None:
                continue
            hit = cat in got
            key = {("flag", True): "tp", ("flag", False): "fn", ("clean", True): "fp", ("clean", False): "tn"}[(expected, hit)]
            counts[cat][key] += 1
            if key in ("fp", "fn"):
                disagreements.append(Disagreement(document=name, category=cat, expected=expected, why=_why(rep, cat, key)))

    categories = [CategoryScore(category=c, **n, precision=_ratio(n["tp"], n["tp"] + n["fp"]),
                                recall=_ratio(n["tp"], n["tp"] + n["fn"])) for c, n in counts.items()]
    pairs = [(d.score, d.risk) for d in docs if d.score is not None and d.risk is not None]
    firing = {x.rule_id for r in reports.values() for x in [*r.findings, *r.mitigations]}
    unlabelled = sorted(p.name for p in directory.iterdir()
                        if p.suffix.lower() in {".txt", ".md", ".docx", ".pdf"} and p.name not in labels.documents
                        and p.name.lower() != "readme.md")
    return Evaluation(documents=docs, categories=categories, disagreements=disagreements,
                      rank_correlation=spearman([p[0] for p in pairs], [p[1] for p in pairs]),
                      rules_never_firing=sorted(set(rule_ids) - firing), unlabelled=unlabelled)


def _why(rep: DocumentReport, category: str, key: str) -> str:
    if rep.error:
        return f"unreadable: {rep.error}"
    if rep.notice:
        return f"not recognised as a contract: {rep.notice}"
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


def render_text(ev: Evaluation) -> str:
    def pct(v: float | None) -> str:
        return "  n/a" if v is None else f"{v:5.2f}"

    lines = ["category                 precision  recall   tp  fp  fn  tn"]
    for c in ev.categories:
        lines.append(f"{c.category:<24} {pct(c.precision)}      {pct(c.recall)}   {c.tp:>2}  {c.fp:>2}  {c.fn:>2}  {c.tn:>2}")
    rho = "n/a" if ev.rank_correlation is None else f"{ev.rank_correlation:.2f}"
    lines += ["", f"rank correlation (score vs risk, Spearman): {rho}", "",
              "document                              risk  score  band      flagged"]
    for d in sorted(ev.documents, key=lambda d: (-(d.score or 0), d.document)):
        flagged = ", ".join(d.flagged) if not d.error else f"ERROR: {d.error}"
        lines.append(f"{d.document:<37} {d.risk if d.risk is not None else '-':>4}  {d.score if d.score is not None else '-':>5}  "
                     f"{d.band or '-':<9} {flagged}")
    lines += ["", f"disagreements: {len(ev.disagreements)}"]
    for g in ev.disagreements:
        verdict = "missed (label: flag)" if g.expected == "flag" else "false alarm (label: clean)"
        lines.append(f"  {g.document}: {g.category} {verdict}: {g.why}")
    if ev.rules_never_firing:
        lines.append(f"rules that fire in no document: {', '.join(ev.rules_never_firing)}")
    if ev.unlabelled:
        lines.append(f"documents without labels (not evaluated): {', '.join(ev.unlabelled)}")
    return "\n".join(lines) + "\n"
