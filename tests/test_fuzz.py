"""Property tests (hypothesis) for every reader, the structure parser and the full lint.

The invariant everywhere: an input gives a Document (and a report) or an InputError with a
one-line message; no other exception escapes, and no input reaches the readers' last-resort
"unexpected error" net (``ingest.INTERNAL``). Every Document is well formed (blocks tile the text,
one newline apart) and every finding's ``start <= end`` lies within the text, its ``line`` and
``column`` on a line (or docx paragraph) that exists.

Inputs: arbitrary bytes with and without each format's magic; text in every Japanese encoding,
and several in one file; contract-like text with broken numbering (第1条 twice, 第99条, 条
without a number, ①②③ nested deep) and 200,000-character lines; Word and OpenDocument packages
that are valid ZIPs of well-formed XML with random text and random nesting of the elements the
readers know; ZIP headers that lie; PDFs mutated from a real one; PDF streams behind filters.

Each test counts the examples it ran; the counts are printed at the end of the module
("fuzz examples run: ...") for the README.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections import Counter
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ndalint import ingest, limits, structure
from ndalint.errors import InputError
from ndalint.ingest.document import Document, blocks_from_lines
from ndalint.lint import lint_document
from ndalint.rules import RuleSet

RUNS: Counter[str] = Counter()
#: what the inputs came to: a document, or a one-line refusal (both fine; all of one would be a weak fuzz)
OUTCOMES: Counter[str] = Counter()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", autouse=True)
def _examples_run(request):
    yield
    line = "fuzz examples run: " + ", ".join(f"{name}={n}" for name, n in sorted(RUNS.items())) + \
        f" (total {sum(RUNS.values())}); reads: {OUTCOMES['document']} documents, {OUTCOMES['refused']} refused; " \
        f"{OUTCOMES['findings']} findings checked"
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        cache.set("ndalint/fuzz_examples", {**RUNS, **{f"reads: {k}": v for k, v in OUTCOMES.items()}})
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # past the capture, into the run's output
            reporter.write_line("")
            reporter.write_line(line)


_ENGINE: RuleSet | None = None


def rules() -> RuleSet:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = RuleSet.load()
    return _ENGINE


# ------------------------------------------------------------------------------ invariants

def refused(exc: InputError) -> None:
    OUTCOMES["refused"] += 1
    message = str(exc)
    assert message and "\n" not in message, repr(message)
    assert ingest.INTERNAL not in message, message


def well_formed(doc: Document) -> None:
    """Blocks tile the text: in order, one newline apart, none holding a newline."""
    OUTCOMES["document"] += 1
    text = doc.text
    assert doc.blocks, "a document has at least one block"
    assert doc.blocks[0].start == 0 and doc.blocks[-1].end == len(text)
    for a, b in zip(doc.blocks, doc.blocks[1:]):
        assert b.start == a.end + 1 and text[a.end] == "\n", (a, b)
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(text)
        assert "\n" not in text[block.start : block.end]
        assert block.number >= 1
        for at, number, _ in block.breaks:
            assert 0 <= at <= block.end - block.start and number >= 1
        loc = doc.locate(block.start)
        assert loc.line >= 1 and loc.column >= 1


def physical_lines(doc: Document) -> dict[int, int]:
    """Line (or docx paragraph) number -> its length, as a user would find it in the source."""
    lines: dict[int, int] = {}
    for block in doc.blocks:
        cuts = [(0, block.number)] + [(at, number) for at, number, _ in block.breaks]
        for (at, number), (nxt, _) in zip(cuts, cuts[1:] + [(block.end - block.start, 0)]):
            lines[number] = max(lines.get(number, 0), nxt - at)
    return lines


def sound_report(doc: Document, report) -> None:
    assert report.status in ("ok", "unrecognized"), report.status
    OUTCOMES["findings"] += len(report.findings)
    lines = physical_lines(doc)
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(doc.text), (f.rule_id, f.start, f.end, len(doc.text))
        assert f.line in lines, (f.rule_id, f.line, sorted(lines)[:5])
        assert 1 <= f.column <= lines[f.line] + 1, (f.rule_id, f.line, f.column, lines[f.line])
        assert (doc.locate(f.start).line, doc.locate(f.start).column) == (f.line, f.column)
    for m in report.mitigations:
        assert m.line in lines
    for a in report.articles:
        assert a.line in lines


def read(data: bytes, name: str, lint: bool = False) -> Document | None:
    """Through ``ingest.load_bytes`` (sniffing, limits): a Document, or None for an InputError."""
    try:
        doc = ingest.load_bytes(data, name)
    except InputError as exc:
        refused(exc)
        return None
    well_formed(doc)
    if lint:
        sound_report(doc, lint_document(doc, rules()))
    return doc


def direct(reader, data: bytes, name: str, **options) -> Document | None:
    """A reader called directly, without the last-resort net: a bug here fails the test."""
    try:
        doc = reader(data, name, **options)
    except InputError as exc:
        refused(exc)
        return None
    well_formed(doc)
    return doc


# ------------------------------------------------------------------------------ plain text

JAPANESE = ("秘密保持契約書甲乙丙本契約情報開示第三者損害賠償一切条項号目的期間解除協議管轄裁判所"
            "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんがぎぐげご"
            "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンー"
            "０１２３４５６７８９、。「」（）・：　一二三四五六七八九十百")
ASCII = "abcXYZ0123456789 .,:;()[]#-*_/"
#: characters every Japanese encoding ndalint reads can hold (JIS X 0208 and ASCII)
ENCODABLE = st.text(alphabet=JAPANESE + ASCII + "\n\n\n\t", min_size=1, max_size=400)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp932", "shift_jis", "euc_jp", "iso2022_jp", "utf-16-le",
             "utf-16-be"]
MAGIC = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"%PDF-1.7\n", b"PK\x03\x04",
         b"PK\x05\x06", b"{\\rtf1", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


@FAST
@given(st.sampled_from(MAGIC), st.binary(max_size=3000), st.sampled_from(["x.txt", "x.md", "x.docx", "x.pdf", "x.rtf",
                                                                          "x.odt", "x"]))
@example(b"", b"\x00" * 100, "x.txt")
@example(b"\xff\xfe", b"\x00\xd8", "x.txt")  # a lone surrogate in UTF-16
def test_arbitrary_bytes_under_any_name(magic, data, name):
    RUNS["bytes (any name, magic)"] += 1
    read(magic + data, name)


@FAST
@given(st.binary(max_size=3000))
def test_text_and_markdown_readers_on_bytes(data):
    RUNS["txt/md readers: bytes"] += 1
    direct(ingest.read_text, data, "x.txt")
    direct(ingest.read_markdown, data, "x.md")


@FAST
@given(ENCODABLE, st.sampled_from(ENCODINGS), st.sampled_from(["\n", "\r\n", "\r"]))
def test_text_in_every_japanese_encoding(text, encoding, newline):
    RUNS["txt/md: encodings"] += 1
    data = text.replace("\n", newline).encode(encoding)
    doc = direct(ingest.read_markdown, data, "x.md")
    if encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):  # no guessing: the text comes back exactly
        if text.strip():  # (blank, full-width spaces included, is an empty file)
            assert doc is not None and doc.text == text
        else:
            assert doc is None
    direct(ingest.read_text, data, "x.txt")


@FAST
@given(st.lists(st.tuples(ENCODABLE, st.sampled_from(ENCODINGS)), min_size=2, max_size=6))
def test_mixed_encodings_in_one_file(parts):
    RUNS["txt: mixed encodings in one file"] += 1
    data = b"\n".join(text.encode(encoding) for text, encoding in parts)
    read(data, "mixed.txt", lint=len(data) < 600)


# ------------------------------------------------------------------------------ contract-like text

TOKENS = ["第", "条", "項", "号", "章", "第1条", "第1条", "第99条", "第０条", "第一条", "第百条", "条", "（目的）", "（秘密保持）",
          "（損害賠償）", "（定義）", "甲", "乙", "丙", "本契約", "秘密情報", "開示", "第三者", "損害", "賠償", "一切の", "しなければならない",
          "以下「甲」という。", "以下「", "」という", "株式会社", "は、", "を", "に", "。", "、", "「", "」", "（", "）", "(", ")", "①",
          "②", "③", "⑩", "⑳", "(1)", "（2）", "(a)", "一", "二", "ア", "イ", "1.", "2", "99", "１", "２", "前項", "前条", "前項第3号",
          "第2条第1項", "別紙", "以上", "記", "署名", "令和8年4月1日", "#", "## ", "```", "- ", "・", "※", "\t", "\u3000", " ",
          "ndalint-disable", "ndalint-enable LIAB001", "\n", "\n", "\n", "\n\n",
          # whole clauses the rules react to, so that findings (and their locations) are checked
          "乙は、本契約に違反した場合、甲に生じた一切の損害を賠償する。", "本契約の秘密保持義務は、本契約終了後も永久に存続する。",
          "乙は、甲の指示に対し、いかなる場合も異議を述べないものとする。", "秘密情報とは、開示されたすべての情報をいう。"]
CONTRACTISH = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=160).map("".join)


def txt_document(text: str) -> Document:
    return Document(path="fuzz.txt", format="txt", text=text, blocks=blocks_from_lines(text))


@FAST
@given(CONTRACTISH)
@example("第1条\n第1条\n第99条\n条\n条（目的）\n")
def test_structure_and_lint_on_contract_like_text(text):
    RUNS["structure+lint: contract-like text"] += 1
    doc = txt_document(text)
    contract = structure.parse(doc)
    for art in contract.articles:
        assert 0 <= art.start <= art.end <= len(text)
    sound_report(doc, lint_document(doc, rules()))
    read(text.encode("utf-8"), "fuzz.txt", lint=True)  # the same through decoding and unwrapping
    read(text.encode("utf-8"), "fuzz.md", lint=True)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
NUMBERS = st.sampled_from(["1", "1", "2", "99", "", "０", "一", "十", "百", "1000000", "-1", "1.5", "１２"])
ITEM = st.one_of(
    st.builds(lambda depth, c, body: "\u3000" * depth + c + body, st.integers(0, 12), st.sampled_from(CIRCLED), CONTRACTISH),
    st.builds(lambda depth, n, body: " " * depth + f"({n})" + body, st.integers(0, 12), NUMBERS, CONTRACTISH),
    st.builds(lambda marks, body: marks + body, st.text(alphabet=CIRCLED + "(1)（一）アイ", min_size=1, max_size=30),
              CONTRACTISH),
)
ARTICLE = st.builds(lambda n, title, body, items: f"第{n}条" + (f"（{title}）" if title else "") + "\n" + body + "\n"
                    + "\n".join(items), NUMBERS, st.sampled_from(["", "目的", "秘密保持", "損害賠償", "第1条"]), CONTRACTISH,
                    st.lists(ITEM, max_size=8))


@FAST
@given(st.lists(ARTICLE, max_size=12), st.booleans())
@example(["第1条（目的）\n本契約は目的とする。", "第1条（秘密保持）\n乙は開示しない。", "第99条（損害賠償）\n乙は一切の損害を賠償する。",
          "第条\n条のみ", "第1条\n" + "\n".join("\u3000" * d + CIRCLED[d] for d in range(20))], True)
def test_broken_numbering(articles, preamble):
    RUNS["structure+lint: broken numbering"] += 1
    text = ("秘密保持契約書\n甲と乙は、次のとおり契約を締結する。\n" if preamble else "") + "\n".join(articles)
    doc = txt_document(text)
    sound_report(doc, lint_document(doc, rules()))


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=JAPANESE + ASCII + "（）「」①②", min_size=40, max_size=200),
       st.sampled_from(["x.txt", "x.md"]))
@example("乙は、秘密情報を第三者に開示してはならない。第1条（目的）①本契約", "x.txt")
# runs of one character that the rules' regexes repeat or retry on: numerals before 年 / か月, spaces, 損害
@example("1" * 40, "x.txt")
@example("一二三四五六七八九十百〇" * 4, "x.md")
@example("\u3000 " * 20, "x.txt")
@example("損害" * 20, "x.txt")
def test_enormous_single_line(fragment, name):
    RUNS["enormous single line (200k chars)"] += 1
    line = (fragment * (200_000 // len(fragment) + 1))[:200_000]
    assert "\n" not in line and len(line) == 200_000
    data = ("秘密保持契約書\n第1条（目的）\n" + line).encode("utf-8")
    started = time.monotonic()
    doc = read(data, name)
    assert doc is not None and len(doc.text) > 200_000
    assert time.monotonic() - started < 5  # reading is linear
    sound_report(doc, lint_document(doc, rules()))
    assert time.monotonic() - started < 30
    # and inside a Word and an OpenDocument paragraph
    read(docx_package(f"<w:p>{run(line)}</w:p>"), "x.docx", lint=False)
    read(odt_package(f"<text:p>{escape(line)}</text:p>"), "x.odt", lint=False)


# ------------------------------------------------------------------------------ Word packages

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {"styles": "styles.xml", "numbering": "numbering.xml", "footnotes": "footnotes.xml",
         "endnotes": "endnotes.xml", "comments": "comments.xml"}
STYLES = (f'<w:styles xmlns:w="{W}">'
          '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="見出し 2"/><w:basedOn w:val="Heading1"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Article"><w:name w:val="Article"/><w:basedOn w:val="Article"/>'
          '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="Item"><w:name w:val="Item"/><w:basedOn w:val="Article"/>'
          '<w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>'
          "</w:styles>")


def docx_package(body: str, numbering: str = "", footnotes: str = "", endnotes: str = "", comments: str = "",
                 method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal, valid Word package: the body's XML inside w:body, and the side parts given."""
    parts = {"styles": STYLES, "numbering": f"<w:numbering {NS}>{numbering}</w:numbering>",
             "footnotes": f"<w:footnotes {NS}>{footnotes}</w:footnotes>",
             "endnotes": f"<w:endnotes {NS}>{endnotes}</w:endnotes>", "comments": f"<w:comments {NS}>{comments}</w:comments>"}
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/word/document.xml" ContentType="{CT}.document.main+xml"/>'
             + "".join(f'<Override PartName="/word/{name}" ContentType="{CT}.{kind}+xml"/>' for kind, name in PARTS.items())
             + "</Types>")
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RT}/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(f'<Relationship Id="rId{i}" Type="{RT}/{kind}" Target="{name}"/>'
                          for i, (kind, name) in enumerate(PARTS.items(), 1)) + "</Relationships>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/_rels/document.xml.rels", doc_rels)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}'
                                        "<w:sectPr/></w:body></w:document>")
        for kind, name in PARTS.items():
            z.writestr(f"word/{name}", parts[kind])
    return buf.getvalue()


