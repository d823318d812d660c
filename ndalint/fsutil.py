"""File output that never leaves a half-written report behind."""

from __future__ import annotations

import os
import tempfile

from ndalint.errors import OutputError


def write_atomic(path: str, content: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place; raise OutputError (one
    line for the user) when that cannot be done. Nothing is left behind on failure."""
    try:
        _write_atomic(path, content)
    except OSError as exc:
        raise OutputError(f"{path}: 書き込めません（{exc.strerror or type(exc).__name__}）") from None


def _write_atomic(path: str, content: str | bytes) -> None:
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ndalint-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
