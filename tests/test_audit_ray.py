"""`ndalint audit --engine ray` on a local Ray instance this test starts (two CPUs): the same rows as
the local engine (time limit included: the actors run the same soft limit), one actor per worker,
and on a second run — another driver, connecting by address as to a cluster — only the files the
cache does not hold are sent."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED
from ndalint.audit import audit
from ndalint.limits import Limits

REAL = SHARED / "corpus" / "real"
LIMITS = Limits(timeout=2.0)
SLOW = "slow-generated.txt"


@pytest.fixture(scope="module")
def ray_instance():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        yield ray
    finally:
        ray.shutdown()


def _comparable(result) -> list[dict]:
    return [{k: v for k, v in d.items() if k != "cached"} for d in result.documents]


def test_ray_engine_gives_the_local_results_and_sends_only_what_is_not_cached(ray_instance, tmp_path):
    tree = tmp_path / "c"
    tree.mkdir()
    for src in (REAL / "r18_spurs-freelance-basic-agreement.docx", REAL / "r24_reportflow-company-secrecy-pledge.pdf",
                REAL / "r04_lgjl-visitor-pledge.txt", CORPUS / "one-way-nda-vendor.md", CORPUS / "employee-pledge.txt",
                CORPUS / "workshop-participant-harsh.txt"):
        shutil.copy(src, tree / src.name)
    (tree / "broken.docx").write_bytes(b"not a zip")
    (tree / SLOW).write_text((CORPUS / "company-nda-strict.txt").read_text(encoding="utf-8") * 300, encoding="utf-8")
    n = 8

    local = audit(str(tree), str(tmp_path / "local"), jobs=2, progress=False, limits=LIMITS)
    on_ray = audit(str(tree), str(tmp_path / "ray"), jobs=2, progress=False, limits=LIMITS, engine="ray")
    assert _comparable(on_ray) == _comparable(local)
    rows = {Path(d["path"]).name: d for d in on_ray.documents}
    assert rows[SLOW]["error"].startswith("時間内に終わりませんでした（上限 2 秒")
    assert rows["broken.docx"]["status"] == "error"
    assert sum(d["status"] == "ok" for d in on_ray.documents) == 6
    # one actor per worker (a new one only for an actor that died, failed to start or was killed)
    stats = on_ray.stats
    replaced = stats.timed_out + stats.crashed + stats.failed_starts
    assert stats.started == 2 + replaced and len(set(stats.pids)) == stats.started - stats.failed_starts, stats
    assert stats.crashed == 0 and stats.timed_out <= 1, stats
    assert on_ray.stats.sent == n
    assert (tmp_path / "ray" / "dashboard.html").exists()
    # the driver wrote the cache: every result but the one the time limit stopped
    assert len(list((tmp_path / "ray" / ".cache").glob("*/*.json"))) == n - 1

    # a second driver, connecting to the running instance by its address as to a cluster
    edited = tree / "employee-pledge.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n第99条（追加）乙は、違約金として金100万円を甲に支払う。\n",
                      encoding="utf-8")
    address = ray_instance.get_runtime_context().gcs_address
    script = textwrap.dedent(f"""
        import json, os, sys
        from ndalint.audit import audit
        from ndalint.limits import Limits
        if __name__ == "__main__":
            r = audit({str(tree)!r}, {str(tmp_path / "ray")!r}, jobs=2, progress=False, limits=Limits(timeout=2.0),
                      engine="ray", ray_address={address!r})
            print(json.dumps({{"sent": r.stats.sent, "documents": r.documents}}))
            sys.stdout.flush()
            os._exit(0)  # audit() has left the cluster; spare the driver Ray's own exit hooks
    """)
    proc = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    again = json.loads(proc.stdout.strip().splitlines()[-1])
    assert again["sent"] == 2  # the edited file, and the one the time limit stopped last time
    fresh = {Path(d["path"]).name for d in again["documents"] if not d["cached"]}
    assert fresh == {"employee-pledge.txt", SLOW}
    before = {Path(d["path"]).name: d for d in _comparable(local)}
    for d in again["documents"]:
        name = Path(d["path"]).name
        if name != "employee-pledge.txt":
            assert {k: v for k, v in d.items() if k != "cached"} == before[name], name
    assert {Path(d["path"]).name: d for d in again["documents"]}["employee-pledge.txt"]["findings"] \
        > before["employee-pledge.txt"]["findings"]


def test_an_unknown_engine_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ValueError, match="engine must be one of local, ray"):
        audit(str(CORPUS), str(tmp_path / "out"), engine="spark")
    assert not (tmp_path / "out").exists()
