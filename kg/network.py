"""The NetworkX view of a graph: entities as nodes, relations as edges.

``to_networkx(graph)`` gives a ``MultiDiGraph`` whose nodes are entity IRIs
with ``label``, ``type`` and ``names``, and whose edges carry ``relation`` (the
ihkg property's local name). A position is an edge ``holdsPosition`` from the
person to the organization with its ``title``. Every edge keeps ``evidence``:
the sentences that state it, with their article's title and date.

Analysis is plain functions over that view, as in NetworkX itself:
``centrality`` (the most central organizations and people),
``components``, ``communities``, ``find_entity`` (a name, alias or IRI to a
node), ``connection_path`` (how two entities are connected, hop by hop, with
the sentence behind each hop) and ``neighbors``.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from rdflib import RDF, Graph, URIRef

from kg.errors import QueryError
from kg.evidence import evidence_index
from kg.text import fold_key
from kg.vocab import ATTRIBUTES, ENTITY_TYPES, IHKG, RELATIONS, T, label_key

__all__ = [
    "Hop",
    "Neighbor",
    "Ranked",
    "centrality",
    "communities",
    "components",
    "connection_path",
    "find_entity",
    "neighbors",
    "to_networkx",
    "undirected",
]

_EDGE_ORDER = {r: i for i, r in enumerate((*RELATIONS, "holdsPosition"))}


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


def _kind(G: nx.MultiDiGraph, n) -> str:
    return "Person" if G.nodes[n].get("type") == "Person" else "Organization"


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


@dataclass(frozen=True, slots=True)
class Ranked:
    """An entity's place in the network.

    Attributes:
        node: its IRI. label (str): its name. type (str): its class.
        degree (int): how many distinct entities it is linked to.
        betweenness (float): the share of shortest paths between other
            entities that pass through it (normalised, 0 to 1).
    """

    node: URIRef
    label: str
    type: str
    degree: int
    betweenness: float


def centrality(
    G: nx.MultiDiGraph,
    top: int = 10,
    *,
    by: str = "degree",
    per: str = "kind",
    sample: int | None = None,
    seed: int = 0,
) -> dict[str, list[Ranked]]:
    """The most central organizations and people, by degree and betweenness.

    Both are computed on the undirected view (``undirected``): the degree is
    the number of distinct neighbours, whatever the relations; betweenness is
    normalised. On graphs of more than 2,000 nodes betweenness is estimated
    from ``sample`` source nodes (500 by default) drawn with ``seed``.

    Args:
        G: the view from ``to_networkx``.
        top (int): how many entities per group.
        by (str): ``"degree"`` or ``"betweenness"``: the ranking (the other
            breaks ties, then the name).
        per (str): ``"kind"`` groups ``Organization`` and ``Person``;
            ``"type"`` groups by class (``Company``, ``Hospital``, ...).
        sample (int): source nodes for estimated betweenness.
        seed (int): seed of that sample.

    Returns:
        dict[str, list[Ranked]]: group name to its ``top`` entities, best first.

    Example:
        >>> G = nx.MultiDiGraph()
        >>> for n, t in [("a", "Company"), ("b", "Company"), ("c", "Hospital"), ("p", "Person")]:
        ...     G.add_node(n, label=n.upper(), type=t, names=[n.upper()])
        >>> _ = G.add_edge("a", "b", relation="partnersWith")
        >>> _ = G.add_edge("a", "c", relation="operatesHospital")
        >>> _ = G.add_edge("p", "a", relation="ceoOf")
        >>> ranks = centrality(G, top=2)
        >>> [(r.label, r.degree, round(r.betweenness, 2)) for r in ranks["Organization"]]
        [('A', 3, 1.0), ('B', 1, 0.0)]
        >>> [r.label for r in ranks["Person"]]
        ['P']
    """
    if by not in ("degree", "betweenness"):
        raise ValueError(f"by must be 'degree' or 'betweenness', not {by!r}")
    if per not in ("kind", "type"):
        raise ValueError(f"per must be 'kind' or 'type', not {per!r}")
    H = undirected(G)
    n = H.number_of_nodes()
    if n > 2000 or sample is not None:
        k = min(sample or 500, n)
        between = nx.betweenness_centrality(H, k=k, seed=seed)
    else:
        between = nx.betweenness_centrality(H)
    groups: dict[str, list[Ranked]] = defaultdict(list)
    for node in H.nodes:
        d = H.nodes[node]
        r = Ranked(
            node,
            d.get("label", str(node)),
            d.get("type", ""),
            H.degree(node),
            between.get(node, 0.0),
        )
        groups[_kind(G, node) if per == "kind" else r.type].append(r)

    def key(r: Ranked):
        first, second = (r.degree, r.betweenness) if by == "degree" else (r.betweenness, r.degree)
        return (-first, -second, r.label, str(r.node))

    return {g: sorted(rs, key=key)[:top] for g, rs in sorted(groups.items())}


def _by_label(G, nodes) -> list:
    return sorted(nodes, key=lambda n: (G.nodes[n].get("label", ""), str(n)))


def components(G: nx.MultiDiGraph) -> list[list[URIRef]]:
    """Connected components (ignoring direction), largest first.

    Each component is a list of nodes sorted by label; components of the same
    size are ordered by their first label.

    >>> G = nx.MultiDiGraph()
    >>> for n in "abcd":
    ...     G.add_node(n, label=n, type="Company", names=[n])
    >>> _ = G.add_edge("b", "a", relation="partnersWith")
    >>> _ = G.add_edge("c", "d", relation="partnersWith")
    >>> _ = G.add_edge("d", "b", relation="partnersWith")
    >>> G.add_node("e", label="e", type="Company", names=["e"])
    >>> components(G)
    [['a', 'b', 'c', 'd'], ['e']]
    """
    comps = [_by_label(G, c) for c in nx.connected_components(undirected(G))]
    return sorted(comps, key=lambda c: (-len(c), G.nodes[c[0]].get("label", ""), str(c[0])))


def communities(
    G: nx.MultiDiGraph, *, seed: int = 0, method: str = "louvain", resolution: float = 1.0
) -> list[list[URIRef]]:
    """Communities of densely linked entities, largest first.

    Args:
        G: the view from ``to_networkx``.
        seed (int): the seed of Louvain's random order: the same seed gives
            the same communities.
        method (str): ``"louvain"`` (``nx.community.louvain_communities``) or
            ``"greedy"`` (greedy modularity, deterministic without a seed).
        resolution (float): above 1 favours smaller communities.

    Returns:
        list[list]: each community's nodes, most linked first (then by label).

    >>> G = nx.MultiDiGraph()
    >>> for n in "abcxyz":
    ...     G.add_node(n, label=n, type="Company", names=[n])
    >>> for u, v in ["ab", "bc", "ca", "xy", "yz", "zx", "cx"]:
    ...     _ = G.add_edge(u, v, relation="partnersWith")
    >>> communities(G)
    [['c', 'a', 'b'], ['x', 'y', 'z']]
    """
    H = undirected(G)
    if H.number_of_nodes() == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(H, seed=seed, resolution=resolution)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(H, resolution=resolution)
    else:
        raise ValueError(f"method must be 'louvain' or 'greedy', not {method!r}")
    ordered = [
        sorted(c, key=lambda n: (-H.degree(n), H.nodes[n].get("label", ""), str(n))) for c in found
    ]
    return sorted(ordered, key=lambda c: (-len(c), H.nodes[c[0]].get("label", ""), str(c[0])))


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
        found = _by_label(G, [n for n in G.nodes if test(n)])
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


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a connection: an edge between two entities.

    Attributes:
        source, target: the nodes, in the order the path walks them.
        source_label (str), target_label (str): their names.
        relation (str): the relation of the edge (``partnersWith`` ...).
        forward (bool): whether the relation points from ``source`` to
            ``target`` (``False``: it is stated the other way round).
        title (str): the position's title for ``holdsPosition``, else "".
        evidence (list[dict]): the statements of the edge (``sentence``,
            ``title``, ``date``, ``file``, ``rule``, ``confidence``).
        relations (list[str]): every relation between the two, this one first.
    """

    source: URIRef
    target: URIRef
    source_label: str
    target_label: str
    relation: str
    forward: bool
    title: str = ""
    evidence: list[dict] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        """The first sentence that states the edge ("" if none)."""
        return self.evidence[0]["sentence"] if self.evidence else ""

    def __str__(self) -> str:
        rel = f"{self.relation}:{self.title}" if self.title else self.relation
        if self.forward:
            return f"{self.source_label} -[{rel}]-> {self.target_label}"
        return f"{self.source_label} <-[{rel}]- {self.target_label}"


