"""Ingestion: every format and encoding reads into the same Document with a working source map."""

from __future__ import annotations

import zipfile

import pytest

from conftest import CORPUS, make_pdf
from ndalint import ingest
from ndalint.errors import InputError

SAMPLE = (
    "秘密保持契約書\n"
    "株式会社甲野（以下「甲」という。）と株式会社乙山（以下「乙」という。）は、次のとおり契約を締結する。\n"
    "第1条（目的）\n"
    "本契約は、甲乙間の取引の検討を目的とする。\n"
    "第2条（秘密保持）\n"
    "乙は、秘密情報を第三者に開示してはならない。\n"
    "2　前項の規定は、次の各号に掲げる情報には適用しない。\n"
    "(1) 公知の情報\n"
    "(2) 乙が独自に開発した情報\n"
)


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", SAMPLE.encode("utf-8")),
        ("utf-8 BOM", b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")),
        ("cp932", SAMPLE.encode("cp932")),
        ("shift_jis", SAMPLE.encode("shift_jis")),
        ("euc-jp", SAMPLE.encode("euc_jp")),
        ("utf-16 BOM", SAMPLE.encode("utf-16")),
        ("utf-16-le no BOM", SAMPLE.encode("utf-16-le")),
        ("crlf", SAMPLE.replace("\n", "\r\n").encode("utf-8")),
        ("cr", SAMPLE.replace("\n", "\r").encode("cp932")),
    ],
)
def test_text_encodings_decode_to_the_same_text(tmp_path, encoding, data):
    path = tmp_path / "nda.txt"
    path.write_bytes(data)
    doc = ingest.load(str(path))
    assert doc.text.rstrip("\n") == SAMPLE.rstrip("\n")
    # line/column map back to the source: 第2条 is on line 5, column 1
    offset = doc.text.index("第2条")
    assert doc.locate(offset).line == 5
    assert doc.locate(offset).column == 1
    assert doc.locate(doc.text.index("独自")).line == 9


def test_short_euc_jp_is_not_mistaken_for_korean(tmp_path):
    text = "第1条　乙は、本契約に違反した場合、甲に生じた一切の損害を賠償する。\n"
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("euc_jp"))
    assert ingest.load(str(path)).text == text


def test_input_file_is_never_modified(tmp_path):
    path = tmp_path / "nda.txt"
    data = SAMPLE.replace("\n", "\r\n").encode("cp932")
    path.write_bytes(data)
    ingest.load(str(path))
    assert path.read_bytes() == data


def test_markdown_keeps_line_numbers_and_marks_fences(public_dir):
    doc = ingest.load(str(public_dir / "oi-nda-ai.md"))
    lines = (public_dir / "oi-nda-ai.md").read_text(encoding="utf-8").split("\n")
    offset = doc.text.index("第8条　本契約に違反した当事者")
    loc = doc.locate(offset)
    assert lines[loc.line - 1].startswith("第8条")
    block = doc.block_at(offset)
    assert block.fenced and block.kind == "fence"
    heading = doc.block_at(doc.text.index("## 8条（損害賠償）"))
    assert heading.kind == "heading" and heading.level == 2


def test_docx_rebuilds_word_numbering(public_dir):
    doc = ingest.load(str(public_dir / "oi-nda-ai.docx"))
    # In the .docx the ① … ⑤ of 第1条第2項 exist only as numbering definitions.
    start = doc.text.index("前項の定めにかかわらず、以下の情報は秘密情報の対象外")
    following = doc.text[start:].split("\n")[1:6]
    assert [line[0] for line in following] == list("①②③④⑤")
    assert following[0].endswith("既に公知となっていたもの")
    block = doc.block_at(doc.text.index("既に公知となっていたもの"))
    assert block.label == "①" and block.kind == "list"
    # the map points at the docx paragraph number
    assert doc.unit == "paragraph"
    assert doc.locate(doc.text.index("第1条")).line == block.number - 2


