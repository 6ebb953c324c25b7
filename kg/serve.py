"""A read-only SPARQL 1.1 Protocol endpoint over a built graph, on 127.0.0.1.

``kg serve out/graph.ttl`` answers SPARQL queries at
``http://127.0.0.1:7878/sparql``:

- ``GET /sparql?query=…``, ``POST`` with a form (``query=…``) or with the query
  as the body (``Content-Type: application/sparql-query``); the protocol's
  ``default-graph-uri`` and ``named-graph-uri`` parameters are honoured;
- results as SPARQL JSON, XML, CSV or TSV (``SELECT``, ``ASK``; an ASK in
  CSV or TSV is Jena's one column ``_askResult``) or Turtle, N-Triples,
  RDF/XML, JSON-LD or N3 (``CONSTRUCT``, ``DESCRIBE``). N3 is the Turtle,
  served as ``text/n3``. JSON-LD is compacted with ``kg/context.jsonld``,
  embedded, as ``kg export`` writes it; rdflib writes it (pyoxigraph 0.5
  writes JSON-LD only expanded), about 2 s for 10,000 triples. The one
  table of formats is ``_FORMATS``; ``GET /sparql`` lists it;
- the format is the first value of the ``format`` or ``output`` parameters
  (SPARQLWrapper sends both, each with a short name and then a media type)
  that names one for the query form: a short name (``json``, ``xml``,
  ``csv``, ``tsv``, ``turtle``/``ttl``, ``n3``, ``nt``/``ntriples``,
  ``rdf+xml``, ``json-ld``/``jsonld``; ``xml`` and ``json`` mean RDF/XML and
  JSON-LD for a graph, as in Fuseki) or a media type. Failing that, the
  ``Accept`` header by q-value; failing that the form's default (SPARQL JSON,
  Turtle). Like Fuseki, a request whose ``Accept`` names nothing this
  endpoint writes gets the default rather than 406, and an unknown
  ``format`` gets the ``Accept`` choice rather than 400 (where Fuseki says
  400); only an ``Accept`` that refuses every format of the form with
  ``q=0`` gets 406;
- the prefixes ``ihkg``, ``ihkgid``, ``rdf``, ``rdfs``, ``skos``, ``prov``,
  ``dcterms`` and ``xsd`` are predeclared, as in ``kg query``;
- read-only: SPARQL Update is refused (403);
- no outgoing requests: the workers cannot open a socket (``kg.sandbox``), so
  a federated query (``SERVICE``) fails (400) however it is spelt; where that
  sandbox cannot be had, a query must parse with rdflib and have no
  ``SERVICE`` (``kg.sparql.find_service``);
- only for this machine: a request whose ``Host`` is not the address the
  server listens on (``127.0.0.1:PORT`` or ``localhost:PORT``, or a name given
  in ``allowed_hosts``) is refused (403), which defeats DNS rebinding, and so
  is a request from a web page of another origin (``Origin`` header) unless
  ``allowed_origins`` lists it;
- a malformed request or query gives 400 with the reason, never 500;
- bounded: at most ``limit`` results. A cut result says so in the header
  ``X-Results-Truncated: true``, in a line of the server's log, and in the
  body where the format has room and stays standard: ``link`` in the head
  of SPARQL JSON and XML (``TRUNCATED_LINK``), a first comment in Turtle,
  N3, N-Triples and RDF/XML; not in CSV, TSV or JSON-LD, which have no
  place for it. ``timeout`` seconds (503) and ``memory`` MiB (503) per
  query; queries of at most ``max_query`` bytes and bodies of at most
  ``max_body`` bytes (413); the request line and headers, and then the body,
  must each arrive within ``read_timeout`` seconds (408); at most
  ``max_connections`` connections at once (503).

Queries run in worker processes, each holding the graph in an Oxigraph store
(``pyoxigraph``): a query that runs out of time or memory is stopped by ending
its worker, which is then replaced, so a runaway query costs nothing
afterwards. The source is an RDF file (any format Oxigraph reads, from its
suffix) or an Oxigraph store folder (``kg load-store``). When it has named
graphs (a TriG or N-Quads export) the default graph is the union of all
graphs, so queries see the same triples as in the Turtle file and
``GRAPH ?g { … }`` finds the named graphs.

From Python, ``serve_in_thread`` starts a server on a free port and returns
a handle::

    with serve_in_thread("out/graph.ttl") as server:
        httpx.get(server.url, params={"query": "ASK {}"})
"""

from __future__ import annotations

import csv
import io
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from kg.errors import GraphError

__all__ = [
    "DEFAULT_PORT",
    "HOST",
    "TRUNCATED_LINK",
    "QueryRefused",
    "RunningServer",
    "ServeOptions",
    "SparqlServer",
    "make_server",
    "negotiate",
    "serve",
    "serve_in_thread",
]

HOST = "127.0.0.1"
"""The only address the server binds: it is never reachable from another machine."""

DEFAULT_PORT = 7878

