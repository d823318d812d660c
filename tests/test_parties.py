"""Who the parties are, their kind, who is bound, and the kind of agreement: the resolver on the
forms real agreements take (examples written for these tests), and the user's overrides."""

from __future__ import annotations

import re

import pytest

from conftest import check_json, run_cli
from ndalint import structure
from ndalint.ingest.document import Document, blocks_from_lines


def parse(text: str) -> structure.Contract:
    return structure.parse(Document(path="t", format="txt", text=text, blocks=blocks_from_lines(text)))


def kinds(c: structure.Contract) -> dict[str, str]:
    return {p.label: p.kind for p in c.parties}


def bound(c: structure.Contract) -> set[str]:
    return {p.label for p in c.parties if p.bound}


def test_a_class_the_terms_address_is_a_party_without_a_definition():
    c = parse("オンライン勉強会 参加規約\n第1条（参加）\n参加者は、事務局の案内に従うものとします。\n"
              "第2条（秘密）\n参加者は、勉強会で知り得た他の参加者の情報を第三者に開示してはなりません。\n"
              "第3条（運営）\n事務局は、本規約を変更できます。事務局の判断は最終とします。\n")
    assert kinds(c) == {"参加者": "individual", "事務局": "company"}
    assert bound(c) == {"参加者"}
    assert any("参加者は" in e for e in c.party("参加者").evidence)


@pytest.mark.parametrize("definition, label", [("（以下、甲という。）", "甲"), ("（以下「甲」とする。）", "甲"), ("（以下「甲」）", "甲")])
def test_definitions_without_quotes_or_without_toiu(definition, label):
    c = parse(f"秘密保持契約書\nサンプル商事株式会社{definition}と山田花子（以下「乙」という。）は、次のとおり契約を締結する。\n"
              "第1条（秘密保持）\n乙は、甲から開示された秘密情報を第三者に開示しない。\n")
    assert kinds(c) == {label: "company", "乙": "individual"}


@pytest.mark.parametrize("field, kind", [("{{staff_name}}", "individual"), ("{{clientName}}", "company"),
                                         ("${member}", "individual")])
def test_template_fields_say_what_they_will_hold(field, kind):
    c = parse(f"秘密保持契約書\nサンプル商事株式会社（以下「甲」という。）と{field}（以下「乙」という。）は、次のとおり合意する。\n"
              "第1条（秘密保持）\n乙は、知り得た秘密情報を第三者に開示しない。\n")
    assert c.party("乙").kind == kind and c.party("乙").name is None
    assert any("記入欄" in e for e in c.party("乙").evidence)


SIGNED = """業務委託契約書
＿＿＿＿（以下「甲」という。）と＿＿＿＿（以下「乙」という。）は、次のとおり契約を締結する。
第1条（秘密保持）
乙は、業務上知り得た甲の秘密情報を第三者に開示しない。
本契約の成立を証するため、本書2通を作成する。
甲
会社名：
代表取締役：
乙
{lines}
"""


@pytest.mark.parametrize("lines, kind", [("住所：\n氏名：\n生年月日：", "individual"), ("商号：\n代表者：", "company")])
def test_the_signature_block_tells_a_blank_party_apart(lines, kind):
    c = parse(SIGNED.format(lines=lines))
    assert c.party("甲").kind == "company" and c.party("乙").kind == kind
    assert any(e.startswith("署名欄") for e in c.party("乙").evidence)


def test_a_pledge_signed_by_a_company_through_its_representative():
    c = parse("秘密保持誓約書\n株式会社サンプル\n総務部 佐藤一郎 様\n株式会社テスト\n代表取締役\n鈴木次郎\n"
              "私は、貴社との取引に関して開示を受ける秘密情報につき、以下を遵守することを誓約いたします。\n"
              "第1条（秘密保持）\n誓約者は、秘密情報を第三者に開示しません。\n誓約者は、秘密情報を目的外に使用しません。\n")
    assert kinds(c) == {"貴社": "company", "私": "company", "誓約者": "company"}
    assert bound(c) == {"誓約者"}


def test_a_pledge_by_a_person_binds_the_signer():
    c = parse("誓約書\n株式会社サンプル 御中\n私は、貴社に入社するにあたり、次の事項を誓約します。\n"
              "1. 在職中に知り得た貴社の秘密を漏らしません。\n2. 退職時に貸与品を返却します。\n以上\n氏名　　　　印\n")
    assert kinds(c) == {"貴社": "company", "私": "individual"}
    assert bound(c) == {"私"}


