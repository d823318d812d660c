"""dashboard.html: one self-contained page (inline CSS, CSS bars, no script, no external assets)
over the summaries of an audit: totals, score distribution, findings per category and per rule,
the 20 worst documents (linked to their HTML reports, written for them only), agreement kinds and failures. Every value taken
from a document is escaped."""

from __future__ import annotations

import os
from html import escape
from typing import Any
from urllib.parse import quote

from ndalint import __version__
from ndalint.report.labels import BAND_JA, CATEGORY_JA
from ndalint.structure.kinds import KIND_NAMES_JA

WORST = 20


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _bars(rows: list[tuple[str, int, str]], unit: str = "") -> str:
    """Horizontal bars: (label HTML, count, css class)."""
    if not rows:
        return '<p class="muted">なし</p>'
    top = max(n for _, n, _ in rows) or 1
    out = ['<table class="bars">']
    for label, n, cls in rows:
        width = round(100 * n / top, 1)
        out.append(f'<tr><th>{label}</th><td class="barcell"><span class="bar {cls}" style="width:{width}%"></span></td>'
                   f'<td class="num">{n}{unit}</td></tr>')
    out.append("</table>")
    return "".join(out)


def _band(score: int) -> str:
    return "critical" if score >= 70 else "high" if score >= 45 else "medium" if score >= 20 else "low"


def _href(path: str, out: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(out))
    return quote(rel.replace(os.sep, "/"))


