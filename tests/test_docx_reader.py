"""The Word reader shows the text Word shows: tracked changes per view, content controls, fields,
text boxes, notes, numbering. Every fixture is a real .docx built here with python-docx plus raw
OOXML, saved to disk and read back through the public API."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from conftest import SHARED
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ndalint import ingest
from ndalint.ingest.docx import read_docx

W = nsdecls("w")
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
WP = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'
REV = 'w:author="レビュアー" w:date="2026-01-01T00:00:00Z"'


# ------------------------------------------------------------------------------ builders


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def p(inner: str = "", ppr: str = "") -> str:
    return f"<w:p {W}>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{inner}</w:p>"


def ins(inner: str, rid: int = 1) -> str:
    return f'<w:ins w:id="{rid}" {REV}>{inner}</w:ins>'


def deleted(text: str, rid: int = 2) -> str:
    return f'<w:del w:id="{rid}" {REV}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def field(code: str, result: str) -> str:
    """A complex field: begin, code, separate, result runs, end."""
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{code}'
            f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def numpr(num_id: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def lvl(ilvl: int, text: str, fmt: str = "decimal", extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def make(tmp_path: Path, *blocks: str, abstract: dict[int, str] | None = None,
         nums: dict[int, str] | None = None, styles: tuple[str, ...] = (), setup=None) -> Path:
    """A .docx whose body is ``blocks``; ``abstract``/``nums`` add numbering definitions
    (ids from 900 up, clear of the template's), ``styles`` add raw ``w:style`` elements."""
    doc = docx.Document()
    body = doc.element.body
    sect = body[-1]
    for xml in blocks:
        sect.addprevious(parse_xml(xml))
    numbering = doc.part.numbering_part.element
    for aid, levels in (abstract or {}).items():
        numbering.insert(0, parse_xml(f'<w:abstractNum {W} w:abstractNumId="{aid}">{levels}</w:abstractNum>'))
    for num_id, inner in (nums or {}).items():
        numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}">{inner}</w:num>'))
    for style in styles:
        doc.styles.element.append(parse_xml(style.replace("<w:style ", f"<w:style {W} ", 1)))
    if setup:
        setup(doc)
    path = tmp_path / "fixture.docx"
    doc.save(str(path))
    return path


def text_of(path: Path, view: str = "accepted") -> str:
    if view == "accepted":
        return ingest.load(str(path)).text
    return read_docx(path.read_bytes(), str(path), view=view).text


# ------------------------------------------------------------------------------ tracked changes

TRACKED = p(r("秘密情報とは、") + ins(r("開示者が秘密と指定した")) + deleted("一切の") + r("情報をいう。"))


def test_tracked_insertion_and_deletion_accepted_view(tmp_path):
    path = make(tmp_path, TRACKED)
    doc = ingest.load(str(path))
    assert doc.text == "秘密情報とは、開示者が秘密と指定した情報をいう。"
    assert doc.meta["view"] == "accepted"


def test_tracked_insertion_and_deletion_original_view(tmp_path):
    path = make(tmp_path, TRACKED)
    doc = read_docx(path.read_bytes(), str(path), view="original")
    assert doc.text == "秘密情報とは、一切の情報をいう。"
    assert doc.meta["view"] == "original"


def test_moves_read_like_insertion_and_deletion(tmp_path):
    path = make(tmp_path, p(
        f'<w:moveFrom w:id="3" {REV}>{r("直ちに")}</w:moveFrom>' + r("返還する。")
        + f'<w:moveTo w:id="4" {REV}>{r("直ちに")}</w:moveTo>' + r("破棄する。")))
    assert text_of(path) == "返還する。直ちに破棄する。"
    assert text_of(path, "original") == "直ちに返還する。破棄する。"


def test_deleted_paragraph_mark_joins_the_next_paragraph(tmp_path):
    mark_deleted = f'<w:rPr><w:del w:id="5" {REV}/></w:rPr>'
    path = make(tmp_path, p(r("受領者は、"), ppr=mark_deleted), p(r("秘密を保持する。")))
    assert text_of(path) == "受領者は、秘密を保持する。"
    assert text_of(path, "original") == "受領者は、\n秘密を保持する。"


def test_unknown_view_is_a_value_error(tmp_path):
    path = make(tmp_path, p(r("本文")))
    with pytest.raises(ValueError):
        read_docx(path.read_bytes(), str(path), view="markup")


