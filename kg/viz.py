"""The interactive HTML graph: one self-contained file that opens from disk.

The page uses vis-network as shipped inside the pyvis package, inlined, so it
needs no network. pyvis's own template is not used: it links Bootstrap from a
CDN and renders some strings as HTML. Here every string that comes from an
article travels as JSON data (with ``<``, ``>`` and ``&`` escaped, so it cannot
close the script element) and reaches the page only through ``textContent``,
never as markup.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from rdflib import Graph

__all__ = ["TYPE_COLORS", "graph_data", "render_html", "write_html"]

TYPE_COLORS = {
    "Company": "#4e79a7",
    "Hospital": "#e15759",
    "InternetHospital": "#f28e2b",
    "GovernmentAgency": "#76b7b2",
    "Association": "#59a14f",
    "University": "#b07aa1",
    "Person": "#edc948",
}
RELATION_COLORS = {
    "partnersWith": "#4e79a7",
    "ceoOf": "#e15759",
    "chairOf": "#b07aa1",
    "presidentOf": "#f28e2b",
    "operatesHospital": "#59a14f",
    "subOrganizationOf": "#9c755f",
    "holdsPosition": "#bab0ac",
}


def graph_data(graph: Graph, G=None) -> dict:
    """Nodes and edges for the page, as plain data (no markup anywhere)."""
    from kg.network import to_networkx

    G = G if G is not None else to_networkx(graph)
    ids = {n: i for i, n in enumerate(sorted(G.nodes))}
    degree = dict(G.degree())
    nodes = []
    for n in sorted(G.nodes):
        d = G.nodes[n]
        nodes.append(
            {
                "id": ids[n],
                "iri": str(n),
                "label": d["label"],
                "type": d["type"],
                "names": d["names"],
                "degree": degree.get(n, 0),
            }
        )
    edges = []
    for s, o, d in sorted(G.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2]["relation"])):
        edges.append(
            {
                "from": ids[s],
                "to": ids[o],
                "relation": d["relation"],
                "title": d.get("title", ""),
                "evidence": d.get("evidence", []),
            }
        )
    return {"nodes": nodes, "edges": edges, "types": TYPE_COLORS, "relations": RELATION_COLORS}


def _asset(name: str) -> str:
    return resources.files("pyvis").joinpath(f"templates/lib/vis-9.1.2/{name}").read_text("utf-8")


def _json_for_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_html(graph: Graph, title: str = "ihkg knowledge graph", G=None) -> str:
    """The page as a string."""
    import html

    page = resources.files("kg").joinpath("viz_template.html").read_text("utf-8")
    values = {
        "TITLE": html.escape(title),
        "VIS_CSS": _asset("vis-network.css"),
        "VIS_JS": _asset("vis-network.min.js"),
        "DATA": _json_for_script(graph_data(graph, G)),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], page)


def write_html(graph: Graph, path: str | Path, title: str = "ihkg knowledge graph", G=None) -> Path:
    """Write the page atomically, as UTF-8."""
    from kg.export import write_atomic

    return write_atomic(path, render_html(graph, title, G))
