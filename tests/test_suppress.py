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


# -- where ndalint-disable reaches (issue 12: above a heading it covers the next article) -----------

ART1_PLAIN = "第1条（違約金）\n乙が本契約に違反したときは、違約金として金100万円を甲に支払う。\n"


def _lint_text(tmp_path, body: str, name: str = "c.md", select: str = "LIAB002,FORM", extra: tuple[str, ...] = ()):
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    _, data, _ = check_json(path, extra=("--select", select, "--exit-zero", *extra))
    doc = data["documents"][0]
    return doc["suppressed"], [(f["rule_id"], f["article"], f["line"]) for f in doc["findings"]], doc["findings"]


def test_directive_directly_above_a_heading_covers_the_next_article(tmp_path):
    directive = "<!-- ndalint-disable LIAB002 -- 第2条は成果報酬型のため合意済み -->\n"
    for name, gap in (("c.md", ""), ("c.md", "\n"), ("c.txt", "\n\n")):
        suppressed, findings, _ = _lint_text(tmp_path, ART1_PLAIN + gap + directive + gap + ART2, name)
        assert (suppressed, findings) == (1, [("LIAB002", 1, 3)]), (name, gap)


def test_directive_above_a_markdown_heading_covers_the_next_article(tmp_path):
    body = ("## " + ART1_PLAIN + "\n<!-- ndalint-disable LIAB002 -- 第2条のみ合意済み -->\n"
            "<!-- ndalint-disable-file TONE -- 別途確認済み -->\n\n## " + ART2)
    suppressed, findings, _ = _lint_text(tmp_path, body, select="LIAB002,FORM006")
    assert (suppressed, findings) == (1, [("LIAB002", 1, 3)])


def test_directive_after_a_clause_on_its_line_stays_in_its_article(tmp_path):
    body = ART1_PLAIN.rstrip("\n") + "<!-- ndalint-disable LIAB002 -- 第1条は合意済み -->\n" + ART2
    suppressed, findings, _ = _lint_text(tmp_path, body, select="LIAB002,FORM006")
    assert (suppressed, findings) == (1, [("LIAB002", 2, 5)])


def test_directive_between_paragraphs_covers_its_own_article(tmp_path):
    body = ART1_PLAIN + "<!-- ndalint-disable LIAB002 -- 第1条は合意済み -->\n2　乙は秘密を保持する。\n" + ART2
    suppressed, findings, _ = _lint_text(tmp_path, body, select="LIAB002,FORM006")
    assert (suppressed, findings) == (1, [("LIAB002", 2, 7)])


# -- ndalint-disable-next-line ----------------------------------------------------------------------

SECOND = "乙が本契約に違反したときは、違約金として金30万円を甲に支払う。\n"


def test_next_line_covers_only_the_next_non_empty_line(tmp_path):
    body = ("第1条（違約金）\n<!-- ndalint-disable-next-line LIAB002 -- 30万円は実損の見込み額として合意 -->\n\n"
            + SECOND + "2　" + SECOND + ART2)
    suppressed, findings, _ = _lint_text(tmp_path, body)
    assert (suppressed, findings) == (1, [("LIAB002", 1, 6), ("LIAB002", 2, 8)])


def test_next_line_skips_other_directive_lines_and_works_in_plain_text(tmp_path):
    body = ("第1条（違約金）\nndalint-disable-next-line LIAB -- 合意済み\n<!-- ndalint-disable-next-line LIAB002 -- 合意済み -->\n"
            + SECOND + ART2)
    suppressed, findings, _ = _lint_text(tmp_path, body, "c.txt")
    # both directives reach the same line; the finding there is suppressed once and both count as used
    assert (suppressed, findings) == (1, [("LIAB002", 2, 7)])


# -- ndalint-disable-block … ndalint-enable ----------------------------------------------------------

def test_block_covers_what_lies_between_disable_block_and_enable(tmp_path):
    body = (ART1_PLAIN + "<!-- ndalint-disable-block LIAB002 -- 附属の定型条項は親会社の様式（変更不可） -->\n"
            "2　" + SECOND + ART2 + "<!-- ndalint-enable -->\n第3条（違約金その3）\n" + SECOND)
    suppressed, findings, _ = _lint_text(tmp_path, body)
    assert (suppressed, findings) == (2, [("LIAB002", 1, 3), ("LIAB002", 3, 10)])


def test_enable_naming_a_rule_closes_only_the_blocks_that_name_it(tmp_path):
    body = ("<!-- ndalint-disable-block LIAB -- 定型条項 -->\n<!-- ndalint-disable-block TONE -- 定型条項 -->\n" + ART1_PLAIN
            + "<!-- ndalint-enable LIAB -->\n" + ART2)
    suppressed, findings, _ = _lint_text(tmp_path, body, select="LIAB002,FORM006,FORM009")
    assert (suppressed, findings) == (1, [("LIAB002", 2, 8)])


def test_block_never_closed_runs_to_the_end(tmp_path):
    body = ART1_PLAIN + "<!-- ndalint-disable-block LIAB002 -- 以下は親会社の様式 -->\n" + ART2
    assert _lint_text(tmp_path, body, select="LIAB002,FORM006")[:2] == (1, [("LIAB002", 1, 3)])


