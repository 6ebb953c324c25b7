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

``graph_triples`` gives them as ``Triples``, a set indexed by subject that is
several times lighter and faster to fill than an ``rdflib.Graph`` and has the
part of its reading API the HTML page and the NetworkX view use; a build
writes its outputs from it (``kg.turtle``) and makes an ``rdflib.Graph`` only
when asked (``Triples.to_graph``, ``BuildResult.graph``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.articles import Article
from kg.corrections import CORRECTIONS
from kg.resolve import Evidence, KnowledgeBase
from kg.vocab import IHKG, IHKGID, T

__all__ = [
    "NAMESPACES",
    "Triples",
    "article_iri",
    "entity_iri",
    "graph_triples",
    "new_graph",
    "sentence_iri",
]


_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


#: The prefixes bound in every graph the project makes.
NAMESPACES = {
    "ihkg": str(IHKG._NS),
    "ihkgid": str(IHKGID),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
}


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph()
    for prefix, namespace in NAMESPACES.items():
        g.bind(prefix, namespace)
    return g


class Triples:
    """A set of triples indexed by subject, with a little of ``rdflib.Graph``'s API.

    What a build makes: cheaper to fill and to hold than an ``rdflib.Graph``
    (one index instead of three), and enough for ``kg.network.to_networkx``,
    ``kg.viz`` and ``kg.turtle`` to read. Triples are kept in the order added,
    without duplicates. Lookups by subject are dictionary lookups;
    ``subjects`` indexes a predicate the first time it is asked for, and
    ``subject_objects`` scans, which the readers above do a few times per build.

    >>> from rdflib import RDF
    >>> t = Triples()
    >>> a = URIRef("urn:a")
    >>> t.add((a, RDF.type, IHKG.Company)); t.add((a, RDF.type, IHKG.Company))
    >>> len(t), t.value(a, RDF.type) == IHKG.Company, list(t.subjects(RDF.type, IHKG.Company))
    (1, True, [rdflib.term.URIRef('urn:a')])
    >>> len(t.to_graph())
    1
    """

    def __init__(self, namespaces: Mapping[str, str] = NAMESPACES) -> None:
        self.namespaces = dict(namespaces)
        self._spo: dict = {}
        self._len = 0
        self._pos: dict = {}  # predicate: {object: [subjects]}, made by ``subjects`` on demand

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        objects = self._spo.setdefault(s, {}).setdefault(p, {})
        before = len(objects)
        objects[o] = None
        self._len += len(objects) - before
        self._pos = {}

    def add_all(self, subject, pairs: Iterable[tuple]) -> None:
        """Add ``(subject, p, o)`` for each ``(p, o)`` of ``pairs``: one node's triples."""
        self._pos = {}
        po = self._spo.setdefault(subject, {})
        for p, o in pairs:
            objects = po.get(p)
            if objects is None:
                po[p] = {o: None}
                self._len += 1
            elif o not in objects:
                objects[o] = None
                self._len += 1

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[tuple]:
        for s, po in self._spo.items():
            for p, objects in po.items():
                for o in objects:
                    yield s, p, o

    def __contains__(self, triple: tuple) -> bool:
        s, p, o = triple
        return o in self._spo.get(s, {}).get(p, ())

    def by_subject(self) -> dict:
        """``{subject: {predicate: {object: None}}}``, as stored (do not change it)."""
        return self._spo

    def triples(self, pattern: tuple) -> Iterator[tuple]:
        """The triples matching ``(s, p, o)``, where ``None`` matches anything."""
        s, p, o = pattern
        subjects = self._spo if s is None else {s: self._spo.get(s, {})}
        for s2, po in subjects.items():
            predicates = po if p is None else {p: po.get(p, {})}
            for p2, objects in predicates.items():
                if o is None:
                    for o2 in objects:
                        yield s2, p2, o2
                elif o in objects:
                    yield s2, p2, o

    def value(self, subject, predicate):
        """One object of ``subject`` and ``predicate`` (the first added), or ``None``."""
        return next(iter(self._spo.get(subject, {}).get(predicate, ())), None)

    def objects(self, subject, predicate) -> Iterator:
        yield from self._spo.get(subject, {}).get(predicate, ())

    def subjects(self, predicate, obj) -> Iterator:
        """The subjects of ``(?, predicate, obj)``, in the order added.

        The first call for a predicate indexes its objects (one scan), so that
        asking for each class in turn does not scan the graph each time.
        """
        index = self._pos.get(predicate)
        if index is None:
            index = self._pos[predicate] = {}
            for s, po in self._spo.items():
                for o in po.get(predicate, ()):
                    index.setdefault(o, []).append(s)
        yield from index.get(obj, ())

    def subject_objects(self, predicate) -> Iterator[tuple]:
        for s, po in self._spo.items():
            for o in po.get(predicate, ()):
                yield s, o

    def to_graph(self) -> Graph:
        """The same triples in an ``rdflib.Graph`` with the prefixes bound."""
        g = Graph()
        for prefix, namespace in self.namespaces.items():
            g.bind(prefix, namespace)
        g.addN((s, p, o, g) for s, p, o in self)
        return g


_RDF, _RDFS, _PROV, _SKOS, _DCTERMS, _XSD, _IHKG = (
    T.rdf,
    T.rdfs,
    T.prov,
    T.skos,
    T.dcterms,
    T.xsd,
    T.ihkg,
)


_ID = str(IHKGID)


def entity_iri(eid: str) -> URIRef:
    """The IRI of an entity id such as ``org/3f2a…``."""
    return URIRef(_ID + eid)


def article_iri(key: str) -> URIRef:
    return URIRef(f"{_ID}article/{key}")


def sentence_iri(article: str, index: int) -> URIRef:
    return URIRef(f"{_ID}sentence/{article}/{index}")


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _lang(text: str) -> str:
    return "en" if text.isascii() else "zh"


def graph_triples(
    kb: KnowledgeBase,
    articles: Mapping[str, Article],
    files: Mapping[str, Iterable[str]] | None = None,
) -> Triples:
    """Turn a ``KnowledgeBase`` into triples in the ihkg vocabulary.

    Args:
        kb (KnowledgeBase): resolved entities and facts.
        articles (dict[str, Article]): the articles, by key.
        files (dict[str, list[str]]): every file name each article was read
            from (the same article may come in under two names).

    Returns:
        Triples: the graph, with provenance for every relation and position.
    """
    g = Triples()
    # one object per distinct term: a big graph repeats the same IRIs and literals
    iri, article_node, sentence, literal = (
        functools.cache(f) for f in (entity_iri, article_iri, sentence_iri, Literal)
    )
    files = files or {k: [a.path] for k, a in articles.items()}
    for e in kb.entities.values():
        node = iri(e.id)
        g.add((node, _RDF.type, _IHKG[e.type]))
        g.add((node, _RDFS.label, Literal(e.label, lang=_lang(e.label))))
        labelled = {_lang(e.label)}
        for alt in e.alt_labels:
            lang = _lang(alt)
            prop = _SKOS.altLabel if lang in labelled else _RDFS.label
            labelled.add(lang)
            g.add((node, prop, Literal(alt, lang=lang)))
        for art in e.articles:
            g.add((node, _IHKG.mentionedIn, article_node(art)))

    used: set[tuple[str, int]] = set()

    def assert_(s, p, o, evidence: list[Evidence]) -> None:
        g.add((s, p, o))
        for ev in evidence:
            sent = (
                IHKGID["corrections"]
                if ev.article == CORRECTIONS
                else sentence(ev.article, ev.sentence)
            )
            node = URIRef(f"{_ID}assertion/{_hash(s, p, o, sent, ev.rule)}")
            g.add_all(
                node,
                (
                    (_RDF.type, _IHKG.Assertion),
                    (_RDF.subject, s),
                    (_RDF.predicate, p),
                    (_RDF.object, o),
                    (_PROV.wasDerivedFrom, sent),
                    (_IHKG.rule, literal(ev.rule)),
                    (_IHKG.confidence, literal(f"{ev.confidence:.2f}", datatype=_XSD.decimal)),
                ),
            )
            if ev.article == CORRECTIONS:
                g.add((sent, _RDF.type, _PROV.Entity))
                g.add((sent, _RDFS.label, Literal("corrections file", lang="en")))
            else:
                used.add((ev.article, ev.sentence))

    for f in kb.relations:
        assert_(iri(f.subject), _IHKG[f.predicate], iri(f.object), f.evidence)
    for p in kb.positions:
        node = URIRef(f"{_ID}position/{_hash(p.person, p.org, p.title)}")
        g.add((node, _RDF.type, _IHKG.Position))
        g.add((node, _IHKG.person, iri(p.person)))
        g.add((node, _IHKG.organization, iri(p.org)))
        g.add((node, _IHKG.title, Literal(p.title, lang="zh")))
        assert_(iri(p.person), _IHKG.holdsPosition, node, p.evidence)
    for a in kb.attributes:
        value = (
            Literal(a.object, datatype=_XSD.gYear)
            if a.predicate == "foundingYear"
            else Literal(a.object)
        )
        assert_(iri(a.subject), _IHKG[a.predicate], value, a.evidence)

    for key in sorted({k for k, _ in used} | {a for e in kb.entities.values() for a in e.articles}):
        article = articles.get(key)
        if article is None:
            continue
        node = article_node(key)
        g.add((node, _RDF.type, _IHKG.Article))
        g.add((node, _DCTERMS.title, Literal(article.title, lang=_lang(article.title))))
        if article.date:
            dtype = _XSD.dateTime if "T" in article.date else _XSD.date
            g.add((node, _DCTERMS.date, Literal(article.date, datatype=dtype)))
        for name in sorted(set(files.get(key, [article.path]))):
            g.add((node, _IHKG.fileName, Literal(name)))
        if article.url:
            safe = _SAFE_IRI.match(article.url)
            g.add((node, _DCTERMS.source, URIRef(article.url) if safe else Literal(article.url)))
    for key, index in sorted(used):
        article = articles.get(key)
        if article is None:
            continue
        sent = article.sentences[index]
        g.add_all(
            sentence(key, index),
            (
                (_RDF.type, _IHKG.Sentence),
                (_DCTERMS.isPartOf, article_node(key)),
                (_IHKG.sentenceIndex, literal(index)),
                (_IHKG.startChar, literal(sent.start)),
                (_IHKG.endChar, literal(sent.end)),
                (_PROV.value, Literal(sent.text, lang="zh")),
            ),
        )
    return g
