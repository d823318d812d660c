"""Workers that can be killed: the scheduler of an audit and its process backend.

Each worker holds one file at a time, so the parent always knows which file a worker is on and
since when. That gives the two guarantees of a long audit:

- a time limit from outside: a worker that has not answered ``timeout + grace(timeout)`` seconds
  after it was handed a file is killed (C code — a parser, a tokenizer — cannot be interrupted by
  the SIGALRM timer inside the worker) and replaced; the file is an error row;
- a worker that dies (killed, out of memory, a crash in C) costs one retry of the file it held and
  nothing else: a new worker takes its place and the file goes back to the front of the queue; a
  file that kills a worker twice is an error row.

A backend starts, feeds, watches and kills workers: ``LocalBackend`` here (processes from a
forkserver, one pipe each), ``ray_engine.RayBackend`` (Ray actors).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from ndalint.audit.worker import error_row, init_worker, lint_one, timeout_message
from ndalint.limits import Limits

#: Seconds a worker may take to start (imports, rule pack) before it counts as a failed start.
STARTUP_SECONDS = 300.0
#: Workers that die before they are ready, one after the other, before the audit stops trying.
MAX_FAILED_STARTS = 3
CRASHED = "内部エラー: ワーカープロセスが異常終了しました"


def grace(timeout: float) -> float:
    """How long past the time limit the parent waits for the worker's own (soft) limit to answer."""
    return 2.0 + timeout / 10


@dataclass
class Task:
    path: str
    key: str | None
    limits: Limits | None = None  # the file's (None: the run's); its timeout is what the watchdog allows
    crashes: int = 0


@dataclass
class Event:
    kind: str  # "ready" | "result" | "died" | "init-error"
    slot: int
    row: dict[str, Any] | None = None
    message: str = ""


class Backend(Protocol):
    def start(self, slot: int) -> None: ...

    def send(self, slot: int, task: Task) -> None: ...

    def poll(self, timeout: float | None) -> list[Event]: ...

    def kill(self, slot: int) -> None: ...

    def close(self, abort: bool = False) -> None: ...


@dataclass
class Slot:
    state: str = "dead"  # dead | starting | idle | busy
    task: Task | None = None
    deadline: float = float("inf")


@dataclass
class Stats:
    """What happened to the workers of a run (shown by tests and the bench, not in the results)."""

    started: int = 0
    sent: int = 0  # files handed to a worker (a retried file counts twice)
    timed_out: int = 0  # killed by the parent's watchdog
    crashed: int = 0  # died while they held a file
    retried: int = 0  # files handed to a new worker after a crash
    failed_starts: int = 0
    pids: list[int] = field(default_factory=list)


def run_tasks(backend: Backend, tasks: list[Task], jobs: int, timeout: float, rows: dict[str, dict[str, Any]],
              step: Callable[[], None], stats: Stats | None = None) -> Stats:
    """Every task becomes a row in ``rows`` (its result, or an error row); returns what happened."""
    stats = stats or Stats()
    if not tasks:
        backend.close()
        return stats
    queue = deque(tasks)
    slots = [Slot() for _ in range(max(1, min(jobs, len(tasks))))]
    failed_in_a_row = 0
    last_failure = ""

    def finish(task: Task, row: dict[str, Any]) -> None:
        rows[task.path] = row
        step()

    def start(i: int) -> None:
        slots[i] = Slot("starting", deadline=time.monotonic() + STARTUP_SECONDS)
        backend.start(i)
        stats.started += 1

    def lost(i: int, message: str = "") -> None:
        """Slot i's worker is gone (died, failed to start, or killed): requeue or fail its file."""
        nonlocal failed_in_a_row, last_failure
        slot = slots[i]
        if slot.state == "starting":
            failed_in_a_row += 1
            stats.failed_starts += 1
            last_failure = message or last_failure
        task = slot.task
        slots[i] = Slot("dead")
        if task is not None:
            stats.crashed += 1
            task.crashes += 1
            if task.crashes >= 2:
                finish(task, error_row(task.path, f"{CRASHED}（この文書で {task.crashes} 回）"))
            else:
                stats.retried += 1
                queue.appendleft(task)

    ok = False
    try:
        for i in range(len(slots)):
            start(i)
        while queue or any(s.task is not None for s in slots):
            if failed_in_a_row >= MAX_FAILED_STARTS and not any(s.state != "dead" for s in slots):
                reason = f"（{last_failure}）" if last_failure else ""
                while queue:
                    task = queue.popleft()
                    finish(task, error_row(task.path, f"内部エラー: ワーカープロセスを起動できませんでした{reason}"))
                break
            for i, slot in enumerate(slots):
                if slot.state == "dead" and queue and failed_in_a_row < MAX_FAILED_STARTS:
                    start(i)
                elif slot.state == "idle" and queue:
                    task = queue.popleft()
                    limit = _timeout(task, timeout)
                    slots[i] = Slot("busy", task, time.monotonic() + limit + grace(limit) if limit > 0
                                    else float("inf"))
                    backend.send(i, task)
                    stats.sent += 1
            now = time.monotonic()
            next_deadline = min((s.deadline for s in slots), default=float("inf"))
            wait_for = None if next_deadline == float("inf") else max(0.0, next_deadline - now)
            for ev in backend.poll(wait_for):
                slot = slots[ev.slot]
                if ev.kind == "ready" and slot.state == "starting":
                    slots[ev.slot] = Slot("idle")
                    failed_in_a_row = 0
                elif ev.kind == "result" and slot.state == "busy" and slot.task is not None:
                    finish(slot.task, ev.row or error_row(slot.task.path, CRASHED))
                    slots[ev.slot] = Slot("idle")
                elif ev.kind in ("died", "init-error") and slot.state != "dead":
                    lost(ev.slot, ev.message)
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if slot.deadline > now:
                    continue
                backend.kill(i)
                if slot.state == "busy" and slot.task is not None:
                    stats.timed_out += 1
                    finish(slot.task, error_row(slot.task.path, timeout_message(_timeout(slot.task, timeout))))
                    slots[i] = Slot("dead")
                else:  # a worker that never became ready
                    lost(i, f"{STARTUP_SECONDS:g} 秒以内に起動しませんでした")
        ok = True
    finally:
        backend.close(abort=not ok)  # Ctrl-C or a failure of the parent: no waiting for anyone
    return stats


