"""Directives in Word comments: the reader records what each comment says and the text it is
anchored on (commentRangeStart/End), and a directive there suppresses findings in that range.
Every fixture is a real .docx built with python-docx (``add_comment``) or raw OOXML."""

from __future__ import annotations

from pathlib import Path

import docx
from conftest import check_json
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ndalint import ingest

W = nsdecls("w")
HEAD = "株式会社A（以下「甲」という。）と個人である参加者山田太郎（以下「乙」という。）は、次のとおり合意する。"
CLAUSE = "乙が本契約に違反したときは、違約金として金{n}万円を甲に支払う。"
REASON = "成果報酬型のため違約金条項を双方で合意済み（法務部確認）"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def start(cid: int) -> str:
    return f'<w:commentRangeStart {W} w:id="{cid}"/>'


def end(cid: int) -> str:
    return f'<w:commentRangeEnd {W} w:id="{cid}"/><w:r {W}><w:commentReference w:id="{cid}"/></w:r>'


def range_end(cid: int) -> str:
    """The end of a range standing between paragraphs (its reference mark is elsewhere, or nowhere)."""
    return f'<w:commentRangeEnd {W} w:id="{cid}"/>'


def para(inner: str, ppr: str = "") -> str:
    return f"<w:p {W}>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{inner}</w:p>"


def make(tmp_path: Path, blocks: list[str], comments: list[str | tuple[str, ...]], name: str = "c.docx") -> Path:
    """A .docx whose body is ``blocks`` (raw XML: paragraphs, or range marks between them); the
    comments get ids 0, 1, … in order, a tuple being a comment of several paragraphs."""
    doc = docx.Document()
    sect = doc.element.body[-1]
    for xml in blocks:
        sect.addprevious(parse_xml(xml))
    for text in comments:
        paragraphs = (text,) if isinstance(text, str) else text
        c = doc.comments.add_comment(text=paragraphs[0], author="法務")
        for more in paragraphs[1:]:
            c.add_paragraph(more)
    path = tmp_path / name
    doc.save(str(path))
    return path


def contract(art1: str | None = None, art2: str | None = None) -> list[str]:
    """Two articles with a penalty each; ``art1``/``art2`` replace an article's clause paragraph."""
    return [para(r(HEAD)), para(r("第1条（違約金）")), art1 or para(r(CLAUSE.format(n=100))),
            para(r("第2条（違約金その2）")), art2 or para(r(CLAUSE.format(n=50)))]


def lint(path: Path, select: str = "LIAB002,FORM", *extra: str):
    _, data, _ = check_json(path, extra=("--select", select, "--exit-zero", *extra))
    d = data["documents"][0]
    return d["suppressed"], [(f["rule_id"], f["article"], f["line"]) for f in d["findings"]], d["findings"]


# -- the reader ------------------------------------------------------------------------------------

def test_reader_records_each_comment_and_the_text_it_is_on(tmp_path):
    clause = para(r("乙が本契約に違反したときは、") + start(0) + r("違約金として") + r("金100万円を甲に支払う。") + end(0))
    path = make(tmp_path, contract(clause), [("ndalint-disable LIAB002", "-- " + REASON)])
    doc = ingest.load(str(path))
    (c,) = doc.meta["comment_ranges"]
    assert (c["id"], c["author"], c["text"]) == ("0", "法務", "ndalint-disable LIAB002\n-- " + REASON)
    assert doc.text[c["start"]:c["end"]] == "違約金として金100万円を甲に支払う。"
    assert doc.meta["comments"] == 1


def test_reader_maps_ranges_across_paragraphs_numbering_labels_and_joined_paragraphs(tmp_path):
    numbered = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="900"/></w:numPr>'
    deleted_mark = '<w:rPr><w:del w:id="7" w:author="x" w:date="2026-01-01T00:00:00Z"/></w:rPr>'
    blocks = [para(r(HEAD)), start(0),  # a range that starts between paragraphs
              para(r("秘密を保持する。"), numbered), para(r("第三者に") + start(1) + r("開示しない。")),
              range_end(0), para(r("前段") + start(2), deleted_mark), para(r("後段") + end(2)), para(end(1))]
    path = tmp_path / "n.docx"
    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {W} w:abstractNumId="900"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                                  f'<w:numFmt w:val="decimal"/><w:lvlText w:val="第%1条"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="900"><w:abstractNumId w:val="900"/></w:num>'))
    sect = doc.element.body[-1]
    for xml in blocks:
        sect.addprevious(parse_xml(xml))
    for text in ("a", "b", "c"):
        doc.comments.add_comment(text=text)
    doc.save(str(path))
    read = ingest.load(str(path))
    spans = {c["id"]: read.text[c["start"]:c["end"]] for c in read.meta["comment_ranges"]}
    assert read.text.split("\n")[1:] == ["第1条\u3000秘密を保持する。", "第三者に開示しない。", "前段後段", ""]
    assert spans == {"0": "秘密を保持する。\n第三者に開示しない。\n", "1": "開示しない。\n前段後段\n", "2": "後段"}


