"""A read-only SPARQL 1.1 Protocol endpoint over a built graph, on 127.0.0.1.

``kg serve out/graph.ttl`` answers SPARQL queries at
``http://127.0.0.1:7878/sparql``:

- ``GET /sparql?query=…``, ``POST`` with a form (``query=…``) or with the query
  as the body (``Content-Type: application/sparql-query``); the protocol's
  ``default-graph-uri`` and ``named-graph-uri`` parameters are honoured;
- results as SPARQL JSON, XML, CSV or TSV (``SELECT``, ``ASK``) or Turtle,
  N-Triples or RDF/XML (``CONSTRUCT``, ``DESCRIBE``), chosen by the
  ``Accept`` header or a ``format`` parameter (``json``, ``xml``, ``csv``,
  ``tsv``, ``turtle``, ``ntriples``, ``rdfxml``);
- the prefixes ``ihkg``, ``ihkgid``, ``rdf``, ``rdfs``, ``skos``, ``prov``,
  ``dcterms`` and ``xsd`` are predeclared, as in ``kg query``;
- read-only: SPARQL Update is refused (403), and so are federated queries
  (``SERVICE``, 400), so the server makes no outgoing requests;
- a malformed query gives 400 with the parser's message;
- bounded: at most ``limit`` results (header ``X-Results-Truncated: true``
  when more were cut), ``timeout`` seconds per query (503 when exceeded),
  bodies of at most 1 MiB.

Queries run in worker processes, each holding the graph in an Oxigraph store
(``pyoxigraph``): a query that runs out of time is stopped by ending its
worker, which is then replaced, so a runaway query costs no CPU afterwards.
The source is an RDF file (any format Oxigraph reads, from its suffix) or an
Oxigraph store folder (``kg load-store``). When it has named graphs (a TriG or
N-Quads export) the default graph is the union of all graphs, so queries see
the same triples as in the Turtle file and ``GRAPH ?g { … }`` finds the named
graphs.

From Python, ``serve_in_thread`` starts a server on a free port and returns
a handle::

    with serve_in_thread("out/graph.ttl") as server:
        httpx.get(server.url, params={"query": "ASK {}"})
"""

from __future__ import annotations

import csv
import io
import json
import queue
import re
import subprocess
import sys
import threading
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
    "QueryRefused",
    "RunningServer",
    "ServeOptions",
    "SparqlServer",
    "inspect_query",
    "make_server",
    "negotiate",
    "serve",
    "serve_in_thread",
]

HOST = "127.0.0.1"
"""The only address the server binds: it is never reachable from another machine."""

DEFAULT_PORT = 7878

_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
}
_BY_FORM = {
    "SELECT": ("json", "xml", "csv", "tsv"),
    "ASK": ("json", "xml"),
    "CONSTRUCT": ("turtle", "ntriples", "rdfxml"),
    "DESCRIBE": ("turtle", "ntriples", "rdfxml"),
}
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

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:[\w.:%-]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)


