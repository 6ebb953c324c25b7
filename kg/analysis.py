"""Network analysis: plain functions over the NetworkX view (``kg.network``),
as in NetworkX itself.

``centrality`` (the most central organizations and people), ``components``,
``communities``, ``connection_path`` (how two entities are connected, hop by
hop, with the sentence behind each hop) and ``neighbors``: what ``kg
analyze``, ``kg path`` and ``kg neighbors`` print.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from rdflib import URIRef

from kg.network import by_label, find_entity, undirected
from kg.vocab import RELATIONS

__all__ = [
    "Hop",
    "Neighbor",
    "Ranked",
    "centrality",
    "communities",
    "components",
    "connection_path",
    "neighbors",
]

_EDGE_ORDER = {r: i for i, r in enumerate((*RELATIONS, "holdsPosition"))}


def _kind(G: nx.MultiDiGraph, n) -> str:
    return "Person" if G.nodes[n].get("type") == "Person" else "Organization"


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
    comps = [by_label(G, c) for c in nx.connected_components(undirected(G))]
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
