"""The RDF graph: entities, relations, positions and attributes, with provenance.

Design (see the README, "Provenance"):

- every relation is a plain triple between entity IRIs in the default graph,
  so ``SELECT ?a ?b { ?a ihkg:partnersWith ?b }`` works on the file as it is;
  ``partnersWith`` is symmetric and each pair is asserted once;
- every sentence that states a triple gives an ``ihkg:Assertion`` node (IRI
  from a hash of subject, predicate, object, sentence and rule) with ``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``, ``ihkg:rule``, ``ihkg:confidence`` and
  ``prov:wasDerivedFrom`` the ``ihkg:Sentence``, which carries its text
  (``prov:value``), character offsets and ``dcterms:isPartOf`` its
  ``ihkg:Article`` (title, date, file names, URL);
- a position is an IRI node (hash of person, organization and title) with
  ``ihkg:person``, ``ihkg:organization``, ``ihkg:title``; the person
  ``ihkg:holdsPosition`` it, and that triple has assertions like any other.

No blank nodes: the same input gives the same triples, whatever the order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.articles import Article
from kg.corrections import CORRECTIONS
from kg.resolve import Evidence, KnowledgeBase
from kg.vocab import IHKG, IHKGID

__all__ = ["article_iri", "build_graph", "entity_iri", "new_graph", "sentence_iri"]


_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph()
    g.bind("ihkg", IHKG._NS)
    g.bind("ihkgid", IHKGID)
    g.bind("prov", PROV)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    return g


def entity_iri(eid: str) -> URIRef:
    """The IRI of an entity id such as ``org/3f2a…``."""
    return IHKGID[eid]


def article_iri(key: str) -> URIRef:
    return IHKGID[f"article/{key}"]


def sentence_iri(article: str, index: int) -> URIRef:
    return IHKGID[f"sentence/{article}/{index}"]


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _lang(text: str) -> str:
    return "en" if text.isascii() else "zh"


def build_graph(
    kb: KnowledgeBase,
    articles: Mapping[str, Article],
    files: Mapping[str, Iterable[str]] | None = None,
) -> Graph:
    """Turn a ``KnowledgeBase`` into an rdflib graph in the ihkg vocabulary.

    Args:
        kb (KnowledgeBase): resolved entities and facts.
        articles (dict[str, Article]): the articles, by key.
        files (dict[str, list[str]]): every file name each article was read
            from (the same article may come in under two names).

    Returns:
        Graph: the graph, with provenance for every relation and position.
    """
    g = new_graph()
    files = files or {k: [a.path] for k, a in articles.items()}
    for e in kb.entities.values():
        iri = entity_iri(e.id)
        g.add((iri, RDF.type, IHKG[e.type]))
        g.add((iri, RDFS.label, Literal(e.label, lang=_lang(e.label))))
        labelled = {_lang(e.label)}
        for alt in e.alt_labels:
            lang = _lang(alt)
            prop = SKOS.altLabel if lang in labelled else RDFS.label
            labelled.add(lang)
            g.add((iri, prop, Literal(alt, lang=lang)))
        for art in e.articles:
            g.add((iri, IHKG.mentionedIn, article_iri(art)))

    used: set[tuple[str, int]] = set()

    def assert_(s, p, o, evidence: list[Evidence]) -> None:
        g.add((s, p, o))
        for ev in evidence:
            sent = (
                IHKGID["corrections"]
                if ev.article == CORRECTIONS
                else sentence_iri(ev.article, ev.sentence)
            )
            node = IHKGID[f"assertion/{_hash(s, p, o, sent, ev.rule)}"]
            g.add((node, RDF.type, IHKG.Assertion))
            g.add((node, RDF.subject, s))
            g.add((node, RDF.predicate, p))
            g.add((node, RDF.object, o))
            g.add((node, PROV.wasDerivedFrom, sent))
            g.add((node, IHKG.rule, Literal(ev.rule)))
            g.add((node, IHKG.confidence, Literal(f"{ev.confidence:.2f}", datatype=XSD.decimal)))
            if ev.article == CORRECTIONS:
                g.add((sent, RDF.type, PROV.Entity))
                g.add((sent, RDFS.label, Literal("corrections file", lang="en")))
            else:
                used.add((ev.article, ev.sentence))

    for f in kb.relations:
        assert_(entity_iri(f.subject), IHKG[f.predicate], entity_iri(f.object), f.evidence)
    for p in kb.positions:
        node = IHKGID[f"position/{_hash(p.person, p.org, p.title)}"]
        g.add((node, RDF.type, IHKG.Position))
        g.add((node, IHKG.person, entity_iri(p.person)))
        g.add((node, IHKG.organization, entity_iri(p.org)))
        g.add((node, IHKG.title, Literal(p.title, lang="zh")))
        assert_(entity_iri(p.person), IHKG.holdsPosition, node, p.evidence)
    for a in kb.attributes:
        value = (
            Literal(a.object, datatype=XSD.gYear)
            if a.predicate == "foundingYear"
            else Literal(a.object)
        )
        assert_(entity_iri(a.subject), IHKG[a.predicate], value, a.evidence)

    for key in sorted({k for k, _ in used} | {a for e in kb.entities.values() for a in e.articles}):
        article = articles.get(key)
        if article is None:
            continue
        node = article_iri(key)
        g.add((node, RDF.type, IHKG.Article))
        g.add((node, DCTERMS.title, Literal(article.title, lang=_lang(article.title))))
        if article.date:
            dtype = XSD.dateTime if "T" in article.date else XSD.date
            g.add((node, DCTERMS.date, Literal(article.date, datatype=dtype)))
        for name in sorted(set(files.get(key, [article.path]))):
            g.add((node, IHKG.fileName, Literal(name)))
        if article.url:
            safe = _SAFE_IRI.match(article.url)
            g.add((node, DCTERMS.source, URIRef(article.url) if safe else Literal(article.url)))
    for key, index in sorted(used):
        article = articles.get(key)
        if article is None:
            continue
        sent = article.sentences[index]
        node = sentence_iri(key, index)
        g.add((node, RDF.type, IHKG.Sentence))
        g.add((node, DCTERMS.isPartOf, article_iri(key)))
        g.add((node, IHKG.sentenceIndex, Literal(index)))
        g.add((node, IHKG.startChar, Literal(sent.start)))
        g.add((node, IHKG.endChar, Literal(sent.end)))
        g.add((node, PROV.value, Literal(sent.text, lang="zh")))
    return g
