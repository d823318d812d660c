"""``--format html``: one self-contained HTML page (inline CSS, no script, no external assets).

Per document: the psychological-safety score as an SVG gauge with its band and verdict, the
per-category breakdown, the parties, the contract text with every finding highlighted in place
(overlapping spans are split into segments, each coloured by the most severe finding covering
it), and a side panel of findings in document order linked both ways to their highlights.
Everything taken from a document is escaped; the output is deterministic (no timestamps).
"""

from __future__ import annotations

import math
from html import escape

from ndalint.report import labels as L
from ndalint.report.model import SEVERITIES, DocumentReport, Finding, Report
from ndalint.score import BANDS, CATEGORY_WEIGHT

# the gauge's zones and the bars come from the score's own definitions, not a copy of them
_floors = sorted(BANDS)
BAND_FLOORS = tuple((name, lo, hi) for (lo, name), (hi, _) in zip(_floors, [*_floors[1:], (100, "")]))
SCORED_CATEGORIES = [c for c in L.CATEGORY_JA if CATEGORY_WEIGHT.get(c, 0) > 0]


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def render(report: Report, **_: object) -> str:
    docs = report.documents
    total = sum(len(d.findings) for d in docs)
    errors = sum(1 for d in docs if d.error)
    out = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="ndalint">',
        f"<title>{_e(L.REPORT_TITLE)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<header class="page-head">',
        f"<h1>{_e(L.REPORT_TITLE)}</h1>",
        f'<p class="run">{_e(L.run_summary(len(docs), total, errors, sum(1 for d in docs if d.notice)))}</p>',
        _legend(),
        "</header>",
        "<main>",
    ]
    if len(docs) > 1:
        out.append(_summary(docs))
    for i, doc in enumerate(docs, 1):
        out.append(_document(doc, f"d{i}"))
    out += [
        "</main>",
        f'<footer class="page-foot">{_e(report.tool.name)} {_e(report.tool.version)} · {_e(report.schema_)}</footer>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


# ── page parts ──────────────────────────────────────────────────────────────


def _legend() -> str:
    chips = "".join(f'<span class="chip sev-{s}">{_e(L.SEVERITY_JA[s])}</span>' for s in reversed(SEVERITIES))
    return f'<p class="legend">{_e(L.SECTION_JA["severity"])}: {chips}</p>'


def _summary(docs: list[DocumentReport]) -> str:
    s = L.SECTION_JA
    rows = []
    for i, d in enumerate(docs, 1):
        name = f'<a href="#d{i}">{_e(d.title or d.path)}</a>'
        if d.title:
            name += f'<span class="path">{_e(d.path)}</span>'
        if d.error:
            rows.append(f'<tr class="err"><td>{name}</td><td class="num">—</td>'
                        f'<td><span class="pill err">{_e(s["error"])}</span></td><td class="num">—</td></tr>')
            continue
        if d.notice:
            rows.append(f'<tr class="err"><td>{name}</td><td class="num">—</td>'
                        f'<td><span class="pill err">{_e(s["unrecognized"])}</span></td><td class="num">—</td></tr>')
            continue
        value, band = (d.score.value, d.score.band) if d.score else (0, "low")
        counts = _severity_counts(d.findings)
        rows.append(
            f'<tr><td>{name}</td><td class="num">{value}</td>'
            f'<td><span class="pill band-{_e(band)}">{_e(L.BAND_JA.get(band, band))}</span></td>'
            f'<td class="num">{len(d.findings)}{counts}</td></tr>')
    return (f'<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">{_e(s["summary"])}</h2>'
            f'<div class="table-wrap"><table><thead><tr><th>{_e(s["document"])}</th><th class="num">{_e(s["score"])}</th>'
            f'<th>{_e(s["band"])}</th><th class="num">{_e(s["findings"])}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div></section>')


def _severity_counts(findings: list[Finding]) -> str:
    parts = []
    for sev in reversed(SEVERITIES):
        n = sum(1 for f in findings if f.severity == sev)
        if n:
            parts.append(f'<span class="dot sev-{sev}" title="{_e(L.SEVERITY_JA[sev])}">{n}</span>')
    return f' <span class="counts">{"".join(parts)}</span>' if parts else ""


def _document(doc: DocumentReport, did: str) -> str:
    s = L.SECTION_JA
    head = ['<header class="doc-head">', f'<p class="path">{_e(doc.path)}'
            + (f' <span class="fmt">{_e(doc.format)}</span>' if doc.format else "") + "</p>",
            f"<h2>{_e(doc.title or doc.path)}</h2>", "</header>"]
    if doc.error:
        return (f'<article class="doc" id="{did}">{"".join(head)}'
                f'<div class="error" role="alert"><strong>{_e(s["error"])}</strong>: {_e(doc.error)}</div></article>')
    source = L.source_ja(doc.source)
    if source:
        head.insert(-1, f'<p class="source">{_e(s["source"])}: {_e(source)}</p>')
    if doc.notice:
        return (f'<article class="doc" id="{did}">{"".join(head)}'
                f'<div class="error" role="status"><strong>{_e(s["unrecognized"])}</strong>: {_e(doc.notice)}</div></article>')
    findings = sorted(doc.findings, key=lambda f: (f.start, f.end, f.rule_id))
    parts = [f'<article class="doc" id="{did}">', *head, _overview(doc, findings)]
    parts.append('<div class="body">')
    parts.append(f'<section class="text" aria-label="{_e(s["text"])}"><h3>{_e(s["text"])}</h3>')
    if doc.text is not None:
        parts.append(f'<div class="contract">{_highlight(doc.text, findings, did)}</div>')
    else:
        parts.append(f'<p class="muted">{_e(L.NO_TEXT)}</p>')
    parts.append("</section>")
    parts.append(_panel(doc, findings, did))
    parts.append("</div></article>")
    return "\n".join(parts)


def _overview(doc: DocumentReport, findings: list[Finding]) -> str:
    s = L.SECTION_JA
    score = doc.score
    value, band = (score.value, score.band) if score else (0, "low")
    verdict = L.VERDICT.get(band, "")
    gauge = (f'<div class="gauge band-{_e(band)}">{_gauge_svg(value, band)}'
             f'<p class="band-label"><span class="pill band-{_e(band)}">{_e(L.BAND_JA.get(band, band))}</span></p>'
             f'<p class="verdict">{_e(verdict)}</p></div>')
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.category] = counts.get(f.category, 0) + 1
    cats = score.categories if score else {}
    rows = []
    for c in SCORED_CATEGORIES + sorted(k for k in cats if k not in L.CATEGORY_JA):
        v = cats.get(c, 0)
        n = counts.get(c, 0)
        rows.append(
            f'<li class="{"zero" if not v and not n else ""}"><span class="cat">{_e(L.CATEGORY_JA.get(c, c))}</span>'
            f'<span class="bar" role="img" aria-label="{_e(L.CATEGORY_JA.get(c, c))} {v}{L.CATEGORY_UNIT}">'
            # an SVG bar, not a style attribute: a strict Content-Security-Policy (ndalint serve) allows no inline styles
            f'<svg viewBox="0 0 100 10" preserveAspectRatio="none"><rect width="{max(0, min(100, v))}" height="10" rx="5"/>'
            f'</svg></span>'
            f'<span class="val">{v}</span><span class="cnt">{n}件</span></li>')
    drafting = counts.get("drafting", 0)
    note = (f'<p class="note">{_e(L.CATEGORY_JA["drafting"])}: {drafting}件（{_e(L.DRAFTING_NOTE)}）</p>'
            if drafting else "")
    drivers = (f'<p class="note">{_e(s["drivers"])}: '
               + "、".join(f"<code>{_e(r)}</code>{_e(L.driver_ja(r, doc.findings)[len(r):])}" for r in score.drivers)
               + "</p>") if score and score.drivers else ""
    breakdown = (f'<div class="breakdown"><h3>{_e(s["categories"])} <small>{_e(L.SCORE_JA)}への寄与（点）</small></h3>'
                 f'<ul class="cats">{"".join(rows)}</ul>{note}{drivers}</div>')
    items = "".join(
        f'<li><span class="plabel">{_e(p.label)}</span> {_e(p.name or "（名称なし）")}'
        f' <span class="kind kind-{_e(p.kind)}">{_e(L.kind_of(p))}</span></li>' for p in doc.parties)
    kind = L.kind_ja(doc.kind, doc.kind_evidence, doc.kind_overridden)
    parties = (f'<div class="parties"><h3>{_e(s["parties"])}</h3>' + (f"<ul>{items}</ul>" if items else "")
               + f'<p class="note">{_e(L.bound_ja(doc.parties, doc.binds_individual))}</p>'
               + (f'<p class="note kind">{_e(kind)}</p>' if kind else "") + "</div>")
    return f'<div class="overview">{gauge}{breakdown}{parties}</div>'


