"""The server's own pages, in Japanese: the upload form, the bar above a report, the API page.

The report itself is the ``--format html`` renderer's page, unchanged but for a bar inserted at
the top of its body (a second renderer would drift from the CLI's). Everything is escaped; the
only script is ``/static/app.js`` (drag and drop), and the form works without it.
"""

from __future__ import annotations

from html import escape

from ndalint.structure.kinds import KIND_NAMES_JA, KINDS

TITLE = "ndalint — 秘密保持契約書・誓約書のリスク検査"
#: no favicon request (a 404 in the browser's console): an empty icon inline
ICON = '<link rel="icon" href="data:,">'
PRIVACY = ("アップロードされた文書はこのサーバーのメモリ上でだけ処理され、ディスクにも記録（ログ）にも残りません。"
           "結果を返した時点で破棄されます。")


def _head(title: str) -> str:
    return ('<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title>{ICON}<link rel="stylesheet" href="/static/app.css"></head>')


def upload_page(error: str | None = None) -> str:
    kinds = "".join(f'<option value="{k}">{escape(KIND_NAMES_JA.get(k, k))}</option>' for k in KINDS)
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return (_head(TITLE) + '<body class="upload"><main>'
            f"<h1>契約書のリスク検査</h1>"
            '<p class="lead">秘密保持契約書・誓約書・参加規約などを読み、参加者や相手方を萎縮させる条項'
            "（広すぎる秘密の範囲、期間の定めのない義務、個人に上限のない損害賠償など）を指摘します。</p>"
            f"{problem}"
            '<form id="upload" method="post" action="/check" enctype="multipart/form-data">'
            '<label id="drop" for="file"><strong>ここにファイルをドロップ</strong>'
            "または、クリックしてファイルを選択（.docx・.pdf・.txt・.md）"
            '<input id="file" name="file" type="file" accept=".docx,.pdf,.txt,.md"></label>'
            '<p id="chosen" aria-live="polite"></p>'
            '<p class="or">または、本文を貼り付け</p>'
            '<textarea name="text" aria-label="契約書の本文" placeholder="第1条（目的）…"></textarea>'
            "<details><summary>当事者と契約の種類を指定する（任意）</summary>"
            '<label class="field">当事者の呼び方 <input type="text" name="party_label" size="6" placeholder="乙"></label>'
            '<label class="field">は <select name="party_kind"><option value="">（自動判定）</option>'
            '<option value="individual">個人</option><option value="company">法人・団体</option></select></label>'
            '<label class="field">契約の種類 <select name="kind"><option value="">（自動判定）</option>'
            f'{kinds}<option value="other">その他</option></select></label></details>'
            '<button type="submit">検査する</button><span id="busy" hidden>検査しています…</span>'
            "</form>"
            f'<p class="privacy">{escape(PRIVACY)}</p>'
            '<p class="privacy"><a href="/docs">API の説明</a></p>'
            '</main><script src="/static/app.js"></script></body></html>')


def report_page(report_html: str, links: dict[str, tuple[str, str]]) -> str:
    """The HTML report with a bar on top: back to the form, and the downloads (as data: URLs, so
    that the server keeps nothing for a later request)."""
    names = {"json": "JSON", "sarif": "SARIF", "docx": "Word（コメント付き）"}
    downloads = "".join(f'<a href="{escape(url)}" download="{escape(filename)}">{names[fmt]}</a>'
                        for fmt, (filename, url) in links.items())
    bar = ('<nav class="serve-bar" aria-label="操作"><a href="/">← 別の文書を検査</a>'
           f'<span class="dl">ダウンロード：{downloads}</span></nav>')
    page = report_html.replace("</head>", ICON + '<link rel="stylesheet" href="/static/app.css"></head>', 1)
    return page.replace("<body>", "<body>" + bar, 1)


def api_page(openapi: dict) -> str:
    """A plain page listing the API from its OpenAPI description (Swagger UI would load from a CDN)."""
    rows = []
    for path, methods in openapi.get("paths", {}).items():
        for method, op in methods.items():
            codes = "、".join(f"{code} {escape(str(r.get('description', '')))}" for code, r in op.get("responses", {}).items())
            rows.append(f"<li><code>{method.upper()} {escape(path)}</code> — {escape(op.get('summary', ''))}"
                        f"<br><small>{codes}</small></li>")
    return (_head("ndalint API") + '<body><main class="api"><h1>ndalint API</h1>'
            f"<p>{escape(openapi.get('info', {}).get('description', ''))}</p>"
            '<p>機械可読の説明：<a href="/openapi.json"><code>/openapi.json</code></a>（OpenAPI 3）</p>'
            f"<ul>{''.join(rows)}</ul>"
            "<h2>例</h2><pre><code>curl -F file=@contract.docx http://127.0.0.1:8000/api/v1/check\n"
            "curl -H 'Content-Type: application/json' -d '{\"text\": \"第1条…\", \"parties\": {\"乙\": \"individual\"}}' "
            "http://127.0.0.1:8000/api/v1/check</code></pre></main></body></html>")
