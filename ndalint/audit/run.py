"""The audit run: cached files first (in this process, no worker started for them), the rest in
workers that each load the rule pack once (``pool``: processes; ``ray_engine``: Ray actors); results
stream back as they finish. Every file ends as a row: its result, or an error row that says why
(unreadable, not a regular file, past a limit, past the time limit, a worker that died on it twice).
"""

from __future__ import annotations

import bisect
import contextlib
import os
import stat
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TextIO

from ndalint import limits as limits_mod
from ndalint.audit.cache import Cache, Keys
from ndalint.audit.dashboard import WORST, worst
from ndalint.audit.discover import discover, project, skipped_entries
from ndalint.audit.outputs import summarise, totals_of, write_outputs
from ndalint.audit.pool import LocalBackend, Stats, Task, run_tasks
from ndalint.audit.worker import DOCX_VIEW, REPORT_FIELD, error_row, init_worker, lint_one

__all__ = ["DOCX_VIEW", "AuditResult", "Progress", "audit", "init_worker", "lint_one"]
ENGINES = ("local", "ray")


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
    #: what the walk left out and why (a symbolic link to a directory, a directory it cannot list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    #: what happened to the workers (started, killed past the time limit, crashed, retried)
    stats: Stats = field(default_factory=Stats)

    def summary_line(self) -> str:
        t = self.totals
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        return (f"{t['documents']} documents, {t['findings']} findings, {t['errors']} errors, {t['seconds']:.2f} s"
                f" ({t['cached']} cached, {t['analysed']} analysed{skipped})")


