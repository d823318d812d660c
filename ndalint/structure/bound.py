"""The bound party: who takes on the duty of confidentiality.

A party is bound when it is the subject of a secrecy duty (乙は、秘密情報を第三者に開示しては
ならない; 甲及び乙は…漏洩しない; 受領者は… in a mutual NDA binds both), or, where the duty has no
subject, when it is the one who signs (a pledge's 私) or the class the terms address (a
community's members). A clause that only asks people not to bring secrets (非公開を望む情報は
提出しないこと) binds nobody to secrecy, which is why the duty verbs are matched, not the word 秘密.
"""

from __future__ import annotations

import re

from ndalint.structure.model import Party

# The duty itself: keeping secret, or not disclosing, leaking, telling, sharing, using.
DUTY = re.compile(
    r"(秘密(?:を|として)?(?:保持|厳守|守)|守秘|機密を保持|秘密保持義務を負|"
    r"(?:開示|漏洩|漏えい|口外|他言|提供|共有|公開|公表|漏ら|使用|利用|流用|話|伝え|明か)を?"
    r"(?:し|さ|せ|す)?(?:ない|ません|てはならない|てはなりません|てはいけ|ないこと|ることを禁止|禁止)|"
    r"(?:開示|漏洩|漏えい|口外|他言|共有|公開|提供|使用|利用)(?:いた|致)しません|(?:開示|漏洩|漏えい|口外|共有|公開)を禁止|"
    r"(?:開示|公開|公表|漏洩|漏えい|口外|他言|提供)(?:する)?こと(?:は|が)?(?:でき(?:ない|ません)|許され(?:ない|ません))|"
    r"(?:開示|公開|公表|提供)(?:する|しようとする)(?:場合|とき)(?:は|には)、?[^。]{0,15}(?:事前に|あらかじめ)[^。]{0,20}(?:承諾|許可|同意)(?:を得|が必要|を必要))"
)
# Someone else's information, that is: a clause telling people not to bring their own secrets
# (「参加者が非公開を望む情報は開示しないこと」) binds them to nothing, and a company's promise to
# keep participants' personal data (個人情報) is privacy, not a secrecy duty on anyone.
SECRET = re.compile(r"(秘密|機密|守秘|内密|非公開|未公表|公表していない|社外秘|部外秘|知り得た|知りえた|知った|"
                    r"開示された|開示を受けた|提供された|提供を受けた|業務上の情報|の情報を)")
OWN = re.compile(r"(自ら|自己|自身|自分)の|(?:参加者|会員|私|本人|利用者)が(?:非公開|秘密|公開を望まない|公開したくない)")
# Leaking in so many words (無断転載, 流出, 口外, posting to SNS): secrecy whatever the object,
# where the sentence forbids it (the items of a 禁止事項 list end in 行為).
LEAK = re.compile(r"(無断(?:で)?(?:転載|公開|共有|複製|持ち出)|再配布|流出|口外|他言|漏洩|漏えい|漏ら|"
                  r"(?:SNS|ＳＮＳ|インターネット|ネット|外部)\s*上?\s*(?:へ|に|で)の?\s*(?:登録|投稿|掲載|公開|発信|拡散|共有))")
FORBIDS = re.compile(r"(ない|ません|禁止|てはならない|ないこと|行為|厳禁|お控え|ご遠慮)")
# Role words for "whichever party receives": in a mutual NDA they bind every named party.
RECEIVER_ROLES = ("受領者", "被開示者", "受領当事者", "開示を受けた当事者", "各当事者", "両当事者", "甲乙双方", "双方", "両者")
RECEIVER = re.compile("|".join((*RECEIVER_ROLES, "甲及び乙", "甲および乙", "甲乙")))
# An item of a list: 「1. 」「(2)」「③」「一、」
ITEM = re.compile(r"^[\s\u3000]*(?:[0-9０-９]{1,2}[.．)）]|[(（][0-9０-９一二三四五六七八九十]{1,3}[)）]|[①-⑳]|[一二三四五六七八九十]{1,2}[、.．])")
HEADING = re.compile(r"^(?:第\s*\S{1,4}\s*条\s*|[0-9０-９]{1,2}[.．\s\u3000]*)?[（(【][^）)】]{1,30}[）)】]$|^第\s*\S{1,4}\s*条$")
_OPEN, _CLOSE = "（(「『【［", "）)」』】］"


