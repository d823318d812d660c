"""Hostile and broken files through the command line: each is one clear line on stderr and exit 2
for that file (or a correct report), in bounded time and memory, and a batch goes on past it.

Zip bombs, XML entity expansion and external entities, PDFs of thousands of pages and PDF flate
bombs, oversized text, NUL bytes, files that are something else behind a .docx name, empty and
truncated files. Everything is built here at test time; the bombs are made from repeated deflate
segments, so a gigabyte costs a megabyte and a tenth of a second to build."""

from __future__ import annotations

import http.server
import io
import json
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path
from typing import ClassVar

import docx
import pytest
from conftest import PUBLIC, check_json, make_pdf, run_cli

from ndalint import ingest, limits
from ndalint.errors import InputError
from ndalint.ingest.package import MAX_MEMBERS

GIB = 1 << 30
CONTRACT = (
    "秘密保持契約書\n"
    "株式会社甲野（以下「甲」という。）と株式会社乙山（以下「乙」という。）は、次のとおり契約を締結する。\n"
    "第1条（目的）\n"
    "本契約は、甲乙間の取引の検討を目的とする。\n"
    "第2条（秘密保持）\n"
    "乙は、秘密情報を第三者に開示してはならない。\n"
    "第3条（損害賠償）\n"
    "乙は、本契約に違反した場合、甲に生じた一切の損害を賠償する。\n"
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ------------------------------------------------------------------------------ running the CLI

def one_error(result, path: Path | str) -> str:
    """The CLI's verdict on one bad file: exit 2, exactly one line ``ndalint: PATH: message``."""
    assert result.exit_code == 2, (result.exit_code, result.stdout[-500:], result.stderr)
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1, result.stderr
    prefix = f"ndalint: {path}: "
    assert lines[0].startswith(prefix), lines[0]
    message = lines[0][len(prefix):]
    assert message and "Traceback" not in result.stderr and ingest.INTERNAL not in message
    return message


_BOUNDED = r"""
import resource, sys, time
from ndalint.cli import run
sys.argv = ["ndalint", *sys.argv[1:]]
start = time.monotonic()
try:
    run()
    code = 0
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
try:  # VmHWM: this program's own peak (ru_maxrss survives exec: it may be the forking test process's)
    peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) // 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
sys.stderr.write(f"\n@@ {peak} {time.monotonic() - start:.2f}\n")
sys.exit(code)
"""


class Bounded:
    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        err, _, tail = proc.stderr.rpartition("\n@@ ")
        rss, seconds = tail.split()
        self.exit_code, self.stdout, self.stderr = proc.returncode, proc.stdout, err.strip() + "\n"
        self.rss_mb, self.seconds = int(rss), float(seconds)


def run_bounded(*args: str, input: bytes | None = None, timeout: float = 90) -> Bounded:
    """The CLI in a fresh process (``ndalint ARGS``): its exit code, output, peak memory (MB) and
    time. A reader that inflated a bomb would show gigabytes here; one that hung, the timeout."""
    proc = subprocess.run([sys.executable, "-c", _BOUNDED, *args], input=input, capture_output=True, timeout=timeout,
                          check=False)
    proc.stdout, proc.stderr = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    return Bounded(proc)


#: Peak memory of a CLI run that refuses a file: the interpreter and the pipeline's imports, about
#: 100-200 MB. A bomb inflated would be a gigabyte or more.
MAX_RSS_MB = 450


# ------------------------------------------------------------------------------ building packages

def docx_bytes(text: str = CONTRACT) -> bytes:
    doc = docx.Document()
    for line in text.strip("\n").split("\n"):
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def replace_parts(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The package ``data`` with some parts' bytes replaced (or added), honestly deflated."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in add.items():
            dst.writestr(name, blob)
    return out.getvalue()


def deflated_zeros(size: int, segment: int = 1 << 24) -> bytes:
    """A raw deflate stream of ``size`` zero bytes (a multiple of 16 MiB), built in a tenth of a
    second: one segment compressed and ended with a full flush is byte-aligned and references
    nothing before it, so copies of it concatenate into one valid stream."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = co.compress(b"\0" * segment) + co.flush(zlib.Z_FULL_FLUSH)
    return one * (size // segment) + b"\x03\x00"  # an empty final block


def deflated_repeat(prefix: bytes, unit: bytes, count: int, suffix: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, size, CRC) of ``prefix + unit * count + suffix``, built from one
    compressed 16 MiB segment of units (as ``deflated_zeros``); ``count`` is rounded up to segments."""
    per = (1 << 24) // len(unit)
    segment = unit * per
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    head = co.compress(prefix) + co.flush(zlib.Z_FULL_FLUSH)
    one = co.compress(segment) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.compress(suffix) + co.flush()
    n = max(1, -(-count // per))
    crc = zlib.crc32(prefix)
    for _ in range(n):
        crc = zlib.crc32(segment, crc)
    crc = zlib.crc32(suffix, crc)
    return head + one * n + tail, len(prefix) + len(segment) * n + len(suffix), crc


def raw_zip(entries: list[tuple[str, bytes, int, int]], *, aliases: int = 0) -> bytes:
    """A ZIP written byte by byte, so that its headers can say what the test wants.

    ``entries``: (name, deflated bytes, declared uncompressed size, CRC). ``aliases``: that many
    more central-directory entries pointing at the first member's data (an "overlapping" bomb)."""
    body, central = bytearray(), bytearray()
    offsets = []
    for name, comp, size, crc in entries:
        n = name.encode()
        offsets.append(len(body))
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(comp), size, len(n), 0) + n + comp
        central += _central(n, crc, len(comp), size, offsets[-1])
    name0, comp0, size0, crc0 = entries[0]
    for i in range(aliases):
        central += _central(f"{name0}.{i}".encode(), crc0, len(comp0), size0, offsets[0])
    count = len(entries) + aliases
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), len(central), len(body), 0)
    return bytes(body + central + end)


def _central(n: bytes, crc: int, csize: int, size: int, offset: int) -> bytes:
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, csize, size, len(n), 0, 0, 0, 0, 0,
                       offset) + n


