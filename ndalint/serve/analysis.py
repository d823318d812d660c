"""What a worker process does with one upload: bytes in memory -> report and its renderings.

This module is the only code that runs in the analysis workers. The rule pack is loaded and the
tokenizer warmed once per worker (``init``); each job then reads the upload from the bytes it was
handed (python-docx, PDFium and the text readers all read from memory), lints it and renders
what the request asked for. Nothing is written anywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ndalint import __version__
from ndalint.deadline import deadline
from ndalint.errors import InputError
from ndalint.ingest import load_bytes
from ndalint.ingest.formats import sniff
from ndalint.limits import Limits, using
from ndalint.lint import lint_document
from ndalint.report import render
from ndalint.report.model import Report, Tool
from ndalint.structure.model import Overrides

_ENGINE = None

#: What a job may ask for: report formats, and the Word review copy of a .docx.
OUTPUTS = frozenset({"json", "sarif", "html", "docx"})


#: a job's bounds unless it says otherwise: the defaults, without a time limit
JOB_LIMITS = Limits(timeout=0.0)


@dataclass(frozen=True)
class Job:
    data: bytes
    filename: str  # only its extension is used, to tell the format
    parties: tuple[tuple[str, str], ...] = ()
    kind: str | None = None
    outputs: frozenset[str] = frozenset({"json"})
    #: the server's bounds (``serve --limit``), applied in the worker: a context variable of the
    #: server process does not reach another process. ``timeout`` is the server's ``--timeout``
    #: (0: none); the pool also watches from outside
    limits: Limits = JOB_LIMITS

    @property
    def timeout(self) -> float:
        return self.limits.timeout


@dataclass
class Result:
    """The renderings asked for, or ``error`` (a one-line reason: the upload is unreadable)."""

    outputs: dict[str, str | bytes] = field(default_factory=dict)
    error: str | None = None
    format: str | None = None
    status: str = "ok"
    findings: list[str] = field(default_factory=list)  # rule ids, for the log
    seconds: float = 0.0


def init() -> None:
    """Load the rule pack and warm the tokenizer once per worker process."""
    global _ENGINE
    from ndalint.rules import RuleSet
    from ndalint.rules.examples import analyse_text

    _ENGINE = RuleSet.load()
    sample = analyse_text("第1条（秘密保持）\n乙は、甲から開示された情報を第三者に開示しない。")
    _ENGINE.run(sample)
    # the full GiNZA pipeline and the token matchers load lazily; a server loads them now, so that
    # the first uploads do not wait for them
    sample.parse(sample.sentences)
    _ENGINE.compiled.build_matchers()


def engine():
    if _ENGINE is None:
        init()
    return _ENGINE


def analyse(job: Job) -> Result:
    started = time.perf_counter()
    # the upload's own name never reaches a report or a log: only its extension tells the format
    suffix = "." + job.filename.rsplit(".", 1)[-1].lower() if "." in job.filename else ""
    name = "upload" + suffix
    overrides = Overrides(parties=job.parties, kind=job.kind) if job.parties or job.kind else None  # type: ignore[arg-type]
    result = Result()
    try:
        with using(job.limits), deadline(job.timeout):
            _run(job, name, suffix, overrides, result)
    except InputError as exc:
        result.error = str(exc)
    result.seconds = time.perf_counter() - started
    return result


def _run(job: Job, name: str, suffix: str, overrides: Overrides | None, result: Result) -> None:
    if "docx" in job.outputs and sniff(job.data, suffix) == "docx":
        from ndalint.review import review

        copy = review(job.data, name, engine(), overrides)
        doc_report = copy.report
        if copy.data:
            result.outputs["docx"] = copy.data
    else:
        doc_report = lint_document(load_bytes(job.data, name, suffix), engine(), overrides)
    report = Report(tool=Tool(version=__version__), documents=[doc_report], rules=engine().info())
    result.format, result.status = doc_report.format, doc_report.status
    result.findings = [f.rule_id for f in doc_report.findings]
    for fmt in sorted(job.outputs - {"docx"}):
        result.outputs[fmt] = render(report, fmt)