def _pt(value: float, r: float, cx: float = 100.0, cy: float = 100.0) -> str:
    a = math.pi * (1 - max(0.0, min(100.0, value)) / 100)
    return f"{cx + r * math.cos(a):.2f} {cy - r * math.sin(a):.2f}"


def _arc(v0: float, v1: float, r: float) -> str:
    return f"M {_pt(v0, r)} A {r:g} {r:g} 0 0 1 {_pt(v1, r)}"


def _gauge_svg(value: int, band: str) -> str:
    zones = "".join(f'<path class="zone band-{b}" d="{_arc(lo, hi, 92)}"/>' for b, lo, hi in BAND_FLOORS)
    arc = f'<path class="value" d="{_arc(0, value, 76)}"/>' if value > 0 else ""
    label = f"{L.SCORE_JA} {value}/100（{L.BAND_JA.get(band, band)}）"
    return (f'<svg class="gauge-svg" viewBox="0 0 200 116" role="img" aria-label="{_e(label)}">'
            f"<title>{_e(label)}</title>{zones}"
            f'<path class="track" d="{_arc(0, 100, 76)}"/>{arc}'
            f'<text class="num" x="100" y="94" text-anchor="middle">{value}</text>'
            f'<text class="max" x="100" y="112" text-anchor="middle">{_e(L.SCORE_JA)} / 100</text></svg>')


