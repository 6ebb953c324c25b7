"""Writing outputs: deterministic Turtle and other formats, written atomically.

Every file is written with ``kg.files.write_atomic``: to a temporary file in
the same folder, then renamed into place, so a build stopped half-way leaves
the previous output intact.

``export(graph, path, fmt)`` writes any format of ``kg.formats.FORMATS``;
each has a writer here, ``generate_<format>``, from a graph to bytes, the
same bytes for the same triples:

- RDF (``turtle``, ``nt``, ``json-ld``, ``trig``, ``nquads``, ``xml``): the
  whole graph; read back, each is isomorphic to it. JSON-LD embeds the
  published context ``kg/context.jsonld``. TriG and N-Quads keep the
  entities, relations, positions and attributes in the default graph and put
  the provenance of each article (its sentences and the assertions derived
  from them) in a named graph whose name is the article's IRI (``partition``).
  Turtle is ``kg.turtle``'s; N-Triples, TriG and N-Quads are pyoxigraph's,
  written from sorted triples; JSON-LD and RDF/XML are rdflib's.
- networks (``graphml``, ``gexf``, ``csv``): entities and relations only, with
  labels, types and evidence flattened to plain strings (``flat_network``);
  ``csv`` is a zip of ``nodes.csv`` and ``edges.csv``, whose cells cannot
  start a spreadsheet formula (``csv_safe``).

The XML formats (``xml``, ``graphml``, ``gexf``) cannot hold the control
characters XML 1.0 forbids. ``kg build`` drops them from articles as it reads
them (``kg.text.xml_safe``); a graph that still holds one (a Turtle file
written by hand) is refused with ``ExportError`` rather than written as a
malformed file.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg import formats
from kg.errors import ExportError
from kg.files import write_atomic
from kg.text import shorten
from kg.vocab import IHKG, PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import Triples

__all__ = [
    "ExportError",
    "csv_safe",
    "export",
    "flat_network",
    "generate_csv",
    "generate_csv_zip",
    "generate_gexf",
    "generate_graphml",
    "generate_jsonld",
    "generate_nquads",
    "generate_nt",
    "generate_trig",
    "generate_turtle",
    "generate_xml",
    "load_context",
    "partition",
    "serialize",
    "serialize_turtle",
    "write_turtle",
]


def serialize_turtle(graph: Graph | Triples) -> str:
    """Turtle text that is the same for the same triples, byte for byte.

    Written by ``kg.turtle`` in the layout of a build's graph
    (``kg.graph.layout_key``: entities first, then each article's
    provenance), from a graph or from a build's ``Triples``; it does not
    depend on insertion order or on ``PYTHONHASHSEED``, and it is the text
    ``kg build`` writes for the same triples. A graph with blank nodes goes
    through rdflib's writer.
    """
    from kg import turtle
    from kg.graph import layout_key

    if isinstance(graph, Graph):
        namespaces = {p: str(ns) for p, ns in graph.namespace_manager.namespaces()}
    else:
        namespaces = graph.namespaces
    try:
        return turtle.serialize(graph, namespaces, layout_key)
    except ValueError:  # blank nodes
        assert isinstance(graph, Graph)
        return graph.serialize(format="longturtle")


def write_turtle(graph: Graph | Triples, path: str | Path) -> Path:
    """Write ``graph`` as deterministic Turtle, atomically."""
    return write_atomic(path, serialize_turtle(graph))


def load_context() -> dict:
    """The JSON-LD context of the ihkg vocabulary (``kg/context.jsonld``).

    Every ihkg class and property has a term named by its local name, with
    the right type coercion (IRIs, ``xsd:gYear``, ``xsd:integer``,
    ``xsd:decimal``); ``label`` and ``altLabel`` are language maps.

    >>> ctx = load_context()
    >>> ctx["partnersWith"]
    {'@id': 'ihkg:partnersWith', '@type': '@id'}
    >>> ctx["label"]["@container"]
    '@language'
    """
    path = Path(__file__).parent / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def _sorted_copy(graph: Graph) -> Graph:
    """A copy with the triples inserted in sorted order, in a store that keeps
    insertion order, so that writers that follow the store's order (JSON-LD,
    RDF/XML) give the same bytes for the same triples."""
    g = Graph(store="SimpleMemory")
    for prefix, ns in graph.namespaces():
        g.bind(prefix, ns)
    for triple in sorted(graph):
        g.add(triple)
    return g


def _source_of(graph: Graph, node) -> URIRef | None:
    """The named graph an ``ihkg:Assertion`` or ``ihkg:Sentence`` goes in."""
    if (node, RDF.type, IHKG.Sentence) in graph:
        articles = set(graph.objects(node, DCTERMS.isPartOf))
        return articles.pop() if len(articles) == 1 else None
    sources = set(graph.objects(node, PROV.wasDerivedFrom))
    if len(sources) != 1:
        return None
    source = sources.pop()
    if (source, RDF.type, IHKG.Sentence) in graph:
        return _source_of(graph, source)
    return source if isinstance(source, URIRef) else None


def partition(graph: Graph) -> dict[URIRef | None, list[tuple]]:
    """Split ``graph`` into a default graph (key ``None``) and one named graph
    per source.

    The named graph of an article is named by the article's IRI and holds the
    article's ``ihkg:Sentence`` nodes and the ``ihkg:Assertion`` nodes derived
    from them (every triple whose subject is one of those nodes). Assertions
    derived from another source, such as the corrections file, go in a graph
    named by that source. Everything else (entities, relations, positions,
    attributes and the description of each article) is in the default graph,
    so the default graph alone answers ``?a ihkg:partnersWith ?b`` and the
    union of all graphs is ``graph``.

    Example:
        >>> from rdflib import Literal
        >>> from kg.graph import new_graph
        >>> from kg.vocab import IHKGID
        >>> g = new_graph()
        >>> art, sent, node = IHKGID["article/a"], IHKGID["sentence/a/0"], IHKGID["assertion/1"]
        >>> _ = g.add((sent, RDF.type, IHKG.Sentence))
        >>> _ = g.add((sent, DCTERMS.isPartOf, art))
        >>> _ = g.add((node, RDF.type, IHKG.Assertion))
        >>> _ = g.add((node, PROV.wasDerivedFrom, sent))
        >>> _ = g.add((art, DCTERMS.title, Literal("甲")))
        >>> parts = partition(g)
        >>> {str(k): len(v) for k, v in parts.items()}
        {'None': 1, 'https://w3id.org/ihkg/id/article/a': 4}
    """
    parts: dict[URIRef | None, list[tuple]] = {None: []}
    nodes = {*graph.subjects(RDF.type, IHKG.Sentence), *graph.subjects(RDF.type, IHKG.Assertion)}
    home = {node: _source_of(graph, node) for node in nodes}
    for triple in sorted(graph):
        parts.setdefault(home.get(triple[0]), []).append(triple)
    return parts


def _quads(graph: Graph, named: bool) -> list:
    """The triples of ``graph`` as pyoxigraph quads, sorted; with ``named``,
    provenance in a named graph per source (``partition``), the default graph first."""
    import pyoxigraph as ox

    from kg.store import to_oxigraph

    term = functools.cache(to_oxigraph)  # each distinct term converted once
    parts = partition(graph) if named else {None: sorted(graph)}
    quads = []
    for name in sorted(parts, key=lambda k: (k is not None, str(k))):
        target = ox.DefaultGraph() if name is None else term(name)
        quads += [ox.Quad(term(s), term(p), term(o), target) for s, p, o in parts[name]]
    return quads


def _oxigraph(graph: Graph, fmt: str, named: bool = False) -> bytes:
    """pyoxigraph's writer of ``fmt``; N-Triples and N-Quads with the lines sorted."""
    import pyoxigraph as ox

    rdf = getattr(ox.RdfFormat, formats.get(fmt).oxigraph or "")
    if fmt == "trig":
        return ox.serialize(_quads(graph, named), format=rdf, prefixes=PREFIXES)
    text = ox.serialize(_quads(graph, named), format=rdf)
    return b"".join(sorted(text.splitlines(keepends=True)))


