"""The primary kind of an agreement (employment, freelance, panel, b2b ...) from its title, its words
and its parties.

The title decides first because it names the document's purpose (共創ワークショップ参加同意書);
body cues decide when the title is generic (参加規約, 誓約書) or missing; the parties only settle
the one question words cannot: whether a 業務委託 or 秘密保持 contract is with a person
(freelance) or between companies (b2b). The cue words live in ``kinds.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from ndalint.errors import ConfigError
from ndalint.structure.model import AGREEMENT_KINDS

_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = AGREEMENT_KINDS
OTHER = "other"
#: What each kind is called in a Japanese report (evidence and the 契約の種類 line).
KIND_NAMES_JA = {
    "employment": "雇用・就業時の誓約", "exit-pledge": "退職時の誓約", "freelance": "業務委託（個人）", "c2c": "個人間取引",
    "panel": "モニター・調査", "co-creation": "共創・アイデア募集", "community": "コミュニティ・会員規約",
    "event": "イベント参加", "visitor": "来訪・入館", "beta-test": "ベータテスト", "b2b": "法人間の取引", "other": "その他",
}
# Kinds whose words cannot tell a person from a company: the parties decide between them.
_BUSINESS = ("freelance", "b2b")
# Below this nothing is convincing: one stray word (会場, 調査) must not name the kind.
MIN_SCORE = 4.0
MAX_EVIDENCE = 3
MAX_EVIDENCE_CHARS = 29


class Cue(BaseModel):
    """One regex and its weight; a body cue counts at most ``cap`` times."""

    model_config = ConfigDict(extra="forbid")
    pattern: str
    weight: float = Field(gt=0)
    cap: int = Field(default=3, ge=1)
    _regex: re.Pattern[str] = PrivateAttr()

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad regex {value!r}: {exc}") from None
        return value

    def model_post_init(self, context: object, /) -> None:
        self._regex = re.compile(self.pattern)

    @property
    def regex(self) -> re.Pattern[str]:
        return self._regex


class KindCues(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: list[Cue] = []
    body: list[Cue] = []


class KindLexicon(BaseModel):
    """``kinds.yaml``: title and body cues per kind."""

    model_config = ConfigDict(extra="forbid")
    kinds: dict[str, KindCues]

    @field_validator("kinds")
    @classmethod
    def _known(cls, value: dict[str, KindCues]) -> dict[str, KindCues]:
        unknown = sorted(set(value) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown kind(s) {', '.join(unknown)}; expected one of {', '.join(KINDS)}")
        return value


def load_kind_lexicon(path: Path | Traversable | None = None) -> KindLexicon:
    """Read and validate a kind lexicon (the packaged ``kinds.yaml`` by default)."""
    source = path if path is not None else resources.files("ndalint.structure") / "kinds.yaml"
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=_YAML)
        return KindLexicon.model_validate(data)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: invalid kind lexicon: {exc}") from None
    except ValidationError as exc:
        raise ConfigError(f"{source}: invalid kind lexicon: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    """Name the failing entry as a path (kinds.freelance.body[2].pattern) so it can be found."""
    parts = []
    for err in exc.errors():
        where = ""
        for step in err["loc"]:
            where += f"[{step}]" if isinstance(step, int) else (f".{step}" if where else str(step))
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


@cache
def _lexicon() -> KindLexicon:
    return load_kind_lexicon()


# --- scoring by words -----------------------------------------------------------------------

@dataclass
class _Score:
    total: float = 0.0
    hits: list[tuple[float, str]] = field(default_factory=list)  # (contribution, evidence text)


def _quote(words: str, note: str = "") -> str:
    room = MAX_EVIDENCE_CHARS - len(note) - 2
    words = re.sub(r"\s+", "", words)
    if len(words) > room:
        words = words[: room - 1] + "…"
    return f"「{words}」{note}"


def _score_words(lexicon: KindLexicon, title: str, text: str) -> dict[str, _Score]:
    scores = {kind: _Score() for kind in lexicon.kinds}
    for kind, cues in lexicon.kinds.items():
        # Only the strongest title cue counts: 業務委託 and 委託契約 in one title are one signal.
        title_hits = [(c.weight, m.group(0)) for c in cues.title if title and (m := c.regex.search(title))]
        if title_hits:
            weight, words = max(title_hits)
            scores[kind].total += weight
            scores[kind].hits.append((weight, _quote(words, "（表題）")))
        for cue in cues.body:
            found = [m.group(0) for m in cue.regex.finditer(text)]
            if found:
                gain = cue.weight * min(len(found), cue.cap)
                scores[kind].total += gain
                scores[kind].hits.append((gain, _quote(found[0])))
    return scores


# --- the title when the layout found none ---------------------------------------------------

_TITLE_LINE = re.compile(r"(書|規約|規程|規則|ルール|ガイドライン|契約|誓約|同意|条件)[）)]?$")


def _fallback_title(text: str) -> str:
    """A short heading-like line near the top: spaced titles (業 務 委 託 契 約 書) and titles under
    a letterhead are missed by the layout but still name the document."""
    lines = [re.sub(r"\s+", "", ln) for ln in text.splitlines()[:8]]
    return next((ln for ln in lines if 2 < len(ln) <= 40 and _TITLE_LINE.search(ln)), "")


# --- who signs: companies and persons named in the text -------------------------------------

_CORP = r"(?:株式会社|有限会社|合同会社|合名会社|合資会社|[一公]般?[社財]団法人|公益[社財]団法人|[（(]株[）)])"
_CORP_RE = re.compile(_CORP)
_CORP_LINE = re.compile(rf"(?:{_CORP}\S{{1,25}}|\S{{1,25}}{_CORP})")
_PARTY_LABEL = re.compile(r"[（(]\s*以下[、，,]?\s*[「『]?\s*[甲乙丙丁]")
_PLACEHOLDER = re.compile(r"[$＄{｛〇○△□＿_＊*×…]|氏名|名称")
_PERSON_WORD = re.compile(r"個人|本人|学生")
# A role noun or an organisation that is not a company proves nothing about a natural person.
_NOT_PERSON_END = re.compile(r"(者|人|方|側|社|会|団|局|所|部|室|課|大学|法人|協会|組合|機構|センター|省|庁|"
                             r"[都道府県市区町村]|病院|学校|委員会)$")
_CONNECTOR = re.compile(r"^(と|及び|および|並びに|ならびに|、|,)+")
_HONORIFIC = re.compile(r"(御中|殿|様|印|㊞)$")
_SIGNER_LABEL = re.compile(r"^[甲乙丙丁][:：]?")


@dataclass
class _Sides:
    companies: list[str]
    people: list[str]


def _party_names(text: str) -> list[str]:
    """The names written before （以下「甲」という） and the like in the opening."""
    names = []
    for m in _PARTY_LABEL.finditer(text[:1500]):
        before = text[max(0, m.start() - 60) : m.start()]
        while re.search(r"[（(][^（）()]*[）)]$", before):  # a trailing （屋号：…） is not the name
            before = re.sub(r"[（(][^（）()]*[）)]$", "", before)
        # （株）ベータ: a legal form in brackets belongs to the name, not to a parenthetical
        name = re.split(r"[、。\n」]|(?<![（(][株有])[）)]", before)[-1]
        names.append(_CONNECTOR.sub("", re.sub(r"\s+", "", name)))
    return names


def _letterhead_companies(text: str) -> list[str]:
    """Lines that are only a company name, at the top or bottom (addressee, signer blocks)."""
    lines = text.splitlines()
    found = []
    for line in lines[:15] + lines[-15:]:
        line = _SIGNER_LABEL.sub("", _HONORIFIC.sub("", re.sub(r"\s+", "", line)))
        if _CORP_LINE.fullmatch(line) and not re.search(r"以下|[、。]", line):
            found.append(line)
    return found


def _sides(text: str) -> _Sides:
    companies: set[str] = set()
    people: list[str] = []
    for name in _party_names(text):
        if _CORP_RE.search(name):
            companies.add(name)
        elif name and not _PLACEHOLDER.search(name) and (
            _PERSON_WORD.search(name) or not _NOT_PERSON_END.search(name)
        ):
            people.append(name)
    companies.update(_letterhead_companies(text))
    return _Sides(sorted(companies), people)


def _settle_business(kind: str, sides: _Sides, individuals: int, companies: int,
                     freelance_words: float) -> tuple[str, list[str]] | None:
    """Freelance or b2b from the parties, or None when they do not say.

    Names in the text come first: a pledge written as 私 but signed by 株式会社… is a company's,
    and a party named without any corporate form is a person. The caller's party counts are a
    weaker hint (a blank ${乙名} with 住所/氏名 may be either): they confirm freelance only when
    the words speak of commissioned work, and b2b only when the text names no person.
    """
    two_companies = len(sides.companies) >= 2 or (companies >= 2 and individuals == 0 and not sides.people)
    named_person = bool(sides.people) and len(sides.companies) < 2
    blank_person = individuals > 0 and len(sides.companies) < 2 and freelance_words > 0
    if two_companies and not sides.people:
        return "b2b", [_quote(n) for n in sides.companies[:2]] or ["（当事者: 会社2）"]
    if kind in _BUSINESS and (named_person or blank_person):
        return "freelance", [_quote(n, "（個人）") for n in sides.people[:1]] or ["（当事者: 個人）"]
    return None


def classify_kind(title: str | None, text: str, individual_parties: int, company_parties: int) -> tuple[str, list[str]]:
    """Return the primary kind of the agreement and up to three quoted words that decided it."""
    lexicon = _lexicon()
    heading = re.sub(r"\s+", "", title or "") or _fallback_title(text)
    scores = _score_words(lexicon, heading, text)
    kind, best = max(scores.items(), key=lambda kv: kv[1].total)
    # one stray word is no kind: 「（株）ベータ」 in a company NDA is not a beta test
    confident = best.total >= MIN_SCORE and (len(best.hits) >= 2 or any("（表題）" in e or w >= 5 for w, e in best.hits))
    if kind in _BUSINESS or not confident:
        settled = _settle_business(kind if confident else OTHER, _sides(text), individual_parties, company_parties,
                                   scores["freelance"].total if "freelance" in scores else 0.0)
        if settled is not None:
            new_kind, party_evidence = settled
            words = [e for _, e in sorted(scores[new_kind].hits, key=lambda h: -h[0])]
            return new_kind, (words[: MAX_EVIDENCE - 1] + party_evidence)[:MAX_EVIDENCE]
    if not confident:
        return OTHER, []
    return kind, [e for _, e in sorted(best.hits, key=lambda h: -h[0])][:MAX_EVIDENCE]
