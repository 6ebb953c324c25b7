"""The NetworkX view of a graph: entities as nodes, relations as edges.

``to_networkx(graph)`` gives a ``MultiDiGraph`` whose nodes are entity IRIs
with ``label``, ``type`` and ``names``, and whose edges carry ``relation`` (the
ihkg property's local name). A position is an edge ``holdsPosition`` from the
person to the organization with its ``title``. Every edge keeps ``evidence``:
the sentences that state it, with their article's title and date.

``undirected`` is the simple undirected view the analysis walks, and
``find_entity`` finds a node by a name, alias or IRI. The analysis itself
(centrality, components, communities, paths, neighbours) is in ``kg.analysis``.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

import networkx as nx
from rdflib import RDF, Graph, URIRef

from kg.errors import QueryError
from kg.evidence import evidence_index
from kg.text import fold_key
from kg.vocab import ATTRIBUTES, ENTITY_TYPES, IHKG, RELATIONS, T, label_key

__all__ = ["by_label", "find_entity", "to_networkx", "undirected"]


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _iris(pair: tuple) -> tuple[str, str]:
    """The sort key of two IRIs (as rdflib orders them, without its slow comparisons)."""
    return str(pair[0]), str(pair[1])


def to_networkx(graph: Graph, evidence: dict[tuple, list[dict]] | None = None) -> nx.MultiDiGraph:
    """The entities and relations of ``graph`` as a NetworkX multigraph.

    ``graph`` is an ``rdflib.Graph`` or a build's ``kg.graph.Triples``. Each
    node has ``label``, ``type``, ``names`` and ``attributes`` (stock code and
    founding year: ``name``, ``value`` and ``evidence``); each edge has
    ``relation`` and ``evidence`` (and a position's ``title``).

    Args:
        graph: the graph.
        evidence: its ``evidence_index``, when already made (a build gives
            that of its ``GraphParts`` with the core part as ``graph``).

    Example:
        >>> from rdflib import RDF, RDFS, Literal, URIRef
        >>> from kg.graph import new_graph
        >>> g = new_graph()
        >>> a, b = URIRef("urn:a"), URIRef("urn:b")
        >>> _ = g.add((a, RDF.type, IHKG.Company))
        >>> _ = g.add((b, RDF.type, IHKG.Hospital))
        >>> _ = g.add((a, RDFS.label, Literal("甲公司", lang="zh")))
        >>> _ = g.add((a, IHKG.partnersWith, b))
        >>> G = to_networkx(g)
        >>> G.nodes[a]["label"], list(G.edges(data="relation"))
        ('甲公司', [(rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:b'), 'partnersWith')])
    """
    G = nx.MultiDiGraph()
    if evidence is None:
        evidence = evidence_index(graph)
    for cls, name in ENTITY_TYPES.items():
        for node in graph.subjects(RDF.type, cls):
            labels = [str(x) for x in sorted(graph.objects(node, T.rdfs.label), key=label_key)]
            alts = sorted(str(x) for x in graph.objects(node, T.skos.altLabel))
            label = labels[0] if labels else _local(node)
            G.add_node(node, label=label, type=name, names=[*labels, *alts], attributes=[])
    for name in ATTRIBUTES:
        pred = IHKG[name]
        for s, o in sorted(graph.subject_objects(pred)):
            if s in G:
                G.nodes[s]["attributes"].append(
                    {"name": name, "value": str(o), "evidence": evidence.get((s, pred, o), [])}
                )
    for rel in RELATIONS:
        pred = IHKG[rel]
        for s, o in sorted(graph.subject_objects(pred), key=_iris):
            if s in G and o in G:
                G.add_edge(s, o, key=rel, relation=rel, evidence=evidence.get((s, pred, o), []))
    for pos in sorted(graph.subjects(T.rdf.type, T.ihkg.Position), key=str):
        person = graph.value(pos, T.ihkg.person)
        org = graph.value(pos, T.ihkg.organization)
        if person in G and org in G:
            title = str(graph.value(pos, T.ihkg.title) or "")
            G.add_edge(
                person,
                org,
                key=f"holdsPosition:{title}",
                relation="holdsPosition",
                title=title,
                evidence=evidence.get((person, T.ihkg.holdsPosition, pos), []),
            )
    return G


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """``G`` as a simple undirected graph: one edge per linked pair.

    Nodes and edges are added in sorted order, so that traversals and
    community detection give the same answer on every run. Each edge keeps the
    sorted names of the relations between the pair in ``relations``.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", relation="partnersWith")
    >>> _ = G.add_edge("b", "a", relation="operatesHospital")
    >>> list(undirected(G).edges(data="relations"))
    [('a', 'b', ['operatesHospital', 'partnersWith'])]
    """
    H = nx.Graph()
    for n in sorted(G.nodes, key=str):
        H.add_node(n, **G.nodes[n])
    rels: dict[tuple, set[str]] = defaultdict(set)
    for u, v, d in G.edges(data=True):
        if u != v:
            rels[tuple(sorted((u, v), key=str))].add(d.get("relation", ""))
    for (u, v), names in sorted(rels.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        H.add_edge(u, v, relations=sorted(names))
    return H


def by_label(G: nx.MultiDiGraph, nodes) -> list:
    """``nodes`` sorted by label, then IRI: the order entities are listed in."""
    return sorted(nodes, key=lambda n: (G.nodes[n].get("label", ""), str(n)))


def _describe(G, n) -> str:
    d = G.nodes[n]
    return f"{d.get('label', n)} ({d.get('type', '?')}, {n})"


def find_entity(G: nx.MultiDiGraph, name: str) -> URIRef:
    """The node named ``name``: a label or alias, in any script, or an IRI.

    Names are compared in their matching form (``kg.text.normalize``:
    simplified characters, half-width letters and digits), ignoring case and
    spaces, so ``東康醫療`` finds ``东康医疗``. Labels are tried first, then
    every name, then parts of names (``东康医`` finds ``东康医疗``). An IRI may
    be shortened to its last segments (``org/3f2a…``).

    Raises:
        QueryError: no entity has that name (the message suggests close
            names), or several have (the message lists them with their IRIs,
            which can be given instead).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("urn:a", label="东康医疗", type="Company", names=["东康医疗", "Dongkang Health"])
    >>> G.add_node("urn:b", label="东康集团", type="Company", names=["东康集团", "东康"])
    >>> find_entity(G, "東康醫療"), find_entity(G, "dongkang health"), find_entity(G, "东康")
    ('urn:a', 'urn:a', 'urn:b')
    >>> find_entity(G, "东康医")
    'urn:a'
    >>> find_entity(G, "东")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: '东' is ambiguous: 东康医疗 (Company, urn:a), 东康集团 (Company, urn:b); \
give the IRI instead
    """
    name = name.strip()
    if name in G:
        return name  # type: ignore[return-value]
    if "/" in name:
        by_iri = [n for n in G.nodes if str(n) == name or str(n).endswith("/" + name)]
        if len(by_iri) == 1:
            return by_iri[0]
    key = fold_key(name)
    if not key:
        raise QueryError("an entity name must not be empty")
    keys = {
        n: {fold_key(x) for x in G.nodes[n].get("names") or [G.nodes[n].get("label", "")]}
        for n in G.nodes
    }
    tests = (
        lambda n: fold_key(G.nodes[n].get("label", "")) == key,  # a label first,
        lambda n: key in keys[n],  # then any name,
        lambda n: any(key in k for k in keys[n]),  # then part of a name
    )
    for test in tests:
        found = by_label(G, [n for n in G.nodes if test(n)])
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(_describe(G, n) for n in found[:10])
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            raise QueryError(f"{name!r} is ambiguous: {listed}{more}; give the IRI instead")
    labels = sorted({G.nodes[n].get("label", "") for n in G.nodes})
    close = difflib.get_close_matches(name, labels, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise QueryError(f"no entity is named {name!r}{hint}")