XML_TEXT = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                            | st.sampled_from(list("第条項号①②（）「」。、甲乙\t ")), max_size=6)
                    | st.sampled_from(["第1条", "秘密情報", "損害を賠償", "前項第1号", "\r\n"]), max_size=5).map("".join)
IDS = st.sampled_from(["0", "1", "2", "3", "x", "", "-1", "99999999999999999999"])


def run(text: str, tag: str = "w:t") -> str:
    return f'<w:r><{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'


LEAF = st.one_of(
    XML_TEXT.map(run),
    XML_TEXT.map(lambda t: run(t, "w:delText")),
    st.sampled_from(["<w:r><w:tab/></w:r>", "<w:r><w:br/></w:r>", '<w:r><w:br w:type="page"/></w:r>', "<w:r><w:cr/></w:r>",
                     "<w:r><w:noBreakHyphen/></w:r>", "<w:r><w:ptab/></w:r>", "<w:bookmarkStart/>", "<w:proofErr/>"]),
    st.sampled_from(["begin", "separate", "end", "bogus"]).map(lambda k: f'<w:r><w:fldChar w:fldCharType="{k}"/></w:r>'),
    st.sampled_from(["TOC \\o", "PAGE", "REF x", "INDEX", " ", ""]).map(lambda c: run(c, "w:instrText")),
    st.tuples(st.sampled_from(["commentRangeStart", "commentRangeEnd"]), IDS).map(lambda t: f'<w:{t[0]} w:id="{t[1]}"/>'),
    IDS.map(lambda i: f'<w:r><w:commentReference w:id="{i}"/></w:r>'),
    st.tuples(st.sampled_from(["footnoteReference", "endnoteReference"]), IDS).map(
        lambda t: f'<w:r><w:{t[0]} w:id="{t[1]}"/></w:r>'),
)