def _highlight(text: str, findings: list[Finding], did: str) -> str:
    """The text with every finding's span in <mark>; overlaps become segments under several findings."""
    n = len(text)
    spans = [(max(0, min(n, f.start)), max(0, min(n, f.end))) for f in findings]
    spans = [(a, max(a, b)) for a, b in spans]
    bounds = sorted({0, n, *(a for a, _ in spans), *(b for _, b in spans)})
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, (a, b) in enumerate(spans):
        starts.setdefault(a, []).append(i)
        ends.setdefault(b, []).append(i)
    out: list[str] = []

    def anchor(i: int) -> None:
        out.append(f'<span class="anchor" id="{did}-f{i + 1}"></span>')

    def badge(i: int) -> None:
        f = findings[i]
        out.append(f'<a class="ref sev-{_e(f.severity)}" href="#{did}-n{i + 1}" title="{_e(f.rule_id)}">{i + 1}</a>')

    for k, a in enumerate(bounds):
        for i in ends.get(a, []):  # spans that end here, then zero-length ones (document-level findings)
            if spans[i][0] < a:
                badge(i)
        for i in starts.get(a, []):
            if spans[i][1] == a:
                anchor(i)
                badge(i)
        if k + 1 == len(bounds):
            break
        b = bounds[k + 1]
        covering = [i for i, (s, e) in enumerate(spans) if s <= a and e >= b and s < e]
        opening = [i for i in starts.get(a, []) if spans[i][1] > a]
        for i in opening[1:]:
            anchor(i)
        chunk = escape(text[a:b], quote=False)
        if not covering:
            out.append(chunk)
            continue
        sev = max((findings[i].severity for i in covering), key=_rank)
        title = " / ".join(f"{findings[i].rule_id} {findings[i].title or findings[i].name}" for i in covering)
        cls = f"sev-{sev}" + (" overlap" if len(covering) > 1 else "")
        ident = f' id="{did}-f{opening[0] + 1}"' if opening else ""
        out.append(f'<mark class="{cls}"{ident} title="{_e(title)}">{chunk}</mark>')
    return "".join(out)


def _panel(doc: DocumentReport, findings: list[Finding], did: str) -> str:
    s = L.SECTION_JA
    out = [f'<aside class="panel" aria-label="{_e(s["findings"])}">',
           f'<h3>{_e(s["findings"])} <span class="count">{len(findings)}件</span></h3>']
    if findings:
        out.append('<ol class="findings">')
        for i, f in enumerate(findings, 1):
            out.append(_card(f, i, did, doc.text is not None))
        out.append("</ol>")
    else:
        out.append(f'<p class="muted">{_e(L.NO_FINDINGS)}</p>')
    if doc.suppressed:
        out.append(f'<p class="note">抑制された指摘: {doc.suppressed}件</p>')
    if doc.mitigations:
        out.append(f'<h3 class="good">{_e(s["mitigations"])}</h3><ul class="mitigations">')
        for m in doc.mitigations:
            where = f"第{m.article}条" if m.article else L.position(m.line)
            excerpt = f'<q>{_e(m.excerpt)}</q>' if m.excerpt else ""
            out.append(f'<li><span class="where">{_e(where)}</span> {_e(m.message)} '
                       f'<code class="rid">{_e(m.rule_id)}</code>{excerpt}</li>')
        out.append("</ul>")
    out.append("</aside>")
    return "\n".join(out)


