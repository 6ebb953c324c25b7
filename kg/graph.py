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

``graph_parts`` gives the graph in parts (``GraphParts``): the core
(entities, relations, positions, attributes) and each article's provenance
(``ArticleProvenance``: its node, sentences and assertions), which share no
subject. An article's part depends on nothing outside it but the entity IRIs
it names, which stay the same from one build to the next (``OUT/ids.tsv``), so
a rebuild writes again only the Turtle of articles whose part changed. In
the Turtle (``layout_key``) the core comes first, then each article's part.

``GraphParts.triples`` puts the parts together as ``Triples``, a set indexed
by subject that is several times lighter and faster to fill than an
``rdflib.Graph`` and has the part of its reading API the HTML page and the
NetworkX view use; ``Triples.to_graph`` makes the ``rdflib.Graph``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from kg.articles import Article
from kg.corrections import CORRECTIONS
from kg.resolve import Evidence, KnowledgeBase
from kg.text import xml_safe
from kg.vocab import IHKGID, PREFIXES, T

__all__ = [
    "NAMESPACES",
    "ArticleProvenance",
    "GraphParts",
    "Triples",
    "article_iri",
    "date_literal",
    "entity_iri",
    "graph_parts",
    "layout_key",
    "new_graph",
    "sentence_iri",
]


_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


#: The prefixes bound in every graph the project makes (``kg.vocab.PREFIXES``).
NAMESPACES = PREFIXES


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
    >>> from kg.vocab import IHKG
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
_ARTICLE_IRI = re.compile(rf"^{re.escape(_ID)}article/([^/]+)$")
_SENTENCE_IRI = re.compile(rf"^{re.escape(_ID)}sentence/([^/]+)/(-?\d+)$")  # -1: the headline


def entity_iri(eid: str) -> URIRef:
    """The IRI of an entity id such as ``org/3f2a…``."""
    return URIRef(_ID + eid)


def article_iri(key: str) -> URIRef:
    return URIRef(f"{_ID}article/{key}")


def sentence_iri(article: str, index: int) -> URIRef:
    return URIRef(f"{_ID}sentence/{article}/{index}")


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def date_literal(date: str) -> Literal:
    """An article's ``dcterms:date``: an ``xsd:dateTime``, or an ``xsd:date`` without a time.

    >>> date_literal("2021-05-28").datatype == _XSD.date
    True
    """
    return Literal(date, datatype=_XSD.dateTime if "T" in date else _XSD.date)


def _lang(text: str) -> str:
    return "en" if text.isascii() else "zh"


class _Terms:
    """One term object per distinct IRI or literal of a graph.

    A big graph repeats the same IRIs and literals; one object each saves
    memory, and the writers look terms up by identity (``kg.turtle``).
    """

    __slots__ = ("entity", "article", "sentence", "literal")

    def __init__(self) -> None:
        self.entity = functools.cache(entity_iri)
        self.article = functools.cache(article_iri)
        self.sentence = functools.cache(sentence_iri)
        self.literal = functools.cache(Literal)


def _assertion(g: Triples, terms: _Terms, s, p, o, source: URIRef, rule: str, conf: float):
    """Add the ``ihkg:Assertion`` that ``source`` states ``(s, p, o)``, by ``rule``."""
    literal = terms.literal
    g.add_all(
        URIRef(f"{_ID}assertion/{_hash(s, p, o, source, rule)}"),
        (
            (_RDF.type, _IHKG.Assertion),
            (_RDF.subject, s),
            (_RDF.predicate, p),
            (_RDF.object, o),
            (_PROV.wasDerivedFrom, source),
            (_IHKG.rule, literal(rule)),
            (_IHKG.confidence, literal(f"{conf:.2f}", datatype=_XSD.decimal)),
        ),
    )