def inline_wrappers(children):
    inner = st.lists(children, max_size=4).map("".join)
    return st.one_of(
        st.tuples(st.sampled_from(["w:ins", "w:del", "w:moveTo", "w:moveFrom", "w:hyperlink", "w:smartTag",
                                   "w:customXml", "w:fldSimple", "w:bdo", "w:dir", "w:unknownThing"]), inner).map(
            lambda t: f'<{t[0]} w:id="1" w:author="a">{t[1]}</{t[0]}>'),
        inner.map(lambda x: f"<w:sdt><w:sdtPr/><w:sdtContent>{x}</w:sdtContent></w:sdt>"),
        st.tuples(st.sampled_from(["wps", "w16se", "wps w14", ""]), inner, inner).map(
            lambda t: f'<mc:AlternateContent><mc:Choice Requires="{t[0]}">{t[1]}</mc:Choice>'
                      f"<mc:Fallback>{t[2]}</mc:Fallback></mc:AlternateContent>"),
        st.tuples(XML_TEXT, inner).map(lambda t: f"<w:r><w:ruby><w:rt>{run(t[0])}</w:rt><w:rubyBase>{t[1]}</w:rubyBase>"
                                                 "</w:ruby></w:r>"),
    )


INLINE = st.recursive(LEAF, inline_wrappers, max_leaves=8)
PPR = st.one_of(
    st.just(""),
    st.tuples(st.sampled_from(["", "Heading1", "Heading2", "Title", "Article", "Item", "Missing"]),
              st.sampled_from(["", "0", "1", "2", "3", "9", "x"]), st.sampled_from(["", "0", "1", "2", "3", "4", "x"]),
              st.sampled_from(["", "<w:ins/>", "<w:del/>", "<w:moveFrom/>"]), st.booleans()).map(
        lambda t: "<w:pPr>" + (f'<w:pStyle w:val="{t[0]}"/>' if t[0] else "")
        + (f'<w:numPr><w:ilvl w:val="{t[1]}"/><w:numId w:val="{t[2]}"/></w:numPr>' if t[1] or t[2] else "")
        + (f"<w:rPr>{t[3]}</w:rPr>" if t[3] else "")
        + ('<w:pPrChange><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr></w:pPr></w:pPrChange>'
           if t[4] else "") + "</w:pPr>"),
)
PARAGRAPH = st.tuples(PPR, st.lists(INLINE, max_size=4)).map(lambda t: f"<w:p>{t[0]}{''.join(t[1])}</w:p>")


