"""``ndalint serve``: the linter behind an upload page and a JSON API, on the user's own machine.

``app.create_app`` builds the ASGI app; ``run`` serves it with uvicorn. The web stack (FastAPI,
uvicorn, python-multipart) is the optional extra ``ndalint[serve]``.
"""

from __future__ import annotations

import logging
import sys

from ndalint.limits import DEFAULT as DEFAULT_LIMITS
from ndalint.limits import Limits


def run(host: str, port: int, max_upload_mb: int, workers: int, queue: int, timeout: float,
        upload_timeout: float = 60.0, limits: Limits | None = None) -> None:
    """``limits``: the bounds for every upload (``--limit``); their timeout is ``timeout``."""
    import uvicorn

    from ndalint.serve.app import Settings, create_app
    from ndalint.serve.protocol import with_header_deadline

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("ndalint.serve")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    settings = Settings(max_upload_mb=max_upload_mb, workers=workers, queue=queue, timeout=timeout,
                        upload_seconds=upload_timeout, limits=limits or DEFAULT_LIMITS)
    app = create_app(settings)
    # uvicorn's own access log is off: ours (app.py) says the same without query strings. Connections
    # beyond limit_concurrency get 503 from uvicorn itself, before any body is read
    # a client gets --upload-timeout for its headers too (uvicorn alone would wait for them forever)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", server_header=False,
                http=with_header_deadline(settings.upload_seconds),
                # keep-alive well past Retry-After: a client retrying a 503 on its pooled connection
                # must not meet the server closing it
                limit_concurrency=max(64, 4 * (workers + queue)), timeout_keep_alive=max(15, 3 * settings.retry_after))
