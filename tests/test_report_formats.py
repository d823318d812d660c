"""`--format html|markdown|github` through the CLI, checked against `--format json` of the same run.

Expectations are derived from the JSON output (the rule pack changes; these tests must not depend
on exact finding counts). Findings are rendered in document order: sorted by (start, end, rule_id).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CORPUS, run_cli
from ndalint import ingest
from ndalint.report import FORMATS
from ndalint.report.labels import BAND_JA, CATEGORY_JA, SEVERITY_JA

HARSH = CORPUS / "monitor-agreement-harsh.txt"
GOOD = CORPUS / "cocreation-agreement-good.md"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}
GITHUB_LINE = re.compile(r"^::(error|warning|notice) (.*?)::(.*)$")


def render(fmt: str, *paths: Path | str, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    result = run_cli("check", "--format", fmt, "--exit-zero", *extra, *map(str, paths))
    return result.exit_code, result.stdout


def documents(*paths: Path | str, extra: tuple[str, ...] = ()) -> list[dict]:
    result = run_cli("check", "--format", "json", "--exit-zero", *extra, *map(str, paths))
    assert result.stdout.strip(), f"no JSON report (exit {result.exit_code}): {result.stderr}"
    return json.loads(result.stdout)["documents"]


def in_order(doc: dict) -> list[dict]:
    return sorted(doc["findings"], key=lambda f: (f["start"], f["end"], f["rule_id"]))


class ContractText(HTMLParser):
    """Rebuilds each `<div class="contract">`: its text (footnote badges left out), which
    offsets are inside a <mark>, the offset of every id, and the marks themselves."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.docs: list[dict] = []
        self.depth = 0
        self.mark: list | None = None
        self.in_ref = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("class") == "contract":
            self.cur = {"text": "", "marked": set(), "ids": {}, "marks": []}
            self.docs.append(self.cur)
            self.depth = 1
            return
        if not self.depth:
            return
        assert tag in ("mark", "span", "a"), f"unexpected <{tag}> in the contract text"
        n = len(self.cur["text"])
        if "id" in a:
            self.cur["ids"][a["id"]] = n
        if tag == "mark":
            self.mark = [n, a.get("class", ""), a.get("title", "")]
        if tag == "a" and "ref" in a.get("class", "").split():
            self.in_ref = True

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "div":
            self.depth = 0
        elif tag == "mark":
            start, cls, title = self.mark
            self.cur["marks"].append((start, len(self.cur["text"]), cls, title))
            self.mark = None
        elif tag == "a":
            self.in_ref = False

    def handle_data(self, data):
        if not self.depth or self.in_ref:
            return
        n = len(self.cur["text"])
        if self.mark is not None:
            self.cur["marked"].update(range(n, n + len(data)))
        self.cur["text"] += data


def parse_contracts(html: str) -> list[dict]:
    parser = ContractText()
    parser.feed(html)
    parser.close()
    return parser.docs


def assert_self_contained(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<html") == 1 and html.rstrip().endswith("</html>")
    assert '<html lang="ja">' in html
    lowered = html.lower()
    for bad in ("<link", "<script", "<iframe", "<img", "@import", "url(", " src="):
        assert bad not in lowered, bad
    assert not re.search(r'(?:href|src|action)\s*=\s*"?(?:https?:)?//', lowered)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))


def assert_highlights(html: str, doc: dict, contract: dict, did: str = "d1") -> None:
    """Every finding has an anchor at its start, every character of its span is marked, a card
    in the side panel, and links both ways; the text shown is the document text, unchanged."""
    text = ingest.load(doc["path"]).text
    assert contract["text"] == text
    findings = in_order(doc)
    for i, f in enumerate(findings, 1):
        start, end = max(0, min(len(text), f["start"])), max(0, min(len(text), f["end"]))
        assert contract["ids"].get(f"{did}-f{i}") == start, (i, f["rule_id"])
        assert set(range(start, end)) <= contract["marked"], (i, f["rule_id"])
        assert any(s <= start < e and f["rule_id"] in title for s, e, _, title in contract["marks"]) or start == end
        card = re.search(rf'<li class="finding sev-{f["severity"]}" id="{did}-n{i}">(.*?)</li>', html, re.S)
        assert card, (i, f["rule_id"])
        assert f'href="#{did}-f{i}"' in card.group(1) and f["rule_id"] in card.group(1)
        assert SEVERITY_JA[f["severity"]] in card.group(1)
        assert f'href="#{did}-n{i}"' in html  # the badge in the text links to the card
    assert html.count('class="finding ') >= len(findings)
    marked = contract["marked"]
    assert marked <= {k for f in findings for k in range(f["start"], f["end"])}  # nothing else is highlighted