def block_wrappers(children):
    inner = st.lists(children, max_size=3).map("".join)
    return st.one_of(
        st.tuples(st.sampled_from(["", "<w:trPr><w:ins/></w:trPr>", "<w:trPr><w:del/></w:trPr>"]), inner).map(
            lambda t: f"<w:tbl><w:tblPr/><w:tr>{t[0]}<w:tc>{t[1] or '<w:p/>'}</w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"),
        st.tuples(st.booleans(), inner).map(
            lambda t: "<w:sdt><w:sdtPr>" + ('<w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj>'
                                            if t[0] else "") + f"</w:sdtPr><w:sdtContent>{t[1]}</w:sdtContent></w:sdt>"),
        inner.map(lambda x: f"<w:customXml>{x}</w:customXml>"),
        inner.map(lambda x: f'<mc:AlternateContent><mc:Choice Requires="wps">{x}</mc:Choice></mc:AlternateContent>'),
        inner.map(lambda x: f"<w:p>{run('枠')}<w:r><w:pict><v:shape><v:textbox><w:txbxContent>{x}</w:txbxContent>"
                            "</v:textbox></v:shape></w:pict></w:r></w:p>"),
    )


BLOCKS = st.lists(st.recursive(PARAGRAPH, block_wrappers, max_leaves=6), max_size=6).map("".join)
#: a body: random blocks, most often after a real article heading (an empty body is refused, which
#: is right but tests little)
BODY = st.tuples(st.integers(0, 3), BLOCKS).map(lambda t: (f"<w:p>{run('第1条（目的）乙は秘密を守る。')}</w:p>" if t[0] else "") + t[1])
STORY = st.lists(PARAGRAPH, max_size=2).map("".join)  # a note or a comment
FORMATS = ["decimal", "decimalZero", "decimalFullWidth", "decimalEnclosedCircle", "decimalEnclosedParen", "aiueo",
           "iroha", "japaneseCounting", "ideographTraditional", "lowerLetter", "upperRoman", "lowerRoman", "bullet",
           "none", "chicago", ""]
