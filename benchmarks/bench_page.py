"""Writing the HTML page: time and size at 10,000 entities, as ratios to 1,000.

The page should grow linearly with the graph (each sentence and title carried
once); a ratio near 10 says it does, one near 100 that something is quadratic.
Both pages are written in the same run, each ``--runs`` times, and the median
counts, so the figures are comparable across machines.

Usage::

    .venv/bin/python benchmarks/bench_page.py            # about 20 seconds
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.viz import write_html  # noqa: E402
from tests.test_viz import synthetic  # noqa: E402


def _median_seconds(G, path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        write_html(Graph(), path, G=G)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    small, big = synthetic(1_000), synthetic(10_000)
    with tempfile.TemporaryDirectory() as tmp:
        write_html(Graph(), Path(tmp) / "warm.html", G=synthetic(10))  # file reads, tables
        a, b = Path(tmp) / "small.html", Path(tmp) / "big.html"
        ta, tb = _median_seconds(small, a, args.runs), _median_seconds(big, b, args.runs)
        sa, sb = a.stat().st_size, b.stat().st_size
    print("| page | median write | size |")
    print("|---|---:|---:|")
    print(f"| 1,000 entities | {ta * 1000:.0f} ms | {sa / 1e6:.1f} MB |")
    print(f"| 10,000 entities | {tb * 1000:.0f} ms | {sb / 1e6:.1f} MB |")
    print(f"| ratio | {tb / ta:.1f}× | {sb / sa:.1f}× |")


if __name__ == "__main__":
    main()
