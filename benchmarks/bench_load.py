"""Reading and writing a large graph: kg.load against rdflib's parser, kg.turtle against pyoxigraph.

Generates the graph of ``bench_queries.generate`` (about a million triples in
the shape ``kg build`` makes, fixed seed), writes it as ``kg build`` writes
``graph.ttl`` (``kg.export.write_turtle``), then times, in the same run:

1. **Reading** the Turtle file: rdflib's parser into a graph (what every
   command but ``kg query`` did before ``kg.load``: the baseline), against
   ``kg.load.load_graph`` (pyoxigraph's parser, into an ``rdflib.Graph``) and
   ``kg.load.load_triples`` (into a ``kg.graph.Triples``), and what a
   network command does after: ``kg.network.to_networkx`` of the loaded graph.
2. **Writing** Turtle: ``kg.turtle`` (the baseline, from the build's
   ``Triples``) against pyoxigraph's writer, from rdflib terms (converted as
   ``kg.export`` converts them) and from pyoxigraph terms already made; and
   TriG and N-Quads as ``kg export`` writes them (pyoxigraph) against rdflib's
   ``Dataset.serialize``.

Each figure is the median of ``--runs`` runs (rdflib's parser and writers
run once: they take minutes); ratios are against the baseline of the same
run. Prints Markdown, each table as soon as it is measured.

Usage::

    .venv/bin/python benchmarks/bench_load.py --write-triples 200000   # about 10 minutes
    .venv/bin/python benchmarks/bench_load.py --triples 200000 --runs 1
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_queries import generate  # noqa: E402


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def read_rows(ttl: Path, runs: int) -> list[tuple[str, float]]:
    from kg.graph import new_graph
    from kg.load import load_graph, load_triples
    from kg.network import to_networkx

    def old() -> None:
        new_graph().parse(ttl, format="turtle")

    rows = [("rdflib parser into a Graph (before)", median_time(old, 1))]
    rows.append(
        ("kg.load.load_graph (pyoxigraph into a Graph)", median_time(lambda: load_graph(ttl), runs))
    )
    rows.append(
        (
            "kg.load.load_triples (pyoxigraph into Triples)",
            median_time(lambda: load_triples(ttl), runs),
        )
    )
    graph = load_triples(ttl)
    rows.append(
        ("to_networkx of the loaded Triples", median_time(lambda: to_networkx(graph), runs))
    )
    return rows


def write_rows(ttl: Path, runs: int) -> list[tuple[str, float]]:
    import pyoxigraph as ox
    from rdflib import Dataset

    from kg.export import _quads, generate_nquads, generate_trig, partition, serialize_turtle
    from kg.load import load_graph, load_triples
    from kg.vocab import PREFIXES

    triples = load_triples(ttl)
    quads = _quads(triples, named=False)
    rows = [
        (
            "Turtle: kg.turtle from Triples (baseline)",
            median_time(lambda: serialize_turtle(triples), runs),
        )
    ]
    rows.append(
        (
            "Turtle: pyoxigraph, terms converted",
            median_time(
                lambda: ox.serialize(
                    _quads(triples, False), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
                ),
                runs,
            ),
        )
    )
    rows.append(
        (
            "Turtle: pyoxigraph, terms already pyoxigraph's",
            median_time(
                lambda: ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES), runs
            ),
        )
    )
    quads = triples = None  # free them before the rdflib graph
    graph = load_graph(ttl)

    def rdflib_dataset(fmt: str) -> Callable[[], object]:
        def run() -> object:
            ds = Dataset()
            for name, part in partition(graph).items():
                target = ds.default_graph if name is None else ds.graph(name)
                for t in part:
                    target.add(t)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's about its own code
                return ds.serialize(format=fmt)

        return run

    rows.append(
        ("TriG: rdflib Dataset.serialize (baseline)", median_time(rdflib_dataset("trig"), 1))
    )
    rows.append(("TriG: kg export (pyoxigraph)", median_time(lambda: generate_trig(graph), runs)))
    rows.append(
        ("N-Quads: rdflib Dataset.serialize (baseline)", median_time(rdflib_dataset("nquads"), 1))
    )
    rows.append(
        ("N-Quads: kg export (pyoxigraph)", median_time(lambda: generate_nquads(graph), runs))
    )
    return rows


def table(rows: list[tuple[str, float]], baselines: dict[str, float]) -> str:
    out = ["| step | median | against the baseline |", "|---|---:|---:|"]
    for name, seconds in rows:
        base = next((b for k, b in baselines.items() if name.startswith(k)), None)
        ratio = f"{seconds / base:.2f}×" if base else "–"
        out.append(f"| {name} | {seconds:.2f} s | {ratio} |")
    return "\n".join(out)


def graph_file(folder: Path, triples: int, seed: int) -> tuple[Path, int]:
    """The generated graph as ``kg build`` writes it: ``folder/graph.ttl``, and its size."""
    from kg.export import write_turtle
    from kg.load import load_triples

    print(f"generating about {triples:,} triples (seed {seed})", file=sys.stderr)
    lines, _ = generate(triples, seed)
    nt = folder / "big.nt"
    nt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    del lines
    ttl = folder / "graph.ttl"
    graph = load_triples(nt)
    write_turtle(graph, ttl)
    nt.unlink()
    return ttl, len(graph)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph")
    ap.add_argument(
        "--write-triples", type=int, default=None, help="size of the graph written [--triples]"
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="runs of each fast step (median)")
    ap.add_argument("--skip-write", action="store_true", help="time reading only")
    args = ap.parse_args(argv)

    import pyoxigraph as ox
    import rdflib

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the start, Python {platform.python_version()}, "
        f"rdflib {rdflib.__version__}, pyoxigraph {ox.__version__}. Median of {args.runs} "
        "runs; rdflib's parser and writers, the baselines, run once.\n",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="ihkg-bench-load-") as tmp:
        ttl, n = graph_file(Path(tmp), args.triples, args.seed)
        print(f"Reading a generated graph of {n:,} triples (seed {args.seed}):\n")
        reads = read_rows(ttl, args.runs)
        print(table(reads, {"": reads[0][1]}) + "\n", flush=True)
        if args.skip_write:
            return
        if args.write_triples is not None:
            ttl, n = graph_file(Path(tmp), args.write_triples, args.seed)
        print(f"Writing a generated graph of {n:,} triples (seed {args.seed}):\n")
        writes = write_rows(ttl, args.runs)
        baselines = {name.split(":")[0]: s for name, s in writes if "baseline" in name}
        print(table(writes, baselines), flush=True)


if __name__ == "__main__":
    main()
