"""Structural checks over the Contract (drafting defects), usable from rules as ``check: NAME``.

Regexes and token patterns read sentences; some defects only show across the whole contract
(a reference to an article that does not exist, a numbering gap). Each check here is one function
from a Contract to the character spans it objects to; rules stay data and pick checks by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ndalint.structure.lines import ARTICLE_START
from ndalint.structure.model import Contract
from ndalint.structure.numerals import parse_number

Span = tuple[int, int]
CHECKS: dict[str, Callable[[Contract], list[Span]]] = {}


def check(name: str) -> Callable[[Callable[[Contract], list[Span]]], Callable[[Contract], list[Span]]]:
    def register(fn: Callable[[Contract], list[Span]]) -> Callable[[Contract], list[Span]]:
        CHECKS[name] = fn
        return fn

    return register


_NUM = r"[0-9０-９一二三四五六七八九十百〇]+"
ARTICLE_REF = re.compile(rf"第(?P<art>{_NUM})条(?:の(?P<sub>{_NUM}))?(?:第(?P<para>{_NUM})項)?")
# A chain of references joined to what precedes it: 著作権法第27条及び第28条, 民法第416条、第420条
_CHAIN_BACK = re.compile(rf"(?:(?:第{_NUM}条(?:の{_NUM})?(?:第{_NUM}[項号])*)(?:及び|および|並びに|ならびに|又は|または|若しくは|もしくは|から|乃至|ないし|、|,|・)?)*$")
_EXTERNAL = re.compile(r"(法|法律|令|政令|省令|規則|条例|規程|規約|約款|要領|指針|ガイドライン|協定|条約|細則|同法|同令|同規則)$")
_OWN = re.compile(r"本(契約|規約|約款|誓約書|同意書|覚書|合意書|書|要綱|細則)$")


def _body_matches(contract: Contract, rx: re.Pattern[str]) -> list[re.Match[str]]:
    text = contract.document.text
    return [m for s, e in contract.body for m in rx.finditer(text, s, e)]


def _is_heading(text: str, start: int) -> bool:
    """A reference never opens a line; an article heading (第5条（…）) does."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip(" \u3000#*")


def _n(s: str | None) -> int | None:
    return parse_number(s) if s else None


def _external(text: str, start: int) -> bool:
    """The reference belongs to a statute or another instrument (著作権法第28条), not this contract."""
    before = text[max(0, start - 80) : start]
    before = before[: len(before) - len(_CHAIN_BACK.search(before).group(0))]
    before = before.rstrip(" \u3000")
    return bool(_EXTERNAL.search(before)) and not _OWN.search(before)


@check("missing-article-reference")
def missing_article_reference(contract: Contract) -> list[Span]:
    """第N条 (or 第N条第M項) referred to in the text, but the contract has no such article/paragraph."""
    if not contract.articles or not any(a.title or a.number for a in contract.articles):
        return []
    text = contract.document.text
    articles = {(a.number, a.sub): a for a in contract.articles}
    out = []
    for m in _body_matches(contract, ARTICLE_REF):
        if _is_heading(text, m.start()) or _external(text, m.start()):
            continue
        art = articles.get((_n(m.group("art")), _n(m.group("sub"))))
        if art is None:
            out.append((m.start(), m.end()))
        elif m.group("para") and (_n(m.group("para")) or 0) > max((p.number for p in art.paragraphs), default=1):
            out.append((m.start(), m.end()))
    return out


@check("article-numbering-gap")
def article_numbering_gap(contract: Contract) -> list[Span]:
    """Article numbers that skip (第4条 → 第6条). A repeated number is not reported: model contracts
    print alternative versions of one article (【オプション1】【オプション2】) under the same number."""
    out = []
    main = [a for a in contract.articles if a.sub is None]
    for prev, cur in zip(main, main[1:]):
        if cur.number > prev.number + 1:
            m = ARTICLE_REF.search(contract.document.text, cur.start, cur.end)
            out.append((m.start(), m.end()) if m else (cur.start, cur.start + 1))
    return out


# Model contracts print alternative versions of one article under one number: 【オプション1】, 【A案】
_ALTERNATIVE = re.compile(r"(オプション|選択肢|[A-ZＡ-Ｚ]案|[甲乙]案|別案|Option|OPTION)")


@check("duplicate-article-number")
def duplicate_article_number(contract: Contract) -> list[Span]:
    """The same article number twice (第5条 … 第5条), unless the document marks alternatives."""
    text = contract.document.text
    out, seen = [], set()
    for prev, cur in zip(contract.articles, contract.articles[1:]):
        key = (cur.number, cur.sub)
        if key != (prev.number, prev.sub) or key in seen:
            continue
        if _ALTERNATIVE.search(text, max(0, prev.start - 40), cur.start + 40) or _same_article(text, prev, cur):
            continue
        seen.add(key)
        m = ARTICLE_REF.search(text, cur.start, cur.end)
        out.append((m.start(), m.end()) if m else (cur.start, cur.start + 1))
    return out