START = st.sampled_from(["1", "0", "-3", "21", "x", "", "1.0", "4000", "999999999", "9" * 40])
LEVEL = st.tuples(st.sampled_from(["0", "1", "2", "8", "x", "-1"]), START, st.sampled_from(FORMATS),
                  st.text(alphabet="%123456789第条項号.()（） ", max_size=12), st.sampled_from(["", "0", "1", "2", "x"]),
                  st.booleans(), st.sampled_from(["", "tab", "space", "nothing", "x"]),
                  st.sampled_from(["", "Article", "Item"])).map(
    lambda t: f'<w:lvl w:ilvl="{t[0]}"><w:start w:val="{t[1]}"/><w:numFmt w:val="{t[2]}"/>'
              f"<w:lvlText w:val={quoteattr(t[3])}/>" + (f'<w:lvlRestart w:val="{t[4]}"/>' if t[4] else "")
              + ("<w:isLgl/>" if t[5] else "") + (f'<w:suff w:val="{t[6]}"/>' if t[6] else "")
              + (f'<w:pStyle w:val="{t[7]}"/>' if t[7] else "") + "</w:lvl>")
ABSTRACT = st.tuples(st.sampled_from(["1", "2", "3"]), st.lists(LEVEL, max_size=6), st.booleans()).map(
    lambda t: f'<w:abstractNum w:abstractNumId="{t[0]}">' + ('<w:numStyleLink w:val="Article"/>' if t[2] else "")
              + "".join(t[1]) + "</w:abstractNum>")
