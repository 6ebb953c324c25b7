"""Deterministic Turtle, written straight from triples, in parts that can be reused.

``serialize(triples, namespaces, key)`` writes a graph without blank nodes as
Turtle: one block per subject, the subjects in the order ``key`` gives (by
IRI when it is ``None``). It is several times faster than rdflib's writers,
which need an ``rdflib.Graph`` and look every subject up in it again.

A document is a ``PREFIX`` header and parts (``render``, ``document``): a
part is the text of some subjects' blocks with the prefixes it uses, so a
build can keep the part of an article that did not change and write only the
others again (``kg.graph.GraphParts.turtle``); the document is the same text
either way.

Each block is laid out as rdflib's ``longturtle`` lays it out: ``rdf:type``
(as ``a``) and ``rdfs:label`` first, the other predicates by IRI, the objects
of a predicate sorted, one line each when there are several; IRIs as
``prefix:local`` where a namespace fits. The header has a ``PREFIX`` line for
each namespace used, sorted by prefix.

Example:
    >>> from rdflib import RDF, RDFS, Literal, URIRef
    >>> a = URIRef("https://w3id.org/ihkg/id/org/1")
    >>> print(serialize([(a, RDFS.label, Literal("甲公司", lang="zh")),
    ...                  (a, RDF.type, URIRef("https://w3id.org/ihkg/ontology#Company"))],
    ...                 {"ihkg": "https://w3id.org/ihkg/ontology#"}), end="")
    PREFIX ihkg: <https://w3id.org/ihkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    <BLANKLINE>
    <https://w3id.org/ihkg/id/org/1>
        a ihkg:Company ;
        rdfs:label "甲公司"@zh ;
    .
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef

from kg.vocab import PREFIXES

__all__ = ["Part", "document", "render", "serialize"]

# rdflib binds these in every graph; a writer that matches it does too
_DEFAULTS = {p: PREFIXES[p] for p in ("rdf", "rdfs", "xsd")}
# a local name written as prefix:local without escapes (others get <...>)
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_RANK = {str(RDF.type): 0, str(RDFS.label): 1}
# the datatypes rdflib's Turtle writers write bare, without quotes (Turtle's own shorthands)
_BARE = frozenset(
    (XSD.integer, XSD.decimal, XSD.double, XSD.boolean)
)  # written first, in this order; then by IRI


class Part(NamedTuple):
    """Some subjects' blocks: their text and the ``(prefix, namespace)`` pairs it uses."""

    text: str
    prefixes: tuple[tuple[str, str], ...]


class _Names:
    """Terms to Turtle, IRIs as ``prefix:local`` where a bound namespace allows.

    Records the prefixes used, for the ``PREFIX`` lines. Renderings are
    remembered by object identity: a build's graph uses one object per
    distinct IRI, and rdflib terms compare and hash slowly (in Python) when
    two equal objects meet in a dictionary. Every term is alive in the graph
    while it is written, so an identity is never reused meanwhile.
    """

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.prefix = {ns: p for p, ns in {**_DEFAULTS, **namespaces}.items()}
        self.used: dict[str, str] = {}
        self._seen: dict[int, str] = {}

    def pname(self, iri: URIRef) -> str | None:
        """``prefix:local``, or ``None`` when no bound namespace fits."""
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        namespace, local = iri[:cut], iri[cut:]
        prefix = self.prefix.get(namespace)
        if prefix is None or not _LOCAL.match(local):
            return None
        self.used[prefix] = namespace
        return f"{prefix}:{local}"

    def term(self, node) -> str:
        text = self._seen.get(id(node))
        if text is not None:
            return text
        if type(node) is URIRef:
            text = self.pname(node) or f"<{node}>"
        elif isinstance(node, Literal):
            if node.datatype is None:  # most literals: text, once each; not remembered
                return _quoted(node, node.language)
            datatype = self.term(node.datatype)  # listed even when not written, as rdflib does
            text = _plain(node) or f"{_lexical(node)}^^{datatype}"
        elif isinstance(node, BNode):
            raise ValueError("blank nodes are not supported")
        else:
            text = self.pname(node) or f"<{node}>"
        self._seen[id(node)] = text
        return text


def _quoted(text: str, language: str | None) -> str:
    """A literal without datatype, quoted as rdflib quotes it (text with a line
    break in triple quotes, as ``Literal.n3`` writes it).

    >>> print(_quoted('甲"乙', "zh"))
    "甲\\"乙"@zh
    """
    if "\n" in text:
        return Literal(text, lang=language).n3()
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    return f'"{body}"@{language}' if language else f'"{body}"'


def _lexical(literal: Literal) -> str:
    """The quoted lexical form of a literal with a datatype; infinity and NaN
    spelled as XML Schema spells them, as rdflib does.

    >>> _lexical(Literal(float("-inf"))), _lexical(Literal("2021", datatype=XSD.gYear))
    ('"-INF"', '"2021"')
    """
    text = _quoted(str(literal), None)
    value = literal.value
    if isinstance(value, float | Decimal) and (math.isinf(value) or math.isnan(value)):
        text = text.replace("Infinity", "INF").replace("inf", "INF").replace("nan", "NaN")
    return text