class QueryRefused(Exception):
    """A request the endpoint will not run, with its HTTP status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def inspect_query(text: str) -> str:
    """The form of a SPARQL query (``SELECT``, ``ASK``, ``CONSTRUCT`` or
    ``DESCRIBE``), refusing what a read-only local endpoint must not run.

    Only keywords count: words inside strings, IRIs, comments, variables and
    prefixed names are skipped. Anything else wrong with the query is left to
    the parser.

    Raises:
        QueryRefused: 403 for SPARQL Update, 400 for ``SERVICE`` (federated
            query would make the server send requests elsewhere).

    >>> inspect_query("PREFIX ex: <http://ex.org/service#> SELECT * { ?s ex:service ?o }")
    'SELECT'
    >>> inspect_query("INSERT DATA { <a> <b> <c> }")
    Traceback (most recent call last):
    ...
    kg.serve.QueryRefused: SPARQL Update is not allowed: this endpoint is read-only
    >>> inspect_query("SELECT * { SERVICE <http://ex.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.serve.QueryRefused: SERVICE (federated query) is disabled: this endpoint makes no requests
    """
    words = [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]
    if "SERVICE" in words:
        raise QueryRefused(
            400, "SERVICE (federated query) is disabled: this endpoint makes no requests"
        )
    form = next((w for w in words if w not in ("BASE", "PREFIX")), "")
    if form in _UPDATE_WORDS:
        raise QueryRefused(403, "SPARQL Update is not allowed: this endpoint is read-only")
    return form if form in _BY_FORM else "SELECT"  # the parser reports what is wrong


def negotiate(form: str, accept: str | None, fmt: str | None = None) -> str:
    """The result format for a query ``form``: ``fmt`` (a short name or a
    media type) if given, else the best match of the ``Accept`` header.

    Raises:
        QueryRefused: 400 for an unknown ``fmt``, 406 when nothing acceptable
            can be produced.

    >>> negotiate("SELECT", "text/csv;q=0.9, application/sparql-results+xml")
    'xml'
    >>> negotiate("SELECT", "*/*"), negotiate("CONSTRUCT", None)
    ('json', 'turtle')
    >>> negotiate("ASK", None, "csv")
    Traceback (most recent call last):
    ...
    kg.serve.QueryRefused: cannot give ASK results as csv; available: json, xml
    """
    choices = _BY_FORM[form]
    if fmt:
        name = fmt.strip().lower()
        name = _ALIASES.get(name, name)
        name = next((k for k, v in _MEDIA.items() if v.split(";")[0] == name), name)
        if name not in _MEDIA:
            raise QueryRefused(400, f"unknown format {fmt!r}; available: {', '.join(_MEDIA)}")
        if name not in choices:
            raise QueryRefused(
                406, f"cannot give {form} results as {name}; available: {', '.join(choices)}"
            )
        return name
    if not accept:
        return choices[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        media = media.lower()
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        for rank, name in enumerate(choices):
            full = _MEDIA[name].split(";")[0]
            matches = (
                media in (full, "*/*")
                or _ALIASES.get(media) == name
                or (media.endswith("/*") and full.startswith(media[:-1]))
            )
            if matches and (best is None or (q, -rank) > (best[0], best[1])):
                best = (q, -rank, name)
    if best is None:
        types = ", ".join(_MEDIA[c].split(";")[0] for c in choices)
        raise QueryRefused(406, f"no acceptable result type for {form}; available: {types}")
    return best[2]


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


def format_solutions(variables: list[str], rows: list[list], fmt: str) -> bytes:
    """SELECT results (rows of pyoxigraph terms, ``None`` when unbound) in a
    SPARQL 1.1 results format: ``json``, ``xml``, ``csv`` or ``tsv``."""
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>",
        ]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
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
    """An ASK result as SPARQL JSON or XML."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n'
        f"<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n"
    ).encode()


@dataclass(frozen=True, slots=True)
class _Request:
    query: str
    fmt: str
    limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    truncated: bool = False


def _error(status: int, message: str) -> _Response:
    return _Response(status, (message.rstrip("\n") + "\n").encode("utf-8"))


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


def _execute(store, union: bool, req: _Request) -> _Response:
    """Run one query on ``store`` and format at most ``req.limit`` results."""
    import pyoxigraph as ox

    from kg.query import PREFIXES

    kwargs: dict = {}
    if req.default_graphs or req.named_graphs:
        if req.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
        if req.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
    elif union:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(req.query, prefixes=PREFIXES, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            return _Response(200, format_boolean(bool(result), req.fmt), _MEDIA[req.fmt])
        items = []
        truncated = False
        for item in result:
            if len(items) == req.limit:
                truncated = True
                break
            items.append(item)
    except SyntaxError as e:
        return _error(400, f"malformed query: {e}")
    except ValueError as e:  # e.g. an invalid IRI in default-graph-uri
        return _error(400, f"bad request: {e}")
    except OSError as e:
        return _error(500, f"query failed: {e}")
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[solution[v] for v in variables] for solution in items]
        body = format_solutions(variables, rows, req.fmt)
    else:
        rdf = {
            "turtle": ox.RdfFormat.TURTLE,
            "ntriples": ox.RdfFormat.N_TRIPLES,
            "rdfxml": ox.RdfFormat.RDF_XML,
        }[req.fmt]
        prefixes = PREFIXES if req.fmt != "ntriples" else None
        body = ox.serialize(items, format=rdf, prefixes=prefixes) or b""
    return _Response(200, body, _MEDIA[req.fmt], truncated)


