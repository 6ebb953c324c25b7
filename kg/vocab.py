"""The graph's vocabulary as code: ``IHKG`` terms, ``IHKGID`` identifiers.

``T`` holds the same terms (and those of RDF, RDFS, PROV, SKOS, Dublin Core and
XSD) made once: ``T.ihkg.Company is T.ihkg.Company``. Code that builds or
reads a big graph uses them (see ``Terms``).

``IHKG`` is an rdflib ``DefinedNamespace`` with ``_fail = True``: a typo such
as ``IHKG.partnerWith`` raises instead of minting a wrong IRI. The terms and
their meaning are fixed by the project's ontology (``kg/ontology.ttl``).
"""

from __future__ import annotations

from types import SimpleNamespace

from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, DefinedNamespace

__all__ = [
    "ATTRIBUTES",
    "ENTITY_CLASSES",
    "ENTITY_TYPES",
    "IHKG",
    "IHKGID",
    "ORG_CLASSES",
    "PREFIXES",
    "RELATIONS",
    "T",
    "Terms",
    "label_key",
    "preferred_label",
]

IHKGID = Namespace("https://w3id.org/ihkg/id/")


class IHKG(DefinedNamespace):
    """https://w3id.org/ihkg/ontology# — classes and properties of ihkg."""

    _fail = True
    _NS = Namespace("https://w3id.org/ihkg/ontology#")

    # classes
    Organization: URIRef
    Company: URIRef
    Hospital: URIRef
    InternetHospital: URIRef
    GovernmentAgency: URIRef
    Association: URIRef
    University: URIRef
    Person: URIRef
    Position: URIRef
    Article: URIRef  # a news article the graph was read from
    Sentence: URIRef  # a sentence of an article
    Assertion: URIRef  # one statement of one triple by one sentence

    # relations between entities
    partnersWith: URIRef
    ceoOf: URIRef
    chairOf: URIRef
    presidentOf: URIRef
    operatesHospital: URIRef
    subOrganizationOf: URIRef

    # positions
    person: URIRef
    organization: URIRef
    title: URIRef
    holdsPosition: URIRef  # person to Position (inverse of ihkg:person)

    # attributes
    stockCode: URIRef
    foundingYear: URIRef

    # provenance
    mentionedIn: URIRef  # entity to Article
    fileName: URIRef  # Article to the file name it was read from
    startChar: URIRef
    endChar: URIRef
    sentenceIndex: URIRef
    rule: URIRef  # Assertion to the name of the rule that produced it
    confidence: URIRef  # Assertion to a decimal in [0, 1]


PREFIXES = {
    "ihkg": str(IHKG._NS),
    "ihkgid": str(IHKGID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
}
"""The project's prefixes, the one map of them: bound in every graph it makes
(``kg.graph``), written in Turtle (``kg.turtle``), predeclared in every query
(``kg.sparql``, ``kg serve``) and listed in the README.

>>> PREFIXES["ihkg"]
'https://w3id.org/ihkg/ontology#'
"""

RELATIONS = (
    "partnersWith",
    "ceoOf",
    "chairOf",
    "presidentOf",
    "operatesHospital",
    "subOrganizationOf",
)
ATTRIBUTES = ("stockCode", "foundingYear")
ORG_CLASSES = (
    "Company",
    "Hospital",
    "InternetHospital",
    "GovernmentAgency",
    "Association",
    "University",
)
ENTITY_CLASSES = (*ORG_CLASSES, "Person")
"""The classes a build gives its entities: the kinds of organization, and people."""
ENTITY_TYPES = {IHKG[c]: c for c in ENTITY_CLASSES}
"""Each class of ``ENTITY_CLASSES`` as an IRI, to its name."""


def label_key(label) -> tuple[bool, bool, str]:
    """The order of an entity's ``rdfs:label`` values, best first: the Chinese
    label is the canonical name (ONTOLOGY.md), then the English one.

    >>> from rdflib import Literal
    >>> labels = [Literal("Dongkang", lang="en"), Literal("东康", lang="zh"), Literal("DK")]
    >>> [str(x) for x in sorted(labels, key=label_key)]
    ['东康', 'Dongkang', 'DK']
    """
    language = getattr(label, "language", None)
    return language != "zh", language != "en", str(label)


def preferred_label(graph, node) -> str | None:
    """The name to show for ``node``: its first label by ``label_key``, or
    ``None`` when it has none.

    >>> from rdflib import RDFS, Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:a"), RDFS.label, Literal("Dongkang", lang="en")))
    >>> _ = g.add((URIRef("urn:a"), RDFS.label, Literal("东康", lang="zh")))
    >>> preferred_label(g, URIRef("urn:a")), preferred_label(g, URIRef("urn:b"))
    ('东康', None)
    """
    best = min(graph.objects(node, RDFS.label), key=label_key, default=None)
    return None if best is None else str(best)


class Terms:
    """A namespace whose terms are made once and then reused.

    ``RDF.type`` makes a new ``URIRef`` on every access (``IHKG.rule`` also
    checks the ontology's term list). A big graph asks for the same few terms
    hundreds of thousands of times, and a dictionary lookup of an equal but
    distinct term compares the strings in Python; with the same object it is
    an identity check.

    >>> t = Terms(IHKG)
    >>> t.Company is t.Company, t["Company"] == IHKG.Company
    (True, True)
    """

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # not a term: copy, pickle and doctest look for these
            raise AttributeError(name)
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    __getitem__ = __getattr__


T = SimpleNamespace(
    rdf=Terms(RDF),
    rdfs=Terms(RDFS),
    prov=Terms(PROV),
    skos=Terms(SKOS),
    dcterms=Terms(DCTERMS),
    xsd=Terms(XSD),
    ihkg=Terms(IHKG),
)
"""The terms of the graph's namespaces, one object each (``T.ihkg.partnersWith``)."""
