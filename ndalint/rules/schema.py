"""The rule schema (pydantic). A rule file that does not validate never runs.

Match nodes form a small language (DESIGN.md, Rules):

- leaves: ``regex``, ``phrases``, ``tokens`` (spaCy Matcher), ``dependency`` (DependencyMatcher),
  ``check`` (a structural check of the whole contract, by name: ``ndalint/rules/checks.py``),
  ``subject`` (the sentence is about a company / individual party: 「当社は、」)
- combinators: ``all``, ``any``, ``not``, ``near``/``not_near`` and ``inside``/``not_inside``
  (each with a ``window``: sentence | paragraph | clause | article | document)
- document level: ``absent`` (true when the sub-match occurs nowhere in the contract),
  ``requires`` (top level only: the rule fires once when its sub-match is missing) and
  ``conditional`` (``if`` somewhere but ``then`` nowhere).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

CATEGORIES = {
    "CONF": "confidentiality-scope",
    "LIAB": "individual-liability",
    "STAGE": "staged-disclosure",
    "PART": "participant-protection",
    "TONE": "chilling-language",
    "FORM": "drafting",
}
Severity = Literal["info", "low", "medium", "high", "critical"]
Window = Literal["sentence", "paragraph", "clause", "article", "document"]
TOPIC_NAMES = {"definitions", "confidentiality", "exclusions", "term", "damages", "ip", "return", "purpose",
               "disclosure", "remedies", "termination", "recording", "conduct", "personal-data", "law",
               "preamble", "document"}
CONTEXT_NAMES = {"co-creation", "employment", "freelance", "panel", "company-to-company"}
TOKEN_ATTRS = {"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "LENGTH",
               "IS_ALPHA", "IS_DIGIT", "IS_PUNCT", "IS_SPACE", "IS_SENT_START", "LIKE_NUM", "OP", "_"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    return value


def _check_tokens(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not pattern:
        raise ValueError("a token pattern needs at least one token")
    for i, tok in enumerate(pattern):
        if not isinstance(tok, dict):
            raise ValueError(f"token {i} must be a mapping such as {{LEMMA: 賠償}}")
        unknown = set(tok) - TOKEN_ATTRS
        if unknown:
            raise ValueError(f"token {i}: unknown attribute {sorted(unknown)}; use one of {sorted(TOKEN_ATTRS - {'_'})}")
    return pattern


_ENUMERATOR = re.compile(r"^\s*([(（]?[0-9０-９一二三四五六七八九十]+[)）.．、]|[①-⑳]|[・\-*]|第[0-9０-９一二三四五六七八九十]+条|[0-9０-９]+[\s\u3000])")


def unwrap(text: str) -> str:
    """Join the lines an author wrapped in a YAML block (Japanese needs no space between them);
    keep breaks before list items, numbered paragraphs and blank lines."""
    out: list[str] = []
    for line in text.strip().split("\n"):
        if out and out[-1].strip() and line.strip() and not _ENUMERATOR.match(line):
            sep = " " if out[-1][-1:].isascii() and line.strip()[:1].isascii() else ""
            out[-1] = out[-1].rstrip() + sep + line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _listify(v: Any) -> Any:
    return [v] if isinstance(v, str) else v


def _known(values: list[str], allowed: set[str], what: str) -> list[str]:
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown {what} {sorted(unknown)}; use one of {sorted(allowed)}")
    return values


class Regex(_Strict):
    regex: str

    @field_validator("regex")
    @classmethod
    def _valid(cls, v: str, info: ValidationInfo) -> str:
        # The built-in pack is checked by `ndalint test-rules` in CI; compiling its ~600 regexes here
        # and again at first use would double the cost of every cold start.
        if info.context and info.context.get("trusted"):
            return v
        return _check_regex(v)


class Phrases(_Strict):
    phrases: list[str] = Field(min_length=1)
    attr: Literal["TEXT", "NORM", "LEMMA"] = "TEXT"


class Tokens(_Strict):
    tokens: list[dict[str, Any]]

    @field_validator("tokens")
    @classmethod
    def _valid(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _check_tokens(v)


class Dependency(_Strict):
    dependency: list[dict[str, Any]] = Field(min_length=1)

    @field_validator("dependency")
    @classmethod
    def _shape(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for i, node in enumerate(v):
            if "RIGHT_ID" not in node or "RIGHT_ATTRS" not in node:
                raise ValueError(f"node {i}: needs RIGHT_ID and RIGHT_ATTRS (spaCy DependencyMatcher)")
            if i and not {"LEFT_ID", "REL_OP"} <= set(node):
                raise ValueError(f"node {i}: needs LEFT_ID and REL_OP")
            _check_tokens([node["RIGHT_ATTRS"]])
        return v


class Check(_Strict):
    """A structural check of the whole contract (ndalint/rules/checks.py), e.g. missing-article-reference."""

    check: str

    @field_validator("check")
    @classmethod
    def _registered(cls, v: str) -> str:
        from ndalint.rules.checks import CHECKS

        return _known([v], set(CHECKS), "check")[0]


class Subject(_Strict):
    """The sentence is about a party of this kind (「当社は、」「乙が」): company | individual | unknown."""

    subject: list[Literal["company", "individual", "unknown"]] = Field(min_length=1)

    _listify = field_validator("subject", mode="before")(classmethod(lambda cls, v: _listify(v)))


class All(_Strict):
    all: list[Match] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Match] = Field(min_length=1)


class Not(_Strict):
    not_: Match = Field(alias="not")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Windowed(_Strict):
    window: Window = "sentence"

    @model_validator(mode="before")
    @classmethod
    def _split(cls, data: Any) -> Any:
        # near: {regex: …, window: clause} — the window sits beside the sub-match
        if isinstance(data, dict) and "match" not in data:
            data = dict(data)
            window = data.pop("window", "sentence")
            return {"match": data, "window": window}
        return data


class NearSpec(_Windowed):
    match: Match


class Near(_Strict):
    near: NearSpec


class NotNear(_Strict):
    not_near: NearSpec


class Inside(_Strict):
    inside: NearSpec


class NotInside(_Strict):
    not_inside: NearSpec


class Absent(_Strict):
    absent: Match


class Requires(_Strict):
    requires: Match


class ConditionalSpec(_Strict):
    if_: Match = Field(alias="if")
    then: Match
    # Where the finding points: the first sentence in scope that matches ``at`` (the definition for
    # "no exclusions"), so that several missing-clause findings do not all quote the same words.
    # Without it, or where nothing matches, the sentence that met ``if``.
    at: Match | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Conditional(_Strict):
    conditional: ConditionalSpec


Match = Annotated[
    Union[Regex, Phrases, Tokens, Dependency, Check, Subject, All, AnyOf, Not, Near, NotNear, Inside, NotInside, Absent, Requires, Conditional],
    Field(union_mode="left_to_right"),
]
for _model in (All, AnyOf, Not, NearSpec, Near, NotNear, Inside, NotInside, Absent, Requires, ConditionalSpec, Conditional):
    _model.model_rebuild()


class AppliesWhen(_Strict):
    bound_party: Literal["individual", "company", "any"] = "any"
    # With bound_party individual, sentences whose subject is a company party (甲は… in a
    # participant agreement) are skipped. Rules about what the company says *to* the individual
    # (threats: 甲は直ちに法的措置を講じる) set this to false.
    subject_check: bool = True
    context: list[str] = Field(default_factory=list)
    not_context: list[str] = Field(default_factory=list)

    _listify = field_validator("context", "not_context", mode="before")(classmethod(lambda cls, v: _listify(v)))
    _known = field_validator("context", "not_context")(classmethod(lambda cls, v: _known(v, CONTEXT_NAMES, "context")))


class Scope(_Strict):
    clause_topic: list[str] = Field(default_factory=list)

    _listify = field_validator("clause_topic", mode="before")(classmethod(lambda cls, v: _listify(v)))
    _known = field_validator("clause_topic")(classmethod(lambda cls, v: _known(v, TOPIC_NAMES, "clause topic")))


class Assume(_Strict):
    """What an example takes for granted about the document around it."""

    bound_party: Literal["individual", "company"] | None = None
    context: list[str] | None = None


class Example(_Strict):
    text: str = Field(min_length=1)
    assume: Assume = Assume()

    @model_validator(mode="before")
    @classmethod
    def _from_str(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data


class Examples(_Strict):
    flag: list[Example] = Field(min_length=1)
    ok: list[Example] = Field(min_length=1)


class Fix(_Strict):
    """A concrete rewording that Word can show as a tracked change (``ndalint review --redline``):
    either ``replace`` (a regex searched in the finding's sentence, the match nearest the finding)
    ``with`` new words (``\\1`` refers to a group; empty deletes), or ``append`` a proviso right after
    the sentence (one that ends in 。). The words are fitted to the document like the suggestion (its party labels, its
    name for itself and for the fee). ``ndalint test-rules`` applies the fix to every ``flag``
    example it fits and checks that the rule no longer fires."""

    replace: str | None = None
    with_: str | None = Field(default=None, alias="with")
    append: str | None = None
    # no edit where the sentence's paragraph (項) matches this anywhere (Python's look-behind is
    # fixed-width, so a replace regex cannot look back): 「…5年間とする。ただし、…無期限に存続する。」
    unless: str | None = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    _unwrap = field_validator("append", "with_")(classmethod(lambda cls, v: unwrap(v) if v else v))

    @field_validator("replace", "unless")
    @classmethod
    def _valid(cls, v: str | None) -> str | None:
        return _check_regex(v) if v is not None else v

    @model_validator(mode="after")
    def _one_kind(self) -> Fix:
        if (self.replace is None) == (self.append is None):
            raise ValueError("a fix is either 'replace' (with 'with') or 'append', not both or neither")
        if self.replace is not None and self.with_ is None:
            raise ValueError("'replace' needs 'with' (the new words; an empty string deletes)")
        if self.append is not None and (self.with_ is not None or not self.append.strip()):
            raise ValueError("'append' takes the words to add and no 'with'")
        return self


class Rule(_Strict):
    id: str = Field(pattern=r"^(CONF|LIAB|STAGE|PART|TONE|FORM)\d{3}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
    title: str = Field(min_length=1)
    category: str
    severity: Severity
    weight: float = Field(default=1.0, ge=0, le=1)
    status: Literal["preview", "stable", "deprecated"] = "stable"
    mitigation: bool = False
    applies_when: AppliesWhen = AppliesWhen()
    scope: Scope = Scope()
    match: Match
    message: str = Field(min_length=1)
    rationale: str = ""
    references: list[str] = Field(default_factory=list)
    suggestion: str | None = None
    fix: Fix | None = None
    examples: Examples

    _unwrap = field_validator("rationale", "suggestion")(classmethod(lambda cls, v: unwrap(v) if v else v))

    @model_validator(mode="after")
    def _category_matches_prefix(self) -> Rule:
        prefix = re.match(r"[A-Z]+", self.id).group(0)  # type: ignore[union-attr]
        if CATEGORIES[prefix] != self.category:
            raise ValueError(f"category '{self.category}' does not match the id prefix {prefix} (expected '{CATEGORIES[prefix]}')")
        return self

    @property
    def document_level(self) -> bool:
        return isinstance(self.match, (Requires, Conditional))
