"""``ndalint diff --format html``: one self-contained page (inline CSS, no script, no external
assets): the score before and after, the findings resolved, introduced and unchanged, and the
changed clauses side by side (旧 | 新) with <del> and <ins>. Everything from a document is escaped;
the output is deterministic."""

from __future__ import annotations

from html import escape

from ndalint.diff import labels as D
from ndalint.diff.model import Clause, DiffReport, FindingChange
from ndalint.report.labels import SEVERITY_JA

CSS = """
body{font-family:"Hiragino Sans","Noto Sans CJK JP","Yu Gothic",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:1.4rem}h2{font-size:1.15rem;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
.score{font-size:1.1rem;font-weight:bold}.better{color:#1a7f37}.worse{color:#cf222e}.same{color:#57606a}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #d0d7de;padding:6px 8px;
vertical-align:top;text-align:left}th{background:#eaeef2}
.clause td{width:50%;white-space:pre-wrap;line-height:1.7}
del{background:#ffebe9;color:#82071e}ins{background:#dafbe1;color:#116329;text-decoration:none}
.sev-critical,.sev-high{color:#cf222e;font-weight:bold}.sev-medium{color:#9a6700}.sev-low,.sev-info{color:#57606a}
.text{white-space:pre-wrap;background:#fff;border:1px solid #d0d7de;padding:8px;line-height:1.7}
.verdict{font-weight:bold;padding:10px;border-radius:6px}.failed{background:#ffebe9}.passed{background:#dafbe1}
footer{color:#57606a;font-size:.85rem;padding:24px 16px}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def render(report: DiffReport, **_: object) -> str:
    band = report.score.band_change if report.score else "same"
    out = ["<!DOCTYPE html>", '<html lang="ja">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">', '<meta name="generator" content="ndalint">',
           f"<title>{_e(D.TITLE)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", "<header>",
           f"<h1>{_e(D.TITLE)}</h1>",
           f"<p>{_e(D.SECTION['old'])}：{_e(D.side(report.old))}<br>{_e(D.SECTION['new'])}：{_e(D.side(report.new))}</p>",
           f'<p class="score {band}">{_e(D.score_line(report))}</p>', f"<p>{_e(D.counts(report))}</p>", "</header>", "<main>"]
    f = report.findings
    for key, items in (("introduced", f.introduced), ("resolved", f.resolved), ("unchanged", f.unchanged)):
        if items:
            out += [f'<h2 id="{key}">{_e(D.SECTION[key])}（{len(items)}件）</h2>', _findings(items, full=key != "unchanged")]
    out += _clauses(report.clauses)
    verdict = "failed" if report.gate.failed else "passed"
    out += [f'<p class="verdict {verdict}">{_e(D.verdict(report))}</p>', "</main>",
            f"<footer>{_e(report.tool.name)} {_e(report.tool.version)} · {_e(report.schema_)}</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _findings(items: list[FindingChange], full: bool) -> str:
    rows = ["<table>", "<tr><th>重大度</th><th>ルール</th><th>指摘</th><th>箇所</th></tr>"]
    for c in items:
        where = D.finding_head(c).rsplit("（", 1)[-1].rstrip("）")
        detail = f"<br><small>「{_e(c.excerpt)}」</small>" if full else ""
        if full and c.suggestion and c.new is not None:
            detail += f"<br><small>修正案：{_e(c.suggestion.strip())}</small>"
        rows.append(f'<tr><td class="sev-{_e(c.severity)}">{_e(SEVERITY_JA.get(c.severity, c.severity))}</td>'
                    f"<td><code>{_e(c.rule_id)}</code></td><td>{_e(c.title)}{detail}</td><td>{_e(where)}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _side(c: Clause, keep: str) -> str:
    tag = {"delete": "del", "insert": "ins"}
    return "".join(_e(s.text) if s.op == "equal" else f"<{tag[s.op]}>{_e(s.text)}</{tag[s.op]}>"
                   for s in c.diff if s.op in ("equal", keep))


def _clauses(clauses: list[Clause]) -> list[str]:
    out: list[str] = []
    changed = [c for c in clauses if c.status == "changed"]
    if changed:
        out += [f'<h2 id="changed">{_e(D.SECTION["changed"])}（{len(changed)}か条）</h2>']
        for c in changed:
            out += [f"<h3>{_e(D.clause_head(c))}</h3>", '<table class="clause">',
                    f"<tr><th>{_e(D.SECTION['old'])}{_e(c.old_label)}</th><th>{_e(D.SECTION['new'])}{_e(c.new_label)}</th></tr>",
                    f"<tr><td>{_side(c, 'delete')}</td><td>{_side(c, 'insert')}</td></tr>", "</table>"]
    for key, tag in (("added", "ins"), ("removed", "del")):
        items = [c for c in clauses if c.status == key]
        if items:
            out.append(f'<h2 id="{key}">{_e(D.SECTION[key])}（{len(items)}か条）</h2>')
            out += [f'<h3>{_e(D.clause_head(c))}</h3>\n<div class="text"><{tag}>{_e(c.text or "")}</{tag}></div>' for c in items]
    moved = [c for c in clauses if c.status == "renumbered"]
    if moved:
        out.append(f"<p>{_e(D.SECTION['renumbered'])}：" + "、".join(_e(f"旧{c.old_label}→新{c.new_label}") for c in moved) + "</p>")
    if not out:
        out.append(f"<p>{_e(D.NO_CLAUSE_CHANGES)}</p>")
    return out
