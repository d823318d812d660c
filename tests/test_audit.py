"""`ndalint audit DIR --out OUT` as a user runs it: every file reported (corrupt ones as errors),
results.csv / results.json / an offline dashboard.html, the cache on a second run, --no-cache,
and the same results with one worker or two."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, run_cli

CORRUPT = {"broken.docx", "empty.txt"}


def _docx_variant(src: Path, dst: Path) -> None:
    import docx

    d = docx.Document(str(src))
    d.add_paragraph("（付記）本書は改訂版である。")
    d.save(str(dst))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """~38 files: the corpus, edited variants of each (nested one level down), two corrupt files."""
    root = tmp_path_factory.mktemp("audit") / "contracts"
    (root / "v2").mkdir(parents=True)
    for src in sorted(CORPUS.glob("*")):
        if src.suffix not in (".txt", ".md", ".docx") or src.name == "README.md":
            continue
        shutil.copy(src, root / src.name)
        variant = root / "v2" / f"{src.stem}-v2{src.suffix}"
        if src.suffix == ".docx":
            _docx_variant(src, variant)
        else:
            variant.write_text(src.read_text(encoding="utf-8") + "\n（付記）本書は改訂版である。\n", encoding="utf-8")
    (root / "broken.docx").write_bytes(b"this is not a zip file")
    (root / "empty.txt").write_bytes(b"")
    return root


def _files(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if p.is_file()}


def _audit(tree: Path, out: Path, *extra: str) -> tuple[dict, list[dict], str]:
    result = run_cli("audit", str(tree), "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.stderr == ""  # piped: no progress line, nothing animated
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig"))))
    return data, rows, result.stdout


def _comparable(data: dict) -> list[dict]:
    return [{k: v for k, v in d.items() if k != "cached"} for d in data["documents"]]


@pytest.fixture(scope="module")
def first(tree, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "audit"
    return out, *_audit(tree, out, "--jobs", "2")


def test_every_file_is_reported_and_corrupt_ones_are_errors(tree, first):
    out, data, rows, stdout = first
    assert {r["path"] for r in rows} == _files(tree)
    by_name = {Path(r["path"]).name: r for r in rows}
    for name in CORRUPT:
        assert by_name[name]["status"] == "error" and by_name[name]["error"], name
    good = [r for r in rows if Path(r["path"]).name not in CORRUPT]
    assert all(r["status"] == "ok" and r["score"] != "" and r["band"] for r in good)
    assert by_name["workshop-participant-harsh.txt"]["binds_individual"] == "true"
    assert int(by_name["workshop-participant-harsh.txt"]["findings"]) > 0
    header = list(rows[0])
    assert header[:7] == ["path", "status", "kind", "binds_individual", "score", "band", "findings"]
    assert {"confidentiality-scope", "individual-liability", "error"} <= set(header)
    # per-category counts add up to the findings
    cats = ["confidentiality-scope", "individual-liability", "staged-disclosure", "participant-protection",
            "chilling-language", "drafting"]
    assert all(sum(int(r[c]) for c in cats) == int(r["findings"]) for r in rows)
    assert re.fullmatch(rf"{len(rows)} documents, \d+ findings, 2 errors, [\d.]+ s \(0 cached, {len(rows)} analysed\)\n",
                        stdout)


def test_results_json_totals(first):
    _, data, rows, _ = first
    t = data["totals"]
    assert data["schema"] == "ndalint.audit/1"
    assert t["documents"] == len(rows) == len(data["documents"])
    assert t["errors"] == 2 and t["cached"] == 0 and t["analysed"] == len(rows)
    assert t["findings"] == sum(d["findings"] for d in data["documents"]) == sum(int(r["findings"]) for r in rows)
    assert sum(t["rules"].values()) == t["findings"] == sum(t["categories"].values())
    assert sum(t["bands"].values()) == t["ok"] == len(rows) - 2


def test_dashboard_is_self_contained(first):
    out, data, _, _ = first
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    for heading in ("スコア分布", "カテゴリ別の指摘", "ルール別の指摘", "リスクの高い文書", "契約の種類", "読み込めなかった文書"):
        assert heading in html
    worst = max((d for d in data["documents"] if d["status"] == "ok"), key=lambda d: d["score"])
    assert Path(worst["path"]).name in html
    # the worst documents link to their own HTML report: the contract with its findings in place
    links = re.findall(r'href="(reports/[0-9a-f]{32}\.html)"', html)
    assert 0 < len(links) <= 20 and worst["report"] in links
    page = (out / worst["report"]).read_text(encoding="utf-8")
    assert not re.search(r"https?://", page) and "<mark" in page
    assert "broken.docx" in html and "empty.txt" in html
    assert not list(out.glob(".ndalint-*"))  # no temporary files left behind


def test_second_run_reads_the_cache_and_no_cache_recomputes(tree, first, tmp_path):
    out, data, _, _ = first
    cached, _, stdout = _audit(tree, out, "--jobs", "2")
    assert cached["totals"]["cached"] == len(data["documents"]) and cached["totals"]["analysed"] == 0
    assert f"({len(data['documents'])} cached, 0 analysed)" in stdout
    assert _comparable(cached) == _comparable(data)

    # an edited file is analysed again, the others come from the cache
    edited = tree / "employee-pledge.txt"
    original = edited.read_bytes()
    try:
        edited.write_bytes(original + "\n第99条（追加）乙は、違約金として金100万円を甲に支払う。\n".encode())
        again, _, _ = _audit(tree, out, "--jobs", "1")
        assert again["totals"]["analysed"] == 1 and again["totals"]["cached"] == len(data["documents"]) - 1
    finally:
        edited.write_bytes(original)

    fresh, _, _ = _audit(tree, out, "--no-cache", "--jobs", "1")
    assert fresh["totals"]["cached"] == 0 and fresh["totals"]["analysed"] == len(data["documents"])
    assert _comparable(fresh) == _comparable(data)  # and --jobs 1 gives what --jobs 2 gave


def test_a_damaged_cache_entry_is_a_miss(tree, first, tmp_path):
    out, data, _, _ = first
    entries = sorted((out / ".cache").rglob("*.json"))
    assert entries
    # every entry: one alone may be a stale one (of a file an earlier test edited), never read again
    for entry in entries:
        entry.write_text("{not json", encoding="utf-8")
    again, _, _ = _audit(tree, out, "--jobs", "1")
    assert again["totals"]["analysed"] >= 1
    assert _comparable(again) == _comparable(data)


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("audit", str(tmp_path / "missing"), "--out", str(tmp_path / "o")).exit_code == 2
    assert run_cli("audit", str(CORPUS)).exit_code == 2  # --out is required
    (tmp_path / "empty").mkdir()
    result = run_cli("audit", str(tmp_path / "empty"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and not (tmp_path / "o").exists()


def test_configuration_exclude_is_respected(tmp_path):
    root = tmp_path / "c"
    (root / "drafts").mkdir(parents=True)
    shutil.copy(CORPUS / "employee-pledge.txt", root / "employee-pledge.txt")
    shutil.copy(CORPUS / "supplier-nda-short.txt", root / "drafts" / "supplier-nda-short.txt")
    (root / "ndalint.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    data, rows, _ = _audit(root, tmp_path / "out", "--jobs", "1")
    assert [Path(r["path"]).name for r in rows] == ["employee-pledge.txt"]


def test_progress_line_is_rewritten_in_place():
    from ndalint.audit.run import Progress

    stream = io.StringIO()
    bar = Progress(3, 2, stream)
    for _ in range(3):
        bar.step()
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\r") and "3/3 files (+2 cached)" in text and "files/s" in text and "ETA" in text
    assert "\n" not in text


def test_the_cache_is_bounded_and_keeps_the_most_recently_used(tmp_path):
    import os
    import time

    from ndalint.audit.cache import Cache

    cache = Cache(str(tmp_path))
    keys = [f"{i:02x}" + "0" * 62 for i in range(6)]
    for i, key in enumerate(keys):
        cache.put(key, {"path": f"doc{i}.txt", "findings": ["x" * 200]})
        entry = cache._entry(key)
        os.utime(entry, (time.time() - 100 + i, time.time() - 100 + i))  # written in this order
    assert cache.get(keys[0]) is not None  # a hit makes the oldest entry the most recent one
    removed = cache.prune(max_entries=3)
    assert removed == 3
    assert [cache.get(k) is not None for k in keys] == [True, False, False, False, True, True]
    size = cache._entry(keys[0]).stat().st_size
    assert cache.prune(max_entries=100, max_bytes=size * 2) == 1  # the byte bound as well
