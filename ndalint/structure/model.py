"""The Contract: what the document says, as a lawyer would point at it (第N条第M項第K号).

Every piece keeps character offsets into ``Document.text`` so that later stages can map
findings back to lines, paragraphs or pages without knowing the source format.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from ndalint.ingest.document import Document

PartyKind = Literal["company", "individual", "unknown"]
#: The primary kinds of agreement (structure/kinds.py decides; ``other`` when none fits).
AGREEMENT_KINDS = ("employment", "exit-pledge", "freelance", "c2c", "panel", "co-creation", "community", "event",
                   "visitor", "beta-test", "b2b")
#: Kinds of agreement whose bound side is a person by nature: every kind but one between companies.
PERSON_BOUND_KINDS = frozenset(AGREEMENT_KINDS) - {"b2b"}


@dataclass
class Item:
    """号: ``(1)``, ``（１）``, ``①``, ``一``, ``ア``."""

    label: str
    number: int | None
    start: int
    end: int


@dataclass
class Paragraph:
    """項: the first has no number in the text; later ones start with ``2``, ``２``, ``2.``."""

    number: int
    start: int
    end: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Article:
    """条: ``第1条``, ``第十二条``, ``第１条``, ``第3条の2`` (or ``1.`` in a pledge without 条)."""

    number: int
    title: str | None
    start: int
    end: int
    sub: int | None = None  # 第3条の2 -> 2
    paragraphs: list[Paragraph] = field(default_factory=list)
    topics: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"第{self.number}条" + (f"の{self.sub}" if self.sub else "")

    def paragraph_at(self, offset: int) -> Paragraph | None:
        for p in self.paragraphs:
            if p.start <= offset < p.end or (p.start <= offset and p is self.paragraphs[-1]):
                return p
        return None


@dataclass
class Party:
    label: str  # 甲, 乙, 当社, 参加者, 私, 貴社
    name: str | None  # 株式会社〇〇, X社; None when only the label is known
    kind: PartyKind
    start: int
    end: int
    defined: bool = True  # False: the label is used (甲は…) but the contract never defines it
    bound: bool = False  # takes on the duty of confidentiality
    evidence: list[str] = field(default_factory=list)  # the words that decided kind and bound, quoted
    confidence: float = 0.0  # 0..1: how sure the kind is (1.0 for a user's override)
    overridden: bool = False  # kind stated by the user (--party), not read from the text
    # definition: named in the contract (株式会社A（以下「甲」）); label: 甲/乙 used, never defined;
    # signer: who gives a pledge; role: a class the terms address (参加者は…); stated: --party only
    origin: str = "definition"

    @property
    def primary(self) -> bool:
        """A party to the contract itself, as opposed to a class or pronoun the text refers to."""
        return self.origin in ("definition", "label", "signer", "stated")


@dataclass
class DefinedTerm:
    term: str
    start: int  # of the term inside its quotes
    end: int
    style: Literal["hereinafter", "means"]  # 以下「X」という / 「X」とは


@dataclass
class Section:
    """A stretch of the document outside the articles: preamble, signature, 別紙."""

    start: int
    end: int
    title: str | None = None


@dataclass(frozen=True)
class Overrides:
    """What the user states instead of letting ndalint read it (``--party 乙=individual``, ``--kind panel``)."""

    parties: tuple[tuple[str, PartyKind], ...] = ()
    kind: str | None = None
    # where a stated value comes from, by party label or "kind": a configuration file's name;
    # absent for the command line (--party / --kind)
    sources: tuple[tuple[str, str], ...] = ()

    def stated_by(self, key: str, option: str) -> str:
        """How the report names who stated it: 利用者の指定（--party 乙=individual）, or the file."""
        source = dict(self.sources).get(key)
        return f"設定ファイルの指定（{source}）" if source else f"利用者の指定（{option}）"


@dataclass
class Contract:
    document: Document
    title: str | None
    preamble: Section | None
    parties: list[Party]
    terms: list[DefinedTerm]
    articles: list[Article]
    appendices: list[Section]
    signature: Section | None
    body: list[tuple[int, int]]  # spans that are contract text (not commentary or front matter)
    contexts: frozenset[str] = frozenset()  # co-creation, employment, freelance, panel, company-to-company
    kind: str | None = None  # primary kind of agreement: employment, freelance, b2b, community, ...
    kind_evidence: list[str] = field(default_factory=list)
    kind_overridden: bool = False
    #: facts derived from the whole contract once and reused (the wording of suggestions, lookups):
    #: per-finding rescans of the text made long documents quadratic
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.document.text

    def article_at(self, offset: int) -> Article | None:
        starts = self.derived.get("article_starts")
        if starts is None or len(starts) != len(self.articles):  # type: ignore[arg-type]
            starts = self.derived["article_starts"] = [a.start for a in self.articles]
        i = bisect.bisect_right(starts, offset) - 1  # type: ignore[arg-type]
        if i >= 0 and self.articles[i].start <= offset < self.articles[i].end:
            return self.articles[i]
        return None

    def in_body(self, offset: int) -> bool:
        starts = self.derived.get("body_starts")
        if starts is None or len(starts) != len(self.body):  # type: ignore[arg-type]
            starts = self.derived["body_starts"] = [s for s, _ in self.body]
        i = bisect.bisect_right(starts, offset) - 1  # type: ignore[arg-type]
        return i >= 0 and self.body[i][0] <= offset < self.body[i][1]

    def party(self, label: str) -> Party | None:
        return next((p for p in self.parties if p.label == label), None)

    @property
    def individual_parties(self) -> list[Party]:
        return [p for p in self.parties if p.kind == "individual"]

    @property
    def binds_individual(self) -> bool:
        """Is a person among the bound parties? Where no duty of secrecy names its subject, the
        kind of agreement decides if it binds people by nature (community rules, pledges, event
        terms), else any individual party counts: the rules about individuals would otherwise never
        run on terms that state duties impersonally. An unknown kind is not a person: see README."""
        bound = [p for p in self.parties if p.bound]
        # a person who is a party to the contract itself is never ruled out by bound detection: one
        # duty read as another party's must not switch the individual rules off
        if any(p.bound or p.primary for p in self.parties if p.kind == "individual"):
            return True
        if bound:
            return False
        return self.kind in PERSON_BOUND_KINDS
