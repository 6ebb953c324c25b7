"""What changed between two builds of the graph: ``diff_graphs(old, new)``.

Entities are matched by IRI (stable across builds from the same input). An
entity is *changed* when its type, its ``rdfs:label`` or its
``skos:altLabel`` set differs. Relations are the relation triples, the
positions (person, organization, title) and the attributes (stock code,
founding year); ``partnersWith`` is symmetric, so ``a partnersWith b`` and
``b partnersWith a`` are the same relation. Each is named as what it is
(``RelationState.kind``): an attribute is not a relation. A relation, position
or attribute is *changed* when the number of its ``ihkg:Assertion`` nodes (the
sentences that state it, or the corrections file) or its best confidence
differs.

The result is a ``GraphDiff`` of plain, sorted tuples, the same for the same
two graphs; ``format_diff`` prints it as a table, ``GraphDiff.as_dict`` gives
it as JSON-ready data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.evidence import evidence_index
from kg.vocab import ATTRIBUTES, ENTITY_TYPES, IHKG, RELATIONS, preferred_label

__all__ = [
    "EntityChange",
    "EntityState",
    "GraphDiff",
    "RelationChange",
    "RelationState",
    "diff_graphs",
    "diff_rows",
    "format_diff",
]

_ENTITY_CLASSES = {IHKG.Organization: "Organization", **ENTITY_TYPES}


@dataclass(frozen=True, slots=True)
class EntityState:
    """An entity as one build has it.

    Attributes:
        iri (str): its IRI.
        type (str): its most specific ihkg class(es), joined with ``|``.
        label (str): its labels as ``text@lang``, joined with `` | ``.
        alt_labels (tuple[str, ...]): its other names as ``text@lang``, sorted.
    """

    iri: str
    type: str
    label: str
    alt_labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityChange:
    """One entity in both builds, with what differs (``fields``: the names of
    the ``EntityState`` attributes that changed)."""

    old: EntityState
    new: EntityState
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RelationState:
    """A relation, position or attribute as one build has it.

    Attributes:
        subject (str), predicate (str), object (str): the triple; the
            predicate is the ihkg local name (``holdsPosition`` for a
            position, whose object is the organization), an attribute's
            object is its value.
        title (str): a position's title, else empty.
        subject_label (str), object_label (str): names, for people to read.
        evidence (int): how many assertions state it (one per sentence, or
            one for the corrections file).
        confidence (float): the highest confidence of those.
    """

    subject: str
    predicate: str
    object: str
    title: str
    subject_label: str
    object_label: str
    evidence: int
    confidence: float

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the relation across builds."""
        return (self.subject, self.predicate, self.object, self.title)

    @property
    def kind(self) -> str:
        """``attribute`` (a value such as foundingYear), ``position`` or ``relation``."""
        return fact_kind(self.predicate)


def fact_kind(predicate: str) -> str:
    """What a predicate states: ``relation``, ``position`` or ``attribute``.

    >>> fact_kind("partnersWith"), fact_kind("holdsPosition"), fact_kind("foundingYear")
    ('relation', 'position', 'attribute')
    """
    if predicate in ATTRIBUTES:
        return "attribute"
    return "position" if predicate == "holdsPosition" else "relation"


KINDS = ("relation", "position", "attribute")


@dataclass(frozen=True, slots=True)
class RelationChange:
    """One relation in both builds whose evidence count or confidence differs."""

    old: RelationState
    new: RelationState


