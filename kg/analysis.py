"""Network analysis: plain functions over the NetworkX view (``kg.network``),
as in NetworkX itself.

``centrality`` (the most central organizations and people), ``components``,
``communities``, ``connection_path`` (how two entities are connected, hop by
hop, with the sentence behind each hop) and ``neighbors``.

What ``kg analyze``, ``kg path`` and ``kg neighbors`` print is shaped here
too, so that a notebook gets the same rows, JSON and text: ``analyze`` with
``format_analysis``; ``path_rows``, ``Hop.as_dict`` and ``format_path``;
``neighbor_rows``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx
from rdflib import URIRef

from kg.network import by_label, find_entity, undirected
from kg.tables import format_table
from kg.text import plural
from kg.vocab import RELATIONS

__all__ = [
    "NEIGHBOR_COLUMNS",
    "PATH_COLUMNS",
    "Analysis",
    "Hop",
    "Neighbor",
    "Ranked",
    "analyze",
    "centrality",
    "communities",
    "components",
    "connection_path",
    "format_analysis",
    "format_path",
    "neighbor_rows",
    "neighbors",
    "path_rows",
]

_EDGE_ORDER = {r: i for i, r in enumerate((*RELATIONS, "holdsPosition"))}


def _kind(G: nx.MultiDiGraph, n) -> str:
    return "Person" if G.nodes[n].get("type") == "Person" else "Organization"


def _relation_text(relation: str, title: str) -> str:
    """A relation as the commands write it: a position with its title (``holdsPosition:CEO``)."""
    return f"{relation}:{title}" if title else relation


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
class Analysis:
    """A network's size, most central entities, components and communities:
    what ``kg analyze`` prints (``rows``, ``as_dict``, ``format_analysis``).

    Attributes:
        entities (int), edges (int): the size of the network.
        centrality (dict[str, list[Ranked]]): ``Organization`` and ``Person``
            to their ``top`` most central entities (``centrality``).
        components (list[list[str]]): the connected components, as labels.
        communities (list[list[str]]): the communities, as labels.
        top (int): how many entities are ranked, and communities listed.
    """

    entities: int
    edges: int
    centrality: dict[str, list[Ranked]]
    components: list[list[str]]
    communities: list[list[str]]
    top: int = 10

    COLUMNS = ("group", "entity", "type", "degree", "betweenness")
    """The columns of ``rows``."""

    def ranked(self, group: str) -> list[list]:
        """The rows of one group's ranking: label, type, degree, betweenness to three places."""
        return [
            [r.label, r.type, r.degree, Decimal(f"{r.betweenness:.3f}")]
            for r in self.centrality.get(group, [])
        ]

    def groups(self) -> list[str]:
        """The ranked groups: ``Organization``, then ``Person``, where there are any."""
        return [g for g in ("Organization", "Person") if self.centrality.get(g)]

    def rows(self) -> list[list]:
        """Both rankings in one table (``COLUMNS``)."""
        return [[g.lower(), *row] for g in self.groups() for row in self.ranked(g)]

    def as_dict(self) -> dict:
        """Everything, as JSON: betweenness to four places, entities by IRI and label."""
        return {
            "entities": self.entities,
            "edges": self.edges,
            "centrality": {
                g: [
                    {
                        "iri": str(r.node),
                        "label": r.label,
                        "type": r.type,
                        "degree": r.degree,
                        "betweenness": round(r.betweenness, 4),
                    }
                    for r in rs
                ]
                for g, rs in self.centrality.items()
            },
            "components": self.components,
            "communities": self.communities,
        }


def analyze(G: nx.MultiDiGraph, top: int = 10, *, seed: int = 0) -> Analysis:
    """``centrality``, ``components`` and ``communities`` (Louvain with
    ``seed``) of ``G`` at once, entities named by their labels.

    >>> G = nx.MultiDiGraph()
    >>> for n, t in [("a", "Company"), ("b", "Hospital"), ("p", "Person")]:
    ...     G.add_node(n, label=n.upper(), type=t, names=[n.upper()])
    >>> _ = G.add_edge("a", "b", relation="operatesHospital")
    >>> _ = G.add_edge("p", "a", relation="ceoOf")
    >>> a = analyze(G, top=2)
    >>> for row in a.rows():
    ...     print(row)
    ['organization', 'A', 'Company', 2, Decimal('1.000')]
    ['organization', 'B', 'Hospital', 1, Decimal('0.000')]
    ['person', 'P', 'Person', 1, Decimal('0.000')]
    >>> a.as_dict()["components"]
    [['A', 'B', 'P']]
    """

    def labels(nodes) -> list[str]:
        return [G.nodes[n]["label"] for n in nodes]

    return Analysis(
        G.number_of_nodes(),
        G.number_of_edges(),
        centrality(G, top),
        [labels(c) for c in components(G)],
        [labels(c) for c in communities(G, seed=seed)],
        top,
    )


