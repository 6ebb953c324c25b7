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
  table of formats is ``kg.negotiate.FORMATS``; ``GET /sparql`` lists it;
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
  body where the format has room and stays standard (``kg.results``):
  ``link`` in the head of SPARQL JSON and XML (``TRUNCATED_LINK``), a first
  comment in Turtle, N3, N-Triples and RDF/XML; not in CSV, TSV or JSON-LD,
  which have no place for it. ``timeout`` seconds (503) and ``memory`` MiB (503) per
  query; queries of at most ``max_query`` bytes and bodies of at most
  ``max_body`` bytes (413); the request line and headers, and then the body,
  must each arrive within ``read_timeout`` seconds (408); at most
  ``max_connections`` connections at once (503).

This module is the HTTP side. Queries run in worker processes
(``kg.workers``), each holding the graph in an Oxigraph store
(``pyoxigraph``); the format is chosen by ``kg.negotiate`` and written by
``kg.results``. A query that runs out of time or memory is stopped by ending
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

import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.errors import GraphError
from kg.negotiate import CONTENT_TYPES, FORMATS, FORMS, GRAPHS, RESULTS, QueryRefused, bare
from kg.results import TRUNCATED_LINK
from kg.vocab import PREFIXES
from kg.workers import READ_ONLY, Request, Response, WorkerPool

__all__ = [
    "DEFAULT_PORT",
    "HOST",
    "TRUNCATED_LINK",
    "QueryRefused",
    "RunningServer",
    "ServeOptions",
    "SparqlServer",
    "make_server",
    "serve",
    "serve_in_thread",
]

HOST = "127.0.0.1"
"""The only address the server binds: it is never reachable from another machine."""

DEFAULT_PORT = 7878

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_LENGTH = re.compile(r"[0-9]{1,15}")
_MAX_FIELDS = 64


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
            raise GraphError.missing(source, "graph file or store")
        self.source = str(source)
        self.options = options or ServeOptions()
        self.log = log
        self._slots = threading.BoundedSemaphore(self.options.max_connections)
        self.pool = WorkerPool(  # the worker processes, loaded and ready
            self.source, self.options.workers, self.options.load_timeout, self.options.memory, log
        )
        try:
            super().__init__((HOST, port), SparqlHandler)
        except BaseException:
            self.pool.close()
            raise
        names = [HOST, "localhost", *(h.lower() for h in self.options.allowed_hosts)]
        self.hosts = {n if re.search(r"[^\]]:\d+$", n) else f"{n}:{self.port}" for n in names}
        if self.port == 80:
            self.hosts |= {h.removesuffix(":80") for h in self.hosts}
        self.origins = {f"http://{HOST}:{self.port}", f"http://localhost:{self.port}"}
        self.origins |= {o.lower().rstrip("/") for o in self.options.allowed_origins}

    @property
    def size(self) -> int:
        """How many quads the served store holds."""
        return self.pool.size

    @property
    def port(self) -> int:
        return self.server_address[1]

    def origin_allowed(self, origin: str) -> bool:
        """Whether a page of ``origin`` may query the endpoint."""
        return "*" in self.origins or origin.lower().rstrip("/") in self.origins

    def run_query(self, req: Request) -> Response:
        """``req`` answered by a worker (503 when all are busy or it times out)."""
        return self.pool.run(req, self.options.timeout)

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

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def _help() -> str:
    """The page at ``GET /sparql`` with no query, its format list from ``FORMATS``."""
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
    for forms in (RESULTS, GRAPHS):
        lines += ["", f"{', '.join(forms)}:"]
        for name in FORMS[forms[0]]:
            f = FORMATS[name]
            also = f" (also {', '.join(f.names)})" if f.names else ""
            lines.append(f"  {name:9} {bare(f.media)}{also}")
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
    kg.negotiate.QueryRefused: malformed percent-encoding in the parameters
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

    def _send(self, resp: Response, head_only: bool = False) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Vary", "Accept, Origin")
        origin = self.headers.get("Origin") if self.headers else None
        if origin and self.server.origin_allowed(origin):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Expose-Headers", "X-Result-Limit, X-Results-Truncated")
        if resp.status == 200 and resp.content_type in CONTENT_TYPES:
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
        self._send(Response.error(status, message))

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

    def _answer(self, params: dict[str, list[str]], query: str | None) -> Response:
        if "update" in params:
            raise QueryRefused(403, READ_ONLY)
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
        req = Request(
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
            resp = Response.error(e.status, e.message)
        if resp.truncated:
            self.log_message(
                "result truncated at %d (kg serve --limit), sent as %s",
                self.server.options.limit,
                bare(resp.content_type),
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
            self._send(Response(200, _HELP.encode("utf-8")))
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
            self._send(Response.error(400, "the body is not UTF-8"))
            return
        if ctype == "application/x-www-form-urlencoded":
            self._handle(url_query, body=text)
        elif ctype == "application/sparql-query":
            self._handle(url_query, query=text)
        elif ctype == "application/sparql-update":
            self._send(Response.error(403, READ_ONLY))
        else:
            self._send(
                Response.error(
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
