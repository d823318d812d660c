"""The Word review copy (``ndalint review``, ``check --format docx``), used as a lawyer would: every
real and bundled .docx goes through the CLI, and the copy is opened with python-docx, read back
with ndalint's own reader in both views, and compared part by part with the input."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import CORPUS, SHARED, check_json, run_cli
from docx.oxml.ns import nsdecls, qn
from lxml import etree
from test_docx_reader import deleted, ins, make, p, r

from ndalint.ingest.docx import read_docx
from ndalint.report.model import Edit
from ndalint.rules.fixes import apply_edits, compatible

DOCX = sorted(CORPUS.glob("*.docx")) + sorted((SHARED / "corpus" / "real").glob("*.docx"))
DATE = "2026-12-04T09:00:00Z"
#: what a review copy may change: the body, the comments and — when it adds the comments part — one
#: relationship and one content-type override
CHANGED = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}


def review(src: Path, out: Path, *extra: str):
    result = run_cli("review", str(src), "-o", str(out), "--date", DATE, *extra)
    assert result.exit_code == 0, result.stderr
    return result


def findings_of(src: Path) -> list[dict]:
    code, data, _ = check_json(src, extra=("--exit-zero",))
    return data["documents"][0]["findings"]


def anchored_texts(path: Path, author: str = "ndalint") -> dict[str, str]:
    """comment id -> the text between its range marks as the input's accepted view shows it: our own
    deletions count (they are the input's words), our insertions and other people's deletions do not."""
    body = docx.Document(str(path)).element.body
    open_: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    chars = {qn("w:tab"): "\t", qn("w:br"): " ", qn("w:cr"): " ", qn("w:noBreakHyphen"): "-"}
    for el in body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_[el.get(qn("w:id"))] = []
        elif el.tag == qn("w:commentRangeEnd"):
            cid = el.get(qn("w:id"))
            done[cid] = "".join(open_.pop(cid, []))
        elif el.tag in (qn("w:t"), qn("w:delText")) or el.tag in chars:
            if any((a.tag == qn("w:del") and a.get(qn("w:author")) != author)
                   or (a.tag == qn("w:ins") and a.get(qn("w:author")) == author)
                   or a.tag == qn("w:rt") for a in el.iterancestors()):
                continue  # not in the input's accepted view, or a ruby's reading aid
            piece = el.text or "" if el.tag in (qn("w:t"), qn("w:delText")) else chars[el.tag]
            for buf in open_.values():
                buf.append(piece)
    return done


def comments_of(path: Path) -> list:
    return sorted(docx.Document(str(path)).comments, key=lambda c: c.comment_id)


def text(path: Path, view: str = "accepted") -> str:
    return read_docx(path.read_bytes(), str(path), view=view).text


# ----------------------------------------------------------------------------- real documents


@pytest.mark.parametrize("src", DOCX, ids=lambda p: p.name)
def test_one_comment_per_finding_on_exactly_its_words(src, tmp_path):
    out = tmp_path / "review.docx"
    review(src, out)
    findings = findings_of(src)
    comments = comments_of(out)
    assert len(comments) == len(findings) + 1, "a comment for each finding plus the summary on the title"
    summary, *notes = comments
    assert summary.text.startswith("ndalint による検査結果")
    assert "/100" in summary.text and "秘密保持義務を負う当事者" in summary.text
    linted = text(src)
    anchors = anchored_texts(out)
    for f, c in zip(findings, notes):
        assert c.author == "ndalint" and c.initials == "ND"
        head = c.text.split("\n")[0]
        assert f["rule_id"] in head and (f.get("title") or f["name"]) in head
        assert f["message"] in c.text
        for ref in f["references"]:
            assert ref in c.text
        if f.get("suggestion"):
            assert "修正案：" in c.text
        assert anchors[str(c.comment_id)] == linted[f["start"]:f["end"]], (f["rule_id"], f["excerpt"])


@pytest.mark.parametrize("src", DOCX, ids=lambda p: p.name)
def test_everything_else_is_untouched(src, tmp_path):
    out = tmp_path / "review.docx"
    review(src, out)
    before, after = zipfile.ZipFile(src), zipfile.ZipFile(out)
    assert after.namelist()[: len(before.namelist())] == before.namelist(), "entries keep their order"
    for name in before.namelist():
        if name not in CHANGED:
            assert before.read(name) == after.read(name), f"{name} changed"
    assert set(after.namelist()) - set(before.namelist()) <= {"word/comments.xml"}
    # the relationships and content types only gain the comments part's entry
    for name, tag in (("word/_rels/document.xml.rels", "Relationship"), ("[Content_Types].xml", "Override")):
        old = [etree.tostring(e) for e in etree.fromstring(before.read(name))]
        new = [etree.tostring(e) for e in etree.fromstring(after.read(name))]
        assert new[: len(old)] == old
        assert len(new) - len(old) == (0 if "word/comments.xml" in before.namelist() else 1)
    # and the text a reader sees, in both views, is the input's
    assert text(out) == text(src)
    assert text(out, "original") == text(src, "original")


@pytest.mark.parametrize("src", DOCX, ids=lambda p: p.name)
def test_redline_accepted_text_carries_the_suggested_wording(src, tmp_path):
    from ndalint.review import ReviewOptions
    from ndalint.review import review as review_docx
    from ndalint.rules import RuleSet

    out = tmp_path / "redline.docx"
    result = review(src, out, "--redline")
    made = review_docx(src.read_bytes(), str(src), RuleSet.load(), options=ReviewOptions(redline=True, date=DATE))
    assert made.data == out.read_bytes(), "the library and the command write the same copy"
    proposed = compatible(Edit(**f["fix"]) for f in findings_of(src) if f.get("fix"))
    assert made.edits == proposed, "every rewording the rules propose here stands in plain runs, so each is a revision"
    # a line break inside new words reads as a space, as every w:br does
    edits = [e.model_copy(update={"replacement": e.replacement.replace("\n", " ")}) for e in made.edits]
    # accepting every revision gives the text with the rules' rewordings; rejecting them, the input
    assert text(out) == apply_edits(text(src), edits)
    assert text(out, "original") == text(src)
    body = docx.Document(str(out)).element.body
    ours = [e for e in body.iter(qn("w:ins"), qn("w:del")) if e.get(qn("w:author")) == "ndalint"]
    assert (len(ours) > 0) == bool(made.edits)
    assert f"変更履歴 {len(made.edits)}件" in result.stderr


def test_redline_marks_only_the_words_that_change(tmp_path):
    src = make(tmp_path, p(r("業務委託契約書")), p(r("第5条（秘密保持）")),
               p(r("乙は、本業務に関して知り得た情報を第三者に開示してはならない。")),
               p(r("2　本条の規定は、本契約の終了後も存続する。")))
    out = tmp_path / "out.docx"
    review(src, out, "--redline", "--party", "乙=individual", "--select", "CONF006")
    body = docx.Document(str(out)).element.body
    inserted = ["".join(t.text for t in i.iter(qn("w:t"))) for i in body.iter(qn("w:ins"))]
    assert inserted == ["2年間"]
    assert not list(body.iter(qn("w:del"))), "「終了後も存続」 stays; only the period is inserted"
    assert "本契約の終了後も2年間存続する。" in text(out)
    revision = next(body.iter(qn("w:ins")))
    assert revision.get(qn("w:author")) == "ndalint" and revision.get(qn("w:date")) == DATE


# ----------------------------------------------------------------------------- run formatting


def test_split_runs_keep_their_formatting_on_both_sides(tmp_path):
    bold = '<w:r><w:rPr><w:b/><w:color w:val="FF0000"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>'
    sentence = "乙は、本契約に違反した場合、甲に生じた一切の損害を賠償する。"
    src = make(tmp_path, p(r("業務委託契約書")), p(r("第9条（損害賠償）")), p(bold.format(sentence)))
    out = tmp_path / "out.docx"
    review(src, out, "--party", "乙=individual", "--select", "LIAB001")
    body = docx.Document(str(out)).element.body
    runs = [run for run in body.iter(qn("w:r")) if run.find(qn("w:t")) is not None and "乙は" in "".join(
        t.text for t in body.iter(qn("w:t")) if t.getparent().getparent() is run.getparent())]
    texts = [("".join(t.text for t in run.iter(qn("w:t"))), run.find(qn("w:rPr"))) for run in runs]
    assert "".join(t for t, _ in texts) == sentence
    assert len(texts) >= 2, "the run was split where the comment starts or ends"
    for _, props in texts:
        assert props is not None and props.find(qn("w:b")) is not None and props.find(qn("w:color")) is not None
    (anchor,) = [v for k, v in anchored_texts(out).items() if k != "0"]
    findings = findings_of(src)
    linted = text(src)
    assert anchor == linted[findings[0]["start"]:findings[0]["end"]]


# ----------------------------------------------------------------------------- a counterparty's redline


def _with_comment(doc) -> None:
    para = doc.paragraphs[2]
    doc.add_comment(para.runs[0], text="相手方：この条項は受け入れられません", author="相手方法務", initials="相")


def test_counterparty_revisions_and_comments_are_kept_and_reviewed_in_the_accepted_view(tmp_path):
    src = make(tmp_path, p(r("秘密保持誓約書")), p(r("第3条（秘密保持）")),
               p(r("私は、在職中に知り得た") + ins(r("一切の"), rid=101) + deleted("貴社が秘密と指定した", rid=102)
                 + r("情報を、退職後も第三者に開示いたしません。")),
               p(r("第4条（損害賠償）")),
               p(r("私は、本誓約書に違反して貴社に損害を与えたときは、その損害を賠償いたします。")),
               setup=_with_comment)
    out = tmp_path / "out.docx"
    review(src, out, "--redline")
    old, new = docx.Document(str(src)), docx.Document(str(out))
    assert [c.text for c in old.comments][0] in [c.text for c in new.comments]
    assert len(list(new.comments)) == 1 + 1 + len(findings_of(src))
    theirs = [e for e in new.element.body.iter(qn("w:ins"), qn("w:del")) if e.get(qn("w:author")) == "レビュアー"]
    assert len(theirs) == 2, "the counterparty's revisions stay as they were"
    assert text(out, "original") == text(src, "original")
    # the review reads the accepted view: each comment sits on the words of its finding there, and the
    # blanket scope the counterparty inserted is among them
    anchors = anchored_texts(out)
    linted = text(src)
    ours = [c for c in comments_of(out) if c.author == "ndalint"][1:]
    for f, c in zip(findings_of(src), ours):
        assert anchors[str(c.comment_id)] == linted[f["start"]:f["end"]]
    assert any("一切の" in a for a in anchors.values())


# ----------------------------------------------------------------------------- the command line


def test_author_initials_and_date_are_stamped(tmp_path):
    src = CORPUS / "freelancer-contract.docx"
    out = tmp_path / "out.docx"
    review(src, out, "--author", "法務部 山田", "--initials", "山")
    comments = comments_of(out)
    assert {(c.author, c.initials) for c in comments} == {("法務部 山田", "山")}
    assert all(c.timestamp.isoformat().startswith("2026-12-04T09:00:00") for c in comments)


def test_input_is_never_modified_and_the_default_name_sits_beside_it(tmp_path):
    src = tmp_path / "draft.docx"
    src.write_bytes((CORPUS / "pledge-cocreation-session.docx").read_bytes())
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    result = run_cli("review", str(src))
    assert result.exit_code == 0
    assert (tmp_path / "draft.review.docx").is_file()
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest
    same = run_cli("review", str(src), "-o", str(src))
    assert same.exit_code == 2 and "overwrite" in same.stderr
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("name,content,expected", [
    ("contract.txt", "秘密保持契約書\n第1条 乙は秘密を守る。".encode(), "Word 文書（.docx）ではありません"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "docx として読めません"),
    ("missing.docx", None, "ファイルが見つかりません"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, name, content, expected):
    src = tmp_path / name
    if content is not None:
        src.write_bytes(content)
    result = run_cli("review", str(src), "-o", str(tmp_path / "out.docx"))
    assert result.exit_code == 2
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.docx").exists()


def test_check_format_docx_writes_the_review_copy_and_gates_as_check(tmp_path):
    src = CORPUS / "freelancer-contract.docx"
    out = tmp_path / "out.docx"
    result = run_cli("check", "--format", "docx", "-o", str(out), str(src))
    assert result.exit_code == 1, "a high finding fails the default gate, as with every format"
    assert len(comments_of(out)) == len(findings_of(src)) + 1
    assert run_cli("check", "--format", "docx", str(src)).exit_code == 2
    assert run_cli("check", "--format", "docx", "-o", str(out), str(src), str(src)).exit_code == 2


# ----------------------------------------------------------------------------- Word-compatible XML


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every .docx reviewed with --redline, then converted to PDF by headless LibreOffice in one run."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (Debian: libreoffice-writer-nogui; .ci/run installs it)"
    work = tmp_path_factory.mktemp("libreoffice")
    copies = []
    for src in DOCX:
        out = work / f"{src.stem}.docx"
        review(src, out, "--redline")
        copies.append(out)
    options = json.dumps({"ExportNotes": {"type": "boolean", "value": "true"}})
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
                    "--convert-to", f"pdf:writer_pdf_Export:{options}", "--outdir", str(work), *map(str, copies)],
                   check=True, capture_output=True, timeout=600)
    return work


@pytest.mark.parametrize("src", DOCX, ids=lambda p: p.name)
def test_libreoffice_opens_every_copy_with_every_comment(converted, src):
    """LibreOffice is an independent reader of WordprocessingML: it must lay the copy out and find
    every comment, with its text, as a PDF note."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(converted / f"{src.stem}.pdf"))
    notes = [n for page in pdf for n in _note_texts(page)]
    comments = comments_of(converted / f"{src.stem}.docx")
    assert len(notes) == len(comments)
    assert notes[0].startswith("ndalint による検査結果")
    assert sorted(n.split("\n")[0] for n in notes) == sorted(c.text.split("\n")[0] for c in comments)
    title = text(src).strip().split("\n")[0]
    assert title.replace(" ", "") in pdf[0].get_textpage().get_text_range().replace(" ", ""), "the title is laid out"


def test_the_first_page_renders_to_png(converted, tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(converted / "pledge-cocreation-session.pdf"))
    image = pdf[0].render(scale=1.5).to_pil()
    image.save(tmp_path / "page1.png")
    assert (tmp_path / "page1.png").stat().st_size > 10_000
    assert image.size[0] > 800 and image.convert("L").getextrema()[0] < 128, "a page with content, not a blank"


def _note_texts(page) -> list[str]:
    import ctypes

    import pypdfium2.raw as raw

    texts = []
    for k in range(raw.FPDFPage_GetAnnotCount(page)):
        annot = raw.FPDFPage_GetAnnot(page, k)
        if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_TEXT:
            size = raw.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
            buf = ctypes.create_string_buffer(size)
            raw.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), size)
            texts.append(buf.raw[: size - 2].decode("utf-16-le"))
        raw.FPDFPage_CloseAnnot(annot)
    return texts


