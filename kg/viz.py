"""The interactive HTML graph: one self-contained file that opens from disk.

The page uses vis-network as shipped inside the pyvis package, inlined, so it
needs no network, and its Content-Security-Policy forbids every request. pyvis's
own template and its ``add_node``/``from_nx`` are not used: the template links
Bootstrap from a CDN and renders some strings as HTML, and building node by node
is quadratic. Here the page data is built directly as JSON.

Every string that comes from an article (names, titles, sentences) travels as
JSON data, compressed and written in base64 (so nothing in it can close the
script element), and reaches the page only through ``textContent`` (tooltips
are DOM elements built the same way), never as markup.

The page also carries what its search box needs to find an entity however it is
typed: each node's names in normalised form (simplified, half-width, lower
case, see ``kg.text.normalize``) and a small table from the traditional
characters to the simplified ones those names use, so that a query in
traditional characters matches a name stored in simplified ones.

What keeps the page usable at 10,000 articles (about 14,000 entities and
38,000 relations, a 3 MB page):

- the layout is computed here, once (``kg.layout``), and the page runs no
  physics: it draws as soon as it has read its data, and nothing moves;
- each text is carried once, nodes and edges as columns of numbers
  (``page_data``), the whole compressed;
- entities without any relation are hidden when the page opens on a graph of
  more than ``ISOLATED_THRESHOLD`` entities (a toggle shows them; search finds
  them either way);
- above 4,000 entities and relations together, the page draws the graph onto
  the canvas itself and gives vis-network only the selection and its
  neighbours: vis-network takes about 0.1 ms to set up each node or edge.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import FocusError
from kg.layout import layout

__all__ = [
    "ATTRIBUTES",
    "RELATION_STYLES",
    "TYPE_STYLES",
    "ISOLATED_THRESHOLD",
    "FocusError",
    "find_entity",
    "graph_data",
    "page_data",
    "render_html",
    "select",
    "write_html",
]

DEFAULT_TITLE = "ihkg knowledge graph"
# Above this many entities, those without any relation are hidden when the page opens
# (a toggle in the page shows them; search finds them either way). The two sample
# articles give 21 entities, two of them alone; 20 real reports give about 220, a
# quarter of them alone, which is when the dots without a line start to fill the canvas.
ISOLATED_THRESHOLD = 100

# Colour (Tableau 10) and vis-network shape of each entity type, in legend order.
TYPE_STYLES = {
    "Company": {"color": "#4e79a7", "shape": "square"},
    "Hospital": {"color": "#e15759", "shape": "diamond"},
    "InternetHospital": {"color": "#f28e2b", "shape": "hexagon"},
    "GovernmentAgency": {"color": "#76b7b2", "shape": "triangle"},
    "Association": {"color": "#59a14f", "shape": "star"},
    "University": {"color": "#b07aa1", "shape": "triangleDown"},
    "Person": {"color": "#edc948", "shape": "dot"},
}
# Colour of each relation, and whether it has a direction (partnersWith is symmetric).
RELATION_STYLES = {
    "partnersWith": {"color": "#4e79a7", "directed": False},
    "operatesHospital": {"color": "#59a14f", "directed": True},
    "subOrganizationOf": {"color": "#9c755f", "directed": True},
    "ceoOf": {"color": "#e15759", "directed": True},
    "chairOf": {"color": "#b07aa1", "directed": True},
    "presidentOf": {"color": "#f28e2b", "directed": True},
    "holdsPosition": {"color": "#a0a0a0", "directed": True},
}
# Entity attributes shown in the side panel (kg.vocab.ATTRIBUTES), with their display names.
ATTRIBUTES = {"stockCode": "Stock code", "foundingYear": "Founded"}

_VIS = "templates/lib/vis-9.1.2"  # inside the pyvis package
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


def _fold(name: str) -> str:
    """The form names are compared in: normalised (see ``kg.text.normalize``), lower case.

    A name that NFKC leaves alone (most are) skips the per-character folding,
    which is most of the cost on a big graph.

    >>> _fold(" 星河醫療（ＸＨ） ")
    '星河医疗(xh)'
    """
    from kg.text import normalize, to_simplified

    name = name.strip()
    if unicodedata.is_normalized("NFKC", name):
        return to_simplified(name).lower()
    return normalize(name).lower()


def find_entity(G: nx.MultiDiGraph, name: str):
    """The node of ``G`` named ``name``, matched as ``kg.network.find_entity`` does.

    Raises:
        FocusError: no entity has the name, or several have it (the message
            lists them with their IRIs, which ``find_entity`` also accepts).

    >>> from rdflib import URIRef
    >>> G = nx.MultiDiGraph()
    >>> G.add_node(URIRef("urn:x:org/1"), label="星河", type="Company", names=["星河", "星河集团"])
    >>> find_entity(G, "星河集團")
    rdflib.term.URIRef('urn:x:org/1')
    """
    from kg.errors import QueryError
    from kg.network import find_entity as find

    try:
        return find(G, name)
    except QueryError as e:
        raise FocusError(str(e)) from None


def _describe(G: nx.MultiDiGraph, node) -> str:
    d = G.nodes[node]
    return f"{d['label']} ({d['type']}, {'/'.join(str(node).rsplit('/', 2)[-2:])})"


def _choose(given: Iterable[str], valid: Iterable[str], what: str) -> set[str]:
    """Names from ``given`` spelled as in ``valid`` (any case); unknown ones raise."""
    by_lower = {v.lower(): v for v in valid}
    chosen = set()
    for g in given:
        if g.lower() not in by_lower:
            raise FocusError(f"unknown {what} {g!r}; available: {', '.join(by_lower.values())}")
        chosen.add(by_lower[g.lower()])
    return chosen


def select(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    relations: Iterable[str] = (),
    types: Iterable[str] = (),
) -> nx.MultiDiGraph:
    """The part of ``G`` to draw.

    Args:
        G (MultiDiGraph): the graph, as from ``kg.network.to_networkx``.
        focus (str): keep only the entities within ``hops`` relations of this
            one, in either direction (a name as ``find_entity`` takes it).
        hops (int): how far from ``focus`` to go; 0 keeps ``focus`` alone.
        relations (names): keep only these relations (``holdsPosition`` for
            positions); entities left without any relation are dropped.
        types (names): keep only entities of these types.

    Returns:
        MultiDiGraph: a new graph sharing ``G``'s attribute dicts.

    Raises:
        FocusError: ``focus`` is unknown or ambiguous, or left out by ``types``;
            a relation or type name is unknown.

    >>> from rdflib import URIRef
    >>> G = nx.MultiDiGraph()
    >>> for i, t in enumerate(["Company", "Hospital", "Person"]):
    ...     G.add_node(URIRef(f"urn:{i}"), label=f"n{i}", type=t, names=[f"n{i}"])
    >>> _ = G.add_edge(URIRef("urn:0"), URIRef("urn:1"), relation="partnersWith")
    >>> _ = G.add_edge(URIRef("urn:2"), URIRef("urn:0"), relation="ceoOf")
    >>> sorted(G.nodes[n]["label"] for n in select(G, relations=["partnersWith"]))
    ['n0', 'n1']
    >>> sorted(G.nodes[n]["label"] for n in select(G, focus="n1", hops=1))
    ['n0', 'n1']
    """
    keep_types = _choose(types, TYPE_STYLES, "entity type")
    keep_rels = _choose(relations, RELATION_STYLES, "relation")
    H = nx.MultiDiGraph()
    H.add_nodes_from(
        (n, d) for n, d in G.nodes(data=True) if not keep_types or d["type"] in keep_types
    )
    H.add_edges_from(
        (s, o, k, d)
        for s, o, k, d in G.edges(keys=True, data=True)
        if s in H and o in H and (not keep_rels or d["relation"] in keep_rels)
    )
    if keep_rels:
        H.remove_nodes_from([n for n in list(H.nodes) if H.degree(n) == 0])
    if focus is None:
        return H
    center = find_entity(G, focus)
    if keep_types and G.nodes[center]["type"] not in keep_types:
        kept = ", ".join(sorted(keep_types))
        raise FocusError(
            f"{focus!r} is a {G.nodes[center]['type']}, not one of the types kept: {kept}"
        )
    if center not in H:  # left without relations by the relation filter: draw it alone
        H.add_node(center, **G.nodes[center])
    seen, frontier = {center}, [center]
    for _ in range(hops):
        nxt = [m for n in frontier for m in (*H.successors(n), *H.predecessors(n)) if m not in seen]
        seen.update(nxt)
        frontier = list(dict.fromkeys(nxt))
    return H.subgraph(seen).copy()


@functools.cache
def _simplified_of() -> dict[str, str]:
    """Every traditional CJK character that OpenCC simplifies, to its simplified form."""
    from kg.text import to_simplified

    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi)]
    out = to_simplified("\n".join(chars)).split("\n")
    return {c: s for c, s in zip(chars, out, strict=True) if c != s and len(s) == 1}


def _t2s_table(keys: Iterable[str]) -> dict[str, str]:
    """Traditional to simplified, for the characters a query needs to match ``keys``.

    >>> _t2s_table(["医院"])
    {'醫': '医'}
    """
    used = {ch for k in keys for ch in k}
    return {t: s for t, s in _simplified_of().items() if s in used}


def graph_data(
    graph: Graph, G: nx.MultiDiGraph | None = None, focus=None, isolated: bool | None = None
) -> dict:
    """Nodes, edges and legend of the page, as plain data (no markup anywhere).

    Args:
        graph (Graph | Triples): the graph, or a build's ``kg.graph.Triples``;
            read only when ``G`` is not given.
        G (MultiDiGraph): what to draw, ``to_networkx(graph)`` by default (see
            ``select`` for a part of it); nodes' ``attributes`` (stock code,
            founding year) are shown with them.
        focus: a node of ``G`` the page opens with selected.
        isolated (bool): show the entities without any relation when the page
            opens (they can be shown or hidden in the page, and search finds
            them either way); by default, only on graphs of at most
            ``ISOLATED_THRESHOLD`` entities.

    Returns:
        dict: ``nodes`` (``id`` 0, 1, … in IRI order, ``iri``, ``label``,
        ``type``, ``names``, ``keys`` for search, ``degree``, ``attributes``,
        ``x`` and ``y``: the position laid out by ``layout``),
        ``edges`` (``from``, ``to``, ``relation``, ``title``, ``evidence``,
        ``curve``: the rank of the edge among those joining the same two
        nodes), ``types`` and ``relations`` present with their styles,
        ``attributes`` (display names), ``t2s`` (a search table),
        ``focus`` (a node id or None) and ``isolated`` (whether entities
        without relations are shown when the page opens).
    """
    if G is None:
        from kg.network import to_networkx

        G = to_networkx(graph)
    order = sorted(G.nodes, key=str)  # IRI order (rdflib compares IRIs as strings, slowly)
    ids = {n: i for i, n in enumerate(order)}
    nodes = []
    for n in order:
        d = G.nodes[n]
        keys = list(dict.fromkeys(_fold(x) for x in d["names"] or [d["label"]]))
        nodes.append(
            {
                "id": ids[n],
                "iri": str(n),
                "label": d["label"],
                "type": d["type"],
                "names": d["names"],
                "keys": keys,
                "degree": G.degree(n),
                "attributes": d.get("attributes", []),
            }
        )
    edges = []
    parallel: dict[tuple[int, int], int] = defaultdict(int)
    rows = sorted(
        ((ids[s], ids[o], k, d) for s, o, k, d in G.edges(keys=True, data=True)),
        key=lambda e: (e[0], e[1], str(e[2])),
    )
    for s, o, _, d in rows:
        pair = (min(s, o), max(s, o))
        edges.append(
            {
                "from": s,
                "to": o,
                "relation": d["relation"],
                "title": d.get("title", ""),
                "evidence": d.get("evidence", []),
                "curve": parallel[pair],
            }
        )
        parallel[pair] += 1
    positions = layout(len(nodes), [(e["from"], e["to"]) for e in edges])
    for node, (x, y) in zip(nodes, positions, strict=True):
        node["x"], node["y"] = x, y
    present_types = {n["type"] for n in nodes}
    present_rels = {e["relation"] for e in edges}
    return {
        "nodes": nodes,
        "edges": edges,
        "types": {t: s for t, s in TYPE_STYLES.items() if t in present_types},
        "relations": {r: s for r, s in RELATION_STYLES.items() if r in present_rels},
        "attributes": ATTRIBUTES,
        "t2s": _t2s_table(k for n in nodes for k in n["keys"]),
        "focus": ids.get(focus),
        "isolated": len(nodes) <= ISOLATED_THRESHOLD if isolated is None else bool(isolated),
    }


def _asset(name: str) -> str:
    return resources.files("pyvis").joinpath(f"{_VIS}/{name}").read_text("utf-8")


def _packed(data: dict) -> str:
    """The page's data as it sits in its ``<script>`` element: JSON, zlib, base64.

    ``orjson`` writes what ``json.dumps(data, ensure_ascii=False,
    separators=(",", ":"))`` would, several times faster; compressed, the
    sentences of 10,000 articles take a few megabytes rather than ten, and
    base64 has no character that could end the script element. The page
    reads it back with ``DecompressionStream("deflate")``.

    >>> import base64, zlib
    >>> zlib.decompress(base64.b64decode(_packed({"a": "</script>&"}))).decode()
    '{"a":"</script>&"}'
    """
    import base64
    import zlib

    import orjson

    return base64.b64encode(zlib.compress(orjson.dumps(data), 6)).decode("ascii")


def page_data(data: dict) -> dict:
    """``graph_data`` as the page carries it: columns of numbers, each text once.

    Every string from an article (sentence, title, date, rule, relation title)
    is written once, in ``strings``; nodes and edges are columns of numbers
    and names (``kg/viz_template.html`` unpacks them into the objects
    ``graph_data`` describes). What the page never shows is left out: the
    source file of each sentence, the time of each date, confidences beyond
    two decimals, a node's search keys where they are its names as they are,
    its degree (the page counts its edges) and the ranks of parallel edges.

    - ``nodes``: ``iri`` (after ``prefix``), ``label``, ``type`` (index into
      ``types``), ``names`` (0: the label alone), ``keys`` (0: the names),
      ``x``, ``y``, and ``attributes`` (node id to ``[name, value, evidence]``);
    - ``edges``: ``from``, ``to``, ``relation`` (index into ``relations``),
      ``title`` (-1: none) and ``evidence``;
    - evidence: a flat list, four numbers per item: sentence, article (index
      into ``articles``, a flat list of title and date), rule, and the
      confidence in hundredths.

    >>> ev = {"sentence": "甲与乙合作。", "title": "T", "date": "2024-01-02T03:00:00",
    ...       "file": "a.txt", "rule": "r", "confidence": 0.9}
    >>> n = {"iri": "urn:x/1", "label": "甲", "type": "Company", "names": ["甲"], "keys": ["甲"],
    ...      "attributes": [], "x": 0, "y": 0}
    >>> e = {"from": 0, "to": 0, "relation": "ceoOf", "title": "", "evidence": [ev, ev]}
    >>> packed = page_data({"nodes": [n], "edges": [e], "types": {"Company": {}},
    ...                     "relations": {"ceoOf": {}}})
    >>> packed["strings"], packed["articles"], packed["edges"]["evidence"]
    (['T', '2024-01-02', '甲与乙合作。', 'r'], [0, 1], [[2, 0, 3, 90, 2, 0, 3, 90]])
    """
    index: dict[str, int] = {}
    articles: dict[tuple[int, int], int] = {}

    def text(s: str) -> int:
        return index.setdefault(s, len(index))

    def rows(evidence: list[dict]) -> list[int]:
        out = []
        for ev in evidence:
            article = (text(ev["title"]), text(ev["date"][:10]))
            out += [
                text(ev["sentence"]),
                articles.setdefault(article, len(articles)),
                text(ev["rule"]),
                round(ev["confidence"] * 100),
            ]
        return out

    nodes, edges = data["nodes"], data["edges"]
    types, relations = list(data["types"]), list(data["relations"])
    iris = [n["iri"] for n in nodes]
    prefix = _common_prefix(iris)
    packed_edges = {
        "from": [e["from"] for e in edges],
        "to": [e["to"] for e in edges],
        "relation": [relations.index(e["relation"]) for e in edges],
        "title": [text(e["title"]) if e["title"] else -1 for e in edges],
        "evidence": [rows(e["evidence"]) for e in edges],
    }
    packed_nodes = {
        "iri": [iri[len(prefix) :] for iri in iris],
        "label": [n["label"] for n in nodes],
        "type": [types.index(n["type"]) for n in nodes],
        "names": [0 if n["names"] == [n["label"]] else n["names"] for n in nodes],
        "keys": [0 if n["keys"] == n["names"] else n["keys"] for n in nodes],
        "x": [n["x"] for n in nodes],
        "y": [n["y"] for n in nodes],
        "attributes": {
            str(n["id"]): [[a["name"], a["value"], rows(a["evidence"])] for a in n["attributes"]]
            for n in nodes
            if n["attributes"]
        },
    }
    rest = {k: v for k, v in data.items() if k not in ("nodes", "edges")}
    return {
        **rest,
        "prefix": prefix,
        "nodes": packed_nodes,
        "edges": packed_edges,
        "strings": list(index),
        "articles": [i for pair in articles for i in pair],
    }


def _common_prefix(iris: list[str]) -> str:
    """The longest prefix of every IRI that ends with ``/``.

    >>> _common_prefix(["https://w3id.org/ihkg/id/org/1", "https://w3id.org/ihkg/id/person/2"])
    'https://w3id.org/ihkg/id/'
    """
    import os.path

    if not iris:
        return ""
    prefix = os.path.commonprefix(iris)
    return prefix[: prefix.rfind("/") + 1]


def render_html(
    graph: Graph,
    title: str = DEFAULT_TITLE,
    G: nx.MultiDiGraph | None = None,
    focus=None,
    isolated: bool | None = None,
) -> str:
    """The page as a string (see ``graph_data`` for ``G``, ``focus`` and ``isolated``)."""
    page = resources.files("kg").joinpath("viz_template.html").read_text("utf-8")
    values = {
        "TITLE": html.escape(title),
        "VIS_CSS": _asset("vis-network.css"),
        "VIS_JS": _asset("vis-network.min.js"),
        "DATA": _packed(page_data(graph_data(graph, G, focus, isolated))),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], page)


def write_html(
    graph: Graph,
    path: str | Path,
    title: str = DEFAULT_TITLE,
    G: nx.MultiDiGraph | None = None,
    focus=None,
    isolated: bool | None = None,
) -> Path:
    """Write the page to ``path`` atomically, as UTF-8, and return the path.

    Args:
        graph (Graph | Triples): the graph, or a build's ``kg.graph.Triples``.
        path (str or Path): the HTML file to write.
        title (str): the page's title.
        G (MultiDiGraph): what to draw (see ``graph_data``).
        focus: a node of ``G`` the page opens with selected.
        isolated (bool): show the entities without relations when the page
            opens; by default only on graphs of at most ``ISOLATED_THRESHOLD``
            entities (see ``graph_data``).
    """
    from kg.files import write_atomic

    return write_atomic(path, render_html(graph, title, G, focus, isolated))
