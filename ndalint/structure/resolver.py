"""Who the parties are and what kind each is, from every piece of evidence a lawyer would read.

``parties.py`` finds the parties a contract defines (株式会社A（以下「甲」という。）). Real
agreements leave much of it to the reader: terms bind a class (「参加者は」) never defined,
templates leave the names blank (${乙名}, {{staff_name}}), a pledge's signer shows who signs only
in the signature block, and whether a blank 乙 is a person follows from what the agreement is
(業務委託 with a freelancer, a mutual NDA between companies). Each conclusion keeps the words
that decided it (``Party.evidence``) and a confidence, so the report can explain itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ndalint.structure.kinds import KIND_NAMES_JA
from ndalint.structure.lexicon import Lexicon, lexicon, signer_opening
from ndalint.structure.model import PERSON_BOUND_KINDS, Overrides, Party, PartyKind, Section
from ndalint.structure.parties import COMPANY, MIXED, PERSONAL_NAME

_OPPOSITE: dict[str, PartyKind] = {"company": "individual", "individual": "company"}
_TEMPLATE = re.compile(r"(\$\{[^}]{1,30}\}|\{\{[^}]{1,30}\}\}|\{[^{}]{1,20}\})\s*$")
_LABEL_LINE = re.compile(r"^[【\[［（(]?\s*(?P<label>甲|乙|丙|丁)\s*(?:[（(][^）)]*[）)])?\s*[】\]］）)]?(?:[\s:：　]|$)")
_ADDRESSEE = re.compile(r"(様|御中|殿)\s*$")


@dataclass
class Context:
    """What the resolver reads besides the parties themselves."""

    text: str
    body: list[tuple[int, int]]
    preamble: Section | None
    signature: Section | None
    agreement: str | None  # the kind of agreement, from kinds.py


def resolve(parties: list[Party], ctx: Context, stated: tuple[tuple[str, PartyKind], ...] = (),
            overrides: Overrides | None = None) -> list[Party]:
    """Complete the parties: role classes, evidence and kinds; signer aliases follow the signer.
    ``stated`` kinds (the user's --party or configuration) win over everything read from the text."""
    lex = lexicon()
    parties = parties + _role_parties(parties, ctx, lex)
    _apply_stated(parties, stated, overrides or Overrides())
    for p in parties:
        _first_evidence(p)
    _signature_evidence(parties, ctx, lex, weak=False)
    _template_evidence(parties, ctx, lex)
    _agreement_defaults(parties, ctx)
    # 住所・氏名・印 alone decide only what neither the text nor the kind of agreement has decided
    _signature_evidence(parties, ctx, lex, weak=True)
    _signer_aliases(parties, lex)
    return parties


def _role_parties(parties: list[Party], ctx: Context, lex: Lexicon) -> list[Party]:
    """Role nouns the body treats as parties (「参加者は」「会員が」) though nothing defines them."""
    known = {p.label for p in parties}
    # Agreements between 甲 and 乙 name their parties; only terms, rules and pledges leave them to usage.
    if known & set("甲乙"):
        return []
    found: list[Party] = []
    signer = any(p.origin == "signer" for p in parties)
    body = "\n".join(ctx.text[s:e] for s, e in ctx.body) or ctx.text
    uses_of: dict[str, list[re.Match[str]]] = {}
    for m in _roles_rx().finditer(body):
        uses_of.setdefault(m.group(0), []).append(m)
    roles = [(r, "individual") for r in lex.individual_roles] + [(r, "company") for r in lex.company_roles]
    for role, kind in roles:
        if role in known or any(role in k or k in role for k in known if len(k) > 1):
            continue
        if kind == "individual" and role not in lex.signer_aliases and (ctx.agreement == "b2b" or signer):
            continue  # 役員及び従業員 in an NDA, 社員 in an employee's pledge: staff, not parties
        uses = uses_of.get(role, [])
        as_subject = [m for m in uses if body[m.end() : m.end() + 1] in "はが"]
        first = (as_subject or uses)[:1]
        if first and (role in lex.pronouns or len(uses) >= 2):
            m = first[0]
            at = ctx.text.find(body[m.start() : m.end() + 1])
            found.append(Party(role, None, kind, max(0, at), max(0, at) + len(role),  # type: ignore[arg-type]
                               evidence=[f"「{body[m.start() : m.end() + 1]}」ほか計{len(uses)}回"], confidence=0.75,
                               origin="role"))
    return found


@cache
def _roles_rx() -> re.Pattern[str]:
    """Every role noun in one pattern (compiling the kanji ranges once per noun cost ~200 ms)."""
    lex = lexicon()
    names = sorted(set(lex.individual_roles) | set(lex.company_roles), key=len, reverse=True)
    return re.compile(rf"(?<![一-龥ァ-ヶー々])(?:{'|'.join(map(re.escape, names))})(?=[はがのにをもとへで、及並又・間]|から)")


def _first_evidence(p: Party) -> None:
    """The definition's own words: a legal form, a personal name, a role noun."""
    if p.evidence or p.kind == "unknown":
        return
    if p.name and COMPANY.search(p.name):
        p.evidence.append(f"名称「{p.name}」")
        p.confidence = max(p.confidence, 0.95)
    elif p.name and PERSONAL_NAME.match(p.name) and not re.search(r"(者|人|方|員)$", p.name):
        p.evidence.append(f"氏名「{p.name}」")
        p.confidence = max(p.confidence, 0.8)
    else:
        p.evidence.append(f"「{p.name or p.label}」")
        p.confidence = max(p.confidence, 0.7)


def _signature_evidence(parties: list[Party], ctx: Context, lex: Lexicon, weak: bool) -> None:
    """Words printed under each label in the signature block (会社名・代表取締役 / 生年月日・本籍・氏名・印).
    A pledge's signer has no label: the unlabelled block is the signer's, wherever it stands."""
    blocks = _signature_blocks(ctx)
    signer = next((p for p in parties if p.label in lex.signer_aliases), None)
    for label, lines in blocks.items():
        party = signer if label is None else next((p for p in parties if p.label == label), None)
        if party is None or party.overridden:
            continue
        block = "\n".join(lines)
        strong = [w for w in lex.signature.company if w in block]
        person = [w for w in lex.signature.individual if w in block]
        light = [w for w in lex.signature.weak_individual if w in block]
        if weak:
            if light and party.kind == "unknown":
                _decide(party, "individual", f"署名欄「{'」「'.join(light[:2])}」", 0.5)
        elif strong and party.confidence < 0.9:
            _decide(party, "company", f"署名欄「{'」「'.join(strong[:2])}」", 0.85)
        elif person and party.kind != "company":
            _decide(party, "individual", f"署名欄「{'」「'.join(person[:2])}」", 0.85)


def _signature_blocks(ctx: Context) -> dict[str | None, list[str]]:
    """Signature lines per party label; lines before any label (or above a pledge's preamble,
    after the addressee's 様/御中 line) belong to the unlabelled signer."""
    blocks: dict[str | None, list[str]] = {}
    if ctx.signature:
        label: str | None = None
        for line in ctx.text[ctx.signature.start : ctx.signature.end].split("\n"):
            m = _LABEL_LINE.match(line.strip())
            if m:
                label = m.group("label")
            blocks.setdefault(label, []).append(line)
    if ctx.preamble:
        front = [ln.strip() for ln in ctx.text[: ctx.preamble.end].split("\n") if ln.strip()]
        addressee = max((i for i, ln in enumerate(front) if _ADDRESSEE.search(ln)), default=None)
        pledge = next((i for i, ln in enumerate(front) if signer_opening().match(ln)), len(front))
        if addressee is not None and addressee < pledge:
            blocks.setdefault(None, []).extend(front[addressee + 1 : pledge])
    return blocks


def _template_evidence(parties: list[Party], ctx: Context, lex: Lexicon) -> None:
    """A blank that names what it will hold: {{staff_name}} is a person, {{clientName}} a company."""
    for p in parties:
        if p.kind != "unknown" or p.overridden:
            continue
        before = re.split(r"[（(]以下", ctx.text[max(0, p.start - 60) : p.start])
        m = _TEMPLATE.search(before[-2]) if len(before) > 1 else None
        if not m:
            continue
        words = _field_words(m.group(1))
        for kind in ("individual", "company"):
            hit = next((w for w in getattr(lex.template_fields, kind) if w.lower() in words), None)
            if hit:
                _decide(p, kind, f"記入欄「{m.group(1)}」", 0.7)  # type: ignore[arg-type]
                break


def _field_words(field: str) -> set[str]:
    """{{staff_name}} -> {staff, name}; ${clientName} -> {client, name}; ${乙名} -> {乙名}: whole words
    only (so {{username}} is no "user"), and a contact person's field names nobody's kind."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", field)
    words = {w.lower() for w in re.split(r"[^A-Za-z0-9ぁ-んァ-ヶ一-龥]+", spaced) if w}
    return set() if "contact" in words else words


def _agreement_defaults(parties: list[Party], ctx: Context) -> None:
    """What the kind of agreement implies for parties the text leaves open: between companies a
    blank party is a company; in a freelance, employment or participant agreement the party facing
    a company is a person (and the other way round)."""
    labelled = [p for p in parties if p.primary]
    # a class of companies and people alike (法人及び個人) stays unknown whatever the agreement is
    open_ = [p for p in labelled if p.kind == "unknown" and not p.overridden and not MIXED.search(p.name or "")]
    if not open_:
        return
    kind_ja = KIND_NAMES_JA.get(ctx.agreement or "", ctx.agreement)
    if ctx.agreement == "b2b":
        for p in open_:
            _decide(p, "company", f"契約の種類（{kind_ja}）", 0.6)
        return
    # between two private persons (c2c) nothing follows from the other side's kind
    if ctx.agreement in PERSON_BOUND_KINDS and ctx.agreement != "c2c":
        known = [p for p in labelled if p.kind != "unknown"]
        for p in open_:
            if len(labelled) == 2 and known:
                _decide(p, _OPPOSITE[known[0].kind], f"契約の種類（{kind_ja}）と相手方「{known[0].label}」", 0.6)
            elif p.label == "甲":
                _decide(p, "company", f"契約の種類（{kind_ja}）", 0.5)
            else:
                _decide(p, "individual", f"契約の種類（{kind_ja}）", 0.5)


def _signer_aliases(parties: list[Party], lex: Lexicon) -> None:
    """誓約者・本人 are the 私 who signs: a company signing through its representative makes all of them a company."""
    signer = next((p for p in parties if p.label in lex.signer_aliases and p.kind != "unknown" and p.evidence
                   and p.evidence[-1].startswith("署名欄")), None)
    if signer is None:
        return
    for p in parties:
        if p is not signer and p.label in lex.signer_aliases and p.kind != signer.kind and not p.overridden:
            _decide(p, signer.kind, f"署名者「{signer.label}」と同じ", signer.confidence)


def _apply_stated(parties: list[Party], stated: tuple[tuple[str, PartyKind], ...], overrides: Overrides) -> None:
    for label, kind in stated:
        party = next((p for p in parties if p.label == label), None)
        if party is None:
            continue  # a label this document does not use (a batch states labels for all its files)
        party.kind, party.overridden, party.confidence = kind, True, 1.0
        party.evidence.insert(0, overrides.stated_by(label, f"--party {label}={kind}"))


def _decide(p: Party, kind: PartyKind, why: str, confidence: float) -> None:
    p.kind = kind
    p.evidence.append(why)
    p.confidence = confidence