def _write_response(out, resp: _Response) -> None:
    head = {
        "status": resp.status,
        "content_type": resp.content_type,
        "truncated": resp.truncated,
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
    return _Response(head["status"], body, head["content_type"], head["truncated"])


def _worker_stdio(source: str) -> None:
    """A worker process: load the store, then answer one JSON request per line
    on standard input, each with a JSON head line and the body on standard
    output, until standard input closes."""
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to standard error, not into the protocol
    try:
        store, union = _open_store(source)
    except Exception as e:  # report any load failure to the parent, which names the file
        _write_response(out, _error(500, f"{source}: cannot load ({e})"))
        return
    _write_response(out, _Response(200, str(len(store)).encode()))
    for line in sys.stdin.buffer:
        fields = json.loads(line)
        fields["default_graphs"] = tuple(fields["default_graphs"])
        fields["named_graphs"] = tuple(fields["named_graphs"])
        _write_response(out, _execute(store, union, _Request(**fields)))


class _Worker:
    """One worker process (``python -c …``, not ``multiprocessing``, so the
    caller's ``__main__`` is never imported again); replaced when a query runs
    out of time."""

    def __init__(self, source: str, load_timeout: float) -> None:
        self.source = source
        self.load_timeout = load_timeout
        self.process: subprocess.Popen | None = None
        self.replies: queue.Queue[_Response | None] = queue.Queue()
        self.ready = False
        self.size = 0

    def start(self) -> None:
        code = "import sys; from kg.serve import _worker_stdio; _worker_stdio(sys.argv[1])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, self.source],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C in a terminal reaches the server, not its workers
        )
        self.replies = queue.Queue()
        self.ready = False
        threading.Thread(
            target=self._read, args=(self.process.stdout, self.replies), daemon=True
        ).start()

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

    def _reply(self, timeout: float) -> _Response | None:
        try:
            return self.replies.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError from None

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
        if resp is None or resp.status != 200:
            self.stop()
            reason = resp.body.decode().strip() if resp else f"{self.source}: the worker stopped"
            raise GraphError(reason)
        self.ready, self.size = True, int(resp.body)

    def run(self, req: _Request, timeout: float) -> _Response:
        self.wait_ready()
        fields = {
            "query": req.query,
            "fmt": req.fmt,
            "limit": req.limit,
            "default_graphs": list(req.default_graphs),
            "named_graphs": list(req.named_graphs),
        }
        try:
            self.process.stdin.write(json.dumps(fields).encode("utf-8") + b"\n")
            self.process.stdin.flush()
            resp = self._reply(timeout)
        except TimeoutError:
            self.stop()
            self.start()
            return _error(503, f"query timed out after {timeout:g} s and was stopped")
        except OSError:
            resp = None
        if resp is None:
            self.stop()
            self.start()
            return _error(500, "the query worker stopped unexpectedly; it has been restarted")
        return resp

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
        max_body (int): largest request body accepted, in bytes (413).
        load_timeout (float): seconds a worker may take to load the graph.
    """

    timeout: float = 10.0
    limit: int = 10_000
    workers: int = 2
    max_body: int = 1 << 20
    load_timeout: float = 120.0


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
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers = [
            _Worker(self.source, self.options.load_timeout) for _ in range(self.options.workers)
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

    @property
    def size(self) -> int:
        """How many quads the served store holds."""
        return self._workers[0].size if self._workers else 0

    @property
    def port(self) -> int:
        return self.server_address[1]

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

    def _stop_workers(self) -> None:
        for w in self._workers:
            w.stop()

    def server_close(self) -> None:
        super().server_close()
        self._stop_workers()


_HELP = """\
ihkg SPARQL endpoint (read-only).

GET  /sparql?query=SELECT...           results by Accept header or &format=
POST /sparql  query=... (form)  or  Content-Type: application/sparql-query

