"""PDF reading: wrapped lines joined, running headers and page numbers left out, offsets mapped back
to page and physical line, encryption and damage handled. PDFs are built with reportlab here, lines
justified to the column like a word processor does, so the geometry is that of a real export."""

from __future__ import annotations

import io
import re

import pytest

from conftest import SHARED, make_pdf
from ndalint import ingest
from ndalint.errors import InputError
from ndalint.ingest.document import Block, Document
from ndalint.ingest.pdf_lines import normalize_spaces

FONT = "HeiseiMin-W3"
SIZE = 10.5
LEFT, RIGHT = 60.0, 380.0  # the text column: 320pt, about 30 full-width characters


def _canvas(buf: io.BytesIO, **kwargs):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(buf, **kwargs)


def _draw(c, line: str, y: float, justify: bool = False, x: float = LEFT) -> None:
    """One physical line; ``justify`` spreads it to the right margin as a full line of a paragraph."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = c.beginText(x, y)
    text.setFont(FONT, SIZE)
    if justify and len(line) > 1:
        text.setCharSpace((RIGHT - x - stringWidth(line, FONT, SIZE)) / (len(line) - 1))
    text.textLine(line)
    c.drawText(text)


def _build(pages: list[list[tuple[str, bool]]], header: str | None = None, footers: bool = False, **kwargs) -> bytes:
    """Pages of (line, full) pairs drawn top-down; optional running header and page-number footers."""
    buf = io.BytesIO()
    c = _canvas(buf, **kwargs)
    total = len(pages)
    for number, lines in enumerate(pages, start=1):
        if header:
            _draw(c, header, 815, x=RIGHT - 40)
        y = 770.0
        for line, full in lines:
            _draw(c, line, y, justify=full)
            y -= 18
        if footers:
            _draw(c, f"- {number} -", 40, x=200)
            _draw(c, f"{number}/{total}", 24, x=RIGHT - 20)
        c.showPage()
    c.save()
    return buf.getvalue()


def _load(tmp_path, data: bytes, name: str = "doc.pdf") -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    return ingest.load(str(path))


def _lines(doc: Document) -> list[str]:
    return doc.text.split("\n")


WRAPPED = [
    ("秘密保持契約書", False),
    ("株式会社甲野（以下「甲」という。）と山田太郎（以下「乙」とい", True),
    ("う。）は、甲が乙に開示する一切の技術上及び営業上の一切", True),
    ("の情報の取扱いについて、次のとおり契約を締結する。", False),
    ("第 1 条（目的）", False),
    ("本契約は、甲乙間の取引の検討（以下「本件取引」という。）を", True),
    ("目的とし、開示される情報（以下「Confidential", True),
    ("Information」という。）の取扱いを定める。", False),
    ("第 ２ 条（秘密情報）", False),
    ("乙は、秘密情報を第三者に開示してはならない。ただし、次の", True),
    ("各号に掲げる情報を除く。", False),
    ("(1) 公知の情報", False),
    ("(2) 乙が独自に開発した情報であって、書面により証明できるもの", True),
    ("(3) 正当な権限を有する第三者から取得した情報", False),
    ("2　前項の規定は、本契約の終了後も効力を有する。", False),
]


def test_wrapped_sentence_is_joined_without_a_space(tmp_path):
    doc = _load(tmp_path, _build([WRAPPED]))
    assert "（以下「乙」という。）は、" in doc.text
    assert "一切の情報" in doc.text
    assert "次のとおり契約を締結する。" in doc.text
    assert "目的とし、開示される情報（以下「Confidential Information」という。）" in doc.text
    assert doc.meta["extractor"] == "pypdfium2"
    assert doc.meta["joined_lines"] == 5
    # the Document contract: one block per logical line, separated by exactly one newline
    assert [doc.block_text(b) for b in doc.blocks] == _lines(doc)


def test_headings_and_list_items_stay_on_their_own_lines(tmp_path):
    lines = _lines(_load(tmp_path, _build([WRAPPED])))
    assert lines[0] == "秘密保持契約書"
    for start in ("第1条（目的）", "第２条（秘密情報）", "(1) 公知の情報", "(2) 乙が独自に", "(3) 正当な", "2　前項の規定"):
        assert any(line.startswith(start) for line in lines), start
    assert "第1条（目的）" in lines and "(1) 公知の情報" in lines
    # a full line followed by the next item is not joined to it
    assert next(line for line in lines if line.startswith("(2)")).endswith("証明できるもの")


def test_spaces_around_digits_are_normalised_but_latin_spaces_kept():
    assert normalize_spaces("第 1 条（目的）") == "第1条（目的）"
    assert normalize_spaces("第 １ 条") == "第１条"
    assert normalize_spaces("2026 年 4 月 1 日から 1 年間") == "2026年4月1日から1年間"
    assert normalize_spaces("金 3,200,000 円（消費税別）") == "金3,200,000円（消費税別）"
    assert normalize_spaces("2 前項の規定") == "2 前項の規定"  # a paragraph number keeps its space
    assert normalize_spaces("2　前項の規定") == "2　前項の規定"  # full-width spaces are the author's
    assert normalize_spaces("1. Web サイトの保守") == "1. Web サイトの保守"
    assert normalize_spaces("Non-Disclosure Agreement 2 of 3") == "Non-Disclosure Agreement 2 of 3"
    assert normalize_spaces("ＡＢＣ株式会社") == "ＡＢＣ株式会社"  # no NFKC: full-width letters kept


def test_running_header_and_page_numbers_are_removed(tmp_path):
    pages = [
        [("第1条（目的）", False), ("本契約は、甲乙間の取引の検討を目的とし、甲が乙に開示する", True),
         ("情報の取扱いを定める。", False), ("第2条（秘密保持）", False),
         ("乙は、秘密情報を厳重に管理し、甲の事前の書面による承諾なく", True)],
        [("第三者に開示してはならない。", False), ("第3条（返還）", False), ("乙は、甲の求めに応じて返還する。", False)],
        [("第4条（協議）", False), ("本契約に定めのない事項は協議する。", False), ("以上", False)],
    ]
    doc = _load(tmp_path, _build(pages, header="部外秘", footers=True))
    assert doc.meta["pages"] == 3
    assert doc.meta["removed_lines"] == 9  # 部外秘, - N - and N/3 on each of the 3 pages
    assert "部外秘" not in doc.text
    assert not any(re.fullmatch(r"- \d -|\d/3", line) for line in _lines(doc))
    # the sentence that runs over the page break is one line, without the footer and header between
    assert "甲の事前の書面による承諾なく第三者に開示してはならない。" in doc.text
    assert _lines(doc)[0] == "第1条（目的）"


def test_locate_gives_page_and_physical_line_on_a_joined_line(tmp_path):
    pages = [
        [("第1条（目的）", False), ("本契約は、甲乙間の取引の検討を目的とし、甲が乙に開示する", True),
         ("情報の取扱いを定める。", False), ("第2条（秘密保持）", False),
         ("乙は、秘密情報を厳重に管理し、甲の事前の書面による承諾なく", True)],
        [("第三者に開示してはならない。", False)],
    ]
    doc = _load(tmp_path, _build(pages, header="部外秘", footers=True))
    # physical lines, counted across the PDF in drawing order: header, body, two footers per page
    loc = doc.locate(doc.text.index("情報の取扱い"))
    assert (loc.page, loc.line, loc.column) == (1, 4, 1)
    loc = doc.locate(doc.text.index("取扱いを定める"))
    assert (loc.page, loc.line, loc.column) == (1, 4, 4)
    assert doc.locate(doc.text.index("本契約は")).line == 3
    loc = doc.locate(doc.text.index("開示してはならない"))
    assert (loc.page, loc.line, loc.column) == (2, 10, 5)
    assert doc.locate(doc.text.index("承諾なく")).page == 1


def test_without_character_boxes_line_lengths_decide():
    from ndalint.ingest.pdf_extract import PhysLine
    from ndalint.ingest.pdf_lines import join_wrapped

    texts = ["第1条（目的）", "本契約は、甲乙間の取引の検討を目的とし、乙が知り得た一切", "の情報の取扱いを定める。",
             "本契約の有効期間は、締結の日から一年間とし、期間満了の三", "箇月前までに申出がないときは更新する。", "以上"]
    lines = [PhysLine(text=t, page=1, number=i) for i, t in enumerate(texts, start=1)]
    logical, joined = join_wrapped(lines)
    assert [line.text for line in logical] == [
        "第1条（目的）", "本契約は、甲乙間の取引の検討を目的とし、乙が知り得た一切の情報の取扱いを定める。",
        "本契約の有効期間は、締結の日から一年間とし、期間満了の三箇月前までに申出がないときは更新する。", "以上"]
    assert joined == 2 and logical[1].breaks == [(len(texts[1]), 3, 1)]


def test_locate_without_breaks_is_unchanged():
    doc = Document(path="x", format="txt", text="ab\ncd", blocks=[Block(0, 2, 1), Block(3, 5, 2)])
    assert doc.locate(4).line == 2 and doc.locate(4).column == 2


def _pypdf_encrypted(tmp_path, algorithm: str, user: str = "") -> bytes:
    import pypdf  # a dev dependency, with cryptography for AES: never skipped
    plain = make_pdf(tmp_path / "plain.pdf", [["第1条（目的）本契約は検討を目的とする。"]])
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_owner_password_only_pdf_opens(tmp_path, algorithm):
    doc = _load(tmp_path, _pypdf_encrypted(tmp_path, algorithm))
    assert "第1条（目的）本契約は検討を目的とする。" in doc.text


def test_owner_password_only_reportlab_pdf_opens(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _build([[("第1条（目的）", False)]], encrypt=StandardEncryption("", ownerPassword="x", strength=128))
    assert "第1条（目的）" in _load(tmp_path, data).text


@pytest.mark.parametrize("maker", ["reportlab", "aes-256"])
def test_user_password_pdf_is_refused_in_one_japanese_line(tmp_path, maker):
    if maker == "reportlab":
        data = make_pdf(tmp_path / "enc.pdf", [["第1条（目的）"]], encrypt="secret").read_bytes()
    else:
        data = _pypdf_encrypted(tmp_path, "AES-256", user="secret")
    with pytest.raises(InputError) as err:
        _load(tmp_path, data, "locked.pdf")
    assert str(err.value) == "パスワードで保護（暗号化）された PDF です。保護を解除してから再実行してください"


def test_truncated_pdf_is_a_damaged_file(tmp_path):
    data = _build([WRAPPED, WRAPPED])
    with pytest.raises(InputError, match="壊れている"):
        _load(tmp_path, data[: len(data) // 2])


def test_junk_before_the_header_is_tolerated_and_no_header_refused(tmp_path):
    data = _build([[("第1条（目的）", False)]])
    assert "第1条（目的）" in _load(tmp_path, b"\r\n\x00junk\n" + data).text
    from ndalint.ingest.pdf import read_pdf

    with pytest.raises(InputError, match="PDF のヘッダーがありません"):
        read_pdf(b"no header here" * 10, "x.pdf")


def test_textless_pdf_keeps_its_message(tmp_path):
    scan = make_pdf(tmp_path / "scan.pdf", [[""]], text=False)
    with pytest.raises(InputError, match="テキスト層がありません"):
        ingest.load(str(scan))


# ---- the real agreements (read in place, never copied) -------------------------------------

REAL = SHARED / "corpus" / "real"
_FW = str.maketrans("０１２３４５６７８９", "0123456789")
# What each document numbers as its clauses, read from the PDFs (r24 itself lacks 第5条 and 第9条).
CLAUSES = {
    "r22_supota-freelance-service-agreement.pdf": (r"第\s*([0-9０-９]+)\s*条", list(range(1, 8))),
    "r23_pledge-clinic-staff-entry-pledge.pdf": (r"([０-９]+)．", list(range(1, 9))),
    "r24_reportflow-company-secrecy-pledge.pdf": (r"第\s*([0-9０-９]+)\s*条", [1, 2, 3, 4, 6, 7, 8, 10]),
    "r25_jyohomamoru-web-support-service-agreement.pdf": (r"第\s*([0-9０-９]+)\s*条", list(range(1, 16))),
}
# Phrases the text layers of r22 and r25 wrap in the middle; no line may end inside one.
WRAPPED_PHRASES = ("という。", "とする。", "第三者", "一切の")


def _real(name: str) -> Document:
    path = REAL / name
    if not path.is_file():
        pytest.fail(f"{path} is missing; CI clones main with ../shared beside it")
    return ingest.load(str(path))


@pytest.mark.parametrize("name", sorted(CLAUSES))
def test_real_pdf_clause_headings_start_their_own_lines(name):
    pattern, expected = CLAUSES[name]
    doc = _real(name)
    found = [int(m.group(1).translate(_FW)) for line in _lines(doc) if (m := re.match(pattern, line))]
    assert found == expected
    assert doc.meta["extractor"] == "pypdfium2" and doc.meta["joined_lines"] > 0


@pytest.mark.parametrize("name", ["r22_supota-freelance-service-agreement.pdf",
                                  "r25_jyohomamoru-web-support-service-agreement.pdf"])
def test_real_pdf_lines_do_not_end_inside_a_wrapped_phrase(name):
    lines = _lines(_real(name))
    for line, following in zip(lines, lines[1:]):
        for phrase in WRAPPED_PHRASES:
            for cut in range(1, len(phrase)):
                assert not (line.endswith(phrase[:cut]) and following.startswith(phrase[cut:])), (phrase, cut)


def test_real_pdf_pages_and_lines_map_back():
    doc = _real("r25_jyohomamoru-web-support-service-agreement.pdf")
    assert doc.meta["pages"] == 3
    assert doc.locate(doc.text.index("第1条")).page == 1
    assert doc.locate(doc.text.index("第15条")).page == 2
    # the last clause runs over the page break: its tail is on page 3
    i = doc.text.index("第15条")
    tail = doc.text.index("る。", i)
    assert doc.locate(tail).page == 3
    assert doc.locate(tail).line > doc.locate(i).line


def _as_word_processor_pdf(text: str, width: int = 30, per_page: int = 38) -> bytes:
    """Lay a plain-text agreement out as a word processor exports it: every paragraph wrapped at
    ``width`` characters (inside words), full lines justified to the margin, pages of ``per_page``."""
    physical: list[tuple[str, bool]] = []
    for paragraph in text.split("\n"):
        chunks = [paragraph[i:i + width] for i in range(0, len(paragraph), width)] or [""]
        physical += [(chunk, i < len(chunks) - 1) for i, chunk in enumerate(chunks)]
    pages = [physical[i:i + per_page] for i in range(0, len(physical), per_page)]
    return _build(pages, footers=True)


@pytest.mark.parametrize("name", ["monitor-agreement-harsh.txt", "employee-pledge.txt"])
def test_pdf_export_of_an_agreement_reads_like_its_text(tmp_path, name):
    """The same agreement as .txt and as a wrapped, paginated PDF gets the same parties, articles,
    findings and score: wraps inside words must not hide a party definition or a phrase."""
    from conftest import CORPUS, check_json

    text = (CORPUS / name).read_text(encoding="utf-8")
    pdf = tmp_path / (name + ".pdf")
    pdf.write_bytes(_as_word_processor_pdf(text))
    _, data, _ = check_json(CORPUS / name, pdf, extra=("--exit-zero",))
    as_text, as_pdf = data["documents"]
    assert as_pdf["source"]["joined_lines"] > 20 and as_pdf["source"]["removed_lines"] > 0
    assert [(p["label"], p["kind"]) for p in as_pdf["parties"]] == [(p["label"], p["kind"]) for p in as_text["parties"]]
    assert [a["number"] for a in as_pdf["articles"]] == [a["number"] for a in as_text["articles"]]
    assert sorted(f["rule_id"] for f in as_pdf["findings"]) == sorted(f["rule_id"] for f in as_text["findings"])
    assert as_pdf["score"]["value"] == as_text["score"]["value"]



def test_pdf_without_pages_is_a_clear_error(tmp_path):
    # PDFium refuses an empty page tree as damaged (its last-error code is not reliable enough to
    # tell this case apart); the user still gets one line, never a traceback.
    import pypdf

    out = io.BytesIO()
    pypdf.PdfWriter().write(out)
    with pytest.raises(InputError, match="PDF として読めません"):
        _load(tmp_path, out.getvalue())
