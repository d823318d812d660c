"""Request bodies -> an upload in memory, never on disk.

Starlette's form parser spools any file part over 1 MB to a temporary file; a contract must not
touch the disk, so the body is read here under a hard size limit and the multipart form is parsed
into bytes with python-multipart's push parser (the library Starlette itself builds on).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

#: the formats a page or API user may send (the design's list)
ACCEPTED_SUFFIXES = (".docx", ".pdf", ".txt", ".md")
#: Form fields (or multipart parts): the form has a handful. Without a bound, an upload of 8 MB of
#: empty fields costs the server process 400 MB and its event loop seconds. (The headers of a part
#: are bounded by python-multipart itself.)
MAX_FIELDS = 1000


class UploadError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Upload:
    data: bytes
    filename: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str | None:
        values = self.fields.get(name) or []
        return values[0] if values else None


async def read_body(request: Request, limit: int, seconds: float = 60.0) -> bytes:
    """The whole body, refusing (413) as soon as it exceeds ``limit`` bytes, and (408) a client that
    has not sent it within ``seconds`` (a slow client must not hold a connection and its buffer)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise UploadError(413, _too_large(limit))
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise UploadError(413, _too_large(limit))
                chunks.append(chunk)
    except TimeoutError:
        raise UploadError(408, f"アップロードが {seconds:g} 秒以内に届きませんでした") from None
    except ClientDisconnect:  # nobody is left to read the answer: an error for the log, not a crash
        raise UploadError(400, "アップロードが途中で切断されました") from None
    return b"".join(chunks)


def _too_large(limit: int) -> str:
    shown = f"{limit // 1_048_576} MB" if limit % 1_048_576 == 0 else f"{limit:,} バイト"
    return f"ファイルが大きすぎます（上限 {shown}）"


async def read_upload(request: Request, limit: int, seconds: float = 60.0) -> Upload:
    """A multipart form with a ``file`` part (or a ``text`` field), or JSON ``{"text": …}``."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype not in (b"multipart/form-data", b"application/x-www-form-urlencoded", b"application/json"):
        raise UploadError(415, "multipart/form-data（ファイル）・application/x-www-form-urlencoded（本文）・"
                               "application/json（本文）のいずれかで送ってください")
    body = await read_body(request, limit, seconds)
    if ctype == b"multipart/form-data":
        boundary = params.get(b"boundary")
        if not boundary:
            raise UploadError(400, "multipart/form-data に boundary がありません")
        return _from_form(body, boundary)
    if ctype == b"application/x-www-form-urlencoded":
        try:
            if body.count(b"&") >= MAX_FIELDS:
                raise UploadError(413, _too_many())
            # strict: a percent-escape that is not UTF-8 (%FF) is refused, not read as U+FFFD
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, errors="strict")
        except UnicodeDecodeError:
            raise UploadError(400, "フォームの内容を UTF-8 として読めません") from None
        upload = Upload(b"", "", fields)
        return _with_text(upload)
    if ctype == b"application/json":
        # the same for JSON: a body of 8 MB of tiny values (["a","a",…], [[],[],…]) parses into
        # 15-20 times its size. Separators are counted (C speed, nothing parsed): the JSON of a
        # contract is one long string, in which commas and brackets are rare
        if sum(map(body.count, (b",", b"[", b"{"))) > MAX_FIELDS + len(body) // 20:
            raise UploadError(413, "JSON の項目が多すぎます（本文は text の一つの文字列で送ってください）")
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[… nested past the stack
            raise UploadError(400, "JSON として読めません") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            raise UploadError(422, 'JSON は {"text": "契約書の本文"} の形で送ってください')
        fields = {"party": _strings(payload.get("parties")), "kind": _strings(payload.get("kind"))}
        name = payload.get("filename") if isinstance(payload.get("filename"), str) else "pasted.txt"
        for value in (payload["text"], name, *fields["party"], *fields["kind"]):
            try:  # "\ud800" is valid JSON and no character: it could not be encoded in the report
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UploadError(422, "JSON の文字列に対になっていないサロゲート（\\ud800 など）があります") from None
        # blank text is no text, as in the form (one message for both)
        data = payload["text"].encode("utf-8") if payload["text"].strip() else b""
        return _with_text(Upload(data, name, {k: v for k, v in fields.items() if v}))
    raise UploadError(415, "multipart/form-data（ファイル）・application/x-www-form-urlencoded（本文）・"
                           "application/json（本文）のいずれかで送ってください")


def _too_many() -> str:
    return f"フォームの項目が多すぎます（上限 {MAX_FIELDS:,} 個）"


class _TooMany(Exception):
    pass


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # {"乙": "individual"}
        return [f"{k}={v}" for k, v in value.items() if isinstance(k, str) and isinstance(v, str)]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _from_form(body: bytes, boundary: bytes) -> Upload:
    parts: list[dict] = []
    current: dict = {}
    header: list[bytes] = [b"", b""]

    def on_part_begin() -> None:
        if len(parts) >= MAX_FIELDS:
            raise _TooMany
        current.clear()
        current.update(headers={}, data=[])

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header[0] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header[1] += data[start:end]

    def on_header_end() -> None:
        current["headers"][header[0].lower()] = header[1]
        header[0] = header[1] = b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current["data"].append(data[start:end])

    def on_part_end() -> None:
        parts.append(dict(current))

    parser = MultipartParser(boundary, {"on_part_begin": on_part_begin, "on_header_field": on_header_field,
                                        "on_header_value": on_header_value, "on_header_end": on_header_end,
                                        "on_part_data": on_part_data, "on_part_end": on_part_end})
    try:
        parser.write(body)
        parser.finalize()
    except _TooMany:
        raise UploadError(413, _too_many()) from None
    except Exception:  # noqa: BLE001 (python-multipart raises several types for a malformed body)
        raise UploadError(400, "multipart/form-data として読めません") from None
    upload = Upload(b"", "")
    for part in parts:
        _, disposition = parse_options_header(part["headers"].get(b"content-disposition", b""))
        name = disposition.get(b"name", b"").decode("utf-8", "replace")
        data = b"".join(part["data"])
        if name == "file" and b"filename" in disposition:
            if data:
                upload.data = data
                upload.filename = disposition[b"filename"].decode("utf-8", "replace")
        elif name:
            upload.fields.setdefault(name, []).append(data.decode("utf-8", "replace"))
    return _with_text(upload)


def _with_text(upload: Upload) -> Upload:
    """Pasted text stands in for a file; neither is a 422."""
    if not upload.data:
        text = upload.first("text")
        if text and text.strip():
            upload.data, upload.filename = text.encode("utf-8"), "pasted.txt"
    if not upload.data:
        raise UploadError(422, "ファイルを選ぶか、本文を貼り付けてください")
    return upload