def test_a_pledge_that_starts_straight_with_its_first_article_binds_the_signer():
    # no preamble and no signature block: the first article says who pledges
    c = parse("機密の取扱いに関する誓約書\n株式会社見本製作所 御中\n第1条（機密の保持）\n"
              "私は、貴社での勤務を通じて知った技術資料を、社外の者に漏らしません。\n"
              "第2条（返却）\n私は、退職の際、貸与された資料をすべて返却します。\n")
    assert kinds(c) == {"貴社": "company", "私": "individual"}
    assert bound(c) == {"私"}


def test_a_pledge_in_the_first_person_that_never_says_watashi_wa_binds_the_signer():
    # a bare 誓約書 numbered 1. 2.: 私 appears only as 私が / 私に, the employer only as 貴殿
    c = parse("誓約書\n\n1. 私の不注意が原因で貴殿に損害が生じたときは、その責めは私が負うものと認め、損害は全額私が負担いたします。\n"
              "2. 退職に当たり、在職中に貴殿の業務で知った顧客の情報は、今後も他に漏らさないことを誓います。\n")
    # 貴殿 says who is addressed, not whether it is a company or a person
    assert kinds(c) == {"私": "individual"}
    assert bound(c) == {"私"} and c.binds_individual
    assert [a.number for a in c.articles] == [1, 2]  # numbered clauses right after the title are its articles
    assert c.kind == "exit-pledge"


def test_a_name_that_is_a_relative_clause_is_the_person_it_describes():
    # 「会社に…していた〇〇」 is a person; the 会社 is only where they worked
    c = parse("退職時の誓約書\n株式会社見本商事に営業職として勤務していた〇〇（以下「退職者」という。）は、次のとおり誓約する。\n"
              "第1条（秘密保持）\n退職者は、在職中に知った顧客情報を第三者に漏らさない。\n")
    assert c.party("退職者").kind == "individual" and bound(c) == {"退職者"}


def test_brackets_that_say_who_a_label_stands_for():
    # （以下、協力者を「乙」という。）: the label is defined, and the words before を say who it is
    c = parse("秘密保持に関する合意書\n株式会社テスト工房（以下「甲」という。）は、試作品の使用感調査への協力（以下、協力者を「乙」という。）を"
              "依頼するにあたり、次のとおり定める。\n第1条（秘密保持）\n乙は、調査で知った試作品の情報を第三者に漏らさないものとする。\n")
    assert kinds(c) == {"甲": "company", "乙": "individual"} and bound(c) == {"乙"}
    assert not any(p.label == "乙" and not p.defined for p in c.parties)


def test_a_duty_worded_politely_binds_its_subject():
    # 「…のために開示し、又は自ら使用いたしません」: the polite negative of 使用 is a duty too
    c = parse("退職時の誓約書\n私は、貴社を退職するにあたり、次の事項を誓約いたします。\n"
              "1. 私は、在職中に知った貴社の営業秘密を、退職後も他社のために開示し、又は自ら使用いたしません。\n")
    assert bound(c) == {"私"}


def test_items_under_a_lead_sentence_bind_its_subject():
    # 「乙は、…次のとおり取り扱う。」 then subject-less items: the items' duties are 乙's, not the first party's
    c = parse("秘密保持契約書\n株式会社北（以下「甲」という。）と株式会社南（以下「乙」という。）は、次のとおり合意する。\n"
              "第2条（取扱い）\n乙は、甲から受け取った秘密情報を次のとおり取り扱う。\n"
              "1. 秘密情報を第三者に漏らさないこと\n2. 秘密情報を検討の目的以外に使わないこと\n")
    assert bound(c) == {"乙"}


def test_a_ban_worded_as_what_one_cannot_do_binds_its_subject():
    c = parse("ボランティア活動規約\n第1条（情報の扱い）\nボランティアは、活動を通じて知り得た情報を、事務局の許可なく公開することはできません。\n"
              "第2条（服装）\nボランティアは、活動中は配布したスタッフ証を身に着けるものとします。\n")
    assert bound(c) == {"ボランティア"}


