"""A fast store for queries: pyoxigraph, persisted next to the Turtle.

rdflib builds the graph (``kg.graph``); queries run on pyoxigraph, a SPARQL
engine in Rust, which answers one-entity questions in milliseconds where
rdflib takes seconds on a large graph. ``open_store("out/graph.ttl")`` opens
the store folder ``out/graph.oxigraph/``, loading the Turtle into it first
when the folder is missing or stale: the folder records the SHA-256 of the
Turtle it was loaded from (``source.json``), and a Turtle whose content
changed is loaded again, whatever its size and modification time. Loading writes a new folder and
renames it into place, so a stopped load leaves no half-built store.

Values are bound with pyoxigraph's ``substitutions`` (SPARQL SEP-0007), never
pasted into the query, and results come back as the ``kg.sparql.Table`` that
rdflib gives for the same query::

    from kg.store import open_store
    from kg.query import run_named
    store = open_store("out/graph.ttl")
    run_named(store, "partners", {"org": "甲健康"}).rows
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import GraphError, QueryError
from kg.load import rdf_format
from kg.sparql import PREFIXES, Table, from_oxigraph, run_offline, syntax_error, term_text

__all__ = [
    "GraphStore",
    "from_graph",
    "from_oxigraph",
    "is_fresh",
    "load_turtle",
    "open_store",
    "store_path",
    "to_oxigraph",
]

STAMP = "source.json"
DB = "db"
_SYNTAX = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_NOT_PROJECTED = re.compile(r"variable \?(\w+) in its SELECT projection")


def to_oxigraph(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term.

    >>> to_oxigraph(Literal("甲", lang="zh"))
    <Literal value=甲 language=zh>
    >>> to_oxigraph(URIRef("urn:x"))
    <NamedNode value=urn:x>
    """
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


@dataclass(slots=True)
class GraphStore:
    """A pyoxigraph store holding one graph.

    The graph is the store's default graph, or, when the store holds named
    graphs (a TriG or N-Quads export keeps each article's sentences in one),
    the union of all its graphs: the same answers whichever format was loaded.

    Attributes:
        store (pyoxigraph.Store): the store.
        path (Path | None): its folder, or ``None`` when it lives in memory.
        union (bool): query the union of all graphs (default: whether the
            store holds a named graph).
    """

    store: Any
    path: Path | None = None
    union: bool | None = None

    def __post_init__(self) -> None:
        if self.union is None:
            self.union = next(iter(self.store.named_graphs()), None) is not None

    def __len__(self) -> int:
        return len(self.store)

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every triple, as rdflib terms (a triple held in several graphs comes once)."""
        quads: Any = iter(self.store)
        if self.union:
            quads = {(q.subject, q.predicate, q.object): q for q in quads}.values()
        for q in quads:
            yield from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)

    def query(
        self,
        text: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        allow_service: bool = False,
    ) -> Table:
        """Run a SELECT or ASK query with ``bindings`` substituted.

        The query runs without network access (``kg.sparql.run_offline``)
        unless ``allow_service`` is true.

        Args:
            text (str): SPARQL; the project's prefixes are predeclared.
            bindings (dict[str, Node]): variable name to RDF term; each must be
                a variable of the SELECT clause.
            allow_service (bool): let ``SERVICE`` send requests to other servers.

        Raises:
            QueryError: the query does not parse (the parser's message with
                its line and column), is not a SELECT or ASK, binds a
                variable it does not select, or tries to reach the network.
        """
        import pyoxigraph as ox

        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}

        def evaluate() -> Table:
            result = self.store.query(
                text,
                prefixes=PREFIXES,
                substitutions=subs or None,
                use_default_graph_as_union=bool(self.union),
            )
            if isinstance(result, ox.QueryBoolean):
                return Table(["ask"], [[str(bool(result)).lower()]])
            if not isinstance(result, ox.QuerySolutions):
                raise QueryError("only SELECT and ASK queries are run, not CONSTRUCT or DESCRIBE")
            return _table(result)

        try:
            return evaluate() if allow_service else run_offline(evaluate, text)
        except SyntaxError as e:
            m = _SYNTAX.match(str(e))
            if m:
                raise syntax_error(text, int(m[1]), int(m[2]), m[3]) from None
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except (RuntimeError, OSError, ValueError) as e:
            m = _NOT_PROJECTED.search(str(e))
            if m:
                raise QueryError(
                    f"parameter ?{m[1]} is not in the SELECT clause; add it there "
                    "(pyoxigraph binds only selected variables, and its value then comes "
                    "back as a column)"
                ) from None
            raise QueryError(f"query failed: {e}") from None


def _table(result: Any) -> Table:
    """pyoxigraph ``QuerySolutions`` as a ``Table``."""
    columns = [v.value for v in result.variables]
    n = len(columns)
    seen: dict[Any, tuple[Node | None, str]] = {None: (None, "")}

    def cell(term: Any) -> tuple[Node | None, str]:
        # names and titles repeat from row to row: convert each term once
        try:
            return seen[term]
        except KeyError:
            node = from_oxigraph(term)
            seen[term] = out = (node, term_text(node))
            return out

    cells = [[cell(sol[i]) for i in range(n)] for sol in result]
    return Table(
        columns, [[c[1] for c in row] for row in cells], [[c[0] for c in row] for row in cells]
    )


def from_graph(graph: Graph) -> GraphStore:
    """An in-memory store holding the triples of an rdflib graph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.DefaultGraph())
        for s, p, o in graph
    )
    return GraphStore(store)


