"""Structure: parties, defined terms, 条・項・号, preamble, signature, on real and project documents."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from ndalint import ingest, structure
from ndalint.ingest.document import Document, blocks_from_lines

AI_TITLES = ["秘密情報の定義", "秘密保持", "目的外使用の禁止", "秘密情報の複製の取り扱い", "個人情報の提供",
             "秘密情報の破棄または返還", "PoC契約および共同研究開発契約の締結", "損害賠償", "差止め", "期間",
             "準拠法および裁判管轄", "協議事項"]


def parse_text(text: str, fmt: str = "txt") -> structure.Contract:
    return structure.parse(Document(path="t", format=fmt, text=text, blocks=blocks_from_lines(text)))


def parse_file(path) -> structure.Contract:
    return structure.parse(ingest.load(str(path)))


@pytest.mark.parametrize("name", ["oi-nda-ai.contract.txt", "oi-nda-ai.md", "oi-nda-ai.docx"])
def test_model_nda_ai_in_every_format(public_dir, name):
    c = parse_file(public_dir / name)
    assert [a.number for a in c.articles] == list(range(1, 13))
    assert [(p.label, p.name, p.kind) for p in c.parties] == [("甲", "X社", "company"), ("乙", "Y社", "company")]
    art1 = c.articles[0]
    assert [len(p.items) for p in art1.paragraphs] == [0, 5]
    assert [i.label for i in art1.paragraphs[1].items] == list("①②③④⑤")
    assert {"本目的", "本契約", "秘密情報", "開示者", "受領者"} <= {t.term for t in c.terms}
    assert c.contexts == {"company-to-company"}
    if name != "oi-nda-ai.contract.txt":  # the .txt has no headings at all
        assert [a.title for a in c.articles] == AI_TITLES
    assert c.signature is not None and c.text[c.signature.start:].startswith("本契約締結の証として")


def test_markdown_commentary_is_not_contract_body(public_dir):
    c = parse_file(public_dir / "oi-nda-ai.md")
    commentary = c.text.index("秘密保持契約により保護される秘密情報の定義に関する条項である")
    assert not c.in_body(commentary)
    assert c.in_body(c.text.index("第8条　本契約に違反した当事者"))
    art8 = c.articles[7]
    assert "＜ポイント＞" not in c.text[art8.start : art8.end] or not c.in_body(c.text.index("＜ポイント＞", art8.start))


def test_docx_commentary_is_not_contract_body(public_dir):
    c = parse_file(public_dir / "oi-nda-ai.docx")
    assert not c.in_body(c.text.index("本条は、本モデル契約の履行に関しての損害賠償責任について規定している"))
    assert c.title == "秘密保持契約書（AI）"


def test_alternative_versions_keep_their_article_title(public_dir):
    c = parse_file(public_dir / "oi-nda-shinsozai.md")
    firsts = [a for a in c.articles if a.number == 1]
    assert len(firsts) == 3 and {a.title for a in firsts} == {"秘密情報の定義・開示等の方法"}


def test_article_numbering_variants_and_headings():
    c = parse_text(
        "（目的）\n第１条　本契約は、検討を目的とする。\n"
        "第二条（秘密保持）\n乙は、秘密を保持する。\n２　乙は、次の情報を開示できる。\n（１）公知の情報\n（２）独自に開発した情報\n"
        "第十二条　雑則。\n第3条の2（再委託）再委託はできない。\n"
    )
    assert [(a.number, a.sub, a.title) for a in c.articles] == [(1, None, "目的"), (2, None, "秘密保持"), (12, None, None), (3, 2, "再委託")]
    art2 = c.articles[1]
    assert [p.number for p in art2.paragraphs] == [1, 2]
    assert [(i.label, i.number) for i in art2.paragraphs[1].items] == [("（１）", 1), ("（２）", 2)]


def test_kanji_items_and_article_references_are_not_new_articles():
    c = parse_text(
        "第1条（定義）　次の各号に掲げる情報をいう。\n一　技術情報\n二　営業情報\n"
        "第2条　第1条の規定にかかわらず、乙は開示できる。\n第3条に定める期間は1年とする。\n"
    )
    assert [a.number for a in c.articles] == [1, 2]  # 「第3条に定める…」 is a reference, not an article
    assert [i.number for i in c.articles[0].paragraphs[0].items] == [1, 2]


def test_pledge_parties_are_individual_and_company():
    c = parse_text(
        "株式会社〇〇　御中\n\n誓約書\n\n私は、貴社の共創セッションへの参加にあたり、下記の事項を誓約します。\n\n"
        "1．（秘密保持）知り得た情報を第三者に開示しません。\n2．（損害賠償）違反した場合、一切の損害を賠償します。\n\n以上\n氏名　　　　印\n"
    )
    assert {(p.label, p.kind) for p in c.parties} == {("私", "individual"), ("貴社", "company")}
    assert c.party("貴社").name == "株式会社〇〇"
    assert [(a.number, a.title) for a in c.articles] == [(1, "秘密保持"), (2, "損害賠償")]
    assert c.title == "誓約書"
    assert c.signature is not None


@pytest.mark.parametrize(
    "name, kinds, context",
    [
        ("monitor-agreement-harsh.txt", {"company", "individual"}, "co-creation"),
        ("employee-pledge.txt", {"company", "individual"}, "employment"),
        ("mutual-nda-companies.txt", {"company"}, "company-to-company"),
        ("freelancer-contract.docx", {"company", "individual"}, None),
        ("research-panel-terms.txt", {"company", "individual"}, "panel"),
    ],
)
def test_project_corpus_parties_and_contexts(name, kinds, context):
    c = parse_file(CORPUS / name)
    assert {p.kind for p in c.parties} == kinds
    assert c.articles, "articles found"
    if context:
        assert context in c.contexts


def test_undefined_party_labels_are_reported_as_undefined(public_dir):
    c = parse_file(public_dir / "oi-nda-shinsozai.contract.txt")  # starts at 第1条: no preamble
    assert [(p.label, p.defined) for p in c.parties] == [("甲", False), ("乙", False)]
    # never named, but a model NDA between companies: the kind of agreement decides, and says so
    assert c.kind == "b2b" and all(p.kind == "company" and "契約の種類" in p.evidence[0] for p in c.parties)


def test_docx_corpus_items_come_from_numbering():
    c = parse_file(CORPUS / "freelancer-contract.docx")
    items = [i for a in c.articles for p in a.paragraphs for i in p.items]
    assert len(items) >= 3
    assert all(b.label is None or b.label in c.text for b in c.document.blocks)
    labelled = [b for b in c.document.blocks if b.label]
    assert labelled and all(c.text[b.start : b.end].startswith(b.label) for b in labelled)


def test_markdown_article_headings_open_articles():
    # "## 第1条（目的）" followed by plain paragraphs (no 第1条 line under it) is the article itself
    c = parse_file(CORPUS / "cocreation-agreement-good.md")
    assert [a.number for a in c.articles] == list(range(1, 15))
    assert c.articles[1].title == "フェーズ" and [p.number for p in c.articles[1].paragraphs] == [1, 2]
    assert c.text[c.articles[4].start:].startswith("第5条（機密情報の秘密保持）")
    assert [(p.label, p.kind) for p in c.parties] == [("当社", "company"), ("参加者", "individual")]


@pytest.mark.parametrize("text,expected", [
    ("株式会社〇〇 御中\n\n誓約書\n\nこの度、私は、貴社の座談会に参加するにあたり、以下の事項を誓約いたします。\n1. 秘密を他言いたしません。\n",
     [("貴社", "company"), ("私", "individual")]),
    ("株式会社A（以下「甲」という。）と山田花子（以下「乙」という。）は、次のとおり合意する。\n第1条（秘密保持）乙は秘密を保持する。\n",
     [("甲", "company"), ("乙", "individual")]),
    ("モニター会員規約\n第1条（定義）本規約において「会員」とは、株式会社Bが運営するモニターサイトに登録した個人をいいます。\n"
     "第2条（秘密保持）会員は、秘密を他言いたしません。\n", [("会員", "individual")]),
])
def test_individual_parties_in_real_phrasings(text, expected):
    c = parse_text(text)
    assert [(p.label, p.kind) for p in c.parties] == expected


# Articles without 第N条, as real files carry them: Word numbering lost in a text export,
# community rules headed 「1. …について」, and templates whose article numbers are blanks.
UNNUMBERED_HEADINGS = """秘密保持契約書
株式会社アルファ（以下「甲」という。）と株式会社ベータ（以下「乙」という。）は、次のとおり契約を締結する。
（目的）
甲及び乙は、共同研究の検討のために秘密情報を開示する。
（定義）
1. 「秘密情報」とは、開示者が秘密と指定した情報をいう。
2. 前項にかかわらず、公知の情報は秘密情報に含まれない。
（秘密保持義務）
受領者は、秘密情報を第三者に開示してはならない。
（有効期間）
本契約の有効期間は1年間とする。
"""

NUMBERED_RULES = """オンラインサロン参加ルール
1. 参加資格について
本サロンには登録した会員のみが参加できます。
2. 情報の扱いについて
サロン内で知った情報を外部に共有することは禁止します。
投稿のスクリーンショットも禁止します。

