"""The primary kind of an agreement: accuracy on the labelled sets, one made-up example per kind,
and the lexicon's validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ndalint import ingest, structure
from ndalint.errors import ConfigError
from ndalint.structure.kinds import (
    KINDS,
    MAX_EVIDENCE,
    classify_kind,
    load_kind_lexicon,
)

REAL = Path("/work/shared/corpus/real")
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# The project corpus labels NDAs by direction; both directions are company-to-company here.
CORPUS_KIND = {"company-to-company": "b2b", "one-way": "b2b"}
FLOOR = 0.9


def _classify_file(path: Path) -> tuple[str, list[str]]:
    c = structure.parse(ingest.load(path))
    individuals = sum(p.kind == "individual" for p in c.parties)
    companies = sum(p.kind == "company" for p in c.parties)
    return classify_kind(c.title, c.text, individuals, companies)


def _accuracy(root: Path, mapping: dict[str, str]) -> tuple[float, list[str]]:
    labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))
    labels = labels.get("documents", labels)
    misses = []
    for name, entry in labels.items():
        want = mapping.get(entry["kind"], entry["kind"])
        got, evidence = _classify_file(root / name)
        if got != want:
            misses.append(f"{name}: want {want}, got {got} {evidence}")
    return 1 - len(misses) / len(labels), misses


def test_real_set_accuracy() -> None:
    assert (REAL / "labels.yaml").exists(), f"{REAL} is missing: CI clones main with ../shared beside it"
    accuracy, misses = _accuracy(REAL, {})
    assert accuracy >= FLOOR, f"kind accuracy {accuracy:.2f} < {FLOOR}:\n" + "\n".join(misses)


def test_project_corpus_accuracy() -> None:
    accuracy, misses = _accuracy(CORPUS, CORPUS_KIND)
    assert accuracy >= FLOOR, f"kind accuracy {accuracy:.2f} < {FLOOR}:\n" + "\n".join(misses)


# (kind, text, individual parties, company parties); the first line is the title.
EXAMPLES = [
    ("employment", "入社誓約書\n私は、貴社に従業員として入社するにあたり、就業規則を守り、在職中に知った業務上の秘密を漏らしません。", 1, 1),
    ("exit-pledge", "退職時の誓約書\n私は、貴社を退職するにあたり、在職中に知った営業上の秘密を退職後も第三者に開示しないことを誓約します。", 1, 1),
    ("freelance", ("業務委託契約書\n株式会社サンプル商会（以下「甲」という。）と個人事業主である山川一郎（以下「乙」という。）は、"
                  "デザイン業務の委託について次のとおり合意する。"), 1, 1),
    ("c2c", "出品者ガイドライン\n出品者は、購入者との取引で知った購入者の住所その他の情報を、発送以外の目的に使わないものとします。", 1, 1),
    ("panel", "アンケートモニター会員規約\n会員は、調査で提示された試作品の画像や質問の内容を、調査期間の終了後も口外しないものとします。", 1, 1),
    ("co-creation", "アイデアソン参加規約\n参加者は、当日のチームでの議論から生まれたアイデアの扱いについて、主催者と別途協議するものとします。", 1, 1),
    ("community", "オンラインサロン会員規約\n会員は、サロン内の投稿や配信で得た情報を、サロンの外に転載してはならないものとします。", 1, 1),
    ("event", "セミナー参加規約\n参加者は、当日の会場で配布された資料を、主催者の許可なく撮影し又は複製しないものとします。", 1, 1),
    ("visitor", "入館時の秘密保持誓約書\n私は、貴社施設への来訪に際し、見学中に見聞きした設備や製造工程の情報を第三者に話しません。", 1, 1),
    # a pledge whose title names no purpose: the body says who is let in, and to watch
    ("visitor", "秘密保持誓約書\n私は、貴会の相談会の場にオブザーバーとして同席させていただく間に知った相談者の事情を、口外しないことを誓約します。", 1, 0),
    ("visitor", "誓約書\n私は、貴社工場の見学に当たり、撮影をせず、見聞きした製造方法を他に話さないことを誓約いたします。", 1, 1),
    ("exit-pledge", "誓約書\n私は、貴社を退職するに当たり、在籍中に扱った顧客の名簿や資料をすべて返還いたします。", 1, 1),
    # an association's 会則, a course's terms and a meet-up's rules
    ("community", "会則\n会員は、会の活動を通じて知った他の会員の事情を、会の外で話さないものとします。", 1, 0),
    ("event", "規約（写真教室）\n受講者は、講座で配られた教材を、講師の許可なく複製しないものとします。", 1, 0),
    ("event", "交流会での注意事項\n交流会で知った他の参加者の話を、本人の同意なく公開しないでください。", 1, 0),
    ("beta-test", "β版テスター参加規約\nテスターは、先行利用するアプリの画面や不具合の内容を、一般公開の日まで公表しないものとします。", 1, 1),
    ("b2b", ("秘密保持契約書\n株式会社東西物産（以下「甲」という。）と南北工業株式会社（以下「乙」という。）は、"
            "取引の検討のため相互に開示する情報の扱いについて合意する。"), 0, 2),
    # the same commissioned work is b2b between two companies and freelance with a person
    ("b2b", ("業務委託契約書\n株式会社あおば（以下「甲」という。）と株式会社みどり（以下「乙」という。）は、"
            "システム保守業務の委託について合意する。"), 0, 2),
    ("freelance", ("業務委託契約書\n株式会社あおば（以下「甲」という。）と森田花子（以下「乙」という。）は、"
                  "システム保守業務の委託について合意する。"), 1, 1),
    ("other", "お知らせ\n商品の配送日時の変更についてご案内します。", 0, 1),
]


@pytest.mark.parametrize(("kind", "text", "individuals", "companies"), EXAMPLES,
                         ids=[f"{k}-{i}" for i, (k, *_) in enumerate(EXAMPLES)])
def test_example_kinds(kind: str, text: str, individuals: int, companies: int) -> None:
    title, _, body = text.partition("\n")
    got, evidence = classify_kind(title, body, individuals, companies)
    assert got == kind, evidence
    assert len(evidence) <= MAX_EVIDENCE
    assert all(len(e) < 30 for e in evidence), evidence
    assert kind == "other" or evidence


def test_packaged_lexicon_covers_every_kind() -> None:
    assert set(load_kind_lexicon().kinds) == set(KINDS)


def test_bad_regex_names_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "kinds.yaml"
    bad.write_text('kinds:\n  panel:\n    title: []\n    body:\n      - {pattern: "調査(", weight: 2}\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_kind_lexicon(bad)
    message = str(err.value)
    assert str(bad) in message
    assert "kinds.panel.body[0].pattern" in message
    assert "bad regex" in message


def test_unknown_kind_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "kinds.yaml"
    bad.write_text('kinds:\n  lottery:\n    title: [{pattern: "抽選", weight: 5}]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown kind.*lottery"):
        load_kind_lexicon(bad)
