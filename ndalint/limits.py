"""The bounds every input is read within: bytes, characters, pages, unpacked size, time.

A file past a bound is an input error for that file (one line, exit 2 for it), never a hang or an
exhausted machine. The defaults suit contracts, which are short; an archive of scanned 500-page
annexes may raise them. They are set per run — ``--limit pages=5000`` on the command line,
``[tool.ndalint.limits]`` in a configuration file, ``Settings`` of the server — and the readers
ask ``current()``, so that the bounds reach deep readers (PDF pages, zip members) without being
threaded through every signature.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace

MIB = 1_048_576


@dataclass(frozen=True)
class Limits:
    bytes: int = 50 * MIB  # size of the file as stored
    chars: int = 2_000_000  # characters of text read from it
    pages: int = 2_000  # PDF pages
    unpacked: int = 200 * MIB  # total size of a .docx/.odt's parts once unzipped (zip bombs)
    timeout: float = 300.0  # seconds to read and lint one file (0: no limit)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def with_values(self, values: dict[str, object]) -> Limits:
        """A copy with ``values`` (name -> number, as read from a command line or a file); raises
        ValueError naming the problem."""
        changes: dict[str, object] = {}
        for name, raw in values.items():
            if name not in self.names():
                raise ValueError(f"unknown limit '{name}'; use one of {', '.join(self.names())}")
            kind = float if name == "timeout" else int
            try:
                value = kind(raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise ValueError(f"limit {name} must be a number, not {raw!r}") from None
            if value < 0 or (value == 0 and name != "timeout"):
                raise ValueError(f"limit {name} must be positive")
            changes[name] = value
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT = Limits()
_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar("ndalint_limits", default=DEFAULT)


def current() -> Limits:
    return _CURRENT.get()


@contextlib.contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def set_default(limits: Limits) -> None:
    """For worker processes: the run's limits for everything they read."""
    _CURRENT.set(limits)