_RESULTS = ("SELECT", "ASK")
_GRAPHS = ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True, slots=True)
class _Format:
    """A format the endpoint writes.

    Attributes:
        media: the ``Content-Type`` it is sent with.
        names: what else asks for it, in ``format=``/``output=`` (short names,
            media types) or in ``Accept`` (media types).
        forms: the query forms it answers.
        rdf: the ``pyoxigraph.RdfFormat`` that writes it (graphs); ``None``
            when this module writes it.
    """

    media: str
    names: tuple[str, ...]
    forms: tuple[str, ...]
    rdf: str | None = None


# The one table of formats: each by its short name, in the order of preference
# (the first of a query form is its default). A short name or a media type may
# ask for a results format and a graph format alike ("json", "xml",
# application/json, application/xml): the query form decides which, as in Fuseki.
_FORMATS = {
    "json": _Format("application/sparql-results+json", ("srj", "application/json"), _RESULTS),
    "xml": _Format(
        "application/sparql-results+xml",
        ("srx", "sparql", "application/xml", "text/xml"),
        _RESULTS,
    ),
    "csv": _Format("text/csv; charset=utf-8", (), _RESULTS),
    "tsv": _Format("text/tab-separated-values; charset=utf-8", (), _RESULTS),
    "turtle": _Format(
        "text/turtle; charset=utf-8",
        ("ttl", "application/turtle", "application/x-turtle"),
        _GRAPHS,
        "TURTLE",
    ),
    "ntriples": _Format(
        "application/n-triples", ("nt", "n-triples", "text/plain"), _GRAPHS, "N_TRIPLES"
    ),
    "rdfxml": _Format(
        "application/rdf+xml",
        ("rdf+xml", "rdf/xml", "rdf", "xml", "application/xml", "text/xml"),
        _GRAPHS,
        "RDF_XML",
    ),
    "jsonld": _Format(
        "application/ld+json",
        ("json-ld", "json", "application/json", "application/x-json+ld"),
        _GRAPHS,
    ),
    # Turtle is N3: the Turtle writer, served as N3
    "n3": _Format("text/n3; charset=utf-8", ("text/rdf+n3", "application/n3"), _GRAPHS, "TURTLE"),
}
_BY_FORM = {
    form: tuple(name for name, f in _FORMATS.items() if form in f.forms)
    for form in (*_RESULTS, *_GRAPHS)
}
_CONTENT_TYPES = frozenset(f.media for f in _FORMATS.values())
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}
# the prologue of a query or update: anchored, each match consumes what it reads
_PROLOGUE = re.compile(r"\s+|\#[^\n]*|(?i:PREFIX)\s*[^\s:]*:\s*<[^<>\s]*>|(?i:BASE)\s*<[^<>\s]*>")
_WORD = re.compile(r"[A-Za-z]+")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_LENGTH = re.compile(r"[0-9]{1,15}")
_MAX_FIELDS = 64
_REFUSED_SERVICE = "SERVICE (federated query) is disabled: this endpoint makes no requests"
_READ_ONLY = "SPARQL Update is not allowed: this endpoint is read-only"


class QueryRefused(Exception):
    """A request the endpoint will not run, with its HTTP status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _first_keyword(text: str) -> str:
    """The first keyword after the prologue (``PREFIX``, ``BASE``, comments),
    upper-cased; in time linear in the length of ``text``.

    It only chooses between 403 (an update) and 400 for text the query parser
    has already rejected.

    >>> _first_keyword("PREFIX ex: <http://ex.org/> # INSERT\\n insert DATA { }")
    'INSERT'
    >>> _first_keyword('SELECT * { ?s ?p "INSERT" }')
    'SELECT'
    """
    pos = 0
    while m := _PROLOGUE.match(text, pos):
        pos = m.end()
    word = _WORD.match(text, pos)
    return word.group().upper() if word else ""


def _bare(media: str) -> str:
    """A media type without its parameters, lower-cased."""
    return media.split(";")[0].strip().lower()


def _format_name(form: str, value: str) -> str | None:
    """The format of query ``form`` that a ``format`` (or ``output``) value
    names: a short name or a media type, or a comma-separated list of them
    (the first that names one counts); ``None`` when it names none.

    >>> _format_name("CONSTRUCT", "rdf+xml"), _format_name("SELECT", "XML")
    ('rdfxml', 'xml')
    >>> _format_name("CONSTRUCT", "application/ld+json,application/x-json+ld")
    'jsonld'
    >>> _format_name("ASK", "turtle") is None
    True
    """
    for part in value.split(","):
        key = _bare(part)
        for name in _BY_FORM[form]:
            f = _FORMATS[name]
            if key in (name, _bare(f.media)) or key in f.names:
                return name
    return None


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values; a range
    with a malformed q-value is left out."""
    ranges = []
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append((media, q))
    return ranges


def _quality(ranges: list[tuple[str, float]], name: str) -> float | None:
    """The q-value ``Accept`` gives format ``name``: that of the most specific
    range that matches it (a media type or alias, then ``type/*``, then
    ``*/*``); ``None`` when no range matches."""
    f = _FORMATS[name]
    full = _bare(f.media)
    exact = {full, *(n for n in f.names if "/" in n)}
    best: tuple[int, float] | None = None
    for media, q in ranges:
        if media in exact:
            rank = 2
        elif media.endswith("/*") and media != "*/*" and full.startswith(media[:-1]):
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if best is None or (rank, q) > best:
            best = (rank, q)
    return None if best is None else best[1]


