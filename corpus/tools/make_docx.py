#!/usr/bin/env python3
"""Build the .docx samples of the ndalint corpus.

Writes (next to this script's parent directory):
  - freelancer-contract.docx       業務委託契約書 with an individual freelancer (risk 3)
  - pledge-cocreation-session.docx 共創セッション参加に関する誓約書 (risk 4)

The items (号) of every list are produced by real Word auto-numbering: an
abstractNum / num pair is added to word/numbering.xml and each item paragraph
carries <w:numPr>. The item text itself holds no typed number, so a reader must
reconstruct "①" / "(1)" from numbering.xml. Every list gets its own <w:num>
with <w:lvlOverride><w:startOverride w:val="1"/></w:lvlOverride>, so each list
restarts at 1.

Usage: python make_docx.py            (needs python-docx; verifies the output)
"""

import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

CORPUS = Path(__file__).resolve().parent.parent
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# numFmt and lvlText per list style
STYLES = {
    "circle": ("decimalEnclosedCircle", "%1"),   # ① ② ③
    "paren": ("decimal", "(%1)"),                # (1) (2) (3)
}

# ---------------------------------------------------------------- documents

FREELANCER = [
    ("title", "業務委託契約書"),
    ("blank",),
    ("p", "株式会社ブルーオーシャン・デジタル（以下「甲」という。）と田中美咲（屋号：ミサキデザインスタジオ）（以下「乙」という。）とは、甲が乙に委託する業務について、次のとおり業務委託契約（以下「本契約」という。）を締結する。"),
    ("blank",),
    ("art", "第1条（委託業務）"),
    ("p", "甲は、乙に対し、次の各号に掲げる業務（以下「本業務」という。）を委託し、乙はこれを受託する。"),
    ("items", "circle", [
        "甲が運営する通信販売サイトのリニューアルに係るウェブデザインの制作",
        "販売促進用のバナー広告及びSNS投稿用画像の制作",
        "前各号に付随する業務であって、甲乙が別途合意したもの",
    ]),
    ("p", "2　本業務の具体的な仕様、数量及び納期は、甲乙協議の上、甲が乙に交付する発注書（電子メールによるものを含む。以下同じ。）により定める。"),
    ("art", "第2条（委託料及び支払）"),
    ("p", "甲は、本業務の対価として、発注書に定める委託料（消費税別）を、成果物が次条の検収に合格した日の属する月の末日で締め、翌月末日までに乙の指定する銀行口座に振り込む方法により支払う。振込手数料は甲の負担とする。"),
    ("art", "第3条（納品及び検収）"),
    ("p", "乙は、発注書に定める納期までに、本業務の成果物（以下「成果物」という。）を甲に納品する。"),
    ("p", "2　甲は、納品を受けた日から10日以内に成果物を検査し、その結果を乙に通知する。当該期間内に通知がないときは、成果物は検収に合格したものとみなす。"),
    ("art", "第4条（秘密保持）"),
    ("p", "乙は、本業務に関して甲から開示を受けた甲の技術上又は営業上の情報（以下「秘密情報」という。）を、甲の事前の書面による承諾なく第三者に開示し、又は漏えいしてはならず、本業務の遂行以外の目的に使用してはならない。"),
    ("p", "2　前項の規定は、次の各号のいずれかに該当する情報には適用しない。"),
    ("items", "paren", [
        "開示の時点で既に公知であった情報",
        "開示後に乙の責めに帰すべき事由によらずに公知となった情報",
        "開示の時点で乙が既に保有していた情報",
        "正当な権限を有する第三者から秘密保持義務を負うことなく取得した情報",
    ]),
    ("p", "3　乙は、法令に基づき開示を求められた場合には、必要な範囲で秘密情報を開示することができる。この場合、乙は、事前にその旨を甲に通知するものとする。"),
    ("p", "4　本条の規定は、本契約の終了後も存続する。"),
    ("art", "第5条（知的財産権）"),
    ("p", "成果物に関する著作権（著作権法第27条及び第28条に定める権利を含む。）は、当該成果物に係る委託料の支払が完了した時に、乙から甲に移転する。"),
    ("p", "2　乙は、甲及び甲が指定する者に対し、成果物に関する著作者人格権を行使しない。"),
    ("p", "3　乙は、成果物が第三者の知的財産権その他の権利を侵害しないことを保証する。"),
    ("p", "4　乙は、甲の事前の承諾を得た場合には、成果物を自己の制作実績として紹介することができる。"),
    ("art", "第6条（再委託の禁止）"),
    ("p", "乙は、甲の事前の書面による承諾なく、本業務の全部又は一部を第三者に再委託してはならない。"),
    ("art", "第7条（損害賠償）"),
    ("p", "乙は、故意又は過失により本契約に違反し、甲に損害を与えた場合には、その損害を賠償する。"),
    ("p", "2　甲は、故意又は過失により本契約に違反し、乙に損害を与えた場合には、その損害を賠償する。ただし、甲の賠償額は、損害の原因となった業務について甲が乙に支払った委託料の額を上限とする。"),
    ("art", "第8条（契約期間）"),
    ("p", "本契約の有効期間は、2025年4月1日から2026年3月31日までとする。ただし、期間満了の1か月前までに甲乙いずれからも書面による別段の申出がないときは、同一条件でさらに1年間更新されるものとし、以後も同様とする。"),
    ("art", "第9条（解除）"),
    ("p", "甲又は乙は、相手方が次の各号のいずれかに該当したときは、書面により通知して、本契約の全部又は一部を解除することができる。"),
    ("items", "paren", [
        "本契約に違反し、相当の期間を定めて催告したにもかかわらず、その期間内に是正しないとき",
        "支払停止若しくは支払不能の状態に陥り、又は手形若しくは小切手が不渡りとなったとき",
        "破産手続開始の申立てを受け、又は自ら申し立てたとき",
        "暴力団その他の反社会的勢力に該当し、又はこれと関係を有することが判明したとき",
    ]),
    ("art", "第10条（中途解約）"),
    ("p", "甲又は乙は、30日前までに相手方に書面で通知することにより、本契約を解約することができる。この場合、甲は、解約の日までに乙が履行した業務の割合に応じた委託料を乙に支払う。"),
    ("art", "第11条（協議及び管轄）"),
    ("p", "本契約に定めのない事項又は本契約の解釈について疑義が生じた事項は、甲乙誠実に協議の上、解決する。"),
    ("p", "2　本契約に関する紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とする。"),
    ("blank",),
    ("p", "本契約の成立を証するため、本書2通を作成し、甲乙記名押印の上、各1通を保有する。"),
    ("blank",),
    ("p", "2025年3月　　日"),
    ("blank",),
    ("sign", ["甲　東京都港区芝浦三丁目〇番〇号", "　　株式会社ブルーオーシャン・デジタル", "　　代表取締役　〇〇　〇〇　　印"]),
    ("blank",),
    ("sign", ["乙　神奈川県横浜市中区山下町〇番地", "　　ミサキデザインスタジオ", "　　田中　美咲　　印"]),
]

