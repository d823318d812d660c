"""uvicorn's HTTP/1.1 protocol (h11) with a deadline on a request's headers.

uvicorn times a connection out only between requests (keep-alive), never before its first request
is complete: a client that connects and sends its headers a byte at a time, or nothing at all, holds
the connection for good. Since connections count against uvicorn's ``limit_concurrency``, 64 such
clients would have the server answer 503 to everyone for as long as they stay. Here a connection
whose request headers are not complete within the deadline is answered 408 and closed; the body has
its own deadline in the app (``uploads.read_body``).
"""

from __future__ import annotations

import asyncio
import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


def _answer(seconds: float) -> bytes:
    body = json.dumps({"error": {"status": 408, "message": f"リクエストが {seconds:g} 秒以内に届きませんでした"}},
                      ensure_ascii=False).encode("utf-8")
    return (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncache-control: no-store\r\n"
            b"x-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: %d\r\n\r\n" % len(body)) + body


def with_header_deadline(seconds: float) -> type[H11Protocol]:
    """An ``H11Protocol`` that closes a connection whose request headers take longer than ``seconds``
    (from the connection, or from the end of the previous response on a kept-alive one)."""
    answer = _answer(seconds)

    class HeaderDeadline(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def _arm(self, delay: float) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(delay, self._headers_expired)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm(seconds)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():  # the next request's headers (keep-alive closes idle ones)
                self._arm(max(seconds, self.timeout_keep_alive))

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _headers_expired(self) -> None:
            self._header_timer = None
            # h11 leaves IDLE once a request's headers are complete: after that the app's deadlines apply
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.write(answer)
                self.transport.close()

    return HeaderDeadline