def _card(f: Finding, i: int, did: str, linked: bool) -> str:
    s = L.SECTION_JA
    num = (f'<a class="num" href="#{did}-f{i}" title="本文の該当箇所へ">{i}</a>' if linked
           else f'<span class="num">{i}</span>')
    where = f"{L.where(f.article, f.paragraph)}・{L.position(f.line, f.column)}" + (f"・{f.page}頁" if f.page else "")
    parts = [
        f'<li class="finding sev-{_e(f.severity)}" id="{did}-n{i}">',
        f'<div class="f-head">{num}<span class="sev sev-{_e(f.severity)}">{_e(L.SEVERITY_JA.get(f.severity, f.severity))}</span>'
        f'<code class="rid">{_e(f.rule_id)}</code><span class="where">{_e(where)}</span></div>',
        f'<p class="f-title">{_e(f.title or f.name)}</p>',
        f'<p class="f-msg">{_e(f.message)}</p>',
    ]
    if f.excerpt:
        parts.append(f'<blockquote class="f-excerpt">{_e(f.excerpt.strip())}</blockquote>')
    if f.suggestion:
        parts.append(f'<div class="f-fix"><span class="lbl">{_e(s["suggestion"])}</span>'
                     f'<p>{_e(f.suggestion)}</p></div>')
    if f.references:
        refs = "".join(f"<li>{_e(r)}</li>" for r in f.references)
        parts.append(f'<div class="f-refs"><span class="lbl">{_e(s["references"])}</span><ul>{refs}</ul></div>')
    parts.append("</li>")
    return "".join(parts)


