"""What one worker does: load the configuration and the rule pack once, then lint file after file.

The same code runs in the audit's own process (``--jobs 1``), in its worker processes and in the
Ray actors; the run's limits (``ndalint.limits``) are set in each of them, so that the readers and
the per-file time limit of ``lint_path`` (a SIGALRM timer in the main thread) apply there too.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from ndalint import limits as limits_mod
from ndalint.audit.cache import Cache
from ndalint.audit.discover import project
from ndalint.audit.outputs import summarise

DOCX_VIEW = "accepted"
#: A report that is an error and took at least this long (or the time limit) is not cached: a time
#: limit met on a loaded machine (the file's, or a user rule regex's per sentence) may not be met
#: on the next run. Unreadable files fail in milliseconds and are cached like any other result.
SLOW_ERROR_SECONDS = 1.0

#: The key of a row under which a worker sends its report along (taken out before the row is kept).
REPORT_FIELD = "_report"

_state: dict[str, Any] = {}


def timeout_message(seconds: float) -> str:
    """The error of a file past the time limit — the same words as ``ndalint.deadline`` uses for the
    soft limit inside the worker, so a file reads the same whichever of the two limits stopped it."""
    return f"時間内に終わりませんでした（上限 {seconds:g} 秒。--limit timeout=… で変更できます）"


def error_row(path: str, message: str) -> dict[str, Any]:
    return summarise({"path": path, "status": "error", "error": message}, cached=False)


def init_worker(config: str | None, isolated: bool, cache_root: str, use_cache: bool,
                limits: limits_mod.Limits | None = None, quiet_sigint: bool = True) -> None:
    """Once per worker: the run's limits, the configuration, the built-in rule pack and the cache."""
    if quiet_sigint:  # Ctrl-C is the parent's to handle; workers stop when it shuts them down
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    limits_mod.set_default(limits or limits_mod.DEFAULT)
    proj = project(config, isolated)
    _warm_up(proj._ruleset(()))  # the built-in pack, loaded now rather than on the first file
    _state.update(project=proj, cache=Cache(cache_root, use_cache))


#: A few lines linted once when a worker starts, so that what loads on first use (the tokenizer and
#: its dictionary, the GiNZA parser, the rules' compiled patterns) does not count against the time
#: limit of the first file that needs it. (Workers forked from the forkserver find the pipelines
#: loaded already: ``preload``.)
WARM_UP = ("秘密保持に関する誓約書\n\n第1条（秘密保持）\n私は、貴社の業務上知り得た一切の情報を、"
           "在職中及び退職後も第三者に開示しないことを誓約します。\n\n第2条（損害賠償）\n"
           "私は、本誓約書に違反したときは、貴社が被った一切の損害を賠償します。\n")


def _warm_up(engine: Any) -> None:
    from ndalint.ingest import load_bytes
    from ndalint.lint import lint_document
    from ndalint.nlp import PIPELINE

    try:
        PIPELINE.full  # noqa: B018 - loaded on the first dependency rule otherwise
        lint_document(load_bytes(WARM_UP.encode(), "warm-up.txt", ".txt"), engine)
    except Exception:  # noqa: BLE001, S110 - only an optimisation: the first file pays instead
        pass


def analyse(path: str, data: bytes | None = None, limits: limits_mod.Limits | None = None,
            ) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Lint one file (from ``data`` when given: the bytes the cache key was computed from) within
    ``limits`` (the file's: the run's, its configuration's ``[limits]``; default: the worker's);
    returns its row and the report to cache (None when it must not be cached). Never raises."""
    from ndalint import ingest
    from ndalint.lint import lint_path

    limits = limits or limits_mod.current()
    start = time.monotonic()
    try:
        plan = _state["project"].plan(path)
        if data is None:
            load: Callable[[str], Any] = partial(ingest.load, docx_view=DOCX_VIEW)
        else:
            def load(p: str) -> Any:
                return ingest.load_bytes(data, p, _suffix(p), docx_view=DOCX_VIEW)
        with limits_mod.using(limits):  # lint_path's timer and the readers' bounds
            report = lint_path(path, plan.engine, load, plan.overrides)
        report_data = report.model_dump(mode="json")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop an audit of thousands
        return error_row(path, f"内部エラー: {type(exc).__name__}: {exc}"), None
    elapsed = time.monotonic() - start
    timeout = limits.timeout
    failed = report_data.get("status") == "error"
    if failed and 0 < timeout <= elapsed:
        # the time limit stopped it, whatever the words: a reader that wraps every exception of
        # its parser ("broken Word document: TimeLimit") must not call a slow file a broken one
        report_data["error"] = timeout_message(timeout)
    slow = elapsed >= SLOW_ERROR_SECONDS or (timeout > 0 and elapsed >= timeout * 0.9)
    cacheable = not (failed and slow)
    return summarise(report_data, cached=False), report_data if cacheable else None


def _suffix(path: str) -> str:
    from pathlib import Path

    return Path(path).suffix


def lint_one(path: str, key: str | None, limits: limits_mod.Limits | None = None) -> dict[str, Any]:
    """Lint one file, store its report in the cache, return its row; never raises. Without a cache
    the report goes along with the row (REPORT_FIELD), so that the audit can render the pages of
    the worst documents without linting them again."""
    row, report = analyse(path, None, limits)
    if report is not None:
        if _state["cache"].enabled:
            if key is not None:
                _state["cache"].put(key, report)
        elif row["status"] == "ok":
            row[REPORT_FIELD] = report
    return row
