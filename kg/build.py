"""``build(paths) -> BuildResult``: articles in, knowledge graph out.

The one entry point shared by the command line and notebooks, with the same
defaults (``kg.defaults.BuildOptions``: the corpus's own corrections, ...), so
that a notebook gets the graph ``kg build`` writes::

    from kg.build import build
    result = build(["data/articles"])
    result.graph          # rdflib.Graph (made on first use)
    result.triples        # the same triples, lighter (made on first use)
    result.parts          # the graph in parts: what outputs are written from
    result.summary()      # counts by type

A broken article is reported (file name and reason) and the rest are built.
Reading and extraction (``kg.work``) are a per-article map (``kg.parallel``) that can run on
processes or a Dask cluster, and whose results can be cached (``kg.cache``)::

    result = build(["corpus"], jobs=2, cache="out/.cache")
    result.processed, result.cached, result.timings
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.articles import Article
from kg.cache import ArticleCache
from kg.corrections import Corrections, apply_corrections, load_corrections
from kg.defaults import DEFAULTS, BuildOptions
from kg.errors import printable
from kg.extract import Extraction
from kg.files import iter_article_paths, shown_name
from kg.graph import GraphParts, Triples
from kg.parallel import available_cpus, map_articles
from kg.resolve import KnowledgeBase, resolve
from kg.work import Outcome

__all__ = [
    "DEFAULTS",
    "FROM_CORPUS",
    "BuildOptions",
    "BuildResult",
    "Problem",
    "build",
    "write_outputs",
]

FROM_CORPUS = "<the corpus's own>"
"""``corrections=FROM_CORPUS`` (the default): the corrections of the folder built."""
AUTO_JOBS_FROM = 200
"""With ``jobs=None``, this many files to process or more run on one process per CPU."""
OVERLAP_FROM = 2000
"""With ``jobs=None`` and fewer files to process than ``AUTO_JOBS_FROM``, one
worker process processes them while this one reads this many cached outcomes
or more (the worker's start-up, mostly loading the models, then costs nothing)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one input file: ``fatal`` if the file was skipped."""

    path: str
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        return printable(f"{self.path}: {self.reason}")


@dataclass(slots=True)
class BuildResult:
    """The graph of a build and what went into it.

    ``parts`` holds the graph as a build makes it (``kg.graph.GraphParts``:
    the entities and facts, and each article's provenance apart), which the
    outputs are written from; ``triples`` is the whole graph as
    ``kg.graph.Triples`` and ``graph`` as an ``rdflib.Graph``, each made on
    first use (at 10,000 articles they take seconds and a few times the
    memory). ``processed`` files were read and extracted by this build;
    ``cached`` ones came from the cache folder ``cache`` (``kg.cache``; the
    build's, not a part of its result: ``write_outputs`` opens it again to
    keep each article's Turtle). ``timings`` has the seconds spent in each
    stage (``files``: reading files and the cache, ``articles``: reading and
    extraction, ``resolve``, ``graph``).
    """

    parts: GraphParts
    kb: KnowledgeBase
    articles: dict[str, Article]
    files: dict[str, list[str]]
    problems: list[Problem] = field(default_factory=list)
    processed: int = 0
    cached: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    cache: Path | None = None
    _triples: Triples | None = field(default=None, repr=False)
    _graph: Graph | None = field(default=None, repr=False)

    @property
    def triples(self) -> Triples:
        """The whole graph as ``kg.graph.Triples`` (made once, on first use)."""
        if self._triples is None:
            self._triples = self.parts.triples()
        return self._triples

    @property
    def graph(self) -> Graph:
        """The graph as an ``rdflib.Graph`` (made once, on first use)."""
        if self._graph is None:
            self._graph = self.triples.to_graph()
        return self._graph

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    def summary(self) -> dict:
        """Counts: articles read, entities by type, relations by type, errors."""
        return {
            "articles": len(self.articles),
            "files": sum(len(v) for v in self.files.values()),
            "entities": dict(sorted(Counter(e.type for e in self.kb.entities.values()).items())),
            "relations": dict(sorted(Counter(f.predicate for f in self.kb.relations).items())),
            "positions": len(self.kb.positions),
            "attributes": dict(sorted(Counter(f.predicate for f in self.kb.attributes).items())),
            "triples": len(self.parts),
            "errors": len(self.errors),
            "warnings": len(self.problems) - len(self.errors),
        }


def build(
    paths: Iterable[str | Path] = (DEFAULTS.corpus,),
    *,
    min_confidence: float = DEFAULTS.min_confidence,
    progress: bool = False,
    corrections: str | Path | None = FROM_CORPUS,
    jobs: int | None = None,
    dask_scheduler: str | None = None,
    cache: str | Path | None = None,
    max_chars: int | None = DEFAULTS.max_chars,
    ids: str | Path | None = None,
    skip: Iterable[str | Path] = (),
    time_limit: float | None = DEFAULTS.time_limit,
) -> BuildResult:
    """Read articles, extract, resolve and build the graph.

    Per-article work (reading and extraction) is a map over the files
    (``kg.parallel``): here, on ``jobs`` processes or on a Dask cluster, with
    the same result; with a ``cache`` folder only new or changed files are
    processed. Resolution and the graph then take every article at once.

    Args:
        paths: article files and folders (folders are searched recursively).
        min_confidence (float): drop evidence below this confidence.
        progress (bool): show a progress bar on standard error.
        corrections (path | None): a corrections file (see ``kg.corrections``)
            applied to resolution and to the result; names it gives that match
            nothing are reported as warnings. By default (``FROM_CORPUS``) the
            corpus's own: ``corrections.yaml`` inside the one folder built
            (``BuildOptions``); ``None``: no corrections.
        jobs (int | None): worker processes (1: this process; 0: one per
            CPU; ``None``: one per CPU when ``AUTO_JOBS_FROM`` files or more
            need processing, else this process, which saves starting workers
            for a small or incremental build; but one worker when this
            process has ``OVERLAP_FROM`` cached outcomes or more to read
            meanwhile).
        dask_scheduler (str | None): run per-article work on this Dask
            scheduler (``tcp://host:8786``) instead.
        cache (path | None): the per-article cache folder (``None``: no cache).
        max_chars (int | None): the longest body text an article may have.
        ids (path | None): the identifier file of an earlier build
            (``OUT/ids.tsv``, see ``kg.resolve``), read when it exists: an
            entity keeps the IRI it had there. ``write_outputs`` writes the
            updated one.
        skip (paths): folders inside the input folders not to read (the
            output folder); the cache folder is never read.
        time_limit (float | None): seconds one article may take to read and
            extract; a slower one is that article's error (``None``: no limit).

    Returns:
        BuildResult: the graph, the resolved knowledge base, the articles and
        every problem met.

    Raises:
        ArticleError: when a path given does not exist, or a folder has no articles.
        KgError: the Dask scheduler cannot be reached, or a worker died.
    """
    from tqdm import tqdm

    clock = _Clock()
    found: list[tuple[str, str]] = []
    paths = [Path(p) for p in paths]
    if isinstance(corrections, str) and corrections == FROM_CORPUS:
        corrections = corpus_corrections(paths, found)
    skip = [*skip, *([cache] if cache is not None else [])]
    files = iter_article_paths(paths, skip=skip, problems=found)
    store = ArticleCache(cache) if cache is not None else None
    if store is not None:
        store.prune()
    outcomes: list[Outcome | None] = [None] * len(files)
    todo: list[tuple[int, str, bytes, str | None]] = []  # to process
    kept: list[tuple[int, Path, str]] = []  # in the cache
    with tqdm(
        total=len(files), desc="articles", unit="art", disable=not progress, leave=False
    ) as bar:
        for i, path in enumerate(files):
            try:
                data = path.read_bytes()
            except OSError as e:
                outcomes[i] = _unreadable(path, e)
                bar.update(1)
                continue
            key = store.key(path.name, data, max_chars) if store is not None else None
            if store is not None and store.has(key):
                kept.append((i, path, key))
            else:
                todo.append((i, path.name, data, key))
        background = False
        if jobs is None:
            jobs = 0 if len(todo) >= AUTO_JOBS_FROM else 1
            background = jobs == 1 and len(kept) >= OVERLAP_FROM and available_cpus() > 1
        running = map_articles(  # starts now on processes; here, when iterated
            [(name, data) for _, name, data, _ in todo],
            jobs=jobs,
            dask_scheduler=dask_scheduler,
            max_chars=max_chars,
            time_limit=time_limit,
            on_done=bar.update,
            processes=background,
        )
        damaged = []  # cache entries that cannot be read: processed after the others
        rejected: list[Problem] = []
        try:
            with gc_paused():
                for i, path, key in kept:
                    hit = store.get(key)
                    if hit is None:
                        if key in store.rejected:
                            why = store.rejected[key]
                            rejected.append(
                                Problem(path.name, f"cache entry {why}; read again", False)
                            )
                        try:
                            damaged.append((i, path.name, path.read_bytes(), key))
                        except OSError as e:
                            outcomes[i] = _unreadable(path, e)
                    else:
                        outcomes[i] = hit
                        bar.update(1)
            clock.lap("files")
            for (i, _, _, key), outcome in zip(todo, running, strict=True):
                outcomes[i] = outcome
                if store is not None and key is not None:
                    store.put(key, outcome)
        finally:
            running.close()
        if damaged:
            again = map_articles(
                [(n, d) for _, n, d, _ in damaged], max_chars=max_chars, time_limit=time_limit
            )
            for (i, _, _, key), outcome in zip(damaged, again, strict=True):
                outcomes[i] = outcome
                store.put(key, outcome)
    del todo, kept, damaged
    clock.lap("articles")
    with gc_paused():
        result = _assemble(outcomes, store, corrections, ids, min_confidence, clock)
    folders = [Problem(path, why, fatal=not why.startswith(_NOT_FATAL)) for path, why in found]
    result.problems[:0] = folders
    result.problems += rejected
    return result


_NOT_FATAL = ("skipped", "not applied")


def corpus_corrections(paths: list[Path], problems: list[tuple[str, str]]) -> Path | None:
    """The corrections a build of ``paths`` applies by default: the corpus's own.

    That is the file ``BuildOptions.corrections`` inside the folder built,
    when one folder is built. With several paths none is applied, and each
    such file is reported in ``problems`` (``(file, reason)``): corrections
    written for one corpus are not applied to a build that reads more.

    >>> corpus_corrections([Path("no/such/folder")], [])
    """
    owned = [p / DEFAULTS.corrections for p in paths if (p / DEFAULTS.corrections).is_file()]
    if len(paths) == 1:
        return owned[0] if owned else None
    problems += [
        (
            str(f),
            f"not applied: written for {f.parent} alone, and this build reads more; "
            "apply it with --corrections (corrections= in Python)",
        )
        for f in owned
    ]
    return None


def _unreadable(path: Path, e: OSError) -> Outcome:
    return Outcome(shown_name(path.name), error=f"cannot read file ({e.strerror or e})")


def _assemble(outcomes, store, corrections, ids, min_confidence, clock) -> BuildResult:
    """The articles' outcomes to a resolved knowledge base and its triples."""
    from kg.graph import graph_parts

    problems: list[Problem] = []
    articles: dict[str, Article] = {}
    names: dict[str, list[str]] = {}
    extractions: dict[str, Extraction] = {}
    for outcome in outcomes:
        assert outcome is not None
        article = outcome.article
        if article is None:
            problems.append(Problem(outcome.name, outcome.error or "cannot be read"))
            continue
        problems += [Problem(article.path, w, fatal=False) for w in article.warnings]
        names.setdefault(article.key, []).append(article.path)
        first = articles.get(article.key)
        if first is not None:  # the same article under another name: one node set, both sources
            if (first.title, first.date) != (article.title, article.date):
                problems.append(Problem(article.path, _same_body(article, first), fatal=False))
            continue
        if outcome.extraction is None:
            problems.append(Problem(article.path, outcome.error or "extraction failed"))
            continue
        articles[article.key] = article
        extractions[article.key] = outcome.extraction
    if store is not None:
        problems += [Problem(str(store.folder), e, fatal=False) for e in store.errors]
    fixes = load_corrections(corrections) if corrections is not None else Corrections()
    notes: list[str] = []
    known = _read_ids(ids, problems) if ids is not None else None
    kb = resolve(sorted(extractions.items()), fixes.merge, fixes.split, notes, known)
    del extractions  # the graph needs the articles only
    if len(fixes):
        kb, more = apply_corrections(kb, fixes)
        notes += more
    problems += [
        Problem(
            Path(fixes.path).name,
            n.split(": ", 1)[-1] if n.startswith(fixes.path) else n,
            fatal=False,
        )
        for n in notes
    ]
    if min_confidence > 0:
        kb = kb.filter(min_confidence)
    clock.lap("resolve")
    parts = graph_parts(kb, articles, names)
    clock.lap("graph")
    cached = store.hits if store is not None else 0
    folder = store.folder if store is not None else None
    processed = len(outcomes) - cached
    return BuildResult(parts, kb, articles, names, problems, processed, cached, clock.laps, folder)


def _same_body(article: Article, first: Article) -> str:
    def said(a: Article) -> str:
        return f"{_clip(a.title)!r}, {a.date or 'no date'}"

    return (
        f"same body as {first.path} under another title or date ({said(article)} here, "
        f"{said(first)} there); read as one article, with the title and date of {first.path}"
    )


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _read_ids(path: str | Path, problems: list[Problem]) -> dict | None:
    """The ids in ``path`` (``None`` when there is no such file); bad lines become warnings."""
    from kg.resolve import parse_ids

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        problems.append(Problem(path.name, f"cannot read identifiers ({e}); made afresh", False))
        return None
    notes: list[str] = []
    ids = parse_ids(text, notes)
    problems += [Problem(path.name, f"{n} (skipped)", fatal=False) for n in notes]
    return ids


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while building big acyclic structures.

    Reading the cache, resolving and making the graph allocate millions of
    small objects and no cycles; the collector's full passes rescan all of
    them again and again (at 10,000 articles, more than half of the graph
    stage and a third of writing the HTML). Extraction, which makes spaCy
    objects that can hold cycles, runs with the collector on.

    On leaving, what was made meanwhile goes straight to the oldest generation
    (``gc.freeze`` then ``gc.unfreeze``, two list splices): the young
    generations' passes would otherwise scan all of it, twice (about 0.3 s
    each at 10,000 articles). Nothing stays frozen, so cycles are still
    collected by the collector's full passes.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()  # every object to the oldest generation, without a scan
            gc.unfreeze()
            gc.enable()


