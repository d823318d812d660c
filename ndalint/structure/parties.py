"""Parties, their labels and kinds (company / individual / unknown), including one-sided pledges."""

from __future__ import annotations

import re

from ndalint.structure.lexicon import lexicon, signer_opening
from ndalint.structure.model import DefinedTerm, Party, PartyKind

PARTY_LABELS = set("甲乙丙丁戊")
# Role aliases defined in NDAs that are not parties of their own (一方当事者（以下「開示者」）…)
ROLE_ALIASES = {"開示者", "受領者", "開示当事者", "受領当事者", "当事者", "相手方", "両当事者", "本当事者"}
COMPANY = re.compile(
    r"(株式会社|有限会社|合同会社|合資会社|合名会社|[（(][株有][）)]|社団法人|財団法人|特定非営利活動法人|NPO法人|学校法人|"
    r"大学|機構|研究所|協会|組合|法人|会社|(?:研究|協議|委員|振興|連合|同好|保存|後援)会$|[Ａ-ＺA-Z〇○●◯△□＿_]社$|^[^\s]{0,12}社$|Inc\.?|Ltd\.?|LLC|Co\.|K\.K\.|"
    r"^当社$|^弊社$|^貴社$|^御社$|^委託者$|^発注者$|主催者$|事務局$|運営者$|運営側$|運営チーム$)"
)
INDIVIDUAL = re.compile(
    r"(個人|氏名|参加者|モニター|生活者|会員|従業員|社員|職員|学生|フリーランス|個人事業主|本人|^私$|応募者|協力者|被験者|"
    r"回答者|受講者|候補者|退職者|在職者|内定者|インターン|アルバイト|パートタイマー|クリエイター|出演者|受託者たる個人|ユーザー|利用者|"
    r"(?:した|する|いただく|いただいた|された|される|いる)方$)"
)
# 山田花子, 山田 花子, 佐藤あゆみ: a short name with no company marker, as individuals sign
PERSONAL_NAME = re.compile(r"^[一-龥々]{1,4}[\s\u3000]?[一-龥々ぁ-んァ-ヶー]{1,5}$")
# What a party's label looks like when nothing else says so: 受託者, 開示者, 購入者, 乙社, 本人側
_PARTY_NOUN = re.compile(r"(者|人|方|社|側|会員|メンバー|ユーザー|チーム|当方|先)$")
MIXED = re.compile(r"法人(?:及び|および|又は|または|・|、)個人|個人(?:及び|および|又は|または|・|、)法人")
# Latin names keep their spaces (LG Japan Lab株式会社, AI TECH TEAM); Japanese names have none
# but a surname and given name may stand apart (伊藤　沙織), and （株）ベータ keeps its legal form.
NAME_BEFORE = re.compile(
    r"(?P<name>(?:[（(](?:株|有|同|合)[）)])?(?:[A-Za-z0-9][A-Za-z0-9&.'\-]*[ \u3000])*(?:[一-龥々]{1,4}[ \u3000](?=[一-龥々ぁ-んァ-ヶー]{1,5}[（(]))?"
    r"[^\s、。「」『』（）()：:]{1,40}(?:[（(][^（）()]{1,40}[）)])?)\s*[（(]\s*$"
)
# Blanks a template leaves for the name: ＿＿＿, 〇〇〇〇, △△, ${乙名}, {{staff_name}}, 【氏名】, ［会社名］.
_BLANK_CHARS = " \t\u3000＿_〇○●◯△▲□■×✕＊*・…‥-－ー‐.．"
_TEMPLATE_FIELD = re.compile(r"\$\{[^}]*\}|\{\{[^}]*\}\}|【[^】]*】|［[^］]*］|\[[^\]]*\]|＜[^＞]*＞|<[^>]*>|《[^》]*》")
_LEGAL_FORM = re.compile(r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|\(株\)|（株）")
_CONNECTORS = re.compile(r"^(?:と|及び|および|並びに|ならびに|又は|または|、|は)+")


_WHO = re.compile(r"以下[、,]?\s*(?P<who>[^「」『』、。（）()\n\s]{1,12})を\s*[「『]")
# A name that is a relative clause: 「会社に在職していた〇〇」 is the 〇〇, not the 会社 it worked for.
_RELATIVE = re.compile(r"^.*(?:していた|している|した|する|いた|いる|である|であった)(?=[^\s、。])")


def _head(name: str) -> str:
    """What decides a name's kind: past a relative clause that only describes it, unless that leaves
    a bare noun (「…に参加する方」「…に登録した個人」 read as a whole)."""
    head = _RELATIVE.sub("", name) if _RELATIVE.match(name) else name
    return head if len(head) >= 2 and head not in ("個人", "法人") else name


def placeholder(name: str | None) -> bool:
    """A template's blank for a name (株式会社〇〇〇〇 too: the legal form is real, the name is not)."""
    if not name:
        return False
    rest = _LEGAL_FORM.sub("", _TEMPLATE_FIELD.sub("", name))
    return not rest.strip(_BLANK_CHARS)


def classify(*names: str | None) -> PartyKind:
    if any(name and "屋号" in name for name in names):
        return "individual"  # a trade name (屋号) is what a sole proprietor signs with
    if any(name and MIXED.search(name) for name in names):
        return "unknown"  # 法人及び個人: a class of both, which no single kind describes
    for name in names:
        if name and COMPANY.search(name):
            return "company"
    for name in names:
        if name and INDIVIDUAL.search(name):
            return "individual"
    return "unknown"


def find_parties(text: str, terms: list[DefinedTerm], preamble: tuple[int, int] | None,
                 first_article: tuple[int, int] | None = None) -> list[Party]:
    parties: list[Party] = []
    seen: set[str] = set()
    for t in terms:
        if t.term in seen or t.term.startswith("本") and t.term != "本人":
            continue
        name = None
        if t.style == "hereinafter":
            open_paren = text.rfind("以下", max(0, t.start - 20), t.start)
            m = NAME_BEFORE.search(text, max(0, open_paren - 60), open_paren) if open_paren >= 0 else None
            who = _WHO.match(text, open_paren) if open_paren >= 0 else None
            if who:  # （以下、参加者を「乙」といいます）: the brackets say who 乙 is
                name = who.group("who")
            elif m:
                name = _CONNECTORS.sub("", m.group("name")) or None
                # 「…」（以下「本プログラム」という。）に参加する個人: the name goes on before the term
                prior = re.search(r"以下[「『](?P<t>[^」』]{1,20})[」』](?:という|といいます)。?[）)]$", text[max(0, m.start("name") - 40) : m.start("name")])
                if name and prior and name[0] in "にをのがへとで":
                    name = prior.group("t") + name
        else:
            tail = text[t.end : t.end + 120]
            m = re.search(r"とは[、\s]*(?P<def>.{1,100}?)(?:をいう|をいいます|を意味する|を意味します|を指す|を指します)", tail)
            name = m.group("def") if m else None
            if not (name and INDIVIDUAL.search(t.term) and re.search(r"(個人|者|方)$", name)):
                continue
        is_label = t.term in PARTY_LABELS
        # with no preamble, the first article (適用範囲, 定義) is where the parties are introduced
        opening_span = preamble if preamble is not None else first_article if t.term not in ROLE_ALIASES else None
        in_preamble = opening_span is not None and opening_span[0] <= t.start < opening_span[1]
        # 開示者/受領者 name the parties only where a party is named before them (株式会社A（以下「開示者」）)
        named = bool(name) and not re.fullmatch(r"(一方|他方|各|両)?当事者|相手方|一方|他方", name or "")
        if t.term in ROLE_ALIASES and not (t.style == "hereinafter" and named):
            continue
        role = _role_kind(t.term)
        if not is_label and t.style == "hereinafter" and not in_preamble and not role:
            continue  # 「役員等」「個人情報等」 defined inside clauses are not parties
        if t.style == "means":  # 「会員」とは、…に登録した個人をいう: the head noun decides, not the modifiers
            kind: PartyKind = "individual"
        else:
            # the head noun first (「会社に在職していた〇〇」 is no company), then the whole name
            head = _head(name) if name else name
            kind = classify(head, t.term)
            if kind == "unknown" and head != name and head and PERSONAL_NAME.match(head) and not MIXED.search(head):
                kind = "individual"  # 「株式会社アルファの従業員である山田太郎」: the person, not the employer
            if kind == "unknown" and head != name:
                kind = classify(name, t.term)
            if kind == "unknown" and head and PERSONAL_NAME.match(head) and not MIXED.search(name or ""):
                kind = "individual"
            if kind == "unknown" and role and not MIXED.search(name or ""):
                kind = role
        # a party named in the preamble stays even when nothing tells its kind yet (＿＿（以下「受託者」）):
        # the signature block or the kind of agreement may
        primary = in_preamble and t.style == "hereinafter" and named and bool(_PARTY_NOUN.search(t.term))
        if not is_label and kind == "unknown" and not primary:
            continue
        if (not is_label and not primary and t.style == "hereinafter" and not (name and classify(name) != "unknown")
                and not INDIVIDUAL.search(t.term) and not COMPANY.search(t.term)):
            continue
        seen.add(t.term)
        parties.append(Party(label=_label(text, t.term), name=None if placeholder(name) else name, kind=kind,
                             start=t.start, end=t.end))
    if preamble:
        _pledge(text, preamble, parties, seen)
    if first_article and not any(p.origin == "signer" for p in parties):
        # a pledge without a preamble: 「御中」, then straight to 第1条 「私は、貴社の…」
        _pledge(text, first_article, parties, seen)
    if not any(p.origin == "signer" or p.kind == "individual" for p in parties):
        _first_person(text, parties, seen)
    return parties


# A pledge that never says 「私は」 still speaks in the first person to its addressee: 「私が原因で貴社に
# 損害を与えた場合…全額負担いたします」「貴殿で勤務中に知り得た…漏洩しないことを誓います」.
_FIRST_PERSON = re.compile(r"(?<![一-龥々])(私|わたくし)(?=[はがのにをもと、])")
_PROMISE = re.compile(r"(誓います|誓約(いた|致)?します|誓約いたします|約束(いた|致)します|(いた|致)します|負担いたします|認めます)")
_ADDRESSEE = re.compile(r"(貴社|御社|貴殿|貴学|貴法人|貴団体|貴院)(?=[のにでへがはをと、])")


def _first_person(text: str, parties: list[Party], seen: set[str]) -> None:
    """The signer of a pledge written in the first person without 「私は」 opening it: 私 used as a
    party twice or more, promises in the first person, and an addressee (貴社, 貴殿 …)."""
    me = list(_FIRST_PERSON.finditer(text))
    addressee = _ADDRESSEE.search(text)
    # the promise is the first person's own: 私 and a promise in one sentence (not 「担当の私が説明します」)
    promises = any(_FIRST_PERSON.search(sent) and _PROMISE.search(sent) for sent in re.split(r"[。\n]", text))
    if len(me) < 2 or addressee is None or not promises:
        return
    word = addressee.group(1)
    # 貴殿 is a person as often as an employer: it tells who is addressed, not what they are
    if word != "貴殿" and word not in seen and not any(p.kind == "company" for p in parties):
        parties.append(Party(word, None, "company", addressee.start(1), addressee.end(1)))
        seen.add(word)
    signer = me[0].group(1)
    if signer not in seen:
        parties.append(Party(signer, None, "individual", me[0].start(1), me[0].end(1), origin="signer"))
        seen.add(signer)


_PLEDGE_ORGANISATION = re.compile(
    r"[、\s\u3000]*(?P<org>[^、。\s\u3000（）()「」]{2,30}?)(?:において|に対し|に対して|に対する|での|の(?:活動|業務|事業|イベント|プロジェクト|運営))"
)


def _role_kind(term: str) -> PartyKind | None:
    """The kind a role noun names, compounds included (モニター会員, 有料会員 -> 会員)."""
    lex = lexicon()
    if term in lex.individual_roles or any(term.endswith(r) for r in lex.individual_roles if len(r) >= 2):
        return "individual"
    if term in lex.company_roles:
        return "company"
    return None


def _label(text: str, term: str) -> str:
    """「LG JL」 defined, 「LGJL」 used: the clauses' own spelling is the label a reader looks for."""
    compact = re.sub(r"[\s\u3000]+", "", term)
    return compact if compact != term and text.count(compact) > text.count(term) else term


def undefined_labels(text: str, spans: list[tuple[int, int]], parties: list[Party]) -> list[Party]:
    """甲/乙… used as parties (甲は, 甲および乙) in the body but never defined."""
    known = {p.label for p in parties}
    found: list[Party] = []
    for label in sorted(PARTY_LABELS - known, key="甲乙丙丁戊".index):
        rx = re.compile(rf"(?<![一-龥ァ-ヶ]){label}(?=[はがのにをおと、及並又若・,，]|\s|乙|甲|$)")
        hits = [m.start() for s, e in spans for m in rx.finditer(text, s, e)]
        if len(hits) >= 2:
            found.append(Party(label, None, "unknown", hits[0], hits[0] + 1, defined=False, origin="label"))
    return found


def _pledge(text: str, preamble: tuple[int, int], parties: list[Party], seen: set[str]) -> None:
    """誓約書: 「私は、貴社…」 with the addressee on a 〇〇 御中 line above the preamble."""
    start, end = preamble
    chunk = text[start:end]
    m = signer_opening().search(chunk) or re.search(
        r"(?:^|[\s\u3000。、])(当社|弊社)は、?(?=.*貴社)", chunk)  # a company's own pledge to 貴社
    if not m:
        return
    signer = m.group(1)
    above = [ln.strip(" \u3000") for ln in text[max(0, start - 400) : start].split("\n") if ln.strip(" \u3000")]
    # the addressee: 「株式会社〇〇 御中」, or a company line above 「代表取締役 〇〇 殿」
    name = next((re.sub(r"\s*(御中|殿)$", "", ln) for ln in reversed(above) if COMPANY.search(re.sub(r"\s*(御中|殿)$", "", ln))), None)
    company_word = next((w for w in re.finditer(r"(貴社|当社|御社|貴法人|貴学)", chunk) if w.group(1) != signer), None)
    if company_word and company_word.group(1) not in seen:
        parties.append(Party(company_word.group(1), name, classify(name, company_word.group(1)) if name else "company",
                             start + company_word.start(1), start + company_word.end(1)))
        seen.add(company_word.group(1))
    elif not company_word and not any(p.kind == "company" for p in parties):
        # 「私は、〇〇においてメンターとして活動するにあたり」: the organisation is named inline
        org = _PLEDGE_ORGANISATION.match(chunk, m.end())
        if org and org.group("org") not in seen:
            parties.append(Party(org.group("org"), None, "company", start + org.start("org"), start + org.end("org")))
            seen.add(org.group("org"))
    if signer not in seen:
        kind: PartyKind = "company" if signer in ("当社", "弊社") else "individual"
        parties.append(Party(signer, None, kind, start + m.start(1), start + m.end(1), origin="signer"))
        seen.add(signer)