def generate_turtle(graph: Graph) -> bytes:
    """Turtle (``serialize_turtle``)."""
    return serialize_turtle(graph).encode("utf-8")


def generate_nt(graph: Graph) -> bytes:
    """N-Triples, one triple a line, the lines sorted."""
    return _oxigraph(graph, "nt")


def generate_nquads(graph: Graph) -> bytes:
    """N-Quads with provenance in a named graph per article (``partition``), the
    lines sorted."""
    return _oxigraph(graph, "nquads", named=True)


def generate_trig(graph: Graph) -> bytes:
    """TriG: the default graph first, then a named graph per article
    (``partition``), each by name, the triples sorted."""
    return _oxigraph(graph, "trig", named=True)


def generate_jsonld(graph: Graph) -> bytes:
    """JSON-LD compacted with the context of ``load_context()``, embedded, the
    nodes sorted by IRI."""
    g = _sorted_copy(graph)
    doc = json.loads(g.serialize(format="json-ld", context=load_context(), auto_compact=True))
    if isinstance(doc.get("@graph"), list):  # rdflib lists the nodes in set order
        doc["@graph"].sort(key=lambda node: str(node.get("id", "")))
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def generate_xml(graph: Graph) -> bytes:
    """RDF/XML, the triples in sorted order."""
    g = _sorted_copy(graph)
    return _xml_checked(g.serialize(format="xml"), "xml", g).encode("utf-8")