NUM = st.tuples(st.sampled_from(["1", "2", "3", "4", "0"]), st.sampled_from(["1", "2", "3", "9"]),
                st.lists(st.tuples(st.sampled_from(["0", "1", "x"]), START), max_size=2)).map(
    lambda t: f'<w:num w:numId="{t[0]}"><w:abstractNumId w:val="{t[1]}"/>'
              + "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{s}"/></w:lvlOverride>' for i, s in t[2])
              + "</w:num>")
NUMBERING = st.tuples(st.lists(ABSTRACT, max_size=3), st.lists(NUM, max_size=4)).map(lambda t: "".join(t[0] + t[1]))


def notes(tag: str):
    return st.lists(st.tuples(IDS, st.sampled_from(["", "normal", "separator"]), STORY), max_size=3).map(
        lambda ns: "".join(f'<w:{tag} w:id="{i}"' + (f' w:type="{k}"' if k else "") + f">{b}</w:{tag}>" for i, k, b in ns))


COMMENTS = st.lists(st.tuples(IDS, XML_TEXT, STORY), max_size=3).map(
    lambda cs: "".join(f'<w:comment w:id="{i}" w:author={quoteattr(a)}>{b}</w:comment>' for i, a, b in cs))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(BODY, NUMBERING, notes("footnote"), notes("endnote"), COMMENTS,
       st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))
def test_docx_packages_with_random_content(body, numbering, footnotes, endnotes, comments, method):
    RUNS["docx: structured packages"] += 1
    from ndalint.ingest.docx import open_for_review, read_docx

    data = docx_package(body, numbering, footnotes, endnotes, comments, method)
    for view in ("accepted", "original"):
        doc = direct(read_docx, data, "x.docx", view=view)
        if doc is None:
            continue
        assert 0 <= doc.meta["notes_start"] <= len(doc.text)
        for c in doc.meta["comment_ranges"]:
            assert 0 <= c["start"] <= c["end"] <= len(doc.text)
    try:
        reviewed, source = open_for_review(data, "x.docx")
    except InputError as exc:
        refused(exc)
    else:
        assert all(0 <= at <= len(reviewed.text) for at, _ in source.pieces)
    read(data, "x.docx", lint=True)


@FAST
@given(st.binary(max_size=2000), st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06"]), st.integers(0, 3000))
def test_docx_bytes_and_damaged_packages(noise, magic, cut):
    RUNS["docx: bytes, damaged packages"] += 1
    from ndalint.ingest.docx import read_docx

    direct(read_docx, magic + noise, "x.docx")
    real = docx_package(f"<w:p>{run('第1条 乙は秘密を守る。')}</w:p>")
    damaged = bytearray(real[:cut] + noise[:64] + real[cut + 64:])
    direct(read_docx, bytes(damaged), "x.docx")
    read(bytes(damaged), "x.docx")


# ------------------------------------------------------------------------------ ZIP headers

@FAST
@given(st.lists(st.tuples(st.sampled_from(["word/document.xml", "mimetype", "a", "content.xml", "x/" * 3]),
                          st.binary(max_size=300), st.sampled_from([0, 8, 8, 12, 14, 99]),
                          st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 3)), max_size=5),
       st.binary(max_size=20))
