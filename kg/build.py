"""``build(paths) -> BuildResult``: articles in, knowledge graph out.

The one entry point shared by the command line and notebooks::

    from kg.build import build
    result = build(["data/articles"])
    result.graph          # rdflib.Graph
    result.summary()      # counts by type

A broken article is reported (file name and reason) and the rest are built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.articles import Article, iter_article_paths, read_article
from kg.corrections import Corrections, apply_corrections, load_corrections
from kg.errors import ArticleError
from kg.extract import Extraction, extract_article
from kg.resolve import KnowledgeBase, resolve

__all__ = ["BuildResult", "Problem", "build", "write_outputs"]

DEFAULT_CORPUS = Path("data/articles")
DEFAULT_CORRECTIONS = Path("data/corrections.yaml")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one input file: ``fatal`` if the file was skipped."""

    path: str
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(slots=True)
class BuildResult:
    """The graph of a build and what went into it."""

    graph: Graph
    kb: KnowledgeBase
    articles: dict[str, Article]
    files: dict[str, list[str]]
    problems: list[Problem] = field(default_factory=list)

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
            "triples": len(self.graph),
            "errors": len(self.errors),
            "warnings": len(self.problems) - len(self.errors),
        }


def build(
    paths: Iterable[str | Path] = (DEFAULT_CORPUS,),
    *,
    min_confidence: float = 0.0,
    progress: bool = False,
    corrections: str | Path | None = None,
) -> BuildResult:
    """Read articles, extract, resolve and build the graph.

    Args:
        paths: article files and folders (folders are searched recursively).
        min_confidence (float): drop evidence below this confidence.
        progress (bool): show a progress bar on standard error.
        corrections (path): a corrections file (see ``kg.corrections``) applied
            to resolution and to the result; names it gives that match nothing
            are reported as warnings.

    Returns:
        BuildResult: the graph, the resolved knowledge base, the articles and
        every problem met.

    Raises:
        ArticleError: when a path given does not exist.
    """
    from tqdm import tqdm

    from kg.graph import build_graph

    files = iter_article_paths([Path(p) for p in paths])
    problems: list[Problem] = []
    articles: dict[str, Article] = {}
    names: dict[str, list[str]] = {}
    extractions: dict[str, Extraction] = {}
    for path in tqdm(files, desc="articles", unit="art", disable=not progress, leave=False):
        try:
            article = read_article(path)
        except ArticleError as e:
            problems.append(Problem(e.path, e.reason))
            continue
        problems += [Problem(article.path, w, fatal=False) for w in article.warnings]
        names.setdefault(article.key, []).append(article.path)
        if article.key in articles:
            continue  # the same article under another name: one node set, both sources
        try:
            extractions[article.key] = extract_article(article)
        except Exception as e:  # keep the batch going; the message names the file
            problems.append(Problem(article.path, f"extraction failed: {type(e).__name__}: {e}"))
            continue
        articles[article.key] = article
    fixes = load_corrections(corrections) if corrections is not None else Corrections()
    notes: list[str] = []
    kb = resolve(sorted(extractions.items()), fixes.merge, fixes.split, notes)
    if len(fixes):
        kb, more = apply_corrections(kb, fixes)
        notes += more
    problems += [Problem(Path(fixes.path).name, n.split(": ", 1)[-1] if n.startswith(fixes.path)
                         else n, fatal=False) for n in notes]
    if min_confidence > 0:
        kb = kb.filter(min_confidence)
    graph = build_graph(kb, articles, names)
    return BuildResult(graph, kb, articles, names, problems)


def write_outputs(result: BuildResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``graph.ttl``, ``graph.html`` and ``errors.jsonl`` into ``out_dir``."""
    import json

    from kg.export import write_atomic, write_turtle
    from kg.viz import write_html

    out = Path(out_dir)
    paths = {
        "turtle": write_turtle(result.graph, out / "graph.ttl"),
        "html": write_html(result.graph, out / "graph.html"),
    }
    lines = [
        json.dumps({"file": p.path, "reason": p.reason, "fatal": p.fatal}, ensure_ascii=False)
        for p in result.problems
    ]
    paths["errors"] = write_atomic(out / "errors.jsonl", "".join(line + "\n" for line in lines))
    return paths
