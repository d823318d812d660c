"""Load test of ``ndalint serve``: concurrent uploads of real agreements, every answer checked.

Starts ``ndalint serve --workers 2`` on a free port, then N client threads post the real
agreements of ``../shared/corpus/real`` (.txt .docx .pdf) and ``corpus/*.docx`` as multipart
uploads to ``POST /api/v1/check``. Every answer must be 200 with a JSON report whose findings
(rule id, start, end) and score equal what ``ndalint check FILE --format json`` gives for the same
file. A 503 (queue full) is not an error: the client waits Retry-After and sends the upload again;
the 503s are counted apart. Meanwhile the resident memory of the server and all its children
(the analysis workers) is sampled from /proc every 0.1 s.

    .venv/bin/python bench/load_serve.py [--workers 2] [--concurrency 20] [--requests 60] [--queue N]

Exit status 1 if any answer was wrong (or the server could not be started).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
BIN = Path(sys.executable).parent
SUFFIXES = (".txt", ".docx", ".pdf")


def documents() -> list[Path]:
    if not REAL.is_dir():
        sys.exit(f"load_serve: {REAL} is missing (../shared beside the clone)")
    files = sorted(p for p in REAL.iterdir() if p.suffix in SUFFIXES) + sorted((ROOT / "corpus").glob("*.docx"))
    if not files:
        sys.exit("load_serve: no documents found")
    return files


def key(doc: dict) -> tuple:
    """What must agree between the CLI and the server: each finding's rule and span, and the score."""
    return (tuple((f["rule_id"], f["start"], f["end"]) for f in doc["findings"]),
            (doc.get("score") or {}).get("value"))


def expected(files: list[Path]) -> dict[Path, tuple]:
    """``ndalint check FILE… --format json`` once for all files (one process, one rule-pack load)."""
    run = subprocess.run([str(BIN / "ndalint"), "check", "--format", "json", "--exit-zero", *map(str, files)],
                         capture_output=True, cwd=ROOT, check=False)
    if run.returncode != 0:
        sys.exit(f"load_serve: ndalint check failed ({run.returncode}):\n{run.stderr.decode(errors='replace')}")
    docs = json.loads(run.stdout)["documents"]
    by_path = {Path(d["path"]).resolve(): d for d in docs}
    out = {}
    for f in files:
        d = by_path.get(f.resolve())
        if d is None or d.get("error"):
            sys.exit(f"load_serve: the CLI gave no report for {f}: {d and d.get('error')}")
        out[f] = key(d)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ── memory: the server process and every descendant, from /proc ─────────────


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return kids


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo += _children(p)
    return seen


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_total = self.peak_single = 0  # KiB
        self.peak_processes = 0
        self.peak_by_pid: dict[int, int] = {}
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = tree(self.pid)
            rss = [_rss_kib(p) for p in pids]
            for p, r in zip(pids, rss):
                self.peak_by_pid[p] = max(self.peak_by_pid.get(p, 0), r)
            self.peak_total = max(self.peak_total, sum(rss))
            self.peak_single = max(self.peak_single, max(rss, default=0))
            self.peak_processes = max(self.peak_processes, len([r for r in rss if r]))
            self.samples += 1
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# ── the run ──────────────────────────────────────────────────────────────────


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # the answered (200) attempt
    end_to_end: list[float] = field(default_factory=list)  # from the first attempt, 503 waits included
    busy: int = 0  # 503 answers (retried)
    dropped: int = 0  # connections closed or reset without an answer (counted in wrong too)
    wrong: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(base: str, jobs: list[tuple[Path, bytes]], todo: list[int], want: dict[Path, tuple], tally: Tally,
           http: httpx.Client, max_retries: int = 50) -> None:
    while True:
        with tally.lock:
            if not todo:
                return
            i = todo.pop()
        path, data = jobs[i % len(jobs)]
        first = time.perf_counter()
        for _ in range(max_retries):
            started = time.perf_counter()
            try:
                r = http.post(base + "/api/v1/check", files={"file": (path.name, data)})
            except httpx.HTTPError as exc:
                with tally.lock:
                    tally.dropped += 1
                    tally.wrong.append(f"{path.name}: {type(exc).__name__}: {exc}")
                break
            took = time.perf_counter() - started
            if r.status_code == 503:
                wait = float(r.headers.get("retry-after", "1"))
                with tally.lock:
                    tally.busy += 1
                time.sleep(wait)
                continue
            problem = check(r, want[path])
            with tally.lock:
                if problem:
                    tally.wrong.append(f"{path.name}: {problem}")
                else:
                    tally.latencies.append(took)
                    tally.end_to_end.append(time.perf_counter() - first)
            break
        else:
            with tally.lock:
                tally.wrong.append(f"{path.name}: still 503 after {max_retries} attempts")