def _plain(literal: Literal) -> str | None:
    """A number or boolean as Turtle writes it bare (``3``, ``0.90``, ``true``),
    as rdflib's writers do; ``None`` when it must be quoted (another datatype,
    a value not of its type, infinity or NaN).

    >>> [_plain(Literal(x)) for x in (3, Decimal("0.90"), 1.5e3, True, "3")]
    ['3', '0.90', '1.5e+03', 'true', None]
    >>> _plain(Literal("x", datatype=XSD.integer)), _plain(Literal(float("inf")))
    (None, None)
    """
    datatype, value = literal.datatype, literal.value
    if datatype not in _BARE or value is None:
        return None
    text = str(literal)
    if datatype == XSD.boolean:
        return text.lower()
    if datatype == XSD.integer:
        return text
    if math.isinf(value) or math.isnan(value):
        return None
    if datatype == XSD.double:
        return re.sub(r"\.?0*e", "e", f"{float(value):e}")
    return text if any(c in text for c in ".eE") else text + ".0"  # decimal


def render(grouped: Mapping, subjects: Iterable, namespaces: Mapping[str, str]) -> Part:
    """The blocks of ``subjects``, in that order.

    Args:
        grouped: ``{subject: {predicate: objects}}`` (objects: any iterable
            of distinct terms), as ``kg.graph.Triples.by_subject`` gives it.
        subjects: the subjects to write, in order.
        namespaces: prefix to namespace IRI; ``rdf``, ``rdfs`` and ``xsd`` are added.

    Raises:
        ValueError: a triple holds a blank node.
    """
    names = _Names(namespaces)
    term = names.term
    seen = names._seen.get
    verbs: dict[int, tuple[int, str, str]] = {}  # id(predicate): (rank, IRI, as written)
    layouts: dict[tuple, list] = {}  # predicate ids as stored: (predicate, line start), in order
    by_verb: dict[int, dict] = {}  # id(predicate): {id(object): its line}

    def verb(p) -> tuple[int, str, str]:
        found = verbs.get(id(p))
        if found is None:
            rank = _RANK.get(str(p), 2)
            found = verbs[id(p)] = (rank, str(p), "a" if rank == 0 else term(p))
        return found

    def layout(po: Mapping) -> list:
        key = tuple(map(id, po))
        found = layouts.get(key)
        if found is None:
            ordered = sorted(po, key=lambda p: verb(p)[:2])
            found = layouts[key] = [
                (p, f"    {verb(p)[2]}", by_verb.setdefault(id(p), {})) for p in ordered
            ]
        return found

    out: list[str] = []
    add = out.append
    for s in subjects:
        if type(s) is not URIRef and isinstance(s, BNode):
            raise ValueError("blank nodes are not supported")
        po = grouped[s]
        add(f"\n{seen(id(s)) or term(s)}\n")
        for p, start, memo in layout(po):
            objects = po[p]
            if len(objects) == 1:
                for o in objects:
                    line = memo.get(id(o))
                    if line is None:
                        written = seen(id(o))
                        if written is None:  # text literals, mostly once each
                            line = f"{start} {term(o)} ;\n"
                        else:
                            line = memo[id(o)] = f"{start} {written} ;\n"
                    add(line)
                continue
            if all(type(o) is URIRef for o in objects):
                ordered = sorted(objects, key=str)
            elif all(type(o) is Literal and o.datatype is None for o in objects):
                ordered = sorted(objects, key=_text_order)  # as rdflib orders them, faster
            else:
                ordered = sorted(objects)  # rdflib's order of literals
            items = " ,\n        ".join(term(o) for o in ordered)
            add(f"{start}\n        {items} ;\n")
        add(".\n")
    return Part("".join(out), tuple(sorted(names.used.items())))


def _text_order(literal: Literal) -> tuple[str, str]:
    """rdflib's order of literals without datatype: by language (none first), then text."""
    return literal.language or "", str(literal)


def document(parts: Iterable[Part]) -> str:
    """The ``PREFIX`` lines of the prefixes ``parts`` use, then their text."""
    parts = list(parts)
    used = dict(sorted({pair for part in parts for pair in part.prefixes}))
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in used.items())
    return head + "".join(part.text for part in parts)


def serialize(
    triples: Iterable[tuple],
    namespaces: Mapping[str, str],
    key: Callable[[object, Mapping], object] | None = None,
) -> str:
    """Turtle text for ``triples`` (an iterable of triples or a ``kg.graph.Triples``).

    Args:
        triples: ``(subject, predicate, object)`` rdflib terms, no blank nodes.
        namespaces: prefix to namespace IRI; ``rdf``, ``rdfs`` and ``xsd`` are added.
        key: the order of the subjects, a function of a subject and its
            ``{predicate: objects}`` (``kg.graph.layout_key`` for a build's
            graph); ``None`` sorts them by IRI.

    Returns:
        str: the document.

    Raises:
        ValueError: a triple holds a blank node (rdflib's writer nests those).
    """
    grouped = triples.by_subject() if hasattr(triples, "by_subject") else _group(triples)
    if any(isinstance(s, BNode) for s in grouped):
        raise ValueError("blank nodes are not supported")
    order = sorted(grouped, key=str if key is None else lambda s: key(s, grouped[s]))
    return document([render(grouped, order, namespaces)])


def _group(triples: Iterable[tuple]) -> dict:
    grouped: dict = {}
    for s, p, o in triples:
        grouped.setdefault(s, {}).setdefault(p, {})[o] = None
    return grouped
