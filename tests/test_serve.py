"""``ndalint serve``'s API as a client sees it (Starlette's TestClient, a real worker process), and
what must never happen to an upload: reaching the disk or the log."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import sys
import tempfile
from pathlib import Path

import jsonschema
import pytest
from conftest import CORPUS, ROOT, SHARED, check_json
from fastapi.testclient import TestClient

from ndalint.serve.app import Settings, create_app
from ndalint.serve.pool import Pool

REAL = SHARED / "corpus" / "real"
SCHEMA = json.loads((ROOT / "schemas" / "ndalint.report-1.schema.json").read_text(encoding="utf-8"))
#: a string that must never appear in a log: it is in the uploaded text and in the file name
MARKER = "秘匿マーカー7Q"
PLEDGE = ("秘密保持に関する誓約書\n株式会社サンプル 御中\n"
          "第1条（秘密保持）\n私は、貴社の業務に関して知り得た一切の情報を、退職後も第三者に開示いたしません。\n"
          "第2条（損害賠償）\n私は、本誓約書に違反して貴社に損害を与えたときは、その損害を賠償いたします。\n"
          f"備考：{MARKER}\n")


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(max_upload_mb=2, workers=1, queue=4, timeout=120))
    with TestClient(app) as c:
        yield c


def upload(client, path: Path, name: str | None = None, **params):
    with path.open("rb") as fh:
        return client.post("/api/v1/check", files={"file": (name or path.name, fh.read())}, params=params)


# ----------------------------------------------------------------------------- success, every format


@pytest.mark.parametrize("path", [
    CORPUS / "freelancer-contract.docx",
    REAL / "r22_supota-freelance-service-agreement.pdf",
    CORPUS / "employee-pledge.txt",
    CORPUS / "one-way-nda-vendor.md",
    REAL / "r19_moriyoshi-mutual-nda-template.docx",
], ids=lambda p: p.suffix + ":" + p.name)
def test_upload_returns_the_report_contract_and_the_clis_findings(client, path):
    response = upload(client, path)
    assert response.status_code == 200, response.text
    report = response.json()
    jsonschema.validate(report, SCHEMA)
    (doc,) = report["documents"]
    _, cli, _ = check_json(path, extra=("--exit-zero",))
    expected = cli["documents"][0]
    assert [(f["rule_id"], f["start"], f["end"]) for f in doc["findings"]] == \
        [(f["rule_id"], f["start"], f["end"]) for f in expected["findings"]]
    assert doc["score"] == expected["score"] and doc["format"] == expected["format"]
    assert doc["path"] == "upload" + path.suffix, "the upload's own name is not echoed"
    assert response.headers["cache-control"] == "no-store"


def test_pasted_text_as_json_with_stated_parties_and_kind(client):
    response = client.post("/api/v1/check", json={"text": PLEDGE, "parties": {"私": "individual"}, "kind": "employment"})
    assert response.status_code == 200, response.text
    (doc,) = response.json()["documents"]
    assert doc["kind"] == "employment" and doc["kind_overridden"]
    assert {f["rule_id"] for f in doc["findings"]} >= {"LIAB001"}


def test_pasted_text_in_the_form_and_other_formats(client):
    sarif = client.post("/api/v1/check", data={"text": PLEDGE}, params={"format": "sarif"})
    assert sarif.status_code == 200 and sarif.headers["content-type"].startswith("application/sarif+json")
    assert sarif.json()["version"] == "2.1.0"
    html = client.post("/api/v1/check", data={"text": PLEDGE}, params={"format": "html"})
    assert html.status_code == 200 and "<mark" in html.text


def test_the_page_round_trip_gives_the_html_report_and_the_downloads(client):
    page = client.get("/")
    assert page.status_code == 200 and 'action="/check"' in page.text and "ドロップ" in page.text
    with (CORPUS / "pledge-cocreation-session.docx").open("rb") as fh:
        response = client.post("/check", files={"file": ("draft.docx", fh.read())},
                               data={"party_label": "私", "party_kind": "individual"})
    assert response.status_code == 200
    html = response.text
    assert 'class="serve-bar"' in html and "心理的安全性リスク" in html
    links = dict(re.findall(r'<a href="data:[^;]+;base64,([^"]+)" download="([^"]+)"', html)[i][::-1] for i in range(3))
    report = json.loads(base64.b64decode(links["ndalint-report.json"]))
    assert report["documents"][0]["findings"]
    assert json.loads(base64.b64decode(links["ndalint-report.sarif"]))["version"] == "2.1.0"
    copy = base64.b64decode(links["ndalint-review.docx"])
    assert copy[:2] == b"PK" and b"word/comments.xml" in copy


# ----------------------------------------------------------------------------- errors


def test_too_large_is_413_json(client):
    response = client.post("/api/v1/check", files={"file": ("big.txt", b"a" * (2 * 1_048_576 + 10))})
    assert response.status_code == 413
    assert response.json()["error"]["status"] == 413 and "大きすぎ" in response.json()["error"]["message"]


@pytest.mark.parametrize("name,data", [("photo.png", b"\x89PNG\r\n\x1a\n0000"), ("sheet.xlsx", b"PK\x03\x04")])
def test_unsupported_type_is_415(client, name, data):
    response = client.post("/api/v1/check", files={"file": (name, data)})
    assert response.status_code == 415
    assert "対応していません" in response.json()["error"]["message"]


def test_wrong_content_type_is_415(client):
    response = client.post("/api/v1/check", content=b"hello", headers={"content-type": "text/plain"})
    assert response.status_code == 415


@pytest.mark.parametrize("files,data,expected", [
    ({"file": ("broken.docx", b"PK\x03\x04 not a zip")}, None, "docx として読めません"),
    ({"file": ("locked.pdf", b"%PDF-1.7\n% broken")}, None, "PDF"),
    ({"file": ("empty.txt", b"")}, None, "ファイルを選ぶか"),
    ({"file": ("binary.txt", bytes(range(256)) * 50)}, None, ""),
    (None, {"text": "  "}, "ファイルを選ぶか"),
    (None, {"text": PLEDGE, "party": "私=robot"}, "party"),
    (None, {"text": PLEDGE, "kind": "spaceship"}, "kind"),
])
def test_unreadable_or_invalid_is_422_with_a_message(client, files, data, expected):
    response = client.post("/api/v1/check", files=files, data=data)
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert message and expected in message and "Traceback" not in message


def test_page_errors_are_shown_on_the_page_with_the_status(client):
    response = client.post("/check", files={"file": ("photo.png", b"\x89PNG\r\n\x1a\n")})
    assert response.status_code == 415
    assert 'role="alert"' in response.text and 'action="/check"' in response.text


def test_a_full_queue_answers_503_with_retry_after():
    pool = Pool(workers=1, queue=0, timeout=60)
    app = create_app(Settings(workers=1, queue=0, retry_after=7), pool=pool)
    with TestClient(app) as c:
        pool.admitted = pool.capacity  # as if one upload were being analysed
        busy = c.post("/api/v1/check", json={"text": PLEDGE})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "7"
        assert c.get("/healthz").status_code == 200, "the health check answers while the workers are busy"
        pool.admitted = 0
        assert c.post("/api/v1/check", json={"text": PLEDGE}).status_code == 200


def test_the_server_keeps_serving_after_bad_uploads(client):
    for files in ({"file": ("a.docx", b"PK\x03\x04")}, {"file": ("b.pdf", b"%PDF-")}, {"file": ("c.png", b"x")}):
        assert client.post("/api/v1/check", files=files).status_code in (415, 422)
    assert upload(client, CORPUS / "employee-pledge.txt").status_code == 200


# ----------------------------------------------------------------------------- the other endpoints


def test_rules_health_and_api_description(client):
    rules = client.get("/api/v1/rules").json()
    assert len(rules) > 50 and {"id", "title", "severity"} <= set(rules[0])
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["workers"] == 1
    spec = client.get("/openapi.json").json()
    assert "/api/v1/check" in spec["paths"] and "/api/v1/rules" in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/check" in docs.text and "cdn" not in docs.text.lower()


# ----------------------------------------------------------------------------- confidentiality


def test_security_headers_and_a_strict_csp_that_still_allows_the_report(client):
    response = client.post("/check", data={"text": PLEDGE})
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    style = re.search(r"<style>(.*?)</style>", response.text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp, "the report's stylesheet is allowed by its hash"
    assert " style=" not in response.text and "<script>" not in response.text, "nothing inline beyond the hashed sheet"
    for r in (response, client.get("/"), client.get("/healthz"), client.post("/api/v1/check", json={})):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_uploads_never_reach_the_disk(client, tmp_path, monkeypatch):
    """Every file the server process opens for writing while it handles uploads is recorded
    (CPython's audit hooks see open() and os.open()), and the temporary directory is watched."""
    watched = tmp_path / "tmp"
    watched.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(watched))
    writes: list[str] = []
    active = [True]

    def hook(event: str, args: tuple) -> None:
        if not active[0]:
            return
        if event == "open" and len(args) >= 3:
            path, mode, flags = args[0], args[1] or "", args[2] or 0
            if any(c in str(mode) for c in "wax+") or (isinstance(flags, int) and flags & 0o3):
                writes.append(str(path))
        elif event in ("os.rename", "os.replace", "shutil.copyfile", "tempfile.mkstemp", "tempfile.mkdtemp"):
            writes.append(f"{event} {args[:1]}")

    sys.addaudithook(hook)  # cannot be removed: the flag switches it off after the test
    try:
        big = (CORPUS / "pledge-cocreation-session.docx").read_bytes()
        for files in ({"file": ("draft.docx", big)}, {"file": ("big.txt", PLEDGE.encode() * 300)},
                      {"file": ("r.pdf", (REAL / "r23_pledge-clinic-staff-entry-pledge.pdf").read_bytes())}):
            assert client.post("/check", files=files).status_code == 200
            assert client.post("/api/v1/check", files=files).status_code == 200
    finally:
        active[0] = False
    assert [w for w in writes if not w.startswith("/dev/")] == []
    assert list(watched.iterdir()) == []