def audit(directory: str, out: str, jobs: int | None = None, use_cache: bool = True, config: str | None = None,
          isolated: bool = False, progress: bool = True, *, limits: limits_mod.Limits | None = None,
          engine: str = "local", ray_address: str | None = None) -> AuditResult:
    """Audit every file under ``directory`` into ``out``.

    ``limits`` bound each file (``timeout``: seconds per file, 0 for none). A configuration file's
    ``[limits]`` applies to the files it configures, as in ``check``; the values of ``limits`` that
    differ from the defaults win over it, as ``--limit`` does. ``engine`` is "local" (worker
    processes) or "ray" (Ray actors: on the cluster at ``ray_address``, else on a local instance
    started for the run, or on the one this process is already connected to).

    Worker processes fork from a forkserver, which imports the main module of a script that calls
    this function: such a script needs the ``if __name__ == "__main__":`` guard."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    lim = limits or limits_mod.DEFAULT
    with limits_mod.using(lim):
        return _audit(directory, out, jobs, use_cache, config, isolated, progress, lim, engine, ray_address)


def _audit(directory: str, out: str, jobs: int | None, use_cache: bool, config: str | None, isolated: bool,
           progress: bool, lim: limits_mod.Limits, engine: str, ray_address: str | None) -> AuditResult:
    start = time.monotonic()
    proj = project(config, isolated)
    paths = discover(directory, proj)
    if not paths:
        return AuditResult()  # the command says so (exit 2); nothing written
    skipped = skipped_entries(directory)
    # the bounds decide a report as much as the rules do (a file past one is an error): part of the key
    bounds = ",".join(f"{name}={getattr(lim, name)}" for name in lim.names() if name != "timeout")
    keys = Keys(proj, options=f"docx-view={DOCX_VIEW};limits={bounds}")
    limits_of = _file_limits(proj, lim)
    store = Cache(out, use_cache)
    keeper = _Worst()
    rows = _Rows(keeper)
    todo: list[Task] = []
    path_keys: dict[str, str] = {}  # content key of every readable file, computed once
    for path in paths:
        file_limits = limits_of(path)
        with limits_mod.using(file_limits):
            data, row = _read(path, file_limits.bytes)
        if row is not None:
            rows[path] = row
            continue
        if data is None:
            todo.append(Task(path, None, file_limits))
            continue
        key = path_keys[path] = keys.key(path, data)
        hit = store.get(key)
        hit_row = _cached_row(hit, path) if hit is not None else None
        if hit_row is not None:
            rows[path] = hit_row
            keeper.offer(hit_row, hit)  # type: ignore[arg-type]
        else:
            todo.append(Task(path, key, file_limits))

    bar = Progress(len(todo), len(paths) - len(todo), _terminal() if progress else None)
    stats = Stats()
    in_process = threading.current_thread() is threading.main_thread()  # where the SIGALRM timer works
    ray_backend = None
    try:
        try:
            if todo and engine == "ray":
                from ndalint.audit.ray_engine import RayBackend

                ray_backend = RayBackend(config, isolated, lim, store, ray_address, jobs)
                stats = run_tasks(ray_backend, todo, ray_backend.jobs, lim.timeout, rows, bar.step)
                stats.pids = ray_backend.pids
            elif todo and in_process and (max(1, jobs or os.cpu_count() or 1) == 1 or len(todo) == 1):
                init_worker(config, isolated, out, use_cache, lim, quiet_sigint=False)
                for task in todo:  # the soft limit only (lint_path's timer): C code here runs to its end
                    rows[task.path] = lint_one(task.path, task.key, task.limits)
                    stats.sent += 1
                    bar.step()
            elif todo:
                jobs = max(1, jobs or os.cpu_count() or 1)
                backend = LocalBackend((config, isolated, out, use_cache, lim))
                stats = run_tasks(backend, todo, jobs, lim.timeout, rows, bar.step)
                stats.pids = backend.pids
        finally:
            bar.close()
        store.prune()

        documents = [rows[p] for p in paths]
        _worst_reports(documents, path_keys, out, proj, store, limits_of, keeper)
        result = AuditResult(documents, totals_of(documents, time.monotonic() - start, len(skipped)), skipped, stats)
        write_outputs(out, documents, result.totals, skipped)
        return result
    finally:
        if ray_backend is not None:  # once the files are written: Ray's teardown cannot cost them
            ray_backend.disconnect()


def _file_limits(proj: Any, run: limits_mod.Limits) -> Any:
    """path -> its Limits: the defaults, then its configuration's ``[limits]``, then what the run
    sets apart from the defaults (the command line's --limit)."""
    given = {name: getattr(run, name) for name in run.names() if getattr(run, name) != getattr(limits_mod.DEFAULT, name)}
    memo: dict[Any, limits_mod.Limits] = {}

    def of(path: str) -> limits_mod.Limits:
        cfg = proj.config_for(path)
        key = cfg.path if cfg is not None else None
        if key not in memo:
            configured = getattr(cfg.settings, "limits", None) or {} if cfg is not None else {}
            memo[key] = limits_mod.DEFAULT.with_values(configured).with_values(given)
        return memo[key]

    return of


_KINDS = ((stat.S_ISFIFO, "名前付きパイプ"), (stat.S_ISSOCK, "ソケット"), (stat.S_ISCHR, "キャラクタデバイス"),
          (stat.S_ISBLK, "ブロックデバイス"), (stat.S_ISDIR, "ディレクトリ"))


def _read(path: str, max_bytes: int) -> tuple[bytes | None, dict[str, Any] | None]:
    """The bytes of a regular file within the size limit, or the error row of one that cannot be
    read. Never blocks and never reads without end: a FIFO, a socket or a device (/dev/zero behind a
    symbolic link) is an error row without being opened; a file replaced by one between the check
    and the open is seen by the check after it (the open does not wait for a FIFO's writer)."""
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode) and st.st_size <= max_bytes:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
            with open(fd, "rb", closefd=True) as fh:
                st = os.fstat(fd)
                if stat.S_ISREG(st.st_mode) and st.st_size <= max_bytes:
                    return fh.read(max_bytes + 1), None
    except OSError:
        pass
    else:
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)), "特殊ファイル")
            return None, error_row(path, f"通常のファイルではありません（{kind}）。読まずに飛ばしました")
    return None, _unreadable(path)