def test_zip_guard_on_lying_headers(entries, prefix):
    """``package.check_zip`` on ZIPs whose directory says anything: sizes, methods, flags, offsets."""
    RUNS["zip guard: lying headers"] += 1
    from ndalint.ingest.package import check_zip

    body, central = bytearray(prefix), bytearray()
    for name, payload, method, size, crc, flags in entries:
        n = name.encode()
        offset = len(body)
        if method == 8:
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = co.compress(payload) + co.flush()
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0, crc, len(payload), size, len(n), 0) + n
        body += payload
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0, crc, len(payload), size,
                               len(n), 0, 0, 0, 0, 0, offset) + n
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    data = bytes(body + central + end)
    with limits.using(limits.Limits(unpacked=4096)):
        try:
            check_zip(data, "Word 文書")
        except InputError as exc:
            refused(exc)
    read(data, "x.docx")
    read(data, "x.odt")


# ------------------------------------------------------------------------------ OpenDocument

TEXT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def odt_package(body: str) -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {TEXT_NS}>'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


ODT_LEAF = st.one_of(
    XML_TEXT.map(escape),
    st.sampled_from(["1", "3", "0", "-2", "x", "", "999999999"]).map(lambda c: f'<text:s text:c="{c}"/>'),
    st.sampled_from(["<text:tab/>", "<text:line-break/>", "<text:soft-page-break/>", '<text:change-start text:change-id="c"/>',
                     "<text:bookmark/>"]),
)


def odt_inline(children):
    inner = st.lists(children, max_size=4).map("".join)
    return st.one_of(
        st.tuples(st.sampled_from(["text:span", "text:a", "text:unknown"]), inner).map(lambda t: f"<{t[0]}>{t[1]}</{t[0]}>"),
        inner.map(lambda x: f"<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>{x}</text:p>"
                            "</text:note-body></text:note>"),
        inner.map(lambda x: f"<office:annotation><text:p>{x}</text:p></office:annotation>"),
    )


ODT_PARAGRAPH = st.tuples(st.sampled_from(["p", "h"]), st.sampled_from(["", "1", "2", "x", "-1", "0"]),
                          st.lists(st.recursive(ODT_LEAF, odt_inline, max_leaves=15), max_size=4)).map(
    lambda t: f"<text:{t[0]}" + (f' text:outline-level="{t[1]}"' if t[1] else "") + f">{''.join(t[2])}</text:{t[0]}>")


def odt_blocks(children):
    inner = st.lists(children, max_size=3).map("".join)
    return st.one_of(
        inner.map(lambda x: f"<text:list><text:list-item>{x}</text:list-item></text:list>"),
        inner.map(lambda x: f"<table:table><table:table-row><table:table-cell>{x}</table:table-cell></table:table-row>"
                            "</table:table>"),
        inner.map(lambda x: f"<text:section>{x}</text:section>"),
        inner.map(lambda x: "<text:tracked-changes><text:changed-region><text:deletion>"
                            f"{x}</text:deletion></text:changed-region></text:tracked-changes>"),
    )


@settings(FAST, max_examples=100)
@given(st.lists(st.recursive(ODT_PARAGRAPH, odt_blocks, max_leaves=10), max_size=8).map("".join), st.integers(0, 3))
def test_odt_packages_with_random_content(body, anchored):
    RUNS["odt: structured packages"] += 1
    from ndalint.ingest.odt import read_odt

    data = odt_package(("<text:p>第1条（目的）乙は秘密を守る。</text:p>" if anchored else "") + body)
    direct(read_odt, data, "x.odt")
    read(data, "x.odt", lint=True)


@FAST
@given(st.binary(max_size=2000), st.integers(0, 1000))
def test_odt_bytes_and_damaged_packages(noise, cut):
    RUNS["odt: bytes, damaged packages"] += 1
    from ndalint.ingest.odt import read_odt

    direct(read_odt, noise, "x.odt")
    real = odt_package("<text:p>第1条 乙は秘密を守る。</text:p>")
    direct(read_odt, real[:cut] + noise[:32] + real[cut + 32:], "x.odt")


def test_odt_deep_nesting_is_read_or_refused():
    """Expat has no depth limit: 50,000 nested spans must not blow Python's recursion."""
    RUNS["odt: deep nesting"] += 1
    from ndalint.ingest.odt import read_odt

    deep = "<text:p>" + "<text:span>" * 50_000 + "第1条 乙は秘密を守る。" + "</text:span>" * 50_000 + "</text:p>"
    doc = direct(read_odt, odt_package(deep), "deep.odt")
    assert doc is None or "第1条 乙は秘密を守る。" in doc.text


# ------------------------------------------------------------------------------ RTF

