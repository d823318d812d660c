"""``ndalint serve`` end to end in a real browser: the server started as a user would start it
(``ndalint serve --port N`` in a subprocess), Debian's Chromium driven through Playwright.

What a user does: pick a file, drop a file, paste a text, send a file the server cannot read. Each
test checks what the page shows against what the JSON API answers for the same input, and that the
browser reported no console error and no Content-Security-Policy violation on the way.

Chromium comes from the system (``.ci/run`` installs Debian's ``chromium``); Playwright's own browser
download is not used.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import CORPUS, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PLEDGE_DOCX = CORPUS / "pledge-cocreation-session.docx"
FREELANCER_DOCX = CORPUS / "freelancer-contract.docx"
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Written for this test (not taken from any real agreement): a participant's pledge with an
# unlimited, perpetual duty of confidentiality and unlimited liability.
PASTED_PLEDGE = """誓約書

株式会社みなと企画　御中

私は、貴社が開催するアイデアソンへの参加にあたり、以下のとおり誓約します。

第1条（秘密保持）
私は、本アイデアソンに関して知り得た一切の情報を、期間の定めなく秘密として保持し、第三者に開示又は漏洩しません。

第2条（損害賠償）
私が前条に違反したときは、貴社に生じた一切の損害（弁護士費用を含む。）を賠償します。

以上
"""

# Collects CSP violations in every document the page loads (the init script is injected by the
# browser driver, so the page's own CSP does not block it).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__ndalintCsp && window.__ndalintCsp(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(log: Path, n: int = 4000) -> str:
    return log.read_text("utf-8", "replace")[-n:] if log.exists() else "(no log)"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    """``ndalint serve`` on a free port; yields its base URL, stops it at the end."""
    exe = ROOT / ".venv" / "bin" / "ndalint"
    if not exe.exists():
        exe = Path(sys.executable).parent / "ndalint"
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with open(log, "wb") as out:  # a file, not a pipe: a pipe nobody reads would fill up and stall the server
        proc = subprocess.Popen([str(exe), "serve", "--port", str(port)], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ndalint serve exited with {proc.returncode} before answering /healthz:\n{_log_tail(log)}")
            try:
                r = httpx.get(base + "/healthz", timeout=2)
                if r.status_code == 200 and r.json().get("status") == "ok":
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ndalint serve did not answer /healthz within 60 s:\n{_log_tail(log)}")
            time.sleep(0.25)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # what Ctrl-C does: uvicorn shuts down, the pool stops
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        pytest.fail(f"Chromium is missing: expected Debian's chromium at {CHROMIUM}"
                    + (f" (found {found} instead)" if found else "")
                    + ". `.ci/run` installs `chromium` (apt-get install chromium); "
                      "do not use `playwright install`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page with every console error, uncaught exception and CSP violation recorded."""

    def __init__(self, page) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.csp: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(
            f"{msg.text} ({msg.location.get('url', '?')})"))
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        page.expose_function("__ndalintCsp", lambda violation: self.csp.append(violation))
        page.add_init_script(CSP_LISTENER)

    def errors(self, *allowed: str) -> list[str]:
        """Console errors, less any ``allowed`` substrings (the pages declare an inline empty icon, so
        the browser does not ask for /favicon.ico)."""
        return [e for e in self.console_errors if not any(a in e for a in allowed)]

    def assert_clean(self, *allowed: str) -> None:
        assert not self.csp, f"CSP violations: {self.csp}"
        assert not self.errors(*allowed), f"console errors: {self.errors(*allowed)}"