Formats: json xml csv tsv (SELECT, ASK: json xml), turtle ntriples rdfxml (CONSTRUCT, DESCRIBE).
Prefixes ihkg ihkgid rdf rdfs skos prov dcterms xsd are predeclared.
"""


class SparqlHandler(BaseHTTPRequestHandler):
    """The SPARQL 1.1 Protocol, query operation only."""

    server: SparqlServer
    server_version = "ihkg-sparql"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds to wait for a slow client before closing the connection

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} - {format % args}")

    def _send(self, resp: _Response, head_only: bool = False) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Vary", "Accept")
        if resp.status == 200 and resp.content_type in _MEDIA.values():
            self.send_header("X-Result-Limit", str(self.server.options.limit))
            if resp.truncated:
                self.send_header("X-Results-Truncated", "true")
        if resp.status == 405:
            self.send_header("Allow", "GET, POST")
        self.end_headers()
        if not head_only:
            self.wfile.write(resp.body)

    def _answer(self, params: dict[str, list[str]], query: str | None) -> _Response:
        if "update" in params:
            raise QueryRefused(403, "SPARQL Update is not allowed: this endpoint is read-only")
        if query is None:
            queries = params.get("query", [])
            if len(queries) != 1:
                raise QueryRefused(400, "give exactly one 'query' parameter")
            query = queries[0]
        form = inspect_query(query)
        formats = params.get("format", [])
        fmt = negotiate(form, self.headers.get("Accept"), formats[0] if formats else None)
        req = _Request(
            query=query,
            fmt=fmt,
            limit=self.server.options.limit,
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
        )
        return self.server.run_query(req)

    def _handle(self, params: dict[str, list[str]], query: str | None = None) -> None:
        try:
            resp = self._answer(params, query)
        except QueryRefused as e:
            resp = _error(e.status, e.message)
        self._send(resp)

    def _route(self) -> tuple[str, dict[str, list[str]]] | None:
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            self._send(_error(404, f"no such page {url.path!r}; the endpoint is /sparql"))
            return None
        return url.path, parse_qs(url.query, keep_blank_values=True)

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        routed = self._route()
        if routed is None:
            return
        _, params = routed
        if not params:
            self._send(_Response(200, _HELP.encode("utf-8")))
            return
        self._handle(params)

    def do_POST(self) -> None:  # noqa: N802
        routed = self._route()
        if routed is None:
            return
        _, params = routed
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self._send(_error(411, "a POST needs a Content-Length"))
            return
        if int(length) > self.server.options.max_body:
            self.close_connection = True
            self._send(_error(413, f"body larger than {self.server.options.max_body} bytes"))
            return
        body = self.rfile.read(int(length))
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._send(_error(400, "the body is not UTF-8"))
            return
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            self._handle({**params, **form})
        elif ctype == "application/sparql-query":
            self._handle(params, text)
        elif ctype == "application/sparql-update":
            self._send(_error(403, "SPARQL Update is not allowed: this endpoint is read-only"))
        else:
            self._send(
                _error(
                    415,
                    "send a form (application/x-www-form-urlencoded) or "
                    "a query (application/sparql-query)",
                )
            )

    def _not_allowed(self) -> None:
        self.close_connection = True  # the body, if any, is not read
        self._send(_error(405, f"{self.command} is not allowed: this endpoint is read-only"))

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
    timeout: float = 10.0,
    limit: int = 10_000,
    workers: int = 1,
    log: Callable[[str], None] | None = None,
) -> RunningServer:
    """Start a server in a background thread, for tests and notebooks.

    Args:
        source: an RDF file or an Oxigraph store folder.
        port (int): the port on 127.0.0.1; 0 (the default) picks a free one.
        timeout (float): seconds per query.
        limit (int): most results per query.
        workers (int): worker processes.
        log: called with one line per request (default: silent).

    Returns:
        RunningServer: with ``port`` and ``url``; ``close()`` it, or use it
        as a context manager.
    """
    server = make_server(source, port, ServeOptions(timeout, limit, workers), log)
    thread = threading.Thread(target=server.serve_forever, name="kg-serve", daemon=True)
    thread.start()
    return RunningServer(server, thread)