PLEDGE = [
    ("title", "共創セッション参加に関する誓約書"),
    ("blank",),
    ("p", "株式会社スマートホームラボ　御中"),
    ("blank",),
    ("p", "私は、貴社が開催する共創セッション「これからの暮らしと家電を考える会」（2025年11月開催。以下「本セッション」といいます。）に参加するにあたり、下記の事項を遵守することを誓約し、本誓約書を提出いたします。"),
    ("blank",),
    ("p", "記"),
    ("blank",),
    ("art", "第1条（秘密情報）"),
    ("p", "私は、本セッションにおいて貴社から開示された情報及び本セッションにおける議論の内容（以下「秘密情報」といいます。）を、秘密として保持いたします。秘密情報には、次に掲げる情報を含みます。"),
    ("items", "circle", [
        "貴社の未発表製品及び試作品の仕様、デザイン及び機能に関する情報",
        "貴社の事業計画、商品企画及び市場調査の結果",
        "本セッションにおいて私及び他の参加者が出したアイデア、意見及び発言の内容",
        "他の参加者の氏名、所属その他の個人に関する情報",
        "本セッションの開催日時、会場及び参加企業に関する情報",
    ]),
    ("art", "第2条（秘密保持）"),
    ("p", "私は、秘密情報を、貴社の事前の書面による承諾なく第三者に開示し、又は漏えいせず、本セッションへの参加以外の目的に使用いたしません。"),
    ("p", "2　前項の規定は、次の各号のいずれかに該当する情報には適用しないものとします。"),
    ("items", "paren", [
        "開示を受けた時点で既に公知であった情報",
        "開示を受けた後、私の責めによらずに公知となった情報",
        "法令に基づき開示を義務付けられた情報",
    ]),
    ("p", "3　第1項の義務は、本セッションの終了後も存続するものとします。"),
    ("art", "第3条（アイデア等の帰属）"),
    ("p", "私は、本セッションにおいて私が提案したアイデア、意見、スケッチその他の成果（以下「アイデア等」といいます。）に関する著作権その他の権利が、すべて貴社に帰属することに同意し、貴社に対しその対価を請求いたしません。"),
    ("p", "2　私は、アイデア等に関し、貴社及び貴社が指定する者に対して著作者人格権を行使いたしません。"),
    ("p", "3　私は、本セッションの終了後、貴社から求められた場合には、アイデア等の内容について補足の説明その他必要な協力を行います。"),
    ("art", "第4条（撮影及び録音）"),
    ("p", "私は、貴社が本セッションの様子を撮影し、及び録音すること、並びに貴社がこれらの記録を利用することに同意いたします。"),
    ("p", "2　私は、前項の記録に私の氏名、顔及び音声が含まれることを了承いたします。"),
    ("art", "第5条（SNS等への投稿の禁止）"),
    ("p", "私は、本セッションの内容、会場の写真及び配布資料を、SNS、ブログその他の媒体に投稿いたしません。"),
    ("art", "第6条（参加中の遵守事項）"),
    ("p", "私は、本セッションにおいて、貴社の社員及び他の参加者の発言を尊重し、誹謗中傷その他本セッションの運営を妨げる行為を行いません。"),
    ("p", "2　私は、本セッションの会場において、貴社の許可なく撮影、録音又は録画を行いません。"),
    ("art", "第7条（個人情報）"),
    ("p", "私は、貴社が本セッションの運営及び本誓約書の管理のために私の個人情報を取得し、貴社のプライバシーポリシーに従って利用することに同意いたします。"),
    ("art", "第8条（資料等の返却）"),
    ("p", "私は、本セッションにおいて配布された資料及び貸与された試作品を本セッションの終了時に貴社に返却し、その複製物を保持いたしません。"),
    ("art", "第9条（損害賠償）"),
    ("p", "私は、本誓約書に違反したことにより貴社に損害を与えた場合には、その損害（合理的な弁護士費用を含みます。）を賠償いたします。"),
    ("art", "第10条（謝礼）"),
    ("p", "私は、本セッションへの参加の謝礼として、貴社から金8,000円を受領することを確認いたします。私は、この謝礼のほか、本セッションへの参加及びアイデア等に関し、貴社に対して何らの金銭も請求いたしません。"),
    ("art", "第11条（義務の存続）"),
    ("p", "私は、本セッションへの参加を途中で取りやめた場合であっても、本誓約書に基づく義務を負うことを了承いたします。"),
    ("blank",),
    ("p", "以上"),
    ("blank",),
    ("p", "2025年　　月　　日"),
    ("blank",),
    ("sign", ["住所　", "氏名　　　　　　　　　　　　　　　　印", "連絡先（電話番号又はメールアドレス）　"]),
]