def test_the_analysis_itself_writes_nothing():
    """What the worker processes run, in this process under the same audit hook."""
    from ndalint.serve.analysis import Job, analyse

    writes: list[str] = []
    active = [True]

    def hook(event: str, args: tuple) -> None:
        if active[0] and event == "open" and len(args) >= 3 and (
                any(c in str(args[1] or "") for c in "wax+") or (isinstance(args[2], int) and args[2] & 0o3)):
            writes.append(str(args[0]))

    sys.addaudithook(hook)
    try:
        for path in (CORPUS / "freelancer-contract.docx", REAL / "r24_reportflow-company-secrecy-pledge.pdf",
                     CORPUS / "employee-pledge.txt"):
            result = analyse(Job(path.read_bytes(), path.name, outputs=frozenset({"json", "sarif", "html", "docx"})))
            assert result.error is None and result.outputs["json"]
    finally:
        active[0] = False
    assert [w for w in writes if not w.startswith("/dev/")] == []


def test_logs_carry_sizes_timings_and_rule_ids_never_text_or_names(client, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/v1/check", files={"file": (f"{MARKER}.txt", PLEDGE.encode())})
    assert response.status_code == 200
    client.post("/api/v1/check", files={"file": (f"{MARKER}.docx", b"PK\x03\x04" + MARKER.encode())})
    client.post("/check", data={"text": PLEDGE, "party_label": MARKER, "party_kind": "individual"})
    lines = [r.getMessage() for r in caplog.records]
    assert any("analysed txt" in line and "LIAB001" in line and "bytes" in line and "ms" in line for line in lines)
    everything = "\n".join(lines) + "\n" + caplog.text
    for secret in (MARKER, "誓約書", "株式会社サンプル", "退職後"):
        assert secret not in everything


def test_an_analysis_past_the_timeout_is_422_and_the_server_goes_on():
    with TestClient(create_app(Settings(workers=1, timeout=0.001))) as c:
        slow = c.post("/api/v1/check", json={"text": PLEDGE * 20})
        assert slow.status_code == 422 and "時間内に終わりません" in slow.json()["error"]["message"]
        assert c.get("/healthz").status_code == 200


def test_a_worker_that_does_not_answer_is_replaced():
    """The pool's own watchdog, for what the worker's timer cannot stop: a job without a timer of its
    own that runs past timeout + grace is abandoned, its worker killed and replaced."""
    import asyncio

    from ndalint.serve.analysis import Job
    from ndalint.serve.pool import TimedOut

    pool = Pool(workers=1, queue=2, timeout=0.0, grace=0.01)
    pool.start()
    try:
        first = pool._executor
        with pytest.raises(TimedOut):
            asyncio.run(pool.run(Job((PLEDGE * 50).encode(), "slow.txt")))
        assert pool._executor is not first
        pool.timeout, pool.grace = 120, 5
        result = asyncio.run(pool.run(Job(PLEDGE.encode(), "ok.txt")))
        assert result.error is None and "LIAB001" in result.findings
    finally:
        pool.stop()


def test_a_slow_client_gets_408_and_others_are_served_meanwhile():
    """A client that sends its headers and then trickles (or stalls) its body is cut off after the
    upload deadline; requests from other clients are answered in the meantime."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    app = create_app(Settings(workers=1, upload_seconds=1.5))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n{\"text\": \"")
        started = time.monotonic()
        other = httpx.post(f"http://127.0.0.1:{port}/api/v1/check", json={"text": PLEDGE}, timeout=60)
        assert other.status_code == 200, "another client is served while the slow one stalls"
        slow.settimeout(30)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = slow.recv(4096)
            if not chunk:
                break
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert time.monotonic() - started < 20
        slow.close()
    finally:
        server.should_exit = True
        thread.join(timeout=30)