def test_a_filled_in_pledge_and_clauses_numbered_with_their_title():
    # 「私 山田花子 は、」 as a form is filled in; 「1（秘密保持）」 numbers a clause with its title
    c = parse("入社誓約書\n株式会社見本 御中\n私 山田花子 は、貴社に入社するにあたり、次の事項を守ることを誓約します。\n"
              "1（秘密保持）\n在職中に知った貴社の営業上の情報を、第三者に漏らしません。\n"
              "2（備品）\n貸与された備品を大切に扱います。\n")
    assert kinds(c) == {"貴社": "company", "私": "individual"} and bound(c) == {"私"}
    assert [(a.number, a.title) for a in c.articles] == [(1, "秘密保持"), (2, "備品")]
    assert all("1（秘密保持）」" not in e for p in c.parties for e in p.evidence)


def test_a_first_person_who_only_explains_is_no_signer():
    # the organiser's staff writes 「私」; the promise is the participants'
    c = parse("モニター参加のご案内\n参加の際は、知った製品情報を第三者に開示しないことを誓約していただきます。\n"
              "担当の私が説明会を行い、私の連絡先あてにお申し込みを受け付けます。貴団体のご協力に感謝いたします。\n")
    assert "私" not in kinds(c)


def test_a_decorated_title_is_the_title_and_an_inline_heading_keeps_the_signer():
    c = parse("■誓約書■\n■秘密保持■\n私は、貴社の秘密情報を第三者に開示しません。\n■損害賠償■\n私は、故意に違反したときは損害を賠償します。\n"
              "■返却■\n私は、退職時に資料を返却します。\n")
    assert [a.title for a in c.articles] == ["秘密保持", "損害賠償", "返却"]
    assert bound(c) == {"私"} and kinds(c)["私"] == "individual"
    inline = parse("誓約書\n1（秘密保持）私は、貴社の秘密情報を第三者に開示しません。\n2（競業避止）私は、退職後1年間、競合する事業に従事しません。\n")
    assert bound(inline) == {"私"} and [a.number for a in inline.articles] == [1, 2]


def test_an_employee_named_by_a_relative_clause_is_a_person():
    c = parse("業務委託契約書\n株式会社ベータ（以下「甲」という。）と株式会社アルファの従業員である山田太郎（以下「乙」という。）は、次のとおり合意する。\n"
              "第1条（秘密保持）\n乙は、本業務で知った甲の情報を第三者に開示しない。\n")
    assert kinds(c) == {"甲": "company", "乙": "individual"}


def test_items_a_lead_sentence_puts_on_the_other_party_bind_that_party():
    c = parse("業務委託契約書\n株式会社北（以下「甲」という。）と森田花子（以下「乙」という。）は、次のとおり合意する。\n"
              "第3条（遵守事項）\n甲は、乙に対し、本業務の遂行にあたり次の事項を守るよう求める。\n"
              "1. 業務上知った一切の情報を第三者に漏らさないこと\n")
    assert bound(c) == {"乙"}


def test_first_person_words_in_other_documents_name_no_signer():
    # a company's terms that quote a customer's 「私」 once are not a pledge
    c = parse("サービス利用規約\n第1条（目的）\n当社は、お客様から「私の注文を取り消したい」との連絡を受けたときは、速やかに対応します。\n")
    assert "私" not in kinds(c)


def test_mutual_duties_bind_both_and_blanks_between_companies_are_companies():
    c = parse("秘密保持契約書\n${乙名}（以下「乙」という。）及び〇〇株式会社（以下「甲」という。）は、両社の業務提携の"
              "検討について、次のとおり合意する。\n第1条（秘密保持）\n受領者は、開示者の秘密情報を第三者に開示してはならない。\n")
    assert c.kind == "b2b"
    assert kinds(c) == {"甲": "company", "乙": "company"}
    assert bound(c) == {"甲", "乙"}


def test_a_clause_about_ones_own_secrets_binds_nobody():
    c = parse("アイデアソン参加規約\n第1条（公開）\n主催者は、当日の発表を公開します。主催者は、記録を残します。\n"
              "第2条（秘密について）\n参加者は、参加者が非公開を望む情報を本イベントで開示しないものとします。\n"
              "第3条（参加）\n参加者は、主催者の案内に従います。\n")
    assert bound(c) == set()


def test_posting_to_sns_is_a_secrecy_duty():
    c = parse("見学会参加規約\n第1条（撮影の禁止）\n参加者は、会場内を撮影し、その写真をSNSへ投稿することを禁止します。\n"
              "第2条（参加）\n参加者は、主催者の指示に従います。主催者は、参加を断ることができます。\n")
    assert bound(c) == {"参加者"}