def test_docx_table_of_contents_is_skipped(public_dir):
    doc = ingest.load(str(public_dir / "oi-nda-ai.docx"))
    # the TOC (a content control) would repeat every heading; each heading appears once
    assert doc.text.count("8条（損害賠償）") == 1


def test_pdf_text_layer_with_pages(tmp_path):
    path = make_pdf(tmp_path / "nda.pdf", [SAMPLE.split("\n")[:4], SAMPLE.split("\n")[4:]])
    doc = ingest.load(str(path))
    assert doc.format == "pdf"
    loc = doc.locate(doc.text.index("第2条"))
    assert loc.page == 2
    assert doc.locate(doc.text.index("第1条")).page == 1
    assert "乙が独自に開発した情報" in doc.text


def test_stdin_is_sniffed(monkeypatch, tmp_path):
    import io
    import sys

    pdf = make_pdf(tmp_path / "x.pdf", [["第1条（目的）本契約は検討を目的とする。"]]).read_bytes()
    for data, fmt in ((SAMPLE.encode("cp932"), "txt"), (pdf, "pdf")):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        doc = ingest.load("-")
        assert doc.format == fmt and doc.path == "<stdin>"


def test_directory_walk_picks_supported_files_only(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.md").write_text("x", encoding="utf-8")
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    (tmp_path / "c.csv").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.docx").write_bytes(b"PK")
    found = [p.replace(str(tmp_path) + "/", "") for p in ingest.discover([str(tmp_path)])]
    assert found == ["a.txt", "b.md", "sub/e.docx"]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "空"),
        ("blank.md", b"\n\n  \r\n", "空"),
        ("binary.txt", bytes(range(256)) * 40, "テキストとして読めません"),
        ("corrupt.docx", b"PK\x03\x04 this is not really a zip", "docx"),
        ("not-zip.docx", b"hello", "docx"),
        ("old-word.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
        ("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600, "暗号化"),
        ("corrupt.pdf", b"%PDF-1.7\n garbage garbage", "PDF"),
        ("fake.pdf", b"just text", "PDF"),
    ],
)
def test_bad_inputs_raise_one_line_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        ingest.load(str(path))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_truncated_real_docx_is_an_input_error(tmp_path, public_dir):
    data = (public_dir / "oi-nda-ai.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError):
        ingest.load(str(path))


def test_docx_without_document_part_is_an_input_error(tmp_path):
    path = tmp_path / "empty-zip.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a word document")
    with pytest.raises(InputError, match="docx"):
        ingest.load(str(path))


def test_encrypted_and_textless_pdfs(tmp_path):
    enc = make_pdf(tmp_path / "enc.pdf", [["第1条（目的）"]], encrypt="secret")
    with pytest.raises(InputError, match="暗号化"):
        ingest.load(str(enc))
    scan = make_pdf(tmp_path / "scan.pdf", [[""]], text=False)
    with pytest.raises(InputError, match="テキスト層"):
        ingest.load(str(scan))


def test_huge_file_is_refused_before_reading(tmp_path):
    from ndalint import limits

    path = tmp_path / "huge.txt"
    path.write_bytes(SAMPLE.encode("utf-8") * 20)
    with limits.using(limits.Limits(bytes=1000)), pytest.raises(InputError, match="大きすぎます"):
        ingest.load(str(path))
    assert ingest.load(str(path)).text, "outside the block, the default limit applies again"


def test_project_corpus_reads(tmp_path):
    files = list(ingest.discover([str(CORPUS)]))
    assert any(f.endswith(".docx") for f in files)
    for f in files:
        doc = ingest.load(f)
        assert "第" in doc.text or "1" in doc.text


def _hard_wrap(text: str, width: int) -> str:
    """Cut every line at ``width`` characters, as fixed-width exports do."""
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out)


