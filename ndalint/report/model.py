"""The one Report model every output format renders (JSON contract: DESIGN.md, ``ndalint.report/1``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "ndalint.report/1"
SEVERITIES = ("info", "low", "medium", "high", "critical")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartyOut(_Model):
    label: str
    name: str | None
    kind: str = Field(description="company | individual | unknown")
    bound: bool = Field(default=False, description="takes on the duty of confidentiality")
    evidence: list[str] = Field(default_factory=list, description="quoted words that decided kind and bound")
    confidence: float | None = Field(default=None, description="0..1, how sure the kind is")
    overridden: bool = Field(default=False, description="kind stated by the user (--party), not read")


class ArticleOut(_Model):
    number: int
    title: str | None
    line: int


class SourceOut(_Model):
    """How the file was read: what a reviewer needs to trust the text that was linted."""

    format: str = Field(description="txt | md | docx | pdf | rtf | odt")
    encoding: str | None = None
    view: str | None = Field(default=None, description="docx: accepted (tracked changes accepted) | original")
    insertions: int = Field(default=0, description="docx: tracked insertions in the file")
    deletions: int = Field(default=0, description="docx: tracked deletions in the file")
    comments: int = Field(default=0, description="docx: reviewer comments (never linted as contract text)")
    footnotes: int = 0
    pages: int | None = None
    extractor: str | None = Field(default=None, description="pdf: the text-layer library")
    joined_lines: int = Field(default=0, description="pdf: line wraps inside sentences that were joined")
    removed_lines: int = Field(default=0, description="pdf: running headers, footers and page numbers left out")


class ScoreOut(_Model):
    value: int = Field(ge=0, le=100)
    band: str = Field(description="low | medium | high | critical")
    categories: dict[str, int]
    drivers: list[str] = Field(default_factory=list, description="rule ids that move the score most, strongest first")


class Edit(_Model):
    """A concrete rewording of the document text: ``text[start:end]`` becomes ``replacement``
    (``start == end`` inserts). Offsets are those of the finding, into the text that was linted."""

    start: int
    end: int
    replacement: str


class Finding(_Model):
    rule_id: str
    name: str
    category: str
    severity: str
    message: str
    article: int | None
    line: int
    column: int
    start: int
    end: int
    excerpt: str
    suggestion: str | None = None
    references: list[str] = Field(default_factory=list)
    # Not in the minimal contract but additive: where in the article, and the page of a PDF.
    paragraph: int | None = None
    page: int | None = None
    title: str | None = None
    fix: Edit | None = Field(default=None, description="the rule's concrete rewording at this place, when it has one "
                             "(ndalint review --redline makes it a tracked change)")


class Mitigation(_Model):
    rule_id: str
    message: str
    line: int
    article: int | None = None
    excerpt: str | None = None


class DocumentReport(_Model):
    path: str
    error: str | None = None
    # "unrecognized": read, but not a contract ndalint can lint; no score, and --fail-on fails.
    status: str = Field(default="ok", description="ok | unrecognized | error (unreadable: see error)")
    notice: str | None = Field(default=None, description="why the document was not recognised as a contract")
    title: str | None = None
    format: str | None = None
    source: SourceOut | None = None
    kind: str | None = Field(default=None, description="primary kind of agreement: employment | exit-pledge | "
                             "freelance | c2c | panel | co-creation | community | event | visitor | beta-test | b2b | other")
    kind_evidence: list[str] = Field(default_factory=list)
    kind_overridden: bool = False
    binds_individual: bool | None = Field(default=None, description="the rules about individuals apply: a bound "
                                          "party is a person (see the README's policy for duties without a subject)")
    parties: list[PartyOut] = Field(default_factory=list)
    articles: list[ArticleOut] = Field(default_factory=list)
    score: ScoreOut | None = None
    findings: list[Finding] = Field(default_factory=list)
    mitigations: list[Mitigation] = Field(default_factory=list)
    suppressed: int = 0
    baselined: int = Field(default=0, description="findings left out because --baseline already records them")
    # The document text, for formats that show the clauses in place (html). Never serialised:
    # the JSON contract carries excerpts only, and a report must not become a copy of the contract.
    text: str | None = Field(default=None, exclude=True)


class RuleInfo(_Model):
    """What a format needs to describe a rule (SARIF rule metadata, help links)."""

    id: str
    name: str
    title: str
    category: str
    severity: str
    rationale: str = ""
    suggestion: str | None = None
    references: list[str] = Field(default_factory=list)


class Tool(_Model):
    name: str = "ndalint"
    version: str


class Report(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    tool: Tool
    documents: list[DocumentReport]
    # Metadata of the rules that ran, for formats that describe them (sarif); not part of the JSON contract.
    rules: list[RuleInfo] = Field(default_factory=list, exclude=True)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