def _same_article(text: str, a, b) -> bool:
    """Two versions of one article (the same heading, the same opening words) are alternatives,
    as model contracts print them even where the 【オプション】 marks were stripped."""
    def opening(art) -> str:
        body = ARTICLE_START.sub("", text[art.start : art.end], count=1).lstrip(" \u3000\n")
        return body[:3]

    return a.title == b.title and opening(a) == opening(b)


@check("paragraph-numbering-gap")
def paragraph_numbering_gap(contract: Contract) -> list[Span]:
    """項 numbers within an article that skip (1, 2, 4)."""
    out = []
    for a in contract.articles:
        for prev, cur in zip(a.paragraphs, a.paragraphs[1:]):
            if cur.number > prev.number + 1:
                out.append((cur.start, min(cur.end, cur.start + 4)))
    return out


@check("undefined-party-label")
def undefined_party_label(contract: Contract) -> list[Span]:
    """甲/乙/丙… used as a party in the body but never defined, where other parties are defined.

    A text that defines no party at all is an excerpt of clauses (model-contract options), not a
    contract with a wrong label."""
    if not any(p.defined for p in contract.parties):
        return []
    return [(p.start, p.end) for p in contract.parties if not p.defined]


# 本X compounds that name the document itself or are ordinary words, never defined terms.
_SELF = re.compile(r"^本(契約|規約|約款|誓約書|同意書|覚書|合意書|書|条|項|号|章|節|別紙|日|人|社|店|名|来|質|格|文|件|当|部|体|音|気|業|籍)")
_HONKEN = re.compile(r"本件(?P<rest>[一-龥ァ-ヶー]{1,8})")
# what follows a term inside a kanji run without being part of it: 本件業務|以外, 本件目的|遂行上
_TERM_TAIL = re.compile(r"(以外|外|上|内|中|等|遂行|実施|終了|開始|完了|後|前|時|用|毎|ごと)+$")