def package_with(extra: list[tuple[str, bytes, int, int]], base: bytes | None = None, *, drop: str | None = None,
                 aliases: int = 0) -> bytes:
    """A real .docx's parts (deflated honestly) followed by ``extra`` raw members."""
    base = base or docx_bytes()
    entries = []
    with zipfile.ZipFile(io.BytesIO(base)) as src:
        for info in src.infolist():
            if info.filename == drop:
                continue
            blob = src.read(info.filename)
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            entries.append((info.filename, co.compress(blob) + co.flush(), len(blob), zlib.crc32(blob)))
    if aliases:
        return raw_zip(extra + entries, aliases=aliases)
    return raw_zip(entries + extra)


# ------------------------------------------------------------------------------ zip bombs

def test_docx_member_that_unzips_to_gigabytes_is_refused_before_inflating(tmp_path):
    # the theme: a part python-docx loads whole (without the guard, 2 GiB in memory and more)
    bomb = package_with([("word/theme/theme1.xml", deflated_zeros(2 * GIB), 2 * GIB, 0)], drop="word/theme/theme1.xml")
    assert len(bomb) < 4_000_000
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    run = run_bounded("check", str(path))
    message = one_error(run, path)
    assert "展開すると大きすぎます" in message and "2,048 MiB" in message and "上限 200 MiB" in message
    assert "--limit unpacked=" in message
    assert run.rss_mb < MAX_RSS_MB and run.seconds < 20, (run.rss_mb, run.seconds)
    # the limit is the run's: raised past the declared size, the member is inflated and counted
    # (then refused by the new limit's count, or read); lowered, even a normal document is refused
    with limits.using(limits.Limits(unpacked=1000)), pytest.raises(InputError, match="unpacked"):
        ingest.load_bytes(docx_bytes(), "small.docx")


def test_docx_member_whose_header_lies_is_capped_while_inflating(tmp_path):
    """The central directory says 2 KB; the deflate stream holds a gigabyte. ZipFile.read would
    inflate the gigabyte before cutting it to 2 KB (5 GB of memory); the guard stops at 2 KB."""
    lying = package_with([("word/document.xml", deflated_zeros(GIB), 2048, 0)], drop="word/document.xml")
    path = tmp_path / "lying.docx"
    path.write_bytes(lying)
    run = run_bounded("check", str(path))
    message = one_error(run, path)
    assert "宣言より大きい" in message and "word/document.xml" in message
    assert run.rss_mb < MAX_RSS_MB and run.seconds < 20, (run.rss_mb, run.seconds)


