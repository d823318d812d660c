"""Suppression comments name the rule and a reason, cover one article (or the file), and are counted."""

from __future__ import annotations

from conftest import check_json

HEAD = "株式会社A（以下「甲」という。）と個人である参加者山田太郎（以下「乙」という。）は、次のとおり合意する。\n"
ART1 = "第1条（違約金）\n{directive}乙が本契約に違反したときは、違約金として金100万円を甲に支払う。\n"
ART2 = "第2条（違約金その2）\n乙が本契約に違反したときは、違約金として金50万円を甲に支払う。\n"


def _lint(tmp_path, directive: str, name: str = "c.md"):
    path = tmp_path / name
    path.write_text(HEAD + ART1.format(directive=directive) + ART2, encoding="utf-8")
    _, data, _ = check_json(path, extra=("--select", "LIAB002,FORM006", "--exit-zero"))
    doc = data["documents"][0]
    return doc["suppressed"], [(f["rule_id"], f["article"]) for f in doc["findings"]]


def test_without_directive_both_articles_are_flagged(tmp_path):
    assert _lint(tmp_path, "") == (0, [("LIAB002", 1), ("LIAB002", 2)])


def test_directive_with_reason_covers_its_article_only(tmp_path):
    directive = "<!-- ndalint-disable LIAB002 -- 成果報酬型のため双方合意済み（法務部確認） -->\n"
    assert _lint(tmp_path, directive) == (1, [("LIAB002", 2)])


def test_prefix_and_file_wide_directive(tmp_path):
    directive = "<!-- ndalint-disable-file LIAB -- 違約金は労使協定で合意済み -->\n"
    assert _lint(tmp_path, directive) == (2, [])


def test_directive_without_reason_suppresses_nothing_and_says_so(tmp_path):
    suppressed, findings = _lint(tmp_path, "<!-- ndalint-disable LIAB002 -->\n")
    assert suppressed == 0
    assert ("LIAB002", 1) in findings and ("LIAB002", 2) in findings and ("FORM006", 1) in findings


def test_plain_text_directive_line(tmp_path):
    directive = "ndalint-disable LIAB002 -- 双方合意済み\n"
    assert _lint(tmp_path, directive, "c.txt") == (1, [("LIAB002", 2)])
