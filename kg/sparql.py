"""SPARQL text and results, below both engines: prefixes, tables, terms, the parse check.

What ``kg.query`` (rdflib, named queries) and ``kg.store`` (pyoxigraph)
share, so that each imports it and neither imports the other:

- ``PREFIXES`` (``kg.vocab``'s), predeclared in every query;
- ``Table``, the result of a query, with cells as text (``term_text``) and
  as typed values (``cell_value``);
- ``syntax_error``, a parser's message with the line and a caret;
- ``parse_query`` and ``find_service``, rdflib's parse of a query and the
  ``SERVICE`` it names; ``run_offline``, a query's evaluation without
  network access (``kg.sandbox``);
- ``is_update`` and ``query_form``: what kind of request a text is, and
  which form a pyoxigraph result answers.

Example:
    >>> Table(["n"], [["1"]]).rows
    [['1']]
"""

from __future__ import annotations

import errno
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.vocab import PREFIXES

T = TypeVar("T")

__all__ = [
    "PREFIXES",
    "Table",
    "cell_value",
    "find_service",
    "from_oxigraph",
    "is_update",
    "parse_query",
    "query_form",
    "run_offline",
    "service_in",
    "service_refused",
    "syntax_error",
    "term_text",
]


@dataclass(frozen=True, slots=True)
class Table:
    """The result of a query: column names and rows of plain strings.

    ``terms`` holds the same cells as RDF terms (``None`` when unbound), for
    callers that need datatypes and languages; ``rows`` is what is printed.
    Numbers, dates and times are written in their canonical XSD form, so the
    same query gives the same rows on rdflib and on pyoxigraph.
    """

    columns: list[str]
    rows: list[list[str]]
    terms: list[list[Node | None]] = field(default_factory=list, compare=False, repr=False)

    def values(self) -> list[list[Any]]:
        """The rows with typed cells, for JSON: an integer literal as ``int``, a
        decimal, float or double as ``Decimal`` (its canonical text, exactly),
        a boolean as ``bool``; every other cell is its text, as in ``rows``.

        >>> half = Literal("0.50", datatype=XSD.decimal)
        >>> Table(["n", "x", "s"], [["2", "0.5", "甲"]], [[Literal(2), half, None]]).values()
        [[2, Decimal('0.5'), '甲']]
        """
        terms = self.terms or [[None] * len(self.columns)] * len(self.rows)
        return [
            [cell_value(t, text) for t, text in zip(ts, row, strict=True)]
            for ts, row in zip(terms, self.rows, strict=True)
        ]

    def to_dataframe(self) -> Any:
        """The table as a pandas ``DataFrame``; numeric cells become numbers.

        Requires pandas (not a dependency of ``kg`` itself).
        """
        import pandas as pd

        def value(term: Node | None, text: str) -> Any:
            if isinstance(term, Literal) and term.datatype in _NUMERIC:
                return term.toPython()
            return text

        data = [
            [value(t, s) for t, s in zip(terms, row, strict=True)]
            for terms, row in zip(
                self.terms or [[None] * len(self.columns)] * len(self.rows), self.rows, strict=True
            )
        ]
        return pd.DataFrame(data, columns=self.columns)


_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long}
_INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger}


