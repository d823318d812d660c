"""``ndalint diff OLD NEW``: what changed between two drafts of a contract.

Both drafts are linted as ``check`` lints them (any input format; the configuration of each file
applies). Findings are matched by their SARIF fingerprint (ndalint/report/fingerprint.py: rule,
article, matched words), with OLD's article numbers first translated to NEW's through the article
pairing of ndalint/diff/clauses.py, so a clause that only moved or was renumbered keeps its
findings unchanged. One renderer module per format in this package, imported on use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ndalint.diff.clauses import Art, article_map, compare
from ndalint.diff.model import Clause, DiffReport, FindingChange, Findings, Gate, Place, ScoreChange, Side
from ndalint.ingest.document import Document
from ndalint.report.fingerprint import fingerprint
from ndalint.report.model import SEVERITIES, DocumentReport, Finding, Tool
from ndalint.structure.layout import build_layout

FORMATS = ("text", "json", "markdown", "html")


def render(report: DiffReport, fmt: str, **options: object) -> str:
    module: Callable[..., str] = importlib.import_module(f"ndalint.diff.{fmt}_format").render
    return module(report, **options)


def articles(doc: Document) -> list[Art]:
    return [Art.of(a, doc.text) for a in build_layout(doc).articles]


def _side(r: DocumentReport, n_articles: int) -> Side:
    return Side(path=r.path, title=r.title, format=r.format, score=r.score, articles=n_articles, findings=len(r.findings))


def _change(f: Finding, fp: str, old: Finding | None, new: Finding | None) -> FindingChange:
    return FindingChange(fingerprint=fp, rule_id=f.rule_id, title=f.title or f.name, category=f.category,
                         severity=f.severity, message=f.message, excerpt=f.excerpt, suggestion=f.suggestion,
                         old=Place(article=old.article, line=old.line) if old else None,
                         new=Place(article=new.article, line=new.line) if new else None)


def match(old: DocumentReport, new: DocumentReport, moved: dict[int, int]) -> Findings:
    """Resolved, introduced and unchanged findings; ``moved`` maps OLD article numbers to NEW's."""
    seen_old: dict[str, int] = {}
    seen_new: dict[str, int] = {}
    # an OLD article with no counterpart keeps a key no NEW article can have
    in_old = {fingerprint(old, f, seen_old, moved.get(f.article, f"旧{f.article}") if f.article is not None else None): f
              for f in old.findings}
    in_new = {fingerprint(new, f, seen_new): f for f in new.findings}
    out = Findings()
    for fp, f in in_new.items():
        if fp in in_old:
            out.unchanged.append(_change(f, fp, in_old[fp], f))
        else:
            out.introduced.append(_change(f, fp, None, f))
    seen: dict[str, int] = {}
    for fp, f in in_old.items():
        if fp not in in_new:
            out.resolved.append(_change(f, fingerprint(old, f, seen), f, None))
        else:
            fingerprint(old, f, seen)  # keep the running count of OLD's own fingerprints in step
    return out


def _score(old: DocumentReport, new: DocumentReport) -> ScoreChange | None:
    if old.score is None or new.score is None:
        return None
    a, b = SEVERITIES.index(old.score.band), SEVERITIES.index(new.score.band)
    return ScoreChange(old=old.score.value, new=new.score.value, delta=new.score.value - old.score.value,
                       old_band=old.score.band, new_band=new.score.band,
                       band_change="worse" if b > a else "better" if b < a else "same")


def gate(findings: Findings, score: ScoreChange | None, fail_on: str) -> Gate:
    threshold = SEVERITIES.index(fail_on)
    reasons = [f"{c.rule_id} ({c.severity}) introduced" for c in findings.introduced
               if SEVERITIES.index(c.severity) >= threshold]
    if score and score.band_change == "worse":
        reasons.append(f"band {score.old_band} -> {score.new_band}")
    return Gate(fail_on=fail_on, failed=bool(reasons), reasons=reasons)


def diff(old: DocumentReport, old_doc: Document, new: DocumentReport, new_doc: Document, fail_on: str,
         version: str) -> DiffReport:
    old_arts, new_arts = articles(old_doc), articles(new_doc)
    clauses: list[Clause] = compare(old_arts, new_arts)
    findings = match(old, new, article_map(clauses))
    score = _score(old, new)
    return DiffReport(tool=Tool(version=version), old=_side(old, len(old_arts)), new=_side(new, len(new_arts)),
                      score=score, findings=findings, clauses=clauses, gate=gate(findings, score, fail_on))
