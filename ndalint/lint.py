"""The pipeline, end to end: path -> Document -> Contract -> Analysis -> findings -> DocumentReport.

Each stage is one module; this file only wires them and turns an unreadable input into an
entry with ``error`` set, so that a batch goes on past a bad file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol

from ndalint import ingest, limits, structure, suppress
from ndalint.deadline import deadline
from ndalint.errors import InputError
from ndalint.ingest.document import Document
from ndalint.nlp import Analysis
from ndalint.report.model import ArticleOut, DocumentReport, Finding, Mitigation, PartyOut, ScoreOut, SourceOut
from ndalint.score import CATEGORY_WEIGHT, Scored, score
from ndalint.structure.model import Overrides
from ndalint.structure.recognition import unrecognized


class Engine(Protocol):
    def run(self, analysis: Analysis) -> tuple[list[Finding], list[Mitigation], int]: ...

    def weight(self, rule_id: str) -> float: ...


def source_of(doc: Document) -> SourceOut:
    fields = {k: v for k, v in doc.meta.items() if k in SourceOut.model_fields and v is not None}
    return SourceOut(**{"format": doc.format, "encoding": doc.encoding, **fields})


def lint_document(doc: Document, engine: Engine | None = None, overrides: Overrides | None = None) -> DocumentReport:
    contract = structure.parse(doc, overrides)
    reason = unrecognized(contract)
    if reason:
        return DocumentReport(path=doc.path, status="unrecognized", notice=reason, title=contract.title,
                              format=doc.format, source=source_of(doc), text=doc.text)
    analysis = Analysis.of(contract)
    findings: list[Finding] = []
    mitigations: list[Mitigation] = []
    suppressed = 0
    if engine is not None:
        findings, mitigations, _ = engine.run(analysis)
        findings, suppressed = suppress.apply(contract, findings, engine)
    else:
        for sentence in analysis.sentences:  # tokenise anyway: the analysis is part of the contract
            analysis.tokens(sentence)
    weights = {f.rule_id: engine.weight(f.rule_id) if engine else 1.0 for f in findings}
    s = score(Scored(f.category, f.severity, weights[f.rule_id]) for f in findings)
    drivers = _drivers(findings, weights)
    return DocumentReport(
        path=doc.path,
        title=contract.title,
        format=doc.format,
        source=source_of(doc),
        parties=[PartyOut(label=p.label, name=p.name, kind=p.kind, bound=p.bound, evidence=p.evidence,
                          confidence=round(p.confidence, 2), overridden=p.overridden) for p in contract.parties],
        kind=contract.kind,
        kind_evidence=contract.kind_evidence,
        kind_overridden=contract.kind_overridden,
        binds_individual=contract.binds_individual,
        articles=[ArticleOut(number=a.number, title=a.title, line=doc.locate(a.start).line) for a in contract.articles],
        score=ScoreOut(value=s.value, band=s.band, categories=s.categories, drivers=drivers),
        findings=findings,
        mitigations=mitigations,
        suppressed=suppressed,
        text=doc.text,
    )


def _drivers(findings: list[Finding], weights: dict[str, float], top: int = 5) -> list[str]:
    strength: dict[str, float] = {}
    for f in findings:
        v = Scored(f.category, f.severity, weights[f.rule_id]).value * CATEGORY_WEIGHT.get(f.category, 0.0)
        if v > 0:
            strength[f.rule_id] = max(strength.get(f.rule_id, 0.0), v)
    return [r for r, _ in sorted(strength.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def lint_path(path: str, engine: Engine | None = None, load: Callable[[str], Document] = ingest.load,
              overrides: Overrides | None = None, stdin_name: str | None = None) -> DocumentReport:
    """Read and lint one file within the run's limits (``ndalint.limits``): an unreadable file, one
    past a limit, or one that takes longer than the time limit is a report with ``error`` set."""
    name = path if path != ingest.STDIN else stdin_name or "<stdin>"
    try:
        with deadline(limits.current().timeout):
            return lint_document(load(path), engine, overrides)
    except InputError as exc:  # TimeLimit and a user rule's regex time limit are input errors too
        return DocumentReport(path=name, status="error", error=str(exc))
    except Exception as exc:  # a bug of ndalint on one file must not cost the batch its other files
        if os.environ.get("NDALINT_DEBUG"):
            raise
        return DocumentReport(path=name, status="error", error=internal_error(exc))


def internal_error(exc: BaseException) -> str:
    """The one line a user sees for an exception that only a bug of ndalint explains."""
    return (f"内部エラー（{type(exc).__name__}）。ndalint の不具合の可能性があります"
            "（NDALINT_DEBUG=1 で詳細を表示）。このファイルを飛ばして続けます")