def assert_overview(html: str, doc: dict) -> None:
    score = doc["score"]
    assert html.count('class="gauge-svg"') == 1
    assert f'{score["value"]}/100（{BAND_JA[score["band"]]}）' in html  # gauge label
    assert f'class="gauge band-{score["band"]}"' in html
    for cat, label in CATEGORY_JA.items():
        if cat != "drafting":
            assert f'<span class="cat">{label}</span>' in html
    for cat, value in score["categories"].items():
        assert re.search(rf'<span class="cat">{re.escape(CATEGORY_JA.get(cat, cat))}</span>.*?<span class="val">{value}</span>', html)
    for party in doc["parties"]:
        assert f'<span class="plabel">{party["label"]}</span>' in html


def test_formats_are_registered_and_offered_by_the_cli():
    assert {"html", "markdown", "github"} <= set(FORMATS)
    help_text = run_cli("check", "--help").stdout
    for fmt in ("html", "markdown", "github"):
        assert fmt in help_text


@pytest.mark.parametrize("path", [HARSH, GOOD], ids=["harsh", "good"])
def test_html_one_self_contained_page_with_gauge_categories_and_highlights(path):
    (doc,) = documents(path)
    code, html = render("html", path)
    assert code == 0
    assert_self_contained(html)
    assert html.count('<article class="doc"') == 1 and 'class="summary"' not in html
    assert_overview(html, doc)
    (contract,) = parse_contracts(html)
    assert_highlights(html, doc, contract)
    for m in doc["mitigations"]:
        assert m["message"] in html
    if not doc["findings"]:
        assert "指摘事項はありません。" in html