def test_plain_disable_keeps_covering_its_article_when_an_enable_follows(tmp_path):
    body = ("第1条（違約金）\n<!-- ndalint-disable LIAB002 -- 第1条は合意済み -->\n" + SECOND
            + "<!-- ndalint-enable -->\n" + ART2)
    assert _lint_text(tmp_path, body, select="LIAB002,FORM006")[:2] == (1, [("LIAB002", 2, 7)])


def test_directive_without_a_reason_in_any_form_is_form006(tmp_path):
    for directive in ("<!-- ndalint-disable-next-line LIAB002 -->", "<!-- ndalint-disable-block LIAB002 -->",
                      "<!-- ndalint-disable LIAB002 合意済み -->"):  # words without "--" are no reason
        body = "第1条（違約金）\n" + directive + "\n" + SECOND + ART2
        suppressed, findings, _ = _lint_text(tmp_path, body, select="LIAB002,FORM")
        assert suppressed == 0 and ("FORM006", 1, 3) in findings and len(findings) == 3, directive


# -- FORM009 unknown rule, FORM010 unused suppression ------------------------------------------------

def test_unknown_rule_is_form009_naming_it_and_suppresses_nothing(tmp_path):
    body = "第1条（違約金）\n<!-- ndalint-disable LAIB002, LIAB002 -- 合意済み -->\n" + SECOND + ART2
    suppressed, findings, raw = _lint_text(tmp_path, body)
    assert (suppressed, findings) == (1, [("FORM009", 1, 3), ("LIAB002", 2, 6)])
    assert "「LAIB002」" in raw[0]["message"] and raw[0]["column"] == len("<!-- ndalint-disable ") + 1


def test_directive_naming_no_rule_is_form009(tmp_path):
    body = "第1条（違約金）\n<!-- ndalint-disable -- 合意済み -->\n" + SECOND + ART2
    suppressed, findings, _ = _lint_text(tmp_path, body)
    assert (suppressed, findings) == (0, [("FORM009", 1, 3), ("LIAB002", 1, 4), ("LIAB002", 2, 6)])


def test_rule_of_an_extra_pack_is_known(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "LIAB901.yaml").write_text(
        "id: LIAB901\nname: house-penalty\ntitle: 社内ルールの違約金\ncategory: individual-liability\nseverity: low\n"
        "match:\n  regex: 違約金\nmessage: 違約金\nrationale: 社内ルール\n"
        "examples:\n  flag: [\"乙は違約金を支払う。\"]\n  ok: [\"乙は秘密を保持する。\"]\n", encoding="utf-8")
    body = "第1条（違約金）\n<!-- ndalint-disable LIAB901 -- 社内で承認済み -->\n" + SECOND + ART2
    assert ("FORM009", 1, 3) in _lint_text(tmp_path, body)[1]
    suppressed, findings, _ = _lint_text(tmp_path, body, select="LIAB002,LIAB901,FORM", extra=("--rules", str(pack)))
    assert (suppressed, findings) == (1, [("LIAB002", 1, 4), ("LIAB002", 2, 6), ("LIAB901", 2, 6)])


def test_unused_suppression_is_form010_naming_the_unused_rule_only(tmp_path):
    body = ("第1条（違約金）\n<!-- ndalint-disable LIAB002,LIAB013 -- 合意済み -->\n" + SECOND
            + "第2条（秘密保持）\n<!-- ndalint-disable-next-line LIAB -- 合意済み -->\n乙は秘密を保持する。\n")
    suppressed, findings, raw = _lint_text(tmp_path, body, select="LIAB002,LIAB013,FORM")
    assert (suppressed, findings) == (1, [("FORM010", 1, 3), ("FORM010", 2, 6)])
    assert "「LIAB013」" in raw[0]["message"] and raw[0]["column"] == len("<!-- ndalint-disable LIAB002,") + 1
    assert "「LIAB」" in raw[1]["message"]


def test_rules_that_did_not_run_are_not_reported_unused(tmp_path):
    body = "第1条（違約金）\n<!-- ndalint-disable LIAB002,CONF014 -- 合意済み -->\n" + SECOND
    assert _lint_text(tmp_path, body, select="LIAB002,FORM")[:2] == (1, [])
    assert _lint_text(tmp_path, body, select="LIAB002,CONF014,FORM")[:2] == (1, [("FORM010", 1, 3)])


def test_unused_suppression_can_itself_be_suppressed_and_is_counted(tmp_path):
    body = ("<!-- ndalint-disable-file FORM010 -- 雛形の注記として残す -->\n第1条（秘密保持）\n"
            "<!-- ndalint-disable LIAB002 -- 合意済み -->\n乙は秘密を保持する。\n")
    assert _lint_text(tmp_path, body)[:2] == (1, [])


def test_corpus_directive_without_reason_is_only_form006(tmp_path):
    from conftest import CORPUS

    _, data, _ = check_json(CORPUS / "supplier-nda-short.txt", extra=("--select", "FORM", "--exit-zero"))
    rules = [f["rule_id"] for f in data["documents"][0]["findings"]]
    assert "FORM006" in rules and "FORM009" not in rules and "FORM010" not in rules