@pytest.fixture()
def watched(browser, server):
    context = browser.new_context(base_url=server, locale="ja-JP", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield Watched(page)
    finally:
        context.close()


def api_findings(server: str, *, path: Path | None = None, text: str | None = None) -> dict:
    """The JSON API's report document for the same input the browser sent."""
    if path is not None:
        r = httpx.post(server + "/api/v1/check", files={"file": (path.name, path.read_bytes())}, timeout=60)
    else:
        r = httpx.post(server + "/api/v1/check", json={"text": text}, timeout=60)
    assert r.status_code == 200, r.text
    (doc,) = r.json()["documents"]
    assert doc["findings"], "the API found nothing: the comparison below would prove nothing"
    return doc


def open_form(page) -> None:
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == "契約書のリスク検査"
    assert "ファイルをドロップ" in page.locator("#drop").inner_text()
    # the drag-and-drop script loaded and ran (it is the page's only script, from /static/)
    page.wait_for_function("() => document.getElementById('chosen') !== null")


def submit(page) -> None:
    with page.expect_navigation(url="**/check"):
        page.locator('#upload button[type="submit"]').click()
    page.wait_for_load_state("load")


def report_ids(page) -> list[str]:
    """Rule ids of the finding cards, in the order shown."""
    return page.locator("li.finding code.rid").all_inner_texts()


def assert_report_matches(page, doc: dict) -> None:
    assert page.locator("nav.serve-bar").is_visible()
    cards = page.locator("li.finding")
    assert cards.count() == len(doc["findings"])
    expected = [f["rule_id"] for f in sorted(doc["findings"], key=lambda f: (f["start"], f["end"], f["rule_id"]))]
    assert report_ids(page) == expected
    assert page.locator(".panel h3 .count").inner_text() == f"{len(doc['findings'])}件"
    gauge = page.locator("svg.gauge-svg text.num")  # SVG text: text_content, not inner_text
    assert gauge.is_visible() and gauge.text_content() == str(doc["score"]["value"])


def download_link(page, filename: str):
    return page.locator(f'nav.serve-bar a[download="{filename}"]')


def data_url_bytes(href: str, media: str) -> bytes:
    prefix = f"data:{media};base64,"
    assert href.startswith(prefix), href[:80]
    return base64.b64decode(href[len(prefix):])


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_upload_docx_shows_report_with_score_party_and_downloads(watched, server, tmp_path_factory):
    page = watched.page
    doc = api_findings(server, path=PLEDGE_DOCX)
    open_form(page)

    page.set_input_files("#file", str(PLEDGE_DOCX.relative_to(ROOT)))
    assert page.locator("#chosen").inner_text() == f"選択中：{PLEDGE_DOCX.name}"
    submit(page)

    assert page.title() != "" and page.locator("html").get_attribute("lang") == "ja"
    assert_report_matches(page, doc)
    # the bound party: the pledge binds "私", an individual
    parties = page.locator(".overview .parties")
    assert "個人" in parties.inner_text()
    bound = parties.locator("p.note").first.inner_text()
    assert bound.startswith("秘密保持義務を負う当事者："), bound
    assert "（個人）" in bound

    # downloads: JSON (the same findings as the API), SARIF, and the Word review copy
    links = page.locator("nav.serve-bar .dl a")
    assert links.all_inner_texts() == ["JSON", "SARIF", "Word（コメント付き）"]
    report = json.loads(data_url_bytes(download_link(page, "ndalint-report.json").get_attribute("href"),
                                       "application/json"))
    (got,) = report["documents"]
    assert [(f["rule_id"], f["start"], f["end"]) for f in got["findings"]] == \
           [(f["rule_id"], f["start"], f["end"]) for f in doc["findings"]]
    sarif = json.loads(data_url_bytes(download_link(page, "ndalint-report.sarif").get_attribute("href"),
                                      "application/sarif+json"))
    assert len(sarif["runs"][0]["results"]) == len(doc["findings"])
    # the Word copy, downloaded through the browser as a user would
    with page.expect_download() as info:
        download_link(page, "ndalint-review.docx").click()
    download = info.value
    assert download.suggested_filename == "ndalint-review.docx"
    saved = tmp_path_factory.mktemp("download") / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK" and saved.stat().st_size > 10_000

    shot = tmp_path_factory.mktemp("screens") / "report-pledge.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = png_size(shot)
    assert width >= 1280 and height > 900, (width, height)  # the whole report, longer than one screen
    assert shot.stat().st_size > 50_000
    watched.assert_clean()


def test_drag_and_drop_fills_file_field(watched, server):
    page = watched.page
    doc = api_findings(server, path=FREELANCER_DOCX)
    open_form(page)
    assert page.locator("#chosen").inner_text() == ""

    payload = base64.b64encode(FREELANCER_DOCX.read_bytes()).decode()
    dt = page.evaluate_handle(
        """([name, b64, type]) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([bytes], name, {type}));
          return dt;
        }""", [FREELANCER_DOCX.name, payload, DOCX_MEDIA])
    page.dispatch_event("#drop", "dragenter", {"dataTransfer": dt})
    page.dispatch_event("#drop", "dragover", {"dataTransfer": dt})
    assert "over" in page.locator("#drop").get_attribute("class").split()
    page.dispatch_event("#drop", "drop", {"dataTransfer": dt})
    assert "over" not in (page.locator("#drop").get_attribute("class") or "").split()

    assert page.locator("#chosen").inner_text() == f"選択中：{FREELANCER_DOCX.name}"
    held = page.eval_on_selector("#file", "el => Array.from(el.files).map(f => [f.name, f.size])")
    assert held == [[FREELANCER_DOCX.name, FREELANCER_DOCX.stat().st_size]]

    submit(page)
    assert_report_matches(page, doc)
    assert download_link(page, "ndalint-review.docx").count() == 1
    watched.assert_clean()


def test_pasted_text_is_checked(watched, server):
    page = watched.page
    doc = api_findings(server, text=PASTED_PLEDGE)
    open_form(page)
    page.fill('textarea[name="text"]', PASTED_PLEDGE)
    submit(page)

    assert_report_matches(page, doc)
    ids = report_ids(page)
    assert "LIAB001" in ids, ids  # unlimited liability of an individual
    assert "第2条" in page.locator("li.finding", has=page.locator("code.rid", has_text="LIAB001")).first.inner_text()
    # a pasted text has no Word copy to offer
    assert page.locator("nav.serve-bar .dl a").all_inner_texts() == ["JSON", "SARIF"]
    watched.assert_clean()


def test_unsupported_file_shows_error_and_form_still_works(watched, server, tmp_path):
    page = watched.page
    fake = tmp_path / "scan.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    open_form(page)
    page.set_input_files("#file", str(fake))
    with page.expect_navigation(url="**/check") as nav:
        page.locator('#upload button[type="submit"]').click()
    assert nav.value is not None and nav.value.status == 415

    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert alert.inner_text() == "この形式（.png）には対応していません。.docx・.pdf・.txt・.md で送ってください"
    assert page.locator("h1").inner_text() == "契約書のリスク検査"
    assert page.locator("li.finding").count() == 0

    # the same page, answered with the error, is a working form: send a readable file from it
    text_file = CORPUS / "employee-pledge.txt"
    doc = api_findings(server, path=text_file)
    page.set_input_files("#file", str(text_file))
    assert page.locator("#chosen").inner_text() == f"選択中：{text_file.name}"  # its script runs too
    submit(page)
    assert_report_matches(page, doc)
    assert page.get_by_role("alert").count() == 0
    # the one console error allowed is the browser's note on the 415 answer itself
    watched.assert_clean(f"status of 415 (Unsupported Media Type) ({server}/check)")
