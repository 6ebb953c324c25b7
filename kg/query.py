"""SPARQL over a built graph: named queries, bound parameters, a table back.

A *named query* is a file in ``kg/queries/`` (package data; ``queries/`` at
the root of the checkout links to it) whose opening comment says what it
answers and which parameters it takes, followed by the prefixes it uses, so
that the file runs as written in any SPARQL engine::

    # title: Partners of an organization
    # description: Organizations that partner with the given one.
    # param: org = 甲健康 (name: label or alias of the organization)
    PREFIX ihkg: <https://w3id.org/ihkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?org ?partner WHERE {
      VALUES ?nameProperty { rdfs:label skos:altLabel }
      ?x ?nameProperty ?org .
      ?x ihkg:partnersWith|^ihkg:partnersWith ?p .
      ?p rdfs:label ?partner .
    }

A parameter line is ``# param: VAR = DEFAULT (TYPE: meaning)``; the type says
how a value becomes an RDF term (see ``PARAM_TYPES``). Values always go in as
RDF terms, bound to the variable ``?VAR`` (rdflib ``initBindings``, pyoxigraph
``substitutions``): they are never pasted into the query text, so a value such
as ``"} ; DROP ALL ; #`` is just a string that matches nothing.

A ``name`` value becomes a literal tagged the way ``kg.graph`` tags names
(``@en`` for ASCII-only text, ``@zh`` otherwise), so that finding the entity
is one index lookup on the name, on every engine. ``run_named`` and ``kg
query`` fold a name the graph does not hold as written (simplified or
traditional, full- or half-width: ``spelled_as_in``) to the graph's spelling.

pyoxigraph binds only variables of the ``SELECT`` clause, so a parameter must
be projected (``SELECT ?org ...`` or ``SELECT *``); both engines check this,
and the parameter's value comes back as a column of the result.

Writing queries that engines plan well (pyoxigraph 0.5 plans by estimated
cardinality, and a bad plan costs seconds on a million triples):

- start from the bound value with plain triple patterns, never with a type
  scan such as ``?x a ihkg:Organization``;
- match "label or alias" as ``VALUES ?nameProperty { rdfs:label skos:altLabel }
  ?x ?nameProperty ?name``: a property path or a ``UNION`` there is planned
  apart from the patterns that follow and joined by hashing whole tables;
- keep each ``OPTIONAL`` to one triple pattern on a bound node (labels, types,
  titles): it is then a lookup per row; give an ``OPTIONAL`` whose node may be
  unbound a placeholder first (``BIND(COALESCE(?article, ihkgid:none) AS ?a)``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.sparql import (
    PREFIXES,
    Table,
    parse_query,
    run_offline,
    service_in,
    service_refused,
    term_text,
)
from kg.store import GraphStore
from kg.vocab import RELATIONS

__all__ = [
    "PARAM_TYPES",
    "PREFIXES",
    "QUERY_DIR",
    "NamedQuery",
    "Parameter",
    "Table",
    "get_query",
    "load_queries",
    "parse_named_query",
    "read_query_text",
    "resolve_query",
    "run_named",
    "run_offline",
    "run_query",
    "term_text",
]

#: The folder of named queries: ``kg/queries/``, package data (``queries/`` at
#: the root of the checkout links to it).
QUERY_DIR = Path(__file__).resolve().parent / "queries"

#: Parameter types and what a value becomes.
PARAM_TYPES = {
    "name": "a label or alias, as a literal tagged @zh (or @en when ASCII-only)",
    "text": "a plain string literal",
    "integer": "an xsd:integer literal",
    "decimal": "an xsd:decimal literal",
    "relation": "an ihkg property, by its local name (partnersWith, ceoOf, ...)",
    "iri": "an IRI, full or with a known prefix (ihkgid:org/...)",
}

_RELATIONS = (*RELATIONS, "holdsPosition", "stockCode", "foundingYear")
_HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z]+)\s*:\s?(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<var>[A-Za-z_]\w*)\s*(?:=\s*(?P<default>.*?))?\s*(?:\((?P<rest>.*)\))?\s*$"
)
_PARAM_TYPE = re.compile(rf"^(?P<type>{'|'.join(PARAM_TYPES)})\s*:\s*(?P<desc>.*)$", re.S)
_IRI = re.compile(r"^[A-Za-z][\w+.-]*:[^\s<>\"{}|\\^`]*$")
_NAME = re.compile(r"^[\w-]+$")


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter of a named query: the variable ``?name`` it binds.

    >>> Parameter("org", "甲健康", "name").term("丙医疗")
    rdflib.term.Literal('丙医疗', lang='zh')
    >>> Parameter("n", "2", "integer").term("3")
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """

    name: str
    default: str | None = None
    type: str = "text"
    description: str = ""

    def term(self, value: str) -> Node:
        """``value`` as the RDF term this parameter binds.

        Raises:
            QueryError: the value is not valid for the parameter's type.
        """
        value = value.strip()
        kind = self.type
        if kind == "name":
            return Literal(value, lang="en" if value.isascii() else "zh")
        if kind == "text":
            return Literal(value)
        if kind == "integer":
            try:
                return Literal(int(value))
            except ValueError:
                raise QueryError(f"parameter {self.name}: {value!r} is not an integer") from None
        if kind == "decimal":
            try:
                return Literal(Decimal(value), datatype=XSD.decimal)
            except InvalidOperation:
                raise QueryError(f"parameter {self.name}: {value!r} is not a decimal") from None
        if kind == "relation":
            local = value.removeprefix("ihkg:").rsplit("#", 1)[-1]
            if local not in _RELATIONS:
                raise QueryError(
                    f"parameter {self.name}: unknown relation {value!r}; "
                    f"available: {', '.join(_RELATIONS)}"
                )
            return URIRef(PREFIXES["ihkg"] + local)
        # iri
        prefix, _, rest = value.partition(":")
        if prefix in PREFIXES and not rest.startswith("//"):
            value = PREFIXES[prefix] + rest
        if not _IRI.match(value):
            raise QueryError(f"parameter {self.name}: {value!r} is not an IRI")
        return URIRef(value)


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A SPARQL query with a name, a title, a description and parameters.

    Attributes:
        name (str): the file name without ``.rq``; how the query is called.
        title (str): one line saying what it answers.
        description (str): more about it: what the columns mean.
        parameters (tuple[Parameter, ...]): the variables it binds, in order.
        text (str): the SPARQL text, header included (so error lines match
            the file).
        path (Path | None): the file it was read from.
    """

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None

    def as_dict(self) -> dict:
        """Name, title, description and parameters, as JSON values (``kg queries``)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "parameters": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                for p in self.parameters
            ],
        }

    def bindings(self, params: Mapping[str, str] | None = None) -> dict[str, Node]:
        """Every parameter as an RDF term: the value given, else the default.

        Raises:
            QueryError: a parameter is unknown, has no value or a bad value.

        >>> q = parse_named_query("# title: T\\n# param: org = 甲 (name: x)\\nSELECT ?org {}")
        >>> q.bindings({"org": "乙"})
        {'org': rdflib.term.Literal('乙', lang='zh')}
        >>> q.bindings({"x": "乙"})
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: query 'query': unknown parameter 'x'; parameters: org
        """
        params = dict(params or {})
        known = {p.name for p in self.parameters}
        for key in params:
            if key not in known:
                listed = ", ".join(p.name for p in self.parameters) or "none"
                raise QueryError(
                    f"query {self.name!r}: unknown parameter {key!r}; parameters: {listed}"
                )
        out: dict[str, Node] = {}
        for p in self.parameters:
            value = params.get(p.name, p.default)
            if value is None:
                raise QueryError(f"query {self.name!r}: parameter {p.name!r} needs a value")
            out[p.name] = p.term(value)
        return out


