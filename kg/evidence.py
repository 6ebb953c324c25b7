"""The evidence of a graph's facts: the sentences behind each asserted triple.

Every fact a build states has one ``ihkg:Assertion`` node per sentence that
states it (or one for the corrections file), with the rule and confidence.
``evidence_index`` reads them all into one index, ``(s, p, o)`` to a list of
dicts, and is what the NetworkX view, the exports and ``kg diff`` count and
show.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from rdflib import Graph

from kg.graph import GraphParts, date_literal
from kg.vocab import T

__all__ = ["evidence_index"]


def _properties(graph):
    """A function from a node to ``{predicate: objects}``.

    A build's ``kg.graph.Triples`` hands out its own index; an rdflib graph is asked.
    """
    if hasattr(graph, "by_subject"):
        spo, empty = graph.by_subject(), {}
        return lambda node: spo.get(node, empty)

    def properties(node) -> dict:
        po: dict = {}
        for p, o in graph.predicate_objects(node):
            po.setdefault(p, []).append(o)
        return po

    return properties


def _sorted_evidence(index: dict[tuple, list[dict]]) -> dict[tuple, list[dict]]:
    for items in index.values():
        items.sort(key=lambda e: (e["date"], e["file"], e["sentence"], e["rule"], e["confidence"]))
    return index


def evidence_index(graph: Graph | GraphParts) -> dict[tuple, list[dict]]:
    """Evidence of every asserted triple: ``(s, p, o)`` to a list of dicts with
    ``sentence``, ``title``, ``date``, ``file``, ``rule`` and ``confidence``,
    oldest article first.

    ``graph`` is an ``rdflib.Graph``, a build's ``kg.graph.Triples``, or its
    ``kg.graph.GraphParts``, which is read without making the assertions'
    triples (the same index either way).

    Example:
        >>> from rdflib import RDF, Literal, URIRef
        >>> from kg.vocab import IHKG
        >>> g, a, b, node = Graph(), URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:n")
        >>> for p, o in [(RDF.type, IHKG.Assertion), (RDF.subject, a),
        ...              (RDF.predicate, IHKG.partnersWith), (RDF.object, b),
        ...              (IHKG.rule, Literal("cue")), (IHKG.confidence, Literal(0.9))]:
        ...     _ = g.add((node, p, o))
        >>> evidence_index(g)[(a, IHKG.partnersWith, b)]
        [{'sentence': '', 'title': '', 'date': '', 'file': '', 'rule': 'cue', 'confidence': 0.9}]
    """
    if isinstance(graph, GraphParts):
        return _parts_evidence(graph)
    props = _properties(graph)
    keys = (
        T.prov.wasDerivedFrom,
        T.rdf.subject,
        T.rdf.predicate,
        T.rdf.object,
        T.ihkg.rule,
        T.ihkg.confidence,
    )
    part_of, text = T.dcterms.isPartOf, T.prov.value
    fields = (T.dcterms.title, T.dcterms.date, T.ihkg.fileName)

    def firsts(node, predicates) -> list:
        po = props(node) if node is not None else {}
        return [next(iter(po.get(p, ())), None) for p in predicates]

    def source(sent) -> tuple[str, ...]:  # (sentence, title, date, file)
        said, art = firsts(sent, (text, part_of))
        return tuple("" if x is None else str(x) for x in (said, *firsts(art, fields)))

    # one of each per sentence node, rule and confidence literal, shared by many assertions
    sources: dict = {}
    strings: dict = {}
    numbers: dict = {}
    index: dict[tuple, list[dict]] = defaultdict(list)
    for node in graph.subjects(T.rdf.type, T.ihkg.Assertion):
        sent, s, p, o, rule, conf = firsts(node, keys)
        src = sources.get(sent)
        if src is None:
            src = sources[sent] = source(sent)
        number = numbers.get(id(conf))
        if number is None:  # not ``float(conf or 0)``: a Literal's truth is slow
            number = numbers[id(conf)] = 0.0 if conf is None else float(conf)
        named = strings.get(id(rule))
        if named is None:
            named = strings[id(rule)] = "" if rule is None else str(rule)
        index[(s, p, o)].append(
            {
                "sentence": src[0],
                "title": src[1],
                "date": src[2],
                "file": src[3],
                "rule": named,
                "confidence": number,
            }
        )
    return _sorted_evidence(index)


@functools.lru_cache(maxsize=1 << 16)
def _date_text(date: str) -> str:
    """An article's date as the graph writes it (``dcterms:date``; many articles share one)."""
    return str(date_literal(date))


def _parts_evidence(parts: GraphParts) -> dict[tuple, list[dict]]:
    """``evidence_index`` of a build's graph, from its claims."""
    index: dict[tuple, list[dict]] = defaultdict(list)
    numbers: dict[float, float] = {}  # as the graph writes it: two decimals

    def number(conf: float) -> float:
        found = numbers.get(conf)
        if found is None:
            found = numbers[conf] = float(f"{conf:.2f}")
        return found

    for s, p, o, _, rule, conf in parts.corrections:
        index[(s, p, o)].append(
            {
                "sentence": "",
                "title": "",
                "date": "",
                "file": "",
                "rule": rule,
                "confidence": number(conf),
            }
        )
    for prov in parts.articles.values():
        a = prov.article
        title = a.title
        date = _date_text(a.date) if a.date else ""
        file = prov.files[0] if prov.files else ""
        for s, p, o, i, rule, conf in prov.claims:
            index[(s, p, o)].append(
                {
                    "sentence": a.sentence(i).text,
                    "title": title,
                    "date": date,
                    "file": file,
                    "rule": rule,
                    "confidence": number(conf),
                }
            )
    return _sorted_evidence(index)