def format_analysis(a: Analysis) -> str:
    """``a`` as text: its size, a table per ranking, the first ``a.top``
    communities (each cut at ``a.top`` members).

    >>> print(format_analysis(Analysis(2, 1, {}, [["A", "B"]], [["A", "B"]], top=1)))
    2 entities, 1 edge, 1 connected component (largest: 2 entities), 1 community.
    <BLANKLINE>
    Communities (most linked first):
      1. [2] A … (+1)
    """
    largest = plural(len(a.components[0]) if a.components else 0, "entity")
    text = [
        f"{plural(a.entities, 'entity')}, {plural(a.edges, 'edge')}, "
        f"{plural(len(a.components), 'connected component')} (largest: {largest}), "
        f"{plural(len(a.communities), 'community')}."
    ]
    titles = {"Organization": "Most central organizations", "Person": "Most central people"}
    for group in a.groups():
        text.append(f"\n{titles[group]}:")
        columns = [group.lower(), "type", "degree", "betweenness"]
        text.append(format_table(columns, a.ranked(group), count=False))
    text.append("\nCommunities (most linked first):")
    for i, c in enumerate(a.communities[: a.top], 1):
        more = f" … (+{len(c) - a.top})" if len(c) > a.top else ""
        text.append(f"{i:>3}. [{len(c)}] " + "、".join(c[: a.top]) + more)
    return "\n".join(text)


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

    def as_dict(self) -> dict:
        """The hop as JSON (``kg path --format json`` lists these)."""
        return {
            "from": self.source_label,
            "to": self.target_label,
            "relation": self.relation,
            "forward": self.forward,
            "title": self.title,
            "from_iri": str(self.source),
            "to_iri": str(self.target),
            "evidence": self.evidence,
        }

    def __str__(self) -> str:
        rel = _relation_text(self.relation, self.title)
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


PATH_COLUMNS = ("hop", "from", "relation", "direction", "to", "sentences", "sentence")
"""The columns of ``path_rows``."""


def path_rows(hops: list[Hop]) -> list[list]:
    """One row a hop (``PATH_COLUMNS``): its number, ends, relation, direction
    and how many sentences state it, with the first.

    >>> ev = [{"sentence": "P任A CEO。"}]
    >>> hop = Hop("urn:p", "urn:a", "P", "A", "holdsPosition", True, "CEO", ev)
    >>> path_rows([hop])
    [[1, 'P', 'holdsPosition:CEO', 'out', 'A', 1, 'P任A CEO。']]
    """
    return [
        [
            i,
            h.source_label,
            _relation_text(h.relation, h.title),
            "out" if h.forward else "in",
            h.target_label,
            len(h.evidence),
            h.sentence,
        ]
        for i, h in enumerate(hops, 1)
    ]


def format_path(hops: list[Hop], source: str, target: str) -> str:
    """A path as text: the names, then each hop and its first sentence.

    ``source`` and ``target`` are the names asked for, said when the path is
    empty (they are the same entity).

    >>> ev = {"sentence": "A与B合作。", "title": "新闻", "date": "2020-09-04T00:00:00", "rule": "r"}
    >>> hop = Hop("urn:a", "urn:b", "A", "B", "partnersWith", True, "", [ev, ev])
    >>> print(format_path([hop], "A", "B"))
    A → B  (1 hop)
    1. A -[partnersWith]-> B
       “A与B合作。”
       — 新闻, 2020-09-04 (+1 more)
    >>> format_path([], "A", "甲")
    'A and 甲 are the same entity.'
    """
    if not hops:
        return f"{source} and {target} are the same entity."
    names = [hops[0].source_label, *(h.target_label for h in hops)]
    lines = [f"{' → '.join(names)}  ({plural(len(hops), 'hop')})"]
    for i, h in enumerate(hops, 1):
        lines.append(f"{i}. {h}")
        if h.evidence:
            e = h.evidence[0]
            more = f" (+{len(h.evidence) - 1} more)" if len(h.evidence) > 1 else ""
            if e["sentence"]:
                lines.append(f"   “{e['sentence']}”")
                lines.append(f"   — {e['title']}, {e['date'][:10]}{more}")
            else:  # stated by the corrections file, not by an article
                lines.append(f"   (no sentence: rule {e['rule'] or '?'}){more}")
    return "\n".join(lines)


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


NEIGHBOR_COLUMNS = ("neighbor", "type", "relation", "direction", "sentences")
"""The columns of ``neighbor_rows``."""


def neighbor_rows(found: list[Neighbor]) -> list[list]:
    """One row a neighbour (``NEIGHBOR_COLUMNS``), as ``kg neighbors`` prints it.

    >>> neighbor_rows([Neighbor("urn:a", "A", "Company", "holdsPosition", False, "CEO", 2)])
    [['A', 'Company', 'holdsPosition:CEO', 'in', 2]]
    """
    return [
        [
            n.label,
            n.type,
            _relation_text(n.relation, n.title),
            "out" if n.outgoing else "in",
            n.sentences,
        ]
        for n in found
    ]
