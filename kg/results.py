"""Query results as the bytes ``kg serve`` sends, in the formats of ``kg.negotiate``.

pyoxigraph writes every format but two: SPARQL JSON, XML, CSV and TSV for
``SELECT`` and ``ASK``, Turtle, N-Triples and RDF/XML for graphs. What is
written by hand here, and why:

- a result cut at the server's limit says so in its body where the format has
  room and stays standard (``TRUNCATED_LINK`` in the head of SPARQL JSON and
  XML, a first comment in Turtle, N3, N-Triples and RDF/XML), added to
  pyoxigraph's output;
- an ``ASK`` in CSV or TSV is Jena's one column ``_askResult``: those formats
  define no boolean, and pyoxigraph's bare ``true`` is read as a table by
  neither rdflib nor SPARQLWrapper;
- JSON-LD is compacted with the project's context, as ``kg export`` writes
  it (pyoxigraph 0.5 writes JSON-LD only expanded).

Example:
    >>> format_boolean(True, "csv")
    b'_askResult\\r\\ntrue\\r\\n'
"""

from __future__ import annotations

from kg.negotiate import FORMATS, QueryRefused

__all__ = ["TRUNCATED_LINK", "format_boolean", "format_solutions", "format_triples"]

TRUNCATED_LINK = "sparql#truncated"
"""The ``link`` of a cut SPARQL JSON or XML result (relative to the endpoint:
its help page, which explains the limit)."""


def _truncation_note(count: int, what: str) -> str:
    # no "--" in it: it goes in XML comments too
    return (
        f"truncated: only the first {count} {what} are here, the server's limit; the query has more"
    )


def _tsv_term(term) -> str:
    """A term as SPARQL TSV writes it (N-Triples syntax); ``""`` when unbound."""
    import pyoxigraph as ox

    if term is None:
        return ""
    return f"<<( {term} )>>" if isinstance(term, ox.Triple) else str(term)


def format_solutions(
    variables: list[str], rows: list[list], fmt: str, truncated: bool = False
) -> bytes:
    """SELECT results (rows of pyoxigraph terms, ``None`` when unbound) in a
    SPARQL 1.1 results format: ``json``, ``xml``, ``csv`` or ``tsv``.

    pyoxigraph writes a whole ``QuerySolutions`` and has no way to make one
    from rows, so the rows kept under the limit go through TSV, which is the
    terms in N-Triples syntax, one line a row: read back by pyoxigraph, they
    are written in ``fmt`` by pyoxigraph.

    A ``truncated`` result says so in its head where the format has one: a
    ``link`` to ``TRUNCATED_LINK`` in JSON and XML (and a comment in XML);
    CSV and TSV have no place for it.

    >>> import pyoxigraph as ox
    >>> format_solutions(["x"], [[ox.Literal("甲", language="zh")], [None]], "tsv")
    b'?x\\n"\\xe7\\x94\\xb2"@zh\\n\\n'
    >>> import json
    >>> json.loads(format_solutions(["x"], [[ox.NamedNode("urn:a")]], "json", truncated=True))
    {'head': {'vars': ['x'], 'link': ['sparql#truncated']}, \
'results': {'bindings': [{'x': {'type': 'uri', 'value': 'urn:a'}}]}}
    """
    import pyoxigraph as ox

    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    body = solutions.serialize(format=getattr(ox.QueryResultsFormat, FORMATS[fmt].oxigraph))
    if not truncated:
        return body
    if fmt == "json":  # {"head":{"vars":[...]}: a variable name holds no "]"
        return body.replace(b"]", f'],"link":["{TRUNCATED_LINK}"]'.encode(), 1)
    if fmt == "xml":  # <?xml …?><sparql …><head>…</head>: the link ends the head
        note = f"<!-- {_truncation_note(len(rows), 'results')} -->"
        declaration, end, rest = body.partition(b"?>")
        rest = rest.replace(b"</head>", f'<link href="{TRUNCATED_LINK}"/></head>'.encode(), 1)
        return declaration + end + b"\n" + note.encode() + b"\n" + rest
    return body


def format_boolean(result, fmt: str) -> bytes:
    """An ASK result (a ``pyoxigraph.QueryBoolean``, or a ``bool``) as SPARQL
    JSON or XML, or as CSV or TSV in Jena's form (a column ``_askResult``;
    those formats define no boolean result).

    >>> format_boolean(True, "csv"), format_boolean(False, "tsv")
    (b'_askResult\\r\\ntrue\\r\\n', b'?_askResult\\nfalse\\n')
    """
    import pyoxigraph as ox

    word = "true" if result else "false"
    if fmt == "csv":
        return f"_askResult\r\n{word}\r\n".encode()
    if fmt == "tsv":
        return f"?_askResult\n{word}\n".encode()
    if not isinstance(result, ox.QueryBoolean):
        result = ox.parse_query_results(word.encode(), format=ox.QueryResultsFormat.TSV)
    return result.serialize(format=getattr(ox.QueryResultsFormat, FORMATS[fmt].oxigraph))


def _json_ld(triples: list) -> bytes:
    """Triples as JSON-LD compacted with the project's context
    (``kg/context.jsonld``, embedded), as ``kg export --format json-ld``
    writes it: pyoxigraph writes JSON-LD only expanded."""
    import pyoxigraph as ox
    from rdflib import Graph

    from kg.export import generate_jsonld

    if any(isinstance(t.object, ox.Triple) for t in triples):
        raise QueryRefused(
            406, "JSON-LD cannot hold triple terms: ask for Turtle, N-Triples or RDF/XML"
        )
    graph = Graph()
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph.parse(data=nt.decode("utf-8"), format="nt")
    return generate_jsonld(graph)


def format_triples(triples: list, fmt: str, truncated: bool = False) -> bytes:
    """CONSTRUCT or DESCRIBE results (pyoxigraph triples) in an RDF format of
    ``FORMATS``: ``turtle``, ``n3``, ``ntriples``, ``rdfxml`` or ``jsonld``,
    with the prefixes of ``kg query``.

    A ``truncated`` result begins with a comment that says so, in every format
    but JSON-LD, which has no comments.
    """
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    if fmt == "jsonld":
        return _json_ld(triples)
    rdf = getattr(ox.RdfFormat, FORMATS[fmt].oxigraph)
    prefixes = PREFIXES if fmt != "ntriples" else None
    body = ox.serialize(triples, format=rdf, prefixes=prefixes) or b""
    if not truncated:
        return body
    note = _truncation_note(len(triples), "triples")
    if fmt != "rdfxml":
        return f"# {note}\n".encode() + body
    declaration, newline, rest = body.partition(b"\n")  # a comment comes after <?xml …?>
    return declaration + newline + f"<!-- {note} -->\n".encode() + rest
