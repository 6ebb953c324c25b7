"""Query results as the bytes ``kg serve`` sends, in the formats of ``kg.negotiate``.

SPARQL JSON, XML, CSV and TSV for ``SELECT`` and ``ASK`` (an ``ASK`` in CSV
or TSV is Jena's one column ``_askResult``); Turtle, N-Triples, RDF/XML
(pyoxigraph) and JSON-LD (compacted, as ``kg export`` writes it) for graphs.
A result cut at the server's limit says so in its body where the format has
room and stays standard (``TRUNCATED_LINK``).

Example:
    >>> format_boolean(True, "csv")
    b'_askResult\\r\\ntrue\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

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


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _xml_term(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        value = escape(term.value)
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{value}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{value}</literal>"
        return f"<literal>{value}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _csv_term(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def format_solutions(
    variables: list[str], rows: list[list], fmt: str, truncated: bool = False
) -> bytes:
    """SELECT results (rows of pyoxigraph terms, ``None`` when unbound) in a
    SPARQL 1.1 results format: ``json``, ``xml``, ``csv`` or ``tsv``.

    A ``truncated`` result says so in its head where the format has one: a
    ``link`` to ``TRUNCATED_LINK`` in JSON and XML (and a comment in XML);
    CSV and TSV have no place for it.
    """
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        head: dict = {"vars": variables}
        if truncated:
            head["link"] = [TRUNCATED_LINK]
        doc = {"head": head, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>']
        if truncated:
            out.append(f"<!-- {_truncation_note(len(rows), 'results')} -->")
        out += ['<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        if truncated:
            out.append(f"<link href={quoteattr(TRUNCATED_LINK)}/>")
        out += ["</head>", "<results>"]
        for row in rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out += ["</results>", "</sparql>", ""]
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def format_boolean(value: bool, fmt: str) -> bytes:
    """An ASK result as SPARQL JSON or XML, or as CSV or TSV in Jena's form
    (a column ``_askResult``; those formats define no boolean result).

    >>> format_boolean(True, "csv"), format_boolean(False, "tsv")
    (b'_askResult\\r\\ntrue\\r\\n', b'?_askResult\\nfalse\\n')
    """
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "csv":
        return f"_askResult\r\n{word}\r\n".encode()
    if fmt == "tsv":
        return f"?_askResult\n{word}\n".encode()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n'
        f"<boolean>{word}</boolean>\n</sparql>\n"
    ).encode()


def _json_ld(triples: list) -> bytes:
    """Triples as JSON-LD compacted with the project's context
    (``kg/context.jsonld``, embedded), as ``kg export --format json-ld``
    writes it: pyoxigraph writes JSON-LD only expanded."""
    import pyoxigraph as ox
    from rdflib import Graph

    from kg.export import serialize_rdf

    if any(isinstance(t.object, ox.Triple) for t in triples):
        raise QueryRefused(
            406, "JSON-LD cannot hold triple terms: ask for Turtle, N-Triples or RDF/XML"
        )
    graph = Graph()
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph.parse(data=nt.decode("utf-8"), format="nt")
    return serialize_rdf(graph, "json-ld")


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