# ---------------------------------------------------------------- numbering


def _el(tag, **attrs):
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k), str(v))
    return e


class Numbering:
    """Adds abstractNum / num definitions to a document's numbering part."""

    def __init__(self, document):
        self.root = document.part.numbering_part.element
        self.next_abs = 1 + max([int(a.get(qn("w:abstractNumId"))) for a in self.root.findall(qn("w:abstractNum"))] or [-1])
        self.next_num = 1 + max([int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))] or [0])
        self.abstract_for_style = {}

    def _abstract(self, style):
        if style in self.abstract_for_style:
            return self.abstract_for_style[style]
        fmt, text = STYLES[style]
        abs_id = self.next_abs
        self.next_abs += 1
        an = _el("w:abstractNum", **{"w:abstractNumId": abs_id})
        an.append(_el("w:multiLevelType", **{"w:val": "singleLevel"}))
        lvl = _el("w:lvl", **{"w:ilvl": 0})
        lvl.append(_el("w:start", **{"w:val": 1}))
        lvl.append(_el("w:numFmt", **{"w:val": fmt}))
        lvl.append(_el("w:lvlText", **{"w:val": text}))
        lvl.append(_el("w:lvlJc", **{"w:val": "left"}))
        ppr = _el("w:pPr")
        ppr.append(_el("w:ind", **{"w:left": 840, "w:hanging": 420}))
        lvl.append(ppr)
        an.append(lvl)
        # schema order: all abstractNum elements precede the num elements
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(an)
        else:
            self.root.append(an)
        self.abstract_for_style[style] = abs_id
        return abs_id

    def new_list(self, style):
        """A fresh w:num (restarting at 1) on the abstractNum for style."""
        abs_id = self._abstract(style)
        num_id = self.next_num
        self.next_num += 1
        num = _el("w:num", **{"w:numId": num_id})
        num.append(_el("w:abstractNumId", **{"w:val": abs_id}))
        ov = _el("w:lvlOverride", **{"w:ilvl": 0})
        ov.append(_el("w:startOverride", **{"w:val": 1}))
        num.append(ov)
        self.root.append(num)
        return num_id


