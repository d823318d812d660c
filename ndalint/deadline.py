"""A time limit around reading and linting one file, so that one pathological file cannot stall
a batch: past the limit the file is an input error (exit 2 for it) and the run goes on.

A real-time interval timer raises ``TimeLimit`` in the main thread. That interrupts Python code
anywhere in the pipeline; C code (a regex) runs to its end first, which is why the regexes of
user rules have their own time limit (``rules/matchers.py``) and the audit and the server also
watch their workers from outside. Outside the main thread (or without SIGALRM) there is no timer,
and the callers that run there (the server's and the audit's workers) have their own watchdogs.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from ndalint.errors import InputError


class TimeLimit(InputError):
    """The file took longer than the run's time limit."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):  # noqa: ARG001
        raise TimeLimit(f"時間内に終わりませんでした（上限 {seconds:g} 秒。--limit timeout=… で変更できます）")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