def test_html_several_documents_get_a_summary_and_an_error_entry(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04broken")
    docs = documents(HARSH, GOOD, broken)
    result = run_cli("check", "--format", "html", "--output", str(tmp_path / "r.html"), str(HARSH), str(GOOD), str(broken))
    assert result.exit_code == 2  # the unreadable file still sets the exit code
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert_self_contained(html)
    assert html.count('<article class="doc"') == 3
    summary = re.search(r'<section class="summary".*?</section>', html, re.S).group(0)
    for i, d in enumerate(docs, 1):
        assert f'href="#d{i}"' in summary and f'id="d{i}"' in html
        assert d["path"] in summary
    assert docs[2]["error"] and docs[2]["error"] in html and 'class="error"' in html
    contracts = parse_contracts(html)
    assert len(contracts) == 2
    for i, (d, contract) in enumerate(zip(docs[:2], contracts), 1):
        assert_highlights(html, d, contract, did=f"d{i}")
    assert "読み込みエラー" in html


def test_html_is_deterministic():
    assert render("html", HARSH, GOOD)[1] == render("html", HARSH, GOOD)[1]


@pytest.mark.parametrize("path", [HARSH, GOOD], ids=["harsh", "good"])
def test_markdown_table_row_per_finding(path):
    (doc,) = documents(path)
    code, md = render("markdown", path)
    assert code == 0
    assert md.startswith("## ")
    assert f'{doc["score"]["value"]}/100（{BAND_JA[doc["score"]["band"]]}）' in md
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+ \|", line)]
    findings = in_order(doc)
    assert len(rows) == len(findings)
    for row, f in zip(rows, findings):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert len(cells) == 7
        assert cells[2].strip("`") == f["rule_id"]
        assert cells[5] == str(f["line"])
        assert SEVERITY_JA[f["severity"]] in cells[1]
    assert md.count("<details>") == md.count("</details>") == sum(1 for f in findings if f["suggestion"] or f["excerpt"] or f["references"])
    if not findings:
        assert "指摘事項はありません。" in md
    for m in doc["mitigations"]:
        assert "✓" in md


def test_github_one_annotation_per_finding_with_levels():
    docs = documents(HARSH, GOOD, CORPUS / "nda-drafting-errors.txt")
    code, out = render("github", HARSH, GOOD, CORPUS / "nda-drafting-errors.txt")
    assert code == 0
    lines = out.splitlines()
    expected = [(d, f) for d in docs for f in in_order(d)]
    assert len(lines) == len(expected)
    for line, (d, f) in zip(lines, expected):
        m = GITHUB_LINE.match(line)
        assert m, line
        level, props, message = m.groups()
        assert level == LEVEL[f["severity"]]
        assert props.startswith(f'file={d["path"]},line={f["line"]},col={f["column"]},title={f["rule_id"]} ')
        assert f["message"].strip() in unescape_data(message)


def test_github_error_line_for_unreadable_document(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04broken")
    (doc,) = documents(broken)
    result = run_cli("check", "--format", "github", str(broken))
    assert result.exit_code == 2
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"::error file={broken},")
    assert unescape_data(GITHUB_LINE.match(line).group(3)) == doc["error"]


def unescape_data(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(s: str) -> str:
    return s.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


HOSTILE_RULES = {
    "TONE901.yaml": """\
id: TONE901
name: hostile-marker
title: "危険な<b>表現</b> | 100%"
category: chilling-language
severity: low
match:
  regex: "EVIL[^。\\n]*"
message: "「{match}」は100%危険です。\\n次の行: a:b,c"
suggestion: |
  <script>alert(2)</script> | 100%
  - 二行目
references:
  - "法|令 <i>1</i>"
examples:
  flag: ["EVIL です。"]
  ok: ["普通の文です。"]
""",
    "TONE902.yaml": """\
id: TONE902
name: hostile-overlap
title: 重なる指摘
category: chilling-language
severity: high
match:
  regex: "alert\\\\(1\\\\)[^。\\n]*"
message: "重なり"
examples:
  flag: ["alert(1) です。"]
  ok: ["普通の文です。"]
""",
}

HOSTILE_TEXT = """\
参加同意書 <script>alert(1)</script>

株式会社テスト|ラボ（以下「甲」という。）と本プログラムに参加する個人（以下「乙」という。）は、次のとおり合意する。

第1条（秘密保持）
乙は、甲から開示された一切の情報（100%の|秘密情報|を含む。<b>太字</b>）を秘密として保持する。

第2条（表現）
EVIL<script>alert(1)</script>|100%|end。
"""


@pytest.fixture()
def hostile(tmp_path) -> tuple[Path, tuple[str, ...]]:
    rules = tmp_path / "rules"
    rules.mkdir()
    for name, body in HOSTILE_RULES.items():
        (rules / name).write_text(body, encoding="utf-8")
    path = tmp_path / "x%&<i>,a:b.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    return path, ("--rules", str(rules), "--select", "TONE901,TONE902")


def test_escaping_html(hostile):
    path, extra = hostile
    (doc,) = documents(path, extra=extra)
    assert {f["rule_id"] for f in doc["findings"]} == {"TONE901", "TONE902"}
    code, html = render("html", path, extra=extra)
    assert code == 0
    assert_self_contained(html)  # no <script> at all: every one in the input became text
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "x%&amp;&lt;i&gt;,a:b.txt" in html
    (contract,) = parse_contracts(html)
    assert_highlights(html, doc, contract)
    assert any("overlap" in cls.split() for _, _, cls, _ in contract["marks"])  # TONE902 sits inside TONE901


def test_escaping_markdown(hostile):
    path, extra = hostile
    (doc,) = documents(path, extra=extra)
    _, md = render("markdown", path, extra=extra)
    assert not re.search(r"(?<!\\)<(script|b|i)>", md.replace("<details>", "").replace("<summary>", ""))
    assert "\\<script\\>alert(1)\\</script\\>" in md
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == len(doc["findings"])
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 8, row  # 7 cells: no | from the text splits one
    tone901 = next(r for r in rows if "TONE901" in r)
    assert "次の行" in tone901 and "100%" in tone901  # the message's newline did not end the row


def test_escaping_github(hostile):
    path, extra = hostile
    (doc,) = documents(path, extra=extra)
    _, out = render("github", path, extra=extra)
    lines = out.splitlines()
    assert len(lines) == len(doc["findings"]) and "\r" not in out
    for line, f in zip(lines, in_order(doc)):
        level, props, data = GITHUB_LINE.match(line).groups()
        fields = dict(p.split("=", 1) for p in props.split(","))  # , and : inside values are escaped
        assert unescape_property(fields["file"]) == str(path)
        assert fields["file"].endswith("x%25&<i>%2Ca%3Ab.txt")
        assert unescape_property(fields["title"]).startswith(f["rule_id"] + " ")
        assert unescape_data(data).split("\n")[0].endswith(f["message"].split("\n")[0])
    tone901 = next(line for line in lines if "TONE901" in line)
    assert "title=TONE901 危険な<b>表現</b> | 100%25::" in tone901
    assert "は100%25危険です。%0A次の行: a:b,c%0A" in tone901  # data: % and newlines escaped, : and , kept