def test_docx_with_too_many_members_or_overlapping_members_is_refused(tmp_path):
    # many members: each small, too many of them (checked from the directory, nothing inflated)
    many = package_with([(f"word/media/m{i}.bin", b"\x03\x00", 0, 0) for i in range(MAX_MEMBERS + 1)])
    # overlapping: 3,000 directory entries share one 64 MiB member (the "zip without a zip" bomb)
    overlap = package_with([("word/media/shared.bin", deflated_zeros(1 << 26), 1 << 26, 0)], aliases=3000)
    # overlapping and lying: 400 entries, each declaring 64 KiB of data that inflates to 64 MiB
    sly = package_with([("word/media/shared.bin", deflated_zeros(1 << 26), 1 << 16, 0)], aliases=400)
    paths = []
    for name, data in (("many.docx", many), ("overlap.docx", overlap), ("sly.docx", sly)):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(CONTRACT, encoding="utf-8")
    run = run_bounded("check", "--format", "json", *map(str, paths), str(good))
    assert run.exit_code == 2 and run.rss_mb < MAX_RSS_MB and run.seconds < 30, (run.rss_mb, run.seconds)
    lines = dict(line.split(": ", 2)[1:] for line in run.stderr.strip().split("\n"))
    assert set(lines) == set(map(str, paths)), run.stderr
    assert "多すぎます" in lines[str(paths[0])] and f"上限 {MAX_MEMBERS:,} 個" in lines[str(paths[0])]
    assert "展開すると大きすぎます" in lines[str(paths[1])] and "--limit unpacked=" in lines[str(paths[1])]
    assert "宣言より大きい" in lines[str(paths[2])]
    # the batch went on: the good file has its report
    documents = {d["path"]: d for d in json.loads(run.stdout)["documents"]}
    assert documents[str(good)]["status"] == "ok" and documents[str(good)]["findings"]


def test_odt_zip_bomb_is_refused(tmp_path):
    content = (b'<?xml version="1.0"?><office:document-content '
               b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               b"<text:p>\xe7\xac\xac1\xe6\x9d\xa1</text:p></office:text></office:body></office:document-content>")
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        b'<manifest:file-entry manifest:full-path="Pictures/bomb.png" manifest:media-type="image/png"/>'
        b"</manifest:manifest>")
    # a picture the manifest lists: odfpy reads every one of them whole
    bomb = package_with([("Pictures/bomb.png", deflated_zeros(GIB), GIB, 0)], base=odt_bytes(content, manifest))
    path = tmp_path / "bomb.odt"
    path.write_bytes(bomb)
    run = run_bounded("check", str(path))
    message = one_error(run, path)
    assert "OpenDocument 文書を展開すると大きすぎます" in message and "--limit unpacked=" in message
    assert run.rss_mb < MAX_RSS_MB and run.seconds < 20, (run.rss_mb, run.seconds)


def test_xml_of_millions_of_empty_elements_is_refused_before_parsing(tmp_path):
    """11 million ``<w:p/>`` are 66 MB of XML, within the unpacked limit, in a 70 KB file; parsed,
    they would be 1.3 GB of lxml tree and a minute of reading. The tags are counted while the
    package is checked, against five per character of the run's character limit."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    comp, size, crc = deflated_repeat(head, b"<w:p/>", 11_000_000, b"<w:sectPr/></w:body></w:document>")
    assert 60_000_000 < size < 200 * 1_048_576 and len(comp) < 200_000
    path = tmp_path / "elements.docx"
    path.write_bytes(package_with([("word/document.xml", comp, size, crc)], drop="word/document.xml"))
    run = run_bounded("check", str(path))
    message = one_error(run, path)
    assert message.startswith("Word 文書の XML が大きすぎます（タグ 11,") and "上限 10,000,000 個" in message
    assert "--limit chars=" in message
    assert run.rss_mb < MAX_RSS_MB and run.seconds < 20, (run.rss_mb, run.seconds)


def test_sniffing_reads_a_bounded_piece_of_the_mimetype_member():
    """``formats.sniff`` looks at an archive's mimetype member: a bomb there is not inflated."""
    from ndalint.ingest.formats import sniff

    bomb = raw_zip([("mimetype", deflated_zeros(GIB), 40, zlib.crc32(b"\0" * 40))])
    started = time.monotonic()
    with pytest.raises(InputError, match="ZIP"):
        sniff(bomb, ".odt")
    assert time.monotonic() - started < 2