def negotiate(form: str, accept: str | None, formats: tuple[str, ...] = ()) -> str:
    """The result format for a query ``form``.

    The first of ``formats`` (the ``format`` and ``output`` parameters: short
    names or media types) that names a format of this form wins; a value that
    names none is passed over. Then the ``Accept`` header, by q-value (the
    server's order breaks ties). When ``Accept`` names nothing this endpoint
    writes for the form, the form's default is sent, as Fuseki does, unless
    ``Accept`` refuses it with ``q=0``: then the next format it does not refuse.

    Raises:
        QueryRefused: 406 when ``Accept`` refuses every format of the form
            with ``q=0`` and ``formats`` names none of them.

    >>> negotiate("SELECT", "text/csv;q=0.9, application/sparql-results+xml")
    'xml'
    >>> negotiate("SELECT", "*/*"), negotiate("CONSTRUCT", None)
    ('json', 'turtle')
    >>> negotiate("CONSTRUCT", "application/rdf+xml", ("rdf+xml", "application/rdf+xml"))
    'rdfxml'
    >>> negotiate("ASK", "application/sparql-results+xml", ("turtle",))
    'xml'
    >>> negotiate("SELECT", "image/png"), negotiate("SELECT", "image/png, */*;q=0.1")
    ('json', 'json')
    >>> negotiate("SELECT", "image/png, */*;q=0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.serve.QueryRefused: Accept refuses every format ... SELECT results: application/sparql-...
    """
    choices = _BY_FORM[form]
    for value in formats:
        if (name := _format_name(form, value)) is not None:
            return name
    ranges = _accept_ranges(accept or "")
    if not ranges:
        return choices[0]
    quality = {name: _quality(ranges, name) for name in choices}
    best = max(choices, key=lambda name: (quality[name] or 0.0, -choices.index(name)))
    if quality[best]:
        return best
    # nothing that Accept names can be written: the default, as Fuseki sends,
    # unless the client refused it (q=0)
    for name in choices:
        if quality[name] is None:
            return name
    types = ", ".join(_bare(_FORMATS[name].media) for name in choices)
    message = f"Accept refuses every format this endpoint writes for {form} results: {types}"
    if any(formats):
        message += f"; format {', '.join(repr(v) for v in formats if v)} names none of them"
    raise QueryRefused(406, message)


# ---------------------------------------------------------------- results


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


TRUNCATED_LINK = "sparql#truncated"
"""The ``link`` of a cut SPARQL JSON or XML result (relative to the endpoint:
its help page, which explains the limit)."""


