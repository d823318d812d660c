"""Hostile uploads through the HTTP API of one running ``ndalint serve`` (a real server process and
its worker): each is answered with a precise 4xx and a one-line Japanese message, never a
traceback, and the next ordinary upload gets its correct report. The files are the ones the
command line is tested with (``test_adversarial``): zip bombs, entity expansion, external
entities, 5,000-page and flate-bomb PDFs, NUL bytes, misnamed and truncated files. Then what only
a server meets: wrong content types, malformed bodies, clients that trickle or vanish mid-upload.
The server's and its worker's memory stay bounded and the worker is never replaced.

Statuses: 413 for an upload past the upload limit, 415 for a format or media type the server does
not take, 400 for a body that is not what its Content-Type says (no boundary, broken JSON), 408
for a client too slow to send its body, 422 for everything that arrives whole but cannot be read
within the limits (the readers' one-line message, as the command line prints it).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, make_pdf, run_cli
from test_adversarial import (
    CONTRACT,
    GIB,
    OLE,
    W_NS,
    blank_pdf,
    deflated_repeat,
    deflated_zeros,
    document_xml,
    docx_bytes,
    flate_bomb_pdf,
    laughs,
    package_with,
    png_bytes,
    raw_zip,
    replace_parts,
    xlsx_bytes,
)

from ndalint.ingest.package import MAX_MEMBERS

pytest.importorskip("uvicorn")
pytest.importorskip("fastapi")

MIB = 1_048_576
UPLOAD_MB = 8  # the module server's --max-upload-mb: every bomb below fits, inflated it would not
UPLOAD_SECONDS = 3.0  # its --upload-timeout
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
#: Resident memory once every bomb has been sent (twice) and every malformed body above. Measured
#: on 2 cores: the server process 65 MB (peak 72 MB; before form fields were bounded, one 8 MB form
#: of empty fields took it to 470 MB); the worker 498 MB at rest with the pipeline loaded and
#: 499 MB at its peak (VmHWM): no bomb raised it. One inflated bomb would be gigabytes.
MAX_SERVER_MB = 150
MAX_WORKER_PEAK_MB = 800


# ----------------------------------------------------------------------------- one server per module


@dataclass
class Server:
    url: str
    port: int
    proc: subprocess.Popen
    log: Path

    def post(self, path: str = "/api/v1/check", **kwargs) -> httpx.Response:
        return httpx.post(self.url + path, timeout=60, **kwargs)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(log: Path, *args: str) -> Server:
    """``ndalint serve ARGS`` in its own process (as a user runs it), once /healthz answers."""
    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ndalint", "serve", "--port", str(port), *args],
                                stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    server = Server(f"http://127.0.0.1:{port}", port, proc, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"ndalint serve exited {proc.returncode}: {server.log_text()[-2000:]}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    stop_server(server)
    pytest.fail("ndalint serve did not answer /healthz within 90 s")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("serve") / "serve.log", "--max-upload-mb", str(UPLOAD_MB),
                       "--upload-timeout", str(UPLOAD_SECONDS), "--timeout", "30", "--workers", "1", "--queue", "4")
    try:
        yield srv
    finally:
        stop_server(srv)


@pytest.fixture(scope="module")
def baseline(server) -> list[str]:
    """The ordinary upload's rule ids: what every 'the server keeps serving' check expects."""
    response = server.post(json={"text": CONTRACT})
    assert response.status_code == 200, response.text
    (doc,) = response.json()["documents"]
    assert doc["status"] == "ok" and doc["findings"]
    return sorted(f["rule_id"] for f in doc["findings"])


def assert_still_serving(server: Server, baseline: list[str]) -> None:
    response = server.post(files={"file": ("after.txt", CONTRACT.encode("utf-8"))})
    assert response.status_code == 200, response.text
    (doc,) = response.json()["documents"]
    assert doc["status"] == "ok" and sorted(f["rule_id"] for f in doc["findings"]) == baseline


