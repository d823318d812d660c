"""``ndalint audit --engine ray``: the same audit with Ray actors as its workers.

One actor per worker loads the configuration and the rule pack once, in its constructor (a loaded
pipeline is never shipped through the object store). Each call carries a file's path and its
bytes — the very bytes the cache key was computed from, so a cluster whose nodes do not see the
driver's disk lints what the driver hashed — and returns the row and the report; the driver writes
the cache (OUT/.cache lives beside the driver). Cached files are never sent. The scheduler is the
local one (``pool.run_tasks``): one file per actor at a time, an actor that does not answer within
the time limit plus a grace period is killed and replaced, one that dies costs one retry.

Ray is optional: ``pip install 'ndalint[ray]'``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from ndalint.audit.pool import Event, Task
from ndalint.audit.worker import REPORT_FIELD
from ndalint.errors import ConfigError


class LintActor:
    """The body of the actor (made a Ray actor class by ``RayBackend``)."""

    def __init__(self, config: str | None, isolated: bool, limits: Any) -> None:
        from ndalint.audit.worker import init_worker

        # quiet_sigint=False: Ray manages its workers' signals; use_cache=False: the driver caches
        init_worker(config, isolated, "", False, limits, quiet_sigint=False)

    def ready(self) -> int:
        return os.getpid()

    def lint(self, path: str, data: bytes | None, limits: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
        from ndalint.audit.worker import analyse

        return analyse(path, data, limits)


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install 'ndalint[ray]'") from None
    return ray


class RayBackend:
    def __init__(self, config: str | None, isolated: bool, limits: Any, cache: Any, address: str | None,
                 jobs: int | None) -> None:
        ray = self.ray = _ray()
        self.started_ray = not ray.is_initialized()
        if self.started_ray:
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                       "logging_level": logging.ERROR, "configure_logging": True}
            address = address or os.environ.get("RAY_ADDRESS") or None  # ray.init reads it too
            if address is None:  # a local instance, as many CPUs as workers
                options["num_cpus"] = jobs or os.cpu_count() or 1
            try:
                ray.init(address=address, **options)
            except Exception as exc:  # noqa: BLE001 - no cluster there, a version mismatch, no resources
                where = f"the Ray cluster at {address}" if address else "a local Ray instance"
                raise ConfigError(f"--engine ray: cannot use {where}: {_first_line(exc)}") from None
        self.jobs = jobs or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.actor_class = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(LintActor)
        self.init = (config, isolated, limits)
        self.cache = cache
        self.actors: dict[int, Any] = {}
        self.refs: dict[Any, tuple[int, str, Task | None]] = {}  # object ref -> (slot, "ready" | "lint", task)
        self.pids: list[int] = []

    def start(self, slot: int) -> None:
        self.kill(slot)  # an actor left from a failed start
        actor = self.actor_class.remote(*self.init)
        self.actors[slot] = actor
        self.refs[actor.ready.remote()] = (slot, "ready", None)

    def send(self, slot: int, task: Task) -> None:
        try:
            with open(task.path, "rb") as fh:
                data: bytes | None = fh.read()
        except OSError:
            data = None  # the actor reads it and reports why it cannot, as a local worker would
        self.refs[self.actors[slot].lint.remote(task.path, data, task.limits)] = (slot, "lint", task)

    def poll(self, timeout: float | None) -> list[Event]:
        ray = self.ray
        if not self.refs:
            return []
        done, _ = ray.wait(list(self.refs), num_returns=1, timeout=timeout)
        if done:  # and whatever else is ready by now
            done, _ = ray.wait(list(self.refs), num_returns=len(self.refs), timeout=0)
        events: list[Event] = []
        for ref in done:
            slot, kind, task = self.refs.pop(ref)
            try:
                value = ray.get(ref)
            except ray.exceptions.RayActorError as exc:
                self._forget(slot)
                events.append(Event("died" if kind == "lint" else "init-error", slot, message=_first_line(exc)))
                continue
            except ray.exceptions.RayError as exc:  # the call itself failed: an error row for its file
                if kind == "ready":
                    self._forget(slot)
                    events.append(Event("init-error", slot, message=_first_line(exc)))
                else:
                    events.append(Event("result", slot, row=_error(task, exc)))
                continue
            if kind == "ready":
                self.pids.append(value)
                events.append(Event("ready", slot))
            else:
                row, report = value
                if report is not None:
                    if task is not None and task.key is not None:
                        self.cache.put(task.key, report)
                    if row["status"] == "ok":
                        row[REPORT_FIELD] = report  # for the pages of the worst documents
                events.append(Event("result", slot, row=row))
        return events

    def _forget(self, slot: int) -> None:
        self.actors.pop(slot, None)
        for ref in [r for r, (s, _, _) in self.refs.items() if s == slot]:
            del self.refs[ref]

    def kill(self, slot: int) -> None:
        actor = self.actors.get(slot)
        if actor is not None:
            with contextlib.suppress(Exception):
                self.ray.kill(actor, no_restart=True)
        self._forget(slot)

    def close(self, abort: bool = False) -> None:  # actors hold nothing worth waiting for
        for slot in list(self.actors):
            self.kill(slot)

    def disconnect(self) -> None:
        """Stop the local instance this run started (or leave the cluster it joined); the audit
        calls it once its files are written, so that Ray's own teardown cannot cost them."""
        if self.started_ray:
            self.started_ray = False
            self.ray.shutdown()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _error(task: Task | None, exc: BaseException) -> dict[str, Any]:
    from ndalint.audit.worker import error_row

    return error_row(task.path if task else "", f"内部エラー: {_first_line(exc)}")