_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph term as an rdflib term (``None`` stays ``None``).

    >>> import pyoxigraph as ox
    >>> from_oxigraph(ox.Literal("3", datatype=ox.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> from_oxigraph(ox.Literal("甲"))
    rdflib.term.Literal('甲')
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def cell_value(term: Node | None, text: str) -> Any:
    """A cell as a typed value: see ``Table.values``."""
    if isinstance(term, Literal) and term.datatype is not None:
        try:
            if term.datatype in _INTEGERS:
                return int(text)
            if term.datatype in _NUMERIC:
                return Decimal(text)
        except (ValueError, InvalidOperation):
            return text
        if term.datatype == XSD.boolean and text in ("true", "false", "1", "0"):
            return text in ("true", "1")
    return text


def term_text(term: Node | None) -> str:
    """A cell as text: the term's value, numbers and times in canonical form.

    rdflib keeps a literal as written (``0.90``, ``+00:00``); pyoxigraph stores
    values and writes them canonically (``0.9``, ``Z``). Tables use the
    canonical form, whichever engine ran the query.

    >>> term_text(Literal("0.90", datatype=XSD.decimal))
    '0.9'
    >>> term_text(Literal("2021-06-11T06:52:00+00:00", datatype=XSD.dateTime))
    '2021-06-11T06:52:00Z'
    >>> from rdflib import URIRef
    >>> term_text(URIRef("urn:x")), term_text(None), term_text(Literal("甲", lang="zh"))
    ('urn:x', '', '甲')
    """
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, Literal) and term.datatype is not None:
        try:
            if term.datatype == XSD.decimal:
                d = Decimal(text.strip())
                return format(d.normalize(), "f") if d else "0"
            if term.datatype == XSD.integer:
                return str(int(text.strip()))
        except (InvalidOperation, ValueError):
            return text
        if term.datatype in (XSD.dateTime, XSD.date, XSD.time):
            return _canonical_time(text)
    return text


def _canonical_time(text: str) -> str:
    m = re.match(r"^(.*?)(\.\d+)?(Z|[+-]\d\d:\d\d)?$", text.strip())
    if m is None:  # pragma: no cover - the pattern matches any string
        return text
    body, fraction, zone = m.groups()
    fraction = (fraction or "").rstrip("0").rstrip(".")
    zone = "Z" if zone in ("+00:00", "-00:00") else (zone or "")
    return body + fraction + zone


def syntax_error(text: str, line: int, column: int, message: str) -> QueryError:
    """A ``QueryError`` for a parser's message, with the line and a caret.

    >>> print(syntax_error("SELECT ?x\\nWHERE { ?x }", 2, 11, "expected a verb"))
    SPARQL syntax error at line 2, column 11: expected a verb
      WHERE { ?x }
                ^
    >>> str(syntax_error("?x", 1, 1, "expected ['A'..='Z' | '\\\\u{00C0}'..='\\\\u{00D6}'\\n]"))
    'SPARQL syntax error at line 1, column 1: expected a name character\\n  ?x\\n  ^'
    """
    # on one line, with pyoxigraph's long Unicode character classes said in a word
    message = " ".join(message.split())
    message = re.sub(r"\['[^\]]*\\u\{[^\]]*\]", "a name character", message)
    if len(message) > 240:
        message = message[:239] + "…"
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * (max(column, 1) - 1) + "^"
    error = QueryError(
        f"SPARQL syntax error at line {line}, column {column}: {message.strip()}\n"
        f"  {source}\n  {caret}"
    )
    error.laid_out = True  # the query's line and the caret under the column
    return error


@functools.lru_cache(maxsize=256)
def parse_query(text: str):
    """``text`` parsed by rdflib into its algebra (any query form)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=PREFIXES)
    except ParseException as e:
        raise syntax_error(text, e.lineno, e.col, e.msg) from None
    except Exception as e:  # rdflib raises plain exceptions for some malformed queries
        raise QueryError(f"invalid SPARQL: {e}") from None


def service_in(algebra) -> str | None:
    """The endpoint of the first ``SERVICE`` anywhere in an rdflib algebra
    tree (subqueries, ``OPTIONAL``, ``UNION``, ``EXISTS`` filters), else ``None``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [algebra], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                return term.n3() if term is not None else "?"
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple | set):
            stack.extend(node)
    return None


def find_service(text: str) -> str | None:
    """The endpoint named by the first ``SERVICE`` of a query, as rdflib parses
    it, or ``None`` when the query has none.

    This is the check where queries cannot be run without network access
    (see ``kg.sandbox``): a query rdflib cannot parse is an error, so a
    spelling rdflib does not know is refused rather than let through.

    Raises:
        QueryError: the query does not parse.

    >>> find_service("PREFIX ex: <http://ex.org/> SELECT * { OPTIONAL { ?s ex:service ?o } }")
    >>> find_service("SELECT * { { SELECT * { sErViCe <http://ex.org/sparql> { ?s ?p ?o } } } }")
    '<http://ex.org/sparql>'
    """
    return service_in(parse_query(text).algebra)