3. 退会について
退会はいつでもできます。
"""

BLANK_NUMBERS = """利用規約
{運営者名}（以下「当方」）が提供するサービス（以下「本サービス」）の利用条件を定めます。
{条}（適用）
本規約は本サービスの利用に適用されます。
{条}（秘密の保持）
1. 会員は、本サービスで知った情報を第三者に開示してはなりません。
2. 前項の義務は退会後も続きます。
第〇条（規約の変更）
当方は本規約を変更できます。
"""

ONE_LINE_PLEDGE_CLAUSES = """誓約書
私は、貴社に入社するにあたり、下記の事項を守ることを誓約いたします。
1. 就業規則を守ること
2. 業務上の秘密を漏らさないこと
3. 貴社の備品を大切に扱うこと
以上
"""


LENTICULAR_HEADINGS = """受講規約（料理教室）
【適用】
本規約は、キッチン研究会（以下「当会」といいます。）が開く講座を受講する方（以下「受講者」といいます。）に適用します。
【秘密の保持】
受講者は、講座で知った他の受講者の家庭の事情を、講座の外で話さないものとします。
【受講料】
受講者は、受講料を前日までに支払うものとします。
"""

MARKDOWN_IN_TEXT = """ハッカソン参加規約
## 第1条（公開）
1. 主催者は、発表の様子を公開します。
2. 参加者は、発表資料の公開に同意します。
## 第2条（禁止事項）
参加者は、他の参加者の作品を無断で複製してはなりません。
"""

RULES_STYLE = """会員規程
第1　目的
この規程は、会員の活動について定める。
第2　秘密情報の範囲及び取扱いについて
会員は、会の活動で知った他の会員の事情を外部に漏らしてはならない。
第3　改定
この規程は、理事会の決定により改定する。
"""

@pytest.mark.parametrize("text, numbers, titles", [
    (UNNUMBERED_HEADINGS, [1, 2, 3, 4], ["目的", "定義", "秘密保持義務", "有効期間"]),
    (NUMBERED_RULES, [1, 2, 3], ["参加資格について", "情報の扱いについて", "退会について"]),
    (BLANK_NUMBERS, [1, 2, 3], ["適用", "秘密の保持", "規約の変更"]),
    (ONE_LINE_PLEDGE_CLAUSES, [1, 2, 3], [None, None, None]),
    (LENTICULAR_HEADINGS, [1, 2, 3], ["適用", "秘密の保持", "受講料"]),
    # Markdown pasted into a .txt: its 1. 2. are paragraphs of 第1条, not articles
    (MARKDOWN_IN_TEXT, [1, 2], ["公開", "禁止事項"]),
    # 規程-style 「第1　目的」: 第N and a short title alone on the line
    (RULES_STYLE, [1, 2, 3], ["目的", "秘密情報の範囲及び取扱いについて", "改定"]),
])
def test_articles_without_article_numbers(text, numbers, titles):
    c = parse_text(text)
    assert [a.number for a in c.articles] == numbers
    assert [a.title for a in c.articles] == titles


def test_numbered_paragraphs_under_an_unnumbered_heading_stay_in_their_article():
    c = parse_text(UNNUMBERED_HEADINGS)
    definition = c.articles[1]
    assert "前項にかかわらず" in c.text[definition.start:definition.end]
    assert c.parties and {p.label for p in c.parties} == {"甲", "乙"}


def test_article_heading_followed_by_numbered_paragraphs_is_one_article():
    c = parse_text("秘密保持契約書\n甲と乙は、次のとおり契約を締結する。\n第1条　(目的)\n本契約は取引の検討を目的とする。\n"
                   "第2条　(秘密情報の定義)\n1.　秘密情報とは、開示者が指定した情報をいう。\n2.　公知の情報は除く。\n"
                   "第3条　(秘密保持)\n受領者は秘密情報を開示しない。\n")
    assert [(a.number, a.title) for a in c.articles] == [(1, "目的"), (2, "秘密情報の定義"), (3, "秘密保持")]
    assert [p.number for p in c.articles[1].paragraphs] == [1, 2]


@pytest.mark.parametrize("reference", ["第5条まで", "第3条から", "第4条の規定", "第2条に", "第6条及び"])
def test_a_line_that_begins_with_an_article_reference_is_not_an_article(reference):
    c = parse_text(f"契約書\n甲と乙は、次のとおり契約を締結する。\n第1条（目的）\n本契約の目的を定める。\n第2条（存続）\n"
                   f"第1条から\n{reference}の規定は、本契約の終了後も存続する。\n第3条（管轄）\n東京地方裁判所とする。\n")
    assert [a.number for a in c.articles] == [1, 2, 3]


def test_parties_introduced_in_the_first_article_when_there_is_no_preamble():
    # 【適用】 opens the terms: the organiser defined there is a party, and a heading binds nobody
    c = parse_text(LENTICULAR_HEADINGS)
    assert {p.label: p.kind for p in c.parties} == {"当会": "company", "受講者": "individual"}
    assert [p.label for p in c.parties if p.bound] == ["受講者"]
    assert all("【" not in e for p in c.parties for e in p.evidence)
