"""The NetworkX view of a graph: entities as nodes, relations as edges.

``to_networkx(graph)`` gives a ``MultiDiGraph`` whose nodes are entity IRIs
with ``label``, ``type`` and ``names``, and whose edges carry ``relation`` (the
ihkg property's local name). A position is an edge ``holdsPosition`` from the
person to the organization with its ``title``. Every edge keeps ``evidence``:
the sentences that state it, with their article's title and date.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.vocab import IHKG, ORG_CLASSES, RELATIONS

__all__ = ["evidence_index", "to_networkx"]

_ENTITY_TYPES = {IHKG[c]: c for c in (*ORG_CLASSES, "Person")}


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def evidence_index(graph: Graph) -> dict[tuple, list[dict]]:
    """Evidence of every asserted triple: ``(s, p, o)`` to a list of dicts with
    ``sentence``, ``title``, ``date``, ``file``, ``rule`` and ``confidence``."""
    index: dict[tuple, list[dict]] = defaultdict(list)
    for node in graph.subjects(RDF.type, IHKG.Assertion):
        s = graph.value(node, RDF.subject)
        p = graph.value(node, RDF.predicate)
        o = graph.value(node, RDF.object)
        sent = graph.value(node, PROV.wasDerivedFrom)
        art = graph.value(sent, DCTERMS.isPartOf) if sent is not None else None
        index[(s, p, o)].append(
            {
                "sentence": str(graph.value(sent, PROV.value) or ""),
                "title": str(graph.value(art, DCTERMS.title) or "") if art else "",
                "date": str(graph.value(art, DCTERMS.date) or "") if art else "",
                "file": str(graph.value(art, IHKG.fileName) or "") if art else "",
                "rule": str(graph.value(node, IHKG.rule) or ""),
                "confidence": float(graph.value(node, IHKG.confidence) or 0),
            }
        )
    for items in index.values():
        items.sort(key=lambda e: (e["date"], e["file"], e["sentence"]))
    return index


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The entities and relations of ``graph`` as a NetworkX multigraph.

    Example:
        >>> from rdflib import Literal, URIRef
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
    evidence = evidence_index(graph)
    for cls, name in _ENTITY_TYPES.items():
        for node in graph.subjects(RDF.type, cls):
            labels = sorted(str(x) for x in graph.objects(node, RDFS.label))
            alts = sorted(str(x) for x in graph.objects(node, SKOS.altLabel))
            label = labels[0] if labels else _local(node)
            G.add_node(node, label=label, type=name, names=[*labels, *alts])
    for rel in RELATIONS:
        pred = IHKG[rel]
        for s, o in sorted(graph.subject_objects(pred)):
            if s in G and o in G:
                G.add_edge(s, o, key=rel, relation=rel, evidence=evidence.get((s, pred, o), []))
    for pos in sorted(graph.subjects(RDF.type, IHKG.Position)):
        person = graph.value(pos, IHKG.person)
        org = graph.value(pos, IHKG.organization)
        if person in G and org in G:
            title = str(graph.value(pos, IHKG.title) or "")
            G.add_edge(
                person,
                org,
                key=f"holdsPosition:{title}",
                relation="holdsPosition",
                title=title,
                evidence=evidence.get((person, IHKG.holdsPosition, pos), []),
            )
    return G
