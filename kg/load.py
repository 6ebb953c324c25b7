"""Reading graph files: one loader for every command that reads a graph.

The file is parsed by pyoxigraph (a parser in Rust, ten times and more faster
than rdflib's Turtle parser), whatever its format: Turtle, N-Triples, TriG,
N-Quads, JSON-LD or RDF/XML, told from the suffix (``kg.formats``). The
graphs of a TriG or N-Quads file are merged, so an export with named graphs
loads as the whole graph. Each distinct term becomes one rdflib term object,
shared by every triple that holds it.

- ``load_graph`` fills an ``rdflib.Graph``: for writers, SPARQL on rdflib and
  SHACL, which need rdflib's API.
- ``load_triples`` fills a ``kg.graph.Triples``, several times faster to fill
  than an ``rdflib.Graph``: enough for the NetworkX view, the HTML page,
  ``kg diff`` and ``kg evaluate``, which only read.
- ``load_oxigraph`` bulk-loads a file into an Oxigraph store on disk.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = path.write_text('<urn:a> <urn:p> "甲"@zh .', encoding="utf-8")
    >>> [t.n3() for t in next(iter(load_triples(path)))]
    ['<urn:a>', '<urn:p>', '"甲"@zh']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import formats
from kg.errors import GraphError
from kg.files import output_error

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.graph import Triples

__all__ = ["load_graph", "load_oxigraph", "load_triples", "parse_triples", "rdf_format"]


def rdf_format(path: str | Path, default: str | None = "turtle") -> Any:
    """pyoxigraph's ``RdfFormat`` of a graph file, from its suffix
    (``kg.formats.format_of``), else that of ``default`` (``None``: none).

    >>> rdf_format("out/graph.nq"), rdf_format("g.OWL"), rdf_format("g.txt")
    (<RdfFormat N-Quads>, <RdfFormat RDF/XML>, <RdfFormat Turtle>)
    """
    import pyoxigraph as ox

    found = formats.format_of(path, default=default or "csv").oxigraph
    return getattr(ox.RdfFormat, found) if found else None


def _check(path: Path) -> None:
    if not path.is_file():
        raise GraphError.missing(path)


def parse_triples(path: str | Path) -> tuple[Iterator[tuple], dict[str, str]]:
    """The triples of a graph file as rdflib terms, and the prefixes it declares.

    Triples come in the order of the file, those of every graph of a TriG or
    N-Quads file alike (a triple in several graphs comes once for each).
    Relative IRIs are resolved against the file's ``file:`` IRI, as rdflib
    resolves them.

    Returns:
        tuple: an iterator of ``(s, p, o)``, and a dict of prefix to
        namespace, filled once the iterator is exhausted.

    Raises:
        GraphError: the file is missing or does not parse (raised as the
            iterator reaches the fault).
    """
    import pyoxigraph as ox

    from kg.sparql import from_oxigraph

    path = Path(path)
    _check(path)
    fmt = rdf_format(path)
    parser = ox.parse(path=str(path), format=fmt, base_iri=path.absolute().as_uri())
    prefixes: dict[str, str] = {}
    terms: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        found = terms.get(t)
        if found is None:
            found = terms[t] = from_oxigraph(t)
        return found

    def triples() -> Iterator[tuple]:
        try:
            for q in parser:
                yield term(q.subject), term(q.predicate), term(q.object)
            prefixes.update(parser.prefixes)
        except (SyntaxError, ValueError, OSError) as e:
            raise GraphError(f"{path}: cannot parse graph ({e})") from None

    return triples(), prefixes


def load_graph(path: str | Path) -> Graph:
    """Read a graph file into an ``rdflib.Graph`` (see ``parse_triples``), with
    the project's prefixes and those the file declares bound.

    Raises:
        GraphError: the file is missing or does not parse.
    """
    from kg.graph import new_graph

    triples, prefixes = parse_triples(path)
    g = new_graph()
    g.addN((s, p, o, g) for s, p, o in triples)
    for prefix, namespace in prefixes.items():
        g.bind(prefix, namespace)
    return g


def load_triples(path: str | Path) -> Triples:
    """Read a graph file into a ``kg.graph.Triples`` (see ``parse_triples``).

    Raises:
        GraphError: the file is missing or does not parse.
    """
    from kg.graph import NAMESPACES, Triples

    triples, prefixes = parse_triples(path)
    g = Triples()
    add = g.add
    for triple in triples:
        add(triple)
    g.namespaces = {**NAMESPACES, **prefixes}
    return g


def load_oxigraph(graph_path: str | Path, store_dir: str | Path) -> int:
    """Bulk-load an RDF file (any format pyoxigraph reads, from its suffix)
    into an Oxigraph store on disk, created if needed; returns the number of
    quads in the store.

    For an N-Quads or TriG export the named graphs are kept: query them with
    ``GRAPH ?g { … }``, or pass ``use_default_graph_as_union=True`` to
    ``Store.query`` to see everything as one graph.

    Raises:
        GraphError: the file is missing or does not parse.
        OutputError: the store folder cannot be made or opened.
    """
    import pyoxigraph

    graph_path = Path(graph_path)
    _check(graph_path)
    fmt = rdf_format(graph_path, default=None)
    if fmt is None:
        raise GraphError(
            f"{graph_path}: not an RDF file suffix; give one of: "
            + ", ".join(f.suffix for f in formats.FORMATS.values() if f.oxigraph)
        )
    store_dir = Path(store_dir)
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        store = pyoxigraph.Store(str(store_dir))
    except OSError as e:
        raise output_error(e, store_dir) from None
    try:
        store.bulk_load(path=str(graph_path), format=fmt)
    except SyntaxError as e:
        raise GraphError(f"{graph_path}: cannot parse graph ({e})") from None
    finally:
        store.flush()
    return len(store)