@dataclass(slots=True)
class ArticleProvenance:
    """One article's share of the graph: its node, the sentences that state
    facts, and an ``ihkg:Assertion`` for each (triple, sentence, rule).

    Nothing in it depends on the other articles but the IRIs in its claims,
    so when its ``signature`` is the one of an earlier build, so is its Turtle
    (``GraphParts.turtle`` reuses it).

    Attributes:
        key (str): the article's key. article (Article): the article.
        files (tuple[str, ...]): every file name it was read from, sorted.
        claims (list[tuple]): ``(subject, predicate, object, sentence index,
            rule, confidence)``, the terms as in the graph.
    """

    key: str
    article: Article
    files: tuple[str, ...]
    claims: list[tuple] = field(default_factory=list)

    def sentence_indexes(self) -> list[int]:
        """The indexes of the sentences its claims come from, in order."""
        return sorted({c[3] for c in self.claims})

    def __len__(self) -> int:
        """How many triples ``add_to`` adds (each assertion and sentence node has a fixed shape)."""
        a = self.article
        fixed = 2 + bool(a.date) + len(self.files) + bool(a.url)
        return fixed + 6 * len(self.sentence_indexes()) + 7 * len(self.claims)

    def signature(self) -> str:
        """A hash of everything its triples are made from.

        The sentences count by index: their text and offsets follow from the
        article's key (a hash of its text) and the reader, whose version the
        cache that keeps signatures is tied to (``kg.cache``).
        """
        a = self.article
        parts = [self.key, a.title, a.date or "", a.url or "", *self.files]
        parts += [
            f"{s}\x1f{p}\x1f{o if type(o) is URIRef else o.n3()}\x1f{i}\x1f{rule}\x1f{conf:.2f}"
            for s, p, o, i, rule, conf in self.claims
        ]
        return hashlib.sha1("\x1e".join(parts).encode()).hexdigest()

    def add_to(self, g: Triples, terms: _Terms) -> None:
        """Add its triples to ``g``."""
        key, article = self.key, self.article
        literal, sentence = terms.literal, terms.sentence
        node = terms.article(key)
        g.add((node, _RDF.type, _IHKG.Article))
        g.add((node, _DCTERMS.title, Literal(article.title, lang=_lang(article.title))))
        if article.date:
            g.add((node, _DCTERMS.date, date_literal(article.date)))
        for name in self.files:
            g.add((node, _IHKG.fileName, Literal(xml_safe(name, "\ufffd"))))
        if article.url:
            safe = _SAFE_IRI.match(article.url)
            g.add((node, _DCTERMS.source, URIRef(article.url) if safe else Literal(article.url)))
        for s, p, o, index, rule, conf in self.claims:
            _assertion(g, terms, s, p, o, sentence(key, index), rule, conf)
        for index in self.sentence_indexes():
            sent = article.sentence(index)
            g.add_all(
                sentence(key, index),
                (
                    (_RDF.type, _IHKG.Sentence),
                    (_DCTERMS.isPartOf, node),
                    (_IHKG.sentenceIndex, literal(index)),
                    (_IHKG.startChar, literal(sent.start)),
                    (_IHKG.endChar, literal(sent.end)),
                    (_PROV.value, Literal(sent.text, lang="zh")),
                ),
            )


@dataclass(slots=True)
class GraphParts:
    """A build's graph in two kinds of part.

    ``core`` holds the entities, relations, positions and attributes (and the
    assertions of the corrections file); ``articles`` holds the provenance of
    each article (``ArticleProvenance``), by key, in key order. The parts
    share no subject. ``triples()`` puts them together; ``turtle()`` writes
    them without doing so, reusing the text of unchanged articles.

    Attributes:
        corrections (list[tuple]): the claims of the corrections file, as
            ``ArticleProvenance.claims`` (sentence index -1); their assertions
            are in ``core``.
    """

    core: Triples
    articles: dict[str, ArticleProvenance]
    corrections: list[tuple]
    terms: _Terms = field(default_factory=_Terms, repr=False)

    def __len__(self) -> int:
        return len(self.core) + sum(map(len, self.articles.values()))

    def triples(self) -> Triples:
        """The whole graph (made anew on each call)."""
        g = Triples()
        for s, po in self.core.by_subject().items():
            g.add_all(s, ((p, o) for p, objects in po.items() for o in objects))
        for prov in self.articles.values():
            prov.add_to(g, self.terms)
        return g

    def turtle(self, memo: dict | None = None) -> str:
        """The graph as Turtle: the text of ``serialize(self.triples(), NAMESPACES, layout_key)``.

        Args:
            memo (dict | None): article key to ``(signature, kg.turtle.Part)``
                from an earlier build (see ``kg.cache.ArticleCache.turtle``):
                an article with the same signature is not written again. It
                is updated to this graph's articles.
        """
        from kg import turtle

        core = self.core.by_subject()
        parts = [turtle.render(core, sorted(core, key=str), NAMESPACES)]
        for key, prov in self.articles.items():
            signature = prov.signature() if memo is not None else None
            found = memo.get(key) if memo is not None else None
            if found is not None and found[0] == signature:
                parts.append(found[1])
                continue
            g = Triples()
            prov.add_to(g, self.terms)
            grouped = g.by_subject()
            part = turtle.render(
                grouped, sorted(grouped, key=lambda s: layout_key(s, grouped[s])), NAMESPACES
            )
            if memo is not None:
                memo[key] = (signature, part)
            parts.append(part)
        if memo is not None:
            for key in memo.keys() - self.articles.keys():
                del memo[key]
        return turtle.document(parts)