def parse_named_query(text: str, name: str = "query", path: Path | None = None) -> NamedQuery:
    """Read a query's header comment into a ``NamedQuery``.

    The header is the comment lines before the first line of SPARQL:
    ``# title:``, ``# description:`` and ``# param:`` lines; a comment line
    that is not ``key: value`` continues the line before it.

    Raises:
        QueryError: a header line is malformed (the message names the file).

    >>> q = parse_named_query('''# title: Partners
    ... # description: Who partners
    ... #   with whom.
    ... # param: org = 甲健康 (name: label or alias)
    ... SELECT ?org ?p WHERE { ?x rdfs:label ?org ; ihkg:partnersWith ?p }''', "partners")
    >>> q.title, q.description, q.parameters[0]
    ('Partners', 'Who partners with whom.', Parameter(name='org', default='甲健康', \
type='name', description='label or alias'))
    """
    where = str(path) if path is not None else f"query {name!r}"
    fields: list[list[str]] = []
    lines = text.splitlines()
    body = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            body = "\n".join(lines[i:])
            break
        m = _HEADER.match(stripped)
        key = m.group("key").lower() if m else None
        if m and key in ("title", "description", "param"):
            fields.append([key, m.group("value").strip()])
        elif fields:
            fields[-1][1] = f"{fields[-1][1]} {stripped.lstrip('#').strip()}".strip()
    title = " ".join(v for k, v in fields if k == "title")
    description = " ".join(v for k, v in fields if k == "description")
    params = []
    for key, value in fields:
        if key != "param":
            continue
        m = _PARAM.match(value)
        if not m:
            raise QueryError(
                f"{where}: malformed parameter line {value!r}; "
                "expected 'VAR = DEFAULT (TYPE: meaning)'"
            )
        rest = (m.group("rest") or "").strip()
        t = _PARAM_TYPE.match(rest)
        kind, desc = (t.group("type"), t.group("desc").strip()) if t else ("text", rest)
        default = m.group("default")
        params.append(Parameter(m.group("var"), default if default else None, kind, desc))
        if not re.search(rf"[?$]{m.group('var')}\b", body):
            raise QueryError(f"{where}: parameter {m.group('var')!r} is not used in the query")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryError(f"{where}: a parameter is declared twice ({', '.join(names)})")
    return NamedQuery(name, title or name, description, tuple(params), text, path)