def service_refused(endpoint: str) -> QueryError:
    """The error for a query that would send a request to ``endpoint``."""
    return QueryError(
        f"SERVICE is disabled: the query would send a request to {endpoint}; "
        "allow it with --allow-service (allow_service=True in Python)"
    )


def _network_denied(e: BaseException) -> bool:
    """Whether ``e`` is an engine failing to open a socket under ``kg.sandbox``."""
    reason = getattr(e, "reason", None)  # urllib wraps the OSError
    return any(
        isinstance(x, PermissionError) or getattr(x, "errno", None) == errno.EACCES
        for x in (e, reason)
    )


_NO_SANDBOX: list[bool] = []


def run_offline(fn: Callable[[], T], text: str, checked: bool = False) -> T:
    """``fn()`` (which evaluates the query ``text``) without network access.

    A ``SERVICE`` that rdflib finds in ``text`` is refused first, for a clear
    message (``checked``: the caller has looked already). Then ``fn`` runs in
    a thread that cannot open sockets (``kg.sandbox``), so a spelling rdflib
    does not read sends nothing either. Where that sandbox cannot be had,
    ``text`` must parse with rdflib, and ``fn`` runs as it is.

    Raises:
        QueryError: the query has a ``SERVICE`` or tried to reach the network,
            or (without the sandbox) does not parse with rdflib.
    """
    from kg import sandbox

    if not checked:
        try:
            endpoint = find_service(text)
        except QueryError:
            if _NO_SANDBOX:
                raise
            endpoint = None  # the engine's parser will say what is wrong
        if endpoint is not None:
            raise service_refused(endpoint)
    if _NO_SANDBOX:
        return fn()
    try:
        return sandbox.without_network(fn)
    except sandbox.SandboxUnavailable:
        _NO_SANDBOX.append(True)
        return run_offline(fn, text, checked=False)
    except QueryError:
        raise
    except Exception as e:
        if _network_denied(e):
            raise service_refused("another server") from None
        raise


# the first keyword of a SPARQL Update
_UPDATE_WORDS = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
)
# the prologue of a query or update: anchored, each match consumes what it reads
_PROLOGUE = re.compile(r"\s+|\#[^\n]*|(?i:PREFIX)\s*[^\s:]*:\s*<[^<>\s]*>|(?i:BASE)\s*<[^<>\s]*>")
_WORD = re.compile(r"[A-Za-z]+")


def is_update(text: str) -> bool:
    """Whether ``text`` reads as a SPARQL Update: its first keyword after the
    prologue (``PREFIX``, ``BASE``, comments) is ``INSERT``, ``DELETE``,
    ``LOAD``...; in time linear in the length of ``text``.

    It only tells an update (403 from ``kg serve``) from a malformed query
    (400) once the query parser has rejected the text.

    >>> is_update("PREFIX ex: <http://ex.org/> # SELECT\\n insert DATA { }")
    True
    >>> is_update('SELECT * { ?s ?p "INSERT" }')
    False
    """
    pos = 0
    while m := _PROLOGUE.match(text, pos):
        pos = m.end()
    word = _WORD.match(text, pos)
    return word is not None and word.group().upper() in _UPDATE_WORDS


def query_form(result: Any) -> str:
    """The form a pyoxigraph query result answers: ``SELECT``, ``ASK`` or
    ``CONSTRUCT`` (``DESCRIBE`` gives triples too).

    >>> import pyoxigraph as ox
    >>> query_form(ox.Store().query("ASK {}")), query_form(ox.Store().query("SELECT * {}"))
    ('ASK', 'SELECT')
    """
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    return "SELECT" if isinstance(result, ox.QuerySolutions) else "CONSTRUCT"
