"""The audit run: cached files first (in this process, no worker started for them), the rest in a
pool of worker processes that each load the rule pack once; results stream back as they finish."""

from __future__ import annotations

import os
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TextIO

from ndalint.audit.cache import Cache, Keys
from ndalint.audit.dashboard import worst
from ndalint.audit.discover import discover, project
from ndalint.audit.outputs import summarise, totals_of, write_outputs

DOCX_VIEW = "accepted"

# -- the worker ----------------------------------------------------------------------------------

_state: dict[str, Any] = {}


def init_worker(config: str | None, isolated: bool, cache_root: str, use_cache: bool, quiet_sigint: bool = True) -> None:
    """Once per worker: the configuration, the built-in rule pack and the cache."""
    if quiet_sigint:  # Ctrl-C is the parent's to handle; workers stop when it shuts the pool down
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    proj = project(config, isolated)
    proj._ruleset(())  # the built-in pack, loaded now rather than on the first file
    _state.update(project=proj, cache=Cache(cache_root, use_cache))


def lint_one(path: str, key: str | None) -> dict[str, Any]:
    """Lint one file and store its report; never raises (an unexpected failure is an error row)."""
    from functools import partial

    from ndalint import ingest
    from ndalint.lint import lint_path

    try:
        plan = _state["project"].plan(path)
        report = lint_path(path, plan.engine, partial(ingest.load, docx_view=DOCX_VIEW), plan.overrides)
        data = report.model_dump(mode="json")
        if key is not None:
            _state["cache"].put(key, data)
        return summarise(data, cached=False)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop an audit of thousands
        return summarise({"path": path, "status": "error", "error": f"内部エラー: {type(exc).__name__}: {exc}"},
                         cached=False)


# -- progress ------------------------------------------------------------------------------------

class Progress:
    """``  120/2000 files (35 cached)  41.3 files/s  ETA 0:45`` rewritten in place with \\r on a
    terminal; nothing at all when stderr is piped or a file."""

    def __init__(self, total: int, cached: int, stream: TextIO | None) -> None:
        self.total, self.cached, self.stream = total, cached, stream
        self.start = time.monotonic()
        self.last = 0.0
        self.done = 0

    def step(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self.stream is None or (now - self.last < 0.1 and self.done < self.total):
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-6)
        eta = int((self.total - self.done) / rate) if rate > 0 else 0
        cached = f" (+{self.cached} cached)" if self.cached else ""
        self.stream.write(f"\r{self.done}/{self.total} files{cached}  {rate:.1f} files/s  "
                          f"ETA {eta // 60}:{eta % 60:02d}\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.done:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _terminal() -> TextIO | None:
    err = sys.stderr
    return err if err.isatty() and os.environ.get("TERM") != "dumb" else None


# -- the run -------------------------------------------------------------------------------------

@dataclass
class AuditResult:
    documents: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)

    def summary_line(self) -> str:
        t = self.totals
        return (f"{t['documents']} documents, {t['findings']} findings, {t['errors']} errors, {t['seconds']:.2f} s"
                f" ({t['cached']} cached, {t['analysed']} analysed)")


def audit(directory: str, out: str, jobs: int | None = None, use_cache: bool = True, config: str | None = None,
          isolated: bool = False, progress: bool = True) -> AuditResult:
    start = time.monotonic()
    proj = project(config, isolated)
    paths = discover(directory, proj)
    if not paths:
        return AuditResult()  # the command says so (exit 2); nothing written
    keys = Keys(proj, options=f"docx-view={DOCX_VIEW}")
    store = Cache(out, use_cache)
    rows: dict[str, dict[str, Any]] = {}
    todo: list[tuple[str, str | None]] = []
    path_keys: dict[str, str] = {}  # content key of every readable file, computed once
    for path in paths:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            todo.append((path, None))  # the worker reports why it cannot be read
            continue
        key = path_keys[path] = keys.key(path, data)
        hit = store.get(key)
        if hit is not None:
            rows[path] = summarise({**hit, "path": path}, cached=True)
        else:
            todo.append((path, key))

    bar = Progress(len(todo), len(rows), _terminal() if progress else None)
    jobs = max(1, jobs or os.cpu_count() or 1)
    try:
        if todo and (jobs == 1 or len(todo) == 1):
            init_worker(config, isolated, out, use_cache, quiet_sigint=False)
            for path, key in todo:
                rows[path] = lint_one(path, key)
                bar.step()
        elif todo:
            _pool(todo, min(jobs, len(todo)), (config, isolated, out, use_cache), rows, bar)
    finally:
        bar.close()
    store.prune()

    documents = [rows[p] for p in paths]
    _worst_reports(documents, path_keys, out, proj)
    result = AuditResult(documents, totals_of(documents, time.monotonic() - start))
    write_outputs(out, documents, result.totals)
    return result


REPORTS = "reports"


def _worst_reports(documents: list[dict[str, Any]], keys: dict[str, str], out: str, proj: Any) -> None:
    """The full HTML report (the contract with its findings in place) of the documents the
    dashboard lists as worst, named by content key: a later run over unchanged files finds them
    written and links them without linting again. Only these few: a page per file of an archive
    of thousands would cost more than the audit."""
    from ndalint import __version__, ingest
    from ndalint.fsutil import write_atomic
    from ndalint.lint import lint_path
    from ndalint.report import render
    from ndalint.report.model import Report, Tool

    for row in worst(documents):
        key = keys.get(row["path"])
        if not key:
            continue
        name = f"{REPORTS}/{key[:32]}.html"
        target = os.path.join(out, name)
        if not os.path.exists(target):
            plan = proj.plan(row["path"])
            doc = lint_path(row["path"], plan.engine, partial(ingest.load, docx_view=DOCX_VIEW), plan.overrides)
            if doc.error:
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            page = render(Report(tool=Tool(version=__version__), documents=[doc], rules=proj.rules_info()), "html")
            write_atomic(target, page)
        row["report"] = name


def _pool(todo: list[tuple[str, str | None]], jobs: int, init_args: tuple, rows: dict[str, dict[str, Any]],
          bar: Progress) -> None:
    """Keep at most 4 × jobs files in flight (a queue of 100,000 futures helps no one), take each
    result as it completes; a worker that dies is an error row for the files it held."""
    pending: dict[Future, str] = {}
    queue = iter(todo)
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=init_worker, initargs=init_args)
    try:
        def fill() -> None:
            for path, key in queue:
                try:
                    pending[executor.submit(lint_one, path, key)] = path
                except BrokenProcessPool:  # the pool is gone: the rest are errors, not a traceback
                    rows[path] = _crashed(path)
                    bar.step()
                    continue
                if len(pending) >= 4 * jobs:
                    break

        fill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                path = pending.pop(fut)
                try:
                    rows[path] = fut.result()
                except BrokenProcessPool:
                    rows[path] = _crashed(path)
                bar.step()
            fill()
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: what is cached stays cached
        raise
    executor.shutdown(wait=True)


def _crashed(path: str) -> dict[str, Any]:
    return summarise({"path": path, "status": "error", "error": "内部エラー: ワーカープロセスが異常終了しました"},
                     cached=False)