def test_a_generic_discloser_recipient_template_is_not_two_individuals():
    c = parse("秘密保持契約書\n開示者と受領者は、次のとおり合意する。\n第1条（秘密保持）\n受領者は、開示者の秘密情報を第三者に開示しない。\n")
    assert not any(p.kind == "individual" for p in c.parties)


def test_overrides_win_and_are_shown_as_such(tmp_path):
    path = tmp_path / "nda.txt"
    path.write_text("秘密保持契約書\n＿＿＿（以下「甲」という。）と＿＿＿（以下「乙」という。）は、次のとおり合意する。\n"
                    "第1条（秘密保持）\n乙は、甲の秘密情報を第三者に開示しない。\n", encoding="utf-8")
    _, data, _ = check_json(path, extra=("--exit-zero", "--party", "乙=individual", "--kind", "panel"))
    doc = data["documents"][0]
    party = next(p for p in doc["parties"] if p["label"] == "乙")
    assert party["kind"] == "individual" and party["overridden"] and party["confidence"] == 1.0 and party["bound"]
    assert doc["kind"] == "panel" and doc["kind_overridden"]


def test_a_bad_party_override_is_a_usage_error(tmp_path):
    path = tmp_path / "nda.txt"
    path.write_text("契約書\n", encoding="utf-8")
    result = run_cli("check", "--party", "乙=person", str(path))
    assert result.exit_code == 2 and "LABEL=KIND" in result.stderr


@pytest.mark.parametrize("name", ["LG Sample Lab株式会社", "AI TECH TEAM", "Blue Ocean Works合同会社"])
def test_latin_names_keep_their_spaces(name):
    c = parse(f"秘密保持契約書\n{name}（以下「甲」という。）と山田花子（以下「乙」という。）は、次のとおり合意する。\n"
              "第1条（秘密保持）\n乙は、甲の秘密情報を第三者に開示しない。\n")
    assert c.party("甲").name == name


def test_a_company_pledging_to_another_is_bound_and_not_a_person():
    c = parse("秘密保持に関する誓約書\n株式会社サンプル 御中\n当社は、貴社から開示を受ける技術情報について、次のとおり誓約いたします。\n"
              "1. 開示を受けた情報を第三者に開示しないこと。\n2. 開示を受けた情報を目的外に使用しないこと。\n以上\n")
    assert kinds(c) == {"貴社": "company", "当社": "company"}
    assert bound(c) == {"当社"} and not c.binds_individual


def test_discloser_and_recipient_named_as_the_parties():
    c = parse("秘密保持契約書\n\n開示者：株式会社リバー（以下「開示者」という。）\n受領者：ライト解析株式会社（以下「受領者」という。）\n\n"
              "開示者と受領者は、次のとおり合意する。\n第1条（秘密保持）\n受領者は、開示者の秘密情報を第三者に開示してはならない。\n")
    assert kinds(c) == {"開示者": "company", "受領者": "company"}
    assert bound(c) == {"受領者"} and not c.binds_individual


def test_a_blank_contractor_in_a_freelance_template_is_a_person():
    c = parse("業務委託契約書\n株式会社サンプル（以下「委託者」という。）と＿＿＿＿（以下「受託者」という。）は、"
              "ウェブ制作業務の委託について次のとおり契約を締結する。\n第1条（秘密保持）\n受託者は、業務上知り得た秘密を第三者に漏らしてはならない。\n")
    assert c.kind == "freelance"
    assert kinds(c) == {"委託者": "company", "受託者": "individual"} and bound(c) == {"受託者"}


def test_compound_role_nouns_and_mixed_classes():
    c = parse("モニター会員規約\n第1条（定義）\n当社のモニターサイトに登録した個人（以下「モニター会員」という。）に適用します。\n"
              "第2条（秘密保持）\nモニター会員は、調査で知り得た情報を第三者に開示してはなりません。\n")
    assert c.party("モニター会員").kind == "individual" and bound(c) == {"モニター会員"}
    mixed = parse("先行体験プログラム利用条件\n本条件に同意いただいた法人及び個人（以下「ユーザー」といいます。）は、次の条件に従います。\n"
                  "第1条（秘密保持）\nユーザーは、当社が公表していない情報を第三者に開示してはなりません。\n")
    assert mixed.party("ユーザー").kind == "unknown"