def mark_bound(parties: list[Party], text: str, body: list[tuple[int, int]], signer_aliases: list[str]) -> None:
    """Set ``bound`` and add the sentence that decided it to each bound party's evidence."""
    labelled = [p for p in parties if p.primary and p.origin != "signer"]
    topic_rx = _topic_pattern([p.label for p in parties])
    addressed_rx = _addressed_pattern([p.label for p in parties])
    unattributed: str | None = None
    for start, end in body:
        lead: list[Party] = []  # who the last sentence that was not an item was about (an item list's 柱書)
        for sentence in _sentences(text[start:end]):
            if HEADING.match(sentence.strip()):
                lead = []
                continue  # 「第5条（秘密保持）」 names a clause; only the clause itself binds anyone
            item = bool(ITEM.match(sentence))
            duty = _duty(sentence)
            if not duty:
                if not item:
                    lead = _addressed(addressed_rx, sentence, parties) or _about(topic_rx, sentence, parties, labelled)
                continue
            hits = _about(topic_rx, sentence[: duty.start()], parties, labelled)
            if not hits and item:  # 「乙は、秘密情報を次のとおり取り扱う。」 then 「1. 第三者に開示しないこと」
                hits = lead
            elif not item:
                lead = hits
            if not hits:
                unattributed = unattributed or sentence.strip()
            for p in hits:
                _bind(p, sentence)
    if unattributed and not any(p.bound for p in parties):
        # no subject anywhere: the signer of a pledge, or the class the terms address
        addressed = next((p for p in parties if p.origin == "signer" or p.label in signer_aliases), None) or next(
            (p for p in parties if p.kind == "individual"), None)
        if addressed:
            _bind(addressed, unattributed)


def _addressed_pattern(labels: list[str]) -> re.Pattern[str]:
    """「乙に対し」「乙が次の…」: the party a lead sentence puts the items on when its topic is someone
    else (「甲は、乙に対し、次の事項を求める」「甲は、乙が次の各号のいずれかに該当するときは」)."""
    names = "|".join(re.escape(x) for x in sorted(set(labels), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?<![一-龥ァ-ヶ])({names})(?:に対し|に対して|が(?:次|以下))")


def _addressed(rx: re.Pattern[str], sentence: str, parties: list[Party]) -> list[Party]:
    named = {m.group(1) for m in rx.finditer(sentence)}
    return [p for p in parties if p.label in named]


def _about(rx: re.Pattern[str], words: str, parties: list[Party], labelled: list[Party]) -> list[Party]:
    """The parties a sentence (or the words before its duty) is about: its topic (乙は / 甲及び乙は),
    every named party for a role word (受領者は)."""
    topic = _topic(rx, words)
    hits = [p for p in parties if p.label in topic]
    if RECEIVER.search(topic) and not hits:  # a role word, not a party's own label
        hits = labelled
    return hits


def _duty(sentence: str) -> re.Match[str] | None:
    """Where the sentence imposes secrecy, the match of its duty verb (what comes before is the subject)."""
    duty = DUTY.search(sentence)
    if duty and SECRET.search(sentence) and not OWN.search(sentence[: duty.start()]):
        return duty
    leak = LEAK.search(sentence)
    return leak if leak and FORBIDS.search(sentence, leak.end()) else None


def _sentences(chunk: str):
    """Sentences ending in 。 or a line end; a 。 inside brackets (電子媒体によるものを含む。) ends none."""
    depth, begin = 0, 0
    for i, ch in enumerate(chunk):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch == "\n" or ch == "。" and depth == 0:
            if chunk[begin : i + 1].strip():
                yield chunk[begin : i + 1]
            begin, depth = i + 1, 0 if ch == "\n" else depth
    if chunk[begin:].strip():
        yield chunk[begin:]


def _topic_pattern(labels: list[str]) -> re.Pattern[str]:
    """「乙は」「甲及び乙は」「受領者は」「誓約者も」: who the sentence is about (は/も, not the が of
    a relative clause such as 「甲が開示した情報」)."""
    names = "|".join(re.escape(x) for x in sorted(set(labels) | set(RECEIVER_ROLES),
                                                  key=len, reverse=True))
    return re.compile(rf"(?<![一-龥ァ-ヶー々])(?:{names})(?:(?:及び|および|並びに|ならびに|又は|または|・|、)(?:{names}))*[はも](?![じ])")


def _topic(rx: re.Pattern[str], subject: str) -> str:
    found = list(rx.finditer(subject))
    return found[-1].group(0)[:-1] if found else ""


def _bind(p: Party, sentence: str) -> None:
    if not p.bound:
        p.bound = True
        quoted = sentence if len(sentence) <= 40 else sentence[:38] + "…"
        p.evidence.append(f"守秘義務「{quoted}」")
