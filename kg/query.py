"""SPARQL over a built graph: run a query with bound values, get a table back.

Values always go in as RDF terms through ``initBindings``; they are never
pasted into the query text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from kg.errors import QueryError

__all__ = ["PREFIXES", "Table", "run_query"]

PREFIXES = {
    "ihkg": "https://w3id.org/ihkg/ontology#",
    "ihkgid": "https://w3id.org/ihkg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True, slots=True)
class Table:
    """The result of a SELECT: column names and rows of plain strings."""

    columns: list[str]
    rows: list[list[str]]


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)


def read_query_text(query: str) -> str:
    """``query`` itself, or the content of the file it names."""
    if "\n" not in query and query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    return query


def run_query(graph: Graph, query: str, bindings: dict[str, Node] | None = None) -> Table:
    """Run a SPARQL SELECT or ASK query on ``graph``.

    Args:
        graph (Graph): the graph.
        query (str): SPARQL text; the project's prefixes are predeclared.
        bindings (dict[str, Node]): variable name to RDF term.

    Raises:
        QueryError: the query does not parse (the parser's message, with its
            line and column) or is not a SELECT or ASK.

    >>> from kg.graph import new_graph
    >>> run_query(new_graph(), "SELECT ?x WHERE { ?x a ihkg:Company }").rows
    []
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(query, initNs=PREFIXES)
    except ParseException as e:
        raise QueryError(
            f"SPARQL syntax error at line {e.lineno}, column {e.col}: {e.msg}\n  {e.line}"
        ) from None
    except Exception as e:  # rdflib raises plain exceptions for some malformed queries
        raise QueryError(f"invalid SPARQL: {e}") from None
    kind = prepared.algebra.name
    if kind not in ("SelectQuery", "AskQuery"):
        raise QueryError(f"only SELECT and ASK queries are run, not {kind}")
    result = graph.query(prepared, initBindings=bindings or {})
    if kind == "AskQuery":
        return Table(["ask"], [[str(bool(result.askAnswer)).lower()]])
    columns = [str(v) for v in result.vars]
    return Table(columns, [[_text(row[i]) for i in range(len(columns))] for row in result])
