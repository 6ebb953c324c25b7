"""Load run of ``kg serve``: concurrent clients, latency percentiles, worker memory.

Builds the demo graph from ``data/articles`` (or takes ``--graph``), starts
``kg serve`` on a free port in a subprocess, and runs ``--clients`` client
threads for ``--seconds`` seconds, each sending queries from a fixed mix over
one keep-alive connection (``http.client``, nothing else needed). With
``--hostile``, one more client sends nothing but a query that needs far more
memory than a worker may use, to show what it costs the others. Meanwhile the
resident memory of every worker process is sampled from ``/proc`` (Linux).

Prints, as Markdown, the requests per second, p50 and p99 latency per query
of the mix, the status codes seen, and the workers' peak resident memory.

Usage::

    .venv/bin/python benchmarks/load_serve.py                      # 8 clients, 10 s
    .venv/bin/python benchmarks/load_serve.py --clients 16 --seconds 20 --hostile
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent

MIX = {
    "ask": "ASK { ?s ihkg:partnersWith ?o }",
    "partners": (
        "SELECT ?a ?b WHERE { ?x ihkg:partnersWith ?y . ?x rdfs:label ?a . "
        "?y rdfs:label ?b } ORDER BY ?a ?b"
    ),
    "labels": "SELECT ?x ?l WHERE { ?x rdfs:label ?l } ORDER BY ?l LIMIT 100",
    "count-by-type": "SELECT ?t (COUNT(?x) AS ?n) WHERE { ?x a ?t } GROUP BY ?t ORDER BY DESC(?n)",
}
HOSTILE = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY STR(?c) STR(?f) LIMIT 1"


def build_demo(out: Path) -> Path:
    """The demo graph, built into ``out``."""
    cmd = [sys.executable, "-m", "kg", "build", str(ROOT / "data" / "articles"), "--out", str(out)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return out / "graph.ttl"


def start_server(graph: Path, workers: int, memory: int) -> tuple[subprocess.Popen, int, int]:
    """``kg serve`` on a free port: the process, the port and the number of
    triples served, once it listens."""
    cmd = [sys.executable, "-m", "kg", "serve", str(graph), "--port", "0", "--quiet"]
    cmd += ["--workers", str(workers), "--memory", str(memory)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    for line in proc.stderr:
        m = re.search(r"\((\d+) triples\) at http://127\.0\.0\.1:(\d+)/sparql", line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # drain
            return proc, int(m[2]), int(m[1])
    raise SystemExit(f"kg serve did not start (exit {proc.wait()})")


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def client(port, names, stop, latencies, statuses, lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    i = 0
    while not stop.is_set():
        name = names[i % len(names)]
        i += 1
        query = HOSTILE if name == "hostile" else MIX[name]
        body = urlencode({"query": query})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        start = time.perf_counter()
        try:
            conn.request("POST", "/sparql", body, headers)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        elapsed = time.perf_counter() - start
        with lock:
            latencies[name].append(elapsed)
            statuses[(name, status)] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graph", type=Path, help="graph to serve (default: build the demo)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", type=int, default=1024, help="kg serve --memory (MiB)")
    parser.add_argument("--hostile", action="store_true", help="add a client of HOSTILE")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph or build_demo(Path(tmp))
        proc, port, triples = start_server(graph, args.workers, args.memory)
        try:
            stop = threading.Event()
            lock = threading.Lock()
            latencies: dict[str, list[float]] = defaultdict(list)
            statuses: Counter = Counter()
            names = list(MIX)
            threads = [
                threading.Thread(
                    target=client,
                    args=(port, names[i:] + names[:i], stop, latencies, statuses, lock),
                )
                for i in range(args.clients)
            ]
            if args.hostile:
                threads.append(
                    threading.Thread(
                        target=client, args=(port, ["hostile"], stop, latencies, statuses, lock)
                    )
                )
            peak: dict[int, int] = {}
            for t in threads:
                t.start()
            started = time.perf_counter()
            while time.perf_counter() - started < args.seconds:
                for pid in children(proc.pid):
                    peak[pid] = max(peak.get(pid, 0), rss_kib(pid))
                time.sleep(0.1)
            stop.set()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait()

    print(
        f"kg serve, {args.workers} workers, --memory {args.memory}; {args.clients} clients"
        f"{' + 1 hostile' if args.hostile else ''} for {wall:.1f} s; graph {graph.name} "
        f"({triples} triples); {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}\n"
    )
    print("| query | requests | req/s | p50 ms | p99 ms | statuses |")
    print("|---|---:|---:|---:|---:|---|")
    every = []
    for name, values in latencies.items():
        values.sort()
        every += values if name != "hostile" else []
        codes = ", ".join(f"{s}×{n}" for (q, s), n in sorted(statuses.items()) if q == name)
        print(
            f"| {name} | {len(values)} | {len(values) / wall:.1f} | "
            f"{1000 * statistics.median(values):.1f} | "
            f"{1000 * values[min(len(values) - 1, int(0.99 * len(values)))]:.1f} | {codes} |"
        )
    every.sort()
    if every:
        print(
            f"| all but hostile | {len(every)} | {len(every) / wall:.1f} | "
            f"{1000 * statistics.median(every):.1f} | "
            f"{1000 * every[min(len(every) - 1, int(0.99 * len(every)))]:.1f} | |"
        )
    print(
        f"\nWorker processes seen: {len(peak)}; peak resident memory per worker: "
        + ", ".join(f"{kib / 1024:.0f} MiB" for kib in sorted(peak.values(), reverse=True))
    )


if __name__ == "__main__":
    main()