CSS = """
:root{--fg:#1f2328;--muted:#5f6b7a;--line:#d8dee4;--bg:#f6f7f9;--card:#fff;--accent:#3b5bdb;
--crit:#b42318;--high:#d9480f;--med:#b7791f;--low:#2f6fd0;--info:#6b7280;
--b-low:#2f9e44;--b-medium:#e0a100;--b-high:#e8590c;--b-critical:#c92a2a}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);line-height:1.7;font-size:15px;
font-family:system-ui,-apple-system,"Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic UI","Yu Gothic",YuGothic,Meiryo,"Noto Sans CJK JP","Noto Sans JP",sans-serif}
main{max-width:1280px;margin:0 auto;padding:0 20px 32px}
h1,h2,h3{line-height:1.35;margin:0}
h1{font-size:1.35rem}h2{font-size:1.3rem}h3{font-size:.95rem;margin-bottom:.5rem;color:#32383f}
h3 small{font-weight:normal;color:var(--muted);font-size:.8rem;margin-left:.4em}
a{color:var(--accent)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.page-head{background:#1f2a44;color:#fff;padding:18px 20px;margin-bottom:20px}
.page-head>*{max-width:1240px;margin-left:auto;margin-right:auto}
.page-head .run{margin:.2rem auto 0;color:#d5dcf0}
.legend{margin:.5rem auto 0;font-size:.8rem;color:#d5dcf0}
.chip{display:inline-block;padding:0 .55em;margin-left:.35em;border-radius:3px;color:var(--fg);border-bottom:2px solid}
.page-foot{text-align:center;color:var(--muted);font-size:.75rem;padding:12px}
.muted,.note{color:var(--muted)}.note{font-size:.8rem;margin:.4rem 0 0}
section.summary,.doc{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin-bottom:22px}
.summary h2{font-size:1.05rem;margin-bottom:.6rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:.8rem;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
td .path{display:block;color:var(--muted);font-size:.75rem}
.counts{margin-left:.3em}
.dot{display:inline-block;min-width:1.5em;text-align:center;font-size:.72rem;border-radius:9px;color:#fff;margin-left:2px;padding:0 .3em}
.dot.sev-critical{background:var(--crit)}.dot.sev-high{background:var(--high)}.dot.sev-medium{background:var(--med)}
.dot.sev-low{background:var(--low)}.dot.sev-info{background:var(--info)}
.pill{display:inline-block;padding:.05em .7em;border-radius:999px;color:#fff;font-size:.8rem;font-weight:600;white-space:nowrap}
.pill.band-low{background:var(--b-low)}.pill.band-medium{background:var(--b-medium);color:#2b2100}
.pill.band-high{background:var(--b-high)}.pill.band-critical{background:var(--b-critical)}.pill.err{background:#6b7280}
.doc-head{border-bottom:1px solid var(--line);padding-bottom:.7rem;margin-bottom:1rem}
.doc-head .path{margin:0;color:var(--muted);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all}
.fmt{font-family:inherit;border:1px solid var(--line);border-radius:3px;padding:0 .35em;margin-left:.3em}
.error{background:#fdecea;border-left:4px solid var(--crit);padding:.7rem 1rem;border-radius:4px}
.overview{display:grid;grid-template-columns:230px 1fr minmax(180px,260px);gap:22px;align-items:start;margin-bottom:1.2rem}
.gauge{text-align:center}
.gauge-svg{width:100%;max-width:220px;display:block;margin:0 auto}
.gauge-svg .zone{fill:none;stroke-width:4;opacity:.85}
.zone.band-low{stroke:var(--b-low)}.zone.band-medium{stroke:var(--b-medium)}.zone.band-high{stroke:var(--b-high)}.zone.band-critical{stroke:var(--b-critical)}
.gauge-svg .track{fill:none;stroke:#e9ecef;stroke-width:16}
.gauge-svg .value{fill:none;stroke-width:16}
.gauge.band-low .value{stroke:var(--b-low)}.gauge.band-medium .value{stroke:var(--b-medium)}
.gauge.band-high .value{stroke:var(--b-high)}.gauge.band-critical .value{stroke:var(--b-critical)}
.gauge-svg .num{font-size:40px;font-weight:700;fill:var(--fg)}
.gauge-svg .max{font-size:9.5px;fill:var(--muted)}
.band-label{margin:.2rem 0 0}
.verdict{margin:.3rem 0 0;font-size:.85rem}
.cats{list-style:none;margin:0;padding:0}
.cats li{display:grid;grid-template-columns:8.5em 1fr 2.2em 2.6em;gap:8px;align-items:center;font-size:.85rem;padding:2px 0}
.cats li.zero{color:var(--muted)}
.bar{height:10px;background:#eef0f3;border-radius:5px;overflow:hidden}
.bar svg{display:block;width:100%;height:100%}.bar rect{fill:#4c6ef5}
.cats .val{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.cats .cnt{color:var(--muted);font-size:.78rem;text-align:right}
.parties ul{list-style:none;margin:0;padding:0;font-size:.85rem}
.parties li{padding:3px 0;border-bottom:1px dashed var(--line)}
.plabel{display:inline-block;min-width:1.8em;font-weight:700}
.kind{font-size:.72rem;border-radius:3px;padding:0 .4em;background:#eef0f3;color:var(--muted);white-space:nowrap}
.kind-individual{background:#fff3bf;color:#5c4400}
.body{display:grid;grid-template-columns:minmax(0,1fr) 400px;gap:22px;align-items:start}
.contract{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.95rem;line-height:1.95;background:#fcfcfd;
border:1px solid var(--line);border-radius:8px;padding:16px 18px;
font-family:"Hiragino Mincho ProN","Yu Mincho",YuMincho,"Noto Serif CJK JP","Noto Serif JP",serif}
mark{background:#eceef1;color:inherit;border-bottom:2px solid var(--info);padding:1px 0;scroll-margin-top:40vh}
mark.sev-critical{background:#fdd8d5;border-color:var(--crit)}mark.sev-high{background:#ffe3cf;border-color:var(--high)}
mark.sev-medium{background:#fff0b3;border-color:var(--med)}mark.sev-low{background:#dde9fb;border-color:var(--low)}
mark.overlap{border-bottom-style:double;border-bottom-width:4px}
mark:target,.anchor:target+mark{outline:2px solid var(--accent);outline-offset:1px}
.anchor{scroll-margin-top:40vh}
.ref{font-family:system-ui,sans-serif;font-size:.65rem;font-weight:700;vertical-align:super;line-height:1;color:#fff;text-decoration:none;
border-radius:7px;padding:1px 4px;margin:0 1px;background:var(--info)}
.ref.sev-critical{background:var(--crit)}.ref.sev-high{background:var(--high)}.ref.sev-medium{background:var(--med)}.ref.sev-low{background:var(--low)}
.chip.sev-critical{background:#fdd8d5;border-color:var(--crit)}.chip.sev-high{background:#ffe3cf;border-color:var(--high)}
.chip.sev-medium{background:#fff0b3;border-color:var(--med)}.chip.sev-low{background:#dde9fb;border-color:var(--low)}.chip.sev-info{background:#eceef1;border-color:var(--info)}
.panel{position:sticky;top:12px;max-height:calc(100vh - 24px);overflow:auto;padding-right:2px}
.panel .count{font-weight:normal;color:var(--muted);font-size:.8rem}
.findings{list-style:none;margin:0;padding:0}
.finding{border:1px solid var(--line);border-left:4px solid var(--info);border-radius:6px;padding:.6rem .8rem;margin-bottom:.7rem;background:#fff;scroll-margin-top:12px}
.finding.sev-critical{border-left-color:var(--crit)}.finding.sev-high{border-left-color:var(--high)}
.finding.sev-medium{border-left-color:var(--med)}.finding.sev-low{border-left-color:var(--low)}
.finding:target{box-shadow:0 0 0 2px var(--accent)}
.f-head{display:flex;flex-wrap:wrap;align-items:center;gap:6px;font-size:.78rem}
.f-head .num{font-weight:700;text-decoration:none;border:1px solid var(--line);border-radius:50%;min-width:1.7em;text-align:center}
.sev{color:#fff;border-radius:3px;padding:0 .45em;font-weight:700;background:var(--info)}
.sev.sev-critical{background:var(--crit)}.sev.sev-high{background:var(--high)}.sev.sev-medium{background:var(--med)}.sev.sev-low{background:var(--low)}
.rid{font-weight:600}.f-head .rid{font-size:.82rem}
.where{color:var(--muted)}
.f-title{margin:.3rem 0 .1rem;font-weight:700;font-size:.92rem}
.f-msg{margin:0 0 .4rem;font-size:.86rem}
.f-excerpt{margin:.3rem 0;padding:.3rem .6rem;border-left:3px solid var(--line);background:var(--bg);font-size:.8rem;color:#3d444d;white-space:pre-wrap}
.lbl{display:inline-block;font-size:.72rem;font-weight:700;color:var(--muted);margin-bottom:.1rem}
.f-fix{background:#ebfbee;border:1px solid #b2f2bb;border-radius:5px;padding:.35rem .6rem;margin:.4rem 0}
.f-fix .lbl{color:#2b8a3e}
.f-fix p{margin:0;font-size:.84rem;white-space:pre-wrap}
.f-refs ul{margin:0;padding-left:1.2em;font-size:.78rem;color:var(--muted)}
.good{color:#2b8a3e;margin-top:1rem}
.mitigations{list-style:none;margin:0;padding:0;font-size:.85rem}
.mitigations li{padding:.35rem 0 .35rem 1.4em;position:relative;border-bottom:1px dashed var(--line)}
.mitigations li::before{content:"✓";position:absolute;left:.2em;color:#2b8a3e;font-weight:700}
.mitigations q{display:block;color:var(--muted);font-size:.78rem}
@media (max-width:1000px){.overview{grid-template-columns:200px 1fr}.parties{grid-column:1/-1}
.body{grid-template-columns:1fr}.panel{position:static;max-height:none;overflow:visible}}
@media (max-width:600px){main{padding:0 10px 20px}section.summary,.doc{padding:14px 12px}
.overview{grid-template-columns:1fr}.cats li{grid-template-columns:7.5em 1fr 2em 2.4em}
.contract{padding:12px;font-size:.92rem}}
@media print{body{background:#fff;font-size:10.5pt}.page-head{background:none;color:var(--fg);padding:0 0 8px;border-bottom:2px solid var(--fg)}
.page-head .run,.legend{color:var(--fg)}main{max-width:none;padding:0}
section.summary,.doc{border:none;padding:0;border-radius:0}.doc~.doc{break-before:page}
.body{grid-template-columns:1fr}.panel{position:static;max-height:none;overflow:visible}
.finding,.overview,tr{break-inside:avoid}a{color:inherit;text-decoration:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
""".strip().replace("\n", "")