def error_message(response: httpx.Response, status: int) -> str:
    """The API's error: the status, JSON ``{"error": {"status", "message"}}``, one Japanese line."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text and 'File "' not in response.text
    error = response.json()["error"]
    assert error["status"] == status
    message = error["message"]
    assert message and "\n" not in message and JAPANESE.search(message), message
    assert "予期しないエラー" not in message, message  # ingest.INTERNAL: a reader's bug, never a hostile file's answer
    return message


def page_error(response: httpx.Response, status: int) -> str:
    """The page's error: the status, the upload form again, the message in its alert."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text and 'action="/check"' in response.text
    message = re.search(r'<p class="error" role="alert">([^<]*)</p>', response.text).group(1)
    assert message and JAPANESE.search(message), message
    return message


# ----------------------------------------------------------------------------- the hostile files


def _elements_bomb() -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    comp, size, crc = deflated_repeat(head, b"<w:p/>", 11_000_000, b"<w:sectPr/></w:body></w:document>")
    return package_with([("word/document.xml", comp, size, crc)], drop="word/document.xml")


def _long_text() -> bytes:
    line = "乙は、秘密情報を第三者に開示してはならない。\n"
    return (line * (2_100_000 // len(line))).encode("utf-8")  # 2.1 M characters, 6 MB: within the upload limit


#: (id, file name, bytes, status, the message or a piece of it). The upload names end as the
#: attacker chose; the server goes by the bytes.
HOSTILE = [
    ("zip-bomb", "bomb.docx",
     lambda: package_with([("word/theme/theme1.xml", deflated_zeros(2 * GIB), 2 * GIB, 0)], drop="word/theme/theme1.xml"),
     422, "Word 文書を展開すると大きすぎます（展開後 2,048 MiB、上限 200 MiB"),
    ("zip-lying-header", "lying.docx",
     lambda: package_with([("word/document.xml", deflated_zeros(GIB), 2048, 0)], drop="word/document.xml"),
     422, "宣言より大きい"),
    ("zip-overlapping", "overlap.docx",
     lambda: package_with([("word/media/shared.bin", deflated_zeros(1 << 26), 1 << 26, 0)], aliases=3000),
     422, "展開すると大きすぎます"),
    ("zip-many-members", "many.docx",
     lambda: package_with([(f"word/media/m{i}.bin", b"\x03\x00", 0, 0) for i in range(MAX_MEMBERS + 1)]),
     422, f"上限 {MAX_MEMBERS:,} 個"),
    ("xml-elements", "elements.docx", _elements_bomb, 422, "Word 文書の XML が大きすぎます（タグ 11,"),
    ("billion-laughs", "laughs.docx",
     lambda: replace_parts(docx_bytes(), {"word/document.xml": document_xml(laughs("w:document"), "&lol9;")}),
     422, "実体参照"),
    ("pdf-5000-pages", "5000.pdf", lambda: blank_pdf(5000),
     422, "PDF のページが多すぎます（5,000 ページ、上限 2,000 ページ。--limit pages=… で変更できます）"),
    ("pdf-flate-bomb", "flate.pdf", lambda: flate_bomb_pdf(2 * GIB), 422, "PDF の圧縮ストリームを展開すると大きすぎます"),
    ("pdf-flate-bomb-indirect", "flate2.pdf", lambda: flate_bomb_pdf(2 * GIB, True),
     422, "PDF の圧縮ストリームを展開すると大きすぎます"),
    ("text-too-many-chars", "long.txt", _long_text, 422, "上限 2,000,000 文字。--limit chars=… で変更できます"),
    ("nul-only", "nul.txt", lambda: b"\x00" * 4096, 422, "テキストとして読めません（NUL バイトばかりのファイルです）"),
    ("nul-dense", "dense.txt",
     lambda: b"\x00".join(CONTRACT.encode("utf-8")[i:i + 20] for i in range(0, len(CONTRACT.encode()), 20)),
     422, "バイナリファイル"),
    ("png-as-docx", "photo.docx", png_bytes, 422, "ZIP 形式ではありません"),
    ("xlsx-as-docx", "sheet.docx", xlsx_bytes, 422, "表計算"),
    ("encrypted-docx", "locked.docx",
     lambda: OLE + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512, 422, "暗号化"),
    ("old-doc", "old.docx", lambda: OLE + b"\x00" * 1024, 422, ".doc"),
    ("plain-zip", "notes.docx", lambda: raw_zip([("notes.txt", b"\x03\x00", 0, 0)]), 422, "ZIP ファイルです"),
    ("truncated-docx", "cut.docx", lambda: docx_bytes()[:3000], 422, "docx として読めません"),
    ("header-only-pdf", "head.pdf", lambda: b"%PDF-1.7\n", 422, "PDF として読めません"),
    ("truncated-rtf", "cut.rtf", lambda: b"{\\rtf1\\ansi\\ansicpg932 {\\fonttbl", 422, "RTF"),
    ("empty", "empty.docx", lambda: b"", 422, "ファイルを選ぶか、本文を貼り付けてください"),
    ("past-upload-limit", "big.txt", lambda: b"a" * (UPLOAD_MB * MIB + 1), 413, f"ファイルが大きすぎます（上限 {UPLOAD_MB} MB）"),
    ("unsupported-suffix", "photo.png", png_bytes, 415, "この形式（.png）には対応していません"),
    ("no-suffix-binary", "upload", lambda: bytes(range(256)) * 64, 422, "バイナリファイル"),
]
BOMBS = [case for case in HOSTILE if case[0].startswith(("zip-", "xml-", "billion", "pdf-"))]


@pytest.mark.parametrize("label, name, make, status, expected", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_upload_is_a_precise_error_and_the_next_upload_is_served(server, baseline, label, name, make, status,
                                                                         expected):
    data = make()
    assert len(data) <= UPLOAD_MB * MIB or status == 413
    started = time.monotonic()
    message = error_message(server.post(files={"file": (name, data)}), status)
    assert expected in message, message
    assert time.monotonic() - started < 20
    assert_still_serving(server, baseline)


@pytest.mark.parametrize("label", ["zip-bomb", "billion-laughs", "png-as-docx", "truncated-docx", "pdf-flate-bomb"])
def test_hostile_file_on_the_page_with_the_review_copy_asked_for(server, baseline, label):
    """``/check`` asks the worker for the Word review copy of a .docx (``review``, not only the
    reader): the same refusal, shown on the page with the status."""
    _, name, make, status, expected = next(c for c in HOSTILE if c[0] == label)
    message = page_error(server.post("/check", files={"file": (name, make())}), status)
    assert expected in message.replace("&amp;", "&"), message
    page = server.post("/check", files={"file": ("after.docx", docx_bytes())})
    assert page.status_code == 200 and "ndalint-review.docx" in page.text
    assert_still_serving(server, baseline)


def test_external_entities_are_never_resolved_in_an_upload(server, baseline):
    """An entity naming /etc/passwd: the report comes back (the reader leaves it unexpanded) and
    no line of the file is in it."""
    xml = document_xml('<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;")
    data = replace_parts(docx_bytes(), {"word/document.xml": xml})
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").split("\n")[0]
    for path in ("/api/v1/check", "/check"):
        response = server.post(path, files={"file": ("xxe.docx", data)})
        assert response.status_code == 200, response.text[:500]
        assert "root:" not in response.text and passwd not in response.text
    assert_still_serving(server, baseline)


# ----------------------------------------------------------------------------- wrong content types


MULTIPART_BODY = (b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
                  + CONTRACT.encode("utf-8") + b"\r\n--XyZ--\r\n")
#: 8 MB of empty form fields: parsed whole, 400 MB of the server's memory and seconds of its event loop
EMPTY_PART = b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n\r\n'
MANY_PARTS = EMPTY_PART * ((UPLOAD_MB * MIB - 1000) // len(EMPTY_PART)) + MULTIPART_BODY
MANY_HEADERS = (b"--XyZ\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(500_000))
                + b'Content-Disposition: form-data; name="text"\r\n\r\nx\r\n--XyZ--\r\n')


@pytest.mark.parametrize("content_type, body, status, expected", [
    ("text/plain", CONTRACT.encode("utf-8"), 415, "multipart/form-data（ファイル）"),
    ("text/plain; boundary=XyZ", MULTIPART_BODY, 415, "multipart/form-data（ファイル）"),  # a multipart body, mislabelled
    (None, MULTIPART_BODY, 415, "multipart/form-data（ファイル）"),
    ("application/xml", b"<contract/>", 415, "multipart/form-data（ファイル）"),
    ("application/octet-stream", docx_bytes(), 415, "multipart/form-data（ファイル）"),
    ("multipart/form-data", MULTIPART_BODY, 400, "boundary がありません"),
    ("multipart/form-data; boundary=", MULTIPART_BODY, 400, "boundary がありません"),
    ("multipart/form-data; boundary=Other", MULTIPART_BODY, 400, "multipart/form-data として読めません"),
    ("multipart/form-data; boundary=XyZ", b"--XyZ\r\ngarbage without headers", 400, "multipart/form-data として読めません"),
    ("multipart/form-data; boundary=XyZ", b"--XyZ--\r\n", 422, "ファイルを選ぶか"),  # a form with no part
    ("multipart/form-data; boundary=XyZ", json.dumps({"text": CONTRACT}).encode(), 400, "multipart/form-data として読めません"),
    ("application/json", b'{"text": "', 400, "JSON として読めません"),
    ("application/json", b"\xff\xfe\x00garbage", 400, "JSON として読めません"),
    ("application/json", json.dumps([CONTRACT]).encode(), 422, '{"text": "契約書の本文"}'),
    ("application/json", b'"just a string"', 422, '{"text": "契約書の本文"}'),
    ("application/json", b"null", 422, '{"text": "契約書の本文"}'),
    ("application/json", json.dumps({"text": 42}).encode(), 422, '{"text": "契約書の本文"}'),
    ("application/json", json.dumps({"text": ["第1条"]}).encode(), 422, '{"text": "契約書の本文"}'),
    ("application/json", json.dumps({"text": {"a": 1}}).encode(), 422, '{"text": "契約書の本文"}'),
    ("application/json", json.dumps({"body": CONTRACT}).encode(), 422, '{"text": "契約書の本文"}'),
    ("application/json", json.dumps({"text": "  \n "}).encode(), 422, "ファイルを選ぶか、本文を貼り付けてください"),
    ("application/json", b'{"text": "' + b"x" * 20_000 + b'", "p": ' + b"[" * 1500 + b"]" * 1500 + b"}", 400,
     "JSON として読めません"),  # nesting past the recursion limit
    ("application/json", b"[" * 100_000 + b"]" * 100_000, 413, "JSON の項目が多すぎます"),
    ("application/json", json.dumps({"text": CONTRACT, "filename": "x.png"}).encode(), 415, "この形式（.png）"),
    ("application/json", b'{"text": "\\ud800 \xe7\xac\xac1\xe6\x9d\xa1"}', 422, "対になっていないサロゲート"),
    ("application/json", json.dumps({"text": CONTRACT, "parties": {"\udfff": "individual"}}).encode(), 422,
     "対になっていないサロゲート"),
    ("application/x-www-form-urlencoded", b"text=%FF%FE", 400, "UTF-8 として読めません"),
    ("application/x-www-form-urlencoded", b"text=+++&kind=", 422, "ファイルを選ぶか"),
    ("multipart/form-data; boundary=XyZ", MANY_PARTS, 413, "フォームの項目が多すぎます（上限 1,000 個）"),
    ("multipart/form-data; boundary=XyZ", MANY_HEADERS, 400, "multipart/form-data として読めません"),  # python-multipart's bound
    ("application/x-www-form-urlencoded", b"a=&" * 2_500_000 + b"text=x", 413, "フォームの項目が多すぎます"),
    ("application/json", b'{"text": "x", "parties": [' + b'"a",' * 2_000_000 + b'"a"]}', 413, "JSON の項目が多すぎます"),
    ("application/json", b'{"text": "x", "p": [' + b"[]," * 2_500_000 + b"[]]}", 413, "JSON の項目が多すぎます"),
    # the control: a contract's own commas and brackets (amounts, references), not escaped and escaped
    ("application/json", json.dumps({"text": "乙は、違約金として金1,000,000円を支払う（別紙[1]{注}参照）。\n" * 1_000},
                                    ensure_ascii=False).encode(), 200, ""),
    ("application/json", json.dumps({"text": "乙は、違約金として金1,000,000円を支払う（別紙[1]{注}参照）。\n" * 1_000}).encode(),
     200, ""),
], ids=lambda v: f"{len(v):,}B" if isinstance(v, bytes) and len(v) > 24 else None)
def test_wrong_content_type_or_malformed_body_is_a_precise_error(server, baseline, content_type, body, status, expected):
    headers = {"content-type": content_type} if content_type is not None else {}
    response = server.post(content=body, headers=headers)
    if status == 200:  # the control: separators inside the text are not counted against it
        assert response.status_code == 200, response.text[:500]
        return
    message = error_message(response, status)
    assert expected in message, message
    assert_still_serving(server, baseline)


def test_json_with_stated_parties_of_the_wrong_types_is_read_or_refused_never_a_crash(server, baseline):
    for payload, status in (({"text": CONTRACT, "parties": ["乙=robot"]}, 422),
                            ({"text": CONTRACT, "kind": ["nda"]}, 422),
                            ({"text": CONTRACT, "parties": 7, "kind": ["b2b"]}, 200),
                            ({"text": CONTRACT, "parties": {"乙": 1}, "kind": 3, "filename": 9}, 200)):
        response = server.post(json=payload)
        if status == 200:
            assert response.status_code == 200, response.text[:500]
        else:
            assert error_message(response, status).startswith(("party は", "kind は"))
    assert_still_serving(server, baseline)


# ----------------------------------------------------------------------------- slow and vanishing clients


def _raw_request(port: int, headers: bytes) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", port))
    conn.sendall(b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    return conn


def _read_answer(conn: socket.socket, timeout: float, answer: bytes = b"") -> bytes:
    """One HTTP answer (headers and a Content-Length body), however it arrives."""
    conn.settimeout(timeout)
    try:
        while True:
            head, _, body = answer.partition(b"\r\n\r\n")
            length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
            if length and len(body) >= int(length.group(1)):
                break
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    except OSError:
        pass
    return answer


def test_trickling_clients_get_408_while_others_are_served(server, baseline):
    """Three clients send their bodies a few bytes at a time (never finishing within the upload
    deadline); they hold no worker, and an ordinary upload is answered meanwhile at its usual speed."""
    answers: list[bytes] = [b""] * 3
    stop = threading.Event()

    def trickle(i: int) -> None:
        conn = _raw_request(server.port, b"Content-Type: application/json\r\nContent-Length: 100000\r\n")
        try:
            conn.sendall(b'{"text": "')
            sent_until = time.monotonic() + UPLOAD_SECONDS + 10
            while not stop.is_set() and time.monotonic() < sent_until:
                try:
                    conn.sendall("乙は".encode())
                except OSError:
                    break
                conn.settimeout(0.25)
                try:
                    first = conn.recv(65536)
                except TimeoutError:
                    continue
                answers[i] = _read_answer(conn, 5, first)
                break
        finally:
            conn.close()

    threads = [threading.Thread(target=trickle, args=(i,), daemon=True) for i in range(3)]
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(0.5)
    served = time.monotonic()
    assert_still_serving(server, baseline)
    assert time.monotonic() - served < 5, "the ordinary upload waited for the slow ones"
    for t in threads:
        t.join(timeout=UPLOAD_SECONDS + 15)
    stop.set()
    elapsed = time.monotonic() - started
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        body = json.loads(answer.partition(b"\r\n\r\n")[2])
        assert body["error"]["status"] == 408 and f"{UPLOAD_SECONDS:g} 秒以内に届きませんでした" in body["error"]["message"]
    assert elapsed < UPLOAD_SECONDS + 5, elapsed
    assert_still_serving(server, baseline)


def test_a_client_that_disconnects_mid_upload_or_before_its_answer(server, baseline):
    # mid-upload: a third of the declared body, then gone
    conn = _raw_request(server.port, b"Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 300000\r\n")
    conn.sendall(MULTIPART_BODY[:100])
    conn.close()
    # mid-upload, abruptly (RST instead of FIN)
    conn = _raw_request(server.port, b"Content-Type: application/json\r\nContent-Length: 300000\r\n")
    conn.sendall(b'{"text": "' + "乙は".encode() * 1000)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()
    # a whole bomb sent, and the client gone before the worker has answered
    bomb = package_with([("word/theme/theme1.xml", deflated_zeros(2 * GIB), 2 * GIB, 0)], drop="word/theme/theme1.xml")
    body = (b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="b.docx"\r\n\r\n' + bomb + b"\r\n--XyZ--\r\n")
    conn = _raw_request(server.port, b"Content-Type: multipart/form-data; boundary=XyZ\r\n"
                        + f"Content-Length: {len(body)}\r\n".encode())
    conn.sendall(body)
    conn.close()
    time.sleep(0.5)
    assert_still_serving(server, baseline)
    assert httpx.get(server.url + "/healthz", timeout=5).json()["busy"] == 0, "no admission slot is left taken"


def test_clients_that_never_finish_their_headers_are_cut_off_and_do_not_lock_others_out(server, baseline):
    """70 connections (more than uvicorn's limit_concurrency of 64, past which it answers 503 to
    everyone) that send part of their headers, or nothing: uvicorn alone would keep them for good.
    Each gets 408 and is closed after --upload-timeout; then the server answers everyone again."""
    stalled = []
    for i in range(70):
        conn = socket.create_connection(("127.0.0.1", server.port))
        if i % 2:
            conn.sendall(b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Ty")
        stalled.append(conn)
    started = time.monotonic()
    answers = [_read_answer(conn, UPLOAD_SECONDS + 10) for conn in stalled]
    elapsed = time.monotonic() - started
    for conn in stalled:
        conn.close()
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        message = json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["message"]
        assert message == f"リクエストが {UPLOAD_SECONDS:g} 秒以内に届きませんでした"
    assert elapsed < UPLOAD_SECONDS + 5, elapsed
    assert_still_serving(server, baseline)
    # (a kept-alive connection's next request has the deadline too, from the end of the previous
    # response, but no shorter than the keep-alive of 15 s: not waited for here)


# ----------------------------------------------------------------------------- memory, the worker, the log


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry))
    return found


def _memory_mb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM: the peak) of a process, in MB, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
    return int(values["VmRSS"]) // 1024, int(values["VmHWM"]) // 1024


def _workers(pid: int) -> list[int]:
    return [c for c in _children(pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_memory_stays_bounded_and_the_worker_is_never_replaced(server, baseline):
    """Every bomb again, then the resident memory of the server and its worker: no bomb was
    inflated (the worker's peak would be gigabytes) and none killed the worker (same process)."""
    (worker,) = _workers(server.proc.pid)
    for _, name, make, status, _ in BOMBS:
        assert server.post(files={"file": (name, make())}).status_code == status
        assert server.post("/check", files={"file": (name, make())}).status_code == status
    assert_still_serving(server, baseline)
    assert _workers(server.proc.pid) == [worker], "a hostile upload cost the pool its worker"
    server_rss, server_peak = _memory_mb(server.proc.pid)
    worker_rss, worker_peak = _memory_mb(worker)
    print(f"\nRSS after the bombs: server {server_rss} MB (peak {server_peak} MB), "
          f"worker {worker_rss} MB (peak {worker_peak} MB)")
    assert server_peak < MAX_SERVER_MB, server_peak
    assert worker_peak < MAX_WORKER_PEAK_MB, worker_peak


def test_the_servers_log_has_no_traceback_and_no_upload_content(server, baseline):
    assert_still_serving(server, baseline)
    log = server.log_text()
    assert "Traceback" not in log and "internal error" not in log and "analysis failed" not in log, log[-3000:]
    assert "ERROR" not in log, [line for line in log.splitlines() if "ERROR" in line]
    for secret in ("秘密情報を第三者に開示", "株式会社甲野", "bomb.docx", "photo.docx", "root:"):
        assert secret not in log
    assert re.search(r"POST /api/v1/check 422 \d+ ms", log) and re.search(r"POST /api/v1/check 408 \d+ ms", log)


def test_an_unexpected_error_is_a_500_without_its_message_in_the_answer_or_the_log(caplog):
    """A bug (here: a route that raises with document text in its message) is answered 500 with the
    usual headers; the log names the exception's type only, and nothing is re-raised to uvicorn
    (which would log the traceback and the message)."""
    import logging

    from fastapi.testclient import TestClient

    from ndalint.serve.app import Settings, create_app

    class NoPool:
        workers, queue, admitted, capacity = 1, 0, 0, 1

        def start(self) -> None: ...

        def stop(self) -> None: ...

    app = create_app(Settings(), pool=NoPool())  # type: ignore[arg-type]

    @app.get("/boom")
    async def boom():
        raise ValueError("株式会社甲野の秘密")

    caplog.set_level(logging.DEBUG)
    with TestClient(app) as client:  # raise_server_exceptions: a re-raised exception would fail here
        response = client.get("/boom")
    assert error_message(response, 500) == "内部エラーが発生しました"
    assert response.headers["x-content-type-options"] == "nosniff" and response.headers["cache-control"] == "no-store"
    assert "株式会社甲野" not in caplog.text and "internal error ValueError on /boom" in caplog.text


# ----------------------------------------------------------------------------- serve --limit


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("serve-limited") / "serve.log", "--limit", "pages=2",
                       "--limit", "chars=1000", "--limit", "bytes=100000", "--limit", "timeout=20",
                       "--limit", "unpacked=2000000", "--workers", "1")
    try:
        yield srv
    finally:
        stop_server(srv)


def test_serve_limits_apply_in_the_worker_for_every_job(limited, tmp_path):
    pages = [CONTRACT.strip().split("\n")[i * 3:(i + 1) * 3] for i in range(3)]
    three = make_pdf(tmp_path / "three.pdf", pages).read_bytes()
    two = make_pdf(tmp_path / "two.pdf", pages[:2]).read_bytes()
    assert error_message(limited.post(files={"file": ("three.pdf", three)}), 422) == \
        "PDF のページが多すぎます（3 ページ、上限 2 ページ。--limit pages=… で変更できます）"
    assert limited.post(files={"file": ("two.pdf", two)}).status_code == 200
    # the page route, with its review copy: the same limits in the same worker
    assert "上限 2 ページ" in page_error(limited.post("/check", files={"file": ("three.pdf", three)}), 422)
    long = ("乙は、秘密情報を第三者に開示してはならない。\n" * 60).encode("utf-8")  # 1,380 characters
    message = error_message(limited.post(files={"file": ("long.txt", long)}), 422)
    assert "本文が長すぎます" in message and "上限 1,000 文字。--limit chars=… で変更できます" in message
    assert "上限 1,000 文字" in error_message(limited.post(json={"text": long.decode()}), 422)
    # a .docx: its XML's tags are bounded in proportion to chars (five a character), and python-docx's
    # template alone has some 25,000 (its styles): refused before a character is read
    message = page_error(limited.post("/check", files={"file": ("long.docx", docx_bytes(long.decode()))}), 422)
    assert "Word 文書の XML が大きすぎます" in message and "上限 5,000 個" in message and "--limit chars=" in message
    # unpacked: a part of 2.5 MB (25 KB deflated) is past 2 MB unzipped
    big_part = replace_parts(docx_bytes(), add={"word/media/big.bin": os.urandom(1000) * 2500})
    assert "展開すると大きすぎます" in error_message(limited.post(files={"file": ("big.docx", big_part)}), 422)
    # bytes below the upload limit lowers it: 413 from the server, before the worker
    assert error_message(limited.post(files={"file": ("b.txt", b"a" * 100_001)}), 413) == \
        "ファイルが大きすぎます（上限 100,000 バイト）"
    # what a contract needs still passes
    ok = limited.post(json={"text": CONTRACT})
    assert ok.status_code == 200 and ok.json()["documents"][0]["findings"]
    assert "timeout=20.0" in limited.log_text() and "pages=2 " in limited.log_text(), limited.log_text()[:2000]


def test_serve_limit_option_is_parsed_as_checks():
    bad = run_cli("serve", "--limit", "pages=many")
    assert bad.exit_code == 2 and "limit pages must be a number" in bad.stderr
    unknown = run_cli("serve", "--limit", "colour=3")
    assert unknown.exit_code == 2 and "unknown limit 'colour'" in unknown.stderr
    both = run_cli("serve", "--timeout", "5", "--limit", "timeout=6")
    assert both.exit_code == 2 and "same time limit" in both.stderr
    none = run_cli("serve", "--limit", "timeout=0")
    assert none.exit_code == 2 and "must be positive" in none.stderr