def check(r: httpx.Response, want: tuple) -> str | None:
    if r.status_code != 200:
        return f"HTTP {r.status_code}: {r.text[:200]}"
    if not r.headers.get("content-type", "").startswith("application/json"):
        return f"content-type {r.headers.get('content-type')}"
    try:
        report = r.json()
    except ValueError:
        return "not JSON"
    docs = report.get("documents") or []
    if report.get("schema") != "ndalint.report/1" or len(docs) != 1:
        return f"not one ndalint.report/1 document: {str(report)[:200]}"
    if docs[0].get("error"):
        return f"error: {docs[0]['error']}"
    got = key(docs[0])
    if got != want:
        return (f"findings differ from the CLI: {len(got[0])} vs {len(want[0])} finding(s), "
                f"score {got[1]} vs {want[1]}")
    return None


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]  # nearest rank


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--queue", type=int, default=None, help="the server's --queue (default: its own, 8)")
    ap.add_argument("--server-log", type=Path, default=None, help="also write the server's log to this file")
    args = ap.parse_args()

    files = documents()
    print(f"expected results: ndalint check over {len(files)} documents …", flush=True)
    t0 = time.perf_counter()
    want = expected(files)
    print(f"  done in {time.perf_counter() - t0:.1f} s "
          f"({sum(len(w[0]) for w in want.values())} findings in all)", flush=True)
    jobs = [(f, f.read_bytes()) for f in files]

    port = free_port()
    cmd = [str(BIN / "ndalint"), "serve", "--port", str(port), "--workers", str(args.workers)]
    if args.queue is not None:
        cmd += ["--queue", str(args.queue)]
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a pipe nobody reads would stall the server
        server = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        sampler = None
        try:
            started = time.perf_counter()
            while True:
                if server.poll() is not None:
                    log.seek(0)
                    print(f"load_serve: the server exited ({server.returncode}):\n{log.read().decode(errors='replace')}")
                    return 1
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() - started > 60:
                    print("load_serve: no answer from /healthz within 60 s")
                    return 1
                time.sleep(0.1)
            print(f"server up in {time.perf_counter() - started:.1f} s: {' '.join(cmd[1:])}", flush=True)

            sampler = MemorySampler(server.pid)
            sampler.start()
            tally = Tally()
            todo = list(range(args.requests))[::-1]
            limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
            with httpx.Client(timeout=300, limits=limits) as http:
                threads = [threading.Thread(target=client, args=(base, jobs, todo, want, tally, http))
                           for _ in range(args.concurrency)]
                run_started = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                wall = time.perf_counter() - run_started
            sampler.stop()
        finally:
            if sampler is not None and sampler.is_alive():
                sampler.stop()
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        log.seek(0)
        server_log = log.read().decode(errors="replace")
        if args.server_log:
            args.server_log.write_text(server_log, "utf-8")
        server_errors = [line for line in server_log.splitlines() if " ERROR " in line]

    ok = len(tally.latencies)
    ms = [x * 1000 for x in tally.latencies]
    e2e = [x * 1000 for x in tally.end_to_end]
    mib = 1024
    rows = [
        ("documents", f"{len(files)} ("
                      + ", ".join(f"{sum(1 for f in files if f.suffix == s)} {s}" for s in (".docx", ".pdf", ".txt"))
                      + ")"),
        ("workers / clients", f"{args.workers} / {args.concurrency}"),
        ("requests", f"{args.requests}: {ok} correct, {len(tally.wrong)} wrong"),
        ("503 (retried)", str(tally.busy)),
        ("no answer (connection lost)", str(tally.dropped)),
        ("wall time", f"{wall:.1f} s ({ok / wall:.1f} correct answers/s)"),
        ("latency p50 / p95 / max", f"{pct(ms, 50):.0f} / {pct(ms, 95):.0f} / {max(ms, default=float('nan')):.0f} ms"),
        ("incl. 503 waits p50/p95/max", f"{pct(e2e, 50):.0f} / {pct(e2e, 95):.0f} / {max(e2e, default=float('nan')):.0f} ms"),
        ("peak RSS, all processes",
         f"{sampler.peak_total / mib:.0f} MiB ({sampler.peak_processes} processes, {sampler.samples} samples)"),
        ("peak RSS, largest process", f"{sampler.peak_single / mib:.0f} MiB"),
        ("  server / each child", f"{sampler.peak_by_pid.get(server.pid, 0) / mib:.0f} / "
                                  + ", ".join(f"{v / mib:.0f}" for p, v in sorted(sampler.peak_by_pid.items())
                                              if p != server.pid) + " MiB"),
        ("server log ERROR lines", str(len(server_errors))),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    for line in tally.wrong[:20]:
        print("WRONG", line)
    for line in server_errors[:10]:
        print("SERVER", line)
    return 1 if tally.wrong or ok != args.requests else 0


if __name__ == "__main__":
    sys.exit(main())