def _honken_term(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the 本件 term really ends: before a verb stem (知り得た) and suffixes such as 以外."""
    if end < len(text) and text[end] in "りるれろっ" and end - start > 3:
        end -= 1  # 本件開示目的遂行上知|り得た: the last kanji is a verb's stem
    word = text[start:end]
    trimmed = _TERM_TAIL.sub("", word[2:])
    return start, start + 2 + len(trimmed) if len(trimmed) >= 1 else end


@check("undefined-term")
def undefined_term(contract: Contract) -> list[Span]:
    """A 本件X term (本件業務, 本件取引) used as if defined, while the contract defines no such term.

    Only 本件… compounds are checked: contracts use them for defined terms, whereas 本契約, 本書
    or 本プログラム are routinely used undefined for the document or the programme itself.
    """
    defined = {t.term for t in contract.terms}
    if not defined:
        return []
    text = contract.document.text
    out, seen = [], set()
    for m in _body_matches(contract, _HONKEN):
        start, end = _honken_term(text, m.start(), m.end())
        word = text[start:end]
        if any(word.startswith(d) or d.startswith(word) for d in defined) or word in seen:
            continue
        # the text itself may define it without the usual formula: 「本件業務」とは / 本件業務（…をいう）
        if re.search(re.escape(word) + r"[」』]?\s*(とは|[（(][^）)]{0,80}(をいう|をいいます)[）)])", text):
            continue
        seen.add(word)
        out.append((start, end))
    return out


@check("term-defined-twice")
def term_defined_twice(contract: Contract) -> list[Span]:
    """The same term defined more than once (以下「本件」という twice, for different things)."""
    text = contract.document.text
    first: dict[str, str] = {}
    out = []
    article_of: dict[str, object] = {}
    for t in contract.terms:
        meaning = _definiens(text, t.start, t.end, t.style)
        art = contract.article_at(t.start)
        here = (art.number, art.sub) if art else None
        # alternatives of one article (【オプション1】/【オプション2】) may each define the term
        if t.term in first and first[t.term] != meaning and (here is None or article_of[t.term] != here):
            out.append((t.start, t.end))
        first.setdefault(t.term, meaning)
        article_of.setdefault(t.term, here)
    return out


def _definiens(text: str, start: int, end: int, style: str) -> str:
    """What a term is defined as: the words before （以下「X」という）, or after 「X」とは."""
    if style == "means":
        m = re.match(r"[」』]\s*とは[、\s]*(.{1,120}?)(をいう|をいいます|を意味|を指)", text[end : end + 160])
        return m.group(1) if m else ""
    head = text[max(0, start - 120) : start]
    head = head[: head.rfind("以下")] if "以下" in head else head
    return re.split(r"[。\n、]", head.rstrip("（( 　"))[-1]


@check("suppression-without-reason")
def suppression_without_reason(contract: Contract) -> list[Span]:
    """An ndalint-disable comment that gives no reason (and therefore suppresses nothing)."""
    from ndalint.suppress import directives

    _, invalid = directives(contract)
    return [(at, at + len("ndalint-disable")) for at in invalid]


# -- one-sided duties in an agreement that calls itself mutual ------------------------------------

@check("one-sided-duty-in-mutual-agreement")
def one_sided_duty_in_mutual_agreement(contract: Contract) -> list[Span]:
    """A document that calls itself mutual (title or preamble) whose secrecy duties, or whose damages
    duties, all fall on one named party (「乙は、…開示しない」「乙は、…損害を賠償する」), never on the other."""
    from ndalint.structure.bound import (
        HEADING,
        _duty,
        _sentences,
        _topic,
        _topic_pattern,
    )

    # 相互秘密保持契約書; 「甲及び乙は、相互に開示する…」「甲または乙が相手方に開示等する」「自己の有する
    # 機密情報を相手方に開示するにあたり」. 「相互に協力し」 alone is not about disclosure.
    mutual_title = re.compile(r"相互|双方|双務|Mutual|MUTUAL")
    mutual_preamble = re.compile(
        r"(相互|互い|双方)(に|の間で|間で|から)?[^。]{0,8}(開示|授受|提供|交換|受領)|"
        r"[甲乙](及び|および|又は|または|と|・)[甲乙](が|は|の)?(いずれも|それぞれ|各自)?[、\s]?[^。]{0,12}相手方に(対し)?[、\s]?[^。]{0,8}(開示|提供)|"
        r"(自己|自ら|それぞれ)の(有する|保有する)[^。]{0,30}相手方に(対し)?[、\s]?(開示|提供)")
    # a sentence that binds whichever party: 甲及び乙は, 甲又は乙が, 受領者は, 各当事者, 双方, 違反した当事者
    either = re.compile(r"[甲乙](及び|および|並びに|ならびに|又は|または|若しくは|もしくは|・|、)?[甲乙](?!間)|各当事者|両当事者|"
                        r"双方|両者|いずれの当事者|違反した当事者|当事者(は|が)|受領者|被開示者|受領当事者|開示を受けた当事者")
    compensate = re.compile(r"(損害|損失)[^。]{0,80}?(賠償|補償)(する|し、|しなければ|いたし|致し|の責|責任を負|するもの)|"
                            r"(賠償|補償)(責任|の責め?|義務)を負")
    denies = re.compile(r"負わない|負いません|負わず|負うことはない|しない|しません|免責|免除|請求(する|できる|することができ)")

    parties = [p for p in contract.parties if p.primary and p.defined and p.origin != "signer"]
    text = contract.document.text
    preamble = text[contract.preamble.start : contract.preamble.end] if contract.preamble else ""
    if len(parties) < 2 or not (mutual_title.search(contract.title or "") or mutual_preamble.search(preamble)):
        return []
    labels = [p.label for p in parties]
    topic_rx = _topic_pattern(labels)

    def subject(sentence: str, verb_at: int) -> str | None:
        """Whom the duty names: one party's label (乙は… / 乙が…違反し), "both", or None (no subject)."""
        if either.search(sentence):
            return "both"
        topic = _topic(topic_rx, sentence[:verb_at])
        named = [x for x in labels if x in topic] or [
            x for x in labels if re.search(rf"(?<![一-龥ァ-ヶー々]){re.escape(x)}が[^。]{{0,30}}違反", sentence[:verb_at])]
        return named[0] if len(named) == 1 else "both" if named else None

    duties: dict[str, list[tuple[str | None, Span]]] = {"secrecy": [], "damages": []}
    for start, end in contract.body:
        chunk, pos = text[start:end], 0
        for sentence in _sentences(chunk):
            found = chunk.find(sentence, pos)
            at, pos = start + found, found + len(sentence)
            if HEADING.match(sentence.strip()):
                continue
            secrecy = _duty(sentence)
            if secrecy:
                duties["secrecy"].append((subject(sentence, secrecy.start()), (at, at + secrecy.end())))
            damages = compensate.search(sentence)
            if damages and not denies.search(sentence, damages.start()):
                duties["damages"].append((subject(sentence, damages.start()), (at, at + damages.end())))
    out = []
    for found_duties in duties.values():
        named = [(who, span) for who, span in found_duties if who]  # a duty without a subject says nothing
        if len({who for who, _ in named}) == 1 and named[0][0] != "both":  # always the same party, never both
            who, (s, e) = named[0]
            lead = text.rfind(who, s, e)
            out.append((lead if lead >= 0 else s, e))
    return sorted(out)


# -- suppression directives (the candidates are settled by ndalint/suppress.py:apply) -------------

@check("unknown-rule-in-directive")
def unknown_rule_in_directive(contract: Contract) -> list[Span]:
    """A rule name in an ndalint-disable/-enable directive that matches no built-in rule id or prefix
    (LIAB999, LAIB002), or a directive that names no rule. ``suppress.apply`` drops those that name
    a rule of an extra rule pack that was loaded."""
    from ndalint.suppress import unknown_rule_spans

    return unknown_rule_spans(contract)


@check("unused-suppression")
def unused_suppression(contract: Contract) -> list[Span]:
    """Every rule named by a valid (reasoned) suppression directive: whether it suppressed anything is
    known only after all rules ran, so ``suppress.apply`` keeps just the names that suppressed nothing
    (like Ruff's RUF100). Run alone (``ndalint test-rules``) every named rule is reported."""
    from ndalint.suppress import suppression_spans

    return suppression_spans(contract)