def _truncation_note(count: int, what: str) -> str:
    # no "--" in it: it goes in XML comments too
    return (
        f"truncated: only the first {count} {what} are here, the server's limit; the query has more"
    )


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
    ``_FORMATS``: ``turtle``, ``n3``, ``ntriples``, ``rdfxml`` or ``jsonld``,
    with the prefixes of ``kg query``.

    A ``truncated`` result begins with a comment that says so, in every format
    but JSON-LD, which has no comments.
    """
    import pyoxigraph as ox

    from kg.query import PREFIXES

    if fmt == "jsonld":
        return _json_ld(triples)
    rdf = getattr(ox.RdfFormat, _FORMATS[fmt].rdf)
    prefixes = PREFIXES if fmt != "ntriples" else None
    body = ox.serialize(triples, format=rdf, prefixes=prefixes) or b""
    if not truncated:
        return body
    note = _truncation_note(len(triples), "triples")
    if fmt != "rdfxml":
        return f"# {note}\n".encode() + body
    declaration, newline, rest = body.partition(b"\n")  # a comment comes after <?xml …?>
    return declaration + newline + f"<!-- {note} -->\n".encode() + rest


@dataclass(frozen=True, slots=True)
class _Request:
    query: str
    limit: int
    accept: str | None = None
    formats: tuple[str, ...] = ()  # the values of format= and output=, in order
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    truncated: bool = False
    restart: bool = False  # the worker that answered must be replaced


def _error(status: int, message: str, restart: bool = False) -> _Response:
    return _Response(status, (message.rstrip("\n") + "\n").encode("utf-8"), restart=restart)


def _open_store(source: str):
    """The Oxigraph store of ``source`` and whether it has named graphs."""
    import pyoxigraph as ox

    path = Path(source)
    if path.is_dir():
        store = ox.Store.read_only(str(path))
    else:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if fmt is None:
            raise GraphError(f"{path}: not an RDF file suffix Oxigraph knows")
        store = ox.Store()
        store.bulk_load(path=str(path), format=fmt)
    return store, next(iter(store.named_graphs()), None) is not None


def _form(result) -> str:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    return "SELECT" if isinstance(result, ox.QuerySolutions) else "CONSTRUCT"


def _refuse_service(text: str) -> _Response | None:
    """Without the sandbox: 400 unless rdflib parses ``text`` and finds no ``SERVICE``."""
    from kg.errors import QueryError
    from kg.sparql import find_service

    if _first_keyword(text) in _UPDATE_WORDS:
        return _error(403, _READ_ONLY)
    try:
        endpoint = find_service(text)
    except QueryError as e:
        return _error(400, f"malformed query: {e}")
    return _error(400, _REFUSED_SERVICE) if endpoint is not None else None


def _execute(store, union: bool, req: _Request, sandboxed: bool = True) -> _Response:
    """Run one query on ``store`` and format at most ``req.limit`` results.

    Every failure becomes a response: the worker goes on, or asks to be
    replaced (``restart``) when it may be damaged.
    """
    import pyoxigraph as ox

    from kg.query import PREFIXES

    if not sandboxed and (refused := _refuse_service(req.query)) is not None:
        return refused
    try:
        kwargs: dict = {}
        if req.default_graphs or req.named_graphs:
            if req.default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
            if req.named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
        elif union:
            kwargs["use_default_graph_as_union"] = True
        result = store.query(req.query, prefixes=PREFIXES, **kwargs)
        fmt = negotiate(_form(result), req.accept, req.formats)
        if isinstance(result, ox.QueryBoolean):
            return _Response(200, format_boolean(bool(result), fmt), _FORMATS[fmt].media)
        items = []
        truncated = False
        for item in result:
            if len(items) == req.limit:
                truncated = True
                break
            items.append(item)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [[solution[v] for v in variables] for solution in items]
            body = format_solutions(variables, rows, fmt, truncated)
        else:
            body = format_triples(items, fmt, truncated)
    except QueryRefused as e:
        return _error(e.status, e.message)
    except SyntaxError as e:
        if _first_keyword(req.query) in _UPDATE_WORDS:
            return _error(403, _READ_ONLY)
        return _error(400, f"malformed query: {e}")
    except PermissionError:  # the sandbox refused a socket: SERVICE, however spelt
        return _error(400, _REFUSED_SERVICE)
    except OSError as e:  # Oxigraph's HTTP client refusing a SERVICE IRI, or the store
        return _error(400, f"query failed: {e}")
    except RuntimeError as e:  # an evaluation error (a SERVICE name left unbound, ...)
        return _error(400, f"query failed: {e}")
    except ValueError as e:  # e.g. an invalid IRI in default-graph-uri
        return _error(400, f"bad request: {e}")
    except MemoryError:
        return _error(503, "the query needed more memory than a worker may use", restart=True)
    except Exception as e:
        return _error(500, f"query failed: {e}", restart=True)
    except BaseException as e:  # a Rust panic (pyo3 PanicException) is a BaseException
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        return _error(500, f"query failed: {e}", restart=True)
    return _Response(200, body, _FORMATS[fmt].media, truncated)


def _write_response(out, resp: _Response) -> None:
    head = {
        "status": resp.status,
        "content_type": resp.content_type,
        "truncated": resp.truncated,
        "restart": resp.restart,
        "length": len(resp.body),
    }
    out.write(json.dumps(head).encode("utf-8") + b"\n" + resp.body)
    out.flush()


def _read_response(stream) -> _Response | None:
    line = stream.readline()
    if not line:
        return None
    head = json.loads(line)
    body = stream.read(head["length"])
    if len(body) != head["length"]:
        return None
    return _Response(head["status"], body, head["content_type"], head["truncated"], head["restart"])


def _data_size() -> int:
    """Bytes of the data segment of this process (``VmData``; 0 if unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _worker_stdio(source: str, memory: int = 0) -> None:
    """A worker process: deny it the network, load the store, let queries
    allocate at most ``memory`` MiB more (0: no cap), then answer one JSON
    request per line on standard input, each with a JSON head line and the
    body on standard output, until standard input closes."""
    import resource

    from kg import sandbox

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to standard error, not into the protocol
    try:
        sandbox.deny_network()
        sandboxed = True
    except sandbox.SandboxUnavailable:
        sandboxed = False
    try:
        store, union = _open_store(source)
    except Exception as e:  # report any load failure to the parent, which names the file
        _write_response(out, _error(500, f"{source}: cannot load ({e})"))
        return
    if memory:
        import kg.query  # noqa: F401 (what every query needs, loaded before the cap)

        # the data segment (heap and private mappings): what a query allocates
        cap = _data_size() + (memory << 20)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    _write_response(out, _Response(200, str(len(store)).encode()))
    for line in sys.stdin.buffer:
        fields = json.loads(line)
        fields["default_graphs"] = tuple(fields["default_graphs"])
        fields["named_graphs"] = tuple(fields["named_graphs"])
        fields["formats"] = tuple(fields["formats"])
        resp = _execute(store, union, _Request(**fields), sandboxed)
        _write_response(out, resp)
        if resp.restart:
            return


class _Worker:
    """One worker process (``python -c …``, not ``multiprocessing``, so the
    caller's ``__main__`` is never imported again); replaced when a query runs
    out of time or memory, or breaks it."""

    def __init__(
        self,
        source: str,
        load_timeout: float,
        memory: int = 0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.load_timeout = load_timeout
        self.memory = memory
        self.log = log
        self.process: subprocess.Popen | None = None
        self.replies: queue.Queue[_Response | None] = queue.Queue()
        self.errors: deque[str] = deque(maxlen=20)
        self.stderr_thread: threading.Thread | None = None
        self.ready = False
        self.size = 0

    def start(self) -> None:
        code = (
            "import sys; from kg.serve import _worker_stdio; "
            "_worker_stdio(sys.argv[1], int(sys.argv[2]))"
        )
        env = {**os.environ, "RUST_BACKTRACE": "0"}  # a backtrace needs memory it may not have
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, self.source, str(self.memory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C in a terminal reaches the server, not its workers
        )
        self.replies = queue.Queue()
        self.errors = deque(maxlen=20)
        self.ready = False
        threading.Thread(
            target=self._read, args=(self.process.stdout, self.replies), daemon=True
        ).start()
        self.stderr_thread = threading.Thread(
            target=self._read_errors, args=(self.process.stderr, self.errors), daemon=True
        )
        self.stderr_thread.start()

    @staticmethod
    def _read(stream, replies: queue.Queue) -> None:
        """Put each reply of the worker in ``replies``; ``None`` once it ends."""
        try:
            while (resp := _read_response(stream)) is not None:
                replies.put(resp)
        except (OSError, ValueError):  # the worker was killed mid-reply
            pass
        finally:
            replies.put(None)
            stream.close()

    def _read_errors(self, stream, errors: deque) -> None:
        """Hold the last lines the worker wrote to standard error, and log them."""
        try:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip()
                errors.append(line)
                if self.log is not None and line:
                    self.log(f"worker: {line}")
        except (OSError, ValueError):
            pass
        finally:
            stream.close()

    def _reply(self, timeout: float) -> _Response | None:
        try:
            return self.replies.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError from None

    def _death(self) -> str:
        """Why the worker ended, from the last lines of its standard error."""
        if self.process is not None:
            self.process.wait()
        if self.stderr_thread is not None:
            self.stderr_thread.join(timeout=5)
        lines = [line for line in self.errors if line.strip() and not line.startswith("note:")]
        return lines[-1] if lines else "no message"

    def wait_ready(self) -> None:
        if self.ready:
            return
        if self.process is None:
            self.start()
        try:
            resp = self._reply(self.load_timeout)
        except TimeoutError:
            self.stop()
            raise GraphError(f"{self.source}: not loaded after {self.load_timeout:g} s") from None
        if resp is None:
            reason = self._death()
            self.stop()
            raise GraphError(f"{self.source}: the worker stopped while loading: {reason}")
        if resp.status != 200:
            self.stop()
            raise GraphError(resp.body.decode().strip())
        self.ready, self.size = True, int(resp.body)

    def run(self, req: _Request, timeout: float) -> _Response:
        self.wait_ready()
        fields = {
            "query": req.query,
            "limit": req.limit,
            "accept": req.accept,
            "formats": list(req.formats),
            "default_graphs": list(req.default_graphs),
            "named_graphs": list(req.named_graphs),
        }
        try:
            self.process.stdin.write(json.dumps(fields).encode("utf-8") + b"\n")
            self.process.stdin.flush()
            resp = self._reply(timeout)
        except TimeoutError:
            self.restart()
            return _error(503, f"query timed out after {timeout:g} s and was stopped")
        except OSError:
            resp = None
        if resp is None:
            reason = self._death()
            self.restart()
            if "memory allocation" in reason:
                return _error(
                    503,
                    f"the query needed more than the {self.memory} MiB a query may use "
                    "and was stopped (kg serve --memory)",
                )
            return _error(500, f"the query stopped its worker ({reason}); it has been replaced")
        if resp.restart:
            self.restart()
        return resp

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        """End the process at once (it holds nothing worth saving)."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self.process.stdin.close()  # its standard output is closed by the reading thread
        self.process, self.ready = None, False


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """Bounds of the endpoint.

    Attributes:
        timeout (float): seconds a query may run before it is stopped (503).
        limit (int): most results (solutions or triples) returned per query.
        workers (int): queries run at the same time (one process each).
        max_body (int | None): largest request body, in bytes (413); by
            default three times ``max_query`` and 4 KiB more, room for a
            percent-encoded form.
        load_timeout (float): seconds a worker may take to load the graph.
        max_query (int): longest query, in UTF-8 bytes (413).
        memory (int): MiB a worker may allocate for queries, beyond the
            graph it holds; a query that needs more is stopped (503), and
            the worker replaced. 0: no limit.
        read_timeout (float): seconds for a client to send the request line
            and headers, and then again for the body (408).
        max_connections (int): connections served at once; more get 503.
        allowed_hosts (tuple[str, ...]): ``Host`` values accepted besides
            ``127.0.0.1:PORT`` and ``localhost:PORT``: ``name`` (on the
            server's port) or ``name:port``.
        allowed_origins (tuple[str, ...]): web origins
            (``https://example.org``) whose pages may query the endpoint;
            ``*`` for any.
    """

    timeout: float = 10.0
    limit: int = 10_000
    workers: int = 2
    max_body: int | None = None
    load_timeout: float = 120.0
    max_query: int = 64 * 1024
    memory: int = 1024
    read_timeout: float = 10.0
    max_connections: int = 64
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()

    @property
    def body_limit(self) -> int:
        """The largest body accepted, in bytes."""
        return self.max_body if self.max_body is not None else 3 * self.max_query + 4096


class SparqlServer(ThreadingHTTPServer):
    """A ``ThreadingHTTPServer`` bound to 127.0.0.1 that answers SPARQL queries
    from a pool of worker processes."""

    daemon_threads = True

    def __init__(
        self,
        source: str | Path,
        port: int = DEFAULT_PORT,
        options: ServeOptions | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        source = Path(source)
        if not source.exists():
            raise GraphError(f"{source}: no such graph file or store (run `kg build` first)")
        self.source = str(source)
        self.options = options or ServeOptions()
        self.log = log
        self._slots = threading.BoundedSemaphore(self.options.max_connections)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers = [
            _Worker(self.source, self.options.load_timeout, self.options.memory, log)
            for _ in range(self.options.workers)
        ]
        try:
            for w in self._workers:
                w.start()
            for w in self._workers:
                w.wait_ready()
                self._idle.put(w)
        except BaseException:
            self._stop_workers()
            raise
        super().__init__((HOST, port), SparqlHandler)
        names = [HOST, "localhost", *(h.lower() for h in self.options.allowed_hosts)]
        self.hosts = {n if re.search(r"[^\]]:\d+$", n) else f"{n}:{self.port}" for n in names}
        if self.port == 80:
            self.hosts |= {h.removesuffix(":80") for h in self.hosts}
        self.origins = {f"http://{HOST}:{self.port}", f"http://localhost:{self.port}"}
        self.origins |= {o.lower().rstrip("/") for o in self.options.allowed_origins}

    @property
    def size(self) -> int:
        """How many quads the served store holds."""
        return self._workers[0].size if self._workers else 0

    @property
    def port(self) -> int:
        return self.server_address[1]

    def origin_allowed(self, origin: str) -> bool:
        """Whether a page of ``origin`` may query the endpoint."""
        return "*" in self.origins or origin.lower().rstrip("/") in self.origins

    def run_query(self, req: _Request) -> _Response:
        try:
            worker = self._idle.get(timeout=self.options.timeout)
        except queue.Empty:
            return _error(503, "server busy: every query worker is in use; try again")
        try:
            return worker.run(req, self.options.timeout)
        except GraphError as e:
            return _error(500, str(e))
        finally:
            self._idle.put(worker)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            body = b"too many connections; try again\n"
            try:
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                    b"Content-Type: text/plain; charset=utf-8\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        """A connection that broke: one line in the log, no traceback."""
        if self.log is not None:
            e = sys.exc_info()[1]
            self.log(f"{client_address[0]} - connection ended: {type(e).__name__}: {e}")

    def _stop_workers(self) -> None:
        for w in self._workers:
            w.stop()

    def server_close(self) -> None:
        super().server_close()
        self._stop_workers()


def _help() -> str:
    """The page at ``GET /sparql`` with no query, its format list from ``_FORMATS``."""
    from kg.vocab import PREFIXES

    lines = [
        "ihkg SPARQL endpoint (read-only).",
        "",
        "GET  /sparql?query=SELECT...",
        "POST /sparql  query=... (form)  or  Content-Type: application/sparql-query",
        f"Prefixes {' '.join(PREFIXES)} are predeclared.",
        "",
        "Formats: the first value of format= or output= (a short name or a media",
        "type) that names one for the query form; else the Accept header; else the",
        "first listed. Accept refusing them all (q=0) gets 406.",
    ]
    for forms in (_RESULTS, _GRAPHS):
        lines += ["", f"{', '.join(forms)}:"]
        for name in _BY_FORM[forms[0]]:
            f = _FORMATS[name]
            also = f" (also {', '.join(f.names)})" if f.names else ""
            lines.append(f"  {name:9} {_bare(f.media)}{also}")
    lines += [
        "",
        "#truncated: a result cut at the server's limit (kg serve --limit) says so in",
        "the header X-Results-Truncated: true, and in the body where the format has a",
        f"place: a head link {TRUNCATED_LINK!r} in SPARQL JSON and XML, a first comment",
        "in Turtle, N3, N-Triples and RDF/XML (not in CSV, TSV or JSON-LD).",
    ]
    return "\n".join(lines) + "\n"


_HELP = _help()


class _SlowClient(Exception):
    """The client did not send its request in time; ``partial`` when it began."""

    def __init__(self, partial: bool) -> None:
        super().__init__("request not received in time")
        self.partial = partial


class _DeadlineReader:
    """The ``rfile`` of a connection, with a deadline for the whole of what is
    read (``deadline``, a ``time.monotonic()`` value), not just for each
    ``recv``: a client that sends a byte now and then cannot hold the
    connection. Reading is linear in what is read."""

    def __init__(self, sock: socket.socket, write_timeout: float | None) -> None:
        self.sock = sock
        self.write_timeout = write_timeout
        self.buf = bytearray()
        self.deadline: float | None = None
        self.started = False  # whether this request sent anything

    def _fill(self) -> bool:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise _SlowClient(self.started or bool(self.buf))
            self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            raise _SlowClient(self.started or bool(self.buf)) from None
        finally:
            self.sock.settimeout(self.write_timeout)
        self.buf += chunk
        self.started = self.started or bool(chunk)
        return bool(chunk)

    def readline(self, limit: int = -1) -> bytes:
        start = 0
        while True:
            end = self.buf.find(b"\n", start)
            if end >= 0:
                n = end + 1
                break
            if 0 <= limit <= len(self.buf):
                n = limit
                break
            start = len(self.buf)
            if not self._fill():
                n = len(self.buf)
                break
        if limit >= 0:
            n = min(n, limit)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self.buf) < size) and self._fill():
            pass
        n = len(self.buf) if size < 0 else min(size, len(self.buf))
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def close(self) -> None:
        self.buf.clear()


def _parse_params(text: str) -> dict[str, list[str]]:
    """Form or URL parameters; 400 for what is malformed, in linear time.

    >>> _parse_params("query=ASK%20%7B%7D&format=json")
    {'query': ['ASK {}'], 'format': ['json']}
    >>> _parse_params("query=%zz")
    Traceback (most recent call last):
    ...
    kg.serve.QueryRefused: malformed percent-encoding in the parameters
    """
    if _BAD_ESCAPE.search(text):
        raise QueryRefused(400, "malformed percent-encoding in the parameters")
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=_MAX_FIELDS)
    except UnicodeDecodeError:
        raise QueryRefused(400, "a parameter is not UTF-8 once percent-decoded") from None
    except ValueError:
        raise QueryRefused(400, f"more than {_MAX_FIELDS} parameters") from None


def _graphs(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    import pyoxigraph as ox

    for value in params.get(name, []):
        try:
            ox.NamedNode(value)
        except ValueError:
            raise QueryRefused(400, f"{name} {value!r} is not an absolute IRI") from None
    return tuple(params.get(name, []))


class SparqlHandler(BaseHTTPRequestHandler):
    """The SPARQL 1.1 Protocol, query operation only."""

    server: SparqlServer
    server_version = "ihkg-sparql"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a write to a slow client may block before the connection is closed
    rfile: _DeadlineReader  # type: ignore[assignment]

    def setup(self) -> None:
        super().setup()
        # headers and body are two writes: without this the body waits for the
        # client's delayed ACK of the headers (40 ms a response)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = _DeadlineReader(self.connection, self.timeout)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} - {format % args}")

    def handle_one_request(self) -> None:
        self.rfile.deadline = time.monotonic() + self.server.options.read_timeout
        self.rfile.started = bool(self.rfile.buf)
        try:
            super().handle_one_request()
        except _SlowClient as e:
            self.close_connection = True
            if e.partial:
                body = f"request not received within {self.server.options.read_timeout:g} s\n"
                self.wfile.write(
                    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                    b"Content-Type: text/plain; charset=utf-8\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body.encode())
                )
                self.log_message("request timed out (408)")

    def _send(self, resp: _Response, head_only: bool = False) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Vary", "Accept, Origin")
        origin = self.headers.get("Origin") if self.headers else None
        if origin and self.server.origin_allowed(origin):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Expose-Headers", "X-Result-Limit, X-Results-Truncated")
        if resp.status == 200 and resp.content_type in _CONTENT_TYPES:
            self.send_header("X-Result-Limit", str(self.server.options.limit))
            if resp.truncated:
                self.send_header("X-Results-Truncated", "true")
        if resp.status == 405:
            self.send_header("Allow", "GET, POST")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head_only:
            self.wfile.write(resp.body)

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True  # the body, if any, is not read
        self._send(_error(status, message))

    def _checked(self) -> bool:
        """Whether the request may go on: its ``Host`` is this server and it
        comes from no foreign web page; else 400/403 is sent."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            self._refuse(400, "a request needs exactly one Host header")
            return False
        if hosts[0].strip().lower() not in self.server.hosts:
            self._refuse(
                403,
                f"Host {hosts[0]!r} is not this server; use http://{HOST}:{self.server.port}/ "
                "(kg serve --allow-host adds a name)",
            )
            return False
        origins = self.headers.get_all("Origin") or []
        if len(origins) > 1 or (origins and not self.server.origin_allowed(origins[0])):
            self._refuse(
                403,
                f"requests from web pages of {origins[0]!r} are not allowed "
                "(kg serve --allow-origin allows an origin)",
            )
            return False
        return True

    def _answer(self, params: dict[str, list[str]], query: str | None) -> _Response:
        if "update" in params:
            raise QueryRefused(403, _READ_ONLY)
        if query is None:
            queries = params.get("query", [])
            if len(queries) != 1:
                raise QueryRefused(400, "give exactly one 'query' parameter")
            query = queries[0]
        elif "query" in params:
            raise QueryRefused(400, "the query is the body: give no 'query' parameter as well")
        if len(query.encode("utf-8")) > self.server.options.max_query:
            raise QueryRefused(
                413,
                f"query longer than {self.server.options.max_query} bytes (kg serve --max-query)",
            )
        req = _Request(
            query=query,
            limit=self.server.options.limit,
            accept=", ".join(self.headers.get_all("Accept") or []) or None,
            # format= as most endpoints and SPARQLWrapper name it; output= as
            # Fuseki and SPARQLWrapper do. Each value that names nothing for the
            # query form is passed over (SPARQLWrapper sends a short name, then
            # a media type or nothing).
            formats=tuple(params.get("format", []) + params.get("output", [])),
            default_graphs=_graphs(params, "default-graph-uri"),
            named_graphs=_graphs(params, "named-graph-uri"),
        )
        return self.server.run_query(req)

    def _handle(self, url_query: str, body: str | None = None, query: str | None = None) -> None:
        try:
            params = _parse_params(url_query)
            if body is not None:
                for key, values in _parse_params(body).items():
                    params.setdefault(key, []).extend(values)
            resp = self._answer(params, query)
        except QueryRefused as e:
            resp = _error(e.status, e.message)
        if resp.truncated:
            self.log_message(
                "result truncated at %d (kg serve --limit), sent as %s",
                self.server.options.limit,
                _bare(resp.content_type),
            )
        self._send(resp)

    def _route(self) -> str | None:
        """The query string of the request, or ``None`` once an error is sent."""
        if not self._checked():
            return None
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            self._refuse(404, f"no such page {url.path!r}; the endpoint is /sparql")
            return None
        return url.query

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        url_query = self._route()
        if url_query is None:
            return
        if not url_query:
            self._send(_Response(200, _HELP.encode("utf-8")))
            return
        self._handle(url_query)

    def _read_body(self) -> bytes | None:
        """The body of a POST, or ``None`` once an error is sent."""
        if self.headers.get("Transfer-Encoding") is not None:
            self._refuse(411, "send the body with a Content-Length, not chunked")
            return None
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            self._refuse(411, "a POST needs a Content-Length")
            return None
        if len(set(lengths)) != 1 or not _LENGTH.fullmatch(lengths[0].strip()):
            self._refuse(400, "malformed Content-Length")
            return None
        length = int(lengths[0])
        if length > self.server.options.body_limit:
            self._refuse(413, f"body larger than {self.server.options.body_limit} bytes")
            return None
        self.rfile.deadline = time.monotonic() + self.server.options.read_timeout
        body = self.rfile.read(length)
        if len(body) < length:  # the client went away
            self.close_connection = True
            return None
        return body

    def do_POST(self) -> None:  # noqa: N802
        url_query = self._route()
        if url_query is None:
            return
        body = self._read_body()
        if body is None:
            return
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._send(_error(400, "the body is not UTF-8"))
            return
        if ctype == "application/x-www-form-urlencoded":
            self._handle(url_query, body=text)
        elif ctype == "application/sparql-query":
            self._handle(url_query, query=text)
        elif ctype == "application/sparql-update":
            self._send(_error(403, _READ_ONLY))
        else:
            self._send(
                _error(
                    415,
                    "send a form (application/x-www-form-urlencoded) or "
                    "a query (application/sparql-query)",
                )
            )

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A CORS preflight, answered for allowed origins only."""
        if self._route() is None:
            return
        self.send_response(204)
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Allow", "GET, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_allowed(self) -> None:
        self._refuse(405, f"{self.command} is not allowed: this endpoint is read-only")

    do_PUT = do_DELETE = do_PATCH = _not_allowed  # noqa: N815


def make_server(
    source: str | Path,
    port: int = DEFAULT_PORT,
    options: ServeOptions | None = None,
    log: Callable[[str], None] | None = None,
) -> SparqlServer:
    """A ``SparqlServer`` for ``source`` on 127.0.0.1:``port`` (0: a free port),
    its workers loaded and ready.

    Raises:
        GraphError: the source is missing or does not load.
        OSError: the port is taken.
    """
    return SparqlServer(source, port, options, log)


def serve(
    source: str | Path,
    port: int = DEFAULT_PORT,
    options: ServeOptions | None = None,
    log: Callable[[str], None] | None = None,
    ready: Callable[[SparqlServer], None] | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C), then stop the workers and return.

    Args:
        source: an RDF file or an Oxigraph store folder.
        port (int): the port on 127.0.0.1.
        options (ServeOptions): timeout, result limit, workers.
        log: called with one line per request.
        ready: called with the server once it listens.
    """
    server = make_server(source, port, options, log)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@dataclass
class RunningServer:
    """A server running in a background thread (see ``serve_in_thread``)."""

    server: SparqlServer
    thread: threading.Thread = field(repr=False)

    @property
    def port(self) -> int:
        """The port the server is bound to on 127.0.0.1."""
        return self.server.port

    @property
    def url(self) -> str:
        """The endpoint, ``http://127.0.0.1:PORT/sparql``."""
        return f"http://{HOST}:{self.port}/sparql"

    def close(self) -> None:
        """Stop serving, wait for the thread and stop the workers."""
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve_in_thread(
    source: str | Path,
    port: int = 0,
    *,
    log: Callable[[str], None] | None = None,
    **options,
) -> RunningServer:
    """Start a server in a background thread, for tests and notebooks.

    Args:
        source: an RDF file or an Oxigraph store folder.
        port (int): the port on 127.0.0.1; 0 (the default) picks a free one.
        log: called with one line per request (default: silent).
        **options: fields of ``ServeOptions`` (``timeout``, ``limit``,
            ``memory``, ...); ``workers`` is 1 unless given.

    Returns:
        RunningServer: with ``port`` and ``url``; ``close()`` it, or use it
        as a context manager.
    """
    server = make_server(source, port, ServeOptions(**{"workers": 1, **options}), log)
    thread = threading.Thread(target=server.serve_forever, name="kg-serve", daemon=True)
    thread.start()
    return RunningServer(server, thread)