def _joined(values) -> str:
    return " | ".join(sorted({str(v) for v in values if v}))


def flat_network(graph: Graph) -> nx.MultiDiGraph:
    """The NetworkX view of ``graph`` (``kg.network.to_networkx``) with plain
    values only, for GraphML, GEXF and CSV.

    Nodes are keyed by IRI (a string) with ``label``, ``type`` and ``names``
    (every name, joined with `` | ``). Edges have a unique ``id``, ``relation``
    (the ihkg property), ``label`` (the relation, or a position's title),
    ``title`` (a position's title, else empty), ``weight`` (how many sentences
    state it), ``confidence`` (the highest), and ``articles`` (titles),
    ``dates``, ``sentences`` and ``rules``, each joined with `` | ``. Nodes
    and edges are sorted, so the files are stable.

    Example:
        >>> from rdflib import RDFS, Literal
        >>> from kg.graph import new_graph
        >>> from kg.vocab import IHKGID
        >>> g = new_graph()
        >>> a, b = IHKGID["org/a"], IHKGID["org/b"]
        >>> _ = g.add((a, RDF.type, IHKG.Company))
        >>> _ = g.add((b, RDF.type, IHKG.Hospital))
        >>> _ = g.add((a, RDFS.label, Literal("甲公司", lang="zh")))
        >>> _ = g.add((a, IHKG.operatesHospital, b))
        >>> G = flat_network(g)
        >>> G.nodes["https://w3id.org/ihkg/id/org/a"]
        {'label': '甲公司', 'type': 'Company', 'names': '甲公司'}
        >>> [(d["relation"], d["weight"]) for _, _, d in G.edges(data=True)]
        [('operatesHospital', 0)]
    """
    import networkx as nx

    from kg.evidence import evidence_index
    from kg.network import to_networkx

    index = evidence_index(graph)
    G = to_networkx(graph, index)
    positions = {
        (
            graph.value(pos, IHKG.person),
            graph.value(pos, IHKG.organization),
            str(graph.value(pos, IHKG.title) or ""),
        ): pos
        for pos in graph.subjects(RDF.type, IHKG.Position)
    }
    flat = nx.MultiDiGraph()
    for node in sorted(G.nodes, key=str):
        data = G.nodes[node]
        flat.add_node(
            str(node),
            label=str(data.get("label", "")),
            type=str(data.get("type", "")),
            names=" | ".join(dict.fromkeys(str(n) for n in data.get("names", []))),
        )
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for i, (s, o, _key, data) in enumerate(edges):
        relation = str(data["relation"])
        title = str(data.get("title", ""))
        if relation == "holdsPosition":
            ev = index.get((s, IHKG.holdsPosition, positions.get((s, o, title))), [])
        else:
            ev = index.get((s, IHKG[relation], o), [])
        flat.add_edge(
            str(s),
            str(o),
            key=f"e{i}",
            id=f"e{i}",
            relation=relation,
            label=title or relation,
            title=title,
            weight=len(data.get("evidence", [])),
            confidence=max((e["confidence"] for e in ev), default=0.0),
            articles=_joined(e["title"] for e in ev),
            dates=_joined(e["date"] for e in ev),
            sentences=_joined(e["sentence"] for e in ev),
            rules=_joined(e["rule"] for e in ev),
        )
    return flat


