"""Latency of every named query: pyoxigraph against rdflib, small and large graph.

Runs each query of ``queries/`` (with its default parameters) on

1. the demo graph, built from ``data/articles``;
2. a generated graph of about a million triples in the same vocabulary and
   shape as ``kg.graph`` builds (entities with labels and aliases, relations
   with assertion nodes, sentences and articles, positions), from a fixed seed,
   the one-entity queries asked about its best-connected company and person,

on rdflib and on pyoxigraph in the same run, and prints a Markdown table of
median latencies with the speed-up over rdflib. rdflib can take very long on
the large graph: each of its runs is stopped after ``--cap`` seconds and
reported as "> cap".

Usage::

    .venv/bin/python benchmarks/bench_queries.py            # about 3 minutes
    .venv/bin/python benchmarks/bench_queries.py --triples 200000 --cap 5
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.query import load_queries, run_named  # noqa: E402

IHKG = "https://w3id.org/ihkg/ontology#"
ID = "https://w3id.org/ihkg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: Queries about one entity (target: < 10 ms on pyoxigraph at 1M triples).
ONE_ENTITY = {
    "partners",
    "subsidiaries",
    "two-hops",
    "evidence",
    "positions",
    "people-of",
    "entity-articles",
}
#: The whole-graph listing with a target (< 1 s on pyoxigraph at 1M triples).
LISTING = "partnerships"

_CHARS = (
    "安宁康泰华远博瑞禾晞嘉陵青锦澜恒信达凯明睿思卓越医疗健康科技云智联众和仁爱德善"
    "美佳新星光辉宏图金银川山海天地中南北东西方正平长广融汇通益民生仁心同济协瑞华"
)
_SUFFIX = {
    "Company": ["科技", "健康", "医疗", "药业", "数字"],
    "Hospital": ["医院", "人民医院", "中医院", "妇幼保健院"],
    "InternetHospital": ["互联网医院"],
    "GovernmentAgency": ["卫健委", "医保局", "药监局"],
    "Association": ["协会", "联盟", "学会"],
    "University": ["大学", "医学院"],
}
_TYPES = (
    ["Company"] * 35
    + ["Hospital"] * 25
    + ["InternetHospital"] * 20
    + ["GovernmentAgency"] * 8
    + ["Association"] * 6
    + ["University"] * 6
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红晓东宏波辉鹏飞云峰宁"
_TITLES = [
    ("CEO", "ceoOf"),
    ("首席执行官", "ceoOf"),
    ("董事长", "chairOf"),
    ("董事会主席", "chairOf"),
    ("院长", "presidentOf"),
    ("总裁", "presidentOf"),
    ("副总裁", None),
    ("总经理", None),
    ("主任", None),
    ("首席医疗官", None),
]
_RULES = {
    "partnersWith": ["partner-cue", "sign-agreement"],
    "operatesHospital": ["co-founded", "own-internet-hospital", "operates"],
    "subOrganizationOf": ["department-name", "subsidiary-cue"],
    "ceoOf": ["title:org-title-person"],
    "chairOf": ["title:org-title-person"],
    "presidentOf": ["title:org-title-person"],
    "holdsPosition": ["org-title-person"],
    "stockCode": ["stock-code"],
    "foundingYear": ["founded-in"],
}


def generate(target: int = 1_000_000, seed: int = 7) -> tuple[list[str], dict[str, dict]]:
    """N-Triples lines of a synthetic graph of about ``target`` triples.

    Returns:
        the lines, and the parameters of the one-entity queries, by query:
        the best-connected company, the organization with the most
        subsidiaries, the one with the most staff and the person with the
        most positions.
    """
    rnd = random.Random(seed)
    k = target / 1_000_000
    n_org, n_person, n_article = int(9_600 * k), int(7_200 * k), int(3_000 * k)
    out: list[str] = []
    add = out.append

    def lit(text: str, lang: str = "zh") -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@' + lang

    def typed(text: str, dt: str) -> str:
        return f'"{text}"^^<{XSD}{dt}>'

    used: set[str] = set()

    def name(suffixes: list[str], lo: int, hi: int) -> str:
        while True:
            n = "".join(rnd.choice(_CHARS) for _ in range(rnd.randint(lo, hi)))
            n += rnd.choice(suffixes)
            if n not in used:
                used.add(n)
                return n

    articles = []
    sentences: list[list[str]] = []
    for i in range(n_article):
        a = f"<{ID}article/{i:08x}>"
        articles.append(a)
        day = rnd.randrange(365 * 9)
        year, rest = 2016 + day // 365, day % 365
        date = (
            f"{year}-{1 + rest // 31 % 12:02d}-{1 + rest % 28:02d}T0{rnd.randrange(10)}:00:00+00:00"
        )
        add(f"{a} <{RDF}type> <{IHKG}Article> .")
        add(f"{a} <{DCT}title> {lit('互联网医疗合作新闻第' + str(i) + '号')} .")
        add(f"{a} <{DCT}date> {typed(date, 'dateTime')} .")
        add(f'{a} <{IHKG}fileName> "{i:03d}_{i:08x}.txt" .')
        sentences.append([])

    def sentence(text: str) -> str:
        art = rnd.randrange(n_article)
        idx = len(sentences[art])
        s = f"<{ID}sentence/{art:08x}/{idx}>"
        sentences[art].append(s)
        add(f"{s} <{RDF}type> <{IHKG}Sentence> .")
        add(f"{s} <{DCT}isPartOf> {articles[art]} .")
        add(f"{s} <{IHKG}sentenceIndex> {typed(str(idx), 'integer')} .")
        add(f"{s} <{IHKG}startChar> {typed(str(idx * 40), 'integer')} .")
        add(f"{s} <{IHKG}endChar> {typed(str(idx * 40 + len(text)), 'integer')} .")
        add(f"{s} <{PROV}value> {lit(text)} .")
        return s

    counter = [0]

    def assert_(s: str, p: str, o: str, text: str) -> None:
        add(f"{s} <{IHKG}{p}> {o} .")
        for _ in range(rnd.choice((1, 1, 2, 2, 3))):
            counter[0] += 1
            node = f"<{ID}assertion/{counter[0]:016x}>"
            add(f"{node} <{RDF}type> <{IHKG}Assertion> .")
            add(f"{node} <{RDF}subject> {s} .")
            add(f"{node} <{RDF}predicate> <{IHKG}{p}> .")
            add(f"{node} <{RDF}object> {o} .")
            add(f"{node} <{PROV}wasDerivedFrom> {sentence(text)} .")
            add(f'{node} <{IHKG}rule> "{rnd.choice(_RULES[p])}" .')
            conf = rnd.choice(("0.70", "0.80", "0.85", "0.90"))
            add(f"{node} <{IHKG}confidence> {typed(conf, 'decimal')} .")

    orgs: list[tuple[str, str, str]] = []
    for i in range(n_org):
        kind = rnd.choice(_TYPES)
        iri = f"<{ID}org/{i:012x}>"
        label = name(_SUFFIX[kind], 2, 3)
        orgs.append((iri, kind, label))
        add(f"{iri} <{RDF}type> <{IHKG}{kind}> .")
        add(f"{iri} <{RDFS}label> {lit(label)} .")
        if rnd.random() < 0.4:
            add(f"{iri} <{SKOS}altLabel> {lit(name(['有限公司', '股份有限公司'], 3, 4))} .")
        if rnd.random() < 0.05:
            add(f"{iri} <{RDFS}label> {lit('Org ' + str(i), 'en')} .")
        for _ in range(rnd.randint(1, 3)):
            add(f"{iri} <{IHKG}mentionedIn> {rnd.choice(articles)} .")
    by_kind: dict[str, list[int]] = {}
    for i, (_, kind, _) in enumerate(orgs):
        by_kind.setdefault(kind, []).append(i)

    people: list[tuple[str, str]] = []
    for i in range(n_person):
        iri = f"<{ID}person/{i:012x}>"
        while True:
            label = rnd.choice(_SURNAMES) + "".join(
                rnd.choice(_GIVEN) for _ in range(rnd.randint(1, 2))
            )
            if label not in used:
                used.add(label)
                break
        people.append((iri, label))
        add(f"{iri} <{RDF}type> <{IHKG}Person> .")
        add(f"{iri} <{RDFS}label> {lit(label)} .")
        for _ in range(rnd.randint(1, 2)):
            add(f"{iri} <{IHKG}mentionedIn> {rnd.choice(articles)} .")

    degree = [0] * n_org
    children = [0] * n_org
    staff = [0] * n_org
    seen: set[tuple[int, int]] = set()
    for _ in range(int(n_org * 1.3)):
        a, b = rnd.randrange(n_org), rnd.randrange(n_org)
        if a == b or (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        degree[a] += 1
        degree[b] += 1
        assert_(orgs[a][0], "partnersWith", orgs[b][0], f"{orgs[a][2]}与{orgs[b][2]}达成战略合作。")
    hospitals = by_kind["Hospital"] + by_kind["Company"]
    for ih in by_kind["InternetHospital"]:
        for op in {rnd.choice(hospitals) for _ in range(rnd.randint(1, 2))}:
            assert_(
                orgs[op][0],
                "operatesHospital",
                orgs[ih][0],
                f"{orgs[op][2]}建设运营{orgs[ih][2]}。",
            )
    for i in rnd.sample(range(n_org), n_org // 5):
        parent = rnd.randrange(n_org)
        if parent != i:
            children[parent] += 1
            assert_(
                orgs[i][0],
                "subOrganizationOf",
                orgs[parent][0],
                f"{orgs[i][2]}是{orgs[parent][2]}的下属机构。",
            )
    for i in by_kind["Company"]:
        if rnd.random() < 0.2:
            code = f"{rnd.randrange(10000):05d}.HK"
            assert_(orgs[i][0], "stockCode", f'"{code}"', f"{orgs[i][2]}({code})。")
        if rnd.random() < 0.3:
            year = str(rnd.randint(1990, 2022))
            assert_(
                orgs[i][0], "foundingYear", typed(year, "gYear"), f"{orgs[i][2]}成立于{year}年。"
            )
    positions = [0] * n_person
    for pi, (piri, plabel) in enumerate(people):
        for _ in range(rnd.choice((1, 1, 1, 2, 2, 3))):
            oi = rnd.randrange(n_org)
            title, relation = rnd.choice(_TITLES)
            positions[pi] += 1
            staff[oi] += 1
            pos = f"<{ID}position/{pi:08x}{oi:08x}{len(title)}>"
            add(f"{pos} <{RDF}type> <{IHKG}Position> .")
            add(f"{pos} <{IHKG}person> {piri} .")
            add(f"{pos} <{IHKG}organization> {orgs[oi][0]} .")
            add(f"{pos} <{IHKG}title> {lit(title)} .")
            text = f"{orgs[oi][2]}{title}{plabel}表示，将继续推进互联网医疗。"
            assert_(piri, "holdsPosition", pos, text)
            if relation:
                assert_(piri, relation, orgs[oi][0], text)

    def most(counts: list[int], among=range(n_org)) -> str:
        return orgs[max(among, key=lambda i: (counts[i], -i))][2]

    hub = most(degree, by_kind["Company"])
    person = people[max(range(n_person), key=lambda i: (positions[i], -i))][1]
    return out, {
        "partners": {"org": hub},
        "two-hops": {"org": hub},
        "evidence": {"name": hub},
        "entity-articles": {"name": hub},
        "subsidiaries": {"org": most(children)},
        "people-of": {"org": most(staff)},
        "positions": {"person": person},
    }


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):  # noqa: ARG001
    raise _Timeout


def timed(fn: Callable[[], object], cap: float | None = None) -> float | None:
    """Seconds ``fn`` takes, or ``None`` when it runs past ``cap`` seconds."""
    if cap:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, cap)
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    except _Timeout:
        return None
    finally:
        if cap:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def median_time(fn: Callable[[], object], budget: float, most: int, cap: float | None = None):
    """Median of up to ``most`` runs within about ``budget`` seconds (after a warm-up)."""
    first = timed(fn, cap)
    if first is None:
        return None
    times = [first]
    while len(times) < most and sum(times) < budget:
        t = timed(fn, cap)
        if t is None:
            return None
        times.append(t)
    return statistics.median(times[1:] if len(times) > 2 else times)


def fmt(seconds: float | None, cap: float) -> str:
    if seconds is None:
        return f"> {cap:g} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


def ratio(base: float | None, fast: float | None, cap: float) -> str:
    if fast is None:
        return "–"
    if base is None:
        return f"> {cap / fast:,.0f}×"
    return f"{base / fast:,.0f}×" if base / fast >= 10 else f"{base / fast:.1f}×"


def measure(store, params, budget: float, graph=None, cap: float = 0.0) -> dict[str, tuple]:
    """Median latency of every named query on ``store`` (pyoxigraph) and, when
    ``graph`` is given, on it (rdflib, capped at ``cap`` seconds): name ->
    (rdflib seconds or None, pyoxigraph seconds, rows)."""
    out = {}
    for name, q in load_queries().items():
        given = params.get(name, {})
        ox = median_time(lambda q=q, given=given: run_named(store, q, given), budget, 20)
        rows = len(run_named(store, q, given).rows)
        rd = None
        if graph is not None:
            rd = median_time(lambda q=q, given=given: run_named(graph, q, given), budget, 5, cap)
        out[name] = (rd, ox, rows)
        print(
            f"  {name:<22} rdflib {fmt(rd, cap):>10}  oxigraph {fmt(ox, cap):>10}  {rows} rows",
            file=sys.stderr,
            flush=True,
        )
    return out


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--cap", type=float, default=10.0, help="stop an rdflib run after this many seconds"
    )
    ap.add_argument(
        "--budget", type=float, default=1.0, help="seconds of repeated runs per query and engine"
    )
    args = ap.parse_args(argv)

    import pyoxigraph as ox
    import rdflib

    from kg.build import build

    load = os.getloadavg()[0]
    from kg.store import from_graph

    print("demo graph (data/articles)", file=sys.stderr)
    demo = build([ROOT / "data" / "articles"]).graph  # with its own corrections.yaml
    small = measure(from_graph(demo), {}, args.budget, demo, args.cap)

    print(f"generating about {args.triples:,} triples (seed {args.seed})", file=sys.stderr)
    lines, params = generate(args.triples, args.seed)
    with tempfile.TemporaryDirectory(prefix="ihkg-bench-") as tmp:
        nt = Path(tmp) / "big.nt"
        nt.write_text("\n".join(lines) + "\n", encoding="utf-8")
        del lines
        store = ox.Store()
        t_ox = timed(lambda: store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES))
        from kg.store import GraphStore

        n = len(store)
        print(f"{n:,} triples; entities asked about: {params}", file=sys.stderr)
        # pyoxigraph first, as `kg query` runs it: with no rdflib graph of millions
        # of Python objects in the same process, which slows every allocation
        oxigraph = measure(GraphStore(store), params, args.budget)
        graph = rdflib.Graph()
        t_rd = timed(lambda: graph.parse(nt, format="nt"))
        # keep the garbage collector from walking the rdflib graph again and again
        # while the queries allocate their rows
        gc.collect()
        gc.freeze()
        print(f"load: rdflib {t_rd:.1f} s, pyoxigraph {t_ox:.1f} s", file=sys.stderr)
        rdf = measure(GraphStore(store), params, args.budget, graph, args.cap)
        large = {q: (rdf[q][0], oxigraph[q][1], oxigraph[q][2]) for q in oxigraph}

    print(
        f"Named queries, median latency; {len(demo):,}-triple demo graph and a generated "
        f"{n:,}-triple graph (seed {args.seed}); rdflib runs capped at {args.cap:g} s."
    )
    print(
        f"Machine: {_cpu()}, {os.cpu_count()} cores, load average {load:.1f} at the start, "
        f"Python {platform.python_version()}, rdflib {rdflib.__version__}, "
        f"pyoxigraph {ox.__version__}. Loading the large graph: rdflib {t_rd:.0f} s, "
        f"pyoxigraph {t_ox:.1f} s.\n"
    )
    big = f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.0f}k"
    print(
        f"| query | demo: rdflib | demo: pyoxigraph | speed-up | {big}: rdflib "
        f"| {big}: pyoxigraph | speed-up | {big} rows |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in small:
        a, b, _ = small[name]
        c, d, rows = large[name]
        label = f"{name} (one entity)" if name in ONE_ENTITY else name
        print(
            f"| {label} | {fmt(a, args.cap)} | {fmt(b, args.cap)} | {ratio(a, b, args.cap)} "
            f"| {fmt(c, args.cap)} | {fmt(d, args.cap)} | {ratio(c, d, args.cap)} | {rows:,} |"
        )
    worst = max(large[q][1] for q in ONE_ENTITY)
    listing = large[LISTING][1]
    print(
        f"\nTargets on pyoxigraph at {n:,} triples: one-entity queries < 10 ms: slowest "
        f"{fmt(worst, args.cap)} ({'met' if worst < 0.010 else 'MISSED'}); all partnerships "
        f"with labels < 1 s: {fmt(listing, args.cap)} "
        f"({'met' if listing < 1 else 'MISSED'})."
    )


if __name__ == "__main__":
    main()