def test_meta_counts_tracked_changes_in_both_views(tmp_path):
    mark_inserted = f'<w:rPr><w:ins w:id="9" {REV}/></w:rPr>'  # a mark change holds no text: not counted
    path = make(tmp_path, TRACKED, p(ins(r("追加の文。"), rid=7) + deleted("削除の文。", rid=8), ppr=mark_inserted),
                p(r("末尾。")))
    for view in ("accepted", "original"):
        meta = read_docx(path.read_bytes(), str(path), view=view).meta
        assert (meta["insertions"], meta["deletions"], meta["comments"], meta["footnotes"]) == (2, 2, 0, 0)


# ------------------------------------------------------------------------------ inline wrappers


def test_inline_content_control(tmp_path):
    sdt = f'<w:sdt><w:sdtPr><w:alias w:val="相手方"/></w:sdtPr><w:sdtContent>{r("株式会社テスト")}</w:sdtContent></w:sdt>'
    path = make(tmp_path, p(r("甲は、") + sdt + r("に対し")))
    assert text_of(path) == "甲は、株式会社テストに対し"


def test_block_content_control(tmp_path):
    sdt = (f'<w:sdt {W}><w:sdtPr><w:alias w:val="条項"/></w:sdtPr><w:sdtContent>'
           f'{p(r("第2条　秘密保持"))}{p(r("受領者は秘密を守る。"))}</w:sdtContent></w:sdt>')
    path = make(tmp_path, p(r("第1条　目的")), sdt, p(r("第3条　期間")))
    assert text_of(path) == "第1条　目的\n第2条　秘密保持\n受領者は秘密を守る。\n第3条　期間"


def test_table_of_contents_control_is_skipped(tmp_path):
    toc = (f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
           f'</w:docPartObj></w:sdtPr><w:sdtContent>{p(r("第1条　目的 ...... 1"))}</w:sdtContent></w:sdt>')
    path = make(tmp_path, toc, p(r("第1条　目的")))
    assert text_of(path) == "第1条　目的"


