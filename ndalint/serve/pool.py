"""A bounded pool of analysis workers, off the event loop.

Linting is CPU work; done on the event loop it would stall every other request, the health check
included. Jobs go to worker processes (spawned, so that no server thread or open socket is
inherited), each of which loads the pipeline once. Admission is bounded: at most ``workers`` jobs
run and ``queue`` wait; a job beyond that is refused at once (the app answers 503 with
Retry-After) rather than piling up memory. A job that runs past ``timeout`` is answered with an
error (the worker's own timer) or, if the worker does not answer soon after, its worker is
replaced, so one pathological upload cannot hold a worker for good.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ndalint.serve import analysis


class Busy(Exception):
    """Every worker is busy and the queue is full."""


class TimedOut(Exception):
    """The analysis did not finish in time."""


class Pool:
    def __init__(self, workers: int, queue: int, timeout: float, grace: float = 5.0) -> None:
        # the worker stops a job itself at ``timeout`` (a timer in its main thread); the pool kills it
        # at ``timeout + grace``, for what a timer cannot interrupt (C code, a hung native library)
        self.workers, self.queue, self.timeout, self.grace = workers, queue, timeout, grace
        self.admitted = 0  # running + waiting
        self._executor: ProcessPoolExecutor | None = None

    def start(self, wait: bool = True) -> None:
        self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=analysis.init)
        # start the workers now, so that the first upload does not wait for the pipeline to load
        futures = [self._executor.submit(_ready) for _ in range(self.workers)]
        if wait:
            for future in futures:
                future.result()

    def stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    @property
    def capacity(self) -> int:
        return self.workers + self.queue

    async def run(self, job: analysis.Job) -> analysis.Result:
        if self.admitted >= self.capacity:
            raise Busy
        if self._executor is None:
            self.start()
        self.admitted += 1
        try:
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._executor, analysis.analyse, job)
            try:
                return await asyncio.wait_for(future, self.timeout + self.grace)
            except asyncio.TimeoutError:
                self._restart()
                raise TimedOut from None
            except BrokenProcessPool:
                self._restart()  # a worker died (out of memory, a crash in a native library)
                raise
        finally:
            self.admitted -= 1

    def _restart(self) -> None:
        old = self._executor
        self._executor = None
        if old is not None:
            for proc in list(getattr(old, "_processes", {}).values()):
                proc.kill()  # the stuck job's worker cannot be interrupted any other way
            old.shutdown(wait=False, cancel_futures=True)
        self.start(wait=False)  # on the event loop: the new workers load in their own time


def _ready() -> bool:
    analysis.engine()
    return True