class _Clock:
    """Seconds between calls of ``lap``, by name."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


def write_outputs(result: BuildResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``graph.ttl``, ``graph.html``, ``ids.tsv`` and ``errors.jsonl`` into ``out_dir``.

    ``ids.tsv`` holds the identifier of every name (``kg.resolve.format_ids``),
    for the next build's ``ids``. With a cache, the Turtle of articles whose
    part of the graph did not change since the last build is not written again
    (``kg.graph.GraphParts.turtle``): the file is the same either way.

    The four files are replaced together, under the folder's build lock
    (``kg.outputs``): a reader sees all of the old ones or all of the new.

    Raises:
        KgError: another build holds the lock of ``out_dir``.
    """
    import json

    from kg.evidence import evidence_index
    from kg.files import write_atomic
    from kg.network import to_networkx
    from kg.outputs import output_lock, output_set
    from kg.resolve import format_ids
    from kg.viz import write_html

    out = Path(out_dir)
    parts = result.parts
    store = ArticleCache(result.cache) if result.cache is not None else None
    with output_lock(out), output_set(out, list(_OUTPUTS.values())) as new, gc_paused():
        memo = store.turtle() if store is not None else None
        write_atomic(new / "graph.ttl", parts.turtle(memo))
        if store is not None:
            known = len(store.errors)
            store.save_turtle(memo)
            result.problems += [Problem(str(store.folder), e, False) for e in store.errors[known:]]
            result.problems += [
                Problem(str(store.folder), f"Turtle cache {name} {why}; written anew", False)
                for name, why in store.rejected_turtle.items()
            ]
        G = to_networkx(parts.core, evidence_index(parts))
        write_html(parts.core, new / "graph.html", G=G)
        write_atomic(new / "ids.tsv", format_ids(result.kb.ids))
        lines = "".join(
            json.dumps({"file": p.path, "reason": p.reason, "fatal": p.fatal}, ensure_ascii=False)
            + "\n"
            for p in result.problems
        )
        write_atomic(new / "errors.jsonl", lines)
    return {kind: out / name for kind, name in _OUTPUTS.items()}


_OUTPUTS = {"turtle": "graph.ttl", "html": "graph.html", "ids": "ids.tsv", "errors": "errors.jsonl"}