@dataclass(frozen=True, slots=True)
class GraphDiff:
    """Everything added, removed and changed from one build to the next."""

    entities_added: tuple[EntityState, ...] = ()
    entities_removed: tuple[EntityState, ...] = ()
    entities_changed: tuple[EntityChange, ...] = ()
    relations_added: tuple[RelationState, ...] = ()
    relations_removed: tuple[RelationState, ...] = ()
    relations_changed: tuple[RelationChange, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the two builds have the same entities and relations."""
        return not any(self.counts()[k] for k in self.counts())

    def counts(self) -> dict[str, int]:
        """How many of each kind of change."""
        return {
            "entities_added": len(self.entities_added),
            "entities_removed": len(self.entities_removed),
            "entities_changed": len(self.entities_changed),
            "relations_added": len(self.relations_added),
            "relations_removed": len(self.relations_removed),
            "relations_changed": len(self.relations_changed),
        }

    def as_dict(self) -> dict:
        """Plain data for JSON: the counts, then every change."""
        return {"counts": self.counts(), **asdict(self)}


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _tagged(lit) -> str:
    return f"{lit}@{lit.language}" if isinstance(lit, Literal) and lit.language else str(lit)


def _name(graph: Graph, node) -> str:
    if isinstance(node, Literal):
        return str(node)
    return preferred_label(graph, node) or str(node)


def _entities(graph: Graph) -> dict[str, EntityState]:
    out: dict[str, EntityState] = {}
    for cls in _ENTITY_CLASSES:
        for node in graph.subjects(RDF.type, cls):
            if str(node) in out:
                continue
            types = sorted(
                _ENTITY_CLASSES[t] for t in graph.objects(node, RDF.type) if t in _ENTITY_CLASSES
            )
            out[str(node)] = EntityState(
                iri=str(node),
                type="|".join(types),
                label=" | ".join(sorted(_tagged(x) for x in graph.objects(node, RDFS.label))),
                alt_labels=tuple(sorted(_tagged(x) for x in graph.objects(node, SKOS.altLabel))),
            )
    return out


def _relations(graph: Graph) -> dict[tuple, RelationState]:
    evidence = evidence_index(graph)
    out: dict[tuple, RelationState] = {}

    def add(s, p: str, o, title: str, stated) -> None:
        if p == "partnersWith" and str(o) < str(s):
            s, o = o, s
        found = evidence.get(stated, [])
        n, conf = len(found), max((e["confidence"] for e in found), default=0.0)
        rel = RelationState(
            str(s), p, str(o), title, _name(graph, s), _name(graph, o), n, round(conf, 4)
        )
        if rel.key in out:  # partnersWith asserted both ways: one relation
            prev = out[rel.key]
            rel = replace(
                rel, evidence=prev.evidence + n, confidence=max(prev.confidence, rel.confidence)
            )
        out[rel.key] = rel

    for name in (*RELATIONS, *ATTRIBUTES):
        pred = IHKG[name]
        for s, o in graph.subject_objects(pred):
            add(s, name, o, "", (s, pred, o))
    for pos in graph.subjects(RDF.type, IHKG.Position):
        person = graph.value(pos, IHKG.person)
        org = graph.value(pos, IHKG.organization)
        if person is None or org is None:
            continue
        title = str(graph.value(pos, IHKG.title) or "")
        add(person, "holdsPosition", org, title, (person, IHKG.holdsPosition, pos))
    return out


def diff_graphs(old: Graph, new: Graph) -> GraphDiff:
    """Entities and relations added, removed and changed from ``old`` to ``new``.

    Args:
        old (Graph): the earlier build.
        new (Graph): the later build.

    Returns:
        GraphDiff: entities sorted by type and label, relations by property and
        names (then IRIs), so the same two graphs give the same diff.

    Example:
        >>> from rdflib import Literal
        >>> from kg.graph import new_graph
        >>> from kg.vocab import IHKGID
        >>> a, b = new_graph(), new_graph()
        >>> for g, name in ((a, "甲公司"), (b, "甲集团")):
        ...     _ = g.add((IHKGID["org/1"], RDF.type, IHKG.Company))
        ...     _ = g.add((IHKGID["org/1"], RDFS.label, Literal(name, lang="zh")))
        >>> _ = b.add((IHKGID["org/2"], RDF.type, IHKG.Hospital))
        >>> _ = b.add((IHKGID["org/1"], IHKG.operatesHospital, IHKGID["org/2"]))
        >>> d = diff_graphs(a, b)
        >>> [e.iri for e in d.entities_added], d.entities_changed[0].fields
        (['https://w3id.org/ihkg/id/org/2'], ('label',))
        >>> [(r.subject_label, r.predicate) for r in d.relations_added]
        [('甲集团', 'operatesHospital')]
    """
    old_e, new_e = _entities(old), _entities(new)
    old_r, new_r = _relations(old), _relations(new)

    def by_entity(states):
        return tuple(sorted(states, key=lambda e: (e.type, e.label, e.iri)))

    def by_relation(states):
        return tuple(
            sorted(states, key=lambda r: (r.predicate, r.subject_label, r.object_label, r.key))
        )

    changed_e = []
    for iri in old_e.keys() & new_e.keys():
        a, b = old_e[iri], new_e[iri]
        fields = tuple(f for f in ("type", "label", "alt_labels") if getattr(a, f) != getattr(b, f))
        if fields:
            changed_e.append(EntityChange(a, b, fields))
    changed_r = [
        RelationChange(old_r[k], new_r[k])
        for k in old_r.keys() & new_r.keys()
        if (old_r[k].evidence, old_r[k].confidence) != (new_r[k].evidence, new_r[k].confidence)
    ]
    return GraphDiff(
        entities_added=by_entity(new_e[k] for k in new_e.keys() - old_e.keys()),
        entities_removed=by_entity(old_e[k] for k in old_e.keys() - new_e.keys()),
        entities_changed=tuple(
            sorted(changed_e, key=lambda c: (c.new.type, c.new.label, c.new.iri))
        ),
        relations_added=by_relation(new_r[k] for k in new_r.keys() - old_r.keys()),
        relations_removed=by_relation(old_r[k] for k in old_r.keys() - new_r.keys()),
        relations_changed=tuple(
            sorted(
                changed_r,
                key=lambda c: (c.new.predicate, c.new.subject_label, c.new.object_label, c.new.key),
            )
        ),
    )


def _rel_text(r: RelationState) -> str:
    pred = f"{r.predicate} ({r.title})" if r.title else r.predicate
    return f"{r.subject_label}  {pred}  {r.object_label}"


def _alts(values: tuple[str, ...]) -> str:
    return ", ".join(values) or "(none)"


def format_diff(d: GraphDiff) -> str:
    """The diff as text: counts, then one line per change (``+`` added, ``-``
    removed, ``~`` changed), each named as what it is: an entity, a relation,
    a position or an attribute (foundingYear, stockCode).

    >>> print(format_diff(GraphDiff()))
    Entities:    0 added, 0 removed, 0 changed
    Relations:   0 added, 0 removed, 0 changed
    Positions:   0 added, 0 removed, 0 changed
    Attributes:  0 added, 0 removed, 0 changed
    No differences.
    """
    lines = [
        f"{'Entities:':<12} {len(d.entities_added)} added, {len(d.entities_removed)} removed, "
        f"{len(d.entities_changed)} changed"
    ]
    for kind in KINDS:

        def n(items, kind=kind) -> int:
            return sum((x.new if isinstance(x, RelationChange) else x).kind == kind for x in items)

        lines.append(
            f"{kind.capitalize() + 's:':<12} {n(d.relations_added)} added, "
            f"{n(d.relations_removed)} removed, {n(d.relations_changed)} changed"
        )
    if d.empty:
        return "\n".join([*lines, "No differences."])
    for sign, items in (("+", d.entities_added), ("-", d.entities_removed)):
        lines += [f"{sign} entity    {e.type:<16} {e.label}  <{e.iri}>" for e in items]
    for ch in d.entities_changed:
        lines.append(f"~ entity    {ch.new.type:<16} {ch.new.label}  <{ch.new.iri}>")
        for f in ch.fields:
            old, new = getattr(ch.old, f), getattr(ch.new, f)
            if f == "alt_labels":
                old, new = _alts(old), _alts(new)
            lines.append(f"      {f}: {old} -> {new}")
    for sign, items in (("+", d.relations_added), ("-", d.relations_removed)):
        lines += [
            f"{sign} {r.kind:<9} {_rel_text(r)}  [evidence {r.evidence}, "
            f"confidence {r.confidence:.2f}]"
            for r in items
        ]
    for ch in d.relations_changed:
        lines.append(
            f"~ {ch.new.kind:<9} {_rel_text(ch.new)}  "
            f"[evidence {ch.old.evidence} -> {ch.new.evidence}, "
            f"confidence {ch.old.confidence:.2f} -> {ch.new.confidence:.2f}]"
        )
    return "\n".join(lines)


def diff_rows(d: GraphDiff) -> list[list]:
    """The diff as rows, one per change: ``change`` (added, removed, changed),
    ``kind`` (entity, relation, position, attribute), ``subject``,
    ``predicate``, ``object``, ``evidence`` and ``confidence`` (the new ones,
    for a change). An entity's row is its label, type and IRI.

    >>> diff_rows(GraphDiff())
    []
    """
    rows: list[list] = []
    for change, items in (("added", d.entities_added), ("removed", d.entities_removed)):
        rows += [[change, "entity", e.label, e.type, e.iri, None, None] for e in items]
    rows += [
        ["changed", "entity", c.new.label, c.new.type, c.new.iri, None, None]
        for c in d.entities_changed
    ]
    changed = [("changed", c.new) for c in d.relations_changed]
    for change, r in [
        *(("added", r) for r in d.relations_added),
        *(("removed", r) for r in d.relations_removed),
        *changed,
    ]:
        predicate = f"{r.predicate} ({r.title})" if r.title else r.predicate
        rows.append(
            [change, r.kind, r.subject_label, predicate, r.object_label, r.evidence, r.confidence]
        )
    return rows
