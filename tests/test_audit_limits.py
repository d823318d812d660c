"""The per-file time limit of `ndalint audit` and what a dying worker costs.

- a tiny limit on real documents (.docx, .pdf, .txt): every file is an error row that says so,
  in-process (--jobs 1) and in workers, and none of them is cached;
- a slow generated document among real ones: it alone is an error row, the others are fine;
- a worker stuck where the SIGALRM timer cannot reach (signals blocked, as in a C parser): the
  parent kills it after timeout + grace and the audit goes on without it;
- a worker killed while it holds a file: the file is retried once in a new worker; a file that
  kills its worker twice is an error row; no other file is touched.

The stuck and crashing workers run the functions at the bottom of this module in place of the
real one (workers import this module by name, as they import ndalint)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from functools import partial
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED
from ndalint.audit import audit, pool, run
from ndalint.audit.cache import Cache
from ndalint.audit.pool import LocalBackend
from ndalint.audit.worker import lint_one
from ndalint.limits import Limits

REAL = SHARED / "corpus" / "real"
TIMEOUT_TEXT = "時間内に終わりませんでした（上限 {} 秒"


def _tree(root: Path, names: list[Path]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for src in names:
        shutil.copy(src, root / src.name)
    return root


def _rows(result) -> dict[str, dict]:
    return {Path(d["path"]).name: d for d in result.documents}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_tiny_time_limit_stops_every_real_document_and_nothing_is_cached(tmp_path, jobs):
    tree = _tree(tmp_path / "c", [REAL / "r18_spurs-freelance-basic-agreement.docx",
                                  REAL / "r24_reportflow-company-secrecy-pledge.pdf",
                                  REAL / "r01_shinonome-employee-pledge.txt"])
    out = tmp_path / "out"
    result = audit(str(tree), str(out), jobs=jobs, progress=False, limits=Limits(timeout=0.001))
    assert len(result.documents) == 3
    for row in result.documents:
        assert row["status"] == "error", row
        assert row["error"].startswith(TIMEOUT_TEXT.format("0.001")), row["error"]
    assert result.totals["errors"] == 3
    assert not list((out / ".cache").rglob("*.json"))  # a time limit met once is not a result
    # the workers' own timer answered: no worker had to be killed or replaced
    assert result.stats.timed_out == 0 and result.stats.started == (0 if jobs == 1 else 2)

    again = audit(str(tree), str(out), jobs=jobs, progress=False)  # the default limit: 300 s
    assert again.totals["analysed"] == 3 and again.totals["cached"] == 0
    assert all(r["status"] == "ok" and r["score"] is not None for r in again.documents)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_configuration_file_limits_its_own_files_and_the_run_s_limit_wins(tmp_path, jobs):
    tree = _tree(tmp_path / "c", [CORPUS / "employee-pledge.txt"])
    _tree(tree / "strict", [REAL / "r03_p1-dealer-nda.txt", REAL / "r04_lgjl-visitor-pledge.txt"])
    (tree / "strict" / "ndalint.toml").write_text("[limits]\ntimeout = 0.001\n", encoding="utf-8")
    result = audit(str(tree), str(tmp_path / "out"), jobs=jobs, progress=False)
    rows = {os.path.relpath(d["path"], tree): d for d in result.documents}
    assert rows["employee-pledge.txt"]["status"] == "ok"
    for name in ("strict/r03_p1-dealer-nda.txt", "strict/r04_lgjl-visitor-pledge.txt"):
        assert rows[name]["error"].startswith(TIMEOUT_TEXT.format("0.001")), rows[name]
    # a limit the run sets (--limit timeout=60) is the command line's: it wins over the file's
    result = audit(str(tree), str(tmp_path / "out"), jobs=jobs, progress=False, limits=Limits(timeout=60))
    assert all(d["status"] == "ok" for d in result.documents)
    assert result.totals["cached"] == 1 and result.totals["analysed"] == 2


SLOW = "slow-generated.txt"


@pytest.fixture(scope="module")
def slow_tree(tmp_path_factory) -> Path:
    """Four real agreements and one generated 460,000-character agreement (7 s to lint here)."""
    root = _tree(tmp_path_factory.mktemp("slow") / "c", [
        REAL / "r03_p1-dealer-nda.txt", REAL / "r04_lgjl-visitor-pledge.txt",
        REAL / "r19_moriyoshi-mutual-nda-template.docx", CORPUS / "employee-pledge.txt"])
    text = (CORPUS / "company-nda-strict.txt").read_text(encoding="utf-8")
    (root / SLOW).write_text(text * 300, encoding="utf-8")
    return root


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_slow_document_is_an_error_row_and_the_others_are_fine(slow_tree, tmp_path, jobs):
    out = tmp_path / "out"
    start = time.monotonic()
    result = audit(str(slow_tree), str(out), jobs=jobs, progress=False, limits=Limits(timeout=2.0))
    took = time.monotonic() - start
    rows = _rows(result)
    assert rows[SLOW]["status"] == "error"
    assert rows[SLOW]["error"].startswith(TIMEOUT_TEXT.format("2")), rows[SLOW]["error"]
    others = [r for name, r in rows.items() if name != SLOW]
    assert len(others) == 4 and all(r["status"] == "ok" and r["score"] is not None for r in others)
    assert took < 30, took  # not the seconds the document takes without the limit
    assert result.stats.timed_out == 0  # stopped by the timer inside the worker (Python code)
    # the same run again: the four come from the cache, the slow one is tried again (and stopped again)
    again = audit(str(slow_tree), str(out), jobs=jobs, progress=False, limits=Limits(timeout=2.0))
    rows = _rows(again)
    assert [n for n, r in rows.items() if not r["cached"]] == [SLOW]
    assert rows[SLOW]["error"].startswith(TIMEOUT_TEXT.format("2"))


def test_the_parent_kills_a_worker_the_timer_cannot_interrupt(tmp_path, monkeypatch):
    tree = _tree(tmp_path / "c", [CORPUS / "employee-pledge.txt", CORPUS / "supplier-nda-short.txt",
                                  REAL / "r03_p1-dealer-nda.txt", REAL / "r04_lgjl-visitor-pledge.txt"])
    shutil.copy(CORPUS / "mutual-nda-companies.txt", tree / "a-stuck.txt")  # sorted first: handed out first
    monkeypatch.setattr(run, "LocalBackend", partial(LocalBackend, task=stuck_in_c))
    monkeypatch.setattr(pool, "grace", lambda timeout: 0.5)
    start = time.monotonic()
    result = audit(str(tree), str(tmp_path / "out"), jobs=2, progress=False, limits=Limits(timeout=1.0))
    took = time.monotonic() - start
    rows = _rows(result)
    assert rows["a-stuck.txt"]["status"] == "error"
    assert rows["a-stuck.txt"]["error"].startswith(TIMEOUT_TEXT.format("1"))
    assert all(r["status"] == "ok" for name, r in rows.items() if name != "a-stuck.txt")
    assert result.stats.timed_out == 1
    assert took < 20, took  # the stuck worker would have slept 60 s
    stuck_pid = int((tree / "a-stuck.txt.pid").read_text())
    assert stuck_pid in result.stats.pids
    with pytest.raises(ProcessLookupError):
        os.kill(stuck_pid, 0)  # killed, not left behind


def test_a_dead_worker_costs_one_retry_and_a_file_that_kills_twice_is_an_error_row(tmp_path, monkeypatch):
    tree = _tree(tmp_path / "c", [CORPUS / "employee-pledge.txt", CORPUS / "supplier-nda-short.txt",
                                  REAL / "r03_p1-dealer-nda.txt", REAL / "r04_lgjl-visitor-pledge.txt",
                                  REAL / "r11_asp-agency-b2b-nda.txt"])
    shutil.copy(CORPUS / "company-nda-strict.txt", tree / "flaky.txt")  # kills its first worker only
    shutil.copy(CORPUS / "group-interview-terms.txt", tree / "poison.txt")  # kills every worker
    reference = audit(str(tree), str(tmp_path / "ref"), jobs=1, progress=False, use_cache=False)

    monkeypatch.setattr(run, "LocalBackend", partial(LocalBackend, task=crashing))
    result = audit(str(tree), str(tmp_path / "out"), jobs=2, progress=False)
    rows, ref = _rows(result), _rows(reference)
    assert rows["poison.txt"]["status"] == "error"
    assert rows["poison.txt"]["error"] == "内部エラー: ワーカープロセスが異常終了しました（この文書で 2 回）"
    assert (tree / "flaky.txt.crashed").exists()  # it did kill a worker ...
    for name in ref:  # ... and, like every other file, has the result an undisturbed run gives
        if name != "poison.txt":
            assert {**rows[name], "cached": None} == {**ref[name], "cached": None}, name
    assert result.stats.crashed == 3 and result.stats.retried == 2
    assert result.stats.started >= 2 + 1  # at least one worker replaced (more if the queue still had files)
    assert not list((tmp_path / "out" / ".cache").glob("*/.ndalint-*"))  # no entry was being written


def test_workers_that_cannot_start_make_error_rows_not_a_hang(tmp_path):
    from ndalint.audit.pool import MAX_FAILED_STARTS, Task, run_tasks

    missing = str(tmp_path / "no-such-config.toml")  # every worker fails in its initialiser
    backend = LocalBackend((missing, False, str(tmp_path / "out"), True, Limits()))
    tasks = [Task(str(CORPUS / name), None) for name in ("employee-pledge.txt", "supplier-nda-short.txt")]
    rows: dict[str, dict] = {}
    stats = run_tasks(backend, tasks, 2, 10.0, rows, lambda: None)
    assert MAX_FAILED_STARTS <= stats.failed_starts <= MAX_FAILED_STARTS + 1  # two at a time
    assert set(rows) == {t.path for t in tasks}
    for row in rows.values():
        assert row["status"] == "error"
        assert row["error"].startswith("内部エラー: ワーカープロセスを起動できませんでした（"), row["error"]
        assert "no-such-config.toml" in row["error"]
    assert not backend.procs  # none left running


def test_damaged_cache_entries_are_misses_and_stale_temporary_files_go(tmp_path):
    cache = Cache(str(tmp_path))
    key = "ab" + "0" * 62
    cache.put(key, {"path": "x.txt", "status": "ok", "findings": []})
    entry = cache._entry(key)
    whole = entry.read_bytes()
    assert cache.get(key) is not None
    for damaged in (whole[: len(whole) // 2], b"", b"null", b"1", b"[]", b'"text"', b"\xff\xfe\x00garbage",
                    b'{"key": "%s", "report": 5}' % key.encode(), b'{"key": "other", "report": {}}'):
        entry.write_bytes(damaged)
        assert cache.get(key) is None, damaged
    # what a writer killed between its temporary file and the rename leaves: never an entry
    leftover = entry.parent / ".ndalint-abc123"
    leftover.write_bytes(whole[:10])
    fresh = entry.parent / ".ndalint-def456"
    fresh.write_bytes(whole[:10])
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    cache.put(key, {"path": "x.txt", "status": "ok", "findings": []})
    cache.prune()
    assert not leftover.exists() and fresh.exists()  # a recent one may be a writer at work
    assert cache.get(key) is not None


# -- what the workers run in place of lint_one in the tests above ----------------------------------

def stuck_in_c(path: str, key: str | None, limits: Limits) -> dict:
    """Like C code that does not return to the interpreter: SIGALRM blocked, then a long wait."""
    if not path.endswith("a-stuck.txt"):
        return lint_one(path, key, limits)
    from ndalint.deadline import deadline

    Path(path + ".pid").write_text(str(os.getpid()))
    with deadline(limits.timeout):  # the soft limit is armed ...
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # ... and cannot fire
        time.sleep(60)
    raise AssertionError("the parent should have killed this worker")


def crashing(path: str, key: str | None, limits: Limits) -> dict:
    """A worker that dies on poison.txt every time and on flaky.txt the first time."""
    if path.endswith("poison.txt"):
        os.kill(os.getpid(), signal.SIGKILL)
    if path.endswith("flaky.txt"):
        marker = Path(path + ".crashed")
        if not marker.exists():
            marker.write_text("")
            os.kill(os.getpid(), signal.SIGKILL)
    return lint_one(path, key, limits)