# ----------------------------------------------------------------------------- Word's inline structures

EVERY_WORD = """id: FORM901
name: every-secret
title: 「秘密」の語
category: drafting
severity: low
match: {regex: "秘密"}
message: "「秘密」とあります。"
fix: {replace: "秘密", with: "機密"}
examples:
  flag: ["受領者は秘密を守る。"]
  ok: ["受領者は約束を守る。"]
"""


def test_comments_and_revisions_in_every_inline_structure(tmp_path):
    """A rule that flags every 「秘密」 (and would write 「機密」) over the structures Word puts words in:
    each comment sits on exactly its words; a revision is made where the words stand plainly in the
    paragraph and nowhere else; rejecting all gives the input back, accepting all gives the text
    with exactly the revisions made."""
    from test_docx_reader import _textbox, field

    from ndalint.review import ReviewOptions
    from ndalint.review import review as review_docx
    from ndalint.rules import RuleSet

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "FORM901.yaml").write_text(EVERY_WORD, encoding="utf-8")
    ruby = ('<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>ひみつ</w:t></w:r></w:rt>'
            '<w:rubyBase><w:r><w:t>秘密</w:t></w:r></w:rubyBase></w:ruby></w:r>')
    cell = f'<w:tbl {nsdecls("w")}><w:tr><w:tc>{p(r("表の中の秘密。"))}</w:tc></w:tr></w:tbl>'
    src = make(tmp_path,
               p(r("秘密保持契約書")),
               p(r("第1条（秘密情報）")),
               p(r("受領者は、") + '<w:r><w:rPr><w:i/></w:rPr><w:t>開示者の秘密を</w:t></w:r>' + r("守る。")),
               p(r("前条及び") + f'<w:hyperlink w:anchor="_Ref1">{r("秘密の定義")}</w:hyperlink>' + r("による。")),
               p(r("当事者は") + f'<w:sdt><w:sdtContent>{r("秘密事項")}</w:sdtContent></w:sdt>' + r("を扱う。")),
               p(r("区分：") + f'<w:fldSimple w:instr=" REF 区分 ">{r("秘密区分")}</w:fldSimple>'
                 + field(" REF 種別 ", r("厳秘密")) + r("とする。")),
               p(r("読み方：") + ruby + r("に注意。")),
               p(r("本文の段落。") + _textbox("枠内の秘密。") + r("続き。")),
               cell,
               p(r("相手方が") + ins(r("秘密として"), rid=201) + deleted("秘密の", rid=202) + r("加えた。")),
               p(r("第2条（期間）")),
               p('<w:r><w:t>1</w:t><w:tab/><w:t>秘密</w:t><w:br/><w:t>は3年とする。</w:t></w:r>'))
    engine = RuleSet.load([rules], builtin=False)
    result = review_docx(src.read_bytes(), str(src), engine, options=ReviewOptions(redline=True, date=DATE))
    out = tmp_path / "out.docx"
    out.write_bytes(result.data)
    linted = text(src)
    findings = result.report.findings
    # one finding a sentence (the heading 第1条（秘密情報） carries none)
    assert len(findings) == 10 and not result.unplaced
    anchors = anchored_texts(out)
    notes = comments_of(out)[1:]
    assert len(notes) == len(findings)
    for f, c in zip(findings, notes):
        assert anchors[str(c.comment_id)] == linted[f.start:f.end]
        assert anchors[str(c.comment_id)].startswith("秘") and anchors[str(c.comment_id)].endswith("密")
    # revisions only on plain runs of a paragraph: the title, the headings, the italic run, the text
    # box, the table cell and the numbered line; not in the link, the control, the fields, the ruby
    # or the counterparty's insertion
    def line_of(offset: int) -> str:
        end = linted.find("\n", offset)
        return linted[linted.rfind("\n", 0, offset) + 1 : end if end >= 0 else len(linted)]

    assert [line_of(e.start) for e in result.edits] == [
        "秘密保持契約書", "受領者は、開示者の秘密を守る。", "枠内の秘密。", "表の中の秘密。", "1\t秘密 は3年とする。"]
    assert text(out) == apply_edits(linted, result.edits)
    assert text(out, "original") == text(src, "original")
    italic = [run for run in docx.Document(str(out)).element.body.iter(qn("w:r"))
              if run.find(qn("w:rPr")) is not None and run.find(qn("w:rPr")).find(qn("w:i")) is not None]
    assert "".join(t.text for run in italic for t in run.iter(qn("w:t"), qn("w:delText"))) == "開示者の秘機密を", \
        "the split italic run keeps its style, and the new words take the style of the words they replace"