RTF_TOKENS = ["{", "}", "\\par ", "\\b ", "\\b0 ", "\\'82\\'a0", "\\'91\\'e6", "\\'zz", "\\u12354?", "\\u-4 ", "\\u99999999?",
              "\\ansicpg932 ", "\\ansicpg65001 ", "\\ansicpg1 ", "{\\fonttbl{\\f0 MS Mincho;}}", "{\\*\\generator x;}",
              "\\bin5 ", "\\uc0 ", "\\tab ", "\\line ", "\\\\", "\\{", "\\}", "第1条", "秘密", "\n", "\r\n", "\\"]


@FAST
@given(st.lists(st.sampled_from(RTF_TOKENS) | st.text(max_size=6), max_size=80).map("".join), st.booleans(),
       st.binary(max_size=200))
def test_rtf(body, header, noise):
    RUNS["rtf"] += 1
    from ndalint.ingest.rtf import read_rtf

    data = (("{\\rtf1\\ansi" if header else "") + body).encode("utf-8", "surrogatepass") + noise
    direct(read_rtf, data, "x.rtf")
    read(data, "x.rtf", lint=len(data) < 400)


# ------------------------------------------------------------------------------ PDF

_PDF: bytes | None = None


def real_pdf() -> bytes:
    global _PDF
    if _PDF is None:
        from pathlib import Path
        from tempfile import TemporaryDirectory

        from conftest import make_pdf

        with TemporaryDirectory() as tmp:
            _PDF = make_pdf(Path(tmp) / "x.pdf", [["第1条（目的）", "乙は、秘密情報を第三者に開示してはならない。"],
                                                  ["第2条（損害賠償）", "乙は一切の損害を賠償する。"]]).read_bytes()
    return _PDF


@FAST
@given(st.binary(max_size=2000), st.sampled_from([b"", b"%PDF-1.4\n", b"junk%PDF-1.7\n"]))
def test_pdf_bytes(noise, magic):
    RUNS["pdf: bytes"] += 1
    from ndalint.ingest.pdf import read_pdf

    direct(read_pdf, magic + noise, "x.pdf")


@FAST
@given(st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=16)), min_size=1, max_size=8),
       st.integers(0, 10**6))
def test_pdf_mutated(edits, cut):
    RUNS["pdf: mutated real PDF"] += 1
    from ndalint.ingest.pdf import read_pdf

    data = bytearray(real_pdf())
    for at, patch in edits:
        at %= len(data)
        data[at : at + len(patch)] = patch
    data = bytes(data[: max(16, cut % (len(data) + 1))]) if cut % 3 == 0 else bytes(data)
    doc = direct(read_pdf, data, "x.pdf")
    if doc is not None:
        sound_report(doc, lint_document(doc, rules()))


FILTERS = st.lists(st.sampled_from(["/FlateDecode", "/Fl", "/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85",
                                    "/LZWDecode", "/RunLengthDecode", "/DCTDecode"]), max_size=3)


@FAST
@given(st.lists(st.tuples(FILTERS, st.booleans(), st.binary(max_size=300), st.booleans()), max_size=5))
def test_pdf_stream_guard(streams):
    """``pdf_streams.check_streams`` on streams whose filters and data say anything."""
    RUNS["pdf: stream guard"] += 1
    import base64
    import binascii

    from ndalint.ingest.pdf_streams import check_streams

    out = bytearray(b"%PDF-1.4\n")
    for i, (filters, image, payload, encode) in enumerate(streams, 1):
        data = payload
        if encode:  # apply the filters for real, so that some streams are valid
            for name in reversed(filters):
                if name in ("/FlateDecode", "/Fl"):
                    data = zlib.compress(data)
                elif name in ("/ASCIIHexDecode", "/AHx"):
                    data = binascii.hexlify(data) + b">"
                elif name in ("/ASCII85Decode", "/A85"):
                    data = base64.a85encode(data) + b"~>"
        dictionary = f"<< /Length {len(data)} /Filter [{' '.join(filters)}]" + (" /Subtype /Image" if image else "") + " >>"
        out += f"{i} 0 obj\n{dictionary}\nstream\n".encode() + data + b"\nendstream\nendobj\n"
    try:
        assert check_streams(bytes(out)) >= 0
    except InputError as exc:
        refused(exc)
    with limits.using(limits.Limits(unpacked=64)):
        try:
            check_streams(bytes(out))
        except InputError as exc:
            refused(exc)
            assert "--limit unpacked=" in str(exc)

