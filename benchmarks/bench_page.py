"""The HTML page at 1,000 and 10,000 articles: its size, first paint and settled layout.

Two parts:

1. **Writing** ``graph.html`` for 10,000 synthetic entities against 1,000
   (``tests/test_viz.py::synthetic``, in the same run, median of ``--runs``):
   a ratio near 10 says the page grows linearly with the graph.
2. **Opening** it in headless Chromium (``/usr/bin/chromium``, driven by
   Playwright as the browser tests do) for the graphs ``kg build`` makes of
   1,000 and 10,000 synthetic articles (``benchmarks/generate.py``). Each corpus
   is generated and built once, with ``nice -n 10``, into ``--work`` (a folder
   under ``/tmp`` by default) and reused by later runs, its networkx graph
   pickled beside it. For each page: its size; **first paint**, from navigation
   start to the first frame with the graph drawn (the ``ihkg-drawn`` mark the
   page sets; for a page without it, the first ``afterDrawing`` of its
   network); and **settled**, to the first frame after which nothing moves by
   itself (the page's ``state.ready``: for a page that runs physics, when it
   froze the layout). Median of ``--runs`` fresh browser contexts.

With ``--baseline DIR`` (a checkout of the code to compare with, e.g. ``mkdir -p
build/before && git archive 8c33b19 kg | tar -x -C build/before``) the same graphs are also written
by that code, in a subprocess, and measured in the same run: the ratios are
then between two pages opened on the same machine at the same time.

Usage::

    .venv/bin/python benchmarks/bench_page.py       # first time ~30 min: builds 10,000 articles
    mkdir -p build/before && git archive 8c33b19 kg | tar -x -C build/before  # the page before
    .venv/bin/python benchmarks/bench_page.py --baseline build/before   # ~8 min once built
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kg.viz import write_html  # noqa: E402
from tests.test_viz import synthetic  # noqa: E402

CHROMIUM = Path(os.environ.get("IHKG_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
SIZES = (1_000, 10_000)

# Before the page's own script runs: note the first frame the network draws and the
# first frame at which the page says it is ready, for pages that set no mark.
HOOK = """(() => {
  const t = (window.__ihkg = { drawn: null, ready: null });
  let hooked = false;
  const poll = () => {
    const k = window.ihkg;
    if (k && k.network && !hooked) {
      hooked = true;
      k.network.once("afterDrawing", () => { t.drawn = t.drawn ?? performance.now(); });
    }
    if (k && k.state && k.state.ready && t.ready === null) t.ready = performance.now();
    if (t.ready === null || t.drawn === null) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();"""


def _median_seconds(G, path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        write_html(Graph(), path, G=G)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_speed(runs: int) -> str:
    """Part 1: writing the page of 1,000 and of 10,000 synthetic entities."""
    small, big = synthetic(1_000), synthetic(10_000)
    with tempfile.TemporaryDirectory() as tmp:
        write_html(Graph(), Path(tmp) / "warm.html", G=synthetic(10))  # file reads, tables
        a, b = Path(tmp) / "small.html", Path(tmp) / "big.html"
        ta, tb = _median_seconds(small, a, runs), _median_seconds(big, b, runs)
        sa, sb = a.stat().st_size, b.stat().st_size
    return "\n".join(
        [
            "| page | median write | size |",
            "|---|---:|---:|",
            f"| 1,000 entities | {ta * 1000:.0f} ms | {sa / 1e6:.1f} MB |",
            f"| 10,000 entities | {tb * 1000:.0f} ms | {sb / 1e6:.1f} MB |",
            f"| ratio | {tb / ta:.1f}× | {sb / sa:.1f}× |",
        ]
    )


def article_graph(n: int, work: Path):
    """The networkx graph ``kg build`` makes of ``n`` synthetic articles (built once)."""
    pickled = work / f"G{n}.pickle"
    if pickled.exists():
        return pickle.loads(pickled.read_bytes())
    from generate import write_corpus

    corpus, out = work / f"corpus{n}", work / f"out{n}"
    if not (out / "graph.ttl").exists():
        if not corpus.exists():
            write_corpus(n, corpus)
        print(f"building {n:,} articles into {out} (once)", file=sys.stderr)
        cmd = ["nice", "-n", "10", sys.executable, "-m", "kg", "build", str(corpus)]
        subprocess.run([*cmd, "--out", str(out), "--no-progress"], cwd=ROOT, check=True)
    from kg.export import load_graph
    from kg.network import to_networkx

    G = to_networkx(load_graph(out / "graph.ttl"))
    pickled.write_bytes(pickle.dumps(G))
    return G


def write_with(code: Path | None, G_path: Path, page: Path) -> float:
    """Write the page of the pickled graph with the ``kg`` in ``code`` (None: this one)."""
    if code is None:
        G = pickle.loads(G_path.read_bytes())
        start = time.perf_counter()
        write_html(Graph(), page, G=G)
        return time.perf_counter() - start
    script = (
        "import pickle, sys, time; sys.path.insert(0, sys.argv[1]);"
        "from rdflib import Graph; from kg.viz import write_html;"
        "G = pickle.loads(open(sys.argv[2], 'rb').read()); t = time.perf_counter();"
        "write_html(Graph(), sys.argv[3], G=G); print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(code), str(G_path), str(page)],
        cwd=tempfile.gettempdir(),  # not this checkout's kg
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip())


def open_times(browser, page_path: Path, runs: int, timeout_s: float) -> dict:
    """Median first paint and settled time of the page, in seconds from navigation."""
    paints, settles = [], []
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 1400, "height": 860})
        ctx.add_init_script(HOOK)
        page = ctx.new_page()
        page.goto(page_path.as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function(
            "() => window.__ihkg && window.__ihkg.ready !== null && (window.__ihkg.drawn"
            " !== null || performance.getEntriesByName('ihkg-drawn').length > 0)",
            timeout=timeout_s * 1000,
        )
        mark, t = page.evaluate(
            "() => [performance.getEntriesByName('ihkg-drawn').map(e => e.startTime)[0] ?? null,"
            " window.__ihkg]"
        )
        # A page with the mark runs no physics: it is ready, and settled, as it first draws.
        paints.append((mark if mark is not None else t["drawn"]) / 1000)
        settles.append((mark if mark is not None else t["ready"]) / 1000)
        ctx.close()
    return {"first_paint": statistics.median(paints), "settled": statistics.median(settles)}


def _s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.0f} s"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ihkg-bench-page")
    ap.add_argument("--baseline", type=Path, help="a checkout of the code to compare with")
    ap.add_argument("--timeout", type=float, default=600, help="seconds a page may take")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="articles")
    ap.add_argument("--skip-write", action="store_true", help="skip part 1")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    if not args.skip_write:
        print(write_speed(args.runs), end="\n\n", flush=True)

    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for n in args.sizes:
            G = article_graph(n, args.work)
            G_path = args.work / f"G{n}.pickle"
            versions = [("after", None)] + ([("before", args.baseline)] if args.baseline else [])
            for name, code in versions:
                page = args.work / f"page{n}-{name}.html"
                write = write_with(code, G_path, page)
                times = open_times(browser, page, args.runs, args.timeout)
                rows.append(
                    {
                        "articles": n,
                        "version": name,
                        "entities": G.number_of_nodes(),
                        "relations": G.number_of_edges(),
                        "bytes": page.stat().st_size,
                        "write": write,
                        **times,
                    }
                )
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        browser.close()

    print("| articles | entities | relations | page | size | write | first paint | settled |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['articles']:,} | {r['entities']:,} | {r['relations']:,} | {r['version']} "
            f"| {r['bytes'] / 1e6:.1f} MB | {_s(r['write'])} | {_s(r['first_paint'])} "
            f"| {_s(r['settled'])} |"
        )
    if args.baseline:
        print(
            "\n| articles | size after/before | first paint after/before | settled after/before |"
        )
        print("|---:|---:|---:|---:|")
        for n in args.sizes:
            a, b = (
                next(r for r in rows if r["articles"] == n and r["version"] == v)
                for v in ("after", "before")
            )
            ratios = [a[k] / b[k] for k in ("bytes", "first_paint", "settled")]
            print(f"| {n:,} | " + " | ".join(f"{r:.2f}×" for r in ratios) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