# ------------------------------------------------------------------------------ XML entities

def odt_bytes(content: bytes, manifest: bytes | None = None) -> bytes:
    manifest = manifest or (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def laughs(root: str) -> str:
    """The billion laughs: ten entities, each ten of the one before: 10^9 'lol's from 1 KB."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return f"<!DOCTYPE {root} [{entities}]>"


def document_xml(doctype: str, body_text: str, attr: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
            f'<w:document xmlns:w="{W_NS}"><w:body>'
            f'<w:p{attr}><w:r><w:t xml:space="preserve">第1条（目的）</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t xml:space="preserve">乙は{body_text}秘密を守る。</w:t></w:r></w:p>'
            f'</w:body></w:document>').encode()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        _Recorder.hits.append(self.path)
        body = b'<!ENTITY leak "NETWORK-LEAK">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """An HTTP server on localhost that records every request: no parser may ever call it."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    finally:
        server.shutdown()
        server.server_close()


def test_listener_would_see_a_fetch(listener):
    """The control for the tests below: a parser that does fetch is seen by the listener."""
    import urllib.request

    url, hits = listener
    assert urllib.request.urlopen(f"{url}/control", timeout=5).read() == b'<!ENTITY leak "NETWORK-LEAK">'
    assert hits == ["/control"]


def test_billion_laughs_in_document_xml_is_refused_quickly(tmp_path):
    for name, xml in (("text.docx", document_xml(laughs("w:document"), "&lol9;")),
                      ("attribute.docx", document_xml(laughs("w:document"), "", attr=' w:rsidR="&lol9;"'))):
        path = tmp_path / name
        path.write_bytes(replace_parts(docx_bytes(), {"word/document.xml": xml}))
        run = run_bounded("check", str(path), timeout=60)
        message = one_error(run, path)
        assert "実体参照" in message
        assert run.rss_mb < MAX_RSS_MB and run.seconds < 20, (run.rss_mb, run.seconds)


def _with_footnotes(data: bytes, footnotes: bytes, body_ref: bool = True) -> bytes:
    """A .docx with a footnotes part (and a reference to note 1 in the body)."""
    ct = b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    rel = (b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
           b'Target="footnotes.xml"/>')
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml").replace(b"</Types>", ct + b"</Types>")
        rels = z.read("word/_rels/document.xml.rels").replace(b"</Relationships>", rel + b"</Relationships>")
        document = z.read("word/document.xml")
    if body_ref:
        ref = f'<w:p xmlns:w="{W_NS}"><w:r><w:t>注記</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'.encode()
        document = document.replace(b"<w:sectPr", ref.replace(f' xmlns:w="{W_NS}"'.encode(), b"") + b"<w:sectPr", 1)
    return replace_parts(data, {"[Content_Types].xml": types, "word/_rels/document.xml.rels": rels,
                                "word/document.xml": document}, {"word/footnotes.xml": footnotes})


def footnotes_xml(doctype: str, text: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:footnotes xmlns:w="{W_NS}">'
            f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">脚注{text}です</w:t></w:r></w:p></w:footnote>'
            f"</w:footnotes>").encode()


def test_footnote_part_reads_with_entities_left_unexpanded(tmp_path):
    plain = ingest.load_bytes(_with_footnotes(docx_bytes(), footnotes_xml("", "X")), "plain.docx")
    assert "注1\u3000脚注Xです" in plain.text  # the control: the footnote part is read
    started = time.monotonic()
    bomb = ingest.load_bytes(_with_footnotes(docx_bytes(), footnotes_xml(laughs("w:footnotes"), "&lol9;")), "b.docx")
    assert time.monotonic() - started < 5
    assert "lol" not in bomb.text and "秘密情報を第三者に開示してはならない" in bomb.text  # body kept
    assert len(bomb.text) < 2 * len(plain.text)


def _xxe_variants(url: str, secret_dtd: Path) -> dict[str, tuple[str, str]]:
    """(DOCTYPE, text that references it) for each way an XML file can reach outside itself."""
    return {
        "file entity": ('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
        "http entity": (f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/entity">]>', "&x;"),
        "external DTD": (f'<!DOCTYPE r SYSTEM "{url}/dtd">', ""),
        "http parameter entity": (f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/pe"> %p;]>', "&leak;"),
        "file parameter entity": (f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{secret_dtd.as_uri()}"> %p;]>', "&leak;"),
    }


SECRET = "FILE-LEAK-5b1e"


@pytest.fixture
def secret_dtd(tmp_path) -> Path:
    path = tmp_path / "secret.dtd"
    path.write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    return path


def _leaked(text: str) -> bool:
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").split("\n")[0]
    return SECRET in text or "NETWORK-LEAK" in text or (bool(passwd) and passwd in text) or "root:" in text


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/footnotes.xml", "[Content_Types].xml",
                                  "_rels/.rels"])
def test_external_entities_in_docx_parts_are_never_fetched(tmp_path, listener, secret_dtd, part):
    url, hits = listener
    base = _with_footnotes(docx_bytes(), footnotes_xml("", ""))
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        original = z.read(part).decode("utf-8")
    outcomes = []
    for name, (doctype, ref) in _xxe_variants(url, secret_dtd).items():
        root = original.split("<", 2)[2].split()[0].rstrip(">") if original.startswith("<?xml") else original[1:].split()[0]
        xml = original
        decl_end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
        xml = xml[:decl_end] + doctype.replace("DOCTYPE r", f"DOCTYPE {root}") + xml[decl_end:]
        if ref and "<w:t" in xml:  # put the reference where text is read
            xml = xml.replace("</w:t>", f"{ref}</w:t>", 1)
        data = replace_parts(base, {part: xml.encode("utf-8")})
        try:
            doc = ingest.load_bytes(data, f"{name}.docx")
        except InputError as exc:
            assert "\n" not in str(exc) and ingest.INTERNAL not in str(exc)
            outcomes.append((name, "error"))
            continue
        assert not _leaked(doc.text), (part, name)
        assert "秘密情報を第三者に開示してはならない" in doc.text
        outcomes.append((name, "read"))
    assert hits == [], f"a parser fetched {hits} ({part})"
    assert len(outcomes) == 5


def test_xxe_through_the_cli_reports_without_the_file(tmp_path, listener):
    _, hits = listener
    xml = document_xml('<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;")
    path = tmp_path / "xxe.docx"
    path.write_bytes(replace_parts(docx_bytes(), {"word/document.xml": xml}))
    _, data, stderr = check_json(path)
    report = data["documents"][0]
    assert report.get("error") is None, stderr
    assert not _leaked(json.dumps(data, ensure_ascii=False))
    assert hits == []


@pytest.mark.parametrize("doctype_kind", ["laughs", "file entity", "http entity", "external DTD", "http parameter entity"])
def test_odt_entities_are_refused(tmp_path, listener, secret_dtd, doctype_kind):
    url, hits = listener
    variants = _xxe_variants(url, secret_dtd)
    doctype, ref = (laughs("office:document-content"), "&lol9;") if doctype_kind == "laughs" else variants[doctype_kind]
    doctype = doctype.replace("DOCTYPE r", "DOCTYPE office:document-content")
    content = (f'<?xml version="1.0"?>{doctype}<office:document-content '
               f'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               f'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               f"<text:p>第1条 乙は秘密を守る。{ref}</text:p></office:text></office:body></office:document-content>")
    path = tmp_path / "entities.odt"
    path.write_bytes(odt_bytes(content.encode("utf-8")))
    started = time.monotonic()
    message = one_error(run_cli("check", str(path)), path)
    assert time.monotonic() - started < 10
    assert "実体宣言" in message
    assert hits == []


# ------------------------------------------------------------------------------ PDFs

def blank_pdf(pages: int) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_with_thousands_of_pages_is_refused_by_the_page_limit(tmp_path):
    path = tmp_path / "5000.pdf"
    path.write_bytes(blank_pdf(5000))
    run = run_bounded("check", str(path))
    message = one_error(run, path)
    assert message == "PDF のページが多すぎます（5,000 ページ、上限 2,000 ページ。--limit pages=… で変更できます）"
    assert run.seconds < 10 and run.rss_mb < MAX_RSS_MB
    # raised for the run, the same file is read (and is a scan without text: a different message)
    raised = one_error(run_cli("check", "--limit", "pages=5000", str(path)), path)
    assert "テキスト層" in raised


def test_pdf_at_the_page_limit_reads_in_bounded_time(tmp_path):
    titles = ["目的", "定義", "秘密保持", "返還", "損害賠償", "有効期間", "協議"]
    clauses = ["乙は、秘密情報を第三者に開示してはならない。", "甲は、乙に対し書面で通知する。", "本条の定めは、終了後も存続する。",
               "乙は、甲の書面による承諾を得なければならない。", "甲及び乙は、誠実に協議して定める。"]
    pages = [[f"第{n}条（{titles[n % 7]}）", clauses[n % 5], clauses[(n + 2) % 5] + "ただし、前項の場合を除く。"]
             for n in range(1, 2001)]
    path = make_pdf(tmp_path / "2000.pdf", pages)
    run = run_bounded("check", "--format", "json", str(path))
    assert run.exit_code in (0, 1) and run.stderr.strip() == "", run.stderr
    report = json.loads(run.stdout)["documents"][0]
    assert report["status"] == "ok" and report["source"]["pages"] == 2000 and len(report["articles"]) == 2000
    assert report["articles"][-1]["number"] == 2000
    assert run.seconds < 30 and run.rss_mb < 1000, (run.seconds, run.rss_mb)
    # one page past the run's limit: refused before a page is read
    message = one_error(run_cli("check", "--limit", "pages=1999", str(path)), path)
    assert message == "PDF のページが多すぎます（2,000 ページ、上限 1,999 ページ。--limit pages=… で変更できます）"


def test_pdf_whose_every_line_repeats_on_every_page_keeps_its_text(tmp_path):
    """One line a page, the same on every page (a slide-like export): the running-header filter
    would take every line and leave a document without a single block."""
    path = make_pdf(tmp_path / "same.pdf", [["秘密保持契約書　第1条　乙は秘密を守る。"]] * 3)
    doc = ingest.load(str(path))
    assert doc.blocks and doc.text.count("第1条") == 3
    assert doc.locate(doc.text.rindex("第1条")).page == 3


def flate_bomb_pdf(inflated: int, indirect_filter: bool = False) -> bytes:
    """One page whose content stream says Hello and then inflates to ``inflated`` bytes of zeros
    (``indirect_filter``: its /Filter is a reference to another object, as PDF allows)."""
    co = zlib.compressobj(9)
    head = co.compress(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n")
    segment = co.compress(b"\0" * (1 << 24)) + co.flush(zlib.Z_FULL_FLUSH)
    stream = head + co.flush(zlib.Z_FULL_FLUSH) + segment * (inflated >> 24) + co.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>"),
               b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), b"6 0 R" if indirect_filter else b"/FlateDecode")
               + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b"/FlateDecode"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_flate_bomb_is_refused_before_pdfium_inflates_it(tmp_path):
    """A 2 MB PDF whose content stream inflates to 2 GiB took PDFium 5 GB of memory and 9 s."""
    for indirect in (False, True):
        small = tmp_path / "small.pdf"
        small.write_bytes(flate_bomb_pdf(1 << 24, indirect))  # the control: 16 MiB inflated is within the limit
        assert ingest.load(str(small)).text == "Hello"
        path = tmp_path / f"bomb-{indirect}.pdf"
        path.write_bytes(flate_bomb_pdf(2 * GIB, indirect))
        assert path.stat().st_size < 4_000_000
        run = run_bounded("check", str(path))
        message = one_error(run, path)
        assert "PDF の圧縮ストリームを展開すると大きすぎます" in message and "--limit unpacked=" in message
        assert run.rss_mb < MAX_RSS_MB and run.seconds < 20, (run.rss_mb, run.seconds)


def test_pdf_with_more_text_than_the_character_limit_stops_early(tmp_path):
    path = make_pdf(tmp_path / "long.pdf", [["乙は秘密を守る。" * 8] * 40] * 20)
    doc = ingest.load(str(path))
    with limits.using(limits.Limits(chars=len(doc.text) // 2)), pytest.raises(InputError, match="--limit chars="):
        ingest.load(str(path))


# ------------------------------------------------------------------------------ size and characters

def test_text_past_the_byte_limit_is_refused_before_it_is_read(tmp_path):
    """A 60 GB file (sparse: it takes no disk) is refused from its size; reading it would take
    minutes and all the memory there is."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(CONTRACT.encode("utf-8"))
        f.truncate(60 * GIB)
    run = run_bounded("check", str(path), timeout=60)
    message = one_error(run, path)
    assert message == "ファイルが大きすぎます（61,440 MiB、上限 50 MiB。--limit bytes=… で変更できます）"
    assert run.rss_mb < MAX_RSS_MB and run.seconds < 10


def test_text_just_over_50_mib_and_just_under_with_too_many_characters(tmp_path):
    over = tmp_path / "over.txt"
    line = ("乙は、秘密情報を第三者に開示してはならない。" * 4 + "\n").encode("utf-8")
    over.write_bytes(line * (50 * 1_048_576 // len(line) + 1))
    assert over.stat().st_size > 50 * 1_048_576
    under = tmp_path / "under.txt"
    under.write_bytes(line * (49 * 1_048_576 // len(line)))
    run = run_bounded("check", str(over), str(under))
    assert run.exit_code == 2 and run.seconds < 30, run.seconds
    errors = dict(line.split(": ", 2)[1:] for line in run.stderr.strip().split("\n"))
    assert errors[str(over)] == "ファイルが大きすぎます（50 MiB、上限 50 MiB。--limit bytes=… で変更できます）"
    assert errors[str(under)].startswith("本文が長すぎます（17,") and "上限 2,000,000 文字。--limit chars=… で変更できます" \
        in errors[str(under)]
    assert run.rss_mb < 1000, run.rss_mb  # 49 MB read, decoded once: well under a gigabyte


def test_devices_and_named_pipes_are_refused_without_reading(tmp_path):
    """/dev/zero has size 0 and never ends; a named pipe blocks the open until a writer comes."""
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    run = run_bounded("check", "/dev/zero", str(fifo), timeout=30)
    assert run.exit_code == 2 and run.seconds < 10 and run.rss_mb < MAX_RSS_MB, (run.seconds, run.rss_mb)
    errors = dict(line.split(": ", 2)[1:] for line in run.stderr.strip().split("\n"))
    expected = "通常のファイルではありません（デバイス・名前付きパイプ・ソケットは読めません）"
    assert errors == {"/dev/zero": expected, str(fifo): expected}


def test_stdin_past_the_byte_limit_is_refused(tmp_path):
    run = run_bounded("check", "-", "--stdin-filename", "pipe.txt", input=b"a" * (51 * 1_048_576))
    assert one_error(run, "pipe.txt").startswith("ファイルが大きすぎます（50 MiB、上限 50 MiB")


# ------------------------------------------------------------------------------ NUL bytes

def _rules_found_in(text: str, tmp_path: Path) -> set[str]:
    """The rules the same contract gets as a clean UTF-8 .txt (the reference a damaged copy is held to)."""
    clean = tmp_path / "reference-clean.txt"
    clean.write_text(text, encoding="utf-8")
    _, data, _ = check_json(clean)
    return {f["rule_id"] for f in data["documents"][0]["findings"]}


def test_nul_bytes_in_text(tmp_path):
    padded = tmp_path / "padded.txt"  # a stray NUL or two: still the contract
    padded.write_bytes(CONTRACT.encode("utf-8").replace("目的".encode(), "目的\x00".encode(), 1) + b"\x00")
    dense = tmp_path / "dense.txt"  # NULs all through it: a binary file
    dense.write_bytes(b"\x00".join(CONTRACT.encode("utf-8")[i:i + 20] for i in range(0, len(CONTRACT.encode()), 20)))
    mostly = tmp_path / "mostly.txt"
    mostly.write_bytes(b"\x00" * 1_000_000 + CONTRACT.encode("utf-8") + b"\x00" * 1_000_000)
    only = tmp_path / "only.txt"
    only.write_bytes(b"\x00" * 4096)
    result = run_cli("check", "--format", "json", *map(str, (padded, dense, mostly, only)))
    assert result.exit_code == 2
    errors = dict(line.split(": ", 2)[1:] for line in result.stderr.strip().split("\n"))
    assert set(errors) == {str(dense), str(mostly), str(only)}
    assert "バイナリファイル" in errors[str(dense)] and "バイナリファイル" in errors[str(mostly)]
    assert errors[str(only)] == "テキストとして読めません（NUL バイトばかりのファイルです）"
    report = json.loads(result.stdout)["documents"][0]
    assert report["path"] == str(padded) and report["status"] == "ok"
    assert {f["rule_id"] for f in report["findings"]} == _rules_found_in(CONTRACT, tmp_path)


# ------------------------------------------------------------------------------ misnamed files

def png_bytes() -> bytes:
    import base64

    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("label, data, expected", [
    ("png", png_bytes(), "ZIP 形式ではありません"),
    ("text", CONTRACT.encode("utf-8"), "ZIP 形式ではありません"),
    ("xlsx", xlsx_bytes(), "表計算"),
    ("encrypted docx", OLE + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512, "暗号化"),
    ("old doc", OLE + b"\x00" * 1024, ".doc"),
    ("plain zip", raw_zip([("notes.txt", b"\x03\x00", 0, 0)]), "ZIP ファイルです"),
    ("zero bytes", b"", "空"),
    ("truncated", docx_bytes()[:3000], "docx として読めません"),
    ("zip header only", b"PK\x03\x04", "docx として読めません"),
])
def test_something_else_behind_a_docx_name(tmp_path, label, data, expected):
    path = tmp_path / f"{label.replace(' ', '-')}.docx"
    path.write_bytes(data)
    assert expected in one_error(run_cli("check", str(path)), path)


def test_a_pdf_or_odt_behind_a_docx_name_is_read_as_what_it_is(tmp_path):
    pdf = make_pdf(tmp_path / "src.pdf", [CONTRACT.split("\n")])
    odt = tmp_path / "src.odt"
    odt.write_bytes(odt_bytes(
        ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
         + "".join(f"<text:p>{line}</text:p>" for line in CONTRACT.strip().split("\n"))
         + "</office:text></office:body></office:document-content>").encode("utf-8")))
    paths = []
    for src, name in ((pdf, "pdf.docx"), (odt, "odt.docx")):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(src.read_bytes())
    _, data, stderr = check_json(*paths)
    assert stderr == ""
    formats = [d["format"] for d in data["documents"]]
    assert formats == ["pdf", "odt"]
    expected = _rules_found_in(CONTRACT, tmp_path)
    assert expected
    for d in data["documents"]:
        assert d["status"] == "ok" and {f["rule_id"] for f in d["findings"]} == expected


# ------------------------------------------------------------------------------ empty and truncated

def test_empty_and_truncated_files(tmp_path, public_dir):
    real_docx = (public_dir / "oi-nda-ai.docx").read_bytes()
    pdf = make_pdf(tmp_path / "whole.pdf", [CONTRACT.split("\n")] * 3).read_bytes()
    cases = {
        "empty.txt": b"",
        "empty.md": b"",
        "empty.pdf": b"",
        "empty.rtf": b"",
        "empty.odt": b"",
        "zero.docx": b"",
        "truncated.docx": real_docx[: len(real_docx) // 3],
        "truncated-end.docx": real_docx[:-200],  # the central directory is gone
        "truncated.pdf": pdf[: len(pdf) // 2],
        "header-only.pdf": b"%PDF-1.7\n",
        "truncated.rtf": b"{\\rtf1\\ansi\\ansicpg932 {\\fonttbl",
    }
    paths = []
    for name, data in cases.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    result = run_cli("check", "--format", "json", *map(str, paths))
    assert result.exit_code == 2
    errors = dict(line.split(": ", 2)[1:] for line in result.stderr.strip().split("\n"))
    reports = {d["path"]: d for d in json.loads(result.stdout)["documents"]}
    assert set(reports) == set(map(str, paths))  # every file has its entry: nothing lost
    for path in map(str, paths):
        if reports[path]["status"] == "error":
            assert errors[path] == reports[path]["error"] and ingest.INTERNAL not in errors[path]
        else:  # PDFium repairs what it can of a truncated PDF: then it is a report
            assert path.endswith("truncated.pdf") and reports[path]["status"] in ("ok", "unrecognized")
    for name in ("empty.txt", "empty.md", "empty.pdf", "empty.rtf", "empty.odt", "zero.docx"):
        assert errors[str(tmp_path / name)] == "ファイルが空です（0 バイト）"
    assert "docx として読めません" in errors[str(tmp_path / "truncated.docx")]
    assert "docx として読めません" in errors[str(tmp_path / "truncated-end.docx")]
    assert "PDF として読めません" in errors[str(tmp_path / "header-only.pdf")]
    assert "RTF" in errors[str(tmp_path / "truncated.rtf")]


def test_public_corpus_still_reads_within_the_default_limits():
    """The guards refuse hostile files, not real ones: every public document reads as before."""
    for path in sorted(PUBLIC.glob("*.docx")):
        doc = ingest.load(str(path))
        assert "第1条" in doc.text or "第１条" in doc.text, path