WRAPPED_SOURCE = (
    "業務委託契約書\n"
    "第1条（目的）\n"
    "本契約は、委託者が受託者に対してウェブサイトの制作業務を委託するにあたり、双方の権利及び義務を定めることを目的とする。\n"
    "第2条（秘密保持）\n"
    "1. 受託者は、本業務の遂行にあたり委託者から秘密である旨を明示して開示された情報を、第三者に開示してはならない。\n"
    "2. 前項の義務は、本契約の終了後2年間存続するものとし、公知の情報には適用しない。\n"
    "第3条（損害賠償）\n"
    "1. 受託者は、本契約に違反して委託者に損害を与えた場合には、その損害を賠償するものとする。\n"
    "2. 前項の賠償額は、委託者が受託者に支払った委託料の総額を上限とする。ただし、受託者の故意による場合はこの限りでない。\n"
    "第4条（協議）\n"
    "本契約に定めのない事項は、委託者及び受託者が誠実に協議して定める。\n"
)


def test_hard_wrapped_text_is_joined_and_still_points_at_physical_lines(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(_hard_wrap(WRAPPED_SOURCE, 32), encoding="utf-8")
    doc = ingest.load(str(path))
    assert doc.text == WRAPPED_SOURCE.rstrip("\n") or doc.text == WRAPPED_SOURCE
    cap = doc.text.index("委託料の総額を上限とする")
    # where that character sits in the file as saved: source line, then the 32-character pieces
    before = WRAPPED_SOURCE[:cap].split("\n")
    line = sum(max(1, -(-len(src) // 32)) for src in before[:-1]) + len(before[-1]) // 32 + 1
    assert doc.locate(cap).line == line and doc.locate(cap).column == len(before[-1]) % 32 + 1
    # the cap sentence is one sentence again, so the liability is read as capped
    from conftest import check_json
    _, data, _ = check_json(path, extra=("--select", "LIAB001,LIAB101", "--party", "受託者=individual"))
    report = data["documents"][0]
    assert [f["rule_id"] for f in report["findings"]] == []
    assert "LIAB101" in {m["rule_id"] for m in report["mitigations"]}


def test_text_with_its_own_short_lines_is_not_joined(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text(WRAPPED_SOURCE, encoding="utf-8")
    doc = ingest.load(str(path))
    assert doc.text.split("\n") == WRAPPED_SOURCE.split("\n")


HAND_BROKEN = """入社時の誓約書
私は、貴社に入社するにあたり、次の事項を誓約します。
1. 在職中に知った貴社の技術上の情報、顧客に
関する情報その他一切の情報を、貴社の許可なく
第三者に漏らしません。
2. 社内の取決めについて
次の各号を守ること
3. 備品を大切に扱うこと
4. 本書の改定は、
2026年4月1日版による。
5. 秘密情報、個人情報の取扱いについて
私は、知った個人情報を他に漏らしません。
"""


def test_lines_broken_by_hand_in_mid_phrase_are_joined(tmp_path):
    """No wrap column (each line its own length), but a line that ends in a particle or a 、 goes on:
    the sentence is read whole, and a finding still points at the line the user sees."""
    path = tmp_path / "pledge.txt"
    path.write_text(HAND_BROKEN, encoding="utf-8")
    doc = ingest.load(str(path))
    lines = doc.text.split("\n")
    assert "1. 在職中に知った貴社の技術上の情報、顧客に関する情報その他一切の情報を、貴社の許可なく第三者に漏らしません。" in lines
    # a heading ending in について, an item ending in こと and a line opening with a date stay apart
    assert "2. 社内の取決めについて" in lines and "次の各号を守ること" in lines and "2026年4月1日版による。" in lines
    assert "5. 秘密情報、個人情報の取扱いについて" in lines  # a heading, even with a 、 in it
    at = doc.text.index("第三者に漏らしません")
    assert doc.locate(at).line == 5 and doc.locate(at).column == 1
    from conftest import check_json
    _, data, _ = check_json(path, extra=("--select", "CONF001",))
    found = data["documents"][0]["findings"]
    assert [f["rule_id"] for f in found] == ["CONF001"] and found[0]["line"] in (3, 4)
