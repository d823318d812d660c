"""The web app: an upload page, the HTML report, and a JSON API, all on one ASGI app (FastAPI).

Routes
- ``GET /``: the upload page (file picker, drag and drop, pasted text), in Japanese
- ``POST /check``: the form's target; answers the HTML report (the ``--format html`` renderer) with
  downloads of the JSON and SARIF reports and, for a .docx, the Word review copy
- ``POST /api/v1/check``: multipart ``file`` (or ``text``) or JSON ``{"text": …}``; the JSON report
  contract (``ndalint.report/1``), or ``?format=sarif|html``
- ``GET /api/v1/rules``, ``GET /healthz``, ``GET /openapi.json``, ``GET /docs``

Uploads are read into memory (``uploads``), analysed in worker processes (``pool``) and dropped
with the response. The log carries sizes, timings, formats and rule ids — never a file name or a
word of the document (``security``).
"""

from __future__ import annotations

import base64
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from importlib import resources

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ndalint import __version__
from ndalint.limits import DEFAULT as DEFAULT_LIMITS
from ndalint.limits import MIB, Limits
from ndalint.serve import pages
from ndalint.serve.analysis import Job, Result
from ndalint.serve.pool import Busy, Pool, TimedOut
from ndalint.serve.security import SecurityHeaders
from ndalint.serve.uploads import UploadError, read_upload
from ndalint.structure.kinds import KINDS

log = logging.getLogger("ndalint.serve")

SUFFIXES = (".docx", ".pdf", ".txt", ".md", ".markdown", ".text", ".rtf", ".odt")
PARTY_KINDS = ("individual", "company")
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Settings:
    max_upload_mb: int = 10
    workers: int = 1
    queue: int = 8  # jobs that may wait for a worker before the server answers 503
    timeout: float = 60.0  # seconds one analysis may take
    retry_after: int = 5
    upload_seconds: float = 60.0  # a client must have sent its whole upload within this (else 408)
    #: the bounds every upload is read within (``serve --limit``), applied in the worker for each job.
    #: Their ``timeout`` is not used: ``timeout`` above is the one per-job time limit (``--limit
    #: timeout=`` sets it); ``bytes`` below the upload limit lowers the upload limit (413)
    limits: Limits = DEFAULT_LIMITS

    @property
    def upload_limit(self) -> int:
        return min(self.max_upload_mb * MIB, self.limits.bytes)

    @property
    def job_limits(self) -> Limits:
        return replace(self.limits, timeout=self.timeout)


class Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def create_app(settings: Settings = Settings(), pool: Pool | None = None) -> FastAPI:
    pool = pool or Pool(settings.workers, settings.queue, settings.timeout)
    limit, job_limits = settings.upload_limit, settings.job_limits

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool.start()
        log.info("ready: %d worker(s), queue %d, upload limit %d bytes, limits %s", pool.workers, pool.queue, limit,
                 " ".join(f"{k}={v}" for k, v in vars(job_limits).items()))
        yield
        pool.stop()

    app = FastAPI(title="ndalint", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="日本語の秘密保持契約書・誓約書・参加規約のリスク検査（ndalint）の API。"
                              "アップロードされた文書はメモリ上でだけ処理され、保存も記録もされません。")
    app.state.pool = pool

    async def analyse(request: Request, outputs: frozenset[str]) -> tuple[Result, int]:
        upload = await read_upload(request, limit, settings.upload_seconds)
        suffix = "." + upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ".txt"
        if suffix not in SUFFIXES:
            raise Refused(415, f"この形式（{suffix}）には対応していません。.docx・.pdf・.txt・.md で送ってください")
        parties = []
        label, party_kind = (upload.first("party_label") or "").strip(), (upload.first("party_kind") or "").strip()
        stated = upload.fields.get("party", []) + ([f"{label}={party_kind}"] if label or party_kind else [])
        for value in stated:
            label, _, kind = value.partition("=")
            if not label.strip() and not kind.strip():
                continue
            if not label.strip() or kind.strip() not in PARTY_KINDS:
                raise Refused(422, f"party は「乙=individual」の形で指定してください（{kind.strip() or '空'}）")
            parties.append((label.strip(), kind.strip()))
        kind = (upload.first("kind") or "").strip() or None
        if kind and kind not in (*KINDS, "other"):
            raise Refused(422, f"kind は {', '.join((*KINDS, 'other'))} のいずれかです")
        job = Job(upload.data, "upload" + suffix, tuple(parties), kind, outputs, job_limits)
        try:
            result = await pool.run(job)
        except Busy:
            raise Refused(503, "混み合っています。しばらくしてから再度お試しください",
                          {"Retry-After": str(settings.retry_after)}) from None
        except TimedOut:
            raise Refused(422, f"解析が時間内に終わりませんでした（上限 {settings.timeout:.0f} 秒）") from None
        except Exception as exc:  # noqa: BLE001 (a worker that died, a bug: the type goes to the log, never the message)
            log.error("analysis failed: %s", type(exc).__name__)
            raise Refused(500, "解析中にエラーが発生しました") from None
        if result.error:
            raise Refused(422, result.error)
        return result, len(upload.data)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        if request.url.path == "/check":
            return HTMLResponse(pages.upload_page(error=exc.message), exc.status, headers=exc.headers)
        return JSONResponse({"error": {"status": exc.status, "message": exc.message}}, exc.status, headers=exc.headers)

    @app.exception_handler(UploadError)
    async def upload_error(request: Request, exc: UploadError):
        return await refused(request, Refused(exc.status, exc.message))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.error("internal error %s on %s", type(exc).__name__, request.url.path)  # never the message: it may quote text
        return await refused(request, Refused(500, "内部エラーが発生しました"))

    @app.middleware("http")
    async def access_log(request: Request, call_next):
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception as exc:  # noqa: BLE001
            # answered here rather than by the handler above: Starlette re-raises after that one, and
            # uvicorn would log the traceback with the exception's message (which may quote the upload)
            response = await unexpected(request, exc)
        log.info("%s %s %d %.0f ms in=%s", request.method, request.url.path, response.status_code,
                 (time.perf_counter() - started) * 1000, request.headers.get("content-length", "-"))
        return response

    # outermost, so that every answer has the headers, the errors answered just above included
    app.add_middleware(SecurityHeaders)

    def _log(result: Result, size: int) -> None:
        log.info("analysed %s %d bytes in %.0f ms: %s, %d finding(s) %s", result.format, size, result.seconds * 1000,
                 result.status, len(result.findings), ",".join(sorted(set(result.findings))) or "-")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(pages.upload_page())

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request) -> HTMLResponse:
        result, size = await analyse(request, frozenset({"html", "json", "sarif", "docx"}))
        _log(result, size)
        downloads = {"json": ("ndalint-report.json", "application/json"),
                     "sarif": ("ndalint-report.sarif", "application/sarif+json"),
                     "docx": ("ndalint-review.docx", DOCX_MEDIA)}
        links = {fmt: (name, f"data:{media};base64,{base64.b64encode(_bytes(result.outputs[fmt])).decode()}")
                 for fmt, (name, media) in downloads.items() if fmt in result.outputs}
        return HTMLResponse(pages.report_page(str(result.outputs["html"]), links))

    @app.post("/api/v1/check", summary="契約書を検査する", responses={
        200: {"description": "JSON レポート（ndalint.report/1）"}, 413: {"description": "大きすぎるファイル"},
        415: {"description": "対応していない形式"}, 422: {"description": "読めないファイル・不正な指定"},
        503: {"description": "混雑（Retry-After）"}},
        openapi_extra={"requestBody": {"content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary", "description": ".docx .pdf .txt .md"},
                "text": {"type": "string", "description": "ファイルの代わりに本文"},
                "party": {"type": "array", "items": {"type": "string"}, "description": "乙=individual など"},
                "kind": {"type": "string", "enum": [*KINDS, "other"]}}}},
            "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                "text": {"type": "string"}, "filename": {"type": "string", "description": "拡張子で形式を示す（.md など）"},
                "parties": {"type": "object", "additionalProperties": {"type": "string", "enum": list(PARTY_KINDS)}},
                "kind": {"type": "string", "enum": [*KINDS, "other"]}}}}}}})
    async def check_api(request: Request, format: str = Query("json", pattern="^(json|sarif|html)$")) -> Response:
        result, size = await analyse(request, frozenset({format}))
        _log(result, size)
        media = {"json": "application/json", "sarif": "application/sarif+json", "html": "text/html; charset=utf-8"}[format]
        return Response(_bytes(result.outputs[format]), media_type=media)

    rules_json: list[str] = []  # the rule pack does not change while the server runs: built once

    @app.get("/api/v1/rules", summary="ルールの一覧")
    async def rules() -> Response:
        if not rules_json:
            from ndalint.rules import RuleSet
            from ndalint.rules.views import rules_table

            rules_json.append(rules_table(RuleSet.load(), "json"))
        return Response(rules_json[0], media_type="application/json")

    @app.get("/healthz", summary="稼働確認")
    async def healthz() -> dict[str, object]:
        return {"status": "ok", "version": __version__, "workers": pool.workers, "busy": pool.admitted,
                "capacity": pool.capacity}

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(pages.api_page(app.openapi()))

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        media = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}.get(name)
        if media is None:
            return JSONResponse({"error": {"status": 404, "message": "見つかりません"}}, 404)
        return Response(resources.files("ndalint.serve").joinpath("static", name).read_bytes(), media_type=media,
                        headers={"Cache-Control": "public, max-age=3600"})

    return app


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value