def test_table_of_contents_field_is_skipped(tmp_path):
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    path = make(tmp_path, p(begin + r("第1条　目的 1")), p(r("第2条　期間 2") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
                p(r("第1条　目的")))
    assert text_of(path) == "第1条　目的"


def test_smart_tag(tmp_path):
    tag = f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName">{r("（以下「乙」）")}</w:smartTag>'
    path = make(tmp_path, p(r("株式会社テスト") + tag + r("という。")))
    assert text_of(path) == "株式会社テスト（以下「乙」）という。"


def test_simple_field_shows_its_result(tmp_path):
    simple = f'<w:fldSimple w:instr=" DATE \\@ &quot;yyyy年M月d日&quot; ">{r("2026年12月4日")}</w:fldSimple>'
    path = make(tmp_path, p(r("締結日：") + simple))
    assert text_of(path) == "締結日：2026年12月4日"


def test_complex_field_shows_result_not_code(tmp_path):
    date = field(' DATE \\@ "yyyy年M月d日" ', r("2026年12月4日"))
    path = make(tmp_path, p(r("本契約は") + date + r("に締結する。")))
    assert text_of(path) == "本契約は2026年12月4日に締結する。"


def test_nested_fields(tmp_path):
    # a field inside another's code is code; a field inside another's result is shown
    inner_code = field(" MERGEFIELD 区分 ", r("«区分»"))
    outer = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>'
             + inner_code + '<w:r><w:instrText xml:space="preserve"> = "相互" "相互に" "一方的に" </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("相互に") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    in_result = field(" REF 期間 ", r("期間は") + field(" PAGE ", r("3")) + r("年"))
    path = make(tmp_path, p(r("甲乙は") + outer + r("開示する。") + in_result))
    assert text_of(path) == "甲乙は相互に開示する。期間は3年"


def test_field_without_result_shows_nothing(tmp_path):
    seal = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>eq \\o\\ac(○,印)</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    path = make(tmp_path, p(r("代表取締役") + seal))
    assert text_of(path) == "代表取締役"


def test_hyperlink(tmp_path):
    link = f'<w:hyperlink w:anchor="_Ref1">{r("第5条")}</w:hyperlink>'
    path = make(tmp_path, p(r("前条及び") + link + r("の規定")))
    assert text_of(path) == "前条及び第5条の規定"


def test_brief_example_sentence(tmp_path):
    sdt = f'<w:sdt><w:sdtContent>{r("株式会社テスト")}</w:sdtContent></w:sdt>'
    tag = f'<w:smartTag w:element="x">{r("（以下「乙」）")}</w:smartTag>'
    path = make(tmp_path, p(r("甲は、") + sdt + tag + field(" DATE ", r("2026年12月4日")) + r("に対し")))
    assert text_of(path) == "甲は、株式会社テスト（以下「乙」）2026年12月4日に対し"


def test_run_content_tab_break_hyphen_ruby(tmp_path):
    ruby = ('<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>こう</w:t></w:r></w:rt>'
            '<w:rubyBase><w:r><w:t>甲</w:t></w:r></w:rubyBase></w:ruby></w:r>')
    path = make(tmp_path, p(
        '<w:r><w:t>1</w:t><w:tab/><w:t>A</w:t><w:br/><w:t>B</w:t><w:noBreakHyphen/><w:t>C</w:t>'
        '<w:br w:type="page"/><w:t>D</w:t></w:r>' + ruby))
    assert text_of(path) == "1\tA B-CD甲"


# ------------------------------------------------------------------------------ stories


def _textbox(text: str) -> str:
    box = f"<w:txbxContent>{p(r(text))}</w:txbxContent>"
    drawing = (f'<w:drawing><wp:anchor><a:graphic><a:graphicData uri="x"><wps:wsp><wps:txbx>{box}'
               f'</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>')
    pict = f'<w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>'
    return (f'<w:r><mc:AlternateContent {MC} {WPS} {WP} {A} {V}><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f'<mc:Fallback>{pict}</mc:Fallback></mc:AlternateContent></w:r>')


def test_text_box_follows_its_anchor_paragraph_once(tmp_path):
    path = make(tmp_path, p(r("本文の段落。") + _textbox("枠内の注意書き。") + r("続き。")), p(r("次の段落。")))
    assert text_of(path) == "本文の段落。続き。\n枠内の注意書き。\n次の段落。"


def test_vml_text_box_and_unknown_choice(tmp_path):
    pict = f'<w:r><w:pict><v:shape {V}><v:textbox><w:txbxContent>{p(r("VMLの枠。"))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
    # a Choice needing a namespace we do not read (w16se: emoji) keeps the text in its Fallback
    emoji = (f'<w:r><mc:AlternateContent {MC}><mc:Choice Requires="w16se"><w:t>x</w:t></mc:Choice>'
             f'<mc:Fallback><w:t>※</w:t></mc:Fallback></mc:AlternateContent></w:r>')
    path = make(tmp_path, p(r("注意") + emoji + pict))
    assert text_of(path) == "注意※\nVMLの枠。"


def _add_footnotes(doc) -> None:
    blob = (f'<w:footnotes {W}>'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 個人情報を含む。</w:t></w:r></w:p>'
            '</w:footnote></w:footnotes>').encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def test_footnote_is_appended_after_the_body(tmp_path):
    path = make(tmp_path, p(r("秘密情報を開示する。") + '<w:r><w:footnoteReference w:id="1"/></w:r>'), p(r("以上")),
                setup=_add_footnotes)
    doc = ingest.load(str(path))
    assert doc.text == "秘密情報を開示する。\n以上\n注1　個人情報を含む。"
    assert doc.meta["footnotes"] == 1
    assert doc.meta["notes_start"] == doc.text.index("注1")
    assert doc.block_at(doc.meta["notes_start"]).kind == "line"


def test_footnote_is_an_appendix_not_the_tail_of_the_last_article(tmp_path):
    from ndalint import structure

    path = make(tmp_path, p(r("第1条（目的）")), p(r("秘密情報を開示する。") + '<w:r><w:footnoteReference w:id="1"/></w:r>'),
                p(r("第2条（期間）")), p(r("本契約の有効期間は1年とする。")), setup=_add_footnotes)
    contract = structure.parse(ingest.load(str(path)))
    last = contract.articles[-1]
    assert contract.text[last.start:last.end] == "第2条（期間）\n本契約の有効期間は1年とする。"
    assert [(s.title, contract.text[s.start:s.end]) for s in contract.appendices] == [("脚注", "注1　個人情報を含む。")]


def test_comments_are_skipped_and_counted(tmp_path):
    def comment(doc):
        para = doc.paragraphs[0]
        doc.add_comment(para.runs[0], text="この条項は削除を検討", author="法務")
        doc.add_comment(para.runs[1], text="期間が長すぎる", author="法務")

    path = make(tmp_path, p(r("受領者は") + r("5年間秘密を保持する。")), setup=comment)
    doc = ingest.load(str(path))
    assert doc.text == "受領者は5年間秘密を保持する。"
    assert doc.meta["comments"] == 2


def test_header_and_footer_are_not_body_text(tmp_path):
    def furniture(doc):
        doc.sections[0].header.paragraphs[0].text = "社外秘"
        doc.sections[0].footer.paragraphs[0].text = "1 / 3"

    path = make(tmp_path, p(r("本文のみ。")), setup=furniture)
    assert text_of(path) == "本文のみ。"


# ------------------------------------------------------------------------------ numbering

ARTICLE = lvl(0, "第%1条", extra='<w:suff w:val="nothing"/>')


def test_numbering_article_label_with_suffix_nothing(tmp_path):
    path = make(tmp_path, p(r("（目的）"), numpr(900)), p(r("（定義）"), numpr(900)),
                abstract={900: ARTICLE}, nums={900: '<w:abstractNumId w:val="900"/>'})
    doc = ingest.load(str(path))
    assert doc.text == "第1条（目的）\n第2条（定義）"
    assert doc.blocks[1].label == "第2条"


def test_numbering_default_suffix_is_a_full_width_space(tmp_path):
    path = make(tmp_path, p(r("目的"), numpr(900)), abstract={900: lvl(0, "第%1条")},
                nums={900: '<w:abstractNumId w:val="900"/>'})
    assert text_of(path) == "第1条\u3000目的"


def test_numbering_multi_level_and_legal(tmp_path):
    levels = lvl(0, "第%1章", "japaneseCounting") + lvl(1, "%1.%2", "decimal", extra="<w:isLgl/>")
    path = make(tmp_path, p(r("総則"), numpr(900)), p(r("目的"), numpr(900, 1)), p(r("定義"), numpr(900, 1)),
                p(r("義務"), numpr(900)), p(r("秘密保持"), numpr(900, 1)),
                abstract={900: levels}, nums={900: '<w:abstractNumId w:val="900"/>'})
    assert text_of(path) == "第一章\u3000総則\n1.1\u3000目的\n1.2\u3000定義\n第二章\u3000義務\n2.1\u3000秘密保持"


def test_numbering_restart_by_start_override(tmp_path):
    items = lvl(0, "(%1)")
    path = make(tmp_path, p(r("A"), numpr(900)), p(r("B"), numpr(900)), p(r("C"), numpr(901)),
                p(r("D"), numpr(902)),
                abstract={900: items},
                nums={900: '<w:abstractNumId w:val="900"/>', 901: '<w:abstractNumId w:val="900"/>',
                      902: '<w:abstractNumId w:val="900"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'})
    # 901 continues the list of its abstract definition; 902 restarts it
    assert text_of(path) == "(1)\u3000A\n(2)\u3000B\n(3)\u3000C\n(1)\u3000D"


def test_numbering_inherited_through_styles_and_numid_zero(tmp_path):
    styles = (f'<w:style w:type="paragraph" w:styleId="Jo"><w:name w:val="条"/>'
              f'<w:pPr>{numpr(900)}</w:pPr></w:style>',
              '<w:style w:type="paragraph" w:styleId="JoMidashi"><w:name w:val="条見出し"/>'
              '<w:basedOn w:val="Jo"/></w:style>')
    jo = '<w:pStyle w:val="JoMidashi"/>'
    off = jo + '<w:numPr><w:numId w:val="0"/></w:numPr>'
    path = make(tmp_path, p(r("（目的）"), jo), p(r("（番号なし）"), off), p(r("（定義）"), jo),
                abstract={900: ARTICLE}, nums={900: '<w:abstractNumId w:val="900"/>'}, styles=styles)
    assert text_of(path) == "第1条（目的）\n（番号なし）\n第2条（定義）"


def test_deleted_numbered_paragraph_does_not_advance_counters(tmp_path):
    gone = numpr(900) + f'<w:rPr><w:del w:id="6" {REV}/></w:rPr>'
    path = make(tmp_path, p(r("開示"), numpr(900)), p(deleted("削除された号"), gone), p(r("利用"), numpr(900)),
                abstract={900: lvl(0, "(%1)")}, nums={900: '<w:abstractNumId w:val="900"/>'})
    assert text_of(path) == "(1)\u3000開示\n(2)\u3000利用"
    assert text_of(path, "original") == "(1)\u3000開示\n(2)\u3000削除された号\n(3)\u3000利用"


def test_original_view_numbers_with_the_properties_before_a_format_change(tmp_path):
    change = f'<w:pPrChange w:id="10" {REV}><w:pPr/></w:pPrChange>'  # numbering was added with tracking
    path = make(tmp_path, p(r("目的"), numpr(900)), p(r("定義"), numpr(900) + change),
                abstract={900: ARTICLE}, nums={900: '<w:abstractNumId w:val="900"/>'})
    assert text_of(path) == "第1条目的\n第2条定義"
    assert text_of(path, "original") == "第1条目的\n定義"


# ------------------------------------------------------------------------------ real files

REAL = SHARED / "corpus" / "real"
ARTICLES = {  # article numbers each real .docx shows as 第N条 at the start of a paragraph
    "r18_spurs-freelance-basic-agreement.docx": 17,
    "r19_moriyoshi-mutual-nda-template.docx": 10,
    "r20_moriyoshi-software-dev-basic-agreement.docx": 16,
    "r21_spurs-partner-nda.docx": 16,
}
FROM_NUMBERING = {"r19_moriyoshi-mutual-nda-template.docx", "r20_moriyoshi-software-dev-basic-agreement.docx"}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_real_docx_shows_every_article_heading(name):
    path = REAL / name
    assert path.exists(), f"{path} is missing: CI clones main with ../shared beside it"
    doc = ingest.load(str(path))
    full_width = str.maketrans("０１２３４５６７８９", "0123456789")
    found = [int(n.translate(full_width)) for n in re.findall(r"^第([0-9０-９]+)条", doc.text, re.M)]
    assert found == list(range(1, ARTICLES[name] + 1))
    if name in FROM_NUMBERING:  # these numbers exist only in numbering.xml
        labels = [b.label for b in doc.blocks if b.label and b.label.startswith("第")]
        assert labels == [f"第{n}条" for n in range(1, ARTICLES[name] + 1)]


# ------------------------------------------------------------------------------ through the CLI


def test_cli_lints_the_accepted_view_and_says_so(tmp_path):
    """A counterparty's redline: 一切の情報 deleted and a designation inserted. The accepted view is
    the draft as it will be signed; --docx-view original lints the text before the changes."""
    from conftest import check_json, run_cli

    path = make(
        tmp_path,
        p(r("秘密保持契約書")),
        p(r("株式会社アルファ（以下「甲」という。）と山田太郎（以下「乙」という。）は、次のとおり契約を締結する。")),
        p(r("第1条（秘密情報）")),
        p(r("乙は、") + deleted("甲から開示された一切の情報") + ins(r("甲が書面で秘密と指定して開示した情報"))
          + r("を第三者に開示してはならない。")),
    )
    _, accepted, _ = check_json(path, extra=("--exit-zero",))
    _, original, _ = check_json(path, extra=("--exit-zero", "--docx-view", "original"))
    acc, orig = accepted["documents"][0], original["documents"][0]
    assert acc["source"] == {**acc["source"], "view": "accepted", "insertions": 1, "deletions": 1}
    assert orig["source"]["view"] == "original"
    excerpts = lambda d: " ".join(f["excerpt"] for f in d["findings"])  # noqa: E731
    assert "一切の情報" in excerpts(orig) and "一切の情報" not in excerpts(acc)
    text = run_cli("check", "--exit-zero", str(path)).stdout
    assert "変更履歴をすべて反映した版（挿入 1・削除 1）" in text


def test_cli_finds_articles_numbered_only_by_word(tmp_path):
    """第N条 exists only in numbering.xml, with the heading a paragraph of its own and the clause
    paragraphs numbered by a second list: the report still lists 第1条〜第3条 with their headings."""
    from conftest import check_json

    heading = numpr(900)
    path = make(
        tmp_path,
        p(r("秘密保持契約書")),
        p(r("株式会社アルファ（以下「甲」という。）と株式会社ベータ（以下「乙」という。）は、次のとおり契約を締結する。")),
        p(r("（目的）"), heading), p(r("本契約は、取引の検討を目的とする。")),
        p(r("（秘密保持）"), heading), p(r("乙は、秘密情報を第三者に開示してはならない。"), numpr(901)),
        p(r("前項の規定は、公知の情報には適用しない。"), numpr(901)),
        p(r("（有効期間）"), heading), p(r("本契約の有効期間は1年とする。")),
        abstract={900: ARTICLE, 901: lvl(0, "%1.", "decimalFullWidth")},
        nums={900: '<w:abstractNumId w:val="900"/>', 901: '<w:abstractNumId w:val="901"/>'},
    )
    _, data, _ = check_json(path, extra=("--exit-zero",))
    doc = data["documents"][0]
    assert [(a["number"], a["title"]) for a in doc["articles"]] == [(1, "目的"), (2, "秘密保持"), (3, "有効期間")]