def _timeout(task: Task, default: float) -> float:
    return task.limits.timeout if task.limits is not None else default


# -- worker processes ----------------------------------------------------------------------------

def _die_with_parent() -> None:
    """Linux: the worker gets SIGKILL when the process that started it goes (the forkserver, which
    itself ends with the audit), so a killed audit leaves no worker behind."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def worker_main(conn: Connection, init_args: tuple, task: Callable[..., dict[str, Any]]) -> None:
    """A worker process: start, say so, then answer one file at a time until told to stop or the
    parent is gone (end of file on the pipe)."""
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent went before the death signal was asked for
        os._exit(0)
    try:
        init_worker(*init_args)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        with contextlib.suppress(Exception):
            conn.send(("init-error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        row = task(*msg)  # path, key, limits
        try:
            conn.send(("result", row))
        except OSError:
            return


def _context() -> Any:
    """Workers fork from a forkserver: started once, it holds no pipe of another worker (so a
    worker sees end of file when the audit dies) and no thread of the caller (Ray, a server); the
    imports of the pipeline are made there once and shared by every worker it forks."""
    try:
        ctx = multiprocessing.get_context("forkserver")
    except ValueError:  # no forkserver on this platform
        return multiprocessing.get_context("spawn")
    ctx.set_forkserver_preload(["ndalint.audit.preload"])
    return ctx


class LocalBackend:
    def __init__(self, init_args: tuple, task: Callable[..., dict[str, Any]] = lint_one) -> None:
        self.init_args, self.task = init_args, task
        self.ctx = _context()
        self.procs: dict[int, Any] = {}
        self.conns: dict[int, Connection] = {}
        self.pids: list[int] = []

    def start(self, slot: int) -> None:
        self.kill(slot)  # whatever is left of the slot's last worker (one that reported a failed start)
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=worker_main, args=(child, self.init_args, self.task), daemon=True,
                                name=f"ndalint-audit-{slot}")
        proc.start()
        child.close()
        self.procs[slot], self.conns[slot] = proc, parent
        self.pids.append(proc.pid)

    def send(self, slot: int, task: Task) -> None:
        with contextlib.suppress(OSError):  # a worker that just died: its sentinel says so next
            self.conns[slot].send((task.path, task.key, task.limits))

    def poll(self, timeout: float | None) -> list[Event]:
        by_conn = {conn: slot for slot, conn in self.conns.items()}
        by_sentinel = {self.procs[slot].sentinel: slot for slot in self.procs}
        if not by_sentinel:  # no worker to wait for (the scheduler starts one next)
            return []
        events: list[Event] = []
        dead: set[int] = set()
        for ready in wait([*by_conn, *by_sentinel], timeout):
            slot = by_conn.get(ready)  # type: ignore[call-overload]
            if slot is None:
                dead.add(by_sentinel[ready])  # type: ignore[index]
            elif slot not in dead and not self._receive(slot, events):
                dead.add(slot)
        for slot in sorted(dead):
            conn = self.conns.get(slot)
            while conn is not None and conn.poll(0) and self._receive(slot, events):  # its last answer
                pass
            proc = self.procs[slot]
            proc.join(1)
            self._forget(slot)
            code = proc.exitcode
            how = f"シグナル {-code}" if code is not None and code < 0 else f"終了コード {code}"
            events.append(Event("died", slot, message=how))
        return events

    def _receive(self, slot: int, events: list[Event]) -> bool:
        try:
            msg = self.conns[slot].recv()
        except (EOFError, OSError):
            return False
        if msg[0] == "ready":
            events.append(Event("ready", slot))
        elif msg[0] == "result":
            events.append(Event("result", slot, row=msg[1]))
        elif msg[0] == "init-error":
            events.append(Event("init-error", slot, message=msg[1]))
        return True

    def _forget(self, slot: int) -> None:
        self.procs.pop(slot, None)
        conn = self.conns.pop(slot, None)
        if conn is not None:
            conn.close()

    def kill(self, slot: int) -> None:
        proc = self.procs.get(slot)
        if proc is None:
            return
        with contextlib.suppress(OSError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.join(5)
        self._forget(slot)

    def close(self, abort: bool = False) -> None:
        for conn in self.conns.values():
            with contextlib.suppress(OSError):
                conn.send(None)
        deadline = time.monotonic() + (0 if abort else 5)
        for slot in list(self.procs):
            self.procs[slot].join(max(0.0, deadline - time.monotonic()))
            if self.procs[slot].is_alive():
                self.kill(slot)
            self._forget(slot)