def _unreadable(path: str) -> dict[str, Any] | None:
    """The error row of a file that could not be read, in the words ``check`` uses (the reader's
    own check); None if it can be read after all (a worker then reads it)."""
    from ndalint import ingest
    from ndalint.errors import InputError

    try:
        ingest.read_bytes(path)
    except InputError as exc:
        return error_row(path, str(exc))
    except Exception as exc:  # noqa: BLE001
        return error_row(path, f"内部エラー: {type(exc).__name__}: {exc}")
    return None


def _cached_row(report: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The row of a cache entry, or None (a miss) when the entry is not a report after all."""
    try:
        row = summarise({**report, "path": path}, cached=True)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    return row if isinstance(row["status"], str) else None


REPORTS = "reports"


class _Worst:
    """The reports of the documents that rank worst so far (the dashboard's order), at most WORST:
    what the reports/ pages are rendered from without linting again, cache or no cache."""

    def __init__(self) -> None:
        self.ranked: list[tuple[tuple[int, int, str], dict[str, Any]]] = []

    def offer(self, row: dict[str, Any], report: dict[str, Any]) -> None:
        if row["status"] != "ok" or row["score"] is None:
            return
        rank = (-row["score"], -row["findings"], row["path"])
        if len(self.ranked) >= WORST and rank >= self.ranked[-1][0]:
            return
        bisect.insort(self.ranked, (rank, report), key=lambda item: item[0])
        del self.ranked[WORST:]

    def get(self, path: str) -> dict[str, Any] | None:
        return next((report for (_, _, p), report in self.ranked if p == path), None)


class _Rows(dict):
    """The rows of the run; a report a worker sends along with its row (no cache to read it back
    from) goes to the keeper of the worst, never into the row."""

    def __init__(self, keeper: _Worst) -> None:
        super().__init__()
        self.keeper = keeper

    def __setitem__(self, path: str, row: dict[str, Any]) -> None:
        report = row.pop(REPORT_FIELD, None)
        if report is not None:
            self.keeper.offer(row, report)
        super().__setitem__(path, row)


def _worst_reports(documents: list[dict[str, Any]], keys: dict[str, str], out: str, proj: Any, store: Cache,
                   limits_of: Any, keeper: _Worst) -> None:
    """The full HTML report (the contract with its findings in place) of the documents the
    dashboard lists as worst, named by content key: a later run over unchanged files finds them
    written and links them without linting again. Only these few: a page per file of an archive
    of thousands would cost more than the audit. The report comes from the run (or the cache) with
    the text read again (reading is cheap, linting is not)."""
    from ndalint import __version__, ingest
    from ndalint.fsutil import write_atomic
    from ndalint.report import render
    from ndalint.report.model import DocumentReport, Report, Tool

    rules_info = None
    for row in worst(documents):
        key = keys.get(row["path"])
        if not key:
            continue
        name = f"{REPORTS}/{key[:32]}.html"
        target = os.path.join(out, name)
        if not os.path.exists(target):
            doc = None
            cached = keeper.get(row["path"]) or store.get(key)
            with limits_mod.using(limits_of(row["path"])):
                if cached is not None:
                    with contextlib.suppress(Exception):  # a damaged entry: lint again below
                        doc = DocumentReport.model_validate({**cached, "path": row["path"]})
                        doc.text = ingest.load(row["path"], docx_view=DOCX_VIEW).text
                if doc is None:
                    from ndalint.lint import lint_path

                    plan = proj.plan(row["path"])
                    doc = lint_path(row["path"], plan.engine, partial(ingest.load, docx_view=DOCX_VIEW), plan.overrides)
            if doc.error:
                continue
            if rules_info is None:
                rules_info = proj.rules_info()
            os.makedirs(os.path.dirname(target), exist_ok=True)
            page = render(Report(tool=Tool(version=__version__), documents=[doc], rules=rules_info), "html")
            write_atomic(target, page)
        row["report"] = name