def test_a_comment_on_deleted_text_belongs_to_the_view_that_shows_it(tmp_path):
    gone = (f'<w:del {W} w:id="9" w:author="x" w:date="2026-01-01T00:00:00Z">{start(0)}'
            f'<w:r><w:delText>旧条項</w:delText></w:r>{end(0).replace(f"<w:r {W}>", "<w:r>")}</w:del>')
    path = make(tmp_path, [para(r("本文。") + gone)], ["ndalint-disable-file LIAB -- 旧条項について"])
    assert ingest.load(str(path)).meta["comment_ranges"] == []
    original = ingest.load(str(path), docx_view="original")
    assert [original.text[c["start"]:c["end"]] for c in original.meta["comment_ranges"]] == ["旧条項"]


# -- suppressing -------------------------------------------------------------------------------------

def test_comment_directive_suppresses_findings_in_the_commented_range(tmp_path):
    clause = para(start(0) + r(CLAUSE.format(n=100)) + end(0))
    path = make(tmp_path, contract(clause), [f"ndalint-disable LIAB002 -- {REASON}"])
    assert lint(path)[:2] == (1, [("LIAB002", 2, 5)])


def test_comment_on_a_few_words_covers_the_sentence_they_are_in(tmp_path):
    clause = para(r("乙が本契約に違反したときは、違約金として") + start(0) + r("金100万円") + end(0) + r("を甲に支払う。"))
    path = make(tmp_path, contract(clause), [f"ndalint-disable LIAB002 -- {REASON}"])
    assert lint(path)[:2] == (1, [("LIAB002", 2, 5)])


def test_an_ordinary_comment_suppresses_nothing(tmp_path):
    clause = para(start(0) + r(CLAUSE.format(n=100)) + end(0))
    path = make(tmp_path, contract(clause), ["金額が高すぎる。ndalint の指摘どおり減額を求める"])
    assert lint(path)[:2] == (0, [("LIAB002", 1, 3), ("LIAB002", 2, 5)])


def test_comment_on_the_heading_covers_the_article(tmp_path):
    blocks = contract()
    blocks[3] = para(start(0) + r("第2条（違約金その2）") + end(0))
    path = make(tmp_path, blocks, [f"ndalint-disable LIAB -- {REASON}"])
    assert lint(path)[:2] == (1, [("LIAB002", 1, 3)])


def test_point_comment_covers_its_paragraph_and_file_directive_the_document(tmp_path):
    point = para(r(CLAUSE.format(n=100)) + '<w:r><w:commentReference w:id="0"/></w:r>')
    path = make(tmp_path, contract(point), [f"ndalint-disable-next-line LIAB002 -- {REASON}"])
    assert lint(path)[:2] == (1, [("LIAB002", 2, 5)])
    clause = para(start(0) + r("乙") + end(0) + r("が本契約に違反したときは、違約金を支払う。"))
    path = make(tmp_path, contract(clause), [f"ndalint-disable-file LIAB002 -- {REASON}"], "file.docx")
    assert lint(path)[:2] == (2, [])


def test_comment_directive_problems_are_reported_at_the_commented_text(tmp_path):
    art1 = para(start(0) + r(CLAUSE.format(n=100)) + end(0))
    art2 = para(start(1) + start(2) + r(CLAUSE.format(n=50)) + end(1) + end(2))
    path = make(tmp_path, contract(art1, art2), ["ndalint-disable LIAB002", f"ndalint-disable LAIB002 -- {REASON}",
                                                 f"ndalint-disable LIAB002,LIAB013 -- {REASON}"])
    suppressed, findings, raw = lint(path, "LIAB002,LIAB013,FORM")
    assert suppressed == 1
    assert findings == [("FORM006", 1, 3), ("LIAB002", 1, 3), ("FORM009", 2, 5), ("FORM010", 2, 5)]
    assert "「LAIB002」" in raw[2]["message"] and "「LIAB013」" in raw[3]["message"]