def layout_key(subject, po: Mapping) -> tuple:
    """Where a subject's block goes in the Turtle of a graph (``kg.turtle.serialize``'s ``key``).

    Entities, positions and everything else come first, by IRI; then each
    article in key order: its node, then each sentence that states something,
    followed by the assertions derived from it (by IRI). ``po`` is the
    subject's ``{predicate: objects}``.

    >>> from kg.vocab import IHKGID
    >>> layout_key(IHKGID["org/1"], {})
    (0, 'https://w3id.org/ihkg/id/org/1')
    >>> layout_key(IHKGID["sentence/ab/3"], {})[:4]
    (1, 'ab', 3, 0)
    >>> layout_key(IHKGID["assertion/9"], {_PROV.wasDerivedFrom: [IHKGID["sentence/ab/3"]]})[:4]
    (1, 'ab', 3, 1)
    """
    iri = str(subject)
    if iri.startswith(_ID):
        found = _ARTICLE_IRI.match(iri)
        if found:
            return (1, found[1], -2, 0, iri)  # before its sentences, the headline's (-1) too
        found = _SENTENCE_IRI.match(iri)
        if found:
            return (1, found[1], int(found[2]), 0, iri)
        source = next(iter(po.get(_PROV.wasDerivedFrom, ())), None)
        found = _SENTENCE_IRI.match(str(source)) if source is not None else None
        if found:
            return (1, found[1], int(found[2]), 1, iri)
    return (0, iri)


def graph_parts(
    kb: KnowledgeBase,
    articles: Mapping[str, Article],
    files: Mapping[str, Iterable[str]] | None = None,
) -> GraphParts:
    """Turn a ``KnowledgeBase`` into the graph, in parts (see ``GraphParts``).

    Args:
        kb (KnowledgeBase): resolved entities and facts.
        articles (dict[str, Article]): the articles, by key; every article
            the evidence names must be here.
        files (dict[str, list[str]]): every file name each article was read
            from (the same article may come in under two names).

    Returns:
        GraphParts: the graph, with provenance for every relation and position.
    """
    terms = _Terms()
    iri = terms.entity
    g = Triples()
    files = files or {k: [a.path] for k, a in articles.items()}
    provenance: dict[str, ArticleProvenance] = {}

    def source(key: str) -> ArticleProvenance:
        found = provenance.get(key)
        if found is None:
            article = articles[key]
            names = tuple(sorted(set(files.get(key, [article.path]))))
            found = provenance[key] = ArticleProvenance(key, article, names)
        return found

    for e in kb.entities.values():
        node = iri(e.id)
        g.add((node, _RDF.type, _IHKG[e.type]))
        g.add((node, _RDFS.label, Literal(e.label, lang=_lang(e.label))))
        # One rdfs:label per language, and readers show the @zh one first
        # (kg.network): an alias becomes a second rdfs:label only in a
        # language shown after the canonical one's, so an ASCII canonical
        # label (@en) stays the name everyone shows.
        labelled = {_lang(e.label), "zh"}
        for alt in e.alt_labels:
            lang = _lang(alt)
            prop = _SKOS.altLabel if lang in labelled else _RDFS.label
            labelled.add(lang)
            g.add((node, prop, Literal(alt, lang=lang)))
        for art in e.articles:
            g.add((node, _IHKG.mentionedIn, terms.article(art)))
            source(art)

    corrections: list[tuple] = []
    fixes = IHKGID["corrections"]

    def assert_(s, p, o, evidence: list[Evidence]) -> None:
        g.add((s, p, o))
        for ev in evidence:
            if ev.article != CORRECTIONS:
                source(ev.article).claims.append((s, p, o, ev.sentence, ev.rule, ev.confidence))
                continue
            corrections.append((s, p, o, -1, ev.rule, ev.confidence))
            _assertion(g, terms, s, p, o, fixes, ev.rule, ev.confidence)
            g.add((fixes, _RDF.type, _PROV.Entity))
            g.add((fixes, _RDFS.label, Literal("corrections file", lang="en")))

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
    return GraphParts(g, dict(sorted(provenance.items())), corrections, terms)
