"""Real Word and PDF agreements (../shared/corpus/real/) as their owners saved them: every
article is found with its number, and the confidentiality article with its heading.

The expected values were written by reading each document (Word's own rendering and the PDF
page images), not by copying ndalint's output.
"""

from __future__ import annotations

import pytest

from conftest import SHARED, check_json

REAL = SHARED / "corpus" / "real"

# file: (article numbers in order, (number, heading) of the article that imposes secrecy)
EXPECTED = {
    # Word: 第N条 typed, the 項 numbers １．２． are Word auto-numbering
    "r18_spurs-freelance-basic-agreement.docx": (list(range(1, 18)), (11, "秘密保持")),
    # Word: headings and 1. 2. paragraphs; a 第N条 heading followed by 1. is one article
    "r19_moriyoshi-mutual-nda-template.docx": (list(range(1, 11)), (3, "秘密情報の管理における義務")),
    # Word: the particulars table and the signature block stand before 第1条
    "r20_moriyoshi-software-dev-basic-agreement.docx": (list(range(1, 17)), (11, "機密保持義務")),
    # Word: full-width 第１５条 among half-width numbers
    "r21_spurs-partner-nda.docx": (list(range(1, 17)), (3, "守秘義務")),
    # Word-processor PDF: full-width numbers, running CONFIDENTIAL / 部外秘 header, blank fields
    "r22_supota-freelance-service-agreement.pdf": (list(range(1, 8)), (5, "秘密保持")),
    # PDF pledge numbered １．２．… without 条 and without headings
    "r23_pledge-clinic-staff-entry-pledge.pdf": (list(range(1, 9)), (4, None)),
    # Google Docs PDF: the document itself has no 第5条 and no 第9条 heading
    "r24_reportflow-company-secrecy-pledge.pdf": ([1, 2, 3, 4, 6, 7, 8, 10], (2, "秘密保持義務")),
    # Word PDF: 第 1 条 with spaces around the digits
    "r25_jyohomamoru-web-support-service-agreement.pdf": (list(range(1, 16)), (9, "秘密保持")),
}


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    if not REAL.is_dir():
        pytest.fail(f"../shared/corpus/real is missing (expected at {REAL})")
    code, data, stderr = check_json(*(REAL / name for name in EXPECTED), extra=("--exit-zero",))
    assert code == 0, stderr
    return {d["path"].rsplit("/", 1)[-1]: d for d in data["documents"]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_article_is_found_with_its_number(reports, name):
    doc = reports[name]
    assert doc["error"] is None and doc["status"] == "ok"
    assert [a["number"] for a in doc["articles"]] == EXPECTED[name][0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_confidentiality_article_keeps_its_heading(reports, name):
    number, heading = EXPECTED[name][1]
    article = next(a for a in reports[name]["articles"] if a["number"] == number)
    assert article["title"] == heading


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_template_blanks_are_never_party_names(reports, name):
    for party in reports[name]["parties"]:
        name_ = party["name"] or ""
        assert not any(ch in name_ for ch in "＿〇○△") and "${" not in name_ and "{{" not in name_


def test_the_report_says_how_each_file_was_read(reports):
    for name, doc in reports.items():
        source = doc["source"]
        if name.endswith(".docx"):
            assert source["format"] == "docx" and source["view"] == "accepted"
        else:
            assert source["format"] == "pdf" and source["pages"] >= 1 and source["extractor"]