NODE_COLUMNS = ("id", "label", "type", "names")
EDGE_COLUMNS = (
    "id",
    "source",
    "target",
    "relation",
    "label",
    "title",
    "weight",
    "confidence",
    "articles",
    "dates",
    "sentences",
    "rules",
)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a single quote in front, as OWASP advises against CSV
    injection (a label such as ``=HYPERLINK(…)`` taken from an article);
    other values are returned as they are.

    >>> csv_safe("=cmd|' /C calc'!A0"), csv_safe("-1"), csv_safe("甲公司"), csv_safe(2)
    ("'=cmd|' /C calc'!A0", "'-1", '甲公司', 2)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def generate_csv(graph: Graph) -> dict[str, str]:
    """The entities and relations of ``graph`` as two CSV texts, ``nodes.csv``
    (``NODE_COLUMNS``) and ``edges.csv`` (``EDGE_COLUMNS``); the columns are
    those of ``flat_network``, and edge ``source``/``target`` are node ``id``s.
    Every text cell goes through ``csv_safe``.

    Example:
        >>> from kg.graph import new_graph
        >>> generate_csv(new_graph())["nodes.csv"]
        'id,label,type,names\\r\\n'
    """
    G = flat_network(graph)
    files = {}
    for name, columns, rows in (
        ("nodes.csv", NODE_COLUMNS, ({"id": n, **d} for n, d in G.nodes(data=True))),
        (
            "edges.csv",
            EDGE_COLUMNS,
            ({"source": s, "target": o, **d} for s, o, d in G.edges(data=True)),
        ),
    ):
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: csv_safe(v) for k, v in row.items()} for row in rows)
        files[name] = buf.getvalue()
    return files


def generate_csv_zip(graph: Graph) -> bytes:
    """A zip of ``nodes.csv`` and ``edges.csv`` (``generate_csv``), UTF-8 with a
    byte order mark, so that spreadsheet programs show Chinese correctly."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in generate_csv(graph).items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8-sig"))
    return buf.getvalue()


def generate_graphml(graph: Graph) -> bytes:
    """GraphML of ``flat_network``."""
    import networkx as nx

    text = "\n".join(nx.generate_graphml(flat_network(graph), named_key_ids=True))
    return _xml_checked(text, "graphml", graph).encode("utf-8") + b"\n"


def generate_gexf(graph: Graph) -> bytes:
    """GEXF of ``flat_network``, for Gephi."""
    import networkx as nx

    text = "\n".join(nx.generate_gexf(flat_network(graph)))
    return _xml_checked(text, "gexf", graph).encode("utf-8") + b"\n"


def _xml_checked(text: str, fmt: str, graph: Graph) -> str:
    """``text``, or ``ExportError`` naming a term of ``graph`` that holds a
    character XML 1.0 cannot."""
    from kg.text import NOT_XML

    if NOT_XML.search(text) is None:
        return text
    term = next((t for triple in graph for t in triple if NOT_XML.search(t)), text)
    bad = NOT_XML.search(term)
    assert bad is not None
    raise ExportError(
        f"{fmt} is XML, which cannot hold U+{ord(bad.group()):04X} (in {shorten(str(term))!r}); "
        "rebuild the graph with kg build, which drops such characters from articles, "
        "or export to turtle, nt, json-ld, trig or nquads"
    )


def serialize(graph: Graph, fmt: str) -> bytes:
    """``graph`` in any format of ``kg.formats.FORMATS`` (or an alias) as bytes.

    Raises:
        ExportError: the format is unknown.

    Example:
        >>> from rdflib import RDFS, Literal
        >>> from kg.graph import new_graph
        >>> from kg.vocab import IHKGID
        >>> g = new_graph()
        >>> _ = g.add((IHKGID["org/a"], RDF.type, IHKG.Company))
        >>> _ = g.add((IHKGID["org/a"], RDFS.label, Literal("甲公司", lang="zh")))
        >>> print(serialize(g, "ntriples").decode().splitlines()[1])
        <https://w3id.org/ihkg/id/org/a> <http://www.w3.org/2000/01/rdf-schema#label> "甲公司"@zh .
        >>> doc = json.loads(serialize(g, "jsonld"))
        >>> {k: v for k, v in doc.items() if k != "@context"}
        {'id': 'https://w3id.org/ihkg/id/org/a', 'label': {'zh': '甲公司'}, 'type': 'Company'}
    """
    return formats.get(fmt).serialize(graph)


def export(graph: Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` in ``fmt`` (by default, from the suffix:
    ``kg.formats.format_of``), atomically.

    Args:
        graph (Graph): the graph, e.g. ``kg.load.load_graph("out/graph.ttl")``.
        path (str | Path): the file to write.
        fmt (str): a name or alias of ``kg.formats.FORMATS``.

    Returns:
        Path: the file written.

    Raises:
        ExportError: the format is unknown or cannot be told from the suffix.

    Example:
        >>> import pathlib, tempfile
        >>> from kg.graph import new_graph
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> export(new_graph(), folder / "g.jsonld").name
        'g.jsonld'
        >>> export(new_graph(), folder / "g.txt")
        Traceback (most recent call last):
        ...
        kg.errors.ExportError: ...: cannot tell the format from the suffix '.txt'; give one of: ...
    """
    path = Path(path)
    found = formats.format_of(path) if fmt is None else formats.get(fmt)
    return write_atomic(path, found.serialize(graph))