def _edges_between(G: nx.MultiDiGraph, u, v) -> list[tuple[bool, dict]]:
    out = [(True, d) for d in (G.get_edge_data(u, v) or {}).values()]
    out += [(False, d) for d in (G.get_edge_data(v, u) or {}).values()]
    return sorted(
        out,
        key=lambda e: (
            -len(e[1].get("evidence", [])),
            _EDGE_ORDER.get(e[1].get("relation", ""), 99),
            not e[0],
            e[1].get("title", ""),
        ),
    )


def connection_path(G: nx.MultiDiGraph, a: str, b: str) -> list[Hop] | None:
    """How ``a`` and ``b`` are connected: the hops of a shortest path.

    Direction is ignored when searching (a partner's CEO is two hops away
    whichever way the relations point); each hop says which way its relation
    goes. Between two entities linked several ways, the hop shows the
    relation with the most evidence.

    Args:
        G: the view from ``to_networkx``.
        a (str), b (str): names, aliases or IRIs (see ``find_entity``).

    Returns:
        list[Hop] | None: the hops from ``a`` to ``b`` (empty if they are the
        same entity), or ``None`` when nothing connects them.

    Raises:
        QueryError: a name matches no entity or several.

    >>> G = nx.MultiDiGraph()
    >>> for n, t in [("a", "Company"), ("b", "Company"), ("p", "Person")]:
    ...     G.add_node(n, label=n.upper(), type=t, names=[n.upper()])
    >>> _ = G.add_edge("a", "b", relation="partnersWith",
    ...                evidence=[{"sentence": "A与B合作。"}])
    >>> _ = G.add_edge("p", "b", relation="ceoOf", evidence=[])
    >>> [str(h) for h in connection_path(G, "A", "P")]
    ['A -[partnersWith]-> B', 'B <-[ceoOf]- P']
    >>> connection_path(G, "A", "P")[0].sentence
    'A与B合作。'
    """
    src, dst = find_entity(G, a), find_entity(G, b)
    H = undirected(G)
    try:
        path = nx.shortest_path(H, src, dst)
    except nx.NetworkXNoPath:
        return None
    hops = []
    for u, v in zip(path, path[1:], strict=False):
        edges = _edges_between(G, u, v)
        forward, d = edges[0]
        hops.append(
            Hop(
                u,
                v,
                G.nodes[u].get("label", str(u)),
                G.nodes[v].get("label", str(v)),
                d.get("relation", ""),
                forward,
                d.get("title", ""),
                list(d.get("evidence", [])),
                list(dict.fromkeys(e.get("relation", "") for _, e in edges)),
            )
        )
    return hops


