"""The graph's vocabulary as code: ``IHKG`` terms, ``IHKGID`` identifiers.

``IHKG`` is an rdflib ``DefinedNamespace`` with ``_fail = True``: a typo such
as ``IHKG.partnerWith`` raises instead of minting a wrong IRI. The terms and
their meaning are fixed by the project's ontology (``kg/ontology.ttl``).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["IHKG", "IHKGID", "ORG_CLASSES", "RELATIONS"]

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


RELATIONS = (
    "partnersWith",
    "ceoOf",
    "chairOf",
    "presidentOf",
    "operatesHospital",
    "subOrganizationOf",
)
ORG_CLASSES = (
    "Company",
    "Hospital",
    "InternetHospital",
    "GovernmentAgency",
    "Association",
    "University",
)