def load_turtle(path: str | Path) -> GraphStore:
    """An in-memory store loaded from a Turtle (or N-Triples) file.

    Raises:
        GraphError: the file is missing or does not parse.
    """
    import pyoxigraph as ox

    path = Path(path)
    _check_source(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=rdf_format(path))
    except (SyntaxError, ValueError, OSError) as e:
        raise GraphError(f"{path}: cannot load graph ({e})") from None
    return GraphStore(store)


def store_path(turtle: str | Path) -> Path:
    """The store folder of a Turtle file: ``out/graph.ttl`` gives ``out/graph.oxigraph``.

    >>> store_path("out/graph.ttl").as_posix()
    'out/graph.oxigraph'
    """
    return Path(turtle).with_suffix(".oxigraph")


def _check_source(path: Path) -> None:
    if not path.is_file():
        raise GraphError.missing(path)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _version() -> str:
    from importlib.metadata import version

    return version("pyoxigraph")


def _read_stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _stamp(turtle: Path, digest: str | None = None) -> dict:
    st = turtle.stat()
    return {
        "source": turtle.name,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "sha256": digest or _sha256(turtle),
        "pyoxigraph": _version(),
    }


def is_fresh(turtle: str | Path, folder: str | Path | None = None) -> bool:
    """Whether the store folder holds the Turtle file as it is now.

    The content decides: the SHA-256 of the Turtle against the one the store
    was loaded from. Size and modification time say nothing (a file replaced
    by another of the same size within the clock's resolution, or with its
    time set back, keeps both), so the file is hashed each time, at about a
    second a gigabyte; a file rewritten with the same content (``kg build``
    run again) does not cause a reload.
    """
    turtle = Path(turtle)
    folder = Path(folder) if folder is not None else store_path(turtle)
    stamp = _read_stamp(folder)
    if not stamp or stamp.get("pyoxigraph") != _version() or not (folder / DB).is_dir():
        return False
    digest = _sha256(turtle)
    if stamp.get("sha256") != digest:
        return False
    if stamp.get("mtime_ns") != turtle.stat().st_mtime_ns:
        from kg.files import write_atomic

        write_atomic(folder / STAMP, json.dumps({**stamp, **_stamp(turtle, digest)}, indent=2))
    return True


def _build(turtle: Path, folder: Path) -> None:
    import pyoxigraph as ox

    digest = _sha256(turtle)
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        store = ox.Store(str(tmp / DB))
        try:
            store.bulk_load(path=str(turtle), format=rdf_format(turtle))
        except (SyntaxError, ValueError) as e:
            raise GraphError(f"{turtle}: cannot load graph ({e})") from None
        store.flush()
        triples = len(store)
        del store  # closes the database before the folder moves
        stamp = {**_stamp(turtle, digest), "triples": triples}
        (tmp / STAMP).write_text(json.dumps(stamp, indent=2), encoding="utf-8")
        old = folder.with_name(f".{folder.name}.{os.getpid()}.old")
        if folder.exists():
            os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def open_store(
    turtle: str | Path, folder: str | Path | None = None, *, rebuild: bool = False
) -> GraphStore:
    """Open the persisted store of a Turtle file, loading it first if stale.

    Args:
        turtle (path): the graph file (``out/graph.ttl``).
        folder (path): the store folder (default: ``store_path(turtle)``).
        rebuild (bool): load the Turtle again even if the store is fresh.

    Returns:
        GraphStore: the store, opened read-only.

    Raises:
        GraphError: the Turtle file is missing or does not parse.
    """
    import pyoxigraph as ox

    turtle = Path(turtle)
    _check_source(turtle)
    folder = Path(folder) if folder is not None else store_path(turtle)
    if rebuild or not is_fresh(turtle, folder):
        try:
            _build(turtle, folder)
        except OSError:  # the output folder is not writable: load into memory
            return load_turtle(turtle)
    try:
        return GraphStore(ox.Store.read_only(str(folder / DB)), folder)
    except OSError:
        _build(turtle, folder)
        return GraphStore(ox.Store.read_only(str(folder / DB)), folder)