def worst(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents the dashboard lists first: highest score, then most findings."""
    ok = [d for d in documents if d["status"] == "ok" and d["score"] is not None]
    return sorted(ok, key=lambda d: (-d["score"], -d["findings"], d["path"]))[:WORST]


def render(documents: list[dict[str, Any]], totals: dict[str, Any], out: str,
           skipped: list[dict[str, str]] | tuple = ()) -> str:
    ok = [d for d in documents if d["status"] == "ok" and d["score"] is not None]
    # score distribution: ten buckets of ten points
    buckets = [0] * 10
    for d in ok:
        buckets[min(d["score"] // 10, 9)] += 1
    dist = _bars([(f"{10 * i}–{10 * i + 9 if i < 9 else 100}", n, f"b-{_band(10 * i)}") for i, n in enumerate(buckets)])
    bands = _bars([(_e(BAND_JA[b]), totals["bands"].get(b, 0), f"b-{b}") for b in ("critical", "high", "medium", "low")])
    cats = _bars([(_e(CATEGORY_JA.get(c, c)), n, "b-cat") for c, n in totals["categories"].items()])
    titles: dict[str, str] = {}
    for d in documents:
        titles.update(d.get("titles") or {})
    rules = _bars([(f'<code>{_e(r)}</code> <span class="t">{_e(titles.get(r, ""))}</span>', n, "b-cat")
                   for r, n in totals["rules"].items()])
    kinds = _bars([(_e(KIND_NAMES_JA.get(k, "不明" if k == "unknown" else k)), n, "b-kind")
                   for k, n in sorted(totals["kinds"].items(), key=lambda kv: (-kv[1], kv[0]))])

    worst_rows = "".join(
        f'<tr><td><a href="{quote(d["report"]) if d.get("report") else _href(d["path"], out)}">'
        f'{_e(d["title"] or os.path.basename(d["path"]))}</a>'
        f'<span class="path">{_e(d["path"])}</span></td><td class="num">{d["score"]}</td>'
        f'<td><span class="pill b-{_e(d["band"])}">{_e(BAND_JA.get(d["band"], d["band"]))}</span></td>'
        f'<td>{_e(KIND_NAMES_JA.get(d["kind"], d["kind"] or "不明"))}</td><td class="num">{d["findings"]}</td></tr>'
        for d in worst(documents))
    failed = [d for d in documents if d["status"] != "ok"]
    fail_rows = "".join(
        f'<tr><td><a href="{_href(d["path"], out)}">{_e(d["path"])}</a></td>'
        f'<td>{"読み込みエラー" if d["status"] == "error" else "契約書として未認識"}</td><td>{_e(d["error"] or "")}</td></tr>'
        for d in failed)

    t = totals
    cards = "".join(f'<div class="card"><div class="n">{n}</div><div class="l">{_e(label)}</div></div>' for n, label in (
        (t["documents"], "文書"), (t["findings"], "指摘"), (t["errors"], "読み込みエラー"),
        (t["unrecognized"], "未認識"), (t["cached"], "キャッシュ利用")))
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="ja">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', '<meta name="generator" content="ndalint">',
        "<title>ndalint 一括監査ダッシュボード</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        '<header class="page-head"><h1>ndalint 一括監査ダッシュボード</h1>'
        f'<p>{t["documents"]}件の文書、指摘 {t["findings"]}件、読み込みエラー {t["errors"]}件、'
        f'未認識 {t["unrecognized"]}件（{t["seconds"]:.1f} 秒）</p></header>',
        "<main>",
        f'<section class="cards">{cards}</section>',
        '<div class="grid">',
        f'<section><h2>スコア分布</h2>{dist}</section>',
        f'<section><h2>判定</h2>{bands}</section>',
        f'<section><h2>カテゴリ別の指摘</h2>{cats}</section>',
        f'<section><h2>契約の種類</h2>{kinds}</section>',
        "</div>",
        f'<section><h2>リスクの高い文書（上位{WORST}件）</h2>'
        + (f'<div class="table-wrap"><table><thead><tr><th>文書</th><th class="num">スコア</th><th>判定</th>'
           f'<th>種類</th><th class="num">指摘</th></tr></thead><tbody>{worst_rows}</tbody></table></div>'
           if worst_rows else '<p class="muted">なし</p>') + "</section>",
        f'<section><h2>ルール別の指摘</h2>{rules}</section>',
        f'<section><h2>読み込めなかった文書（{len(failed)}件）</h2>'
        + (f'<div class="table-wrap"><table><thead><tr><th>文書</th><th>状態</th><th>理由</th></tr></thead>'
           f'<tbody>{fail_rows}</tbody></table></div>' if failed else '<p class="muted">なし</p>') + "</section>",
        (f'<section><h2>監査の対象外（{len(skipped)}件）</h2><div class="table-wrap"><table><thead><tr><th>場所</th>'
         f'<th>理由</th></tr></thead><tbody>'
         + "".join(f'<tr><td>{_e(e["path"])}</td><td>{_e(e["reason"])}</td></tr>' for e in skipped)
         + "</tbody></table></div></section>" if skipped else ""),
        "</main>",
        f'<footer class="page-foot">ndalint {_e(__version__)} · ndalint.audit/1</footer>',
        "</body>", "</html>", "",
    ])


CSS = """
:root{--fg:#1f2328;--muted:#5f6b7a;--line:#d8dee4;--bg:#f6f7f9;--card:#fff;--accent:#3b5bdb;
--b-low:#2f9e44;--b-medium:#e0a100;--b-high:#e8590c;--b-critical:#c92a2a}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);line-height:1.6;font-size:15px;
font-family:system-ui,-apple-system,"Hiragino Sans","Yu Gothic UI","Yu Gothic",Meiryo,"Noto Sans CJK JP",sans-serif}
.page-head{background:#1f2a44;color:#fff;padding:16px 20px;margin-bottom:18px}
.page-head h1{font-size:1.3rem;margin:0}.page-head p{margin:.2rem 0 0;color:#d5dcf0}
main{max-width:1280px;margin:0 auto;padding:0 20px 28px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 18px;margin-bottom:18px}
h2{font-size:1rem;margin:0 0 .6rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:0 18px}
.cards{display:flex;flex-wrap:wrap;gap:12px;background:none;border:0;padding:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 18px;min-width:120px}
.card .n{font-size:1.6rem;font-weight:700}.card .l{color:var(--muted);font-size:.8rem}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-size:.78rem;color:var(--muted)}
td.num,th.num{text-align:right;white-space:nowrap}
.table-wrap{overflow-x:auto}
table.bars th{font-weight:normal;width:40%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:22em}
table.bars .t{color:var(--muted);font-size:.8rem}
.barcell{width:50%}
.bar{display:inline-block;height:.9em;min-width:2px;border-radius:2px;background:var(--accent)}
.b-low{background:var(--b-low)}.b-medium{background:var(--b-medium)}.b-high{background:var(--b-high)}
.b-critical{background:var(--b-critical)}.b-cat{background:var(--accent)}.b-kind{background:#7048e8}
.pill{display:inline-block;padding:0 .6em;border-radius:9px;color:#fff;font-size:.78rem}
.path{display:block;color:var(--muted);font-size:.75rem;word-break:break-all}
.muted{color:var(--muted)}
a{color:var(--accent)}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
.page-foot{text-align:center;color:var(--muted);font-size:.75rem;padding:10px}
"""