@dataclass(frozen=True, slots=True)
class Neighbor:
    """An entity linked to another, and how.

    Attributes:
        node: its IRI. label (str), type (str): its name and class.
        relation (str): the relation. outgoing (bool): whether the relation
            points from the entity asked about to this one.
        title (str): the position's title for ``holdsPosition``.
        sentences (int): how many statements support the edge.
    """

    node: URIRef
    label: str
    type: str
    relation: str
    outgoing: bool
    title: str
    sentences: int


def neighbors(G: nx.MultiDiGraph, name: str) -> list[Neighbor]:
    """Every entity linked to ``name`` (a name, alias or IRI), one per edge.

    Sorted by relation (in the ontology's order), then name.

    >>> G = nx.MultiDiGraph()
    >>> for n, t in [("a", "Company"), ("b", "Company"), ("p", "Person")]:
    ...     G.add_node(n, label=n.upper(), type=t, names=[n.upper()])
    >>> _ = G.add_edge("a", "b", relation="partnersWith", evidence=[{}, {}])
    >>> _ = G.add_edge("p", "a", relation="ceoOf", evidence=[{}])
    >>> [(x.label, x.relation, x.outgoing, x.sentences) for x in neighbors(G, "A")]
    [('B', 'partnersWith', True, 2), ('P', 'ceoOf', False, 1)]
    """
    node = find_entity(G, name)
    out = []
    for outgoing, edges in (
        (True, G.out_edges(node, data=True)),
        (False, G.in_edges(node, data=True)),
    ):
        for u, v, d in edges:
            other = v if outgoing else u
            od = G.nodes[other]
            out.append(
                Neighbor(
                    other,
                    od.get("label", str(other)),
                    od.get("type", ""),
                    d.get("relation", ""),
                    outgoing,
                    d.get("title", ""),
                    len(d.get("evidence", [])),
                )
            )
    return sorted(
        out,
        key=lambda x: (
            _EDGE_ORDER.get(x.relation, 99),
            x.label,
            x.title,
            not x.outgoing,
            str(x.node),
        ),
    )
