"""Formats by content, the other word-processor formats (.rtf, .odt), and documents that are not
contracts: read as a user would, through the CLI."""

from __future__ import annotations

import pytest

from conftest import check_json, make_pdf, run_cli

HARSH = [
    "秘密保持誓約書",
    "私は、貴社の業務に従事するにあたり、次の事項を誓約いたします。",
    "第1条（秘密保持）",
    "私は、業務上知り得た一切の情報を、在職中及び退職後も第三者に開示しません。",
    "第2条（損害賠償）",
    "私は、本誓約書に違反した場合、貴社に生じた一切の損害を賠償します。",
]


def _rtf(lines: list[str]) -> bytes:
    """RTF as Word writes Japanese: cp932 bytes as \\'xx escapes in an \\ansicpg932 document."""
    body = "".join("".join(f"\\'{b:02x}" for b in line.encode("cp932")) + "\\par\n" for line in lines)
    return ("{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fnil\\fcharset128 MS Mincho;}}\\f0\n" + body + "}").encode("ascii")


def _odt(path, lines: list[str]) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text=lines[0]))
    for line in lines[1:]:
        doc.text.addElement(P(text=line))
    doc.save(str(path))


def _lint(path) -> dict:
    code, data, stderr = check_json(path, extra=("--exit-zero",))
    assert code == 0, stderr
    return data["documents"][0]


def test_rtf_pledge_is_read_and_linted(tmp_path):
    path = tmp_path / "pledge.rtf"
    path.write_bytes(_rtf(HARSH))
    doc = _lint(path)
    assert doc["format"] == "rtf" and doc["status"] == "ok"
    assert [a["number"] for a in doc["articles"]] == [1, 2]
    assert {f["category"] for f in doc["findings"]} >= {"confidentiality-scope", "individual-liability"}


def test_odt_agreement_is_read_and_linted(tmp_path):
    path = tmp_path / "pledge.odt"
    _odt(path, HARSH)
    doc = _lint(path)
    assert doc["format"] == "odt" and doc["title"] == "秘密保持誓約書"
    assert [a["title"] for a in doc["articles"]] == ["秘密保持", "損害賠償"]
    assert doc["score"]["value"] > 20


def test_content_decides_the_format_not_the_suffix(tmp_path):
    pdf = make_pdf(tmp_path / "saved-as.txt", [HARSH])
    rtf = tmp_path / "pledge.txt"
    rtf.write_bytes(_rtf(HARSH))
    for path, fmt in ((pdf, "pdf"), (rtf, "rtf")):
        doc = _lint(path)
        assert doc["format"] == fmt and [a["number"] for a in doc["articles"]] == [1, 2]


@pytest.mark.parametrize("suffix, expected", [(".docx", "docx として読めません"), (".pdf", "PDF として読めません"),
                                              (".odt", "OpenDocument として読めません")])