def load_queries(folder: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file of ``folder`` (``QUERY_DIR`` by default), by name.

    Raises:
        QueryError: the folder does not exist or a header is malformed.
    """
    folder = Path(folder) if folder is not None else QUERY_DIR
    if not folder.is_dir():
        raise QueryError(f"{folder}: no such query folder")
    out = {}
    for path in sorted(folder.glob("*.rq")):
        out[path.stem] = parse_named_query(path.read_text(encoding="utf-8"), path.stem, path)
    return out


def get_query(name: str, folder: str | Path | None = None) -> NamedQuery:
    """The named query ``name``.

    Raises:
        QueryError: no query has that name; the message lists those that exist.
    """
    queries = load_queries(folder)
    if name not in queries:
        raise QueryError(f"unknown query {name!r}; available: {', '.join(queries) or 'none'}")
    return queries[name]


def read_query_text(query: str) -> str:
    """``query`` itself, or the content of the file it names."""
    if "\n" not in query and query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    return query


def resolve_query(spec: str, folder: str | Path | None = None) -> NamedQuery:
    """What ``kg query SPEC`` runs: a named query, a ``.rq`` file or SPARQL text.

    A single word (letters, digits, ``-``, ``_``) is a query name; a path
    ending in ``.rq`` is a file (its header declares its parameters); anything
    else is SPARQL text (its comment header, if any, is read too).

    Raises:
        QueryError: an unknown name (listing the names that exist) or a
            missing file.
    """
    if spec.endswith(".rq") and "\n" not in spec:
        path = Path(spec)
        return parse_named_query(read_query_text(spec), path.stem, path)
    if _NAME.match(spec):
        return get_query(spec, folder)
    return parse_named_query(spec)


def _prepare(text: str):
    prepared = parse_query(text)
    kind = prepared.algebra.name
    if kind not in ("SelectQuery", "AskQuery"):
        raise QueryError(f"only SELECT and ASK queries are run, not {kind}")
    return prepared


def _check_projected(bindings: Mapping[str, Node], projected: list[str] | None) -> None:
    missing = [k for k in bindings if projected is not None and k not in projected]
    if missing:
        raise QueryError(
            f"parameter ?{missing[0]} is not in the SELECT clause; add it there "
            "(pyoxigraph binds only selected variables, and its value then comes back "
            "as a column)"
        )


def _run_rdflib(
    graph: Graph, text: str, bindings: Mapping[str, Node], allow_service: bool = False
) -> Table:
    prepared = _prepare(text)
    if prepared.algebra.name == "SelectQuery":
        _check_projected(bindings, [str(v) for v in prepared.algebra["PV"]])
    if not allow_service and (endpoint := service_in(prepared.algebra)) is not None:
        raise service_refused(endpoint)

    def evaluate() -> Table:
        result = graph.query(prepared, initBindings=dict(bindings))
        if prepared.algebra.name == "AskQuery":
            return Table(["ask"], [[str(bool(result.askAnswer)).lower()]])
        columns = [str(v) for v in result.vars]
        terms = [[row[i] for i in range(len(columns))] for row in result]
        return Table(columns, [[term_text(t) for t in r] for r in terms], terms)

    return evaluate() if allow_service else run_offline(evaluate, text, checked=True)


def run_query(
    graph: Any,
    query: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    allow_service: bool = False,
) -> Table:
    """Run a SPARQL SELECT or ASK query on ``graph``.

    The query runs without network access (``run_offline``): a ``SERVICE``
    would send (part of) it to another server, so it is refused unless
    ``allow_service`` is true.

    Args:
        graph (Graph | kg.store.GraphStore | pyoxigraph.Store): what to query:
            an rdflib graph, or a pyoxigraph store (see ``kg.store``).
        query (str): SPARQL text; the project's prefixes are predeclared.
        bindings (dict[str, Node]): variable name to RDF term; each must be a
            variable of the SELECT clause.
        allow_service (bool): let ``SERVICE`` send requests to other servers.

    Raises:
        QueryError: the query does not parse (the parser's message, with its
            line and column), is not a SELECT or ASK, or has a ``SERVICE``
            while ``allow_service`` is false.

    >>> from kg.graph import new_graph
    >>> run_query(new_graph(), "SELECT ?x WHERE { ?x a ihkg:Company }").rows
    []
    """
    bindings = bindings or {}
    if isinstance(graph, Graph):
        return _run_rdflib(graph, query, bindings, allow_service)
    if not isinstance(graph, GraphStore):
        import pyoxigraph

        if not isinstance(graph, pyoxigraph.Store):
            raise TypeError(f"cannot query a {type(graph).__name__}: expected a Graph or a store")
        graph = GraphStore(graph)
    return graph.query(query, bindings, allow_service=allow_service)


_NAMES = "SELECT DISTINCT ?name WHERE { VALUES ?p { rdfs:label skos:altLabel } ?x ?p ?name }"


def spelled_as_in(graph: Any, query: NamedQuery, bindings: Mapping[str, Node]) -> dict[str, Node]:
    """``bindings`` with each ``name`` parameter spelled as in ``graph``.

    A name matches whatever its script or width (``kg.text.fold_key``, as
    ``kg.network.find_entity`` compares names): ``東康醫療`` finds the
    entity named ``东康医疗``. A name the graph holds as given is kept as it
    is (one index lookup); else it becomes the graph's name with the same
    folded form, if there is one (the first in code-point order, if several).

    >>> from kg.graph import new_graph
    >>> from rdflib import RDFS
    >>> g = new_graph()
    >>> _ = g.add((URIRef("urn:a"), RDFS.label, Literal("东康医疗", lang="zh")))
    >>> q = parse_named_query("# title: T\\n# param: org = 甲 (name: x)\\nSELECT ?org {}")
    >>> spelled_as_in(g, q, q.bindings({"org": "東康醫療"}))
    {'org': rdflib.term.Literal('东康医疗', lang='zh')}
    """
    from kg.text import fold_key

    out = dict(bindings)
    names: Table | None = None
    for p in query.parameters:
        value = out.get(p.name)
        if p.type != "name" or not isinstance(value, Literal):
            continue
        if run_query(graph, _NAMES + " LIMIT 1", {"name": value}).rows:
            continue
        if names is None:
            names = run_query(graph, _NAMES)
        key = fold_key(str(value))
        found = sorted(
            (str(name), name) for (name,) in names.terms if name and fold_key(str(name)) == key
        )
        if found:
            out[p.name] = found[0][1]
    return out


def run_named(
    graph: Any,
    name: str | NamedQuery,
    params: Mapping[str, str] | None = None,
    folder: str | Path | None = None,
) -> Table:
    """Run the named query ``name`` with its parameters bound.

    Args:
        graph (Graph | kg.store.GraphStore | pyoxigraph.Store): what to query.
        name (str | NamedQuery): a query name (a file of ``folder``) or a query.
        params (dict[str, str]): parameter values as text; a parameter not
            given takes its default. A name may be written in simplified or
            traditional characters (``spelled_as_in``).
        folder (path): where named queries live (``QUERY_DIR`` by default).

    Returns:
        Table: the rows; each parameter comes back as a column.

    Raises:
        QueryError: the name or a parameter is unknown (the message lists what
            exists), a value is invalid, or the query is malformed.
    """
    q = name if isinstance(name, NamedQuery) else get_query(name, folder)
    return run_query(graph, q.text, spelled_as_in(graph, q, q.bindings(params)))