def set_num(paragraph, num_id):
    ppr = paragraph._p.get_or_add_pPr()
    numpr = _el("w:numPr")
    numpr.append(_el("w:ilvl", **{"w:val": 0}))
    numpr.append(_el("w:numId", **{"w:val": num_id}))
    # numPr follows pStyle/keepNext/keepLines/pageBreakBefore/framePr/widowControl
    anchor = None
    for tag in ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl"):
        found = ppr.find(qn(tag))
        if found is not None:
            anchor = found
    if anchor is not None:
        anchor.addnext(numpr)
    else:
        ppr.insert(0, numpr)


# ---------------------------------------------------------------- building


def build(blocks, out_path):
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Century"
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = _el("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), "ＭＳ 明朝")
    normal.paragraph_format.space_after = Pt(0)

    props = doc.core_properties
    props.author = "ndalint corpus (fictitious sample)"
    props.last_modified_by = props.author
    props.title = blocks[0][1]
    props.created = props.modified = datetime(2025, 1, 1)
    props.revision = 1

    numbering = Numbering(doc)
    for block in blocks:
        kind = block[0]
        if kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(block[1])
            r.bold = True
            r.font.size = Pt(14)
        elif kind == "blank":
            doc.add_paragraph()
        elif kind == "art":
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            p.add_run(block[1]).bold = True
        elif kind == "p":
            p = doc.add_paragraph(block[1])
            if re.match(r"^[0-9０-９]+　", block[1]):
                p.paragraph_format.left_indent = Pt(10.5)
                p.paragraph_format.first_line_indent = Pt(-10.5)
        elif kind == "items":
            num_id = numbering.new_list(block[1])
            for text in block[2]:
                p = doc.add_paragraph(text)
                set_num(p, num_id)
        elif kind == "sign":
            for line in block[1]:
                doc.add_paragraph(line)
        else:
            raise ValueError(kind)
    doc.save(out_path)


# ---------------------------------------------------------------- verifying

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def verify(path, blocks):
    """Read numbering.xml back and reconstruct the numbered items."""
    ns = {"w": W_NS}
    with zipfile.ZipFile(path) as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
        document = etree.fromstring(z.read("word/document.xml"))
    w = "{%s}" % W_NS
    abstract = {}
    for an in numbering.findall("w:abstractNum", ns):
        lvl = an.find("w:lvl[@w:ilvl='0']", ns)
        abstract[an.get(w + "abstractNumId")] = (
            lvl.find("w:numFmt", ns).get(w + "val") if lvl is not None else None,
            lvl.find("w:lvlText", ns).get(w + "val") if lvl is not None else None,
        )
    nums = {}
    for n in numbering.findall("w:num", ns):
        so = n.find("w:lvlOverride/w:startOverride", ns)
        nums[n.get(w + "numId")] = (n.find("w:abstractNumId", ns).get(w + "val"), int(so.get(w + "val")) if so is not None else 1)
    counters = {}
    items = []
    for p in document.iter(w + "p"):
        numpr = p.find("w:pPr/w:numPr", ns)
        if numpr is None:
            continue
        num_id = numpr.find("w:numId", ns).get(w + "val")
        abs_id, start = nums[num_id]
        fmt, lvl_text = abstract[abs_id]
        n = counters.get(num_id, start - 1) + 1
        counters[num_id] = n
        label = CIRCLED[n - 1] if fmt == "decimalEnclosedCircle" else str(n)
        label = lvl_text.replace("%1", label)
        text = "".join(t.text or "" for t in p.iter(w + "t"))
        assert not re.match(r"^\s*(\(?[0-9０-９]+\)|（[0-9０-９]+）|[①-⑳]|[一二三四五六七八九十]+　)", text), f"typed number in item: {text}"
        items.append((num_id, fmt, label, text))
    expected = [(style, t) for b in blocks if b[0] == "items" for style in [b[1]] for t in b[2]]
    assert len(items) == len(expected), (len(items), len(expected))
    for (num_id, fmt, label, text), (style, etext) in zip(items, expected):
        assert fmt == STYLES[style][0] and text == etext, (fmt, text, style, etext)
    lists = []
    for num_id, fmt, label, text in items:
        if not lists or lists[-1][0] != num_id:
            lists.append((num_id, []))
        lists[-1][1].append(label)
    for num_id, labels in lists:
        assert labels[0] in ("①", "(1)"), f"list numId={num_id} does not restart at 1: {labels}"
    print(f"{path.name}: {len(items)} numbered items in {len(lists)} lists")
    for num_id, fmt, label, text in items:
        print(f"  numId={num_id:>3} {fmt:<22} {label:<4} {text}")


def main():
    targets = [
        (CORPUS / "freelancer-contract.docx", FREELANCER),
        (CORPUS / "pledge-cocreation-session.docx", PLEDGE),
    ]
    for path, blocks in targets:
        build(blocks, path)
        verify(path, blocks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
