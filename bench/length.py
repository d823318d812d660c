"""How `ndalint check` scales with a document's length: 50k to 2M characters (the default limit).

Each size is one cold `ndalint check` of a long agreement made by concatenating the bundled ones
(real-like text, thousands of articles), in its own process, so that the time and the peak memory
are those of a user's run. Linear time means characters per second stay roughly flat.

    .venv/bin/python bench/length.py [--sizes 50000,100000,...]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (50_000, 100_000, 250_000, 500_000, 1_000_000, 1_990_000)


def long_agreement(chars: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    out, size = [], 0
    while size < chars:
        for t in texts:
            out.append(t)
            size += len(t) + 1
    return "\n".join(out)[:chars]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    ndalint = [sys.executable, "-m", "ndalint"]
    print(f"{'characters':>11}  {'seconds':>8}  {'chars/s':>8}  {'findings':>8}  {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for chars in sizes:
            path = Path(tmp) / f"long-{chars}.txt"
            path.write_text(long_agreement(chars), encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            run = subprocess.run([*ndalint, "check", str(path), "--format", "concise", "--exit-zero"],
                                 capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if run.returncode != 0:
                print(f"ndalint failed on {chars} characters: {run.stderr.strip()}", file=sys.stderr)
                return 1
            findings = run.stdout.strip().splitlines()[-1]
            rss = f"{peak / 1024:.0f} MiB" if peak > before else "≤ above"  # ru_maxrss is the largest child so far
            print(f"{chars:>11,}  {seconds:>8.1f}  {chars / seconds:>8,.0f}  {findings.split('件')[0]:>8}  {rss:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
