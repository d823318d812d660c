"""`ndalint audit` killed midway, as a user's machine kills it: SIGKILL to the audit itself, and
SIGKILL to one of its workers. On a generated tree of ~200 real-like agreements (the corpus and the
real agreements in small variations: .txt, .md, .docx, .pdf):

- whatever is on disk after a kill is whole: no results file at all (never part of one), every
  cache entry a complete report; a truncated entry (what a non-atomic write would leave) is a miss;
- no worker outlives the killed audit (they would write into the next run's cache);
- the next run completes and its results.json / results.csv equal those of an uninterrupted run
  (but for timings and the `cached` flags), reading from the cache what was finished before;
- a worker killed while it holds a file costs a retry of that file, not an error row: the run
  itself completes with the uninterrupted run's results.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED

REAL = SHARED / "corpus" / "real"
NDALINT = str(Path(sys.executable).parent / "ndalint")


def make_tree(root: Path, per_text: int = 5, per_docx: int = 3) -> int:
    """Variants of every corpus and real agreement: a dated copy note, a changed period; Word files
    edited through python-docx; the real PDFs as they are. Returns the number of files."""
    import docx

    texts = [p for p in sorted(CORPUS.glob("*")) + sorted(REAL.glob("*"))
             if p.suffix in (".txt", ".md") and p.name.lower() != "readme.md"]
    n = 0
    for src in texts:
        text = src.read_text(encoding="utf-8")
        for v in range(per_text):
            body = text.replace("1年", f"{v + 1}年") if v % 3 == 2 else text
            target = root / f"set{v}" / f"{src.stem}-v{v}{src.suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body + f"\n（控 第{v}号）\n", encoding="utf-8")
            n += 1
    for src in sorted(CORPUS.glob("*.docx")) + sorted(REAL.glob("*.docx")):
        for v in range(per_docx):
            d = docx.Document(str(src))
            d.add_paragraph(f"（付記）本書は第{v}版である。")
            d.save(str(root / f"set{v}" / f"{src.stem}-v{v}.docx"))
            n += 1
    for src in sorted(REAL.glob("*.pdf")):
        shutil.copy(src, root / src.name)
        n += 1
    return n


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("crash") / "agreements"
    n = make_tree(root)
    assert n >= 180
    return root, n


def _start(tree: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([NDALINT, "audit", str(tree), "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen) -> str:
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
    return stdout.decode()


def _results(out: Path) -> tuple[dict, list[dict]]:
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig"))))
    assert (out / "dashboard.html").read_text(encoding="utf-8").endswith("</html>\n")
    return data, rows


def _comparable(data: dict, rows: list[dict]) -> tuple[list, dict, list]:
    """Everything but timings and where each result came from (the cache or a worker)."""
    docs = [{k: v for k, v in d.items() if k != "cached"} for d in data["documents"]]
    totals = {k: v for k, v in data["totals"].items() if k not in ("seconds", "cached", "analysed")}
    return docs, totals, [{k: v for k, v in r.items() if k != "cached"} for r in rows]


@pytest.fixture(scope="module")
def baseline(tree, tmp_path_factory):
    root, n = tree
    out = tmp_path_factory.mktemp("baseline") / "out"
    _finish(_start(root, out))
    data, rows = _results(out)
    assert data["totals"]["documents"] == n and data["totals"]["analysed"] == n
    assert data["totals"]["ok"] >= n - 2  # real-like documents, read and linted
    return _comparable(data, rows)


def _entries(out: Path) -> list[Path]:
    return sorted((out / ".cache").glob("*/*.json"))


def _wait_for(condition, seconds: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the audit ended before the kill: {proc.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _descendants(pid: int) -> list[int]:
    out, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo += _children(child)
    return out


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie is dead, only not yet reaped by its parent


def _valid_entry(entry: Path) -> bool:
    data = json.loads(entry.read_bytes())
    return data["key"] == entry.stem and isinstance(data["report"], dict) and "path" in data["report"]


def test_killing_the_audit_midway_leaves_nothing_half_written_and_the_next_run_completes(tree, baseline, tmp_path):
    root, n = tree
    out = tmp_path / "out"
    proc = _start(root, out)
    _wait_for(lambda: len(_entries(out)) >= 40, 300, proc)
    family = _descendants(proc.pid)
    assert len(family) >= 3  # the forkserver and two workers (and the resource tracker)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # no worker outlives the audit (each would go on writing into the cache)
    _wait_for(lambda: not any(_alive(p) for p in family), 10)
    # whole files only: no results yet (not part of one), and every cache entry a complete report
    assert not any((out / name).exists() for name in ("results.json", "results.csv", "dashboard.html"))
    finished = _entries(out)
    assert 40 <= len(finished) < n
    assert all(_valid_entry(e) for e in finished)
    # what a write without rename would have left: a truncated entry; it must be a miss, not a crash
    victim = finished[0]
    victim.write_bytes(victim.read_bytes()[:200])

    stdout = _finish(_start(root, out))
    data, rows = _results(out)
    assert _comparable(data, rows) == baseline
    t = data["totals"]
    assert t["cached"] == len(finished) - 1 and t["analysed"] == n - t["cached"]
    assert f"({t['cached']} cached, {t['analysed']} analysed)" in stdout
    assert all(_valid_entry(e) for e in _entries(out))


def test_killing_a_worker_midway_costs_a_retry_not_an_error(tree, baseline, tmp_path):
    root, n = tree
    out = tmp_path / "out"
    proc = _start(root, out)
    _wait_for(lambda: len(_entries(out)) >= 20, 300, proc)
    # the workers: forked by the forkserver, the audit's child, so grandchildren of the audit
    workers = [p for p in _descendants(proc.pid) if p not in _children(proc.pid)]
    assert len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)
    _finish(proc)
    data, rows = _results(out)
    assert not [d["path"] for d in data["documents"] if "異常終了" in (d["error"] or "")]
    assert _comparable(data, rows) == baseline
    assert not _alive(workers[0])

    # and the next run reads every file from the cache, with the same results
    _finish(_start(root, out))
    data, rows = _results(out)
    assert data["totals"]["cached"] == n and _comparable(data, rows) == baseline