def test_chat_rules_without_a_named_member_still_bind_people():
    c = parse("オープンチャット参加ルール\n1. 投稿について\n他の人の投稿をスクリーンショットで外部に共有しないでください。\n"
              "2. 宣伝について\n宣伝目的の投稿はご遠慮ください。\n3. 退出について\nルールに従えない場合は退出をお願いします。\n")
    assert c.kind == "community" and c.binds_individual


def test_a_spaced_out_title_is_still_the_title():
    c = parse("誓　約　書\n株式会社サンプル 御中\n私は、貴社を退職するにあたり、次の事項を誓約いたします。\n"
              "1. 在職中に知り得た秘密を漏らしません。\n以上\n")
    assert c.title == "誓　約　書" and c.kind == "exit-pledge"


def test_a_named_person_is_never_switched_off_by_a_duty_read_as_the_other_partys():
    # 乙's duty is 管理しなければならない (not a disclosure verb); 甲's sentence is the one read as a duty
    c = parse("業務委託契約書\n株式会社サンプル（以下「甲」という。）と山田太郎（以下「乙」という。）は、次のとおり契約を締結する。\n"
              "第1条（秘密情報）\n乙は、甲から開示された秘密情報を厳重に管理しなければならない。\n"
              "第2条（甲の義務）\n甲は、乙から開示された秘密情報を第三者に開示しない。\n")
    assert c.party("乙").kind == "individual" and c.binds_individual


def test_one_stray_word_is_no_kind_of_agreement():
    c = parse("秘密保持契約書\n（株）ベータ（以下「甲」という。）と（株）ガンマ（以下「乙」という。）は、次のとおり契約を締結する。\n"
              "第1条（秘密保持）\n甲及び乙は、相手方の秘密情報を第三者に開示しない。\n")
    assert c.kind != "beta-test" and not c.binds_individual


def test_override_conflicts_and_absent_labels(tmp_path):
    path = tmp_path / "nda.txt"
    path.write_text("秘密保持契約書\n株式会社A（以下「甲」という。）と株式会社B（以下「乙」という。）は、次のとおり合意する。\n"
                    "第1条（秘密保持）\n受領者は、開示者の秘密情報を第三者に開示しない。\n", encoding="utf-8")
    result = run_cli("check", "--party", "甲=individual", "--party", "甲=company", str(path))
    assert result.exit_code == 2 and "stated twice" in result.stderr
    _, data, _ = check_json(path, extra=("--exit-zero", "--party", "丙=individual"))
    doc = data["documents"][0]
    assert [p["label"] for p in doc["parties"]] == ["甲", "乙"] and not doc["binds_individual"]


def test_a_contact_persons_field_says_nothing_about_the_party():
    c = parse("秘密保持契約書\n{{company_name}}（以下「甲」という。）と{{contact_person}}（以下「乙」という。）は、次のとおり合意する。\n"
              "第1条（秘密保持）\n乙は、甲の秘密情報を第三者に開示しない。\n")
    assert all("記入欄「{{contact_person}}」" not in e for e in c.party("乙").evidence)


def test_suggestions_use_the_documents_own_labels_and_term(tmp_path):
    path = tmp_path / "pledge.txt"
    path.write_text("誓約書\n株式会社サンプル 御中\n私は、貴社に入社するにあたり、次の事項を誓約します。\n"
                    "第1条（機密保持）\n私は、業務上知り得た一切の情報（以下「機密情報」という。）を、第三者に開示しません。\n", encoding="utf-8")
    _, data, _ = check_json(path, extra=("--exit-zero",))
    suggestions = " ".join(f["suggestion"] or "" for f in data["documents"][0]["findings"])
    assert "私" in suggestions and "貴社" in suggestions and "機密情報" in suggestions
    assert not re.search(r"(?<![一-龥])[甲乙](?![一-龥])|受領者|開示者|秘密情報", suggestions)


def test_both_sides_bound_by_soho_and_a_heading_binds_nobody():
    c = parse("業務委託契約書\n＿＿＿（以下「甲」という。）は、株式会社サンプル（以下「乙」という。）に対し、次の業務を委託する。\n"
              "第1条（秘密保持）\n甲乙双方は、本契約により知り得た相手方の秘密を第三者に漏洩してはならない。\n")
    assert bound(c) == {"甲", "乙"}
    assert all("第1条（秘密保持）」" not in e for p in c.parties for e in p.evidence)