def test_text_behind_a_binary_suffix_is_a_clear_error(tmp_path, suffix, expected):
    path = tmp_path / f"misnamed{suffix}"
    path.write_text("秘密保持契約書\n", encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_spreadsheet_is_refused_with_a_reason(tmp_path):
    import zipfile

    path = tmp_path / "book.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    result = run_cli("check", str(path))
    assert result.exit_code == 2 and "表計算" in result.stderr


DIARY = "十二月四日　晴れ\n朝から公園を散歩した。\n友だちと昼ごはんを食べて、夕方は本を読んだ。\n"
ENGLISH = ("MUTUAL NON-DISCLOSURE AGREEMENT\nThe Recipient shall hold the Confidential Information in strict "
           "confidence and shall not disclose it to any third party.\n")


@pytest.mark.parametrize("text, reason", [(DIARY, "条項・当事者・契約の用語が見つかりません"), (ENGLISH, "日本語の文書ではない")])
def test_a_document_that_is_not_a_contract_gets_no_safe_verdict(tmp_path, text, reason):
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    code, data, stderr = check_json(path)
    doc = data["documents"][0]
    assert doc["status"] == "unrecognized" and reason in doc["notice"]
    assert doc["score"] is None and doc["findings"] == []
    assert code == 1 and "契約書として読み取れませんでした" in stderr  # the gate fails: no verdict is not a pass
    text_out = run_cli("check", "--exit-zero", str(path))
    assert text_out.exit_code == 0
    assert "契約書として読み取れませんでした" in text_out.stdout and "安心" not in text_out.stdout


@pytest.mark.parametrize("fmt", ["sarif", "github", "markdown", "html"])
def test_every_format_reports_an_unrecognised_document(tmp_path, fmt):
    path = tmp_path / "note.txt"
    path.write_text(DIARY, encoding="utf-8")
    result = run_cli("check", "--format", fmt, "--exit-zero", str(path))
    assert "契約書として読み取れませんでした" in result.stdout


SHORT_AGREEMENTS = [
    "誓約書\n私は、貴社の秘密を守ることを誓約します。\n",
    "撮影に関する同意書\n当日撮影した写真を主催者が広報に使うことに同意します。\n氏名：＿＿＿＿\n",
    "ご参加にあたってのお約束\n1. ほかの参加者の意見を尊重します\n2. 会場では飲食をしません\n",
    "アイデアソン参加条件\n・提出物の権利は主催者に帰属します。\n・応募した時点で本条件を承諾したものとします。\n",
    "念書\n私は、お借りした資料を月末までにお返しします。\n汚損した場合は弁償します。\n",
    "読書会の参加者へ\n・配布資料の無断転載はご遠慮ください\n・他の人の発言を外で話すときは本人の了承を得てください\n",
]
NOT_AGREEMENTS = [
    "営業会議 議事録\n1. 先月の実績について\n受注は計画どおりだった。\n2. 展示会について\n出展の準備を始める。\n"
    "3. 次回について\n来週の火曜日に開く。\n",
    "肉じゃが\n（材料）\nじゃがいも、玉ねぎ、牛肉。\n（作り方）\n材料を切って煮る。\n（コツ）\n弱火でじっくり煮る。\n",
    "私は、週末にやることを書いた。\n1. 洗濯をする\n2. 図書館に行く\n3. 手紙を書く\n",
]


@pytest.mark.parametrize("text", SHORT_AGREEMENTS)
def test_short_real_agreements_are_recognised(tmp_path, text):
    path = tmp_path / "short.txt"
    path.write_text(text, encoding="utf-8")
    assert _lint(path)["status"] == "ok"


@pytest.mark.parametrize("text", NOT_AGREEMENTS)
def test_documents_with_headings_but_no_contract_are_not_scored(tmp_path, text):
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    doc = _lint(path)
    assert doc["status"] == "unrecognized" and doc["score"] is None


def test_markdown_preamble_outside_the_fences_keeps_its_parties(tmp_path):
    path = tmp_path / "nda.md"
    path.write_text(
        "# 秘密保持契約書\n\n株式会社アルファ（以下「甲」という。）と山田太郎（以下「乙」という。）は、"
        "次のとおり契約を締結する。\n\n## 第1条（秘密保持）\n\n```\n第1条　乙は、甲から開示された一切の情報を"
        "第三者に開示してはならない。\n```\n\n本条は、開示の範囲を定める一般的な条項です。\n", encoding="utf-8")
    doc = _lint(path)
    assert {(p["label"], p["kind"]) for p in doc["parties"]} == {("甲", "company"), ("乙", "individual")}
    assert [a["number"] for a in doc["articles"]] == [1]
    assert all("一般的な条項" not in f["excerpt"] for f in doc["findings"])  # commentary stays out


@pytest.mark.parametrize("blank", ["＿＿＿＿＿＿", "〇〇〇〇", "${乙名}", "{{staff_name}}", "【氏名】", "株式会社△△△△"])
def test_template_blanks_are_not_names(tmp_path, blank):
    path = tmp_path / "nda.txt"
    path.write_text(f"秘密保持契約書\n株式会社アルファ（以下「甲」という。）と{blank}（以下「乙」という。）は、次のとおり契約を締結する。\n"
                    "第1条（秘密保持）\n乙は、秘密情報を第三者に開示してはならない。\n", encoding="utf-8")
    parties = {p["label"]: p for p in _lint(path)["parties"]}
    assert parties["甲"]["name"] == "株式会社アルファ"
    assert parties["乙"]["name"] is None


def test_text_that_mentions_a_pdf_header_is_still_text(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("備考：PDF ファイルは %PDF-1.7 のような行で始まる。\n" + "\n".join(HARSH) + "\n", encoding="utf-8")
    doc = _lint(path)
    assert doc["format"] == "txt" and [a["number"] for a in doc["articles"]] == [1, 2]


def test_odt_comments_are_counted_not_linted(tmp_path):
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    for line in HARSH[:3]:
        doc.text.addElement(P(text=line))
    clause = P(text="乙は、秘密情報を第三者に開示しない。")
    note = Annotation()
    note.addElement(P(text="一切の損害を賠償させる条項を追加してください"))
    clause.addElement(note)
    doc.text.addElement(clause)
    path = tmp_path / "reviewed.odt"
    doc.save(str(path))
    report = _lint(path)
    assert report["source"]["comments"] == 1
    assert all("一切の損害" not in f["excerpt"] for f in report["findings"])
    from ndalint import ingest

    assert "追加してください" not in ingest.load(str(path)).text


def test_an_unreadable_file_has_status_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04broken")
    code, data, _ = check_json(path)
    doc = data["documents"][0]
    assert code == 2 and doc["status"] == "error" and doc["error"]
